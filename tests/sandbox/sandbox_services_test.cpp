// The small services of the sandbox (STS, SNS, Secrets Manager, KMS) through the core, plus seeding and the
// state file.
#include "sandbox/sandbox_core.hpp"
#include "sandbox_test_util.hpp"

#include "common/error.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

namespace aurora::sandbox {
namespace {

using testing::json_request;
using testing::query_request;
using testing::xml_root;
using testing::xml_text;

class ServicesTest : public ::testing::Test {
protected:
    ServicesTest() : core_(std::make_unique<SandboxCore>(options())) {}
    SandboxOptions options() {
        SandboxOptions o;
        o.clock = &clock_;
        return o;
    }
    CoreOutcome sns(const std::string& action, const testing::Params& params, const std::string& region = "us-east-1") {
        return core_->handle(query_request("sns", action, params, clock_.now(), testing::test_credentials(), region,
                                           "2010-03-31"));
    }
    std::pair<int, nlohmann::json> sm(const std::string& op, const nlohmann::json& body) {
        const auto out = core_->handle(json_request("secretsmanager", "secretsmanager." + op, body, clock_.now()));
        return {out.response.status, nlohmann::json::parse(out.response.body.empty() ? "{}" : out.response.body)};
    }
    std::pair<int, nlohmann::json> kms(const std::string& op, const nlohmann::json& body) {
        const auto out = core_->handle(json_request("kms", "TrentService." + op, body, clock_.now()));
        return {out.response.status, nlohmann::json::parse(out.response.body.empty() ? "{}" : out.response.body)};
    }

    FakeClock clock_;
    std::unique_ptr<SandboxCore> core_;
};

TEST_F(ServicesTest, SnsTopicsAreIdempotentAndMessagesAreKept) {
    const auto a = sns("CreateTopic", {{"Name", "db-restores"}});
    ASSERT_EQ(a.response.status, 200) << a.response.body;
    EXPECT_EQ(xml_root(a.response.body),
              std::make_pair(std::string("CreateTopicResponse"), std::string("http://sns.amazonaws.com/doc/2010-03-31/")));
    const std::string arn = xml_text(a.response.body, "TopicArn");
    EXPECT_EQ(arn, "arn:aws:sns:us-east-1:000000000000:db-restores");
    EXPECT_EQ(xml_text(sns("CreateTopic", {{"Name", "db-restores"}}).response.body, "TopicArn"), arn);

    const auto p = sns("Publish", {{"TopicArn", arn}, {"Subject", "restore done"}, {"Message", "staging-orders ok"}});
    ASSERT_EQ(p.response.status, 200) << p.response.body;
    const auto messages = core_->sns_messages(arn);
    ASSERT_EQ(messages.size(), 1U);
    EXPECT_EQ(messages[0]["Message"], "staging-orders ok");
    EXPECT_EQ(messages[0]["Subject"], "restore done");
    EXPECT_EQ(messages[0]["MessageId"], xml_text(p.response.body, "MessageId"));

    const auto missing = sns("Publish", {{"TopicArn", "arn:aws:sns:us-east-1:000000000000:nope"}, {"Message", "x"}});
    EXPECT_EQ(missing.response.status, 404);
    EXPECT_EQ(xml_text(missing.response.body, "Code"), "NotFound");
    EXPECT_EQ(xml_text(sns("CreateTopic", {{"Name", "bad name!"}}).response.body, "Code"), "InvalidParameter");

    const auto counts = core_->counts();
    EXPECT_EQ(counts["effects"]["sns"]["topics_created"], 1);
    EXPECT_EQ(counts["effects"]["sns"]["messages_published"], 1);
    EXPECT_EQ(counts["calls"]["sns"]["CreateTopic"]["ok"], 2);
    EXPECT_EQ(counts["calls"]["sns"]["CreateTopic"]["InvalidParameter"], 1);
    EXPECT_EQ(counts["calls"]["sns"]["Publish"]["NotFound"], 1);
}

TEST_F(ServicesTest, SnsListTopicsPagesByHundredAndStatesAreRegional) {
    for (int i = 0; i < 105; ++i) {
        ASSERT_EQ(sns("CreateTopic", {{"Name", "t" + std::to_string(1000 + i)}}).response.status, 200);
    }
    sns("CreateTopic", {{"Name", "west"}}, "us-west-2");
    const auto first = sns("ListTopics", {});
    const std::string token = xml_text(first.response.body, "NextToken");
    ASSERT_FALSE(token.empty());
    const auto second = sns("ListTopics", {{"NextToken", token}});
    EXPECT_TRUE(xml_text(second.response.body, "NextToken").empty());
    EXPECT_NE(second.response.body.find("t1104"), std::string::npos);
    EXPECT_EQ(second.response.body.find("west"), std::string::npos);
}

TEST_F(ServicesTest, SecretsVersionsAndErrors) {
    auto [s1, created] = sm("CreateSecret", {{"Name", "staging/orders/master"}, {"SecretString", "pw-1-secret"}});
    ASSERT_EQ(s1, 200) << created;
    EXPECT_TRUE(created["ARN"].get<std::string>().starts_with(
        "arn:aws:secretsmanager:us-east-1:000000000000:secret:staging/orders/master-"));
    const std::string v1 = created["VersionId"];
    EXPECT_EQ(sm("CreateSecret", {{"Name", "staging/orders/master"}, {"SecretString", "x"}}).second["__type"],
              "ResourceExistsException");

    auto [s2, put] = sm("PutSecretValue", {{"SecretId", "staging/orders/master"}, {"SecretString", "pw-2-secret"},
                                           {"ClientRequestToken", "11111111-2222-3333-4444-555555555555"}});
    ASSERT_EQ(s2, 200) << put;
    EXPECT_EQ(put["VersionStages"], nlohmann::json::array({"AWSCURRENT"}));
    // Same token, same value: idempotent. Same token, other value: ResourceExistsException.
    EXPECT_EQ(sm("PutSecretValue", {{"SecretId", "staging/orders/master"}, {"SecretString", "pw-2-secret"},
                                    {"ClientRequestToken", "11111111-2222-3333-4444-555555555555"}})
                  .first,
              200);
    EXPECT_EQ(sm("PutSecretValue", {{"SecretId", "staging/orders/master"}, {"SecretString", "other"},
                                    {"ClientRequestToken", "11111111-2222-3333-4444-555555555555"}})
                  .second["__type"],
              "ResourceExistsException");

    auto [s3, current] = sm("GetSecretValue", {{"SecretId", created["ARN"]}});
    ASSERT_EQ(s3, 200) << current;
    EXPECT_EQ(current["SecretString"], "pw-2-secret");
    EXPECT_EQ(sm("GetSecretValue", {{"SecretId", "staging/orders/master"}, {"VersionStage", "AWSPREVIOUS"}})
                  .second["SecretString"],
              "pw-1-secret");
    auto [s4, described] = sm("DescribeSecret", {{"SecretId", "staging/orders/master"}});
    ASSERT_EQ(s4, 200);
    EXPECT_EQ(described["VersionIdsToStages"][v1], nlohmann::json::array({"AWSPREVIOUS"}));

    auto [s5, missing] = sm("GetSecretValue", {{"SecretId", "nope"}});
    EXPECT_EQ(s5, 400);
    EXPECT_EQ(missing["__type"], "ResourceNotFoundException");
    EXPECT_EQ(missing["Message"], "Secrets Manager can't find the specified secret.");
}

TEST_F(ServicesTest, KmsKeysAliasesAndTheRdsHook) {
    auto [s1, key] = kms("CreateKey", {{"Description", "staging rds"}});
    ASSERT_EQ(s1, 200) << key;
    const std::string id = key["KeyMetadata"]["KeyId"];
    const std::string arn = key["KeyMetadata"]["Arn"];
    EXPECT_EQ(arn, "arn:aws:kms:us-east-1:000000000000:key/" + id);
    EXPECT_EQ(kms("CreateAlias", {{"AliasName", "alias/staging-rds"}, {"TargetKeyId", id}}).first, 200);
    EXPECT_EQ(kms("CreateAlias", {{"AliasName", "alias/staging-rds"}, {"TargetKeyId", id}}).second["__type"],
              "AlreadyExistsException");
    EXPECT_EQ(kms("CreateAlias", {{"AliasName", "alias/aws/mine"}, {"TargetKeyId", id}}).second["__type"],
              "InvalidAliasNameException");
    for (const std::string& ref : {id, arn, std::string("alias/staging-rds"),
                                   std::string("arn:aws:kms:us-east-1:000000000000:alias/staging-rds")}) {
        auto [s, described] = kms("DescribeKey", {{"KeyId", ref}});
        EXPECT_EQ(s, 200) << ref;
        EXPECT_EQ(described["KeyMetadata"]["KeyId"], id) << ref;
    }
    auto [s2, missing] = kms("DescribeKey", {{"KeyId", "alias/nope"}});
    EXPECT_EQ(s2, 400);
    EXPECT_EQ(missing["__type"], "NotFoundException");

    EXPECT_TRUE(core_->kms_key_exists("000000000000", "us-east-1", "alias/staging-rds"));
    EXPECT_TRUE(core_->kms_key_exists("000000000000", "us-west-2", arn)); // the ARN names its region
    EXPECT_FALSE(core_->kms_key_exists("000000000000", "us-west-2", "alias/staging-rds"));
    EXPECT_TRUE(core_->kms_key_exists("000000000000", "us-west-2", "alias/aws/rds"));
}

TEST_F(ServicesTest, RdsManagedMasterPasswordLandsInSecretsManager) {
    const auto created = core_->handle(query_request(
        "rds", "CreateDBCluster",
        {{"DBClusterIdentifier", "managed-pw"}, {"Engine", "aurora-postgresql"}, {"MasterUsername", "postgres"},
         {"ManageMasterUserPassword", "true"}},
        clock_.now(), testing::test_credentials(), "us-east-1", "2014-10-31"));
    ASSERT_EQ(created.response.status, 200) << created.response.body;
    const std::string arn = xml_text(created.response.body, "SecretArn");
    ASSERT_TRUE(arn.starts_with("arn:aws:secretsmanager:us-east-1:000000000000:secret:rds!cluster-")) << arn;
    auto [status, value] = sm("GetSecretValue", {{"SecretId", arn}});
    ASSERT_EQ(status, 200) << value;
    EXPECT_EQ(nlohmann::json::parse(value["SecretString"].get<std::string>())["username"], "postgres");
}

TEST_F(ServicesTest, SeedAndStateFileRoundTrip) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("aurora-sandbox-state-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto seed = dir / "seed.yaml";
    std::ofstream(seed) << "secretsmanager:\n  secrets:\n    - {name: app/pw, value: seeded-secret-1}\n"
                           "    - name: app/json\n      value: {username: app, password: seeded-secret-2}\n"
                           "kms:\n  keys:\n    - {id: 11111111-2222-3333-4444-555555555555, aliases: [alias/seeded]}\n"
                           "sns:\n  topics: [seeded-topic]\n"
                           "scopes:\n  - account: \"111122223333\"\n    region: us-west-2\n"
                           "    sns: {topics: [west-topic]}\n";
    SandboxOptions o = options();
    o.seed_file = seed.string();
    o.state_file = (dir / "state.json").string();
    {
        SandboxCore core(o);
        EXPECT_TRUE(core.kms_key_exists("000000000000", "us-east-1", "alias/seeded"));
        const auto out = core.handle(json_request("secretsmanager", "secretsmanager.GetSecretValue",
                                                  {{"SecretId", "app/json"}}, clock_.now()));
        ASSERT_EQ(out.response.status, 200) << out.response.body;
        const auto value = nlohmann::json::parse(nlohmann::json::parse(out.response.body)["SecretString"].get<std::string>());
        EXPECT_EQ(value["password"], "seeded-secret-2");
        core.save_state_file();
    }
    // The state file wins over the seed on the next start (the seed would fail: the secrets exist).
    std::ofstream(seed) << "kms:\n  keys:\n    - {aliases: [alias/only-in-new-seed]}\n";
    SandboxCore again(o);
    EXPECT_TRUE(again.kms_key_exists("000000000000", "us-east-1", "alias/seeded"));
    EXPECT_FALSE(again.kms_key_exists("000000000000", "us-east-1", "alias/only-in-new-seed"));
    const auto topics = again.handle(query_request("sns", "ListTopics", {}, clock_.now(),
                                                   testing::test_credentials(), "us-east-1", "2010-03-31"));
    EXPECT_NE(topics.response.body.find("seeded-topic"), std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST_F(ServicesTest, BadSeedIsAConfigError) {
    const auto path = std::filesystem::temp_directory_path() /
                      ("aurora-bad-seed-" + std::to_string(::getpid()) + ".yaml");
    std::ofstream(path) << "sns:\n  topics: [\"bad name!\"]\n";
    SandboxOptions o = options();
    o.seed_file = path.string();
    try {
        SandboxCore core(o);
        FAIL() << "expected a config error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::config);
    }
    std::filesystem::remove(path);
}

} // namespace
} // namespace aurora::sandbox
