// The process the crash test kills with SIGKILL: starts N executions of a multi-step machine on a SQLite
// file (idempotently) and drives them all to the end with 2 workers on the real clock. Every handler
// invocation is appended to a log file first, so the test can check at-least-once invocation.
//
//   aurora_engine_crash_worker DB LOG N

#include "common/clock.hpp"
#include "common/error.hpp"
#include "engine/engine.hpp"
#include "store/sqlite/sqlite_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <iostream>
#include <string>

namespace {

using aurora::engine::json;

// Validate → Prepare (NotReady twice, retried after a suggested 5 ms) → Route → Wait 0 s → Restore →
// Finish. Every Task is recorded; Prepare's retries and the Wait are durable timers.
const char* kMachine = R"({"StartAt":"Validate","States":{
  "Validate":{"Type":"Task","Resource":"record","Parameters":{"step":"validate","n.$":"$.n"},"ResultPath":"$.validate","Next":"Prepare"},
  "Prepare":{"Type":"Task","Resource":"record","Parameters":{"step":"prepare","not_ready":2},"ResultPath":"$.prepare",
             "Retry":[{"ErrorEquals":["Aurora.NotReady"],"IntervalSeconds":1,"MaxAttempts":5}],"Next":"Route"},
  "Route":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThanEquals":0,"Next":"Pause"}],"Default":"Broken"},
  "Pause":{"Type":"Wait","Seconds":0,"Next":"Restore"},
  "Restore":{"Type":"Task","Resource":"record","Parameters":{"step":"restore"},"ResultPath":"$.restore","Next":"Mark"},
  "Mark":{"Type":"Pass","Result":"ok","ResultPath":"$.mark","Next":"Finish"},
  "Finish":{"Type":"Task","Resource":"record","Parameters":{"step":"finish"},"ResultPath":"$.finish","End":true},
  "Broken":{"Type":"Fail","Error":"Test.Broken"}}})";

void append_line(const std::string& path, const std::string& line) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0644);
    if (fd < 0) {
        throw std::runtime_error("cannot open " + path);
    }
    const std::string text = line + "\n";
    // One write() of a short line to an O_APPEND file: atomic with respect to other appenders.
    const auto written = ::write(fd, text.data(), text.size());
    ::close(fd);
    if (written != static_cast<ssize_t>(text.size())) {
        throw std::runtime_error("short write to " + path);
    }
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::cerr << "usage: aurora_engine_crash_worker DB LOG N\n";
        return 2;
    }
    const std::string db = argv[1];
    const std::string log_path = argv[2];
    const int n = std::stoi(argv[3]);
    try {
        aurora::SystemClock& clock = aurora::SystemClock::instance();
        aurora::store::sqlite::SqliteStore store(db, clock);
        aurora::engine::TaskRegistry tasks;
        tasks.add("record", [&](const json& in, aurora::engine::TaskContext& ctx) -> json {
            const std::string step = in.at("step");
            append_line(log_path, ctx.execution_id + " " + ctx.state_name + " " + std::to_string(ctx.attempt));
            if (in.contains("not_ready") && ctx.attempt <= in.at("not_ready").get<int>()) {
                throw aurora::engine::TaskError("Aurora.NotReady", step + " not ready", std::chrono::milliseconds{5});
            }
            return json{{"step", step}, {"attempt", ctx.attempt}};
        });
        aurora::engine::EngineOptions options;
        options.workers = 2;
        aurora::engine::Engine engine(store, clock, std::move(tasks), options);
        engine.add_machine("crash", aurora::engine::parse_state_machine_text(kMachine));
        for (int i = 0; i < n; ++i) {
            engine.start("crash", "ex-" + std::to_string(i), json{{"n", i}});
        }
        engine.run_until_idle();
    } catch (const std::exception& e) {
        std::cerr << "crash worker: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
