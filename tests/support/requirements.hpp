#pragma once
//! What a test needs from outside the process (a server, a tool). Where it is absent the test skips with a
//! message naming it — unless AURORA_TEST_REQUIRE_ALL=1 (set by scripts/test.sh and so by CI), where the
//! absence is a failure: nothing is silently skipped in CI.

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace aurora::testing {

inline bool require_all() {
    const char* v = std::getenv("AURORA_TEST_REQUIRE_ALL");
    return v != nullptr && std::string(v) == "1";
}

//! The value of environment variable `name`, or empty.
inline std::string env_or_empty(const char* name) {
    const char* v = std::getenv(name);
    return v == nullptr ? std::string{} : std::string(v);
}

} // namespace aurora::testing

//! Reads environment variable VAR into std::string OUT; when unset, skips (or fails under
//! AURORA_TEST_REQUIRE_ALL) saying WHAT is missing, e.g. "a PostgreSQL server (scripts/services.sh start)".
#define AURORA_REQUIRE_ENV(OUT, VAR, WHAT)                                                                     \
    std::string OUT = ::aurora::testing::env_or_empty(VAR);                                                    \
    if (OUT.empty()) {                                                                                         \
        if (::aurora::testing::require_all()) {                                                                \
            FAIL() << "needs " << (WHAT) << ": set " << (VAR);                                                 \
        }                                                                                                      \
        GTEST_SKIP() << "needs " << (WHAT) << ": set " << (VAR);                                               \
    }

//! Skips (or fails under AURORA_TEST_REQUIRE_ALL) unless CONDITION holds; WHAT names what is missing.
#define AURORA_REQUIRE(CONDITION, WHAT)                                                                        \
    if (!(CONDITION)) {                                                                                        \
        if (::aurora::testing::require_all()) {                                                                \
            FAIL() << "needs " << (WHAT);                                                                      \
        }                                                                                                      \
        GTEST_SKIP() << "needs " << (WHAT);                                                                    \
    }
