#pragma once
//! The server side of SigV4, for the sandbox: parse what a client sent, and recompute the signature the way a
//! service does — from exactly the headers the client listed in SignedHeaders.
//! (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-authentication-methods.html)
//!
//! Typical use (header-signed request):
//!   auto auth = parse_authorization_header(*req.headers.get("Authorization"));   // nullopt → 403
//!   look up the secret for auth->access_key_id;
//!   auto expected = compute_signature(req, auth->signed_headers, secret, auth->region, auth->service,
//!                                     *req.headers.get("X-Amz-Date"), sigv4::payload_hash_of(req));
//!   signatures_equal(expected, auth->signature) or SignatureDoesNotMatch.
//! Presigned: parse_presigned_query(req), then compute_presigned_signature(req, *parsed, secret, hash).

#include "aws/http/http_message.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aurora::aws {

//! The fields of "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/service/aws4_request,
//! SignedHeaders=host;x-amz-date, Signature=hex".
struct ParsedAuthorization {
    std::string access_key_id;
    std::string date; //!< YYYYMMDD, from the credential scope
    std::string region;
    std::string service;
    std::vector<std::string> signed_headers; //!< as listed (lowercase on the wire)
    std::string signature;                   //!< lowercase hex as sent
};

//! Parses an Authorization header value. Tolerates extra spaces around ',' and '='. nullopt when the
//! algorithm is not AWS4-HMAC-SHA256, a component is missing or repeated, the scope is not
//! AKID/YYYYMMDD/region/service/aws4_request, or SignedHeaders is empty. Pure.
std::optional<ParsedAuthorization> parse_authorization_header(std::string_view value);

//! The signature a service expects for a header-signed `received` request: canonical request from exactly
//! `signed_headers` (values of repeated headers joined with ','; a missing Host falls back to
//! received.host), path normalized and encoded (unless `normalize_path` is false, S3 style), query sorted;
//! string to sign with `amz_date` (the X-Amz-Date header, "YYYYMMDDTHHMMSSZ") whose first 8 characters
//! give the scope's date. `payload_hash` is the x-amz-content-sha256 value or the body's SHA-256 (see
//! sigv4::payload_hash_of). Lowercase hex. Pure (the signing key comes from the shared cache).
//! Throws aurora::Error(signature) when `amz_date` is not of the form YYYYMMDDTHHMMSSZ.
std::string compute_signature(const HttpRequest& received, const std::vector<std::string>& signed_headers,
                              const std::string& secret, const std::string& region, const std::string& service,
                              const std::string& amz_date, const std::string& payload_hash, bool normalize_path = true);

//! The auth parameters of a presigned (query-signed) request.
struct ParsedPresign {
    std::string access_key_id;
    std::string date; //!< YYYYMMDD, from X-Amz-Credential
    std::string region;
    std::string service;
    std::string amz_date; //!< X-Amz-Date, "YYYYMMDDTHHMMSSZ"
    std::chrono::seconds expires{0};
    std::vector<std::string> signed_headers;
    std::string signature;
    std::optional<std::string> security_token; //!< X-Amz-Security-Token when present
};

//! Reads X-Amz-Algorithm, -Credential, -Date, -Expires, -SignedHeaders, -Signature (and -Security-Token)
//! from received.query (decoded). nullopt when one is missing or repeated, the algorithm is not
//! AWS4-HMAC-SHA256, the credential scope is malformed, X-Amz-Date is not YYYYMMDDTHHMMSSZ or does not start
//! with the scope's date, or X-Amz-Expires is not 1..604800. Pure.
std::optional<ParsedPresign> parse_presigned_query(const HttpRequest& received);

//! The signature a service expects for a presigned request: canonical query = every query parameter but
//! X-Amz-Signature; headers = exactly parsed.signed_headers. `payload_hash` is the body's SHA-256 for
//! generic presigned URLs (kEmptyPayloadSha256 for a GET) or "UNSIGNED-PAYLOAD" where the service says so
//! (S3). Lowercase hex. Pure.
std::string compute_presigned_signature(const HttpRequest& received, const ParsedPresign& parsed,
                                        const std::string& secret, const std::string& payload_hash,
                                        bool normalize_path = true);

//! Whether the presigned request is past its validity at `now` (X-Amz-Date + X-Amz-Expires), or dated more
//! than 15 minutes in the future (clock skew). Pure.
bool presign_expired(const ParsedPresign& parsed, std::chrono::system_clock::time_point now);

//! Constant-time equality of two signatures (no early exit on the first differing byte).
bool signatures_equal(std::string_view a, std::string_view b);

} // namespace aurora::aws
