#pragma once
//! AWS Secrets Manager client (JSON 1.1 protocol, target prefix "secretsmanager"): GetSecretValue,
//! CreateSecret, PutSecretValue. Every secret value read or written is registered with
//! aurora::register_secret() first, so it can never reach a log line or an error message.
//! Errors: ResourceNotFoundException -> secret_not_found, ResourceExistsException -> already_exists,
//! DecryptionFailure/EncryptionFailure -> kms_key_not_accessible, InvalidRequestException -> invalid_state
//! (e.g. the secret is scheduled for deletion), InvalidParameterException -> invalid_parameter.

#include "aws/client/aws_client.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace aurora::aws::secretsmanager {

//! The catalogue code for one of this service's error codes (nullopt: the generic mapping applies).
std::optional<ErrorCode> secrets_manager_error_code(const std::string& aws_code, int http_status);
//! The service descriptor (endpoint prefix, signing name, API version, protocol).
ServiceDescriptor secrets_manager_service();

//! GetSecretValue's answer. Either secret_string or secret_binary (base64, as sent) is set.
struct SecretValue {
    std::string arn;
    std::string name;
    std::string version_id;
    std::string secret_string;
    std::string secret_binary; //!< base64, as the JSON protocol carries blobs
    std::vector<std::string> version_stages;
    std::optional<Clock::WallTime> created_date;
};

//! The identity of a secret version (CreateSecret / PutSecretValue answers).
struct SecretVersionRef {
    std::string arn;
    std::string name;
    std::string version_id;
};

struct CreateSecretRequest {
    std::string name;
    std::string secret_string; //!< registered as a secret before it is sent
    std::string description;
    std::string kms_key_id;    //!< empty: the aws/secretsmanager key
    //! ClientRequestToken (32..64 characters): makes the call idempotent (the SDKs generate a UUID).
    std::string client_request_token;
    std::vector<std::pair<std::string, std::string>> tags;
};

//! Thread-safe: calls from many threads share one AwsClient (signing, retries, rate limiter).
class SecretsManagerClient {
public:
    //! A client on `context` (region, endpoint, transport, credentials); throws Error(config) as AwsClient does.
    explicit SecretsManagerClient(ClientContext context);

    //! GetSecretValue of `secret_id` (name or ARN) at `version_stage` (default AWSCURRENT). Read-only.
    //! Missing secret or version: secret_not_found. The value is registered as a secret.
    SecretValue get_secret_value(const std::string& secret_id, const std::string& version_stage = {});
    //! The secret's string value (throws invalid_request when the secret holds binary data).
    std::string get_secret_string(const std::string& secret_id);
    //! CreateSecret. Idempotent with the same client_request_token and value; otherwise an existing
    //! name throws already_exists.
    SecretVersionRef create_secret(const CreateSecretRequest& req);
    //! PutSecretValue: a new version labelled AWSCURRENT (or `version_stages`). Idempotent with the same
    //! client_request_token and value. Missing secret: secret_not_found.
    SecretVersionRef put_secret_value(const std::string& secret_id, const std::string& secret_string,
                                      const std::string& client_request_token = {},
                                      const std::vector<std::string>& version_stages = {});

    //! The underlying core: region, endpoint, clock, and raw calls (tests create fixtures through it).
    AwsClient& core() noexcept { return core_; }

private:
    AwsClient core_;
};

} // namespace aurora::aws::secretsmanager
