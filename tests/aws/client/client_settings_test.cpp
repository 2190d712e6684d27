#include "aws/client/client_settings.hpp"

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

TEST(ClientSettings, MaxAttemptsFromEnvThenProfile) {
    RetryPolicy base;
    base.max_attempts = 8;
    EXPECT_EQ(retry_policy_from_settings(base, env_of({}), std::nullopt).max_attempts, 8);
    EXPECT_EQ(retry_policy_from_settings(base, env_of({}), "3").max_attempts, 3);
    EXPECT_EQ(retry_policy_from_settings(base, env_of({{"AWS_MAX_ATTEMPTS", "5"}}), "3").max_attempts, 5);
    EXPECT_EQ(retry_policy_from_settings(base, env_of({{"AWS_MAX_ATTEMPTS", ""}}), "2").max_attempts, 2);
    EXPECT_EQ(retry_policy_from_settings(base, env_of({}), "1").max_attempts, 1);
    EXPECT_EQ(retry_policy_from_settings(base, env_of({}), "7").deadline, base.deadline); // rest unchanged
}

TEST(ClientSettings, InvalidMaxAttemptsIsAConfigErrorNamingTheSource) {
    for (const char* bad : {"0", "-1", "abc", "5x", "1000"}) {
        try {
            (void)retry_policy_from_settings({}, env_of({{"AWS_MAX_ATTEMPTS", bad}}), std::nullopt);
            FAIL() << bad;
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::config);
            EXPECT_NE(e.message().find("AWS_MAX_ATTEMPTS"), std::string::npos);
        }
    }
    try {
        (void)retry_policy_from_settings({}, env_of({}), "zero");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(e.message().find("profile"), std::string::npos);
    }
}

TEST(ClientSettings, CaBundleFromEnvThenProfile) {
    HttpClientOptions base;
    EXPECT_EQ(http_options_from_settings(base, env_of({}), std::nullopt).ca_bundle, "");
    EXPECT_EQ(http_options_from_settings(base, env_of({}), "/etc/p.pem").ca_bundle, "/etc/p.pem");
    EXPECT_EQ(http_options_from_settings(base, env_of({{"AWS_CA_BUNDLE", "/etc/e.pem"}}), "/etc/p.pem").ca_bundle,
              "/etc/e.pem");
    EXPECT_TRUE(http_options_from_settings(base, env_of({}), std::nullopt).verify_tls);
}

} // namespace
} // namespace aurora::aws
