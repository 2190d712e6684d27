#include "dbsetup/spec.hpp"

#include "common/error.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace aurora::dbsetup {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& field, const std::string& what, const std::string& hint = {}) {
    throw Error(ErrorCode::invalid_request, field + ": " + what, hint);
}

std::string upper_collapsed(std::string_view text) {
    std::string out;
    bool space = false;
    for (char c : text) {
        if (std::isspace(static_cast<unsigned char>(c)) != 0) {
            space = !out.empty();
            continue;
        }
        if (space) {
            out += ' ';
            space = false;
        }
        out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
}

std::string normalise_privilege(std::string_view raw) {
    std::string p = upper_collapsed(raw);
    if (p == "ALL PRIVILEGES") {
        return "ALL";
    }
    if (p == "TEMP") {
        return "TEMPORARY";
    }
    return p;
}

// Privileges per object type, from the GRANT references:
// https://www.postgresql.org/docs/15/sql-grant.html and https://mariadb.com/kb/en/grant/ (same names as
// MySQL 8's https://dev.mysql.com/doc/refman/8.0/en/privileges-provided.html).
const std::vector<std::string> kPgSchema = {"USAGE", "CREATE", "ALL"};
const std::vector<std::string> kPgTables = {"SELECT",     "INSERT",  "UPDATE", "DELETE",
                                            "TRUNCATE",   "REFERENCES", "TRIGGER", "ALL"};
const std::vector<std::string> kPgDatabase = {"CONNECT", "CREATE", "TEMPORARY", "ALL"};
const std::vector<std::string> kMyTables = {"SELECT", "INSERT",     "UPDATE",  "DELETE",      "CREATE",
                                            "DROP",   "ALTER",      "INDEX",   "REFERENCES",  "TRIGGER",
                                            "CREATE VIEW", "SHOW VIEW", "ALL"};
const std::vector<std::string> kMyDatabase = {
    "SELECT",      "INSERT",     "UPDATE",  "DELETE",     "CREATE",  "DROP",
    "ALTER",       "INDEX",      "REFERENCES", "TRIGGER", "CREATE VIEW", "SHOW VIEW",
    "EXECUTE",     "CREATE TEMPORARY TABLES", "LOCK TABLES", "EVENT", "CREATE ROUTINE", "ALTER ROUTINE",
    "USAGE",       "ALL"};

bool allowed(Engine engine, GrantTarget target, const std::string& privilege) {
    const auto& list = allowed_privileges(engine, target);
    return std::find(list.begin(), list.end(), privilege) != list.end();
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) {
        out += out.empty() ? "" : ", ";
        out += i;
    }
    return out;
}

void check_privilege(const std::string& field, GrantTarget target, const std::string& privilege,
                     std::optional<Engine> engine) {
    if (engine) {
        if (!allowed(*engine, target, privilege)) {
            fail(field, "unknown privilege '" + privilege + "' for " + std::string(grant_target_name(target)) +
                            " on " + std::string(engine_name(*engine)),
                 "allowed: " + join(allowed_privileges(*engine, target)));
        }
        return;
    }
    if (!allowed(Engine::postgres, target, privilege) && !allowed(Engine::mysql, target, privilege)) {
        fail(field, "unknown privilege '" + privilege + "'",
             "allowed on postgres: " + join(allowed_privileges(Engine::postgres, target)) +
                 "; on mysql: " + join(allowed_privileges(Engine::mysql, target)));
    }
}

std::string require_string(const json& j, const std::string& field) {
    if (!j.is_string()) {
        fail(field, std::string("must be a string, not ") + j.type_name());
    }
    auto s = j.get<std::string>();
    if (s.empty()) {
        fail(field, "must not be empty");
    }
    return s;
}

std::string require_name(const json& j, const std::string& field) {
    auto s = require_string(j, field);
    // PostgreSQL truncates identifiers at NAMEDATALEN-1 = 63 bytes; MySQL allows 64 for names and 80
    // (MariaDB) or 32 (MySQL) for user names: refuse what would be silently shortened anywhere.
    if (s.size() > 63) {
        fail(field, "'" + s + "' is longer than 63 characters");
    }
    if (s.find('\0') != std::string::npos) {
        fail(field, "must not contain NUL");
    }
    return s;
}

void check_keys(const json& obj, const std::string& field, std::initializer_list<std::string_view> known) {
    if (!obj.is_object()) {
        fail(field, std::string("must be a mapping, not ") + obj.type_name());
    }
    for (const auto& [key, value] : obj.items()) {
        if (std::find(known.begin(), known.end(), key) == known.end()) {
            fail(field + "." + key, "unknown field");
        }
    }
}

std::vector<std::string> string_list(const json& j, const std::string& field, bool names) {
    if (!j.is_array()) {
        fail(field, std::string("must be a list, not ") + j.type_name());
    }
    std::vector<std::string> out;
    for (std::size_t i = 0; i < j.size(); ++i) {
        const std::string item_field = field + "[" + std::to_string(i) + "]";
        out.push_back(names ? require_name(j[i], item_field) : require_string(j[i], item_field));
    }
    return out;
}

Grant parse_grant(const json& j, const std::string& field, std::optional<Engine> engine) {
    check_keys(j, field, {"privileges", "schema", "tables_in_schema", "database", "tables"});
    Grant g;
    int targets = 0;
    for (GrantTarget t : {GrantTarget::schema, GrantTarget::tables_in_schema, GrantTarget::database,
                          GrantTarget::tables}) {
        const std::string key(grant_target_name(t));
        if (!j.contains(key)) {
            continue;
        }
        ++targets;
        g.target = t;
        if (t == GrantTarget::tables) {
            g.tables = string_list(j[key], field + "." + key, false);
            if (g.tables.empty()) {
                fail(field + "." + key, "must name at least one table");
            }
        } else {
            g.object = require_name(j[key], field + "." + key);
        }
    }
    if (targets != 1) {
        fail(field, "needs exactly one of schema, tables_in_schema, database, tables");
    }
    if (!j.contains("privileges")) {
        fail(field + ".privileges", "is required");
    }
    const auto raw = string_list(j["privileges"], field + ".privileges", false);
    if (raw.empty()) {
        fail(field + ".privileges", "must list at least one privilege");
    }
    for (const auto& r : raw) {
        auto p = normalise_privilege(r);
        check_privilege(field + ".privileges", g.target, p, engine);
        if (std::find(g.privileges.begin(), g.privileges.end(), p) == g.privileges.end()) {
            g.privileges.push_back(std::move(p));
        }
    }
    return g;
}

Role parse_role(const std::string& name, const json& j, const std::string& field, std::optional<Engine> engine) {
    check_keys(j, field, {"grants"});
    Role role;
    role.name = require_name(json(name), field);
    if (!j.contains("grants")) {
        return role;
    }
    const auto& grants = j["grants"];
    if (!grants.is_array()) {
        fail(field + ".grants", std::string("must be a list, not ") + grants.type_name());
    }
    for (std::size_t i = 0; i < grants.size(); ++i) {
        role.grants.push_back(parse_grant(grants[i], field + ".grants[" + std::to_string(i) + "]", engine));
    }
    return role;
}

User parse_user(const json& j, const std::string& field, const DatabaseSpec& spec) {
    check_keys(j, field, {"name", "password_secret", "roles", "host"});
    User u;
    if (!j.contains("name")) {
        fail(field + ".name", "is required");
    }
    u.name = require_name(j["name"], field + ".name");
    if (j.contains("password_secret")) {
        u.password_secret = require_string(j["password_secret"], field + ".password_secret");
    }
    if (j.contains("host")) {
        u.host = require_string(j["host"], field + ".host");
    }
    if (j.contains("roles")) {
        u.roles = string_list(j["roles"], field + ".roles", true);
    }
    for (std::size_t i = 0; i < u.roles.size(); ++i) {
        if (spec.find_role(u.roles[i]) == nullptr) {
            fail(field + ".roles[" + std::to_string(i) + "]", "unknown role '" + u.roles[i] + "'",
                 "define it under database.roles");
        }
    }
    std::sort(u.roles.begin(), u.roles.end());
    u.roles.erase(std::unique(u.roles.begin(), u.roles.end()), u.roles.end());
    return u;
}

} // namespace

std::string_view engine_name(Engine engine) { return engine == Engine::postgres ? "postgres" : "mysql"; }

std::optional<Engine> engine_from_name(std::string_view name) {
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == "postgres" || lower == "postgresql" || lower == "aurora-postgresql") {
        return Engine::postgres;
    }
    if (lower == "mysql" || lower == "mariadb" || lower == "aurora-mysql" || lower == "aurora") {
        return Engine::mysql;
    }
    return std::nullopt;
}

std::string_view grant_target_name(GrantTarget target) {
    switch (target) {
    case GrantTarget::schema: return "schema";
    case GrantTarget::tables_in_schema: return "tables_in_schema";
    case GrantTarget::database: return "database";
    case GrantTarget::tables: return "tables";
    }
    return "schema";
}

const std::vector<std::string>& allowed_privileges(Engine engine, GrantTarget target) {
    if (engine == Engine::postgres) {
        switch (target) {
        case GrantTarget::schema: return kPgSchema;
        case GrantTarget::database: return kPgDatabase;
        case GrantTarget::tables_in_schema:
        case GrantTarget::tables: return kPgTables;
        }
    }
    return target == GrantTarget::tables ? kMyTables : kMyDatabase;
}

const Role* DatabaseSpec::find_role(std::string_view role_name) const {
    for (const auto& r : roles) {
        if (r.name == role_name) {
            return &r;
        }
    }
    return nullptr;
}

DatabaseSpec parse_database_spec(const json& section, std::optional<Engine> engine) {
    const std::string root = "database";
    check_keys(section, root, {"name", "master_password_secret", "roles", "users", "sanitize"});
    DatabaseSpec spec;
    if (section.contains("name")) {
        spec.name = require_name(section["name"], root + ".name");
    }
    if (section.contains("master_password_secret")) {
        spec.master_password_secret = require_string(section["master_password_secret"], root + ".master_password_secret");
    }
    if (section.contains("roles")) {
        const auto& roles = section["roles"];
        if (!roles.is_object()) {
            fail(root + ".roles", std::string("must be a mapping of role name to role, not ") + roles.type_name());
        }
        for (const auto& [name, body] : roles.items()) {
            spec.roles.push_back(parse_role(name, body.is_null() ? json::object() : body, root + ".roles." + name, engine));
        }
    }
    if (section.contains("users")) {
        const auto& users = section["users"];
        if (!users.is_array()) {
            fail(root + ".users", std::string("must be a list, not ") + users.type_name());
        }
        std::set<std::string> seen;
        for (std::size_t i = 0; i < users.size(); ++i) {
            const std::string field = root + ".users[" + std::to_string(i) + "]";
            auto u = parse_user(users[i], field, spec);
            if (!seen.insert(u.name).second) {
                fail(field + ".name", "duplicate user '" + u.name + "'");
            }
            if (spec.find_role(u.name) != nullptr) {
                fail(field + ".name", "'" + u.name + "' is both a role and a user");
            }
            spec.users.push_back(std::move(u));
        }
    }
    if (section.contains("sanitize")) {
        for (auto& path : string_list(section["sanitize"], root + ".sanitize", false)) {
            spec.sanitize.push_back(SanitizeRef{std::move(path)});
        }
    }
    if (engine) {
        validate_for_engine(spec, *engine);
    }
    return spec;
}

void validate_for_engine(const DatabaseSpec& spec, Engine engine) {
    for (const auto& role : spec.roles) {
        for (std::size_t i = 0; i < role.grants.size(); ++i) {
            const auto& g = role.grants[i];
            const std::string field = "database.roles." + role.name + ".grants[" + std::to_string(i) + "].privileges";
            for (const auto& p : g.privileges) {
                check_privilege(field, g.target, p, engine);
            }
        }
    }
    for (std::size_t i = 0; i < spec.users.size(); ++i) {
        if (engine == Engine::postgres && spec.users[i].host != "%") {
            fail("database.users[" + std::to_string(i) + "].host", "is a MySQL field; PostgreSQL has no account host");
        }
    }
}

std::vector<SanitizeScript> load_sanitize_scripts(const DatabaseSpec& spec, const std::string& base_dir) {
    std::vector<SanitizeScript> out;
    for (std::size_t i = 0; i < spec.sanitize.size(); ++i) {
        const std::string field = "database.sanitize[" + std::to_string(i) + "]";
        std::filesystem::path path(spec.sanitize[i].path);
        if (path.is_relative() && !base_dir.empty()) {
            path = std::filesystem::path(base_dir) / path;
        }
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            fail(field, "cannot read sanitize script '" + path.string() + "'",
                 "paths are relative to the request file");
        }
        std::ostringstream text;
        text << in.rdbuf();
        out.push_back(SanitizeScript{spec.sanitize[i].path, text.str()});
    }
    return out;
}

} // namespace aurora::dbsetup
