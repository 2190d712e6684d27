#pragma once
//! The CLI's AWS wiring (part of the composition root): one HTTP client, the default credential chain, the
//! shared config's region and endpoints, one client per service and region, and one RDS rate limiter per
//! region shared by every RDS client of the process (RDS allows a burst of 300 and 12 requests/s per account
//! and region).

#include "aws/credentials/credentials.hpp"
#include "aws/http/http_client.hpp"
#include "aws/rds/rds_client.hpp"
#include "aws/secretsmanager/secrets_manager_client.hpp"
#include "aws/sns/sns_client.hpp"
#include "aws/sts/sts_client.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace aurora::aws {
class SharedConfig;
class RateLimiterRegistry;
} // namespace aurora::aws

namespace aurora::cli {

struct AwsSessionOptions {
    std::optional<std::string> profile;
    std::optional<std::string> region;       //!< --region; else the shared config's
    std::optional<std::string> endpoint_url; //!< --endpoint-url: every service (the sandbox, moto)
    bool rate_limit = true;                  //!< the client-side RDS rate limiter
};

class AwsSession {
public:
    explicit AwsSession(AwsSessionOptions options);
    ~AwsSession();

    //! --region, else AWS_REGION / AWS_DEFAULT_REGION / the profile's region; empty when none.
    std::string default_region() const;

    aws::rds::RdsClient& rds(const std::string& region);
    aws::secretsmanager::SecretsManagerClient& secrets(const std::string& region);
    aws::sns::SnsClient& sns(const std::string& region);
    aws::sts::StsClient& sts();
    std::shared_ptr<aws::HttpClient> http() const { return http_; }

private:
    aws::ClientContext context(const std::string& service_id, const std::string& endpoint_prefix,
                               const std::string& region, bool rate_limited);

    AwsSessionOptions options_;
    std::shared_ptr<aws::HttpClient> http_;
    std::shared_ptr<const aws::SharedConfig> config_;
    std::shared_ptr<aws::CredentialsProvider> credentials_;
    std::unique_ptr<aws::RateLimiterRegistry> limiters_;
    std::mutex mutex_;
    std::map<std::string, std::unique_ptr<aws::rds::RdsClient>> rds_;
    std::map<std::string, std::unique_ptr<aws::secretsmanager::SecretsManagerClient>> secrets_;
    std::map<std::string, std::unique_ptr<aws::sns::SnsClient>> sns_;
    std::unique_ptr<aws::sts::StsClient> sts_;
};

} // namespace aurora::cli
