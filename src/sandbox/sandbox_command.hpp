#pragma once
//! The `sandbox` subcommand of `aurora-restore` and the standalone `aurora-sandbox` executable: flags →
//! SandboxOptions → a running SandboxServer until SIGINT/SIGTERM (docs/sandbox.md).

#include "sandbox/sandbox_options.hpp"

#include <iosfwd>
#include <string>

namespace CLI {
class App;
}

namespace aurora::sandbox {

//! Adds the sandbox flags (--port, --bind, --durations, --faults, --rate-limit, --data-plane,
//! --data-plane-mysql, --seed, --state-file, --credentials) to `app`, bound to `options`.
void add_sandbox_options(CLI::App& app, SandboxOptions& options);

//! Registers `sandbox` on `app`: parsing it runs the sandbox (run_sandbox_command) until a signal; a failure
//! ends the program with the error's exit code (CLI::RuntimeError).
void add_sandbox_subcommand(CLI::App& app);

//! The lines a user pastes to point AWS clients at the sandbox: export AWS_ENDPOINT_URL=…,
//! AWS_ACCESS_KEY_ID=test, AWS_SECRET_ACCESS_KEY=test, AWS_DEFAULT_REGION=….
std::string sandbox_env_exports(const std::string& endpoint, const std::string& region);

//! Starts the sandbox, prints its endpoint and the environment to export on `out`, serves until SIGINT or
//! SIGTERM, then stops (saving the state file). Returns 0, or the error's CLI exit code after printing it
//! on stderr. `port_file`, when not empty, receives the bound port (for scripts).
int run_sandbox_command(const SandboxOptions& options, const std::string& port_file = {});

//! The standalone `aurora-sandbox` program: parses the sandbox flags plus --port-file and runs it.
int sandbox_main(int argc, char** argv);

} // namespace aurora::sandbox
