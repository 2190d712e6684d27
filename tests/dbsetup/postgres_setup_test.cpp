// The database setup step against a real PostgreSQL server (label: postgres).
#include "common/error.hpp"
#include "dbsetup/postgres/postgres_driver.hpp"
#include "dbsetup/setup.hpp"
#include "db_test_support.hpp"
#include "support/requirements.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace aurora::dbsetup {
namespace {

using nlohmann::json;
using testing::rows_of;

class PostgresSetup : public ::testing::Test {
protected:
    void SetUp() override {
        AURORA_REQUIRE_ENV(url, "AURORA_TEST_PG_URL", "a PostgreSQL server (scripts/services.sh start)");
        admin_ = parse_connection_url(url).params;
        const auto sfx = testing::unique_suffix();
        db_ = "dbs_" + sfx;
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
        auto admin = PostgresSession(admin_);
        admin.ensure_login_role(master_, master_pw_, "CREATEROLE");
        admin.execute("CREATE DATABASE " + admin.quote_identifier(db_) + " OWNER " + admin.quote_identifier(master_));
        created_ = true;
        auto m = master_session();
        m->execute("CREATE TABLE public.customers (id serial PRIMARY KEY, email text, name text)");
        m->execute("INSERT INTO public.customers (email, name) VALUES ('a@corp.com', 'Ann'), ('b@corp.com', 'Bob'), "
                   "('c@corp.com', 'Cy')");
        m->execute("CREATE SCHEMA restricted");
        m->execute("CREATE TABLE restricted.audit (id int)");
        m->execute("INSERT INTO restricted.audit VALUES (1)");
    }

    void TearDown() override {
        if (!created_) {
            return;
        }
        auto admin = PostgresSession(admin_);
        admin.execute("DROP DATABASE IF EXISTS " + admin.quote_identifier(db_) + " WITH (FORCE)");
        for (const auto& r : {app_, analyst_, auditor_, rw_, ro_, aud_, master_}) {
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

    std::unique_ptr<Session> master_session() const { return make_postgres_driver()->connect(master_params()); }

    std::unique_ptr<Session> login(const std::string& user) const {
        ConnectionParams p = master_params();
        p.user = user;
        p.password = input_.passwords.at(user);
        return make_postgres_driver()->connect(p);
    }

    json spec_json() const {
        return {{"name", db_},
                {"roles",
                 {{rw_, {{"grants", {{{"privileges", {"USAGE"}}, {"schema", "public"}},
                                     {{"privileges", {"SELECT", "INSERT", "UPDATE", "DELETE"}}, {"tables_in_schema", "public"}}}}}},
                  {ro_, {{"grants", {{{"privileges", {"USAGE"}}, {"schema", "public"}},
                                     {{"privileges", {"SELECT"}}, {"tables_in_schema", "public"}}}}}},
                  {aud_, {{"grants", {{{"privileges", {"USAGE"}}, {"schema", "restricted"}},
                                      {{"privileges", {"SELECT"}}, {"tables", {"restricted.audit"}}},
                                      {{"privileges", {"TEMPORARY"}}, {"database", db_}}}}}}}},
                {"users",
                 {{{"name", app_}, {"password_secret", "test/app"}, {"roles", {rw_}}},
                  {{"name", analyst_}, {"password_secret", "test/analyst"}, {"roles", {ro_}}},
                  {{"name", auditor_}, {"roles", {ro_, aud_}}}}}};
    }

    SetupReport apply(const SetupInput& input) const {
        auto driver = make_postgres_driver();
        return apply_database_setup(*driver, master_params(), parse_database_spec(spec_json(), Engine::postgres), input);
    }

    // Every privilege and membership the spec's roles and users hold, as sorted text.
    std::vector<std::string> grant_state() const {
        auto m = master_session();
        std::string names;
        for (const auto& r : {rw_, ro_, aud_, app_, analyst_, auditor_}) {
            names += (names.empty() ? "" : ",") + m->quote_literal(r);
        }
        return rows_of(*m,
                       "SELECT * FROM ("
                       "SELECT r.rolname || ' ' || c.relname || ' ' || a.privilege_type FROM pg_class c, "
                       "LATERAL aclexplode(c.relacl) a JOIN pg_roles r ON r.oid = a.grantee WHERE r.rolname IN (" + names + ") "
                       "UNION ALL SELECT r.rolname || ' schema ' || n.nspname || ' ' || a.privilege_type FROM pg_namespace n, "
                       "LATERAL aclexplode(n.nspacl) a JOIN pg_roles r ON r.oid = a.grantee WHERE r.rolname IN (" + names + ") "
                       "UNION ALL SELECT u.rolname || ' member of ' || r.rolname FROM pg_auth_members am "
                       "JOIN pg_roles r ON r.oid = am.roleid JOIN pg_roles u ON u.oid = am.member WHERE u.rolname IN (" + names + ") "
                       "UNION ALL SELECT rolname || ' login=' || rolcanlogin FROM pg_roles WHERE rolname IN (" + names + ")"
                       ") x ORDER BY 1");
    }

    ConnectionParams admin_;
    std::string db_, master_, rw_, ro_, aud_, app_, analyst_, auditor_, master_pw_;
    SetupInput input_;
    bool created_ = false;
};

ErrorCode code_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.code();
    }
    return ErrorCode::internal;
}

TEST_F(PostgresSetup, AppliesTheSpecAndIsIdempotent) {
    const auto first = apply(input_);
    EXPECT_EQ(first.engine, "postgres");
    EXPECT_EQ(first.database, db_);
    ASSERT_EQ(first.roles.size(), 3u);
    for (const auto& r : first.roles) {
        EXPECT_EQ(r.change, Change::created) << r.name;
    }
    ASSERT_EQ(first.users.size(), 3u);
    for (const auto& u : first.users) {
        EXPECT_EQ(u.change, Change::created) << u.name;
    }
    ASSERT_EQ(first.verified.size(), 3u);
    EXPECT_EQ(first.verified[0].user, app_);
    const auto state = grant_state();
    EXPECT_NE(std::find(state.begin(), state.end(), analyst_ + " member of " + ro_), state.end());
    EXPECT_NE(std::find(state.begin(), state.end(), rw_ + " customers INSERT"), state.end());
    EXPECT_NE(std::find(state.begin(), state.end(), ro_ + " login=false"), state.end());
    EXPECT_NE(std::find(state.begin(), state.end(), app_ + " login=true"), state.end());

    const auto second = apply(input_);
    for (const auto& r : second.roles) {
        EXPECT_EQ(r.change, Change::unchanged) << r.name;
        for (const auto& g : r.grants) {
            EXPECT_EQ(g.rfind("revoke", 0), std::string::npos) << g;
        }
    }
    for (const auto& u : second.users) {
        EXPECT_EQ(u.change, Change::altered) << u.name;
        EXPECT_TRUE(u.memberships.empty()) << u.name;
    }
    EXPECT_EQ(grant_state(), state);
    EXPECT_EQ(second.to_json()["verified"].size(), 3u);
}

TEST_F(PostgresSetup, EachUserHasExactlyItsGrants) {
    apply(input_);
    auto analyst = login(analyst_);
    EXPECT_EQ(rows_of(*analyst, "SELECT count(*) FROM customers"), std::vector<std::string>{"3"});
    EXPECT_EQ(code_of([&] { analyst->execute("INSERT INTO customers (email) VALUES ('x')"); }), ErrorCode::access_denied);
    EXPECT_EQ(code_of([&] { analyst->execute("DELETE FROM customers"); }), ErrorCode::access_denied);
    EXPECT_EQ(code_of([&] { analyst->execute("CREATE TABLE public.mine (a int)"); }), ErrorCode::access_denied);

    auto app = login(app_);
    EXPECT_EQ(app->execute("INSERT INTO customers (email) VALUES ('new@corp.com')").affected_rows, 1);
    EXPECT_EQ(app->execute("UPDATE customers SET name = 'N' WHERE email = 'new@corp.com'").affected_rows, 1);
    EXPECT_EQ(app->execute("DELETE FROM customers WHERE email = 'new@corp.com'").affected_rows, 1);
    EXPECT_EQ(code_of([&] { app->execute("TRUNCATE customers"); }), ErrorCode::access_denied);
    EXPECT_EQ(code_of([&] { app->execute("SELECT 1 FROM restricted.audit"); }), ErrorCode::access_denied);

    auto auditor = login(auditor_); // two roles: readonly's tables and audit
    EXPECT_EQ(rows_of(*auditor, "SELECT count(*) FROM restricted.audit"), std::vector<std::string>{"1"});
    EXPECT_EQ(rows_of(*auditor, "SELECT count(*) FROM customers"), std::vector<std::string>{"3"});
    EXPECT_NO_THROW(auditor->execute("CREATE TEMPORARY TABLE scratch (a int)"));
    EXPECT_EQ(code_of([&] { auditor->execute("INSERT INTO restricted.audit VALUES (2)"); }), ErrorCode::access_denied);
    EXPECT_EQ(code_of([&] { analyst->execute("SELECT 1 FROM restricted.audit"); }), ErrorCode::access_denied);
}

TEST_F(PostgresSetup, RevokesWhatTheSpecNoLongerGrants) {
    apply(input_);
    auto m = master_session();
    m->execute("GRANT DELETE ON public.customers TO " + m->quote_identifier(ro_));
    m->execute("GRANT CREATE ON SCHEMA public TO " + m->quote_identifier(ro_));
    m->execute("GRANT " + m->quote_identifier(rw_) + " TO " + m->quote_identifier(analyst_));
    const auto report = apply(input_);
    std::vector<std::string> ro_grants;
    for (const auto& r : report.roles) {
        if (r.name == ro_) {
            ro_grants = r.grants;
        }
    }
    EXPECT_NE(std::find(ro_grants.begin(), ro_grants.end(), "revoke DELETE on table public.customers"), ro_grants.end());
    EXPECT_NE(std::find(ro_grants.begin(), ro_grants.end(), "revoke CREATE on schema public"), ro_grants.end());
    EXPECT_EQ(report.users[1].memberships, std::vector<std::string>{"revoke role " + rw_});
    auto analyst = login(analyst_);
    EXPECT_EQ(code_of([&] { analyst->execute("DELETE FROM customers"); }), ErrorCode::access_denied);
}

TEST_F(PostgresSetup, SanitizeScriptsRunInOneTransactionEach) {
    SetupInput input = input_;
    input.scripts = {{"mask-pii.sql", "-- mask e-mails\nUPDATE customers SET email = 'user' || id || '@example.invalid';\n"
                                      "UPDATE customers SET name = 'masked' WHERE name = 'Cy';"}};
    const auto report = apply(input);
    ASSERT_EQ(report.scripts.size(), 1u);
    EXPECT_EQ(report.scripts[0].affected_rows, 4);
    ASSERT_EQ(report.scripts[0].statements.size(), 2u);
    EXPECT_EQ(report.scripts[0].statements[0].line, 2);
    EXPECT_EQ(report.scripts[0].statements[0].affected_rows, 3);
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
        EXPECT_EQ(e.hint(), "the script was rolled back: no statement of it took effect");
    }
    EXPECT_EQ(rows_of(*m, "SELECT count(*) FROM customers WHERE name = 'gone'"), std::vector<std::string>{"0"});

    input.scripts = {{"txn.sql", "BEGIN; UPDATE customers SET name = 'gone'; COMMIT;"}};
    EXPECT_EQ(code_of([&] { apply(input); }), ErrorCode::invalid_request);
    EXPECT_EQ(rows_of(*m, "SELECT count(*) FROM customers WHERE name = 'gone'"), std::vector<std::string>{"0"});
}

TEST_F(PostgresSetup, SecretsNeverReachLogsReportsOrErrors) {
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
        make_postgres_driver()->connect(bad);
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::access_denied);
        errors += e.display() + "\n";
    }
    const std::string everything = capture.text() + report.to_json().dump() + errors;
    EXPECT_NE(capture.text().find("dbsetup.user"), std::string::npos);
    EXPECT_NE(errors.find("leak.sql"), std::string::npos);
    for (const auto& secret : {master_pw_, input_.passwords.at(app_), input_.passwords.at(analyst_),
                               input_.passwords.at(auditor_)}) {
        EXPECT_EQ(everything.find(secret), std::string::npos) << "secret leaked in:\n" << everything;
    }
}

TEST_F(PostgresSetup, AMissingPasswordIsRefusedBeforeAnyChange) {
    SetupInput input = input_;
    input.passwords.erase(analyst_);
    try {
        apply(input);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_request);
        EXPECT_EQ(e.message(), "database.users[1]: no password supplied for user '" + analyst_ + "'");
    }
    auto m = master_session();
    EXPECT_TRUE(rows_of(*m, "SELECT 1 FROM pg_roles WHERE rolname = " + m->quote_literal(rw_)).empty());
}

TEST_F(PostgresSetup, ConnectionErrorsAreTyped) {
    ConnectionParams p = master_params();
    p.password = "definitely-wrong";
    EXPECT_EQ(code_of([&] { make_postgres_driver()->connect(p); }), ErrorCode::access_denied);
    // A port nobody listens on: bind port 0, read it, close.
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    socklen_t len = sizeof addr;
    ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
    ::close(fd);
    p = master_params();
    p.host = "127.0.0.1";
    p.port = ntohs(addr.sin_port);
    try {
        make_postgres_driver()->connect(p);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::network);
        EXPECT_NE(e.hint().find("VPC"), std::string::npos);
    }
}

TEST_F(PostgresSetup, TlsModesAreEnforced) {
    ConnectionParams p = master_params();
    p.tls = TlsMode::disable;
    auto plain = make_postgres_driver()->connect(p);
    EXPECT_EQ(rows_of(*plain, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"), std::vector<std::string>{"f"});
    const bool server_tls = rows_of(*plain, "SHOW ssl") == std::vector<std::string>{"on"};
    p.tls = TlsMode::require;
    if (server_tls) {
        auto tls = make_postgres_driver()->connect(p);
        EXPECT_EQ(rows_of(*tls, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"), std::vector<std::string>{"t"});
        return;
    }
    // A server without TLS: require never falls back to plain TCP.
    try {
        make_postgres_driver()->connect(p);
        FAIL() << "require connected without tls";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::config);
        EXPECT_NE(e.message().find("SSL"), std::string::npos) << e.message();
    }
}

TEST_F(PostgresSetup, QuotesHostileNames) {
    // A role name that would break out of naive quoting is created verbatim.
    auto m = master_session();
    const std::string hostile = "x\"; DROP TABLE customers; --" + testing::unique_suffix();
    EXPECT_EQ(m->ensure_role(hostile), Change::created);
    EXPECT_EQ(m->ensure_role(hostile), Change::unchanged);
    EXPECT_EQ(rows_of(*m, "SELECT count(*) FROM customers"), std::vector<std::string>{"3"});
    m->execute("DROP ROLE " + m->quote_identifier(hostile));
}

} // namespace
} // namespace aurora::dbsetup
