#pragma once
//! Credentials from a profile of the shared config files
//! (https://docs.aws.amazon.com/sdkref/latest/guide/feature-assume-role-credentials.html,
//!  https://docs.aws.amazon.com/sdkref/latest/guide/feature-static-credentials.html,
//!  https://docs.aws.amazon.com/sdkref/latest/guide/feature-process-credentials.html).
//!
//! For the selected profile, in botocore's order:
//!   1. role_arn + source_profile or credential_source → STS AssumeRole signed with the source's credentials;
//!   2. role_arn + web_identity_token_file → STS AssumeRoleWithWebIdentity;
//!   3. aws_access_key_id + aws_secret_access_key (+ aws_session_token) → static keys;
//!   4. credential_process → run the command.
//! A source_profile is resolved the same way except that its static keys win over its own role_arn (the
//! documented rule for role chains). A profile may name itself as source_profile only when it holds static
//! keys; any other repetition along the chain is a cycle and an error. credential_source may be Environment,
//! Ec2InstanceMetadata or EcsContainer. IAM Identity Center (sso_session / sso_start_url) and mfa_serial are
//! not supported: such a profile fails with a config error whose hint gives the credential_process workaround.

#include "aws/credentials/credentials.hpp"
#include "aws/credentials/shared_config.hpp"
#include "aws/credentials/sts_credentials_api.hpp"

#include <memory>
#include <set>
#include <string>

namespace aurora::aws {

struct ProfileProviderDeps {
    std::shared_ptr<StsCredentialsApi> sts;                 //!< for role_arn; null: role profiles fail
    std::shared_ptr<CredentialsProvider> ec2_metadata;      //!< credential_source = Ec2InstanceMetadata
    std::shared_ptr<CredentialsProvider> container;         //!< credential_source = EcsContainer
    Clock* clock = nullptr;                                 //!< nullptr: SystemClock::instance()
};

class ProfileCredentialsProvider final : public CredentialsProvider {
public:
    //! Uses `config`'s selected profile.
    ProfileCredentialsProvider(std::shared_ptr<const SharedConfig> config, ProfileProviderDeps deps);

    //! Empty when the selected profile exists and holds a credential setting (role_arn, static keys,
    //! credential_process), or when the profile was named explicitly (AWS_PROFILE): then get() must explain a
    //! missing profile rather than let the chain move on silently. Else why the source is not configured.
    std::string not_configured_reason() const;
    //! Resolves the profile on every call: static keys are cheap, STS and credential_process are not (wrap in
    //! CachingCredentialsProvider). Throws aurora::Error(config) for a missing profile, a cycle or a broken
    //! setting; aurora::Error(credentials) when the source gives nothing; STS errors propagate.
    Credentials get() override;

private:
    Credentials resolve(const std::string& name, std::set<std::string>& visited, bool is_source);
    Credentials assume_role(const Profile& p, std::set<std::string>& visited);
    Credentials from_credential_source(const Profile& p, const std::string& source);

    std::shared_ptr<const SharedConfig> config_;
    ProfileProviderDeps deps_;
};

} // namespace aurora::aws
