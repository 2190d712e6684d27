#pragma once
//! The credentials the sandbox accepts: long-term keys (the default `test`/`test` in account 000000000000,
//! more from a credentials file) and temporary ones issued by its STS (AssumeRole*).

#include "common/clock.hpp"

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace aurora::sandbox {

//! The default account of the sandbox (as LocalStack and moto use).
inline constexpr const char* kDefaultAccountId = "000000000000";

struct SandboxCredential {
    std::string access_key_id;
    std::string secret_access_key;
    std::string session_token;                 //!< required on requests when not empty (temporary keys)
    std::optional<Clock::WallTime> expiration; //!< temporary keys expire
    std::string account_id;
    std::string arn;     //!< the caller's ARN for GetCallerIdentity
    std::string user_id; //!< the caller's UserId for GetCallerIdentity
};

//! Thread-safe set of accepted credentials, keyed by access key id.
class CredentialStore {
public:
    //! Starts with the default key `test` / `test` (account 000000000000, arn:aws:iam::000000000000:root).
    CredentialStore();
    //! Adds or replaces a credential (idempotent). Registers its secret and token with register_secret().
    void add(SandboxCredential credential);
    //! The credential for `access_key_id`, or nullopt when unknown.
    std::optional<SandboxCredential> find(const std::string& access_key_id) const;
    //! Every temporary credential (for the state file).
    std::vector<SandboxCredential> temporary() const;
    //! Forgets temporary credentials (admin reset); long-term keys stay.
    void clear_temporary();
    //! Loads long-term keys from a YAML or JSON file:
    //!   credentials:
    //!     - {access_key_id: AKIA…, secret_access_key: …, account_id: "111111111111", arn: …}
    //! Throws aurora::Error(config) when unreadable or malformed (missing key, account id not 12 digits).
    void load_file(const std::string& path);

private:
    mutable std::mutex mutex_;
    std::map<std::string, SandboxCredential> by_key_;
};

} // namespace aurora::sandbox
