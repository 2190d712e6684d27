#pragma once
//! Credentials from the container credentials endpoint (ECS task roles, EKS Pod Identity)
//! (https://docs.aws.amazon.com/sdkref/latest/guide/feature-container-credentials.html):
//!  - AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: GET http://169.254.170.2<relative uri>;
//!  - else AWS_CONTAINER_CREDENTIALS_FULL_URI: any https URL, or an http URL whose host is a loopback
//!    address, localhost, or one of the ECS/EKS link-local addresses (169.254.170.2, 169.254.170.23,
//!    fd00:ec2::23), as the SDKs restrict it;
//!  - Authorization header from the file AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (re-read each time; EKS
//!    rotates it), else from AWS_CONTAINER_AUTHORIZATION_TOKEN.
//! The answer is {"AccessKeyId","SecretAccessKey","Token","Expiration"}.

#include "aws/credentials/credentials.hpp"
#include "aws/credentials/environment.hpp"
#include "aws/http/http_client.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace aurora::aws {

struct ContainerProviderOptions {
    //! Base URL for AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (tests point it at a local server).
    std::string relative_uri_base = "http://169.254.170.2";
    //! Attempts per get() on connection failures and 5xx (botocore: 3). 4xx answers are not retried.
    int attempts = 3;
};

class ContainerCredentialsProvider final : public CredentialsProvider {
public:
    //! `http` should have short timeouts (the SDKs use ~2 s); see make_default_credentials_chain.
    ContainerCredentialsProvider(std::shared_ptr<const Environment> env, std::shared_ptr<HttpClient> http,
                                 ContainerProviderOptions options = {});

    //! Empty when either URI variable is set; else why not.
    std::string not_configured_reason() const;
    //! One GET (plus retries) on every call (wrap in CachingCredentialsProvider). Throws
    //! aurora::Error(credentials) when not configured, when the full URI is not allowed, when the token file
    //! cannot be read, when the endpoint is unreachable or answers non-2xx, or the body is invalid.
    Credentials get() override;

    //! The URL that get() would call, validated. Throws aurora::Error(credentials) as get() does.
    std::string endpoint_url() const;

private:
    std::string authorization_token() const;

    std::shared_ptr<const Environment> env_;
    std::shared_ptr<HttpClient> http_;
    ContainerProviderOptions options_;
};

//! True when a container full URI may be used: https, or http to a loopback / ECS / EKS address.
bool is_allowed_container_uri(std::string_view url);

} // namespace aurora::aws
