#include "aws/sns/sns_client.hpp"

#include <utility>

namespace aurora::aws::sns {

std::optional<ErrorCode> sns_error_code(const std::string& aws_code, int /*http_status*/) {
    // Wire codes from the SNS model ("NotFound", "InvalidParameter", "KMSDisabled", …).
    if (aws_code == "NotFound" || aws_code == "ResourceNotFound") {
        return ErrorCode::not_found;
    }
    if (aws_code == "InvalidParameter" || aws_code == "ParameterValueInvalid") {
        return ErrorCode::invalid_parameter;
    }
    if (aws_code.rfind("KMS", 0) == 0 && aws_code != "KMSThrottling") {
        return ErrorCode::kms_key_not_accessible;
    }
    if (aws_code == "AuthorizationError") {
        return ErrorCode::access_denied;
    }
    if (aws_code == "TopicLimitExceeded") {
        return ErrorCode::quota_exceeded;
    }
    return std::nullopt;
}

ServiceDescriptor sns_service() {
    return ServiceDescriptor{"SNS", "sns", "sns", "2010-03-31", Protocol::query, ""};
}

SnsClient::SnsClient(ClientContext context) : core_(sns_service(), std::move(context), sns_error_code) {}

std::string SnsClient::publish(const PublishRequest& req) {
    QueryParams p;
    p.add("TopicArn", req.topic_arn);
    p.add("Message", req.message);
    if (!req.subject.empty()) {
        p.add("Subject", req.subject);
    }
    // MessageAttributeMap names its key "Name" and its value "Value" (botocore model locationNames):
    // MessageAttributes.entry.N.Name / .Value.DataType / .Value.StringValue.
    for (std::size_t i = 0; i < req.message_attributes.size(); ++i) {
        const auto& a = req.message_attributes[i];
        const std::string prefix = "MessageAttributes.entry." + std::to_string(i + 1);
        p.add(prefix + ".Name", a.name);
        p.add(prefix + ".Value.DataType", a.data_type);
        p.add(prefix + ".Value.StringValue", a.string_value);
    }
    if (!req.message_deduplication_id.empty()) {
        p.add("MessageDeduplicationId", req.message_deduplication_id);
    }
    if (!req.message_group_id.empty()) {
        p.add("MessageGroupId", req.message_group_id);
    }
    const XmlResponse resp = core_.query("Publish", p);
    return resp.result().text("MessageId").value_or("");
}

std::string SnsClient::create_topic(const std::string& name,
                                    const std::vector<std::pair<std::string, std::string>>& attributes) {
    QueryParams p;
    p.add("Name", name);
    for (std::size_t i = 0; i < attributes.size(); ++i) {
        const std::string prefix = "Attributes.entry." + std::to_string(i + 1);
        p.add(prefix + ".key", attributes[i].first);
        p.add(prefix + ".value", attributes[i].second);
    }
    const XmlResponse resp = core_.query("CreateTopic", p);
    return resp.result().text("TopicArn").value_or("");
}

} // namespace aurora::aws::sns
