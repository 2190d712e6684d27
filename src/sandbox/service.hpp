#pragma once
//! The sandbox's contract between its HTTP core (server, SigV4 verification, routing, faults, rate limit,
//! admin endpoint, state file) and the emulated services (rds, sts, sns, secretsmanager, kms).
//!
//! The core authenticates the request, finds the Service by the SigV4 credential scope's service name, and
//! calls handle() with a RequestContext. A service answers with a Response, or throws ServiceError which
//! the core renders in the service's protocol error shape (Query: <ErrorResponse>; JSON: {"__type",
//! "message"} with x-amzn-ErrorType). Services hold one state per (account, region).

#include "aws/http/http_message.hpp"
#include "common/clock.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>

namespace YAML {
class Node;
}

namespace aurora::sandbox {

struct RequestContext {
    std::string account_id; //!< the account of the access key that signed the request
    std::string access_key_id;
    std::string region;  //!< from the SigV4 credential scope
    std::string service; //!< the signing name from the credential scope, e.g. "rds"
    std::string action;  //!< Query "Action", or the operation after the '.' of X-Amz-Target
    //! Query protocol: every form/query parameter except Action and Version, decoded.
    std::map<std::string, std::string> params;
    //! JSON protocol: the parsed body (null for Query).
    nlohmann::json body;
    const aws::HttpRequest* http = nullptr;
    std::string request_id; //!< also sent as x-amzn-RequestId / in <ResponseMetadata>
    Clock::WallTime now;
};

struct Response {
    int status = 200;
    std::string content_type = "text/xml";
    std::string body;
    aws::Headers headers;
};

//! An AWS-shaped error answer. `sender_fault` selects <Type>Sender</Type> vs Receiver in Query errors.
class ServiceError : public std::runtime_error {
public:
    ServiceError(std::string code, std::string message, int status = 400, bool sender_fault = true)
        : std::runtime_error(message), code_(std::move(code)), status_(status), sender_fault_(sender_fault) {}
    const std::string& code() const noexcept { return code_; }
    int status() const noexcept { return status_; }
    bool sender_fault() const noexcept { return sender_fault_; }

private:
    std::string code_;
    int status_;
    bool sender_fault_;
};

class Service {
public:
    virtual ~Service() = default;
    //! The SigV4 signing name this service answers, e.g. "rds".
    virtual std::string signing_name() const = 0;
    //! Handles one authenticated request. Thread-safety: the core serialises calls to one Service.
    virtual Response handle(const RequestContext& ctx) = 0;
    //! Moves lifecycles forward to `now` (statuses whose duration has elapsed). Called before each request
    //! and periodically by the core.
    virtual void tick(Clock::WallTime now) = 0;
    //! Counts of effects (e.g. "clusters_created", "snapshots_copied") for the admin endpoint.
    virtual std::map<std::string, std::int64_t> effect_counts() const = 0;
    //! The whole state as JSON (for --state-file), and back.
    virtual nlohmann::json save_state() const = 0;
    virtual void load_state(const nlohmann::json& state) = 0;
    //! Applies this service's part of a seed file (the YAML node may be undefined when absent).
    virtual void seed(const YAML::Node& node, const std::string& account_id, const std::string& region) = 0;
};

//! The outcome of verifying a presigned URL (RDS PreSignedUrl of CopyDBClusterSnapshot) against the
//! sandbox's configured credentials.
struct PresignedVerification {
    bool valid = false;
    //! When invalid: the AWS code the verifier would answer (SignatureDoesNotMatch, InvalidClientTokenId,
    //! RequestExpired, MissingAuthenticationToken, ExpiredToken) and a message.
    std::string error_code;
    std::string message;
    std::string account_id;    //!< the account of the signing key (when known)
    std::string access_key_id;
    std::string region;        //!< from the credential scope, e.g. the source region of a copy
    std::string service;       //!< from the credential scope, e.g. "rds"
    //! The URL's query parameters except the X-Amz-* signing ones, decoded (Action, SourceDBClusterSnapshotIdentifier…).
    std::map<std::string, std::string> params;
};

//! What the core offers to services that need more than their own state (RDS: KMS keys, PreSignedUrl).
//! Implemented by the core; thread-safe; never calls back into the calling service.
class SandboxEnvironment {
public:
    virtual ~SandboxEnvironment() = default;
    //! Whether KMS key `key_id` (a key id, key ARN, "alias/name" or alias ARN) exists and is enabled in
    //! (account, region). An ARN's own account and region take precedence over the arguments. False when
    //! the key is missing.
    virtual bool kms_key_exists(const std::string& account_id, const std::string& region,
                                const std::string& key_id) const = 0;
    //! Verifies a presigned URL (SigV4 query signing) against the configured credentials at time `now`:
    //! signature, credential, X-Amz-Expires. Never throws for a bad URL; returns valid=false with a code.
    virtual PresignedVerification verify_presigned_url(const std::string& url, Clock::WallTime now) const = 0;
};

} // namespace aurora::sandbox
