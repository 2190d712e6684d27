#pragma once
//! Typed, recorded access to Query-protocol XML responses (pugixml underneath). A missing optional member
//! is a value (nullopt / empty), not an error; a member of the wrong type is Error(aws_service).

#include "common/clock.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace pugi {
class xml_document;
class xml_node;
} // namespace pugi

namespace aurora::aws {

class XmlNode {
public:
    XmlNode() = default;
    //! `path` is the shape path of this node for the model recorder ("" for the operation result).
    XmlNode(const pugi::xml_node& node, std::string path);

    bool valid() const noexcept;
    std::optional<std::string> text(const std::string& name) const;
    std::optional<std::int64_t> integer(const std::string& name) const;
    std::optional<double> number(const std::string& name) const;
    std::optional<bool> boolean(const std::string& name) const;
    std::optional<Clock::WallTime> timestamp(const std::string& name) const;
    //! A nested structure member (invalid node when absent).
    XmlNode child(const std::string& name) const;
    //! The entries of list member `name` (wrapped as <name><member_name>…</member_name></name>).
    std::vector<XmlNode> list(const std::string& name, const std::string& member_name = "member") const;
    //! A list of strings.
    std::vector<std::string> string_list(const std::string& name, const std::string& member_name = "member") const;
    //! The element's own text (for string list members).
    std::string value() const;
    const std::string& path() const noexcept { return path_; }

private:
    std::shared_ptr<void> keep_alive_;
    const void* node_ = nullptr; // pugi::xml_node_struct*
    std::string path_;
    friend class XmlResponse;
};

//! A parsed response document; result() is the <OperationResult> element.
class XmlResponse {
public:
    //! Parses `body`; throws Error(aws_service) on malformed XML. `operation` names the result element.
    XmlResponse(const std::string& body, const std::string& operation);
    XmlNode result() const;
    const std::string& request_id() const noexcept { return request_id_; }

private:
    std::shared_ptr<pugi::xml_document> doc_;
    std::string operation_;
    std::string request_id_;
};

} // namespace aurora::aws
