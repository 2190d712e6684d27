#pragma once
//! Credentials of the EC2 instance profile from the instance metadata service, IMDSv2
//! (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-metadata-retrieval.html,
//!  https://docs.aws.amazon.com/sdkref/latest/guide/feature-imds-credentials.html):
//!   1. PUT /latest/api/token with X-aws-ec2-metadata-token-ttl-seconds → a session token;
//!   2. GET /latest/meta-data/iam/security-credentials/ (X-aws-ec2-metadata-token) → the role name;
//!   3. GET /latest/meta-data/iam/security-credentials/<role> → {"Code","AccessKeyId","SecretAccessKey",
//!      "Token","Expiration"}.
//! As the SDKs: a 404/405 to the token PUT falls back to IMDSv1 (no token) unless
//! AWS_EC2_METADATA_V1_DISABLED=true (or ec2_metadata_v1_disabled in the profile); a 403 means IMDS is
//! disabled for the instance. AWS_EC2_METADATA_DISABLED=true turns the provider off.

#include "aws/credentials/credentials.hpp"
#include "aws/credentials/shared_config.hpp"
#include "aws/http/http_client.hpp"

#include <chrono>
#include <memory>
#include <string>

namespace aurora::aws {

struct ImdsOptions {
    //! Base URL; empty: resolve_imds_endpoint().
    std::string endpoint;
    //! Attempts per request on connection failures and 5xx (AWS_METADATA_SERVICE_NUM_ATTEMPTS; SDKs: 1).
    int attempts = 1;
    //! Session token lifetime asked for (the SDKs ask for 6 hours).
    std::chrono::seconds token_ttl{21600};
    //! Never fall back to IMDSv1.
    bool v1_disabled = false;
};

//! The IMDS base URL: AWS_EC2_METADATA_SERVICE_ENDPOINT, then the profile's ec2_metadata_service_endpoint,
//! then by AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE / ec2_metadata_service_endpoint_mode: "IPv6" →
//! http://[fd00:ec2::254], else http://169.254.169.254. No trailing slash.
std::string resolve_imds_endpoint(const SharedConfig& config);
//! True when AWS_EC2_METADATA_DISABLED is "true" (case-insensitive).
bool imds_disabled(const Environment& env);
//! ImdsOptions from the environment and profile (endpoint, AWS_METADATA_SERVICE_NUM_ATTEMPTS /
//! metadata_service_num_attempts, AWS_EC2_METADATA_V1_DISABLED / ec2_metadata_v1_disabled).
ImdsOptions imds_options_from_config(const SharedConfig& config);
//! The per-request timeout: AWS_METADATA_SERVICE_TIMEOUT / metadata_service_timeout seconds, default 1 s.
std::chrono::milliseconds imds_timeout_from_config(const SharedConfig& config);

class ImdsCredentialsProvider final : public CredentialsProvider {
public:
    //! `http` must have short timeouts (the SDKs use 1 s); see make_default_credentials_chain.
    ImdsCredentialsProvider(std::shared_ptr<HttpClient> http, ImdsOptions options);

    //! Three requests on every call (wrap in CachingCredentialsProvider). Throws aurora::Error(credentials)
    //! when IMDS is unreachable (not on EC2), refuses a token (403), has no instance profile (404) or
    //! returns an invalid document. Registers the secrets and the IMDS session token.
    Credentials get() override;

private:
    std::string fetch_token();
    HttpResponse get_path(const std::string& path, const std::string& token);

    std::shared_ptr<HttpClient> http_;
    ImdsOptions options_;
};

} // namespace aurora::aws
