#include "aws/client/client_settings.hpp"

#include "common/error.hpp"

#include <charconv>

namespace aurora::aws {
namespace {

std::optional<std::string> non_empty(const EnvLookup& env, const std::string& name) {
    auto v = env ? env(name) : std::nullopt;
    return v && !v->empty() ? v : std::nullopt;
}

} // namespace

RetryPolicy retry_policy_from_settings(RetryPolicy base, const EnvLookup& env,
                                       const std::optional<std::string>& profile_max_attempts) {
    std::optional<std::string> value = non_empty(env, "AWS_MAX_ATTEMPTS");
    std::string source = "AWS_MAX_ATTEMPTS";
    if (!value && profile_max_attempts && !profile_max_attempts->empty()) {
        value = profile_max_attempts;
        source = "max_attempts in the profile";
    }
    if (!value) {
        return base;
    }
    int n = 0;
    const auto res = std::from_chars(value->data(), value->data() + value->size(), n);
    if (res.ec != std::errc{} || res.ptr != value->data() + value->size() || n < 1 || n > 100) {
        throw Error(ErrorCode::config, "invalid " + source + " '" + *value + "'",
                    "use a whole number of attempts from 1 to 100 (1 disables retries)");
    }
    base.max_attempts = n;
    return base;
}

HttpClientOptions http_options_from_settings(HttpClientOptions base, const EnvLookup& env,
                                             const std::optional<std::string>& profile_ca_bundle) {
    if (auto v = non_empty(env, "AWS_CA_BUNDLE")) {
        base.ca_bundle = *v;
    } else if (profile_ca_bundle && !profile_ca_bundle->empty()) {
        base.ca_bundle = *profile_ca_bundle;
    }
    return base;
}

} // namespace aurora::aws
