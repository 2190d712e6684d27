#pragma once
//! The database setup step's one narrow interface to a database server (style.md #2). Two drivers:
//! postgres/ (libpq) and mysql/ (MariaDB Connector/C, for MySQL 8 / Aurora MySQL 3 and MariaDB).
//!
//! A Driver opens Sessions; a Session is one connection. Sessions escape every identifier and literal with
//! the client library (PQescapeIdentifier / PQescapeLiteral; backticks and mysql_real_escape_string), never
//! paste raw text. Every error a server returns passes through redact() before it reaches an Error, and
//! passwords are registered as secrets before they are sent.

#include "dbsetup/spec.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aurora::dbsetup {

//! TLS to the server, named as libpq names them (https://www.postgresql.org/docs/15/libpq-ssl.html).
//! For Aurora use verify_full with the RDS CA bundle
//! (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/UsingWithRDS.SSL.html).
enum class TlsMode {
    disable,     //!< plain TCP
    prefer,      //!< TLS when the server offers it, unverified (libpq's default)
    require,     //!< TLS or fail; the certificate is not verified
    verify_ca,   //!< TLS, certificate chained to ca_bundle (MySQL: also checks the host name, see docs)
    verify_full, //!< TLS, certificate chained to ca_bundle and naming the host
};

//! "disable" / "prefer" / "require" / "verify-ca" / "verify-full".
std::string_view tls_mode_name(TlsMode mode);
//! Parses the names above (also with '_'); nullopt otherwise.
std::optional<TlsMode> tls_mode_from_name(std::string_view name);

struct ConnectionParams {
    std::string host;
    std::uint16_t port = 0; //!< 0: the engine's default (5432 / 3306)
    std::string database;   //!< PostgreSQL database / MySQL default schema (may be empty on MySQL)
    std::string user;
    std::string password; //!< registered as a secret by connect()
    TlsMode tls = TlsMode::prefer;
    std::string ca_bundle; //!< PEM file; required by verify_ca and verify_full
    int connect_timeout_seconds = 10;
};

//! An engine plus connection parameters, as parsed from a URL.
struct ConnectionUrl {
    Engine engine = Engine::postgres;
    ConnectionParams params;
};

//! Parses postgresql://user:password@host:port/database?sslmode=…&sslrootcert=…&connect_timeout=… (also
//! postgres://) and mysql://… (also mariadb://) with percent-decoding of user, password and database. The
//! password is registered as a secret. Throws aurora::Error(config) naming the part that is wrong (never
//! quoting the password).
ConnectionUrl parse_connection_url(const std::string& url);

//! One statement's outcome.
struct QueryResult {
    std::vector<std::string> columns;
    std::vector<std::vector<std::optional<std::string>>> rows; //!< nullopt is SQL NULL
    long long affected_rows = -1; //!< rows inserted/updated/deleted, -1 when the statement reports none
};

//! What an apply step did to one object.
enum class Change { created, altered, unchanged };
std::string_view change_name(Change change);

//! The outcome of a login check as one user.
struct Verification {
    std::vector<std::string> checked; //!< each check that passed, e.g. "SELECT on public.orders"
    std::vector<std::string> failed;  //!< each check that failed
};

class Session {
public:
    virtual ~Session() = default;
    virtual Engine engine() const = 0;
    //! The server's version string (e.g. "15.18" or "10.11.19-MariaDB").
    virtual std::string server_version() = 0;
    //! Runs one statement. Throws aurora::Error(database) with the server's message (redacted); on MySQL
    //! ER_*ACCESS_DENIED* / PostgreSQL SQLSTATE 42501 throw aurora::Error(access_denied).
    virtual QueryResult execute(const std::string& sql) = 0;
    //! `name` quoted as an identifier by the client library.
    virtual std::string quote_identifier(std::string_view name) = 0;
    //! `value` quoted as a string literal by the client library.
    virtual std::string quote_literal(std::string_view value) = 0;

    virtual void begin() = 0;
    virtual void commit() = 0;
    //! Never throws (it runs on error paths).
    virtual void rollback() noexcept = 0;

    //! Creates role `name` (no login) when missing. Idempotent.
    virtual Change ensure_role(const std::string& name) = 0;
    //! Grants `role` exactly the privileges of its spec in database `database`: grants what is missing,
    //! revokes what the role holds beyond the spec on the objects this session can see. Returns one line
    //! per statement run ("grant SELECT on all tables in schema public"). Idempotent: a second call returns
    //! no revocations.
    virtual std::vector<std::string> apply_grants(const Role& role, const std::string& database) = 0;
    //! Creates `user` with login and `password`, or sets the password when it exists. Idempotent.
    virtual Change ensure_user(const User& user, const std::string& password) = 0;
    //! Makes `user` a member of exactly its spec roles among `managed_roles` (the spec's roles; other
    //! memberships are left alone), and makes them active at login (MySQL: default roles). Returns one
    //! line per change. Idempotent.
    virtual std::vector<std::string> apply_memberships(const User& user,
                                                       const std::vector<std::string>& managed_roles) = 0;
    //! On a session connected AS `user`: checks that every privilege of `roles` is in effect in
    //! `database`. Read-only.
    virtual Verification verify_grants(const User& user, const std::vector<const Role*>& roles,
                                       const std::string& database) = 0;
};

class Driver {
public:
    virtual ~Driver() = default;
    virtual Engine engine() const = 0;
    //! Opens a session. Throws aurora::Error: access_denied on bad credentials, network when the server
    //! cannot be reached (with a hint on where the step must run), database otherwise. Registers the
    //! password as a secret first.
    virtual std::unique_ptr<Session> connect(const ConnectionParams& params) = 0;
};

//! The driver for `engine` (postgres/ or mysql/).
std::unique_ptr<Driver> make_driver(Engine engine);

} // namespace aurora::dbsetup
