#include "common/redact.hpp"

#include <gtest/gtest.h>

namespace aurora {
namespace {

class RedactTest : public ::testing::Test {
protected:
    void TearDown() override { clear_registered_secrets_for_testing(); }
};

TEST_F(RedactTest, MasksRegisteredSecretsEverywhere) {
    register_secret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    register_secret("hunter2hunter2");
    EXPECT_EQ(redact("key=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY pw=hunter2hunter2 x=hunter2hunter2"),
              "key=*** pw=*** x=***");
}

TEST_F(RedactTest, MasksTheLongestSecretFirst) {
    register_secret("abcd");
    register_secret("abcdefgh");
    EXPECT_EQ(redact("abcdefgh"), "***");
}

TEST_F(RedactTest, IgnoresTinyValues) {
    register_secret("ab");
    EXPECT_EQ(redact("abc"), "abc");
}

TEST(SensitiveKey, ByName) {
    EXPECT_TRUE(is_sensitive_key("password"));
    EXPECT_TRUE(is_sensitive_key("MasterUserPassword"));
    EXPECT_TRUE(is_sensitive_key("X-Amz-Security-Token"));
    EXPECT_TRUE(is_sensitive_key("Authorization"));
    EXPECT_TRUE(is_sensitive_key("SecretAccessKey"));
    EXPECT_FALSE(is_sensitive_key("password_secret"));
    EXPECT_FALSE(is_sensitive_key("cluster"));
}

} // namespace
} // namespace aurora
