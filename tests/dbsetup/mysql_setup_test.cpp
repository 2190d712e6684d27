// The database setup step against a real MariaDB server (label: mariadb).
#include "common/error.hpp"
#include "dbsetup/mysql/mysql_driver.hpp"
#include "dbsetup/setup.hpp"
#include "db_test_support.hpp"
#include "support/requirements.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

namespace aurora::dbsetup {
namespace {

using nlohmann::json;
using testing::rows_of;

ErrorCode code_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.code();
    }
    return ErrorCode::internal;
}

class MysqlSetup : public ::testing::Test {
protected:
    void SetUp() override {
        AURORA_REQUIRE_ENV(url, "AURORA_TEST_MYSQL_URL", "a MariaDB server (scripts/services.sh start)");
        admin_ = parse_connection_url(url).params;
        admin_.database.clear();
        const auto sfx = testing::unique_suffix();
        db_ = "dbs_" + sfx;
        restricted_ = "dbr_" + sfx;
        master_ = "m_" + sfx;
        rw_ = "rw_" + sfx;
        ro_ = "ro_" + sfx;
        aud_ = "aud_" + sfx;
        app_ = "app_" + sfx;
        analyst_ = "an_" + sfx;
        auditor_ = "au_" + sfx;
        master_pw_ = testing::unique_password("master");
        input_.passwords = {{app_, testing::unique_password("app")},
                            {analyst_, testing::unique_password("analyst")},
                            {auditor_, testing::unique_password("auditor")}};
        MysqlSession admin(admin_);
        created_ = true;
        for (const auto& db : {db_, restricted_}) {
            admin.execute("CREATE DATABASE " + admin.quote_identifier(db));
        }
        // The master login as Aurora MySQL's: all on its schemas, CREATE USER, and the mysql schema for
        // SHOW GRANTS FOR / SET DEFAULT ROLE FOR.
        User m;
        m.name = master_;
        admin.ensure_user(m, master_pw_);
        const std::string acct = admin.account(master_);
        for (const auto& db : {db_, restricted_}) {
            admin.execute("GRANT ALL PRIVILEGES ON " + admin.grant_database(db) + ".* TO " + acct + " WITH GRANT OPTION");
        }
        admin.execute("GRANT CREATE USER ON *.* TO " + acct);
        admin.execute("GRANT SELECT, UPDATE ON `mysql`.* TO " + acct);
        auto s = master_session();
        s->execute("CREATE TABLE customers (id int AUTO_INCREMENT PRIMARY KEY, email varchar(100), name varchar(100)) "
                   "ENGINE=InnoDB");
        s->execute("INSERT INTO customers (email, name) VALUES ('a@corp.com', 'Ann'), ('b@corp.com', 'Bob'), "
                   "('c@corp.com', 'Cy')");
        s->execute("CREATE TABLE " + s->quote_identifier(restricted_) + ".audit (id int) ENGINE=InnoDB");
        s->execute("INSERT INTO " + s->quote_identifier(restricted_) + ".audit VALUES (1)");
    }

    void TearDown() override {
        if (!created_) {
            return;
        }
        MysqlSession admin(admin_);
        for (const auto& db : {db_, restricted_}) {
            admin.execute("DROP DATABASE IF EXISTS " + admin.quote_identifier(db));
        }
        for (const auto& u : {app_, analyst_, auditor_, master_}) {
            admin.execute("DROP USER IF EXISTS " + admin.account(u));
        }
        for (const auto& r : {rw_, ro_, aud_, "aurora_roles_" + auditor_}) {
            admin.execute("DROP ROLE IF EXISTS " + admin.quote_identifier(r));
        }
    }

    ConnectionParams master_params() const {
        ConnectionParams p = admin_;
        p.user = master_;
        p.password = master_pw_;
        p.database = db_;
        return p;
    }

    std::unique_ptr<Session> master_session() const { return make_mysql_driver()->connect(master_params()); }

    //! A session as `user`, in the spec's database when `use_db`.
    std::unique_ptr<Session> login(const std::string& user, bool use_db = true) const {
        ConnectionParams p = master_params();
        p.user = user;
        p.password = input_.passwords.at(user);
        p.database.clear();
        auto s = make_mysql_driver()->connect(p);
        if (use_db) {
            s->execute("USE " + s->quote_identifier(db_));
        }
        return s;
    }

    json spec_json() const {
        return {{"name", db_},
                {"roles",
                 {{rw_, {{"grants", {{{"privileges", {"SELECT", "INSERT", "UPDATE", "DELETE"}}, {"tables_in_schema", db_}}}}}},
                  {ro_, {{"grants", {{{"privileges", {"USAGE"}}, {"schema", db_}},
                                     {{"privileges", {"SELECT"}}, {"tables_in_schema", db_}}}}}},
                  {aud_, {{"grants", {{{"privileges", {"SELECT"}}, {"tables", {restricted_ + ".audit"}}}}}}}}},
                {"users",
                 {{{"name", app_}, {"password_secret", "test/app"}, {"roles", {rw_}}},
                  {{"name", analyst_}, {"password_secret", "test/analyst"}, {"roles", {ro_}}},
                  {{"name", auditor_}, {"roles", {aud_}}}}}};
    }

    SetupReport apply(const SetupInput& input, const json& spec) const {
        auto driver = make_mysql_driver();
        return apply_database_setup(*driver, master_params(), parse_database_spec(spec, Engine::mysql), input);
    }
    SetupReport apply(const SetupInput& input) const { return apply(input, spec_json()); }

    std::vector<std::string> grant_state() const {
        MysqlSession admin(admin_);
        std::vector<std::string> out;
        for (const auto& r : {rw_, ro_, aud_}) {
            for (const auto& line : rows_of(admin, "SHOW GRANTS FOR " + admin.quote_identifier(r))) {
                out.push_back(line);
            }
        }
        for (const auto& u : {app_, analyst_, auditor_}) {
            for (const auto& line : rows_of(admin, "SHOW GRANTS FOR " + admin.account(u))) {
                out.push_back(line);
            }
        }
        std::sort(out.begin(), out.end());
        return out;
    }

    ConnectionParams admin_;
    std::string db_, restricted_, master_, rw_, ro_, aud_, app_, analyst_, auditor_, master_pw_;
    SetupInput input_;
    bool created_ = false;
};

TEST_F(MysqlSetup, AppliesTheSpecAndIsIdempotent) {
    const auto first = apply(input_);
    EXPECT_EQ(first.engine, "mysql");
    EXPECT_NE(first.server_version.find("MariaDB"), std::string::npos);
    for (const auto& r : first.roles) {
        EXPECT_EQ(r.change, Change::created) << r.name;
    }
    for (const auto& u : first.users) {
        EXPECT_EQ(u.change, Change::created) << u.name;
    }
    ASSERT_EQ(first.verified.size(), 3u);
    const auto state = grant_state();
    EXPECT_NE(std::find(state.begin(), state.end(), "GRANT `" + ro_ + "` TO `" + analyst_ + "`@`%`"), state.end());
    EXPECT_NE(std::find(state.begin(), state.end(), "SET DEFAULT ROLE `" + ro_ + "` FOR `" + analyst_ + "`@`%`"), state.end());

    const auto second = apply(input_);
    for (const auto& r : second.roles) {
        EXPECT_EQ(r.change, Change::unchanged) << r.name;
        for (const auto& g : r.grants) {
            EXPECT_EQ(g.rfind("revoke", 0), std::string::npos) << g;
        }
    }
    for (const auto& u : second.users) {
        EXPECT_EQ(u.change, Change::altered) << u.name;
    }
    EXPECT_EQ(grant_state(), state);
}

TEST_F(MysqlSetup, EachUserHasExactlyItsGrants) {
    apply(input_);
    auto analyst = login(analyst_);
    EXPECT_EQ(rows_of(*analyst, "SELECT count(*) FROM customers"), std::vector<std::string>{"3"});
    EXPECT_EQ(code_of([&] { analyst->execute("INSERT INTO customers (email) VALUES ('x')"); }), ErrorCode::access_denied);
    EXPECT_EQ(code_of([&] { analyst->execute("DELETE FROM customers"); }), ErrorCode::access_denied);
    EXPECT_EQ(code_of([&] { analyst->execute("CREATE TABLE mine (a int)"); }), ErrorCode::access_denied);

    auto app = login(app_);
    EXPECT_EQ(app->execute("INSERT INTO customers (email) VALUES ('new@corp.com')").affected_rows, 1);
    EXPECT_EQ(app->execute("UPDATE customers SET name = 'N' WHERE email = 'new@corp.com'").affected_rows, 1);
    EXPECT_EQ(app->execute("DELETE FROM customers WHERE email = 'new@corp.com'").affected_rows, 1);
    EXPECT_EQ(code_of([&] { app->execute("DROP TABLE customers"); }), ErrorCode::access_denied);
    const std::string audit = app->quote_identifier(restricted_) + ".audit";
    EXPECT_EQ(code_of([&] { app->execute("SELECT 1 FROM " + audit); }), ErrorCode::access_denied);

    auto auditor = login(auditor_, false);
    EXPECT_EQ(rows_of(*auditor, "SELECT count(*) FROM " + audit), std::vector<std::string>{"1"});
    EXPECT_EQ(code_of([&] { auditor->execute("INSERT INTO " + audit + " VALUES (2)"); }), ErrorCode::access_denied);
    EXPECT_EQ(code_of([&] { auditor->execute("SELECT 1 FROM " + auditor->quote_identifier(db_) + ".customers"); }),
              ErrorCode::access_denied);
    EXPECT_EQ(code_of([&] { auditor->execute("USE " + auditor->quote_identifier(db_)); }), ErrorCode::access_denied);
}

TEST_F(MysqlSetup, RevokesWhatTheSpecNoLongerGrants) {
    apply(input_);
    // As the master: it created the roles, so it holds their admin option.
    MysqlSession m(master_params());
    m.execute("GRANT DELETE, DROP ON " + m.grant_database(db_) + ".* TO " + m.quote_identifier(ro_));
    m.execute("GRANT " + m.quote_identifier(rw_) + " TO " + m.account(analyst_));
    const auto report = apply(input_);
    std::vector<std::string> ro_grants;
    for (const auto& r : report.roles) {
        if (r.name == ro_) {
            ro_grants = r.grants;
        }
    }
    EXPECT_NE(std::find(ro_grants.begin(), ro_grants.end(), "revoke DELETE on " + db_ + ".*"), ro_grants.end());
    EXPECT_NE(std::find(ro_grants.begin(), ro_grants.end(), "revoke DROP on " + db_ + ".*"), ro_grants.end());
    ASSERT_FALSE(report.users[1].memberships.empty());
    EXPECT_EQ(report.users[1].memberships[0], "revoke role " + rw_);
    auto analyst = login(analyst_);
    EXPECT_EQ(code_of([&] { analyst->execute("DELETE FROM customers"); }), ErrorCode::access_denied);
}

TEST_F(MysqlSetup, SanitizeScriptsRunInOneTransactionEach) {
    SetupInput input = input_;
    input.scripts = {{"mask-pii.sql", "# mask e-mails\nUPDATE customers SET email = CONCAT('user', id, '@example.invalid');\n"
                                      "UPDATE customers SET name = 'masked' WHERE name = 'Cy';"}};
    const auto report = apply(input);
    ASSERT_EQ(report.scripts.size(), 1u);
    EXPECT_EQ(report.scripts[0].affected_rows, 4);
    auto m = master_session();
    EXPECT_EQ(rows_of(*m, "SELECT email, name FROM customers ORDER BY id"),
              (std::vector<std::string>{"user1@example.invalid|Ann", "user2@example.invalid|Bob", "user3@example.invalid|masked"}));

    input.scripts = {{"broken.sql", "UPDATE customers SET name = 'gone';\nINSERT INTO no_such_table VALUES (1);"}};
    try {
        apply(input);
        FAIL() << "expected the script to fail";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::database);
        EXPECT_NE(e.message().find("sanitize script 'broken.sql' failed at line 2"), std::string::npos) << e.message();
        EXPECT_NE(e.message().find("no_such_table"), std::string::npos) << e.message();
    }
    EXPECT_EQ(rows_of(*m, "SELECT count(*) FROM customers WHERE name = 'gone'"), std::vector<std::string>{"0"});
}

TEST_F(MysqlSetup, MariadbUserWithTwoRolesGetsAnAggregateDefaultRole) {
    auto spec = spec_json();
    spec["users"][2]["roles"] = {ro_, aud_};
    const auto report = apply(input_, spec);
    const std::string aggregate = "aurora_roles_" + auditor_;
    EXPECT_NE(std::find(report.users[2].memberships.begin(), report.users[2].memberships.end(),
                        "default role " + aggregate),
              report.users[2].memberships.end());
    auto auditor = login(auditor_);
    EXPECT_EQ(rows_of(*auditor, "SELECT CURRENT_ROLE()"), std::vector<std::string>{aggregate});
    EXPECT_EQ(rows_of(*auditor, "SELECT count(*) FROM customers"), std::vector<std::string>{"3"});
    EXPECT_EQ(rows_of(*auditor, "SELECT count(*) FROM " + auditor->quote_identifier(restricted_) + ".audit"),
              std::vector<std::string>{"1"});
    // Idempotent, and back to one role: the aggregate is dropped from the user and it gets the role itself.
    const auto again = apply(input_, spec);
    EXPECT_EQ(again.users[2].memberships, std::vector<std::string>{"default role " + aggregate});
    apply(input_);
    auditor = login(auditor_, false);
    EXPECT_EQ(rows_of(*auditor, "SELECT CURRENT_ROLE()"), std::vector<std::string>{aud_});
    EXPECT_EQ(code_of([&] { auditor->execute("SELECT 1 FROM " + auditor->quote_identifier(db_) + ".customers"); }),
              ErrorCode::access_denied);
}

TEST_F(MysqlSetup, SecretsNeverReachLogsReportsOrErrors) {
    testing::LogCapture capture;
    std::string errors;
    SetupInput input = input_;
    input.scripts = {{"leak.sql", "UPDATE customers SET name = '" + input_.passwords.at(app_) + "' WHERE nope = 1"}};
    try {
        apply(input);
    } catch (const Error& e) {
        errors += e.display() + "\n";
    }
    const auto report = apply(input_);
    ConnectionParams bad = master_params();
    bad.password = master_pw_ + "-wrong";
    try {
        make_mysql_driver()->connect(bad);
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::access_denied);
        errors += e.display() + "\n";
    }
    const std::string everything = capture.text() + report.to_json().dump() + errors;
    EXPECT_NE(errors.find("leak.sql"), std::string::npos);
    for (const auto& secret : {master_pw_, input_.passwords.at(app_), input_.passwords.at(analyst_),
                               input_.passwords.at(auditor_)}) {
        EXPECT_EQ(everything.find(secret), std::string::npos) << "secret leaked in:\n" << everything;
    }
}

TEST_F(MysqlSetup, TlsModesAreEnforced) {
    ConnectionParams p = master_params();
    p.tls = TlsMode::disable;
    auto plain = make_mysql_driver()->connect(p);
    const bool server_tls = rows_of(*plain, "SHOW VARIABLES LIKE 'have_ssl'") == std::vector<std::string>{"have_ssl|YES"};
    p.tls = TlsMode::require;
    if (server_tls) {
        auto tls = make_mysql_driver()->connect(p);
        const auto cipher = rows_of(*tls, "SHOW SESSION STATUS LIKE 'Ssl_cipher'");
        ASSERT_EQ(cipher.size(), 1u);
        EXPECT_NE(cipher[0], "Ssl_cipher|");
        return;
    }
    // A server without TLS: require never falls back to plain TCP (Connector/C alone would).
    try {
        make_mysql_driver()->connect(p);
        FAIL() << "require connected without tls";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::config);
        EXPECT_NE(e.message().find("does not support tls"), std::string::npos) << e.message();
    }
}

TEST_F(MysqlSetup, QuotesHostileNames) {
    auto m = master_session();
    const std::string hostile = "x`; DROP TABLE customers; -- '" + testing::unique_suffix();
    EXPECT_EQ(m->ensure_role(hostile), Change::created);
    EXPECT_EQ(m->ensure_role(hostile), Change::unchanged);
    EXPECT_EQ(rows_of(*m, "SELECT count(*) FROM customers"), std::vector<std::string>{"3"});
    m->execute("DROP ROLE " + m->quote_identifier(hostile));
    EXPECT_EQ(rows_of(*m, "SELECT " + m->quote_literal("it's a \\ 'test'")), std::vector<std::string>{"it's a \\ 'test'"});
}

} // namespace
} // namespace aurora::dbsetup
