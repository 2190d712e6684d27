#include "common/clock.hpp"
#include "common/error.hpp"

#include <gtest/gtest.h>

namespace aurora {
namespace {

using namespace std::chrono_literals;

TEST(FakeClock, SleepAdvancesAndIsRecorded) {
    FakeClock clock;
    const auto t0 = clock.now();
    const auto m0 = clock.steady_now();
    clock.sleep_for(250ms);
    clock.advance(1s);
    EXPECT_EQ(clock.now() - t0, 1250ms);
    EXPECT_EQ(clock.steady_now() - m0, 1250ms);
    ASSERT_EQ(clock.sleeps().size(), 1U);
    EXPECT_EQ(clock.sleeps()[0], 250ms);
}

TEST(Iso8601, FormatsAndParsesRoundTrip) {
    const auto t = parse_iso8601("2015-08-30T12:36:00Z");
    EXPECT_EQ(format_iso8601(t), "2015-08-30T12:36:00Z");
    EXPECT_EQ(format_amz_date(t), "20150830T123600Z");
    EXPECT_EQ(parse_iso8601("2015-08-30T12:36:00.123Z"), t);
    EXPECT_EQ(parse_iso8601("2015-08-30T12:36:00+00:00"), t);
    EXPECT_EQ(parse_iso8601("20150830T123600Z"), t);
}

TEST(Iso8601, RejectsGarbageAndOtherZones) {
    EXPECT_THROW(parse_iso8601("yesterday"), Error);
    EXPECT_THROW(parse_iso8601("2015-13-30T12:36:00Z"), Error);
    EXPECT_THROW(parse_iso8601("2015-08-30T12:36:00+02:00"), Error);
    EXPECT_THROW(parse_iso8601("9999-01-01T00:00:00Z"), Error) << "would overflow system_clock";
    EXPECT_THROW(parse_iso8601("1000-01-01T00:00:00Z"), Error);
}

} // namespace
} // namespace aurora
