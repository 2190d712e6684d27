#include "sandbox/secrets_service.hpp"

#include "common/error.hpp"
#include "common/redact.hpp"
#include "sandbox/protocol.hpp"

#include <yaml-cpp/yaml.h>

#include <random>
#include <regex>

namespace aurora::sandbox {

namespace {

const ServiceProtocol& sm_protocol() {
    static const ServiceProtocol p = *protocol_for("secretsmanager");
    return p;
}

double epoch_seconds(Clock::WallTime t) {
    return static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count()) /
           1000.0;
}

Clock::WallTime from_epoch(double s) {
    return Clock::WallTime{std::chrono::milliseconds(static_cast<long long>(s * 1000.0))};
}

[[noreturn]] void not_found() {
    throw ServiceError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
}

std::string random_suffix() {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    static constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
    std::string out;
    for (int i = 0; i < 6; ++i) {
        out += alphabet[pick(engine)];
    }
    return out;
}

// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html#SecretsManager-CreateSecret-request-Name
void check_name(const std::string& name) {
    static const std::regex pattern(R"([A-Za-z0-9/_+=.@-]{1,512})");
    if (!std::regex_match(name, pattern)) {
        throw ServiceError("ValidationException",
                           "Invalid name. Must be a valid name containing alphanumeric characters, or any of the "
                           "following: -/_+=.@!");
    }
}

struct Version {
    std::optional<std::string> string_value;
    std::optional<std::string> binary_value; // base64 text, as on the wire
    std::vector<std::string> stages;
    Clock::WallTime created;
};

struct Secret {
    std::string arn;
    std::string name;
    std::string description;
    std::string kms_key_id;
    std::vector<std::pair<std::string, std::string>> tags;
    Clock::WallTime created;
    Clock::WallTime changed;
    std::optional<Clock::WallTime> accessed;
    std::map<std::string, Version> versions;
    std::vector<std::string> version_order; // oldest first
};

struct Value {
    std::optional<std::string> string_value;
    std::optional<std::string> binary_value;
};

Value value_of(const nlohmann::json& body) {
    Value v;
    if (body.contains("SecretString") && body["SecretString"].is_string()) {
        v.string_value = body["SecretString"].get<std::string>();
        register_secret(*v.string_value);
    }
    if (body.contains("SecretBinary") && body["SecretBinary"].is_string()) {
        v.binary_value = body["SecretBinary"].get<std::string>();
    }
    if (v.string_value && v.binary_value) {
        throw ServiceError("InvalidParameterException", "You can't specify both a binary secret value and a string "
                                                        "secret value in the same secret.");
    }
    return v;
}

std::string text_member(const nlohmann::json& body, const char* name) {
    auto it = body.find(name);
    return it != body.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

class SecretsService final : public Service {
public:
    std::string signing_name() const override { return "secretsmanager"; }

    Response handle(const RequestContext& ctx) override {
        auto& scope = scopes_[{ctx.account_id, ctx.region}];
        if (ctx.action == "CreateSecret") {
            return create_secret(ctx, scope);
        }
        if (ctx.action == "GetSecretValue") {
            return get_secret_value(ctx, scope);
        }
        if (ctx.action == "PutSecretValue") {
            return put_secret_value(ctx, scope);
        }
        if (ctx.action == "DescribeSecret") {
            return describe_secret(ctx, scope);
        }
        throw ServiceError("UnknownOperationException", "Unknown operation " + ctx.action);
    }

    void tick(Clock::WallTime /*now*/) override {}

    std::map<std::string, std::int64_t> effect_counts() const override {
        return {{"secrets_created", created_}, {"secret_versions_put", versions_put_}, {"secret_values_read", reads_}};
    }

    nlohmann::json save_state() const override;
    void load_state(const nlohmann::json& state) override;
    void seed(const YAML::Node& node, const std::string& account_id, const std::string& region) override;

    using Scope = std::map<std::string, Secret>; // by name

private:
    static Secret& find(Scope& scope, const std::string& id) {
        auto it = scope.find(id);
        if (it != scope.end()) {
            return it->second;
        }
        // An ARN, or a partial ARN without the random suffix.
        for (auto& [name, s] : scope) {
            if (s.arn == id || (id.starts_with("arn:") && s.arn.size() == id.size() + 7 && s.arn.starts_with(id + "-"))) {
                return s;
            }
        }
        not_found();
    }

    // Adds a version labelled AWSCURRENT (the old current becomes AWSPREVIOUS), or checks an existing
    // version's value (PutSecretValue is idempotent by ClientRequestToken).
    void add_version(Secret& s, const std::string& version_id, const Value& v, Clock::WallTime now) {
        auto existing = s.versions.find(version_id);
        if (existing != s.versions.end()) {
            if (existing->second.string_value != v.string_value || existing->second.binary_value != v.binary_value) {
                throw ServiceError("ResourceExistsException",
                                   "You can't modify an existing version, you can only create a new version.");
            }
            return;
        }
        for (auto& [id, old] : s.versions) {
            std::erase(old.stages, "AWSPREVIOUS");
        }
        for (auto& [id, old] : s.versions) {
            if (std::erase(old.stages, "AWSCURRENT") > 0) {
                old.stages.push_back("AWSPREVIOUS");
            }
        }
        s.versions[version_id] = Version{v.string_value, v.binary_value, {"AWSCURRENT"}, now};
        s.version_order.push_back(version_id);
        s.changed = now;
        ++versions_put_;
    }

public:
    //! Creates or updates secret `name` with `secret_string` as its new AWSCURRENT version (RDS-managed master
    //! passwords; their "rds!cluster-…" names are AWS's own and skip the user name rules). Returns its ARN.
    std::string upsert(const std::string& account, const std::string& region, const std::string& name,
                       const std::string& secret_string, Clock::WallTime now) {
        register_secret(secret_string);
        auto& scope = scopes_[{account, region}];
        auto it = scope.find(name);
        if (it == scope.end()) {
            return create(scope, account, region, {{"Name", name}, {"SecretString", secret_string}}, now, false).arn;
        }
        add_version(it->second, new_uuid(), Value{secret_string, std::nullopt}, now);
        return it->second.arn;
    }

private:
    Secret create(Scope& scope, const std::string& account, const std::string& region, const nlohmann::json& body,
                  Clock::WallTime now, bool check_user_name = true) {
        const std::string name = text_member(body, "Name");
        if (check_user_name) {
            check_name(name);
        }
        if (scope.count(name) != 0) {
            throw ServiceError("ResourceExistsException",
                               "The operation failed because the secret " + name + " already exists.");
        }
        const Value v = value_of(body);
        Secret s;
        s.name = name;
        s.arn = "arn:aws:secretsmanager:" + region + ":" + account + ":secret:" + name + "-" + random_suffix();
        s.description = text_member(body, "Description");
        s.kms_key_id = text_member(body, "KmsKeyId");
        for (const auto& t : body.value("Tags", nlohmann::json::array())) {
            s.tags.emplace_back(t.value("Key", ""), t.value("Value", ""));
        }
        s.created = s.changed = now;
        if (v.string_value || v.binary_value) {
            const std::string token = text_member(body, "ClientRequestToken");
            add_version(s, token.empty() ? new_uuid() : token, v, now);
        }
        ++created_;
        return scope.emplace(name, std::move(s)).first->second;
    }

    Response create_secret(const RequestContext& ctx, Scope& scope) {
        const Secret& s = create(scope, ctx.account_id, ctx.region, ctx.body, ctx.now);
        nlohmann::json out{{"ARN", s.arn}, {"Name", s.name}};
        if (!s.version_order.empty()) {
            out["VersionId"] = s.version_order.back();
        }
        return json_response(sm_protocol(), out);
    }

    Response get_secret_value(const RequestContext& ctx, Scope& scope) {
        Secret& s = find(scope, text_member(ctx.body, "SecretId"));
        const std::string version_id = text_member(ctx.body, "VersionId");
        std::string stage = text_member(ctx.body, "VersionStage");
        const Version* found = nullptr;
        std::string found_id;
        if (!version_id.empty()) {
            auto it = s.versions.find(version_id);
            if (it == s.versions.end()) {
                throw ServiceError("ResourceNotFoundException",
                                   "Secrets Manager can't find the specified secret value for VersionId: " + version_id);
            }
            found = &it->second;
            found_id = version_id;
        } else {
            stage = stage.empty() ? "AWSCURRENT" : stage;
            for (const auto& [id, v] : s.versions) {
                if (std::find(v.stages.begin(), v.stages.end(), stage) != v.stages.end()) {
                    found = &v;
                    found_id = id;
                }
            }
            if (found == nullptr) {
                throw ServiceError("ResourceNotFoundException",
                                   "Secrets Manager can't find the specified secret value for staging label: " + stage);
            }
        }
        s.accessed = std::chrono::floor<std::chrono::days>(ctx.now);
        ++reads_;
        nlohmann::json out{{"ARN", s.arn},
                           {"Name", s.name},
                           {"VersionId", found_id},
                           {"VersionStages", found->stages},
                           {"CreatedDate", epoch_seconds(found->created)}};
        if (found->string_value) {
            out["SecretString"] = *found->string_value;
        }
        if (found->binary_value) {
            out["SecretBinary"] = *found->binary_value;
        }
        return json_response(sm_protocol(), out);
    }

    Response put_secret_value(const RequestContext& ctx, Scope& scope) {
        Secret& s = find(scope, text_member(ctx.body, "SecretId"));
        const Value v = value_of(ctx.body);
        if (!v.string_value && !v.binary_value) {
            throw ServiceError("InvalidRequestException", "You must provide either SecretString or SecretBinary.");
        }
        std::string token = text_member(ctx.body, "ClientRequestToken");
        token = token.empty() ? new_uuid() : token;
        add_version(s, token, v, ctx.now);
        return json_response(sm_protocol(), {{"ARN", s.arn},
                                             {"Name", s.name},
                                             {"VersionId", token},
                                             {"VersionStages", s.versions[token].stages}});
    }

    Response describe_secret(const RequestContext& ctx, Scope& scope) {
        const Secret& s = find(scope, text_member(ctx.body, "SecretId"));
        nlohmann::json out{{"ARN", s.arn},
                           {"Name", s.name},
                           {"LastChangedDate", epoch_seconds(s.changed)},
                           {"CreatedDate", epoch_seconds(s.created)}};
        if (!s.description.empty()) {
            out["Description"] = s.description;
        }
        if (!s.kms_key_id.empty()) {
            out["KmsKeyId"] = s.kms_key_id;
        }
        if (s.accessed) {
            out["LastAccessedDate"] = epoch_seconds(*s.accessed);
        }
        if (!s.tags.empty()) {
            nlohmann::json tags = nlohmann::json::array();
            for (const auto& [k, v] : s.tags) {
                tags.push_back({{"Key", k}, {"Value", v}});
            }
            out["Tags"] = tags;
        }
        nlohmann::json stages = nlohmann::json::object();
        for (const auto& [id, v] : s.versions) {
            if (!v.stages.empty()) {
                stages[id] = v.stages;
            }
        }
        out["VersionIdsToStages"] = stages;
        return json_response(sm_protocol(), out);
    }

    std::map<std::pair<std::string, std::string>, Scope> scopes_;
    std::int64_t created_ = 0;
    std::int64_t versions_put_ = 0;
    std::int64_t reads_ = 0;
};

nlohmann::json SecretsService::save_state() const {
    nlohmann::json scopes = nlohmann::json::array();
    for (const auto& [key, scope] : scopes_) {
        nlohmann::json secrets = nlohmann::json::array();
        for (const auto& [name, s] : scope) {
            nlohmann::json versions = nlohmann::json::array();
            for (const auto& id : s.version_order) {
                const Version& v = s.versions.at(id);
                nlohmann::json j{{"id", id}, {"stages", v.stages}, {"created", epoch_seconds(v.created)}};
                if (v.string_value) {
                    j["string"] = *v.string_value;
                }
                if (v.binary_value) {
                    j["binary"] = *v.binary_value;
                }
                versions.push_back(j);
            }
            nlohmann::json j{{"arn", s.arn},         {"name", s.name},       {"description", s.description},
                             {"kms_key_id", s.kms_key_id}, {"tags", s.tags}, {"created", epoch_seconds(s.created)},
                             {"changed", epoch_seconds(s.changed)}, {"versions", versions}};
            if (s.accessed) {
                j["accessed"] = epoch_seconds(*s.accessed);
            }
            secrets.push_back(j);
        }
        scopes.push_back({{"account", key.first}, {"region", key.second}, {"secrets", secrets}});
    }
    return {{"scopes", scopes}, {"created", created_}, {"versions_put", versions_put_}, {"reads", reads_}};
}

void SecretsService::load_state(const nlohmann::json& state) {
    scopes_.clear();
    for (const auto& sj : state.value("scopes", nlohmann::json::array())) {
        auto& scope = scopes_[{sj.value("account", ""), sj.value("region", "")}];
        for (const auto& j : sj.value("secrets", nlohmann::json::array())) {
            Secret s;
            s.arn = j.value("arn", "");
            s.name = j.value("name", "");
            s.description = j.value("description", "");
            s.kms_key_id = j.value("kms_key_id", "");
            s.tags = j.value("tags", std::vector<std::pair<std::string, std::string>>{});
            s.created = from_epoch(j.value("created", 0.0));
            s.changed = from_epoch(j.value("changed", 0.0));
            if (j.contains("accessed")) {
                s.accessed = from_epoch(j["accessed"].get<double>());
            }
            for (const auto& vj : j.value("versions", nlohmann::json::array())) {
                Version v;
                if (vj.contains("string")) {
                    v.string_value = vj["string"].get<std::string>();
                    register_secret(*v.string_value);
                }
                if (vj.contains("binary")) {
                    v.binary_value = vj["binary"].get<std::string>();
                }
                v.stages = vj.value("stages", std::vector<std::string>{});
                v.created = from_epoch(vj.value("created", 0.0));
                const std::string id = vj.value("id", "");
                s.versions[id] = std::move(v);
                s.version_order.push_back(id);
            }
            scope.emplace(s.name, std::move(s));
        }
    }
    created_ = state.value("created", std::int64_t{0});
    versions_put_ = state.value("versions_put", std::int64_t{0});
    reads_ = state.value("reads", std::int64_t{0});
}

// A YAML node as JSON text (for map-valued seed secrets).
nlohmann::json yaml_to_json(const YAML::Node& n) {
    if (n.IsMap()) {
        nlohmann::json out = nlohmann::json::object();
        for (const auto& kv : n) {
            out[kv.first.as<std::string>()] = yaml_to_json(kv.second);
        }
        return out;
    }
    if (n.IsSequence()) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& item : n) {
            out.push_back(yaml_to_json(item));
        }
        return out;
    }
    return n.IsNull() ? nlohmann::json() : nlohmann::json(n.as<std::string>());
}

void SecretsService::seed(const YAML::Node& node, const std::string& account_id, const std::string& region) {
    if (!node || !node["secrets"]) {
        return;
    }
    auto& scope = scopes_[{account_id, region}];
    for (const auto& item : node["secrets"]) {
        nlohmann::json body{{"Name", item["name"].as<std::string>("")}};
        const YAML::Node value = item["value"];
        if (value && value.IsMap()) {
            body["SecretString"] = yaml_to_json(value).dump();
        } else if (value) {
            body["SecretString"] = value.as<std::string>();
        }
        if (item["description"]) {
            body["Description"] = item["description"].as<std::string>();
        }
        try {
            create(scope, account_id, region, body, std::chrono::system_clock::now());
        } catch (const ServiceError& e) {
            throw Error(ErrorCode::config, "bad secret '" + body["Name"].get<std::string>() +
                                               "' in the sandbox seed: " + e.what());
        }
    }
}

} // namespace

std::unique_ptr<Service> make_secrets_service() { return std::make_unique<SecretsService>(); }

std::string put_managed_secret(Service& secrets, const std::string& account, const std::string& region,
                               const std::string& name, const std::string& secret_string, Clock::WallTime now) {
    return dynamic_cast<SecretsService&>(secrets).upsert(account, region, name, secret_string, now);
}

} // namespace aurora::sandbox
