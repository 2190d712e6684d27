#include "pipeline/steps/cluster_steps.hpp"

#include "common/error.hpp"

namespace aurora::pipeline::steps {
namespace {

using aws::rds::DbCluster;

std::string iso(Clock::WallTime t) { return format_iso8601(t); }

std::optional<aws::rds::ServerlessV2Scaling> scaling(const RestoreRequest& r) {
    if (!r.target.instances.serverless_v2) return std::nullopt;
    return aws::rds::ServerlessV2Scaling{r.target.instances.serverless_v2->min_capacity,
                                         r.target.instances.serverless_v2->max_capacity};
}

json cluster_json(const DbCluster& c) {
    return {{"identifier", c.identifier}, {"arn", c.arn}, {"status", c.status}, {"engine", c.engine},
            {"engine_version", c.engine_version}, {"endpoint", c.endpoint}, {"reader_endpoint", c.reader_endpoint},
            {"port", c.port.value_or(0)}, {"master_username", c.master_username}};
}

//! The old target of a replace, when there is one this restore must remove.
bool replacing(const Step& s) {
    const auto& t = s.result("check_target");
    return s.request.target.mode == Mode::replace && t.value("target_exists", false) &&
           !t.value("owned_by_this_restore", false);
}

void guard(const Step& s, GuardedAction action, const DbCluster& c) {
    // Re-checked right before acting: the cluster may have been tagged protected since check_target.
    auto& rds = s.target_rds();
    check_action(s.request.guardrails, action, facts_of(c, cluster_tags(rds, c), s.request.target.region, s.account()));
}

json restored(Step& s, const DbCluster& c, bool reused) {
    json out = cluster_json(c);
    out["reused"] = reused;
    out["at"] = iso(s.now());
    return out;
}

DbCluster start_restore(Step& s) {
    auto& rds = s.target_rds();
    const auto& t = s.request.target;
    const auto tags = to_tags(ownership_tags(s.request, s.restore_id));
    std::optional<std::int64_t> port;
    if (t.port) port = *t.port;
    if (s.request.source.method == SourceMethod::clone) {
        aws::rds::RestoreDbClusterToPointInTimeRequest req;
        req.cluster_identifier = s.names.restore_cluster;
        req.source_cluster_identifier = s.request.source.cluster;
        req.restore_type = "copy-on-write";
        req.use_latest_restorable_time = true;
        req.port = port;
        req.db_subnet_group_name = t.db_subnet_group;
        req.vpc_security_group_ids = t.vpc_security_group_ids;
        req.db_cluster_parameter_group_name = t.db_cluster_parameter_group;
        req.deletion_protection = false; // turned on in finalize, so a failed run can be cleaned up
        req.copy_tags_to_snapshot = true;
        req.serverless_v2 = scaling(s.request);
        req.tags = tags;
        return rds.restore_db_cluster_to_point_in_time(req);
    }
    const auto& snap = s.result("snapshot_check");
    aws::rds::RestoreDbClusterFromSnapshotRequest req;
    req.cluster_identifier = s.names.restore_cluster;
    req.snapshot_identifier = s.restore_snapshot();
    req.engine = snap.at("engine").get<std::string>();
    req.engine_version = t.engine_version;
    req.port = port;
    req.db_subnet_group_name = t.db_subnet_group;
    req.vpc_security_group_ids = t.vpc_security_group_ids;
    req.db_cluster_parameter_group_name = t.db_cluster_parameter_group;
    req.kms_key_id = t.kms_key_id; // re-encrypts at restore time when it differs from the snapshot's key
    req.deletion_protection = false;
    req.copy_tags_to_snapshot = true;
    req.serverless_v2 = scaling(s.request);
    req.tags = tags;
    return rds.restore_db_cluster_from_snapshot(req);
}

} // namespace

json prepare_target(Step& s) {
    if (!replacing(s)) return {{"action", "none"}, {"at", iso(s.now())}};
    auto& rds = s.target_rds();
    const auto target = rds.find_db_cluster(s.request.target.cluster);
    if (!target) return {{"action", "none"}, {"note", "target already gone"}, {"at", iso(s.now())}};
    guard(s, GuardedAction::delete_cluster, *target);
    if (target->deletion_protection) {
        guard(s, GuardedAction::disable_deletion_protection, *target);
        aws::rds::ModifyDbClusterRequest m;
        m.cluster_identifier = target->identifier;
        m.deletion_protection = false;
        m.apply_immediately = true;
        rds.modify_db_cluster(m);
    }
    const auto members = delete_members(rds, *target);
    return {{"action", "delete"}, {"cluster", target->identifier}, {"members_deleted", members}, {"at", iso(s.now())}};
}

json wait_target_prepared(Step& s) {
    if (!replacing(s)) return {{"at", iso(s.now())}};
    if (!converge_cluster_deleted(s.target_rds(), s.request.target.cluster)) {
        not_ready("old target cluster '" + s.request.target.cluster + "' is being deleted");
    }
    return {{"deleted", s.request.target.cluster}, {"at", iso(s.now())}};
}

json restore_cluster(Step& s) {
    auto& rds = s.target_rds();
    const auto mine = [&](const DbCluster& c) { return owned_by(cluster_tags(rds, c), s.restore_id); };
    if (const auto existing = rds.find_db_cluster(s.names.restore_cluster)) {
        if (!mine(*existing)) {
            throw Error(ErrorCode::already_exists, "cluster '" + s.names.restore_cluster + "' already exists in " +
                        s.request.target.region + " and was not created by restore " + s.restore_id,
                        "use target.mode replace or swap, or choose another target.cluster");
        }
        return restored(s, *existing, true);
    }
    try {
        return restored(s, start_restore(s), false);
    } catch (const Error& e) {
        // A lost response to our own earlier call: the cluster exists now and carries our tag.
        if (e.code() != ErrorCode::already_exists) throw;
        const auto existing = rds.find_db_cluster(s.names.restore_cluster);
        if (!existing || !mine(*existing)) throw;
        return restored(s, *existing, true);
    }
}

json wait_cluster(Step& s) {
    const auto c = s.target_rds().find_db_cluster(s.names.restore_cluster);
    if (!c) {
        throw Error(ErrorCode::resource_failed, "restored cluster '" + s.names.restore_cluster + "' disappeared from " +
                    s.request.target.region);
    }
    if (is_failed_status(c->status)) {
        throw Error(ErrorCode::resource_failed, "restored cluster '" + c->identifier + "' ended in status '" + c->status + "'",
                    "check the engine version, parameter group and network settings of the request against the snapshot");
    }
    if (c->status != "available" || c->has_pending_modifications) {
        not_ready("cluster '" + c->identifier + "' is " + c->status);
    }
    json out = cluster_json(*c);
    out["at"] = iso(s.now());
    return out;
}

json create_instances(Step& s) {
    auto& rds = s.target_rds();
    const auto& inst = s.request.target.instances;
    const std::string engine = s.result("wait_cluster").value("engine", "");
    json ids = json::array();
    for (int i = 1; i <= inst.count; ++i) {
        const auto id = s.names.instance(i);
        ids.push_back(id);
        if (rds.find_db_instance(id)) continue; // created by an earlier run of this step
        aws::rds::CreateDbInstanceRequest req;
        req.instance_identifier = id;
        req.instance_class = inst.instance_class;
        req.engine = engine;
        req.cluster_identifier = s.names.restore_cluster;
        req.promotion_tier = i == 1 ? 0 : 1; // the first is the writer and its preferred successor
        req.db_parameter_group_name = s.request.target.db_instance_parameter_group;
        req.tags = to_tags(ownership_tags(s.request, s.restore_id));
        try {
            rds.create_db_instance(req);
        } catch (const Error& e) {
            if (e.code() != ErrorCode::already_exists) throw; // lost response: it exists now
        }
    }
    return {{"instances", ids}, {"at", iso(s.now())}};
}

json wait_instances(Step& s) {
    auto& rds = s.target_rds();
    json out = json::array();
    for (int i = 1; i <= s.request.target.instances.count; ++i) {
        const auto id = s.names.instance(i);
        const auto inst = rds.find_db_instance(id);
        if (!inst) throw Error(ErrorCode::resource_failed, "instance '" + id + "' disappeared from " + s.request.target.region);
        if (is_failed_status(inst->status)) {
            throw Error(ErrorCode::resource_failed, "instance '" + id + "' ended in status '" + inst->status + "'",
                        "check the instance class is offered for this engine version in " + s.request.target.region);
        }
        if (inst->status != "available") not_ready("instance '" + id + "' is " + inst->status);
        out.push_back({{"identifier", id}, {"class", inst->instance_class}, {"status", inst->status}});
    }
    return {{"instances", out}, {"at", iso(s.now())}};
}

json swap(Step& s) {
    auto& rds = s.target_rds();
    const auto& T = s.request.target.cluster;
    const auto& N = s.names.restore_cluster;
    const auto& R = s.names.retired_cluster;
    const auto t = rds.find_db_cluster(T);
    const auto rename = [&](const std::string& from, const std::string& to) {
        aws::rds::ModifyDbClusterRequest m;
        m.cluster_identifier = from;
        m.new_cluster_identifier = to;
        m.apply_immediately = true;
        rds.modify_db_cluster(m);
    };
    if (t && owned_by(cluster_tags(rds, *t), s.restore_id)) {
        if (t->status != "available" || t->has_pending_modifications) not_ready("cluster '" + T + "' is " + t->status);
        const bool retired = rds.find_db_cluster(R).has_value();
        return {{"cluster", T}, {"retired", retired ? R : ""}, {"endpoint", t->endpoint}, {"at", iso(s.now())}};
    }
    const auto n = rds.find_db_cluster(N);
    if (!n) {
        throw Error(ErrorCode::resource_failed, "swap: the new cluster '" + N + "' is missing from " + s.request.target.region);
    }
    if (n->status != "available") not_ready("cluster '" + N + "' is " + n->status);
    if (t) {
        if (t->status != "available") not_ready("cluster '" + T + "' is " + t->status);
        guard(s, GuardedAction::rename_cluster, *t);
        rename(T, R);
        not_ready("renaming the old cluster '" + T + "' to '" + R + "'");
    }
    if (const auto r = rds.find_db_cluster(R); r && r->status != "available") {
        not_ready("old cluster is being renamed to '" + R + "' (" + r->status + ")");
    }
    rename(N, T);
    not_ready("renaming the new cluster '" + N + "' to '" + T + "'");
}

json finalize(Step& s) {
    auto& rds = s.target_rds();
    json out = {{"at", iso(s.now())}};
    const std::string retired = s.result("swap").value("retired", "");
    if (s.request.target.mode == Mode::swap && !retired.empty()) {
        const auto r = rds.find_db_cluster(retired);
        if (s.request.target.retired == RetiredAction::keep) {
            if (r) {
                rds.add_tags_to_resource(r->arn, {{"aurora-restore:retired-by", s.restore_id},
                                                  {"aurora-restore:retired-at", format_iso8601(s.now())}});
            }
            out["retired"] = {{"cluster", retired}, {"kept", true}};
        } else {
            if (r && r->status != "deleting") guard(s, GuardedAction::delete_cluster, *r);
            if (r && r->deletion_protection) {
                guard(s, GuardedAction::disable_deletion_protection, *r);
                aws::rds::ModifyDbClusterRequest m;
                m.cluster_identifier = retired;
                m.deletion_protection = false;
                m.apply_immediately = true;
                rds.modify_db_cluster(m);
            }
            if (!converge_cluster_deleted(rds, retired)) not_ready("retired cluster '" + retired + "' is being deleted");
            out["retired"] = {{"cluster", retired}, {"deleted", true}};
        }
    }
    if (s.request.target.deletion_protection) {
        const auto c = rds.find_db_cluster(s.request.target.cluster);
        if (c && !c->deletion_protection) {
            aws::rds::ModifyDbClusterRequest m;
            m.cluster_identifier = c->identifier;
            m.deletion_protection = true;
            m.apply_immediately = true;
            rds.modify_db_cluster(m);
        }
        out["deletion_protection"] = true;
    }
    return out;
}

} // namespace aurora::pipeline::steps
