#include "aws/credentials/container_provider.hpp"

#include "aws/credentials/credentials_util.hpp"
#include "aws/credentials/metadata_http.hpp"
#include "common/error.hpp"
#include "common/log.hpp"
#include "common/redact.hpp"

#include <arpa/inet.h>

namespace aurora::aws {
namespace {

std::string strip_newline(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) {
        s.pop_back();
    }
    return s;
}

bool is_loopback_ip(const std::string& host) {
    in_addr v4{};
    if (::inet_pton(AF_INET, host.c_str(), &v4) == 1) {
        return (ntohl(v4.s_addr) >> 24) == 127;
    }
    in6_addr v6{};
    if (::inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
        static const in6_addr loopback = IN6ADDR_LOOPBACK_INIT;
        return std::equal(std::begin(v6.s6_addr), std::end(v6.s6_addr), std::begin(loopback.s6_addr));
    }
    return false;
}

//! The host part of an http(s) URL without port or IPv6 brackets.
std::string url_host(std::string_view url) {
    const auto scheme_end = url.find("://");
    std::string_view rest = scheme_end == std::string_view::npos ? url : url.substr(scheme_end + 3);
    rest = rest.substr(0, rest.find_first_of("/?#"));
    if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
        rest = rest.substr(at + 1);
    }
    if (!rest.empty() && rest.front() == '[') {
        const auto close = rest.find(']');
        return std::string(rest.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1));
    }
    return std::string(rest.substr(0, rest.find(':')));
}

} // namespace

bool is_allowed_container_uri(std::string_view url) {
    if (url.rfind("https://", 0) == 0) {
        return true;
    }
    if (url.rfind("http://", 0) != 0) {
        return false;
    }
    // Why: sdkref feature-container-credentials: plain http only to loopback or the ECS/EKS agents.
    const std::string host = url_host(url);
    return host == "localhost" || host == "169.254.170.2" || host == "169.254.170.23" || host == "fd00:ec2::23" ||
           is_loopback_ip(host);
}

ContainerCredentialsProvider::ContainerCredentialsProvider(std::shared_ptr<const Environment> env,
                                                           std::shared_ptr<HttpClient> http,
                                                           ContainerProviderOptions options)
    : env_(std::move(env)), http_(std::move(http)), options_(std::move(options)) {}

std::string ContainerCredentialsProvider::not_configured_reason() const {
    if (env_->non_empty("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") || env_->non_empty("AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
        return {};
    }
    return "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set";
}

std::string ContainerCredentialsProvider::endpoint_url() const {
    if (auto rel = env_->non_empty("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
        return options_.relative_uri_base + (rel->front() == '/' ? "" : "/") + *rel;
    }
    auto full = env_->non_empty("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    if (!full) {
        throw Error(ErrorCode::credentials, "container credentials are not configured",
                    "set AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or AWS_CONTAINER_CREDENTIALS_FULL_URI");
    }
    if (!is_allowed_container_uri(*full)) {
        throw Error(ErrorCode::credentials, "AWS_CONTAINER_CREDENTIALS_FULL_URI '" + *full + "' is not allowed",
                    "use https, or http to a loopback address, 169.254.170.2, 169.254.170.23 or fd00:ec2::23");
    }
    return *full;
}

std::string ContainerCredentialsProvider::authorization_token() const {
    // Why: the token file wins over the variable (EKS Pod Identity rotates the file).
    if (auto file = env_->non_empty("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) {
        auto content = env_->read_file(*file);
        if (!content) {
            throw Error(ErrorCode::credentials, "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE '" + *file + "'",
                        "check that the file exists and is readable");
        }
        return strip_newline(*content);
    }
    return env_->non_empty("AWS_CONTAINER_AUTHORIZATION_TOKEN").value_or("");
}

Credentials ContainerCredentialsProvider::get() {
    const std::string url = endpoint_url();
    HttpRequest req = request_from_url("GET", url);
    req.headers.set("Accept", "application/json");
    const std::string token = authorization_token();
    if (!token.empty()) {
        register_secret(token);
        if (token.find_first_of("\r\n") != std::string::npos) {
            throw Error(ErrorCode::credentials, "the container authorization token contains a line break",
                        "the token must be a single line");
        }
        req.headers.set("Authorization", token);
    }
    if (!http_) {
        throw Error(ErrorCode::credentials, "container credentials need an HTTP client, and none is configured");
    }
    const HttpResponse resp = send_metadata_request(*http_, req, options_.attempts, "the container credentials endpoint");
    if (resp.status < 200 || resp.status > 299) {
        throw Error(ErrorCode::credentials,
                    "the container credentials endpoint answered HTTP " + std::to_string(resp.status),
                    resp.status == 401 || resp.status == 403 ? "check AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE)"
                                                             : "check the task role or pod identity association");
    }
    Credentials c = parse_credentials_json(resp.body, CredentialsJsonDialect::container, "the container endpoint");
    c.source = "container";
    log::debug("credentials.resolved", {{"source", c.source}, {"access_key_id", mask_key_id(c.access_key_id)}});
    return c;
}

} // namespace aurora::aws
