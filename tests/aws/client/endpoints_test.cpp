#include "aws/client/endpoints.hpp"

#include "common/error.hpp"

#include <gtest/gtest.h>

#include <map>

namespace aurora::aws {
namespace {

EnvLookup env_of(std::map<std::string, std::string> vars) {
    return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
        const auto it = vars.find(name);
        return it == vars.end() ? std::nullopt : std::optional(it->second);
    };
}

ProfileEndpointSettings settings(std::string global, std::string service) {
    ProfileEndpointSettings s;
    s.endpoint_url = std::move(global);
    s.service_endpoint_url = std::move(service);
    return s;
}

ResolvedEndpoint resolve(const std::map<std::string, std::string>& env, const ProfileEndpointSettings& profile = {},
                         const std::string& explicit_url = "") {
    return resolve_endpoint("Secrets Manager", "secretsmanager", "us-east-1", explicit_url, profile, env_of(env));
}

TEST(Endpoints, PublicEndpointPerPartition) {
    EXPECT_EQ(default_endpoint("rds", "us-east-1"), "https://rds.us-east-1.amazonaws.com");
    EXPECT_EQ(default_endpoint("rds", "eu-west-3"), "https://rds.eu-west-3.amazonaws.com");
    EXPECT_EQ(default_endpoint("rds", "cn-north-1"), "https://rds.cn-north-1.amazonaws.com.cn");
    EXPECT_EQ(default_endpoint("sts", "cn-northwest-1"), "https://sts.cn-northwest-1.amazonaws.com.cn");
    EXPECT_EQ(default_endpoint("rds", "us-gov-west-1"), "https://rds.us-gov-west-1.amazonaws.com");
    EXPECT_EQ(default_endpoint("rds", "us-iso-east-1"), "https://rds.us-iso-east-1.c2s.ic.gov");
    EXPECT_EQ(default_endpoint("rds", "us-isob-east-1"), "https://rds.us-isob-east-1.sc2s.sgov.gov");
    EXPECT_EQ(default_endpoint("rds", "us-isof-south-1"), "https://rds.us-isof-south-1.csp.hci.ic.gov");
    EXPECT_EQ(default_endpoint("rds", "eu-isoe-west-1"), "https://rds.eu-isoe-west-1.cloud.adc-e.uk");
    EXPECT_EQ(partition_info("cn-north-1").name, "aws-cn");
    EXPECT_EQ(partition_info("us-gov-east-1").name, "aws-us-gov");
    EXPECT_EQ(partition_info("us-isob-east-1").name, "aws-iso-b");
    EXPECT_EQ(partition_info("ap-southeast-2").name, "aws");
}

TEST(Endpoints, FipsAndDualStackVariants) {
    EXPECT_EQ(default_endpoint("rds", "us-east-1", {true, false}), "https://rds-fips.us-east-1.amazonaws.com");
    EXPECT_EQ(default_endpoint("rds", "us-gov-west-1", {true, false}), "https://rds-fips.us-gov-west-1.amazonaws.com");
    EXPECT_EQ(default_endpoint("rds", "us-east-1", {false, true}), "https://rds.us-east-1.api.aws");
    EXPECT_EQ(default_endpoint("sts", "us-east-2", {true, true}), "https://sts-fips.us-east-2.api.aws");
    EXPECT_EQ(default_endpoint("rds", "cn-north-1", {false, true}), "https://rds.cn-north-1.api.amazonwebservices.com.cn");
    EXPECT_EQ(default_endpoint("rds", "us-iso-east-1", {false, true}), "https://rds.us-iso-east-1.api.aws.ic.gov");

    EXPECT_EQ(resolve({{"AWS_USE_FIPS_ENDPOINT", "true"}}).url, "https://secretsmanager-fips.us-east-1.amazonaws.com");
    ProfileEndpointSettings fips_profile;
    fips_profile.use_fips_endpoint = true;
    EXPECT_EQ(resolve({}, fips_profile).url, "https://secretsmanager-fips.us-east-1.amazonaws.com");
    EXPECT_EQ(resolve({{"AWS_USE_FIPS_ENDPOINT", "false"}}, fips_profile).url,
              "https://secretsmanager.us-east-1.amazonaws.com"); // the variable wins
    EXPECT_EQ(resolve({{"AWS_USE_DUALSTACK_ENDPOINT", "true"}}).url, "https://secretsmanager.us-east-1.api.aws");
    // A configured endpoint is used as is.
    EXPECT_EQ(resolve({{"AWS_USE_FIPS_ENDPOINT", "true"}, {"AWS_ENDPOINT_URL", "http://local:1"}}).url, "http://local:1");
}

TEST(Endpoints, InvalidRegionIsAConfigError) {
    for (const std::string region : {"", "US-EAST-1", "us-east-1.evil.com", "us east", "-x", "us-east-1/"}) {
        try {
            (void)default_endpoint("rds", region);
            FAIL() << "accepted '" << region << "'";
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::config);
        }
    }
}

TEST(Endpoints, ServiceEnvNameFromServiceId) {
    EXPECT_EQ(service_endpoint_env_name("Secrets Manager"), "AWS_ENDPOINT_URL_SECRETS_MANAGER");
    EXPECT_EQ(service_endpoint_env_name("RDS"), "AWS_ENDPOINT_URL_RDS");
    EXPECT_EQ(service_endpoint_env_name("DynamoDB"), "AWS_ENDPOINT_URL_DYNAMODB");
    EXPECT_EQ(service_endpoint_env_name("SFN"), "AWS_ENDPOINT_URL_SFN");
    EXPECT_EQ(service_endpoint_env_name("CloudWatch"), "AWS_ENDPOINT_URL_CLOUDWATCH");
}

TEST(Endpoints, DefaultWhenNothingIsConfigured) {
    const auto r = resolve({});
    EXPECT_EQ(r.url, "https://secretsmanager.us-east-1.amazonaws.com");
    EXPECT_EQ(r.source, "default");
}

TEST(Endpoints, DocumentedPrecedence) {
    const ProfileEndpointSettings profile = settings("http://profile:1", "http://profile-service:2");
    const std::map<std::string, std::string> all = {{"AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://env-service:3"},
                                                    {"AWS_ENDPOINT_URL", "http://env-global:4"}};
    EXPECT_EQ(resolve(all, profile, "http://explicit:5/").url, "http://explicit:5");
    EXPECT_EQ(resolve(all, profile, "http://explicit:5/").source, "explicit");
    EXPECT_EQ(resolve(all, profile).url, "http://env-service:3");
    EXPECT_EQ(resolve(all, profile).source, "env:AWS_ENDPOINT_URL_SECRETS_MANAGER");
    EXPECT_EQ(resolve({{"AWS_ENDPOINT_URL", "http://env-global:4"}}, profile).url, "http://env-global:4");
    EXPECT_EQ(resolve({}, profile).url, "http://profile-service:2");
    EXPECT_EQ(resolve({}, profile).source, "profile:services");
    EXPECT_EQ(resolve({}, settings("http://profile:1", "")).url, "http://profile:1");
    // Another service's variable does not apply.
    EXPECT_EQ(resolve({{"AWS_ENDPOINT_URL_RDS", "http://rds:1"}}).source, "default");
    // An empty variable counts as unset, as in the SDKs.
    EXPECT_EQ(resolve({{"AWS_ENDPOINT_URL_SECRETS_MANAGER", ""}, {"AWS_ENDPOINT_URL", "http://g:1"}}).url, "http://g:1");
}

TEST(Endpoints, IgnoreConfiguredEndpointUrls) {
    const ProfileEndpointSettings profile = settings("http://profile:1", "http://profile-service:2");
    const std::map<std::string, std::string> env = {{"AWS_ENDPOINT_URL", "http://env:4"},
                                                    {"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"}};
    EXPECT_EQ(resolve(env, profile).source, "default");
    // The explicit endpoint is never ignored.
    EXPECT_EQ(resolve(env, profile, "http://explicit:5").url, "http://explicit:5");
    // The profile switch applies when the variable is unset...
    ProfileEndpointSettings ignoring = profile;
    ignoring.ignore_configured_endpoint_urls = true;
    EXPECT_EQ(resolve({{"AWS_ENDPOINT_URL", "http://env:4"}}, ignoring).source, "default");
    // ...and the variable wins over it.
    EXPECT_EQ(resolve({{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false"}, {"AWS_ENDPOINT_URL", "http://env:4"}}, ignoring)
                  .url,
              "http://env:4");
    EXPECT_EQ(resolve({{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE"}}, profile).source, "default");
}

TEST(Endpoints, MalformedConfiguredUrlNamesItsSource) {
    try {
        (void)resolve({{"AWS_ENDPOINT_URL_SECRETS_MANAGER", "localhost:4566"}});
        FAIL() << "expected Error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::config);
        EXPECT_NE(e.message().find("AWS_ENDPOINT_URL_SECRETS_MANAGER"), std::string::npos);
    }
    EXPECT_THROW((void)resolve({}, settings("https://", "")), Error);
    EXPECT_EQ(resolve({{"AWS_ENDPOINT_URL", "http://localhost:4566/base/path/"}}).url,
              "http://localhost:4566/base/path");
}

TEST(Endpoints, ProcessLookupReadsTheEnvironment) {
    const EnvLookup env = process_env_lookup();
    EXPECT_EQ(env("AURORA_SURELY_UNSET_VARIABLE_FOR_TESTS"), std::nullopt);
}

} // namespace
} // namespace aurora::aws
