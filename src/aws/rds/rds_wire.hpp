#pragma once
//! RDS wire details shared by the client's translation units: request member serialization with the
//! model's list member names, and parsing of the response structures.

#include "aws/protocol/query_params.hpp"
#include "aws/protocol/xml_reader.hpp"
#include "aws/rds/rds_types.hpp"

#include <string>
#include <vector>

namespace aurora::aws::rds::wire {

void add_optional(QueryParams& p, const std::string& key, const std::string& value);
void add_optional(QueryParams& p, const std::string& key, const std::optional<bool>& value);
void add_optional(QueryParams& p, const std::string& key, const std::optional<std::int64_t>& value);
//! Tags as `Tags.Tag.N.Key` / `.Value` (TagList's member locationName is "Tag").
void add_tags(QueryParams& p, const Tags& tags);
//! Filters as `Filters.Filter.N.Name` and `Filters.Filter.N.Values.Value.M`.
void add_filters(QueryParams& p, const std::vector<Filter>& filters);
//! VpcSecurityGroupIds.VpcSecurityGroupId.N
void add_vpc_security_group_ids(QueryParams& p, const std::vector<std::string>& ids);
//! ServerlessV2ScalingConfiguration.MinCapacity / .MaxCapacity (doubles).
void add_serverless_v2(QueryParams& p, const std::optional<ServerlessV2Scaling>& scaling);

Tags parse_tags(const XmlNode& parent);
DbClusterSnapshot parse_snapshot(const XmlNode& node);
DbCluster parse_cluster(const XmlNode& node);
DbInstance parse_instance(const XmlNode& node);

} // namespace aurora::aws::rds::wire
