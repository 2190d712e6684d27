#pragma once
//! Shared helpers of the step handlers: the parsed context, derived names, tags and readiness.

#include "aws/rds/rds_types.hpp"
#include "pipeline/guardrails.hpp"
#include "pipeline/naming.hpp"
#include "pipeline/step_env.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace aurora::pipeline::steps {

using nlohmann::json;

//! One handler invocation's view of the execution context.
struct Step {
    const json& ctx;
    PipelineEnv& env;
    std::string restore_id;
    RestoreRequest request;
    ResourceNames names;

    //! The value an earlier step returned (`$.results.<name>.value`), or an empty object when it did not run.
    const json& result(const std::string& step_name) const;
    //! The caller's account (from the validate step).
    std::string account() const;
    Clock::WallTime now() const { return env.clock->now(); }
    aws::rds::RdsClient& source_rds() const { return env.rds(request.source.region); }
    aws::rds::RdsClient& target_rds() const { return env.rds(request.target.region); }
    //! The snapshot the restore uses: the copy's ARN when a copy was made, else the source snapshot's.
    std::string restore_snapshot() const;
};

Step make_step(const json& ctx, PipelineEnv& env);

//! Throws Error(not_ready) — the state machine polls on it.
[[noreturn]] void not_ready(const std::string& what);

std::map<std::string, std::string> tag_map(const aws::rds::Tags& tags);
aws::rds::Tags to_tags(const std::map<std::string, std::string>& tags);
//! Whether `tags` mark the resource as created by restore `restore_id`.
bool owned_by(const aws::rds::Tags& tags, const std::string& restore_id);
//! The cluster's tags, asking ListTagsForResource when the describe answer carried none.
aws::rds::Tags cluster_tags(aws::rds::RdsClient& rds, const aws::rds::DbCluster& cluster);
ClusterFacts facts_of(const aws::rds::DbCluster& cluster, const aws::rds::Tags& tags, const std::string& region,
                      const std::string& account);

//! Statuses in which a cluster or instance will never become available by itself.
bool is_failed_status(const std::string& status);

//! Deletes every instance of `cluster` (idempotent: missing or already deleting ones are skipped). Returns
//! how many are still members.
std::size_t delete_members(aws::rds::RdsClient& rds, const aws::rds::DbCluster& cluster);

//! Converges toward "cluster `id` is gone": deletes members, then the cluster (without a final snapshot).
//! Returns true once it no longer exists; false while deletion is in progress.
bool converge_cluster_deleted(aws::rds::RdsClient& rds, const std::string& id);

} // namespace aurora::pipeline::steps
