#pragma once
//! Where a service client sends its requests: the public endpoint of the region's partition, unless the
//! user configured another one, with the precedence the AWS SDKs document
//! (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html, "Precedence of settings"):
//!   1. an endpoint set explicitly in code / on the command line (always wins);
//!   2. AWS_ENDPOINT_URL_<SERVICE_ID> (service id uppercased, spaces -> '_': AWS_ENDPOINT_URL_SECRETS_MANAGER);
//!   3. AWS_ENDPOINT_URL;
//!   4. endpoint_url in the profile's `services` section for this service;
//!   5. endpoint_url in the profile;
//!   6. the public endpoint https://<endpoint_prefix>.<region>.<partition dns suffix>.
//! AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true (or ignore_configured_endpoint_urls = true in the profile; the
//! variable wins over the profile) skips 2–5. AWS_USE_FIPS_ENDPOINT / AWS_USE_DUALSTACK_ENDPOINT (or the
//! profile's use_fips_endpoint / use_dualstack_endpoint) select the variant of the public endpoint in 6;
//! they do not alter a configured URL, as in the SDKs.

#include <functional>
#include <optional>
#include <string>

namespace aurora::aws {

//! Looks an environment variable up; nullopt when unset. Injected so tests never touch the process env.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

//! std::getenv.
EnvLookup process_env_lookup();

//! An AWS partition as far as endpoints are concerned.
struct PartitionInfo {
    std::string name;       //!< "aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"
    std::string dns_suffix; //!< "amazonaws.com", "amazonaws.com.cn", "c2s.ic.gov", …
    std::string dualstack_dns_suffix; //!< "api.aws", "api.amazonwebservices.com.cn", …
};

//! The partition of `region` by its prefix (cn-, us-gov-, us-iso-, us-isob-, eu-isoe-, us-isof-, eusc-);
//! "aws" for anything else.
PartitionInfo partition_info(const std::string& region);

//! Which flavour of the public endpoint (https://docs.aws.amazon.com/sdkref/latest/guide/feature-endpoints.html).
struct EndpointVariant {
    bool fips = false;      //!< FIPS 140 validated: "<prefix>-fips.<region>.<suffix>"
    bool dualstack = false; //!< IPv4 + IPv6: "<prefix>.<region>.<dual-stack suffix>" (aws: api.aws)
};

//! "https://<endpoint_prefix>.<region>.<dns suffix>", or its FIPS / dual-stack variant. Throws
//! Error(config) when `region` is empty or not a plausible region name (lowercase letters, digits and
//! '-'), so no text can be smuggled into a host.
std::string default_endpoint(const std::string& endpoint_prefix, const std::string& region,
                             EndpointVariant variant = {});

//! "AWS_ENDPOINT_URL_" + the service id uppercased with spaces (and '-') as '_'.
std::string service_endpoint_env_name(const std::string& service_id);

//! The endpoint settings of the active profile, as parsed from the shared config file by its owner.
struct ProfileEndpointSettings {
    std::string endpoint_url;         //!< `endpoint_url` in the profile (all services)
    std::string service_endpoint_url; //!< `endpoint_url` in the profile's `services` section for this service
    std::optional<bool> ignore_configured_endpoint_urls; //!< `ignore_configured_endpoint_urls`
    std::optional<bool> use_fips_endpoint;      //!< `use_fips_endpoint` (AWS_USE_FIPS_ENDPOINT wins)
    std::optional<bool> use_dualstack_endpoint; //!< `use_dualstack_endpoint` (AWS_USE_DUALSTACK_ENDPOINT wins)
};

struct ResolvedEndpoint {
    std::string url;    //!< scheme://host[:port][/path], no trailing '/'
    std::string source; //!< "explicit", "env:AWS_ENDPOINT_URL_RDS", "env:AWS_ENDPOINT_URL",
                        //!< "profile:services", "profile", "default" (for logs and messages)
};

//! Applies the precedence above. `explicit_url` empty means none. Throws Error(config) naming the source
//! when a configured URL is not http(s)://host…, or when the region is invalid and the default is needed.
ResolvedEndpoint resolve_endpoint(const std::string& service_id, const std::string& endpoint_prefix,
                                  const std::string& region, const std::string& explicit_url,
                                  const ProfileEndpointSettings& profile, const EnvLookup& env);

} // namespace aurora::aws
