#pragma once
//! Amazon CloudWatch client (Query protocol, API version 2010-08-01, signing name "monitoring"):
//! PutMetricData for the pipeline's restore metrics (duration, retries, outcome). Errors:
//! InvalidParameterValue / InvalidParameterCombination / MissingParameter -> invalid_parameter (generic),
//! InternalServiceError -> service_unavailable.

#include "aws/client/aws_client.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace aurora::aws::cloudwatch {

//! The catalogue code for one of this service's error codes (nullopt: the generic mapping applies).
std::optional<ErrorCode> cloudwatch_error_code(const std::string& aws_code, int http_status);
//! The service descriptor (endpoint prefix, signing name, API version, protocol).
ServiceDescriptor cloudwatch_service();

struct Dimension {
    std::string name;
    std::string value;
};

//! One MetricDatum with a single value.
struct MetricDatum {
    std::string metric_name;
    std::vector<Dimension> dimensions; //!< up to 30
    double value = 0;
    std::string unit;                  //!< StandardUnit: "Seconds", "Count", "None", …; empty: not sent
    std::optional<Clock::WallTime> timestamp; //!< empty: the time CloudWatch receives it
    std::optional<std::int64_t> storage_resolution; //!< 1 (high resolution) or 60
};

//! Thread-safe: calls from many threads share one AwsClient (signing, retries, rate limiter).
class CloudWatchClient {
public:
    //! A client on `context` (region, endpoint, transport, credentials); throws Error(config) as AwsClient does.
    explicit CloudWatchClient(ClientContext context);

    //! PutMetricData into `metric_namespace`, in calls of at most 1000 data points (the API's limit).
    //! Not idempotent (a retried call may count twice, which metrics tolerate).
    void put_metric_data(const std::string& metric_namespace, const std::vector<MetricDatum>& data);

    //! The underlying core: region, endpoint, clock, and raw calls (tests create fixtures through it).
    AwsClient& core() noexcept { return core_; }

private:
    AwsClient core_;
};

} // namespace aurora::aws::cloudwatch
