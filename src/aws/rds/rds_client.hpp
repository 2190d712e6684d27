#pragma once
//! Amazon RDS client for Aurora (Query protocol, API version 2014-10-31): the calls the restore pipeline
//! makes. Every call goes through AwsClient (signing, retries, rate limiting). RDS error codes map to the
//! catalogue (rds_error_code): DBClusterSnapshotNotFoundFault -> snapshot_not_found, DBClusterNotFoundFault
//! -> cluster_not_found, DBInstanceNotFound -> instance_not_found, *AlreadyExists* -> already_exists,
//! Invalid*State* -> invalid_state, KMSKeyNotAccessibleFault -> kms_key_not_accessible, quota faults ->
//! quota_exceeded.
//!
//! Idempotency: Describe*/ListTagsForResource are read-only. RDS has no client tokens: a Create/Restore/
//! Copy repeated after a lost response fails with already_exists, which the caller treats as "done" after
//! checking the resource's tags; Delete* repeated fails with *_not_found or invalid_state ("deleting").

#include "aws/client/aws_client.hpp"
#include "aws/rds/rds_types.hpp"

#include <optional>
#include <string>
#include <vector>

namespace aurora::aws::rds {

//! The catalogue code for an RDS error code (nullopt: not RDS-specific; the generic mapping applies).
std::optional<ErrorCode> rds_error_code(const std::string& aws_code, int http_status);

//! The RDS service descriptor (endpoint prefix and signing name "rds").
ServiceDescriptor rds_service();

//! Thread-safe: calls from many threads share one AwsClient (signing, retries, rate limiter).
class RdsClient {
public:
    //! A client on `context` (region, endpoint, transport, credentials); throws Error(config) as AwsClient does.
    explicit RdsClient(ClientContext context);

    //! DescribeDBClusterSnapshots, one page. Read-only. A named snapshot that does not exist throws
    //! snapshot_not_found; filters that match nothing return an empty page.
    DescribeDbClusterSnapshotsResult describe_db_cluster_snapshots(const DescribeDbClusterSnapshotsRequest& req);
    //! Every page of DescribeDBClusterSnapshots, following Marker until RDS returns none.
    std::vector<DbClusterSnapshot> describe_all_db_cluster_snapshots(DescribeDbClusterSnapshotsRequest req);
    //! The snapshot named `id` (an id or an ARN), or nullopt when RDS answers DBClusterSnapshotNotFoundFault.
    std::optional<DbClusterSnapshot> find_db_cluster_snapshot(const std::string& id);

    //! CopyDBClusterSnapshot. Cross-region (source_region set): adds the SigV4-presigned PreSignedUrl that
    //! botocore generates, signed for the source region with DestinationRegion = this client's region.
    //! Not idempotent: a second copy to the same target throws already_exists. Missing source:
    //! snapshot_not_found; unusable KMS key: kms_key_not_accessible.
    DbClusterSnapshot copy_db_cluster_snapshot(const CopyDbClusterSnapshotRequest& req);

    //! CreateDBClusterSnapshot (manual snapshot; tests and demos). Not idempotent (already_exists).
    DbClusterSnapshot create_db_cluster_snapshot(const std::string& snapshot_identifier,
                                                 const std::string& cluster_identifier, const Tags& tags = {});

    //! DeleteDBClusterSnapshot. Returns the snapshot as it was; missing: snapshot_not_found.
    DbClusterSnapshot delete_db_cluster_snapshot(const std::string& snapshot_identifier);

    //! DescribeDBClusters, one page. Read-only. A named cluster that does not exist throws cluster_not_found.
    DescribeDbClustersResult describe_db_clusters(const DescribeDbClustersRequest& req);
    //! Every page of DescribeDBClusters, following Marker.
    std::vector<DbCluster> describe_all_db_clusters(DescribeDbClustersRequest req);
    //! The cluster named `id`, or nullopt when it does not exist.
    std::optional<DbCluster> find_db_cluster(const std::string& id);

    //! DescribeDBInstances, one page. Read-only. A named instance that does not exist throws
    //! instance_not_found.
    DescribeDbInstancesResult describe_db_instances(const DescribeDbInstancesRequest& req);
    //! Every page of DescribeDBInstances, following Marker.
    std::vector<DbInstance> describe_all_db_instances(DescribeDbInstancesRequest req);
    //! The instance named `id`, or nullopt when it does not exist.
    std::optional<DbInstance> find_db_instance(const std::string& id);

    //! RestoreDBClusterFromSnapshot. Not idempotent (already_exists when the cluster exists); missing
    //! snapshot: snapshot_not_found.
    DbCluster restore_db_cluster_from_snapshot(const RestoreDbClusterFromSnapshotRequest& req);
    //! RestoreDBClusterToPointInTime (RestoreType copy-on-write: an Aurora clone). Not idempotent
    //! (already_exists); missing source: cluster_not_found.
    DbCluster restore_db_cluster_to_point_in_time(const RestoreDbClusterToPointInTimeRequest& req);
    //! CreateDBInstance. Not idempotent (already_exists); missing cluster: cluster_not_found.
    DbInstance create_db_instance(const CreateDbInstanceRequest& req);
    //! ModifyDBCluster. Repeating the same change is harmless except a rename (cluster_not_found: the old
    //! name is gone). A master password is registered as a secret before it is sent.
    DbCluster modify_db_cluster(const ModifyDbClusterRequest& req);
    //! DeleteDBInstance. Missing: instance_not_found; already deleting: invalid_state.
    DbInstance delete_db_instance(const DeleteDbInstanceRequest& req);
    //! DeleteDBCluster (members must be deleted first). Missing: cluster_not_found; deletion protection or
    //! members left: invalid_state.
    DbCluster delete_db_cluster(const DeleteDbClusterRequest& req);

    //! AddTagsToResource. Idempotent (tags are set, existing keys overwritten). Missing resource: the
    //! resource's *_not_found code.
    void add_tags_to_resource(const std::string& resource_arn, const Tags& tags);
    //! ListTagsForResource. Read-only.
    Tags list_tags_for_resource(const std::string& resource_arn);
    //! RemoveTagsFromResource. Idempotent (absent keys are ignored).
    void remove_tags_from_resource(const std::string& resource_arn, const std::vector<std::string>& keys);

    //! The underlying core (region, endpoint, clock).
    AwsClient& core() noexcept { return core_; }

private:
    std::string presigned_copy_url(const QueryParams& params, const std::string& source_region);

    AwsClient core_;
};

} // namespace aurora::aws::rds
