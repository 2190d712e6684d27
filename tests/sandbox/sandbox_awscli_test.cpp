// Acceptance 1 of issue #3 (STS, SNS, Secrets Manager, KMS part): Debian's awscli drives the in-process
// sandbox, successes and AWS error codes with awscli's exit statuses (254 service error, 252 bad parameters,
// 255 other failures). The RDS commands are in tests/sandbox/rds/.
#include "sandbox/sandbox_server.hpp"
#include "sandbox/support/aws_cli.hpp"
#include "support/requirements.hpp"

#include <gtest/gtest.h>

namespace aurora::sandbox {
namespace {

using testing::AwsCli;
using testing::AwsCliResult;

class AwsCliInteropTest : public ::testing::Test {
protected:
    void SetUp() override {
        AURORA_REQUIRE(AwsCli::available(), "Debian's awscli at /usr/bin/aws (apt-get install awscli)");
        server_ = std::make_unique<SandboxServer>(SandboxOptions{});
        server_->start();
        aws_ = std::make_unique<AwsCli>(server_->endpoint());
    }
    AwsCliResult ok(const std::vector<std::string>& args) {
        auto r = aws_->run(args);
        EXPECT_EQ(r.exit_code, 0) << r.describe();
        return r;
    }
    void expect_error(const std::vector<std::string>& args, const std::string& code, int exit_code = 254) {
        const auto r = aws_->run(args);
        EXPECT_EQ(r.exit_code, exit_code) << r.describe();
        EXPECT_EQ(r.error_code(), code) << r.describe();
    }

    std::unique_ptr<SandboxServer> server_;
    std::unique_ptr<AwsCli> aws_;
};

TEST_F(AwsCliInteropTest, Sts) {
    EXPECT_EQ(ok({"sts", "get-caller-identity"}).json()["Account"], "000000000000");
    const auto assumed = ok({"sts", "assume-role", "--role-arn", "arn:aws:iam::111122223333:role/restorer",
                             "--role-session-name", "ci"})
                             .json();
    const auto& c = assumed["Credentials"];
    ASSERT_TRUE(c.is_object()) << assumed;
    EXPECT_EQ(assumed["AssumedRoleUser"]["Arn"], "arn:aws:sts::111122223333:assumed-role/restorer/ci");
    expect_error({"sts", "assume-role", "--role-arn", "not-an-arn-but-long-enough", "--role-session-name", "ci"},
                 "ValidationError");

    AwsCli assumed_cli(server_->endpoint());
    assumed_cli.set_credentials(c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"]);
    const auto me = assumed_cli.run({"sts", "get-caller-identity"});
    ASSERT_EQ(me.exit_code, 0) << me.describe();
    EXPECT_EQ(me.json()["Account"], "111122223333");

    // {"sub":"system:serviceaccount:ci:restorer","aud":"sts.amazonaws.com","iss":"https://oidc.example.com"}
    const auto web = ok({"sts", "assume-role-with-web-identity", "--role-arn", "arn:aws:iam::111122223333:role/ci",
                         "--role-session-name", "pod", "--web-identity-token",
                         "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6Y2k6cmVzdG9yZXIiLCJhdWQiOiJzdHMuYW1hem9uYXdzLmNvbSIsImlzcyI6Imh0dHBzOi8vb2lkYy5leGFtcGxlLmNvbSJ9.c2ln"})
                         .json();
    EXPECT_EQ(web["SubjectFromWebIdentityToken"], "system:serviceaccount:ci:restorer");
}

TEST_F(AwsCliInteropTest, Sns) {
    const std::string arn = ok({"sns", "create-topic", "--name", "db-restores"}).json()["TopicArn"];
    EXPECT_EQ(arn, "arn:aws:sns:us-east-1:000000000000:db-restores");
    const auto published =
        ok({"sns", "publish", "--topic-arn", arn, "--subject", "restore", "--message", "staging-orders restored"});
    EXPECT_FALSE(published.json().value("MessageId", "").empty());
    const auto topics = ok({"sns", "list-topics"}).json();
    EXPECT_EQ(topics["Topics"][0]["TopicArn"], arn);
    expect_error({"sns", "publish", "--topic-arn", "arn:aws:sns:us-east-1:000000000000:missing", "--message", "x"},
                 "NotFound");
    const auto messages = server_->core().sns_messages(arn);
    ASSERT_EQ(messages.size(), 1U);
    EXPECT_EQ(messages[0]["Message"], "staging-orders restored");
}

TEST_F(AwsCliInteropTest, SecretsManager) {
    const auto created = ok({"secretsmanager", "create-secret", "--name", "staging/orders/master", "--secret-string",
                             "first-password-1"})
                             .json();
    EXPECT_EQ(created["Name"], "staging/orders/master");
    EXPECT_EQ(ok({"secretsmanager", "get-secret-value", "--secret-id", "staging/orders/master"}).json()["SecretString"],
              "first-password-1");
    const auto put = ok({"secretsmanager", "put-secret-value", "--secret-id", created["ARN"], "--secret-string",
                         "second-password-2"})
                         .json();
    EXPECT_EQ(put["VersionStages"], nlohmann::json::array({"AWSCURRENT"}));
    const auto described = ok({"secretsmanager", "describe-secret", "--secret-id", "staging/orders/master"}).json();
    EXPECT_EQ(described["VersionIdsToStages"].size(), 2U);
    expect_error({"secretsmanager", "get-secret-value", "--secret-id", "missing"}, "ResourceNotFoundException");
    expect_error({"secretsmanager", "create-secret", "--name", "staging/orders/master", "--secret-string", "x"},
                 "ResourceExistsException");
}

TEST_F(AwsCliInteropTest, Kms) {
    const auto key = ok({"kms", "create-key", "--description", "staging rds"}).json();
    const std::string id = key["KeyMetadata"]["KeyId"];
    ok({"kms", "create-alias", "--alias-name", "alias/staging-rds", "--target-key-id", id});
    EXPECT_EQ(ok({"kms", "describe-key", "--key-id", "alias/staging-rds"}).json()["KeyMetadata"]["KeyId"], id);
    expect_error({"kms", "describe-key", "--key-id", "alias/missing"}, "NotFoundException");
    expect_error({"kms", "create-alias", "--alias-name", "alias/staging-rds", "--target-key-id", id},
                 "AlreadyExistsException");
}

TEST_F(AwsCliInteropTest, AuthenticationErrorsAndExitStatuses) {
    AwsCli wrong_secret(server_->endpoint(), "us-east-1", "test", "not-test");
    auto r = wrong_secret.run({"sts", "get-caller-identity"});
    EXPECT_EQ(r.exit_code, 254) << r.describe();
    EXPECT_EQ(r.error_code(), "SignatureDoesNotMatch");
    r = wrong_secret.run({"kms", "create-key"});
    EXPECT_EQ(r.exit_code, 254) << r.describe();
    EXPECT_EQ(r.error_code(), "InvalidSignatureException");

    AwsCli unknown(server_->endpoint(), "us-east-1", "AKIDUNKNOWN", "x");
    r = unknown.run({"sts", "get-caller-identity"});
    EXPECT_EQ(r.exit_code, 254) << r.describe();
    EXPECT_EQ(r.error_code(), "InvalidClientTokenId");

    // A missing required parameter never leaves the client (252); a closed port is not a service error (255).
    r = aws_->run({"kms", "describe-key"});
    EXPECT_EQ(r.exit_code, 252) << r.describe();
    SandboxServer stopped(SandboxOptions{});
    stopped.start();
    AwsCli closed(stopped.endpoint());
    stopped.stop();
    r = closed.run({"sts", "get-caller-identity"});
    EXPECT_EQ(r.exit_code, 255) << r.describe();
}

} // namespace
} // namespace aurora::sandbox
