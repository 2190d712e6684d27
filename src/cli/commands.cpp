#include "cli/commands.hpp"

#include "cli/progress.hpp"
#include "common/error.hpp"
#include "common/redact.hpp"
#include "common/yaml_json.hpp"
#include "dbsetup/spec.hpp"
#include "pipeline/naming.hpp"
#include "pipeline/plan.hpp"

#include <filesystem>
#include <iostream>
#include <iterator>
#include <unistd.h>

namespace aurora::cli {
namespace {

using nlohmann::json;

bool json_output(const Runtime& rt) { return rt.options().output == "json"; }

void print_json(const json& j) { std::cout << redact(j.dump(2)) << '\n'; }

json load_request(const RestoreArgs& args) {
    json doc;
    if (args.file == "-") {
        const std::string text{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
        doc = parse_yaml(text, "<stdin>");
    } else {
        doc = load_yaml_file(args.file);
    }
    pipeline::apply_overrides(doc, args.sets);
    return doc;
}

//! Sanitize scripts are read now, at submission, and travel in the execution input: the step that runs
//! them may run elsewhere (a Lambda function) where the files are not.
json load_scripts(const pipeline::RestoreRequest& r, const std::string& request_file) {
    json out = json::array();
    if (r.database.is_null() || !r.database.contains("sanitize")) return out;
    json section = r.database;
    section.erase("tls");
    section.erase("manage_master_password");
    const auto spec = dbsetup::parse_database_spec(section);
    const std::string base = request_file == "-" ? std::string(".")
                                                 : std::filesystem::absolute(request_file).parent_path().string();
    for (const auto& s : dbsetup::load_sanitize_scripts(spec, base)) out.push_back({{"name", s.name}, {"sql", s.sql}});
    return out;
}

std::string restore_id_for(const RestoreArgs& args) {
    if (args.restore_id.empty()) return pipeline::new_restore_id();
    if (!pipeline::is_restore_id(args.restore_id)) {
        throw Error(ErrorCode::usage, "invalid --restore-id '" + args.restore_id + "'",
                    "a restore id is 'r' followed by 11 lowercase letters or digits, as printed by a previous run");
    }
    return args.restore_id;
}

//! The result fields worth showing: endpoint, status, error.
json summary(const store::Execution& e) {
    json out = {{"restore_id", e.id}, {"status", std::string(store::to_string(e.status))}};
    if (!e.state_name.empty()) out["state"] = e.state_name;
    const auto& req = e.input.value("request", json::object());
    out["source"] = req.value("source", json::object());
    out["target"] = {{"cluster", req.value("target", json::object()).value("cluster", "")},
                     {"region", req.value("target", json::object()).value("region", "")},
                     {"mode", req.value("target", json::object()).value("mode", "")}};
    const json& results = e.output.is_object() ? e.output.value("results", json::object())
                                                 : e.state_input.value("results", json::object());
    const auto cluster = results.value("wait_cluster", json::object()).value("value", json::object());
    const auto swapped = results.value("swap", json::object()).value("value", json::object());
    if (!cluster.empty()) {
        out["endpoint"] = swapped.value("endpoint", cluster.value("endpoint", ""));
        out["port"] = cluster.value("port", 0);
    }
    if (!e.error.empty()) {
        out["error"] = e.error;
        out["cause"] = redact(e.cause);
    }
    out["created_at"] = format_iso8601(e.created_at);
    out["updated_at"] = format_iso8601(e.updated_at);
    return out;
}

int finish(Runtime& rt, const store::Execution& e) {
    const auto s = summary(e);
    if (json_output(rt)) {
        print_json(s);
    } else if (e.status == store::ExecutionStatus::succeeded) {
        std::cout << "restore " << e.id << " succeeded: " << s["target"]["cluster"].get<std::string>() << " ("
                  << s["target"]["region"].get<std::string>() << ")";
        if (s.contains("endpoint")) std::cout << " endpoint " << s["endpoint"].get<std::string>() << ":" << s["port"];
        std::cout << '\n';
    } else {
        std::cout << "restore " << e.id << " " << store::to_string(e.status);
        if (!e.error.empty()) std::cout << ": " << e.error << ": " << redact(e.cause);
        std::cout << '\n';
    }
    if (e.status == store::ExecutionStatus::succeeded) return 0;
    if (e.status == store::ExecutionStatus::cancelled) return error_info(ErrorCode::cancelled).exit_code;
    if (e.status == store::ExecutionStatus::failed) return exit_code_for_error(e.error);
    return 0; // still running (detached)
}

store::Execution run_with_progress(Runtime& rt, const std::string& id, bool takeover) {
    const bool tty = isatty(STDERR_FILENO) != 0;
    ProgressPrinter progress(std::cerr, tty);
    if (!json_output(rt)) rt.engine().set_observer(&progress);
    auto e = rt.engine().run_to_completion(id, takeover);
    rt.engine().set_observer(nullptr);
    progress.finish();
    return e;
}

} // namespace

int exit_code_for_error(const std::string& error_name) {
    if (const auto code = error_code_from_name(error_name)) return error_info(*code).exit_code;
    return error_info(ErrorCode::internal).exit_code;
}

int cmd_plan(Runtime& rt, const RestoreArgs& args) {
    const auto doc = load_request(args);
    const auto plan = pipeline::make_plan(doc, restore_id_for(args), rt.env());
    if (json_output(rt)) {
        print_json(plan.to_json());
    } else {
        std::cout << redact(plan.to_text());
    }
    return 0;
}

int cmd_restore(Runtime& rt, const RestoreArgs& args) {
    if (args.dry_run) return cmd_plan(rt, args);
    const auto doc = load_request(args);
    const auto request = pipeline::parse_request(doc, rt.aws().default_region());
    if (!request.notify.webhook_url.empty()) register_secret(request.notify.webhook_url);
    const std::string id = restore_id_for(args);
    const json input = {{"restore_id", id},
                        {"request", request.normalized},
                        {"scripts", load_scripts(request, args.file)},
                        {"submitted_by", rt.env().local_user}};
    auto e = rt.engine().start(kMachineName, id, input);
    if (!json_output(rt)) std::cerr << "restore " << id << " started (state " << rt.database_path() << ")\n";
    if (args.detach) {
        if (json_output(rt)) print_json(summary(e));
        else std::cout << id << '\n';
        return 0;
    }
    return finish(rt, run_with_progress(rt, id, false));
}

int cmd_resume(Runtime& rt, const std::string& id, bool detach) {
    const auto existing = rt.store().get_execution(id);
    if (!existing) {
        throw Error(ErrorCode::not_found, "no restore '" + id + "' in " + rt.database_path(), "list restores with: aurora-restore list");
    }
    if (store::is_terminal(existing->status)) return finish(rt, *existing);
    if (detach) {
        std::cout << id << '\n';
        return 0;
    }
    return finish(rt, run_with_progress(rt, id, true));
}

int cmd_status(Runtime& rt, const std::string& id) {
    const auto e = rt.store().get_execution(id);
    if (!e) throw Error(ErrorCode::not_found, "no restore '" + id + "' in " + rt.database_path(), "list restores with: aurora-restore list");
    const auto s = summary(*e);
    if (json_output(rt)) {
        print_json(s);
        return 0;
    }
    std::cout << "restore " << id << ": " << s["status"].get<std::string>();
    if (s.contains("state")) std::cout << " (at " << s["state"].get<std::string>() << ")";
    std::cout << "\n  source: " << s["source"].dump() << "\n  target: " << s["target"].dump() << '\n';
    if (s.contains("endpoint")) std::cout << "  endpoint: " << s["endpoint"].get<std::string>() << ":" << s["port"] << '\n';
    if (s.contains("error")) std::cout << "  error: " << s["error"].get<std::string>() << ": " << s["cause"].get<std::string>() << '\n';
    std::cout << "  started: " << s["created_at"].get<std::string>() << "  updated: " << s["updated_at"].get<std::string>() << '\n';
    return 0;
}

int cmd_list(Runtime& rt, int limit) {
    const auto all = rt.store().list_executions(std::nullopt, limit);
    json out = json::array();
    for (const auto& e : all) out.push_back(summary(e));
    if (json_output(rt)) {
        print_json(out);
        return 0;
    }
    if (all.empty()) std::cout << "no restores in " << rt.database_path() << '\n';
    for (const auto& s : out) {
        std::cout << s["restore_id"].get<std::string>() << "  " << s["status"].get<std::string>() << "  "
                  << s["target"]["cluster"].get<std::string>() << " (" << s["target"]["region"].get<std::string>()
                  << ", " << s["target"]["mode"].get<std::string>() << ")  " << s["created_at"].get<std::string>() << '\n';
    }
    return 0;
}

int cmd_cancel(Runtime& rt, const std::string& id) {
    auto e = rt.engine().cancel(id);
    // Nobody may be running it (a crashed CLI): drive it here so the cancellation takes effect now.
    if (!store::is_terminal(e.status)) e = rt.engine().run_to_completion(id, true);
    if (json_output(rt)) print_json(summary(e));
    else std::cout << "restore " << id << ": " << store::to_string(e.status) << '\n';
    return 0;
}

int cmd_history(Runtime& rt, const std::string& id) {
    if (!rt.store().get_execution(id)) {
        throw Error(ErrorCode::not_found, "no restore '" + id + "' in " + rt.database_path(), "list restores with: aurora-restore list");
    }
    json out = json::array();
    std::int64_t after = 0;
    while (true) {
        const auto page = rt.store().history(id, after, 500);
        for (const auto& ev : page) {
            out.push_back({{"id", ev.id}, {"previous_id", ev.previous_id}, {"type", ev.type},
                           {"timestamp", format_iso8601(ev.timestamp)}, {"state", ev.state_name}, {"details", ev.details}});
            after = ev.id;
        }
        if (page.size() < 500) break;
    }
    if (json_output(rt)) {
        print_json(out);
        return 0;
    }
    for (const auto& ev : out) {
        std::cout << ev["id"] << "  " << ev["timestamp"].get<std::string>() << "  " << ev["type"].get<std::string>();
        if (!ev["state"].get<std::string>().empty()) std::cout << "  " << ev["state"].get<std::string>();
        const auto& d = ev["details"];
        if (d.contains("error")) std::cout << "  " << d["error"].get<std::string>() << ": " << redact(d.value("cause", ""));
        std::cout << '\n';
    }
    return 0;
}

int cmd_audit(Runtime& rt, const std::string& id, bool verify) {
    if (verify) {
        const auto v = rt.store().verify_audit();
        if (json_output(rt)) {
            json out = {{"ok", v.ok}, {"records", v.records}};
            if (!v.ok) out["first_bad_seq"] = v.first_bad_seq.value_or(0), out["reason"] = v.reason;
            print_json(out);
        } else if (v.ok) {
            std::cout << "audit log verified: " << v.records << " records, hash chain intact\n";
        } else {
            std::cout << "audit log TAMPERED at record " << v.first_bad_seq.value_or(0) << ": " << v.reason << '\n';
        }
        return v.ok ? 0 : error_info(ErrorCode::audit_tampered).exit_code;
    }
    const auto records = rt.store().audit_records(id);
    json out = json::array();
    for (const auto& r : records) {
        out.push_back({{"seq", r.seq}, {"timestamp", format_iso8601(r.timestamp)}, {"restore_id", r.restore_id},
                       {"actor", r.actor}, {"event", r.event_type}, {"details", json::parse(r.details, nullptr, false)},
                       {"hash", r.hash}});
    }
    if (json_output(rt)) {
        print_json(out);
        return 0;
    }
    for (const auto& r : out) {
        std::cout << r["seq"] << "  " << r["timestamp"].get<std::string>() << "  " << r["restore_id"].get<std::string>()
                  << "  " << r["event"].get<std::string>() << "  " << r["actor"].get<std::string>() << "  "
                  << r["details"].dump() << '\n';
    }
    return 0;
}

int cmd_asl() {
    std::cout << embedded_definition();
    return 0;
}

} // namespace aurora::cli
