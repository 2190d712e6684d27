#include "aws/credentials/profile_provider.hpp"

#include "aws/credentials/credentials_util.hpp"
#include "aws/credentials/environment_provider.hpp"
#include "aws/credentials/process_provider.hpp"
#include "aws/credentials/web_identity_provider.hpp"
#include "common/error.hpp"
#include "common/log.hpp"

namespace aurora::aws {
namespace {

std::optional<int> parse_duration(const Profile& p) {
    const auto v = p.get("duration_seconds");
    if (!v) {
        return std::nullopt;
    }
    try {
        std::size_t used = 0;
        const int n = std::stoi(*v, &used);
        if (used == v->size() && n > 0) {
            return n;
        }
    } catch (const std::exception&) {
    }
    throw Error(ErrorCode::config, "duration_seconds of profile '" + p.name + "' is not a positive number",
                "use seconds, e.g. duration_seconds = 3600");
}

bool uses_sso(const Profile& p) { return p.get("sso_session") || p.get("sso_start_url"); }

Credentials static_keys(const Profile& p) {
    Credentials c;
    c.access_key_id = *p.get("aws_access_key_id");
    c.secret_access_key = *p.get("aws_secret_access_key");
    c.session_token = p.get("aws_session_token").value_or("");
    c.source = "profile:" + p.name;
    return register_credentials(std::move(c));
}

} // namespace

ProfileCredentialsProvider::ProfileCredentialsProvider(std::shared_ptr<const SharedConfig> config,
                                                       ProfileProviderDeps deps)
    : config_(std::move(config)), deps_(std::move(deps)) {
    if (deps_.clock == nullptr) {
        deps_.clock = &SystemClock::instance();
    }
}

std::string ProfileCredentialsProvider::not_configured_reason() const {
    const Profile* p = config_->selected_profile();
    if (p == nullptr) {
        if (config_->paths().profile_explicit) {
            return {};
        }
        return "profile '" + config_->profile_name() + "' is not in " + config_->paths().credentials_file + " or " +
               config_->paths().config_file;
    }
    if (p->get("role_arn") || p->get("aws_access_key_id") || p->get("credential_process") || uses_sso(*p)) {
        return {};
    }
    return "profile '" + p->name + "' has no credential settings";
}

Credentials ProfileCredentialsProvider::get() {
    std::set<std::string> visited;
    Credentials c = resolve(config_->profile_name(), visited, /*is_source=*/false);
    log::debug("credentials.resolved", {{"source", c.source}, {"access_key_id", mask_key_id(c.access_key_id)}});
    return c;
}

Credentials ProfileCredentialsProvider::resolve(const std::string& name, std::set<std::string>& visited, bool is_source) {
    const Profile* p = config_->profile(name);
    if (p == nullptr) {
        throw Error(ErrorCode::config, "aws profile '" + name + "' does not exist",
                    "define [profile " + name + "] in " + config_->paths().config_file + " or [" + name + "] in " +
                        config_->paths().credentials_file);
    }
    visited.insert(name);
    // Why: in a role chain, a source profile's static keys win over its own role_arn (sdkref
    // feature-assume-role-credentials); for the selected profile, role_arn wins.
    if (is_source && p->has_static_keys()) {
        return static_keys(*p);
    }
    if (p->get("role_arn") && (p->get("source_profile") || p->get("credential_source"))) {
        return assume_role(*p, visited);
    }
    if (p->get("role_arn") && p->get("web_identity_token_file")) {
        WebIdentityConfig wc;
        wc.token_file = *p->get("web_identity_token_file");
        wc.role_arn = *p->get("role_arn");
        wc.role_session_name = p->get("role_session_name").value_or("");
        wc.duration_seconds = parse_duration(*p);
        wc.region = config_->region().value_or("");
        wc.origin = "profile '" + p->name + "'";
        WebIdentityCredentialsProvider provider(wc, config_->env_ptr(), deps_.sts, *deps_.clock);
        return provider.get();
    }
    if (p->get("role_arn")) {
        throw Error(ErrorCode::config, "profile '" + name + "' has role_arn but no source of credentials",
                    "add source_profile, credential_source or web_identity_token_file");
    }
    if (p->has_static_keys()) {
        return static_keys(*p);
    }
    if (p->get("aws_access_key_id")) {
        throw Error(ErrorCode::config, "profile '" + name + "' has aws_access_key_id but no aws_secret_access_key",
                    "add aws_secret_access_key to the profile");
    }
    if (auto cmd = p->get("credential_process")) {
        return ProcessCredentialsProvider(*cmd, name).get();
    }
    if (uses_sso(*p)) {
        // Why: IAM Identity Center needs the CLI's cached token (aws sso login); the CLI can hand its
        // credentials over in the credential_process format, so point there rather than fall through.
        throw Error(ErrorCode::config, "profile '" + name + "' uses IAM Identity Center (sso_*), which is not supported",
                    "add a profile with credential_process = aws configure export-credentials --profile " + name +
                        " --format process");
    }
    throw Error(ErrorCode::config, "profile '" + name + "' has no credentials",
                "add aws_access_key_id/aws_secret_access_key, role_arn, or credential_process");
}

Credentials ProfileCredentialsProvider::assume_role(const Profile& p, std::set<std::string>& visited) {
    const auto source_profile = p.get("source_profile");
    const auto credential_source = p.get("credential_source");
    if (source_profile && credential_source) {
        throw Error(ErrorCode::config, "profile '" + p.name + "' has both source_profile and credential_source",
                    "keep only one of them");
    }
    Credentials source;
    if (credential_source) {
        source = from_credential_source(p, *credential_source);
    } else if (*source_profile == p.name && p.has_static_keys()) {
        // Why: botocore allows a profile to assume a role with its own static keys.
        source = static_keys(p);
    } else if (visited.contains(*source_profile)) {
        throw Error(ErrorCode::config, "profile '" + p.name + "' has a source_profile cycle through '" + *source_profile + "'",
                    "make the chain of source_profile settings end in a profile with static keys");
    } else {
        source = resolve(*source_profile, visited, /*is_source=*/true);
    }
    if (!deps_.sts) {
        throw Error(ErrorCode::credentials, "profile '" + p.name + "' assumes a role, and no STS client is configured",
                    "the composition root must pass an StsCredentialsApi to the credential chain");
    }
    if (p.get("mfa_serial")) {
        throw Error(ErrorCode::config, "profile '" + p.name + "' needs an MFA code (mfa_serial), which is not supported",
                    "get temporary credentials with `aws sts get-session-token` and put them in a profile");
    }
    AssumeRoleRequest req;
    req.role_arn = *p.get("role_arn");
    req.role_session_name = p.get("role_session_name").value_or(default_role_session_name(deps_.clock->now()));
    req.external_id = p.get("external_id");
    req.duration_seconds = parse_duration(p);
    req.region = config_->region().value_or("");
    req.source_credentials = std::move(source);
    log::debug("credentials.assume_role", {{"profile", p.name},
                                           {"role_arn", req.role_arn},
                                           {"session", req.role_session_name},
                                           {"via", req.source_credentials.source}});
    Credentials c = register_credentials(deps_.sts->assume_role(req));
    c.source = "assume_role:" + p.name;
    return c;
}

Credentials ProfileCredentialsProvider::from_credential_source(const Profile& p, const std::string& source) {
    std::shared_ptr<CredentialsProvider> provider;
    if (source == "Environment") {
        provider = std::make_shared<EnvironmentCredentialsProvider>(config_->env_ptr());
    } else if (source == "Ec2InstanceMetadata") {
        provider = deps_.ec2_metadata;
    } else if (source == "EcsContainer") {
        provider = deps_.container;
    } else {
        throw Error(ErrorCode::config, "credential_source '" + source + "' of profile '" + p.name + "' is not supported",
                    "use Environment, Ec2InstanceMetadata or EcsContainer");
    }
    if (!provider) {
        throw Error(ErrorCode::credentials,
                    "credential_source '" + source + "' of profile '" + p.name + "' is not available here",
                    "the composition root must pass an HTTP client factory to the credential chain");
    }
    return provider->get();
}

} // namespace aurora::aws
