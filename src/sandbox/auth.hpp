#pragma once
//! SigV4 verification of incoming requests (header-signed or presigned), on top of the signer's verifier
//! (aws/sigv4/sigv4_verify.hpp).

#include "aws/http/http_message.hpp"
#include "common/clock.hpp"

#include <optional>
#include <string>

namespace aurora::sandbox {

//! The SigV4 fields of a request.
struct RequestAuth {
    bool presigned = false;
    std::string access_key_id;
    std::string date;    //!< scope date YYYYMMDD
    std::string region;  //!< credential scope region
    std::string service; //!< credential scope service (signing name)
    std::string amz_date; //!< X-Amz-Date, e.g. 20150830T123600Z
    std::string security_token;
    std::optional<long long> expires; //!< presigned: X-Amz-Expires seconds
};

//! Why a request's authentication failed (the core maps it to each protocol's AWS code).
enum class AuthFailure { none, missing, malformed, unknown_key, bad_signature, expired_request, expired_token, bad_token };

//! The SigV4 fields of `request` (Authorization header, else X-Amz-Credential in the query), or nullopt
//! when the request carries neither. Sets `failure` to malformed (and returns nullopt) on a broken header.
std::optional<RequestAuth> parse_request_auth(const aws::HttpRequest& request, AuthFailure& failure);

//! Whether `request`'s signature is the one `secret_access_key` gives (recomputed from the request as
//! received: method, path, query, the signed headers and the body's SHA-256).
bool signature_matches(const aws::HttpRequest& request, const RequestAuth& auth, const std::string& secret_access_key);

//! The time of X-Amz-Date; nullopt when unparseable.
std::optional<Clock::WallTime> parse_amz_date(const std::string& amz_date);

} // namespace aurora::sandbox
