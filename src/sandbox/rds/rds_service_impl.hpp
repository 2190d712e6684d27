#pragma once
//! The RDS service's implementation class (internal to src/sandbox/rds). Handlers are split by resource:
//! rds_clusters.cpp, rds_restore.cpp, rds_snapshots.cpp, rds_instances.cpp (with tags), rds_seed.cpp;
//! dispatch, lifecycles and state live in rds_service.cpp.

#include "common/error.hpp"
#include "sandbox/rds/rds_params.hpp"
#include "sandbox/rds/rds_render.hpp"
#include "sandbox/rds/rds_service.hpp"
#include "sandbox/rds/rds_state.hpp"

#include <functional>
#include <map>
#include <string>
#include <utility>

namespace aurora::sandbox::rds {

class RdsService final : public Service {
public:
    explicit RdsService(RdsOptions options);

    std::string signing_name() const override { return "rds"; }
    Response handle(const RequestContext& ctx) override;
    void tick(Clock::WallTime now) override;
    std::map<std::string, std::int64_t> effect_counts() const override { return effects_; }
    nlohmann::json save_state() const override;
    void load_state(const nlohmann::json& state) override;
    void seed(const YAML::Node& node, const std::string& account_id, const std::string& region) override;

private:
    //! One request being handled: its state, its render context, its parameters.
    struct Call {
        const RequestContext& ctx;
        RegionState& state;
        RenderContext rc;
        const Params& p;
    };
    using Handler = std::string (RdsService::*)(Call&);

    RegionState& state_for(const std::string& account, const std::string& region);
    RenderContext render_context(const std::string& account, const std::string& region,
                                 Clock::WallTime now) const;
    //! A Pending for `transition` of resource `key` started at `now`, due after the jittered duration.
    Pending make_pending(const std::string& transition, const std::string& key, const std::string& action,
                         const std::string& status, Clock::WallTime now) const;
    DataPlane* plane_for(const std::string& engine) const;
    //! A data plane database name for (kind, id) not used by any resource of any region.
    std::string allocate_db(char kind, const std::string& id) const;
    void count(const std::string& effect, std::int64_t n = 1) { effects_[effect] += n; }
    std::string new_resource_id(const std::string& prefix, const std::string& key) const;

    //! The resource named by an identifier or an ARN of this call's account and region; the RDS
    //! not-found fault otherwise.
    static Cluster& find_cluster(Call& c, const std::string& id_or_arn);
    static Instance& find_instance(Call& c, const std::string& id_or_arn);
    static Snapshot& find_snapshot(Call& c, const std::string& id_or_arn);

    //! ManageMasterUserPassword=true: a generated password, stored in Secrets Manager through
    //! put_managed_secret, set on the data plane login.
    void manage_password(Call& c, Cluster& cluster);

    // Lifecycle completion (rds_service.cpp).
    void complete_cluster(RegionState& s, const std::string& id);
    void complete_instance(RegionState& s, const std::string& id);
    void complete_snapshot(RegionState& s, const std::string& id);

    // Clusters (rds_clusters.cpp).
    std::string describe_clusters(Call& c);
    std::string create_cluster(Call& c);
    std::string modify_cluster(Call& c);
    std::string delete_cluster(Call& c);
    //! Renames at once (the map key, members, data plane database); status `renaming`. Returns the moved cluster.
    Cluster& rename_cluster(Call& c, Cluster& cluster, const std::string& new_id);
    // Restores (rds_restore.cpp).
    std::string restore_from_snapshot(Call& c);
    std::string restore_to_point_in_time(Call& c);
    //! Shared by both restores: target options from the request (subnet group, security groups, KMS, …).
    void apply_restore_options(Call& c, Cluster& target);
    //! The scenario outcome of a restore (`sandbox:scenario` tag, else the snapshot's seeded scenario).
    static std::string restore_outcome(const Tags& request_tags, const std::string& snapshot_scenario);
    //! Stores a restored cluster (status creating), fills in the data plane database, counts the effect.
    Cluster& finish_restore(Call& c, Cluster target, const std::string& source_db);
    // Snapshots (rds_snapshots.cpp).
    std::string describe_snapshots(Call& c);
    std::string create_snapshot(Call& c);
    std::string copy_snapshot(Call& c);
    std::string delete_snapshot(Call& c);
    //! Takes a manual snapshot `id` of `cluster` (CreateDBClusterSnapshot, DeleteDBCluster's final snapshot).
    Snapshot& take_snapshot(Call& c, Cluster& cluster, const std::string& id, const Tags& tags);
    // Instances and tags (rds_instances.cpp).
    std::string describe_instances(Call& c);
    std::string create_instance(Call& c);
    std::string delete_instance(Call& c);
    std::string add_tags(Call& c);
    std::string list_tags(Call& c);
    std::string remove_tags(Call& c);
    Tags& tags_of(Call& c, const std::string& arn);
    // Seeding (rds_seed.cpp).
    void seed_cluster(const YAML::Node& n, const std::string& account, const std::string& region,
                      Clock::WallTime now);
    void seed_snapshot(const YAML::Node& n, const std::string& account, const std::string& region,
                       Clock::WallTime now);

    RdsOptions options_;
    std::map<std::pair<std::string, std::string>, RegionState> states_;
    std::map<std::string, std::int64_t> effects_;
    std::map<std::string, Handler> handlers_;
};

//! Validates a Serverless v2 scaling configuration (half-ACU steps, 0–256, min ≤ max) from
//! `ServerlessV2ScalingConfiguration.MinCapacity/MaxCapacity`; nullopt when absent.
std::optional<ScalingV2> scaling_from(const Params& p);

//! The engines the sandbox emulates (aurora-postgresql, aurora-mysql); InvalidParameterValue otherwise.
void check_engine(const std::string& engine);
//! The default engine version of `engine`.
std::string default_engine_version(const std::string& engine);

//! Runs a data plane call; its failure answers like an RDS internal failure (500) naming what failed.
template <typename F>
void on_plane(const char* what, F&& f) {
    try {
        f();
    } catch (const Error& e) {
        throw ServiceError("InternalFailure", std::string("sandbox data plane failed to ") + what + ": " + e.message(),
                           500, false);
    }
}

} // namespace aurora::sandbox::rds
