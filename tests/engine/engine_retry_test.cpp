// Retry (timing on a FakeClock, backoff, cap, jitter, suggested delays), Catch, error names, timeouts.
#include "engine_fixture.hpp"

#include "common/error.hpp"
#include "engine/step.hpp"

namespace aurora::engine::testing {
namespace {

using store::ExecutionStatus;
using namespace std::chrono_literals;
using ms = std::chrono::milliseconds;

json task_machine(const json& retry, const json& catcher = json::array()) {
    json d = json::parse(R"({"StartAt":"T","States":{
        "T":{"Type":"Task","Resource":"poll","Next":"Done"},
        "Done":{"Type":"Succeed"},
        "Recover":{"Type":"Pass","End":true}}})");
    d["States"]["T"]["Retry"] = retry;
    d["States"]["T"]["Catch"] = catcher;
    if (catcher.empty()) {
        d["States"].erase("Recover");
    }
    return d;
}

TEST_F(EngineTest, RetryBacksOffExponentiallyUpToTheCap) {
    std::vector<int> attempts;
    tasks_.add("poll", [&](const json&, TaskContext& ctx) -> json {
        attempts.push_back(ctx.attempt);
        if (attempts.size() < 5) {
            throw Error(ErrorCode::not_ready, "cluster 'c1' is creating");
        }
        return json{{"status", "available"}};
    });
    make_engine(task_machine(json::parse(R"([{"ErrorEquals":["Aurora.NotReady"],"IntervalSeconds":2,
        "BackoffRate":3,"MaxDelaySeconds":10,"MaxAttempts":5}])")));
    auto e = run("ex", json::object());
    ASSERT_EQ(e.status, ExecutionStatus::succeeded) << e.cause;
    EXPECT_EQ(attempts, (std::vector<int>{1, 2, 3, 4, 5}));
    // 2 s, 2×3 = 6 s, 18 s capped at 10 s, 10 s: the waits are durable timers the runner sleeps until.
    EXPECT_EQ(clock_.sleeps(), (std::vector<ms>{2s, 6s, 10s, 10s}));
    const auto failed = events_of("ex", "TaskFailed");
    ASSERT_EQ(failed.size(), 4U);
    EXPECT_EQ(failed[0].details["error"], "Aurora.NotReady");
    EXPECT_EQ(failed[0].details["cause"], "cluster 'c1' is creating");
    EXPECT_EQ(failed[2].details["retry"]["attempt"], 3);
    EXPECT_EQ(failed[2].details["retry"]["delay_ms"], 10000);
    EXPECT_EQ(events_of("ex", "TaskScheduled").size(), 5U);
    EXPECT_EQ(events_of("ex", "TaskStateEntered").size(), 1U) << "retries stay inside one state visit";
}

TEST_F(EngineTest, ExhaustedRetriesFallThroughToCatchWithErrorAndCause) {
    int calls = 0;
    tasks_.add("poll", [&](const json&, TaskContext&) -> json {
        ++calls;
        throw TaskError("Custom.Broken", "it broke");
    });
    make_engine(task_machine(json::parse(R"([{"ErrorEquals":["Custom.Broken"],"MaxAttempts":2}])"),
                             json::parse(R"([{"ErrorEquals":["Other"],"Next":"Done"},
                                             {"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"Recover"}])")));
    auto e = run("ex", json{{"keep", 1}});
    ASSERT_EQ(e.status, ExecutionStatus::succeeded);
    EXPECT_EQ(calls, 3);
    EXPECT_EQ(e.output, json::parse(R"({"keep":1,"error":{"Error":"Custom.Broken","Cause":"it broke"}})"));
    EXPECT_EQ(clock_.sleeps(), (std::vector<ms>{1s, 2s})) << "defaults: IntervalSeconds 1, BackoffRate 2";
}

TEST_F(EngineTest, MaxAttemptsZeroNeverRetriesAndUncaughtErrorsFailTheExecution) {
    int calls = 0;
    tasks_.add("poll", [&](const json&, TaskContext&) -> json {
        ++calls;
        throw std::runtime_error("plain exception");
    });
    make_engine(task_machine(json::parse(R"([{"ErrorEquals":["States.ALL"],"MaxAttempts":0}])")));
    auto e = run("ex", json::object());
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(e.status, ExecutionStatus::failed);
    EXPECT_EQ(e.error, "States.TaskFailed");
    EXPECT_EQ(e.cause, "plain exception");
    EXPECT_EQ(event_types("ex").back(), "ExecutionFailed");
}

TEST_F(EngineTest, ErrorNamesComeFromTheCatalogueAndWildcardsFollowTheSpec) {
    tasks_.add("poll", [&](const json& in, TaskContext&) -> json {
        const std::string kind = in.at("kind");
        if (kind == "aurora") {
            throw Error(ErrorCode::snapshot_not_found, "snapshot 'x' not found");
        }
        if (kind == "plain") {
            throw std::runtime_error("boom");
        }
        return json{};
    });
    make_engine(task_machine(json::array(), json::parse(R"([
        {"ErrorEquals":["Aurora.SnapshotNotFound"],"ResultPath":"$.caught","Next":"Recover"},
        {"ErrorEquals":["States.TaskFailed"],"ResultPath":"$.caught","Next":"Recover"}])")));
    EXPECT_EQ(run("a", json{{"kind", "aurora"}}).output["caught"]["Error"], "Aurora.SnapshotNotFound");
    EXPECT_EQ(run("b", json{{"kind", "plain"}}).output["caught"]["Error"], "States.TaskFailed");
    EXPECT_TRUE(detail::error_matches({"States.ALL"}, "Anything"));
    EXPECT_FALSE(detail::error_matches({"States.ALL"}, "States.Runtime"));
    EXPECT_FALSE(detail::error_matches({"States.TaskFailed"}, "States.Timeout"));
    EXPECT_TRUE(detail::error_matches({"States.Timeout"}, "States.Timeout"));
}

TEST_F(EngineTest, RuntimeErrorsAreNeitherRetriedNorCaught) {
    int calls = 0;
    tasks_.add("poll", [&](const json&, TaskContext&) -> json {
        ++calls;
        return json{{"a", 1}};
    });
    json d = task_machine(json::parse(R"([{"ErrorEquals":["States.ALL"]}])"),
                          json::parse(R"([{"ErrorEquals":["States.ALL"],"Next":"Recover"}])"));
    d["States"]["T"]["OutputPath"] = "$.missing";
    make_engine(d);
    auto e = run("ex", json::object());
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(e.status, ExecutionStatus::failed);
    EXPECT_EQ(e.error, "States.Runtime");
}

TEST_F(EngineTest, AParameterPathFailureIsCaughtButNotRetried) {
    int calls = 0;
    tasks_.add("poll", [&](const json&, TaskContext&) -> json {
        ++calls;
        return json{};
    });
    json d = task_machine(json::parse(R"([{"ErrorEquals":["States.ALL"]}])"),
                          json::parse(R"([{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"Recover"}])"));
    d["States"]["T"]["Parameters"] = json{{"x.$", "$.absent"}};
    make_engine(d);
    auto e = run("ex", json::object());
    EXPECT_EQ(calls, 0);
    EXPECT_EQ(e.status, ExecutionStatus::succeeded);
    EXPECT_EQ(e.output["err"]["Error"], "States.ParameterPathFailure");
}

TEST_F(EngineTest, AHandlerSuggestedDelayIsHonouredWithinTheCap) {
    int calls = 0;
    tasks_.add("poll", [&](const json&, TaskContext&) -> json {
        ++calls;
        if (calls == 1) {
            throw Error(ErrorCode::not_ready, "copy at 40%", "", {{"retry_after_seconds", "7"}});
        }
        if (calls == 2) {
            throw TaskError("Aurora.NotReady", "copy at 90%", ms{90'000});
        }
        return json{};
    });
    make_engine(task_machine(json::parse(R"([{"ErrorEquals":["Aurora.NotReady"],"IntervalSeconds":1,
        "MaxDelaySeconds":30,"MaxAttempts":10}])")));
    auto e = run("ex", json::object());
    EXPECT_EQ(e.status, ExecutionStatus::succeeded);
    EXPECT_EQ(clock_.sleeps(), (std::vector<ms>{7s, 30s}));
}

TEST(RetryDelay, FullJitterIsDeterministicAndBounded) {
    Retrier r;
    r.interval_seconds = 4;
    r.backoff_rate = 2;
    r.full_jitter = true;
    std::set<std::int64_t> distinct;
    for (std::uint64_t key = 0; key < 50; ++key) {
        const auto d = detail::retry_delay(r, 2, key);
        EXPECT_GE(d.count(), 0);
        EXPECT_LE(d.count(), 16000);
        EXPECT_EQ(d, detail::retry_delay(r, 2, key)) << "the same key draws the same delay (resume-safe)";
        distinct.insert(d.count());
    }
    EXPECT_GT(distinct.size(), 40U);
    r.full_jitter = false;
    EXPECT_EQ(detail::retry_delay(r, 2, 1), ms{16000});
    r.max_delay_seconds = 5;
    EXPECT_EQ(detail::retry_delay(r, 2, 1), ms{5000});
}

TEST_F(EngineTest, FullJitterRetriesWaitAtMostTheComputedDelay) {
    int calls = 0;
    tasks_.add("poll", [&](const json&, TaskContext&) -> json {
        if (++calls < 4) {
            throw Error(ErrorCode::throttled, "slow down");
        }
        return json{};
    });
    make_engine(task_machine(json::parse(R"([{"ErrorEquals":["Aurora.Throttled"],"IntervalSeconds":2,
        "BackoffRate":2,"JitterStrategy":"FULL"}])")));
    ASSERT_EQ(run("ex", json::object()).status, ExecutionStatus::succeeded);
    const auto failed = events_of("ex", "TaskFailed");
    ASSERT_EQ(failed.size(), 3U);
    for (std::size_t i = 0; i < failed.size(); ++i) {
        EXPECT_LE(failed[i].details["retry"]["delay_ms"].get<std::int64_t>(), 2000 << i);
    }
}

TEST_F(EngineTest, TaskTimeoutSecondsIsJudgedWhenTheHandlerReturns) {
    tasks_.add("poll", [&](const json&, TaskContext& ctx) -> json {
        dynamic_cast<FakeClock&>(ctx.clock).advance(10s);
        return json{};
    });
    json d = task_machine(json::array(), json::parse(R"([{"ErrorEquals":["States.Timeout"],"ResultPath":"$.t","Next":"Recover"}])"));
    d["States"]["T"]["TimeoutSeconds"] = 5;
    make_engine(d);
    auto e = run("ex", json::object());
    EXPECT_EQ(e.output["t"]["Error"], "States.Timeout");
}

TEST_F(EngineTest, ExecutionTimeoutSecondsEndsALongExecution) {
    make_engine(json::parse(R"({"TimeoutSeconds":60,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":120,"End":true}}})"));
    auto e = run("ex", json::object());
    EXPECT_EQ(e.status, ExecutionStatus::failed);
    EXPECT_EQ(e.error, "States.Timeout");
    EXPECT_EQ(event_types("ex").back(), "ExecutionTimedOut");
    EXPECT_EQ(clock_.sleeps(), (std::vector<ms>{60s})) << "the timer is cut at the deadline";
}

} // namespace
} // namespace aurora::engine::testing
