#pragma once
//! Amazon Resource Names (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html).

#include <optional>
#include <string>
#include <string_view>

namespace aurora::aws {

struct Arn {
    std::string partition; //!< "aws", "aws-cn", "aws-us-gov"
    std::string service;   //!< "rds"
    std::string region;
    std::string account;
    std::string resource;  //!< everything after the account, e.g. "cluster-snapshot:my-snap"

    //! The resource type before the first ':' or '/' ("cluster-snapshot"), or empty.
    std::string resource_type() const;
    //! The resource id after the first ':' or '/' ("my-snap"), or the whole resource.
    std::string resource_id() const;
    std::string to_string() const;
};

//! Parses "arn:partition:service:region:account:resource"; nullopt when `text` is not an ARN.
std::optional<Arn> parse_arn(std::string_view text);

//! The partition of a region: "aws-cn" for cn-*, "aws-us-gov" for us-gov-*, "aws-iso" for us-iso-*,
//! "aws-iso-b" for us-isob-*, else "aws".
std::string partition_for_region(std::string_view region);

} // namespace aurora::aws
