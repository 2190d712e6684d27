#include "dbsetup/postgres/postgres_driver.hpp"

#include "common/error.hpp"
#include "common/redact.hpp"
#include "dbsetup/postgres/postgres_sql.hpp"

#include <libpq-fe.h>

#include <algorithm>

namespace aurora::dbsetup {
namespace {

using PgResult = std::unique_ptr<PGresult, decltype(&PQclear)>;

std::string trim_message(const char* raw) {
    std::string s = raw == nullptr ? std::string{} : std::string(raw);
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) {
        s.pop_back();
    }
    return redact(s);
}

bool contains(const std::string& text, std::string_view needle) { return text.find(needle) != std::string::npos; }

[[noreturn]] void throw_connect_error(const ConnectionParams& p, const std::string& message) {
    const std::string where = "postgres " + p.host + ":" + std::to_string(p.port == 0 ? 5432 : p.port);
    Error::Fields fields{{"host", p.host}, {"user", p.user}, {"database", p.database}};
    if (contains(message, "password authentication failed") || contains(message, "no pg_hba.conf entry") ||
        (contains(message, "role \"") && contains(message, "does not exist"))) {
        throw Error(ErrorCode::access_denied, "cannot log in to " + where + " as '" + p.user + "': " + message,
                    "check the user name and the password secret", fields);
    }
    if (contains(message, "SSL") || contains(message, "certificate")) {
        throw Error(ErrorCode::config, "cannot open tls to " + where + ": " + message,
                    "the server must offer TLS (Aurora does); for verify modes the CA bundle must sign its "
                    "certificate and, with verify-full, the certificate must name the host",
                    fields);
    }
    if (contains(message, "could not connect") || contains(message, "timeout expired") ||
        contains(message, "could not translate host name") || contains(message, "Connection refused")) {
        throw Error(ErrorCode::network, "cannot reach " + where + ": " + message,
                    "the database setup step must run where the cluster endpoint is reachable: a host in the "
                    "cluster's VPC, or through a bastion/SSM tunnel or VPN (docs/database-setup.md)",
                    fields);
    }
    throw Error(ErrorCode::database, "cannot connect to " + where + ": " + message, {}, fields);
}

void ignore_notice(void* /*arg*/, const char* /*message*/) {}

} // namespace

PostgresSession::PostgresSession(const ConnectionParams& params) {
    register_secret(params.password);
    if ((params.tls == TlsMode::verify_ca || params.tls == TlsMode::verify_full) && params.ca_bundle.empty()) {
        throw Error(ErrorCode::config, "tls mode " + std::string(tls_mode_name(params.tls)) + " needs a ca bundle",
                    "download the RDS bundle from https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem");
    }
    const std::string port = std::to_string(params.port == 0 ? 5432 : params.port);
    const std::string timeout = std::to_string(params.connect_timeout_seconds);
    const std::string dbname = params.database.empty() ? "postgres" : params.database;
    std::vector<const char*> keys = {"host",    "port",        "dbname",          "user",
                                     "password", "sslmode",    "connect_timeout", "application_name",
                                     "client_encoding"};
    std::vector<const char*> values = {params.host.c_str(),
                                       port.c_str(),
                                       dbname.c_str(),
                                       params.user.c_str(),
                                       params.password.c_str(),
                                       tls_mode_name(params.tls).data(),
                                       timeout.c_str(),
                                       "aurora-restore",
                                       "UTF8"};
    if (!params.ca_bundle.empty()) {
        keys.push_back("sslrootcert");
        values.push_back(params.ca_bundle.c_str());
    }
    keys.push_back(nullptr);
    values.push_back(nullptr);
    conn_ = PQconnectdbParams(keys.data(), values.data(), 0);
    if (conn_ == nullptr) {
        throw Error(ErrorCode::internal, "libpq could not allocate a connection");
    }
    if (PQstatus(conn_) != CONNECTION_OK) {
        const std::string message = trim_message(PQerrorMessage(conn_));
        PQfinish(conn_);
        conn_ = nullptr;
        throw_connect_error(params, message);
    }
    PQsetNoticeProcessor(conn_, ignore_notice, nullptr);
}

PostgresSession::~PostgresSession() {
    if (conn_ != nullptr) {
        PQfinish(conn_);
    }
}

std::string PostgresSession::server_version() {
    const char* v = PQparameterStatus(conn_, "server_version");
    return v == nullptr ? std::string{} : std::string(v);
}

QueryResult PostgresSession::execute(const std::string& sql) {
    PgResult res(PQexec(conn_, sql.c_str()), &PQclear);
    const auto status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        const std::string message = trim_message(res ? PQresultErrorMessage(res.get()) : PQerrorMessage(conn_));
        const char* state = res ? PQresultErrorField(res.get(), PG_DIAG_SQLSTATE) : nullptr;
        const std::string sqlstate = state == nullptr ? std::string{} : std::string(state);
        const auto code = sqlstate == "42501" ? ErrorCode::access_denied : ErrorCode::database;
        throw Error(code, "postgres: " + message, {}, {{"sqlstate", sqlstate}});
    }
    QueryResult out;
    const int ncols = PQnfields(res.get());
    for (int c = 0; c < ncols; ++c) {
        out.columns.emplace_back(PQfname(res.get(), c));
    }
    const int nrows = PQntuples(res.get());
    for (int r = 0; r < nrows; ++r) {
        std::vector<std::optional<std::string>> row;
        for (int c = 0; c < ncols; ++c) {
            if (PQgetisnull(res.get(), r, c) != 0) {
                row.emplace_back(std::nullopt);
            } else {
                row.emplace_back(std::string(PQgetvalue(res.get(), r, c),
                                             static_cast<std::size_t>(PQgetlength(res.get(), r, c))));
            }
        }
        out.rows.push_back(std::move(row));
    }
    const char* tuples = PQcmdTuples(res.get());
    if (tuples != nullptr && *tuples != '\0') {
        out.affected_rows = std::stoll(tuples);
    }
    return out;
}

std::string PostgresSession::quote_identifier(std::string_view name) {
    std::unique_ptr<char, decltype(&PQfreemem)> q(PQescapeIdentifier(conn_, name.data(), name.size()), &PQfreemem);
    if (!q) {
        throw Error(ErrorCode::invalid_parameter, "cannot quote identifier: " + trim_message(PQerrorMessage(conn_)));
    }
    return std::string(q.get());
}

std::string PostgresSession::quote_literal(std::string_view value) {
    std::unique_ptr<char, decltype(&PQfreemem)> q(PQescapeLiteral(conn_, value.data(), value.size()), &PQfreemem);
    if (!q) {
        throw Error(ErrorCode::invalid_parameter, "cannot quote literal: " + trim_message(PQerrorMessage(conn_)));
    }
    return std::string(q.get());
}

void PostgresSession::begin() { execute("BEGIN"); }
void PostgresSession::commit() { execute("COMMIT"); }

void PostgresSession::rollback() noexcept {
    PGresult* res = PQexec(conn_, "ROLLBACK");
    if (res != nullptr) {
        PQclear(res);
    }
}

std::string PostgresSession::password_literal(const std::string& user, const std::string& password) {
    register_secret(password);
    std::unique_ptr<char, decltype(&PQfreemem)> hashed(
        PQencryptPasswordConn(conn_, password.c_str(), user.c_str(), nullptr), &PQfreemem);
    if (!hashed) {
        throw Error(ErrorCode::database, "cannot hash the password of '" + user + "': " +
                                             trim_message(PQerrorMessage(conn_)));
    }
    register_secret(hashed.get());
    return quote_literal(hashed.get());
}

bool PostgresSession::role_exists(const std::string& name) {
    return !execute("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = " + quote_literal(name)).rows.empty();
}

Change PostgresSession::ensure_login_role(const std::string& user, const std::string& password,
                                          const std::string& extra) {
    const bool exists = role_exists(user);
    const std::string options = " WITH LOGIN" + (extra.empty() ? std::string{} : " " + extra) + " PASSWORD " +
                                password_literal(user, password);
    execute((exists ? "ALTER ROLE " : "CREATE ROLE ") + quote_identifier(user) + options);
    return exists ? Change::altered : Change::created;
}

Change PostgresSession::ensure_role(const std::string& name) {
    if (role_exists(name)) {
        return Change::unchanged;
    }
    try {
        execute("CREATE ROLE " + quote_identifier(name) + " NOLOGIN");
    } catch (const Error& e) {
        // 42710 duplicate_object: a concurrent setup created it between the check and the CREATE.
        for (const auto& [k, v] : e.fields()) {
            if (k == "sqlstate" && v == "42710") {
                return Change::unchanged;
            }
        }
        throw;
    }
    return Change::created;
}

std::vector<std::string> PostgresSession::apply_grants(const Role& role, const std::string& /*database*/) {
    std::vector<std::string> done;
    const std::string grantee = quote_identifier(role.name);
    for (const auto& g : role.grants) {
        for (const auto& stmt : pg_grant_statements(*this, g, grantee)) {
            execute(stmt.sql);
            done.push_back(stmt.summary);
        }
    }
    auto revoked = revoke_extra_grants(role);
    done.insert(done.end(), revoked.begin(), revoked.end());
    return done;
}

std::vector<std::string> PostgresSession::revoke_extra_grants(const Role& role) {
    // Every privilege the role holds directly on a schema, a table-like relation or this database, from the
    // ACLs (https://www.postgresql.org/docs/15/functions-info.html, aclexplode).
    const std::string r = quote_literal(role.name);
    const auto held = execute(
        "WITH g AS (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = " + r + ") "
        "SELECT 'schema', n.nspname, NULL, a.privilege_type FROM pg_catalog.pg_namespace n, "
        "  LATERAL aclexplode(n.nspacl) a, g WHERE a.grantee = g.oid "
        "UNION ALL SELECT 'table', n.nspname, c.relname, a.privilege_type FROM pg_catalog.pg_class c "
        "  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace, LATERAL aclexplode(c.relacl) a, g "
        "  WHERE a.grantee = g.oid AND c.relkind IN ('r','p','v','m','f') "
        "UNION ALL SELECT 'database', d.datname, NULL, a.privilege_type FROM pg_catalog.pg_database d, "
        "  LATERAL aclexplode(d.datacl) a, g WHERE a.grantee = g.oid AND d.datname = current_database()");
    std::vector<std::string> done;
    const std::string grantee = quote_identifier(role.name);
    for (const auto& row : held.rows) {
        const std::string kind = row[0].value_or("");
        const std::string object = row[1].value_or("");
        const std::string table = row[2].value_or("");
        const std::string privilege = row[3].value_or("");
        if (pg_grant_wanted(role, kind, object, table, privilege)) {
            continue;
        }
        std::string target;
        if (kind == "schema") {
            target = "SCHEMA " + quote_identifier(object);
        } else if (kind == "database") {
            target = "DATABASE " + quote_identifier(object);
        } else {
            target = "TABLE " + quote_identifier(object) + "." + quote_identifier(table);
        }
        // privilege comes from aclexplode(), one of PostgreSQL's fixed privilege keywords.
        execute("REVOKE " + privilege + " ON " + target + " FROM " + grantee);
        done.push_back("revoke " + privilege + " on " + kind + " " + object + (table.empty() ? "" : "." + table));
    }
    return done;
}

Change PostgresSession::ensure_user(const User& user, const std::string& password) {
    return ensure_login_role(user.name, password);
}

std::vector<std::string> PostgresSession::apply_memberships(const User& user,
                                                            const std::vector<std::string>& managed_roles) {
    const auto current = execute(
        "SELECT r.rolname FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles r ON r.oid = m.roleid "
        "JOIN pg_catalog.pg_roles u ON u.oid = m.member WHERE u.rolname = " + quote_literal(user.name));
    std::vector<std::string> member_of;
    for (const auto& row : current.rows) {
        member_of.push_back(row[0].value_or(""));
    }
    auto has = [](const std::vector<std::string>& list, const std::string& v) {
        return std::find(list.begin(), list.end(), v) != list.end();
    };
    std::vector<std::string> done;
    for (const auto& role : user.roles) {
        if (!has(member_of, role)) {
            execute("GRANT " + quote_identifier(role) + " TO " + quote_identifier(user.name));
            done.push_back("grant role " + role);
        }
    }
    for (const auto& role : member_of) {
        if (has(managed_roles, role) && !has(user.roles, role)) {
            execute("REVOKE " + quote_identifier(role) + " FROM " + quote_identifier(user.name));
            done.push_back("revoke role " + role);
        }
    }
    return done;
}

Verification PostgresSession::verify_grants(const User& user, const std::vector<const Role*>& roles,
                                            const std::string& /*database: the session's own*/) {
    Verification v;
    const auto who = execute("SELECT current_user");
    if (who.rows.empty() || who.rows[0][0].value_or("") != user.name) {
        v.failed.push_back("logged in as '" + user.name + "'");
        return v;
    }
    v.checked.push_back("login as " + user.name);
    for (const Role* role : roles) {
        for (const auto& g : role->grants) {
            pg_verify_grant(*this, g, v);
        }
    }
    return v;
}

namespace {

class PostgresDriver final : public Driver {
public:
    Engine engine() const override { return Engine::postgres; }
    std::unique_ptr<Session> connect(const ConnectionParams& params) override {
        return std::make_unique<PostgresSession>(params);
    }
};

} // namespace

std::unique_ptr<Driver> make_postgres_driver() { return std::make_unique<PostgresDriver>(); }

} // namespace aurora::dbsetup
