#pragma once
//! The AWS shared configuration: ~/.aws/config and ~/.aws/credentials, the selected profile, the region and
//! the configured endpoint URLs, resolved as the AWS SDKs do
//! (https://docs.aws.amazon.com/sdkref/latest/guide/file-location.html,
//!  https://docs.aws.amazon.com/sdkref/latest/guide/feature-region.html,
//!  https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
//!
//!   auto env = std::make_shared<SystemEnvironment>();
//!   SharedConfig cfg = SharedConfig::load(env);
//!   std::string region = cfg.region().value_or("us-east-1");
//!   std::optional<std::string> url = cfg.endpoint_url("RDS");

#include "aws/credentials/environment.hpp"
#include "aws/credentials/ini_file.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aurora::aws {

//! One profile after merging both files: the config file's `[profile x]` (or `[default]`) values, overridden
//! key by key by the credentials file's `[x]` (botocore: "credentials file wins").
struct Profile {
    std::string name;
    std::map<std::string, std::string> values;
    std::map<std::string, std::map<std::string, std::string>> sub_sections;

    //! The value of `key`, or nullopt when absent or empty.
    std::optional<std::string> get(std::string_view key) const;
    //! True when the profile holds both aws_access_key_id and aws_secret_access_key.
    bool has_static_keys() const;
};

//! Where the files are and which profile is selected, as read from the environment.
struct SharedConfigPaths {
    std::string config_file;      //!< AWS_CONFIG_FILE or ~/.aws/config
    std::string credentials_file; //!< AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials
    std::string profile;          //!< AWS_PROFILE (then AWS_DEFAULT_PROFILE) or "default"
    bool profile_explicit = false; //!< the profile was named by the caller or AWS_PROFILE
};

class SharedConfig {
public:
    //! Reads both files through `env` (a missing file is an empty file, as in the SDKs). `profile_override`,
    //! when set, wins over AWS_PROFILE. Throws aurora::Error(config) when a file exists but cannot be parsed.
    static SharedConfig load(std::shared_ptr<const Environment> env,
                             std::optional<std::string> profile_override = std::nullopt);
    //! Builds from file contents (tests, embedded configs). `env` still supplies AWS_REGION and the like.
    static SharedConfig from_text(std::shared_ptr<const Environment> env, std::string_view config_text,
                                  std::string_view credentials_text, std::string profile = "default");

    //! The file locations and the selected profile name.
    const SharedConfigPaths& paths() const noexcept { return paths_; }
    //! The selected profile's name.
    const std::string& profile_name() const noexcept { return paths_.profile; }
    //! The profile named `name`, or nullptr when neither file defines it.
    const Profile* profile(std::string_view name) const;
    //! The selected profile, or nullptr when neither file defines it (not an error: the chain moves on).
    const Profile* selected_profile() const { return profile(paths_.profile); }
    //! Every profile name defined in either file, sorted.
    std::vector<std::string> profile_names() const;
    //! A `[services name]` section of the config file (service-specific endpoints), or nullptr.
    const IniSection* services_section(std::string_view name) const;

    //! The region: AWS_REGION, then AWS_DEFAULT_REGION, then the selected profile's `region`; nullopt
    //! when none is set (the caller decides: fail, or IMDS's region for code on EC2).
    std::optional<std::string> region() const;
    //! The region configured for profile `name` (its `region` key), or nullopt.
    std::optional<std::string> profile_region(std::string_view name) const;

    //! The endpoint URL configured for the service whose botocore serviceId is `service_id` (e.g. "RDS",
    //! "Secrets Manager"), in the SDKs' order: AWS_ENDPOINT_URL_<SERVICE_ID>, AWS_ENDPOINT_URL, the
    //! profile's `services` section entry `<service_id> = \n endpoint_url = …`, the profile's
    //! `endpoint_url`. nullopt when none is set, or when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS (or the profile's
    //! ignore_configured_endpoint_urls) is true: the caller then uses the public endpoint.
    std::optional<std::string> endpoint_url(std::string_view service_id) const;
    //! The selected profile's own `endpoint_url` (not service-specific), or nullopt.
    std::optional<std::string> profile_endpoint_url() const;
    //! The `endpoint_url` for `service_id` in the `[services x]` section the selected profile names with
    //! `services = x`, or nullopt. (With profile_endpoint_url() and profile_ignore_configured_endpoint_urls(),
    //! what a composition root copies into aws::ProfileEndpointSettings for aws/client/endpoints.hpp.)
    std::optional<std::string> profile_service_endpoint_url(std::string_view service_id) const;
    //! The selected profile's `ignore_configured_endpoint_urls` as a boolean, or nullopt when unset.
    std::optional<bool> profile_ignore_configured_endpoint_urls() const;

    //! The environment this configuration was read through (providers share it).
    const Environment& env() const noexcept { return *env_; }
    std::shared_ptr<const Environment> env_ptr() const noexcept { return env_; }

private:
    SharedConfig(std::shared_ptr<const Environment> env, SharedConfigPaths paths, const IniFile& config,
                 const IniFile& credentials);

    std::shared_ptr<const Environment> env_;
    SharedConfigPaths paths_;
    std::map<std::string, Profile, std::less<>> profiles_;
    std::map<std::string, IniSection, std::less<>> services_;
};

//! "Secrets Manager" -> "SECRETS_MANAGER" (the AWS_ENDPOINT_URL_<SERVICE> suffix).
std::string service_env_suffix(std::string_view service_id);
//! "Secrets Manager" -> "secrets_manager" (the key inside a `[services]` section).
std::string service_config_key(std::string_view service_id);

} // namespace aurora::aws
