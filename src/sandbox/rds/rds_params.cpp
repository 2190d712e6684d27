#include "sandbox/rds/rds_params.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <set>

namespace aurora::sandbox::rds {

ServiceError fault(const std::string& code, const std::string& message) {
    // Statuses from the error shapes of botocore's rds/2014-10-31 model (httpStatusCode).
    static const std::set<std::string> not_found{"DBClusterSnapshotNotFoundFault", "DBClusterNotFoundFault",
                                                 "DBInstanceNotFound", "DBSubnetGroupNotFoundFault",
                                                 "DBClusterParameterGroupNotFound"};
    return ServiceError(code, message, not_found.contains(code) ? 404 : 400, true);
}

std::optional<std::string> opt(const Params& p, const std::string& name) {
    auto it = p.find(name);
    if (it == p.end()) {
        return std::nullopt;
    }
    return it->second;
}

std::string required(const Params& p, const std::string& name) {
    auto v = opt(p, name);
    if (!v || v->empty()) {
        throw fault("MissingParameter", "The request must contain the parameter " + name);
    }
    return *v;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::optional<bool> opt_bool(const Params& p, const std::string& name) {
    auto v = opt(p, name);
    if (!v) {
        return std::nullopt;
    }
    auto l = lower(*v);
    if (l == "true") {
        return true;
    }
    if (l == "false") {
        return false;
    }
    throw fault("InvalidParameterValue", "Value " + *v + " for parameter " + name + " is invalid. Not a boolean.");
}

std::optional<long long> opt_int(const Params& p, const std::string& name) {
    auto v = opt(p, name);
    if (!v) {
        return std::nullopt;
    }
    long long out = 0;
    auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
    if (ec != std::errc{} || ptr != v->data() + v->size()) {
        throw fault("InvalidParameterValue", "Value " + *v + " for parameter " + name + " is invalid. Not an integer.");
    }
    return out;
}

std::optional<double> opt_double(const Params& p, const std::string& name) {
    auto v = opt(p, name);
    if (!v) {
        return std::nullopt;
    }
    try {
        std::size_t used = 0;
        double out = std::stod(*v, &used);
        if (used == v->size() && std::isfinite(out)) {
            return out;
        }
    } catch (const std::exception&) {
        // falls through to the AWS error below
    }
    throw fault("InvalidParameterValue", "Value " + *v + " for parameter " + name + " is invalid. Not a number.");
}

namespace {

//! Splits "prefix.<member>.N<rest>" into (N, rest); nullopt when `key` is not an element of list `prefix`.
std::optional<std::pair<int, std::string>> list_element(const std::string& key, const std::string& prefix) {
    if (key.size() <= prefix.size() + 1 || key.compare(0, prefix.size(), prefix) != 0 || key[prefix.size()] != '.') {
        return std::nullopt;
    }
    auto member_end = key.find('.', prefix.size() + 1);
    if (member_end == std::string::npos) {
        return std::nullopt;
    }
    auto index_end = key.find('.', member_end + 1);
    std::string index = key.substr(member_end + 1, index_end == std::string::npos ? std::string::npos
                                                                                   : index_end - member_end - 1);
    int n = 0;
    auto [ptr, ec] = std::from_chars(index.data(), index.data() + index.size(), n);
    if (ec != std::errc{} || ptr != index.data() + index.size() || index.empty()) {
        return std::nullopt;
    }
    return std::make_pair(n, index_end == std::string::npos ? std::string{} : key.substr(index_end));
}

} // namespace

std::vector<std::string> list(const Params& p, const std::string& prefix) {
    std::map<int, std::string> by_index;
    for (auto it = p.lower_bound(prefix + "."); it != p.end() && it->first.starts_with(prefix + "."); ++it) {
        auto e = list_element(it->first, prefix);
        if (e && e->second.empty()) {
            by_index[e->first] = it->second;
        }
    }
    std::vector<std::string> out;
    for (auto& [_, v] : by_index) {
        out.push_back(v);
    }
    return out;
}

Tags tags(const Params& p, const std::string& prefix) {
    std::map<int, std::pair<std::string, std::string>> by_index;
    for (auto it = p.lower_bound(prefix + "."); it != p.end() && it->first.starts_with(prefix + "."); ++it) {
        auto e = list_element(it->first, prefix);
        if (!e) {
            continue;
        }
        if (e->second == ".Key") {
            by_index[e->first].first = it->second;
        } else if (e->second == ".Value") {
            by_index[e->first].second = it->second;
        }
    }
    Tags out;
    for (auto& [_, kv] : by_index) {
        if (kv.first.empty()) {
            throw fault("InvalidParameterValue", "A tag key must not be empty.");
        }
        out.push_back(kv);
    }
    return out;
}

std::vector<Filter> filters(const Params& p, const std::vector<std::string>& allowed) {
    std::map<int, Filter> by_index;
    std::map<int, std::map<int, std::string>> values;
    const std::string prefix = "Filters";
    for (auto it = p.lower_bound(prefix + "."); it != p.end() && it->first.starts_with(prefix + "."); ++it) {
        auto e = list_element(it->first, prefix);
        if (!e) {
            continue;
        }
        if (e->second == ".Name") {
            by_index[e->first].name = it->second;
        } else if (auto v = list_element(e->second.substr(1), "Values"); v && e->second.starts_with(".Values.")) {
            values[e->first][v->first] = it->second;
        }
    }
    std::vector<Filter> out;
    for (auto& [n, f] : by_index) {
        if (std::find(allowed.begin(), allowed.end(), f.name) == allowed.end()) {
            throw fault("InvalidParameterValue", "Unrecognized filter name: " + f.name + ".");
        }
        for (auto& [_, v] : values[n]) {
            f.values.push_back(v);
        }
        out.push_back(std::move(f));
    }
    return out;
}

void check_identifier(const std::string& param, const std::string& value, std::size_t max_len) {
    bool ok = !value.empty() && value.size() <= max_len && std::isalpha(static_cast<unsigned char>(value[0])) != 0 &&
              value.back() != '-' && value.find("--") == std::string::npos &&
              std::all_of(value.begin(), value.end(),
                          [](unsigned char c) { return std::isalnum(c) != 0 || c == '-'; });
    if (!ok) {
        // The message RDS answers for a malformed identifier.
        throw fault("InvalidParameterValue",
                    "The parameter " + param +
                        " is not a valid identifier. Identifiers must begin with a letter; must contain only "
                        "ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two "
                        "consecutive hyphens.");
    }
}

void merge_tags(Tags& tags_inout, const Tags& changes) {
    for (const auto& [k, v] : changes) {
        auto it = std::find_if(tags_inout.begin(), tags_inout.end(), [&](const auto& t) { return t.first == k; });
        if (it != tags_inout.end()) {
            it->second = v;
        } else {
            tags_inout.emplace_back(k, v);
        }
    }
}

std::string tag_value(const Tags& tags_in, const std::string& key) {
    for (const auto& [k, v] : tags_in) {
        if (k == key) {
            return v;
        }
    }
    return {};
}

namespace {

std::string hex_encode(const std::string& s) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (unsigned char c : s) {
        out += digits[c >> 4];
        out += digits[c & 0xF];
    }
    return out;
}

std::optional<std::string> hex_decode(const std::string& s) {
    if (s.size() % 2 != 0) {
        return std::nullopt;
    }
    std::string out;
    for (std::size_t i = 0; i < s.size(); i += 2) {
        unsigned value = 0;
        auto [ptr, ec] = std::from_chars(s.data() + i, s.data() + i + 2, value, 16);
        if (ec != std::errc{} || ptr != s.data() + i + 2) {
            return std::nullopt;
        }
        out += static_cast<char>(value);
    }
    return out;
}

} // namespace

Page paginate(const Params& p, const std::vector<std::string>& sorted_ids) {
    // MaxRecords: "Default: 100. Constraints: Minimum 20, maximum 100." (RDS API reference, Describe*).
    long long max_records = opt_int(p, "MaxRecords").value_or(100);
    if (max_records < 20 || max_records > 100) {
        throw fault("InvalidParameterValue",
                    "Invalid value " + std::to_string(max_records) + " for MaxRecords. Must be between 20 and 100");
    }
    auto begin = sorted_ids.begin();
    if (auto marker = opt(p, "Marker"); marker && !marker->empty()) {
        auto last = hex_decode(*marker);
        if (!last || !last->starts_with("v1:")) {
            throw fault("InvalidParameterValue", "The marker " + *marker + " is not valid.");
        }
        begin = std::upper_bound(sorted_ids.begin(), sorted_ids.end(), last->substr(3));
    }
    Page page;
    auto end = begin;
    while (end != sorted_ids.end() && static_cast<long long>(page.ids.size()) < max_records) {
        page.ids.push_back(*end++);
    }
    if (end != sorted_ids.end()) {
        page.next_marker = hex_encode("v1:" + page.ids.back());
    }
    return page;
}

} // namespace aurora::sandbox::rds
