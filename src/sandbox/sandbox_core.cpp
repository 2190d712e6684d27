#include "sandbox/sandbox_core.hpp"

#include "aws/sigv4/sigv4.hpp"
#include "aws/sigv4/sigv4_verify.hpp"
#include "common/error.hpp"
#include "common/log.hpp"
#include "sandbox/auth.hpp"
#include "sandbox/kms_service.hpp"
#include "sandbox/secrets_service.hpp"
#include "sandbox/sns_service.hpp"
#include "sandbox/sts_service.hpp"

#ifdef AURORA_SANDBOX_HAS_RDS
#include "sandbox/rds/rds_service.hpp"
#endif

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>

namespace aurora::sandbox {

namespace {

// What a Query client gets when the sandbox cannot tell which service was meant.
const ServiceProtocol kGenericQuery{"", WireProtocol::query, "", "", "", ""};

std::map<std::string, std::string> parse_form(std::string_view body) {
    std::map<std::string, std::string> out;
    std::size_t start = 0;
    while (start <= body.size()) {
        auto end = body.find('&', start);
        if (end == std::string_view::npos) {
            end = body.size();
        }
        const std::string_view pair = body.substr(start, end - start);
        if (!pair.empty()) {
            const auto eq = pair.find('=');
            const std::string key = aws::uri_decode(pair.substr(0, eq), true);
            out[key] = eq == std::string_view::npos ? std::string{} : aws::uri_decode(pair.substr(eq + 1), true);
        }
        start = end + 1;
    }
    return out;
}

// The service a Host names: "sts.amazonaws.com", "rds.us-west-2.amazonaws.com" (hints only: the credential
// scope decides).
std::pair<std::string, std::string> host_hint(const aws::HttpRequest& request) {
    std::string host = request.headers.get("Host").value_or(request.host);
    host = host.substr(0, host.find(':'));
    const auto dot = host.find('.');
    if (dot == std::string::npos || !protocol_for(host.substr(0, dot))) {
        return {};
    }
    const std::string rest = host.substr(dot + 1);
    const auto dot2 = rest.find('.');
    const std::string region = dot2 == std::string::npos ? "" : rest.substr(0, dot2);
    return {host.substr(0, dot), region.starts_with("amazonaws") ? "" : region};
}

ServiceError auth_error(const ServiceProtocol& protocol, AuthFailure failure, const std::string& detail) {
    const bool json = protocol.protocol == WireProtocol::json;
    const int status = json ? 400 : 403;
    switch (failure) {
    case AuthFailure::missing:
        return json ? ServiceError("MissingAuthenticationTokenException", "Missing Authentication Token", 400)
                    : ServiceError("MissingAuthenticationToken", "Request is missing Authentication Token", 403);
    case AuthFailure::malformed:
        return ServiceError(json ? "IncompleteSignatureException" : "IncompleteSignature",
                            "The request signature does not conform to AWS standards.", status);
    case AuthFailure::unknown_key:
    case AuthFailure::bad_token:
        return ServiceError(json ? "UnrecognizedClientException" : "InvalidClientTokenId",
                            "The security token included in the request is invalid.", status);
    case AuthFailure::bad_signature:
        return ServiceError(json ? "InvalidSignatureException" : "SignatureDoesNotMatch",
                            "The request signature we calculated does not match the signature you provided. Check "
                            "your AWS Secret Access Key and signing method. Consult the service documentation for "
                            "details.",
                            status);
    case AuthFailure::expired_request:
        // JSON services answer a stale date with InvalidSignatureException "Signature expired: …"; Query
        // services with RequestExpired.
        return json ? ServiceError("InvalidSignatureException", detail, 400)
                    : ServiceError("RequestExpired", "Request has expired. " + detail, 400);
    case AuthFailure::expired_token:
        return ServiceError(json ? "ExpiredTokenException" : "ExpiredToken",
                            "The security token included in the request is expired", status);
    case AuthFailure::none: break;
    }
    return ServiceError("InternalFailure", "unexpected authentication state", 500, false);
}

std::string throttle_code(const std::string& service) {
    return protocol_for(service) && protocol_for(service)->protocol == WireProtocol::json ? "ThrottlingException"
                                                                                           : "Throttling";
}

bool unsigned_action(const std::string& service, const std::string& action) {
    // https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html: "Calling
    // AssumeRoleWithWebIdentity does not require the use of AWS security credentials."
    return service == "sts" && (action == "AssumeRoleWithWebIdentity" || action == "AssumeRoleWithSAML");
}

} // namespace

struct SandboxCore::Parsed {
    const aws::HttpRequest* http = nullptr;
    std::string request_id;
    std::string service;
    ServiceProtocol protocol = kGenericQuery;
    std::string action;
    std::map<std::string, std::string> params;
    std::string target;
    std::string region;
    std::string account_id;
    std::string access_key_id;
    Clock::WallTime now;
};

SandboxCore::SandboxCore(const SandboxOptions& options)
    : options_(options),
      clock_(options.clock != nullptr ? options.clock : &SystemClock::instance()),
      faults_(parse_fault_spec(options.faults)),
      rate_limiter_(*clock_, options.rate_limit_burst, options.rate_limit_refill_per_second) {
    if (!options_.credentials_file.empty()) {
        credentials_.load_file(options_.credentials_file);
    }
    add_service(make_sts_service(credentials_));
    auto sns = std::make_unique<SnsService>();
    sns_ = sns.get();
    add_service(std::move(sns));
    add_service(make_secrets_service());
    auto kms = std::make_unique<KmsService>();
    kms_ = kms.get();
    add_service(std::move(kms));
#ifdef AURORA_SANDBOX_HAS_RDS
    RdsOptions rds;
    rds.durations = load_durations(options_.durations);
#ifdef AURORA_SANDBOX_HAS_DATA_PLANE
    if (!options_.data_plane_postgres.empty()) {
        data_planes_.push_back(open_data_plane(options_.data_plane_postgres));
        rds.postgres = data_planes_.back().get();
    }
    if (!options_.data_plane_mysql.empty()) {
        data_planes_.push_back(open_data_plane(options_.data_plane_mysql));
        rds.mysql = data_planes_.back().get();
    }
#endif
    rds.kms_key_exists = [this](const std::string& a, const std::string& r, const std::string& k) {
        return kms_key_exists(a, r, k);
    };
    rds.verify_presigned_url = [this](const std::string& url, Clock::WallTime now) {
        return verify_presigned_url(url, now);
    };
    rds.put_managed_secret = [this](const std::string& account, const std::string& region, const std::string& name,
                                    const std::string& secret_string) {
        Slot* slot = find_slot("secretsmanager");
        std::lock_guard lock(*slot->mutex);
        return put_managed_secret(*slot->service, account, region, name, secret_string, clock_->now());
    };
    rds.seed = faults_.spec().seed;
    rds.clock = clock_;
    add_service(make_rds_service(rds));
#endif
    if (data_planes_.empty() && (!options_.data_plane_postgres.empty() || !options_.data_plane_mysql.empty())) {
        throw Error(ErrorCode::config, "this sandbox build has no data plane", "build with src/sandbox/data_plane");
    }
    if (!options_.state_file.empty() && std::filesystem::exists(options_.state_file)) {
        std::ifstream in(options_.state_file);
        const auto state = nlohmann::json::parse(in, nullptr, false);
        if (state.is_discarded()) {
            throw Error(ErrorCode::config, "sandbox state file " + options_.state_file + " is not valid JSON",
                        "delete it to start afresh");
        }
        load_state(state);
    } else if (!options_.seed_file.empty()) {
        seed_file(options_.seed_file);
    }
}

SandboxCore::~SandboxCore() = default;

void SandboxCore::add_service(std::unique_ptr<Service> service) {
    const std::string name = service->signing_name();
    services_[name] = Slot{std::move(service), std::make_unique<std::mutex>()};
}

SandboxCore::Slot* SandboxCore::find_slot(const std::string& name) const {
    auto it = services_.find(name);
    return it == services_.end() ? nullptr : const_cast<Slot*>(&it->second);
}

void SandboxCore::count(const std::string& service, const std::string& operation, const std::string& outcome) {
    std::lock_guard lock(counts_mutex_);
    ++counts_[{service.empty() ? "-" : service, operation.empty() ? "-" : operation, outcome}];
}

CoreOutcome SandboxCore::handle(const aws::HttpRequest& request) {
    Parsed p;
    p.http = &request;
    p.request_id = new_request_id();
    p.now = clock_->now();
    CoreOutcome out;
    try {
        // Find the protocol and the action: X-Amz-Target for JSON, the Action parameter for Query.
        if (const auto target = request.headers.get("X-Amz-Target")) {
            p.target = *target;
            const auto dot = target->find('.');
            p.service = service_for_target_prefix(target->substr(0, dot));
            p.action = dot == std::string::npos ? std::string{} : target->substr(dot + 1);
        } else {
            for (const auto& [k, v] : request.query) {
                if (!k.starts_with("X-Amz-")) {
                    p.params[k] = v;
                }
            }
            for (auto& [k, v] : parse_form(request.body)) {
                p.params[k] = std::move(v);
            }
            p.action = p.params.count("Action") ? p.params["Action"] : "";
            p.service = service_for_query_version(p.params.count("Version") ? p.params["Version"] : "");
            p.params.erase("Action");
            p.params.erase("Version");
        }
        const auto [hint_service, hint_region] = host_hint(request);
        if (!hint_service.empty()) {
            p.service = hint_service;
        }
        if (p.service.empty() && unsigned_action("sts", p.action)) {
            p.service = "sts";
        }

        AuthFailure failure = AuthFailure::none;
        const auto auth = parse_request_auth(request, failure);
        if (auth) {
            p.service = auth->service;
        }
        if (const auto proto = protocol_for(p.service)) {
            p.protocol = *proto;
        }
        if (!auth) {
            if (failure == AuthFailure::missing && unsigned_action(p.service, p.action)) {
                p.region = hint_region.empty() ? options_.default_region : hint_region;
                p.account_id = kDefaultAccountId;
            } else {
                throw auth_error(p.protocol, failure, {});
            }
        } else {
            p.region = auth->region;
            p.access_key_id = auth->access_key_id;
            const auto cred = credentials_.find(auth->access_key_id);
            if (!cred) {
                throw auth_error(p.protocol, AuthFailure::unknown_key, {});
            }
            if (!cred->session_token.empty() && cred->session_token != auth->security_token) {
                throw auth_error(p.protocol, AuthFailure::bad_token, {});
            }
            if (cred->expiration && *cred->expiration <= p.now) {
                throw auth_error(p.protocol, AuthFailure::expired_token, {});
            }
            const auto signed_at = parse_amz_date(auth->amz_date);
            if (!signed_at) {
                throw auth_error(p.protocol, AuthFailure::malformed, {});
            }
            const auto skew = std::chrono::duration_cast<std::chrono::minutes>(
                p.now > *signed_at ? p.now - *signed_at : *signed_at - p.now);
            const bool stale = auth->presigned
                                   ? p.now > *signed_at + std::chrono::seconds(auth->expires.value_or(0)) ||
                                         *signed_at > p.now + options_.max_clock_skew
                                   : skew >= options_.max_clock_skew;
            if (stale) {
                throw auth_error(p.protocol, AuthFailure::expired_request,
                                 "Signature expired: " + auth->amz_date + " is now earlier than " +
                                     format_amz_date(p.now - options_.max_clock_skew) + " (" + format_amz_date(p.now) +
                                     " - 15 min.)");
            }
            if (!signature_matches(request, *auth, cred->secret_access_key)) {
                throw auth_error(p.protocol, AuthFailure::bad_signature, {});
            }
            p.account_id = cred->account_id;
        }
        out.response = dispatch(p, out);
    } catch (const ServiceError& e) {
        out.response = error_response(p.protocol, e, p.request_id);
    }
    out.response.headers.set("x-amzn-RequestId", p.request_id);
    out.service = p.service;
    out.operation = p.action;
    if (out.drop) {
        out.outcome = "dropped";
    } else if (out.response.status < 300) {
        out.outcome = "ok";
    } else {
        out.outcome = out.response.headers.get("x-amzn-ErrorType").value_or("");
        if (out.outcome.empty()) {
            const auto b = out.response.body.find("<Code>");
            const auto e = out.response.body.find("</Code>");
            out.outcome = b == std::string::npos || e == std::string::npos ? std::to_string(out.response.status)
                                                                           : out.response.body.substr(b + 6, e - b - 6);
        }
    }
    count(out.service, out.operation, out.outcome);
    return out;
}

Response SandboxCore::dispatch(Parsed& p, CoreOutcome& out) {
    Slot* slot = find_slot(p.service);
    if (slot == nullptr) {
        throw ServiceError("InvalidAction", "The sandbox does not emulate the service '" + p.service + "'");
    }
    RequestContext ctx;
    ctx.account_id = p.account_id;
    ctx.access_key_id = p.access_key_id;
    ctx.region = p.region;
    ctx.service = p.service;
    ctx.action = p.action;
    ctx.http = p.http;
    ctx.request_id = p.request_id;
    ctx.now = p.now;
    if (p.protocol.protocol == WireProtocol::json) {
        if (p.action.empty()) {
            throw ServiceError("UnknownOperationException", "Missing or malformed X-Amz-Target");
        }
        ctx.body = p.http->body.empty() ? nlohmann::json::object() : nlohmann::json::parse(p.http->body, nullptr, false);
        if (!ctx.body.is_object()) {
            throw ServiceError("SerializationException", "Start of structure or map found where not expected.");
        }
    } else {
        if (p.action.empty()) {
            throw ServiceError("MissingAction", "Missing Action");
        }
        ctx.params = p.params;
    }

    // The RDS API rate limit applies before the request is processed (RDS answers Throttling, 400).
    if (options_.rate_limit && p.service == "rds" && !rate_limiter_.try_acquire(p.account_id, p.region)) {
        throw ServiceError("Throttling", "Rate exceeded", 400);
    }
    const FaultDecision fault = faults_.next(p.service, p.action);
    Response r;
    switch (fault.kind) {
    case FaultKind::drop: out.drop = true; break;
    case FaultKind::error500:
        r = error_response(p.protocol, ServiceError("InternalFailure", "We encountered an internal error. Please try again.", 500, false), p.request_id);
        break;
    case FaultKind::error503:
        r = error_response(p.protocol, ServiceError("ServiceUnavailable", "Service is unavailable. Please try again later.", 503, false), p.request_id);
        break;
    case FaultKind::throttle:
        r = error_response(p.protocol, ServiceError(throttle_code(p.service), "Rate exceeded", 400), p.request_id);
        break;
    case FaultKind::reject:
        r = error_response(p.protocol,
                           ServiceError(p.protocol.protocol == WireProtocol::json ? "ValidationException" : "InvalidParameterValue",
                                        "injected fault: the sandbox rejects this call of " + p.action, 400),
                           p.request_id);
        break;
    case FaultKind::none: {
        std::lock_guard lock(*slot->mutex);
        slot->service->tick(p.now);
        try {
            r = slot->service->handle(ctx);
        } catch (const ServiceError& e) {
            r = error_response(p.protocol, e, p.request_id);
        } catch (const std::exception& e) {
            log::error("sandbox.internal", {{"service", p.service}, {"op", p.action}, {"error", e.what()}});
            r = error_response(p.protocol, ServiceError("InternalFailure", "We encountered an internal error. Please try again.", 500, false), p.request_id);
        }
        break;
    }
    }
    out.latency = fault.latency;
    return r;
}

nlohmann::json SandboxCore::counts() const {
    nlohmann::json calls = nlohmann::json::object();
    std::int64_t total = 0;
    {
        std::lock_guard lock(counts_mutex_);
        for (const auto& [key, n] : counts_) {
            calls[std::get<0>(key)][std::get<1>(key)][std::get<2>(key)] = n;
            total += n;
        }
    }
    nlohmann::json effects = nlohmann::json::object();
    for (const auto& [name, slot] : services_) {
        std::lock_guard lock(*slot.mutex);
        effects[name] = slot.service->effect_counts();
    }
    return {{"calls", calls}, {"total", total}, {"effects", effects}};
}

void SandboxCore::reset_counts() {
    {
        std::lock_guard lock(counts_mutex_);
        counts_.clear();
    }
    faults_.reset();
    rate_limiter_.reset();
}

void SandboxCore::set_faults(const std::string& spec) { faults_.set_spec(parse_fault_spec(spec)); }

std::string SandboxCore::faults() const { return faults_.spec().text; }

nlohmann::json SandboxCore::sns_messages(const std::string& topic_arn) const {
    Slot* slot = find_slot("sns");
    std::lock_guard lock(*slot->mutex);
    return sns_->messages(topic_arn);
}

void SandboxCore::tick() {
    const auto now = clock_->now();
    for (const auto& [name, slot] : services_) {
        std::lock_guard lock(*slot.mutex);
        slot.service->tick(now);
    }
}

void SandboxCore::seed_file(const std::string& path) {
    YAML::Node root;
    try {
        root = YAML::LoadFile(path);
    } catch (const YAML::Exception& e) {
        throw Error(ErrorCode::config, "cannot read sandbox seed file " + path + ": " + e.what());
    }
    std::vector<YAML::Node> scopes{root};
    for (const auto& s : root["scopes"]) {
        scopes.push_back(s);
    }
    for (const auto& scope : scopes) {
        const std::string account = scope["account"].as<std::string>(kDefaultAccountId);
        const std::string region = scope["region"].as<std::string>(options_.default_region);
        for (const auto& [name, slot] : services_) {
            std::lock_guard lock(*slot.mutex);
            try {
                slot.service->seed(scope[name], account, region);
            } catch (const YAML::Exception& e) {
                throw Error(ErrorCode::config, "bad '" + name + "' section in sandbox seed file " + path + ": " + e.what());
            }
        }
    }
}

nlohmann::json SandboxCore::save_state() const {
    nlohmann::json services = nlohmann::json::object();
    for (const auto& [name, slot] : services_) {
        std::lock_guard lock(*slot.mutex);
        services[name] = slot.service->save_state();
    }
    return {{"version", 1}, {"services", services}};
}

void SandboxCore::load_state(const nlohmann::json& state) {
    const auto services = state.value("services", nlohmann::json::object());
    for (const auto& [name, slot] : services_) {
        if (services.contains(name)) {
            std::lock_guard lock(*slot.mutex);
            slot.service->load_state(services[name]);
        }
    }
}

void SandboxCore::save_state_file() const {
    if (options_.state_file.empty()) {
        return;
    }
    const std::string text = save_state().dump(1);
    std::lock_guard lock(state_file_mutex_);
    const std::string tmp = options_.state_file + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << text;
        if (!out) {
            throw Error(ErrorCode::config, "cannot write sandbox state file " + tmp);
        }
    }
    std::filesystem::rename(tmp, options_.state_file);
}

bool SandboxCore::kms_key_exists(const std::string& account_id, const std::string& region,
                                 const std::string& key_id) const {
    Slot* slot = find_slot("kms");
    std::lock_guard lock(*slot->mutex);
    return kms_->key_exists(account_id, region, key_id);
}

PresignedVerification SandboxCore::verify_presigned_url(const std::string& url, Clock::WallTime now) const {
    PresignedVerification v;
    aws::HttpRequest request;
    try {
        request = aws::request_from_url("GET", url);
    } catch (const std::exception&) {
        v.error_code = "InvalidParameterValue";
        v.message = "PreSignedUrl is not a URL";
        return v;
    }
    const auto parsed = aws::parse_presigned_query(request);
    if (!parsed) {
        v.error_code = "MissingAuthenticationToken";
        v.message = "PreSignedUrl carries no valid SigV4 query authentication";
        return v;
    }
    v.access_key_id = parsed->access_key_id;
    v.region = parsed->region;
    v.service = parsed->service;
    for (const auto& [k, val] : request.query) {
        if (!k.starts_with("X-Amz-")) {
            v.params[k] = val;
        }
    }
    const auto cred = credentials_.find(parsed->access_key_id);
    if (!cred || (!cred->session_token.empty() && cred->session_token != parsed->security_token.value_or(""))) {
        v.error_code = "InvalidClientTokenId";
        v.message = "The security token included in the request is invalid.";
        return v;
    }
    v.account_id = cred->account_id;
    if (cred->expiration && *cred->expiration <= now) {
        v.error_code = "ExpiredToken";
        v.message = "The security token included in the request is expired";
        return v;
    }
    if (aws::presign_expired(*parsed, now)) {
        v.error_code = "RequestExpired";
        v.message = "Request has expired.";
        return v;
    }
    const std::string expected =
        aws::compute_presigned_signature(request, *parsed, cred->secret_access_key, aws::kEmptyPayloadSha256);
    if (!aws::signatures_equal(expected, parsed->signature)) {
        v.error_code = "SignatureDoesNotMatch";
        v.message = "The request signature we calculated does not match the signature you provided.";
        return v;
    }
    v.valid = true;
    return v;
}

} // namespace aurora::sandbox
