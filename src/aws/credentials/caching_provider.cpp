#include "aws/credentials/caching_provider.hpp"

#include "aws/credentials/credentials_util.hpp"
#include "common/error.hpp"
#include "common/log.hpp"

namespace aurora::aws {

CachingCredentialsProvider::CachingCredentialsProvider(std::shared_ptr<CredentialsProvider> inner, Clock& clock,
                                                       std::chrono::seconds refresh_before)
    : inner_(std::move(inner)), clock_(clock), refresh_before_(refresh_before) {}

bool CachingCredentialsProvider::due(Clock::WallTime now) const {
    return !cached_ || (cached_->expiration && now + refresh_before_ >= *cached_->expiration);
}

Credentials CachingCredentialsProvider::get() {
    std::unique_lock lock(mutex_);
    for (;;) {
        const auto now = clock_.now();
        if (!due(now)) {
            return *cached_;
        }
        if (!refreshing_) {
            break;
        }
        // Another caller is refreshing: still-valid credentials beat waiting on a slow endpoint.
        if (cached_ && !is_expired(*cached_, now)) {
            return *cached_;
        }
        refreshed_.wait(lock);
    }
    refreshing_ = true;
    ++refreshes_;
    lock.unlock();
    std::optional<Credentials> fresh;
    std::exception_ptr error;
    std::string message;
    try {
        fresh = inner_->get();
        if (is_expired(*fresh, clock_.now())) {
            throw Error(ErrorCode::credentials, "credentials from " + fresh->source + " are already expired",
                        "the source returned an Expiration in the past; check the clock or the source");
        }
    } catch (const Error& e) {
        fresh.reset();
        error = std::current_exception();
        message = e.message();
    } catch (...) {
        fresh.reset();
        error = std::current_exception();
        message = "unexpected error";
    }
    lock.lock();
    return finish_refresh(std::move(fresh), error, message);
}

Credentials CachingCredentialsProvider::finish_refresh(std::optional<Credentials> fresh, std::exception_ptr error,
                                                       const std::string& error_message) {
    refreshing_ = false;
    refreshed_.notify_all();
    if (fresh) {
        log::debug("credentials.refreshed", {{"source", fresh->source},
                                             {"expires", fresh->expiration ? format_iso8601(*fresh->expiration) : "never"}});
        cached_ = std::move(fresh);
        return *cached_;
    }
    if (cached_ && !is_expired(*cached_, clock_.now())) {
        log::warn("credentials.refresh_failed_using_cached",
                  {{"source", cached_->source}, {"error", error_message},
                   {"expires", cached_->expiration ? format_iso8601(*cached_->expiration) : "never"}});
        return *cached_;
    }
    std::rethrow_exception(error);
}

void CachingCredentialsProvider::invalidate() {
    std::lock_guard lock(mutex_);
    cached_.reset();
}

int CachingCredentialsProvider::refresh_count() const {
    std::lock_guard lock(mutex_);
    return refreshes_;
}

} // namespace aurora::aws
