#include "aws/cloudwatch/cloudwatch_client.hpp"

#include <algorithm>
#include <utility>

namespace aurora::aws::cloudwatch {

std::optional<ErrorCode> cloudwatch_error_code(const std::string& aws_code, int /*http_status*/) {
    if (aws_code == "InternalServiceError") {
        return ErrorCode::service_unavailable;
    }
    if (aws_code == "InvalidParameterInput" || aws_code == "InvalidFormat") {
        return ErrorCode::invalid_parameter;
    }
    return std::nullopt;
}

ServiceDescriptor cloudwatch_service() {
    return ServiceDescriptor{"CloudWatch", "monitoring", "monitoring", "2010-08-01", Protocol::query, ""};
}

CloudWatchClient::CloudWatchClient(ClientContext context)
    : core_(cloudwatch_service(), std::move(context), cloudwatch_error_code) {}

namespace {

// PutMetricData accepts up to 1000 MetricDatum per call
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html).
constexpr std::size_t kMaxDataPerCall = 1000;

void add_datum(QueryParams& p, const std::string& prefix, const MetricDatum& d) {
    p.add(prefix + ".MetricName", d.metric_name);
    for (std::size_t j = 0; j < d.dimensions.size(); ++j) {
        const std::string dim = prefix + ".Dimensions.member." + std::to_string(j + 1);
        p.add(dim + ".Name", d.dimensions[j].name);
        p.add(dim + ".Value", d.dimensions[j].value);
    }
    if (d.timestamp) {
        p.add_timestamp(prefix + ".Timestamp", *d.timestamp);
    }
    p.add_double(prefix + ".Value", d.value);
    if (!d.unit.empty()) {
        p.add(prefix + ".Unit", d.unit);
    }
    if (d.storage_resolution) {
        p.add_int(prefix + ".StorageResolution", *d.storage_resolution);
    }
}

} // namespace

void CloudWatchClient::put_metric_data(const std::string& metric_namespace, const std::vector<MetricDatum>& data) {
    for (std::size_t start = 0; start < data.size(); start += kMaxDataPerCall) {
        const std::size_t end = std::min(data.size(), start + kMaxDataPerCall);
        QueryParams p;
        p.add("Namespace", metric_namespace);
        for (std::size_t i = start; i < end; ++i) {
            add_datum(p, "MetricData.member." + std::to_string(i - start + 1), data[i]);
        }
        core_.query("PutMetricData", p);
    }
}

} // namespace aurora::aws::cloudwatch
