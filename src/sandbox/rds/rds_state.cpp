#include "sandbox/rds/rds_state.hpp"

namespace aurora::sandbox::rds {

using nlohmann::json;

std::int64_t to_millis(Clock::WallTime t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

Clock::WallTime from_millis(std::int64_t ms) {
    return Clock::WallTime{std::chrono::duration_cast<Clock::WallTime::duration>(std::chrono::milliseconds{ms})};
}

namespace {

json tags_json(const Tags& tags) {
    json out = json::array();
    for (const auto& [k, v] : tags) {
        out.push_back(json::array({k, v}));
    }
    return out;
}

Tags tags_from(const json& j) {
    Tags out;
    for (const auto& t : j) {
        out.emplace_back(t.at(0).get<std::string>(), t.at(1).get<std::string>());
    }
    return out;
}

json pending_json(const std::optional<Pending>& p) {
    if (!p) {
        return nullptr;
    }
    return json{{"action", p->action}, {"status", p->status}, {"started", to_millis(p->started)},
                {"due", to_millis(p->due)}};
}

std::optional<Pending> pending_from(const json& j) {
    if (j.is_null()) {
        return std::nullopt;
    }
    return Pending{j.at("action").get<std::string>(), j.at("status").get<std::string>(),
                   from_millis(j.at("started").get<std::int64_t>()), from_millis(j.at("due").get<std::int64_t>())};
}

json cluster_json(const Cluster& c) {
    json j{{"id", c.id},
           {"engine", c.engine},
           {"engine_version", c.engine_version},
           {"status", c.status},
           {"master_username", c.master_username},
           {"master_password", c.master_password},
           {"database_name", c.database_name},
           {"data_db", c.data_db},
           {"resource_id", c.resource_id},
           {"clone_group_id", c.clone_group_id},
           {"subnet_group", c.subnet_group},
           {"parameter_group", c.parameter_group},
           {"security_groups", c.security_groups},
           {"kms_key_id", c.kms_key_id},
           {"storage_encrypted", c.storage_encrypted},
           {"deletion_protection", c.deletion_protection},
           {"copy_tags_to_snapshot", c.copy_tags_to_snapshot},
           {"port", c.port},
           {"members", c.members},
           {"tags", tags_json(c.tags)},
           {"created", to_millis(c.created)},
           {"endpoint_id", c.endpoint_id},
           {"pending_password", c.pending_password},
           {"managed_secret_arn", c.managed_secret_arn},
           {"pending_new_id", c.pending_new_id},
           {"final_status", c.final_status},
           {"pending", pending_json(c.pending)}};
    if (c.serverless_v2) {
        j["serverless_v2"] = {c.serverless_v2->min_capacity, c.serverless_v2->max_capacity};
    }
    return j;
}

Cluster cluster_from(const json& j) {
    Cluster c;
    c.id = j.at("id").get<std::string>();
    c.engine = j.at("engine").get<std::string>();
    c.engine_version = j.at("engine_version").get<std::string>();
    c.status = j.at("status").get<std::string>();
    c.master_username = j.at("master_username").get<std::string>();
    c.master_password = j.at("master_password").get<std::string>();
    c.database_name = j.at("database_name").get<std::string>();
    c.data_db = j.at("data_db").get<std::string>();
    c.resource_id = j.at("resource_id").get<std::string>();
    c.clone_group_id = j.at("clone_group_id").get<std::string>();
    c.subnet_group = j.at("subnet_group").get<std::string>();
    c.parameter_group = j.at("parameter_group").get<std::string>();
    c.security_groups = j.at("security_groups").get<std::vector<std::string>>();
    c.kms_key_id = j.at("kms_key_id").get<std::string>();
    c.storage_encrypted = j.at("storage_encrypted").get<bool>();
    c.deletion_protection = j.at("deletion_protection").get<bool>();
    c.copy_tags_to_snapshot = j.at("copy_tags_to_snapshot").get<bool>();
    c.port = j.at("port").get<int>();
    c.members = j.at("members").get<std::vector<std::string>>();
    c.tags = tags_from(j.at("tags"));
    c.created = from_millis(j.at("created").get<std::int64_t>());
    c.endpoint_id = j.at("endpoint_id").get<std::string>();
    c.pending_password = j.at("pending_password").get<bool>();
    c.managed_secret_arn = j.value("managed_secret_arn", std::string{});
    c.pending_new_id = j.at("pending_new_id").get<std::string>();
    c.final_status = j.at("final_status").get<std::string>();
    c.pending = pending_from(j.at("pending"));
    if (j.contains("serverless_v2")) {
        c.serverless_v2 = ScalingV2{j["serverless_v2"].at(0).get<double>(), j["serverless_v2"].at(1).get<double>()};
    }
    return c;
}

json instance_json(const Instance& i) {
    return json{{"id", i.id},
                {"cluster_id", i.cluster_id},
                {"instance_class", i.instance_class},
                {"engine", i.engine},
                {"engine_version", i.engine_version},
                {"status", i.status},
                {"resource_id", i.resource_id},
                {"promotion_tier", i.promotion_tier},
                {"publicly_accessible", i.publicly_accessible},
                {"tags", tags_json(i.tags)},
                {"created", to_millis(i.created)},
                {"pending", pending_json(i.pending)}};
}

Instance instance_from(const json& j) {
    Instance i;
    i.id = j.at("id").get<std::string>();
    i.cluster_id = j.at("cluster_id").get<std::string>();
    i.instance_class = j.at("instance_class").get<std::string>();
    i.engine = j.at("engine").get<std::string>();
    i.engine_version = j.at("engine_version").get<std::string>();
    i.status = j.at("status").get<std::string>();
    i.resource_id = j.at("resource_id").get<std::string>();
    i.promotion_tier = j.at("promotion_tier").get<int>();
    i.publicly_accessible = j.at("publicly_accessible").get<bool>();
    i.tags = tags_from(j.at("tags"));
    i.created = from_millis(j.at("created").get<std::int64_t>());
    i.pending = pending_from(j.at("pending"));
    return i;
}

json snapshot_json(const Snapshot& s) {
    return json{{"id", s.id},
                {"cluster_id", s.cluster_id},
                {"type", s.type},
                {"status", s.status},
                {"engine", s.engine},
                {"engine_version", s.engine_version},
                {"master_username", s.master_username},
                {"master_password", s.master_password},
                {"data_db", s.data_db},
                {"kms_key_id", s.kms_key_id},
                {"source_arn", s.source_arn},
                {"resource_id", s.resource_id},
                {"scenario", s.scenario},
                {"storage_encrypted", s.storage_encrypted},
                {"port", s.port},
                {"allocated_storage", s.allocated_storage},
                {"tags", tags_json(s.tags)},
                {"created", to_millis(s.created)},
                {"cluster_created", to_millis(s.cluster_created)},
                {"pending", pending_json(s.pending)}};
}

Snapshot snapshot_from(const json& j) {
    Snapshot s;
    s.id = j.at("id").get<std::string>();
    s.cluster_id = j.at("cluster_id").get<std::string>();
    s.type = j.at("type").get<std::string>();
    s.status = j.at("status").get<std::string>();
    s.engine = j.at("engine").get<std::string>();
    s.engine_version = j.at("engine_version").get<std::string>();
    s.master_username = j.at("master_username").get<std::string>();
    s.master_password = j.at("master_password").get<std::string>();
    s.data_db = j.at("data_db").get<std::string>();
    s.kms_key_id = j.at("kms_key_id").get<std::string>();
    s.source_arn = j.at("source_arn").get<std::string>();
    s.resource_id = j.at("resource_id").get<std::string>();
    s.scenario = j.at("scenario").get<std::string>();
    s.storage_encrypted = j.at("storage_encrypted").get<bool>();
    s.port = j.at("port").get<int>();
    s.allocated_storage = j.at("allocated_storage").get<int>();
    s.tags = tags_from(j.at("tags"));
    s.created = from_millis(j.at("created").get<std::int64_t>());
    s.cluster_created = from_millis(j.at("cluster_created").get<std::int64_t>());
    s.pending = pending_from(j.at("pending"));
    return s;
}

} // namespace

json to_json(const RegionState& state) {
    json clusters = json::array();
    for (const auto& [_, c] : state.clusters) {
        clusters.push_back(cluster_json(c));
    }
    json instances = json::array();
    for (const auto& [_, i] : state.instances) {
        instances.push_back(instance_json(i));
    }
    json snapshots = json::array();
    for (const auto& [_, s] : state.snapshots) {
        snapshots.push_back(snapshot_json(s));
    }
    return json{{"clusters", clusters}, {"instances", instances}, {"snapshots", snapshots}};
}

RegionState region_from_json(const json& j) {
    RegionState state;
    for (const auto& c : j.at("clusters")) {
        auto cluster = cluster_from(c);
        state.clusters.emplace(cluster.id, std::move(cluster));
    }
    for (const auto& i : j.at("instances")) {
        auto instance = instance_from(i);
        state.instances.emplace(instance.id, std::move(instance));
    }
    for (const auto& s : j.at("snapshots")) {
        auto snapshot = snapshot_from(s);
        state.snapshots.emplace(snapshot.id, std::move(snapshot));
    }
    return state;
}

} // namespace aurora::sandbox::rds
