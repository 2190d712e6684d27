#include "aws/credentials/credentials_util.hpp"

#include "common/error.hpp"
#include "common/redact.hpp"

#include <nlohmann/json.hpp>

namespace aurora::aws {
namespace {

std::string required_string(const nlohmann::json& j, const char* key, const std::string& what) {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_string() || it->get<std::string>().empty()) {
        throw Error(ErrorCode::credentials, "credentials from " + what + " lack '" + key + "'",
                    "the source must return AccessKeyId, SecretAccessKey and, for temporary credentials, a "
                    "session token and Expiration");
    }
    return it->get<std::string>();
}

} // namespace

Credentials register_credentials(Credentials c) {
    register_secret(c.secret_access_key);
    register_secret(c.session_token);
    return c;
}

Credentials parse_credentials_json(std::string_view body, CredentialsJsonDialect dialect, const std::string& what) {
    const auto j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) {
        // Why: never quote the body, it may hold a secret we could not register.
        throw Error(ErrorCode::credentials, "credentials from " + what + " are not a JSON object",
                    "the output format is described at "
                    "https://docs.aws.amazon.com/sdkref/latest/guide/feature-process-credentials.html");
    }
    // Register whatever secrets are present first, so that any later error or log line masks them.
    for (const char* key : {"SecretAccessKey", "SessionToken", "Token"}) {
        const auto it = j.find(key);
        if (it != j.end() && it->is_string()) {
            register_secret(it->get<std::string>());
        }
    }
    if (dialect == CredentialsJsonDialect::process) {
        const auto v = j.find("Version");
        if (v == j.end() || !v->is_number_integer() || v->get<int>() != 1) {
            throw Error(ErrorCode::credentials, "credentials from " + what + " have an unsupported Version",
                        "credential_process output must carry \"Version\": 1");
        }
    }
    if (dialect == CredentialsJsonDialect::imds) {
        const auto code = j.find("Code");
        if (code != j.end() && code->is_string() && code->get<std::string>() != "Success") {
            throw Error(ErrorCode::credentials,
                        "credentials from " + what + " report Code '" + code->get<std::string>() + "'",
                        "check the instance profile attached to this EC2 instance");
        }
    }
    Credentials c;
    c.access_key_id = required_string(j, "AccessKeyId", what);
    c.secret_access_key = required_string(j, "SecretAccessKey", what);
    const char* token_key = dialect == CredentialsJsonDialect::process ? "SessionToken" : "Token";
    if (const auto t = j.find(token_key); t != j.end() && t->is_string()) {
        c.session_token = t->get<std::string>();
    }
    if (const auto e = j.find("Expiration"); e != j.end() && e->is_string() && !e->get<std::string>().empty()) {
        try {
            c.expiration = parse_iso8601(e->get<std::string>());
        } catch (const Error&) {
            throw Error(ErrorCode::credentials, "credentials from " + what + " have an invalid Expiration",
                        "Expiration must be an ISO 8601 UTC timestamp, e.g. 2024-01-31T02:00:00Z");
        }
    }
    return register_credentials(std::move(c));
}

bool is_expired(const Credentials& c, Clock::WallTime now) { return c.expiration && *c.expiration <= now; }

std::string mask_key_id(std::string_view access_key_id) {
    if (access_key_id.size() <= 4) {
        return std::string(kRedacted);
    }
    return std::string(access_key_id.substr(0, 4)) + std::string(kRedacted);
}

} // namespace aurora::aws
