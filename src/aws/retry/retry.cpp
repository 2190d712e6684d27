#include "aws/retry/retry.hpp"

#include "aws/aws_error.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <ctime>
#include <mutex>
#include <random>

namespace aurora::aws {
namespace {

struct GlobalCounters {
    std::mutex mutex;
    RetryCounters counters;
};

GlobalCounters& global_counters() {
    static GlobalCounters g;
    return g;
}

void count(const std::function<void(RetryCounters&)>& f) {
    auto& g = global_counters();
    std::lock_guard lock(g.mutex);
    f(g.counters);
}

std::string format_seconds(std::chrono::milliseconds d) {
    // Tenths of a second, rounded half up in integers (no binary floating point surprises).
    const auto tenths = (d.count() + 50) / 100;
    return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + "s";
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) {
        return {};
    }
    const auto e = s.find_last_not_of(" \t");
    return s.substr(b, e - b + 1);
}

} // namespace

RandomSource default_random_source() {
    return [] {
        thread_local std::mt19937_64 engine{std::random_device{}()};
        return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
    };
}

bool is_retryable(AttemptFailure::Kind kind) noexcept { return kind != AttemptFailure::Kind::not_retryable; }

AttemptFailure classify_http_failure(int status, const std::string& aws_code, std::string description,
                                     std::optional<std::chrono::milliseconds> retry_after) {
    AttemptFailure f;
    f.description = std::move(description);
    f.retry_after = retry_after;
    if (is_throttling_code(aws_code) || status == 429) {
        f.kind = AttemptFailure::Kind::throttled;
    } else if (status >= 500 && status <= 599) {
        f.kind = AttemptFailure::Kind::server;
    } else if (status == 408 || aws_code == "RequestTimeout" || aws_code == "RequestTimeoutException") {
        // Why: botocore's standard retry mode treats these as transient (TRANSIENT_ERROR_CODES).
        f.kind = AttemptFailure::Kind::timeout_status;
    } else {
        f.kind = AttemptFailure::Kind::not_retryable;
    }
    return f;
}

std::optional<std::chrono::milliseconds> parse_retry_after(const std::string& raw, Clock::WallTime now) {
    const std::string value = trim(raw);
    if (value.empty()) {
        return std::nullopt;
    }
    if (std::all_of(value.begin(), value.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
        if (value.size() > 9) {
            return std::nullopt;
        }
        return std::chrono::seconds{std::stoll(value)};
    }
    const auto when = parse_http_date(value);
    if (!when) {
        return std::nullopt;
    }
    if (*when <= now) {
        return std::chrono::milliseconds{0};
    }
    return std::chrono::duration_cast<std::chrono::milliseconds>(*when - now);
}

std::optional<Clock::WallTime> parse_http_date(const std::string& raw) {
    // RFC 9110 §5.6.7 IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
    const std::string value = trim(raw);
    std::tm tm{};
    const char* end = strptime(value.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    if (end == nullptr || *end != '\0') {
        return std::nullopt;
    }
    return std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::optional<std::chrono::milliseconds> retry_after_of(const Headers& headers, Clock::WallTime now) {
    const auto v = headers.get("Retry-After");
    return v ? parse_retry_after(*v, now) : std::nullopt;
}

std::chrono::milliseconds backoff_ceiling(const RetryPolicy& policy, int attempt, bool throttled) {
    const auto base = throttled ? policy.throttle_base_delay : policy.base_delay;
    const int exponent = std::clamp(attempt - 1, 0, 30);
    const double ceiling = static_cast<double>(base.count()) * std::ldexp(1.0, exponent);
    const double cap = static_cast<double>(policy.max_delay.count());
    return std::chrono::milliseconds{static_cast<std::int64_t>(std::min(ceiling, cap))};
}

std::string RetryOutcome::summary() const {
    if (attempts <= 1 && stop != RetryStop::deadline_exceeded) {
        return {};
    }
    std::string out = stop == RetryStop::deadline_exceeded ? "deadline exceeded after " : "after ";
    out += std::to_string(attempts) + (attempts == 1 ? " attempt" : " attempts") + " over " + format_seconds(elapsed);
    for (std::size_t i = 0; i < failures.size(); ++i) {
        out += (i == 0 ? ": " : "; ");
        out += "attempt " + std::to_string(i + 1) + ": " + failures[i].description;
    }
    return out;
}

Retrier::Retrier(RetryPolicy policy, Clock& clock, RandomSource random)
    : policy_(policy), clock_(clock), random_(random ? std::move(random) : default_random_source()) {}

RetryOutcome Retrier::run(const Attempt& attempt) {
    RetryOutcome out;
    const Clock::MonoTime start = clock_.steady_now();
    const bool has_deadline = policy_.deadline.count() > 0;
    const Clock::MonoTime deadline = start + policy_.deadline;
    const int max_attempts = std::max(1, policy_.max_attempts);
    for (int n = 1;; ++n) {
        out.attempts = n;
        count([](RetryCounters& c) { ++c.attempts; });
        std::optional<AttemptFailure> failure = attempt(n);
        if (!failure) {
            out.stop = RetryStop::succeeded;
            break;
        }
        const bool throttled = failure->kind == AttemptFailure::Kind::throttled;
        if (throttled) {
            count([](RetryCounters& c) { ++c.throttled; });
        }
        const auto retry_after = failure->retry_after;
        const bool retryable = is_retryable(failure->kind);
        out.failures.push_back(std::move(*failure));
        if (!retryable) {
            out.stop = RetryStop::not_retryable;
            break;
        }
        if (n >= max_attempts) {
            out.stop = RetryStop::attempts_exhausted;
            break;
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_.steady_now());
        if (has_deadline && left.count() <= 0) {
            out.stop = RetryStop::deadline_exceeded;
            break;
        }
        std::chrono::milliseconds sleep{0};
        if (retry_after) {
            // The server named the earliest useful time; coming back sooner wastes an attempt, and waiting
            // past the deadline breaks the caller's budget, so give up now instead.
            if (has_deadline && *retry_after > left) {
                out.stop = RetryStop::deadline_exceeded;
                break;
            }
            sleep = *retry_after;
        } else {
            const auto ceiling = backoff_ceiling(policy_, n, throttled);
            const double r = std::clamp(random_(), 0.0, 1.0);
            sleep = std::chrono::milliseconds{static_cast<std::int64_t>(std::floor(r * static_cast<double>(ceiling.count())))};
            sleep = std::min(sleep, ceiling);
            if (has_deadline) {
                sleep = std::min(sleep, left);
            }
        }
        clock_.sleep_for(sleep);
        out.sleeps.push_back(sleep);
        count([](RetryCounters& c) { ++c.retries; });
    }
    out.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.steady_now() - start);
    if (!out.succeeded()) {
        count([](RetryCounters& c) { ++c.gave_up; });
    }
    return out;
}

RetryCounters retry_counters() {
    auto& g = global_counters();
    std::lock_guard lock(g.mutex);
    return g.counters;
}

void reset_retry_counters_for_testing() {
    auto& g = global_counters();
    std::lock_guard lock(g.mutex);
    g.counters = RetryCounters{};
}

} // namespace aurora::aws
