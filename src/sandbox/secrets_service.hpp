#pragma once
//! The sandbox's Secrets Manager (JSON 1.1, target prefix `secretsmanager`): CreateSecret, GetSecretValue,
//! PutSecretValue, DescribeSecret, with versions and the AWSCURRENT / AWSPREVIOUS staging labels.
//! Secret values are registered with aurora::register_secret() so they never reach a log.
//!
//! Seed (`secretsmanager:` part of the seed file):
//!   secrets:
//!     - {name: staging/orders/master, value: "s3cr3t-pw", description: "…"}
//!     - {name: staging/orders/app, value: {username: app, password: "…"}}   # a map is stored as JSON

#include "sandbox/service.hpp"

#include <memory>

namespace aurora::sandbox {

std::unique_ptr<Service> make_secrets_service();

//! Creates secret `name` in (account, region) with `secret_string`, or puts it as the secret's new AWSCURRENT
//! version; returns the secret's ARN (RDS ManageMasterUserPassword). `secrets` must come from
//! make_secrets_service() (std::bad_cast otherwise). Not thread-safe on its own: the core holds the
//! service's lock.
std::string put_managed_secret(Service& secrets, const std::string& account, const std::string& region,
                               const std::string& name, const std::string& secret_string, Clock::WallTime now);

} // namespace aurora::sandbox
