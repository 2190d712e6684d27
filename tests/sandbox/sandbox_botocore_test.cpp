// Acceptance 2 of issue #3 (STS, SNS, Secrets Manager, KMS part): every response of every implemented
// operation, success and error, is parsed by botocore's own parser and walked against its service-2.json
// model by botocore_shape_check.py (the machine's default python3, newest botocore).
#include "sandbox/sandbox_server.hpp"
#include "sandbox/support/aws_cli.hpp"
#include "support/requirements.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

namespace aurora::sandbox {
namespace {

TEST(BotocoreShapeTest, EveryResponseMatchesTheModel) {
    const std::string python = AURORA_PYTHON3;
    AURORA_REQUIRE(!python.empty() && ::access(python.c_str(), X_OK) == 0, "python3 with botocore (scripts/setup.sh)");
    SandboxServer server(SandboxOptions{});
    server.start();
    const auto scratch = std::filesystem::temp_directory_path() /
                         ("aurora-botocore-" + std::to_string(::getpid()) + "-" + std::to_string(server.port()));
    std::filesystem::create_directories(scratch);
    const auto result = testing::run_process(
        {python, AURORA_SANDBOX_BOTOCORE_SCRIPT, "--endpoint", server.endpoint(), "--calls", AURORA_SANDBOX_BOTOCORE_CALLS},
        {{"HOME", scratch.string()}, {"PATH", "/usr/bin:/bin"}, {"LANG", "C.UTF-8"},
         {"AWS_CONFIG_FILE", (scratch / "none").string()}, {"AWS_SHARED_CREDENTIALS_FILE", (scratch / "none").string()},
         {"AWS_EC2_METADATA_DISABLED", "true"}},
        scratch.string());
    std::filesystem::remove_all(scratch);
    EXPECT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_NE(result.out.find(" 0 problems"), std::string::npos) << result.out;
}

} // namespace
} // namespace aurora::sandbox
