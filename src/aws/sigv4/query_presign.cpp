#include "aws/sigv4/query_presign.hpp"

#include "aws/http/http_message.hpp"
#include "aws/sigv4/sigv4.hpp"
#include "common/error.hpp"

namespace aurora::aws {

std::string presign_query_action(const std::string& endpoint_url, const QueryActionParams& params,
                                 const Credentials& creds, const std::string& region, const std::string& service,
                                 Clock::WallTime time, std::chrono::seconds expires) {
    HttpRequest request = request_from_url("GET", endpoint_url);
    if (!request.query.empty()) {
        throw Error(ErrorCode::invalid_parameter, "endpoint url '" + endpoint_url + "' carries a query string",
                    "pass the action's parameters separately");
    }
    request.query = params;
    SigningParams signing;
    signing.region = region;
    signing.service = service;
    signing.time = time;
    signing.presign_param_order = PresignParamOrder::botocore;
    presign_request(request, creds, signing, expires);
    return request.url();
}

std::string rds_cross_region_presigned_url(const std::string& destination_endpoint_url,
                                           const std::string& destination_region, const std::string& source_region,
                                           const QueryActionParams& operation_params, const Credentials& creds,
                                           Clock::WallTime time) {
    if (destination_region.empty() || source_region.empty()) {
        throw Error(ErrorCode::invalid_parameter,
                    "a cross-region presigned url needs a source and a destination region");
    }
    std::string source_endpoint = destination_endpoint_url;
    for (auto pos = source_endpoint.find(destination_region); pos != std::string::npos;
         pos = source_endpoint.find(destination_region, pos + source_region.size())) {
        source_endpoint.replace(pos, destination_region.size(), source_region);
    }
    QueryActionParams params = operation_params;
    params.emplace_back("DestinationRegion", destination_region);
    // botocore's generate_presigned_url default and the RDS docs' recommendation: one hour.
    return presign_query_action(source_endpoint, params, creds, source_region, "rds", time, std::chrono::seconds{3600});
}

} // namespace aurora::aws
