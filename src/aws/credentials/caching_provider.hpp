#pragma once
//! Caches another provider's credentials and refreshes them before they expire, as the SDKs' refreshable
//! credentials do (botocore refreshes 15 min ahead "advisory" and 10 min "mandatory"; the Java SDK 5 min).

#include "aws/credentials/credentials.hpp"

#include <chrono>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace aurora::aws {

class CachingCredentialsProvider final : public CredentialsProvider {
public:
    //! `inner` is asked only when nothing is cached, or when the cached credentials expire within
    //! `refresh_before` of clock.now(). Credentials without an expiration are cached for good.
    CachingCredentialsProvider(std::shared_ptr<CredentialsProvider> inner, Clock& clock,
                               std::chrono::seconds refresh_before = std::chrono::minutes(5));

    //! The cached credentials, refreshed first when due. Thread-safe: one caller refreshes at a time (outside
    //! the lock); while it does, other callers get the cached credentials if they have not expired yet, and
    //! wait otherwise. When a refresh fails while the cached credentials are still valid, returns them and
    //! logs a warning (the SDKs' "static stability" for IMDS and STS outages); when nothing valid is cached,
    //! the refresh's error propagates.
    Credentials get() override;

    //! Drops the cache; the next get() asks `inner`. Idempotent.
    void invalidate();
    //! How many times `inner` was asked (for tests and metrics).
    int refresh_count() const;

private:
    bool due(Clock::WallTime now) const;
    //! Stores the outcome of a refresh and wakes the waiters; called with mutex_ held.
    Credentials finish_refresh(std::optional<Credentials> fresh, std::exception_ptr error,
                               const std::string& error_message);

    std::shared_ptr<CredentialsProvider> inner_;
    Clock& clock_;
    std::chrono::seconds refresh_before_;
    mutable std::mutex mutex_;
    std::condition_variable refreshed_;
    bool refreshing_ = false;
    std::optional<Credentials> cached_;
    int refreshes_ = 0;
};

} // namespace aurora::aws
