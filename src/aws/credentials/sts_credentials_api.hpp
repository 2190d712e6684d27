#pragma once
//! The narrow slice of AWS STS that the credential providers need, as an interface so that the providers do
//! not depend on the STS service client (src/aws/sts/ implements it; tests use scripted fakes).
//!
//! Contract for implementers:
//!  - assume_role() calls STS AssumeRole
//!    (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html) SIGNED WITH
//!    `request.source_credentials` (not with any ambient provider: a role chain signs each hop with the
//!    previous hop's credentials), in `request.region` when set (regional STS endpoint, as the SDKs use by
//!    default), else the implementation's default region.
//!  - assume_role_with_web_identity() calls STS AssumeRoleWithWebIdentity
//!    (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html), which is
//!    UNSIGNED (the web identity token is the proof), in `request.region` when set.
//!  - Both return Credentials with access_key_id, secret_access_key, session_token and expiration filled from
//!    the response's <Credentials> element; `source` may be left empty (the provider fills it).
//!  - Both should call aurora::register_secret() on the secret access key and session token before anything
//!    could log them (the providers register them too; registering twice is harmless). The web identity token
//!    in the request is a secret as well: never log it.
//!  - Both throw aws::AwsError for an STS error answer (e.g. AccessDenied, ExpiredTokenException,
//!    InvalidIdentityToken, RegionDisabledException) and aurora::Error(network) when no answer came after
//!    the retry policy ran out. Neither call is idempotent in the strict sense (each mints new credentials)
//!    but both are safe to retry.
//!  - Thread-safe: providers may call from several threads at once.

#include "aws/credentials/credentials.hpp"

#include <optional>
#include <string>

namespace aurora::aws {

struct AssumeRoleRequest {
    std::string role_arn;          //!< RoleArn (required)
    std::string role_session_name; //!< RoleSessionName (required; the provider generates one when unset)
    std::optional<std::string> external_id;     //!< ExternalId (profile key external_id)
    std::optional<int> duration_seconds;        //!< DurationSeconds (profile key duration_seconds)
    std::optional<std::string> policy;          //!< Policy, an inline session policy (JSON)
    std::string region;                         //!< STS region; empty = implementation default
    Credentials source_credentials;             //!< the credentials to sign the call with
};

struct WebIdentityRequest {
    std::string role_arn;           //!< RoleArn (required)
    std::string role_session_name;  //!< RoleSessionName (required; generated when unset)
    std::string web_identity_token; //!< WebIdentityToken: the OIDC token read from the token file. A secret.
    std::optional<int> duration_seconds; //!< DurationSeconds
    std::string region;                  //!< STS region; empty = implementation default
};

class StsCredentialsApi {
public:
    virtual ~StsCredentialsApi() = default;
    //! STS AssumeRole signed with request.source_credentials. See the file comment for the full contract.
    virtual Credentials assume_role(const AssumeRoleRequest& request) = 0;
    //! STS AssumeRoleWithWebIdentity (unsigned). See the file comment for the full contract.
    virtual Credentials assume_role_with_web_identity(const WebIdentityRequest& request) = 0;
};

} // namespace aurora::aws
