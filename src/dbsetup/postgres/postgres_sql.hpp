#pragma once
//! The SQL the PostgreSQL driver generates for grants, and the grant checks it runs as a user. Internal to
//! the postgres driver.

#include "dbsetup/driver.hpp"

#include <string>
#include <utility>
#include <vector>

namespace aurora::dbsetup {

class PostgresSession;

//! A statement and its one-line summary for the report.
struct PgStatement {
    std::string sql;
    std::string summary;
};

//! "SELECT, INSERT" / "ALL PRIVILEGES" from validated privilege names.
std::string pg_privilege_list(const std::vector<std::string>& privileges);

//! "schema.table" → {schema, table}; "table" → {"public", table}.
std::pair<std::string, std::string> pg_split_table(const std::string& name);

//! The GRANT (and ALTER DEFAULT PRIVILEGES) statements for `g` to the already quoted `grantee`.
std::vector<PgStatement> pg_grant_statements(PostgresSession& s, const Grant& g, const std::string& grantee);

//! Whether `role`'s spec wants privilege `privilege` on the object an ACL row names: kind "schema"
//! (object = schema), "database" (object = database) or "table" (object = schema, table).
bool pg_grant_wanted(const Role& role, const std::string& kind, const std::string& object, const std::string& table,
                     const std::string& privilege);

//! Checks with has_*_privilege() that the session's user holds every privilege of `g`; appends to `v`.
void pg_verify_grant(PostgresSession& s, const Grant& g, Verification& v);

} // namespace aurora::dbsetup
