#include "pipeline/steps/step_support.hpp"

#include "common/error.hpp"

namespace aurora::pipeline::steps {

const json& Step::result(const std::string& step_name) const {
    // An empty object, not null, for a step that has not run (or was skipped by a Choice): callers read
    // members with value(key, default), which throws on null.
    static const json kNone = json::object();
    const auto r = ctx.find("results");
    if (r == ctx.end() || !r->is_object()) return kNone;
    const auto s = r->find(step_name);
    if (s == r->end() || !s->is_object() || !s->contains("value") || !(*s)["value"].is_object()) return kNone;
    return (*s)["value"];
}

std::string Step::account() const {
    const auto& v = result("validate");
    return v.is_object() ? v.value("account", "") : "";
}

std::string Step::restore_snapshot() const {
    // Identifiers where they suffice (the copy, or a snapshot of the caller's own account in the target
    // region): every RDS-compatible endpoint accepts them. ARNs only for another account's shared snapshot.
    const auto& copy = result("wait_snapshot_copy");
    if (copy.contains("identifier")) return copy["identifier"].get<std::string>();
    const auto& snap = result("snapshot_check");
    if (snap.empty()) {
        throw Error(ErrorCode::internal, "restore " + restore_id + ": no snapshot was selected before the restore step");
    }
    const std::string owner = snap.value("account", "");
    if (owner.empty() || owner == account()) return snap.value("identifier", "");
    return snap.value("arn", "");
}

Step make_step(const json& ctx, PipelineEnv& env) {
    const std::string id = ctx.value("restore_id", "");
    if (!is_restore_id(id)) {
        throw Error(ErrorCode::invalid_request, "execution input has no valid restore_id ('" + id + "')",
                    "start restores with aurora-restore restore, which assigns one");
    }
    Step s{ctx, env, id, parse_request(ctx.at("request")), {}};
    s.names = derive_names(s.request, id);
    return s;
}

void not_ready(const std::string& what) { throw Error(ErrorCode::not_ready, what); }

std::map<std::string, std::string> tag_map(const aws::rds::Tags& tags) {
    std::map<std::string, std::string> m;
    for (const auto& t : tags) m[t.key] = t.value;
    return m;
}

aws::rds::Tags to_tags(const std::map<std::string, std::string>& tags) {
    aws::rds::Tags out;
    for (const auto& [k, v] : tags) out.push_back({k, v});
    return out;
}

bool owned_by(const aws::rds::Tags& tags, const std::string& restore_id) {
    const auto m = tag_map(tags);
    const auto it = m.find(kRestoreIdTag);
    return it != m.end() && it->second == restore_id;
}

aws::rds::Tags cluster_tags(aws::rds::RdsClient& rds, const aws::rds::DbCluster& cluster) {
    if (!cluster.tags.empty() || cluster.arn.empty()) return cluster.tags;
    return rds.list_tags_for_resource(cluster.arn);
}

ClusterFacts facts_of(const aws::rds::DbCluster& cluster, const aws::rds::Tags& tags, const std::string& region,
                      const std::string& account) {
    return ClusterFacts{cluster.identifier, region, account, cluster.deletion_protection, tag_map(tags)};
}

bool is_failed_status(const std::string& status) {
    return status == "failed" || status == "incompatible-restore" || status == "incompatible-parameters" ||
           status == "incompatible-network" || status == "inaccessible-encryption-credentials" ||
           status == "inaccessible-encryption-credentials-recoverable" || status == "storage-full" ||
           status == "incompatible-option-group" || status == "restore-error";
}

std::size_t delete_members(aws::rds::RdsClient& rds, const aws::rds::DbCluster& cluster) {
    for (const auto& m : cluster.members) {
        const auto inst = rds.find_db_instance(m.instance_identifier);
        if (!inst || inst->status == "deleting") continue;
        try {
            rds.delete_db_instance({m.instance_identifier, std::nullopt, std::nullopt});
        } catch (const Error& e) {
            // Lost race with another deletion: the instance is gone or going, which is what we want.
            if (e.code() != ErrorCode::instance_not_found && e.code() != ErrorCode::invalid_state) throw;
        }
    }
    return cluster.members.size();
}

bool converge_cluster_deleted(aws::rds::RdsClient& rds, const std::string& id) {
    const auto cluster = rds.find_db_cluster(id);
    if (!cluster) return true;
    if (cluster->status == "deleting") return false;
    if (delete_members(rds, *cluster) > 0) return false;
    try {
        rds.delete_db_cluster({id, true, "", std::nullopt});
    } catch (const Error& e) {
        if (e.code() == ErrorCode::cluster_not_found) return true;
        // Members still leaving, or a deletion already under way: try again on the next poll. RDS answers
        // InvalidParameterCombination while deletion protection (already turned off by us) is still on.
        const bool protection_pending = e.code() == ErrorCode::invalid_parameter && cluster->deletion_protection;
        if (e.code() != ErrorCode::invalid_state && !protection_pending) throw;
    }
    return false;
}

} // namespace aurora::pipeline::steps
