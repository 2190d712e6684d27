#pragma once
//! Reading Query-protocol parameters of RDS requests and RDS's rules for them (internal to
//! src/sandbox/rds): typed getters that answer AWS's errors (MissingParameter, InvalidParameterValue),
//! lists in any member naming (`Name.member.N` as the smithy spec writes, `Name.Tag.N` as botocore sends
//! per the model's locationName), tags, filters, identifier rules.

#include "sandbox/rds/rds_state.hpp"
#include "sandbox/service.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace aurora::sandbox::rds {

//! An AWS error answer for RDS: code and HTTP status as in the rds/2014-10-31 model.
ServiceError fault(const std::string& code, const std::string& message);

using Params = std::map<std::string, std::string>;

//! The value of `name`, or nullopt when absent.
std::optional<std::string> opt(const Params& p, const std::string& name);
//! The value of `name`; MissingParameter when absent or empty.
std::string required(const Params& p, const std::string& name);
//! "true"/"false" (any case); InvalidParameterValue otherwise.
std::optional<bool> opt_bool(const Params& p, const std::string& name);
std::optional<long long> opt_int(const Params& p, const std::string& name);
std::optional<double> opt_double(const Params& p, const std::string& name);
//! The values of list `prefix` (`prefix.<any>.N`, ordered by N).
std::vector<std::string> list(const Params& p, const std::string& prefix);
//! Tags of `prefix` (`prefix.<any>.N.Key` / `.Value`), in order.
Tags tags(const Params& p, const std::string& prefix = "Tags");

struct Filter {
    std::string name;
    std::vector<std::string> values;
};
//! `Filters.<any>.N.Name` and `Filters.<any>.N.Values.<any>.M`. A filter name not in `allowed` is
//! InvalidParameterValue (as RDS answers an unsupported filter).
std::vector<Filter> filters(const Params& p, const std::vector<std::string>& allowed);

//! RDS naming rules (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html):
//! 1–max_len letters, digits or hyphens; first a letter; no trailing hyphen; no two consecutive hyphens.
//! InvalidParameterValue naming `param` otherwise.
void check_identifier(const std::string& param, const std::string& value, std::size_t max_len = 63);

std::string lower(std::string s);

//! Applies `changes` to `tags`: same key replaced in place, new keys appended.
void merge_tags(Tags& tags, const Tags& changes);
//! The value of tag `key`, or "".
std::string tag_value(const Tags& tags, const std::string& key);

//! MaxRecords (default 100; InvalidParameterValue outside 20–100) and the opaque Marker: the page of
//! `ids` (sorted) after the marker, and the next marker ("" when this is the last page).
struct Page {
    std::vector<std::string> ids;
    std::string next_marker;
};
Page paginate(const Params& p, const std::vector<std::string>& sorted_ids);

} // namespace aurora::sandbox::rds
