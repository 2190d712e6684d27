#pragma once
//! HTTP request and response values shared by the signer, the transports and the protocols.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aurora::aws {

//! Header list in insertion order; names compare case-insensitively; duplicates are allowed (SigV4 joins
//! repeated headers with commas).
class Headers {
public:
    using Entry = std::pair<std::string, std::string>;

    //! Appends a header (keeps existing ones with the same name).
    void add(std::string name, std::string value);
    //! Replaces every header named `name` with one entry.
    void set(std::string name, std::string value);
    //! Removes every header named `name`.
    void remove(std::string_view name);
    //! The first value of `name`, if any.
    std::optional<std::string> get(std::string_view name) const;
    bool contains(std::string_view name) const { return get(name).has_value(); }
    const std::vector<Entry>& entries() const noexcept { return entries_; }
    bool empty() const noexcept { return entries_.empty(); }

private:
    std::vector<Entry> entries_;
};

//! Case-insensitive ASCII comparison of header names.
bool iequals(std::string_view a, std::string_view b);

//! An HTTP request as it goes on the wire.
struct HttpRequest {
    std::string method = "GET";
    std::string scheme = "https";
    //! Host, with ":port" when not the scheme's default. Also the value of the Host header SigV4 signs.
    std::string host;
    //! The path as sent on the wire (already percent-encoded), starting with '/'.
    std::string path = "/";
    //! Query parameters, decoded, in insertion order (duplicates allowed).
    std::vector<std::pair<std::string, std::string>> query;
    Headers headers;
    std::string body;

    //! scheme://host/path?query with the query percent-encoded (RFC 3986 unreserved kept).
    std::string url() const;
};

struct HttpResponse {
    int status = 0;
    Headers headers;
    std::string body;
};

//! Percent-encodes per RFC 3986 (unreserved A-Z a-z 0-9 - _ . ~ kept), as SigV4 requires. When
//! `keep_slash`, '/' is kept too (for paths).
std::string uri_encode(std::string_view in, bool keep_slash = false);
//! Decodes %XX sequences (and '+' as space when `plus_as_space`, for form bodies).
std::string uri_decode(std::string_view in, bool plus_as_space = false);

//! Splits "https://host:port/path?query" into a request's scheme, host, path and decoded query.
//! Throws aurora::Error(invalid_parameter) on a malformed URL.
HttpRequest request_from_url(std::string_view method, std::string_view url);

} // namespace aurora::aws
