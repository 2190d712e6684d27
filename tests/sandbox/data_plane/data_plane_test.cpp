// One contract suite for both data planes: compiled once per engine with AURORA_DATA_PLANE_URL_VAR naming the
// environment variable that holds the server's admin URL (labels: postgres, mariadb).
#include "common/error.hpp"
#include "dbsetup/driver.hpp"
#include "dbsetup/setup.hpp"
#include "sandbox/data_plane/data_plane.hpp"
#include "support/requirements.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <random>

namespace aurora::sandbox {
namespace {

using dbsetup::ConnectionParams;
using dbsetup::Engine;

std::string suffix() {
    std::random_device rd;
    char buf[9];
    std::snprintf(buf, sizeof buf, "%08x", std::uniform_int_distribution<unsigned>(0, 0xffffffffu)(rd));
    return buf;
}

std::vector<std::string> rows_of(dbsetup::Session& s, const std::string& sql) {
    std::vector<std::string> out;
    for (const auto& row : s.execute(sql).rows) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            line += (i == 0 ? "" : "|") + row[i].value_or("NULL");
        }
        out.push_back(line);
    }
    return out;
}

ErrorCode code_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.code();
    }
    return ErrorCode::internal;
}

class DataPlaneContract : public ::testing::Test {
protected:
    void SetUp() override {
        AURORA_REQUIRE_ENV(url, AURORA_DATA_PLANE_URL_VAR, "a database server (scripts/services.sh start)");
        const auto parsed = dbsetup::parse_connection_url(url);
        engine_ = parsed.engine;
        admin_ = parsed.params;
        dp_ = open_data_plane(url);
        const auto sfx = suffix();
        cluster_ = database_name_for('c', "dpt-" + sfx);
        snapshot_ = database_name_for('s', "dpt-" + sfx);
        restored_ = database_name_for('c', "dpr-" + sfx);
        renamed_ = database_name_for('c', "dpn-" + sfx);
        source_master_ = "dpm_" + sfx;
        restored_master_ = "dpr_" + sfx;
        app_user_ = "dpa_" + sfx;
        reader_role_ = "dpro_" + sfx;
        source_pw_ = "Src-" + sfx + "-" + suffix();
        restored_pw_ = "Rst-" + sfx + "-" + suffix();
    }

    void TearDown() override {
        if (!dp_) {
            return;
        }
        for (const auto& db : {cluster_, snapshot_, restored_, renamed_}) {
            dp_->drop_database(db);
        }
        auto admin = dbsetup::make_driver(engine_)->connect(admin_);
        if (engine_ == Engine::postgres) {
            for (const auto& r : {app_user_, reader_role_, source_master_, restored_master_}) {
                admin->execute("DROP ROLE IF EXISTS " + admin->quote_identifier(r));
            }
            return;
        }
        for (const auto& u : {app_user_, source_master_, restored_master_}) {
            admin->execute("DROP USER IF EXISTS " + admin->quote_literal(u) + "@'%'");
        }
        admin->execute("DROP ROLE IF EXISTS " + admin->quote_identifier(reader_role_));
    }

    std::unique_ptr<dbsetup::Session> login(const std::string& user, const std::string& password, const std::string& db) {
        ConnectionParams p = admin_;
        p.user = user;
        p.password = password;
        p.database = db;
        return dbsetup::make_driver(engine_)->connect(p);
    }

    // A cluster with three rows, snapshotted, then changed after the snapshot.
    void seed_and_snapshot() {
        dp_->create_cluster_database(cluster_, source_master_, source_pw_);
        auto m = login(source_master_, source_pw_, cluster_);
        m->execute("CREATE TABLE items (id int PRIMARY KEY, name varchar(50))");
        m->execute("INSERT INTO items VALUES (1, 'one'), (2, 'two'), (3, 'three')");
        // PostgreSQL's CREATE DATABASE … TEMPLATE ends the source's sessions: reconnect afterwards.
        m.reset();
        dp_->snapshot_database(cluster_, snapshot_);
        m = login(source_master_, source_pw_, cluster_);
        m->execute("INSERT INTO items VALUES (4, 'after the snapshot')");
    }

    Engine engine_ = Engine::postgres;
    ConnectionParams admin_;
    std::unique_ptr<DataPlane> dp_;
    std::string cluster_, snapshot_, restored_, renamed_, source_master_, restored_master_, app_user_, reader_role_;
    std::string source_pw_, restored_pw_;
};

TEST_F(DataPlaneContract, DescribesItself) {
    EXPECT_EQ(dp_->engine_family(), engine_ == Engine::postgres ? "aurora-postgresql" : "aurora-mysql");
    EXPECT_EQ(dp_->endpoint().host, admin_.host);
    EXPECT_EQ(dp_->endpoint().port, admin_.port);
}

TEST_F(DataPlaneContract, SnapshotThenRestoreCopiesTheRowsAndTheMasterOwnsThem) {
    seed_and_snapshot();
    EXPECT_TRUE(dp_->database_exists(snapshot_));
    dp_->restore_database(snapshot_, restored_, restored_master_, restored_pw_);
    auto m = login(restored_master_, restored_pw_, restored_);
    EXPECT_EQ(rows_of(*m, "SELECT id, name FROM items ORDER BY id"),
              (std::vector<std::string>{"1|one", "2|two", "3|three"}));
    // The master owns what it restored: it can write, alter and create.
    EXPECT_EQ(m->execute("INSERT INTO items VALUES (5, 'five')").affected_rows, 1);
    EXPECT_NO_THROW(m->execute("ALTER TABLE items ADD COLUMN note varchar(10)"));
    EXPECT_NO_THROW(m->execute("CREATE TABLE extra (a int)"));
    // The source is untouched.
    auto src = login(source_master_, source_pw_, cluster_);
    EXPECT_EQ(rows_of(*src, "SELECT count(*) FROM items"), std::vector<std::string>{"4"});
}

TEST_F(DataPlaneContract, EveryOperationIsIdempotent) {
    dp_->create_cluster_database(cluster_, source_master_, source_pw_);
    auto m = login(source_master_, source_pw_, cluster_);
    m->execute("CREATE TABLE items (id int PRIMARY KEY, name varchar(50))");
    m->execute("INSERT INTO items VALUES (1, 'one')");
    m.reset();
    dp_->create_cluster_database(cluster_, source_master_, source_pw_);
    dp_->snapshot_database(cluster_, snapshot_);
    dp_->snapshot_database(cluster_, snapshot_);
    dp_->restore_database(snapshot_, restored_, restored_master_, restored_pw_);
    dp_->restore_database(snapshot_, restored_, restored_master_, restored_pw_);
    auto r = login(restored_master_, restored_pw_, restored_);
    EXPECT_EQ(rows_of(*r, "SELECT id, name FROM items"), std::vector<std::string>{"1|one"});
    r.reset();
    dp_->rename_database(restored_, renamed_);
    dp_->rename_database(restored_, renamed_);
    dp_->drop_database(renamed_);
    dp_->drop_database(renamed_);
    EXPECT_FALSE(dp_->database_exists(renamed_));
    EXPECT_FALSE(dp_->database_exists(restored_));
    m = login(source_master_, source_pw_, cluster_);
    EXPECT_EQ(rows_of(*m, "SELECT count(*) FROM items"), std::vector<std::string>{"1"});
}

TEST_F(DataPlaneContract, RenameKeepsRowsAndTheMasterLogin) {
    seed_and_snapshot();
    dp_->restore_database(snapshot_, restored_, restored_master_, restored_pw_);
    dp_->rename_database(restored_, renamed_);
    EXPECT_FALSE(dp_->database_exists(restored_));
    EXPECT_TRUE(dp_->database_exists(renamed_));
    auto m = login(restored_master_, restored_pw_, renamed_);
    EXPECT_EQ(rows_of(*m, "SELECT count(*) FROM items"), std::vector<std::string>{"3"});
    EXPECT_EQ(m->execute("INSERT INTO items VALUES (9, 'nine')").affected_rows, 1);
    m.reset();
    EXPECT_EQ(code_of([&] { dp_->rename_database(cluster_ + "_gone", renamed_ + "_gone"); }), ErrorCode::not_found);
    EXPECT_EQ(code_of([&] { dp_->rename_database(cluster_, renamed_); }), ErrorCode::already_exists);
}

TEST_F(DataPlaneContract, DropRemovesTheDatabase) {
    seed_and_snapshot();
    dp_->drop_database(cluster_);
    EXPECT_FALSE(dp_->database_exists(cluster_));
    EXPECT_TRUE(dp_->database_exists(snapshot_));
    EXPECT_EQ(code_of([&] { dp_->restore_database(cluster_, restored_, restored_master_, restored_pw_); }),
              ErrorCode::not_found);
    EXPECT_EQ(code_of([&] { dp_->snapshot_database(cluster_, snapshot_ + "_x"); }), ErrorCode::not_found);
}

TEST_F(DataPlaneContract, SetPasswordChangesTheMasterLogin) {
    dp_->create_cluster_database(cluster_, source_master_, source_pw_);
    const std::string next = source_pw_ + "-rotated";
    dp_->set_password(source_master_, next);
    EXPECT_NO_THROW(login(source_master_, next, cluster_));
    EXPECT_EQ(code_of([&] { login(source_master_, source_pw_, cluster_); }), ErrorCode::access_denied);
}

// The pipeline's database setup step, run as the restored cluster's master: what the sandbox demo does.
TEST_F(DataPlaneContract, TheDatabaseSetupStepRunsAsTheRestoredMaster) {
    seed_and_snapshot();
    dp_->restore_database(snapshot_, restored_, restored_master_, restored_pw_);
    const std::string schema = engine_ == Engine::postgres ? "public" : restored_;
    nlohmann::json spec = {
        {"name", restored_},
        {"roles", {{reader_role_, {{"grants", {{{"privileges", {"SELECT"}}, {"tables_in_schema", schema}}}}}}}},
        {"users", {{{"name", app_user_}, {"roles", {reader_role_}}}}}};
    ConnectionParams master = admin_;
    master.user = restored_master_;
    master.password = restored_pw_;
    master.database = restored_;
    dbsetup::SetupInput input;
    input.passwords[app_user_] = "App-" + suffix() + suffix();
    input.scripts = {{"mask.sql", "UPDATE items SET name = 'masked'"}};
    auto driver = dbsetup::make_driver(engine_);
    const auto report = dbsetup::apply_database_setup(*driver, master, dbsetup::parse_database_spec(spec, engine_), input);
    ASSERT_EQ(report.verified.size(), 1u);
    EXPECT_EQ(report.scripts[0].affected_rows, 3);
    auto app = login(app_user_, input.passwords[app_user_], engine_ == Engine::postgres ? restored_ : std::string{});
    const std::string table = engine_ == Engine::postgres ? "items" : app->quote_identifier(restored_) + ".items";
    EXPECT_EQ(rows_of(*app, "SELECT DISTINCT name FROM " + table), std::vector<std::string>{"masked"});
}

#ifdef AURORA_DATA_PLANE_POSTGRES
// PostgreSQL only (the MySQL data plane copies base tables only): the restored master owns every schema,
// table, view and sequence, including those the source master created outside `public`.
TEST_F(DataPlaneContract, RestoredMasterOwnsSchemasViewsAndSequences) {
    dp_->create_cluster_database(cluster_, source_master_, source_pw_);
    {
        auto m = login(source_master_, source_pw_, cluster_);
        m->execute("CREATE SCHEMA app");
        m->execute("CREATE TABLE app.orders (id serial PRIMARY KEY, total int)");
        m->execute("INSERT INTO app.orders (total) VALUES (10), (20)");
        m->execute("CREATE SEQUENCE app.invoice_no");
        m->execute("CREATE VIEW app.big_orders AS SELECT * FROM app.orders WHERE total > 15");
        m->execute("CREATE MATERIALIZED VIEW app.totals AS SELECT sum(total) AS s FROM app.orders");
    }
    dp_->snapshot_database(cluster_, snapshot_);
    dp_->restore_database(snapshot_, restored_, restored_master_, restored_pw_);
    auto r = login(restored_master_, restored_pw_, restored_);
    EXPECT_EQ(rows_of(*r, "SELECT DISTINCT pg_get_userbyid(c.relowner) FROM pg_class c JOIN pg_namespace n "
                          "ON n.oid = c.relnamespace WHERE n.nspname = 'app'"),
              std::vector<std::string>{restored_master_});
    EXPECT_EQ(rows_of(*r, "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'app'"),
              std::vector<std::string>{restored_master_});
    EXPECT_EQ(r->execute("INSERT INTO app.orders (total) VALUES (30)").affected_rows, 1);
    EXPECT_EQ(rows_of(*r, "SELECT nextval('app.invoice_no')"), std::vector<std::string>{"1"});
    EXPECT_EQ(rows_of(*r, "SELECT count(*) FROM app.big_orders"), std::vector<std::string>{"2"});
    EXPECT_NO_THROW(r->execute("REFRESH MATERIALIZED VIEW app.totals"));
    EXPECT_NO_THROW(r->execute("ALTER VIEW app.big_orders RENAME TO large_orders"));
    EXPECT_NO_THROW(r->execute("DROP SCHEMA app CASCADE"));
}
#endif

TEST_F(DataPlaneContract, UnreachableServerIsAConfigError) {
    std::string url = engine_ == Engine::postgres ? "postgresql" : "mysql";
    url += "://u:pw-unreachable@127.0.0.1:1/db?connect_timeout=2";
    EXPECT_EQ(code_of([&] { open_data_plane(url); }), ErrorCode::config);
}

} // namespace
} // namespace aurora::sandbox
