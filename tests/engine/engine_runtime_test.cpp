// The runtime: cancellation, many executions at once, resume and lease takeover, observers, runner loop.
#include "engine_fixture.hpp"

#include "common/error.hpp"
#include "common/redact.hpp"

#include <sys/wait.h>

#include <mutex>
#include <thread>

namespace aurora::engine::testing {
namespace {

using store::ExecutionStatus;
using namespace std::chrono_literals;

const char* kPollingMachine = R"({"StartAt":"Start","States":{
    "Start":{"Type":"Task","Resource":"step","ResultPath":"$.first","Next":"Wait"},
    "Wait":{"Type":"Wait","SecondsPath":"$.wait","Next":"Poll"},
    "Poll":{"Type":"Task","Resource":"poll","ResultPath":"$.poll",
            "Retry":[{"ErrorEquals":["Aurora.NotReady"],"IntervalSeconds":5,"BackoffRate":1.5,"MaxAttempts":20}],
            "Next":"Done"},
    "Done":{"Type":"Succeed"}}})";

TEST_F(EngineTest, CancelStopsAWaitingExecutionAtTheNextBoundary) {
    make_engine(json::parse(R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"Next":"S"},"S":{"Type":"Succeed"}}})"));
    engine_->start("m", "ex", json::object());
    EXPECT_EQ(engine_->drive("ex"), DriveOutcome::waiting);
    const auto requested = engine_->cancel("ex");
    EXPECT_EQ(requested.status, ExecutionStatus::cancelling);
    EXPECT_FALSE(requested.wake_at.has_value());
    EXPECT_EQ(engine_->cancel("ex").status, ExecutionStatus::cancelling) << "idempotent";
    engine_->run_until_idle();
    const auto e = *store_->get_execution("ex");
    EXPECT_EQ(e.status, ExecutionStatus::cancelled);
    EXPECT_TRUE(clock_.sleeps().empty()) << "the timer was not waited out";
    EXPECT_EQ(event_types("ex").back(), "ExecutionAborted");
    EXPECT_EQ(engine_->cancel("ex").status, ExecutionStatus::cancelled) << "terminal executions stay as they are";
    try {
        engine_->cancel("missing");
        ADD_FAILURE();
    } catch (const Error& err) {
        EXPECT_EQ(err.code(), ErrorCode::not_found);
    }
}

TEST_F(EngineTest, CancelDuringAHandlerDropsItsResult) {
    tasks_.add("step", [&](const json&, TaskContext& ctx) -> json {
        engine_->cancel(ctx.execution_id);
        return json{{"ignored", true}};
    });
    tasks_.add("poll", [](const json&, TaskContext&) -> json { return json{}; });
    make_engine(json::parse(kPollingMachine));
    auto e = run("ex", json{{"wait", 0}});
    EXPECT_EQ(e.status, ExecutionStatus::cancelled);
    EXPECT_TRUE(events_of("ex", "TaskSucceeded").empty());
    EXPECT_TRUE(events_of("ex", "WaitStateEntered").empty());
}

TEST_F(EngineTest, ManyExecutionsRunConcurrentlyOnAWorkerPool) {
    std::mutex mutex;
    std::map<std::string, int> polls;
    std::set<std::thread::id> threads;
    tasks_.add("step", [&](const json& in, TaskContext&) -> json {
        std::lock_guard lock(mutex);
        threads.insert(std::this_thread::get_id());
        return in.at("n");
    });
    tasks_.add("poll", [&](const json& in, TaskContext& ctx) -> json {
        std::lock_guard lock(mutex);
        // Each execution becomes ready after n % 4 polls.
        if (polls[ctx.execution_id]++ < in.at("n").get<int>() % 4) {
            throw Error(ErrorCode::not_ready, "not yet");
        }
        return json{{"polls", polls[ctx.execution_id]}};
    });
    EngineOptions options;
    options.workers = 4;
    make_engine(json::parse(kPollingMachine), options);
    const int n = 40;
    for (int i = 0; i < n; ++i) {
        engine_->start("m", "ex-" + std::to_string(i), json{{"n", i}, {"wait", i % 7}});
    }
    engine_->run_until_idle();
    for (int i = 0; i < n; ++i) {
        const std::string id = "ex-" + std::to_string(i);
        const auto e = *store_->get_execution(id);
        ASSERT_EQ(e.status, ExecutionStatus::succeeded) << id << ": " << e.cause;
        EXPECT_EQ(e.output["poll"]["polls"], i % 4 + 1) << id;
        EXPECT_EQ(e.output["first"], i);
        const auto history = store_->history(id, 0, 1000);
        for (std::size_t k = 0; k < history.size(); ++k) {
            EXPECT_EQ(history[k].id, static_cast<std::int64_t>(k) + 1);
        }
        EXPECT_EQ(events_of(id, "TaskFailed").size(), static_cast<std::size_t>(i % 4));
    }
    EXPECT_GT(threads.size(), 1U) << "executions were driven by several workers";
}

TEST_F(EngineTest, ARunningTaskIsReRunAfterTheRunnerDies) {
    int calls = 0;
    tasks_.add("step", [&](const json&, TaskContext&) -> json { return ++calls; });
    tasks_.add("poll", [](const json&, TaskContext&) -> json { return json{}; });
    make_engine(json::parse(kPollingMachine));
    engine_->start("m", "ex", json{{"wait", 0}});
    // Simulate a runner on another host that scheduled the task and died inside the handler.
    auto e = *store_->get_execution("ex");
    ASSERT_TRUE(store_->acquire_execution_lease("ex", "otherhost:4242:1", 60s, ""));
    e.phase = "running";
    std::vector<store::HistoryEvent> none;
    ASSERT_TRUE(store_->checkpoint(e, none));
    EXPECT_EQ(engine_->drive("ex"), DriveOutcome::busy) << "a live-looking lease is respected";
    clock_.advance(61s);
    engine_->run_until_idle();
    EXPECT_EQ(store_->get_execution("ex")->status, ExecutionStatus::succeeded);
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(events_of("ex", "TaskScheduled").size(), 1U) << "the re-run continues the scheduled task";
}

TEST_F(EngineTest, ResumeTakesOverExplicitlyOrFromADeadLocalProcess) {
    tasks_.add("step", [](const json&, TaskContext&) -> json { return 1; });
    tasks_.add("poll", [](const json&, TaskContext&) -> json { return json{}; });
    make_engine(json::parse(kPollingMachine));
    engine_->start("m", "a", json{{"wait", 0}});
    engine_->start("m", "b", json{{"wait", 0}});
    ASSERT_TRUE(store_->acquire_execution_lease("a", "otherhost:1:1", 1h, ""));
    EXPECT_EQ(engine_->run_to_completion("a", true).status, ExecutionStatus::succeeded);

    char host[256] = {};
    gethostname(host, sizeof host - 1);
    const pid_t child = fork();
    if (child == 0) {
        _exit(0);
    }
    waitpid(child, nullptr, 0);
    const std::string dead = std::string(host) + ":" + std::to_string(child) + ":x";
    ASSERT_TRUE(store_->acquire_execution_lease("b", dead, 1h, ""));
    EXPECT_NE(engine_->drive("b"), DriveOutcome::busy) << "a dead local holder is taken over at once";
    EXPECT_EQ(store_->get_execution("b")->status, ExecutionStatus::succeeded);
}

TEST_F(EngineTest, AChangedDefinitionIsRefusedAndParked) {
    tasks_.add("step", [](const json&, TaskContext&) -> json { return 1; });
    tasks_.add("poll", [](const json&, TaskContext&) -> json { return json{}; });
    make_engine(json::parse(R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"End":true}}})"));
    engine_->start("m", "ex", json::object());
    make_engine(json::parse(R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":2,"End":true}}})"));
    clock_.advance(5s);
    try {
        engine_->drive("ex");
        ADD_FAILURE();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_state);
        EXPECT_NE(e.message().find("'ex'"), std::string::npos);
    }
    EXPECT_TRUE(store_->due_executions(10).empty()) << "parked under its lease, so the runner does not spin";
    EXPECT_THROW(engine_->drive("missing"), Error);
}

class Recorder final : public ExecutionObserver {
public:
    void on_events(const store::Execution&, const std::vector<store::HistoryEvent>& events) override {
        std::lock_guard lock(mutex);
        for (const auto& ev : events) {
            types.push_back(ev.type);
        }
    }
    void on_sleep(const store::Execution&, Clock::WallTime, std::string_view reason) override {
        std::lock_guard lock(mutex);
        sleeps.emplace_back(reason);
    }
    std::mutex mutex;
    std::vector<std::string> types;
    std::vector<std::string> sleeps;
};

TEST_F(EngineTest, TheObserverSeesEveryEventAndSleep) {
    int polls = 0;
    tasks_.add("step", [](const json&, TaskContext&) -> json { return 1; });
    tasks_.add("poll", [&](const json&, TaskContext&) -> json {
        if (polls++ == 0) {
            throw Error(ErrorCode::not_ready, "wait");
        }
        return json{};
    });
    make_engine(json::parse(kPollingMachine));
    Recorder recorder;
    engine_->set_observer(&recorder);
    run("ex", json{{"wait", 3}});
    EXPECT_EQ(recorder.types, event_types("ex"));
    EXPECT_EQ(recorder.sleeps, (std::vector<std::string>{"wait", "retry"}));
    engine_->set_observer(nullptr);
}

TEST_F(EngineTest, TheRunnerLoopDrivesExecutionsUntilStopped) {
    tasks_.add("step", [](const json&, TaskContext&) -> json { return 1; });
    tasks_.add("poll", [](const json&, TaskContext&) -> json { return json{}; });
    make_engine(json::parse(kPollingMachine));
    std::jthread runner([&](std::stop_token stop) { engine_->run(stop); });
    for (int i = 0; i < 5; ++i) {
        engine_->start("m", "ex-" + std::to_string(i), json{{"wait", 10}});
    }
    auto all_done = [&] {
        for (int i = 0; i < 5; ++i) {
            if (store_->get_execution("ex-" + std::to_string(i))->status != ExecutionStatus::succeeded) {
                return false;
            }
        }
        return true;
    };
    while (!all_done()) {
        std::this_thread::sleep_for(5ms);
    }
    runner.request_stop();
    runner.join();
    EXPECT_TRUE(all_done());
}

} // namespace
} // namespace aurora::engine::testing

namespace aurora::engine::testing {
namespace {

TEST_F(EngineTest, HistoryNeverHoldsARegisteredSecretOrAPasswordField) {
    register_secret("s3cr3t-value-123");
    tasks_.add("step", [](const json&, TaskContext&) -> json {
        throw std::runtime_error("login failed with s3cr3t-value-123");
    });
    tasks_.add("poll", [](const json&, TaskContext&) -> json { return json{}; });
    make_engine(json::parse(kPollingMachine));
    auto e = run("ex", json{{"wait", 0}, {"master_password", "plain-pass"}, {"note", "s3cr3t-value-123"}});
    EXPECT_EQ(e.status, store::ExecutionStatus::failed);
    EXPECT_EQ(e.cause.find("s3cr3t-value-123"), std::string::npos);
    for (const auto& ev : store_->history("ex", 0, 1000)) {
        const std::string text = ev.details.dump();
        EXPECT_EQ(text.find("s3cr3t-value-123"), std::string::npos) << ev.type;
        EXPECT_EQ(text.find("plain-pass"), std::string::npos) << ev.type;
    }
    clear_registered_secrets_for_testing();
}

} // namespace
} // namespace aurora::engine::testing
