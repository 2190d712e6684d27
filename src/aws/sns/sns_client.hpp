#pragma once
//! Amazon SNS client (Query protocol, API version 2010-03-31): Publish, and CreateTopic for tests and
//! demos. SNS error codes map to the catalogue: NotFound -> not_found, InvalidParameter* ->
//! invalid_parameter, KMS* -> kms_key_not_accessible, AuthorizationError -> access_denied.

#include "aws/client/aws_client.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace aurora::aws::sns {

//! The catalogue code for one of this service's error codes (nullopt: the generic mapping applies).
std::optional<ErrorCode> sns_error_code(const std::string& aws_code, int http_status);
//! The service descriptor (endpoint prefix, signing name, API version, protocol).
ServiceDescriptor sns_service();

//! A message attribute (MessageAttributeValue with DataType "String" or "Number").
struct MessageAttribute {
    std::string name;
    std::string data_type = "String";
    std::string string_value;
};

struct PublishRequest {
    std::string topic_arn; //!< TopicArn
    std::string message;   //!< Message (up to 256 KiB)
    std::string subject;   //!< Subject (email endpoints; up to 100 characters)
    std::vector<MessageAttribute> message_attributes;
    std::string message_group_id;         //!< FIFO topics only
    std::string message_deduplication_id; //!< FIFO topics only
};

//! Thread-safe: calls from many threads share one AwsClient (signing, retries, rate limiter).
class SnsClient {
public:
    //! A client on `context` (region, endpoint, transport, credentials); throws Error(config) as AwsClient does.
    explicit SnsClient(ClientContext context);

    //! Publish; returns the MessageId. Not idempotent on standard topics (a retry may deliver twice); on
    //! FIFO topics the deduplication id makes it so. Missing topic: not_found.
    std::string publish(const PublishRequest& req);
    //! CreateTopic; returns the TopicArn. Idempotent: an existing topic of that name (same attributes)
    //! returns its ARN.
    std::string create_topic(const std::string& name,
                             const std::vector<std::pair<std::string, std::string>>& attributes = {});

    //! The underlying core: region, endpoint, clock, and raw calls (tests create fixtures through it).
    AwsClient& core() noexcept { return core_; }

private:
    AwsClient core_;
};

} // namespace aurora::aws::sns
