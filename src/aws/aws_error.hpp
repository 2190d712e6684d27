#pragma once
//! An error answered by an AWS service (or an emulator), with its structured fields (style.md #3, #4).

#include "common/error.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace aurora::aws {

class AwsError : public aurora::Error {
public:
    struct Details {
        std::string service;    //!< e.g. "rds"
        std::string operation;  //!< e.g. "DescribeDBClusters"
        std::string aws_code;   //!< e.g. "DBClusterNotFoundFault", "ThrottlingException"
        std::string aws_message;
        int http_status = 0;
        std::string request_id;
        std::optional<std::chrono::milliseconds> retry_after;
    };

    //! `code` is the project catalogue code this AWS error maps to; the message is built from details.
    AwsError(ErrorCode code, Details details, std::string hint = {});

    const Details& details() const noexcept { return details_; }
    const std::string& aws_code() const noexcept { return details_.aws_code; }
    const std::string& request_id() const noexcept { return details_.request_id; }
    int http_status() const noexcept { return details_.http_status; }

private:
    Details details_;
};

//! The catalogue code for a generic AWS error code and HTTP status (throttling, access denied, signature,
//! 5xx, validation). Service clients map their service-specific codes first and fall back to this.
ErrorCode map_generic_aws_error(const std::string& aws_code, int http_status);

//! True for the AWS throttling error codes (Throttling, ThrottlingException, RequestLimitExceeded,
//! TooManyRequestsException, ProvisionedThroughputExceededException, RequestThrottled, …).
bool is_throttling_code(const std::string& aws_code);

} // namespace aurora::aws
