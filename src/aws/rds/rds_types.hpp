#pragma once
//! Request and response values of the RDS client (API version 2014-10-31). Only the members the pipeline
//! needs, named after the RDS API reference members they carry
//! (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/). Optional request members left unset are
//! not sent, so RDS applies its own default.

#include "common/clock.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace aurora::aws::rds {

//! A resource tag (RDS `Tag`: Key, Value).
struct Tag {
    std::string key;
    std::string value;
    bool operator==(const Tag&) const = default;
};
using Tags = std::vector<Tag>;

//! A describe filter (RDS `Filter`: Name, Values), e.g. {"db-cluster-id", {"prod-orders"}}.
struct Filter {
    std::string name;
    std::vector<std::string> values;
};

//! ServerlessV2ScalingConfiguration: capacity in Aurora capacity units (0 to 256, steps of 0.5).
struct ServerlessV2Scaling {
    double min_capacity = 0.5;
    double max_capacity = 1.0;
    bool operator==(const ServerlessV2Scaling&) const = default;
};

//! DBClusterSnapshot.
struct DbClusterSnapshot {
    std::string identifier;          //!< DBClusterSnapshotIdentifier
    std::string arn;                 //!< DBClusterSnapshotArn
    std::string cluster_identifier;  //!< DBClusterIdentifier (of the source cluster)
    std::string status;              //!< "available", "creating", "copying", …
    std::string snapshot_type;       //!< "automated", "manual", "shared", "public", "awsbackup"
    std::string engine;              //!< "aurora-postgresql", "aurora-mysql"
    std::string engine_version;
    std::string engine_mode;
    std::optional<Clock::WallTime> create_time; //!< SnapshotCreateTime
    std::optional<Clock::WallTime> cluster_create_time;
    std::int64_t allocated_storage = 0; //!< GiB
    std::int64_t percent_progress = 0;
    std::int64_t port = 0;
    bool storage_encrypted = false;
    std::string kms_key_id;
    std::string source_snapshot_arn; //!< SourceDBClusterSnapshotArn (set on copies)
    std::string vpc_id;
    std::string master_username;
    std::string db_cluster_resource_id; //!< DbClusterResourceId
    Tags tags;                       //!< TagList
};

//! DBClusterMember.
struct DbClusterMember {
    std::string instance_identifier; //!< DBInstanceIdentifier
    bool is_writer = false;          //!< IsClusterWriter
    std::optional<std::int64_t> promotion_tier;
};

//! DBCluster.
struct DbCluster {
    std::string identifier;          //!< DBClusterIdentifier
    std::string arn;                 //!< DBClusterArn
    std::string resource_id;         //!< DbClusterResourceId
    std::string status;              //!< "available", "creating", "modifying", "renaming", "deleting", …
    std::string engine;
    std::string engine_version;
    std::string engine_mode;         //!< "provisioned", "serverless", …
    std::string endpoint;
    std::string reader_endpoint;
    std::optional<std::int64_t> port;
    std::string master_username;
    std::string database_name;
    std::string db_subnet_group;     //!< DBSubnetGroup (the name)
    std::string db_cluster_parameter_group;
    std::vector<std::string> vpc_security_group_ids; //!< VpcSecurityGroups[].VpcSecurityGroupId
    std::vector<DbClusterMember> members;            //!< DBClusterMembers
    bool storage_encrypted = false;
    std::string kms_key_id;
    bool deletion_protection = false;
    std::string clone_group_id;
    std::optional<ServerlessV2Scaling> serverless_v2; //!< ServerlessV2ScalingConfiguration
    //! Whether PendingModifiedValues is present: a modification (rename, password) is not applied yet.
    bool has_pending_modifications = false;
    std::string master_user_secret_arn; //!< MasterUserSecret.SecretArn (RDS-managed master password)
    std::optional<Clock::WallTime> cluster_create_time;
    std::optional<Clock::WallTime> earliest_restorable_time;
    std::optional<Clock::WallTime> latest_restorable_time;
    Tags tags;                       //!< TagList
};

//! DBInstance (Aurora instances belong to a cluster).
struct DbInstance {
    std::string identifier;          //!< DBInstanceIdentifier
    std::string arn;                 //!< DBInstanceArn
    std::string cluster_identifier;  //!< DBClusterIdentifier
    std::string instance_class;      //!< DBInstanceClass, "db.serverless" for Serverless v2
    std::string engine;
    std::string engine_version;
    std::string status;              //!< DBInstanceStatus
    std::string endpoint_address;    //!< Endpoint.Address
    std::optional<std::int64_t> endpoint_port; //!< Endpoint.Port
    std::string availability_zone;
    std::optional<std::int64_t> promotion_tier;
    bool publicly_accessible = false;
    bool deletion_protection = false;
    //! Whether PendingModifiedValues carries anything.
    bool has_pending_modifications = false;
    Tags tags;                       //!< TagList
};

// ---- requests -----------------------------------------------------------------------------------------

//! DescribeDBClusterSnapshots. All members optional.
struct DescribeDbClusterSnapshotsRequest {
    std::string cluster_identifier;  //!< DBClusterIdentifier
    std::string snapshot_identifier; //!< DBClusterSnapshotIdentifier (an id, or an ARN for shared snapshots)
    std::string snapshot_type;       //!< SnapshotType: automated | manual | shared | public | awsbackup
    std::vector<Filter> filters;
    std::optional<bool> include_shared;
    std::optional<bool> include_public;
    std::optional<std::int64_t> max_records; //!< 20..100
    std::string marker;
};

struct DescribeDbClusterSnapshotsResult {
    std::vector<DbClusterSnapshot> snapshots;
    std::string marker; //!< empty on the last page
};

//! CopyDBClusterSnapshot. When source_region is set (the snapshot lives in another region), the client
//! generates the PreSignedUrl as the SDKs do, unless pre_signed_url is given.
struct CopyDbClusterSnapshotRequest {
    std::string source_identifier; //!< SourceDBClusterSnapshotIdentifier (an ARN when cross-region)
    std::string target_identifier; //!< TargetDBClusterSnapshotIdentifier
    std::string kms_key_id;        //!< KmsKeyId: required for encrypted cross-region copies
    std::optional<bool> copy_tags; //!< CopyTags
    Tags tags;
    std::string source_region;     //!< not sent itself: drives the PreSignedUrl (botocore's SourceRegion)
    std::string pre_signed_url;    //!< PreSignedUrl override
};

//! DescribeDBClusters.
struct DescribeDbClustersRequest {
    std::string cluster_identifier; //!< DBClusterIdentifier (an id or an ARN)
    std::vector<Filter> filters;
    std::optional<std::int64_t> max_records;
    std::string marker;
    std::optional<bool> include_shared;
};

struct DescribeDbClustersResult {
    std::vector<DbCluster> clusters;
    std::string marker;
};

//! DescribeDBInstances.
struct DescribeDbInstancesRequest {
    std::string instance_identifier; //!< DBInstanceIdentifier
    std::vector<Filter> filters;     //!< e.g. {"db-cluster-id", {cluster}}
    std::optional<std::int64_t> max_records;
    std::string marker;
};

struct DescribeDbInstancesResult {
    std::vector<DbInstance> instances;
    std::string marker;
};

//! RestoreDBClusterFromSnapshot. A restore creates the cluster only, no instances.
struct RestoreDbClusterFromSnapshotRequest {
    std::string cluster_identifier;  //!< DBClusterIdentifier (the new cluster)
    std::string snapshot_identifier; //!< SnapshotIdentifier (id or ARN)
    std::string engine;              //!< Engine (required by RDS; the snapshot's engine)
    std::string engine_version;
    std::optional<std::int64_t> port;
    std::string db_subnet_group_name;
    std::string database_name;
    std::vector<std::string> vpc_security_group_ids;
    std::string db_cluster_parameter_group_name;
    std::string kms_key_id;
    std::optional<bool> deletion_protection;
    std::optional<bool> copy_tags_to_snapshot;
    std::optional<bool> enable_iam_database_authentication;
    std::optional<ServerlessV2Scaling> serverless_v2;
    Tags tags;
};

//! RestoreDBClusterToPointInTime; restore_type "copy-on-write" makes an Aurora clone.
struct RestoreDbClusterToPointInTimeRequest {
    std::string cluster_identifier;        //!< DBClusterIdentifier (the new cluster)
    std::string source_cluster_identifier; //!< SourceDBClusterIdentifier
    std::string restore_type;              //!< RestoreType: "full-copy" (default) or "copy-on-write"
    std::optional<Clock::WallTime> restore_to_time; //!< RestoreToTime; else use_latest_restorable_time
    bool use_latest_restorable_time = false;
    std::optional<std::int64_t> port;
    std::string db_subnet_group_name;
    std::vector<std::string> vpc_security_group_ids;
    std::string db_cluster_parameter_group_name;
    std::string kms_key_id;
    std::optional<bool> deletion_protection;
    std::optional<bool> copy_tags_to_snapshot;
    std::optional<ServerlessV2Scaling> serverless_v2;
    Tags tags;
};

//! CreateDBInstance for an Aurora cluster member.
struct CreateDbInstanceRequest {
    std::string instance_identifier; //!< DBInstanceIdentifier
    std::string instance_class;      //!< DBInstanceClass, "db.serverless" for Serverless v2
    std::string engine;              //!< must match the cluster's engine
    std::string cluster_identifier;  //!< DBClusterIdentifier
    std::optional<std::int64_t> promotion_tier;
    std::string availability_zone;
    std::string db_parameter_group_name;
    std::optional<bool> publicly_accessible;
    std::optional<bool> auto_minor_version_upgrade;
    std::optional<bool> copy_tags_to_snapshot;
    Tags tags;
};

//! ModifyDBCluster: rename, master password, deletion protection, Serverless v2 scaling.
struct ModifyDbClusterRequest {
    std::string cluster_identifier;     //!< DBClusterIdentifier
    std::string new_cluster_identifier; //!< NewDBClusterIdentifier (rename)
    std::string master_user_password;   //!< MasterUserPassword (secret: registered, never logged)
    std::optional<bool> manage_master_user_password; //!< ManageMasterUserPassword (RDS-managed secret)
    std::optional<bool> deletion_protection;
    std::optional<ServerlessV2Scaling> serverless_v2;
    std::vector<std::string> vpc_security_group_ids;
    std::string db_cluster_parameter_group_name;
    std::optional<std::int64_t> backup_retention_period;
    std::optional<bool> apply_immediately; //!< ApplyImmediately (rename and password: true to act now)
};

//! DeleteDBInstance.
struct DeleteDbInstanceRequest {
    std::string instance_identifier;
    std::optional<bool> skip_final_snapshot;     //!< ignored for Aurora members (the cluster keeps the data)
    std::optional<bool> delete_automated_backups;
};

//! DeleteDBCluster. Either skip_final_snapshot = true or a final snapshot identifier.
struct DeleteDbClusterRequest {
    std::string cluster_identifier;
    bool skip_final_snapshot = true;
    std::string final_snapshot_identifier; //!< FinalDBSnapshotIdentifier, when not skipping
    std::optional<bool> delete_automated_backups;
};

} // namespace aurora::aws::rds
