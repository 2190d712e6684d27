#include "common/error.hpp"
#include "common/log.hpp"
#include "dbsetup/postgres/postgres_driver.hpp"
#include "sandbox/data_plane/engines.hpp"

namespace aurora::sandbox {
namespace {

using dbsetup::ConnectionParams;
using dbsetup::PostgresSession;

bool is_sqlstate(const Error& e, const std::string& state) {
    for (const auto& [k, v] : e.fields()) {
        if (k == "sqlstate" && v == state) {
            return true;
        }
    }
    return false;
}

// Relation kinds whose owner is set with their own ALTER form
// (https://www.postgresql.org/docs/15/catalog-pg-class.html).
std::string alter_form(const std::string& relkind) {
    if (relkind == "v") {
        return "ALTER VIEW ";
    }
    if (relkind == "m") {
        return "ALTER MATERIALIZED VIEW ";
    }
    if (relkind == "S") {
        return "ALTER SEQUENCE ";
    }
    if (relkind == "f") {
        return "ALTER FOREIGN TABLE ";
    }
    return "ALTER TABLE ";
}

class PostgresDataPlane final : public DataPlane {
public:
    explicit PostgresDataPlane(ConnectionParams admin) : admin_(std::move(admin)) {
        if (admin_.database.empty()) {
            admin_.database = "postgres";
        }
        try {
            (void)connect(admin_.database);
        } catch (const Error& e) {
            throw Error(ErrorCode::config, "data plane: " + e.message(), e.hint());
        }
    }

    std::string engine_family() const override { return "aurora-postgresql"; }
    DataPlaneEndpoint endpoint() const override { return {admin_.host, admin_.port == 0 ? std::uint16_t{5432} : admin_.port}; }

    void create_cluster_database(const std::string& db, const std::string& master_user,
                                 const std::string& master_password) override {
        auto s = connect(admin_.database);
        ensure_master(*s, master_user, master_password);
        if (!exists(*s, db)) {
            run_create(*s, "CREATE DATABASE " + s->quote_identifier(db) + " OWNER " + s->quote_identifier(master_user), {});
        }
        s->execute("ALTER DATABASE " + s->quote_identifier(db) + " OWNER TO " + s->quote_identifier(master_user));
        log::info("data_plane.create", {{"engine", "postgres"}, {"database", db}, {"owner", master_user}});
    }

    void snapshot_database(const std::string& cluster_db, const std::string& snapshot_db) override {
        auto s = connect(admin_.database);
        if (exists(*s, snapshot_db)) {
            return;
        }
        require(*s, cluster_db);
        run_create(*s, "CREATE DATABASE " + s->quote_identifier(snapshot_db) + " TEMPLATE " + s->quote_identifier(cluster_db),
                   cluster_db);
        // Nobody logs in to a snapshot; refusing connections also keeps it usable as a template at any time.
        s->execute("ALTER DATABASE " + s->quote_identifier(snapshot_db) + " ALLOW_CONNECTIONS false");
        log::info("data_plane.snapshot", {{"engine", "postgres"}, {"from", cluster_db}, {"to", snapshot_db}});
    }

    void restore_database(const std::string& snapshot_db, const std::string& cluster_db, const std::string& master_user,
                          const std::string& master_password) override {
        auto s = connect(admin_.database);
        ensure_master(*s, master_user, master_password);
        if (!exists(*s, cluster_db)) {
            require(*s, snapshot_db);
            run_create(*s,
                       "CREATE DATABASE " + s->quote_identifier(cluster_db) + " TEMPLATE " +
                           s->quote_identifier(snapshot_db) + " OWNER " + s->quote_identifier(master_user),
                       snapshot_db);
        }
        s->execute("ALTER DATABASE " + s->quote_identifier(cluster_db) + " OWNER TO " + s->quote_identifier(master_user));
        s.reset();
        auto in_db = connect(cluster_db);
        transfer_ownership(*in_db, master_user);
        log::info("data_plane.restore", {{"engine", "postgres"}, {"from", snapshot_db}, {"to", cluster_db},
                                         {"owner", master_user}});
    }

    void rename_database(const std::string& from, const std::string& to) override {
        auto s = connect(admin_.database);
        const bool from_exists = exists(*s, from);
        const bool to_exists = exists(*s, to);
        if (!from_exists && to_exists) {
            return;
        }
        if (from_exists && to_exists) {
            throw Error(ErrorCode::already_exists, "data plane: cannot rename database '" + from + "': '" + to + "' exists");
        }
        require(*s, from);
        run_create(*s, "ALTER DATABASE " + s->quote_identifier(from) + " RENAME TO " + s->quote_identifier(to), from);
        log::info("data_plane.rename", {{"engine", "postgres"}, {"from", from}, {"to", to}});
    }

    void drop_database(const std::string& db) override {
        auto s = connect(admin_.database);
        // WITH (FORCE) terminates the database's sessions first (PostgreSQL 13+).
        s->execute("DROP DATABASE IF EXISTS " + s->quote_identifier(db) + " WITH (FORCE)");
        log::info("data_plane.drop", {{"engine", "postgres"}, {"database", db}});
    }

    void set_password(const std::string& user, const std::string& password) override {
        auto s = connect(admin_.database);
        ensure_master(*s, user, password);
    }

    bool database_exists(const std::string& db) override {
        auto s = connect(admin_.database);
        return exists(*s, db);
    }

private:
    std::unique_ptr<PostgresSession> connect(const std::string& db) const {
        ConnectionParams p = admin_;
        p.database = db;
        return std::make_unique<PostgresSession>(p);
    }

    static bool exists(PostgresSession& s, const std::string& db) {
        return !s.execute("SELECT 1 FROM pg_catalog.pg_database WHERE datname = " + s.quote_literal(db)).rows.empty();
    }

    static void require(PostgresSession& s, const std::string& db) {
        if (!exists(s, db)) {
            throw Error(ErrorCode::not_found, "data plane: database '" + db + "' does not exist");
        }
    }

    // The master login, as RDS creates it: LOGIN with a password, and CREATEROLE so the database setup step
    // can create roles and users as the master does on Aurora (rds_superuser).
    static void ensure_master(PostgresSession& s, const std::string& user, const std::string& password) {
        s.ensure_login_role(user, password, "CREATEROLE");
    }

    // CREATE DATABASE … TEMPLATE and ALTER DATABASE … RENAME need the source database free of other
    // sessions: terminate them, and retry when a new one slipped in (SQLSTATE 55006 object_in_use).
    static void run_create(PostgresSession& s, const std::string& sql, const std::string& busy_db) {
        for (int attempt = 1;; ++attempt) {
            if (!busy_db.empty()) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity WHERE datname = " +
                          s.quote_literal(busy_db) + " AND pid <> pg_backend_pid()");
            }
            try {
                s.execute(sql);
                return;
            } catch (const Error& e) {
                if (is_sqlstate(e, "42P04")) { // duplicate_database: a concurrent call won
                    return;
                }
                if (!is_sqlstate(e, "55006") || attempt == 5) {
                    throw;
                }
            }
        }
    }

    // Objects of a restored database belong to the source's owner; hand schemas, tables, views,
    // materialized views, sequences and foreign tables to the new master. REASSIGN OWNED is not used: it
    // also moves shared objects, i.e. the source cluster's own database.
    static void transfer_ownership(PostgresSession& s, const std::string& owner) {
        const std::string owner_ident = s.quote_identifier(owner);
        const std::string owner_lit = s.quote_literal(owner);
        const std::string user_schema = "n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'";
        const auto schemas = s.execute(
            "SELECT n.nspname FROM pg_catalog.pg_namespace n WHERE " + user_schema +
            " AND pg_catalog.pg_get_userbyid(n.nspowner) NOT IN (" + owner_lit + ", 'pg_database_owner')");
        for (const auto& row : schemas.rows) {
            s.execute("ALTER SCHEMA " + s.quote_identifier(row[0].value_or("")) + " OWNER TO " + owner_ident);
        }
        // Sequences owned by a column follow their table and refuse their own ALTER … OWNER.
        const auto relations = s.execute(
            "SELECT n.nspname, c.relname, c.relkind FROM pg_catalog.pg_class c "
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE " + user_schema +
            " AND c.relkind IN ('r','p','v','m','S','f') AND pg_catalog.pg_get_userbyid(c.relowner) <> " + owner_lit +
            " AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = "
            "'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a','i'))) ORDER BY c.relkind DESC");
        for (const auto& row : relations.rows) {
            s.execute(alter_form(row[2].value_or("r")) + s.quote_identifier(row[0].value_or("")) + "." +
                      s.quote_identifier(row[1].value_or("")) + " OWNER TO " + owner_ident);
        }
    }

    ConnectionParams admin_;
};

} // namespace

std::unique_ptr<DataPlane> make_postgres_data_plane(const dbsetup::ConnectionParams& admin) {
    return std::make_unique<PostgresDataPlane>(admin);
}

} // namespace aurora::sandbox
