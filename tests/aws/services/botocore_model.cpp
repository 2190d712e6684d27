#include "botocore_model.hpp"

#include "common/clock.hpp"

#include <zlib.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <stdexcept>

namespace aurora::aws::testing {
namespace {

using nlohmann::json;

std::string read_gz(const std::string& path) {
    gzFile f = gzopen(path.c_str(), "rb");
    if (f == nullptr) {
        throw std::runtime_error("cannot open " + path);
    }
    std::string out;
    char buf[65536];
    for (;;) {
        const int n = gzread(f, buf, sizeof buf);
        if (n < 0) {
            gzclose(f);
            throw std::runtime_error("cannot read " + path);
        }
        if (n == 0) {
            break;
        }
        out.append(buf, static_cast<std::size_t>(n));
    }
    gzclose(f);
    return out;
}

std::string xml_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '&': out += "&amp;"; break;
        default: out += c;
        }
    }
    return out;
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (c == sep) {
            out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    out.push_back(cur);
    return out;
}

bool is_number(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

//! The wire name of a structure member: its locationName, else the member name.
std::string wire_name(const json& member_ref, const std::string& member_name) {
    return member_ref.value("locationName", member_name);
}

constexpr int kMaxDepth = 14;
constexpr const char* kTimestampText = "2024-01-02T03:04:05.678Z";
constexpr double kTimestampEpoch = 1704164645.678;

} // namespace

BotocoreModel::BotocoreModel(const std::string& data_dir, const std::string& service, const std::string& version) {
    dir_ = data_dir + "/" + service + "/" + version;
    const std::string base = dir_ + "/service-2.json";
    std::string text;
    if (std::filesystem::exists(base)) {
        std::ifstream in(base);
        std::stringstream ss;
        ss << in.rdbuf();
        text = ss.str();
    } else {
        text = read_gz(base + ".gz");
    }
    model_ = json::parse(text);
}

bool BotocoreModel::is_query() const {
    // CloudWatch lists several protocols (cbor first) and still speaks Query; the clients use Query there.
    const auto& meta = model_.at("metadata");
    if (meta.value("protocol", "") == "query") {
        return true;
    }
    if (meta.contains("protocols")) {
        for (const auto& p : meta["protocols"]) {
            if (p == "query" && meta.value("protocol", "") != "json") {
                return true;
            }
        }
    }
    return false;
}

const json& BotocoreModel::operation(const std::string& name) const { return model_.at("operations").at(name); }
const json& BotocoreModel::shape(const std::string& name) const { return model_.at("shapes").at(name); }

std::string BotocoreModel::input_shape(const std::string& op) const {
    const auto& o = operation(op);
    return o.contains("input") ? o["input"]["shape"].get<std::string>() : std::string{};
}

std::string BotocoreModel::output_shape(const std::string& op) const {
    const auto& o = operation(op);
    return o.contains("output") ? o["output"]["shape"].get<std::string>() : std::string{};
}

// ---- response synthesis --------------------------------------------------------------------------------

namespace {

struct Synth {
    const BotocoreModel& m;
    std::vector<std::string> omit; // top-level output members left out
    std::vector<std::string> stack;

    bool omitted(const std::string& member) const {
        return stack.size() == 1 && std::find(omit.begin(), omit.end(), member) != omit.end();
    }

    bool recursive(const std::string& name) const {
        if (std::find(stack.begin(), stack.end(), name) != stack.end()) {
            return true;
        }
        const json& s = m.shape(name);
        const std::string type = s.at("type");
        if (type == "list") {
            return recursive(s["member"]["shape"]);
        }
        if (type == "map") {
            return recursive(s["value"]["shape"]);
        }
        return false;
    }

    std::string scalar_text(const json& s, const std::string& member) const {
        const std::string type = s.at("type");
        if (type == "string") {
            return s.contains("enum") ? s["enum"][0].get<std::string>() : "v-" + member;
        }
        if (type == "integer") {
            return "7";
        }
        if (type == "long") {
            return "9";
        }
        if (type == "double" || type == "float") {
            return "1.5";
        }
        if (type == "boolean") {
            return "true";
        }
        if (type == "timestamp") {
            return kTimestampText;
        }
        return "AQID"; // blob
    }

    // XML: the content of an element holding a value of shape `name`.
    std::string xml_content(const std::string& name, const std::string& member) {
        const json& s = m.shape(name);
        const std::string type = s.at("type");
        if (type == "structure") {
            stack.push_back(name);
            std::string out;
            for (const auto& [mname, mref] : s["members"].items()) {
                if (stack.size() > kMaxDepth || recursive(mref["shape"]) || omitted(mname)) {
                    continue;
                }
                out += xml_member(mref, mname);
            }
            stack.pop_back();
            return out;
        }
        if (type == "list") {
            const std::string el = s["member"].value("locationName", "member");
            std::string out;
            for (int i = 0; i < 2; ++i) {
                out += "<" + el + ">" + xml_content(s["member"]["shape"], member) + "</" + el + ">";
            }
            return out;
        }
        if (type == "map") {
            const std::string k = s["key"].value("locationName", "key");
            const std::string v = s["value"].value("locationName", "value");
            std::string out;
            for (int i = 1; i <= 2; ++i) {
                out += "<entry><" + k + ">k" + std::to_string(i) + "</" + k + "><" + v + ">" +
                       xml_content(s["value"]["shape"], member) + "</" + v + "></entry>";
            }
            return out;
        }
        return xml_escape(scalar_text(s, member));
    }

    std::string xml_member(const json& mref, const std::string& mname) {
        const std::string el = wire_name(mref, mname);
        const json& s = m.shape(mref["shape"]);
        if (s.at("type") == "list" && s.value("flattened", false)) {
            const std::string item = s["member"].value("locationName", el);
            std::string out;
            for (int i = 0; i < 2; ++i) {
                out += "<" + item + ">" + xml_content(s["member"]["shape"], mname) + "</" + item + ">";
            }
            return out;
        }
        return "<" + el + ">" + xml_content(mref["shape"], mname) + "</" + el + ">";
    }

    json json_value(const std::string& name, const std::string& member) {
        const json& s = m.shape(name);
        const std::string type = s.at("type");
        if (type == "structure") {
            stack.push_back(name);
            json out = json::object();
            for (const auto& [mname, mref] : s["members"].items()) {
                if (stack.size() > kMaxDepth || recursive(mref["shape"]) || omitted(mname)) {
                    continue;
                }
                out[mname] = json_value(mref["shape"], mname);
            }
            stack.pop_back();
            return out;
        }
        if (type == "list") {
            return json::array({json_value(s["member"]["shape"], member), json_value(s["member"]["shape"], member)});
        }
        if (type == "map") {
            return json{{"k1", json_value(s["value"]["shape"], member)}, {"k2", json_value(s["value"]["shape"], member)}};
        }
        if (type == "integer") {
            return 7;
        }
        if (type == "long") {
            return 9;
        }
        if (type == "double" || type == "float") {
            return 1.5;
        }
        if (type == "boolean") {
            return true;
        }
        if (type == "timestamp") {
            return kTimestampEpoch;
        }
        return scalar_text(s, member);
    }
};

} // namespace

nlohmann::json BotocoreModel::paginator(const std::string& op) const {
    std::ifstream in(dir_ + "/paginators-1.json");
    if (!in) {
        return nullptr;
    }
    const json all = json::parse(in);
    const auto& pages = all.at("pagination");
    return pages.contains(op) ? pages[op] : json(nullptr);
}

std::string BotocoreModel::synthesize_response(const std::string& op, const std::vector<std::string>& omit) const {
    Synth synth{*this, omit, {}};
    const std::string out_shape = output_shape(op);
    if (!is_query()) {
        return out_shape.empty() ? "{}" : synth.json_value(out_shape, "").dump();
    }
    const std::string ns = "https://" + model_["metadata"].value("endpointPrefix", "") + ".amazonaws.com/doc/" +
                           model_["metadata"].value("apiVersion", "") + "/";
    std::string xml = "<" + op + "Response xmlns=\"" + ns + "\">";
    if (!out_shape.empty()) {
        const std::string wrapper = operation(op)["output"].value("resultWrapper", op + "Result");
        xml += "<" + wrapper + ">" + synth.xml_content(out_shape, "") + "</" + wrapper + ">";
    }
    xml += "<ResponseMetadata><RequestId>11111111-2222-3333-4444-555555555555</RequestId></ResponseMetadata>";
    xml += "</" + op + "Response>";
    return xml;
}

// ---- recorded paths ------------------------------------------------------------------------------------

namespace {

bool type_matches(RecordedType rec, const std::string& model_type, bool json_sent) {
    switch (rec) {
    case RecordedType::string: return model_type == "string" || model_type == "blob";
    case RecordedType::integer:
        return model_type == "integer" || model_type == "long" || (json_sent && model_type == "timestamp");
    case RecordedType::double_:
        return model_type == "double" || model_type == "float" || (json_sent && model_type == "timestamp");
    case RecordedType::boolean: return model_type == "boolean";
    case RecordedType::timestamp: return model_type == "timestamp";
    case RecordedType::structure: return model_type == "structure";
    case RecordedType::list: return model_type == "list";
    case RecordedType::map: return model_type == "map";
    case RecordedType::blob: return model_type == "blob";
    }
    return false;
}

} // namespace

std::vector<std::string> BotocoreModel::check_recorded(const std::string& op, const ModelRecorder& rec) const {
    std::vector<std::string> errors;
    const bool json_protocol = !is_query();

    // Resolves `path` from `root`; returns the shape name or sets `err`.
    auto resolve = [&](const std::string& root, const std::string& path, bool sent, std::string& err) {
        std::string cur = root;
        bool in_map = false; // after "Map[]" (Query): next is the key or value name
        for (const std::string& raw : split(path, '.')) {
            const bool arr = raw.size() > 2 && raw.compare(raw.size() - 2, 2, "[]") == 0;
            const std::string seg = arr ? raw.substr(0, raw.size() - 2) : raw;
            const json& s = shape(cur);
            const std::string type = s.at("type");
            if (in_map) {
                in_map = false;
                if (seg == s["key"].value("locationName", "key")) {
                    cur = s["key"]["shape"];
                } else if (seg == s["value"].value("locationName", "value")) {
                    cur = s["value"]["shape"];
                } else {
                    err = "'" + seg + "' is neither the key nor the value of map " + cur;
                    return std::string{};
                }
                continue;
            }
            if (type == "map" && json_protocol && sent) {
                cur = s["value"]["shape"]; // a literal map key
                continue;
            }
            if (type != "structure") {
                err = "'" + seg + "' continues into " + type + " shape " + cur;
                return std::string{};
            }
            const json* found = nullptr;
            for (const auto& [mname, mref] : s["members"].items()) {
                if (wire_name(mref, mname) == seg) {
                    found = &mref;
                }
            }
            if (found == nullptr) {
                err = "no member '" + seg + "' in shape " + cur;
                return std::string{};
            }
            cur = (*found)["shape"];
            if (!arr) {
                continue;
            }
            const json& ms = shape(cur);
            if (ms.at("type") == "list") {
                cur = ms["member"]["shape"];
            } else if (ms.at("type") == "map" && !json_protocol) {
                in_map = true;
            } else {
                err = "'" + seg + "[]' but " + cur + " is a " + ms.at("type").get<std::string>();
                return std::string{};
            }
        }
        return cur;
    };

    auto check = [&](const std::string& root, const RecordedAccess& a, bool sent) {
        const std::string what = std::string(sent ? "sent " : "read ") + op + " " + a.path + " as " +
                                 std::string(recorded_type_name(a.type));
        if (root.empty()) {
            errors.push_back(what + ": the operation has no " + (sent ? "input" : "output") + " shape");
            return;
        }
        std::string err;
        const std::string target = resolve(root, a.path, sent, err);
        if (!err.empty()) {
            errors.push_back(what + ": " + err);
            return;
        }
        const std::string model_type = shape(target).at("type");
        if (!type_matches(a.type, model_type, sent && json_protocol)) {
            errors.push_back(what + ": the model says " + model_type + " (" + target + ")");
        }
        if (!sent && !a.found) {
            errors.push_back(what + ": not found in the fully populated response (wrong wire name?)");
        }
    };

    for (const auto& a : rec.sent) {
        check(input_shape(op), a, true);
    }
    for (const auto& a : rec.read) {
        check(output_shape(op), a, false);
        if (a.type != RecordedType::list) {
            continue;
        }
        // A list read through the wrong member element name comes back empty: require its entries read,
        // except lists of maps (read whole, as raw JSON).
        std::string err;
        const std::string list_shape = resolve(output_shape(op), a.path, false, err);
        if (!err.empty() || shape(list_shape).at("type") != "list" ||
            shape(shape(list_shape)["member"]["shape"]).at("type") == "map") {
            continue;
        }
        const std::string prefix = a.path + "[]";
        const bool entries = std::any_of(rec.read.begin(), rec.read.end(), [&](const RecordedAccess& r) {
            return r.found && r.path.compare(0, prefix.size(), prefix) == 0;
        });
        if (!entries) {
            errors.push_back("read " + op + " " + a.path + ": no entry of the list was read (wrong member name?)");
        }
    }
    return errors;
}

// ---- wire checks ---------------------------------------------------------------------------------------

namespace {

std::string check_scalar_text(const std::string& type, const std::string& value) {
    if (type == "integer" || type == "long") {
        const std::string digits = !value.empty() && value[0] == '-' ? value.substr(1) : value;
        return is_number(digits) ? "" : "not an integer";
    }
    if (type == "boolean") {
        return value == "true" || value == "false" ? "" : "not true/false";
    }
    if (type == "double" || type == "float") {
        char* end = nullptr;
        std::strtod(value.c_str(), &end);
        return !value.empty() && end != nullptr && *end == '\0' ? "" : "not a number";
    }
    if (type == "timestamp") {
        try {
            parse_iso8601(value);
            return "";
        } catch (const std::exception&) {
            return "not an ISO 8601 timestamp";
        }
    }
    return "";
}

} // namespace

std::vector<std::string> BotocoreModel::check_query_form(
    const std::string& op, const std::vector<std::pair<std::string, std::string>>& form) const {
    std::vector<std::string> errors;
    const std::string root = input_shape(op);
    std::set<std::string> top_level;
    for (const auto& [key, value] : form) {
        if (key == "Action" || key == "Version") {
            continue;
        }
        const auto segs = split(key, '.');
        top_level.insert(segs.front());
        std::string cur = root;
        std::string err;
        std::size_t i = 0;
        while (err.empty() && i < segs.size()) {
            const json& s = shape(cur);
            const std::string type = s.at("type");
            if (type == "structure") {
                const json* found = nullptr;
                for (const auto& [mname, mref] : s["members"].items()) {
                    if (wire_name(mref, mname) == segs[i]) {
                        found = &mref;
                    }
                }
                if (found == nullptr) {
                    err = "no member '" + segs[i] + "' in " + cur;
                    break;
                }
                cur = (*found)["shape"];
                ++i;
            } else if (type == "list") {
                if (!s.value("flattened", false)) {
                    const std::string expected = s["member"].value("locationName", "member");
                    if (segs[i] != expected) {
                        err = "list " + cur + " members are '" + expected + "', not '" + segs[i] + "'";
                        break;
                    }
                    ++i;
                }
                if (i >= segs.size() || !is_number(segs[i]) || segs[i] == "0") {
                    err = "list " + cur + " needs a 1-based index";
                    break;
                }
                cur = s["member"]["shape"];
                ++i;
            } else if (type == "map") {
                if (!s.value("flattened", false)) {
                    if (segs[i] != "entry") {
                        err = "map " + cur + " entries are 'entry', not '" + segs[i] + "'";
                        break;
                    }
                    ++i;
                }
                if (i + 1 >= segs.size() || !is_number(segs[i])) {
                    err = "map " + cur + " needs an index and key/value";
                    break;
                }
                const std::string& kv = segs[i + 1];
                if (kv == s["key"].value("locationName", "key")) {
                    cur = s["key"]["shape"];
                } else if (kv == s["value"].value("locationName", "value")) {
                    cur = s["value"]["shape"];
                } else {
                    err = "map " + cur + " has no part '" + kv + "'";
                    break;
                }
                i += 2;
            } else {
                err = "'" + segs[i] + "' continues into scalar " + cur;
            }
        }
        if (err.empty()) {
            const std::string type = shape(cur).at("type");
            if (type == "structure" || type == "list" || type == "map") {
                err = "ends at " + type + " " + cur;
            } else if (const std::string bad = check_scalar_text(type, value); !bad.empty()) {
                err = "'" + value + "' is " + bad + " (" + type + ")";
            }
        }
        if (!err.empty()) {
            errors.push_back(op + " form key " + key + ": " + err);
        }
    }
    if (!root.empty() && shape(root).contains("required")) {
        for (const auto& req : shape(root)["required"]) {
            if (top_level.count(req.get<std::string>()) == 0) {
                errors.push_back(op + ": required member " + req.get<std::string>() + " not sent");
            }
        }
    }
    return errors;
}

std::vector<std::string> BotocoreModel::check_json_body(const std::string& op, const nlohmann::json& body) const {
    std::vector<std::string> errors;
    std::function<void(const std::string&, const json&, const std::string&)> walk =
        [&](const std::string& name, const json& v, const std::string& path) {
            const json& s = shape(name);
            const std::string type = s.at("type");
            auto bad = [&](const std::string& why) { errors.push_back(op + " body " + path + ": " + why); };
            if (type == "structure") {
                if (!v.is_object()) {
                    return bad("expected an object for " + name);
                }
                for (const auto& [k, sub] : v.items()) {
                    if (!s["members"].contains(k)) {
                        bad("no member '" + k + "' in " + name);
                        continue;
                    }
                    walk(s["members"][k]["shape"], sub, path + "." + k);
                }
                for (const auto& req : s.value("required", json::array())) {
                    if (!v.contains(req.get<std::string>())) {
                        bad("required member " + req.get<std::string>() + " missing");
                    }
                }
            } else if (type == "list") {
                if (!v.is_array()) {
                    return bad("expected an array for " + name);
                }
                for (const auto& e : v) {
                    walk(s["member"]["shape"], e, path + "[]");
                }
            } else if (type == "map") {
                if (!v.is_object()) {
                    return bad("expected an object (map) for " + name);
                }
                for (const auto& [k, sub] : v.items()) {
                    walk(s["value"]["shape"], sub, path + "." + k);
                }
            } else if (type == "string" || type == "blob") {
                if (!v.is_string()) {
                    bad("expected a string");
                }
            } else if (type == "integer" || type == "long") {
                if (!v.is_number_integer()) {
                    bad("expected an integer");
                }
            } else if (type == "double" || type == "float" || type == "timestamp") {
                if (!v.is_number()) {
                    bad("expected a number");
                }
            } else if (type == "boolean") {
                if (!v.is_boolean()) {
                    bad("expected a boolean");
                }
            }
        };
    const std::string root = input_shape(op);
    if (root.empty()) {
        if (!body.empty()) {
            errors.push_back(op + ": a body for an operation without input");
        }
        return errors;
    }
    walk(root, body, op);
    return errors;
}

} // namespace aurora::aws::testing
