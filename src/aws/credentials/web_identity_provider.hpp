#pragma once
//! Credentials from an OIDC web identity token through STS AssumeRoleWithWebIdentity
//! (https://docs.aws.amazon.com/sdkref/latest/guide/feature-assume-role-credentials.html, "web identity"):
//! EKS IRSA, GitHub Actions OIDC and the like. Configured by AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN
//! (+ AWS_ROLE_SESSION_NAME), or by a profile's web_identity_token_file + role_arn (+ role_session_name).

#include "aws/credentials/credentials.hpp"
#include "aws/credentials/environment.hpp"
#include "aws/credentials/sts_credentials_api.hpp"

#include <memory>
#include <optional>
#include <string>

namespace aurora::aws {

struct WebIdentityConfig {
    std::string token_file;        //!< path of the token file (re-read on every get(): it rotates)
    std::string role_arn;
    std::string role_session_name; //!< empty: "aurora-restore-<unix seconds>"
    std::optional<int> duration_seconds;
    std::string region;            //!< STS region; empty: the StsCredentialsApi's default
    std::string origin = "environment"; //!< where the settings came from, for messages ("profile 'x'")

    //! The settings from AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN, AWS_ROLE_SESSION_NAME (region from
    //! AWS_REGION / AWS_DEFAULT_REGION). Fields stay empty for unset variables.
    static WebIdentityConfig from_environment(const Environment& env);
};

class WebIdentityCredentialsProvider final : public CredentialsProvider {
public:
    //! `sts` may be null: get() then throws a credentials error saying STS is not available.
    WebIdentityCredentialsProvider(WebIdentityConfig config, std::shared_ptr<const Environment> env,
                                   std::shared_ptr<StsCredentialsApi> sts, Clock& clock);

    //! Empty when both the token file and the role ARN are set; else why not.
    std::string not_configured_reason() const;
    //! Reads the token file and calls AssumeRoleWithWebIdentity on every call (wrap in
    //! CachingCredentialsProvider). Throws aurora::Error(credentials) when not configured, the token file is
    //! unreadable or empty, or STS is missing; STS errors propagate. Registers the token and the secrets.
    Credentials get() override;

private:
    WebIdentityConfig config_;
    std::shared_ptr<const Environment> env_;
    std::shared_ptr<StsCredentialsApi> sts_;
    Clock& clock_;
};

//! "aurora-restore-<unix seconds>": the session name used when none is configured (botocore uses
//! "botocore-session-<unix seconds>").
std::string default_role_session_name(Clock::WallTime now);

} // namespace aurora::aws
