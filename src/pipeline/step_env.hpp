#pragma once
//! What the step handlers get from the composition root (cli/, lambda/): narrow ports to AWS, the state
//! store, the database drivers and the notification channels. The pipeline never builds a client itself.

#include "aws/rds/rds_client.hpp"
#include "common/clock.hpp"
#include "dbsetup/driver.hpp"
#include "notify/notification.hpp"
#include "pipeline/request.hpp"
#include "store/state_store.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace aurora::pipeline {

struct CallerIdentity {
    std::string account;
    std::string arn;
    std::string user_id;
};

struct PipelineEnv {
    Clock* clock = nullptr;
    store::StateStore* store = nullptr;
    //! The RDS client for a region (the composition root caches one per region).
    std::function<aws::rds::RdsClient&(const std::string& region)> rds;
    //! Secrets Manager GetSecretValue's SecretString for a name or ARN, in a region. The value is registered
    //! as a secret by the implementation. Throws Error(secret_not_found).
    std::function<std::string(const std::string& region, const std::string& secret_id)> secret_value;
    //! STS GetCallerIdentity.
    std::function<CallerIdentity()> caller_identity;
    //! The database driver for an engine (default: dbsetup::make_driver).
    std::function<std::unique_ptr<dbsetup::Driver>(dbsetup::Engine)> db_driver;
    //! The channels for a request's notify section (SNS topic, webhook) plus the console.
    std::function<std::vector<std::unique_ptr<notify::Channel>>(const NotifySpec&)> channels;
    //! Who runs the CLI (the local user), for the audit trail.
    std::string local_user;
    //! How long the target lock is held at most without renewal (a crashed restore's lock expires).
    std::chrono::hours lock_ttl{48};
};

//! A step handler: the execution context ($ of the state machine) in, the step's result out. Handlers never
//! sleep: while a resource is not ready they throw Error(not_ready), which the state machine's Retry turns
//! into polling. Every handler is idempotent: a re-run after a crash or a lost response finds its own
//! earlier effect (by derived names and the restore-id tag) instead of repeating it.
using StepHandler = std::function<nlohmann::json(const nlohmann::json& context, PipelineEnv& env)>;

//! Every step of statemachine/restore.asl.json by its Payload "step" name, wrapped so that each success or
//! failure (other than not_ready) is appended to the audit log.
const std::map<std::string, StepHandler>& step_handlers();

//! Runs the step `name` on `context` (the Payload's "context"). Throws Error(internal) for an unknown step.
nlohmann::json run_step(const std::string& name, const nlohmann::json& context, PipelineEnv& env);

//! Appends an "aws.call" audit record (service, operation, region, outcome, AWS request id) for a MUTATING
//! call made while a step of a restore runs on this thread; read-only calls and calls outside a step are
//! not recorded. Composition roots connect it to aws::ClientContext::on_call.
void audit_aws_call(const aws::CallRecord& call);

} // namespace aurora::pipeline
