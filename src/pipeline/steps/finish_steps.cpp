#include "pipeline/steps/finish_steps.hpp"

#include "common/error.hpp"
#include "common/redact.hpp"

#include <array>

namespace aurora::pipeline::steps {
namespace {

std::string iso(Clock::WallTime t) { return format_iso8601(t); }

//! The steps in the order the state machine runs them, for the per-step durations.
constexpr std::array kStepOrder = {"validate", "acquire_lock", "snapshot_check", "check_target", "copy_snapshot",
                                   "wait_snapshot_copy", "prepare_target", "wait_target_prepared",
                                   "restore_cluster", "wait_cluster", "create_instances", "wait_instances", "swap",
                                   "set_master_password", "wait_master_password", "database_setup", "finalize",
                                   "archive_snapshot", "cleanup"};

notify::Notification build(const Step& s, bool succeeded) {
    notify::Notification n;
    n.restore_id = s.restore_id;
    n.succeeded = succeeded;
    const auto& src = s.request.source;
    const auto& snap = s.result("snapshot_check");
    n.source = (src.cluster.empty() ? std::string("snapshot") : src.cluster) + " (" + src.region + ")";
    if (snap.contains("identifier")) n.source += " snapshot " + snap["identifier"].get<std::string>();
    n.target = s.request.target.cluster + " (" + s.request.target.region + ", " + to_string(s.request.target.mode) + ")";
    const auto& cluster = s.result("wait_cluster");
    if (succeeded && !cluster.empty()) {
        std::string endpoint = s.result("swap").value("endpoint", cluster.value("endpoint", ""));
        if (!endpoint.empty()) n.endpoint = endpoint + ":" + std::to_string(cluster.value("port", 0));
    }
    std::optional<Clock::WallTime> prev;
    std::optional<Clock::WallTime> first;
    for (const char* step : kStepOrder) {
        const auto& r = s.result(step);
        if (!r.contains("at")) continue;
        const auto at = parse_iso8601(r["at"].get<std::string>());
        if (prev) n.step_seconds.emplace_back(step, std::chrono::duration<double>(at - *prev).count());
        if (!first) first = at;
        prev = at;
    }
    if (first) n.total_seconds = std::chrono::duration<double>(s.now() - *first).count();
    if (!succeeded) {
        const auto err = s.ctx.value("error", nlohmann::json::object());
        n.error = err.value("Error", "");
        std::string cause = err.value("Cause", "");
        // Lambda errors arrive as {"errorMessage": …, "errorType": …}.
        const auto j = nlohmann::json::parse(cause, nullptr, false);
        if (j.is_object() && j.contains("errorMessage")) cause = j["errorMessage"].get<std::string>();
        n.cause = redact(cause);
    }
    return n;
}

json send(Step& s, bool succeeded) {
    const auto n = build(s, succeeded);
    const auto report = notify::send_all(n, s.env.channels(s.request.notify));
    return {{"deliveries", report}, {"at", iso(s.now())}};
}

} // namespace

json archive_snapshot(Step& s) {
    const auto& snap = s.result("snapshot_check");
    if (!snap.value("needs_copy", false)) {
        return {{"action", "none"}, {"note", "no copy was made; the source snapshot is never touched"}, {"at", iso(s.now())}};
    }
    auto& rds = s.target_rds();
    const auto copy = rds.find_db_cluster_snapshot(s.names.snapshot_copy);
    if (!copy) return {{"action", "none"}, {"at", iso(s.now())}};
    if (s.request.archive.snapshot == ArchiveAction::retain) {
        const auto expires = s.now() + std::chrono::hours(24) * s.request.archive.retain_days;
        rds.add_tags_to_resource(copy->arn, {{"aurora-restore:expires-at", format_iso8601(expires)}});
        return {{"action", "retain"}, {"snapshot", copy->identifier}, {"expires_at", format_iso8601(expires)},
                {"at", iso(s.now())}};
    }
    try {
        rds.delete_db_cluster_snapshot(copy->identifier);
    } catch (const Error& e) {
        if (e.code() != ErrorCode::snapshot_not_found) throw;
    }
    return {{"action", "delete"}, {"snapshot", copy->identifier}, {"at", iso(s.now())}};
}

json notify_success(Step& s) { return send(s, true); }
json notify_failure(Step& s) { return send(s, false); }

json cleanup(Step& s) {
    auto& rds = s.target_rds();
    const auto& T = s.request.target.cluster;
    const auto& N = s.names.restore_cluster;
    const auto& R = s.names.retired_cluster;
    const auto mine = [&](const std::string& id) {
        const auto c = rds.find_db_cluster(id);
        return c && owned_by(cluster_tags(rds, *c), s.restore_id);
    };
    json out = {{"deleted", json::array()}, {"reverted", false}};
    // 1. A swap that got as far as retiring the old target: put the old cluster back under its name.
    if (s.request.target.mode == Mode::swap) {
        if (const auto r = rds.find_db_cluster(R)) {
            if (mine(T)) {
                if (!converge_cluster_deleted(rds, T)) not_ready("deleting this restore's cluster '" + T + "' before reverting the swap");
                out["deleted"].push_back(T);
            }
            if (r->status != "available") not_ready("old cluster '" + R + "' is " + r->status);
            aws::rds::ModifyDbClusterRequest m;
            m.cluster_identifier = R;
            m.new_cluster_identifier = T;
            m.apply_immediately = true;
            rds.modify_db_cluster(m);
            not_ready("renaming the old cluster '" + R + "' back to '" + T + "'");
        }
        if (const auto t = rds.find_db_cluster(T); t && !mine(T) && t->status != "available") {
            not_ready("old cluster '" + T + "' is " + t->status + " after the revert");
        }
    }
    // 2. The cluster this restore created (its instances go first), only when it carries our tag.
    if (mine(N)) {
        if (!converge_cluster_deleted(rds, N)) not_ready("deleting this restore's cluster '" + N + "'");
        out["deleted"].push_back(N);
    }
    // 3. The intermediate snapshot copy.
    if (const auto copy = rds.find_db_cluster_snapshot(s.names.snapshot_copy)) {
        const auto tags = copy->tags.empty() && !copy->arn.empty() ? rds.list_tags_for_resource(copy->arn) : copy->tags;
        if (owned_by(tags, s.restore_id)) {
            if (copy->status != "available" && copy->status != "deleting") not_ready("snapshot copy is " + copy->status);
            try {
                rds.delete_db_cluster_snapshot(copy->identifier);
            } catch (const Error& e) {
                if (e.code() != ErrorCode::snapshot_not_found) throw;
            }
            out["deleted"].push_back(copy->identifier);
        }
    }
    out["reverted"] = s.request.target.mode == Mode::swap;
    out["at"] = iso(s.now());
    return out;
}

} // namespace aurora::pipeline::steps
