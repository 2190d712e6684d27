#include "common/error.hpp"
#include "common/log.hpp"
#include "dbsetup/mysql/mysql_driver.hpp"
#include "dbsetup/mysql/mysql_grants.hpp"
#include "sandbox/data_plane/engines.hpp"

namespace aurora::sandbox {
namespace {

using dbsetup::ConnectionParams;
using dbsetup::MysqlSession;

class MysqlDataPlane final : public DataPlane {
public:
    explicit MysqlDataPlane(ConnectionParams admin) : admin_(std::move(admin)) {
        admin_.database.clear(); // every statement names its schema
        try {
            (void)connect();
        } catch (const Error& e) {
            throw Error(ErrorCode::config, "data plane: " + e.message(), e.hint());
        }
    }

    std::string engine_family() const override { return "aurora-mysql"; }
    DataPlaneEndpoint endpoint() const override { return {admin_.host, admin_.port == 0 ? std::uint16_t{3306} : admin_.port}; }

    void create_cluster_database(const std::string& db, const std::string& master_user,
                                 const std::string& master_password) override {
        auto s = connect();
        s->execute("CREATE DATABASE IF NOT EXISTS " + s->quote_identifier(db));
        ensure_master(*s, db, master_user, master_password);
        log::info("data_plane.create", {{"engine", "mysql"}, {"database", db}, {"owner", master_user}});
    }

    void snapshot_database(const std::string& cluster_db, const std::string& snapshot_db) override {
        auto s = connect();
        if (exists(*s, snapshot_db)) {
            return;
        }
        require(*s, cluster_db);
        copy_schema(*s, cluster_db, snapshot_db);
        log::info("data_plane.snapshot", {{"engine", "mysql"}, {"from", cluster_db}, {"to", snapshot_db}});
    }

    void restore_database(const std::string& snapshot_db, const std::string& cluster_db, const std::string& master_user,
                          const std::string& master_password) override {
        auto s = connect();
        if (!exists(*s, cluster_db)) {
            require(*s, snapshot_db);
            copy_schema(*s, snapshot_db, cluster_db);
        }
        ensure_master(*s, cluster_db, master_user, master_password);
        log::info("data_plane.restore", {{"engine", "mysql"}, {"from", snapshot_db}, {"to", cluster_db},
                                         {"owner", master_user}});
    }

    void rename_database(const std::string& from, const std::string& to) override {
        auto s = connect();
        const bool from_exists = exists(*s, from);
        const bool to_exists = exists(*s, to);
        if (!from_exists && to_exists) {
            return;
        }
        if (from_exists && to_exists) {
            throw Error(ErrorCode::already_exists, "data plane: cannot rename schema '" + from + "': '" + to + "' exists");
        }
        require(*s, from);
        // MySQL has no RENAME DATABASE: create the new schema and move every table into it
        // (https://dev.mysql.com/doc/refman/8.0/en/rename-table.html), then move the schema-level grants.
        s->execute("CREATE DATABASE " + s->quote_identifier(to));
        move_tables(*s, from, to);
        move_schema_grants(*s, from, to);
        s->execute("DROP DATABASE " + s->quote_identifier(from));
        log::info("data_plane.rename", {{"engine", "mysql"}, {"from", from}, {"to", to}});
    }

    void drop_database(const std::string& db) override {
        auto s = connect();
        move_schema_grants(*s, db, {});
        s->execute("DROP DATABASE IF EXISTS " + s->quote_identifier(db));
        log::info("data_plane.drop", {{"engine", "mysql"}, {"database", db}});
    }

    void set_password(const std::string& user, const std::string& password) override {
        auto s = connect();
        dbsetup::User u;
        u.name = user;
        s->ensure_user(u, password);
    }

    bool database_exists(const std::string& db) override {
        auto s = connect();
        return exists(*s, db);
    }

private:
    std::unique_ptr<MysqlSession> connect() const { return std::make_unique<MysqlSession>(admin_); }

    static bool exists(MysqlSession& s, const std::string& db) {
        return !s.execute("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = " + s.quote_literal(db)).rows.empty();
    }

    static void require(MysqlSession& s, const std::string& db) {
        if (!exists(s, db)) {
            throw Error(ErrorCode::not_found, "data plane: schema '" + db + "' does not exist");
        }
    }

    static std::vector<std::string> tables_of(MysqlSession& s, const std::string& db) {
        std::vector<std::string> out;
        const auto r = s.execute("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = " +
                                 s.quote_literal(db) + " AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME");
        for (const auto& row : r.rows) {
            out.push_back(row[0].value_or(""));
        }
        return out;
    }

    // The master login, as RDS creates it: all privileges on its schema with GRANT OPTION, plus CREATE USER
    // and SELECT on the mysql schema so the database setup step can create roles and users, make roles
    // default and read grants, as the Aurora master does.
    static void ensure_master(MysqlSession& s, const std::string& db, const std::string& user, const std::string& password) {
        dbsetup::User u;
        u.name = user;
        s.ensure_user(u, password);
        const std::string acct = s.account(user);
        s.execute("GRANT ALL PRIVILEGES ON " + s.grant_database(db) + ".* TO " + acct + " WITH GRANT OPTION");
        s.execute("GRANT CREATE USER ON *.* TO " + acct);
        s.execute("GRANT SELECT, UPDATE ON `mysql`.* TO " + acct);
    }

    // Copies every base table of `from` into a new schema `to`: into a staging schema first, then one
    // atomic RENAME TABLE, so `to` never exists half-copied (snapshot_database treats "exists" as done).
    static void copy_schema(MysqlSession& s, const std::string& from, const std::string& to) {
        const std::string staging = to.substr(0, 52) + "_ars_staging";
        s.execute("DROP DATABASE IF EXISTS " + s.quote_identifier(staging));
        s.execute("CREATE DATABASE " + s.quote_identifier(staging));
        s.execute("SET SESSION foreign_key_checks = 0");
        for (const auto& t : tables_of(s, from)) {
            const std::string src = s.quote_identifier(from) + "." + s.quote_identifier(t);
            const std::string dst = s.quote_identifier(staging) + "." + s.quote_identifier(t);
            s.execute("CREATE TABLE " + dst + " LIKE " + src);
            s.execute("INSERT INTO " + dst + " SELECT * FROM " + src);
        }
        s.execute("SET SESSION foreign_key_checks = 1");
        s.execute("CREATE DATABASE " + s.quote_identifier(to));
        move_tables(s, staging, to);
        s.execute("DROP DATABASE " + s.quote_identifier(staging));
    }

    static void move_tables(MysqlSession& s, const std::string& from, const std::string& to) {
        std::string renames;
        for (const auto& t : tables_of(s, from)) {
            renames += renames.empty() ? "" : ", ";
            renames += s.quote_identifier(from) + "." + s.quote_identifier(t) + " TO " + s.quote_identifier(to) + "." +
                       s.quote_identifier(t);
        }
        if (!renames.empty()) {
            s.execute("RENAME TABLE " + renames);
        }
    }

    // Schema-level grants on `from` (mysql.db) are re-granted on `to` (when not empty) and revoked on
    // `from`: DROP DATABASE leaves them behind, and a later schema of the same name would inherit them.
    static void move_schema_grants(MysqlSession& s, const std::string& from, const std::string& to) {
        const std::string pattern = dbsetup::escape_grant_database(from);
        const auto holders = s.execute("SELECT DISTINCT User, Host FROM mysql.db WHERE Db IN (" + s.quote_literal(from) +
                                       ", " + s.quote_literal(pattern) + ")");
        for (const auto& row : holders.rows) {
            const std::string user = row[0].value_or("");
            const std::string host = row[1].value_or("");
            // MariaDB stores roles with an empty host.
            const std::string grantee = host.empty() ? s.quote_identifier(user) : s.account(user, host);
            for (const auto& line : s.execute("SHOW GRANTS FOR " + grantee).rows) {
                const std::string text = line[0].value_or("");
                const auto g = dbsetup::parse_show_grants_line(text);
                if (!g || g->table != "*" || (g->db != from && g->db != pattern) || g->privileges.empty()) {
                    continue;
                }
                if (!to.empty()) {
                    std::string privs;
                    for (const auto& p : g->privileges) {
                        privs += (privs.empty() ? "" : ", ") + p; // keywords from SHOW GRANTS
                    }
                    const bool grant_option = text.find("WITH GRANT OPTION") != std::string::npos;
                    s.execute("GRANT " + privs + " ON " + s.grant_database(to) + ".* TO " + grantee +
                              (grant_option ? " WITH GRANT OPTION" : ""));
                }
                const std::string on_from = " ON " + s.quote_identifier(g->db) + ".* FROM " + grantee;
                s.execute("REVOKE ALL PRIVILEGES" + on_from);
                if (text.find("WITH GRANT OPTION") != std::string::npos) {
                    s.execute("REVOKE GRANT OPTION" + on_from);
                }
                break;
            }
        }
    }

    ConnectionParams admin_;
};

} // namespace

std::unique_ptr<DataPlane> make_mysql_data_plane(const dbsetup::ConnectionParams& admin) {
    return std::make_unique<MysqlDataPlane>(admin);
}

} // namespace aurora::sandbox
