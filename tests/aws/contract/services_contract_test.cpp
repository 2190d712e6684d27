// The STS, SNS, Secrets Manager and KMS clients' contract, on the sandbox and on moto: the calls the
// pipeline makes and their not-found / already-exists errors mapped to the catalogue.
#include "contract_fixture.hpp"

#include "aws/kms/kms_client.hpp"
#include "aws/secretsmanager/secrets_manager_client.hpp"
#include "aws/sns/sns_client.hpp"
#include "aws/sts/sts_client.hpp"

#include <algorithm>
#include <cctype>

namespace aurora::aws::contract {
namespace {

using nlohmann::json;

bool all_digits(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

TEST_P(ClientContract, StsCallerIdentityAndAssumeRole) {
    sts::StsClient sts(context());
    const auto me = sts.get_caller_identity();
    EXPECT_EQ(me.account.size(), 12U) << me.account;
    EXPECT_TRUE(all_digits(me.account)) << me.account;
    EXPECT_NE(me.arn.find(":" + me.account + ":"), std::string::npos) << me.arn;
    EXPECT_FALSE(me.user_id.empty());

    sts::AssumeRoleParams p;
    p.role_arn = "arn:aws:iam::" + me.account + ":role/aurora-restore-contract";
    p.role_session_name = unique_name("contract");
    p.duration_seconds = 900;
    const auto role = sts.assume_role(p);
    EXPECT_FALSE(role.credentials.access_key_id.empty());
    EXPECT_FALSE(role.credentials.secret_access_key.empty());
    EXPECT_FALSE(role.credentials.session_token.empty());
    ASSERT_TRUE(role.credentials.expiration.has_value());
    EXPECT_GT(*role.credentials.expiration, std::chrono::system_clock::now());
    EXPECT_NE(role.assumed_role_arn.find("assumed-role/aurora-restore-contract/" + p.role_session_name),
              std::string::npos)
        << role.assumed_role_arn;
    EXPECT_FALSE(role.assumed_role_id.empty());
}

TEST_P(ClientContract, SnsCreateTopicAndPublish) {
    sns::SnsClient sns(context());
    const std::string name = unique_name("restores");
    const std::string topic = sns.create_topic(name);
    EXPECT_NE(topic.find(":sns:us-east-1:"), std::string::npos) << topic;
    EXPECT_TRUE(topic.ends_with(":" + name)) << topic;
    EXPECT_EQ(sns.create_topic(name), topic) << "CreateTopic is idempotent";

    sns::PublishRequest pub;
    pub.topic_arn = topic;
    pub.message = "restore r-1 succeeded";
    pub.subject = "aurora-restore";
    pub.message_attributes = {{"restore_id", "String", "r-1"}};
    const std::string first = sns.publish(pub);
    EXPECT_FALSE(first.empty());
    EXPECT_NE(sns.publish(pub), first) << "each publish is a new message";

    pub.topic_arn = topic.substr(0, topic.size() - name.size()) + unique_name("absent");
    const AwsError e = expect_aws_error([&] { sns.publish(pub); });
    EXPECT_EQ(e.code(), ErrorCode::not_found) << e.what();
    EXPECT_EQ(e.aws_code(), "NotFound");
}

TEST_P(ClientContract, SecretsManagerCreateGetPut) {
    secretsmanager::SecretsManagerClient sm(context());
    secretsmanager::CreateSecretRequest create;
    create.name = unique_name("staging/orders/app");
    create.secret_string = "contract-first-password";
    const auto created = sm.create_secret(create);
    EXPECT_FALSE(created.arn.empty());
    EXPECT_EQ(created.name, create.name);
    EXPECT_FALSE(created.version_id.empty());

    const auto v1 = sm.get_secret_value(create.name);
    EXPECT_EQ(v1.secret_string, "contract-first-password");
    EXPECT_EQ(v1.arn, created.arn);
    EXPECT_NE(std::find(v1.version_stages.begin(), v1.version_stages.end(), "AWSCURRENT"), v1.version_stages.end());

    const auto put = sm.put_secret_value(create.name, "contract-second-password");
    EXPECT_NE(put.version_id, created.version_id);
    EXPECT_EQ(sm.get_secret_string(created.arn), "contract-second-password") << "by ARN";

    AwsError e = expect_aws_error([&] { sm.create_secret(create); });
    EXPECT_EQ(e.code(), ErrorCode::already_exists) << e.what();
    EXPECT_EQ(e.aws_code(), "ResourceExistsException");

    const std::string absent = unique_name("absent");
    e = expect_aws_error([&] { sm.get_secret_value(absent); });
    EXPECT_EQ(e.code(), ErrorCode::secret_not_found) << e.what();
    EXPECT_EQ(e.aws_code(), "ResourceNotFoundException");
    e = expect_aws_error([&] { sm.put_secret_value(absent, "contract-third-password"); });
    EXPECT_EQ(e.code(), ErrorCode::secret_not_found) << e.what();
}

TEST_P(ClientContract, KmsCreateKeyAliasDescribe) {
    kms::KmsClient kms(context());
    // CreateKey / CreateAlias are no pipeline calls: KmsClient has none, so the test goes through the core.
    const JsonResponse created = kms.core().json("CreateKey", json{{"Description", "aurora-restore contract"}});
    const std::string key_id = created.result().child("KeyMetadata").text("KeyId").value_or("");
    ASSERT_FALSE(key_id.empty());
    const std::string alias = "alias/" + unique_name("contract");
    kms.core().json("CreateAlias", json{{"AliasName", alias}, {"TargetKeyId", key_id}});

    const auto by_id = kms.describe_key(key_id);
    EXPECT_EQ(by_id.key_id, key_id);
    EXPECT_TRUE(by_id.enabled);
    EXPECT_EQ(by_id.key_state, "Enabled");
    EXPECT_EQ(by_id.key_manager, "CUSTOMER");
    EXPECT_EQ(by_id.key_usage, traits().kms_reports_default_key_usage ? "ENCRYPT_DECRYPT" : "");
    EXPECT_EQ(by_id.description, "aurora-restore contract");
    EXPECT_NE(by_id.arn.find(":kms:us-east-1:"), std::string::npos) << by_id.arn;
    EXPECT_EQ(kms.describe_key(alias).key_id, key_id) << "by alias";
    EXPECT_EQ(kms.describe_key(by_id.arn).key_id, key_id) << "by ARN";

    const AwsError e = expect_aws_error([&] { kms.describe_key("11111111-2222-3333-4444-555555555555"); });
    EXPECT_EQ(e.code(), ErrorCode::not_found) << e.what();
    EXPECT_EQ(e.aws_code(), "NotFoundException");
    EXPECT_FALSE(kms.find_key("alias/" + unique_name("absent")).has_value());
}

} // namespace
} // namespace aurora::aws::contract
