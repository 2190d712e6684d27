#include "aws/kms/kms_client.hpp"

#include "aws/aws_error.hpp"

#include <nlohmann/json.hpp>

#include <utility>

namespace aurora::aws::kms {

std::optional<ErrorCode> kms_error_code(const std::string& aws_code, int /*http_status*/) {
    if (aws_code == "NotFoundException") {
        return ErrorCode::not_found;
    }
    if (aws_code == "DisabledException" || aws_code == "KMSInvalidStateException" ||
        aws_code == "KeyUnavailableException") {
        return ErrorCode::kms_key_not_accessible;
    }
    if (aws_code == "InvalidArnException") {
        return ErrorCode::invalid_parameter;
    }
    if (aws_code == "KMSInternalException" || aws_code == "DependencyTimeoutException") {
        return ErrorCode::service_unavailable;
    }
    return std::nullopt;
}

ServiceDescriptor kms_service() {
    return ServiceDescriptor{"KMS", "kms", "kms", "2014-11-01", Protocol::json_1_1, "TrentService"};
}

KmsClient::KmsClient(ClientContext context) : core_(kms_service(), std::move(context), kms_error_code) {}

KeyMetadata KmsClient::describe_key(const std::string& key_id) {
    const JsonResponse resp = core_.json("DescribeKey", nlohmann::json{{"KeyId", key_id}});
    const JsonReader m = resp.result().child("KeyMetadata");
    if (!m.valid()) {
        throw Error(ErrorCode::aws_service, "kms answered describe key '" + key_id + "' without key metadata");
    }
    KeyMetadata k;
    k.key_id = m.text("KeyId").value_or("");
    k.arn = m.text("Arn").value_or("");
    k.aws_account_id = m.text("AWSAccountId").value_or("");
    k.enabled = m.boolean("Enabled").value_or(false);
    k.key_state = m.text("KeyState").value_or("");
    k.key_manager = m.text("KeyManager").value_or("");
    k.key_usage = m.text("KeyUsage").value_or("");
    k.key_spec = m.text("KeySpec").value_or("");
    k.description = m.text("Description").value_or("");
    k.multi_region = m.boolean("MultiRegion");
    k.creation_date = m.timestamp("CreationDate");
    k.deletion_date = m.timestamp("DeletionDate");
    k.encryption_algorithms = m.string_list("EncryptionAlgorithms");
    return k;
}

std::optional<KeyMetadata> KmsClient::find_key(const std::string& key_id) {
    try {
        return describe_key(key_id);
    } catch (const AwsError& e) {
        if (e.code() == ErrorCode::not_found) {
            return std::nullopt;
        }
        throw;
    }
}

} // namespace aurora::aws::kms
