#include "aws/credentials/caching_provider.hpp"

#include "aws/credentials/credentials_util.hpp"
#include "common/error.hpp"
#include "common/log.hpp"

namespace aurora::aws {

CachingCredentialsProvider::CachingCredentialsProvider(std::shared_ptr<CredentialsProvider> inner, Clock& clock,
                                                       std::chrono::seconds refresh_before)
    : inner_(std::move(inner)), clock_(clock), refresh_before_(refresh_before) {}

Credentials CachingCredentialsProvider::get() {
    std::lock_guard lock(mutex_);
    const auto now = clock_.now();
    if (cached_ && (!cached_->expiration || now + refresh_before_ < *cached_->expiration)) {
        return *cached_;
    }
    try {
        ++refreshes_;
        Credentials fresh = inner_->get();
        if (is_expired(fresh, now)) {
            throw Error(ErrorCode::credentials, "credentials from " + fresh.source + " are already expired",
                        "the source returned an Expiration in the past; check the clock or the source");
        }
        log::debug("credentials.refreshed", {{"source", fresh.source},
                                             {"expires", fresh.expiration ? format_iso8601(*fresh.expiration) : "never"}});
        cached_ = std::move(fresh);
        return *cached_;
    } catch (const Error& e) {
        if (cached_ && !is_expired(*cached_, now)) {
            log::warn("credentials.refresh_failed_using_cached",
                      {{"source", cached_->source}, {"error", e.message()},
                       {"expires", cached_->expiration ? format_iso8601(*cached_->expiration) : "never"}});
            return *cached_;
        }
        throw;
    }
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
