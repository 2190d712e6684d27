#pragma once
//! Runs Debian's `/usr/bin/aws` (awscli v2) against a sandbox endpoint for the interop suites
//! (tests/sandbox/, tests/sandbox/rds/; include "sandbox/support/aws_cli.hpp" with tests/ on the include path, link aurora_sandbox_test_support): no shell, a temporary HOME so no real configuration or credentials are
//! read, the test key test/test, JSON output, stdout / stderr / exit status captured.
//!
//!   AwsCli aws(server.endpoint());
//!   auto r = aws.run({"sts", "get-caller-identity"});
//!   EXPECT_EQ(r.exit_code, 0); EXPECT_EQ(r.json()["Account"], "000000000000");
//!   auto e = aws.run({"kms", "describe-key", "--key-id", "alias/missing"});
//!   EXPECT_EQ(e.exit_code, 254); EXPECT_EQ(e.error_code(), "NotFoundException");
//!
//! awscli v2 exit statuses: 0 success, 252 bad command line / parameter validation, 253 configuration,
//! 254 the service answered an error, 255 anything else (e.g. a connection failure).

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace aurora::sandbox::testing {

inline constexpr const char* kAwsCliPath = "/usr/bin/aws";

struct AwsCliResult {
    int exit_code = -1;
    std::string out;
    std::string err;
    //! stdout parsed as JSON (null when empty or not JSON).
    nlohmann::json json() const;
    //! The AWS error code from stderr ("An error occurred (Code) when calling …"), empty when none.
    std::string error_code() const;
    //! "exit N\nstdout…\nstderr…" for assertion messages.
    std::string describe() const;
};

//! Runs `argv[0]` (a path) with exactly `env`, stdin from /dev/null, capturing stdout and stderr through
//! files in `scratch_dir`. Blocks until it exits. exit_code -1 when it could not start or was killed.
AwsCliResult run_process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                         const std::string& scratch_dir);

class AwsCli {
public:
    //! Creates a temporary HOME (removed by the destructor).
    explicit AwsCli(std::string endpoint, std::string region = "us-east-1", std::string access_key_id = "test",
                    std::string secret_access_key = "test");
    ~AwsCli();
    AwsCli(const AwsCli&) = delete;
    AwsCli& operator=(const AwsCli&) = delete;

    //! Whether /usr/bin/aws is installed.
    static bool available();

    //! Runs `aws ARGS --endpoint-url ENDPOINT --output json --no-cli-pager` with a clean environment
    //! (AWS_MAX_ATTEMPTS=1 so error cases answer at once; override through `env`). Blocks until it exits.
    AwsCliResult run(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {}) const;

    //! Sets credentials for later runs (e.g. those AssumeRole returned); empty token clears it.
    void set_credentials(std::string access_key_id, std::string secret_access_key, std::string session_token = {});
    const std::string& home() const noexcept { return home_; }

private:
    std::string endpoint_;
    std::string region_;
    std::string access_key_id_;
    std::string secret_access_key_;
    std::string session_token_;
    std::string home_;
};

} // namespace aurora::sandbox::testing
