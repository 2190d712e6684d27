#include "sandbox/rds/rds_service_impl.hpp"

#include "common/redact.hpp"

#include <set>

namespace aurora::sandbox {

std::unique_ptr<Service> make_rds_service(const RdsOptions& options) {
    return std::make_unique<rds::RdsService>(options);
}

} // namespace aurora::sandbox

namespace aurora::sandbox::rds {

namespace {

std::uint64_t fnv(const std::string& s, std::uint64_t h = 1469598103934665603ULL) {
    for (char c : s) {
        h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    }
    return h;
}

} // namespace

RdsService::RdsService(RdsOptions options) : options_(std::move(options)) {
    if (options_.clock == nullptr) {
        options_.clock = &SystemClock::instance();
    }
    // Every effect is listed from the start, so the admin endpoint shows zeros rather than nothing.
    for (const char* effect : {"clusters_created", "clusters_restored", "clusters_cloned", "clusters_deleted",
                               "clusters_renamed", "instances_created", "instances_deleted", "snapshots_created",
                               "snapshots_copied", "snapshots_deleted", "tags_changed", "modifications"}) {
        effects_[effect] = 0;
    }
    handlers_ = {
        {"DescribeDBClusters", &RdsService::describe_clusters},
        {"CreateDBCluster", &RdsService::create_cluster},
        {"ModifyDBCluster", &RdsService::modify_cluster},
        {"DeleteDBCluster", &RdsService::delete_cluster},
        {"RestoreDBClusterFromSnapshot", &RdsService::restore_from_snapshot},
        {"RestoreDBClusterToPointInTime", &RdsService::restore_to_point_in_time},
        {"DescribeDBClusterSnapshots", &RdsService::describe_snapshots},
        {"CreateDBClusterSnapshot", &RdsService::create_snapshot},
        {"CopyDBClusterSnapshot", &RdsService::copy_snapshot},
        {"DeleteDBClusterSnapshot", &RdsService::delete_snapshot},
        {"DescribeDBInstances", &RdsService::describe_instances},
        {"CreateDBInstance", &RdsService::create_instance},
        {"DeleteDBInstance", &RdsService::delete_instance},
        {"AddTagsToResource", &RdsService::add_tags},
        {"ListTagsForResource", &RdsService::list_tags},
        {"RemoveTagsFromResource", &RdsService::remove_tags},
    };
}

Response RdsService::handle(const RequestContext& ctx) {
    auto it = handlers_.find(ctx.action);
    if (it == handlers_.end()) {
        throw ServiceError("InvalidAction", "The action " + ctx.action + " is not valid for this web service.", 400);
    }
    auto now = ctx.now == Clock::WallTime{} ? options_.clock->now() : ctx.now;
    tick(now);
    Call call{ctx, state_for(ctx.account_id, ctx.region), render_context(ctx.account_id, ctx.region, now),
              ctx.params};
    std::string result = (this->*(it->second))(call);
    Response r;
    // Operations without an output shape answer with ResponseMetadata only.
    bool has_result = ctx.action != "AddTagsToResource" && ctx.action != "RemoveTagsFromResource";
    r.body = envelope(ctx.action, result, ctx.request_id, has_result);
    r.headers.set("x-amzn-RequestId", ctx.request_id);
    return r;
}

RegionState& RdsService::state_for(const std::string& account, const std::string& region) {
    return states_[{account, region}];
}

RenderContext RdsService::render_context(const std::string& account, const std::string& region,
                                         Clock::WallTime now) const {
    RenderContext rc{account, region, now, std::nullopt, std::nullopt};
    if (options_.postgres != nullptr) {
        rc.postgres = options_.postgres->endpoint();
    }
    if (options_.mysql != nullptr) {
        rc.mysql = options_.mysql->endpoint();
    }
    return rc;
}

Pending RdsService::make_pending(const std::string& transition, const std::string& key, const std::string& action,
                                 const std::string& status, Clock::WallTime now) const {
    auto base = options_.durations.of(transition);
    double factor = 1.0;
    if (options_.durations.jitter > 0) {
        // Deterministic by seed, transition and resource, independent of request order.
        auto h = fnv(transition + "/" + key, fnv(std::to_string(options_.seed)));
        double unit = static_cast<double>(h % 1000001) / 1000000.0; // [0, 1]
        factor = 1.0 + options_.durations.jitter * (2.0 * unit - 1.0);
    }
    auto ms = std::chrono::milliseconds{static_cast<long long>(static_cast<double>(base.count()) * factor)};
    return Pending{action, status, now, now + ms};
}

DataPlane* RdsService::plane_for(const std::string& engine) const {
    if (engine == "aurora-postgresql") {
        return options_.postgres;
    }
    if (engine == "aurora-mysql") {
        return options_.mysql;
    }
    return nullptr;
}

std::string RdsService::allocate_db(char kind, const std::string& id) const {
    std::set<std::string> used;
    for (const auto& [_, s] : states_) {
        for (const auto& [__, c] : s.clusters) {
            used.insert(c.data_db);
        }
        for (const auto& [__, sn] : s.snapshots) {
            used.insert(sn.data_db);
        }
    }
    auto name = database_name_for(kind, id);
    for (int n = 2; used.contains(name); ++n) {
        // The same identifier in another region or account (a cross-region copy keeps its id).
        name = database_name_for(kind, id + "-" + std::to_string(n));
    }
    return name;
}

std::string RdsService::new_resource_id(const std::string& prefix, const std::string& key) const {
    static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    // Deterministic, yet new for every resource: a recreated identifier gets a new id, as on AWS.
    std::int64_t made = 0;
    for (const auto& [_, n] : effects_) {
        made += n;
    }
    auto h = fnv(key + "/" + std::to_string(made), fnv(std::to_string(options_.seed)));
    std::string out = prefix;
    for (int i = 0; i < 26; ++i) {
        out += alphabet[h % 32];
        h = h / 32 == 0 ? fnv(out) : h / 32;
    }
    return out;
}

namespace {

//! The identifier in an RDS ARN of `kind` in (account, region) ("arn:aws:rds:r:a:cluster:id" → "id"), or
//! the lowercased value when it is no ARN; "" for an ARN of another kind, account or region.
std::string id_from(const std::string& id_or_arn, const std::string& kind, const RenderContext& rc) {
    if (!id_or_arn.starts_with("arn:")) {
        return lower(id_or_arn);
    }
    auto prefix = rds_arn(rc, kind, "");
    return id_or_arn.starts_with(prefix) ? lower(id_or_arn.substr(prefix.size())) : std::string{};
}

} // namespace

Cluster& RdsService::find_cluster(Call& c, const std::string& id_or_arn) {
    auto it = c.state.clusters.find(id_from(id_or_arn, "cluster", c.rc));
    if (it == c.state.clusters.end()) {
        throw fault("DBClusterNotFoundFault", "DBCluster " + id_or_arn + " not found.");
    }
    return it->second;
}

Instance& RdsService::find_instance(Call& c, const std::string& id_or_arn) {
    auto it = c.state.instances.find(id_from(id_or_arn, "db", c.rc));
    if (it == c.state.instances.end()) {
        throw fault("DBInstanceNotFound", "DBInstance " + id_or_arn + " not found.");
    }
    return it->second;
}

Snapshot& RdsService::find_snapshot(Call& c, const std::string& id_or_arn) {
    auto it = c.state.snapshots.find(id_from(id_or_arn, "cluster-snapshot", c.rc));
    if (it == c.state.snapshots.end()) {
        throw fault("DBClusterSnapshotNotFoundFault", "DBClusterSnapshot " + id_or_arn + " not found.");
    }
    return it->second;
}

void RdsService::tick(Clock::WallTime now) {
    for (auto& [_, s] : states_) {
        std::vector<std::string> due;
        for (const auto& [id, sn] : s.snapshots) {
            if (sn.pending && sn.pending->due <= now) {
                due.push_back(id);
            }
        }
        for (const auto& id : due) {
            complete_snapshot(s, id);
        }
        due.clear();
        for (const auto& [id, i] : s.instances) {
            if (i.pending && i.pending->due <= now) {
                due.push_back(id);
            }
        }
        for (const auto& id : due) {
            complete_instance(s, id);
        }
        due.clear();
        for (const auto& [id, c] : s.clusters) {
            if (c.pending && c.pending->due <= now) {
                due.push_back(id);
            }
        }
        for (const auto& id : due) {
            complete_cluster(s, id);
        }
    }
}

void RdsService::complete_cluster(RegionState& s, const std::string& id) {
    auto& c = s.clusters.at(id);
    auto action = c.pending->action;
    if (action == "delete") {
        // Automated backups go with the cluster (DeleteAutomatedBackups defaults to true).
        std::erase_if(s.snapshots, [&](const auto& kv) {
            return kv.second.type == "automated" && kv.second.cluster_id == id;
        });
        s.clusters.erase(id);
        return;
    }
    if (action == "available" && !c.final_status.empty()) {
        c.status = c.final_status;
    } else {
        c.status = c.pending->status;
    }
    if (action == "rename") {
        c.endpoint_id = c.id;
    }
    c.pending_password = false;
    c.pending.reset();
}

void RdsService::complete_instance(RegionState& s, const std::string& id) {
    auto& i = s.instances.at(id);
    if (i.pending->action == "delete") {
        if (auto it = s.clusters.find(i.cluster_id); it != s.clusters.end()) {
            std::erase(it->second.members, id);
        }
        s.instances.erase(id);
        return;
    }
    i.status = i.pending->status;
    i.pending.reset();
}

void RdsService::complete_snapshot(RegionState& s, const std::string& id) {
    auto& sn = s.snapshots.at(id);
    sn.status = sn.pending->status;
    sn.pending.reset();
}

nlohmann::json RdsService::save_state() const {
    nlohmann::json regions = nlohmann::json::array();
    for (const auto& [key, s] : states_) {
        regions.push_back({{"account", key.first}, {"region", key.second}, {"state", to_json(s)}});
    }
    return {{"version", 1}, {"regions", regions}, {"effects", effects_}};
}

void RdsService::load_state(const nlohmann::json& state) {
    std::map<std::pair<std::string, std::string>, RegionState> loaded;
    for (const auto& r : state.at("regions")) {
        auto& rs = loaded[{r.at("account").get<std::string>(), r.at("region").get<std::string>()}];
        rs = region_from_json(r.at("state"));
        for (const auto& [_, c] : rs.clusters) {
            if (!c.master_password.empty()) {
                register_secret(c.master_password);
            }
        }
    }
    for (const auto& [effect, n] : state.value("effects", std::map<std::string, std::int64_t>{})) {
        effects_[effect] = n;
    }
    states_ = std::move(loaded);
}

} // namespace aurora::sandbox::rds
