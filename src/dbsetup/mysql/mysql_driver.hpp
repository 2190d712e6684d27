#pragma once
//! The MySQL-compatible driver (MariaDB Connector/C) of the database setup step, for Aurora MySQL 3
//! (MySQL 8 roles) and MariaDB (its own roles: one default role per account). Roles are created with
//! CREATE ROLE, users with CREATE USER … IDENTIFIED BY, memberships with GRANT role TO user plus a default
//! role so they are active at login. https://dev.mysql.com/doc/refman/8.0/en/roles.html,
//! https://mariadb.com/kb/en/roles_overview/

#include "dbsetup/driver.hpp"

#include <memory>

struct st_mysql;

namespace aurora::dbsetup {

//! One Connector/C connection. Public so the sandbox's data plane can reuse the escaping and error mapping.
class MysqlSession final : public Session {
public:
    //! Connects; throws as Driver::connect() documents.
    explicit MysqlSession(const ConnectionParams& params);
    ~MysqlSession() override;
    MysqlSession(const MysqlSession&) = delete;
    MysqlSession& operator=(const MysqlSession&) = delete;

    Engine engine() const override { return Engine::mysql; }
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

    //! True on MariaDB (version string contains "MariaDB").
    bool is_mariadb();
    //! 'user'@'host', both quoted as literals.
    std::string account(const std::string& user, const std::string& host = "%");
    //! `db` as a quoted database name for GRANT/REVOKE … ON `db`.*: '_' and '%' escaped, since GRANT reads
    //! them as wildcards there (https://mariadb.com/kb/en/grant/#database-privileges).
    std::string grant_database(const std::string& db);
    //! The number of warnings and notes of the last statement.
    unsigned warning_count();
    //! Runs `sql` and returns whether it raised a warning or note (CREATE … IF NOT EXISTS on an existing
    //! object raises a note on MySQL and MariaDB).
    bool execute_noted(const std::string& sql);

private:
    st_mysql* conn_ = nullptr;
};

//! The Connector/C driver.
std::unique_ptr<Driver> make_mysql_driver();

} // namespace aurora::dbsetup
