#pragma once
//! Query protocol request parameters (https://smithy.io/2.0/aws/protocols/aws-query-protocol.html):
//! flat key/value pairs, lists as `Name.member.N` (1-based), structures as `Name.Member`, maps as
//! `Name.entry.N.key/value`, form-encoded into the POST body.

#include "aws/protocol/model_recorder.hpp"
#include "common/clock.hpp"

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
    //! Adds a double in the shortest form that round-trips ("0.5", "8").
    QueryParams& add_double(std::string key, double value);
    //! Adds an ISO 8601 UTC timestamp ("2024-01-31T02:00:00Z"), the Query protocol's timestamp format.
    QueryParams& add_timestamp(std::string key, Clock::WallTime value);
    //! Adds `prefix.member.1=...`, `prefix.member.2=...`. Nothing for an empty list (AWS treats a missing
    //! list as empty).
    QueryParams& add_list(const std::string& prefix, const std::vector<std::string>& values,
                          const std::string& member_name = "member");
    //! Adds a list of key/value structures (tags): `prefix.member.N.Key` / `.Value`.
    QueryParams& add_tags(const std::string& prefix, const std::vector<std::pair<std::string, std::string>>& tags,
                          const std::string& member_name = "Tag");

    const std::vector<Entry>& entries() const noexcept { return entries_; }
    //! The value of the first entry named `key`, or nullptr.
    const std::string* find(const std::string& key) const;
    //! application/x-www-form-urlencoded body (RFC 3986 encoding, '%20' for space as the SDKs send).
    std::string encode() const;
    //! Reports every entry to the thread's model recorder (model_recorder.hpp); no-op when none.
    void record() const;

private:
    QueryParams& push(std::string key, std::string value, RecordedType type);

    std::vector<Entry> entries_;
    std::vector<RecordedType> types_; // parallel to entries_
};

} // namespace aurora::aws
