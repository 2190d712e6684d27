#include "aws/credentials/chain_provider.hpp"

#include "aws/aws_error.hpp"
#include "common/error.hpp"
#include "common/log.hpp"

namespace aurora::aws {

ChainCredentialsProvider::ChainCredentialsProvider(std::vector<CredentialSource> sources) : sources_(std::move(sources)) {}

std::string ChainCredentialsProvider::active_source() const {
    std::lock_guard lock(mutex_);
    return active_ < 0 ? std::string{} : sources_[static_cast<std::size_t>(active_)].name;
}

Credentials ChainCredentialsProvider::get() {
    std::unique_lock lock(mutex_);
    if (active_ >= 0) {
        auto provider = sources_[static_cast<std::size_t>(active_)].provider;
        lock.unlock();
        return provider->get();
    }
    std::vector<std::string> tried;
    for (std::size_t i = 0; i < sources_.size(); ++i) {
        const CredentialSource& s = sources_[i];
        const std::string why_not = s.not_configured_reason ? s.not_configured_reason() : std::string{};
        if (!why_not.empty()) {
            log::trace("credentials.chain.skip", {{"source", s.name}, {"reason", why_not}});
            tried.push_back(s.name + ": " + why_not);
            continue;
        }
        try {
            Credentials c = s.provider->get();
            active_ = static_cast<int>(i);
            log::debug("credentials.chain.selected", {{"source", s.name}});
            return c;
        } catch (const AwsError& e) {
            // An STS answer already names its operation, code and request id: keep it whole (and its type).
            log::debug("credentials.chain.failed", {{"source", s.name}, {"error", e.message()}});
            if (!s.failure_moves_on) {
                throw;
            }
            tried.push_back(s.name + ": " + e.message());
        } catch (const Error& e) {
            log::debug("credentials.chain.failed", {{"source", s.name}, {"error", e.message()}});
            if (!s.failure_moves_on) {
                if (tried.empty()) {
                    throw;
                }
                std::string hint = e.hint();
                hint += std::string(hint.empty() ? "" : "; ") + "sources before it: ";
                for (std::size_t t = 0; t < tried.size(); ++t) {
                    hint += (t == 0 ? "" : "; ") + tried[t];
                }
                throw Error(e.code(), "credential source " + s.name + " failed: " + e.message(), hint, e.fields());
            }
            tried.push_back(s.name + ": " + e.message());
        }
    }
    std::string hint = "tried ";
    for (std::size_t t = 0; t < tried.size(); ++t) {
        hint += (t == 0 ? "" : "; ") + tried[t];
    }
    throw Error(ErrorCode::credentials, "no aws credentials found", hint);
}

} // namespace aurora::aws
