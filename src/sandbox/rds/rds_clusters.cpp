#include "common/error.hpp"
#include "common/redact.hpp"
#include "sandbox/rds/rds_service_impl.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace aurora::sandbox::rds {

std::optional<ScalingV2> scaling_from(const Params& p) {
    auto min = opt_double(p, "ServerlessV2ScalingConfiguration.MinCapacity");
    auto max = opt_double(p, "ServerlessV2ScalingConfiguration.MaxCapacity");
    if (!min && !max) {
        return std::nullopt;
    }
    // "You can specify ACU values in half-step increments … The largest value … is 256" (API reference,
    // ServerlessV2ScalingConfiguration).
    auto valid = [](double v) { return v >= 0 && v <= 256 && std::fmod(v * 2, 1.0) == 0; };
    if (!min || !max || !valid(*min) || !valid(*max) || *max < 0.5 || *min > *max) {
        throw fault("InvalidParameterValue",
                    "Set both MinCapacity and MaxCapacity of ServerlessV2ScalingConfiguration in half-ACU steps "
                    "between 0 and 256, with MinCapacity not greater than MaxCapacity.");
    }
    return ScalingV2{*min, *max};
}

void check_engine(const std::string& engine) {
    if (engine != "aurora-postgresql" && engine != "aurora-mysql") {
        throw fault("InvalidParameterValue",
                    "Invalid DB engine: " + engine + ". The sandbox emulates aurora-postgresql and aurora-mysql.");
    }
}

std::string default_engine_version(const std::string& engine) {
    return engine == "aurora-mysql" ? "8.0.mysql_aurora.3.05.2" : "16.4";
}

namespace {

void check_password(const std::string& password) {
    // Aurora master passwords: 8 to 41 (MySQL) / 99 (PostgreSQL) printable characters except / " @ space.
    if (password.size() < 8 || password.size() > 99 ||
        password.find_first_of("/\"@ ") != std::string::npos) {
        throw fault("InvalidParameterValue",
                    "The parameter MasterUserPassword is not a valid password. Only printable ASCII characters "
                    "besides '/', '@', '\"', ' ' may be used, 8 to 99 characters.");
    }
}

} // namespace

std::string RdsService::describe_clusters(Call& c) {
    std::vector<std::string> ids;
    if (auto id = opt(c.p, "DBClusterIdentifier"); id && !id->empty()) {
        ids.push_back(find_cluster(c, *id).id);
    } else {
        for (const auto& [id2, _] : c.state.clusters) {
            ids.push_back(id2);
        }
    }
    auto fs = filters(c.p, {"db-cluster-id", "db-cluster-resource-id", "engine", "clone-group-id", "domain"});
    std::erase_if(ids, [&](const std::string& id) {
        const auto& cl = c.state.clusters.at(id);
        for (const auto& f : fs) {
            auto match = [&](const std::string& v) {
                if (f.name == "db-cluster-id") {
                    return lower(v) == cl.id || v == rds_arn(c.rc, "cluster", cl.id);
                }
                if (f.name == "db-cluster-resource-id") {
                    return v == cl.resource_id;
                }
                if (f.name == "engine") {
                    return v == cl.engine;
                }
                if (f.name == "clone-group-id") {
                    return v == cl.clone_group_id;
                }
                return false;
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
    x.open("DBClusters");
    for (const auto& id : page.ids) {
        x.open("DBCluster");
        render_cluster(x, c.state.clusters.at(id), c.state, c.rc);
        x.close("DBCluster");
    }
    x.close("DBClusters");
    return x.str();
}

std::string RdsService::create_cluster(Call& c) {
    auto id = required(c.p, "DBClusterIdentifier");
    check_identifier("DBClusterIdentifier", id);
    id = lower(id);
    if (c.state.clusters.contains(id)) {
        throw fault("DBClusterAlreadyExistsFault", "DB Cluster already exists");
    }
    auto engine = required(c.p, "Engine");
    check_engine(engine);
    Cluster cl;
    cl.id = id;
    cl.endpoint_id = id;
    cl.engine = engine;
    cl.engine_version = opt(c.p, "EngineVersion").value_or(default_engine_version(engine));
    cl.master_username = required(c.p, "MasterUsername");
    bool managed = opt_bool(c.p, "ManageMasterUserPassword").value_or(false);
    if (managed && opt(c.p, "MasterUserPassword")) {
        throw fault("InvalidParameterCombination",
                    "MasterUserPassword can not be specified when ManageMasterUserPassword is enabled.");
    }
    if (!managed) {
        cl.master_password = required(c.p, "MasterUserPassword");
        register_secret(cl.master_password);
        check_password(cl.master_password);
    }
    cl.kms_key_id = opt(c.p, "KmsKeyId").value_or("");
    cl.storage_encrypted = opt_bool(c.p, "StorageEncrypted").value_or(!cl.kms_key_id.empty());
    if (!cl.kms_key_id.empty()) {
        if (!cl.storage_encrypted) {
            throw fault("InvalidParameterCombination", "KmsKeyId requires StorageEncrypted.");
        }
        if (options_.kms_key_exists && !options_.kms_key_exists(c.ctx.account_id, c.ctx.region, cl.kms_key_id)) {
            throw fault("KMSKeyNotAccessibleFault", "The specified KMS key " + cl.kms_key_id + " does not exist.");
        }
    } else if (cl.storage_encrypted) {
        cl.kms_key_id = "alias/aws/rds";
    }
    cl.deletion_protection = opt_bool(c.p, "DeletionProtection").value_or(false);
    cl.copy_tags_to_snapshot = opt_bool(c.p, "CopyTagsToSnapshot").value_or(false);
    cl.port = static_cast<int>(opt_int(c.p, "Port").value_or(0));
    cl.database_name = opt(c.p, "DatabaseName").value_or("");
    cl.subnet_group = opt(c.p, "DBSubnetGroupName").value_or("default");
    cl.parameter_group = opt(c.p, "DBClusterParameterGroupName").value_or("");
    cl.security_groups = list(c.p, "VpcSecurityGroupIds");
    cl.serverless_v2 = scaling_from(c.p);
    cl.tags = tags(c.p);
    cl.resource_id = new_resource_id("cluster-", c.ctx.region + id);
    cl.created = c.rc.now;
    cl.status = "creating";
    cl.pending = make_pending("cluster_create", id, "available", "available", c.rc.now);
    if (managed) {
        manage_password(c, cl);
    }
    if (auto* plane = plane_for(engine)) {
        cl.data_db = allocate_db('c', id);
        on_plane("create the cluster database",
                 [&] { plane->create_cluster_database(cl.data_db, cl.master_username, cl.master_password); });
    }
    auto& stored = c.state.clusters[id] = std::move(cl);
    count("clusters_created");
    XmlOut x;
    x.open("DBCluster");
    render_cluster(x, stored, c.state, c.rc);
    x.close("DBCluster");
    return x.str();
}

Cluster& RdsService::rename_cluster(Call& c, Cluster& cluster, const std::string& new_id) {
    Cluster moved = std::move(cluster);
    auto old_id = moved.id;
    c.state.clusters.erase(old_id);
    moved.id = new_id;
    for (auto& [_, i] : c.state.instances) {
        if (i.cluster_id == old_id) {
            i.cluster_id = new_id;
        }
    }
    if (auto* plane = plane_for(moved.engine); plane != nullptr && !moved.data_db.empty()) {
        auto new_db = allocate_db('c', new_id);
        on_plane("rename the cluster database", [&] { plane->rename_database(moved.data_db, new_db); });
        moved.data_db = new_db;
    }
    // The new identifier answers at once; the endpoint changes when `renaming` ends (complete_cluster).
    moved.status = "renaming";
    moved.pending = make_pending("cluster_rename", new_id, "rename", "available", c.rc.now);
    count("clusters_renamed");
    return c.state.clusters[new_id] = std::move(moved);
}

void RdsService::manage_password(Call& c, Cluster& cluster) {
    if (!options_.put_managed_secret) {
        throw fault("InvalidParameterValue", "This sandbox has no Secrets Manager to manage master passwords.");
    }
    static const char* alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    std::random_device rd;
    std::string password;
    for (int n = 0; n < 28; ++n) {
        password += alphabet[rd() % 57];
    }
    register_secret(password);
    // RDS names its managed secrets "rds!cluster-<id>" and stores {"username", "password"}.
    auto secret = nlohmann::json{{"username", cluster.master_username}, {"password", password}}.dump();
    cluster.managed_secret_arn =
        options_.put_managed_secret(c.ctx.account_id, c.ctx.region, "rds!" + lower(cluster.resource_id), secret);
    cluster.master_password = password;
    if (auto* plane = plane_for(cluster.engine); plane != nullptr && !cluster.data_db.empty()) {
        on_plane("set the master password", [&] { plane->set_password(cluster.master_username, password); });
    }
}

std::string RdsService::modify_cluster(Call& c) {
    Cluster* cl = &find_cluster(c, required(c.p, "DBClusterIdentifier"));
    if (cl->status != "available") {
        throw fault("InvalidDBClusterStateFault", "DBCluster " + cl->id + " is not in available state.");
    }
    bool apply_now = opt_bool(c.p, "ApplyImmediately").value_or(false);
    auto new_id = opt(c.p, "NewDBClusterIdentifier");
    auto password = opt(c.p, "MasterUserPassword");
    if (password) {
        register_secret(*password);
        check_password(*password);
    }
    auto manage = opt_bool(c.p, "ManageMasterUserPassword");
    if (password && (manage.value_or(false) || (!manage && !cl->managed_secret_arn.empty()))) {
        throw fault("InvalidParameterCombination",
                    "MasterUserPassword can not be specified when ManageMasterUserPassword is enabled.");
    }
    if (manage && !*manage && !password && !cl->managed_secret_arn.empty()) {
        throw fault("InvalidParameterCombination",
                    "MasterUserPassword is required when ManageMasterUserPassword is turned off.");
    }
    auto scaling = scaling_from(c.p);
    if (new_id) {
        check_identifier("NewDBClusterIdentifier", *new_id);
        *new_id = lower(*new_id);
        if (*new_id != cl->id && c.state.clusters.contains(*new_id)) {
            throw fault("DBClusterAlreadyExistsFault", "DB Cluster already exists");
        }
    }
    bool changed = false;
    if (auto dp = opt_bool(c.p, "DeletionProtection")) {
        cl->deletion_protection = *dp;
        changed = true;
    }
    if (auto ct = opt_bool(c.p, "CopyTagsToSnapshot")) {
        cl->copy_tags_to_snapshot = *ct;
        changed = true;
    }
    if (auto groups = list(c.p, "VpcSecurityGroupIds"); !groups.empty()) {
        cl->security_groups = groups;
        changed = true;
    }
    if (auto pg = opt(c.p, "DBClusterParameterGroupName")) {
        cl->parameter_group = *pg;
        changed = true;
    }
    if (scaling) {
        cl->serverless_v2 = scaling;
        cl->status = "modifying";
        cl->pending = make_pending("cluster_modify", cl->id, "modify", "available", c.rc.now);
        changed = true;
    }
    if (password) {
        // Applied at once whatever ApplyImmediately says; shown masked in PendingModifiedValues until done.
        cl->master_password = *password;
        cl->pending_password = true;
        cl->status = "resetting-master-credentials";
        cl->pending = make_pending("cluster_modify", cl->id, "modify", "available", c.rc.now);
        if (auto* plane = plane_for(cl->engine); plane != nullptr && !cl->data_db.empty()) {
            on_plane("set the master password", [&] { plane->set_password(cl->master_username, *password); });
        }
        changed = true;
    }
    if (manage) {
        if (*manage) {
            manage_password(c, *cl);
            cl->status = "resetting-master-credentials";
            cl->pending = make_pending("cluster_modify", cl->id, "modify", "available", c.rc.now);
        } else {
            cl->managed_secret_arn.clear();
        }
        changed = true;
    }
    if (new_id && *new_id != cl->id) {
        if (apply_now) {
            cl = &rename_cluster(c, *cl, *new_id);
        } else {
            // Without ApplyImmediately the rename waits for the maintenance window (never, in the sandbox).
            cl->pending_new_id = *new_id;
        }
        changed = true;
    }
    if (changed) {
        count("modifications");
    }
    XmlOut x;
    x.open("DBCluster");
    render_cluster(x, *cl, c.state, c.rc);
    x.close("DBCluster");
    return x.str();
}

std::string RdsService::delete_cluster(Call& c) {
    auto& cl = find_cluster(c, required(c.p, "DBClusterIdentifier"));
    bool skip = opt_bool(c.p, "SkipFinalSnapshot").value_or(false);
    auto final_id = opt(c.p, "FinalDBSnapshotIdentifier");
    if (skip && final_id) {
        throw fault("InvalidParameterCombination",
                    "FinalDBSnapshotIdentifier can not be specified when SkipFinalSnapshot is true.");
    }
    if (!skip && !final_id) {
        throw fault("InvalidParameterCombination",
                    "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.");
    }
    if (cl.status == "deleting") {
        throw fault("InvalidDBClusterStateFault", "Cluster " + cl.id + " is already being deleted.");
    }
    static const std::vector<std::string> busy{"creating", "renaming", "backing-up", "modifying",
                                               "resetting-master-credentials"};
    if (std::find(busy.begin(), busy.end(), cl.status) != busy.end()) {
        throw fault("InvalidDBClusterStateFault", "DBCluster " + cl.id + " is in state " + cl.status +
                                                      " and cannot be deleted.");
    }
    if (cl.deletion_protection) {
        // What RDS answers for a protected cluster.
        throw fault("InvalidParameterCombination",
                    "Cannot delete protected Cluster, please disable deletion protection and try again.");
    }
    bool has_members = std::any_of(cl.members.begin(), cl.members.end(), [&](const std::string& m) {
        auto it = c.state.instances.find(m);
        return it != c.state.instances.end() && it->second.status != "deleting";
    });
    if (has_members) {
        throw fault("InvalidDBClusterStateFault",
                    "Cluster cannot be deleted, it still contains DB instances in non-deleting state.");
    }
    if (final_id) {
        check_identifier("FinalDBSnapshotIdentifier", *final_id, 255);
        if (c.state.snapshots.contains(lower(*final_id))) {
            throw fault("DBClusterSnapshotAlreadyExistsFault",
                        "Cannot create the cluster snapshot because one with the identifier " + *final_id +
                            " already exists.");
        }
        take_snapshot(c, cl, lower(*final_id), cl.copy_tags_to_snapshot ? cl.tags : Tags{});
    }
    if (auto* plane = plane_for(cl.engine); plane != nullptr && !cl.data_db.empty()) {
        on_plane("drop the cluster database", [&] { plane->drop_database(cl.data_db); });
    }
    cl.status = "deleting";
    cl.pending = make_pending("cluster_delete", cl.id, "delete", "deleted", c.rc.now);
    count("clusters_deleted");
    XmlOut x;
    x.open("DBCluster");
    render_cluster(x, cl, c.state, c.rc);
    x.close("DBCluster");
    return x.str();
}

} // namespace aurora::sandbox::rds
