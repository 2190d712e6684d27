#include "sandbox/auth.hpp"

#include "aws/sigv4/canonical.hpp"
#include "aws/sigv4/sigv4_verify.hpp"

#include <algorithm>

namespace aurora::sandbox {

namespace {

std::optional<std::string> query_value(const aws::HttpRequest& request, std::string_view name) {
    for (const auto& [k, v] : request.query) {
        if (k == name) {
            return v;
        }
    }
    return std::nullopt;
}

} // namespace

std::optional<RequestAuth> parse_request_auth(const aws::HttpRequest& request, AuthFailure& failure) {
    failure = AuthFailure::none;
    if (const auto header = request.headers.get("Authorization")) {
        const auto parsed = aws::parse_authorization_header(*header);
        if (!parsed) {
            failure = AuthFailure::malformed;
            return std::nullopt;
        }
        RequestAuth a;
        a.access_key_id = parsed->access_key_id;
        a.date = parsed->date;
        a.region = parsed->region;
        a.service = parsed->service;
        a.amz_date = request.headers.get("X-Amz-Date").value_or("");
        a.security_token = request.headers.get("X-Amz-Security-Token").value_or("");
        return a;
    }
    if (!query_value(request, "X-Amz-Signature") && !query_value(request, "X-Amz-Credential")) {
        failure = AuthFailure::missing;
        return std::nullopt;
    }
    const auto parsed = aws::parse_presigned_query(request);
    if (!parsed) {
        failure = AuthFailure::malformed;
        return std::nullopt;
    }
    RequestAuth a;
    a.presigned = true;
    a.access_key_id = parsed->access_key_id;
    a.date = parsed->date;
    a.region = parsed->region;
    a.service = parsed->service;
    a.amz_date = parsed->amz_date;
    a.security_token = parsed->security_token.value_or("");
    a.expires = parsed->expires.count();
    return a;
}

bool signature_matches(const aws::HttpRequest& request, const RequestAuth& auth, const std::string& secret_access_key) {
    if (auth.presigned) {
        const auto parsed = aws::parse_presigned_query(request);
        if (!parsed) {
            return false;
        }
        const std::string expected =
            aws::compute_presigned_signature(request, *parsed, secret_access_key, aws::sigv4::payload_hash_of(request));
        return aws::signatures_equal(expected, parsed->signature);
    }
    const auto parsed = aws::parse_authorization_header(request.headers.get("Authorization").value_or(""));
    if (!parsed) {
        return false;
    }
    const std::string expected =
        aws::compute_signature(request, parsed->signed_headers, secret_access_key, parsed->region, parsed->service,
                               auth.amz_date, aws::sigv4::payload_hash_of(request));
    return aws::signatures_equal(expected, parsed->signature);
}

std::optional<Clock::WallTime> parse_amz_date(const std::string& amz_date) {
    if (amz_date.size() != 16 || amz_date[8] != 'T' || amz_date[15] != 'Z') {
        return std::nullopt;
    }
    try {
        return parse_iso8601(amz_date);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

} // namespace aurora::sandbox
