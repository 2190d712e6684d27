#pragma once
//! The default credential provider chain, assembled as the AWS SDKs order it
//! (https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html; this is exactly the order
//! of the AWS SDK for Rust's DefaultCredentialsChain; botocore instead tries environment web identity after a
//! profile's role_arn but before its static keys and credential_process):
//!   1. environment variables (AWS_ACCESS_KEY_ID, …);
//!   2. the selected profile of the shared config/credentials files (role_arn + source_profile /
//!      credential_source via STS, role_arn + web_identity_token_file, static keys, credential_process);
//!   3. web identity from the environment (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN) via STS;
//!   4. container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI);
//!   5. EC2 instance metadata (IMDSv2), unless AWS_EC2_METADATA_DISABLED=true.
//! Every source that fetches remotely is wrapped in a CachingCredentialsProvider (refresh 5 minutes early).
//!
//!   DefaultChainOptions o;
//!   o.env = std::make_shared<SystemEnvironment>();
//!   o.sts = my_sts_credentials_api;                       // from src/aws/sts/
//!   o.http_factory = [](const HttpClientOptions& h) { return std::make_shared<CurlHttpClient>(h); };
//!   auto provider = make_default_credentials_chain(o);   // a CredentialsProvider for ClientContext

#include "aws/credentials/chain_provider.hpp"
#include "aws/credentials/environment.hpp"
#include "aws/credentials/shared_config.hpp"
#include "aws/credentials/sts_credentials_api.hpp"
#include "aws/http/http_client.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace aurora::aws {

//! Makes an HttpClient with the given options (timeouts differ per source: IMDS 1 s, container 2 s).
using HttpClientFactory = std::function<std::shared_ptr<HttpClient>(const HttpClientOptions&)>;

struct DefaultChainOptions {
    std::shared_ptr<const Environment> env;    //!< null: SystemEnvironment
    Clock* clock = nullptr;                    //!< null: SystemClock::instance()
    std::shared_ptr<StsCredentialsApi> sts;    //!< null: role and web identity sources fail with a hint
    HttpClientFactory http_factory;            //!< null: container and IMDS sources are left out
    //! A profile named explicitly (e.g. a --profile flag): wins over AWS_PROFILE and, as in botocore, turns
    //! the environment-variable source off.
    std::optional<std::string> profile;
    std::shared_ptr<const SharedConfig> config; //!< null: SharedConfig::load(env, profile)
    std::chrono::seconds refresh_before = std::chrono::minutes(5);
    //! Base URL for AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (tests only).
    std::string container_relative_uri_base = "http://169.254.170.2";
};

//! Builds the chain described above. Reads the shared config files once (now). Throws aurora::Error(config)
//! when a config file exists but cannot be parsed; never contacts a network.
std::shared_ptr<ChainCredentialsProvider> make_default_credentials_chain(const DefaultChainOptions& options);

} // namespace aurora::aws
