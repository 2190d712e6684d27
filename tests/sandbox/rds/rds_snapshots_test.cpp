#include "rds_fixture.hpp"

namespace aurora::sandbox::testing {
namespace {

constexpr const char* seed_yaml = R"(
rds:
  clusters:
    - id: prod-orders
      engine: aurora-postgresql
      engine_version: "15.4"
      master_username: orders_admin
      master_password: "seeded-secret-1"
      storage_encrypted: true
      kms_key_id: alias/east-key
      tags: {team: orders}
      instances: [prod-orders-1, {id: prod-orders-2, class: db.r6g.xlarge}]
      automated_snapshots: 3
  snapshots:
    - id: prod-orders-manual
      cluster: prod-orders
      created: "2026-05-27T02:00:00Z"
      tags: {retain: "true"}
    - id: broken-snap
      cluster: gone-cluster
      engine: aurora-postgresql
      scenario: incompatible-restore
    - id: plain-snap
      cluster: gone-cluster
      engine: aurora-mysql
)";

TEST_F(RdsTest, SeedCreatesClustersInstancesAndAutomatedSnapshots) {
    seed(seed_yaml);
    auto c = call("DescribeDBClusters", {{"DBClusterIdentifier", "prod-orders"}});
    EXPECT_EQ(c->text("//DBCluster/Status"), "available");
    EXPECT_EQ(c->text("//DBCluster/EngineVersion"), "15.4");
    EXPECT_EQ(c->text("//DBCluster/StorageEncrypted"), "true");
    EXPECT_EQ(c->text("//DBCluster/KmsKeyId"), "arn:aws:kms:us-east-1:123456789012:alias/east-key");
    EXPECT_EQ(c->count("//DBClusterMembers/DBClusterMember"), 2u);
    EXPECT_EQ(c->text("//DBClusterMember[DBInstanceIdentifier='prod-orders-1']/IsClusterWriter"), "true");
    EXPECT_EQ(c->text("//DBClusterMember[DBInstanceIdentifier='prod-orders-2']/IsClusterWriter"), "false");
    auto automated = call("DescribeDBClusterSnapshots", {{"SnapshotType", "automated"}});
    EXPECT_EQ(automated->count("//DBClusterSnapshots/DBClusterSnapshot"), 3u);
    // Clock: 2026-05-28T20:26:40Z → the newest automated snapshot is at 03:00 the same day.
    EXPECT_EQ(call("DescribeDBClusterSnapshots",
                   {{"DBClusterSnapshotIdentifier", "rds:prod-orders-2026-05-28-03-00"}})
                  ->text("//SnapshotCreateTime"),
              "2026-05-28T03:00:00Z");
    auto manual = call("DescribeDBClusterSnapshots",
                       {{"DBClusterIdentifier", "prod-orders"}, {"SnapshotType", "manual"}});
    EXPECT_EQ(manual->count("//DBClusterSnapshot"), 1u);
    EXPECT_EQ(manual->text("//DBClusterSnapshot/SnapshotType"), "manual");
    EXPECT_EQ(manual->text("//DBClusterSnapshot/MasterUsername"), "orders_admin");
    EXPECT_EQ(manual->text("//DBClusterSnapshot/PercentProgress"), "100");
    EXPECT_EQ(manual->text("//DBClusterSnapshot/DBClusterSnapshotArn"),
              "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:prod-orders-manual");
    // Seeding twice is harmless (a state file may already hold the resources).
    seed(seed_yaml);
    EXPECT_EQ(call("DescribeDBClusterSnapshots")->count("//DBClusterSnapshot"), 6u);
}

TEST_F(RdsTest, MalformedSeedIsAConfigError) {
    EXPECT_THROW(seed("rds: {clusters: [{id: 1bad}]}"), Error);
    EXPECT_THROW(seed("rds: {snapshots: [{id: s1, scenario: explode}]}"), Error);
    EXPECT_THROW(seed("rds: {clusters: [{id: ok, engine: oracle}]}"), Error);
}

TEST_F(RdsTest, DescribeSnapshotsFiltersPaginationAndErrors) {
    seed(seed_yaml);
    auto f = call("DescribeDBClusterSnapshots", {{"Filters.Filter.1.Name", "engine"},
                                                 {"Filters.Filter.1.Values.Value.1", "aurora-mysql"}});
    EXPECT_EQ(f->count("//DBClusterSnapshot"), 1u);
    auto by_type = call("DescribeDBClusterSnapshots", {{"Filters.Filter.1.Name", "snapshot-type"},
                                                       {"Filters.Filter.1.Values.Value.1", "automated"},
                                                       {"Filters.Filter.2.Name", "db-cluster-id"},
                                                       {"Filters.Filter.2.Values.Value.1", "prod-orders"}});
    EXPECT_EQ(by_type->count("//DBClusterSnapshot"), 3u);
    EXPECT_EQ(call("DescribeDBClusterSnapshots", {{"SnapshotType", "shared"}, {"IncludeShared", "true"}})
                  ->count("//DBClusterSnapshot"),
              0u);
    expect_error("DescribeDBClusterSnapshots", {{"DBClusterSnapshotIdentifier", "nope"}},
                 "DBClusterSnapshotNotFoundFault", 404);
    expect_error("DescribeDBClusterSnapshots", {{"SnapshotType", "weekly"}}, "InvalidParameterValue", 400);
    std::string many = "rds: {snapshots: [";
    for (int n = 0; n < 45; ++n) {
        many += (n ? "," : "") + std::string("{id: bulk-") + std::to_string(100 + n) + ", cluster: bulk}";
    }
    seed(many + "]}", "eu-west-1");
    std::vector<std::size_t> pages;
    std::set<std::string> seen;
    std::string marker;
    do {
        std::map<std::string, std::string> p{{"MaxRecords", "20"}};
        if (!marker.empty()) {
            p["Marker"] = marker;
        }
        auto a = call("DescribeDBClusterSnapshots", p, "eu-west-1");
        pages.push_back(a->count("//DBClusterSnapshot"));
        for (auto n : a->doc.select_nodes("//DBClusterSnapshotIdentifier")) {
            seen.insert(n.node().text().as_string());
        }
        marker = a->count("//Marker") ? a->text("//Marker") : "";
    } while (!marker.empty());
    EXPECT_EQ(pages, (std::vector<std::size_t>{20, 20, 5}));
    EXPECT_EQ(seen.size(), 45u);
}

TEST_F(RdsTest, CreateSnapshotPutsTheClusterInBackingUp) {
    create_cluster("a1", {{"CopyTagsToSnapshot", "true"}, {"Tags.Tag.1.Key", "team"}, {"Tags.Tag.1.Value", "x"}});
    expect_error("CreateDBClusterSnapshot", {{"DBClusterIdentifier", "a1"}, {"DBClusterSnapshotIdentifier", "s1"}},
                 "InvalidDBClusterStateFault", 400);
    advance(60);
    auto a = call("CreateDBClusterSnapshot", {{"DBClusterIdentifier", "a1"}, {"DBClusterSnapshotIdentifier", "s1"}});
    EXPECT_EQ(a->text("//DBClusterSnapshot/Status"), "creating");
    EXPECT_EQ(a->text("//DBClusterSnapshot/TagList/Tag/Key"), "team");
    EXPECT_EQ(cluster_status("a1"), "backing-up");
    expect_error("CreateDBClusterSnapshot", {{"DBClusterIdentifier", "a1"}, {"DBClusterSnapshotIdentifier", "s1"}},
                 "DBClusterSnapshotAlreadyExistsFault", 400);
    advance(20);
    EXPECT_EQ(cluster_status("a1"), "available");
    EXPECT_EQ(snapshot_status("s1"), "available");
}

TEST_F(RdsTest, DeleteSnapshotRules) {
    seed(seed_yaml);
    expect_error("DeleteDBClusterSnapshot", {{"DBClusterSnapshotIdentifier", "rds:prod-orders-2026-05-28-03-00"}},
                 "InvalidDBClusterSnapshotStateFault", 400);
    auto a = call("DeleteDBClusterSnapshot", {{"DBClusterSnapshotIdentifier", "prod-orders-manual"}});
    EXPECT_EQ(a->text("//DBClusterSnapshot/Status"), "deleted");
    expect_error("DeleteDBClusterSnapshot", {{"DBClusterSnapshotIdentifier", "prod-orders-manual"}},
                 "DBClusterSnapshotNotFoundFault", 404);
    EXPECT_EQ(service->effect_counts().at("snapshots_deleted"), 1);
}

TEST_F(RdsTest, SameRegionCopyProgressesAndCopiesTags) {
    seed(seed_yaml);
    auto a = call("CopyDBClusterSnapshot", {{"SourceDBClusterSnapshotIdentifier", "rds:prod-orders-2026-05-28-03-00"},
                                            {"TargetDBClusterSnapshotIdentifier", "orders-copy"},
                                            {"CopyTags", "true"},
                                            {"Tags.Tag.1.Key", "restore-id"},
                                            {"Tags.Tag.1.Value", "r-1"}});
    EXPECT_EQ(a->text("//DBClusterSnapshot/Status"), "copying");
    EXPECT_EQ(a->text("//DBClusterSnapshot/SnapshotType"), "manual");
    EXPECT_EQ(a->text("//DBClusterSnapshot/PercentProgress"), "0");
    EXPECT_EQ(a->text("//SourceDBClusterSnapshotArn"),
              "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:rds:prod-orders-2026-05-28-03-00");
    EXPECT_EQ(a->text("//DBClusterSnapshot/KmsKeyId"), "arn:aws:kms:us-east-1:123456789012:alias/east-key");
    advance(50);
    auto half = call("DescribeDBClusterSnapshots", {{"DBClusterSnapshotIdentifier", "orders-copy"}});
    EXPECT_EQ(half->text("//PercentProgress"), "50");
    advance(50);
    EXPECT_EQ(snapshot_status("orders-copy"), "available");
    auto t = call("ListTagsForResource",
                  {{"ResourceName", "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:orders-copy"}});
    EXPECT_EQ(t->count("//TagList/Tag"), 1u); // automated snapshots carry no tags; the request's tag is added
    EXPECT_EQ(t->text("//Tag[Key='restore-id']/Value"), "r-1");
    expect_error("CopyDBClusterSnapshot", {{"SourceDBClusterSnapshotIdentifier", "prod-orders-manual"},
                                           {"TargetDBClusterSnapshotIdentifier", "orders-copy"}},
                 "DBClusterSnapshotAlreadyExistsFault", 400);
    expect_error("CopyDBClusterSnapshot", {{"SourceDBClusterSnapshotIdentifier", "nope"},
                                           {"TargetDBClusterSnapshotIdentifier", "c2"}},
                 "DBClusterSnapshotNotFoundFault", 404);
    expect_error("CopyDBClusterSnapshot", {{"SourceDBClusterSnapshotIdentifier", "plain-snap"},
                                           {"TargetDBClusterSnapshotIdentifier", "c3"},
                                           {"KmsKeyId", "alias/east-key"}},
                 "InvalidParameterCombination", 400);
    expect_error("CopyDBClusterSnapshot", {{"SourceDBClusterSnapshotIdentifier", "prod-orders-manual"},
                                           {"TargetDBClusterSnapshotIdentifier", "c4"},
                                           {"KmsKeyId", "alias/nope"}},
                 "KMSKeyNotAccessibleFault", 400);
    EXPECT_EQ(service->effect_counts().at("snapshots_copied"), 1);
}

TEST_F(RdsTest, CopyOfASnapshotStillCopyingIsInvalidState) {
    seed(seed_yaml);
    call("CopyDBClusterSnapshot", {{"SourceDBClusterSnapshotIdentifier", "prod-orders-manual"},
                                   {"TargetDBClusterSnapshotIdentifier", "c1"}});
    expect_error("CopyDBClusterSnapshot",
                 {{"SourceDBClusterSnapshotIdentifier", "c1"}, {"TargetDBClusterSnapshotIdentifier", "c2"}},
                 "InvalidDBClusterSnapshotStateFault", 400);
    expect_error("DeleteDBClusterSnapshot", {{"DBClusterSnapshotIdentifier", "c1"}},
                 "InvalidDBClusterSnapshotStateFault", 400);
}

class RdsCrossRegionTest : public RdsTest {
protected:
    void SetUp() override {
        auto o = options();
        o.verify_presigned_url = [this](const std::string& url, Clock::WallTime) {
            PresignedVerification v;
            v.valid = url.find("tampered") == std::string::npos;
            v.error_code = v.valid ? "" : "SignatureDoesNotMatch";
            v.message = "signature mismatch";
            v.region = "us-east-1";
            v.service = "rds";
            v.account_id = account;
            v.params = {{"Action", "CopyDBClusterSnapshot"},
                        {"SourceDBClusterSnapshotIdentifier", source_arn},
                        {"DestinationRegion", "us-west-2"}};
            return v;
        };
        make(o);
        seed(seed_yaml);
    }
    std::map<std::string, std::string> copy_params(const std::string& url, const std::string& key) {
        std::map<std::string, std::string> p{{"SourceDBClusterSnapshotIdentifier", source_arn},
                                             {"TargetDBClusterSnapshotIdentifier", "orders-west"},
                                             {"PreSignedUrl", url}};
        if (!key.empty()) {
            p["KmsKeyId"] = key;
        }
        return p;
    }
    std::string source_arn = "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:prod-orders-manual";
};

TEST_F(RdsCrossRegionTest, EncryptedCopyNeedsAKeyOfTheTargetRegion) {
    const std::string url = "https://rds.us-east-1.amazonaws.com/?Action=CopyDBClusterSnapshot&X-Amz-Signature=ab";
    expect_error("CopyDBClusterSnapshot", copy_params(url, ""), "KMSKeyNotAccessibleFault", 400, "us-west-2");
    expect_error("CopyDBClusterSnapshot", copy_params(url, "alias/east-key"), "KMSKeyNotAccessibleFault", 400,
                 "us-west-2");
    expect_error("CopyDBClusterSnapshot", copy_params("", "alias/west-key"), "InvalidParameterValue", 400,
                 "us-west-2");
    expect_error("CopyDBClusterSnapshot", copy_params(url + "tampered", "alias/west-key"), "InvalidParameterValue",
                 400, "us-west-2");
    auto a = call("CopyDBClusterSnapshot", copy_params(url, "alias/west-key"), "us-west-2");
    EXPECT_EQ(a->text("//DBClusterSnapshot/Status"), "copying");
    EXPECT_EQ(a->text("//DBClusterSnapshotArn"), "arn:aws:rds:us-west-2:123456789012:cluster-snapshot:orders-west");
    EXPECT_EQ(a->text("//SourceDBClusterSnapshotArn"), source_arn);
    EXPECT_EQ(a->text("//KmsKeyId"), "arn:aws:kms:us-west-2:123456789012:alias/west-key");
    advance(100);
    EXPECT_EQ(snapshot_status("orders-west", "us-west-2"), "available");
    expect_error("DescribeDBClusterSnapshots", {{"DBClusterSnapshotIdentifier", "orders-west"}},
                 "DBClusterSnapshotNotFoundFault", 404, "us-east-1");
}

TEST_F(RdsCrossRegionTest, PresignedUrlForAnotherSnapshotIsRefused) {
    source_arn = "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:something-else";
    auto p = copy_params("https://rds.us-east-1.amazonaws.com/?x", "alias/west-key");
    p["SourceDBClusterSnapshotIdentifier"] = "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:prod-orders-manual";
    expect_error("CopyDBClusterSnapshot", p, "InvalidParameterValue", 400, "us-west-2");
}

} // namespace
} // namespace aurora::sandbox::testing
