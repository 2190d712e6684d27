#pragma once
//! Time as a dependency (style.md #6, #9): everything that reads the time or sleeps takes a Clock, so tests
//! run on a FakeClock that never sleeps.

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

namespace aurora {

class Clock {
public:
    using WallTime = std::chrono::system_clock::time_point;
    using MonoTime = std::chrono::steady_clock::time_point;

    virtual ~Clock() = default;
    //! Wall-clock time (signing dates, audit timestamps, expiry checks).
    virtual WallTime now() const = 0;
    //! Monotonic time (deadlines, elapsed durations, rate limiters).
    virtual MonoTime steady_now() const = 0;
    //! Blocks the caller for `d` (a FakeClock advances instead).
    virtual void sleep_for(std::chrono::milliseconds d) = 0;
};

//! The real clocks.
class SystemClock final : public Clock {
public:
    WallTime now() const override { return std::chrono::system_clock::now(); }
    MonoTime steady_now() const override { return std::chrono::steady_clock::now(); }
    void sleep_for(std::chrono::milliseconds d) override;
    //! A process-wide instance for composition roots.
    static SystemClock& instance();
};

//! A clock for tests: starts at a fixed instant, moves only by advance() or sleep_for(), records sleeps.
class FakeClock final : public Clock {
public:
    explicit FakeClock(WallTime start = WallTime{std::chrono::seconds{1'700'000'000}});
    WallTime now() const override;
    MonoTime steady_now() const override;
    void sleep_for(std::chrono::milliseconds d) override;
    void advance(std::chrono::milliseconds d);
    //! Every sleep_for() duration, in order.
    std::vector<std::chrono::milliseconds> sleeps() const;

private:
    mutable std::mutex mutex_;
    WallTime wall_;
    MonoTime mono_{};
    std::vector<std::chrono::milliseconds> sleeps_;
};

//! "20150830T123600Z" (ISO 8601 basic, UTC), as SigV4 uses.
std::string format_amz_date(Clock::WallTime t);
//! "2015-08-30T12:36:00Z" (ISO 8601 extended, UTC, whole seconds), as RDS and audit records use.
std::string format_iso8601(Clock::WallTime t);
//! Parses ISO 8601 UTC timestamps as AWS returns them ("2015-08-30T12:36:00Z", "…:00.123Z",
//! "…+00:00") and the basic form; throws aurora::Error(invalid_parameter) on anything else.
Clock::WallTime parse_iso8601(const std::string& text);

} // namespace aurora
