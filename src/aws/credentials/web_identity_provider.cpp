#include "aws/credentials/web_identity_provider.hpp"

#include "aws/credentials/credentials_util.hpp"
#include "common/error.hpp"
#include "common/log.hpp"
#include "common/redact.hpp"

#include <chrono>

namespace aurora::aws {
namespace {

std::string trim_token(std::string t) {
    while (!t.empty() && (t.back() == '\n' || t.back() == '\r' || t.back() == ' ' || t.back() == '\t')) {
        t.pop_back();
    }
    return t;
}

} // namespace

std::string default_role_session_name(Clock::WallTime now) {
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    return "aurora-restore-" + std::to_string(secs);
}

WebIdentityConfig WebIdentityConfig::from_environment(const Environment& env) {
    WebIdentityConfig c;
    c.token_file = env.non_empty("AWS_WEB_IDENTITY_TOKEN_FILE").value_or("");
    c.role_arn = env.non_empty("AWS_ROLE_ARN").value_or("");
    c.role_session_name = env.non_empty("AWS_ROLE_SESSION_NAME").value_or("");
    c.region = env.non_empty("AWS_REGION").value_or(env.non_empty("AWS_DEFAULT_REGION").value_or(""));
    c.origin = "environment";
    return c;
}

WebIdentityCredentialsProvider::WebIdentityCredentialsProvider(WebIdentityConfig config,
                                                               std::shared_ptr<const Environment> env,
                                                               std::shared_ptr<StsCredentialsApi> sts, Clock& clock)
    : config_(std::move(config)), env_(std::move(env)), sts_(std::move(sts)), clock_(clock) {}

std::string WebIdentityCredentialsProvider::not_configured_reason() const {
    if (config_.token_file.empty()) {
        return "AWS_WEB_IDENTITY_TOKEN_FILE is not set";
    }
    if (config_.role_arn.empty()) {
        return "AWS_ROLE_ARN is not set";
    }
    return {};
}

Credentials WebIdentityCredentialsProvider::get() {
    if (const auto why = not_configured_reason(); !why.empty()) {
        throw Error(ErrorCode::credentials, "web identity credentials are not configured: " + why,
                    "set AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN");
    }
    // Why: the token file is rotated by the platform (EKS refreshes it hourly); read it on every refresh.
    const std::string path = env_->expand_home(config_.token_file);
    auto token = env_->read_file(path);
    if (!token || trim_token(*token).empty()) {
        throw Error(ErrorCode::credentials, "cannot read the web identity token file '" + path + "'",
                    "check the path in " +
                        std::string(config_.origin == "environment" ? "AWS_WEB_IDENTITY_TOKEN_FILE"
                                                                    : "web_identity_token_file of " + config_.origin));
    }
    if (!sts_) {
        throw Error(ErrorCode::credentials, "web identity credentials need STS, and no STS client is configured",
                    "the composition root must pass an StsCredentialsApi to the credential chain");
    }
    WebIdentityRequest req;
    req.role_arn = config_.role_arn;
    req.role_session_name =
        config_.role_session_name.empty() ? default_role_session_name(clock_.now()) : config_.role_session_name;
    req.web_identity_token = trim_token(*token);
    register_secret(req.web_identity_token);
    req.duration_seconds = config_.duration_seconds;
    req.region = config_.region;
    log::debug("credentials.web_identity.assume", {{"role_arn", req.role_arn}, {"session", req.role_session_name}});
    Credentials c = register_credentials(sts_->assume_role_with_web_identity(req));
    c.source = "web_identity:" + config_.role_arn;
    log::debug("credentials.resolved", {{"source", c.source}, {"access_key_id", mask_key_id(c.access_key_id)}});
    return c;
}

} // namespace aurora::aws
