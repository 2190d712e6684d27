#include "dbsetup/mysql/mysql_driver.hpp"

#include "common/error.hpp"
#include "common/redact.hpp"
#include "dbsetup/mysql/mysql_grants.hpp"

#include <mysql.h>

#include <algorithm>

namespace aurora::dbsetup {
namespace {

// Client and server error numbers, https://mariadb.com/kb/en/mariadb-error-codes/.
bool is_access_denied(unsigned err) {
    return err == 1044 || err == 1045 || err == 1142 || err == 1143 || err == 1227 || err == 1698 || err == 1370;
}
bool is_network(unsigned err) { return err == 2002 || err == 2003 || err == 2005 || err == 2006 || err == 2013; }
constexpr unsigned kSslConnectionError = 2026; // CR_SSL_CONNECTION_ERROR

const char* const kTlsHint = "the server must offer TLS (Aurora does); for verify modes the CA bundle must sign its "
                             "certificate and, with verify-full, the certificate must name the host";

void set_bool(MYSQL* m, mysql_option opt, bool value) {
    my_bool v = value ? 1 : 0;
    mysql_optionsv(m, opt, &v);
}

void configure_tls(MYSQL* m, const ConnectionParams& p) {
    switch (p.tls) {
    case TlsMode::disable:
    case TlsMode::prefer: return;
    case TlsMode::require:
        set_bool(m, MYSQL_OPT_SSL_ENFORCE, true);
        set_bool(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, false);
        return;
    case TlsMode::verify_ca:
    case TlsMode::verify_full:
        // Connector/C has one switch: it verifies the chain and the host name together, so verify-ca acts
        // as verify-full here (docs/database-setup.md).
        mysql_optionsv(m, MYSQL_OPT_SSL_CA, p.ca_bundle.c_str());
        set_bool(m, MYSQL_OPT_SSL_ENFORCE, true);
        set_bool(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, true);
        return;
    }
}

} // namespace

MysqlSession::MysqlSession(const ConnectionParams& params) {
    register_secret(params.password);
    if ((params.tls == TlsMode::verify_ca || params.tls == TlsMode::verify_full) && params.ca_bundle.empty()) {
        throw Error(ErrorCode::config, "tls mode " + std::string(tls_mode_name(params.tls)) + " needs a ca bundle",
                    "download the RDS bundle from https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem");
    }
    conn_ = mysql_init(nullptr);
    if (conn_ == nullptr) {
        throw Error(ErrorCode::internal, "connector/c could not allocate a connection");
    }
    const unsigned timeout = static_cast<unsigned>(params.connect_timeout_seconds);
    mysql_optionsv(conn_, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    mysql_optionsv(conn_, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    configure_tls(conn_, params);
    const unsigned port = params.port == 0 ? 3306 : params.port;
    if (mysql_real_connect(conn_, params.host.c_str(), params.user.c_str(), params.password.c_str(),
                           params.database.empty() ? nullptr : params.database.c_str(), port, nullptr, 0) ==
        nullptr) {
        const unsigned err = mysql_errno(conn_);
        const std::string message = redact(mysql_error(conn_));
        mysql_close(conn_);
        conn_ = nullptr;
        const std::string where = "mysql " + params.host + ":" + std::to_string(port);
        Error::Fields fields{{"host", params.host}, {"user", params.user}, {"errno", std::to_string(err)}};
        if (is_access_denied(err)) {
            throw Error(ErrorCode::access_denied, "cannot log in to " + where + " as '" + params.user + "': " + message,
                        "check the user name and the password secret", fields);
        }
        if (err == kSslConnectionError) {
            throw Error(ErrorCode::config, "cannot open tls to " + where + ": " + message, kTlsHint, fields);
        }
        if (is_network(err)) {
            throw Error(ErrorCode::network, "cannot reach " + where + ": " + message,
                        "the database setup step must run where the cluster endpoint is reachable: a host in the "
                        "cluster's VPC, or through a bastion/SSM tunnel or VPN (docs/database-setup.md)",
                        fields);
        }
        throw Error(ErrorCode::database, "cannot connect to " + where + ": " + message, {}, fields);
    }
    // Connector/C enforces TLS only together with certificate verification: with require (no verification)
    // it falls back to plain TCP when the server offers no TLS. Refuse that here.
    const bool tls_required = params.tls == TlsMode::require || params.tls == TlsMode::verify_ca ||
                              params.tls == TlsMode::verify_full;
    if (tls_required && mysql_get_ssl_cipher(conn_) == nullptr) {
        mysql_close(conn_);
        conn_ = nullptr;
        throw Error(ErrorCode::config,
                    "mysql " + params.host + ": the server does not support tls, but tls mode " +
                        std::string(tls_mode_name(params.tls)) + " requires it",
                    kTlsHint, {{"host", params.host}});
    }
}

MysqlSession::~MysqlSession() {
    if (conn_ != nullptr) {
        mysql_close(conn_);
    }
}

std::string MysqlSession::server_version() { return mysql_get_server_info(conn_); }

bool MysqlSession::is_mariadb() { return server_version().find("MariaDB") != std::string::npos; }

QueryResult MysqlSession::execute(const std::string& sql) {
    if (mysql_real_query(conn_, sql.data(), static_cast<unsigned long>(sql.size())) != 0) {
        const unsigned err = mysql_errno(conn_);
        const auto code = is_access_denied(err) ? ErrorCode::access_denied
                          : is_network(err)     ? ErrorCode::network
                                                : ErrorCode::database;
        throw Error(code, "mysql: " + redact(mysql_error(conn_)) + " (errno " + std::to_string(err) + ")", {},
                    {{"errno", std::to_string(err)}, {"sqlstate", mysql_sqlstate(conn_)}});
    }
    QueryResult out;
    std::unique_ptr<MYSQL_RES, decltype(&mysql_free_result)> res(mysql_store_result(conn_), &mysql_free_result);
    if (!res) {
        if (mysql_field_count(conn_) != 0) {
            throw Error(ErrorCode::database, "mysql: cannot read the result: " + redact(mysql_error(conn_)));
        }
        out.affected_rows = static_cast<long long>(mysql_affected_rows(conn_));
        return out;
    }
    const unsigned ncols = mysql_num_fields(res.get());
    const MYSQL_FIELD* fields = mysql_fetch_fields(res.get());
    for (unsigned c = 0; c < ncols; ++c) {
        out.columns.emplace_back(fields[c].name);
    }
    while (MYSQL_ROW row = mysql_fetch_row(res.get())) {
        const unsigned long* lengths = mysql_fetch_lengths(res.get());
        std::vector<std::optional<std::string>> values;
        for (unsigned c = 0; c < ncols; ++c) {
            if (row[c] == nullptr) {
                values.emplace_back(std::nullopt);
            } else {
                values.emplace_back(std::string(row[c], lengths[c]));
            }
        }
        out.rows.push_back(std::move(values));
    }
    return out;
}

std::string MysqlSession::quote_identifier(std::string_view name) {
    // https://mariadb.com/kb/en/identifier-names/: a quoted identifier may hold any character but NUL; a
    // backtick is written twice.
    if (name.empty() || name.find('\0') != std::string_view::npos) {
        throw Error(ErrorCode::invalid_parameter, "invalid mysql identifier (empty or containing NUL)");
    }
    std::string out = "`";
    for (char c : name) {
        out += c;
        if (c == '`') {
            out += '`';
        }
    }
    return out + "`";
}

std::string MysqlSession::quote_literal(std::string_view value) {
    std::string buffer(value.size() * 2 + 1, '\0');
    const unsigned long n =
        mysql_real_escape_string(conn_, buffer.data(), value.data(), static_cast<unsigned long>(value.size()));
    buffer.resize(n);
    return "'" + buffer + "'";
}

void MysqlSession::begin() { execute("START TRANSACTION"); }
void MysqlSession::commit() { execute("COMMIT"); }
void MysqlSession::rollback() noexcept { mysql_rollback(conn_); }

unsigned MysqlSession::warning_count() { return mysql_warning_count(conn_); }

bool MysqlSession::execute_noted(const std::string& sql) {
    execute(sql);
    return warning_count() > 0;
}

std::string MysqlSession::account(const std::string& user, const std::string& host) {
    return quote_literal(user) + "@" + quote_literal(host);
}

std::string MysqlSession::grant_database(const std::string& db) {
    return quote_identifier(escape_grant_database(db));
}

Change MysqlSession::ensure_role(const std::string& name) {
    return execute_noted("CREATE ROLE IF NOT EXISTS " + quote_identifier(name)) ? Change::unchanged : Change::created;
}

Change MysqlSession::ensure_user(const User& user, const std::string& password) {
    register_secret(password);
    const std::string acct = account(user.name, user.host);
    const bool existed = execute_noted("CREATE USER IF NOT EXISTS " + acct + " IDENTIFIED BY " + quote_literal(password));
    if (!existed) {
        return Change::created;
    }
    execute("ALTER USER " + acct + " IDENTIFIED BY " + quote_literal(password));
    return Change::altered;
}

namespace {

class MysqlDriver final : public Driver {
public:
    Engine engine() const override { return Engine::mysql; }
    std::unique_ptr<Session> connect(const ConnectionParams& params) override {
        return std::make_unique<MysqlSession>(params);
    }
};

} // namespace

std::unique_ptr<Driver> make_mysql_driver() { return std::make_unique<MysqlDriver>(); }

} // namespace aurora::dbsetup
