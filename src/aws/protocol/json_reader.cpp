#include "aws/protocol/json_reader.hpp"

#include "aws/protocol/model_recorder.hpp"
#include "common/error.hpp"

#include <cmath>

namespace aurora::aws {
namespace {

[[noreturn]] void wrong_type(const std::string& path, const char* expected, const nlohmann::json& v) {
    throw Error(ErrorCode::aws_service,
                std::string("malformed response member ") + path + ": expected " + expected + ", got " +
                    v.type_name(),
                "the service answered something the AWS API model does not allow");
}

RecordedType kind_of(const nlohmann::json& v) {
    if (v.is_array()) return RecordedType::list;
    if (v.is_string()) return RecordedType::string;
    if (v.is_boolean()) return RecordedType::boolean;
    if (v.is_number_integer()) return RecordedType::integer;
    if (v.is_number()) return RecordedType::double_;
    return RecordedType::map;
}

} // namespace

JsonReader::JsonReader(std::shared_ptr<const nlohmann::json> root, const nlohmann::json* node, std::string path)
    : root_(std::move(root)), node_(node), path_(std::move(path)) {}

const nlohmann::json* JsonReader::member(const std::string& name) const {
    if (node_ == nullptr || !node_->is_object()) {
        return nullptr;
    }
    const auto it = node_->find(name);
    if (it == node_->end() || it->is_null()) {
        return nullptr;
    }
    return &*it;
}

std::optional<std::string> JsonReader::text(const std::string& name) const {
    const nlohmann::json* m = member(name);
    record_read(join_path(path_, name), RecordedType::string, m != nullptr);
    if (m == nullptr) {
        return std::nullopt;
    }
    if (!m->is_string()) {
        wrong_type(join_path(path_, name), "string", *m);
    }
    return m->get<std::string>();
}

std::optional<std::int64_t> JsonReader::integer(const std::string& name) const {
    const nlohmann::json* m = member(name);
    record_read(join_path(path_, name), RecordedType::integer, m != nullptr);
    if (m == nullptr) {
        return std::nullopt;
    }
    if (m->is_number_integer()) {
        return m->get<std::int64_t>();
    }
    // Some services write whole numbers as 3.0; accept those within the int64 range (outside it a cast
    // would be undefined).
    if (const double d = m->is_number_float() ? m->get<double>() : 0.5;
        std::trunc(d) == d && d >= -9.2e18 && d <= 9.2e18) {
        return static_cast<std::int64_t>(d);
    }
    wrong_type(join_path(path_, name), "integer", *m);
}

std::optional<double> JsonReader::number(const std::string& name) const {
    const nlohmann::json* m = member(name);
    record_read(join_path(path_, name), RecordedType::double_, m != nullptr);
    if (m == nullptr) {
        return std::nullopt;
    }
    if (!m->is_number()) {
        wrong_type(join_path(path_, name), "number", *m);
    }
    return m->get<double>();
}

std::optional<bool> JsonReader::boolean(const std::string& name) const {
    const nlohmann::json* m = member(name);
    record_read(join_path(path_, name), RecordedType::boolean, m != nullptr);
    if (m == nullptr) {
        return std::nullopt;
    }
    if (!m->is_boolean()) {
        wrong_type(join_path(path_, name), "boolean", *m);
    }
    return m->get<bool>();
}

std::optional<Clock::WallTime> JsonReader::timestamp(const std::string& name) const {
    const nlohmann::json* m = member(name);
    record_read(join_path(path_, name), RecordedType::timestamp, m != nullptr);
    if (m == nullptr) {
        return std::nullopt;
    }
    // Why: the JSON 1.0/1.1 protocols send timestamps as epoch seconds with a fraction (smithy
    // aws-json-1_1-protocol, "timestamp"); an ISO string is accepted as well, as botocore's parser does.
    // Clock::WallTime holds about ±292 years around 1970 in nanoseconds; nothing AWS sends is outside
    // ±7e9 seconds (1748..2191), so anything beyond is malformed rather than an overflow.
    if (m->is_number() && std::abs(m->get<double>()) <= 7.0e9) {
        const auto ms = std::llround(m->get<double>() * 1000.0);
        return Clock::WallTime{std::chrono::milliseconds{ms}};
    }
    if (m->is_string()) {
        try {
            return parse_iso8601(m->get<std::string>());
        } catch (const Error&) {
            wrong_type(join_path(path_, name), "timestamp", *m);
        }
    }
    wrong_type(join_path(path_, name), "timestamp", *m);
}

JsonReader JsonReader::child(const std::string& name) const {
    const nlohmann::json* m = member(name);
    const std::string path = join_path(path_, name);
    record_read(path, RecordedType::structure, m != nullptr);
    if (m != nullptr && !m->is_object()) {
        wrong_type(path, "object", *m);
    }
    return JsonReader(root_, m, path);
}

std::vector<JsonReader> JsonReader::list(const std::string& name) const {
    const nlohmann::json* m = member(name);
    const std::string path = join_path(path_, name);
    record_read(path, RecordedType::list, m != nullptr);
    std::vector<JsonReader> out;
    if (m == nullptr) {
        return out;
    }
    if (!m->is_array()) {
        wrong_type(path, "array", *m);
    }
    for (const auto& e : *m) {
        out.emplace_back(root_, &e, path + "[]");
    }
    return out;
}

std::vector<std::string> JsonReader::string_list(const std::string& name) const {
    const nlohmann::json* m = member(name);
    const std::string path = join_path(path_, name);
    record_read(path, RecordedType::list, m != nullptr);
    std::vector<std::string> out;
    if (m != nullptr) {
        if (!m->is_array()) {
            wrong_type(path, "array", *m);
        }
        for (const auto& e : *m) {
            if (!e.is_string()) {
                wrong_type(path + "[]", "string", e);
            }
            out.push_back(e.get<std::string>());
        }
    }
    record_read(path + "[]", RecordedType::string, !out.empty());
    return out;
}

std::optional<nlohmann::json> JsonReader::raw(const std::string& name) const {
    const nlohmann::json* m = member(name);
    record_read(join_path(path_, name), m == nullptr ? RecordedType::map : kind_of(*m), m != nullptr);
    if (m == nullptr) {
        return std::nullopt;
    }
    return *m;
}

JsonResponse::JsonResponse(const std::string& body, std::string request_id) : request_id_(std::move(request_id)) {
    if (body.find_first_not_of(" \t\r\n") == std::string::npos) {
        // Why: operations with an empty output shape may answer with an empty body.
        doc_ = std::make_shared<const nlohmann::json>(nlohmann::json::object());
        return;
    }
    try {
        doc_ = std::make_shared<const nlohmann::json>(nlohmann::json::parse(body));
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorCode::aws_service, std::string("malformed json in response: ") + e.what(),
                    "the endpoint may not be an AWS JSON API; check the endpoint url");
    }
}

JsonReader JsonResponse::result() const { return JsonReader(doc_, doc_.get(), ""); }

} // namespace aurora::aws
