#include "common/redact.hpp"
#include "sandbox/rds/rds_seed_sql.hpp"
#include "sandbox/rds/rds_service_impl.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdio>

namespace aurora::sandbox::rds {

namespace {

std::string str(const YAML::Node& n, const char* key, const std::string& fallback = {}) {
    return n[key] ? n[key].as<std::string>() : fallback;
}

bool flag(const YAML::Node& n, const char* key, bool fallback = false) {
    return n[key] ? n[key].as<bool>() : fallback;
}

Tags seed_tags(const YAML::Node& n) {
    Tags out;
    for (const auto& kv : n["tags"]) {
        out.emplace_back(kv.first.as<std::string>(), kv.second.as<std::string>());
    }
    return out;
}

Clock::WallTime time_or(const YAML::Node& n, const char* key, Clock::WallTime fallback) {
    return n[key] ? parse_iso8601(n[key].as<std::string>()) : fallback;
}

//! "rds:<cluster>-YYYY-MM-DD-HH-MM", the naming of automated cluster snapshots.
std::string automated_id(const std::string& cluster, Clock::WallTime t) {
    auto iso = format_iso8601(t); // 2026-11-27T03:00:00Z
    return "rds:" + cluster + "-" + iso.substr(0, 10) + "-" + iso.substr(11, 2) + "-" + iso.substr(14, 2);
}

} // namespace

void RdsService::seed(const YAML::Node& node, const std::string& account_id, const std::string& region) {
    if (!node.IsDefined() || node.IsNull()) {
        return;
    }
    const YAML::Node rds = node["rds"] ? node["rds"] : node;
    auto now = options_.clock->now();
    try {
        for (const auto& c : rds["clusters"]) {
            seed_cluster(c, account_id, region, now);
        }
        for (const auto& s : rds["snapshots"]) {
            seed_snapshot(s, account_id, region, now);
        }
    } catch (const ServiceError& e) {
        throw Error(ErrorCode::config, std::string("invalid rds seed: ") + e.what());
    } catch (const YAML::Exception& e) {
        throw Error(ErrorCode::config, std::string("malformed rds seed: ") + e.what());
    }
}

void RdsService::seed_cluster(const YAML::Node& n, const std::string& account, const std::string& region,
                              Clock::WallTime now) {
    auto id = str(n, "id");
    check_identifier("id", id);
    id = lower(id);
    auto& state = state_for(account, region);
    if (state.clusters.contains(id)) {
        return; // already there (a state file was loaded): seeding is idempotent
    }
    Cluster c;
    c.id = id;
    c.endpoint_id = id;
    c.engine = str(n, "engine", "aurora-postgresql");
    check_engine(c.engine);
    c.engine_version = str(n, "engine_version", default_engine_version(c.engine));
    c.master_username = str(n, "master_username", c.engine == "aurora-mysql" ? "admin" : "postgres");
    c.master_password = str(n, "master_password", "sandbox-password");
    register_secret(c.master_password);
    c.database_name = str(n, "database_name");
    c.kms_key_id = str(n, "kms_key_id");
    c.storage_encrypted = flag(n, "storage_encrypted", !c.kms_key_id.empty());
    if (c.storage_encrypted && c.kms_key_id.empty()) {
        c.kms_key_id = "alias/aws/rds";
    }
    c.deletion_protection = flag(n, "deletion_protection");
    if (auto sv = n["serverless_v2"]) {
        c.serverless_v2 = ScalingV2{sv["min_capacity"].as<double>(0.5), sv["max_capacity"].as<double>(1.0)};
    }
    c.status = str(n, "status", "available");
    c.created = time_or(n, "created", now - std::chrono::hours(24 * 30));
    c.tags = seed_tags(n);
    c.resource_id = new_resource_id("cluster-", region + id);
    for (const auto& in : n["instances"]) {
        Instance i;
        i.id = lower(in.IsScalar() ? in.as<std::string>() : str(in, "id"));
        check_identifier("instances.id", i.id);
        i.instance_class = in.IsMap() ? str(in, "class", "") : "";
        if (i.instance_class.empty()) {
            i.instance_class = c.serverless_v2 ? "db.serverless" : "db.r6g.large";
        }
        i.cluster_id = id;
        i.engine = c.engine;
        i.engine_version = c.engine_version;
        i.created = c.created;
        i.resource_id = new_resource_id("db-", region + i.id);
        c.members.push_back(i.id);
        state.instances[i.id] = std::move(i);
    }
    if (auto* plane = plane_for(c.engine)) {
        c.data_db = allocate_db('c', id);
        plane->create_cluster_database(c.data_db, c.master_username, c.master_password);
        if (const auto data = n["data"]; data && data["sql"]) {
            auto runner = options_.run_seed_sql ? options_.run_seed_sql : run_seed_sql;
            runner(*plane, c.data_db, c.master_username, c.master_password, data["sql"].as<std::string>());
        }
    }
    state.clusters[id] = std::move(c);
    int automated = n["automated_snapshots"] ? n["automated_snapshots"].as<int>() : 0;
    // Daily automated snapshots at 03:00 UTC (the backup window), the newest within the last day.
    auto day = std::chrono::floor<std::chrono::days>(now) + std::chrono::hours(3);
    if (day > now) {
        day -= std::chrono::days(1);
    }
    for (int k = 0; k < automated; ++k) {
        auto t = day - std::chrono::days(k);
        YAML::Node s;
        s["id"] = automated_id(id, t);
        s["cluster"] = id;
        s["type"] = "automated";
        s["created"] = format_iso8601(t);
        seed_snapshot(s, account, region, now);
    }
}

void RdsService::seed_snapshot(const YAML::Node& n, const std::string& account, const std::string& region,
                               Clock::WallTime now) {
    auto id = lower(str(n, "id"));
    auto type = str(n, "type", id.starts_with("rds:") ? "automated" : "manual");
    if (type != "manual" && type != "automated") {
        throw Error(ErrorCode::config, "invalid rds seed: snapshot " + id + " has type " + type,
                    "use manual or automated");
    }
    check_identifier("id", id.starts_with("rds:") ? id.substr(4) : id, 255);
    auto& state = state_for(account, region);
    if (state.snapshots.contains(id)) {
        return;
    }
    Snapshot s;
    s.id = id;
    s.type = type;
    s.cluster_id = lower(str(n, "cluster"));
    const Cluster* cluster = nullptr;
    if (auto it = state.clusters.find(s.cluster_id); it != state.clusters.end()) {
        cluster = &it->second;
    }
    s.engine = str(n, "engine", cluster != nullptr ? cluster->engine : "aurora-postgresql");
    check_engine(s.engine);
    s.engine_version = str(n, "engine_version", cluster != nullptr ? cluster->engine_version
                                                                   : default_engine_version(s.engine));
    s.master_username = str(n, "master_username", cluster != nullptr ? cluster->master_username
                                                   : s.engine == "aurora-mysql" ? "admin"
                                                                                : "postgres");
    s.master_password = cluster != nullptr ? cluster->master_password : str(n, "master_password", "sandbox-password");
    register_secret(s.master_password);
    s.kms_key_id = str(n, "kms_key_id", cluster != nullptr ? cluster->kms_key_id : "");
    s.storage_encrypted = flag(n, "storage_encrypted", cluster != nullptr ? cluster->storage_encrypted
                                                                          : !s.kms_key_id.empty());
    if (s.storage_encrypted && s.kms_key_id.empty()) {
        s.kms_key_id = "alias/aws/rds";
    }
    s.status = str(n, "status", "available");
    s.created = time_or(n, "created", now - std::chrono::hours(1));
    s.cluster_created = cluster != nullptr ? cluster->created : s.created - std::chrono::hours(24 * 30);
    s.resource_id = cluster != nullptr ? cluster->resource_id : std::string{};
    s.scenario = str(n, "scenario");
    s.tags = seed_tags(n);
    if (!s.scenario.empty() && s.scenario != "restore-fails" && s.scenario != "incompatible-restore") {
        throw Error(ErrorCode::config, "invalid rds seed: snapshot " + id + " has scenario " + s.scenario,
                    "use restore-fails or incompatible-restore");
    }
    if (auto* plane = plane_for(s.engine)) {
        s.data_db = allocate_db('s', id.starts_with("rds:") ? id.substr(4) : id);
        if (cluster != nullptr && !cluster->data_db.empty()) {
            plane->snapshot_database(cluster->data_db, s.data_db);
        } else {
            plane->create_cluster_database(s.data_db, s.master_username, s.master_password);
        }
    }
    state.snapshots[id] = std::move(s);
}

} // namespace aurora::sandbox::rds
