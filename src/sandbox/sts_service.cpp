#include "sandbox/sts_service.hpp"

#include "sandbox/protocol.hpp"

#include <yaml-cpp/yaml.h>

#include <atomic>
#include <random>
#include <regex>

namespace aurora::sandbox {

namespace {

const char* const kStsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/";

std::string random_chars(std::size_t n, std::string_view alphabet) {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
        out += alphabet[pick(engine)];
    }
    return out;
}

constexpr std::string_view kUpperDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::string_view kBase64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// base64url (RFC 4648 §5) without padding, as JWT segments are encoded; nullopt on a bad character.
std::optional<std::string> base64url_decode(std::string_view in) {
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (char c : in) {
        int v = -1;
        if (c >= 'A' && c <= 'Z') v = c - 'A';
        else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
        else if (c >= '0' && c <= '9') v = c - '0' + 52;
        else if (c == '-' || c == '+') v = 62;
        else if (c == '_' || c == '/') v = 63;
        else if (c == '=') break;
        if (v < 0) {
            return std::nullopt;
        }
        buffer = (buffer << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xff);
        }
    }
    return out;
}

struct Role {
    std::string account;
    std::string name;
};

// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html: RoleArn is an IAM role ARN.
Role parse_role_arn(const std::string& arn) {
    static const std::regex pattern(R"(arn:aws[a-z-]*:iam::(\d{12}):role/(?:[\w+=,.@/-]*/)?([\w+=,.@-]{1,64}))");
    std::smatch m;
    if (arn.size() < 20 || arn.size() > 2048 || !std::regex_match(arn, m, pattern)) {
        throw ServiceError("ValidationError", arn + " is invalid");
    }
    return {m[1].str(), m[2].str()};
}

void check_session_name(const std::string& name) {
    static const std::regex pattern(R"([\w+=,.@-]{2,64})");
    if (!std::regex_match(name, pattern)) {
        throw ServiceError("ValidationError", "1 validation error detected: Value '" + name +
                                                  "' at 'roleSessionName' failed to satisfy constraint: Member must "
                                                  "satisfy regular expression pattern: [\\w+=,.@-]*");
    }
}

std::chrono::seconds duration_of(const std::map<std::string, std::string>& params) {
    const auto d = param_int(params, "DurationSeconds").value_or(3600);
    if (d < 900) {
        throw ServiceError("ValidationError", "1 validation error detected: Value '" + std::to_string(d) +
                                                  "' at 'durationSeconds' failed to satisfy constraint: Member must "
                                                  "have value greater than or equal to 900");
    }
    if (d > 43200) {
        throw ServiceError("ValidationError",
                           "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
    }
    return std::chrono::seconds(d);
}

class StsService final : public Service {
public:
    explicit StsService(CredentialStore& credentials) : credentials_(credentials) {}

    std::string signing_name() const override { return "sts"; }

    Response handle(const RequestContext& ctx) override {
        if (ctx.action == "GetCallerIdentity") {
            return get_caller_identity(ctx);
        }
        if (ctx.action == "AssumeRole") {
            return assume_role(ctx, false);
        }
        if (ctx.action == "AssumeRoleWithWebIdentity") {
            return assume_role(ctx, true);
        }
        throw ServiceError("InvalidAction", "Could not find operation " + ctx.action + " for version 2011-06-15");
    }

    void tick(Clock::WallTime /*now*/) override {}

    std::map<std::string, std::int64_t> effect_counts() const override {
        return {{"roles_assumed", roles_assumed_.load()}, {"web_identity_roles_assumed", web_identity_.load()}};
    }

    nlohmann::json save_state() const override {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& c : credentials_.temporary()) {
            list.push_back({{"access_key_id", c.access_key_id},
                            {"secret_access_key", c.secret_access_key},
                            {"session_token", c.session_token},
                            {"expiration", c.expiration ? format_iso8601(*c.expiration) : ""},
                            {"account_id", c.account_id},
                            {"arn", c.arn},
                            {"user_id", c.user_id}});
        }
        return {{"credentials", list}};
    }

    void load_state(const nlohmann::json& state) override {
        for (const auto& j : state.value("credentials", nlohmann::json::array())) {
            SandboxCredential c;
            c.access_key_id = j.value("access_key_id", "");
            c.secret_access_key = j.value("secret_access_key", "");
            c.session_token = j.value("session_token", "");
            const std::string exp = j.value("expiration", "");
            if (!exp.empty()) {
                c.expiration = parse_iso8601(exp);
            }
            c.account_id = j.value("account_id", "");
            c.arn = j.value("arn", "");
            c.user_id = j.value("user_id", "");
            credentials_.add(std::move(c));
        }
    }

    void seed(const YAML::Node& /*node*/, const std::string& /*account_id*/, const std::string& /*region*/) override {}

private:
    Response get_caller_identity(const RequestContext& ctx) {
        const auto caller = credentials_.find(ctx.access_key_id);
        XmlWriter w;
        w.leaf("UserId", caller ? caller->user_id : ctx.account_id)
            .leaf("Account", ctx.account_id)
            .leaf("Arn", caller ? caller->arn : "arn:aws:iam::" + ctx.account_id + ":root");
        return query_response(ctx, kStsNamespace, w.str());
    }

    Response assume_role(const RequestContext& ctx, bool web_identity) {
        const std::string role_arn = required_param(ctx.params, "RoleArn", "MissingParameter");
        const std::string session = required_param(ctx.params, "RoleSessionName", "MissingParameter");
        const Role role = parse_role_arn(role_arn);
        check_session_name(session);
        const auto duration = duration_of(ctx.params);
        nlohmann::json claims;
        if (web_identity) {
            claims = parse_web_identity_token(required_param(ctx.params, "WebIdentityToken", "MissingParameter"));
        }

        SandboxCredential c;
        c.access_key_id = "ASIA" + random_chars(16, kUpperDigits);
        c.secret_access_key = random_chars(40, kBase64);
        c.session_token = "FwoGZXIvYXdzE" + random_chars(200, kBase64);
        c.expiration = std::chrono::time_point_cast<std::chrono::seconds>(ctx.now + duration);
        c.account_id = role.account;
        const std::string role_id = "AROA" + role_id_suffix(role_arn);
        c.user_id = role_id + ":" + session;
        c.arn = "arn:aws:sts::" + role.account + ":assumed-role/" + role.name + "/" + session;
        credentials_.add(c);

        XmlWriter w;
        w.open("Credentials")
            .leaf("AccessKeyId", c.access_key_id)
            .leaf("SecretAccessKey", c.secret_access_key)
            .leaf("SessionToken", c.session_token)
            .leaf("Expiration", format_iso8601(*c.expiration))
            .close();
        if (web_identity) {
            w.leaf("SubjectFromWebIdentityToken", claims.value("sub", ""));
        }
        w.open("AssumedRoleUser").leaf("AssumedRoleId", c.user_id).leaf("Arn", c.arn).close();
        if (web_identity) {
            w.leaf("Provider", claims.value("iss", ""));
            w.leaf("Audience", audience_of(claims));
            ++web_identity_;
        } else {
            ++roles_assumed_;
        }
        return query_response(ctx, kStsNamespace, w.str());
    }

    // A stable role id per role ARN, as IAM keeps one per role.
    static std::string role_id_suffix(const std::string& role_arn) {
        std::uint64_t h = 1469598103934665603ULL;
        for (unsigned char ch : role_arn) {
            h = (h ^ ch) * 1099511628211ULL;
        }
        std::string out;
        for (int i = 0; i < 17; ++i) {
            out += kUpperDigits[h % kUpperDigits.size()];
            h = h / kUpperDigits.size() + 0x9e3779b97f4a7c15ULL * static_cast<std::uint64_t>(i + 1);
        }
        return out;
    }

    // The token must be a JWT (header.payload.signature) whose payload is JSON; the sandbox does not check
    // the signature (it has no identity provider keys).
    static nlohmann::json parse_web_identity_token(const std::string& token) {
        const auto first = token.find('.');
        const auto second = first == std::string::npos ? std::string::npos : token.find('.', first + 1);
        if (second == std::string::npos) {
            throw ServiceError("InvalidIdentityToken",
                               "The ID Token provided is not a valid JWT. (You may see this error if you sent an "
                               "Access Token)");
        }
        const auto payload = base64url_decode(std::string_view(token).substr(first + 1, second - first - 1));
        auto claims = payload ? nlohmann::json::parse(*payload, nullptr, false) : nlohmann::json();
        if (!claims.is_object()) {
            throw ServiceError("InvalidIdentityToken",
                               "The ID Token provided is not a valid JWT. (You may see this error if you sent an "
                               "Access Token)");
        }
        return claims;
    }

    static std::string audience_of(const nlohmann::json& claims) {
        const auto aud = claims.find("aud");
        if (aud == claims.end()) {
            return {};
        }
        if (aud->is_array() && !aud->empty() && aud->front().is_string()) {
            return aud->front().get<std::string>();
        }
        return aud->is_string() ? aud->get<std::string>() : std::string{};
    }

    CredentialStore& credentials_;
    std::atomic<std::int64_t> roles_assumed_{0};
    std::atomic<std::int64_t> web_identity_{0};
};

} // namespace

std::unique_ptr<Service> make_sts_service(CredentialStore& credentials) {
    return std::make_unique<StsService>(credentials);
}

} // namespace aurora::sandbox
