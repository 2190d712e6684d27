#pragma once
//! Credentials from environment variables
//! (https://docs.aws.amazon.com/sdkref/latest/guide/environment-variables.html): AWS_ACCESS_KEY_ID,
//! AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN (or the older AWS_SECURITY_TOKEN) and AWS_CREDENTIAL_EXPIRATION.

#include "aws/credentials/credentials.hpp"
#include "aws/credentials/environment.hpp"

#include <memory>
#include <string>

namespace aurora::aws {

class EnvironmentCredentialsProvider final : public CredentialsProvider {
public:
    explicit EnvironmentCredentialsProvider(std::shared_ptr<const Environment> env);

    //! Empty when AWS_ACCESS_KEY_ID is set (the source is configured); else why it is not.
    std::string not_configured_reason() const;
    //! Reads the variables on every call (cheap; no I/O). Throws aurora::Error(credentials) when
    //! AWS_ACCESS_KEY_ID is unset, when AWS_SECRET_ACCESS_KEY is missing beside it, or when
    //! AWS_CREDENTIAL_EXPIRATION is not an ISO 8601 UTC time. Registers the secrets.
    Credentials get() override;

private:
    std::shared_ptr<const Environment> env_;
};

} // namespace aurora::aws
