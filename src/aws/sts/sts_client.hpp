#pragma once
//! AWS STS client (Query protocol, API version 2011-06-15): GetCallerIdentity, AssumeRole,
//! AssumeRoleWithWebIdentity. Every credential obtained is registered as a secret before it is returned.
//! STS error codes map to the catalogue: ExpiredToken*/InvalidIdentityToken/IDPRejectedClaim -> credentials,
//! RegionDisabledException -> access_denied, MalformedPolicyDocument/PackedPolicyTooLarge ->
//! invalid_parameter.

#include "aws/client/aws_client.hpp"
#include "aws/credentials/credentials.hpp"
#include "aws/credentials/sts_credentials_api.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace aurora::aws::sts {

//! The catalogue code for an STS error code (nullopt: the generic mapping applies).
std::optional<ErrorCode> sts_error_code(const std::string& aws_code, int http_status);
//! The STS service descriptor (signing name "sts").
ServiceDescriptor sts_service();

//! GetCallerIdentity's answer.
struct CallerIdentity {
    std::string account; //!< Account (12 digits)
    std::string arn;     //!< Arn of the calling identity
    std::string user_id; //!< UserId
};

//! AssumeRole parameters (the members the project sends).
struct AssumeRoleParams {
    std::string role_arn;
    std::string role_session_name;
    std::string external_id;
    std::optional<std::int64_t> duration_seconds; //!< 900 .. the role's maximum
    std::string policy;                           //!< inline session policy (JSON)
    std::vector<std::pair<std::string, std::string>> tags; //!< session tags (Tags.member.N.Key/Value)
    std::string source_identity;
};

//! AssumeRoleWithWebIdentity parameters.
struct WebIdentityParams {
    std::string role_arn;
    std::string role_session_name;
    std::string web_identity_token; //!< a secret: registered, never logged
    std::optional<std::int64_t> duration_seconds;
    std::string policy;
};

//! The answer of AssumeRole / AssumeRoleWithWebIdentity.
struct AssumedRole {
    Credentials credentials;               //!< Credentials (AccessKeyId, SecretAccessKey, SessionToken, Expiration)
    std::string assumed_role_arn;          //!< AssumedRoleUser.Arn
    std::string assumed_role_id;           //!< AssumedRoleUser.AssumedRoleId
    std::optional<std::int64_t> packed_policy_size;
    std::string source_identity;
    std::string subject_from_web_identity_token; //!< web identity only
    std::string audience;                        //!< web identity only
    std::string provider;                        //!< web identity only
};

//! Thread-safe: calls from many threads share one AwsClient (signing, retries, rate limiter).
class StsClient {
public:
    //! A client on `context` (region, endpoint, transport, credentials); throws Error(config) as AwsClient does.
    explicit StsClient(ClientContext context);

    //! GetCallerIdentity. Read-only, always allowed (no IAM permission needed); bad credentials throw
    //! credentials / signature.
    CallerIdentity get_caller_identity();
    //! AssumeRole. Mints new credentials on each call (safe to retry). Denied: access_denied.
    AssumedRole assume_role(const AssumeRoleParams& params);
    //! AssumeRoleWithWebIdentity. Mints new credentials on each call. A rejected token: credentials.
    AssumedRole assume_role_with_web_identity(const WebIdentityParams& params);

    //! The underlying core: region, endpoint, clock, and raw calls (tests create fixtures through it).
    AwsClient& core() noexcept { return core_; }

private:
    AwsClient core_;
};

//! Implements the credential providers' STS interface with StsClient: assume_role() signs with the
//! request's source credentials, assume_role_with_web_identity() is sent unsigned, each in the request's
//! region (else the base context's). Thread-safe (a client per call).
class StsCredentialsAdapter final : public StsCredentialsApi {
public:
    //! `base` supplies the transport, clock, retry policy, endpoint override and default region; its
    //! credentials are not used.
    explicit StsCredentialsAdapter(ClientContext base);
    Credentials assume_role(const AssumeRoleRequest& request) override;
    Credentials assume_role_with_web_identity(const WebIdentityRequest& request) override;

private:
    ClientContext context_for(const std::string& region) const;
    ClientContext base_;
};

} // namespace aurora::aws::sts
