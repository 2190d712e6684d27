#include "aws/sigv4/sigv4.hpp"

#include "aws/sigv4/canonical.hpp"
#include "aws/sigv4/signing_key.hpp"
#include "common/error.hpp"

namespace aurora::aws {

namespace {

constexpr const char* kUnsignedPayload = "UNSIGNED-PAYLOAD";

//! The query parameters presign_request() adds; a request presigned again drops the previous ones first.
bool is_presign_param(const std::string& key) {
    return key == "X-Amz-Algorithm" || key == "X-Amz-Credential" || key == "X-Amz-Date" || key == "X-Amz-Expires" ||
           key == "X-Amz-SignedHeaders" || key == "X-Amz-Security-Token" || key == "X-Amz-Signature";
}

void require_host(const HttpRequest& request) {
    if (request.host.empty() && !request.headers.contains("Host")) {
        throw Error(ErrorCode::invalid_parameter, "cannot sign a request without a host",
                    "build the request from a full url (request_from_url)");
    }
}

void require_signable(const Credentials& creds, const SigningParams& params) {
    if (creds.access_key_id.empty() || creds.secret_access_key.empty()) {
        throw Error(ErrorCode::credentials, "cannot sign a request without an access key id and a secret key",
                    "configure credentials (environment, profile, or instance role)");
    }
    if (params.region.empty() || params.service.empty()) {
        throw Error(ErrorCode::invalid_parameter, "cannot sign a request without a region and a service name");
    }
}

} // namespace

SigningArtifacts sign_request(HttpRequest& request, const Credentials& creds, const SigningParams& params) {
    require_signable(creds, params);
    require_host(request);
    const std::string amz_date = format_amz_date(params.time);
    const std::string date = amz_date.substr(0, 8);

    // A retry re-signs the same request: drop what a previous signing added (botocore does the same).
    request.headers.remove("Authorization");
    if (!request.headers.contains("Host")) {
        request.headers.add("Host", sigv4::host_header_value(request));
    }
    if (!creds.session_token.empty()) {
        request.headers.set("X-Amz-Security-Token", creds.session_token);
    }
    request.headers.set("X-Amz-Date", amz_date);
    if (params.add_content_sha256_header) {
        request.headers.set("x-amz-content-sha256",
                            params.unsigned_payload ? kUnsignedPayload : sha256_hex(request.body));
    }
    // Why payload_hash_of: a declared x-amz-content-sha256 is what the service checks the body against.
    const std::string payload_hash = params.unsigned_payload && !request.headers.contains("x-amz-content-sha256")
                                         ? std::string(kUnsignedPayload)
                                         : sigv4::payload_hash_of(request);

    std::vector<std::string> skip;
    if (!params.sign_session_token) {
        skip.emplace_back("x-amz-security-token");
    }
    const sigv4::CanonicalHeaders headers = sigv4::canonical_headers_all(request, skip);

    SigningArtifacts out;
    out.canonical_request =
        sigv4::canonical_request(request.method, sigv4::canonical_uri(request.path, params.normalize_path),
                                 sigv4::canonical_query(request.query), headers, payload_hash);
    const std::string scope = sigv4::credential_scope(date, params.region, params.service);
    out.string_to_sign = sigv4::string_to_sign(amz_date, scope, out.canonical_request);
    out.signature =
        sigv4::sign_string(creds.secret_access_key, date, params.region, params.service, out.string_to_sign);
    out.authorization = std::string(kSigV4Algorithm) + " Credential=" + creds.access_key_id + "/" + scope +
                        ", SignedHeaders=" + headers.signed_headers + ", Signature=" + out.signature;
    request.headers.add("Authorization", out.authorization);
    return out;
}

SigningArtifacts presign_request(HttpRequest& request, const Credentials& creds, const SigningParams& params,
                                 std::chrono::seconds expires) {
    require_signable(creds, params);
    require_host(request);
    if (expires < std::chrono::seconds{1} || expires > kMaxPresignExpiry) {
        throw Error(ErrorCode::invalid_parameter,
                    "presigned url expiry of " + std::to_string(expires.count()) + " seconds is out of range",
                    "sigv4 allows 1 to 604800 seconds (7 days)");
    }
    std::erase_if(request.query, [](const auto& kv) { return is_presign_param(kv.first); });
    const std::string amz_date = format_amz_date(params.time);
    const std::string date = amz_date.substr(0, 8);
    const std::string scope = sigv4::credential_scope(date, params.region, params.service);
    const sigv4::CanonicalHeaders headers = sigv4::canonical_headers_all(request);
    const bool token_signed = !creds.session_token.empty() && params.sign_session_token;

    // https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-canonical-request:
    // the canonical query carries every auth parameter except X-Amz-Signature.
    std::vector<std::pair<std::string, std::string>> auth;
    auth.emplace_back("X-Amz-Algorithm", kSigV4Algorithm);
    auth.emplace_back("X-Amz-Credential", creds.access_key_id + "/" + scope);
    auth.emplace_back("X-Amz-Date", amz_date);
    if (params.presign_param_order == PresignParamOrder::crt) {
        auth.emplace_back("X-Amz-SignedHeaders", headers.signed_headers);
        auth.emplace_back("X-Amz-Expires", std::to_string(expires.count()));
    } else {
        auth.emplace_back("X-Amz-Expires", std::to_string(expires.count()));
        auth.emplace_back("X-Amz-SignedHeaders", headers.signed_headers);
    }
    if (token_signed) {
        auth.emplace_back("X-Amz-Security-Token", creds.session_token);
    }
    request.query.insert(request.query.end(), auth.begin(), auth.end());

    const std::string payload_hash =
        params.unsigned_payload ? std::string(kUnsignedPayload) : sigv4::payload_hash_of(request);
    SigningArtifacts out;
    out.canonical_request =
        sigv4::canonical_request(request.method, sigv4::canonical_uri(request.path, params.normalize_path),
                                 sigv4::canonical_query(request.query), headers, payload_hash);
    out.string_to_sign = sigv4::string_to_sign(amz_date, scope, out.canonical_request);
    out.signature =
        sigv4::sign_string(creds.secret_access_key, date, params.region, params.service, out.string_to_sign);
    if (!creds.session_token.empty() && !token_signed) {
        request.query.emplace_back("X-Amz-Security-Token", creds.session_token);
    }
    request.query.emplace_back("X-Amz-Signature", out.signature);
    return out;
}

} // namespace aurora::aws
