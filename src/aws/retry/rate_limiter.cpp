#include "aws/retry/rate_limiter.hpp"

#include "common/error.hpp"

#include <algorithm>
#include <cmath>

namespace aurora::aws {

RateLimiter::RateLimiter(RateLimit limit, Clock& clock)
    : limit_(limit), clock_(clock), tokens_(limit.burst), last_(clock.steady_now()) {
    if (!(limit.burst >= 1.0) || !(limit.refill_per_second > 0.0)) {
        throw Error(ErrorCode::invalid_parameter, "invalid rate limit: burst must be >= 1 and refill > 0");
    }
}

void RateLimiter::refill_locked() {
    const Clock::MonoTime now = clock_.steady_now();
    if (now <= last_) {
        return;
    }
    const double secs = std::chrono::duration<double>(now - last_).count();
    tokens_ = std::min(limit_.burst, tokens_ + secs * limit_.refill_per_second);
    last_ = now;
}

std::chrono::milliseconds RateLimiter::acquire() {
    std::lock_guard lock(mutex_);
    std::chrono::milliseconds slept{0};
    refill_locked();
    while (tokens_ < 1.0) {
        // Sleep exactly until the missing fraction of a token has refilled (rounded up to a millisecond).
        const double missing_ms = (1.0 - tokens_) / limit_.refill_per_second * 1000.0;
        const std::chrono::milliseconds wait{std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(missing_ms)))};
        clock_.sleep_for(wait);
        slept += wait;
        refill_locked();
    }
    tokens_ -= 1.0;
    return slept;
}

bool RateLimiter::try_acquire() {
    std::lock_guard lock(mutex_);
    refill_locked();
    if (tokens_ < 1.0) {
        return false;
    }
    tokens_ -= 1.0;
    return true;
}

double RateLimiter::available() {
    std::lock_guard lock(mutex_);
    refill_locked();
    return tokens_;
}

std::shared_ptr<RateLimiter> RateLimiterRegistry::get(const std::string& account, const std::string& region,
                                                      const std::string& service, RateLimit limit) {
    std::lock_guard lock(mutex_);
    auto& slot = limiters_[account + "/" + region + "/" + service];
    if (!slot) {
        slot = std::make_shared<RateLimiter>(limit, clock_);
    }
    return slot;
}

} // namespace aurora::aws
