// RDS client against a scripted transport: exact form bodies, parsing of responses shaped as in the RDS
// API reference, pagination, the cross-region PreSignedUrl, error mapping.

#include "fake_http.hpp"

#include "aws/aws_error.hpp"
#include "aws/rds/rds_client.hpp"
#include "aws/sigv4/query_presign.hpp"
#include "common/redact.hpp"

#include <gtest/gtest.h>

#include <string>

namespace aurora::aws::testing {
namespace {

using rds::RdsClient;

std::string wrap(const std::string& op, const std::string& result) {
    return "<" + op + "Response xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><" + op + "Result>" + result +
           "</" + op + "Result><ResponseMetadata><RequestId>0d4c1b1e-1111-2222-3333-444444444444</RequestId>"
           "</ResponseMetadata></" + op + "Response>";
}

std::string rds_error(const std::string& code, const std::string& message) {
    return "<ErrorResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><Error><Type>Sender</Type><Code>" +
           code + "</Code><Message>" + message +
           "</Message></Error><RequestId>9b1f0e52-aaaa-bbbb-cccc-dddddddddddd</RequestId></ErrorResponse>";
}

const std::string kSnapshot = R"(<DBClusterSnapshot>
  <AvailabilityZones><AvailabilityZone>us-east-1a</AvailabilityZone><AvailabilityZone>us-east-1b</AvailabilityZone></AvailabilityZones>
  <DBClusterSnapshotIdentifier>rds:prod-orders-2024-01-31-02-00</DBClusterSnapshotIdentifier>
  <DBClusterIdentifier>prod-orders</DBClusterIdentifier>
  <SnapshotCreateTime>2024-01-31T02:00:13.123Z</SnapshotCreateTime>
  <Engine>aurora-postgresql</Engine>
  <EngineMode>provisioned</EngineMode>
  <AllocatedStorage>1</AllocatedStorage>
  <Status>available</Status>
  <Port>0</Port>
  <VpcId>vpc-0a1b2c3d</VpcId>
  <ClusterCreateTime>2023-05-01T10:00:00Z</ClusterCreateTime>
  <MasterUsername>postgres</MasterUsername>
  <EngineVersion>15.4</EngineVersion>
  <LicenseModel>postgresql-license</LicenseModel>
  <SnapshotType>automated</SnapshotType>
  <PercentProgress>100</PercentProgress>
  <StorageEncrypted>true</StorageEncrypted>
  <KmsKeyId>arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab</KmsKeyId>
  <DBClusterSnapshotArn>arn:aws:rds:us-east-1:123456789012:cluster-snapshot:rds:prod-orders-2024-01-31-02-00</DBClusterSnapshotArn>
  <IAMDatabaseAuthenticationEnabled>false</IAMDatabaseAuthenticationEnabled>
  <TagList><Tag><Key>team</Key><Value>orders</Value></Tag></TagList>
</DBClusterSnapshot>)";

const std::string kCluster = R"(<DBCluster>
  <AllocatedStorage>1</AllocatedStorage>
  <DBClusterIdentifier>staging-orders</DBClusterIdentifier>
  <DBClusterParameterGroup>staging-aurora-pg15</DBClusterParameterGroup>
  <DBSubnetGroup>staging-private</DBSubnetGroup>
  <Status>available</Status>
  <EarliestRestorableTime>2024-01-30T00:00:00Z</EarliestRestorableTime>
  <Endpoint>staging-orders.cluster-abc.us-west-2.rds.amazonaws.com</Endpoint>
  <ReaderEndpoint>staging-orders.cluster-ro-abc.us-west-2.rds.amazonaws.com</ReaderEndpoint>
  <MultiAZ>true</MultiAZ>
  <Engine>aurora-postgresql</Engine>
  <EngineVersion>15.4</EngineVersion>
  <LatestRestorableTime>2024-01-31T10:00:00Z</LatestRestorableTime>
  <Port>5432</Port>
  <MasterUsername>postgres</MasterUsername>
  <DBClusterMembers>
    <DBClusterMember><DBInstanceIdentifier>staging-orders-1</DBInstanceIdentifier><IsClusterWriter>true</IsClusterWriter><DBClusterParameterGroupStatus>in-sync</DBClusterParameterGroupStatus><PromotionTier>1</PromotionTier></DBClusterMember>
    <DBClusterMember><DBInstanceIdentifier>staging-orders-2</DBInstanceIdentifier><IsClusterWriter>false</IsClusterWriter><DBClusterParameterGroupStatus>in-sync</DBClusterParameterGroupStatus><PromotionTier>2</PromotionTier></DBClusterMember>
  </DBClusterMembers>
  <VpcSecurityGroups><VpcSecurityGroupMembership><VpcSecurityGroupId>sg-0a1b2c3d</VpcSecurityGroupId><Status>active</Status></VpcSecurityGroupMembership></VpcSecurityGroups>
  <HostedZoneId>Z1PVIF0B656C1W</HostedZoneId>
  <StorageEncrypted>true</StorageEncrypted>
  <KmsKeyId>arn:aws:kms:us-west-2:123456789012:key/abcd</KmsKeyId>
  <DbClusterResourceId>cluster-ABCDEFGHIJKLMNOP</DbClusterResourceId>
  <DBClusterArn>arn:aws:rds:us-west-2:123456789012:cluster:staging-orders</DBClusterArn>
  <PendingModifiedValues><DBClusterIdentifier>staging-orders-next</DBClusterIdentifier></PendingModifiedValues>
  <EngineMode>provisioned</EngineMode>
  <DeletionProtection>false</DeletionProtection>
  <ServerlessV2ScalingConfiguration><MinCapacity>0.5</MinCapacity><MaxCapacity>8.0</MaxCapacity></ServerlessV2ScalingConfiguration>
  <MasterUserSecret><SecretArn>arn:aws:secretsmanager:us-west-2:123456789012:secret:rds!cluster-1</SecretArn><SecretStatus>active</SecretStatus></MasterUserSecret>
  <TagList><Tag><Key>aurora-restore:owner</Key><Value>r-1</Value></Tag><Tag><Key>env</Key><Value>staging</Value></Tag></TagList>
</DBCluster>)";

const std::string kInstance = R"(<DBInstance>
  <DBInstanceIdentifier>staging-orders-1</DBInstanceIdentifier>
  <DBInstanceClass>db.r6g.large</DBInstanceClass>
  <Engine>aurora-postgresql</Engine>
  <DBInstanceStatus>creating</DBInstanceStatus>
  <Endpoint><Address>staging-orders-1.abc.us-west-2.rds.amazonaws.com</Address><Port>5432</Port></Endpoint>
  <AvailabilityZone>us-west-2a</AvailabilityZone>
  <PendingModifiedValues/>
  <EngineVersion>15.4</EngineVersion>
  <PubliclyAccessible>false</PubliclyAccessible>
  <DBClusterIdentifier>staging-orders</DBClusterIdentifier>
  <PromotionTier>1</PromotionTier>
  <DBInstanceArn>arn:aws:rds:us-west-2:123456789012:db:staging-orders-1</DBInstanceArn>
  <DeletionProtection>false</DeletionProtection>
  <TagList/>
</DBInstance>)";

TEST(RdsClient, DescribeSnapshotsSendsModelNamesAndParsesTheSnapshot) {
    TestContext t;
    t.http->push(200, wrap("DescribeDBClusterSnapshots", "<DBClusterSnapshots>" + kSnapshot + "</DBClusterSnapshots>"));
    RdsClient rds(t.context());
    rds::DescribeDbClusterSnapshotsRequest req;
    req.cluster_identifier = "prod-orders";
    req.snapshot_type = "automated";
    req.filters = {{"engine", {"aurora-postgresql", "aurora-mysql"}}};
    req.max_records = 20;
    const auto page = rds.describe_db_cluster_snapshots(req);

    const HttpRequest sent = t.http->last();
    EXPECT_EQ(sent.method, "POST");
    EXPECT_EQ(sent.host, "rds.us-east-1.amazonaws.com");
    EXPECT_EQ(sent.body,
              "Action=DescribeDBClusterSnapshots&Version=2014-10-31&DBClusterIdentifier=prod-orders"
              "&SnapshotType=automated&Filters.Filter.1.Name=engine&Filters.Filter.1.Values.Value.1=aurora-postgresql"
              "&Filters.Filter.1.Values.Value.2=aurora-mysql&MaxRecords=20");
    EXPECT_TRUE(sent.headers.get("Authorization")->find("/us-east-1/rds/aws4_request") != std::string::npos);

    ASSERT_EQ(page.snapshots.size(), 1U);
    EXPECT_TRUE(page.marker.empty());
    const auto& s = page.snapshots[0];
    EXPECT_EQ(s.identifier, "rds:prod-orders-2024-01-31-02-00");
    EXPECT_EQ(s.cluster_identifier, "prod-orders");
    EXPECT_EQ(s.status, "available");
    EXPECT_EQ(s.snapshot_type, "automated");
    EXPECT_EQ(s.engine, "aurora-postgresql");
    EXPECT_EQ(s.engine_version, "15.4");
    EXPECT_TRUE(s.storage_encrypted);
    EXPECT_EQ(s.percent_progress, 100);
    EXPECT_EQ(s.kms_key_id, "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");
    EXPECT_EQ(s.arn, "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:rds:prod-orders-2024-01-31-02-00");
    ASSERT_TRUE(s.create_time.has_value());
    EXPECT_EQ(format_iso8601(*s.create_time), "2024-01-31T02:00:13Z");
    ASSERT_EQ(s.tags.size(), 1U);
    EXPECT_EQ(s.tags[0], (rds::Tag{"team", "orders"}));
}

TEST(RdsClient, DescribeAllFollowsMarkers) {
    TestContext t;
    t.http->push(200, wrap("DescribeDBClusterSnapshots", "<Marker>page-2</Marker><DBClusterSnapshots>" + kSnapshot +
                                                             "</DBClusterSnapshots>"));
    t.http->push(200, wrap("DescribeDBClusterSnapshots", "<Marker>page-3</Marker><DBClusterSnapshots>" + kSnapshot +
                                                             kSnapshot + "</DBClusterSnapshots>"));
    t.http->push(200, wrap("DescribeDBClusterSnapshots", "<DBClusterSnapshots/>"));
    RdsClient rds(t.context());
    rds::DescribeDbClusterSnapshotsRequest req;
    req.cluster_identifier = "prod-orders";
    EXPECT_EQ(rds.describe_all_db_cluster_snapshots(req).size(), 3U);
    const auto reqs = t.http->requests();
    ASSERT_EQ(reqs.size(), 3U);
    EXPECT_EQ(form_map(reqs[0].body).count("Marker"), 0U);
    EXPECT_EQ(form_map(reqs[1].body)["Marker"], "page-2");
    EXPECT_EQ(form_map(reqs[2].body)["Marker"], "page-3");
    EXPECT_EQ(form_map(reqs[2].body)["DBClusterIdentifier"], "prod-orders");
}

TEST(RdsClient, DescribeAllRefusesALoopingMarker) {
    TestContext t;
    const std::string page = wrap("DescribeDBClusters", "<Marker>same</Marker><DBClusters>" + kCluster + "</DBClusters>");
    t.http->push(200, page);
    t.http->push(200, page);
    RdsClient rds(t.context());
    try {
        rds.describe_all_db_clusters({});
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::aws_service);
    }
}

TEST(RdsClient, ParsesClusterMembersScalingAndPendingRename) {
    TestContext t;
    t.http->push(200, wrap("DescribeDBClusters", "<DBClusters>" + kCluster + "</DBClusters>"));
    RdsClient rds(t.context("us-west-2"));
    const auto c = rds.find_db_cluster("staging-orders");
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(t.http->last().body, "Action=DescribeDBClusters&Version=2014-10-31&DBClusterIdentifier=staging-orders");
    EXPECT_EQ(c->status, "available");
    EXPECT_EQ(c->port, 5432);
    EXPECT_EQ(c->endpoint, "staging-orders.cluster-abc.us-west-2.rds.amazonaws.com");
    ASSERT_EQ(c->members.size(), 2U);
    EXPECT_TRUE(c->members[0].is_writer);
    EXPECT_FALSE(c->members[1].is_writer);
    EXPECT_EQ(c->members[1].promotion_tier, 2);
    EXPECT_EQ(c->vpc_security_group_ids, std::vector<std::string>{"sg-0a1b2c3d"});
    ASSERT_TRUE(c->serverless_v2.has_value());
    EXPECT_EQ(*c->serverless_v2, (rds::ServerlessV2Scaling{0.5, 8.0}));
    EXPECT_TRUE(c->has_pending_modifications);
    EXPECT_EQ(c->master_user_secret_arn, "arn:aws:secretsmanager:us-west-2:123456789012:secret:rds!cluster-1");
    EXPECT_EQ(c->tags.size(), 2U);
    EXPECT_EQ(c->db_subnet_group, "staging-private");
}

TEST(RdsClient, FindReturnsNulloptOnNotFoundAndMapsOtherErrors) {
    TestContext t;
    t.http->push(404, rds_error("DBClusterNotFoundFault", "DBCluster nope not found."));
    t.http->push(404, rds_error("DBInstanceNotFound", "DBInstance nope not found."));
    t.http->push(404, rds_error("DBClusterSnapshotNotFoundFault", "DBClusterSnapshot nope not found."));
    RdsClient rds(t.context());
    EXPECT_FALSE(rds.find_db_cluster("nope").has_value());
    EXPECT_FALSE(rds.find_db_instance("nope").has_value());
    EXPECT_FALSE(rds.find_db_cluster_snapshot("nope").has_value());
    EXPECT_EQ(t.http->requests().size(), 3U) << "not-found is not retried";
}

struct ErrorCase {
    std::string aws_code;
    int status;
    ErrorCode expected;
};

TEST(RdsClient, MapsServiceErrorsToTheCatalogue) {
    const std::vector<ErrorCase> cases = {
        {"DBClusterSnapshotNotFoundFault", 404, ErrorCode::snapshot_not_found},
        {"DBClusterNotFoundFault", 404, ErrorCode::cluster_not_found},
        {"DBInstanceNotFound", 404, ErrorCode::instance_not_found},
        {"DBClusterAlreadyExistsFault", 400, ErrorCode::already_exists},
        {"DBInstanceAlreadyExists", 400, ErrorCode::already_exists},
        {"InvalidDBClusterStateFault", 400, ErrorCode::invalid_state},
        {"InvalidDBInstanceState", 400, ErrorCode::invalid_state},
        {"KMSKeyNotAccessibleFault", 400, ErrorCode::kms_key_not_accessible},
        {"SnapshotQuotaExceeded", 400, ErrorCode::quota_exceeded},
        {"AccessDenied", 403, ErrorCode::access_denied},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.aws_code);
        TestContext t;
        t.http->push(c.status, rds_error(c.aws_code, "something about it"));
        RdsClient rds(t.context());
        try {
            rds::RestoreDbClusterFromSnapshotRequest req;
            req.cluster_identifier = "x";
            req.snapshot_identifier = "s";
            req.engine = "aurora-postgresql";
            rds.restore_db_cluster_from_snapshot(req);
            FAIL() << "expected an error";
        } catch (const AwsError& e) {
            EXPECT_EQ(e.code(), c.expected);
            EXPECT_EQ(e.aws_code(), c.aws_code);
            EXPECT_EQ(e.request_id(), "9b1f0e52-aaaa-bbbb-cccc-dddddddddddd");
            EXPECT_EQ(e.http_status(), c.status);
        }
    }
}

TEST(RdsClient, CrossRegionCopyCarriesTheBotocorePresignedUrl) {
    TestContext t;
    t.http->push(200, wrap("CopyDBClusterSnapshot", kSnapshot));
    RdsClient rds(t.context("us-west-2"));
    rds::CopyDbClusterSnapshotRequest req;
    req.source_identifier = "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:snap-1";
    req.target_identifier = "snap-1-copy";
    req.kms_key_id = "alias/staging-rds";
    req.copy_tags = true;
    req.tags = {{"aurora-restore:id", "r-1"}};
    req.source_region = "us-east-1";
    rds.copy_db_cluster_snapshot(req);

    const auto form = parse_form(t.http->last().body);
    ASSERT_EQ(form.size(), 9U);
    EXPECT_EQ(form[2], (std::pair<std::string, std::string>{"SourceDBClusterSnapshotIdentifier", req.source_identifier}));
    EXPECT_EQ(form[4].first, "KmsKeyId");
    EXPECT_EQ(form[5], (std::pair<std::string, std::string>{"CopyTags", "true"}));
    EXPECT_EQ(form[6], (std::pair<std::string, std::string>{"Tags.Tag.1.Key", "aurora-restore:id"}));
    EXPECT_EQ(form[8].first, "PreSignedUrl");
    const std::string& url = form[8].second;
    // The same URL the SigV4 layer builds for botocore's handler, from the call's own parameters.
    const QueryActionParams op{{"Action", "CopyDBClusterSnapshot"}, {"Version", "2014-10-31"},
                               {form[2].first, form[2].second}, {form[3].first, form[3].second},
                               {form[4].first, form[4].second}, {form[5].first, form[5].second},
                               {form[6].first, form[6].second}, {form[7].first, form[7].second}};
    const Credentials creds{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", std::nullopt, "test"};
    EXPECT_EQ(url, rds_cross_region_presigned_url("https://rds.us-west-2.amazonaws.com", "us-west-2", "us-east-1", op,
                                                  creds, t.clock.now()));
    EXPECT_EQ(url.rfind("https://rds.us-east-1.amazonaws.com/?Action=CopyDBClusterSnapshot&", 0), 0U);
    EXPECT_NE(url.find("DestinationRegion=us-west-2"), std::string::npos);
    EXPECT_NE(url.find("X-Amz-Credential=AKIDEXAMPLE%2F20231114%2Fus-east-1%2Frds%2Faws4_request"), std::string::npos);
    EXPECT_NE(url.find("X-Amz-Expires=3600"), std::string::npos);
}

TEST(RdsClient, SameRegionCopySendsNoPresignedUrl) {
    TestContext t;
    t.http->push(200, wrap("CopyDBClusterSnapshot", kSnapshot));
    RdsClient rds(t.context("us-east-1"));
    rds::CopyDbClusterSnapshotRequest req;
    req.source_identifier = "snap-1";
    req.target_identifier = "snap-1-copy";
    rds.copy_db_cluster_snapshot(req);
    EXPECT_EQ(t.http->last().body, "Action=CopyDBClusterSnapshot&Version=2014-10-31"
                                   "&SourceDBClusterSnapshotIdentifier=snap-1&TargetDBClusterSnapshotIdentifier=snap-1-copy");
}

TEST(RdsClient, RestoreFromSnapshotSendsListsTagsAndScaling) {
    TestContext t;
    t.http->push(200, wrap("RestoreDBClusterFromSnapshot", kCluster));
    RdsClient rds(t.context("us-west-2"));
    rds::RestoreDbClusterFromSnapshotRequest req;
    req.cluster_identifier = "staging-orders";
    req.snapshot_identifier = "snap-1";
    req.engine = "aurora-postgresql";
    req.db_subnet_group_name = "staging-private";
    req.vpc_security_group_ids = {"sg-1", "sg-2"};
    req.tags = {{"team", "orders"}, {"env", "staging"}};
    req.serverless_v2 = rds::ServerlessV2Scaling{0.5, 8};
    req.deletion_protection = false;
    const auto cluster = rds.restore_db_cluster_from_snapshot(req);
    EXPECT_EQ(cluster.identifier, "staging-orders");
    EXPECT_EQ(t.http->last().body,
              "Action=RestoreDBClusterFromSnapshot&Version=2014-10-31&DBClusterIdentifier=staging-orders"
              "&SnapshotIdentifier=snap-1&Engine=aurora-postgresql&DBSubnetGroupName=staging-private"
              "&VpcSecurityGroupIds.VpcSecurityGroupId.1=sg-1&VpcSecurityGroupIds.VpcSecurityGroupId.2=sg-2"
              "&Tags.Tag.1.Key=team&Tags.Tag.1.Value=orders&Tags.Tag.2.Key=env&Tags.Tag.2.Value=staging"
              "&DeletionProtection=false&ServerlessV2ScalingConfiguration.MinCapacity=0.5"
              "&ServerlessV2ScalingConfiguration.MaxCapacity=8");
}

TEST(RdsClient, CloneUsesCopyOnWriteAndLatestRestorableTime) {
    TestContext t;
    t.http->push(200, wrap("RestoreDBClusterToPointInTime", kCluster));
    RdsClient rds(t.context());
    rds::RestoreDbClusterToPointInTimeRequest req;
    req.cluster_identifier = "clone-1";
    req.source_cluster_identifier = "prod-orders";
    req.restore_type = "copy-on-write";
    req.use_latest_restorable_time = true;
    rds.restore_db_cluster_to_point_in_time(req);
    EXPECT_EQ(t.http->last().body, "Action=RestoreDBClusterToPointInTime&Version=2014-10-31&DBClusterIdentifier=clone-1"
                                   "&RestoreType=copy-on-write&SourceDBClusterIdentifier=prod-orders"
                                   "&UseLatestRestorableTime=true");
}

TEST(RdsClient, ModifyRenamesAndRegistersTheMasterPassword) {
    clear_registered_secrets_for_testing();
    TestContext t;
    t.http->push(200, wrap("ModifyDBCluster", kCluster));
    RdsClient rds(t.context());
    rds::ModifyDbClusterRequest req;
    req.cluster_identifier = "staging-orders-new";
    req.new_cluster_identifier = "staging-orders";
    req.master_user_password = "S3cret-Passw0rd!";
    req.deletion_protection = true;
    req.apply_immediately = true;
    rds.modify_db_cluster(req);
    EXPECT_EQ(t.http->last().body, "Action=ModifyDBCluster&Version=2014-10-31&DBClusterIdentifier=staging-orders-new"
                                   "&NewDBClusterIdentifier=staging-orders&ApplyImmediately=true"
                                   "&MasterUserPassword=S3cret-Passw0rd%21&DeletionProtection=true");
    EXPECT_EQ(redact("password is S3cret-Passw0rd!"), "password is ***");
}

TEST(RdsClient, CreateInstanceAndDeletes) {
    TestContext t;
    t.http->push(200, wrap("CreateDBInstance", kInstance));
    t.http->push(200, wrap("DeleteDBInstance", kInstance));
    t.http->push(200, wrap("DeleteDBCluster", kCluster));
    t.http->push(200, wrap("DeleteDBClusterSnapshot", kSnapshot));
    RdsClient rds(t.context("us-west-2"));
    rds::CreateDbInstanceRequest create;
    create.instance_identifier = "staging-orders-1";
    create.instance_class = "db.r6g.large";
    create.engine = "aurora-postgresql";
    create.cluster_identifier = "staging-orders";
    create.promotion_tier = 1;
    const auto inst = rds.create_db_instance(create);
    EXPECT_EQ(inst.status, "creating");
    EXPECT_EQ(inst.endpoint_port, 5432);
    EXPECT_FALSE(inst.has_pending_modifications) << "an empty <PendingModifiedValues/> means nothing pending";
    rds::DeleteDbInstanceRequest delete_instance;
    delete_instance.instance_identifier = "staging-orders-1";
    delete_instance.skip_final_snapshot = true;
    rds.delete_db_instance(delete_instance);
    rds::DeleteDbClusterRequest delete_cluster;
    delete_cluster.cluster_identifier = "staging-orders";
    rds.delete_db_cluster(delete_cluster);
    rds.delete_db_cluster_snapshot("snap-1-copy");
    const auto reqs = t.http->requests();
    EXPECT_EQ(reqs[0].body, "Action=CreateDBInstance&Version=2014-10-31&DBInstanceIdentifier=staging-orders-1"
                            "&DBInstanceClass=db.r6g.large&Engine=aurora-postgresql"
                            "&DBClusterIdentifier=staging-orders&PromotionTier=1");
    EXPECT_EQ(reqs[1].body, "Action=DeleteDBInstance&Version=2014-10-31&DBInstanceIdentifier=staging-orders-1"
                            "&SkipFinalSnapshot=true");
    EXPECT_EQ(reqs[2].body, "Action=DeleteDBCluster&Version=2014-10-31&DBClusterIdentifier=staging-orders"
                            "&SkipFinalSnapshot=true");
    EXPECT_EQ(reqs[3].body, "Action=DeleteDBClusterSnapshot&Version=2014-10-31&DBClusterSnapshotIdentifier=snap-1-copy");
}

TEST(RdsClient, Tags) {
    TestContext t;
    t.http->push(200, "<AddTagsToResourceResponse><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>"
                      "</AddTagsToResourceResponse>");
    t.http->push(200, wrap("ListTagsForResource",
                           "<TagList><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>b</Key><Value></Value></Tag></TagList>"));
    t.http->push(200, "<RemoveTagsFromResourceResponse><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>"
                      "</RemoveTagsFromResourceResponse>");
    RdsClient rds(t.context());
    const std::string arn = "arn:aws:rds:us-east-1:123456789012:cluster:x";
    rds.add_tags_to_resource(arn, {{"a", "1"}});
    const auto tags = rds.list_tags_for_resource(arn);
    rds.remove_tags_from_resource(arn, {"a", "b"});
    ASSERT_EQ(tags.size(), 2U);
    EXPECT_EQ(tags[1], (rds::Tag{"b", ""}));
    const auto reqs = t.http->requests();
    EXPECT_EQ(reqs[0].body, "Action=AddTagsToResource&Version=2014-10-31&ResourceName=arn%3Aaws%3Ards%3Aus-east-1%3A"
                            "123456789012%3Acluster%3Ax&Tags.Tag.1.Key=a&Tags.Tag.1.Value=1");
    EXPECT_EQ(form_map(reqs[2].body)["TagKeys.member.2"], "b");
}

} // namespace
} // namespace aurora::aws::testing
