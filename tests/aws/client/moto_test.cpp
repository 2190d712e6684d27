// AwsClient against moto, an independent AWS emulator: our Query and JSON 1.0/1.1 request bytes are
// accepted by someone else's parser, and its answers and errors parse. Needs AURORA_TEST_MOTO_URL
// (scripts/services.sh start).
#include "aws/aws_error.hpp"
#include "aws/client/aws_client.hpp"
#include "aws/http/curl_http_client.hpp"

#include "support/requirements.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <unistd.h>

namespace aurora::aws {
namespace {

ClientContext moto_context(const std::string& url) {
    ClientContext c;
    c.region = "us-east-1";
    c.endpoint_url = url;
    c.http = std::make_shared<CurlHttpClient>();
    c.credentials =
        std::make_shared<StaticCredentialsProvider>(Credentials{"AKIAMOTOTESTING", "moto-testing-secret", "", {}, "test"});
    c.retry.max_attempts = 2;
    return c;
}

std::string unique_name(const std::string& prefix) {
    return prefix + "-" + std::to_string(::getpid()) + "-" +
           std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
}

TEST(Moto, QueryProtocolSts) {
    AURORA_REQUIRE_ENV(url, "AURORA_TEST_MOTO_URL", "moto (scripts/services.sh start)");
    AwsClient sts({"STS", "sts", "sts", "2011-06-15", Protocol::query, ""}, moto_context(url));
    const XmlResponse resp = sts.query("GetCallerIdentity", {});
    EXPECT_FALSE(resp.request_id().empty());
    const auto account = resp.result().text("Account");
    ASSERT_TRUE(account.has_value());
    EXPECT_EQ(account->size(), 12U);
    EXPECT_TRUE(resp.result().text("Arn").has_value());
}

TEST(Moto, QueryProtocolErrorResponse) {
    AURORA_REQUIRE_ENV(url, "AURORA_TEST_MOTO_URL", "moto (scripts/services.sh start)");
    AwsClient rds({"RDS", "rds", "rds", "2014-10-31", Protocol::query, ""}, moto_context(url),
                  [](const std::string& code, int) -> std::optional<ErrorCode> {
                      return code == "DBClusterNotFoundFault" ? std::optional(ErrorCode::cluster_not_found)
                                                              : std::nullopt;
                  });
    QueryParams p;
    p.add("DBClusterIdentifier", unique_name("absent"));
    try {
        (void)rds.query("DescribeDBClusters", p);
        FAIL() << "expected AwsError";
    } catch (const AwsError& e) {
        EXPECT_EQ(e.aws_code(), "DBClusterNotFoundFault") << e.what();
        EXPECT_EQ(e.code(), ErrorCode::cluster_not_found);
        EXPECT_EQ(e.http_status(), 404);
    }
}

TEST(Moto, Json11SecretsManagerRoundTrip) {
    AURORA_REQUIRE_ENV(url, "AURORA_TEST_MOTO_URL", "moto (scripts/services.sh start)");
    AwsClient sm({"Secrets Manager", "secretsmanager", "secretsmanager", "2017-10-17", Protocol::json_1_1,
                  "secretsmanager"},
                 moto_context(url));
    const std::string name = unique_name("aurora-core-test");
    const JsonResponse created = sm.json("CreateSecret", {{"Name", name}, {"SecretString", "value with spaces & ünïcode"}});
    EXPECT_EQ(created.result().text("Name"), name);
    const JsonResponse got = sm.json("GetSecretValue", {{"SecretId", name}});
    EXPECT_EQ(got.result().text("SecretString"), "value with spaces & ünïcode");
    EXPECT_TRUE(got.result().timestamp("CreatedDate").has_value());
    EXPECT_EQ(got.result().string_list("VersionStages"), std::vector<std::string>{"AWSCURRENT"});
    try {
        (void)sm.json("GetSecretValue", {{"SecretId", name + "-absent"}});
        FAIL() << "expected AwsError";
    } catch (const AwsError& e) {
        EXPECT_EQ(e.aws_code(), "ResourceNotFoundException") << e.what();
        EXPECT_GE(e.http_status(), 400); // AWS answers 400, moto 404
        EXPECT_LT(e.http_status(), 500);
    }
}

TEST(Moto, Json10DynamoDb) {
    AURORA_REQUIRE_ENV(url, "AURORA_TEST_MOTO_URL", "moto (scripts/services.sh start)");
    AwsClient ddb({"DynamoDB", "dynamodb", "dynamodb", "2012-08-10", Protocol::json_1_0, "DynamoDB_20120810"},
                  moto_context(url));
    const JsonResponse tables = ddb.json("ListTables", nlohmann::json::object());
    (void)tables.result().string_list("TableNames"); // present or not, it parses
    try {
        (void)ddb.json("DescribeTable", {{"TableName", unique_name("absent")}});
        FAIL() << "expected AwsError";
    } catch (const AwsError& e) {
        EXPECT_EQ(e.aws_code(), "ResourceNotFoundException") << e.what();
        EXPECT_EQ(e.code(), ErrorCode::aws_service);
    }
}

} // namespace
} // namespace aurora::aws
