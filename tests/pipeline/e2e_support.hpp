#pragma once
//! End-to-end harness: an in-process sandbox (SigV4, RDS lifecycles, a PostgreSQL/MariaDB data plane) and
//! the real `aurora-restore` binary run as a child process against it, as a user would.

#include "sandbox/sandbox_server.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace aurora::e2e {

struct CliResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

//! The access key of account 123456789012 (the design example's account), accepted by every E2e sandbox.
inline constexpr const char* kDesignAccessKey = "AKIADESIGNEXAMPLE123";
inline constexpr const char* kDesignSecretKey = "design-example-secret-key-0123456789";

class E2e {
public:
    //! Starts a sandbox seeded with `seed_yaml` (data planes from AURORA_TEST_PG_URL / AURORA_TEST_MYSQL_URL
    //! when set), in a fresh temporary directory that also holds the CLI's state.
    explicit E2e(const std::string& seed_yaml, const std::string& faults = {});
    ~E2e();

    //! Runs `aurora-restore ARGS…` with the sandbox as its AWS endpoint (account 123456789012 unless
    //! `account_zero`) and waits for it.
    CliResult cli(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {});
    //! Starts the CLI without waiting; `on_err_line` sees each stderr line as it comes and returns true to
    //! kill the process with SIGKILL there. Returns the exit code (-9 when killed).
    int cli_until(const std::vector<std::string>& args, const std::function<bool(const std::string&)>& on_err_line);

    //! GET /_sandbox/counts.
    nlohmann::json counts() const;
    //! The number of successful mutating AWS calls (anything but Describe*/List*/Get*) so far.
    long mutating_calls() const;
    //! POST /_sandbox/reset (call counts back to zero).
    void reset_counts() const;
    //! GET path on the sandbox's admin endpoint.
    nlohmann::json admin(const std::string& path) const;

    const std::string& dir() const { return dir_; }
    std::string endpoint() const { return server_->endpoint(); }
    std::string write_file(const std::string& name, const std::string& content) const;
    //! Every byte the CLI printed so far (for secret greps).
    const std::string& transcript() const { return transcript_; }

private:
    std::string dir_;
    std::unique_ptr<sandbox::SandboxServer> server_;
    std::string transcript_;
};

//! A short random suffix so parallel tests never share names on the shared database servers.
std::string unique_suffix();

//! Runs one SQL statement on a PostgreSQL database, returning the first column of each row. Throws on error.
std::vector<std::string> pg_query(const std::string& host, int port, const std::string& db, const std::string& user,
                                  const std::string& password, const std::string& sql);

} // namespace aurora::e2e
