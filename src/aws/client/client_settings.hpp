#pragma once
//! The shared settings of the AWS SDKs that shape transport and retries, read the way the SDKs read them:
//! the environment variable first, then the profile's value (parsed by the shared-config owner and passed
//! in), then our default.
//!   - AWS_MAX_ATTEMPTS / max_attempts (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html)
//!   - AWS_CA_BUNDLE / ca_bundle (https://docs.aws.amazon.com/sdkref/latest/guide/feature-gen-config.html)

#include "aws/client/endpoints.hpp"
#include "aws/http/http_client.hpp"
#include "aws/retry/retry_policy.hpp"

#include <optional>
#include <string>

namespace aurora::aws {

//! `base` with max_attempts from AWS_MAX_ATTEMPTS, else from the profile's `max_attempts`. Throws
//! Error(config) naming the source when the value is not an integer in 1..100. Pure.
RetryPolicy retry_policy_from_settings(RetryPolicy base, const EnvLookup& env,
                                       const std::optional<std::string>& profile_max_attempts);

//! `base` with ca_bundle from AWS_CA_BUNDLE, else from the profile's `ca_bundle` (a PEM file path; not
//! checked here, libcurl reports a missing file as a tls TransportError). Pure.
HttpClientOptions http_options_from_settings(HttpClientOptions base, const EnvLookup& env,
                                             const std::optional<std::string>& profile_ca_bundle);

} // namespace aurora::aws
