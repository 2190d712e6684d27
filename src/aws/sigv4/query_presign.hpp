#pragma once
//! Presigned URLs for Query-protocol actions, byte for byte as botocore builds them — above all the
//! cross-region `PreSignedUrl` of RDS CopyDBClusterSnapshot / CopyDBSnapshot / CreateDBCluster
//! (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CopyDBClusterSnapshot.html, "PreSignedUrl";
//! botocore handlers.inject_presigned_url_rds and _get_cross_region_presigned_url).

#include "aws/credentials/credentials.hpp"
#include "common/clock.hpp"

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace aurora::aws {

using QueryActionParams = std::vector<std::pair<std::string, std::string>>;

//! A GET presigned URL for a Query-protocol action: `endpoint_url` ("https://host" or "https://host/path";
//! no path means "/") with `params` (decoded, in the order given: Action, Version, then the operation's
//! serialized parameters such as "Tags.Tag.1.Key") followed by the SigV4 query auth parameters in
//! botocore's order, signed for `region` / `service` at `time`, valid for `expires` (1 s .. 7 days; else
//! aurora::Error(invalid_parameter)). Only Host is signed; the payload is the empty body. Pure.
std::string presign_query_action(const std::string& endpoint_url, const QueryActionParams& params,
                                 const Credentials& creds, const std::string& region, const std::string& service,
                                 Clock::WallTime time, std::chrono::seconds expires);

//! The RDS cross-region PreSignedUrl exactly as botocore injects it when a caller passes SourceRegion:
//! - `destination_endpoint_url` is the endpoint the actual call goes to (the destination region's, e.g.
//!   "https://rds.us-west-2.amazonaws.com/"); every occurrence of `destination_region` in it is replaced by
//!   `source_region` (botocore's str.replace) to get the source region's endpoint;
//! - `operation_params` are Action, Version and the operation's serialized parameters in the order the call
//!   sends them, WITHOUT SourceRegion and PreSignedUrl; DestinationRegion=`destination_region` is appended;
//! - signed with the source region, service "rds", GET, expiry 3600 s.
//! The RDS client puts the result in the PreSignedUrl parameter of the call it sends to the destination.
std::string rds_cross_region_presigned_url(const std::string& destination_endpoint_url,
                                           const std::string& destination_region, const std::string& source_region,
                                           const QueryActionParams& operation_params, const Credentials& creds,
                                           Clock::WallTime time);

} // namespace aurora::aws
