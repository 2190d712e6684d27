#pragma once
//! AWS Signature Version 4 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html)
//! as a pure function of request, credentials, region, service and time.

#include "aws/credentials/credentials.hpp"
#include "aws/http/http_message.hpp"
#include "common/clock.hpp"

#include <chrono>
#include <string>

namespace aurora::aws {

struct SigningParams {
    std::string region;  //!< e.g. "us-east-1"
    std::string service; //!< signing name, e.g. "rds", "sts", "dynamodb", "states", "monitoring"
    Clock::WallTime time;
    //! Sign the payload as UNSIGNED-PAYLOAD instead of its SHA-256.
    bool unsigned_payload = false;
    //! Add x-amz-content-sha256 (S3 style); off for the services this project calls.
    bool add_content_sha256_header = false;
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
//! Returns the artifacts.
SigningArtifacts sign_request(HttpRequest& request, const Credentials& creds, const SigningParams& params);

//! Presigns `request` with query parameters (X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date,
//! X-Amz-Expires, X-Amz-SignedHeaders, X-Amz-Security-Token, X-Amz-Signature), as botocore's
//! generate_presigned_url / the RDS cross-region PreSignedUrl do. Returns the artifacts; request.url() is
//! then the presigned URL.
SigningArtifacts presign_request(HttpRequest& request, const Credentials& creds, const SigningParams& params,
                                 std::chrono::seconds expires);

} // namespace aurora::aws
