#pragma once
//! The database setup step's declarative spec: the `database:` section of a restore request (design.md,
//! issue #4). Roles carry grants, users carry role memberships, sanitize scripts are SQL files run after the
//! restore. The spec never holds a password: users name a secret (`password_secret`) that the caller
//! resolves and passes to apply_database_setup() by user name.
//!
//!   database:
//!     name: orders
//!     roles:
//!       readonly:
//!         grants:
//!           - {privileges: [USAGE], schema: public}
//!           - {privileges: [SELECT], tables_in_schema: public}
//!     users:
//!       - {name: analyst, password_secret: staging/orders/analyst, roles: [readonly]}
//!     sanitize: [sql/mask-pii.sql]

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aurora::dbsetup {

//! The engine family a spec is applied to.
enum class Engine { postgres, mysql };

//! "postgres" / "mysql".
std::string_view engine_name(Engine engine);
//! Maps "postgres", "postgresql", "aurora-postgresql", "mysql", "mariadb", "aurora-mysql" (any case) to an
//! Engine; nullopt for anything else.
std::optional<Engine> engine_from_name(std::string_view name);

//! What a grant applies to. On MySQL a schema is a database (MySQL's own synonym).
enum class GrantTarget {
    schema,           //!< the schema itself (PostgreSQL: USAGE, CREATE; MySQL: `schema`.*)
    tables_in_schema, //!< every table in the schema (PostgreSQL: ALL TABLES IN SCHEMA; MySQL: `schema`.*)
    database,         //!< the database (PostgreSQL: CONNECT, CREATE, TEMPORARY; MySQL: `db`.*)
    tables,           //!< named tables, "schema.table" or "table" (PostgreSQL: schema public; MySQL: the
                      //!< database being set up)
};

//! "schema" / "tables_in_schema" / "database" / "tables" — also the spec's field names.
std::string_view grant_target_name(GrantTarget target);

struct Grant {
    //! Upper case, validated for the engine, de-duplicated, "ALL PRIVILEGES" normalised to "ALL".
    std::vector<std::string> privileges;
    GrantTarget target = GrantTarget::schema;
    //! The schema or database name (schema, tables_in_schema, database); empty for tables.
    std::string object;
    //! For GrantTarget::tables: "schema.table" or "table", in spec order.
    std::vector<std::string> tables;
};

struct Role {
    std::string name;
    std::vector<Grant> grants;
};

struct User {
    std::string name;
    //! Secrets Manager name or ARN holding the password; the caller resolves it. May be empty when the
    //! caller supplies the password another way.
    std::string password_secret;
    //! Roles of this spec the user is a member of, in spec order.
    std::vector<std::string> roles;
    //! MySQL only: the account's host part ('name'@'host'); "%" when omitted.
    std::string host = "%";
};

//! A sanitize script as the spec names it (a path, resolved by the caller relative to the request file).
struct SanitizeRef {
    std::string path;
};

//! A sanitize script's content, read by the caller; `name` appears in reports and errors.
struct SanitizeScript {
    std::string name;
    std::string sql;
};

struct DatabaseSpec {
    //! The database to connect to and set up (PostgreSQL database; MySQL default schema).
    std::string name;
    //! Secrets Manager name or ARN of the master password (resolved by the pipeline); may be empty.
    std::string master_password_secret;
    std::vector<Role> roles; //!< in spec order
    std::vector<User> users; //!< in spec order
    std::vector<SanitizeRef> sanitize;

    //! The role named `name`, or nullptr.
    const Role* find_role(std::string_view name) const;
};

//! Parses the `database:` section. With `engine` set, privileges are validated for that engine; without it,
//! against the union of both (call validate_for_engine() once the engine is known). Throws
//! aurora::Error(invalid_request) naming the field, e.g.
//! "database.roles.readonly.grants[1].privileges: unknown privilege 'SELEKT'". Unknown keys are refused.
//! Pure: no I/O.
DatabaseSpec parse_database_spec(const nlohmann::json& section, std::optional<Engine> engine = std::nullopt);

//! Checks every privilege of `spec` against `engine` (and that MySQL-only fields are not used on
//! PostgreSQL); throws aurora::Error(invalid_request) naming the field.
void validate_for_engine(const DatabaseSpec& spec, Engine engine);

//! The privileges `engine` accepts for `target`, upper case (for docs and error hints).
const std::vector<std::string>& allowed_privileges(Engine engine, GrantTarget target);

//! Reads each sanitize script of `spec`, resolving relative paths against `base_dir`. Throws
//! aurora::Error(invalid_request) naming the path when a file is missing or unreadable.
std::vector<SanitizeScript> load_sanitize_scripts(const DatabaseSpec& spec, const std::string& base_dir);

} // namespace aurora::dbsetup
