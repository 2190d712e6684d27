#include "aws/protocol/xml_reader.hpp"

#include "aws/protocol/model_recorder.hpp"
#include "common/error.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <charconv>

namespace aurora::aws {
namespace {

pugi::xml_node as_node(const void* p) {
    return pugi::xml_node(static_cast<pugi::xml_node_struct*>(const_cast<void*>(p)));
}

[[noreturn]] void malformed(const std::string& path, const std::string& what, const std::string& text) {
    throw Error(ErrorCode::aws_service, "malformed " + what + " '" + text + "' in response member " + path,
                "the service answered something the AWS API model does not allow");
}

// Clock::WallTime counts nanoseconds in 64 bits (years 1678..2262), and parse_iso8601 overflows outside;
// no AWS timestamp is outside 1900..2200, so anything else is malformed input.
bool plausible_year(const std::string& t) {
    if (t.size() < 4 || !std::all_of(t.begin(), t.begin() + 4, [](char c) { return c >= '0' && c <= '9'; })) {
        return false;
    }
    const int year = std::stoi(t.substr(0, 4));
    return year >= 1900 && year <= 2200;
}

} // namespace

XmlNode::XmlNode(const pugi::xml_node& node, std::string path)
    : node_(node.internal_object()), path_(std::move(path)) {}

bool XmlNode::valid() const noexcept { return node_ != nullptr; }

std::optional<std::string> XmlNode::text(const std::string& name) const {
    const pugi::xml_node c = valid() ? as_node(node_).child(name.c_str()) : pugi::xml_node{};
    record_read(join_path(path_, name), RecordedType::string, !c.empty());
    if (c.empty()) {
        return std::nullopt;
    }
    return std::string(c.child_value());
}

std::optional<std::int64_t> XmlNode::integer(const std::string& name) const {
    const pugi::xml_node c = valid() ? as_node(node_).child(name.c_str()) : pugi::xml_node{};
    record_read(join_path(path_, name), RecordedType::integer, !c.empty());
    const std::string_view t = c.empty() ? std::string_view{} : std::string_view(c.child_value());
    if (t.empty()) {
        return std::nullopt;
    }
    std::int64_t v = 0;
    const auto res = std::from_chars(t.data(), t.data() + t.size(), v);
    if (res.ec != std::errc{} || res.ptr != t.data() + t.size()) {
        malformed(join_path(path_, name), "integer", std::string(t));
    }
    return v;
}

std::optional<double> XmlNode::number(const std::string& name) const {
    const pugi::xml_node c = valid() ? as_node(node_).child(name.c_str()) : pugi::xml_node{};
    record_read(join_path(path_, name), RecordedType::double_, !c.empty());
    const std::string_view t = c.empty() ? std::string_view{} : std::string_view(c.child_value());
    if (t.empty()) {
        return std::nullopt;
    }
    double v = 0;
    const auto res = std::from_chars(t.data(), t.data() + t.size(), v);
    if (res.ec != std::errc{} || res.ptr != t.data() + t.size()) {
        malformed(join_path(path_, name), "number", std::string(t));
    }
    return v;
}

std::optional<bool> XmlNode::boolean(const std::string& name) const {
    const pugi::xml_node c = valid() ? as_node(node_).child(name.c_str()) : pugi::xml_node{};
    record_read(join_path(path_, name), RecordedType::boolean, !c.empty());
    const std::string t = c.empty() ? std::string{} : std::string(c.child_value());
    if (t.empty()) {
        return std::nullopt;
    }
    if (t == "true") {
        return true;
    }
    if (t == "false") {
        return false;
    }
    malformed(join_path(path_, name), "boolean", t);
}

std::optional<Clock::WallTime> XmlNode::timestamp(const std::string& name) const {
    const pugi::xml_node c = valid() ? as_node(node_).child(name.c_str()) : pugi::xml_node{};
    record_read(join_path(path_, name), RecordedType::timestamp, !c.empty());
    const std::string t = c.empty() ? std::string{} : std::string(c.child_value());
    if (t.empty()) {
        return std::nullopt;
    }
    // Why: the Query protocol serializes timestamps as ISO 8601 (smithy aws-query-protocol, "timestamp").
    if (!plausible_year(t)) {
        malformed(join_path(path_, name), "timestamp", t);
    }
    try {
        return parse_iso8601(t);
    } catch (const Error&) {
        malformed(join_path(path_, name), "timestamp", t);
    }
}

XmlNode XmlNode::child(const std::string& name) const {
    const pugi::xml_node c = valid() ? as_node(node_).child(name.c_str()) : pugi::xml_node{};
    const std::string path = join_path(path_, name);
    record_read(path, RecordedType::structure, !c.empty());
    XmlNode out(c, path);
    out.keep_alive_ = keep_alive_;
    return out;
}

std::vector<XmlNode> XmlNode::list(const std::string& name, const std::string& member_name) const {
    const pugi::xml_node c = valid() ? as_node(node_).child(name.c_str()) : pugi::xml_node{};
    const std::string path = join_path(path_, name);
    record_read(path, RecordedType::list, !c.empty());
    std::vector<XmlNode> out;
    for (const pugi::xml_node m : c.children(member_name.c_str())) {
        XmlNode n(m, path + "[]");
        n.keep_alive_ = keep_alive_;
        out.push_back(std::move(n));
    }
    return out;
}

std::vector<std::string> XmlNode::string_list(const std::string& name, const std::string& member_name) const {
    const pugi::xml_node c = valid() ? as_node(node_).child(name.c_str()) : pugi::xml_node{};
    const std::string path = join_path(path_, name);
    record_read(path, RecordedType::list, !c.empty());
    std::vector<std::string> out;
    for (const pugi::xml_node m : c.children(member_name.c_str())) {
        out.emplace_back(m.child_value());
    }
    record_read(path + "[]", RecordedType::string, !out.empty());
    return out;
}

std::string XmlNode::value() const { return valid() ? std::string(as_node(node_).child_value()) : std::string{}; }

XmlResponse::XmlResponse(const std::string& body, const std::string& operation)
    : doc_(std::make_shared<pugi::xml_document>()), operation_(operation) {
    const pugi::xml_parse_result parsed = doc_->load_buffer(body.data(), body.size());
    if (!parsed) {
        throw Error(ErrorCode::aws_service,
                    "malformed xml in " + operation + " response: " + parsed.description() + " at offset " +
                        std::to_string(parsed.offset),
                    "the endpoint may not be an AWS Query API; check the endpoint url");
    }
    // Why: every Query response carries <ResponseMetadata><RequestId> (ErrorResponse: <RequestId>).
    const pugi::xml_node root = doc_->document_element();
    request_id_ = root.child("ResponseMetadata").child("RequestId").child_value();
    if (request_id_.empty()) {
        request_id_ = root.child("RequestId").child_value();
    }
}

XmlNode XmlResponse::result() const {
    XmlNode n(doc_->document_element().child((operation_ + "Result").c_str()), "");
    n.keep_alive_ = doc_;
    return n;
}

} // namespace aurora::aws
