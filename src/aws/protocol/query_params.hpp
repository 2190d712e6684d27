#pragma once
//! Query protocol request parameters (https://smithy.io/2.0/aws/protocols/aws-query-protocol.html):
//! flat key/value pairs, lists as `Name.member.N` (1-based), structures as `Name.Member`, maps as
//! `Name.entry.N.key/value`, form-encoded into the POST body.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace aurora::aws {

class QueryParams {
public:
    using Entry = std::pair<std::string, std::string>;

    //! Adds `key=value` (the key is the full wire name, e.g. "Filters.member.1.Name").
    QueryParams& add(std::string key, std::string value);
    QueryParams& add_bool(std::string key, bool value);      //!< "true" / "false"
    QueryParams& add_int(std::string key, std::int64_t value);
    //! Adds `prefix.member.1=...`, `prefix.member.2=...`. Nothing for an empty list (AWS treats a missing
    //! list as empty).
    QueryParams& add_list(const std::string& prefix, const std::vector<std::string>& values,
                          const std::string& member_name = "member");
    //! Adds a list of key/value structures (tags): `prefix.member.N.Key` / `.Value`.
    QueryParams& add_tags(const std::string& prefix, const std::vector<std::pair<std::string, std::string>>& tags,
                          const std::string& member_name = "Tag");

    const std::vector<Entry>& entries() const noexcept { return entries_; }
    //! application/x-www-form-urlencoded body (RFC 3986 encoding, '%20' for space as the SDKs send).
    std::string encode() const;

private:
    std::vector<Entry> entries_;
};

} // namespace aurora::aws
