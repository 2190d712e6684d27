// Acceptance 3 of issue #3: bad signatures, stale dates, unknown keys, missing authentication and tampered
// presigned URLs are rejected with AWS's codes, statuses and error shapes.
#include "aws/sigv4/query_presign.hpp"
#include "sandbox/sandbox_core.hpp"
#include "sandbox_test_util.hpp"

#include <gtest/gtest.h>

namespace aurora::sandbox {
namespace {

using testing::json_request;
using testing::query_request;
using testing::test_credentials;
using testing::xml_root;
using testing::xml_text;

class SandboxAuthTest : public ::testing::Test {
protected:
    SandboxAuthTest() : core_(make_options()) {}
    SandboxOptions make_options() {
        SandboxOptions o;
        o.clock = &clock_;
        return o;
    }
    aws::HttpRequest identity(const aws::Credentials& creds = test_credentials()) {
        return query_request("sts", "GetCallerIdentity", {}, clock_.now(), creds);
    }
    aws::HttpRequest describe_key(const aws::Credentials& creds = test_credentials()) {
        return json_request("kms", "TrentService.DescribeKey", {{"KeyId", "alias/aws/rds"}}, clock_.now(), creds);
    }
    // Checks the Query error shape: <ErrorResponse xmlns=ns><Error><Type>Sender</Type><Code>…
    void expect_query_error(const CoreOutcome& out, int status, const std::string& code) {
        EXPECT_EQ(out.response.status, status) << out.response.body;
        EXPECT_EQ(xml_root(out.response.body),
                  std::make_pair(std::string("ErrorResponse"), std::string("https://sts.amazonaws.com/doc/2011-06-15/")));
        EXPECT_EQ(xml_text(out.response.body, "Code"), code);
        EXPECT_EQ(xml_text(out.response.body, "Type"), "Sender");
        EXPECT_FALSE(xml_text(out.response.body, "Message").empty());
        EXPECT_EQ(xml_text(out.response.body, "RequestId"), out.response.headers.get("x-amzn-RequestId").value_or("?"));
        EXPECT_EQ(out.outcome, code);
    }
    void expect_json_error(const CoreOutcome& out, int status, const std::string& code) {
        EXPECT_EQ(out.response.status, status) << out.response.body;
        const auto body = nlohmann::json::parse(out.response.body);
        EXPECT_EQ(body.value("__type", ""), code);
        EXPECT_FALSE(body.value("message", "").empty());
        EXPECT_EQ(out.response.headers.get("x-amzn-ErrorType").value_or(""), code);
        EXPECT_TRUE(out.response.headers.contains("x-amzn-RequestId"));
    }

    FakeClock clock_;
    SandboxCore core_;
};

TEST_F(SandboxAuthTest, AcceptsTheDefaultKey) {
    const auto out = core_.handle(identity());
    ASSERT_EQ(out.response.status, 200) << out.response.body;
    EXPECT_EQ(xml_text(out.response.body, "Account"), "000000000000");
    EXPECT_EQ(xml_text(out.response.body, "Arn"), "arn:aws:iam::000000000000:root");
}

TEST_F(SandboxAuthTest, WrongSecretIsSignatureDoesNotMatch) {
    expect_query_error(core_.handle(identity(test_credentials("test", "not-the-secret"))), 403, "SignatureDoesNotMatch");
}

TEST_F(SandboxAuthTest, TamperedBodyIsSignatureDoesNotMatch) {
    auto req = query_request("sts", "AssumeRole",
                             {{"RoleArn", "arn:aws:iam::000000000000:role/reader"}, {"RoleSessionName", "s1"}},
                             clock_.now());
    req.body += "&DurationSeconds=43200";
    expect_query_error(core_.handle(req), 403, "SignatureDoesNotMatch");
}

TEST_F(SandboxAuthTest, StaleDateIsRequestExpiredForQueryAndInvalidSignatureForJson) {
    auto req = identity();
    clock_.advance(std::chrono::minutes(16));
    expect_query_error(core_.handle(req), 400, "RequestExpired");

    auto json = describe_key();
    clock_.advance(std::chrono::minutes(16));
    const auto out = core_.handle(json);
    expect_json_error(out, 400, "InvalidSignatureException");
    EXPECT_NE(out.response.body.find("Signature expired"), std::string::npos);
}

TEST_F(SandboxAuthTest, DateWithinFifteenMinutesIsAccepted) {
    auto req = identity();
    clock_.advance(std::chrono::minutes(14));
    EXPECT_EQ(core_.handle(req).response.status, 200);
}

TEST_F(SandboxAuthTest, UnknownKeyIsInvalidClientTokenIdOrUnrecognizedClient) {
    expect_query_error(core_.handle(identity(test_credentials("AKIDUNKNOWN", "x"))), 403, "InvalidClientTokenId");
    expect_json_error(core_.handle(describe_key(test_credentials("AKIDUNKNOWN", "x"))), 400,
                      "UnrecognizedClientException");
}

TEST_F(SandboxAuthTest, WrongSecretOnJsonIsInvalidSignatureException) {
    expect_json_error(core_.handle(describe_key(test_credentials("test", "wrong"))), 400, "InvalidSignatureException");
}

TEST_F(SandboxAuthTest, MissingAuthIsMissingAuthenticationToken) {
    auto req = identity();
    req.headers.remove("Authorization");
    expect_query_error(core_.handle(req), 403, "MissingAuthenticationToken");
    auto json = describe_key();
    json.headers.remove("Authorization");
    expect_json_error(core_.handle(json), 400, "MissingAuthenticationTokenException");
}

TEST_F(SandboxAuthTest, AssumedRoleCredentialsAreAcceptedWithTheirTokenOnly) {
    const auto out = core_.handle(query_request(
        "sts", "AssumeRole", {{"RoleArn", "arn:aws:iam::111122223333:role/restorer"}, {"RoleSessionName", "ci"}},
        clock_.now()));
    ASSERT_EQ(out.response.status, 200) << out.response.body;
    const auto key = xml_text(out.response.body, "AccessKeyId");
    const auto secret = xml_text(out.response.body, "SecretAccessKey");
    const auto token = xml_text(out.response.body, "SessionToken");
    ASSERT_TRUE(key.starts_with("ASIA"));

    const auto me = core_.handle(identity(test_credentials(key, secret, token)));
    ASSERT_EQ(me.response.status, 200) << me.response.body;
    EXPECT_EQ(xml_text(me.response.body, "Account"), "111122223333");
    EXPECT_EQ(xml_text(me.response.body, "Arn"), "arn:aws:sts::111122223333:assumed-role/restorer/ci");

    expect_query_error(core_.handle(identity(test_credentials(key, secret, "wrong-token"))), 403,
                       "InvalidClientTokenId");
    clock_.advance(std::chrono::hours(2)); // default DurationSeconds is 3600
    expect_query_error(core_.handle(identity(test_credentials(key, secret, token))), 403, "ExpiredToken");
}

TEST_F(SandboxAuthTest, WebIdentityNeedsNoSignature) {
    // {"sub":"system:serviceaccount:ci:restorer","aud":"sts.amazonaws.com","iss":"https://oidc.example.com"}
    const std::string token = "eyJhbGciOiJSUzI1NiJ9."
                              "eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6Y2k6cmVzdG9yZXIiLCJhdWQiOiJzdHMuYW1hem9uYXdzLmNvbSIsImlzcyI6Imh0dHBzOi8vb2lkYy5leGFtcGxlLmNvbSJ9."
                              "c2ln";
    auto req = query_request("sts", "AssumeRoleWithWebIdentity",
                             {{"RoleArn", "arn:aws:iam::111122223333:role/ci"},
                              {"RoleSessionName", "pod"},
                              {"WebIdentityToken", token}},
                             clock_.now());
    req.headers.remove("Authorization");
    const auto out = core_.handle(req);
    ASSERT_EQ(out.response.status, 200) << out.response.body;
    EXPECT_EQ(xml_text(out.response.body, "SubjectFromWebIdentityToken"), "system:serviceaccount:ci:restorer");
    EXPECT_EQ(xml_text(out.response.body, "Audience"), "sts.amazonaws.com");
    EXPECT_EQ(xml_text(out.response.body, "Provider"), "https://oidc.example.com");
}

class PresignedUrlTest : public SandboxAuthTest {
protected:
    std::string presign(const aws::Credentials& creds, std::chrono::seconds expires = std::chrono::seconds(3600)) {
        return aws::presign_query_action("https://rds.us-east-1.amazonaws.com",
                                         {{"Action", "CopyDBClusterSnapshot"},
                                          {"Version", "2014-10-31"},
                                          {"SourceDBClusterSnapshotIdentifier", "arn:aws:rds:us-east-1:000000000000:cluster-snapshot:s1"},
                                          {"TargetDBClusterSnapshotIdentifier", "s1-copy"},
                                          {"DestinationRegion", "us-west-2"}},
                                         creds, "us-east-1", "rds", clock_.now(), expires);
    }
};

TEST_F(PresignedUrlTest, ValidUrlVerifies) {
    const auto v = core_.verify_presigned_url(presign(test_credentials()), clock_.now());
    ASSERT_TRUE(v.valid) << v.error_code << ": " << v.message;
    EXPECT_EQ(v.region, "us-east-1");
    EXPECT_EQ(v.service, "rds");
    EXPECT_EQ(v.account_id, "000000000000");
    EXPECT_EQ(v.params.at("TargetDBClusterSnapshotIdentifier"), "s1-copy");
    EXPECT_EQ(v.params.count("X-Amz-Signature"), 0U);
}

TEST_F(PresignedUrlTest, TamperedUrlIsSignatureDoesNotMatch) {
    std::string url = presign(test_credentials());
    const auto pos = url.find("s1-copy");
    ASSERT_NE(pos, std::string::npos);
    url.replace(pos, 7, "s2-copy");
    const auto v = core_.verify_presigned_url(url, clock_.now());
    EXPECT_FALSE(v.valid);
    EXPECT_EQ(v.error_code, "SignatureDoesNotMatch");
}

TEST_F(PresignedUrlTest, WrongSecretUnknownKeyAndExpiryAreRejected) {
    EXPECT_EQ(core_.verify_presigned_url(presign(test_credentials("test", "bad")), clock_.now()).error_code,
              "SignatureDoesNotMatch");
    EXPECT_EQ(core_.verify_presigned_url(presign(test_credentials("AKIDX", "bad")), clock_.now()).error_code,
              "InvalidClientTokenId");
    const std::string url = presign(test_credentials(), std::chrono::seconds(60));
    EXPECT_EQ(core_.verify_presigned_url(url, clock_.now() + std::chrono::seconds(120)).error_code, "RequestExpired");
    EXPECT_EQ(core_.verify_presigned_url("https://rds.us-east-1.amazonaws.com/?Action=X", clock_.now()).error_code,
              "MissingAuthenticationToken");
}

} // namespace
} // namespace aurora::sandbox
