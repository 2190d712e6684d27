#include "aws/retry/rate_limiter.hpp"

#include "common/error.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace aurora::aws {
namespace {

using std::chrono::milliseconds;

TEST(RateLimiter, BurstIsAvailableAtOnce) {
    FakeClock clock;
    RateLimiter limiter(RateLimit{300, 12}, clock);
    for (int i = 0; i < 300; ++i) {
        ASSERT_EQ(limiter.acquire(), milliseconds{0}) << i;
    }
    EXPECT_TRUE(clock.sleeps().empty());
    EXPECT_FALSE(limiter.try_acquire());
}

TEST(RateLimiter, RefillsAtTheConfiguredRate) {
    FakeClock clock;
    RateLimiter limiter(RateLimit{300, 12}, clock);
    for (int i = 0; i < 300; ++i) {
        (void)limiter.acquire();
    }
    // The next 12 requests need one second of refill (each wait rounded up to a whole millisecond).
    milliseconds total{0};
    for (int i = 0; i < 12; ++i) {
        const auto slept = limiter.acquire();
        EXPECT_GE(slept, milliseconds{83});
        EXPECT_LE(slept, milliseconds{84});
        total += slept;
    }
    EXPECT_GE(total, milliseconds{1000});
    EXPECT_LE(total, milliseconds{1000 + 12});
    EXPECT_EQ(clock.sleeps().size(), 12U);
}

TEST(RateLimiter, RefillNeverExceedsTheBurst) {
    FakeClock clock;
    RateLimiter limiter(RateLimit{5, 1}, clock);
    for (int i = 0; i < 5; ++i) {
        ASSERT_TRUE(limiter.try_acquire());
    }
    EXPECT_DOUBLE_EQ(limiter.available(), 0.0);
    clock.advance(milliseconds{2500});
    EXPECT_DOUBLE_EQ(limiter.available(), 2.5);
    clock.advance(std::chrono::hours{1});
    EXPECT_DOUBLE_EQ(limiter.available(), 5.0);
    for (int i = 0; i < 5; ++i) {
        ASSERT_TRUE(limiter.try_acquire());
    }
    EXPECT_FALSE(limiter.try_acquire());
}

TEST(RateLimiter, WaitsOnlyForTheMissingFraction) {
    FakeClock clock;
    RateLimiter limiter(RateLimit{1, 2}, clock);
    ASSERT_TRUE(limiter.try_acquire());
    clock.advance(milliseconds{300}); // 0.6 token back
    EXPECT_EQ(limiter.acquire(), milliseconds{200});
}

TEST(RateLimiter, ManyThreadsNeverExceedTheRate) {
    FakeClock clock;
    RateLimiter limiter(RateLimit{10, 5}, clock);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 10; ++i) {
                (void)limiter.acquire();
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    // 40 requests: 10 from the burst, 30 refilled at 5/s -> at least 6 s of (fake) time.
    milliseconds total{0};
    for (const auto s : clock.sleeps()) {
        total += s;
    }
    EXPECT_GE(total, milliseconds{6000});
    EXPECT_LE(total, milliseconds{6000 + 30});
}

TEST(RateLimiter, RejectsNonsenseLimits) {
    FakeClock clock;
    EXPECT_THROW(RateLimiter(RateLimit{0, 1}, clock), Error);
    EXPECT_THROW(RateLimiter(RateLimit{5, 0}, clock), Error);
}

TEST(RateLimiterRegistry, SharesOneLimiterPerAccountRegionService) {
    FakeClock clock;
    RateLimiterRegistry registry(clock);
    const auto a = registry.get("123456789012", "us-east-1", "rds", RateLimit{300, 12});
    const auto b = registry.get("123456789012", "us-east-1", "rds", RateLimit{1, 1});
    const auto c = registry.get("123456789012", "us-west-2", "rds", RateLimit{300, 12});
    const auto d = registry.get("210987654321", "us-east-1", "rds", RateLimit{300, 12});
    EXPECT_EQ(a, b);
    EXPECT_EQ(b->limit().burst, 300);
    EXPECT_NE(a, c);
    EXPECT_NE(a, d);
}

} // namespace
} // namespace aurora::aws
