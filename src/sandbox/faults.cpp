#include "sandbox/faults.hpp"

#include "common/error.hpp"

#include <algorithm>
#include <charconv>

namespace aurora::sandbox {

namespace {

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\n");
    if (b == std::string::npos) {
        return {};
    }
    const auto e = s.find_last_not_of(" \t\n");
    return s.substr(b, e - b + 1);
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
        const auto pos = s.find(sep, start);
        out.push_back(s.substr(start, pos == std::string::npos ? std::string::npos : pos - start));
        if (pos == std::string::npos) {
            return out;
        }
        start = pos + 1;
    }
}

[[noreturn]] void bad_rule(const std::string& rule, const std::string& why) {
    throw Error(ErrorCode::config, "bad faults rule '" + rule + "': " + why,
                "write rules like 'seed=42;rds:DescribeDBClusters:throttle=0.3;*:*:latency=50ms' (docs/sandbox.md)");
}

double parse_probability(const std::string& rule, const std::string& text) {
    double p = -1;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), p);
    if (ec != std::errc{} || ptr != text.data() + text.size() || p < 0.0 || p > 1.0) {
        bad_rule(rule, "'" + text + "' is not a probability between 0 and 1");
    }
    return p;
}

std::chrono::milliseconds parse_latency(const std::string& rule, const std::string& text) {
    long long n = -1;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    const std::string unit(ptr, text.data() + text.size());
    if (ec != std::errc{} || n < 0 || (unit != "ms" && unit != "s")) {
        bad_rule(rule, "'" + text + "' is not a latency like 50ms or 2s");
    }
    return unit == "s" ? std::chrono::milliseconds(n * 1000) : std::chrono::milliseconds(n);
}

void apply_kind(FaultRule& r, const std::string& rule, const std::string& assignment) {
    const auto eq = assignment.find('=');
    if (eq == std::string::npos) {
        bad_rule(rule, "expected KIND=VALUE, got '" + assignment + "'");
    }
    const std::string kind = trim(assignment.substr(0, eq));
    const std::string value = trim(assignment.substr(eq + 1));
    if (kind == "throttle") {
        r.throttle = parse_probability(rule, value);
    } else if (kind == "reject") {
        std::uint64_t n = 0;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
        if (ec != std::errc{} || end != value.data() + value.size() || n == 0) {
            bad_rule(rule, "reject takes the number of the call to reject, from 1");
        }
        r.reject = n;
    } else if (kind == "error500") {
        r.error500 = parse_probability(rule, value);
    } else if (kind == "error503") {
        r.error503 = parse_probability(rule, value);
    } else if (kind == "drop") {
        r.drop = parse_probability(rule, value);
    } else if (kind == "latency") {
        r.latency = parse_latency(rule, value);
    } else {
        bad_rule(rule, "unknown fault kind '" + kind + "' (throttle, error500, error503, drop, latency, reject)");
    }
}

int specificity(const FaultRule& r) {
    return (r.service != "*" ? 2 : 0) + (r.operation != "*" ? 1 : 0);
}

bool matches(const FaultRule& r, const std::string& service, const std::string& operation) {
    return (r.service == "*" || r.service == service) && (r.operation == "*" || r.operation == operation);
}

// splitmix64: a tiny, well-mixed, portable hash step (the same numbers on every platform and run).
std::uint64_t mix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

std::uint64_t hash_text(std::uint64_t h, const std::string& s) {
    for (unsigned char c : s) {
        h = mix(h ^ c);
    }
    return mix(h ^ 0xffULL);
}

} // namespace

FaultSpec parse_fault_spec(const std::string& text) {
    FaultSpec spec;
    spec.text = text;
    for (const auto& raw : split(text, ';')) {
        const std::string rule = trim(raw);
        if (rule.empty()) {
            continue;
        }
        if (rule.starts_with("seed=")) {
            const std::string v = rule.substr(5);
            auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), spec.seed);
            if (ec != std::errc{} || ptr != v.data() + v.size()) {
                bad_rule(rule, "the seed is not a non-negative integer");
            }
            continue;
        }
        const auto parts = split(rule, ':');
        if (parts.size() != 3 || trim(parts[0]).empty() || trim(parts[1]).empty()) {
            bad_rule(rule, "expected SERVICE:OPERATION:KIND=VALUE");
        }
        FaultRule r;
        r.service = trim(parts[0]);
        r.operation = trim(parts[1]);
        for (const auto& assignment : split(parts[2], ',')) {
            apply_kind(r, rule, trim(assignment));
        }
        spec.rules.push_back(std::move(r));
    }
    return spec;
}

double fault_uniform(std::uint64_t seed, const std::string& service, const std::string& operation, std::uint64_t n,
                     std::uint64_t salt) {
    std::uint64_t h = mix(seed);
    h = hash_text(h, service);
    h = hash_text(h, operation);
    h = mix(h ^ n);
    h = mix(h ^ salt);
    return static_cast<double>(h >> 11) * 0x1.0p-53;
}

FaultInjector::FaultInjector(FaultSpec spec) : spec_(std::move(spec)) {}

void FaultInjector::set_spec(FaultSpec spec) {
    std::lock_guard lock(mutex_);
    spec_ = std::move(spec);
    calls_.clear();
}

FaultSpec FaultInjector::spec() const {
    std::lock_guard lock(mutex_);
    return spec_;
}

void FaultInjector::reset() {
    std::lock_guard lock(mutex_);
    calls_.clear();
}

FaultDecision FaultInjector::next(const std::string& service, const std::string& operation) {
    std::lock_guard lock(mutex_);
    const std::uint64_t n = ++calls_[{service, operation}];
    // For each kind, the most specific matching rule that sets it.
    const FaultRule* best[6] = {nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};
    auto consider = [&](int slot, const FaultRule& r, bool has) {
        if (has && (best[slot] == nullptr || specificity(r) > specificity(*best[slot]))) {
            best[slot] = &r;
        }
    };
    for (const auto& r : spec_.rules) {
        if (!matches(r, service, operation)) {
            continue;
        }
        consider(0, r, r.drop.has_value());
        consider(1, r, r.error500.has_value());
        consider(2, r, r.error503.has_value());
        consider(3, r, r.throttle.has_value());
        consider(4, r, r.latency.has_value());
        consider(5, r, r.reject.has_value());
    }
    FaultDecision d;
    if (best[4] != nullptr) {
        d.latency = *best[4]->latency;
    }
    if (best[5] != nullptr && *best[5]->reject == n) {
        d.kind = FaultKind::reject;
        return d;
    }
    const FaultKind kinds[4] = {FaultKind::drop, FaultKind::error500, FaultKind::error503, FaultKind::throttle};
    for (int slot = 0; slot < 4; ++slot) {
        if (best[slot] == nullptr) {
            continue;
        }
        const FaultRule& r = *best[slot];
        const double p = slot == 0 ? *r.drop : slot == 1 ? *r.error500 : slot == 2 ? *r.error503 : *r.throttle;
        if (fault_uniform(spec_.seed, service, operation, n, static_cast<std::uint64_t>(slot)) < p) {
            d.kind = kinds[slot];
            return d;
        }
    }
    return d;
}

RateLimiter::RateLimiter(Clock& clock, double burst, double refill_per_second)
    : clock_(clock), burst_(burst), refill_(refill_per_second) {}

bool RateLimiter::try_acquire(const std::string& account_id, const std::string& region) {
    std::lock_guard lock(mutex_);
    const auto now = clock_.steady_now();
    auto [it, inserted] = buckets_.try_emplace({account_id, region}, Bucket{burst_, now});
    Bucket& b = it->second;
    if (!inserted) {
        const std::chrono::duration<double> elapsed = now - b.last;
        b.tokens = std::min(burst_, b.tokens + elapsed.count() * refill_);
        b.last = now;
    }
    if (b.tokens < 1.0) {
        return false;
    }
    b.tokens -= 1.0;
    return true;
}

void RateLimiter::reset() {
    std::lock_guard lock(mutex_);
    buckets_.clear();
}

} // namespace aurora::sandbox
