#include "sandbox/rds/rds_service_impl.hpp"

#include <algorithm>

namespace aurora::sandbox::rds {

namespace {

struct SnapshotArn {
    std::string region;
    std::string account;
    std::string id;
};

//! Parses arn:aws:rds:<region>:<account>:cluster-snapshot:<id>; nullopt for anything else.
std::optional<SnapshotArn> parse_snapshot_arn(const std::string& arn) {
    const std::string prefix = "arn:aws:rds:";
    if (!arn.starts_with(prefix)) {
        return std::nullopt;
    }
    auto region_end = arn.find(':', prefix.size());
    auto account_end = region_end == std::string::npos ? region_end : arn.find(':', region_end + 1);
    const std::string kind = ":cluster-snapshot:";
    if (account_end == std::string::npos || arn.compare(account_end, kind.size(), kind) != 0) {
        return std::nullopt;
    }
    return SnapshotArn{arn.substr(prefix.size(), region_end - prefix.size()),
                       arn.substr(region_end + 1, account_end - region_end - 1),
                       lower(arn.substr(account_end + kind.size()))};
}

std::string render_one(const Snapshot& s, const RenderContext& rc) {
    XmlOut x;
    x.open("DBClusterSnapshot");
    render_snapshot(x, s, rc);
    x.close("DBClusterSnapshot");
    return x.str();
}

std::string checked_new_snapshot_id(const Params& p, const std::string& name, const RegionState& state) {
    auto id = required(p, name);
    check_identifier(name, id, 255);
    id = lower(id);
    if (state.snapshots.contains(id)) {
        throw fault("DBClusterSnapshotAlreadyExistsFault",
                    "Cannot create the cluster snapshot because one with the identifier " + id + " already exists.");
    }
    return id;
}

} // namespace

std::string RdsService::describe_snapshots(Call& c) {
    std::vector<std::string> ids;
    if (auto id = opt(c.p, "DBClusterSnapshotIdentifier"); id && !id->empty()) {
        ids.push_back(find_snapshot(c, *id).id);
    } else {
        for (const auto& [id2, _] : c.state.snapshots) {
            ids.push_back(id2);
        }
    }
    auto type = opt(c.p, "SnapshotType");
    static const std::vector<std::string> types{"automated", "manual", "shared", "public", "awsbackup"};
    if (type && std::find(types.begin(), types.end(), *type) == types.end()) {
        throw fault("InvalidParameterValue", "Invalid SnapshotType " + *type + ".");
    }
    auto cluster = opt(c.p, "DBClusterIdentifier");
    auto fs = filters(c.p, {"db-cluster-id", "db-cluster-snapshot-id", "snapshot-type", "engine"});
    auto cluster_matches = [&](const Snapshot& s, const std::string& v) {
        return lower(v) == s.cluster_id || v == rds_arn(c.rc, "cluster", s.cluster_id);
    };
    std::erase_if(ids, [&](const std::string& id) {
        const auto& s = c.state.snapshots.at(id);
        // The sandbox has no shared, public or AWS Backup snapshots.
        if (type && *type != s.type) {
            return true;
        }
        if (cluster && !cluster->empty() && !cluster_matches(s, *cluster)) {
            return true;
        }
        for (const auto& f : fs) {
            auto match = [&](const std::string& v) {
                if (f.name == "db-cluster-id") {
                    return cluster_matches(s, v);
                }
                if (f.name == "db-cluster-snapshot-id") {
                    return lower(v) == s.id || v == rds_arn(c.rc, "cluster-snapshot", s.id);
                }
                if (f.name == "snapshot-type") {
                    return v == s.type;
                }
                return f.name == "engine" && v == s.engine;
            };
            if (std::none_of(f.values.begin(), f.values.end(), match)) {
                return true;
            }
        }
        return false;
    });
    auto page = paginate(c.p, ids);
    XmlOut x;
    if (!page.next_marker.empty()) {
        x.leaf("Marker", page.next_marker);
    }
    x.open("DBClusterSnapshots");
    for (const auto& id : page.ids) {
        x.open("DBClusterSnapshot");
        render_snapshot(x, c.state.snapshots.at(id), c.rc);
        x.close("DBClusterSnapshot");
    }
    x.close("DBClusterSnapshots");
    return x.str();
}

Snapshot& RdsService::take_snapshot(Call& c, Cluster& cluster, const std::string& id, const Tags& tags_in) {
    Snapshot s;
    s.id = id;
    s.cluster_id = cluster.id;
    s.type = "manual";
    s.status = "creating";
    s.engine = cluster.engine;
    s.engine_version = cluster.engine_version;
    s.master_username = cluster.master_username;
    s.master_password = cluster.master_password;
    s.kms_key_id = cluster.kms_key_id;
    s.storage_encrypted = cluster.storage_encrypted;
    s.port = cluster.port;
    s.resource_id = cluster.resource_id;
    s.tags = tags_in;
    s.created = c.rc.now;
    s.cluster_created = cluster.created;
    s.pending = make_pending("snapshot_create", "snapshot/" + id, "available", "available", c.rc.now);
    if (auto* plane = plane_for(cluster.engine); plane != nullptr && !cluster.data_db.empty()) {
        s.data_db = allocate_db('s', id);
        on_plane("snapshot the cluster database", [&] { plane->snapshot_database(cluster.data_db, s.data_db); });
    }
    if (cluster.status == "available") {
        // The cluster reports `backing-up` while the snapshot is taken.
        cluster.status = "backing-up";
        cluster.pending = Pending{"backup", "available", s.pending->started, s.pending->due};
    }
    count("snapshots_created");
    return c.state.snapshots[id] = std::move(s);
}

std::string RdsService::create_snapshot(Call& c) {
    auto id = checked_new_snapshot_id(c.p, "DBClusterSnapshotIdentifier", c.state);
    auto& cluster = find_cluster(c, required(c.p, "DBClusterIdentifier"));
    if (cluster.status != "available") {
        throw fault("InvalidDBClusterStateFault", "DBCluster " + cluster.id + " is not in available state.");
    }
    auto request_tags = tags(c.p);
    // With CopyTagsToSnapshot, the cluster's tags are copied unless the request names its own.
    auto snapshot_tags = !request_tags.empty() ? request_tags : cluster.copy_tags_to_snapshot ? cluster.tags : Tags{};
    return render_one(take_snapshot(c, cluster, id, snapshot_tags), c.rc);
}

std::string RdsService::copy_snapshot(Call& c) {
    auto source_ref = required(c.p, "SourceDBClusterSnapshotIdentifier");
    auto target_id = checked_new_snapshot_id(c.p, "TargetDBClusterSnapshotIdentifier", c.state);
    auto arn = parse_snapshot_arn(source_ref);
    bool cross_region = arn && arn->region != c.ctx.region;
    Snapshot* source = nullptr;
    std::string source_arn;
    if (cross_region) {
        // A cross-region copy is called in the target region with the source's ARN and a PreSignedUrl for
        // CopyDBClusterSnapshot signed for the source region (API reference, CopyDBClusterSnapshot).
        auto url = opt(c.p, "PreSignedUrl").value_or("");
        if (url.empty()) {
            throw fault("InvalidParameterValue", "PreSignedUrl is required to copy a snapshot from another region.");
        }
        if (!options_.verify_presigned_url) {
            throw fault("InvalidParameterValue", "This sandbox cannot verify PreSignedUrl values.");
        }
        auto v = options_.verify_presigned_url(url, c.rc.now);
        if (!v.valid) {
            throw fault("InvalidParameterValue", "The PreSignedUrl is not valid: " + v.error_code + ": " + v.message);
        }
        auto param = [&](const std::string& k) {
            auto it = v.params.find(k);
            return it == v.params.end() ? std::string{} : it->second;
        };
        if (param("Action") != "CopyDBClusterSnapshot" || param("SourceDBClusterSnapshotIdentifier") != source_ref ||
            (!param("DestinationRegion").empty() && param("DestinationRegion") != c.ctx.region) ||
            v.region != arn->region || v.service != "rds") {
            throw fault("InvalidParameterValue",
                        "The PreSignedUrl does not match this CopyDBClusterSnapshot request (action, source "
                        "snapshot, source or destination region).");
        }
        auto it = states_.find({arn->account, arn->region});
        if (arn->account != c.ctx.account_id || it == states_.end() || !it->second.snapshots.contains(arn->id)) {
            throw fault("DBClusterSnapshotNotFoundFault", "DBClusterSnapshot " + source_ref + " not found.");
        }
        source = &it->second.snapshots.at(arn->id);
        source_arn = source_ref;
    } else {
        source = &find_snapshot(c, source_ref);
        source_arn = rds_arn(c.rc, "cluster-snapshot", source->id);
    }
    if (source->status != "available") {
        throw fault("InvalidDBClusterSnapshotStateFault",
                    "Snapshot " + source->id + " is not in available state (" + source->status + ").");
    }
    auto kms = opt(c.p, "KmsKeyId").value_or("");
    auto key_exists = [&](const std::string& key) {
        return !options_.kms_key_exists || options_.kms_key_exists(c.ctx.account_id, c.ctx.region, key);
    };
    if (!source->storage_encrypted && !kms.empty()) {
        throw fault("InvalidParameterCombination",
                    "KmsKeyId can not be specified when copying an unencrypted DB cluster snapshot.");
    }
    if (source->storage_encrypted && cross_region && kms.empty()) {
        // KMS keys are regional: the copy must name a key of the target region.
        throw fault("KMSKeyNotAccessibleFault",
                    "An encrypted snapshot copied from another region needs a KmsKeyId of " + c.ctx.region + ".");
    }
    if (!kms.empty() && !key_exists(kms)) {
        throw fault("KMSKeyNotAccessibleFault", "The specified KMS key " + kms + " does not exist in " + c.ctx.region + ".");
    }
    Snapshot copy = *source;
    copy.id = target_id;
    copy.type = "manual";
    copy.status = "copying";
    copy.source_arn = source_arn;
    copy.scenario = source->scenario;
    copy.kms_key_id = kms.empty() ? source->kms_key_id : kms;
    copy.created = c.rc.now;
    copy.tags = opt_bool(c.p, "CopyTags").value_or(false) ? source->tags : Tags{};
    merge_tags(copy.tags, tags(c.p));
    copy.pending = make_pending("snapshot_copy", "snapshot/" + target_id, "available", "available", c.rc.now);
    copy.data_db.clear();
    if (auto* plane = plane_for(copy.engine); plane != nullptr && !source->data_db.empty()) {
        copy.data_db = allocate_db('s', target_id);
        on_plane("copy the snapshot database", [&] { plane->snapshot_database(source->data_db, copy.data_db); });
    }
    count("snapshots_copied");
    return render_one(c.state.snapshots[target_id] = std::move(copy), c.rc);
}

std::string RdsService::delete_snapshot(Call& c) {
    auto& s = find_snapshot(c, required(c.p, "DBClusterSnapshotIdentifier"));
    if (s.type == "automated") {
        throw fault("InvalidDBClusterSnapshotStateFault", "Only manual snapshots may be deleted.");
    }
    if (s.status != "available") {
        throw fault("InvalidDBClusterSnapshotStateFault",
                    "Snapshot " + s.id + " is not in available state (" + s.status + ").");
    }
    if (auto* plane = plane_for(s.engine); plane != nullptr && !s.data_db.empty()) {
        on_plane("drop the snapshot database", [&] { plane->drop_database(s.data_db); });
    }
    s.status = "deleted";
    auto out = render_one(s, c.rc);
    c.state.snapshots.erase(s.id);
    count("snapshots_deleted");
    return out;
}

} // namespace aurora::sandbox::rds
