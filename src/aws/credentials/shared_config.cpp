#include "aws/credentials/shared_config.hpp"

#include "aws/credentials/process_provider.hpp"
#include "common/error.hpp"

#include <algorithm>
#include <cctype>

namespace aurora::aws {
namespace {

std::string trimmed(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
        s.remove_prefix(1);
    }
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
        s.remove_suffix(1);
    }
    return std::string(s);
}

bool is_true(const std::optional<std::string>& v) {
    if (!v) {
        return false;
    }
    std::string l = *v;
    std::transform(l.begin(), l.end(), l.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return l == "true";
}

void merge_into(Profile& p, const IniSection& s) {
    for (const auto& [k, v] : s.values) {
        p.values[k] = v;
    }
    for (const auto& [k, sub] : s.sub_sections) {
        p.sub_sections[k] = sub;
    }
}

SharedConfigPaths resolve_paths(const Environment& env, std::optional<std::string> profile_override) {
    SharedConfigPaths p;
    p.config_file = env.expand_home(env.non_empty("AWS_CONFIG_FILE").value_or("~/.aws/config"));
    p.credentials_file =
        env.expand_home(env.non_empty("AWS_SHARED_CREDENTIALS_FILE").value_or("~/.aws/credentials"));
    if (profile_override && !profile_override->empty()) {
        p.profile = *profile_override;
        p.profile_explicit = true;
    } else if (auto v = env.non_empty("AWS_PROFILE")) {
        p.profile = *v;
        p.profile_explicit = true;
    } else if (auto d = env.non_empty("AWS_DEFAULT_PROFILE")) {
        // Why: AWS CLI v1 and botocore still honour the older AWS_DEFAULT_PROFILE.
        p.profile = *d;
        p.profile_explicit = true;
    } else {
        p.profile = "default";
    }
    return p;
}

} // namespace

std::optional<std::string> Profile::get(std::string_view key) const {
    const auto it = values.find(std::string(key));
    if (it == values.end() || it->second.empty()) {
        return std::nullopt;
    }
    return it->second;
}

bool Profile::has_static_keys() const { return get("aws_access_key_id") && get("aws_secret_access_key"); }

SharedConfig::SharedConfig(std::shared_ptr<const Environment> env, SharedConfigPaths paths, const IniFile& config,
                           const IniFile& credentials)
    : env_(std::move(env)), paths_(std::move(paths)) {
    // Why: in the config file a profile is `[profile x]` (and `[default]` or `[profile default]`); other
    // sections (`[sso-session x]`, `[services x]`) are not profiles. botocore lets `[profile default]`
    // override a plain `[default]`.
    for (const auto& name : config.order) {
        const IniSection& section = config.sections.at(name);
        if (name == "default") {
            auto& p = profiles_["default"];
            p.name = "default";
            merge_into(p, section);
        } else if (name.rfind("profile", 0) == 0) {
            // Why: botocore splits the header with shlex and wants exactly two words, so
            // `[profile "my dev"]` names "my dev" and `[profiledev]` names nothing.
            std::vector<std::string> words;
            try {
                words = split_command_line(name);
            } catch (const Error&) {
                continue;
            }
            if (words.size() != 2 || words[0] != "profile") {
                continue;
            }
            auto& p = profiles_[words[1]];
            p.name = words[1];
            merge_into(p, section);
        } else if (name.rfind("services ", 0) == 0) {
            services_[trimmed(std::string_view(name).substr(9))] = section;
        }
    }
    // Why: in the credentials file every section is a profile named literally, and its keys win over the
    // config file's ("the credentials file takes precedence", sdkref file-format).
    for (const auto& name : credentials.order) {
        auto& p = profiles_[name];
        p.name = name;
        merge_into(p, credentials.sections.at(name));
    }
}

SharedConfig SharedConfig::load(std::shared_ptr<const Environment> env, std::optional<std::string> profile_override) {
    if (!env) {
        env = std::make_shared<SystemEnvironment>();
    }
    auto paths = resolve_paths(*env, std::move(profile_override));
    const auto config_text = env->read_file(paths.config_file).value_or("");
    const auto creds_text = env->read_file(paths.credentials_file).value_or("");
    const IniFile config = parse_ini(config_text, paths.config_file);
    const IniFile creds = parse_ini(creds_text, paths.credentials_file);
    return SharedConfig(std::move(env), std::move(paths), config, creds);
}

SharedConfig SharedConfig::from_text(std::shared_ptr<const Environment> env, std::string_view config_text,
                                     std::string_view credentials_text, std::string profile) {
    if (!env) {
        env = std::make_shared<MapEnvironment>();
    }
    SharedConfigPaths paths;
    paths.config_file = "<config>";
    paths.credentials_file = "<credentials>";
    paths.profile = std::move(profile);
    paths.profile_explicit = paths.profile != "default";
    const IniFile config = parse_ini(config_text, paths.config_file);
    const IniFile creds = parse_ini(credentials_text, paths.credentials_file);
    return SharedConfig(std::move(env), std::move(paths), config, creds);
}

const Profile* SharedConfig::profile(std::string_view name) const {
    const auto it = profiles_.find(name);
    return it == profiles_.end() ? nullptr : &it->second;
}

std::vector<std::string> SharedConfig::profile_names() const {
    std::vector<std::string> out;
    for (const auto& [name, p] : profiles_) {
        out.push_back(name);
    }
    return out;
}

const IniSection* SharedConfig::services_section(std::string_view name) const {
    const auto it = services_.find(name);
    return it == services_.end() ? nullptr : &it->second;
}

std::optional<std::string> SharedConfig::region() const {
    // Why: sdkref feature-region: AWS_REGION first (the SDKs' name), then AWS_DEFAULT_REGION (the CLI's),
    // then the profile's `region`.
    if (auto r = env_->non_empty("AWS_REGION")) {
        return r;
    }
    if (auto r = env_->non_empty("AWS_DEFAULT_REGION")) {
        return r;
    }
    return profile_region(paths_.profile);
}

std::optional<std::string> SharedConfig::profile_region(std::string_view name) const {
    const Profile* p = profile(name);
    return p == nullptr ? std::nullopt : p->get("region");
}

std::optional<std::string> SharedConfig::profile_endpoint_url() const {
    const Profile* p = selected_profile();
    return p == nullptr ? std::nullopt : p->get("endpoint_url");
}

std::optional<std::string> SharedConfig::profile_service_endpoint_url(std::string_view service_id) const {
    const Profile* p = selected_profile();
    const auto services = p == nullptr ? std::nullopt : p->get("services");
    const IniSection* s = services ? services_section(*services) : nullptr;
    if (s == nullptr) {
        return std::nullopt;
    }
    const auto it = s->sub_sections.find(service_config_key(service_id));
    if (it == s->sub_sections.end()) {
        return std::nullopt;
    }
    const auto url = it->second.find("endpoint_url");
    if (url == it->second.end() || url->second.empty()) {
        return std::nullopt;
    }
    return url->second;
}

std::optional<bool> SharedConfig::profile_ignore_configured_endpoint_urls() const {
    const Profile* p = selected_profile();
    const auto v = p == nullptr ? std::nullopt : p->get("ignore_configured_endpoint_urls");
    if (!v) {
        return std::nullopt;
    }
    return is_true(v);
}

std::optional<std::string> SharedConfig::endpoint_url(std::string_view service_id) const {
    // Why: sdkref feature-ss-endpoints: one switch turns every configured endpoint off; the variable wins
    // over the profile setting.
    if (auto ignore = env_->non_empty("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) {
        if (is_true(ignore)) {
            return std::nullopt;
        }
    } else if (profile_ignore_configured_endpoint_urls().value_or(false)) {
        return std::nullopt;
    }
    if (auto v = env_->non_empty("AWS_ENDPOINT_URL_" + service_env_suffix(service_id))) {
        return v;
    }
    if (auto v = env_->non_empty("AWS_ENDPOINT_URL")) {
        return v;
    }
    if (auto v = profile_service_endpoint_url(service_id)) {
        return v;
    }
    return profile_endpoint_url();
}

std::string service_env_suffix(std::string_view service_id) {
    std::string out;
    for (const char c : service_id) {
        out += (c == ' ' || c == '-') ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
}

std::string service_config_key(std::string_view service_id) {
    std::string out;
    for (const char c : service_id) {
        out += (c == ' ' || c == '-') ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

} // namespace aurora::aws
