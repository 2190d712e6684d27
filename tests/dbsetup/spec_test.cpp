#include "common/error.hpp"
#include "dbsetup/spec.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

namespace aurora::dbsetup {
namespace {

using nlohmann::json;

// The `database:` section of design.md's request example, as JSON.
json design_example() {
    return json::parse(R"({
      "name": "orders",
      "master_password_secret": "staging/orders/master",
      "roles": {
        "readwrite": {"grants": [
          {"privileges": ["USAGE"], "schema": "public"},
          {"privileges": ["SELECT", "INSERT", "UPDATE", "DELETE"], "tables_in_schema": "public"}]},
        "readonly": {"grants": [
          {"privileges": ["USAGE"], "schema": "public"},
          {"privileges": ["SELECT"], "tables_in_schema": "public"}]}
      },
      "users": [
        {"name": "app", "password_secret": "staging/orders/app", "roles": ["readwrite"]},
        {"name": "analyst", "password_secret": "staging/orders/analyst", "roles": ["readonly"]}
      ],
      "sanitize": ["sql/mask-pii.sql"]
    })");
}

std::string error_of(const json& section, std::optional<Engine> engine = std::nullopt) {
    try {
        parse_database_spec(section, engine);
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_request);
        return e.message();
    }
    return "no error";
}

TEST(Spec, ParsesTheDesignExample) {
    const auto spec = parse_database_spec(design_example(), Engine::postgres);
    EXPECT_EQ(spec.name, "orders");
    EXPECT_EQ(spec.master_password_secret, "staging/orders/master");
    ASSERT_EQ(spec.roles.size(), 2u);
    const Role* rw = spec.find_role("readwrite");
    ASSERT_NE(rw, nullptr);
    ASSERT_EQ(rw->grants.size(), 2u);
    EXPECT_EQ(rw->grants[0].target, GrantTarget::schema);
    EXPECT_EQ(rw->grants[0].object, "public");
    EXPECT_EQ(rw->grants[1].target, GrantTarget::tables_in_schema);
    EXPECT_EQ(rw->grants[1].privileges, (std::vector<std::string>{"SELECT", "INSERT", "UPDATE", "DELETE"}));
    ASSERT_EQ(spec.users.size(), 2u);
    EXPECT_EQ(spec.users[1].name, "analyst");
    EXPECT_EQ(spec.users[1].password_secret, "staging/orders/analyst");
    EXPECT_EQ(spec.users[1].roles, std::vector<std::string>{"readonly"});
    EXPECT_EQ(spec.users[1].host, "%");
    ASSERT_EQ(spec.sanitize.size(), 1u);
    EXPECT_EQ(spec.sanitize[0].path, "sql/mask-pii.sql");
    // The same section is valid on MySQL (USAGE and SELECT exist there too).
    EXPECT_NO_THROW(parse_database_spec(design_example(), Engine::mysql));
}

TEST(Spec, UnknownPrivilegeNamesTheField) {
    auto j = design_example();
    j["roles"]["readonly"]["grants"][1]["privileges"] = {"SELEKT"};
    EXPECT_EQ(error_of(j).rfind("database.roles.readonly.grants[1].privileges: unknown privilege 'SELEKT'", 0), 0u)
        << error_of(j);
    EXPECT_EQ(error_of(j, Engine::postgres)
                  .rfind("database.roles.readonly.grants[1].privileges: unknown privilege 'SELEKT'", 0),
              0u);
}

TEST(Spec, PrivilegesAreValidatedPerEngine) {
    auto j = design_example();
    j["roles"]["readonly"]["grants"][1]["privileges"] = {"TRUNCATE"};
    EXPECT_NO_THROW(parse_database_spec(j, Engine::postgres));
    EXPECT_NE(error_of(j, Engine::mysql).find("unknown privilege 'TRUNCATE' for tables_in_schema on mysql"),
              std::string::npos);
    j["roles"]["readonly"]["grants"][1]["privileges"] = {"show  view"};
    EXPECT_NO_THROW(parse_database_spec(j, Engine::mysql));
    EXPECT_NE(error_of(j, Engine::postgres).find("unknown privilege 'SHOW VIEW'"), std::string::npos);
    // Without an engine the union is accepted; validate_for_engine() checks later.
    const auto spec = parse_database_spec(j);
    EXPECT_THROW(validate_for_engine(spec, Engine::postgres), Error);
    EXPECT_NO_THROW(validate_for_engine(spec, Engine::mysql));
}

TEST(Spec, NormalisesPrivileges) {
    auto j = design_example();
    j["roles"]["readonly"]["grants"][1]["privileges"] = {"select", "Select", "all privileges"};
    const auto spec = parse_database_spec(j, Engine::postgres);
    EXPECT_EQ(spec.find_role("readonly")->grants[1].privileges, (std::vector<std::string>{"SELECT", "ALL"}));
    j["roles"]["readonly"]["grants"][1] = {{"privileges", {"temp", "connect"}}, {"database", "orders"}};
    const auto db = parse_database_spec(j, Engine::postgres);
    EXPECT_EQ(db.find_role("readonly")->grants[1].privileges, (std::vector<std::string>{"TEMPORARY", "CONNECT"}));
}

TEST(Spec, TablesGrant) {
    auto j = design_example();
    j["roles"]["readonly"]["grants"][1] = {{"privileges", {"SELECT"}}, {"tables", {"public.orders", "items"}}};
    const auto spec = parse_database_spec(j, Engine::postgres);
    const auto& g = spec.find_role("readonly")->grants[1];
    EXPECT_EQ(g.target, GrantTarget::tables);
    EXPECT_EQ(g.tables, (std::vector<std::string>{"public.orders", "items"}));
    j["roles"]["readonly"]["grants"][1]["tables"] = json::array();
    EXPECT_EQ(error_of(j), "database.roles.readonly.grants[1].tables: must name at least one table");
}

TEST(Spec, StructuralErrorsNameTheField) {
    auto j = design_example();
    j["roles"]["readonly"]["grants"][0]["database"] = "orders";
    EXPECT_EQ(error_of(j),
              "database.roles.readonly.grants[0]: needs exactly one of schema, tables_in_schema, database, tables");

    j = design_example();
    j["roles"]["readonly"]["grants"][0].erase("schema");
    EXPECT_EQ(error_of(j),
              "database.roles.readonly.grants[0]: needs exactly one of schema, tables_in_schema, database, tables");

    j = design_example();
    j["roles"]["readonly"]["grants"][0]["privileges"] = json::array();
    EXPECT_EQ(error_of(j), "database.roles.readonly.grants[0].privileges: must list at least one privilege");

    j = design_example();
    j["roles"]["readonly"]["grants"][0]["privileges"] = "USAGE";
    EXPECT_EQ(error_of(j), "database.roles.readonly.grants[0].privileges: must be a list, not string");

    j = design_example();
    j["users"][1]["roles"] = {"readonly", "superuser"};
    EXPECT_EQ(error_of(j), "database.users[1].roles[1]: unknown role 'superuser'");

    j = design_example();
    j["users"][1]["name"] = "app";
    EXPECT_EQ(error_of(j), "database.users[1].name: duplicate user 'app'");

    j = design_example();
    j["users"][0]["pasword_secret"] = "x";
    EXPECT_EQ(error_of(j), "database.users[0].pasword_secret: unknown field");

    j = design_example();
    j["colour"] = "blue";
    EXPECT_EQ(error_of(j), "database.colour: unknown field");

    j = design_example();
    j["users"][0].erase("name");
    EXPECT_EQ(error_of(j), "database.users[0].name: is required");

    j = design_example();
    j["users"][0]["name"] = std::string(64, 'u');
    EXPECT_NE(error_of(j).find("database.users[0].name: '"), std::string::npos);

    j = design_example();
    j["users"][0]["name"] = "readonly";
    EXPECT_EQ(error_of(j), "database.users[0].name: 'readonly' is both a role and a user");

    j = design_example();
    j["users"][0]["host"] = "10.%";
    EXPECT_NO_THROW(parse_database_spec(j, Engine::mysql));
    EXPECT_EQ(error_of(j, Engine::postgres), "database.users[0].host: is a MySQL field; PostgreSQL has no account host");
}

TEST(Spec, ErrorsCarryAHintListingAllowedPrivileges) {
    auto j = design_example();
    j["roles"]["readonly"]["grants"][0]["privileges"] = {"SELECT"};
    try {
        parse_database_spec(j, Engine::postgres);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.hint(), "allowed: USAGE, CREATE, ALL");
    }
}

TEST(Spec, EngineNames) {
    EXPECT_EQ(engine_from_name("aurora-postgresql"), Engine::postgres);
    EXPECT_EQ(engine_from_name("PostgreSQL"), Engine::postgres);
    EXPECT_EQ(engine_from_name("aurora-mysql"), Engine::mysql);
    EXPECT_EQ(engine_from_name("mariadb"), Engine::mysql);
    EXPECT_EQ(engine_from_name("oracle"), std::nullopt);
}

TEST(Spec, LoadsSanitizeScriptsRelativeToTheBaseDir) {
    const auto dir = std::filesystem::temp_directory_path() / ("dbsetup_spec_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir / "sql");
    std::ofstream(dir / "sql" / "mask-pii.sql") << "UPDATE t SET a = 1;\n";
    const auto spec = parse_database_spec(design_example());
    const auto scripts = load_sanitize_scripts(spec, dir.string());
    ASSERT_EQ(scripts.size(), 1u);
    EXPECT_EQ(scripts[0].name, "sql/mask-pii.sql");
    EXPECT_EQ(scripts[0].sql, "UPDATE t SET a = 1;\n");
    try {
        load_sanitize_scripts(spec, (dir / "missing").string());
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_request);
        EXPECT_NE(e.message().find("database.sanitize[0]: cannot read sanitize script"), std::string::npos);
    }
    std::filesystem::remove_all(dir);
}

} // namespace
} // namespace aurora::dbsetup
