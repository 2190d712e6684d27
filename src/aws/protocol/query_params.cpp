#include "aws/protocol/query_params.hpp"

#include "aws/http/http_message.hpp"

#include <charconv>

namespace aurora::aws {

QueryParams& QueryParams::push(std::string key, std::string value, RecordedType type) {
    entries_.emplace_back(std::move(key), std::move(value));
    types_.push_back(type);
    return *this;
}

QueryParams& QueryParams::add(std::string key, std::string value) {
    return push(std::move(key), std::move(value), RecordedType::string);
}

QueryParams& QueryParams::add_bool(std::string key, bool value) {
    return push(std::move(key), value ? "true" : "false", RecordedType::boolean);
}

QueryParams& QueryParams::add_int(std::string key, std::int64_t value) {
    return push(std::move(key), std::to_string(value), RecordedType::integer);
}

QueryParams& QueryParams::add_double(std::string key, double value) {
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, value);
    return push(std::move(key), std::string(buf, res.ptr), RecordedType::double_);
}

QueryParams& QueryParams::add_timestamp(std::string key, Clock::WallTime value) {
    return push(std::move(key), format_iso8601(value), RecordedType::timestamp);
}

QueryParams& QueryParams::add_list(const std::string& prefix, const std::vector<std::string>& values,
                                   const std::string& member_name) {
    for (std::size_t i = 0; i < values.size(); ++i) {
        add(prefix + "." + member_name + "." + std::to_string(i + 1), values[i]);
    }
    return *this;
}

QueryParams& QueryParams::add_tags(const std::string& prefix,
                                   const std::vector<std::pair<std::string, std::string>>& tags,
                                   const std::string& member_name) {
    for (std::size_t i = 0; i < tags.size(); ++i) {
        const std::string base = prefix + "." + member_name + "." + std::to_string(i + 1);
        add(base + ".Key", tags[i].first);
        add(base + ".Value", tags[i].second);
    }
    return *this;
}

const std::string* QueryParams::find(const std::string& key) const {
    for (const auto& [k, v] : entries_) {
        if (k == key) {
            return &v;
        }
    }
    return nullptr;
}

std::string QueryParams::encode() const {
    std::string out;
    for (const auto& [k, v] : entries_) {
        if (!out.empty()) {
            out += '&';
        }
        out += uri_encode(k);
        out += '=';
        out += uri_encode(v);
    }
    return out;
}

void QueryParams::record() const {
    if (model_recorder() == nullptr) {
        return;
    }
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        record_sent(query_key_to_path(entries_[i].first), types_[i]);
    }
}

} // namespace aurora::aws
