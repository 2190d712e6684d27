#pragma once
//! The sandbox's STS (Query protocol, https://sts.amazonaws.com/doc/2011-06-15/): GetCallerIdentity,
//! AssumeRole and AssumeRoleWithWebIdentity. Issued credentials are added to the CredentialStore, so the
//! sandbox accepts them (with their session token) until they expire.

#include "sandbox/credential_store.hpp"
#include "sandbox/service.hpp"

#include <memory>

namespace aurora::sandbox {

//! `credentials` is not owned and must outlive the service.
std::unique_ptr<Service> make_sts_service(CredentialStore& credentials);

} // namespace aurora::sandbox
