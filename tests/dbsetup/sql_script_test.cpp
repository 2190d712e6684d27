#include "common/error.hpp"
#include "dbsetup/sql_script.hpp"

#include <gtest/gtest.h>

namespace aurora::dbsetup {
namespace {

std::vector<std::string> texts(const std::vector<SqlStatement>& statements) {
    std::vector<std::string> out;
    for (const auto& s : statements) {
        out.push_back(s.text);
    }
    return out;
}

TEST(SqlScript, SplitsAtTopLevelSemicolons) {
    const auto st = split_sql_statements("UPDATE a SET x = 1;\n\nDELETE FROM b ;  SELECT 1", Engine::postgres, "s");
    EXPECT_EQ(texts(st), (std::vector<std::string>{"UPDATE a SET x = 1", "DELETE FROM b", "SELECT 1"}));
    EXPECT_EQ(st[0].line, 1);
    EXPECT_EQ(st[1].line, 3);
    EXPECT_EQ(st[2].line, 3);
}

TEST(SqlScript, KeepsSemicolonsInsideStringsIdentifiersAndDollarQuotes) {
    const std::string pg = "UPDATE t SET a = 'x;''y';\n"
                           "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;\n"
                           "DO $$ BEGIN PERFORM 1; END $$;\n"
                           "SELECT \"we;ird\" FROM t";
    EXPECT_EQ(texts(split_sql_statements(pg, Engine::postgres, "s")),
              (std::vector<std::string>{"UPDATE t SET a = 'x;''y'",
                                        "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql",
                                        "DO $$ BEGIN PERFORM 1; END $$", "SELECT \"we;ird\" FROM t"}));
    const std::string my = "UPDATE `t;1` SET a = 'it\\'s; fine';\nUPDATE t SET b = \"x;\"";
    EXPECT_EQ(texts(split_sql_statements(my, Engine::mysql, "s")),
              (std::vector<std::string>{"UPDATE `t;1` SET a = 'it\\'s; fine'", "UPDATE t SET b = \"x;\""}));
}

TEST(SqlScript, DropsComments) {
    const std::string pg = "-- header; with semicolon\n/* block; /* nested; */ still */ UPDATE t SET a = 1; -- tail\n";
    const auto st = split_sql_statements(pg, Engine::postgres, "s");
    ASSERT_EQ(st.size(), 1u);
    EXPECT_EQ(st[0].text, "UPDATE t SET a = 1");
    EXPECT_EQ(st[0].line, 2);
    const auto my = split_sql_statements("# hash comment; here\nDELETE FROM t;", Engine::mysql, "s");
    EXPECT_EQ(texts(my), std::vector<std::string>{"DELETE FROM t"});
    EXPECT_TRUE(split_sql_statements("-- only a comment\n", Engine::postgres, "s").empty());
}

TEST(SqlScript, DollarInIdentifierIsNotAQuote) {
    EXPECT_EQ(texts(split_sql_statements("SELECT a$b; SELECT 2", Engine::postgres, "s")),
              (std::vector<std::string>{"SELECT a$b", "SELECT 2"}));
}

TEST(SqlScript, UnterminatedStringNamesScriptAndLine) {
    try {
        split_sql_statements("SELECT 1;\nUPDATE t SET a = 'oops;\n", Engine::postgres, "mask.sql");
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_request);
        EXPECT_EQ(e.message(), "sanitize script 'mask.sql': unterminated string starting at line 2");
    }
    EXPECT_THROW(split_sql_statements("/* open", Engine::mysql, "s"), Error);
    EXPECT_THROW(split_sql_statements("SELECT $x$ 1", Engine::postgres, "s"), Error);
}

TEST(SqlScript, DetectsTransactionControl) {
    for (const char* s : {"BEGIN", "begin work", "COMMIT", "rollback", "END", "START TRANSACTION", "savepoint a"}) {
        EXPECT_TRUE(is_transaction_control(s)) << s;
    }
    for (const char* s : {"UPDATE t SET a = 1", "DO $$ BEGIN END $$", "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE",
                          "SELECT 'BEGIN'"}) {
        EXPECT_FALSE(is_transaction_control(s)) << s;
    }
}

TEST(SqlScript, Excerpt) {
    EXPECT_EQ(statement_excerpt("SELECT 1"), "SELECT 1");
    EXPECT_EQ(statement_excerpt("UPDATE t\nSET a = 1"), "UPDATE t…");
    EXPECT_EQ(statement_excerpt(std::string(130, 'x')), std::string(120, 'x') + "…");
}

} // namespace
} // namespace aurora::dbsetup
