#include "rds_fixture.hpp"

namespace aurora::sandbox::testing {
namespace {

constexpr const char* seed_yaml = R"(
rds:
  clusters:
    - id: prod-orders
      master_username: orders_admin
      master_password: "seeded-secret-1"
      tags: {team: orders}
      instances: [prod-orders-1]
  snapshots:
    - {id: snap-1, cluster: prod-orders}
    - {id: snap-bad, cluster: prod-orders, scenario: restore-fails}
    - {id: snap-enc, cluster: prod-orders, storage_encrypted: true, kms_key_id: alias/east-key}
)";

std::map<std::string, std::string> restore_params(const std::string& id, const std::string& snapshot) {
    return {{"DBClusterIdentifier", id}, {"SnapshotIdentifier", snapshot}, {"Engine", "aurora-postgresql"}};
}

TEST_F(RdsTest, RestoreCreatesAClusterWithoutInstances) {
    seed(seed_yaml);
    auto p = restore_params("staging-orders", "snap-1");
    p.merge(std::map<std::string, std::string>{{"DBSubnetGroupName", "staging-private"},
                                               {"VpcSecurityGroupIds.VpcSecurityGroupId.1", "sg-0a1b2c3d"},
                                               {"DBClusterParameterGroupName", "staging-aurora-pg15"},
                                               {"DeletionProtection", "true"},
                                               {"CopyTagsToSnapshot", "true"},
                                               {"ServerlessV2ScalingConfiguration.MinCapacity", "0.5"},
                                               {"ServerlessV2ScalingConfiguration.MaxCapacity", "8"},
                                               {"Tags.Tag.1.Key", "env"},
                                               {"Tags.Tag.1.Value", "staging"}});
    auto a = call("RestoreDBClusterFromSnapshot", p);
    EXPECT_EQ(a->text("//DBCluster/Status"), "creating");
    EXPECT_EQ(a->count("//DBCluster/DBClusterMembers/DBClusterMember"), 0u);
    EXPECT_EQ(a->text("//DBCluster/MasterUsername"), "orders_admin");
    EXPECT_EQ(a->text("//DBCluster/DBSubnetGroup"), "staging-private");
    EXPECT_EQ(a->text("//VpcSecurityGroupMembership/VpcSecurityGroupId"), "sg-0a1b2c3d");
    EXPECT_EQ(a->text("//DBCluster/DBClusterParameterGroup"), "staging-aurora-pg15");
    EXPECT_EQ(a->text("//DBCluster/DeletionProtection"), "true");
    EXPECT_EQ(a->text("//DBCluster/TagList/Tag/Value"), "staging");
    advance(60);
    EXPECT_EQ(cluster_status("staging-orders"), "available");
    EXPECT_EQ(call("DescribeDBInstances", {{"Filters.Filter.1.Name", "db-cluster-id"},
                                           {"Filters.Filter.1.Values.Value.1", "staging-orders"}})
                  ->count("//DBInstance"),
              0u);
    EXPECT_EQ(service->effect_counts().at("clusters_restored"), 1);
    expect_error("RestoreDBClusterFromSnapshot", restore_params("staging-orders", "snap-1"),
                 "DBClusterAlreadyExistsFault", 400);
}

TEST_F(RdsTest, RestoreErrors) {
    seed(seed_yaml);
    expect_error("RestoreDBClusterFromSnapshot", restore_params("x1", "nope"), "DBClusterSnapshotNotFoundFault", 404);
    expect_error("RestoreDBClusterFromSnapshot", restore_params("x-", "snap-1"), "InvalidParameterValue", 400);
    auto mysql = restore_params("x2", "snap-1");
    mysql["Engine"] = "aurora-mysql";
    expect_error("RestoreDBClusterFromSnapshot", mysql, "InvalidParameterCombination", 400);
    auto key = restore_params("x3", "snap-enc");
    key["KmsKeyId"] = "alias/west-key"; // exists only in us-west-2
    expect_error("RestoreDBClusterFromSnapshot", key, "KMSKeyNotAccessibleFault", 400);
    call("CopyDBClusterSnapshot",
         {{"SourceDBClusterSnapshotIdentifier", "snap-1"}, {"TargetDBClusterSnapshotIdentifier", "snap-copying"}});
    expect_error("RestoreDBClusterFromSnapshot", restore_params("x4", "snap-copying"),
                 "InvalidDBClusterSnapshotStateFault", 400);
    expect_error("RestoreDBClusterFromSnapshot", {{"DBClusterIdentifier", "x5"}, {"SnapshotIdentifier", "snap-1"}},
                 "MissingParameter", 400);
}

TEST_F(RdsTest, ScenariosEndRestoresInFailedOrIncompatibleRestore) {
    seed(seed_yaml);
    call("RestoreDBClusterFromSnapshot", restore_params("from-bad", "snap-bad"));
    auto tagged = restore_params("tagged", "snap-1");
    tagged["Tags.Tag.1.Key"] = "sandbox:scenario";
    tagged["Tags.Tag.1.Value"] = "incompatible-restore";
    call("RestoreDBClusterFromSnapshot", tagged);
    EXPECT_EQ(cluster_status("from-bad"), "creating");
    advance(60);
    EXPECT_EQ(cluster_status("from-bad"), "failed");
    EXPECT_EQ(cluster_status("tagged"), "incompatible-restore");
    expect_error("CreateDBInstance", {{"DBInstanceIdentifier", "i1"}, {"DBInstanceClass", "db.r6g.large"},
                                      {"Engine", "aurora-postgresql"}, {"DBClusterIdentifier", "from-bad"}},
                 "InvalidDBClusterStateFault", 400);
    // A failed restore can be deleted.
    call("DeleteDBCluster", {{"DBClusterIdentifier", "from-bad"}, {"SkipFinalSnapshot", "true"}});
}

TEST_F(RdsTest, EncryptedRestoreKeepsOrReplacesTheKey) {
    seed(seed_yaml);
    auto kept = call("RestoreDBClusterFromSnapshot", restore_params("enc-1", "snap-enc"));
    EXPECT_EQ(kept->text("//DBCluster/StorageEncrypted"), "true");
    EXPECT_EQ(kept->text("//DBCluster/KmsKeyId"), "arn:aws:kms:us-east-1:123456789012:alias/east-key");
    kms_keys.insert("us-east-1/alias/other");
    auto p = restore_params("enc-2", "snap-1");
    p["KmsKeyId"] = "alias/other";
    auto replaced = call("RestoreDBClusterFromSnapshot", p);
    EXPECT_EQ(replaced->text("//DBCluster/KmsKeyId"), "arn:aws:kms:us-east-1:123456789012:alias/other");
}

TEST_F(RdsTest, CopyOnWriteCloneSharesACloneGroup) {
    seed(seed_yaml);
    auto a = call("RestoreDBClusterToPointInTime", {{"DBClusterIdentifier", "clone-1"},
                                                    {"SourceDBClusterIdentifier", "prod-orders"},
                                                    {"RestoreType", "copy-on-write"},
                                                    {"UseLatestRestorableTime", "true"}});
    EXPECT_EQ(a->text("//DBCluster/Status"), "creating");
    auto group = a->text("//DBCluster/CloneGroupId");
    EXPECT_NE(group, "<missing>");
    EXPECT_EQ(call("DescribeDBClusters", {{"DBClusterIdentifier", "prod-orders"}})->text("//CloneGroupId"), group);
    EXPECT_EQ(a->count("//DBClusterMember"), 0u);
    auto effects = service->effect_counts();
    EXPECT_EQ(effects.at("clusters_cloned"), 1);
    EXPECT_EQ(effects.at("clusters_restored"), 1);
}

TEST_F(RdsTest, PointInTimeRules) {
    seed(seed_yaml);
    expect_error("RestoreDBClusterToPointInTime",
                 {{"DBClusterIdentifier", "p1"}, {"SourceDBClusterIdentifier", "prod-orders"}},
                 "InvalidParameterCombination", 400);
    expect_error("RestoreDBClusterToPointInTime",
                 {{"DBClusterIdentifier", "p1"}, {"SourceDBClusterIdentifier", "prod-orders"},
                  {"UseLatestRestorableTime", "true"}, {"RestoreToTime", "2026-05-28T10:00:00Z"}},
                 "InvalidParameterCombination", 400);
    expect_error("RestoreDBClusterToPointInTime",
                 {{"DBClusterIdentifier", "p1"}, {"SourceDBClusterIdentifier", "prod-orders"},
                  {"RestoreToTime", "2020-01-01T00:00:00Z"}},
                 "InvalidRestoreFault", 400);
    expect_error("RestoreDBClusterToPointInTime",
                 {{"DBClusterIdentifier", "p1"}, {"SourceDBClusterIdentifier", "nope"},
                  {"UseLatestRestorableTime", "true"}},
                 "DBClusterNotFoundFault", 404);
    expect_error("RestoreDBClusterToPointInTime",
                 {{"DBClusterIdentifier", "p1"}, {"SourceDBClusterIdentifier", "prod-orders"},
                  {"RestoreType", "snapshot"}, {"UseLatestRestorableTime", "true"}},
                 "InvalidParameterValue", 400);
    auto a = call("RestoreDBClusterToPointInTime", {{"DBClusterIdentifier", "p1"},
                                                    {"SourceDBClusterIdentifier", "prod-orders"},
                                                    {"RestoreToTime", "2026-05-28T10:00:00Z"}});
    EXPECT_EQ(a->count("//CloneGroupId"), 0u);
}

class RdsDataPlaneTest : public RdsTest {
protected:
    void SetUp() override {
        auto o = options();
        o.postgres = &pg;
        o.run_seed_sql = [this](DataPlane&, const std::string& db, const std::string& user, const std::string&,
                                const std::string& sql) { seed_sql.push_back(db + " " + user + " " + sql); };
        make(o);
    }
    FakeDataPlane pg{"aurora-postgresql"};
    std::vector<std::string> seed_sql;
};

TEST_F(RdsDataPlaneTest, EveryChangeReachesTheDataPlane) {
    seed(R"(
rds:
  clusters:
    - id: prod-orders
      master_username: orders_admin
      data: {sql: "CREATE TABLE t(id int);"}
  snapshots:
    - {id: snap-1, cluster: prod-orders}
)");
    EXPECT_EQ(seed_sql, (std::vector<std::string>{"ars_c_prod_orders orders_admin CREATE TABLE t(id int);"}));
    auto a = call("RestoreDBClusterFromSnapshot", restore_params("staging", "snap-1"));
    EXPECT_EQ(a->text("//DBCluster/Endpoint"), "127.0.0.1");
    EXPECT_EQ(a->text("//DBCluster/Port"), "15432");
    EXPECT_EQ(a->text("//DBCluster/DatabaseName"), "ars_c_staging");
    advance(60);
    call("CreateDBClusterSnapshot", {{"DBClusterIdentifier", "staging"}, {"DBClusterSnapshotIdentifier", "s2"}});
    advance(20);
    call("ModifyDBCluster", {{"DBClusterIdentifier", "staging"},
                             {"NewDBClusterIdentifier", "staging-2"},
                             {"ApplyImmediately", "true"}});
    advance(10);
    call("ModifyDBCluster", {{"DBClusterIdentifier", "staging-2"}, {"MasterUserPassword", "another-secret-2"}});
    // Unrelated reads never touch the data plane.
    auto before = pg.calls.size();
    call("DescribeDBClusters");
    call("DescribeDBClusterSnapshots");
    EXPECT_EQ(pg.calls.size(), before);
    advance(10);
    call("DeleteDBCluster", {{"DBClusterIdentifier", "staging-2"}, {"SkipFinalSnapshot", "true"}});
    call("DeleteDBClusterSnapshot", {{"DBClusterSnapshotIdentifier", "s2"}});
    EXPECT_EQ(pg.calls, (std::vector<std::string>{
                            "create ars_c_prod_orders orders_admin",
                            "snapshot ars_c_prod_orders ars_s_snap_1",
                            "restore ars_s_snap_1 ars_c_staging orders_admin",
                            "snapshot ars_c_staging ars_s_s2",
                            "rename ars_c_staging ars_c_staging_2",
                            "password orders_admin",
                            "drop ars_c_staging_2",
                            "drop ars_s_s2",
                        }));
}

TEST_F(RdsDataPlaneTest, SameIdentifierInTwoRegionsGetsTwoDatabases) {
    seed("rds: {clusters: [{id: orders}]}", "us-east-1");
    seed("rds: {clusters: [{id: orders}]}", "us-west-2");
    EXPECT_EQ(pg.calls, (std::vector<std::string>{"create ars_c_orders postgres", "create ars_c_orders_2 postgres"}));
}

} // namespace
} // namespace aurora::sandbox::testing
