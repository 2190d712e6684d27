#include "aws/client/aws_client.hpp"

#include "aws/aws_error.hpp"
#include "aws/client/endpoints.hpp"
#include "aws/client/error_parsing.hpp"
#include "aws/protocol/model_recorder.hpp"
#include "aws/retry/rate_limiter.hpp"
#include "aws/sigv4/sigv4.hpp"
#include "common/log.hpp"
#include "common/redact.hpp"

#include <atomic>
#include <optional>

namespace aurora::aws {
namespace {

constexpr const char* kUserAgent = "aurora-restore/0.1";

std::string content_type(Protocol p) {
    switch (p) {
    case Protocol::query: return "application/x-www-form-urlencoded; charset=utf-8";
    case Protocol::json_1_0: return "application/x-amz-json-1.0";
    case Protocol::json_1_1: return "application/x-amz-json-1.1";
    }
    return {};
}

void record_json(const nlohmann::json& v, const std::string& path) {
    if (v.is_object()) {
        if (v.empty() && !path.empty()) {
            record_sent(path, RecordedType::structure);
        }
        for (const auto& [k, member] : v.items()) {
            record_json(member, join_path(path, k));
        }
    } else if (v.is_array()) {
        if (v.empty()) {
            record_sent(path, RecordedType::list);
        }
        for (const auto& e : v) {
            record_json(e, path + "[]");
        }
    } else if (v.is_string()) {
        record_sent(path, RecordedType::string);
    } else if (v.is_boolean()) {
        record_sent(path, RecordedType::boolean);
    } else if (v.is_number_integer()) {
        record_sent(path, RecordedType::integer);
    } else if (v.is_number()) {
        record_sent(path, RecordedType::double_);
    }
}

std::string describe_http_failure(int status, const ParsedAwsError& e) {
    std::string d = "http " + std::to_string(status) + " " + e.code;
    if (!e.message.empty()) {
        d += ": " + e.message;
    }
    if (!e.request_id.empty()) {
        d += " (request id " + e.request_id + ")";
    }
    return d;
}

std::string hint_for(ErrorCode code) {
    switch (code) {
    case ErrorCode::throttled:
        return "the account's API rate limit is shared with everything else it runs; retry later or lower the "
               "concurrency";
    case ErrorCode::signature:
        return "check the system clock (signatures expire after 5 minutes) and the secret access key";
    case ErrorCode::credentials:
        return "the access key or session token is unknown or expired; refresh the credentials";
    case ErrorCode::access_denied:
        return "the caller's IAM policy does not allow this action on this resource";
    default: return {};
    }
}

// The error codes with which services reject a request whose signing time is too far from theirs (the
// AWS SDK for Java's clock skew adjuster uses the same list).
bool is_clock_skew_code(const std::string& code) {
    return code == "RequestTimeTooSkewed" || code == "RequestExpired" || code == "InvalidSignatureException" ||
           code == "SignatureDoesNotMatch" || code == "AuthFailure" || code == "RequestInTheFuture";
}

// SigV4 tolerates 5 minutes of skew; below 4 the rejection has another cause.
constexpr std::chrono::minutes kSkewThreshold{4};

} // namespace

struct AwsClient::Impl {
    ServiceDescriptor service;
    ClientContext ctx;
    ErrorMapper mapper;
    std::string endpoint;
    HttpRequest base; // scheme, host and path of the endpoint
    Clock* clock = nullptr;
    //! Server time minus local time, learned from a skew rejection; added to the signing time.
    std::atomic<std::int64_t> skew_ms{0};

    Clock::WallTime signing_time() const { return clock->now() + std::chrono::milliseconds{skew_ms.load()}; }

    //! When `resp` rejected the signing time and its Date header shows a skew of more than kSkewThreshold
    //! against the corrected clock, records the new offset and returns true (the attempt is then retried).
    bool correct_clock_skew(const HttpResponse& resp, const std::string& code) {
        if (!is_clock_skew_code(code)) {
            return false;
        }
        const auto date = resp.headers.get("Date");
        const auto server = date ? parse_http_date(*date) : std::nullopt;
        if (!server) {
            return false;
        }
        const auto off = std::chrono::duration_cast<std::chrono::milliseconds>(*server - signing_time());
        if (off < kSkewThreshold && off > -kSkewThreshold) {
            return false;
        }
        skew_ms += off.count();
        log::warn("aws.clock_skew", {{"service", service.endpoint_prefix}, {"skew_seconds", skew_ms.load() / 1000}});
        return true;
    }

    HttpRequest build(const std::string& operation, const std::string& body) const {
        HttpRequest req = base;
        req.method = "POST";
        req.body = body;
        req.headers.set("Content-Type", content_type(service.protocol));
        if (service.protocol != Protocol::query) {
            req.headers.set("X-Amz-Target", service.target_prefix + "." + operation);
        }
        req.headers.set("User-Agent", kUserAgent);
        return req;
    }

    ErrorCode map_error(const std::string& code, int status) const {
        if (mapper) {
            if (auto mapped = mapper(code, status)) {
                return *mapped;
            }
        }
        return map_generic_aws_error(code, status);
    }

    struct CallState;
    HttpRequest signed_request(const std::string& operation, const std::string& body) const;
    std::optional<AttemptFailure> attempt(int n, const std::string& operation, const std::string& body,
                                          CallState& state);
    HttpResponse call(const std::string& operation, const std::string& body);
};

//! What the attempts of one call left behind.
struct AwsClient::Impl::CallState {
    std::optional<HttpResponse> success;
    std::optional<AwsError> last_aws;             // the last attempt got an AWS error answer
    std::optional<TransportError> last_transport; // the last attempt got no answer
};

HttpRequest AwsClient::Impl::signed_request(const std::string& operation, const std::string& body) const {
    // Built and signed afresh on every attempt: the signature covers X-Amz-Date, and credentials may have
    // been refreshed in between.
    HttpRequest req = build(operation, body);
    const Credentials creds = ctx.credentials->get();
    register_secret(creds.secret_access_key);
    register_secret(creds.session_token);
    sign_request(req, creds, SigningParams{.region = ctx.region, .service = service.signing_name, .time = signing_time()});
    return req;
}

std::optional<AttemptFailure> AwsClient::Impl::attempt(int n, const std::string& operation, const std::string& body,
                                                       CallState& state) {
    if (ctx.rate_limiter) {
        ctx.rate_limiter->acquire();
    }
    const HttpRequest req = signed_request(operation, body);
    HttpResponse resp;
    try {
        resp = ctx.http->send(req);
    } catch (const TransportError& e) {
        log::debug("aws.attempt", {{"service", service.endpoint_prefix}, {"operation", operation}, {"attempt", n},
                                   {"status", 0}, {"error", e.what()}});
        state.last_transport = e;
        state.last_aws.reset();
        return AttemptFailure{AttemptFailure::Kind::transport, e.what(), std::nullopt};
    }
    if (resp.status >= 200 && resp.status < 300) {
        log::debug("aws.attempt", {{"service", service.endpoint_prefix}, {"operation", operation}, {"attempt", n},
                                   {"status", resp.status}, {"request_id", request_id_from_headers(resp.headers)}});
        state.success = std::move(resp);
        return std::nullopt;
    }
    const ParsedAwsError parsed = service.protocol == Protocol::query ? parse_query_error(resp) : parse_json_error(resp);
    log::debug("aws.attempt", {{"service", service.endpoint_prefix}, {"operation", operation}, {"attempt", n},
                               {"status", resp.status}, {"request_id", parsed.request_id}, {"aws_code", parsed.code}});
    const auto retry_after = retry_after_of(resp.headers, clock->now());
    state.last_aws.emplace(map_error(parsed.code, resp.status),
                           AwsError::Details{service.endpoint_prefix, operation, parsed.code, parsed.message,
                                             resp.status, parsed.request_id, retry_after});
    state.last_transport.reset();
    const std::string description = describe_http_failure(resp.status, parsed);
    if (correct_clock_skew(resp, parsed.code)) {
        return AttemptFailure{AttemptFailure::Kind::clock_skew, description + " (clock skew corrected)", std::nullopt};
    }
    return classify_http_failure(resp.status, parsed.code, description, retry_after);
}

HttpResponse AwsClient::Impl::call(const std::string& operation, const std::string& body) {
    CallState state;
    Retrier retrier(ctx.retry, *clock, ctx.random);
    const RetryOutcome outcome = retrier.run([&](int n) { return attempt(n, operation, body, state); });
    if (ctx.on_call) {
        CallRecord rec{service.endpoint_prefix, operation, ctx.region, outcome.succeeded(), 0, {}, {}, outcome.attempts};
        if (outcome.succeeded()) {
            rec.http_status = state.success->status;
            rec.request_id = request_id_from_headers(state.success->headers);
        } else if (state.last_aws) {
            rec.http_status = state.last_aws->http_status();
            rec.request_id = state.last_aws->request_id();
            rec.aws_code = state.last_aws->aws_code();
        }
        ctx.on_call(rec);
    }
    if (outcome.succeeded()) {
        return std::move(*state.success);
    }
    // Why every attempt goes into the final message: the first failure is often the telling one (a 503
    // before the throttling storm), and the request ids let AWS support find each of them.
    const std::string summary = outcome.summary();
    if (state.last_aws) {
        AwsError::Details d = state.last_aws->details();
        if (!summary.empty()) {
            d.aws_message += (d.aws_message.empty() ? "" : " ") + std::string("(") + summary + ")";
        }
        throw AwsError(state.last_aws->code(), std::move(d), hint_for(state.last_aws->code()));
    }
    std::string message = service.endpoint_prefix + " " + operation + ": no response from " + endpoint + ": " +
                          (state.last_transport ? state.last_transport->what() : "unknown transport failure");
    if (!summary.empty()) {
        message += " (" + summary + ")";
    }
    throw Error(ErrorCode::network, message,
                "check network access to the endpoint, proxy variables (HTTPS_PROXY, NO_PROXY) and the endpoint url",
                {{"service", service.endpoint_prefix}, {"operation", operation}});
}

AwsClient::AwsClient(ServiceDescriptor service, ClientContext context, ErrorMapper mapper)
    : impl_(std::make_unique<Impl>()) {
    if (!context.http) {
        throw Error(ErrorCode::config, "aws client for " + service.endpoint_prefix + " has no http transport");
    }
    if (!context.credentials) {
        throw Error(ErrorCode::config, "aws client for " + service.endpoint_prefix + " has no credentials provider");
    }
    impl_->clock = context.clock != nullptr ? context.clock : &SystemClock::instance();
    impl_->endpoint = context.endpoint_url.empty() ? default_endpoint(service.endpoint_prefix, context.region)
                                                   : context.endpoint_url;
    while (impl_->endpoint.size() > 1 && impl_->endpoint.back() == '/') {
        impl_->endpoint.pop_back();
    }
    impl_->base = request_from_url("POST", impl_->endpoint);
    impl_->base.query.clear();
    impl_->service = std::move(service);
    impl_->ctx = std::move(context);
    impl_->mapper = std::move(mapper);
}

AwsClient::~AwsClient() = default;
AwsClient::AwsClient(AwsClient&&) noexcept = default;
AwsClient& AwsClient::operator=(AwsClient&&) noexcept = default;

XmlResponse AwsClient::query(const std::string& action, const QueryParams& params) {
    if (ModelRecorder* r = model_recorder(); r != nullptr) {
        if (r->operation.empty()) {
            r->operation = action;
        }
        params.record();
    }
    std::string body = "Action=" + uri_encode(action) + "&Version=" + uri_encode(impl_->service.api_version);
    const std::string encoded = params.encode();
    if (!encoded.empty()) {
        body += "&" + encoded;
    }
    const HttpResponse resp = impl_->call(action, body);
    return XmlResponse(resp.body, action);
}

JsonResponse AwsClient::json(const std::string& operation, const nlohmann::json& body) {
    if (ModelRecorder* r = model_recorder(); r != nullptr) {
        if (r->operation.empty()) {
            r->operation = operation;
        }
        record_json(body, "");
    }
    std::string text;
    try {
        text = body.is_null() ? std::string("{}") : body.dump();
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorCode::invalid_parameter,
                    impl_->service.endpoint_prefix + " " + operation + ": request is not valid json: " + e.what());
    }
    const HttpResponse resp = impl_->call(operation, text);
    return JsonResponse(resp.body, request_id_from_headers(resp.headers));
}

const ServiceDescriptor& AwsClient::service() const noexcept { return impl_->service; }
const std::string& AwsClient::region() const noexcept { return impl_->ctx.region; }
const std::string& AwsClient::endpoint_url() const noexcept { return impl_->endpoint; }
Credentials AwsClient::credentials() const { return impl_->ctx.credentials->get(); }
Clock& AwsClient::clock() const noexcept { return *impl_->clock; }
Clock::WallTime AwsClient::signing_time() const { return impl_->signing_time(); }

} // namespace aurora::aws
