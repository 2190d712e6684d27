#include "aws/retry/retry.hpp"

#include "common/error.hpp"

#include <gtest/gtest.h>

#include <random>

namespace aurora::aws {
namespace {

using std::chrono::milliseconds;
using Kind = AttemptFailure::Kind;

AttemptFailure failure(Kind kind, std::string what = "boom", std::optional<milliseconds> retry_after = std::nullopt) {
    return AttemptFailure{kind, std::move(what), retry_after};
}

RandomSource constant(double v) {
    return [v] { return v; };
}

RetryPolicy no_deadline(int attempts) {
    RetryPolicy p;
    p.max_attempts = attempts;
    p.deadline = milliseconds{0};
    return p;
}

TEST(BackoffCeiling, DoublesFromTheBaseUpToTheCap) {
    RetryPolicy p;
    p.base_delay = milliseconds{100};
    p.throttle_base_delay = milliseconds{500};
    p.max_delay = milliseconds{20000};
    const std::vector<std::int64_t> want = {100, 200, 400, 800, 1600, 3200, 6400, 12800, 20000, 20000};
    for (int n = 1; n <= 10; ++n) {
        EXPECT_EQ(backoff_ceiling(p, n, false).count(), want[static_cast<std::size_t>(n - 1)]) << n;
    }
    EXPECT_EQ(backoff_ceiling(p, 1, true), milliseconds{500});
    EXPECT_EQ(backoff_ceiling(p, 3, true), milliseconds{2000});
    EXPECT_EQ(backoff_ceiling(p, 7, true), milliseconds{20000});
    EXPECT_EQ(backoff_ceiling(p, 1000, true), milliseconds{20000}); // no overflow far out
}

TEST(Retrier, EverySleepIsWithinItsFullJitterBounds) {
    FakeClock clock;
    std::mt19937_64 engine(7);
    const RetryPolicy p = no_deadline(12);
    Retrier r(p, clock, [&] { return std::uniform_real_distribution<double>(0, 1)(engine); });
    const RetryOutcome out = r.run([](int) { return failure(Kind::server); });
    EXPECT_EQ(out.stop, RetryStop::attempts_exhausted);
    EXPECT_EQ(out.attempts, 12);
    ASSERT_EQ(out.sleeps.size(), 11U);
    EXPECT_EQ(clock.sleeps(), out.sleeps);
    for (std::size_t i = 0; i < out.sleeps.size(); ++i) {
        EXPECT_GE(out.sleeps[i].count(), 0);
        EXPECT_LE(out.sleeps[i], backoff_ceiling(p, static_cast<int>(i) + 1, false)) << "sleep " << i;
    }
}

TEST(Retrier, FullJitterScalesTheCeilingByTheRandomDraw) {
    FakeClock clock;
    Retrier half(no_deadline(5), clock, constant(0.5));
    EXPECT_EQ(half.run([](int) { return failure(Kind::server); }).sleeps,
              (std::vector<milliseconds>{milliseconds{50}, milliseconds{100}, milliseconds{200}, milliseconds{400}}));
    Retrier zero(no_deadline(3), clock, constant(0.0));
    EXPECT_EQ(zero.run([](int) { return failure(Kind::transport); }).sleeps,
              (std::vector<milliseconds>{milliseconds{0}, milliseconds{0}}));
    Retrier top(no_deadline(3), clock, constant(0.99999));
    EXPECT_EQ(top.run([](int) { return failure(Kind::timeout_status); }).sleeps,
              (std::vector<milliseconds>{milliseconds{99}, milliseconds{199}}));
}

TEST(Retrier, ThrottlingUsesItsOwnBaseAndTheCapHolds) {
    FakeClock clock;
    RetryPolicy p = no_deadline(8);
    p.max_delay = milliseconds{5000};
    Retrier r(p, clock, constant(0.5));
    const auto out = r.run([](int) { return failure(Kind::throttled); });
    EXPECT_EQ(out.sleeps, (std::vector<milliseconds>{milliseconds{250}, milliseconds{500}, milliseconds{1000},
                                                      milliseconds{2000}, milliseconds{2500}, milliseconds{2500},
                                                      milliseconds{2500}}));
}

TEST(Retrier, JitterIsUniformOverTheCeiling) {
    // Seeded: the same 4000 draws on every run. Full jitter means the first sleep is uniform on [0, 100).
    std::mt19937_64 engine(2024);
    RandomSource rnd = [&] { return std::uniform_real_distribution<double>(0, 1)(engine); };
    std::vector<int> buckets(10, 0);
    double sum = 0;
    constexpr int kRuns = 4000;
    for (int i = 0; i < kRuns; ++i) {
        FakeClock clock;
        Retrier r(no_deadline(2), clock, rnd);
        const auto out = r.run([](int) { return failure(Kind::server); });
        const auto ms = out.sleeps.at(0).count();
        ASSERT_GE(ms, 0);
        ASSERT_LT(ms, 100);
        ++buckets[static_cast<std::size_t>(ms / 10)];
        sum += static_cast<double>(ms);
    }
    for (const int b : buckets) {
        EXPECT_GT(b, kRuns / 10 * 8 / 10); // each decile within ±20% of its share
        EXPECT_LT(b, kRuns / 10 * 12 / 10);
    }
    EXPECT_NEAR(sum / kRuns, 49.5, 2.0);
}

TEST(Retrier, AttemptCapStopsTheLoop) {
    FakeClock clock;
    int calls = 0;
    Retrier r(no_deadline(3), clock, constant(0.5));
    const auto out = r.run([&](int n) {
        EXPECT_EQ(n, ++calls);
        return failure(Kind::server);
    });
    EXPECT_EQ(calls, 3);
    EXPECT_EQ(out.stop, RetryStop::attempts_exhausted);
    EXPECT_EQ(out.failures.size(), 3U);
}

TEST(Retrier, SucceedsAfterFailures) {
    FakeClock clock;
    Retrier r(no_deadline(5), clock, constant(0.5));
    const auto out = r.run([](int n) -> std::optional<AttemptFailure> {
        if (n < 3) {
            return failure(Kind::throttled);
        }
        return std::nullopt;
    });
    EXPECT_TRUE(out.succeeded());
    EXPECT_EQ(out.attempts, 3);
    EXPECT_EQ(out.failures.size(), 2U);
    EXPECT_EQ(out.elapsed, milliseconds{750});
}

TEST(Retrier, NonRetryableStopsAtOnce) {
    FakeClock clock;
    Retrier r(no_deadline(5), clock, constant(0.5));
    const auto out = r.run([](int) { return failure(Kind::not_retryable, "validation"); });
    EXPECT_EQ(out.stop, RetryStop::not_retryable);
    EXPECT_EQ(out.attempts, 1);
    EXPECT_TRUE(clock.sleeps().empty());
    EXPECT_EQ(out.summary(), "");
}

TEST(Retrier, DeadlineIsNeverOverslept) {
    FakeClock clock;
    RetryPolicy p;
    p.max_attempts = 1000;
    p.deadline = milliseconds{10000};
    Retrier r(p, clock, constant(0.9));
    const auto out = r.run([&](int) {
        clock.advance(milliseconds{300}); // each attempt itself takes time
        return failure(Kind::server);
    });
    EXPECT_EQ(out.stop, RetryStop::deadline_exceeded);
    EXPECT_LE(out.elapsed, milliseconds{10000 + 300});
    milliseconds slept{0};
    for (const auto s : out.sleeps) {
        slept += s;
    }
    EXPECT_LE(slept + milliseconds{300} * out.attempts, milliseconds{10000 + 300});
    EXPECT_TRUE(out.summary().starts_with("deadline exceeded after " + std::to_string(out.attempts) + " attempts"))
        << out.summary();
}

TEST(Retrier, RetryAfterReplacesTheJitteredSleep) {
    FakeClock clock;
    Retrier r(no_deadline(3), clock, constant(0.5));
    const auto out = r.run([](int n) -> std::optional<AttemptFailure> {
        if (n == 1) {
            return failure(Kind::throttled, "slow down", milliseconds{7000});
        }
        return std::nullopt;
    });
    EXPECT_TRUE(out.succeeded());
    EXPECT_EQ(clock.sleeps(), std::vector<milliseconds>{milliseconds{7000}});
}

TEST(Retrier, RetryAfterPastTheDeadlineGivesUpWithoutSleeping) {
    FakeClock clock;
    RetryPolicy p;
    p.deadline = milliseconds{5000};
    Retrier r(p, clock, constant(0.5));
    const auto out = r.run([](int) { return failure(Kind::throttled, "slow down", milliseconds{60000}); });
    EXPECT_EQ(out.stop, RetryStop::deadline_exceeded);
    EXPECT_EQ(out.attempts, 1);
    EXPECT_TRUE(clock.sleeps().empty());
}

TEST(Retrier, SummaryFoldsEveryAttempt) {
    FakeClock clock;
    Retrier r(no_deadline(3), clock, constant(0.5));
    const auto out = r.run([](int n) { return failure(Kind::server, "http 503 e" + std::to_string(n)); });
    EXPECT_EQ(out.summary(), "after 3 attempts over 0.2s: attempt 1: http 503 e1; attempt 2: http 503 e2; attempt 3: "
                             "http 503 e3");
}

TEST(Retrier, ExceptionsFromTheAttemptPropagate) {
    FakeClock clock;
    Retrier r(no_deadline(3), clock, constant(0.5));
    EXPECT_THROW(r.run([](int) -> std::optional<AttemptFailure> {
        throw Error(ErrorCode::credentials, "no credentials");
    }),
                 Error);
}

TEST(Retrier, CountersTrackAttemptsRetriesThrottlesAndGiveUps) {
    reset_retry_counters_for_testing();
    FakeClock clock;
    Retrier r(no_deadline(3), clock, constant(0.5));
    (void)r.run([](int) { return failure(Kind::throttled); });
    (void)r.run([](int n) -> std::optional<AttemptFailure> {
        return n == 1 ? std::optional(failure(Kind::server)) : std::nullopt;
    });
    const RetryCounters c = retry_counters();
    EXPECT_EQ(c.attempts, 5U);
    EXPECT_EQ(c.retries, 3U);
    EXPECT_EQ(c.throttled, 3U);
    EXPECT_EQ(c.gave_up, 1U);
}

struct ClassifyCase {
    int status;
    const char* code;
    Kind kind;
};

TEST(ClassifyHttpFailure, RetriesThrottlingServerAndTimeoutsOnly) {
    const std::vector<ClassifyCase> cases = {
        {400, "Throttling", Kind::throttled},
        {400, "ThrottlingException", Kind::throttled},
        {400, "RequestLimitExceeded", Kind::throttled},
        {400, "TooManyRequestsException", Kind::throttled},
        {400, "ProvisionedThroughputExceededException", Kind::throttled},
        {503, "SlowDown", Kind::throttled},
        {429, "", Kind::throttled},
        {429, "Whatever", Kind::throttled},
        {500, "InternalFailure", Kind::server},
        {502, "Http502", Kind::server},
        {503, "ServiceUnavailable", Kind::server},
        {504, "", Kind::server},
        {408, "", Kind::timeout_status},
        {400, "RequestTimeout", Kind::timeout_status},
        {400, "ValidationError", Kind::not_retryable},
        {400, "InvalidParameterValue", Kind::not_retryable},
        {400, "InvalidDBClusterStateFault", Kind::not_retryable},
        {403, "AccessDenied", Kind::not_retryable},
        {403, "SignatureDoesNotMatch", Kind::not_retryable},
        {404, "DBClusterNotFoundFault", Kind::not_retryable},
        {409, "ConflictException", Kind::not_retryable},
        {400, "ConditionalCheckFailedException", Kind::not_retryable},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(classify_http_failure(c.status, c.code, "d").kind, c.kind) << c.status << " " << c.code;
    }
    EXPECT_TRUE(is_retryable(Kind::transport));
    EXPECT_TRUE(is_retryable(Kind::throttled));
    EXPECT_FALSE(is_retryable(Kind::not_retryable));
}

TEST(ParseRetryAfter, SecondsAndHttpDates) {
    const Clock::WallTime now = parse_iso8601("2015-10-21T07:28:00Z");
    EXPECT_EQ(parse_retry_after("120", now), milliseconds{120000});
    EXPECT_EQ(parse_retry_after(" 3 ", now), milliseconds{3000});
    EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now), milliseconds{30000});
    EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now), milliseconds{0});
    EXPECT_EQ(parse_retry_after("soon", now), std::nullopt);
    EXPECT_EQ(parse_retry_after("-5", now), std::nullopt);
    EXPECT_EQ(parse_retry_after("", now), std::nullopt);
    EXPECT_EQ(parse_retry_after("99999999999999", now), std::nullopt);
    Headers h;
    h.add("retry-after", "4");
    EXPECT_EQ(retry_after_of(h, now), milliseconds{4000});
    EXPECT_EQ(retry_after_of(Headers{}, now), std::nullopt);
}

} // namespace
} // namespace aurora::aws
