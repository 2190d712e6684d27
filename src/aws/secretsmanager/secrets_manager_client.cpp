#include "aws/secretsmanager/secrets_manager_client.hpp"

#include "common/redact.hpp"

#include <nlohmann/json.hpp>

#include <utility>

namespace aurora::aws::secretsmanager {

std::optional<ErrorCode> secrets_manager_error_code(const std::string& aws_code, int /*http_status*/) {
    if (aws_code == "ResourceNotFoundException") {
        return ErrorCode::secret_not_found;
    }
    if (aws_code == "ResourceExistsException") {
        return ErrorCode::already_exists;
    }
    if (aws_code == "DecryptionFailure" || aws_code == "EncryptionFailure") {
        return ErrorCode::kms_key_not_accessible;
    }
    if (aws_code == "InvalidRequestException") {
        return ErrorCode::invalid_state;
    }
    if (aws_code == "LimitExceededException") {
        return ErrorCode::quota_exceeded;
    }
    if (aws_code == "InternalServiceError") {
        return ErrorCode::service_unavailable;
    }
    return std::nullopt;
}

ServiceDescriptor secrets_manager_service() {
    return ServiceDescriptor{"Secrets Manager", "secretsmanager", "secretsmanager", "2017-10-17", Protocol::json_1_1,
                             "secretsmanager"};
}

SecretsManagerClient::SecretsManagerClient(ClientContext context)
    : core_(secrets_manager_service(), std::move(context), secrets_manager_error_code) {}

namespace {

SecretVersionRef parse_ref(const JsonReader& r) {
    return SecretVersionRef{r.text("ARN").value_or(""), r.text("Name").value_or(""), r.text("VersionId").value_or("")};
}

} // namespace

SecretValue SecretsManagerClient::get_secret_value(const std::string& secret_id, const std::string& version_stage) {
    nlohmann::json body{{"SecretId", secret_id}};
    if (!version_stage.empty()) {
        body["VersionStage"] = version_stage;
    }
    const JsonResponse resp = core_.json("GetSecretValue", body);
    const JsonReader r = resp.result();
    SecretValue v;
    v.secret_string = r.text("SecretString").value_or("");
    v.secret_binary = r.text("SecretBinary").value_or("");
    // Registered before anything else touches them (style.md #7).
    register_secret(v.secret_string);
    register_secret(v.secret_binary);
    v.arn = r.text("ARN").value_or("");
    v.name = r.text("Name").value_or("");
    v.version_id = r.text("VersionId").value_or("");
    v.version_stages = r.string_list("VersionStages");
    v.created_date = r.timestamp("CreatedDate");
    return v;
}

std::string SecretsManagerClient::get_secret_string(const std::string& secret_id) {
    SecretValue v = get_secret_value(secret_id);
    if (v.secret_string.empty() && !v.secret_binary.empty()) {
        throw Error(ErrorCode::invalid_request, "secret '" + secret_id + "' holds binary data, not a string",
                    "store the value as SecretString");
    }
    return std::move(v.secret_string);
}

SecretVersionRef SecretsManagerClient::create_secret(const CreateSecretRequest& req) {
    register_secret(req.secret_string);
    nlohmann::json body{{"Name", req.name}, {"SecretString", req.secret_string}};
    if (!req.client_request_token.empty()) {
        body["ClientRequestToken"] = req.client_request_token;
    }
    if (!req.description.empty()) {
        body["Description"] = req.description;
    }
    if (!req.kms_key_id.empty()) {
        body["KmsKeyId"] = req.kms_key_id;
    }
    if (!req.tags.empty()) {
        nlohmann::json tags = nlohmann::json::array();
        for (const auto& [k, v] : req.tags) {
            tags.push_back({{"Key", k}, {"Value", v}});
        }
        body["Tags"] = std::move(tags);
    }
    const JsonResponse resp = core_.json("CreateSecret", body);
    return parse_ref(resp.result());
}

SecretVersionRef SecretsManagerClient::put_secret_value(const std::string& secret_id, const std::string& secret_string,
                                                        const std::string& client_request_token,
                                                        const std::vector<std::string>& version_stages) {
    register_secret(secret_string);
    nlohmann::json body{{"SecretId", secret_id}, {"SecretString", secret_string}};
    if (!client_request_token.empty()) {
        body["ClientRequestToken"] = client_request_token;
    }
    if (!version_stages.empty()) {
        body["VersionStages"] = version_stages;
    }
    const JsonResponse resp = core_.json("PutSecretValue", body);
    return parse_ref(resp.result());
}

} // namespace aurora::aws::secretsmanager
