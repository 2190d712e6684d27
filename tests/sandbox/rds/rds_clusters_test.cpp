#include "rds_fixture.hpp"

namespace aurora::sandbox::testing {
namespace {

TEST_F(RdsTest, AnswersInTheRdsNamespaceWithTheRequestId) {
    auto a = create_cluster("orders");
    EXPECT_NE(a->response.body.find("<CreateDBClusterResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\">"),
              std::string::npos);
    EXPECT_EQ(a->text("/CreateDBClusterResponse/ResponseMetadata/RequestId"), "req-1");
    EXPECT_EQ(a->text("/CreateDBClusterResponse/CreateDBClusterResult/DBCluster/DBClusterIdentifier"), "orders");
    EXPECT_EQ(a->response.status, 200);
}

TEST_F(RdsTest, IdentifierRules) {
    const std::vector<std::string> bad_ids{"1orders", "orders-", "ord--ers", "ord_ers", "", std::string(64, 'a')};
    for (const auto& bad : bad_ids) {
        expect_error("CreateDBCluster",
                     {{"DBClusterIdentifier", bad}, {"Engine", "aurora-postgresql"}, {"MasterUsername", "u"},
                      {"MasterUserPassword", "password-1"}},
                     bad.empty() ? "MissingParameter" : "InvalidParameterValue", 400);
    }
    auto a = create_cluster("A" + std::string(62, 'b'));
    EXPECT_EQ(a->text("//DBClusterIdentifier"), "a" + std::string(62, 'b')); // RDS stores identifiers lowercased
}

TEST_F(RdsTest, CreateMovesFromCreatingToAvailable) {
    auto a = create_cluster("orders", {{"Tags.Tag.1.Key", "team"}, {"Tags.Tag.1.Value", "db"}});
    EXPECT_EQ(a->text("//DBCluster/Status"), "creating");
    EXPECT_EQ(a->text("//DBCluster/Engine"), "aurora-postgresql");
    EXPECT_EQ(a->text("//DBCluster/Port"), "5432");
    EXPECT_EQ(a->text("//DBCluster/MasterUsername"), "postgres");
    EXPECT_EQ(a->text("//DBCluster/DBClusterArn"), "arn:aws:rds:us-east-1:123456789012:cluster:orders");
    EXPECT_EQ(a->text("//DBCluster/TagList/Tag/Key"), "team");
    EXPECT_EQ(a->response.body.find("sandbox-secret-1"), std::string::npos);
    advance(59);
    EXPECT_EQ(cluster_status("orders"), "creating");
    advance(1);
    EXPECT_EQ(cluster_status("orders"), "available");
    EXPECT_EQ(service->effect_counts().at("clusters_created"), 1);
}

TEST_F(RdsTest, DuplicateClusterAndMissingCluster) {
    create_cluster("orders");
    expect_error("CreateDBCluster",
                 {{"DBClusterIdentifier", "ORDERS"}, {"Engine", "aurora-postgresql"}, {"MasterUsername", "u"},
                  {"MasterUserPassword", "password-1"}},
                 "DBClusterAlreadyExistsFault", 400);
    expect_error("DescribeDBClusters", {{"DBClusterIdentifier", "nope"}}, "DBClusterNotFoundFault", 404);
    expect_error("DescribeDBClusters", {{"DBClusterIdentifier", "arn:aws:rds:us-west-2:123456789012:cluster:orders"}},
                 "DBClusterNotFoundFault", 404);
    EXPECT_EQ(call("DescribeDBClusters",
                   {{"DBClusterIdentifier", "arn:aws:rds:us-east-1:123456789012:cluster:orders"}})
                  ->count("//DBClusters/DBCluster"),
              1u);
}

TEST_F(RdsTest, RegionsAreSeparate) {
    create_cluster("orders");
    expect_error("DescribeDBClusters", {{"DBClusterIdentifier", "orders"}}, "DBClusterNotFoundFault", 404,
                 "eu-west-1");
}

TEST_F(RdsTest, UnknownActionAndBadParameters) {
    expect_error("DescribeDBProxies", {}, "InvalidAction", 400);
    expect_error("CreateDBCluster",
                 {{"DBClusterIdentifier", "x"}, {"Engine", "mysql"}, {"MasterUsername", "u"},
                  {"MasterUserPassword", "password-1"}},
                 "InvalidParameterValue", 400);
    expect_error("CreateDBCluster",
                 {{"DBClusterIdentifier", "x"}, {"Engine", "aurora-postgresql"}, {"MasterUsername", "u"},
                  {"MasterUserPassword", "short"}},
                 "InvalidParameterValue", 400);
    expect_error("CreateDBCluster", {{"DBClusterIdentifier", "x"}, {"Engine", "aurora-postgresql"}},
                 "MissingParameter", 400);
    expect_error("CreateDBCluster",
                 {{"DBClusterIdentifier", "x"}, {"Engine", "aurora-postgresql"}, {"MasterUsername", "u"},
                  {"MasterUserPassword", "password-1"}, {"DeletionProtection", "maybe"}},
                 "InvalidParameterValue", 400);
    expect_error("CreateDBCluster",
                 {{"DBClusterIdentifier", "x"}, {"Engine", "aurora-postgresql"}, {"MasterUsername", "u"},
                  {"MasterUserPassword", "password-1"}, {"KmsKeyId", "alias/missing"}, {"StorageEncrypted", "true"}},
                 "KMSKeyNotAccessibleFault", 400);
}

TEST_F(RdsTest, DescribeClustersFiltersAndPagination) {
    for (int n = 0; n < 25; ++n) {
        create_cluster("pg-" + std::to_string(100 + n));
    }
    call("CreateDBCluster", {{"DBClusterIdentifier", "my-1"}, {"Engine", "aurora-mysql"}, {"MasterUsername", "admin"},
                             {"MasterUserPassword", "password-1"}});
    auto mysql = call("DescribeDBClusters", {{"Filters.Filter.1.Name", "engine"},
                                             {"Filters.Filter.1.Values.Value.1", "aurora-mysql"}});
    EXPECT_EQ(mysql->count("//DBClusters/DBCluster"), 1u);
    EXPECT_EQ(mysql->text("//DBCluster/Port"), "3306");
    auto by_id = call("DescribeDBClusters", {{"Filters.member.1.Name", "db-cluster-id"},
                                             {"Filters.member.1.Values.member.1", "pg-101"},
                                             {"Filters.member.1.Values.member.2",
                                              "arn:aws:rds:us-east-1:123456789012:cluster:pg-102"}});
    EXPECT_EQ(by_id->count("//DBClusters/DBCluster"), 2u);
    auto first = call("DescribeDBClusters", {{"MaxRecords", "20"}});
    EXPECT_EQ(first->count("//DBClusters/DBCluster"), 20u);
    auto marker = first->text("//DescribeDBClustersResult/Marker");
    auto second = call("DescribeDBClusters", {{"MaxRecords", "20"}, {"Marker", marker}});
    EXPECT_EQ(second->count("//DBClusters/DBCluster"), 6u);
    EXPECT_EQ(second->count("//DescribeDBClustersResult/Marker"), 0u);
    expect_error("DescribeDBClusters", {{"MaxRecords", "19"}}, "InvalidParameterValue", 400);
    expect_error("DescribeDBClusters", {{"MaxRecords", "101"}}, "InvalidParameterValue", 400);
    expect_error("DescribeDBClusters", {{"Marker", "zz-not-a-marker"}}, "InvalidParameterValue", 400);
    expect_error("DescribeDBClusters", {{"Filters.Filter.1.Name", "color"}, {"Filters.Filter.1.Values.Value.1", "x"}},
                 "InvalidParameterValue", 400);
}

TEST_F(RdsTest, RenameGoesThroughRenamingAndMovesEndpointAndMembers) {
    create_cluster("staging-new");
    advance(60);
    call("CreateDBInstance", {{"DBInstanceIdentifier", "staging-new-1"}, {"DBInstanceClass", "db.r6g.large"},
                              {"Engine", "aurora-postgresql"}, {"DBClusterIdentifier", "staging-new"}});
    advance(90);
    auto old_endpoint = call("DescribeDBClusters", {{"DBClusterIdentifier", "staging-new"}})->text("//Endpoint");
    auto a = call("ModifyDBCluster", {{"DBClusterIdentifier", "staging-new"},
                                      {"NewDBClusterIdentifier", "staging"},
                                      {"ApplyImmediately", "true"}});
    EXPECT_EQ(a->text("//DBCluster/DBClusterIdentifier"), "staging");
    EXPECT_EQ(a->text("//DBCluster/Status"), "renaming");
    EXPECT_EQ(a->text("//DBCluster/Endpoint"), old_endpoint);
    expect_error("DescribeDBClusters", {{"DBClusterIdentifier", "staging-new"}}, "DBClusterNotFoundFault", 404);
    advance(10);
    auto after = call("DescribeDBClusters", {{"DBClusterIdentifier", "staging"}});
    EXPECT_EQ(after->text("//DBCluster/Status"), "available");
    EXPECT_NE(after->text("//DBCluster/Endpoint"), old_endpoint);
    EXPECT_EQ(after->text("//DBCluster/Endpoint").rfind("staging.cluster-", 0), 0u);
    EXPECT_EQ(after->text("//DBClusterMember/DBInstanceIdentifier"), "staging-new-1");
    EXPECT_EQ(call("DescribeDBInstances", {{"DBInstanceIdentifier", "staging-new-1"}})->text("//DBClusterIdentifier"),
              "staging");
    EXPECT_EQ(service->effect_counts().at("clusters_renamed"), 1);
}

TEST_F(RdsTest, RenameToAnExistingIdentifierIsRefused) {
    create_cluster("a1");
    create_cluster("b1");
    advance(60);
    expect_error("ModifyDBCluster",
                 {{"DBClusterIdentifier", "a1"}, {"NewDBClusterIdentifier", "b1"}, {"ApplyImmediately", "true"}},
                 "DBClusterAlreadyExistsFault", 400);
    expect_error("ModifyDBCluster",
                 {{"DBClusterIdentifier", "a1"}, {"NewDBClusterIdentifier", "b--1"}, {"ApplyImmediately", "true"}},
                 "InvalidParameterValue", 400);
}

TEST_F(RdsTest, ModifyWhileCreatingIsInvalidState) {
    create_cluster("a1");
    expect_error("ModifyDBCluster", {{"DBClusterIdentifier", "a1"}, {"DeletionProtection", "true"}},
                 "InvalidDBClusterStateFault", 400);
}

TEST_F(RdsTest, MasterPasswordIsPendingAndNeverEchoed) {
    create_cluster("a1");
    advance(60);
    auto a = call("ModifyDBCluster", {{"DBClusterIdentifier", "a1"},
                                      {"MasterUserPassword", "brand-new-secret-9"},
                                      {"ApplyImmediately", "true"}});
    EXPECT_EQ(a->text("//DBCluster/PendingModifiedValues/MasterUserPassword"), "****");
    EXPECT_EQ(a->text("//DBCluster/Status"), "resetting-master-credentials");
    EXPECT_EQ(a->response.body.find("brand-new-secret-9"), std::string::npos);
    advance(10);
    auto after = call("DescribeDBClusters", {{"DBClusterIdentifier", "a1"}});
    EXPECT_EQ(after->count("//DBCluster/PendingModifiedValues"), 0u);
    EXPECT_EQ(after->text("//DBCluster/Status"), "available");
    EXPECT_EQ(service->effect_counts().at("modifications"), 1);
}

TEST_F(RdsTest, ServerlessScalingValidatedAndShown) {
    create_cluster("a1");
    advance(60);
    expect_error("ModifyDBCluster",
                 {{"DBClusterIdentifier", "a1"}, {"ServerlessV2ScalingConfiguration.MinCapacity", "0.3"},
                  {"ServerlessV2ScalingConfiguration.MaxCapacity", "4"}},
                 "InvalidParameterValue", 400);
    auto a = call("ModifyDBCluster", {{"DBClusterIdentifier", "a1"},
                                      {"ServerlessV2ScalingConfiguration.MinCapacity", "0.5"},
                                      {"ServerlessV2ScalingConfiguration.MaxCapacity", "8"}});
    EXPECT_EQ(a->text("//ServerlessV2ScalingConfiguration/MinCapacity"), "0.5");
    EXPECT_EQ(a->text("//ServerlessV2ScalingConfiguration/MaxCapacity"), "8.0");
    EXPECT_EQ(a->text("//DBCluster/Status"), "modifying");
}

TEST_F(RdsTest, DeleteClusterRules) {
    create_cluster("a1", {{"DeletionProtection", "true"}});
    advance(60);
    call("CreateDBInstance", {{"DBInstanceIdentifier", "a1-w"}, {"DBInstanceClass", "db.r6g.large"},
                              {"Engine", "aurora-postgresql"}, {"DBClusterIdentifier", "a1"}});
    advance(90);
    expect_error("DeleteDBCluster", {{"DBClusterIdentifier", "a1"}}, "InvalidParameterCombination", 400);
    expect_error("DeleteDBCluster",
                 {{"DBClusterIdentifier", "a1"}, {"SkipFinalSnapshot", "true"}, {"FinalDBSnapshotIdentifier", "f"}},
                 "InvalidParameterCombination", 400);
    // Deletion protection is refused the way RDS does it.
    expect_error("DeleteDBCluster", {{"DBClusterIdentifier", "a1"}, {"SkipFinalSnapshot", "true"}},
                 "InvalidParameterCombination", 400);
    call("ModifyDBCluster", {{"DBClusterIdentifier", "a1"}, {"DeletionProtection", "false"}});
    expect_error("DeleteDBCluster", {{"DBClusterIdentifier", "a1"}, {"SkipFinalSnapshot", "true"}},
                 "InvalidDBClusterStateFault", 400);
    EXPECT_EQ(call("DeleteDBInstance", {{"DBInstanceIdentifier", "a1-w"}})->text("//DBInstanceStatus"), "deleting");
    // Members that are being deleted no longer block the cluster's deletion.
    auto a = call("DeleteDBCluster", {{"DBClusterIdentifier", "a1"}, {"FinalDBSnapshotIdentifier", "a1-final"}});
    EXPECT_EQ(a->text("//DBCluster/Status"), "deleting");
    expect_error("DeleteDBCluster", {{"DBClusterIdentifier", "a1"}, {"SkipFinalSnapshot", "true"}},
                 "InvalidDBClusterStateFault", 400);
    EXPECT_EQ(snapshot_status("a1-final"), "creating");
    advance(40);
    expect_error("DescribeDBClusters", {{"DBClusterIdentifier", "a1"}}, "DBClusterNotFoundFault", 404);
    expect_error("DescribeDBInstances", {{"DBInstanceIdentifier", "a1-w"}}, "DBInstanceNotFound", 404);
    EXPECT_EQ(snapshot_status("a1-final"), "available");
    auto effects = service->effect_counts();
    EXPECT_EQ(effects.at("clusters_deleted"), 1);
    EXPECT_EQ(effects.at("instances_deleted"), 1);
    EXPECT_EQ(effects.at("snapshots_created"), 1);
}

} // namespace
} // namespace aurora::sandbox::testing

namespace aurora::sandbox::testing {
namespace {

TEST_F(RdsTest, FastDurationsCompleteAtTheNextRequest) {
    auto o = options();
    o.durations = load_durations("fast");
    make(o);
    EXPECT_EQ(create_cluster("a1")->text("//DBCluster/Status"), "creating");
    EXPECT_EQ(cluster_status("a1"), "available");
}

TEST_F(RdsTest, RecreatedClusterGetsANewResourceId) {
    create_cluster("a1");
    advance(60);
    auto first = call("DescribeDBClusters", {{"DBClusterIdentifier", "a1"}})->text("//DbClusterResourceId");
    call("DeleteDBCluster", {{"DBClusterIdentifier", "a1"}, {"SkipFinalSnapshot", "true"}});
    advance(30);
    auto second = create_cluster("a1")->text("//DbClusterResourceId");
    EXPECT_EQ(first.rfind("cluster-", 0), 0u);
    EXPECT_NE(first, second);
}

} // namespace
} // namespace aurora::sandbox::testing

namespace aurora::sandbox::testing {
namespace {

TEST_F(RdsTest, ManagedMasterPasswordGoesToSecretsManager) {
    std::map<std::string, std::string> secrets;
    auto o = options();
    o.put_managed_secret = [&](const std::string& acct, const std::string& region, const std::string& name,
                               const std::string& value) {
        secrets[name] = value;
        return "arn:aws:secretsmanager:" + region + ":" + acct + ":secret:" + name + "-AbCdEf";
    };
    make(o);
    create_cluster("a1");
    advance(60);
    expect_error("ModifyDBCluster",
                 {{"DBClusterIdentifier", "a1"}, {"ManageMasterUserPassword", "true"},
                  {"MasterUserPassword", "x-12345678"}},
                 "InvalidParameterCombination", 400);
    auto a = call("ModifyDBCluster", {{"DBClusterIdentifier", "a1"}, {"ManageMasterUserPassword", "true"},
                                      {"ApplyImmediately", "true"}});
    ASSERT_EQ(secrets.size(), 1u);
    const auto& [name, value] = *secrets.begin();
    EXPECT_EQ(name.rfind("rds!cluster-", 0), 0u);
    auto secret = nlohmann::json::parse(value);
    EXPECT_EQ(secret["username"], "postgres");
    EXPECT_GE(secret["password"].get<std::string>().size(), 20u);
    EXPECT_EQ(a->text("//MasterUserSecret/SecretArn"),
              "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + name + "-AbCdEf");
    EXPECT_EQ(a->text("//MasterUserSecret/SecretStatus"), "active");
    EXPECT_EQ(a->response.body.find(secret["password"].get<std::string>()), std::string::npos);
    advance(10);
    expect_error("ModifyDBCluster", {{"DBClusterIdentifier", "a1"}, {"MasterUserPassword", "x-12345678"}},
                 "InvalidParameterCombination", 400);
    auto managed_create = call("CreateDBCluster", {{"DBClusterIdentifier", "b1"},
                                                   {"Engine", "aurora-postgresql"},
                                                   {"MasterUsername", "postgres"},
                                                   {"ManageMasterUserPassword", "true"}});
    EXPECT_EQ(secrets.size(), 2u);
    EXPECT_NE(managed_create->text("//MasterUserSecret/SecretArn"), "<missing>");
}

TEST_F(RdsTest, ManagedMasterPasswordNeedsSecretsManager) {
    create_cluster("a1");
    advance(60);
    expect_error("ModifyDBCluster", {{"DBClusterIdentifier", "a1"}, {"ManageMasterUserPassword", "true"}},
                 "InvalidParameterValue", 400);
}

} // namespace
} // namespace aurora::sandbox::testing
