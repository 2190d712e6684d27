#pragma once
//! AWS Signature Version 4 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html)
//! as a pure function of request, credentials, region, service and time.
//!
//! Proven on the official AWS SigV4 test suite (tests/data/sigv4) and cross-checked against botocore
//! (tests/aws/sigv4/botocore_sign.py): the canonical URI, query and headers follow botocore's SigV4Auth for
//! non-S3 services, which the suite agrees with.

#include "aws/credentials/credentials.hpp"
#include "aws/http/http_message.hpp"
#include "common/clock.hpp"

#include <chrono>
#include <string>

namespace aurora::aws {

//! Where the presign parameters go in the URL. The signature is the same either way (the canonical query
//! is sorted); only the URL's byte layout differs.
enum class PresignParamOrder {
    //! botocore's SigV4QueryAuth:
    //! ...&X-Amz-Date&X-Amz-Expires&X-Amz-SignedHeaders&X-Amz-Security-Token&X-Amz-Signature.
    //! The RDS cross-region PreSignedUrl is built this way.
    botocore,
    //! aws-c-auth (the CRT, the official test suite): ...&X-Amz-Date&X-Amz-SignedHeaders&X-Amz-Expires&...
    crt,
};

struct SigningParams {
    std::string region;  //!< e.g. "us-east-1"
    std::string service; //!< signing name, e.g. "rds", "sts", "dynamodb", "states", "monitoring"
    Clock::WallTime time;
    //! Sign the payload as UNSIGNED-PAYLOAD instead of its SHA-256.
    bool unsigned_payload = false;
    //! Add x-amz-content-sha256 (S3 style); off for the services this project calls. Header signing only.
    bool add_content_sha256_header = false;
    //! Remove dot segments and empty segments from the path before encoding it, as every service but S3
    //! expects (botocore's normalize_url_path). The path is always URI-encoded once more on top of its wire
    //! form ("each path segment URI-encoded twice, except for S3").
    bool normalize_path = true;
    //! When false, X-Amz-Security-Token is added to the request but left out of the signature (the CRT's
    //! "omit_session_token", which some services such as IoT require). Default: signed, as botocore does.
    bool sign_session_token = true;
    //! URL layout of presign_request(); ignored by sign_request().
    PresignParamOrder presign_param_order = PresignParamOrder::botocore;
};

//! The intermediate artifacts, exposed for the official test suite and for the sandbox's verifier.
struct SigningArtifacts {
    std::string canonical_request;
    std::string string_to_sign;
    std::string signature;     //!< lowercase hex
    std::string authorization; //!< the Authorization header value (header signing only)
};

//! Signs `request` in place with headers: sets X-Amz-Date (and X-Amz-Security-Token when the credentials
//! carry a session token), then Authorization. The Host header is added from request.host when absent.
//! Returns the artifacts. Signing again (a retry) replaces what the previous signing added.
//! Throws aurora::Error(credentials) without an access key id and secret, aurora::Error(invalid_parameter)
//! without a region, a service, or a host.
SigningArtifacts sign_request(HttpRequest& request, const Credentials& creds, const SigningParams& params);

//! Presigns `request` with query parameters (X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date,
//! X-Amz-Expires, X-Amz-SignedHeaders, X-Amz-Security-Token, X-Amz-Signature), as botocore's
//! generate_presigned_url / the RDS cross-region PreSignedUrl do. Returns the artifacts; request.url() is
//! then the presigned URL.
//! Throws aurora::Error(invalid_parameter) when `expires` is outside 1 s .. 7 days (the SigV4 maximum).
//! The request's headers are signed as they are (Host from request.host when absent); nothing is added
//! to them. Unlike botocore, duplicate query keys are kept and no Content-Type is dropped. Idempotent:
//! X-Amz-* auth parameters already in the query (an earlier presign) are replaced, not repeated.
SigningArtifacts presign_request(HttpRequest& request, const Credentials& creds, const SigningParams& params,
                                 std::chrono::seconds expires);

//! The longest validity SigV4 allows for a presigned request (7 days).
inline constexpr std::chrono::seconds kMaxPresignExpiry{604800};

//! "AWS4-HMAC-SHA256", the only algorithm this signer speaks.
inline constexpr const char* kSigV4Algorithm = "AWS4-HMAC-SHA256";

//! The SHA-256 of an empty payload, lowercase hex.
inline constexpr const char* kEmptyPayloadSha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

} // namespace aurora::aws
