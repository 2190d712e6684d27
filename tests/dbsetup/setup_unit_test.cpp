// apply_database_setup()'s checks that run before any connection (no server needed: the host is never dialled).
#include "common/error.hpp"
#include "dbsetup/setup.hpp"

#include <gtest/gtest.h>

namespace aurora::dbsetup {
namespace {

DatabaseSpec spec() {
    return parse_database_spec(nlohmann::json::parse(R"({
      "name": "orders",
      "roles": {"readonly": {"grants": [{"privileges": ["SELECT"], "tables_in_schema": "public"}]}},
      "users": [{"name": "app", "roles": ["readonly"]}, {"name": "analyst", "roles": ["readonly"]}]
    })"));
}

ConnectionParams master() {
    ConnectionParams p;
    p.host = "203.0.113.1"; // TEST-NET-3: never reached, every case fails before connecting
    p.user = "postgres";
    p.password = "master-pw-123";
    p.connect_timeout_seconds = 1;
    return p;
}

std::string error_of(const DatabaseSpec& s, const ConnectionParams& m, const SetupInput& input) {
    auto driver = make_driver(Engine::postgres);
    try {
        apply_database_setup(*driver, m, s, input);
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_request) << e.message();
        return e.message();
    }
    return "no error";
}

TEST(SetupChecks, EveryUserNeedsAPassword) {
    SetupInput input;
    input.passwords["app"] = "app-pw-123";
    EXPECT_EQ(error_of(spec(), master(), input), "database.users[1]: no password supplied for user 'analyst'");
    input.passwords["analyst"] = "";
    EXPECT_EQ(error_of(spec(), master(), input), "database.users[1]: no password supplied for user 'analyst'");
}

TEST(SetupChecks, TheMasterIsNeitherAUserNorARole) {
    SetupInput input;
    input.passwords = {{"app", "app-pw-123"}, {"analyst", "analyst-pw-123"}};
    ConnectionParams m = master();
    m.user = "analyst";
    EXPECT_EQ(error_of(spec(), m, input), "database.users[1]: 'analyst' is the master user");
    m.user = "readonly";
    EXPECT_EQ(error_of(spec(), m, input), "database.roles.readonly: is the master user's name");
}

TEST(SetupChecks, PrivilegesAreCheckedForTheDriversEngine) {
    auto s = parse_database_spec(nlohmann::json::parse(R"({
      "roles": {"r": {"grants": [{"privileges": ["SHOW VIEW"], "tables_in_schema": "public"}]}}})"));
    EXPECT_NE(error_of(s, master(), {}).find("database.roles.r.grants[0].privileges: unknown privilege 'SHOW VIEW'"),
              std::string::npos);
}

TEST(SetupPlan, ListsEveryStepInOrderWithoutConnecting) {
    auto s = parse_database_spec(nlohmann::json::parse(R"({
      "name": "orders",
      "roles": {"readonly": {"grants": [{"privileges": ["SELECT"], "tables": ["public.a", "b"]}]}},
      "users": [{"name": "app", "password_secret": "staging/app", "roles": ["readonly"]}],
      "sanitize": ["sql/mask.sql"]
    })"));
    const auto plan = plan_database_setup(s, Engine::mysql);
    EXPECT_EQ(plan["engine"], "mysql");
    ASSERT_EQ(plan["steps"].size(), 4u);
    EXPECT_EQ(plan["steps"][0]["action"], "run_script");
    EXPECT_EQ(plan["steps"][1]["action"], "ensure_role");
    EXPECT_EQ(plan["steps"][1]["grants"][0]["tables"], nlohmann::json({"public.a", "b"}));
    EXPECT_EQ(plan["steps"][2]["password_secret"], "staging/app");
    EXPECT_EQ(plan["steps"][2]["host"], "%");
    EXPECT_EQ(plan["steps"][3]["action"], "verify_login");
    EXPECT_THROW(plan_database_setup(parse_database_spec(nlohmann::json::parse(R"({
      "roles": {"r": {"grants": [{"privileges": ["TRUNCATE"], "tables_in_schema": "x"}]}}})")), Engine::mysql),
                 Error);
}

TEST(SetupReport, JsonHasEverySection) {
    SetupReport r;
    r.engine = "postgres";
    r.roles.push_back({"readonly", Change::created, {"grant select on all tables in schema public"}});
    r.users.push_back({"app", Change::altered, {"grant role readonly"}});
    r.scripts.push_back({"mask.sql", {{2, "UPDATE t SET a = 1", 3}}, 3});
    r.verified.push_back({"app", {"login as app"}});
    const auto j = r.to_json();
    EXPECT_EQ(j["roles"][0]["change"], "created");
    EXPECT_EQ(j["users"][0]["change"], "altered");
    EXPECT_EQ(j["scripts"][0]["statements"][0]["affected_rows"], 3);
    EXPECT_EQ(j["verified"][0]["checks"][0], "login as app");
}

} // namespace
} // namespace aurora::dbsetup
