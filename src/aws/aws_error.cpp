#include "aws/aws_error.hpp"

#include <array>

namespace aurora::aws {
namespace {

std::string build_message(const AwsError::Details& d) {
    std::string msg = d.service + " " + d.operation + " failed: " + d.aws_code;
    if (!d.aws_message.empty()) {
        msg += ": " + d.aws_message;
    }
    if (d.http_status != 0) {
        msg += " (http " + std::to_string(d.http_status);
        if (!d.request_id.empty()) {
            msg += ", request id " + d.request_id;
        }
        msg += ")";
    }
    return msg;
}

Error::Fields build_fields(const AwsError::Details& d) {
    Error::Fields f{{"service", d.service}, {"operation", d.operation}, {"aws_code", d.aws_code}};
    if (!d.request_id.empty()) {
        f.emplace_back("request_id", d.request_id);
    }
    return f;
}

} // namespace

AwsError::AwsError(ErrorCode code, Details details, std::string hint)
    : Error(code, build_message(details), std::move(hint), build_fields(details)), details_(std::move(details)) {}

bool is_throttling_code(const std::string& aws_code) {
    // The throttling codes the AWS SDKs retry (botocore's retries/standard.py, "THROTTLING_ERROR_CODES").
    static constexpr std::array kCodes = {"Throttling",
                                          "ThrottlingException",
                                          "ThrottledException",
                                          "RequestThrottledException",
                                          "TooManyRequestsException",
                                          "ProvisionedThroughputExceededException",
                                          "TransactionInProgressException",
                                          "RequestLimitExceeded",
                                          "BandwidthLimitExceeded",
                                          "LimitExceededException",
                                          "RequestThrottled",
                                          "SlowDown",
                                          "PriorRequestNotComplete",
                                          "EC2ThrottledException"};
    for (const auto* c : kCodes) {
        if (aws_code == c) {
            return true;
        }
    }
    return false;
}

ErrorCode map_generic_aws_error(const std::string& aws_code, int http_status) {
    if (is_throttling_code(aws_code) || http_status == 429) {
        return ErrorCode::throttled;
    }
    if (aws_code == "AccessDenied" || aws_code == "AccessDeniedException" || aws_code == "UnauthorizedOperation" ||
        aws_code == "AuthorizationError" || aws_code == "NotAuthorized") {
        return ErrorCode::access_denied;
    }
    if (aws_code == "SignatureDoesNotMatch" || aws_code == "IncompleteSignature" || aws_code == "RequestExpired" ||
        aws_code == "InvalidSignatureException") {
        return ErrorCode::signature;
    }
    if (aws_code == "InvalidClientTokenId" || aws_code == "UnrecognizedClientException" ||
        aws_code == "ExpiredToken" || aws_code == "ExpiredTokenException" || aws_code == "MissingAuthenticationToken") {
        return ErrorCode::credentials;
    }
    if (aws_code == "ValidationError" || aws_code == "ValidationException" || aws_code == "InvalidParameterValue" ||
        aws_code == "InvalidParameterCombination" || aws_code == "MissingParameter" ||
        aws_code == "InvalidParameterException" || aws_code == "SerializationException") {
        return ErrorCode::invalid_parameter;
    }
    if (http_status == 503 || aws_code == "ServiceUnavailable" || aws_code == "ServiceUnavailableException" ||
        aws_code == "InternalFailure" || aws_code == "InternalError" || aws_code == "InternalServerError" ||
        http_status >= 500) {
        return ErrorCode::service_unavailable;
    }
    return ErrorCode::aws_service;
}

} // namespace aurora::aws
