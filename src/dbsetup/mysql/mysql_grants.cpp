#include "dbsetup/mysql/mysql_grants.hpp"

#include "common/error.hpp"
#include "dbsetup/mysql/mysql_driver.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <tuple>

namespace aurora::dbsetup {
namespace {

bool starts_with(const std::string& s, std::size_t pos, std::string_view prefix) {
    return s.compare(pos, prefix.size(), prefix) == 0;
}

// Reads `name` (a backtick-quoted identifier, `` inside) or a bare '*' at pos; advances pos.
std::optional<std::string> read_name(const std::string& s, std::size_t& pos) {
    if (pos < s.size() && s[pos] == '*') {
        ++pos;
        return std::string("*");
    }
    if (pos >= s.size() || s[pos] != '`') {
        return std::nullopt;
    }
    std::string out;
    for (std::size_t i = pos + 1; i < s.size(); ++i) {
        if (s[i] != '`') {
            out += s[i];
            continue;
        }
        if (i + 1 < s.size() && s[i + 1] == '`') {
            out += '`';
            ++i;
            continue;
        }
        pos = i + 1;
        return out;
    }
    return std::nullopt;
}

std::optional<ShowGrantLine> parse_role_grant(const std::string& line, std::size_t pos) {
    ShowGrantLine g;
    while (pos < line.size()) {
        auto name = read_name(line, pos);
        if (!name) {
            return std::nullopt;
        }
        g.roles.push_back(*name);
        if (pos < line.size() && line[pos] == '@') { // MySQL 8: `role`@`%`
            ++pos;
            if (!read_name(line, pos)) {
                return std::nullopt;
            }
        }
        if (starts_with(line, pos, ", ") || starts_with(line, pos, ",")) {
            pos += line[pos + 1] == ' ' ? 2 : 1;
            continue;
        }
        return starts_with(line, pos, " TO ") ? std::optional(g) : std::nullopt;
    }
    return std::nullopt;
}

std::string trim_upper(std::string s) {
    while (!s.empty() && s.front() == ' ') {
        s.erase(s.begin());
    }
    while (!s.empty() && s.back() == ' ') {
        s.pop_back();
    }
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return s;
}

bool is_keyword(const std::string& p) {
    return !p.empty() && std::all_of(p.begin(), p.end(), [](char c) { return (c >= 'A' && c <= 'Z') || c == ' '; });
}

bool has(const std::vector<std::string>& list, const std::string& v) {
    return std::find(list.begin(), list.end(), v) != list.end();
}

std::string privilege_list(const std::vector<std::string>& privileges) {
    if (has(privileges, "ALL")) {
        return "ALL PRIVILEGES";
    }
    std::string out;
    for (const auto& p : privileges) {
        out += out.empty() ? "" : ", ";
        out += p; // validated against the fixed list in spec.cpp
    }
    return out;
}

// A grant's targets as (db as stored by GRANT, table or "*").
std::vector<std::pair<std::string, std::string>> targets_of(const Grant& g, const std::string& database) {
    if (g.target != GrantTarget::tables) {
        return {{escape_grant_database(g.object), "*"}};
    }
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& t : g.tables) {
        const auto dot = t.find('.');
        if (dot == std::string::npos && database.empty()) {
            throw Error(ErrorCode::invalid_request, "table '" + t + "' names no database",
                        "write it as database.table, or set database.name");
        }
        out.emplace_back(dot == std::string::npos ? database : t.substr(0, dot),
                         dot == std::string::npos ? t : t.substr(dot + 1));
    }
    return out;
}

std::string unescape(const std::string& pattern) {
    std::string out;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '\\' && i + 1 < pattern.size()) {
            ++i;
        }
        out += pattern[i];
    }
    return out;
}

using HeldSet = std::set<std::tuple<std::string, std::string, std::string>>; // db, table, privilege

HeldSet held_privileges(MysqlSession& s, const std::string& sql) {
    HeldSet held;
    for (const auto& row : s.execute(sql).rows) {
        const auto g = parse_show_grants_line(row[0].value_or(""));
        if (!g || !g->object_kind.empty()) {
            continue;
        }
        for (const auto& p : g->privileges) {
            held.emplace(g->db, g->table, p);
        }
    }
    return held;
}

} // namespace

std::string escape_grant_database(const std::string& name) {
    std::string out;
    for (char c : name) {
        if (c == '_' || c == '%' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    return out;
}

std::optional<ShowGrantLine> parse_show_grants_line(const std::string& line) {
    if (!starts_with(line, 0, "GRANT ")) {
        return std::nullopt;
    }
    std::size_t pos = 6;
    if (pos < line.size() && line[pos] == '`') {
        return parse_role_grant(line, pos);
    }
    ShowGrantLine g;
    std::string current;
    int depth = 0;
    for (; pos < line.size(); ++pos) {
        const char c = line[pos];
        if (depth == 0 && starts_with(line, pos, " ON ")) {
            break;
        }
        if (c == '(') {
            ++depth;
        } else if (c == ')') {
            --depth;
        }
        if (c == ',' && depth == 0) {
            g.privileges.push_back(trim_upper(current));
            current.clear();
            continue;
        }
        current += c;
    }
    g.privileges.push_back(trim_upper(current));
    g.privileges.erase(std::remove_if(g.privileges.begin(), g.privileges.end(),
                                      [](const std::string& p) { return !is_keyword(p); }),
                       g.privileges.end());
    if (pos >= line.size()) {
        return std::nullopt;
    }
    pos += 4;
    for (std::string_view kind : {"FUNCTION ", "PROCEDURE ", "TABLE "}) {
        if (starts_with(line, pos, kind)) {
            g.object_kind = kind == "TABLE " ? "" : std::string(kind.substr(0, kind.size() - 1));
            pos += kind.size();
        }
    }
    auto db = read_name(line, pos);
    if (!db || pos >= line.size() || line[pos] != '.') {
        return std::nullopt;
    }
    ++pos;
    auto table = read_name(line, pos);
    if (!table) {
        return std::nullopt;
    }
    g.db = *db;
    g.table = *table;
    return g;
}

std::vector<std::string> MysqlSession::apply_grants(const Role& role, const std::string& database) {
    std::vector<std::string> done;
    const std::string grantee = quote_identifier(role.name);
    // Revoke first what the spec does not want, then grant: a held ALL PRIVILEGES can only be narrowed by
    // revoking it whole.
    for (const auto& [db, table, privilege] : held_privileges(*this, "SHOW GRANTS FOR " + grantee)) {
        if (privilege == "USAGE") {
            continue;
        }
        bool wanted = false;
        for (const auto& g : role.grants) {
            if (!has(g.privileges, "ALL") && !has(g.privileges, privilege)) {
                continue;
            }
            for (const auto& target : targets_of(g, database)) {
                wanted = wanted || target == std::make_pair(db, table);
            }
        }
        if (wanted) {
            continue;
        }
        const std::string db_sql = db == "*" ? "*" : quote_identifier(db);
        const std::string table_sql = table == "*" ? "*" : quote_identifier(table);
        // privilege is a keyword read from SHOW GRANTS (is_keyword: letters and spaces only).
        execute("REVOKE " + privilege + " ON " + db_sql + "." + table_sql + " FROM " + grantee);
        done.push_back("revoke " + privilege + " on " + unescape(db) + "." + table);
    }
    for (const auto& g : role.grants) {
        const std::string privs = privilege_list(g.privileges);
        for (const auto& [db, table] : targets_of(g, database)) {
            const std::string target =
                quote_identifier(db) + "." + (table == "*" ? std::string("*") : quote_identifier(table));
            execute("GRANT " + privs + " ON " + target + " TO " + grantee);
            done.push_back("grant " + privs + " on " + unescape(db) + "." + table);
        }
    }
    return done;
}

std::string mariadb_aggregate_role(const std::string& user) { return "aurora_roles_" + user; }

namespace {

// Makes `grantee` (already quoted) a member of exactly `desired` among `managed`; appends to `done`.
void reconcile_roles(MysqlSession& s, const std::string& grantee, const std::vector<std::string>& desired,
                     const std::vector<std::string>& managed, const std::string& label, std::vector<std::string>& done) {
    std::vector<std::string> current;
    for (const auto& row : s.execute("SHOW GRANTS FOR " + grantee).rows) {
        const auto g = parse_show_grants_line(row[0].value_or(""));
        if (g) {
            current.insert(current.end(), g->roles.begin(), g->roles.end());
        }
    }
    for (const auto& role : desired) {
        if (!has(current, role)) {
            s.execute("GRANT " + s.quote_identifier(role) + " TO " + grantee);
            done.push_back("grant role " + role + label);
        }
    }
    for (const auto& role : current) {
        if (has(managed, role) && !has(desired, role)) {
            s.execute("REVOKE " + s.quote_identifier(role) + " FROM " + grantee);
            done.push_back("revoke role " + role + label);
        }
    }
}

} // namespace

std::vector<std::string> MysqlSession::apply_memberships(const User& user,
                                                         const std::vector<std::string>& managed_roles) {
    const std::string acct = account(user.name, user.host);
    std::vector<std::string> done;
    // Granted roles are inactive until made default (MySQL 8:
    // https://dev.mysql.com/doc/refman/8.0/en/set-default-role.html — all of them at once).
    if (!is_mariadb()) {
        reconcile_roles(*this, acct, user.roles, managed_roles, {}, done);
        execute("SET DEFAULT ROLE ALL TO " + acct);
        return done;
    }
    // MariaDB activates one default role per account (https://mariadb.com/kb/en/set-default-role/): a user
    // with several roles gets one aggregate role that holds them all (roles can be granted to roles).
    const std::string aggregate = mariadb_aggregate_role(user.name);
    if (has(managed_roles, aggregate)) {
        throw Error(ErrorCode::invalid_request, "role name '" + aggregate + "' is reserved for user '" + user.name + "'",
                    "rename the role in database.roles");
    }
    std::vector<std::string> managed = managed_roles;
    managed.push_back(aggregate);
    std::vector<std::string> direct = user.roles;
    if (user.roles.size() > 1) {
        if (ensure_role(aggregate) == Change::created) {
            done.push_back("create role " + aggregate);
        }
        reconcile_roles(*this, quote_identifier(aggregate), user.roles, managed_roles, " to " + aggregate, done);
        direct = {aggregate};
    }
    reconcile_roles(*this, acct, direct, managed, {}, done);
    const std::string default_role = direct.empty() ? std::string("NONE") : quote_identifier(direct[0]);
    execute("SET DEFAULT ROLE " + default_role + " FOR " + acct);
    done.push_back("default role " + (direct.empty() ? std::string("none") : direct[0]));
    return done;
}

Verification MysqlSession::verify_grants(const User& user, const std::vector<const Role*>& roles,
                                         const std::string& database) {
    Verification v;
    const auto who = execute("SELECT SUBSTRING_INDEX(CURRENT_USER(), '@', 1), CURRENT_ROLE()");
    const std::string login = who.rows.empty() ? std::string{} : who.rows[0][0].value_or("");
    const std::string active = who.rows.empty() ? std::string{} : who.rows[0][1].value_or("");
    if (login != user.name) {
        v.failed.push_back("logged in as '" + user.name + "'");
        return v;
    }
    v.checked.push_back("login as " + user.name);
    std::string using_roles;
    for (const Role* r : roles) {
        const bool is_active = active == r->name || active == mariadb_aggregate_role(user.name) ||
                               active.find("`" + r->name + "`@") != std::string::npos;
        (is_active ? v.checked : v.failed).push_back("role " + r->name + " active at login");
        using_roles += (using_roles.empty() ? " USING " : ", ") + quote_identifier(r->name);
    }
    // MariaDB's SHOW GRANTS lists the active role's privileges; MySQL 8 lists them only with USING.
    const HeldSet held = held_privileges(
        *this, is_mariadb() || roles.empty() ? std::string("SHOW GRANTS") : "SHOW GRANTS FOR CURRENT_USER()" + using_roles);
    for (const Role* r : roles) {
        for (const auto& g : r->grants) {
            for (const auto& [db, table] : targets_of(g, database)) {
                for (const auto& p : g.privileges) {
                    const std::string priv = p == "ALL" ? "ALL PRIVILEGES" : p;
                    if (priv == "USAGE") {
                        continue; // USAGE means "no privilege": nothing to see in SHOW GRANTS
                    }
                    const bool ok = held.count({db, table, priv}) > 0 || held.count({db, table, "ALL PRIVILEGES"}) > 0;
                    (ok ? v.checked : v.failed).push_back(priv + " on " + unescape(db) + "." + table);
                }
                const bool selects = has(g.privileges, "SELECT") || has(g.privileges, "ALL");
                if (selects && table != "*") {
                    try {
                        execute("SELECT 1 FROM " + quote_identifier(db) + "." + quote_identifier(table) + " LIMIT 0");
                        v.checked.push_back("select from " + db + "." + table);
                    } catch (const Error& e) {
                        v.failed.push_back("select from " + db + "." + table + ": " + e.message());
                    }
                }
            }
        }
    }
    return v;
}

} // namespace aurora::dbsetup
