#include "aws/credentials/ini_file.hpp"
#include "aws/credentials/shared_config.hpp"
#include "common/error.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <random>

namespace aurora::aws {
namespace {

using testing::TempDir;

TEST(IniFile, ParsesSectionsPropertiesCommentsAndSubSections) {
    const IniFile f = parse_ini("# leading comment\n"
                                "; another\n"
                                "[default]\n"
                                "Region = us-east-1   \n"
                                "output=json\n"
                                "\n"
                                "[ profile dev ]  # trailing comment\n"
                                "s3 =\n"
                                "  max_concurrent_requests = 10\n"
                                "\tsignature_version = s3v4\n"
                                "region = eu-west-1\r\n"
                                "  continued = ignored-as-value-continuation\n",
                                "config");
    ASSERT_EQ(f.order, (std::vector<std::string>{"default", "profile dev"}));
    EXPECT_EQ(f.sections.at("default").get("region"), "us-east-1");
    EXPECT_EQ(f.sections.at("default").get("output"), "json");
    const IniSection& dev = f.sections.at("profile dev");
    EXPECT_EQ(dev.sub_sections.at("s3").at("max_concurrent_requests"), "10");
    EXPECT_EQ(dev.sub_sections.at("s3").at("signature_version"), "s3v4");
    EXPECT_EQ(dev.get("region"), "eu-west-1\ncontinued = ignored-as-value-continuation");
}

TEST(IniFile, ValuesKeepEqualsSignsAndHashes) {
    const IniFile f = parse_ini("[x]\naws_secret_access_key = ab/c+d=e#f;g\n", "creds");
    EXPECT_EQ(f.sections.at("x").get("aws_secret_access_key"), "ab/c+d=e#f;g");
}

TEST(IniFile, RejectsPropertyBeforeSectionWithoutQuotingTheLine) {
    try {
        parse_ini("aws_secret_access_key = SuperSecretValue\n[default]\n", "creds");
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::config);
        EXPECT_NE(std::string(e.what()).find("line 1"), std::string::npos);
        EXPECT_EQ(e.display().find("SuperSecretValue"), std::string::npos);
    }
    EXPECT_THROW(parse_ini("[default]\nnot a property\n", "c"), Error);
    EXPECT_THROW(parse_ini("[default\n", "c"), Error);
    EXPECT_THROW(parse_ini("[]\n", "c"), Error);
}

TEST(SharedConfig, ProfilesFromBothFilesCredentialsFileWins) {
    auto env = std::make_shared<MapEnvironment>();
    const auto cfg = SharedConfig::from_text(env,
                                             "[default]\nregion = us-east-1\naws_access_key_id = CONFIGKEY\n"
                                             "[profile dev]\nregion = eu-west-1\n"
                                             "[dev]\nregion = ignored-not-a-profile-in-config\n"
                                             "[sso-session corp]\nsso_region = us-east-1\n",
                                             "[default]\naws_access_key_id = CREDSKEY\naws_secret_access_key = s1\n"
                                             "[dev]\naws_access_key_id = DEVKEY\naws_secret_access_key = s2\n"
                                             "[profile odd]\naws_access_key_id = ODD\n");
    ASSERT_NE(cfg.profile("default"), nullptr);
    EXPECT_EQ(cfg.profile("default")->get("aws_access_key_id"), "CREDSKEY");
    EXPECT_EQ(cfg.profile("default")->get("region"), "us-east-1");
    EXPECT_EQ(cfg.profile("dev")->get("region"), "eu-west-1");
    EXPECT_EQ(cfg.profile("dev")->get("aws_access_key_id"), "DEVKEY");
    EXPECT_TRUE(cfg.profile("dev")->has_static_keys());
    // In the credentials file, "[profile odd]" is a profile literally named "profile odd".
    EXPECT_NE(cfg.profile("profile odd"), nullptr);
    EXPECT_EQ(cfg.profile("corp"), nullptr);
    EXPECT_EQ(cfg.profile_names(), (std::vector<std::string>{"default", "dev", "profile odd"}));
}

TEST(SharedConfig, LoadsFilesNamedByTheEnvironmentAndSelectsAwsProfile) {
    TempDir dir;
    auto env = std::make_shared<MapEnvironment>();
    env->set("AWS_CONFIG_FILE", dir.write("cfg", "[profile prod]\nregion = ap-south-1\n"));
    env->set("AWS_SHARED_CREDENTIALS_FILE", dir.write("creds", "[prod]\naws_access_key_id = K\n"));
    env->set("AWS_PROFILE", "prod");
    const auto cfg = SharedConfig::load(env);
    EXPECT_EQ(cfg.profile_name(), "prod");
    EXPECT_TRUE(cfg.paths().profile_explicit);
    ASSERT_NE(cfg.selected_profile(), nullptr);
    EXPECT_EQ(cfg.region(), "ap-south-1");
    EXPECT_EQ(SharedConfig::load(env, std::string("other")).profile_name(), "other");
}

TEST(SharedConfig, DefaultPathsUnderHomeAndMissingFilesAreEmpty) {
    TempDir dir;
    auto env = std::make_shared<MapEnvironment>();
    env->set("HOME", dir.path("nohome"));
    const auto cfg = SharedConfig::load(env);
    EXPECT_EQ(cfg.paths().config_file, dir.path("nohome") + "/.aws/config");
    EXPECT_EQ(cfg.paths().credentials_file, dir.path("nohome") + "/.aws/credentials");
    EXPECT_EQ(cfg.profile_name(), "default");
    EXPECT_FALSE(cfg.paths().profile_explicit);
    EXPECT_EQ(cfg.selected_profile(), nullptr);
    EXPECT_EQ(cfg.region(), std::nullopt);
}

TEST(SharedConfig, RegionPrecedenceAwsRegionThenDefaultRegionThenProfile) {
    auto env = std::make_shared<MapEnvironment>();
    const std::string config = "[default]\nregion = from-profile\n";
    EXPECT_EQ(SharedConfig::from_text(env, config, "").region(), "from-profile");
    env->set("AWS_DEFAULT_REGION", "from-default-region");
    EXPECT_EQ(SharedConfig::from_text(env, config, "").region(), "from-default-region");
    env->set("AWS_REGION", "from-aws-region");
    EXPECT_EQ(SharedConfig::from_text(env, config, "").region(), "from-aws-region");
    env->set("AWS_REGION", "");
    EXPECT_EQ(SharedConfig::from_text(env, config, "").region(), "from-default-region");
}

TEST(SharedConfig, EndpointUrlPrecedence) {
    auto env = std::make_shared<MapEnvironment>();
    const std::string config = "[default]\nendpoint_url = http://profile:1\nservices = local\n"
                               "[services local]\nsecrets_manager =\n  endpoint_url = http://sm-section:2\n";
    EXPECT_EQ(SharedConfig::from_text(env, config, "").endpoint_url("RDS"), "http://profile:1");
    EXPECT_EQ(SharedConfig::from_text(env, config, "").endpoint_url("Secrets Manager"), "http://sm-section:2");
    EXPECT_EQ(SharedConfig::from_text(env, config, "").profile_endpoint_url(), "http://profile:1");
    env->set("AWS_ENDPOINT_URL", "http://global:3");
    EXPECT_EQ(SharedConfig::from_text(env, config, "").endpoint_url("Secrets Manager"), "http://global:3");
    env->set("AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://sm-env:4");
    EXPECT_EQ(SharedConfig::from_text(env, config, "").endpoint_url("Secrets Manager"), "http://sm-env:4");
    EXPECT_EQ(SharedConfig::from_text(env, config, "").endpoint_url("RDS"), "http://global:3");
    env->set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
    EXPECT_EQ(SharedConfig::from_text(env, config, "").endpoint_url("RDS"), std::nullopt);

    auto env2 = std::make_shared<MapEnvironment>();
    EXPECT_EQ(SharedConfig::from_text(env2, "[default]\nendpoint_url = http://p:1\nignore_configured_endpoint_urls = True\n", "")
                  .endpoint_url("RDS"),
              std::nullopt);
    EXPECT_EQ(SharedConfig::from_text(env2, "", "").endpoint_url("RDS"), std::nullopt);
}

TEST(SharedConfig, EndpointPiecesForTheClientResolver) {
    auto env = std::make_shared<MapEnvironment>();
    const auto cfg = SharedConfig::from_text(env,
                                             "[default]\nendpoint_url = http://p:1\nservices = s\n"
                                             "ignore_configured_endpoint_urls = false\n"
                                             "[services s]\nrds =\n  endpoint_url = http://rds:2\n",
                                             "");
    EXPECT_EQ(cfg.profile_endpoint_url(), "http://p:1");
    EXPECT_EQ(cfg.profile_service_endpoint_url("RDS"), "http://rds:2");
    EXPECT_EQ(cfg.profile_service_endpoint_url("SNS"), std::nullopt);
    EXPECT_EQ(cfg.profile_ignore_configured_endpoint_urls(), false);
    EXPECT_EQ(SharedConfig::from_text(env, "", "").profile_ignore_configured_endpoint_urls(), std::nullopt);
    // The variable wins over the profile in both directions.
    env->set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false");
    EXPECT_EQ(SharedConfig::from_text(env, "[default]\nendpoint_url = http://p:1\nignore_configured_endpoint_urls = true\n", "")
                  .endpoint_url("RDS"),
              "http://p:1");
}

TEST(IniFile, RandomInputEitherParsesOrFailsWithConfigError) {
    // A light fuzz pass over the parser of outside input (style.md #10): no crash, no other exception.
    std::mt19937 rng(20261128);
    const std::string alphabet = "[]=#; \t\r\nabcprofile_x=1\\'\"";
    for (int i = 0; i < 3000; ++i) {
        std::string text;
        const int len = static_cast<int>(rng() % 120);
        for (int c = 0; c < len; ++c) {
            text += alphabet[rng() % alphabet.size()];
        }
        try {
            const IniFile f = parse_ini(text, "fuzz");
            EXPECT_EQ(f.order.size(), f.sections.size());
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::config);
        }
    }
}

TEST(SharedConfig, ServiceNameTransforms) {
    EXPECT_EQ(service_env_suffix("Secrets Manager"), "SECRETS_MANAGER");
    EXPECT_EQ(service_env_suffix("RDS"), "RDS");
    EXPECT_EQ(service_config_key("Secrets Manager"), "secrets_manager");
    EXPECT_EQ(service_config_key("DynamoDB"), "dynamodb");
}

TEST(Environment, ExpandHomeAndNonEmpty) {
    MapEnvironment env({{"HOME", "/home/u"}, {"EMPTY", ""}});
    EXPECT_EQ(env.expand_home("~/.aws/config"), "/home/u/.aws/config");
    EXPECT_EQ(env.expand_home("~"), "/home/u");
    EXPECT_EQ(env.expand_home("/abs/~/x"), "/abs/~/x");
    EXPECT_EQ(env.non_empty("EMPTY"), std::nullopt);
    EXPECT_EQ(env.get("EMPTY"), "");
    env.set_file("/virtual/file", "content");
    EXPECT_EQ(env.read_file("/virtual/file"), "content");
    EXPECT_EQ(env.read_file("/definitely/not/here"), std::nullopt);
}

} // namespace
} // namespace aurora::aws
