#include "aws/credentials/environment_provider.hpp"

#include "aws/credentials/credentials_util.hpp"
#include "common/error.hpp"
#include "common/log.hpp"

namespace aurora::aws {

EnvironmentCredentialsProvider::EnvironmentCredentialsProvider(std::shared_ptr<const Environment> env)
    : env_(std::move(env)) {}

std::string EnvironmentCredentialsProvider::not_configured_reason() const {
    return env_->non_empty("AWS_ACCESS_KEY_ID") ? std::string{} : "AWS_ACCESS_KEY_ID is not set";
}

Credentials EnvironmentCredentialsProvider::get() {
    auto key_id = env_->non_empty("AWS_ACCESS_KEY_ID");
    if (!key_id) {
        throw Error(ErrorCode::credentials, "no aws credentials in the environment",
                    "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    }
    auto secret = env_->non_empty("AWS_SECRET_ACCESS_KEY");
    if (!secret) {
        throw Error(ErrorCode::credentials, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
                    "set both variables, or unset AWS_ACCESS_KEY_ID to use another credential source");
    }
    Credentials c;
    c.access_key_id = *key_id;
    c.secret_access_key = *secret;
    // Why: botocore still reads AWS_SECURITY_TOKEN, the name older tools exported.
    c.session_token = env_->non_empty("AWS_SESSION_TOKEN").value_or(env_->non_empty("AWS_SECURITY_TOKEN").value_or(""));
    c.source = "env";
    c = register_credentials(std::move(c));
    if (auto exp = env_->non_empty("AWS_CREDENTIAL_EXPIRATION")) {
        try {
            c.expiration = parse_iso8601(*exp);
        } catch (const Error&) {
            throw Error(ErrorCode::credentials, "AWS_CREDENTIAL_EXPIRATION is not a valid time",
                        "use ISO 8601 in UTC, e.g. 2024-01-31T02:00:00Z");
        }
    }
    log::debug("credentials.resolved", {{"source", c.source}, {"access_key_id", mask_key_id(c.access_key_id)}});
    return c;
}

} // namespace aurora::aws
