#pragma once
//! A client-side token bucket, so the pipeline stays under a service's API rate limit instead of living on
//! throttling errors. RDS, for example, allows a burst of 300 requests and refills 12 per second per
//! account and region, shared with everything else the account runs
//! (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/CHAP_Throttling.html), so a limiter is shared
//! by every client of the same account + region + service (see RateLimiterRegistry).

#include "common/clock.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace aurora::aws {

struct RateLimit {
    double burst = 300.0;          //!< bucket capacity (and the initial fill)
    double refill_per_second = 12; //!< tokens added per second
};

class RateLimiter {
public:
    //! Starts full. `clock` must outlive the limiter. Throws Error(invalid_parameter) for a non-positive
    //! burst or rate.
    RateLimiter(RateLimit limit, Clock& clock);

    //! Takes one token, sleeping on the Clock until one is available. Thread-safe; waiters are served one at
    //! a time (the wait happens under the lock, so they queue rather than stampede). Returns the time slept.
    std::chrono::milliseconds acquire();
    //! Takes one token when one is available now; never sleeps.
    bool try_acquire();
    //! Tokens available now (after refill), for tests and metrics.
    double available();
    const RateLimit& limit() const noexcept { return limit_; }

private:
    void refill_locked();

    RateLimit limit_;
    Clock& clock_;
    std::mutex mutex_;
    double tokens_;
    Clock::MonoTime last_;
};

//! Process- or composition-root-wide map from "account/region/service" to a shared limiter. Thread-safe.
class RateLimiterRegistry {
public:
    explicit RateLimiterRegistry(Clock& clock) : clock_(clock) {}
    //! The limiter for the key, created with `limit` on first use (later calls return the same limiter and
    //! ignore `limit`). Idempotent.
    std::shared_ptr<RateLimiter> get(const std::string& account, const std::string& region,
                                     const std::string& service, RateLimit limit);

private:
    Clock& clock_;
    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<RateLimiter>> limiters_;
};

} // namespace aurora::aws
