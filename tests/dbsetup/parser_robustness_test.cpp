// The parsers of outside input (sanitize scripts, connection URLs, SHOW GRANTS lines, specs) on many seeded
// random inputs: each either answers or throws aurora::Error, never crashes (run it under AURORA_SANITIZE).
#include "common/error.hpp"
#include "common/redact.hpp"
#include "dbsetup/driver.hpp"
#include "dbsetup/mysql/mysql_grants.hpp"
#include "dbsetup/spec.hpp"
#include "dbsetup/sql_script.hpp"

#include <gtest/gtest.h>

#include <random>

namespace aurora::dbsetup {
namespace {

std::string random_text(std::mt19937& rng, std::string_view alphabet, std::size_t max_len) {
    std::uniform_int_distribution<std::size_t> len(0, max_len);
    std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
    std::string out(len(rng), ' ');
    for (auto& c : out) {
        c = alphabet[pick(rng)];
    }
    return out;
}

TEST(ParserRobustness, SqlSplitter) {
    std::mt19937 rng(20261128);
    for (int i = 0; i < 20000; ++i) {
        const auto text = random_text(rng, "ab ;'\"`$-#/*\\\n\t1_", 40);
        for (Engine e : {Engine::postgres, Engine::mysql}) {
            try {
                for (const auto& st : split_sql_statements(text, e, "fuzz")) {
                    EXPECT_FALSE(st.text.empty());
                    EXPECT_GE(st.line, 1);
                    (void)is_transaction_control(st.text);
                    (void)statement_excerpt(st.text);
                }
            } catch (const Error& err) {
                EXPECT_EQ(err.code(), ErrorCode::invalid_request);
            }
        }
    }
}

TEST(ParserRobustness, ConnectionUrls) {
    std::mt19937 rng(7);
    for (int i = 0; i < 20000; ++i) {
        const auto text = "postgresql://" + random_text(rng, "u:p@h[]/?=&%0aF9:.", 30);
        try {
            const auto u = parse_connection_url(text);
            EXPECT_FALSE(u.params.host.empty());
            EXPECT_FALSE(u.params.user.empty());
        } catch (const Error& err) {
            EXPECT_EQ(err.code(), ErrorCode::config);
        }
    }
    // Parsing registered every random password as a secret: forget them so later tests redact normally.
    clear_registered_secrets_for_testing();
}

TEST(ParserRobustness, ShowGrantsLines) {
    std::mt19937 rng(11);
    for (int i = 0; i < 20000; ++i) {
        const auto text = "GRANT " + random_text(rng, "SELECT ,()`.*@ONTO%_x", 40);
        (void)parse_show_grants_line(text);
    }
}

TEST(ParserRobustness, Specs) {
    std::mt19937 rng(3);
    const std::vector<nlohmann::json> values = {nullptr, 1, "x", "SELECT", nlohmann::json::array(),
                                                nlohmann::json::object(), nlohmann::json::array({"SELECT", 2})};
    const std::vector<std::string> keys = {"privileges", "schema", "tables", "database", "tables_in_schema", "name",
                                           "roles", "grants", "users", "host", "sanitize"};
    std::uniform_int_distribution<std::size_t> v(0, values.size() - 1);
    std::uniform_int_distribution<std::size_t> k(0, keys.size() - 1);
    for (int i = 0; i < 5000; ++i) {
        nlohmann::json grant = nlohmann::json::object();
        grant[keys[k(rng)]] = values[v(rng)];
        grant[keys[k(rng)]] = values[v(rng)];
        nlohmann::json section = {{"roles", {{"r", {{"grants", {grant}}}}}},
                                  {"users", {{{"name", values[v(rng)]}, {"roles", values[v(rng)]}}}}};
        try {
            (void)parse_database_spec(section, Engine::postgres);
        } catch (const Error& err) {
            EXPECT_EQ(err.code(), ErrorCode::invalid_request);
        }
    }
}

} // namespace
} // namespace aurora::dbsetup
