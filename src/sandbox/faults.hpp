#pragma once
//! Fault injection and the RDS API rate limit, both reproducible: a fault decision is a pure function of
//! (seed, service, operation, n) where n counts the calls to that operation, and the token bucket reads an
//! injected clock.
//!
//! Faults spec (`--faults`), rules separated by ';':
//!   seed=42                                   the seed (default 0)
//!   SERVICE:OPERATION:KIND=VALUE[,KIND=VALUE] SERVICE / OPERATION may be '*'
//! KIND is throttle, error500, error503, drop (a probability in [0,1]), latency (e.g. 50ms, 2s) or
//! reject=N: the N-th call of the operation (1-based, counted since the spec was set) is answered with a
//! non-retryable InvalidParameterValue, every other call is served — a failure injected at one exact step.
//! Example: "seed=42;rds:DescribeDBClusters:throttle=0.3;rds:*:error500=0.1;sts:*:drop=0.05;*:*:latency=50ms".
//! For each kind, the most specific rule wins (exact service and operation > exact service > exact
//! operation > '*:*'); when several faults fire on one call the first of drop, error500, error503, throttle
//! applies.

#include "common/clock.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace aurora::sandbox {

enum class FaultKind { none, drop, error500, error503, throttle, reject };

struct FaultRule {
    std::string service;   //!< "*" or a signing name
    std::string operation; //!< "*" or an operation name
    std::optional<double> throttle, error500, error503, drop;
    std::optional<std::chrono::milliseconds> latency;
    std::optional<std::uint64_t> reject; //!< the 1-based call number to reject
};

struct FaultSpec {
    std::uint64_t seed = 0;
    std::vector<FaultRule> rules;
    //! The spec as text (what was parsed), for the admin endpoint.
    std::string text;
};

//! Parses a faults spec (format above); empty text is no faults. Throws aurora::Error(config) naming the
//! bad rule.
FaultSpec parse_fault_spec(const std::string& text);

//! What to do to one call.
struct FaultDecision {
    FaultKind kind = FaultKind::none;
    std::chrono::milliseconds latency{0};
};

//! Thread-safe; decisions depend only on the spec and the per-operation call index.
class FaultInjector {
public:
    explicit FaultInjector(FaultSpec spec = {});
    //! Replaces the spec and restarts the call indexes (so a new spec replays from its first call).
    void set_spec(FaultSpec spec);
    FaultSpec spec() const;
    //! The decision for the next call of (service, operation); advances that operation's call index.
    FaultDecision next(const std::string& service, const std::string& operation);
    //! Restarts the call indexes.
    void reset();

private:
    mutable std::mutex mutex_;
    FaultSpec spec_;
    std::map<std::pair<std::string, std::string>, std::uint64_t> calls_;
};

//! A uniform number in [0,1) from (seed, service, operation, n, salt): the core of reproducibility.
double fault_uniform(std::uint64_t seed, const std::string& service, const std::string& operation, std::uint64_t n,
                     std::uint64_t salt);

//! Token buckets per (account, region), as RDS throttles its API (burst 300, refill 12 per second).
class RateLimiter {
public:
    RateLimiter(Clock& clock, double burst = 300.0, double refill_per_second = 12.0);
    //! Takes a token from (account, region)'s bucket; false when it is empty (answer Throttling).
    bool try_acquire(const std::string& account_id, const std::string& region);
    //! Refills every bucket.
    void reset();

private:
    struct Bucket {
        double tokens;
        Clock::MonoTime last;
    };
    Clock& clock_;
    double burst_;
    double refill_;
    std::mutex mutex_;
    std::map<std::pair<std::string, std::string>, Bucket> buckets_;
};

} // namespace aurora::sandbox
