#include "common/log.hpp"
#include "common/redact.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace aurora {
namespace {

class LogTest : public ::testing::Test {
protected:
    void SetUp() override {
        log::set_sink([this](log::Level, const std::string& line) { lines.push_back(line); });
        log::set_level(log::Level::debug);
    }
    void TearDown() override {
        log::set_sink(nullptr);
        log::set_level(log::Level::info);
        log::set_format(log::Format::text);
        clear_registered_secrets_for_testing();
    }
    std::vector<std::string> lines;
};

TEST_F(LogTest, WritesKeyValueLinesWithQuoting) {
    log::info("aws.call", {{"service", "rds"}, {"message", "two words"}, {"attempt", 2}});
    ASSERT_EQ(lines.size(), 1U);
    EXPECT_NE(lines[0].find(" level=info event=aws.call service=rds message=\"two words\" attempt=2"),
              std::string::npos)
        << lines[0];
}

TEST_F(LogTest, FiltersByLevel) {
    log::set_level(log::Level::warn);
    log::info("hidden");
    log::warn("shown");
    ASSERT_EQ(lines.size(), 1U);
    EXPECT_NE(lines[0].find("event=shown"), std::string::npos);
}

TEST_F(LogTest, RedactsSensitiveKeysAndRegisteredSecrets) {
    register_secret("s3cr3t-value-123");
    log::set_format(log::Format::json);
    log::error("x", {{"password", "plain-pw"}, {"note", "contains s3cr3t-value-123 inside"}});
    ASSERT_EQ(lines.size(), 1U);
    EXPECT_EQ(lines[0].find("plain-pw"), std::string::npos) << lines[0];
    EXPECT_EQ(lines[0].find("s3cr3t-value-123"), std::string::npos) << lines[0];
    EXPECT_NE(lines[0].find("\"password\":\"***\""), std::string::npos) << lines[0];
}

} // namespace
} // namespace aurora
