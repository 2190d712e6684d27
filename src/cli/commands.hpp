#pragma once
//! The subcommands of `aurora-restore` (one function each; main.cpp wires them to CLI11). Each returns the
//! process exit code (docs/cli.md lists them).

#include "cli/runtime.hpp"

#include <string>
#include <vector>

namespace aurora::cli {

struct RestoreArgs {
    std::string file;                //!< request file (YAML or JSON), "-" for stdin
    std::vector<std::string> sets;   //!< --set key=value
    bool dry_run = false;
    bool detach = false;
    std::string restore_id;          //!< --restore-id: reuse an id (an idempotent retry of the same request)
};

int cmd_restore(Runtime& rt, const RestoreArgs& args);
int cmd_plan(Runtime& rt, const RestoreArgs& args);
int cmd_status(Runtime& rt, const std::string& id);
int cmd_list(Runtime& rt, int limit);
int cmd_resume(Runtime& rt, const std::string& id, bool detach);
int cmd_cancel(Runtime& rt, const std::string& id);
int cmd_history(Runtime& rt, const std::string& id);
int cmd_audit(Runtime& rt, const std::string& id, bool verify);
int cmd_asl();

//! The exit code for a finished execution's error name ("Aurora.SnapshotNotFound" → 7; unknown → 1).
int exit_code_for_error(const std::string& error_name);

} // namespace aurora::cli
