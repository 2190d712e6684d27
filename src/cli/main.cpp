// aurora-restore: the command-line entry point. Parses the command line, builds the Runtime (the
// composition root) and maps every failure to a one-line message and the catalogue's exit code.
#include "cli/commands.hpp"
#include "cli/runtime.hpp"
#include "common/error.hpp"
#include "common/log.hpp"
#include "common/redact.hpp"
#include "sandbox/sandbox_command.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

namespace {

using namespace aurora;

const char* const kExitCodes = R"(exit codes:
  0  success                       8  already exists / invalid state / locked
  1  internal error                9  KMS key not accessible / quota
  2  usage                        10  AWS service error or throttling
  3  invalid request              11  network
  4  configuration                12  timeout
  5  credentials / access denied  14  a resource failed (e.g. incompatible-restore)
  6  refused by a guardrail       15  database setup
  7  not found (snapshot, …)      17  audit log tampered   19  cancelled
)";

int report(const Error& e, bool json) {
    if (json) {
        nlohmann::json out = {{"error", std::string(e.info().name)}, {"message", redact(e.message())}};
        if (!e.hint().empty()) out["hint"] = redact(e.hint());
        std::cout << out.dump(2) << '\n';
    } else {
        std::cerr << "error: " << redact(e.message()) << '\n';
        if (!e.hint().empty()) std::cerr << "hint: " << redact(e.hint()) << '\n';
    }
    return e.info().exit_code;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"aurora-restore: restore Amazon Aurora DB clusters from snapshots, end to end, safely and repeatably.",
                 "aurora-restore"};
    app.footer(kExitCodes);
    app.require_subcommand(1);
    app.set_version_flag("--version", "aurora-restore 0.1.0");

    cli::GlobalOptions g;
    app.add_option("--state-dir", g.state_dir, "Where the embedded engine keeps its SQLite state and audit log")
        ->envname("AURORA_RESTORE_STATE_DIR");
    app.add_option("-o,--output", g.output, "Output format")->check(CLI::IsMember({"text", "json"}));
    app.add_option("--log-level", g.log_level, "trace|debug|info|warn|error|off")->envname("AURORA_RESTORE_LOG_LEVEL");
    app.add_option("--log-format", g.log_format, "text|json")->check(CLI::IsMember({"text", "json"}));
    app.add_option("--region", g.region, "Default AWS region (else AWS_REGION / the profile's)");
    app.add_option("--profile", g.profile, "AWS shared config profile (else AWS_PROFILE)");
    app.add_option("--endpoint-url", g.endpoint_url, "One endpoint for every AWS service (the sandbox, moto)");

    cli::RestoreArgs ra;
    auto* restore = app.add_subcommand("restore", "Restore a cluster from a snapshot as a request file describes");
    restore->add_option("-f,--file", ra.file, "Request file, YAML or JSON ('-' for stdin)")->required();
    restore->add_option("--set", ra.sets, "Override a request field: --set target.instances.count=3 (repeatable)");
    restore->add_flag("--dry-run", ra.dry_run, "Print the plan and every AWS call it would make; change nothing");
    restore->add_flag("--detach", ra.detach, "Start and return the restore id; continue with 'resume ID'");
    restore->add_option("--restore-id", ra.restore_id, "Reuse a restore id (a retry attaches to the same restore)");

    cli::RestoreArgs pa;
    auto* plan = app.add_subcommand("plan", "Show what a restore would do (read-only; same as restore --dry-run)");
    plan->add_option("-f,--file", pa.file, "Request file, YAML or JSON ('-' for stdin)")->required();
    plan->add_option("--set", pa.sets, "Override a request field (repeatable)");

    std::string id;
    bool detach = false;
    auto* status = app.add_subcommand("status", "Show one restore");
    status->add_option("id", id, "Restore id")->required();
    int limit = 50;
    auto* list = app.add_subcommand("list", "List restores, newest first");
    list->add_option("--limit", limit, "At most this many");
    auto* resume = app.add_subcommand("resume", "Continue a restore after a crash, kill or --detach");
    resume->add_option("id", id, "Restore id")->required();
    resume->add_flag("--detach", detach, "Return at once");
    auto* cancel = app.add_subcommand("cancel", "Cancel a running restore");
    cancel->add_option("id", id, "Restore id")->required();
    auto* history = app.add_subcommand("history", "The execution history of a restore (like Step Functions')");
    history->add_option("id", id, "Restore id")->required();
    bool verify = false;
    auto* audit = app.add_subcommand("audit", "Print the audit trail, or verify its hash chain");
    audit->add_option("id", id, "Restore id (all restores when omitted)");
    audit->add_flag("--verify", verify, "Verify the whole chain; exit 17 when any record was edited, removed or reordered");
    auto* asl = app.add_subcommand("asl", "Print the state machine definition (Amazon States Language)");
    sandbox::add_sandbox_subcommand(app);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : error_info(ErrorCode::usage).exit_code;
    } catch (const Error& e) {
        return report(e, g.output == "json");
    }
    log::set_level(log::parse_level(g.log_level));
    log::set_format(g.log_format == "json" ? log::Format::json : log::Format::text);
    try {
        if (asl->parsed()) return cli::cmd_asl();
        for (auto* sub : app.get_subcommands()) {
            if (sub->get_name() == "sandbox") return 0; // ran during parse
        }
        cli::Runtime rt(g);
        if (restore->parsed()) return cli::cmd_restore(rt, ra);
        if (plan->parsed()) return cli::cmd_plan(rt, pa);
        if (status->parsed()) return cli::cmd_status(rt, id);
        if (list->parsed()) return cli::cmd_list(rt, limit);
        if (resume->parsed()) return cli::cmd_resume(rt, id, detach);
        if (cancel->parsed()) return cli::cmd_cancel(rt, id);
        if (history->parsed()) return cli::cmd_history(rt, id);
        if (audit->parsed()) return cli::cmd_audit(rt, id, verify);
    } catch (const Error& e) {
        return report(e, g.output == "json");
    } catch (const std::exception& e) {
        return report(Error(ErrorCode::internal, std::string("unexpected error: ") + e.what(),
                            "please report this with the output of --log-level debug"),
                      g.output == "json");
    }
    return 0;
}
