#include "dbsetup/mysql/mysql_grants.hpp"

#include <gtest/gtest.h>

namespace aurora::dbsetup {
namespace {

TEST(ShowGrants, PrivilegeLines) {
    auto g = parse_show_grants_line("GRANT SELECT, INSERT ON `tst\\_x`.* TO `r_x`");
    ASSERT_TRUE(g);
    EXPECT_TRUE(g->roles.empty());
    EXPECT_EQ(g->privileges, (std::vector<std::string>{"SELECT", "INSERT"}));
    EXPECT_EQ(g->db, "tst\\_x");
    EXPECT_EQ(g->table, "*");

    g = parse_show_grants_line("GRANT UPDATE, SELECT (`a`, `b`) ON `db`.`we``ird` TO `u`@`%` WITH GRANT OPTION");
    ASSERT_TRUE(g);
    EXPECT_EQ(g->privileges, std::vector<std::string>{"UPDATE"});
    EXPECT_EQ(g->db, "db");
    EXPECT_EQ(g->table, "we`ird");

    g = parse_show_grants_line("GRANT USAGE ON *.* TO `u`@`%` IDENTIFIED BY PASSWORD '*D51D'");
    ASSERT_TRUE(g);
    EXPECT_EQ(g->privileges, std::vector<std::string>{"USAGE"});
    EXPECT_EQ(g->db, "*");

    g = parse_show_grants_line("GRANT EXECUTE ON PROCEDURE `db`.`p` TO `r`");
    ASSERT_TRUE(g);
    EXPECT_EQ(g->object_kind, "PROCEDURE");

    g = parse_show_grants_line("GRANT ALL PRIVILEGES, CREATE TEMPORARY TABLES ON `a`.* TO `r`");
    ASSERT_TRUE(g);
    EXPECT_EQ(g->privileges, (std::vector<std::string>{"ALL PRIVILEGES", "CREATE TEMPORARY TABLES"}));
}

TEST(ShowGrants, RoleLines) {
    auto g = parse_show_grants_line("GRANT `r_x` TO `u_x`@`%`");
    ASSERT_TRUE(g);
    EXPECT_EQ(g->roles, std::vector<std::string>{"r_x"});
    g = parse_show_grants_line("GRANT `a`@`%`,`b`@`%` TO `u`@`%`"); // MySQL 8
    ASSERT_TRUE(g);
    EXPECT_EQ(g->roles, (std::vector<std::string>{"a", "b"}));
}

TEST(ShowGrants, OtherLines) {
    EXPECT_FALSE(parse_show_grants_line("SET DEFAULT ROLE `r_x` FOR `u_x`@`%`"));
    EXPECT_FALSE(parse_show_grants_line("GRANT SELECT"));
    EXPECT_FALSE(parse_show_grants_line("GRANT SELECT ON `unterminated"));
}

TEST(ShowGrants, EscapesDatabasePatterns) {
    EXPECT_EQ(escape_grant_database("my_db%1"), "my\\_db\\%1");
    EXPECT_EQ(escape_grant_database("plain"), "plain");
}

} // namespace
} // namespace aurora::dbsetup
