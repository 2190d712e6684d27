#include "common/redact.hpp"
#include "sandbox/rds/rds_service_impl.hpp"

namespace aurora::sandbox::rds {

namespace {

std::string checked_new_cluster_id(const Params& p, const RegionState& state) {
    auto id = required(p, "DBClusterIdentifier");
    check_identifier("DBClusterIdentifier", id);
    id = lower(id);
    if (state.clusters.contains(id)) {
        throw fault("DBClusterAlreadyExistsFault", "DB Cluster already exists");
    }
    return id;
}

} // namespace

std::string RdsService::restore_outcome(const Tags& request_tags, const std::string& snapshot_scenario) {
    auto scenario = tag_value(request_tags, "sandbox:scenario");
    if (scenario.empty()) {
        scenario = snapshot_scenario;
    }
    if (scenario.empty()) {
        return {};
    }
    if (scenario == "restore-fails") {
        return "failed";
    }
    if (scenario == "incompatible-restore") {
        return "incompatible-restore";
    }
    throw fault("InvalidParameterValue",
                "Unknown sandbox:scenario " + scenario + " (known: restore-fails, incompatible-restore).");
}

void RdsService::apply_restore_options(Call& c, Cluster& target) {
    target.subnet_group = opt(c.p, "DBSubnetGroupName").value_or("default");
    target.security_groups = list(c.p, "VpcSecurityGroupIds");
    target.parameter_group = opt(c.p, "DBClusterParameterGroupName").value_or("");
    target.deletion_protection = opt_bool(c.p, "DeletionProtection").value_or(false);
    target.copy_tags_to_snapshot = opt_bool(c.p, "CopyTagsToSnapshot").value_or(false);
    target.port = static_cast<int>(opt_int(c.p, "Port").value_or(0));
    target.serverless_v2 = scaling_from(c.p);
    target.tags = tags(c.p);
    if (auto key = opt(c.p, "KmsKeyId"); key && !key->empty()) {
        // The key must exist in the region of the restore (RestoreDBClusterFromSnapshot, KmsKeyId).
        if (options_.kms_key_exists && !options_.kms_key_exists(c.ctx.account_id, c.ctx.region, *key)) {
            throw fault("KMSKeyNotAccessibleFault", "The specified KMS key " + *key + " does not exist.");
        }
        target.kms_key_id = *key;
        target.storage_encrypted = true;
    }
    target.endpoint_id = target.id;
    target.created = c.rc.now;
    target.resource_id = new_resource_id("cluster-", c.ctx.region + target.id);
    target.members.clear();
    target.pending_password = false;
    target.pending_new_id.clear();
    target.status = "creating";
    target.pending = make_pending("cluster_create", target.id, "available", "available", c.rc.now);
}

Cluster& RdsService::finish_restore(Call& c, Cluster target, const std::string& source_db) {
    auto* plane = plane_for(target.engine);
    // A scenario restore never becomes usable, so it gets no database.
    if (plane != nullptr && target.final_status.empty()) {
        target.data_db = allocate_db('c', target.id);
        if (source_db.empty()) {
            on_plane("create the cluster database", [&] {
                plane->create_cluster_database(target.data_db, target.master_username, target.master_password);
            });
        } else {
            on_plane("restore the cluster database", [&] {
                plane->restore_database(source_db, target.data_db, target.master_username, target.master_password);
            });
        }
    }
    count("clusters_restored");
    auto id = target.id;
    return c.state.clusters[id] = std::move(target);
}

std::string RdsService::restore_from_snapshot(Call& c) {
    auto id = checked_new_cluster_id(c.p, c.state);
    auto& snap = find_snapshot(c, required(c.p, "SnapshotIdentifier"));
    auto engine = required(c.p, "Engine");
    check_engine(engine);
    if (snap.status != "available") {
        throw fault("InvalidDBClusterSnapshotStateFault",
                    "Snapshot " + snap.id + " is not in available state (" + snap.status + ").");
    }
    if (engine != snap.engine) {
        throw fault("InvalidParameterCombination",
                    "The engine " + engine + " does not match the engine of snapshot " + snap.id + " (" +
                        snap.engine + ").");
    }
    Cluster target;
    target.id = id;
    target.engine = engine;
    target.engine_version = opt(c.p, "EngineVersion").value_or(snap.engine_version);
    target.master_username = snap.master_username;
    target.master_password = snap.master_password;
    target.database_name = opt(c.p, "DatabaseName").value_or("");
    target.storage_encrypted = snap.storage_encrypted;
    target.kms_key_id = snap.kms_key_id;
    apply_restore_options(c, target);
    target.final_status = restore_outcome(target.tags, snap.scenario);
    auto source_db = snap.data_db;
    auto& stored = finish_restore(c, std::move(target), source_db);
    XmlOut x;
    x.open("DBCluster");
    render_cluster(x, stored, c.state, c.rc);
    x.close("DBCluster");
    return x.str();
}

std::string RdsService::restore_to_point_in_time(Call& c) {
    auto id = checked_new_cluster_id(c.p, c.state);
    auto& source = find_cluster(c, required(c.p, "SourceDBClusterIdentifier"));
    auto restore_type = opt(c.p, "RestoreType").value_or("full-copy");
    if (restore_type != "full-copy" && restore_type != "copy-on-write") {
        throw fault("InvalidParameterValue", "Invalid RestoreType " + restore_type +
                                                 ": use full-copy or copy-on-write.");
    }
    bool latest = opt_bool(c.p, "UseLatestRestorableTime").value_or(false);
    auto time = opt(c.p, "RestoreToTime");
    if (latest == time.has_value()) {
        throw fault("InvalidParameterCombination",
                    "Specify exactly one of RestoreToTime and UseLatestRestorableTime.");
    }
    if (time) {
        Clock::WallTime t;
        try {
            t = parse_iso8601(*time);
        } catch (const Error&) {
            throw fault("InvalidParameterValue", "RestoreToTime " + *time + " is not a valid timestamp.");
        }
        if (t < source.created || t > c.rc.now) {
            throw fault("InvalidRestoreFault", "The restore time " + *time +
                                                   " is outside the restorable window of " + source.id + ".");
        }
    }
    if (source.status == "creating" || source.status == "deleting" || source.status == "failed" ||
        source.status == "incompatible-restore") {
        throw fault("InvalidDBClusterStateFault", "DBCluster " + source.id + " is not in available state.");
    }
    Cluster target;
    target.id = id;
    target.engine = source.engine;
    target.engine_version = source.engine_version;
    target.master_username = source.master_username;
    target.master_password = source.master_password;
    target.database_name = source.database_name;
    target.storage_encrypted = source.storage_encrypted;
    target.kms_key_id = source.kms_key_id;
    if (restore_type == "copy-on-write") {
        // Clones share a clone group with their source (DBCluster.CloneGroupId).
        if (source.clone_group_id.empty()) {
            source.clone_group_id = new_resource_id("", "clone/" + source.id);
        }
        target.clone_group_id = source.clone_group_id;
        count("clusters_cloned");
    }
    apply_restore_options(c, target);
    target.final_status = restore_outcome(target.tags, "");
    auto source_db = source.data_db;
    auto& stored = finish_restore(c, std::move(target), source_db);
    XmlOut x;
    x.open("DBCluster");
    render_cluster(x, stored, c.state, c.rc);
    x.close("DBCluster");
    return x.str();
}

} // namespace aurora::sandbox::rds
