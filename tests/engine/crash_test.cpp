// kill -9 at random points, then resume, until done: every execution finishes, its history is exactly the
// expected path (no transition recorded twice), and every recorded task result comes from a logged
// handler invocation (at-least-once).
#include "engine_fixture.hpp"

#include <csignal>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <thread>

extern char** environ;

namespace aurora::engine::testing {
namespace {

using namespace std::chrono_literals;

pid_t spawn_worker(const std::string& db, const std::string& log, int executions) {
    const std::string n = std::to_string(executions);
    std::vector<std::string> args = {AURORA_CRASH_WORKER, db, log, n};
    std::vector<char*> argv;
    for (auto& a : args) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    pid_t pid = 0;
    if (posix_spawn(&pid, AURORA_CRASH_WORKER, nullptr, nullptr, argv.data(), environ) != 0) {
        return -1;
    }
    return pid;
}

TEST(CrashTest, KillNineAtRandomPointsThenResumeFinishesEverythingExactlyOnce) {
    const std::string db = temp_db_path("crash");
    const std::string log = db + ".invocations";
    const int executions = 6;
    std::mt19937 rng(20261128); // seeded: the same kill schedule on every run
    // Kills are placed by progress, not by time: after 1 to 3 more handler invocations have been logged,
    // so the schedule is the same on a fast idle machine and a loaded one.
    std::uniform_int_distribution<int> more_lines(1, 3);
    const auto logged = [&log] {
        std::ifstream in(log);
        return static_cast<int>(std::count(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>(), '\n'));
    };
    int kills = 0;
    bool done = false;
    for (int round = 0; round < 400 && !done; ++round) {
        const int target = logged() + more_lines(rng);
        const pid_t pid = spawn_worker(db, log, executions);
        ASSERT_GT(pid, 0);
        int status = 0;
        pid_t waited = 0;
        // The first rounds kill mid-run; later ones let the worker finish.
        while (round < 60 && (waited = waitpid(pid, &status, WNOHANG)) == 0 && logged() < target) {
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
        if (waited == 0) {
            if (round < 60) ::kill(pid, SIGKILL);
            ASSERT_EQ(waitpid(pid, &status, 0), pid);
        }
        if (WIFEXITED(status)) {
            ASSERT_EQ(WEXITSTATUS(status), 0) << "the worker failed on its own (see its stderr)";
            done = true;
        } else {
            ++kills;
        }
    }
    ASSERT_TRUE(done);
    EXPECT_GT(kills, 10) << "most rounds must have been killed mid-run";

    FakeClock clock;
    store::sqlite::SqliteStore store(db, clock);
    std::map<std::string, int> invocations; // "ex-1 Prepare" → count
    {
        std::ifstream in(log);
        std::string id;
        std::string state;
        int attempt = 0;
        while (in >> id >> state >> attempt) {
            ++invocations[id + " " + state];
        }
    }
    const std::vector<std::string> path = {"Validate", "Prepare", "Route", "Pause", "Restore", "Mark", "Finish"};
    for (int i = 0; i < executions; ++i) {
        const std::string id = "ex-" + std::to_string(i);
        const auto e = store.get_execution(id);
        ASSERT_TRUE(e.has_value()) << id;
        EXPECT_EQ(e->status, store::ExecutionStatus::succeeded) << id << ": " << e->cause;
        const auto history = store.history(id, 0, 10000);
        std::vector<std::string> entered;
        std::map<std::string, int> succeeded;
        int prepare_failures = 0;
        for (std::size_t k = 0; k < history.size(); ++k) {
            EXPECT_EQ(history[k].id, static_cast<std::int64_t>(k) + 1) << id;
            EXPECT_EQ(history[k].previous_id, static_cast<std::int64_t>(k)) << id;
            if (history[k].type.ends_with("StateEntered")) {
                entered.push_back(history[k].state_name);
            }
            if (history[k].type == "TaskSucceeded") {
                ++succeeded[history[k].state_name];
            }
            if (history[k].type == "TaskFailed") {
                ++prepare_failures;
            }
        }
        EXPECT_EQ(entered, path) << id << ": every state entered exactly once, in order";
        EXPECT_EQ(prepare_failures, 2) << id << ": each NotReady retry recorded once";
        EXPECT_EQ(history.back().type, "ExecutionSucceeded") << id;
        for (const char* task : {"Validate", "Restore", "Finish"}) {
            EXPECT_EQ(succeeded[task], 1) << id << " " << task;
            EXPECT_GE(invocations[id + " " + task], 1) << id << " " << task << ": at least once";
        }
        EXPECT_GE(invocations[id + " Prepare"], 3) << id << ": two NotReady answers and one success";
    }
    if (!HasFailure()) {
        std::error_code ignored;
        std::filesystem::remove_all(std::filesystem::path(db).parent_path(), ignored); // kept when it failed
    }
}

} // namespace
} // namespace aurora::engine::testing
