#pragma once
//! The retry loop (style.md #5) around one logical AWS call: classify each failed attempt, sleep with
//! exponential backoff and FULL jitter on an injected Clock, honour Retry-After, stop at the attempt cap or
//! the deadline, keep every attempt's error for the final message, count.
//!
//! Backoff (as the AWS SDKs' "standard" retry mode, https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html):
//! after failed attempt n (1-based) the sleep is random(0, min(max_delay, base * 2^(n-1))), where base is
//! throttle_base_delay for throttling failures and base_delay otherwise. A Retry-After value replaces the
//! jittered sleep. The loop never sleeps past the deadline: a jittered sleep is shortened to the time left,
//! a Retry-After longer than the time left ends the loop at once.

#include "aws/http/http_message.hpp"
#include "aws/retry/retry_policy.hpp"
#include "common/clock.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace aurora::aws {

//! A uniform random number in [0, 1). Injected so tests are deterministic.
using RandomSource = std::function<double()>;

//! The default source: a thread-local std::mt19937_64 seeded from std::random_device.
RandomSource default_random_source();

//! Why the loop stopped.
enum class RetryStop { succeeded, not_retryable, attempts_exhausted, deadline_exceeded };

//! What a run of the loop looked like.
struct RetryOutcome {
    RetryStop stop = RetryStop::succeeded;
    int attempts = 0;                          //!< attempts made (including the successful one)
    std::chrono::milliseconds elapsed{0};      //!< on the Clock's steady time, sleeps included
    std::vector<AttemptFailure> failures;      //!< one per failed attempt, in order
    std::vector<std::chrono::milliseconds> sleeps; //!< every sleep taken, in order

    bool succeeded() const noexcept { return stop == RetryStop::succeeded; }
    //! "after 5 attempts over 12.3s: attempt 1: …; attempt 2: …" (empty when a single attempt ran); names
    //! the stop reason when it was the deadline ("deadline of 120s exceeded after …").
    std::string summary() const;
};

//! True when a failure of this kind may succeed on retry.
bool is_retryable(AttemptFailure::Kind kind) noexcept;

//! Classifies an HTTP error answer: throttling codes (is_throttling_code) or 429 -> throttled; 5xx ->
//! server; 408 -> timeout_status; everything else -> not_retryable. `retry_after` comes from the
//! Retry-After header (parse_retry_after).
AttemptFailure classify_http_failure(int status, const std::string& aws_code, std::string description,
                                     std::optional<std::chrono::milliseconds> retry_after = std::nullopt);

//! Parses a Retry-After header value: delta-seconds ("120") or an HTTP date ("Wed, 21 Oct 2015 07:28:00
//! GMT", RFC 9110 §10.2.3) relative to `now`. nullopt when malformed; a date in the past is 0.
std::optional<std::chrono::milliseconds> parse_retry_after(const std::string& value, Clock::WallTime now);

//! Parses an HTTP date (IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT"); nullopt when malformed.
std::optional<Clock::WallTime> parse_http_date(const std::string& value);

//! The Retry-After of `headers` (parse_retry_after), if any.
std::optional<std::chrono::milliseconds> retry_after_of(const Headers& headers, Clock::WallTime now);

//! The ceiling of the jittered sleep after failed attempt `attempt` (1-based): min(cap, base * 2^(attempt-1)).
std::chrono::milliseconds backoff_ceiling(const RetryPolicy& policy, int attempt, bool throttled);

//! Runs attempts until one succeeds or the policy says stop. Thread-compatible: one Retrier per call or
//! per thread (the random source is called without a lock).
class Retrier {
public:
    //! One attempt: returns nullopt on success, or what went wrong. `attempt` is 1-based. Exceptions it
    //! throws propagate (they are not retried).
    using Attempt = std::function<std::optional<AttemptFailure>(int attempt)>;

    //! `random` empty means default_random_source().
    Retrier(RetryPolicy policy, Clock& clock, RandomSource random = {});

    //! Runs the loop. Updates the process-wide counters (retry_counters()).
    RetryOutcome run(const Attempt& attempt);

    const RetryPolicy& policy() const noexcept { return policy_; }

private:
    RetryPolicy policy_;
    Clock& clock_;
    RandomSource random_;
};

//! A snapshot of the process-wide counters. Thread-safe.
RetryCounters retry_counters();
//! Resets the process-wide counters (tests).
void reset_retry_counters_for_testing();

} // namespace aurora::aws
