#pragma once
//! Reading SHOW GRANTS output, for the MySQL driver's reconcile (revoke what the spec does not want) and its
//! login check. Internal to the mysql driver; pure, so it is unit-tested without a server.

#include <optional>
#include <string>
#include <vector>

namespace aurora::dbsetup {

//! One line of SHOW GRANTS.
struct ShowGrantLine {
    //! "GRANT `r1`, `r2` TO …": the granted role names (hosts dropped). Empty for privilege lines.
    std::vector<std::string> roles;
    //! Upper-case privilege names ("SELECT", "ALL PRIVILEGES"); column privileges ("SELECT (`a`)") are
    //! left out.
    std::vector<std::string> privileges;
    //! "" for *.* / db.* / db.table lines; "FUNCTION" or "PROCEDURE" for routine grants.
    std::string object_kind;
    std::string db;    //!< as stored: a database name pattern ("tst\_x") or "*"
    std::string table; //!< a table name or "*"
};

//! Parses one SHOW GRANTS line ("GRANT SELECT, INSERT ON `db`.* TO `r`"); nullopt for lines that are not
//! GRANT lines (SET DEFAULT ROLE …) or that it cannot read.
std::optional<ShowGrantLine> parse_show_grants_line(const std::string& line);

//! The role that holds all roles of a MariaDB user with more than one ("aurora_roles_<user>"), made its
//! default role, since MariaDB activates one role per account.
std::string mariadb_aggregate_role(const std::string& user);

//! `name` with '_', '%' and '\' escaped by a backslash, as GRANT stores database names.
std::string escape_grant_database(const std::string& name);

} // namespace aurora::dbsetup
