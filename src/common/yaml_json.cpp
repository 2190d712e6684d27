#include "common/yaml_json.hpp"

#include "common/error.hpp"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <fstream>
#include <sstream>

namespace aurora {
namespace {

nlohmann::json plain_scalar(const std::string& s) {
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
    std::int64_t i = 0;
    const char* end = s.data() + s.size();
    if (auto [p, ec] = std::from_chars(s.data(), end, i); ec == std::errc{} && p == end) {
        return i;
    }
    double d = 0;
    if (auto [p, ec] = std::from_chars(s.data(), end, d); ec == std::errc{} && p == end) {
        return d;
    }
    return s;
}

nlohmann::json to_json(const YAML::Node& node) {
    switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined: return nullptr;
    case YAML::NodeType::Scalar:
        // yaml-cpp tags plain scalars "?" and quoted ones "!": only plain ones are typed.
        return node.Tag() == "?" ? plain_scalar(node.Scalar()) : nlohmann::json(node.Scalar());
    case YAML::NodeType::Sequence: {
        nlohmann::json arr = nlohmann::json::array();
        for (const auto& item : node) {
            arr.push_back(to_json(item));
        }
        return arr;
    }
    case YAML::NodeType::Map: {
        nlohmann::json obj = nlohmann::json::object();
        for (const auto& kv : node) {
            obj[kv.first.as<std::string>()] = to_json(kv.second);
        }
        return obj;
    }
    }
    return nullptr;
}

} // namespace

nlohmann::json parse_yaml(std::string_view text, const std::string& source_name) {
    try {
        return to_json(YAML::Load(std::string(text)));
    } catch (const YAML::Exception& e) {
        throw Error(ErrorCode::invalid_request,
                    source_name + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                        ": " + e.msg,
                    "check the yaml syntax (indentation, colons, quotes)");
    }
}

nlohmann::json load_yaml_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        throw Error(ErrorCode::invalid_request, "cannot read request file '" + path + "'",
                    "check the path; use -f - to read the request from standard input");
    }
    std::stringstream ss;
    ss << in.rdbuf();
    return parse_yaml(ss.str(), path);
}

} // namespace aurora
