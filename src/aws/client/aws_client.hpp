#pragma once
//! The core every service client uses: endpoint, signing, retries, rate limiting, and the Query and JSON
//! protocols with AWS-shaped error parsing. Knows nothing of restores.
//!
//! Contract for service clients (src/aws/<service>/):
//!   - build the request with QueryParams (Query protocol) or nlohmann::json (JSON 1.0/1.1);
//!   - call query()/json(); both return only on HTTP 2xx and throw AwsError otherwise, after the retry
//!     policy ran out or on the first non-retryable error;
//!   - read the response only through XmlNode / JsonReader so that the model check (tests/aws/services) can
//!     record every member read and every parameter sent.
//!   - map service-specific AWS error codes to the catalogue via the ErrorMapper given to the client.

#include "aws/credentials/credentials.hpp"
#include "aws/http/http_client.hpp"
#include "aws/protocol/json_reader.hpp"
#include "aws/protocol/query_params.hpp"
#include "aws/protocol/xml_reader.hpp"
#include "aws/retry/retry.hpp"
#include "aws/retry/retry_policy.hpp"
#include "common/clock.hpp"
#include "common/error.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace aurora::aws {

class RateLimiter; // aws/retry/rate_limiter.hpp

enum class Protocol { query, json_1_0, json_1_1 };

//! Static facts about a service, as in its botocore model's "metadata".
struct ServiceDescriptor {
    std::string service_id;      //!< metadata.serviceId, e.g. "RDS", "Secrets Manager" (AWS_ENDPOINT_URL_<ID>)
    std::string endpoint_prefix; //!< e.g. "rds", "secretsmanager", "monitoring", "states"
    std::string signing_name;    //!< e.g. "rds"
    std::string api_version;     //!< e.g. "2014-10-31"
    Protocol protocol = Protocol::query;
    std::string target_prefix;   //!< JSON: metadata.targetPrefix, e.g. "DynamoDB_20120810"
};

//! Maps a service-specific AWS error code to the catalogue; nullopt falls back to map_generic_aws_error.
using ErrorMapper = std::function<std::optional<ErrorCode>(const std::string& aws_code, int http_status)>;

//! One finished call (after its last attempt), for audit trails and metrics. Never carries a secret.
struct CallRecord {
    std::string service;   //!< endpoint prefix, e.g. "rds"
    std::string operation; //!< e.g. "RestoreDBClusterFromSnapshot"
    std::string region;
    bool ok = false;
    int http_status = 0;    //!< 0 when no response arrived
    std::string request_id; //!< the last attempt's
    std::string aws_code;   //!< on failure, the AWS error code (empty for transport failures)
    int attempts = 0;
};

//! Everything a client needs from its composition root.
struct ClientContext {
    std::string region;
    //! The resolved endpoint URL (scheme://host[:port][/path]); empty means the public endpoint for the
    //! region (default_endpoint). Composition roots resolve it with resolve_endpoint() (endpoints.hpp),
    //! which applies AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL and the profile.
    std::string endpoint_url;
    std::shared_ptr<HttpClient> http;
    std::shared_ptr<CredentialsProvider> credentials;
    Clock* clock = nullptr; //!< nullptr means SystemClock::instance()
    RetryPolicy retry;
    std::shared_ptr<RateLimiter> rate_limiter; //!< optional, shared per account+region+service
    //! Jitter source for the retry loop; empty means default_random_source() (thread-local engines). An
    //! injected source (tests: a seeded one) is called from every thread that uses the client.
    RandomSource random;
    //! Called once per call after its last attempt, success or failure, on the calling thread (audit
    //! trails: every mutating AWS call with its request id). Optional; must not throw.
    std::function<void(const CallRecord&)> on_call;
};

//! Thread-safe once constructed: many threads may call query()/json() on one client.
//! Retries: every operation is retried on throttling, 5xx, 408 and transport failures, as the AWS SDKs do,
//! including mutating ones; a retried create may therefore meet its own earlier success (e.g.
//! DBClusterAlreadyExistsFault after a timeout), which idempotent callers treat as done.
class AwsClient {
public:
    //! Throws Error(config) when the context has no http client or credentials provider, or when the
    //! region is invalid and no endpoint is given.
    AwsClient(ServiceDescriptor service, ClientContext context, ErrorMapper mapper = {});
    ~AwsClient();
    AwsClient(AwsClient&&) noexcept;
    AwsClient& operator=(AwsClient&&) noexcept;

    //! Query protocol call: POST form body Action=<action>&Version=<api_version>&<params>. Returns the
    //! response with result() positioned on <ActionResult>. Throws AwsError (mapped via the ErrorMapper,
    //! then map_generic_aws_error; when retries ran, its message lists every attempt), Error(network) when
    //! no response ever came, Error(credentials) from the provider.
    XmlResponse query(const std::string& action, const QueryParams& params);
    //! JSON protocol call with X-Amz-Target: <target_prefix>.<operation>; a null body is sent as {}.
    //! Throws as query().
    JsonResponse json(const std::string& operation, const nlohmann::json& body);

    const ServiceDescriptor& service() const noexcept;
    const std::string& region() const noexcept;
    //! The endpoint URL in use (scheme://host[:port]).
    const std::string& endpoint_url() const noexcept;
    //! Current credentials (for presigning, e.g. the RDS cross-region PreSignedUrl).
    Credentials credentials() const;
    Clock& clock() const noexcept;
    //! The time to sign with: clock().now() corrected by the clock skew learned from the service (a
    //! RequestTimeTooSkewed-style rejection whose Date header is more than 4 minutes off). Use it for
    //! presigned URLs too.
    Clock::WallTime signing_time() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace aurora::aws
