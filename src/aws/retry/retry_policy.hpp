#pragma once
//! The one retry primitive every AWS call goes through (style.md #5): a table of retryable failures,
//! exponential backoff with full jitter, a cap, an attempt limit AND a deadline, Retry-After honoured,
//! every attempt's error kept for the final message, counters.

#include "common/clock.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace aurora::aws {

struct RetryPolicy {
    int max_attempts = 8;                          //!< including the first
    std::chrono::milliseconds base_delay{100};     //!< first backoff ceiling (before jitter)
    std::chrono::milliseconds throttle_base_delay{500}; //!< base for throttling errors (grow slower service-wide)
    std::chrono::milliseconds max_delay{20000};    //!< cap on one sleep
    std::chrono::milliseconds deadline{120000};    //!< total time budget across attempts (0 = none)
};

//! What one failed attempt looked like, as the retry loop sees it.
struct AttemptFailure {
    //! clock_skew: the service rejected the signature's time and the caller corrected its clock offset.
    enum class Kind { throttled, server, transport, timeout_status, clock_skew, not_retryable };
    Kind kind = Kind::not_retryable;
    std::string description;                       //!< one line, for the final message (no secrets)
    std::optional<std::chrono::milliseconds> retry_after; //!< from a Retry-After header, if any
};

//! Process-wide counters (read by metrics and benchmarks).
struct RetryCounters {
    std::uint64_t attempts = 0;
    std::uint64_t retries = 0;
    std::uint64_t throttled = 0;
    std::uint64_t gave_up = 0;
};

} // namespace aurora::aws
