#include "sandbox/protocol.hpp"

#include <array>
#include <charconv>
#include <cstdio>
#include <random>
#include <mutex>

namespace aurora::sandbox {

namespace {

// The namespaces are the ones in each service's botocore service-2.json ("xmlNamespace").
const std::array<ServiceProtocol, 5>& known_protocols() {
    static const std::array<ServiceProtocol, 5> protocols{{
        {"rds", WireProtocol::query, "http://rds.amazonaws.com/doc/2014-10-31/", "", "", ""},
        {"sts", WireProtocol::query, "https://sts.amazonaws.com/doc/2011-06-15/", "", "", ""},
        {"sns", WireProtocol::query, "http://sns.amazonaws.com/doc/2010-03-31/", "", "", ""},
        // Secrets Manager answers its errors with "Message", KMS with "message" (both as AWS sends them).
        {"secretsmanager", WireProtocol::json, "", "1.1", "secretsmanager", "Message"},
        {"kms", WireProtocol::json, "", "1.1", "TrentService", "message"},
    }};
    return protocols;
}

std::mt19937_64& id_engine() {
    static std::mt19937_64 engine{std::random_device{}()};
    return engine;
}

} // namespace

std::optional<ServiceProtocol> protocol_for(std::string_view signing_name) {
    for (const auto& p : known_protocols()) {
        if (p.signing_name == signing_name) {
            return p;
        }
    }
    return std::nullopt;
}

std::string service_for_target_prefix(std::string_view prefix) {
    for (const auto& p : known_protocols()) {
        if (p.protocol == WireProtocol::json && p.target_prefix == prefix) {
            return p.signing_name;
        }
    }
    return {};
}

std::string service_for_query_version(std::string_view version) {
    if (version == "2014-10-31") {
        return "rds";
    }
    if (version == "2011-06-15") {
        return "sts";
    }
    if (version == "2010-03-31") {
        return "sns";
    }
    return {};
}

std::string new_uuid() {
    static std::mutex mutex;
    std::uint64_t hi = 0;
    std::uint64_t lo = 0;
    {
        std::lock_guard lock(mutex);
        hi = id_engine()();
        lo = id_engine()();
    }
    hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL; // version 4
    lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL; // variant 1
    std::array<char, 37> buf{};
    std::snprintf(buf.data(), buf.size(), "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                  static_cast<unsigned>((hi >> 16) & 0xffff), static_cast<unsigned>(hi & 0xffff),
                  static_cast<unsigned>(lo >> 48), static_cast<unsigned long long>(lo & 0xffffffffffffULL));
    return std::string(buf.data());
}

std::string new_request_id() { return new_uuid(); }

std::string xml_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        default: out += c;
        }
    }
    return out;
}

XmlWriter& XmlWriter::open(std::string_view name, std::string_view xmlns) {
    out_ += '<';
    out_ += name;
    if (!xmlns.empty()) {
        out_ += " xmlns=\"";
        out_ += xml_escape(xmlns);
        out_ += '"';
    }
    out_ += '>';
    stack_.emplace_back(name);
    return *this;
}

XmlWriter& XmlWriter::close() {
    if (stack_.empty()) {
        return *this;
    }
    out_ += "</" + stack_.back() + ">";
    stack_.pop_back();
    return *this;
}

XmlWriter& XmlWriter::leaf(std::string_view name, std::string_view text) {
    out_ += '<';
    out_ += name;
    out_ += '>';
    out_ += xml_escape(text);
    out_ += "</";
    out_ += name;
    out_ += '>';
    return *this;
}

XmlWriter& XmlWriter::leaf_opt(std::string_view name, const std::optional<std::string>& text) {
    if (text) {
        leaf(name, *text);
    }
    return *this;
}

XmlWriter& XmlWriter::leaf_bool(std::string_view name, bool value) { return leaf(name, value ? "true" : "false"); }

XmlWriter& XmlWriter::leaf_int(std::string_view name, long long value) { return leaf(name, std::to_string(value)); }

XmlWriter& XmlWriter::raw(std::string_view xml) {
    out_ += xml;
    return *this;
}

std::string XmlWriter::str() const { return out_; }

Response query_response(const RequestContext& ctx, const std::string& xml_namespace,
                        const std::optional<std::string>& result_xml) {
    XmlWriter w;
    w.open(ctx.action + "Response", xml_namespace);
    if (result_xml) {
        w.open(ctx.action + "Result").raw(*result_xml).close();
    }
    w.open("ResponseMetadata").leaf("RequestId", ctx.request_id).close();
    w.close();
    Response r;
    r.content_type = "text/xml";
    r.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + w.str();
    r.headers.set("x-amzn-RequestId", ctx.request_id);
    return r;
}

Response json_response(const ServiceProtocol& protocol, const nlohmann::json& body) {
    Response r;
    r.content_type = "application/x-amz-json-" + protocol.json_version;
    r.body = body.dump();
    return r;
}

Response error_response(const ServiceProtocol& protocol, const ServiceError& error, const std::string& request_id) {
    Response r;
    r.status = error.status();
    r.headers.set("x-amzn-RequestId", request_id);
    if (protocol.protocol == WireProtocol::json) {
        nlohmann::json body{{"__type", error.code()}, {protocol.message_key, std::string(error.what())}};
        r.content_type = "application/x-amz-json-" + protocol.json_version;
        r.body = body.dump();
        r.headers.set("x-amzn-ErrorType", error.code());
        return r;
    }
    XmlWriter w;
    w.open("ErrorResponse", protocol.xml_namespace);
    w.open("Error")
        .leaf("Type", error.sender_fault() ? "Sender" : "Receiver")
        .leaf("Code", error.code())
        .leaf("Message", error.what())
        .close();
    w.leaf("RequestId", request_id);
    w.close();
    r.content_type = "text/xml";
    r.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + w.str();
    return r;
}

std::vector<std::string> param_list(const std::map<std::string, std::string>& params, const std::string& prefix) {
    std::vector<std::string> out;
    for (std::size_t n = 1;; ++n) {
        auto it = params.find(prefix + "." + std::to_string(n));
        if (it == params.end()) {
            return out;
        }
        out.push_back(it->second);
    }
}

std::vector<std::map<std::string, std::string>> param_structs(const std::map<std::string, std::string>& params,
                                                              const std::string& prefix) {
    std::vector<std::map<std::string, std::string>> out;
    for (std::size_t n = 1;; ++n) {
        const std::string item = prefix + "." + std::to_string(n) + ".";
        std::map<std::string, std::string> fields;
        for (auto it = params.lower_bound(item); it != params.end() && it->first.starts_with(item); ++it) {
            fields.emplace(it->first.substr(item.size()), it->second);
        }
        if (fields.empty()) {
            return out;
        }
        out.push_back(std::move(fields));
    }
}

std::vector<std::pair<std::string, std::string>> param_tags(const std::map<std::string, std::string>& params,
                                                            const std::string& prefix) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& s : param_structs(params, prefix)) {
        auto key = s.find("Key");
        auto value = s.find("Value");
        out.emplace_back(key == s.end() ? std::string{} : key->second,
                         value == s.end() ? std::string{} : value->second);
    }
    return out;
}

std::map<std::string, std::string> param_map(const std::map<std::string, std::string>& params,
                                             const std::string& prefix) {
    std::map<std::string, std::string> out;
    for (const auto& s : param_structs(params, prefix + ".entry")) {
        auto key = s.find("key");
        auto value = s.find("value");
        if (key != s.end()) {
            out[key->second] = value == s.end() ? std::string{} : value->second;
        }
    }
    return out;
}

std::vector<QueryFilter> param_filters(const std::map<std::string, std::string>& params, const std::string& prefix) {
    std::vector<QueryFilter> out;
    for (const auto& s : param_structs(params, prefix)) {
        QueryFilter f;
        auto name = s.find("Name");
        if (name != s.end()) {
            f.name = name->second;
        }
        f.values = param_list(s, "Values.Value");
        out.push_back(std::move(f));
    }
    return out;
}

std::optional<std::string> param(const std::map<std::string, std::string>& params, const std::string& name) {
    auto it = params.find(name);
    if (it == params.end()) {
        return std::nullopt;
    }
    return it->second;
}

std::string required_param(const std::map<std::string, std::string>& params, const std::string& name,
                           const std::string& missing_code) {
    auto v = param(params, name);
    if (!v) {
        throw ServiceError(missing_code, "The request must contain the parameter " + name);
    }
    return *v;
}

std::optional<long long> param_int(const std::map<std::string, std::string>& params, const std::string& name) {
    auto v = param(params, name);
    if (!v) {
        return std::nullopt;
    }
    long long out = 0;
    auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
    if (ec != std::errc{} || ptr != v->data() + v->size()) {
        throw ServiceError("InvalidParameterValue", "Invalid value '" + *v + "' for " + name + ": not an integer");
    }
    return out;
}

std::optional<bool> param_bool(const std::map<std::string, std::string>& params, const std::string& name) {
    auto v = param(params, name);
    if (!v) {
        return std::nullopt;
    }
    if (*v == "true") {
        return true;
    }
    if (*v == "false") {
        return false;
    }
    throw ServiceError("InvalidParameterValue", "Invalid value '" + *v + "' for " + name + ": not a boolean");
}

} // namespace aurora::sandbox
