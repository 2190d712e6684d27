#pragma once
//! Helpers the providers share: registering secrets, reading the JSON credential documents returned by
//! credential_process, the container endpoint and IMDS, and describing credentials in logs.

#include "aws/credentials/credentials.hpp"

#include <string>
#include <string_view>

namespace aurora::aws {

//! Registers `c.secret_access_key` and `c.session_token` with aurora::register_secret() and returns `c`.
//! Every provider calls this on whatever it obtains, before logging anything. Idempotent.
Credentials register_credentials(Credentials c);

//! Which member names a JSON credentials document uses.
enum class CredentialsJsonDialect {
    process,   //!< credential_process: Version 1, AccessKeyId, SecretAccessKey, SessionToken, Expiration
    container, //!< ECS/EKS container endpoint: AccessKeyId, SecretAccessKey, Token, Expiration
    imds,      //!< EC2 IMDS: Code ("Success"), AccessKeyId, SecretAccessKey, Token, Expiration
};

//! Parses `body` (a JSON credentials document from `what`, e.g. "credential_process 'x'") and registers its
//! secrets. Throws aurora::Error(credentials) naming `what` when the JSON is malformed, a required member is
//! missing, Version is not 1 (process) or Code is not Success (imds). Error messages never quote the body.
Credentials parse_credentials_json(std::string_view body, CredentialsJsonDialect dialect, const std::string& what);

//! True when `c` carries an expiration at or before `now`.
bool is_expired(const Credentials& c, Clock::WallTime now);

//! The access key id with all but its first 4 characters masked ("AKIA****"), for log lines.
std::string mask_key_id(std::string_view access_key_id);

} // namespace aurora::aws
