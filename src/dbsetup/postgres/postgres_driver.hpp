#pragma once
//! The PostgreSQL driver (libpq) of the database setup step: roles are NOLOGIN roles, users are LOGIN
//! roles, grants go through GRANT/REVOKE and ALTER DEFAULT PRIVILEGES, verification through
//! has_*_privilege() as the user. https://www.postgresql.org/docs/15/sql-grant.html

#include "dbsetup/driver.hpp"

#include <memory>

struct pg_conn;

namespace aurora::dbsetup {

//! One libpq connection. Public so the sandbox's data plane can reuse the escaping and error mapping.
class PostgresSession final : public Session {
public:
    //! Connects; throws as Driver::connect() documents.
    explicit PostgresSession(const ConnectionParams& params);
    ~PostgresSession() override;
    PostgresSession(const PostgresSession&) = delete;
    PostgresSession& operator=(const PostgresSession&) = delete;

    Engine engine() const override { return Engine::postgres; }
    std::string server_version() override;
    QueryResult execute(const std::string& sql) override;
    std::string quote_identifier(std::string_view name) override;
    std::string quote_literal(std::string_view value) override;
    void begin() override;
    void commit() override;
    void rollback() noexcept override;

    Change ensure_role(const std::string& name) override;
    std::vector<std::string> apply_grants(const Role& role, const std::string& database) override;
    Change ensure_user(const User& user, const std::string& password) override;
    std::vector<std::string> apply_memberships(const User& user,
                                               const std::vector<std::string>& managed_roles) override;
    Verification verify_grants(const User& user, const std::vector<const Role*>& roles,
                               const std::string& database) override;

    //! A literal holding `password` hashed for `user` with the server's password_encryption (SCRAM), so
    //! the clear password never reaches the server's statement log (PQencryptPasswordConn).
    std::string password_literal(const std::string& user, const std::string& password);
    //! Whether role `name` exists.
    bool role_exists(const std::string& name);
    //! Creates login role `user` with `password` or updates its password; adds the options in `extra`
    //! (fixed keywords such as "CREATEROLE"). Returns created or altered.
    Change ensure_login_role(const std::string& user, const std::string& password, const std::string& extra = {});

private:
    std::vector<std::string> revoke_extra_grants(const Role& role);
    pg_conn* conn_ = nullptr;
};

//! The libpq driver.
std::unique_ptr<Driver> make_postgres_driver();

} // namespace aurora::dbsetup
