#include "common/error.hpp"
#include "pipeline/step_env.hpp"
#include "pipeline/steps/cluster_steps.hpp"
#include "pipeline/steps/database_steps.hpp"
#include "pipeline/steps/finish_steps.hpp"
#include "pipeline/steps/source_steps.hpp"

namespace aurora::pipeline {
namespace {

using Fn = nlohmann::json (*)(steps::Step&);

const std::map<std::string, Fn>& table() {
    static const std::map<std::string, Fn> kTable = {
        {"validate", steps::validate},
        {"acquire_lock", steps::acquire_lock},
        {"snapshot_check", steps::snapshot_check},
        {"check_target", steps::check_target},
        {"copy_snapshot", steps::copy_snapshot},
        {"wait_snapshot_copy", steps::wait_snapshot_copy},
        {"prepare_target", steps::prepare_target},
        {"wait_target_prepared", steps::wait_target_prepared},
        {"restore_cluster", steps::restore_cluster},
        {"wait_cluster", steps::wait_cluster},
        {"create_instances", steps::create_instances},
        {"wait_instances", steps::wait_instances},
        {"swap", steps::swap},
        {"set_master_password", steps::set_master_password},
        {"wait_master_password", steps::wait_master_password},
        {"database_setup", steps::database_setup},
        {"finalize", steps::finalize},
        {"archive_snapshot", steps::archive_snapshot},
        {"notify_success", steps::notify_success},
        {"notify_failure", steps::notify_failure},
        {"cleanup", steps::cleanup},
        {"release_lock", steps::release_lock},
    };
    return kTable;
}

//! The step running on this thread, for audit_aws_call().
struct StepScope {
    PipelineEnv* env = nullptr;
    std::string restore_id;
    std::string actor;
    std::string step;
};
thread_local StepScope* t_scope = nullptr;

class ScopeGuard {
public:
    explicit ScopeGuard(StepScope& s) : previous_(t_scope) { t_scope = &s; }
    ~ScopeGuard() { t_scope = previous_; }
    ScopeGuard(const ScopeGuard&) = delete;
    ScopeGuard& operator=(const ScopeGuard&) = delete;

private:
    StepScope* previous_;
};

bool is_read_only(const std::string& operation) {
    return operation.starts_with("Describe") || operation.starts_with("List") || operation.starts_with("Get");
}

std::string actor(const nlohmann::json& context, const PipelineEnv& env) {
    const auto v = context.value("results", nlohmann::json::object()).value("validate", nlohmann::json::object());
    const std::string arn = v.value("value", nlohmann::json::object()).value("caller_arn", "");
    return "user=" + env.local_user + (arn.empty() ? "" : " aws=" + arn);
}

} // namespace

nlohmann::json run_step(const std::string& name, const nlohmann::json& context, PipelineEnv& env) {
    const auto it = table().find(name);
    if (it == table().end()) throw Error(ErrorCode::internal, "unknown pipeline step '" + name + "'");
    const std::string restore_id = context.value("restore_id", "");
    StepScope scope{&env, restore_id, actor(context, env), name};
    ScopeGuard guard(scope);
    try {
        auto step = steps::make_step(context, env);
        auto result = it->second(step);
        env.store->append_audit({restore_id, actor(context, env), "step.succeeded", {{"step", name}, {"result", result}}});
        return result;
    } catch (const Error& e) {
        if (e.code() != ErrorCode::not_ready) {
            nlohmann::json details = {{"step", name}, {"code", e.info().name}, {"message", e.message()}};
            for (const auto& [k, v] : e.fields()) details["fields"][k] = v;
            env.store->append_audit({restore_id, actor(context, env), "step.failed", details});
        }
        throw;
    } catch (const std::exception& e) {
        env.store->append_audit({restore_id, actor(context, env), "step.failed",
                                 {{"step", name}, {"code", "internal"}, {"message", e.what()}}});
        throw;
    }
}

void audit_aws_call(const aws::CallRecord& call) {
    if (t_scope == nullptr || t_scope->env == nullptr || is_read_only(call.operation)) return;
    nlohmann::json details = {{"step", t_scope->step}, {"service", call.service}, {"operation", call.operation},
                              {"region", call.region}, {"ok", call.ok}, {"http_status", call.http_status},
                              {"request_id", call.request_id}, {"attempts", call.attempts}};
    if (!call.aws_code.empty()) details["aws_code"] = call.aws_code;
    t_scope->env->store->append_audit({t_scope->restore_id, t_scope->actor, "aws.call", details});
}

const std::map<std::string, StepHandler>& step_handlers() {
    static const std::map<std::string, StepHandler> kHandlers = [] {
        std::map<std::string, StepHandler> m;
        for (const auto& [name, fn] : table()) {
            m.emplace(name, [n = name](const nlohmann::json& ctx, PipelineEnv& env) { return run_step(n, ctx, env); });
        }
        return m;
    }();
    return kHandlers;
}

} // namespace aurora::pipeline
