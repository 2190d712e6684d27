#include "dbsetup/postgres/postgres_sql.hpp"

#include "common/error.hpp"
#include "dbsetup/postgres/postgres_driver.hpp"

#include <algorithm>

namespace aurora::dbsetup {
namespace {

bool has(const std::vector<std::string>& list, const std::string& v) {
    return std::find(list.begin(), list.end(), v) != list.end();
}

bool grants_privilege(const Grant& g, const std::string& privilege) {
    return has(g.privileges, "ALL") || has(g.privileges, privilege);
}

// What ALL expands to per object type (https://www.postgresql.org/docs/15/ddl-priv.html, table 5.2).
std::vector<std::string> expand(const Grant& g) {
    if (!has(g.privileges, "ALL")) {
        return g.privileges;
    }
    switch (g.target) {
    case GrantTarget::schema: return {"USAGE", "CREATE"};
    case GrantTarget::database: return {"CONNECT", "CREATE", "TEMPORARY"};
    case GrantTarget::tables_in_schema:
    case GrantTarget::tables: break;
    }
    return {"SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"};
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool query_true(PostgresSession& s, const std::string& sql) {
    const auto r = s.execute(sql);
    return !r.rows.empty() && r.rows[0][0].value_or("f") == "t";
}

} // namespace

std::string pg_privilege_list(const std::vector<std::string>& privileges) {
    if (has(privileges, "ALL")) {
        return "ALL PRIVILEGES";
    }
    std::string out;
    for (const auto& p : privileges) {
        out += out.empty() ? "" : ", ";
        out += p; // validated against the fixed list in spec.cpp: a keyword, never user text
    }
    return out;
}

std::pair<std::string, std::string> pg_split_table(const std::string& name) {
    const auto dot = name.find('.');
    if (dot == std::string::npos) {
        return {"public", name};
    }
    return {name.substr(0, dot), name.substr(dot + 1)};
}

std::vector<PgStatement> pg_grant_statements(PostgresSession& s, const Grant& g, const std::string& grantee) {
    const std::string privs = pg_privilege_list(g.privileges);
    const std::string summary_privs = lower(privs);
    std::vector<PgStatement> out;
    switch (g.target) {
    case GrantTarget::schema:
        out.push_back({"GRANT " + privs + " ON SCHEMA " + s.quote_identifier(g.object) + " TO " + grantee,
                       "grant " + summary_privs + " on schema " + g.object});
        break;
    case GrantTarget::database:
        out.push_back({"GRANT " + privs + " ON DATABASE " + s.quote_identifier(g.object) + " TO " + grantee,
                       "grant " + summary_privs + " on database " + g.object});
        break;
    case GrantTarget::tables_in_schema: {
        const std::string schema = s.quote_identifier(g.object);
        out.push_back({"GRANT " + privs + " ON ALL TABLES IN SCHEMA " + schema + " TO " + grantee,
                       "grant " + summary_privs + " on all tables in schema " + g.object});
        // Tables the setup's login creates later get the same grants
        // (https://www.postgresql.org/docs/15/sql-alterdefaultprivileges.html).
        out.push_back({"ALTER DEFAULT PRIVILEGES IN SCHEMA " + schema + " GRANT " + privs + " ON TABLES TO " + grantee,
                       "default " + summary_privs + " on new tables in schema " + g.object});
        if (grants_privilege(g, "INSERT")) {
            // INSERT into a serial column calls nextval(), which needs USAGE on its sequence.
            out.push_back({"GRANT USAGE ON ALL SEQUENCES IN SCHEMA " + schema + " TO " + grantee,
                           "grant usage on all sequences in schema " + g.object});
            out.push_back({"ALTER DEFAULT PRIVILEGES IN SCHEMA " + schema + " GRANT USAGE ON SEQUENCES TO " + grantee,
                           "default usage on new sequences in schema " + g.object});
        }
        break;
    }
    case GrantTarget::tables: {
        std::string list;
        for (const auto& t : g.tables) {
            const auto [schema, table] = pg_split_table(t);
            list += list.empty() ? "" : ", ";
            list += s.quote_identifier(schema) + "." + s.quote_identifier(table);
        }
        std::string names;
        for (const auto& t : g.tables) {
            names += names.empty() ? "" : ", ";
            names += t;
        }
        out.push_back({"GRANT " + privs + " ON TABLE " + list + " TO " + grantee,
                       "grant " + summary_privs + " on table " + names});
        break;
    }
    }
    return out;
}

bool pg_grant_wanted(const Role& role, const std::string& kind, const std::string& object, const std::string& table,
                     const std::string& privilege) {
    for (const auto& g : role.grants) {
        if (!grants_privilege(g, privilege)) {
            continue;
        }
        if (kind == "schema" && g.target == GrantTarget::schema && g.object == object) {
            return true;
        }
        if (kind == "database" && g.target == GrantTarget::database && g.object == object) {
            return true;
        }
        if (kind != "table") {
            continue;
        }
        if (g.target == GrantTarget::tables_in_schema && g.object == object) {
            return true;
        }
        if (g.target == GrantTarget::tables) {
            for (const auto& t : g.tables) {
                if (pg_split_table(t) == std::make_pair(object, table)) {
                    return true;
                }
            }
        }
    }
    return false;
}

void pg_verify_grant(PostgresSession& s, const Grant& g, Verification& v) {
    for (const auto& p : expand(g)) {
        const std::string priv = s.quote_literal(p);
        try {
            switch (g.target) {
            case GrantTarget::schema: {
                const std::string what = p + " on schema " + g.object;
                (query_true(s, "SELECT has_schema_privilege(" + s.quote_literal(g.object) + ", " + priv + ")")
                     ? v.checked
                     : v.failed)
                    .push_back(what);
                break;
            }
            case GrantTarget::database: {
                const std::string what = p + " on database " + g.object;
                (query_true(s, "SELECT has_database_privilege(" + s.quote_literal(g.object) + ", " + priv + ")")
                     ? v.checked
                     : v.failed)
                    .push_back(what);
                break;
            }
            case GrantTarget::tables_in_schema: {
                const auto r = s.execute(
                    "SELECT c.relname, has_table_privilege(c.oid, " + priv + ") FROM pg_catalog.pg_class c "
                    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = " +
                    s.quote_literal(g.object) + " AND c.relkind IN ('r','p','v','m','f') ORDER BY 1");
                std::size_t ok = 0;
                for (const auto& row : r.rows) {
                    if (row[1].value_or("f") == "t") {
                        ++ok;
                    } else {
                        v.failed.push_back(p + " on " + g.object + "." + row[0].value_or(""));
                    }
                }
                v.checked.push_back(p + " on " + std::to_string(ok) + " tables in schema " + g.object);
                break;
            }
            case GrantTarget::tables:
                for (const auto& t : g.tables) {
                    const auto [schema, table] = pg_split_table(t);
                    const std::string name = s.quote_identifier(schema) + "." + s.quote_identifier(table);
                    (query_true(s, "SELECT has_table_privilege(" + s.quote_literal(name) + ", " + priv + ")")
                         ? v.checked
                         : v.failed)
                        .push_back(p + " on " + schema + "." + table);
                }
                break;
            }
        } catch (const Error& e) {
            v.failed.push_back(p + " on " + std::string(grant_target_name(g.target)) + " " + g.object + ": " +
                               e.message());
        }
    }
}

} // namespace aurora::dbsetup
