#include "aws/rds/rds_client.hpp"

#include "aws/aws_error.hpp"
#include "aws/rds/rds_wire.hpp"
#include "aws/sigv4/query_presign.hpp"
#include "common/redact.hpp"

#include <set>
#include <utility>

namespace aurora::aws::rds {

using namespace wire;

std::optional<ErrorCode> rds_error_code(const std::string& aws_code, int /*http_status*/) {
    // Wire codes from the RDS model's "error.code" (botocore service-2.json), which for some faults differ
    // from the shape name (DBInstanceNotFoundFault is sent as "DBInstanceNotFound").
    static const std::pair<const char*, ErrorCode> kTable[] = {
        {"DBClusterSnapshotNotFoundFault", ErrorCode::snapshot_not_found},
        {"DBSnapshotNotFound", ErrorCode::snapshot_not_found},
        {"DBClusterNotFoundFault", ErrorCode::cluster_not_found},
        {"DBInstanceNotFound", ErrorCode::instance_not_found},
        {"DBInstanceNotFoundFault", ErrorCode::instance_not_found},
        {"DBClusterAlreadyExistsFault", ErrorCode::already_exists},
        {"DBInstanceAlreadyExists", ErrorCode::already_exists},
        {"DBClusterSnapshotAlreadyExistsFault", ErrorCode::already_exists},
        {"DBSnapshotAlreadyExists", ErrorCode::already_exists},
        {"InvalidDBClusterStateFault", ErrorCode::invalid_state},
        {"InvalidDBInstanceState", ErrorCode::invalid_state},
        {"InvalidDBClusterSnapshotStateFault", ErrorCode::invalid_state},
        {"InvalidDBSnapshotState", ErrorCode::invalid_state},
        {"InvalidRestoreFault", ErrorCode::invalid_state},
        {"KMSKeyNotAccessibleFault", ErrorCode::kms_key_not_accessible},
        {"DBSubnetGroupNotFoundFault", ErrorCode::not_found},
        {"DBClusterParameterGroupNotFound", ErrorCode::not_found},
        {"DBParameterGroupNotFound", ErrorCode::not_found},
        {"SnapshotQuotaExceeded", ErrorCode::quota_exceeded},
        {"DBClusterQuotaExceededFault", ErrorCode::quota_exceeded},
        {"InstanceQuotaExceeded", ErrorCode::quota_exceeded},
        {"StorageQuotaExceeded", ErrorCode::quota_exceeded},
    };
    for (const auto& [code, mapped] : kTable) {
        if (aws_code == code) {
            return mapped;
        }
    }
    return std::nullopt;
}

ServiceDescriptor rds_service() {
    return ServiceDescriptor{"RDS", "rds", "rds", "2014-10-31", Protocol::query, ""};
}

RdsClient::RdsClient(ClientContext context) : core_(rds_service(), std::move(context), rds_error_code) {}

namespace {

//! Follows Marker across pages, refusing a marker RDS already returned (a looping server).
template <typename Page, typename Fetch, typename Take>
void follow_markers(std::string& marker, Fetch fetch, Take take) {
    std::set<std::string> seen;
    for (;;) {
        Page page = fetch();
        take(page);
        if (page.marker.empty()) {
            return;
        }
        if (!seen.insert(page.marker).second) {
            throw Error(ErrorCode::aws_service, "rds returned the pagination marker '" + page.marker + "' twice");
        }
        marker = page.marker;
    }
}

//! The first item of a describe-by-identifier, or nullopt when RDS answers `not_found` (its *NotFound fault)
//! or an empty page: a missing resource is a value, not an error.
template <typename Item, typename Fetch> std::optional<Item> first_or_none(ErrorCode not_found, Fetch fetch) {
    try {
        std::vector<Item> items = fetch();
        if (items.empty()) {
            return std::nullopt;
        }
        return std::move(items.front());
    } catch (const AwsError& e) {
        if (e.code() == not_found) {
            return std::nullopt;
        }
        throw;
    }
}

} // namespace

DescribeDbClusterSnapshotsResult
RdsClient::describe_db_cluster_snapshots(const DescribeDbClusterSnapshotsRequest& req) {
    QueryParams p;
    add_optional(p, "DBClusterIdentifier", req.cluster_identifier);
    add_optional(p, "DBClusterSnapshotIdentifier", req.snapshot_identifier);
    add_optional(p, "SnapshotType", req.snapshot_type);
    add_filters(p, req.filters);
    add_optional(p, "MaxRecords", req.max_records);
    add_optional(p, "Marker", req.marker);
    add_optional(p, "IncludeShared", req.include_shared);
    add_optional(p, "IncludePublic", req.include_public);
    const XmlResponse resp = core_.query("DescribeDBClusterSnapshots", p);
    const XmlNode r = resp.result();
    DescribeDbClusterSnapshotsResult out;
    for (const auto& s : r.list("DBClusterSnapshots", "DBClusterSnapshot")) {
        out.snapshots.push_back(parse_snapshot(s));
    }
    out.marker = r.text("Marker").value_or("");
    return out;
}

std::vector<DbClusterSnapshot> RdsClient::describe_all_db_cluster_snapshots(DescribeDbClusterSnapshotsRequest req) {
    std::vector<DbClusterSnapshot> all;
    follow_markers<DescribeDbClusterSnapshotsResult>(
        req.marker, [&] { return describe_db_cluster_snapshots(req); },
        [&](DescribeDbClusterSnapshotsResult& page) {
            std::move(page.snapshots.begin(), page.snapshots.end(), std::back_inserter(all));
        });
    return all;
}

std::optional<DbClusterSnapshot> RdsClient::find_db_cluster_snapshot(const std::string& id) {
    DescribeDbClusterSnapshotsRequest req;
    req.snapshot_identifier = id;
    return first_or_none<DbClusterSnapshot>(ErrorCode::snapshot_not_found,
                                            [&] { return describe_db_cluster_snapshots(req).snapshots; });
}

std::string RdsClient::presigned_copy_url(const QueryParams& params, const std::string& source_region) {
    // botocore handlers.inject_presigned_url_rds: the call's own parameters (Action, Version, then the
    // serialized members, without SourceRegion and PreSignedUrl), presigned by the SigV4 layer exactly as
    // botocore does it (DestinationRegion appended, GET against the source region's endpoint, 3600 s).
    QueryActionParams op{{"Action", "CopyDBClusterSnapshot"}, {"Version", rds_service().api_version}};
    for (const auto& entry : params.entries()) {
        op.push_back(entry);
    }
    return rds_cross_region_presigned_url(core_.endpoint_url(), core_.region(), source_region, op, core_.credentials(),
                                          core_.clock().now());
}

DbClusterSnapshot RdsClient::copy_db_cluster_snapshot(const CopyDbClusterSnapshotRequest& req) {
    QueryParams p;
    p.add("SourceDBClusterSnapshotIdentifier", req.source_identifier);
    p.add("TargetDBClusterSnapshotIdentifier", req.target_identifier);
    add_optional(p, "KmsKeyId", req.kms_key_id);
    add_optional(p, "CopyTags", req.copy_tags);
    add_tags(p, req.tags);
    if (!req.pre_signed_url.empty()) {
        p.add("PreSignedUrl", req.pre_signed_url);
    } else if (!req.source_region.empty() && req.source_region != core_.region()) {
        p.add("PreSignedUrl", presigned_copy_url(p, req.source_region));
    }
    const XmlResponse resp = core_.query("CopyDBClusterSnapshot", p);
    return parse_snapshot(resp.result().child("DBClusterSnapshot"));
}

DbClusterSnapshot RdsClient::create_db_cluster_snapshot(const std::string& snapshot_identifier,
                                                        const std::string& cluster_identifier, const Tags& tags) {
    QueryParams p;
    p.add("DBClusterSnapshotIdentifier", snapshot_identifier);
    p.add("DBClusterIdentifier", cluster_identifier);
    add_tags(p, tags);
    const XmlResponse resp = core_.query("CreateDBClusterSnapshot", p);
    return parse_snapshot(resp.result().child("DBClusterSnapshot"));
}

DbClusterSnapshot RdsClient::delete_db_cluster_snapshot(const std::string& snapshot_identifier) {
    QueryParams p;
    p.add("DBClusterSnapshotIdentifier", snapshot_identifier);
    const XmlResponse resp = core_.query("DeleteDBClusterSnapshot", p);
    return parse_snapshot(resp.result().child("DBClusterSnapshot"));
}

DescribeDbClustersResult RdsClient::describe_db_clusters(const DescribeDbClustersRequest& req) {
    QueryParams p;
    add_optional(p, "DBClusterIdentifier", req.cluster_identifier);
    add_filters(p, req.filters);
    add_optional(p, "MaxRecords", req.max_records);
    add_optional(p, "Marker", req.marker);
    add_optional(p, "IncludeShared", req.include_shared);
    const XmlResponse resp = core_.query("DescribeDBClusters", p);
    const XmlNode r = resp.result();
    DescribeDbClustersResult out;
    for (const auto& c : r.list("DBClusters", "DBCluster")) {
        out.clusters.push_back(parse_cluster(c));
    }
    out.marker = r.text("Marker").value_or("");
    return out;
}

std::vector<DbCluster> RdsClient::describe_all_db_clusters(DescribeDbClustersRequest req) {
    std::vector<DbCluster> all;
    follow_markers<DescribeDbClustersResult>(
        req.marker, [&] { return describe_db_clusters(req); },
        [&](DescribeDbClustersResult& page) {
            std::move(page.clusters.begin(), page.clusters.end(), std::back_inserter(all));
        });
    return all;
}

std::optional<DbCluster> RdsClient::find_db_cluster(const std::string& id) {
    DescribeDbClustersRequest req;
    req.cluster_identifier = id;
    return first_or_none<DbCluster>(ErrorCode::cluster_not_found, [&] { return describe_db_clusters(req).clusters; });
}

DescribeDbInstancesResult RdsClient::describe_db_instances(const DescribeDbInstancesRequest& req) {
    QueryParams p;
    add_optional(p, "DBInstanceIdentifier", req.instance_identifier);
    add_filters(p, req.filters);
    add_optional(p, "MaxRecords", req.max_records);
    add_optional(p, "Marker", req.marker);
    const XmlResponse resp = core_.query("DescribeDBInstances", p);
    const XmlNode r = resp.result();
    DescribeDbInstancesResult out;
    for (const auto& i : r.list("DBInstances", "DBInstance")) {
        out.instances.push_back(parse_instance(i));
    }
    out.marker = r.text("Marker").value_or("");
    return out;
}

std::vector<DbInstance> RdsClient::describe_all_db_instances(DescribeDbInstancesRequest req) {
    std::vector<DbInstance> all;
    follow_markers<DescribeDbInstancesResult>(
        req.marker, [&] { return describe_db_instances(req); },
        [&](DescribeDbInstancesResult& page) {
            std::move(page.instances.begin(), page.instances.end(), std::back_inserter(all));
        });
    return all;
}

std::optional<DbInstance> RdsClient::find_db_instance(const std::string& id) {
    DescribeDbInstancesRequest req;
    req.instance_identifier = id;
    return first_or_none<DbInstance>(ErrorCode::instance_not_found,
                                     [&] { return describe_db_instances(req).instances; });
}

DbCluster RdsClient::restore_db_cluster_from_snapshot(const RestoreDbClusterFromSnapshotRequest& req) {
    QueryParams p;
    p.add("DBClusterIdentifier", req.cluster_identifier);
    p.add("SnapshotIdentifier", req.snapshot_identifier);
    p.add("Engine", req.engine);
    add_optional(p, "EngineVersion", req.engine_version);
    add_optional(p, "Port", req.port);
    add_optional(p, "DBSubnetGroupName", req.db_subnet_group_name);
    add_optional(p, "DatabaseName", req.database_name);
    add_vpc_security_group_ids(p, req.vpc_security_group_ids);
    add_tags(p, req.tags);
    add_optional(p, "KmsKeyId", req.kms_key_id);
    add_optional(p, "EnableIAMDatabaseAuthentication", req.enable_iam_database_authentication);
    add_optional(p, "DBClusterParameterGroupName", req.db_cluster_parameter_group_name);
    add_optional(p, "DeletionProtection", req.deletion_protection);
    add_optional(p, "CopyTagsToSnapshot", req.copy_tags_to_snapshot);
    add_serverless_v2(p, req.serverless_v2);
    const XmlResponse resp = core_.query("RestoreDBClusterFromSnapshot", p);
    return parse_cluster(resp.result().child("DBCluster"));
}

DbCluster RdsClient::restore_db_cluster_to_point_in_time(const RestoreDbClusterToPointInTimeRequest& req) {
    QueryParams p;
    p.add("DBClusterIdentifier", req.cluster_identifier);
    add_optional(p, "RestoreType", req.restore_type);
    p.add("SourceDBClusterIdentifier", req.source_cluster_identifier);
    if (req.restore_to_time) {
        p.add_timestamp("RestoreToTime", *req.restore_to_time);
    } else if (req.use_latest_restorable_time) {
        p.add_bool("UseLatestRestorableTime", true);
    }
    add_optional(p, "Port", req.port);
    add_optional(p, "DBSubnetGroupName", req.db_subnet_group_name);
    add_vpc_security_group_ids(p, req.vpc_security_group_ids);
    add_tags(p, req.tags);
    add_optional(p, "KmsKeyId", req.kms_key_id);
    add_optional(p, "DBClusterParameterGroupName", req.db_cluster_parameter_group_name);
    add_optional(p, "DeletionProtection", req.deletion_protection);
    add_optional(p, "CopyTagsToSnapshot", req.copy_tags_to_snapshot);
    add_serverless_v2(p, req.serverless_v2);
    const XmlResponse resp = core_.query("RestoreDBClusterToPointInTime", p);
    return parse_cluster(resp.result().child("DBCluster"));
}

DbInstance RdsClient::create_db_instance(const CreateDbInstanceRequest& req) {
    QueryParams p;
    p.add("DBInstanceIdentifier", req.instance_identifier);
    p.add("DBInstanceClass", req.instance_class);
    p.add("Engine", req.engine);
    add_optional(p, "AvailabilityZone", req.availability_zone);
    add_optional(p, "DBParameterGroupName", req.db_parameter_group_name);
    add_optional(p, "AutoMinorVersionUpgrade", req.auto_minor_version_upgrade);
    add_optional(p, "PubliclyAccessible", req.publicly_accessible);
    add_tags(p, req.tags);
    add_optional(p, "DBClusterIdentifier", req.cluster_identifier);
    add_optional(p, "CopyTagsToSnapshot", req.copy_tags_to_snapshot);
    add_optional(p, "PromotionTier", req.promotion_tier);
    const XmlResponse resp = core_.query("CreateDBInstance", p);
    return parse_instance(resp.result().child("DBInstance"));
}

DbCluster RdsClient::modify_db_cluster(const ModifyDbClusterRequest& req) {
    QueryParams p;
    p.add("DBClusterIdentifier", req.cluster_identifier);
    add_optional(p, "NewDBClusterIdentifier", req.new_cluster_identifier);
    add_optional(p, "ApplyImmediately", req.apply_immediately);
    add_optional(p, "BackupRetentionPeriod", req.backup_retention_period);
    add_optional(p, "DBClusterParameterGroupName", req.db_cluster_parameter_group_name);
    add_vpc_security_group_ids(p, req.vpc_security_group_ids);
    if (!req.master_user_password.empty()) {
        // Registered before it goes anywhere, so no log line or error message can carry it.
        register_secret(req.master_user_password);
        p.add("MasterUserPassword", req.master_user_password);
    }
    add_optional(p, "DeletionProtection", req.deletion_protection);
    add_serverless_v2(p, req.serverless_v2);
    add_optional(p, "ManageMasterUserPassword", req.manage_master_user_password);
    const XmlResponse resp = core_.query("ModifyDBCluster", p);
    return parse_cluster(resp.result().child("DBCluster"));
}

DbInstance RdsClient::delete_db_instance(const DeleteDbInstanceRequest& req) {
    QueryParams p;
    p.add("DBInstanceIdentifier", req.instance_identifier);
    add_optional(p, "SkipFinalSnapshot", req.skip_final_snapshot);
    add_optional(p, "DeleteAutomatedBackups", req.delete_automated_backups);
    const XmlResponse resp = core_.query("DeleteDBInstance", p);
    return parse_instance(resp.result().child("DBInstance"));
}

DbCluster RdsClient::delete_db_cluster(const DeleteDbClusterRequest& req) {
    QueryParams p;
    p.add("DBClusterIdentifier", req.cluster_identifier);
    p.add_bool("SkipFinalSnapshot", req.skip_final_snapshot);
    if (!req.skip_final_snapshot) {
        p.add("FinalDBSnapshotIdentifier", req.final_snapshot_identifier);
    }
    add_optional(p, "DeleteAutomatedBackups", req.delete_automated_backups);
    const XmlResponse resp = core_.query("DeleteDBCluster", p);
    return parse_cluster(resp.result().child("DBCluster"));
}

void RdsClient::add_tags_to_resource(const std::string& resource_arn, const Tags& tags) {
    QueryParams p;
    p.add("ResourceName", resource_arn);
    add_tags(p, tags);
    core_.query("AddTagsToResource", p);
}

Tags RdsClient::list_tags_for_resource(const std::string& resource_arn) {
    QueryParams p;
    p.add("ResourceName", resource_arn);
    const XmlResponse resp = core_.query("ListTagsForResource", p);
    return parse_tags(resp.result());
}

void RdsClient::remove_tags_from_resource(const std::string& resource_arn, const std::vector<std::string>& keys) {
    QueryParams p;
    p.add("ResourceName", resource_arn);
    p.add_list("TagKeys", keys);
    core_.query("RemoveTagsFromResource", p);
}

} // namespace aurora::aws::rds
