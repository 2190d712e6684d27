#pragma once
//! A chain of credential sources tried in order (the SDKs' default credential provider chain,
//! https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html).

#include "aws/credentials/credentials.hpp"

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace aurora::aws {

//! One link of a chain.
struct CredentialSource {
    std::string name; //!< e.g. "environment", "profile 'dev'", "imds" (for the hint)
    //! Empty when the source is configured; else why it is not (the chain then moves on without calling it).
    std::function<std::string()> not_configured_reason;
    std::shared_ptr<CredentialsProvider> provider;
    //! When true, a failure of this configured source counts as "nothing here" and the chain moves on (IMDS:
    //! an unreachable metadata service means "not on EC2"). When false, a configured source that fails stops
    //! the chain with its error (botocore: a broken profile must not silently fall back to another identity).
    bool failure_moves_on = false;
};

class ChainCredentialsProvider final : public CredentialsProvider {
public:
    explicit ChainCredentialsProvider(std::vector<CredentialSource> sources);

    //! The first configured source's credentials. Once a source has answered, later calls go straight to it
    //! (as the SDKs resolve the chain once). Throws aurora::Error(credentials) "no aws credentials found" with
    //! a hint listing every source tried and why it gave nothing. A configured source's aurora::Error is
    //! rethrown with the same code, its message prefixed by the source's name and the sources tried before it
    //! added to the hint; an aws::AwsError (e.g. STS AccessDenied) is rethrown unchanged. Thread-safe.
    Credentials get() override;

    //! The name of the source that answered last, or empty.
    std::string active_source() const;

private:
    std::vector<CredentialSource> sources_;
    mutable std::mutex mutex_;
    int active_ = -1;
};

} // namespace aurora::aws
