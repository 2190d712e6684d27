// Steps before the first mutating call: validate, the target lock, snapshot selection, the target check;
// then the snapshot copy.
#include "pipeline/steps/source_steps.hpp"

#include "aws/arn.hpp"
#include "common/error.hpp"
#include "common/redact.hpp"

#include <algorithm>

namespace aurora::pipeline::steps {
namespace {

using aws::rds::DbClusterSnapshot;

std::string iso(Clock::WallTime t) { return format_iso8601(t); }

json snapshot_json(const DbClusterSnapshot& s) {
    return {{"identifier", s.identifier}, {"arn", s.arn}, {"cluster", s.cluster_identifier},
            {"status", s.status}, {"type", s.snapshot_type}, {"engine", s.engine},
            {"engine_version", s.engine_version}, {"encrypted", s.storage_encrypted}, {"kms_key_id", s.kms_key_id},
            {"allocated_storage_gib", s.allocated_storage}, {"port", s.port}, {"master_username", s.master_username},
            {"created_at", s.create_time ? iso(*s.create_time) : ""}};
}

bool tags_match(const DbClusterSnapshot& s, const std::map<std::string, std::string>& wanted) {
    const auto have = tag_map(s.tags);
    return std::all_of(wanted.begin(), wanted.end(), [&](const auto& kv) {
        const auto it = have.find(kv.first);
        return it != have.end() && it->second == kv.second;
    });
}

std::string list_hint(const Step& s) {
    return "list them with: aws rds describe-db-cluster-snapshots --db-cluster-identifier " +
           (s.request.source.cluster.empty() ? std::string("CLUSTER") : s.request.source.cluster) + " --region " +
           s.request.source.region;
}

DbClusterSnapshot select_latest(const Step& s) {
    const auto& src = s.request.source;
    aws::rds::DescribeDbClusterSnapshotsRequest req;
    req.cluster_identifier = src.cluster;
    if (src.selector == SnapshotSelector::latest_automated) req.snapshot_type = "automated";
    if (src.selector == SnapshotSelector::latest_manual) req.snapshot_type = "manual";
    const auto all = s.source_rds().describe_all_db_cluster_snapshots(req);
    std::optional<DbClusterSnapshot> best;
    std::size_t tagged = 0;
    for (const auto& snap : all) {
        if (!tags_match(snap, src.snapshot_tags)) continue;
        ++tagged;
        if (snap.status != "available") continue;
        if (!best || snap.create_time.value_or(Clock::WallTime{}) > best->create_time.value_or(Clock::WallTime{})) {
            best = snap;
        }
    }
    if (best) return *best;
    const std::string what = "no available " + (src.selector == SnapshotSelector::latest ? std::string() : to_string(src.selector) + " ") +
                             "snapshot of cluster '" + src.cluster + "' in " + src.region +
                             (src.snapshot_tags.empty() ? "" : " with the requested snapshot_tags");
    if (tagged > 0) {
        throw Error(ErrorCode::snapshot_not_found, what + ": " + std::to_string(tagged) + " exist but none is available yet",
                    "wait for the snapshot to become available, then run the restore again");
    }
    throw Error(ErrorCode::snapshot_not_found, what, "check source.cluster and source.region; " + list_hint(s));
}

} // namespace

json validate(Step& s) {
    const CallerIdentity who = s.env.caller_identity();
    if (!s.request.notify.webhook_url.empty()) register_secret(s.request.notify.webhook_url);
    s.env.store->append_audit({s.restore_id, "user=" + s.env.local_user + " aws=" + who.arn, "restore.started",
                               {{"request", s.request.normalized}, {"caller_account", who.account}}});
    return {{"account", who.account}, {"caller_arn", who.arn}, {"user", s.env.local_user}, {"at", iso(s.now())}};
}

json acquire_lock(Step& s) {
    const auto name = target_lock_name(s.account(), s.request.target.region, s.request.target.cluster);
    const auto ttl = std::chrono::duration_cast<std::chrono::milliseconds>(s.env.lock_ttl);
    if (s.env.store->acquire_lock(name, s.restore_id, ttl)) {
        return {{"lock", name}, {"at", iso(s.now())}};
    }
    const auto holder = s.env.store->lock_holder(name);
    const std::string owner = holder ? holder->owner : "another restore";
    throw Error(ErrorCode::locked,
                "target cluster '" + s.request.target.cluster + "' in " + s.request.target.region +
                    " is being restored by restore " + owner,
                "wait for it to finish, or cancel it with: aurora-restore cancel " + owner,
                {{"lock", name}, {"holder", owner}});
}

json release_lock(Step& s) {
    const auto name = target_lock_name(s.account(), s.request.target.region, s.request.target.cluster);
    return {{"lock", name}, {"released", s.env.store->release_lock(name, s.restore_id)}, {"at", iso(s.now())}};
}

json snapshot_check(Step& s) {
    const auto& src = s.request.source;
    DbClusterSnapshot snap;
    if (src.method == SourceMethod::clone) {
        const auto cluster = s.source_rds().find_db_cluster(src.cluster);
        if (!cluster) {
            throw Error(ErrorCode::cluster_not_found, "source cluster '" + src.cluster + "' not found in " + src.region,
                        "a clone needs an existing source cluster; check source.cluster and source.region");
        }
        return {{"clone_of", cluster->identifier}, {"engine", cluster->engine}, {"engine_version", cluster->engine_version},
                {"encrypted", cluster->storage_encrypted}, {"kms_key_id", cluster->kms_key_id},
                {"needs_copy", false}, {"at", iso(s.now())}};
    }
    if (src.selector == SnapshotSelector::id || src.selector == SnapshotSelector::arn) {
        auto found = s.source_rds().find_db_cluster_snapshot(src.snapshot);
        if (!found) {
            throw Error(ErrorCode::snapshot_not_found, "snapshot '" + src.snapshot + "' not found in " + src.region,
                        "check source.snapshot and source.region; " + list_hint(s));
        }
        snap = *found;
        if (snap.status != "available") {
            throw Error(ErrorCode::invalid_state,
                        "snapshot '" + snap.identifier + "' is '" + snap.status + "', not 'available'",
                        "wait until it is available, then run the restore again");
        }
    } else {
        snap = select_latest(s);
    }
    if (snap.engine != "aurora-postgresql" && snap.engine != "aurora-mysql") {
        throw Error(ErrorCode::invalid_request, "snapshot '" + snap.identifier + "' is of engine '" + snap.engine +
                    "': only aurora-postgresql and aurora-mysql are supported");
    }
    const auto arn = aws::parse_arn(snap.arn);
    const std::string snap_account = arn ? arn->account : s.account();
    const bool cross_region = s.request.target.region != src.region;
    const bool cross_account = !snap_account.empty() && snap_account != s.account();
    const bool needs_copy = cross_region || cross_account;
    if (needs_copy && snap.storage_encrypted && s.request.target.kms_key_id.empty()) {
        throw Error(ErrorCode::invalid_request,
                    "snapshot '" + snap.identifier + "' is encrypted: copying it to " + s.request.target.region +
                        " needs target.kms_key_id",
                    "name a KMS key in " + s.request.target.region + " (an id, alias/NAME or key ARN)");
    }
    json out = snapshot_json(snap);
    out["needs_copy"] = needs_copy;
    out["account"] = snap_account;
    out["at"] = iso(s.now());
    return out;
}

json check_target(Step& s) {
    auto& rds = s.target_rds();
    const auto& t = s.request.target;
    const auto& g = s.request.guardrails;
    json out = {{"target_exists", false}, {"at", iso(s.now())}};
    // A cluster under one of this restore's own names is a clash (the names carry the restore id), unless
    // this very restore made it.
    for (const auto& name : {s.names.restore_cluster, s.names.retired_cluster}) {
        if (name == t.cluster) continue;
        const auto c = rds.find_db_cluster(name);
        if (c && !owned_by(cluster_tags(rds, *c), s.restore_id)) {
            throw Error(ErrorCode::already_exists, "cluster '" + name + "' already exists in " + t.region +
                        " and was not created by restore " + s.restore_id, "rename or delete it, or start a new restore");
        }
    }
    const auto target = rds.find_db_cluster(t.cluster);
    if (!target) return out;
    const auto tags = cluster_tags(rds, *target);
    const auto facts = facts_of(*target, tags, t.region, s.account());
    check_not_source(s.request.source.cluster, s.request.source.region,
                     s.result("snapshot_check").value("account", s.account()), facts);
    out["target_exists"] = true;
    out["target_arn"] = target->arn;
    out["target_status"] = target->status;
    out["deletion_protection"] = target->deletion_protection;
    if (owned_by(tags, s.restore_id)) {
        out["owned_by_this_restore"] = true; // a re-run after this restore already created it
        return out;
    }
    switch (t.mode) {
    case Mode::create_new:
        throw Error(ErrorCode::already_exists, "target cluster '" + t.cluster + "' already exists in " + t.region,
                    "use target.mode replace or swap to refresh it, or choose another target.cluster");
    case Mode::replace:
        check_action(g, GuardedAction::delete_cluster, facts);
        if (target->deletion_protection) check_action(g, GuardedAction::disable_deletion_protection, facts);
        break;
    case Mode::swap:
        check_action(g, GuardedAction::rename_cluster, facts);
        if (t.retired == RetiredAction::remove) {
            check_action(g, GuardedAction::delete_cluster, facts);
            if (target->deletion_protection) check_action(g, GuardedAction::disable_deletion_protection, facts);
        }
        break;
    }
    return out;
}

json copy_snapshot(Step& s) {
    auto& rds = s.target_rds();
    const auto& snap = s.result("snapshot_check");
    const auto mine = [&](const DbClusterSnapshot& c) {
        return owned_by(c.tags.empty() && !c.arn.empty() ? rds.list_tags_for_resource(c.arn) : c.tags, s.restore_id);
    };
    if (const auto existing = rds.find_db_cluster_snapshot(s.names.snapshot_copy)) {
        if (!mine(*existing)) {
            throw Error(ErrorCode::already_exists, "snapshot '" + s.names.snapshot_copy + "' already exists in " +
                        s.request.target.region + " and was not made by restore " + s.restore_id);
        }
        return {{"identifier", existing->identifier}, {"arn", existing->arn}, {"reused", true}, {"at", iso(s.now())}};
    }
    aws::rds::CopyDbClusterSnapshotRequest req;
    req.source_identifier = snap.at("arn").get<std::string>();
    req.target_identifier = s.names.snapshot_copy;
    req.kms_key_id = s.request.target.kms_key_id;
    req.tags = to_tags(ownership_tags(s.request, s.restore_id));
    if (s.request.source.region != s.request.target.region) req.source_region = s.request.source.region;
    try {
        const auto copy = rds.copy_db_cluster_snapshot(req);
        return {{"identifier", copy.identifier}, {"arn", copy.arn}, {"reused", false}, {"at", iso(s.now())}};
    } catch (const Error& e) {
        // A lost response to our own earlier call: the copy exists now; find it and check it is ours.
        if (e.code() != ErrorCode::already_exists) throw;
        const auto existing = rds.find_db_cluster_snapshot(s.names.snapshot_copy);
        if (!existing || !mine(*existing)) throw;
        return {{"identifier", existing->identifier}, {"arn", existing->arn}, {"reused", true}, {"at", iso(s.now())}};
    }
}

json wait_snapshot_copy(Step& s) {
    const auto copy = s.target_rds().find_db_cluster_snapshot(s.names.snapshot_copy);
    if (!copy) {
        throw Error(ErrorCode::resource_failed, "snapshot copy '" + s.names.snapshot_copy + "' disappeared from " +
                    s.request.target.region);
    }
    if (copy->status == "available") {
        return {{"identifier", copy->identifier}, {"arn", copy->arn}, {"at", iso(s.now())}};
    }
    if (is_failed_status(copy->status) || copy->status == "error") {
        throw Error(ErrorCode::resource_failed, "snapshot copy '" + copy->identifier + "' ended in status '" + copy->status + "'",
                    "check the KMS key policy in " + s.request.target.region + " and the source snapshot");
    }
    not_ready("snapshot copy '" + copy->identifier + "' is " + copy->status + " (" + std::to_string(copy->percent_progress) + "%)");
}

} // namespace aurora::pipeline::steps
