// The service clients against moto, an independent AWS emulator (design.md, "Real peers"): every call the
// pipeline makes, over the real wire (libcurl, SigV4), parsed from someone else's answers. moto has no
// lifecycles (everything is available at once) and ignores pagination, so the scripted tests cover those.
// Needs AURORA_TEST_MOTO_URL (scripts/services.sh start). Names are unique per run: moto keeps state.

#include "aws/aws_error.hpp"
#include "aws/cloudwatch/cloudwatch_client.hpp"
#include "aws/dynamodb/dynamodb_client.hpp"
#include "aws/http/curl_http_client.hpp"
#include "aws/kms/kms_client.hpp"
#include "aws/rds/rds_client.hpp"
#include "aws/secretsmanager/secrets_manager_client.hpp"
#include "aws/sfn/sfn_client.hpp"
#include "aws/sns/sns_client.hpp"
#include "aws/sts/sts_client.hpp"
#include "support/requirements.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <unistd.h>

namespace aurora::aws {
namespace {

using nlohmann::json;

ClientContext moto_context(const std::string& url) {
    ClientContext c;
    c.region = "us-east-1";
    c.endpoint_url = url;
    c.http = std::make_shared<CurlHttpClient>();
    c.credentials = std::make_shared<StaticCredentialsProvider>(
        Credentials{"AKIAMOTOSERVICES", "moto-services-secret", "", std::nullopt, "test"});
    c.retry.max_attempts = 2;
    return c;
}

std::string unique_name(const std::string& prefix) {
    return prefix + "-" + std::to_string(::getpid()) + "-" +
           std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 1000000000);
}

#define MOTO_URL(url) AURORA_REQUIRE_ENV(url, "AURORA_TEST_MOTO_URL", "moto (scripts/services.sh start)")

TEST(MotoServices, RdsClusterInstanceSnapshotCopyRestoreTagsDelete) {
    MOTO_URL(url);
    rds::RdsClient rds(moto_context(url));
    const std::string cluster = unique_name("src");
    // CreateDBCluster is not a pipeline call; the test creates the source cluster through the core.
    QueryParams create;
    create.add("DBClusterIdentifier", cluster);
    create.add("Engine", "aurora-postgresql");
    create.add("MasterUsername", "postgres");
    create.add("MasterUserPassword", "moto-master-password");
    rds.core().query("CreateDBCluster", create);

    const auto found = rds.find_db_cluster(cluster);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->engine, "aurora-postgresql");
    EXPECT_FALSE(rds.find_db_cluster(unique_name("absent")).has_value());

    rds::CreateDbInstanceRequest inst;
    inst.instance_identifier = cluster + "-1";
    inst.instance_class = "db.r6g.large";
    inst.engine = "aurora-postgresql";
    inst.cluster_identifier = cluster;
    EXPECT_EQ(rds.create_db_instance(inst).cluster_identifier, cluster);
    rds::DescribeDbInstancesRequest by_cluster;
    by_cluster.filters = {{"db-cluster-id", {cluster}}};
    const auto instances = rds.describe_all_db_instances(by_cluster);
    ASSERT_EQ(instances.size(), 1U);
    EXPECT_EQ(instances[0].identifier, cluster + "-1");

    const std::string snap = unique_name("snap");
    EXPECT_EQ(rds.create_db_cluster_snapshot(snap, cluster, {{"team", "orders"}}).identifier, snap);
    rds::DescribeDbClusterSnapshotsRequest snaps;
    snaps.cluster_identifier = cluster;
    snaps.snapshot_type = "manual"; // moto also keeps an automated snapshot of the cluster
    const auto listed = rds.describe_all_db_cluster_snapshots(snaps);
    ASSERT_EQ(listed.size(), 1U);
    EXPECT_EQ(listed[0].status, "available");

    rds::CopyDbClusterSnapshotRequest copy;
    copy.source_identifier = snap;
    copy.target_identifier = snap + "-copy";
    copy.copy_tags = true;
    EXPECT_EQ(rds.copy_db_cluster_snapshot(copy).identifier, snap + "-copy");

    rds::RestoreDbClusterFromSnapshotRequest restore;
    restore.cluster_identifier = unique_name("restored");
    restore.snapshot_identifier = snap + "-copy";
    restore.engine = "aurora-postgresql";
    restore.tags = {{"aurora-restore:owner", "r-1"}};
    const auto restored = rds.restore_db_cluster_from_snapshot(restore);
    EXPECT_EQ(restored.identifier, restore.cluster_identifier);

    rds.add_tags_to_resource(restored.arn, {{"env", "staging"}});
    auto tags = rds.list_tags_for_resource(restored.arn);
    EXPECT_NE(std::find(tags.begin(), tags.end(), rds::Tag{"env", "staging"}), tags.end());
    rds.remove_tags_from_resource(restored.arn, {"env"});
    tags = rds.list_tags_for_resource(restored.arn);
    EXPECT_EQ(std::find(tags.begin(), tags.end(), rds::Tag{"env", "staging"}), tags.end());

    rds::ModifyDbClusterRequest modify;
    modify.cluster_identifier = restore.cluster_identifier;
    modify.deletion_protection = false;
    modify.apply_immediately = true;
    rds.modify_db_cluster(modify);

    rds::DeleteDbInstanceRequest del_inst;
    del_inst.instance_identifier = cluster + "-1";
    rds.delete_db_instance(del_inst);
    rds::DeleteDbClusterRequest del;
    del.cluster_identifier = restore.cluster_identifier;
    rds.delete_db_cluster(del);
    rds.delete_db_cluster_snapshot(snap + "-copy");
    try {
        rds.delete_db_cluster_snapshot(snap + "-copy");
        FAIL() << "deleted twice";
    } catch (const AwsError& e) {
        EXPECT_EQ(e.code(), ErrorCode::snapshot_not_found) << e.what();
    }
}

TEST(MotoServices, RdsRestoreToPointInTime) {
    MOTO_URL(url);
    rds::RdsClient rds(moto_context(url));
    const std::string cluster = unique_name("pitr-src");
    QueryParams create;
    create.add("DBClusterIdentifier", cluster);
    create.add("Engine", "aurora-mysql");
    create.add("MasterUsername", "admin");
    create.add("MasterUserPassword", "moto-master-password");
    rds.core().query("CreateDBCluster", create);
    rds::RestoreDbClusterToPointInTimeRequest req;
    req.cluster_identifier = unique_name("clone");
    req.source_cluster_identifier = cluster;
    req.restore_type = "copy-on-write";
    req.use_latest_restorable_time = true;
    EXPECT_EQ(rds.restore_db_cluster_to_point_in_time(req).identifier, req.cluster_identifier);
}

TEST(MotoServices, StsSnsCloudWatch) {
    MOTO_URL(url);
    sts::StsClient sts(moto_context(url));
    EXPECT_EQ(sts.get_caller_identity().account.size(), 12U);
    sts::AssumeRoleParams p;
    p.role_arn = "arn:aws:iam::123456789012:role/restore";
    p.role_session_name = "moto";
    p.duration_seconds = 900;
    const auto role = sts.assume_role(p);
    EXPECT_FALSE(role.credentials.access_key_id.empty());
    EXPECT_FALSE(role.credentials.session_token.empty());
    EXPECT_TRUE(role.credentials.expiration.has_value());

    sns::SnsClient sns(moto_context(url));
    const std::string topic = sns.create_topic(unique_name("restores"));
    EXPECT_NE(topic.find(":sns:us-east-1:"), std::string::npos);
    sns::PublishRequest pub;
    pub.topic_arn = topic;
    pub.message = "restore r-1 succeeded";
    pub.subject = "aurora-restore";
    pub.message_attributes = {{"restore_id", "String", "r-1"}};
    EXPECT_FALSE(sns.publish(pub).empty());

    cloudwatch::CloudWatchClient cw(moto_context(url));
    cloudwatch::MetricDatum d;
    d.metric_name = "RestoreDuration";
    d.dimensions = {{"Target", "staging-orders"}};
    d.value = 12.5;
    d.unit = "Seconds";
    EXPECT_NO_THROW(cw.put_metric_data(unique_name("AuroraRestore"), {d}));
}

TEST(MotoServices, SecretsManagerAndKms) {
    MOTO_URL(url);
    secretsmanager::SecretsManagerClient sm(moto_context(url));
    secretsmanager::CreateSecretRequest create;
    create.name = unique_name("staging/orders/app");
    create.secret_string = "moto-first-password";
    EXPECT_FALSE(sm.create_secret(create).arn.empty());
    EXPECT_EQ(sm.get_secret_string(create.name), "moto-first-password");
    sm.put_secret_value(create.name, "moto-second-password");
    const auto v = sm.get_secret_value(create.name);
    EXPECT_EQ(v.secret_string, "moto-second-password");
    try {
        sm.get_secret_value(unique_name("absent"));
        FAIL();
    } catch (const AwsError& e) {
        EXPECT_EQ(e.code(), ErrorCode::secret_not_found) << e.what();
    }

    kms::KmsClient kms(moto_context(url));
    const JsonResponse created = kms.core().json("CreateKey", json{{"Description", "aurora-restore test"}});
    const std::string key_id = created.result().child("KeyMetadata").text("KeyId").value_or("");
    ASSERT_FALSE(key_id.empty());
    const auto k = kms.describe_key(key_id);
    EXPECT_EQ(k.key_id, key_id);
    EXPECT_TRUE(k.enabled);
    EXPECT_EQ(k.key_state, "Enabled");
    EXPECT_FALSE(kms.find_key("11111111-2222-3333-4444-555555555555").has_value());
}

TEST(MotoServices, DynamoDbConditionalWritesAndQuery) {
    MOTO_URL(url);
    dynamodb::DynamoDbClient ddb(moto_context(url));
    const std::string table = unique_name("state");
    ddb.core().json("CreateTable", json{{"TableName", table},
                                        {"AttributeDefinitions", {{{"AttributeName", "pk"}, {"AttributeType", "S"}},
                                                                  {{"AttributeName", "sk"}, {"AttributeType", "N"}}}},
                                        {"KeySchema", {{{"AttributeName", "pk"}, {"KeyType", "HASH"}},
                                                       {{"AttributeName", "sk"}, {"KeyType", "RANGE"}}}},
                                        {"BillingMode", "PAY_PER_REQUEST"}});
    dynamodb::PutItemRequest put;
    put.table = table;
    put.item = {{"pk", {{"S", "r#1"}}}, {"sk", {{"N", "1"}}}, {"owner", {{"S", "a"}}}};
    put.condition_expression = "attribute_not_exists(pk)";
    EXPECT_FALSE(ddb.put_item(put).condition_failed);
    EXPECT_TRUE(ddb.put_item(put).condition_failed) << "the second create must lose";

    dynamodb::UpdateItemRequest upd;
    upd.table = table;
    upd.key = {{"pk", {{"S", "r#1"}}}, {"sk", {{"N", "1"}}}};
    upd.update_expression = "SET #o = :b";
    upd.condition_expression = "#o = :a";
    upd.expressions.names = {{"#o", "owner"}};
    upd.expressions.values = {{":a", {{"S", "a"}}}, {":b", {{"S", "b"}}}};
    upd.return_values = "ALL_NEW";
    const auto updated = ddb.update_item(upd);
    EXPECT_FALSE(updated.condition_failed);
    EXPECT_EQ(updated.attributes["owner"]["S"], "b");
    EXPECT_TRUE(ddb.update_item(upd).condition_failed);

    put.condition_expression.clear();
    put.item["sk"] = {{"N", "2"}};
    ddb.put_item(put);
    dynamodb::QueryRequest q;
    q.table = table;
    q.key_condition_expression = "pk = :pk";
    q.expressions.values = {{":pk", {{"S", "r#1"}}}};
    q.consistent_read = true;
    EXPECT_EQ(ddb.query_all(q).size(), 2U);

    dynamodb::GetItemRequest get;
    get.table = table;
    get.key = upd.key;
    get.consistent_read = true;
    ASSERT_TRUE(ddb.get_item(get).has_value());
    dynamodb::DeleteItemRequest del;
    del.table = table;
    del.key = upd.key;
    EXPECT_FALSE(ddb.delete_item(del).condition_failed);
    EXPECT_FALSE(ddb.get_item(get).has_value());
}

TEST(MotoServices, StepFunctions) {
    MOTO_URL(url);
    sfn::SfnClient sfn(moto_context(url));
    const std::string definition =
        R"({"StartAt":"Done","States":{"Done":{"Type":"Pass","End":true}}})";
    const JsonResponse created = sfn.core().json(
        "CreateStateMachine", json{{"name", unique_name("restore")},
                                   {"definition", definition},
                                   {"roleArn", "arn:aws:iam::123456789012:role/sfn"}});
    const std::string sm_arn = created.result().text("stateMachineArn").value_or("");
    ASSERT_FALSE(sm_arn.empty());
    const auto started = sfn.start_execution(sm_arn, unique_name("r"), R"({"restore_id":"r-1"})");
    EXPECT_FALSE(started.execution_arn.empty());
    const auto e = sfn.describe_execution(started.execution_arn);
    EXPECT_EQ(e.execution_arn, started.execution_arn);
    EXPECT_FALSE(e.status.empty());
    EXPECT_NO_THROW(sfn.get_full_execution_history(started.execution_arn));
    try {
        sfn.describe_execution(sm_arn.substr(0, sm_arn.find(":stateMachine:")) + ":execution:absent:x");
        FAIL();
    } catch (const AwsError& err) {
        EXPECT_EQ(err.code(), ErrorCode::not_found) << err.what();
    }
}

} // namespace
} // namespace aurora::aws
