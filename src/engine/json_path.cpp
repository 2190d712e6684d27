#include "engine/json_path.hpp"

#include "common/error.hpp"

#include <cctype>

namespace aurora::engine {
namespace {

[[noreturn]] void bad_path(std::string_view text, const std::string& why) {
    throw Error(ErrorCode::config, "invalid path '" + std::string(text) + "': " + why,
                "the engine supports $, $.field, $.field[0], $['field'] and $$.Execution.Id style paths");
}

bool is_name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' ||
           static_cast<unsigned char>(c) >= 0x80;
}

} // namespace

JsonPath::JsonPath() = default;

JsonPath JsonPath::parse(std::string_view text, bool allow_context) {
    JsonPath p;
    p.text_ = std::string(text);
    std::size_t i = 0;
    if (text.substr(0, 2) == "$$") {
        if (!allow_context) {
            bad_path(text, "this field may not refer to the context object");
        }
        p.context_ = true;
        i = 2;
    } else if (text.substr(0, 1) == "$") {
        i = 1;
    } else {
        bad_path(text, "a path starts with $");
    }
    while (i < text.size()) {
        const char c = text[i];
        if (c == '.') {
            const std::size_t start = ++i;
            while (i < text.size() && is_name_char(text[i])) {
                ++i;
            }
            if (i == start) {
                bad_path(text, "expected a field name after '.' at offset " + std::to_string(start));
            }
            p.steps_.emplace_back(std::string(text.substr(start, i - start)));
        } else if (c == '[') {
            const std::size_t close = text.find(']', i);
            if (close == std::string_view::npos) {
                bad_path(text, "unclosed '['");
            }
            const std::string_view inner = text.substr(i + 1, close - i - 1);
            if (inner.size() >= 2 && (inner.front() == '\'' || inner.front() == '"') && inner.back() == inner.front()) {
                p.steps_.emplace_back(std::string(inner.substr(1, inner.size() - 2)));
            } else if (!inner.empty() && inner.find_first_not_of("0123456789") == std::string_view::npos) {
                p.steps_.emplace_back(static_cast<std::size_t>(std::stoull(std::string(inner))));
            } else {
                bad_path(text, "only [index] and ['field'] are supported, not [" + std::string(inner) + "]");
            }
            i = close + 1;
        } else {
            bad_path(text, std::string("unexpected '") + c + "' at offset " + std::to_string(i));
        }
    }
    return p;
}

std::optional<json> JsonPath::select(const json& input, const json& context) const {
    const json* cur = context_ ? &context : &input;
    for (const auto& step : steps_) {
        if (const auto* name = std::get_if<std::string>(&step)) {
            if (!cur->is_object()) {
                return std::nullopt;
            }
            const auto it = cur->find(*name);
            if (it == cur->end()) {
                return std::nullopt;
            }
            cur = &*it;
        } else {
            const std::size_t index = std::get<std::size_t>(step);
            if (!cur->is_array() || index >= cur->size()) {
                return std::nullopt;
            }
            cur = &(*cur)[index];
        }
    }
    return *cur;
}

void JsonPath::assign(json& target, json value) const {
    json* cur = &target;
    for (const auto& step : steps_) {
        if (const auto* name = std::get_if<std::string>(&step)) {
            if (cur->is_null()) {
                *cur = json::object();
            }
            if (!cur->is_object()) {
                throw Error(ErrorCode::invalid_parameter,
                            "result path '" + text_ + "' runs into a non-object at field '" + *name + "'");
            }
            cur = &(*cur)[*name];
        } else {
            const std::size_t index = std::get<std::size_t>(step);
            if (!cur->is_array() || index >= cur->size()) {
                throw Error(ErrorCode::invalid_parameter,
                            "result path '" + text_ + "' has index " + std::to_string(index) + " out of range");
            }
            cur = &(*cur)[index];
        }
    }
    *cur = std::move(value);
}

} // namespace aurora::engine
