#include "aws/credentials/imds_provider.hpp"

#include "aws/credentials/credentials_util.hpp"
#include "aws/credentials/metadata_http.hpp"
#include "common/error.hpp"
#include "common/log.hpp"
#include "common/redact.hpp"

#include <algorithm>
#include <cctype>

namespace aurora::aws {
namespace {

constexpr const char* kCredentialsPath = "/latest/meta-data/iam/security-credentials/";

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

//! The environment variable, else the selected profile's key.
std::optional<std::string> setting(const SharedConfig& config, const char* env_name, const char* profile_key) {
    if (auto v = config.env().non_empty(env_name)) {
        return v;
    }
    const Profile* p = config.selected_profile();
    return p == nullptr ? std::nullopt : p->get(profile_key);
}

std::optional<int> positive_int(const std::optional<std::string>& v) {
    if (!v) {
        return std::nullopt;
    }
    try {
        const int n = std::stoi(*v);
        return n > 0 ? std::optional<int>(n) : std::nullopt;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

} // namespace

bool imds_disabled(const Environment& env) {
    const auto v = env.non_empty("AWS_EC2_METADATA_DISABLED");
    return v && lower(*v) == "true";
}

std::string resolve_imds_endpoint(const SharedConfig& config) {
    std::string ep;
    if (auto v = setting(config, "AWS_EC2_METADATA_SERVICE_ENDPOINT", "ec2_metadata_service_endpoint")) {
        ep = *v;
    } else {
        const auto mode = setting(config, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ec2_metadata_service_endpoint_mode");
        ep = mode && lower(*mode) == "ipv6" ? "http://[fd00:ec2::254]" : "http://169.254.169.254";
    }
    while (!ep.empty() && ep.back() == '/') {
        ep.pop_back();
    }
    return ep;
}

ImdsOptions imds_options_from_config(const SharedConfig& config) {
    ImdsOptions o;
    o.endpoint = resolve_imds_endpoint(config);
    o.attempts =
        positive_int(setting(config, "AWS_METADATA_SERVICE_NUM_ATTEMPTS", "metadata_service_num_attempts")).value_or(1);
    const auto v1 = setting(config, "AWS_EC2_METADATA_V1_DISABLED", "ec2_metadata_v1_disabled");
    o.v1_disabled = v1 && lower(*v1) == "true";
    return o;
}

std::chrono::milliseconds imds_timeout_from_config(const SharedConfig& config) {
    const auto secs = positive_int(setting(config, "AWS_METADATA_SERVICE_TIMEOUT", "metadata_service_timeout"));
    return std::chrono::seconds(secs.value_or(1));
}

ImdsCredentialsProvider::ImdsCredentialsProvider(std::shared_ptr<HttpClient> http, ImdsOptions options)
    : http_(std::move(http)), options_(std::move(options)) {
    if (options_.endpoint.empty()) {
        options_.endpoint = "http://169.254.169.254";
    }
}

std::string ImdsCredentialsProvider::fetch_token() {
    HttpRequest req = request_from_url("PUT", options_.endpoint + "/latest/api/token");
    req.headers.set("X-aws-ec2-metadata-token-ttl-seconds", std::to_string(options_.token_ttl.count()));
    const HttpResponse resp = send_metadata_request(*http_, req, options_.attempts, "the EC2 instance metadata service");
    if (resp.status == 200 && !resp.body.empty()) {
        register_secret(resp.body);
        return resp.body;
    }
    if (resp.status == 403) {
        throw Error(ErrorCode::credentials, "the EC2 instance metadata service refused a session token (HTTP 403)",
                    "IMDS is disabled for this instance, or the hop limit is too low for a container");
    }
    // Why: sdkref feature-imds-credentials: other answers (404/405 from older or proxied endpoints) fall back
    // to IMDSv1 unless that is disabled.
    if (options_.v1_disabled) {
        throw Error(ErrorCode::credentials,
                    "the EC2 instance metadata service gave no session token (HTTP " + std::to_string(resp.status) +
                        ") and IMDSv1 fallback is disabled",
                    "unset AWS_EC2_METADATA_V1_DISABLED, or check the metadata endpoint");
    }
    log::debug("credentials.imds.v1_fallback", {{"status", resp.status}});
    return {};
}

HttpResponse ImdsCredentialsProvider::get_path(const std::string& path, const std::string& token) {
    HttpRequest req = request_from_url("GET", options_.endpoint + path);
    if (!token.empty()) {
        req.headers.set("X-aws-ec2-metadata-token", token);
    }
    return send_metadata_request(*http_, req, options_.attempts, "the EC2 instance metadata service");
}

Credentials ImdsCredentialsProvider::get() {
    if (!http_) {
        throw Error(ErrorCode::credentials, "instance metadata credentials need an HTTP client, and none is configured");
    }
    const std::string token = fetch_token();
    const HttpResponse roles = get_path(kCredentialsPath, token);
    if (roles.status == 404) {
        throw Error(ErrorCode::credentials, "this EC2 instance has no instance profile",
                    "attach an IAM role to the instance, or configure another credential source");
    }
    if (roles.status != 200) {
        throw Error(ErrorCode::credentials,
                    "the EC2 instance metadata service answered HTTP " + std::to_string(roles.status) + " for the role name");
    }
    std::string role = roles.body.substr(0, roles.body.find('\n'));
    while (!role.empty() && (role.back() == '\r' || role.back() == ' ')) {
        role.pop_back();
    }
    if (role.empty()) {
        throw Error(ErrorCode::credentials, "the EC2 instance metadata service returned no role name");
    }
    const HttpResponse creds = get_path(kCredentialsPath + uri_encode(role), token);
    if (creds.status != 200) {
        throw Error(ErrorCode::credentials, "the EC2 instance metadata service answered HTTP " +
                                                std::to_string(creds.status) + " for role '" + role + "'");
    }
    Credentials c = parse_credentials_json(creds.body, CredentialsJsonDialect::imds, "the EC2 instance metadata service");
    c.source = "imds:" + role;
    log::debug("credentials.resolved", {{"source", c.source}, {"access_key_id", mask_key_id(c.access_key_id)}});
    return c;
}

} // namespace aurora::aws
