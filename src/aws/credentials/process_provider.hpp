#pragma once
//! Credentials from an external command, the profile's `credential_process`
//! (https://docs.aws.amazon.com/sdkref/latest/guide/feature-process-credentials.html).
//!
//! The command line is split the way botocore splits it (shlex, POSIX rules: whitespace separates words,
//! single quotes are literal, double quotes allow \" \\ \$ \`, a backslash escapes the next character) and
//! run directly with execvp — no shell: `;`, `|`, `$(...)`, globs and redirections are passed as plain
//! arguments, so nothing beyond the program and arguments the user wrote runs. The child inherits the
//! process environment. stdout must be the JSON document
//!   {"Version": 1, "AccessKeyId": "...", "SecretAccessKey": "...", "SessionToken": "...",
//!    "Expiration": "2024-01-31T02:00:00Z"}
//! (SessionToken and Expiration optional; without Expiration the credentials never expire). As in botocore,
//! there is no timeout: a command that never exits blocks the caller (the caching provider then blocks only
//! callers whose cached credentials have expired).

#include "aws/credentials/credentials.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace aurora::aws {

//! Splits `command` into argv words as described above. Throws aurora::Error(config) on an unterminated
//! quote or an empty command.
std::vector<std::string> split_command_line(std::string_view command);

//! What running a command produced.
struct ProcessResult {
    int exit_code = -1;  //!< the exit status, or 128+signal when killed by a signal
    std::string stdout_text;
    std::string stderr_text;
};

//! Runs `argv` (argv[0] looked up in PATH) without a shell, waits for it and captures stdout and stderr
//! (each capped at 1 MiB; the rest is drained and dropped). Throws aurora::Error(credentials) when the
//! program cannot be started.
ProcessResult run_process(const std::vector<std::string>& argv);

class ProcessCredentialsProvider final : public CredentialsProvider {
public:
    //! `command` is the credential_process line; `profile` names the profile in messages and in `source`.
    ProcessCredentialsProvider(std::string command, std::string profile);

    //! Runs the command on every call (wrap in CachingCredentialsProvider). Throws aurora::Error(credentials)
    //! when it cannot start, exits non-zero (the hint carries the first line of its stderr, redacted), or
    //! prints an invalid document. Registers the secrets it returns.
    Credentials get() override;

private:
    std::string command_;
    std::string profile_;
};

} // namespace aurora::aws
