// Secrets Manager, KMS, DynamoDB and Step Functions clients (JSON protocols) against a scripted transport.

#include "fake_http.hpp"

#include "aws/aws_error.hpp"
#include "aws/dynamodb/dynamodb_client.hpp"
#include "aws/kms/kms_client.hpp"
#include "aws/secretsmanager/secrets_manager_client.hpp"
#include "aws/sfn/sfn_client.hpp"
#include "common/redact.hpp"

#include <gtest/gtest.h>

#include <string>

namespace aurora::aws::testing {
namespace {

using nlohmann::json;

std::string json_error(const std::string& type, const std::string& message) {
    return json{{"__type", type}, {"message", message}}.dump();
}

json sent_body(const ScriptedHttpClient& http) { return json::parse(http.last().body); }

TEST(SecretsManagerClient, GetSecretValueRegistersTheValue) {
    clear_registered_secrets_for_testing();
    TestContext t;
    t.http->push(200, R"({"ARN":"arn:aws:secretsmanager:us-west-2:123456789012:secret:staging/orders/app-a1b2c3",
        "CreatedDate":1.523477145713E9,"Name":"staging/orders/app","SecretString":"{\"password\":\"Pa55-w0rd-xyz\"}",
        "VersionId":"EXAMPLE1-90ab-cdef-fedc-ba987SECRET1","VersionStages":["AWSPREVIOUS","AWSCURRENT"]})");
    secretsmanager::SecretsManagerClient sm(t.context("us-west-2"));
    const auto v = sm.get_secret_value("staging/orders/app");
    EXPECT_EQ(v.secret_string, R"({"password":"Pa55-w0rd-xyz"})");
    EXPECT_EQ(v.version_stages, (std::vector<std::string>{"AWSPREVIOUS", "AWSCURRENT"}));
    EXPECT_EQ(v.name, "staging/orders/app");
    ASSERT_TRUE(v.created_date.has_value());
    EXPECT_EQ(format_iso8601(*v.created_date), "2018-04-11T20:05:45Z");
    EXPECT_EQ(redact(v.secret_string), "***");

    const HttpRequest sent = t.http->last();
    EXPECT_EQ(sent.headers.get("X-Amz-Target"), "secretsmanager.GetSecretValue");
    EXPECT_EQ(sent.headers.get("Content-Type"), "application/x-amz-json-1.1");
    EXPECT_EQ(sent.host, "secretsmanager.us-west-2.amazonaws.com");
    EXPECT_EQ(json::parse(sent.body), (json{{"SecretId", "staging/orders/app"}}));
}

TEST(SecretsManagerClient, MissingSecretAndBinarySecret) {
    TestContext t;
    t.http->push(400, json_error("ResourceNotFoundException", "Secrets Manager can't find the specified secret."));
    t.http->push(200, R"({"Name":"bin","SecretBinary":"AQIDBA==","VersionStages":["AWSCURRENT"]})");
    secretsmanager::SecretsManagerClient sm(t.context());
    try {
        sm.get_secret_value("nope");
        FAIL();
    } catch (const AwsError& e) {
        EXPECT_EQ(e.code(), ErrorCode::secret_not_found);
        EXPECT_EQ(e.aws_code(), "ResourceNotFoundException");
    }
    try {
        sm.get_secret_string("bin");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_request);
    }
}

TEST(SecretsManagerClient, CreateAndPut) {
    TestContext t;
    t.http->push(200, R"({"ARN":"arn:s","Name":"n","VersionId":"v1"})");
    t.http->push(400, json_error("ResourceExistsException", "exists"));
    t.http->push(200, R"({"ARN":"arn:s","Name":"n","VersionId":"v2","VersionStages":["AWSCURRENT"]})");
    secretsmanager::SecretsManagerClient sm(t.context());
    secretsmanager::CreateSecretRequest req;
    req.name = "n";
    req.secret_string = "generated-password-1";
    req.client_request_token = "01234567-89ab-cdef-0123-456789abcdef";
    req.tags = {{"team", "orders"}};
    EXPECT_EQ(sm.create_secret(req).version_id, "v1");
    EXPECT_EQ(sent_body(*t.http), (json{{"Name", "n"},
                                        {"SecretString", "generated-password-1"},
                                        {"ClientRequestToken", "01234567-89ab-cdef-0123-456789abcdef"},
                                        {"Tags", json::array({{{"Key", "team"}, {"Value", "orders"}}})}}));
    try {
        sm.create_secret(req);
        FAIL();
    } catch (const AwsError& e) {
        EXPECT_EQ(e.code(), ErrorCode::already_exists);
    }
    EXPECT_EQ(sm.put_secret_value("n", "generated-password-2").version_id, "v2");
    EXPECT_EQ(sent_body(*t.http), (json{{"SecretId", "n"}, {"SecretString", "generated-password-2"}}));
    EXPECT_EQ(t.http->last().headers.get("X-Amz-Target"), "secretsmanager.PutSecretValue");
}

TEST(KmsClient, DescribeKeyAndFindKey) {
    TestContext t;
    t.http->push(200, R"({"KeyMetadata":{"AWSAccountId":"111122223333",
        "Arn":"arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab","CreationDate":1.499288695918E9,
        "CustomerMasterKeySpec":"SYMMETRIC_DEFAULT","Description":"","Enabled":true,"EncryptionAlgorithms":["SYMMETRIC_DEFAULT"],
        "KeyId":"1234abcd-12ab-34cd-56ef-1234567890ab","KeyManager":"CUSTOMER","KeySpec":"SYMMETRIC_DEFAULT",
        "KeyState":"Enabled","KeyUsage":"ENCRYPT_DECRYPT","MultiRegion":false,"Origin":"AWS_KMS"}})");
    t.http->push(400, json_error("NotFoundException", "Alias arn:aws:kms:us-west-2:111122223333:alias/x is not found."));
    kms::KmsClient kms(t.context("us-west-2"));
    const auto k = kms.describe_key("alias/staging-rds");
    EXPECT_EQ(t.http->last().headers.get("X-Amz-Target"), "TrentService.DescribeKey");
    EXPECT_EQ(sent_body(*t.http), (json{{"KeyId", "alias/staging-rds"}}));
    EXPECT_EQ(k.key_id, "1234abcd-12ab-34cd-56ef-1234567890ab");
    EXPECT_TRUE(k.enabled);
    EXPECT_EQ(k.key_state, "Enabled");
    EXPECT_EQ(k.key_manager, "CUSTOMER");
    EXPECT_EQ(k.multi_region, false);
    EXPECT_EQ(k.encryption_algorithms, std::vector<std::string>{"SYMMETRIC_DEFAULT"});
    EXPECT_FALSE(kms.find_key("alias/x").has_value());
}

TEST(DynamoDbClient, GetItemFoundAndAbsent) {
    TestContext t;
    t.http->push(200, R"({"Item":{"pk":{"S":"restore#1"},"status":{"S":"running"},"version":{"N":"3"}}})");
    t.http->push(200, "{}");
    dynamodb::DynamoDbClient ddb(t.context());
    dynamodb::GetItemRequest req;
    req.table = "aurora-restore-state";
    req.key = {{"pk", {{"S", "restore#1"}}}};
    req.consistent_read = true;
    const auto item = ddb.get_item(req);
    ASSERT_TRUE(item.has_value());
    EXPECT_EQ((*item)["version"]["N"], "3");
    const HttpRequest sent = t.http->last();
    EXPECT_EQ(sent.headers.get("X-Amz-Target"), "DynamoDB_20120810.GetItem");
    EXPECT_EQ(sent.headers.get("Content-Type"), "application/x-amz-json-1.0");
    EXPECT_EQ(json::parse(sent.body),
              (json{{"TableName", "aurora-restore-state"}, {"Key", {{"pk", {{"S", "restore#1"}}}}}, {"ConsistentRead", true}}));
    EXPECT_FALSE(ddb.get_item(req).has_value());
}

TEST(DynamoDbClient, ConditionFailureIsAValueOtherErrorsThrow) {
    TestContext t;
    t.http->push(400, json_error("com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
                                 "The conditional request failed"));
    t.http->push(200, R"({"Attributes":{"pk":{"S":"lock#x"},"owner":{"S":"me"}}})");
    t.http->push(400, json_error("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", "Requested resource not found"));
    dynamodb::DynamoDbClient ddb(t.context());
    dynamodb::PutItemRequest put;
    put.table = "locks";
    put.item = {{"pk", {{"S", "lock#x"}}}, {"owner", {{"S", "me"}}}};
    put.condition_expression = "attribute_not_exists(pk) OR #o = :me";
    put.expressions.names = {{"#o", "owner"}};
    put.expressions.values = {{":me", {{"S", "me"}}}};
    const auto lost = ddb.put_item(put);
    EXPECT_TRUE(lost.condition_failed);
    EXPECT_EQ(sent_body(*t.http), (json{{"TableName", "locks"},
                                        {"Item", put.item},
                                        {"ConditionExpression", "attribute_not_exists(pk) OR #o = :me"},
                                        {"ExpressionAttributeNames", {{"#o", "owner"}}},
                                        {"ExpressionAttributeValues", {{":me", {{"S", "me"}}}}}}));

    dynamodb::UpdateItemRequest upd;
    upd.table = "locks";
    upd.key = {{"pk", {{"S", "lock#x"}}}};
    upd.update_expression = "SET #o = :me";
    upd.expressions.names = {{"#o", "owner"}};
    upd.expressions.values = {{":me", {{"S", "me"}}}};
    upd.return_values = "ALL_NEW";
    const auto won = ddb.update_item(upd);
    EXPECT_FALSE(won.condition_failed);
    EXPECT_EQ(won.attributes["owner"]["S"], "me");
    EXPECT_EQ(t.http->last().headers.get("X-Amz-Target"), "DynamoDB_20120810.UpdateItem");

    dynamodb::DeleteItemRequest del;
    del.table = "gone";
    del.key = upd.key;
    try {
        ddb.delete_item(del);
        FAIL();
    } catch (const AwsError& e) {
        EXPECT_EQ(e.code(), ErrorCode::not_found);
    }
}

TEST(DynamoDbClient, QueryAllFollowsLastEvaluatedKey) {
    TestContext t;
    t.http->push(200, R"({"Count":2,"ScannedCount":2,"Items":[{"pk":{"S":"r#1"},"sk":{"N":"1"}},{"pk":{"S":"r#1"},"sk":{"N":"2"}}],
        "LastEvaluatedKey":{"pk":{"S":"r#1"},"sk":{"N":"2"}}})");
    t.http->push(200, R"({"Count":1,"ScannedCount":1,"Items":[{"pk":{"S":"r#1"},"sk":{"N":"3"}}]})");
    dynamodb::DynamoDbClient ddb(t.context());
    dynamodb::QueryRequest q;
    q.table = "audit";
    q.key_condition_expression = "pk = :pk";
    q.expressions.values = {{":pk", {{"S", "r#1"}}}};
    q.limit = 2;
    const auto items = ddb.query_all(q);
    ASSERT_EQ(items.size(), 3U);
    EXPECT_EQ(items[2]["sk"]["N"], "3");
    const auto reqs = t.http->requests();
    ASSERT_EQ(reqs.size(), 2U);
    EXPECT_FALSE(json::parse(reqs[0].body).contains("ExclusiveStartKey"));
    EXPECT_EQ(json::parse(reqs[1].body)["ExclusiveStartKey"], (json{{"pk", {{"S", "r#1"}}}, {"sk", {{"N", "2"}}}}));
    EXPECT_EQ(json::parse(reqs[1].body)["Limit"], 2);
}

TEST(SfnClient, StartAndDescribe) {
    TestContext t;
    t.http->push(200, R"({"executionArn":"arn:aws:states:us-east-1:1:execution:restore:r-1","startDate":1.7e9})");
    t.http->push(200, R"({"executionArn":"arn:aws:states:us-east-1:1:execution:restore:r-1",
        "stateMachineArn":"arn:aws:states:us-east-1:1:stateMachine:restore","name":"r-1","status":"FAILED",
        "startDate":1.7e9,"stopDate":1.7000001e9,"input":"{}","error":"Aurora.SnapshotNotFound","cause":"snapshot x"})");
    t.http->push(400, json_error("ExecutionDoesNotExist", "Execution Does Not Exist"));
    sfn::SfnClient sfn(t.context());
    const auto started = sfn.start_execution("arn:aws:states:us-east-1:1:stateMachine:restore", "r-1", R"({"a":1})");
    EXPECT_EQ(started.execution_arn, "arn:aws:states:us-east-1:1:execution:restore:r-1");
    EXPECT_EQ(t.http->last().headers.get("X-Amz-Target"), "AWSStepFunctions.StartExecution");
    EXPECT_EQ(t.http->last().host, "states.us-east-1.amazonaws.com");
    EXPECT_NE(t.http->last().headers.get("Authorization")->find("/us-east-1/states/aws4_request"), std::string::npos);
    EXPECT_EQ(sent_body(*t.http), (json{{"stateMachineArn", "arn:aws:states:us-east-1:1:stateMachine:restore"},
                                        {"input", R"({"a":1})"},
                                        {"name", "r-1"}}));
    const auto e = sfn.describe_execution(started.execution_arn);
    EXPECT_EQ(e.status, "FAILED");
    EXPECT_EQ(e.error, "Aurora.SnapshotNotFound");
    ASSERT_TRUE(e.stop_date.has_value());
    try {
        sfn.describe_execution("arn:missing");
        FAIL();
    } catch (const AwsError& err) {
        EXPECT_EQ(err.code(), ErrorCode::not_found);
    }
}

TEST(SfnClient, HistoryPagesAndTaskCallbacks) {
    TestContext t;
    t.http->push(200, R"({"events":[{"id":1,"timestamp":1.7e9,"type":"ExecutionStarted"},
        {"id":2,"previousEventId":1,"timestamp":1.7e9,"type":"TaskStateEntered","stateEnteredEventDetails":{"name":"Validate","input":"{}"}}],
        "nextToken":"t2"})");
    t.http->push(200, R"({"events":[{"id":3,"previousEventId":2,"timestamp":1.7e9,"type":"ExecutionFailed",
        "executionFailedEventDetails":{"error":"Aurora.Guardrail","cause":"protected"}}]})");
    t.http->push(200, "{}");
    t.http->push(200, "{}");
    sfn::SfnClient sfn(t.context());
    const auto events = sfn.get_full_execution_history("arn:ex");
    ASSERT_EQ(events.size(), 3U);
    EXPECT_EQ(events[1].state_name, "Validate");
    EXPECT_EQ(events[2].previous_event_id, 2);
    EXPECT_EQ(events[2].error, "Aurora.Guardrail");
    EXPECT_EQ(events[2].cause, "protected");
    EXPECT_EQ(json::parse(t.http->requests()[1].body), (json{{"executionArn", "arn:ex"}, {"nextToken", "t2"}}));

    sfn.send_task_success("tok-1", R"({"ok":true})");
    EXPECT_EQ(sent_body(*t.http), (json{{"taskToken", "tok-1"}, {"output", R"({"ok":true})"}}));
    sfn.send_task_failure("tok-2", "Aurora.NotReady", "cluster still creating");
    EXPECT_EQ(sent_body(*t.http),
              (json{{"taskToken", "tok-2"}, {"error", "Aurora.NotReady"}, {"cause", "cluster still creating"}}));
    EXPECT_EQ(t.http->last().headers.get("X-Amz-Target"), "AWSStepFunctions.SendTaskFailure");
}

} // namespace
} // namespace aurora::aws::testing
