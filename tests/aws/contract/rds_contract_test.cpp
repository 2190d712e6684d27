// The RDS client's contract, on the sandbox and on moto: every call the pipeline makes (describe with
// filters, snapshots, copies, restores, clones, instances, modify, delete, tags) and its not-found /
// already-exists errors mapped to the catalogue. Differences from AWS come only from BackendTraits.
#include "contract_fixture.hpp"

#include <algorithm>

namespace aurora::aws::contract {
namespace {

bool has_tag(const rds::Tags& tags, const std::string& key, const std::string& value) {
    return std::find(tags.begin(), tags.end(), rds::Tag{key, value}) != tags.end();
}

//! The ARN of a missing cluster in the same account and region as `existing_arn`.
std::string missing_cluster_arn(const std::string& existing_arn, const std::string& existing_id) {
    return existing_arn.substr(0, existing_arn.size() - existing_id.size()) + unique_name("absent");
}

TEST_P(ClientContract, RdsDescribeClustersByIdAndFilter) {
    rds::RdsClient rds(context());
    const std::string id = create_source_cluster(rds, "ct-desc");

    const auto found = rds.find_db_cluster(id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->identifier, id);
    EXPECT_EQ(found->engine, "aurora-postgresql");
    EXPECT_EQ(found->status, "available");
    EXPECT_NE(found->arn.find(":rds:us-east-1:"), std::string::npos) << found->arn;
    EXPECT_TRUE(found->members.empty());

    rds::DescribeDbClustersRequest by_filter;
    by_filter.filters = {{"db-cluster-id", {id}}};
    const auto filtered = rds.describe_all_db_clusters(by_filter);
    ASSERT_EQ(filtered.size(), 1U);
    EXPECT_EQ(filtered[0].arn, found->arn);

    const std::string absent = unique_name("absent");
    EXPECT_FALSE(rds.find_db_cluster(absent).has_value());
    rds::DescribeDbClustersRequest named;
    named.cluster_identifier = absent;
    const AwsError e = expect_aws_error([&] { rds.describe_db_clusters(named); });
    EXPECT_EQ(e.code(), ErrorCode::cluster_not_found) << e.what();
    EXPECT_EQ(e.aws_code(), "DBClusterNotFoundFault");
    EXPECT_EQ(e.http_status(), 404);
    delete_cluster_quietly(rds, id);
}

TEST_P(ClientContract, RdsInstancesCreateDescribeDelete) {
    rds::RdsClient rds(context());
    const std::string cluster = create_source_cluster(rds, "ct-inst");
    rds::CreateDbInstanceRequest inst;
    inst.instance_identifier = cluster + "-1";
    inst.instance_class = "db.r6g.large";
    inst.engine = "aurora-postgresql";
    inst.cluster_identifier = cluster;
    const auto created = rds.create_db_instance(inst);
    EXPECT_EQ(created.cluster_identifier, cluster);
    // BackendTraits::has_lifecycles: AWS answers `creating`; moto's instance is available at once.
    EXPECT_EQ(created.status, traits().has_lifecycles ? "creating" : "available");
    EXPECT_EQ(wait_until(instance_status(rds, inst.instance_identifier), "available"), "available");

    rds::DescribeDbInstancesRequest by_cluster;
    by_cluster.filters = {{"db-cluster-id", {cluster}}};
    const auto members = rds.describe_all_db_instances(by_cluster);
    ASSERT_EQ(members.size(), 1U);
    EXPECT_EQ(members[0].identifier, inst.instance_identifier);
    EXPECT_EQ(members[0].instance_class, "db.r6g.large");
    EXPECT_EQ(wait_until(cluster_status(rds, cluster), "available"), "available");
    const auto with_member = rds.find_db_cluster(cluster);
    ASSERT_TRUE(with_member.has_value());
    ASSERT_EQ(with_member->members.size(), 1U);
    EXPECT_EQ(with_member->members[0].instance_identifier, inst.instance_identifier);
    EXPECT_TRUE(with_member->members[0].is_writer);

    AwsError e = expect_aws_error([&] { rds.create_db_instance(inst); });
    EXPECT_EQ(e.code(), ErrorCode::already_exists) << e.what();
    EXPECT_EQ(e.aws_code(), "DBInstanceAlreadyExists");

    rds::CreateDbInstanceRequest orphan = inst;
    orphan.instance_identifier = unique_name("ct-orphan");
    orphan.cluster_identifier = unique_name("absent");
    e = expect_aws_error([&] { rds.create_db_instance(orphan); });
    EXPECT_EQ(e.code(), ErrorCode::cluster_not_found) << e.what();

    // RDS refuses to delete a cluster that still has members.
    rds::DeleteDbClusterRequest del_cluster;
    del_cluster.cluster_identifier = cluster;
    e = expect_aws_error([&] { rds.delete_db_cluster(del_cluster); });
    EXPECT_EQ(e.code(), ErrorCode::invalid_state) << e.what();
    EXPECT_EQ(e.aws_code(), "InvalidDBClusterStateFault");

    rds::DeleteDbInstanceRequest del;
    del.instance_identifier = inst.instance_identifier;
    EXPECT_EQ(rds.delete_db_instance(del).identifier, inst.instance_identifier);
    EXPECT_EQ(wait_until(instance_status(rds, inst.instance_identifier), kGone), kGone);
    e = expect_aws_error([&] { rds.delete_db_instance(del); });
    EXPECT_EQ(e.code(), ErrorCode::instance_not_found) << e.what();
    EXPECT_EQ(e.aws_code(), "DBInstanceNotFound");
    rds::DescribeDbInstancesRequest named;
    named.instance_identifier = inst.instance_identifier;
    e = expect_aws_error([&] { rds.describe_db_instances(named); });
    EXPECT_EQ(e.code(), ErrorCode::instance_not_found) << e.what();
    EXPECT_FALSE(rds.find_db_instance(inst.instance_identifier).has_value());
    delete_cluster_quietly(rds, cluster);
}

TEST_P(ClientContract, RdsSnapshotCreateDescribeCopyDelete) {
    rds::RdsClient rds(context());
    const std::string cluster = create_source_cluster(rds, "ct-snap");
    const std::string snap = unique_name("ct-snap");
    const auto taken = rds.create_db_cluster_snapshot(snap, cluster, {{"team", "orders"}});
    EXPECT_EQ(taken.identifier, snap);
    EXPECT_EQ(taken.status, traits().has_lifecycles ? "creating" : "available");
    EXPECT_EQ(wait_until(snapshot_status(rds, snap), "available"), "available");
    EXPECT_EQ(wait_until(cluster_status(rds, cluster), "available"), "available");

    // Both backends keep an automated snapshot of a new cluster, as AWS does: select the manual ones.
    rds::DescribeDbClusterSnapshotsRequest by_cluster;
    by_cluster.cluster_identifier = cluster;
    by_cluster.snapshot_type = "manual";
    const auto manual = rds.describe_all_db_cluster_snapshots(by_cluster);
    ASSERT_EQ(manual.size(), 1U);
    EXPECT_EQ(manual[0].identifier, snap);
    EXPECT_EQ(manual[0].cluster_identifier, cluster);
    EXPECT_EQ(manual[0].engine, "aurora-postgresql");
    EXPECT_EQ(manual[0].snapshot_type, "manual");
    EXPECT_TRUE(manual[0].create_time.has_value());

    rds::DescribeDbClusterSnapshotsRequest by_filter;
    by_filter.filters = {{"db-cluster-id", {cluster}}, {"snapshot-type", {"manual"}}};
    const auto filtered = rds.describe_all_db_cluster_snapshots(by_filter);
    ASSERT_EQ(filtered.size(), 1U);
    EXPECT_EQ(filtered[0].arn, manual[0].arn);
    EXPECT_TRUE(has_tag(rds.list_tags_for_resource(manual[0].arn), "team", "orders"));

    rds::CopyDbClusterSnapshotRequest copy;
    copy.source_identifier = snap;
    copy.target_identifier = snap + "-copy";
    copy.copy_tags = true;
    EXPECT_EQ(rds.copy_db_cluster_snapshot(copy).identifier, copy.target_identifier);
    EXPECT_EQ(wait_until(snapshot_status(rds, copy.target_identifier), "available"), "available");
    const auto copied = rds.find_db_cluster_snapshot(copy.target_identifier);
    ASSERT_TRUE(copied.has_value());
    EXPECT_TRUE(has_tag(rds.list_tags_for_resource(copied->arn), "team", "orders"));

    AwsError e = expect_aws_error([&] { rds.copy_db_cluster_snapshot(copy); });
    EXPECT_EQ(e.code(), ErrorCode::already_exists) << e.what();
    EXPECT_EQ(e.aws_code(), "DBClusterSnapshotAlreadyExistsFault");
    rds::CopyDbClusterSnapshotRequest from_missing = copy;
    from_missing.source_identifier = unique_name("absent");
    from_missing.target_identifier = unique_name("ct-copy");
    e = expect_aws_error([&] { rds.copy_db_cluster_snapshot(from_missing); });
    EXPECT_EQ(e.code(), ErrorCode::snapshot_not_found) << e.what();
    EXPECT_EQ(e.aws_code(), "DBClusterSnapshotNotFoundFault");

    EXPECT_FALSE(rds.find_db_cluster_snapshot(unique_name("absent")).has_value());
    rds::DescribeDbClusterSnapshotsRequest named;
    named.snapshot_identifier = unique_name("absent");
    e = expect_aws_error([&] { rds.describe_db_cluster_snapshots(named); });
    EXPECT_EQ(e.code(), ErrorCode::snapshot_not_found) << e.what();
    EXPECT_EQ(e.http_status(), 404);

    EXPECT_EQ(rds.delete_db_cluster_snapshot(copy.target_identifier).identifier, copy.target_identifier);
    EXPECT_EQ(wait_until(snapshot_status(rds, copy.target_identifier), kGone), kGone);
    e = expect_aws_error([&] { rds.delete_db_cluster_snapshot(copy.target_identifier); });
    EXPECT_EQ(e.code(), ErrorCode::snapshot_not_found) << e.what();
    rds.delete_db_cluster_snapshot(snap);
    delete_cluster_quietly(rds, cluster);
}

TEST_P(ClientContract, RdsRestoreFromSnapshotCreatesNoInstances) {
    rds::RdsClient rds(context());
    const std::string cluster = create_source_cluster(rds, "ct-rsrc");
    const std::string snap = unique_name("ct-rsnap");
    rds.create_db_cluster_snapshot(snap, cluster);
    EXPECT_EQ(wait_until(snapshot_status(rds, snap), "available"), "available");

    rds::RestoreDbClusterFromSnapshotRequest restore;
    restore.cluster_identifier = unique_name("ct-restored");
    restore.snapshot_identifier = snap;
    restore.engine = "aurora-postgresql";
    restore.tags = {{"aurora-restore:owner", "r-1"}};
    const auto restored = rds.restore_db_cluster_from_snapshot(restore);
    EXPECT_EQ(restored.identifier, restore.cluster_identifier);
    EXPECT_EQ(wait_until(cluster_status(rds, restore.cluster_identifier), "available"), "available");
    const auto after = rds.find_db_cluster(restore.cluster_identifier);
    ASSERT_TRUE(after.has_value());
    EXPECT_TRUE(after->members.empty()) << "a restore creates no instances";
    EXPECT_EQ(after->engine, "aurora-postgresql");
    EXPECT_TRUE(has_tag(rds.list_tags_for_resource(after->arn), "aurora-restore:owner", "r-1"));

    rds::RestoreDbClusterFromSnapshotRequest missing = restore;
    missing.cluster_identifier = unique_name("ct-restored");
    missing.snapshot_identifier = unique_name("absent");
    AwsError e = expect_aws_error([&] { rds.restore_db_cluster_from_snapshot(missing); });
    EXPECT_EQ(e.code(), ErrorCode::snapshot_not_found) << e.what();

    // A repeated restore (a retry after a lost response) must not overwrite the cluster.
    if (traits().raises_cluster_already_exists) {
        e = expect_aws_error([&] { rds.restore_db_cluster_from_snapshot(restore); });
        EXPECT_EQ(e.code(), ErrorCode::already_exists) << e.what();
        EXPECT_EQ(e.aws_code(), "DBClusterAlreadyExistsFault");
    } else {
        // BackendTraits::raises_cluster_already_exists: moto replaces the cluster; it answers an error only
        // when its automated snapshot name clashes within the same minute.
        try {
            rds.restore_db_cluster_from_snapshot(restore);
        } catch (const AwsError& dup) {
            EXPECT_EQ(dup.aws_code(), "DBClusterSnapshotAlreadyExistsFault") << dup.what();
        }
    }
    delete_cluster_quietly(rds, restore.cluster_identifier);
    rds.delete_db_cluster_snapshot(snap);
    delete_cluster_quietly(rds, cluster);
}

TEST_P(ClientContract, RdsRestoreToPointInTimeClone) {
    rds::RdsClient rds(context());
    const std::string source = create_source_cluster(rds, "ct-csrc");
    rds::RestoreDbClusterToPointInTimeRequest clone;
    clone.cluster_identifier = unique_name("ct-clone");
    clone.source_cluster_identifier = source;
    clone.restore_type = "copy-on-write";
    clone.use_latest_restorable_time = true;
    clone.tags = {{"aurora-restore:owner", "r-2"}};
    EXPECT_EQ(rds.restore_db_cluster_to_point_in_time(clone).identifier, clone.cluster_identifier);
    EXPECT_EQ(wait_until(cluster_status(rds, clone.cluster_identifier), "available"), "available");
    const auto cloned = rds.find_db_cluster(clone.cluster_identifier);
    ASSERT_TRUE(cloned.has_value());
    EXPECT_TRUE(cloned->members.empty()) << "a clone creates no instances";
    EXPECT_EQ(cloned->engine, "aurora-postgresql");

    rds::RestoreDbClusterToPointInTimeRequest from_missing = clone;
    from_missing.cluster_identifier = unique_name("ct-clone");
    from_missing.source_cluster_identifier = unique_name("absent");
    AwsError e = expect_aws_error([&] { rds.restore_db_cluster_to_point_in_time(from_missing); });
    EXPECT_EQ(e.code(), ErrorCode::cluster_not_found) << e.what();

    if (traits().raises_cluster_already_exists) {
        e = expect_aws_error([&] { rds.restore_db_cluster_to_point_in_time(clone); });
        EXPECT_EQ(e.code(), ErrorCode::already_exists) << e.what();
        EXPECT_EQ(e.aws_code(), "DBClusterAlreadyExistsFault");
    } else {
        try {
            rds.restore_db_cluster_to_point_in_time(clone);
        } catch (const AwsError& dup) {
            EXPECT_EQ(dup.aws_code(), "DBClusterSnapshotAlreadyExistsFault") << dup.what();
        }
    }
    delete_cluster_quietly(rds, clone.cluster_identifier);
    delete_cluster_quietly(rds, source);
}

TEST_P(ClientContract, RdsModifyDeletionProtectionAndRename) {
    rds::RdsClient rds(context());
    const std::string id = create_source_cluster(rds, "ct-mod");
    rds::ModifyDbClusterRequest protect;
    protect.cluster_identifier = id;
    protect.deletion_protection = true;
    protect.apply_immediately = true;
    EXPECT_TRUE(rds.modify_db_cluster(protect).deletion_protection);
    EXPECT_EQ(wait_until(cluster_status(rds, id), "available"), "available");

    // What RDS answers for a protected cluster (not a state fault).
    rds::DeleteDbClusterRequest del;
    del.cluster_identifier = id;
    AwsError e = expect_aws_error([&] { rds.delete_db_cluster(del); });
    EXPECT_EQ(e.aws_code(), "InvalidParameterCombination") << e.what();
    EXPECT_EQ(e.code(), ErrorCode::invalid_parameter) << e.what();

    protect.deletion_protection = false;
    EXPECT_FALSE(rds.modify_db_cluster(protect).deletion_protection);
    EXPECT_EQ(wait_until(cluster_status(rds, id), "available"), "available");

    rds::ModifyDbClusterRequest rename;
    rename.cluster_identifier = id;
    rename.new_cluster_identifier = unique_name("ct-renamed");
    rename.apply_immediately = true;
    const auto renamed = rds.modify_db_cluster(rename);
    EXPECT_EQ(renamed.identifier, rename.new_cluster_identifier);
    if (traits().has_lifecycles) {
        EXPECT_EQ(renamed.status, "renaming");
    }
    EXPECT_EQ(wait_until(cluster_status(rds, rename.new_cluster_identifier), "available"), "available");
    EXPECT_FALSE(rds.find_db_cluster(id).has_value()) << "the old name is gone";

    // Repeating the rename: the old name no longer exists.
    e = expect_aws_error([&] { rds.modify_db_cluster(rename); });
    if (traits().modify_missing_cluster_is_not_found) {
        EXPECT_EQ(e.code(), ErrorCode::cluster_not_found) << e.what();
        EXPECT_EQ(e.aws_code(), "DBClusterNotFoundFault");
    } else {
        EXPECT_EQ(e.http_status(), 500) << e.what();
        EXPECT_EQ(e.code(), ErrorCode::service_unavailable) << e.what();
    }
    delete_cluster_quietly(rds, rename.new_cluster_identifier);
}

TEST_P(ClientContract, RdsDeleteCluster) {
    rds::RdsClient rds(context());
    const std::string id = create_source_cluster(rds, "ct-del");
    rds::DeleteDbClusterRequest del;
    del.cluster_identifier = id;
    const auto deleting = rds.delete_db_cluster(del);
    EXPECT_EQ(deleting.identifier, id);
    if (traits().delete_cluster_reports_deleting) {
        EXPECT_EQ(deleting.status, "deleting");
    }
    EXPECT_EQ(wait_until(cluster_status(rds, id), kGone), kGone);
    const AwsError e = expect_aws_error([&] { rds.delete_db_cluster(del); });
    EXPECT_EQ(e.code(), ErrorCode::cluster_not_found) << e.what();
    EXPECT_EQ(e.aws_code(), "DBClusterNotFoundFault");
}

TEST_P(ClientContract, RdsTagsAddListRemove) {
    rds::RdsClient rds(context());
    const std::string id = create_source_cluster(rds, "ct-tags");
    const auto cluster = rds.find_db_cluster(id);
    ASSERT_TRUE(cluster.has_value());
    rds.add_tags_to_resource(cluster->arn, {{"env", "staging"}, {"team", "orders"}});
    rds.add_tags_to_resource(cluster->arn, {{"env", "dev"}}); // an existing key is overwritten
    auto tags = rds.list_tags_for_resource(cluster->arn);
    EXPECT_TRUE(has_tag(tags, "env", "dev"));
    EXPECT_TRUE(has_tag(tags, "team", "orders"));
    EXPECT_FALSE(has_tag(tags, "env", "staging"));

    rds.remove_tags_from_resource(cluster->arn, {"env", "never-set"}); // absent keys are ignored
    tags = rds.list_tags_for_resource(cluster->arn);
    EXPECT_FALSE(has_tag(tags, "env", "dev"));
    EXPECT_TRUE(has_tag(tags, "team", "orders"));

    const std::string missing = missing_cluster_arn(cluster->arn, id);
    if (traits().tags_require_existing_resource) {
        AwsError e = expect_aws_error([&] { rds.add_tags_to_resource(missing, {{"env", "x"}}); });
        EXPECT_EQ(e.code(), ErrorCode::cluster_not_found) << e.what();
        e = expect_aws_error([&] { rds.list_tags_for_resource(missing); });
        EXPECT_EQ(e.code(), ErrorCode::cluster_not_found) << e.what();
    } else {
        EXPECT_NO_THROW(rds.add_tags_to_resource(missing, {{"env", "x"}}));
        EXPECT_TRUE(rds.list_tags_for_resource(missing).empty());
    }
    delete_cluster_quietly(rds, id);
}

TEST_P(ClientContract, RdsSnapshotPagination) {
    rds::RdsClient rds(context());
    const std::string cluster = create_source_cluster(rds, "ct-page");
    // One more than the smallest page RDS allows (MaxRecords 20..100).
    constexpr std::size_t kSnapshots = 21;
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < kSnapshots; ++i) {
        ids.push_back(cluster + "-s" + std::to_string(i));
        rds.create_db_cluster_snapshot(ids.back(), cluster);
        // A snapshot puts the cluster in `backing-up`; the next one needs it available again.
        ASSERT_EQ(wait_until(cluster_status(rds, cluster), "available"), "available");
    }
    rds::DescribeDbClusterSnapshotsRequest page;
    page.cluster_identifier = cluster;
    page.snapshot_type = "manual";
    page.max_records = 20;
    const auto first = rds.describe_db_cluster_snapshots(page);
    if (traits().paginates) {
        EXPECT_EQ(first.snapshots.size(), 20U);
        ASSERT_FALSE(first.marker.empty());
        page.marker = first.marker;
        const auto second = rds.describe_db_cluster_snapshots(page);
        EXPECT_EQ(second.snapshots.size(), 1U);
        EXPECT_TRUE(second.marker.empty());
        page.marker.clear();
    } else {
        EXPECT_EQ(first.snapshots.size(), kSnapshots);
        EXPECT_TRUE(first.marker.empty());
    }
    EXPECT_EQ(rds.describe_all_db_cluster_snapshots(page).size(), kSnapshots);

    page.max_records = 5;
    if (traits().validates_max_records) {
        const AwsError e = expect_aws_error([&] { rds.describe_db_cluster_snapshots(page); });
        EXPECT_EQ(e.aws_code(), "InvalidParameterValue") << e.what();
        EXPECT_EQ(e.code(), ErrorCode::invalid_parameter) << e.what();
    } else {
        EXPECT_EQ(rds.describe_db_cluster_snapshots(page).snapshots.size(), kSnapshots);
    }
    for (const auto& id : ids) {
        rds.delete_db_cluster_snapshot(id);
    }
    delete_cluster_quietly(rds, cluster);
}

} // namespace
} // namespace aurora::aws::contract
