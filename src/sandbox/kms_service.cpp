#include "sandbox/kms_service.hpp"

#include "common/error.hpp"
#include "sandbox/protocol.hpp"

#include <yaml-cpp/yaml.h>

#include <regex>

namespace aurora::sandbox {

namespace {

const ServiceProtocol& kms_protocol() {
    static const ServiceProtocol p = *protocol_for("kms");
    return p;
}

double epoch_seconds(Clock::WallTime t) {
    return static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count()) /
           1000.0;
}

std::string text_member(const nlohmann::json& body, const char* name) {
    auto it = body.find(name);
    return it != body.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

struct ArnRef {
    std::string region;
    std::string account;
    std::string resource; // "key/…" or "alias/…"
};

std::optional<ArnRef> parse_kms_arn(const std::string& arn) {
    static const std::regex pattern(R"(arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):((?:key|alias)/.+))");
    std::smatch m;
    if (!std::regex_match(arn, m, pattern)) {
        return std::nullopt;
    }
    return ArnRef{m[1].str(), m[2].str(), m[3].str()};
}

std::string arn_of(const std::pair<std::string, std::string>& scope, const std::string& resource) {
    return "arn:aws:kms:" + scope.second + ":" + scope.first + ":" + resource;
}

// A stable id for the AWS-managed key behind an alias, so that alias/aws/rds names one key per scope.
std::string managed_key_id(const std::pair<std::string, std::string>& scope, const std::string& alias) {
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : scope.first + "/" + scope.second + "/" + alias) {
        h = (h ^ c) * 1099511628211ULL;
    }
    char buf[40];
    std::snprintf(buf, sizeof buf, "%08x-%04x-4%03x-8%03x-%012llx", static_cast<unsigned>(h >> 32),
                  static_cast<unsigned>((h >> 16) & 0xffff), static_cast<unsigned>(h & 0xfff),
                  static_cast<unsigned>((h >> 20) & 0xfff), static_cast<unsigned long long>(h & 0xffffffffffffULL));
    return buf;
}

} // namespace

Response KmsService::handle(const RequestContext& ctx) {
    if (ctx.action == "CreateKey") {
        return create_key(ctx);
    }
    if (ctx.action == "CreateAlias") {
        return create_alias(ctx);
    }
    if (ctx.action == "DescribeKey") {
        return describe_key(ctx);
    }
    throw ServiceError("UnknownOperationException", "Unknown operation " + ctx.action);
}

KmsService::Key& KmsService::new_key(const ScopeKey& scope, std::string id, std::string description,
                                     std::string manager, Clock::WallTime now) {
    Key k;
    k.id = std::move(id);
    k.arn = arn_of(scope, "key/" + k.id);
    k.description = std::move(description);
    k.key_manager = std::move(manager);
    k.created = std::chrono::time_point_cast<std::chrono::seconds>(now);
    ++keys_created_;
    const std::string key_id = k.id;
    return scopes_[scope].keys.insert_or_assign(key_id, std::move(k)).first->second;
}

const KmsService::Key* KmsService::resolve(const ScopeKey& scope_in, const std::string& key_id, bool create_managed,
                                           Clock::WallTime now) {
    ScopeKey scope = scope_in;
    std::string ref = key_id;
    if (const auto arn = parse_kms_arn(key_id)) {
        scope = {arn->account, arn->region};
        ref = arn->resource;
    }
    auto& s = scopes_[scope];
    if (ref.starts_with("alias/")) {
        auto a = s.aliases.find(ref);
        if (a == s.aliases.end() && create_managed && ref.starts_with("alias/aws/")) {
            const std::string id = managed_key_id(scope, ref);
            new_key(scope, id, "Default key that protects my " + ref.substr(10) + " data when no other key is defined",
                    "AWS", now);
            a = s.aliases.emplace(ref, id).first;
        }
        if (a == s.aliases.end()) {
            return nullptr;
        }
        ref = a->second;
    } else if (ref.starts_with("key/")) {
        ref = ref.substr(4);
    }
    auto k = s.keys.find(ref);
    return k == s.keys.end() ? nullptr : &k->second;
}

bool KmsService::key_exists(const std::string& account_id, const std::string& region,
                            const std::string& key_id) const {
    ScopeKey scope{account_id, region};
    std::string ref = key_id;
    if (const auto arn = parse_kms_arn(key_id)) {
        scope = {arn->account, arn->region};
        ref = arn->resource;
    }
    if (ref.starts_with("alias/aws/")) {
        return true;
    }
    auto s = scopes_.find(scope);
    if (s == scopes_.end()) {
        return false;
    }
    if (ref.starts_with("alias/")) {
        auto a = s->second.aliases.find(ref);
        if (a == s->second.aliases.end()) {
            return false;
        }
        ref = a->second;
    } else if (ref.starts_with("key/")) {
        ref = ref.substr(4);
    }
    auto k = s->second.keys.find(ref);
    return k != s->second.keys.end() && k->second.enabled;
}

namespace {

nlohmann::json metadata(const std::string& account, const std::string& id, const std::string& arn,
                        const std::string& description, const std::string& manager, Clock::WallTime created,
                        bool enabled) {
    return {{"AWSAccountId", account},
            {"KeyId", id},
            {"Arn", arn},
            {"CreationDate", epoch_seconds(created)},
            {"Enabled", enabled},
            {"Description", description},
            {"KeyUsage", "ENCRYPT_DECRYPT"},
            {"KeyState", enabled ? "Enabled" : "Disabled"},
            {"Origin", "AWS_KMS"},
            {"KeyManager", manager},
            {"CustomerMasterKeySpec", "SYMMETRIC_DEFAULT"},
            {"KeySpec", "SYMMETRIC_DEFAULT"},
            {"EncryptionAlgorithms", nlohmann::json::array({"SYMMETRIC_DEFAULT"})},
            {"MultiRegion", false}};
}

} // namespace

Response KmsService::create_key(const RequestContext& ctx) {
    const std::string usage = text_member(ctx.body, "KeyUsage");
    std::string spec = text_member(ctx.body, "KeySpec");
    spec = spec.empty() ? text_member(ctx.body, "CustomerMasterKeySpec") : spec;
    if ((!usage.empty() && usage != "ENCRYPT_DECRYPT") || (!spec.empty() && spec != "SYMMETRIC_DEFAULT") ||
        ctx.body.value("MultiRegion", false)) {
        throw ServiceError("UnsupportedOperationException",
                           "The sandbox emulates single-Region symmetric encryption keys only");
    }
    const std::string origin = text_member(ctx.body, "Origin");
    if (!origin.empty() && origin != "AWS_KMS") {
        throw ServiceError("UnsupportedOperationException", "The sandbox emulates keys with Origin AWS_KMS only");
    }
    const ScopeKey scope{ctx.account_id, ctx.region};
    Key& k = new_key(scope, new_uuid(), text_member(ctx.body, "Description"), "CUSTOMER", ctx.now);
    for (const auto& t : ctx.body.value("Tags", nlohmann::json::array())) {
        k.tags.emplace_back(t.value("TagKey", ""), t.value("TagValue", ""));
    }
    return json_response(kms_protocol(), {{"KeyMetadata", metadata(ctx.account_id, k.id, k.arn, k.description,
                                                                   k.key_manager, k.created, k.enabled)}});
}

void KmsService::alias(const ScopeKey& scope, const std::string& name, const std::string& target) {
    static const std::regex pattern(R"(alias/[a-zA-Z0-9/_-]{1,250})");
    if (!std::regex_match(name, pattern) || name.starts_with("alias/aws/")) {
        throw ServiceError("InvalidAliasNameException",
                           name.starts_with("alias/aws/") ? "Cannot create alias with prefix 'alias/aws/'"
                                                          : "Alias must start with the prefix \"alias/\" and contain "
                                                            "only alphanumerics, '/', '_' and '-'");
    }
    auto& s = scopes_[scope];
    if (s.aliases.count(name) != 0) {
        throw ServiceError("AlreadyExistsException",
                           "An alias with the name " + arn_of(scope, name) + " already exists");
    }
    std::string ref = target;
    if (const auto arn = parse_kms_arn(target)) {
        ref = arn->resource.starts_with("key/") ? arn->resource.substr(4) : arn->resource;
    }
    if (s.keys.count(ref) == 0) {
        throw ServiceError("NotFoundException", "Key '" + arn_of(scope, "key/" + ref) + "' does not exist");
    }
    s.aliases.emplace(name, ref);
    ++aliases_created_;
}

Response KmsService::create_alias(const RequestContext& ctx) {
    alias({ctx.account_id, ctx.region}, text_member(ctx.body, "AliasName"), text_member(ctx.body, "TargetKeyId"));
    Response r;
    r.content_type = "application/x-amz-json-1.1";
    return r;
}

Response KmsService::describe_key(const RequestContext& ctx) {
    const std::string key_id = text_member(ctx.body, "KeyId");
    const ScopeKey scope{ctx.account_id, ctx.region};
    const Key* k = resolve(scope, key_id, true, ctx.now);
    if (k == nullptr) {
        const bool is_alias = key_id.starts_with("alias/") || key_id.find(":alias/") != std::string::npos;
        const std::string arn = key_id.starts_with("arn:") ? key_id : arn_of(scope, is_alias ? key_id : "key/" + key_id);
        throw ServiceError("NotFoundException", is_alias ? "Alias '" + arn + "' is not found."
                                                         : "Key '" + arn + "' does not exist");
    }
    const auto arn = parse_kms_arn(k->arn);
    return json_response(kms_protocol(), {{"KeyMetadata", metadata(arn ? arn->account : ctx.account_id, k->id, k->arn,
                                                                   k->description, k->key_manager, k->created,
                                                                   k->enabled)}});
}

std::map<std::string, std::int64_t> KmsService::effect_counts() const {
    return {{"keys_created", keys_created_}, {"aliases_created", aliases_created_}};
}

nlohmann::json KmsService::save_state() const {
    nlohmann::json scopes = nlohmann::json::array();
    for (const auto& [key, s] : scopes_) {
        nlohmann::json keys = nlohmann::json::array();
        for (const auto& [id, k] : s.keys) {
            keys.push_back({{"id", k.id}, {"arn", k.arn}, {"description", k.description}, {"manager", k.key_manager},
                            {"tags", k.tags}, {"created", epoch_seconds(k.created)}, {"enabled", k.enabled}});
        }
        scopes.push_back({{"account", key.first}, {"region", key.second}, {"keys", keys}, {"aliases", s.aliases}});
    }
    return {{"scopes", scopes}, {"keys_created", keys_created_}, {"aliases_created", aliases_created_}};
}

void KmsService::load_state(const nlohmann::json& state) {
    scopes_.clear();
    for (const auto& sj : state.value("scopes", nlohmann::json::array())) {
        auto& s = scopes_[{sj.value("account", ""), sj.value("region", "")}];
        for (const auto& kj : sj.value("keys", nlohmann::json::array())) {
            Key k;
            k.id = kj.value("id", "");
            k.arn = kj.value("arn", "");
            k.description = kj.value("description", "");
            k.key_manager = kj.value("manager", "CUSTOMER");
            k.tags = kj.value("tags", std::vector<std::pair<std::string, std::string>>{});
            k.created = Clock::WallTime{std::chrono::milliseconds(static_cast<long long>(kj.value("created", 0.0) * 1000))};
            k.enabled = kj.value("enabled", true);
            s.keys.emplace(k.id, std::move(k));
        }
        s.aliases = sj.value("aliases", std::map<std::string, std::string>{});
    }
    keys_created_ = state.value("keys_created", std::int64_t{0});
    aliases_created_ = state.value("aliases_created", std::int64_t{0});
}

void KmsService::seed(const YAML::Node& node, const std::string& account_id, const std::string& region) {
    if (!node || !node["keys"]) {
        return;
    }
    const ScopeKey scope{account_id, region};
    for (const auto& item : node["keys"]) {
        std::string id = item["id"].as<std::string>("");
        Key& k = new_key(scope, id.empty() ? new_uuid() : id, item["description"].as<std::string>(""), "CUSTOMER",
                         std::chrono::system_clock::now());
        id = k.id;
        for (const auto& a : item["aliases"]) {
            try {
                alias(scope, a.as<std::string>(), id);
            } catch (const ServiceError& e) {
                throw Error(ErrorCode::config, "bad kms alias '" + a.as<std::string>() + "' in the sandbox seed: " +
                                                   e.what());
            }
        }
    }
}

} // namespace aurora::sandbox
