#pragma once
//! The database setup step (design.md step 8, issue #4): apply a DatabaseSpec to a restored cluster through
//! a Driver. Knows nothing of AWS: the pipeline resolves the master and user passwords (Secrets Manager or
//! RDS-managed) and reads the sanitize scripts, then calls apply_database_setup().

#include "dbsetup/driver.hpp"
#include "dbsetup/spec.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace aurora::dbsetup {

struct RoleReport {
    std::string name;
    Change change = Change::unchanged;
    std::vector<std::string> grants; //!< statements run: grants, default privileges, revocations
};

struct UserReport {
    std::string name;
    Change change = Change::unchanged; //!< created, or altered (the password is always set)
    std::vector<std::string> memberships; //!< "grant role x" / "revoke role y" / "default role z"
};

struct StatementReport {
    int line = 0;
    std::string excerpt;
    long long affected_rows = -1; //!< -1 when the statement reports none
};

struct ScriptReport {
    std::string name;
    std::vector<StatementReport> statements;
    long long affected_rows = 0; //!< the sum of the statements' counts
};

struct VerifyReport {
    std::string user;
    std::vector<std::string> checked;
};

struct SetupReport {
    std::string engine;
    std::string server_version;
    std::string database;
    std::vector<ScriptReport> scripts;
    std::vector<RoleReport> roles;
    std::vector<UserReport> users;
    std::vector<VerifyReport> verified;

    //! The report as JSON for the pipeline's step output and the audit trail (no secrets: none are kept).
    nlohmann::json to_json() const;
};

//! What the caller supplies beside the spec.
struct SetupInput {
    //! Each spec user's password, by user name (every user must have one). Registered as secrets.
    std::map<std::string, std::string> passwords;
    //! The spec's sanitize scripts, read by the caller (load_sanitize_scripts()), run in this order.
    std::vector<SanitizeScript> scripts;
};

//! What apply_database_setup() would do, without connecting (for `plan` / `--dry-run`): the scripts in
//! order, then per role its grants, per user its roles, then the login checks. Pure; validates `spec` for
//! `engine` (throws aurora::Error(invalid_request) naming the field).
nlohmann::json plan_database_setup(const DatabaseSpec& spec, Engine engine);

//! Applies `spec` as the master login `master` (its database is the one set up; empty means spec.name):
//!  1. runs each sanitize script in its own transaction (rolled back whole on any error; the error names the
//!     script, the statement's line and the server's message; MySQL DDL commits implicitly, see docs);
//!  2. creates missing roles and gives each exactly its grants (missing ones granted, extra ones revoked);
//!  3. creates or alters each user with its password and exactly its spec role memberships;
//!  4. logs in AS each user and checks every privilege of its roles is in effect.
//! Idempotent: a second run with the same input creates nothing and revokes nothing (the scripts run again:
//! write them to be re-runnable). Throws aurora::Error: invalid_request when a user has no password
//! (before any change), database/access_denied/network from the server, and database when a check fails,
//! naming the user and the missing privileges. Never logs or reports a password.
SetupReport apply_database_setup(Driver& driver, const ConnectionParams& master, const DatabaseSpec& spec,
                                 const SetupInput& input);

} // namespace aurora::dbsetup
