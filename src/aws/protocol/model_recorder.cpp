#include "aws/protocol/model_recorder.hpp"

#include <algorithm>
#include <cctype>

namespace aurora::aws {
namespace {

thread_local ModelRecorder* t_recorder = nullptr;

bool is_number(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

void append_unique(std::vector<RecordedAccess>& into, const std::string& path, RecordedType type, bool found) {
    const bool seen = std::any_of(into.begin(), into.end(), [&](const RecordedAccess& a) {
        return a.path == path && a.type == type && a.found == found;
    });
    if (!seen) {
        into.push_back(RecordedAccess{path, type, found});
    }
}

} // namespace

void set_model_recorder(ModelRecorder* r) { t_recorder = r; }

ModelRecorder* model_recorder() { return t_recorder; }

std::string_view recorded_type_name(RecordedType type) {
    switch (type) {
    case RecordedType::string: return "string";
    case RecordedType::integer: return "integer";
    case RecordedType::boolean: return "boolean";
    case RecordedType::timestamp: return "timestamp";
    case RecordedType::double_: return "double";
    case RecordedType::structure: return "structure";
    case RecordedType::list: return "list";
    case RecordedType::map: return "map";
    case RecordedType::blob: return "blob";
    }
    return "unknown";
}

std::string query_key_to_path(std::string_view wire_key) {
    std::vector<std::string_view> tokens;
    while (true) {
        const auto dot = wire_key.find('.');
        tokens.push_back(wire_key.substr(0, dot));
        if (dot == std::string_view::npos) {
            break;
        }
        wire_key = wire_key.substr(dot + 1);
    }
    std::vector<std::string> out;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const bool next_is_index = i + 1 < tokens.size() && is_number(tokens[i + 1]);
        if (next_is_index && out.empty()) {
            // A top-level flattened list: "Foo.1".
            out.emplace_back(std::string(tokens[i]) + "[]");
            ++i;
        } else if (next_is_index) {
            // "List.member.N", "Tags.Tag.N", "Map.entry.N": the token is the member/entry name.
            out.back() += "[]";
            ++i;
        } else {
            out.emplace_back(tokens[i]);
        }
    }
    std::string path;
    for (const auto& seg : out) {
        path = join_path(path, seg);
    }
    return path;
}

void record_sent(const std::string& path, RecordedType type) {
    if (t_recorder != nullptr) {
        append_unique(t_recorder->sent, path, type, true);
    }
}

void record_read(const std::string& path, RecordedType type, bool found) {
    if (t_recorder != nullptr) {
        append_unique(t_recorder->read, path, type, found);
    }
}

std::string join_path(const std::string& parent, const std::string& name) {
    return parent.empty() ? name : parent + "." + name;
}

} // namespace aurora::aws
