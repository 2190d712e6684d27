#pragma once
//! Typed, recorded access to JSON-protocol responses, the JSON twin of XmlNode. A missing (or null) member
//! is a value (nullopt / invalid reader / empty list), not an error; a member of the wrong JSON type is
//! Error(aws_service). Every accessor reports to the thread's model recorder (model_recorder.hpp).

#include "common/clock.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace aurora::aws {

class JsonReader {
public:
    JsonReader() = default;
    //! `root` keeps the document alive; `path` is the shape path of `node` ("" for the operation output).
    JsonReader(std::shared_ptr<const nlohmann::json> root, const nlohmann::json* node, std::string path);

    bool valid() const noexcept { return node_ != nullptr; }
    std::optional<std::string> text(const std::string& name) const;
    std::optional<std::int64_t> integer(const std::string& name) const;
    std::optional<double> number(const std::string& name) const;
    std::optional<bool> boolean(const std::string& name) const;
    //! JSON protocol timestamps are epoch seconds (number).
    std::optional<Clock::WallTime> timestamp(const std::string& name) const;
    JsonReader child(const std::string& name) const;
    std::vector<JsonReader> list(const std::string& name) const;
    std::vector<std::string> string_list(const std::string& name) const;
    //! A member read as raw JSON (DynamoDB attribute values, Step Functions payloads).
    std::optional<nlohmann::json> raw(const std::string& name) const;
    const nlohmann::json* node() const noexcept { return node_; }
    const std::string& path() const noexcept { return path_; }

private:
    const nlohmann::json* member(const std::string& name) const;

    std::shared_ptr<const nlohmann::json> root_;
    const nlohmann::json* node_ = nullptr;
    std::string path_;
};

class JsonResponse {
public:
    //! Parses `body` (an empty body is an empty object); throws Error(aws_service) on malformed JSON.
    JsonResponse(const std::string& body, std::string request_id);
    JsonReader result() const;
    const std::string& request_id() const noexcept { return request_id_; }

private:
    std::shared_ptr<const nlohmann::json> doc_;
    std::string request_id_;
};

} // namespace aurora::aws
