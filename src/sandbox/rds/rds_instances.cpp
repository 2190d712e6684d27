#include "sandbox/rds/rds_service_impl.hpp"

#include <algorithm>

namespace aurora::sandbox::rds {

namespace {

std::string render_one(const Instance& i, const RegionState& state, const RenderContext& rc) {
    XmlOut x;
    x.open("DBInstance");
    render_instance(x, i, state, rc);
    x.close("DBInstance");
    return x.str();
}

} // namespace

std::string RdsService::describe_instances(Call& c) {
    std::vector<std::string> ids;
    if (auto id = opt(c.p, "DBInstanceIdentifier"); id && !id->empty()) {
        ids.push_back(find_instance(c, *id).id);
    } else {
        for (const auto& [id2, _] : c.state.instances) {
            ids.push_back(id2);
        }
    }
    auto fs = filters(c.p, {"db-cluster-id", "db-instance-id", "dbi-resource-id", "domain", "engine"});
    std::erase_if(ids, [&](const std::string& id) {
        const auto& i = c.state.instances.at(id);
        for (const auto& f : fs) {
            auto match = [&](const std::string& v) {
                if (f.name == "db-cluster-id") {
                    return lower(v) == i.cluster_id || v == rds_arn(c.rc, "cluster", i.cluster_id);
                }
                if (f.name == "db-instance-id") {
                    return lower(v) == i.id || v == rds_arn(c.rc, "db", i.id);
                }
                if (f.name == "dbi-resource-id") {
                    return v == i.resource_id;
                }
                return f.name == "engine" && v == i.engine;
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
    x.open("DBInstances");
    for (const auto& id : page.ids) {
        x.open("DBInstance");
        render_instance(x, c.state.instances.at(id), c.state, c.rc);
        x.close("DBInstance");
    }
    x.close("DBInstances");
    return x.str();
}

std::string RdsService::create_instance(Call& c) {
    auto id = required(c.p, "DBInstanceIdentifier");
    check_identifier("DBInstanceIdentifier", id);
    id = lower(id);
    auto instance_class = required(c.p, "DBInstanceClass");
    auto engine = required(c.p, "Engine");
    check_engine(engine);
    if (c.state.instances.contains(id)) {
        throw fault("DBInstanceAlreadyExists", "DB instance already exists");
    }
    if (!instance_class.starts_with("db.")) {
        throw fault("InvalidParameterValue", "Invalid DB Instance class: " + instance_class);
    }
    auto cluster_id = opt(c.p, "DBClusterIdentifier");
    if (!cluster_id || cluster_id->empty()) {
        throw fault("InvalidParameterValue", "DBClusterIdentifier is required to create an Aurora DB instance.");
    }
    auto& cluster = find_cluster(c, *cluster_id);
    if (engine != cluster.engine) {
        throw fault("InvalidParameterCombination", "The engine " + engine + " does not match the engine of DB cluster " +
                                                       cluster.id + " (" + cluster.engine + ").");
    }
    if (cluster.status == "deleting" || cluster.status == "failed" || cluster.status == "incompatible-restore") {
        throw fault("InvalidDBClusterStateFault", "DBCluster " + cluster.id + " is in state " + cluster.status +
                                                      " and cannot take new instances.");
    }
    if (instance_class == "db.serverless" && !cluster.serverless_v2) {
        // RDS's answer for a Serverless v2 instance in a cluster without a scaling configuration.
        throw fault("InvalidParameterCombination", "Set the Serverless v2 scaling configuration on the parent DB "
                                                   "cluster before creating a Serverless v2 DB instance.");
    }
    if (opt(c.p, "MasterUserPassword") || opt(c.p, "MasterUsername")) {
        throw fault("InvalidParameterCombination", "The requested DB Instance will be a member of a DB Cluster. "
                                                   "Set master user name and password for the DB Cluster.");
    }
    if (opt_bool(c.p, "DeletionProtection").value_or(false)) {
        throw fault("InvalidParameterCombination",
                    "Deletion Protection can only be applied on the Cluster level, not for individual instances");
    }
    Instance i;
    i.id = id;
    i.cluster_id = cluster.id;
    i.instance_class = instance_class;
    i.engine = engine;
    i.engine_version = cluster.engine_version;
    i.promotion_tier = static_cast<int>(opt_int(c.p, "PromotionTier").value_or(1));
    i.publicly_accessible = opt_bool(c.p, "PubliclyAccessible").value_or(false);
    i.tags = tags(c.p);
    i.resource_id = new_resource_id("db-", c.ctx.region + id);
    i.created = c.rc.now;
    i.status = "creating";
    i.pending = make_pending("instance_create", "db/" + id, "available", "available", c.rc.now);
    // The first member is the writer (DBClusterMember.IsClusterWriter).
    cluster.members.push_back(id);
    count("instances_created");
    return render_one(c.state.instances[id] = std::move(i), c.state, c.rc);
}

std::string RdsService::delete_instance(Call& c) {
    auto& i = find_instance(c, required(c.p, "DBInstanceIdentifier"));
    if (opt(c.p, "FinalDBSnapshotIdentifier")) {
        throw fault("InvalidParameterCombination",
                    "FinalDBSnapshotIdentifier can not be specified when deleting a cluster instance");
    }
    if (i.status == "deleting") {
        throw fault("InvalidDBInstanceState", "Instance " + i.id + " is already being deleted.");
    }
    i.status = "deleting";
    i.pending = make_pending("instance_delete", "db/" + i.id, "delete", "deleted", c.rc.now);
    count("instances_deleted");
    return render_one(i, c.state, c.rc);
}

Tags& RdsService::tags_of(Call& c, const std::string& arn) {
    auto prefix = "arn:aws:rds:" + c.ctx.region + ":" + c.ctx.account_id + ":";
    auto invalid = [&]() {
        return fault("InvalidParameterValue", "Invalid resource name: " + arn);
    };
    if (!arn.starts_with(prefix)) {
        throw invalid();
    }
    auto rest = arn.substr(prefix.size());
    auto colon = rest.find(':');
    if (colon == std::string::npos) {
        throw invalid();
    }
    auto kind = rest.substr(0, colon);
    if (kind == "cluster") {
        return find_cluster(c, arn).tags;
    }
    if (kind == "cluster-snapshot") {
        return find_snapshot(c, arn).tags;
    }
    if (kind == "db") {
        return find_instance(c, arn).tags;
    }
    throw invalid();
}

std::string RdsService::add_tags(Call& c) {
    auto& t = tags_of(c, required(c.p, "ResourceName"));
    auto changes = tags(c.p);
    if (changes.empty()) {
        throw fault("MissingParameter", "The request must contain the parameter Tags");
    }
    auto merged = t;
    merge_tags(merged, changes);
    // RDS allows up to 50 tags on a resource.
    if (merged.size() > 50) {
        throw fault("TagQuotaPerResourceExceeded", "A resource can have at most 50 tags.");
    }
    t = std::move(merged);
    count("tags_changed");
    return {};
}

std::string RdsService::list_tags(Call& c) {
    const auto& t = tags_of(c, required(c.p, "ResourceName"));
    XmlOut x;
    x.open("TagList");
    for (const auto& [k, v] : t) {
        x.open("Tag");
        x.leaf("Key", k);
        x.leaf("Value", v);
        x.close("Tag");
    }
    x.close("TagList");
    return x.str();
}

std::string RdsService::remove_tags(Call& c) {
    auto& t = tags_of(c, required(c.p, "ResourceName"));
    auto keys = list(c.p, "TagKeys");
    if (keys.empty()) {
        throw fault("MissingParameter", "The request must contain the parameter TagKeys");
    }
    std::erase_if(t, [&](const auto& kv) { return std::find(keys.begin(), keys.end(), kv.first) != keys.end(); });
    count("tags_changed");
    return {};
}

} // namespace aurora::sandbox::rds
