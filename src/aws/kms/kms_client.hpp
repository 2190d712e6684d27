#pragma once
//! AWS KMS client (JSON 1.1 protocol, target prefix "TrentService"): DescribeKey, which the pipeline uses
//! to check that a target KMS key exists, is enabled and lives in the target region before it copies or
//! restores an encrypted snapshot. Errors: NotFoundException -> not_found, DisabledException /
//! KMSInvalidStateException / KeyUnavailableException -> kms_key_not_accessible, InvalidArnException ->
//! invalid_parameter.

#include "aws/client/aws_client.hpp"

#include <optional>
#include <string>
#include <vector>

namespace aurora::aws::kms {

//! The catalogue code for one of this service's error codes (nullopt: the generic mapping applies).
std::optional<ErrorCode> kms_error_code(const std::string& aws_code, int http_status);
//! The service descriptor (endpoint prefix, signing name, API version, protocol).
ServiceDescriptor kms_service();

//! DescribeKey's KeyMetadata.
struct KeyMetadata {
    std::string key_id;        //!< KeyId (the key's UUID, also for an alias lookup)
    std::string arn;           //!< Arn
    std::string aws_account_id;
    bool enabled = false;
    std::string key_state;     //!< "Enabled", "Disabled", "PendingDeletion", …
    std::string key_manager;   //!< "AWS" (aws/rds) or "CUSTOMER"
    std::string key_usage;     //!< "ENCRYPT_DECRYPT", …
    std::string key_spec;      //!< "SYMMETRIC_DEFAULT", …
    std::string description;
    std::optional<bool> multi_region;
    std::optional<Clock::WallTime> creation_date;
    std::optional<Clock::WallTime> deletion_date;
    std::vector<std::string> encryption_algorithms;
};

//! Thread-safe: calls from many threads share one AwsClient (signing, retries, rate limiter).
class KmsClient {
public:
    //! A client on `context` (region, endpoint, transport, credentials); throws Error(config) as AwsClient does.
    explicit KmsClient(ClientContext context);

    //! DescribeKey of a key id, key ARN, alias name ("alias/x") or alias ARN. Read-only. Missing:
    //! not_found.
    KeyMetadata describe_key(const std::string& key_id);
    //! describe_key, or nullopt when the key does not exist.
    std::optional<KeyMetadata> find_key(const std::string& key_id);

    //! The underlying core: region, endpoint, clock, and raw calls (tests create fixtures through it).
    AwsClient& core() noexcept { return core_; }

private:
    AwsClient core_;
};

} // namespace aurora::aws::kms
