#include "aws/client/endpoints.hpp"

#include "common/error.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>

namespace aurora::aws {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::optional<std::string> non_empty(const EnvLookup& env, const std::string& name) {
    if (!env) {
        return std::nullopt;
    }
    auto v = env(name);
    if (!v || v->empty()) {
        return std::nullopt;
    }
    return v;
}

std::string checked_url(std::string url, const std::string& source) {
    while (!url.empty() && url.back() == '/') {
        url.pop_back();
    }
    const auto l = lower(url);
    const std::string_view rest = l.starts_with("https://") ? std::string_view(l).substr(8)
                                  : l.starts_with("http://") ? std::string_view(l).substr(7)
                                                             : std::string_view{};
    if (rest.empty() || rest.front() == '/' || rest.find_first_of(" \t\r\n") != std::string_view::npos) {
        throw Error(ErrorCode::config, "invalid endpoint url '" + url + "' from " + source,
                    "use a full url such as https://rds.us-east-1.amazonaws.com or http://127.0.0.1:4566");
    }
    return url;
}

} // namespace

EnvLookup process_env_lookup() {
    return [](const std::string& name) -> std::optional<std::string> {
        const char* v = std::getenv(name.c_str());
        return v == nullptr ? std::nullopt : std::optional<std::string>(v);
    };
}

PartitionInfo partition_info(const std::string& region) {
    // Longest prefixes first (us-isob- and us-isof- before us-iso-). Suffixes from botocore 1.43's
    // data/partitions.json ("dnsSuffix", "dualStackDnsSuffix").
    struct Row {
        const char* prefix;
        const char* name;
        const char* suffix;
        const char* dualstack;
    };
    static constexpr std::array kRows = {
        Row{"cn-", "aws-cn", "amazonaws.com.cn", "api.amazonwebservices.com.cn"},
        Row{"us-gov-", "aws-us-gov", "amazonaws.com", "api.aws"},
        Row{"us-isob-", "aws-iso-b", "sc2s.sgov.gov", "api.aws.scloud"},
        Row{"us-isof-", "aws-iso-f", "csp.hci.ic.gov", "api.aws.hci.ic.gov"},
        Row{"us-iso-", "aws-iso", "c2s.ic.gov", "api.aws.ic.gov"},
        Row{"eu-isoe-", "aws-iso-e", "cloud.adc-e.uk", "api.cloud-aws.adc-e.uk"},
        Row{"eusc-", "aws-eusc", "amazonaws.eu", "api.amazonwebservices.eu"}};
    for (const auto& row : kRows) {
        if (region.starts_with(row.prefix)) {
            return PartitionInfo{row.name, row.suffix, row.dualstack};
        }
    }
    return PartitionInfo{"aws", "amazonaws.com", "api.aws"};
}

std::string default_endpoint(const std::string& endpoint_prefix, const std::string& region, EndpointVariant variant) {
    const bool plausible = !region.empty() && region.size() <= 64 && region.front() != '-' &&
                           std::all_of(region.begin(), region.end(), [](unsigned char c) {
                               return std::islower(c) || std::isdigit(c) || c == '-';
                           });
    if (!plausible) {
        throw Error(ErrorCode::config, "invalid or missing aws region '" + region + "'",
                    "set AWS_REGION (e.g. us-east-1) or `region` in the profile");
    }
    const PartitionInfo partition = partition_info(region);
    const std::string prefix = variant.fips ? endpoint_prefix + "-fips" : endpoint_prefix;
    const std::string& suffix = variant.dualstack ? partition.dualstack_dns_suffix : partition.dns_suffix;
    return "https://" + prefix + "." + region + "." + suffix;
}

std::string service_endpoint_env_name(const std::string& service_id) {
    std::string out = "AWS_ENDPOINT_URL_";
    for (const unsigned char c : service_id) {
        out += (c == ' ' || c == '-') ? '_' : static_cast<char>(std::toupper(c));
    }
    return out;
}

ResolvedEndpoint resolve_endpoint(const std::string& service_id, const std::string& endpoint_prefix,
                                  const std::string& region, const std::string& explicit_url,
                                  const ProfileEndpointSettings& profile, const EnvLookup& env) {
    if (!explicit_url.empty()) {
        return {checked_url(explicit_url, "the explicit endpoint"), "explicit"};
    }
    // The variable wins over the profile setting for the ignore switch as for everything else.
    bool ignore = profile.ignore_configured_endpoint_urls.value_or(false);
    if (const auto v = non_empty(env, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) {
        ignore = lower(*v) == "true";
    }
    if (!ignore) {
        const std::string service_var = service_endpoint_env_name(service_id);
        if (const auto v = non_empty(env, service_var)) {
            return {checked_url(*v, service_var), "env:" + service_var};
        }
        if (const auto v = non_empty(env, "AWS_ENDPOINT_URL")) {
            return {checked_url(*v, "AWS_ENDPOINT_URL"), "env:AWS_ENDPOINT_URL"};
        }
        if (!profile.service_endpoint_url.empty()) {
            return {checked_url(profile.service_endpoint_url, "the profile's services section"), "profile:services"};
        }
        if (!profile.endpoint_url.empty()) {
            return {checked_url(profile.endpoint_url, "the profile's endpoint_url"), "profile"};
        }
    }
    EndpointVariant variant{profile.use_fips_endpoint.value_or(false), profile.use_dualstack_endpoint.value_or(false)};
    if (const auto v = non_empty(env, "AWS_USE_FIPS_ENDPOINT")) {
        variant.fips = lower(*v) == "true";
    }
    if (const auto v = non_empty(env, "AWS_USE_DUALSTACK_ENDPOINT")) {
        variant.dualstack = lower(*v) == "true";
    }
    return {default_endpoint(endpoint_prefix, region, variant), "default"};
}

} // namespace aurora::aws
