#pragma once
//! The pieces of a SigV4 canonical request, shared by the signer and the verifier. Each follows botocore's
//! SigV4Auth (botocore/auth.py) for non-S3 services and the official test suite.

#include "aws/http/http_message.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aurora::aws::sigv4 {

using QueryList = std::vector<std::pair<std::string, std::string>>;

//! RFC 3986 dot-segment removal, also dropping empty segments (consecutive slashes), exactly as botocore's
//! utils.remove_dot_segments: a trailing '/' is kept only when something remains; "" becomes "/".
std::string remove_dot_segments(std::string_view path);

//! The canonical URI: the wire path (normalized when `normalize`), URI-encoded once more with '/' kept
//! (botocore: quote(normalize_url_path(path), safe='/~')).
std::string canonical_uri(std::string_view path, bool normalize);

//! The canonical query string: each key and value URI-encoded (RFC 3986 unreserved kept), sorted by
//! encoded key then encoded value, joined with '&'. Pairs whose key equals `exclude_key` (when not
//! empty) are left out, as X-Amz-Signature is when verifying a presigned URL.
std::string canonical_query(const QueryList& query, std::string_view exclude_key = {});

//! SigV4 "Trimall": leading and trailing whitespace removed and each inner run of whitespace (spaces,
//! tabs, line breaks, as Python's str.split() sees ASCII whitespace) collapsed to one space.
std::string trim_all(std::string_view value);

//! ASCII lowercase.
std::string to_lower(std::string_view s);

//! The value SigV4 signs for Host when the request carries no Host header: request.host lowercased, with
//! the scheme's default port (:443 for https, :80 for http) removed, as botocore's _host_from_url.
std::string host_header_value(const HttpRequest& request);

//! Whether botocore never signs this header (lowercase name): hop-by-hop headers, user-agent, expect,
//! x-amzn-trace-id (botocore auth.SIGNED_HEADERS_BLACKLIST).
bool is_unsigned_header(std::string_view lowercase_name);

struct CanonicalHeaders {
    std::string canonical;      //!< "name:value\n" lines, sorted by name
    std::string signed_headers; //!< "name;name", sorted
};

//! Canonical headers over every header of `request` except the unsigned ones and `skip` (lowercase names),
//! plus host from host_header_value() when no Host header is present. Repeated headers are joined with
//! ',' in their order of appearance, each value trimmed first.
CanonicalHeaders canonical_headers_all(const HttpRequest& request, const std::vector<std::string>& skip = {});

//! Canonical headers over exactly `names` (as a server rebuilds them from SignedHeaders): each name
//! lowercased; a missing Host falls back to host_header_value(), any other missing header signs as empty.
CanonicalHeaders canonical_headers_listed(const HttpRequest& request, const std::vector<std::string>& names);

//! METHOD \n URI \n QUERY \n HEADERS \n SIGNED \n PAYLOAD_HASH.
std::string canonical_request(std::string_view method, std::string_view uri, std::string_view query,
                              const CanonicalHeaders& headers, std::string_view payload_hash);

//! "date/region/service/aws4_request" with date = YYYYMMDD.
std::string credential_scope(std::string_view date, std::string_view region, std::string_view service);

//! AWS4-HMAC-SHA256 \n AMZ_DATE \n SCOPE \n hex(sha256(canonical_request)).
std::string string_to_sign(std::string_view amz_date, std::string_view scope, std::string_view canonical_request);

//! The hex signature of `sts` with the (cached) signing key for (secret, date, region, service).
std::string sign_string(std::string_view secret, std::string_view date, std::string_view region,
                        std::string_view service, std::string_view sts);

//! The payload hash a request signs: the value of an x-amz-content-sha256 header when present (botocore
//! and S3 take it as is), else the SHA-256 of the body.
std::string payload_hash_of(const HttpRequest& request);

} // namespace aurora::aws::sigv4
