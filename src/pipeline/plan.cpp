#include "pipeline/plan.hpp"

#include "pipeline/naming.hpp"
#include "pipeline/steps/source_steps.hpp"

namespace aurora::pipeline {
namespace {

using nlohmann::json;

class Planner {
public:
    Planner(Plan& plan, const RestoreRequest& r) : plan_(plan), r_(r) {}

    void call(const std::string& step, const std::string& service, const std::string& op, const std::string& region,
              bool mutating, json params = json::object(), bool polls = false) {
        plan_.calls.push_back({step, service, op, region, mutating, polls, std::move(params)});
    }

    void build(const ResourceNames& n) {
        const auto& t = r_.target;
        const auto& src = r_.source;
        const bool copy = plan_.snapshot.value("needs_copy", false);
        const bool exists = plan_.target.value("target_exists", false);
        call("validate", "sts", "GetCallerIdentity", src.region, false);
        call("acquire_lock", "store", "AcquireLock", t.region, false, {{"lock", "target/" + t.cluster}});
        call("snapshot_check", "rds", src.method == SourceMethod::clone ? "DescribeDBClusters" : "DescribeDBClusterSnapshots",
             src.region, false, {{"selector", r_.source.snapshot}});
        call("check_target", "rds", "DescribeDBClusters", t.region, false, {{"DBClusterIdentifier", t.cluster}});
        const std::string snapshot_arn = plan_.snapshot.value("arn", "");
        if (copy) {
            json p = {{"SourceDBClusterSnapshotIdentifier", snapshot_arn}, {"TargetDBClusterSnapshotIdentifier", n.snapshot_copy}};
            if (!t.kms_key_id.empty()) p["KmsKeyId"] = t.kms_key_id;
            if (src.region != t.region) p["PreSignedUrl"] = "(SigV4-presigned for " + src.region + ")";
            call("copy_snapshot", "rds", "CopyDBClusterSnapshot", t.region, true, p);
            call("wait_snapshot_copy", "rds", "DescribeDBClusterSnapshots", t.region, false,
                 {{"DBClusterSnapshotIdentifier", n.snapshot_copy}}, true);
        }
        if (t.mode == Mode::replace && exists) {
            if (plan_.target.value("deletion_protection", false)) {
                call("prepare_target", "rds", "ModifyDBCluster", t.region, true, {{"DBClusterIdentifier", t.cluster}, {"DeletionProtection", false}});
            }
            call("prepare_target", "rds", "DeleteDBInstance", t.region, true, {{"members_of", t.cluster}});
            call("wait_target_prepared", "rds", "DeleteDBCluster", t.region, true, {{"DBClusterIdentifier", t.cluster}, {"SkipFinalSnapshot", true}}, true);
        }
        json restore = {{"DBClusterIdentifier", n.restore_cluster}};
        if (src.method == SourceMethod::clone) {
            restore["SourceDBClusterIdentifier"] = src.cluster;
            restore["RestoreType"] = "copy-on-write";
            call("restore_cluster", "rds", "RestoreDBClusterToPointInTime", t.region, true, restore);
        } else {
            restore["SnapshotIdentifier"] = copy ? "(the copy " + n.snapshot_copy + ")" : snapshot_arn;
            restore["Engine"] = plan_.snapshot.value("engine", "");
            if (!t.kms_key_id.empty()) restore["KmsKeyId"] = t.kms_key_id;
            if (t.instances.serverless_v2) {
                restore["ServerlessV2ScalingConfiguration"] = {{"MinCapacity", t.instances.serverless_v2->min_capacity},
                                                               {"MaxCapacity", t.instances.serverless_v2->max_capacity}};
            }
            call("restore_cluster", "rds", "RestoreDBClusterFromSnapshot", t.region, true, restore);
        }
        call("wait_cluster", "rds", "DescribeDBClusters", t.region, false, {{"DBClusterIdentifier", n.restore_cluster}}, true);
        for (int i = 1; i <= t.instances.count; ++i) {
            call("create_instances", "rds", "CreateDBInstance", t.region, true,
                 {{"DBInstanceIdentifier", n.instance(i)}, {"DBInstanceClass", t.instances.instance_class},
                  {"DBClusterIdentifier", n.restore_cluster}});
        }
        call("wait_instances", "rds", "DescribeDBInstances", t.region, false, {{"cluster", n.restore_cluster}}, true);
        if (t.mode == Mode::swap) {
            if (exists) {
                call("swap", "rds", "ModifyDBCluster", t.region, true, {{"DBClusterIdentifier", t.cluster}, {"NewDBClusterIdentifier", n.retired_cluster}});
            }
            call("swap", "rds", "ModifyDBCluster", t.region, true, {{"DBClusterIdentifier", n.restore_cluster}, {"NewDBClusterIdentifier", t.cluster}}, true);
        }
        if (!r_.database.is_null()) {
            const std::string secret = r_.database.value("master_password_secret", "");
            if (!secret.empty()) call("set_master_password", "secretsmanager", "GetSecretValue", t.region, false, {{"SecretId", secret}});
            call("set_master_password", "rds", "ModifyDBCluster", t.region, true,
                 secret.empty() ? json{{"DBClusterIdentifier", t.cluster}, {"ManageMasterUserPassword", true}}
                                : json{{"DBClusterIdentifier", t.cluster}, {"MasterUserPassword", "(from " + secret + ")"}});
            call("wait_master_password", "rds", "DescribeDBClusters", t.region, false, {{"DBClusterIdentifier", t.cluster}}, true);
            for (const auto& u : r_.database.value("users", json::array())) {
                if (u.contains("password_secret")) call("database_setup", "secretsmanager", "GetSecretValue", t.region, false, {{"SecretId", u["password_secret"]}});
            }
            json db = {{"database", r_.database.value("name", "")}, {"sanitize", r_.database.value("sanitize", json::array())},
                       {"roles", json::array()}, {"users", json::array()}};
            const json roles = r_.database.value("roles", json::object());
            for (const auto& [role, _] : roles.items()) db["roles"].push_back(role);
            for (const auto& u : r_.database.value("users", json::array())) db["users"].push_back(u.value("name", ""));
            call("database_setup", "database", "ApplyDatabaseSetup", t.region, true, db);
        }
        if (t.mode == Mode::swap && exists) {
            if (t.retired == RetiredAction::keep) {
                call("finalize", "rds", "AddTagsToResource", t.region, true, {{"cluster", n.retired_cluster}});
            } else {
                call("finalize", "rds", "DeleteDBInstance", t.region, true, {{"members_of", n.retired_cluster}});
                call("finalize", "rds", "DeleteDBCluster", t.region, true, {{"DBClusterIdentifier", n.retired_cluster}, {"SkipFinalSnapshot", true}}, true);
            }
        }
        if (t.deletion_protection) {
            call("finalize", "rds", "ModifyDBCluster", t.region, true, {{"DBClusterIdentifier", t.cluster}, {"DeletionProtection", true}});
        }
        if (copy) {
            if (r_.archive.snapshot == ArchiveAction::retain) {
                call("archive_snapshot", "rds", "AddTagsToResource", t.region, true,
                     {{"snapshot", n.snapshot_copy}, {"retain_days", r_.archive.retain_days}});
            } else {
                call("archive_snapshot", "rds", "DeleteDBClusterSnapshot", t.region, true, {{"DBClusterSnapshotIdentifier", n.snapshot_copy}});
            }
        }
        if (!r_.notify.sns_topic_arn.empty()) {
            call("notify_success", "sns", "Publish", "", true, {{"TopicArn", r_.notify.sns_topic_arn}});
        }
        if (!r_.notify.webhook_url.empty()) call("notify_success", "webhook", "POST", "", true, {{"url", "(redacted)"}});
        call("release_lock", "store", "ReleaseLock", t.region, false);
    }

private:
    Plan& plan_;
    const RestoreRequest& r_;
};

} // namespace

nlohmann::json Plan::to_json() const {
    json list = json::array();
    long mutating = 0;
    for (const auto& c : calls) {
        mutating += c.mutating ? 1 : 0;
        list.push_back({{"step", c.step}, {"service", c.service}, {"operation", c.operation}, {"region", c.region},
                        {"mutating", c.mutating}, {"polls", c.polls}, {"params", c.params}});
    }
    return {{"restore_id", restore_id}, {"request", request}, {"snapshot", snapshot}, {"target", target},
            {"calls", list}, {"mutating_calls", mutating}};
}

std::string Plan::to_text() const {
    const auto& src = request.at("source");
    const auto& tgt = request.at("target");
    std::string out = "plan for restore " + restore_id + ": " + src.value("cluster", std::string("snapshot")) + " (" +
                      src.value("region", "") + ") -> " + tgt.value("cluster", "") + " (" + tgt.value("region", "") +
                      ", mode " + tgt.value("mode", "") + ")\n";
    if (snapshot.contains("identifier")) {
        out += "snapshot: " + snapshot.value("identifier", "") + " (" + snapshot.value("engine", "") + " " +
               snapshot.value("engine_version", "") + (snapshot.value("encrypted", false) ? ", encrypted" : "") +
               ", created " + snapshot.value("created_at", "") + ")\n";
    }
    out += std::string("target: ") + (target.value("target_exists", false) ? "exists, " + target.value("target_status", std::string()) : "does not exist") + "\n";
    int n = 0;
    for (const auto& c : calls) {
        out += (c.mutating ? "  * " : "    ") + std::to_string(++n) + ". " + c.step + ": " + c.service + ":" + c.operation;
        if (!c.region.empty()) out += " [" + c.region + "]";
        if (c.polls) out += " (polls)";
        if (!c.params.empty()) out += " " + c.params.dump();
        out += "\n";
    }
    out += "(* = mutating; a dry run made none)\n";
    return out;
}

Plan make_plan(const nlohmann::json& request_doc, const std::string& restore_id, PipelineEnv& env) {
    const auto request = parse_request(request_doc);
    const CallerIdentity who = env.caller_identity();
    json ctx = {{"restore_id", restore_id}, {"request", request.normalized},
                {"results", {{"validate", {{"value", {{"account", who.account}, {"caller_arn", who.arn}}}}}}}};
    Plan plan;
    plan.restore_id = restore_id;
    plan.request = request.normalized;
    {
        auto step = steps::make_step(ctx, env);
        plan.snapshot = steps::snapshot_check(step);
    }
    ctx["results"]["snapshot_check"] = {{"value", plan.snapshot}};
    {
        auto step = steps::make_step(ctx, env);
        plan.target = steps::check_target(step);
    }
    Planner(plan, request).build(derive_names(request, restore_id));
    return plan;
}

} // namespace aurora::pipeline
