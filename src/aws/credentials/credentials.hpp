#pragma once
//! AWS credentials and the provider interface. Secrets in here never reach a log: providers register the
//! secret key and session token with aurora::register_secret() as soon as they obtain them.

#include "common/clock.hpp"

#include <memory>
#include <optional>
#include <string>

namespace aurora::aws {

struct Credentials {
    std::string access_key_id;
    std::string secret_access_key;
    std::string session_token; //!< empty for long-term keys
    std::optional<Clock::WallTime> expiration;
    std::string source; //!< which provider produced them, e.g. "env", "profile:dev", "imds" (for messages)
};

class CredentialsProvider {
public:
    virtual ~CredentialsProvider() = default;
    //! Current credentials. Throws aurora::Error(credentials) with a hint when none can be had.
    //! Thread-safe. Implementations that fetch remotely cache and refresh before expiry.
    virtual Credentials get() = 0;
};

//! A provider that always returns the same credentials (tests, the sandbox's own clients).
class StaticCredentialsProvider final : public CredentialsProvider {
public:
    explicit StaticCredentialsProvider(Credentials c) : creds_(std::move(c)) {}
    Credentials get() override { return creds_; }

private:
    Credentials creds_;
};

} // namespace aurora::aws
