#include "common/clock.hpp"

#include "common/error.hpp"

#include <cstdio>
#include <ctime>
#include <thread>

namespace aurora {

void SystemClock::sleep_for(std::chrono::milliseconds d) { std::this_thread::sleep_for(d); }

SystemClock& SystemClock::instance() {
    static SystemClock clock;
    return clock;
}

FakeClock::FakeClock(WallTime start) : wall_(start) {}

Clock::WallTime FakeClock::now() const {
    std::lock_guard lock(mutex_);
    return wall_;
}

Clock::MonoTime FakeClock::steady_now() const {
    std::lock_guard lock(mutex_);
    return mono_;
}

void FakeClock::sleep_for(std::chrono::milliseconds d) {
    std::lock_guard lock(mutex_);
    sleeps_.push_back(d);
    wall_ += d;
    mono_ += d;
}

void FakeClock::advance(std::chrono::milliseconds d) {
    std::lock_guard lock(mutex_);
    wall_ += d;
    mono_ += d;
}

std::vector<std::chrono::milliseconds> FakeClock::sleeps() const {
    std::lock_guard lock(mutex_);
    return sleeps_;
}

namespace {

std::tm to_utc_tm(Clock::WallTime t) {
    const std::time_t secs = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    return tm;
}

std::string format_tm(Clock::WallTime t, const char* fmt) {
    const std::tm tm = to_utc_tm(t);
    char buf[32];
    const std::size_t n = std::strftime(buf, sizeof buf, fmt, &tm);
    return std::string(buf, n);
}

} // namespace

std::string format_amz_date(Clock::WallTime t) { return format_tm(t, "%Y%m%dT%H%M%SZ"); }

std::string format_iso8601(Clock::WallTime t) { return format_tm(t, "%Y-%m-%dT%H:%M:%SZ"); }

Clock::WallTime parse_iso8601(const std::string& text) {
    int year = 0, mon = 0, day = 0, hour = 0, min = 0, sec = 0, consumed = 0;
    const char* s = text.c_str();
    if (std::sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &year, &mon, &day, &hour, &min, &sec, &consumed) != 6 &&
        std::sscanf(s, "%4d%2d%2dT%2d%2d%2d%n", &year, &mon, &day, &hour, &min, &sec, &consumed) != 6) {
        throw Error(ErrorCode::invalid_parameter, "invalid timestamp '" + text + "'",
                    "use ISO 8601 in UTC, e.g. 2024-01-31T02:00:00Z");
    }
    std::string rest = text.substr(static_cast<std::size_t>(consumed));
    if (!rest.empty() && rest[0] == '.') {
        const auto end = rest.find_first_not_of("0123456789", 1);
        rest = end == std::string::npos ? std::string{} : rest.substr(end);
    }
    if (!(rest == "Z" || rest == "+00:00" || rest == "+0000" || rest.empty())) {
        throw Error(ErrorCode::invalid_parameter, "invalid timestamp '" + text + "': only UTC is accepted");
    }
    using namespace std::chrono;
    const year_month_day ymd{std::chrono::year{year}, month{static_cast<unsigned>(mon)},
                             std::chrono::day{static_cast<unsigned>(day)}};
    // system_clock counts nanoseconds in a 64-bit integer: only 1678–2261 fit (larger years would overflow).
    if (!ymd.ok() || year < 1678 || year > 2261 || hour > 23 || min > 59 || sec > 60) {
        throw Error(ErrorCode::invalid_parameter, "invalid timestamp '" + text + "'");
    }
    return sys_days{ymd} + hours{hour} + minutes{min} + seconds{sec};
}

} // namespace aurora
