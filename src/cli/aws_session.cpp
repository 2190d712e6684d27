#include "cli/aws_session.hpp"

#include "aws/client/endpoints.hpp"
#include "aws/credentials/default_chain.hpp"
#include "aws/credentials/environment.hpp"
#include "aws/credentials/shared_config.hpp"
#include "aws/http/curl_http_client.hpp"
#include "aws/retry/rate_limiter.hpp"
#include "common/error.hpp"
#include "pipeline/step_env.hpp"

namespace aurora::cli {

AwsSession::AwsSession(AwsSessionOptions options)
    : options_(std::move(options)), http_(std::make_shared<aws::CurlHttpClient>()),
      limiters_(std::make_unique<aws::RateLimiterRegistry>(SystemClock::instance())) {
    auto env = std::make_shared<aws::SystemEnvironment>();
    config_ = std::make_shared<aws::SharedConfig>(aws::SharedConfig::load(env, options_.profile));
    aws::DefaultChainOptions chain;
    chain.env = env;
    chain.config = config_;
    chain.profile = options_.profile;
    chain.http_factory = [](const aws::HttpClientOptions& o) { return std::make_shared<aws::CurlHttpClient>(o); };
    // Role and web-identity sources call STS with credentials of their own (source profile, token file).
    aws::ClientContext sts_base;
    sts_base.region = default_region().empty() ? "us-east-1" : default_region();
    sts_base.http = http_;
    if (options_.endpoint_url) sts_base.endpoint_url = *options_.endpoint_url;
    chain.sts = std::make_shared<aws::sts::StsCredentialsAdapter>(sts_base);
    credentials_ = aws::make_default_credentials_chain(chain);
}

AwsSession::~AwsSession() = default;

std::string AwsSession::default_region() const {
    if (options_.region) return *options_.region;
    return config_->region().value_or("");
}

aws::ClientContext AwsSession::context(const std::string& service_id, const std::string& endpoint_prefix,
                                       const std::string& region, bool rate_limited) {
    aws::ClientContext ctx;
    ctx.region = region;
    ctx.http = http_;
    ctx.credentials = credentials_;
    ctx.on_call = pipeline::audit_aws_call; // every mutating call of a step, with its request id
    aws::ProfileEndpointSettings profile;
    profile.endpoint_url = config_->profile_endpoint_url().value_or("");
    profile.service_endpoint_url = config_->profile_service_endpoint_url(service_id).value_or("");
    profile.ignore_configured_endpoint_urls = config_->profile_ignore_configured_endpoint_urls();
    ctx.endpoint_url = aws::resolve_endpoint(service_id, endpoint_prefix, region, options_.endpoint_url.value_or(""),
                                             profile, aws::process_env_lookup())
                           .url;
    if (rate_limited && options_.rate_limit) {
        // Keyed by endpoint and region: the account is not known before the first call, and one process
        // talks to one account.
        ctx.rate_limiter = limiters_->get(ctx.endpoint_url, region, endpoint_prefix, aws::RateLimit{300, 12});
    }
    return ctx;
}

aws::rds::RdsClient& AwsSession::rds(const std::string& region) {
    std::lock_guard lock(mutex_);
    auto& slot = rds_[region];
    if (!slot) slot = std::make_unique<aws::rds::RdsClient>(context("RDS", "rds", region, true));
    return *slot;
}

aws::secretsmanager::SecretsManagerClient& AwsSession::secrets(const std::string& region) {
    std::lock_guard lock(mutex_);
    auto& slot = secrets_[region];
    if (!slot) slot = std::make_unique<aws::secretsmanager::SecretsManagerClient>(context("Secrets Manager", "secretsmanager", region, false));
    return *slot;
}

aws::sns::SnsClient& AwsSession::sns(const std::string& region) {
    std::lock_guard lock(mutex_);
    auto& slot = sns_[region];
    if (!slot) slot = std::make_unique<aws::sns::SnsClient>(context("SNS", "sns", region, false));
    return *slot;
}

aws::sts::StsClient& AwsSession::sts() {
    std::lock_guard lock(mutex_);
    if (!sts_) {
        const auto region = default_region().empty() ? std::string("us-east-1") : default_region();
        sts_ = std::make_unique<aws::sts::StsClient>(context("STS", "sts", region, false));
    }
    return *sts_;
}

} // namespace aurora::cli
