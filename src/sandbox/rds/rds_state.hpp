#pragma once
//! The RDS sandbox's resources (internal to src/sandbox/rds): clusters, instances and cluster snapshots of
//! one (account, region), their pending lifecycle transitions, and their JSON form for the state file.

#include "common/clock.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace aurora::sandbox::rds {

using Tags = std::vector<std::pair<std::string, std::string>>;

//! A status change due at a time: `action` says what completing it does (e.g. "available", "delete",
//! "rename"), `status` is the status it ends in.
struct Pending {
    std::string action;
    std::string status;
    Clock::WallTime started;
    Clock::WallTime due;
};

struct ScalingV2 {
    double min_capacity = 0.5;
    double max_capacity = 1.0;
};

struct Cluster {
    std::string id;
    std::string engine;
    std::string engine_version;
    std::string status = "available";
    std::string master_username;
    std::string master_password; //!< kept to restore snapshots' owner logins; never rendered
    std::string database_name;   //!< DatabaseName as requested
    std::string data_db;         //!< the data plane database ("" when none)
    std::string resource_id;     //!< cluster-XXXXXXXX
    std::string clone_group_id;
    std::string subnet_group = "default";
    std::string parameter_group;
    std::vector<std::string> security_groups;
    std::string kms_key_id;
    bool storage_encrypted = false;
    bool deletion_protection = false;
    bool copy_tags_to_snapshot = false;
    int port = 0;
    std::optional<ScalingV2> serverless_v2;
    std::vector<std::string> members; //!< instance ids; the first is the writer
    Tags tags;
    Clock::WallTime created;
    std::string endpoint_id; //!< the identifier the endpoints are named after (changes when a rename ends)
    bool pending_password = false;
    std::string managed_secret_arn; //!< MasterUserSecret.SecretArn when RDS manages the password
    std::string pending_new_id; //!< NewDBClusterIdentifier without ApplyImmediately
    std::string final_status;   //!< scenario: what a create/restore ends in ("" = available)
    std::optional<Pending> pending;
};

struct Instance {
    std::string id;
    std::string cluster_id;
    std::string instance_class;
    std::string engine;
    std::string engine_version;
    std::string status = "available";
    std::string resource_id; //!< db-XXXXXXXX
    int promotion_tier = 1;
    bool publicly_accessible = false;
    Tags tags;
    Clock::WallTime created;
    std::optional<Pending> pending;
};

struct Snapshot {
    std::string id;
    std::string cluster_id;
    std::string type = "manual"; //!< manual | automated
    std::string status = "available";
    std::string engine;
    std::string engine_version;
    std::string master_username;
    std::string master_password; //!< the source cluster's, for the data plane owner; never rendered
    std::string data_db;
    std::string kms_key_id;
    std::string source_arn; //!< SourceDBClusterSnapshotArn of a copy
    std::string resource_id; //!< the source cluster's DbClusterResourceId
    std::string scenario;    //!< restore-fails | incompatible-restore | ""
    bool storage_encrypted = false;
    int port = 0;
    int allocated_storage = 1;
    Tags tags;
    Clock::WallTime created;
    Clock::WallTime cluster_created;
    std::optional<Pending> pending;
};

//! One (account, region). Maps are keyed by the lowercased identifier.
struct RegionState {
    std::map<std::string, Cluster> clusters;
    std::map<std::string, Instance> instances;
    std::map<std::string, Snapshot> snapshots;
};

nlohmann::json to_json(const RegionState& state);
//! Throws nlohmann::json exceptions on a malformed document.
RegionState region_from_json(const nlohmann::json& j);

//! Milliseconds since the epoch and back (the state file's time form).
std::int64_t to_millis(Clock::WallTime t);
Clock::WallTime from_millis(std::int64_t ms);

} // namespace aurora::sandbox::rds
