// End-to-end variants: snapshot selection across pages, Serverless v2, a copy-on-write clone, and the
// MySQL-compatible path with MariaDB as the data plane (issue #4, acceptance 1 and 2).
#include "e2e_seeds.hpp"
#include "e2e_support.hpp"
#include "support/requirements.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

namespace aurora::e2e {
namespace {

using nlohmann::json;

json snapshot_chosen(E2e& e, const std::string& file) {
    const auto r = e.cli({"--output", "json", "plan", "-f", file});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out)["snapshot"];
}

class E2eVariantsTest : public ::testing::Test {
protected:
    void SetUp() override {
        AURORA_REQUIRE(!::aurora::testing::env_or_empty("AURORA_TEST_PG_URL").empty(),
                       "a PostgreSQL server for the sandbox data plane (scripts/services.sh start)");
    }
};

TEST_F(E2eVariantsTest, SnapshotSelectionAcrossPages) {
    const auto p = "s" + unique_suffix();
    // 45 automated (daily, newest first) and 25 manual snapshots: several pages of DescribeDBClusterSnapshots.
    std::string seed = "account: \"123456789012\"\nregion: us-east-1\nrds:\n  clusters:\n"
                       "    - {id: " + p + "-prod, engine: aurora-postgresql, automated_snapshots: 45}\n  snapshots:\n";
    for (int i = 1; i <= 25; ++i) {
        char created[32];
        std::snprintf(created, sizeof created, "2026-10-%02dT12:00:00Z", i);
        seed += "    - {id: " + p + "-manual-" + std::to_string(i) + ", cluster: " + p + "-prod, type: manual, created: \"" + created + "\"}\n";
    }
    seed += "    - {id: " + p + "-manual-creating, cluster: " + p + "-prod, type: manual, status: creating, created: \"2026-11-30T00:00:00Z\"}\n";
    E2e e(seed);
    const auto req = [&](const std::string& snapshot) {
        return e.write_file("r-" + std::to_string(std::hash<std::string>{}(snapshot)) + ".yaml",
                            "source: {cluster: " + p + "-prod, snapshot: '" + snapshot + "', region: us-east-1}\ntarget: {cluster: " + p + "-copy}\n");
    };
    const auto manual = snapshot_chosen(e, req("latest-manual"));
    EXPECT_EQ(manual["identifier"], p + "-manual-25") << "the newest available manual one, not the one still creating";
    const auto automated = snapshot_chosen(e, req("latest-automated"));
    EXPECT_EQ(automated["type"], "automated");
    const auto latest = snapshot_chosen(e, req("latest"));
    EXPECT_EQ(latest["identifier"], automated["identifier"]) << "daily automated snapshots are newer than October's manual ones";
    const auto by_id = snapshot_chosen(e, req(p + "-manual-3"));
    EXPECT_EQ(by_id["identifier"], p + "-manual-3");
    const auto by_arn = snapshot_chosen(e, req(by_id["arn"].get<std::string>()));
    EXPECT_EQ(by_arn["identifier"], p + "-manual-3");
    const auto creating = e.cli({"restore", "-f", req(p + "-manual-creating")});
    EXPECT_EQ(creating.exit_code, 8) << creating.out << creating.err;
    EXPECT_NE((creating.out + creating.err).find("is 'creating', not 'available'"), std::string::npos);
    EXPECT_EQ(e.mutating_calls(), 0);
}

TEST_F(E2eVariantsTest, ServerlessV2AndCloneInOneRegion) {
    const auto p = "v" + unique_suffix();
    E2e e(design_seed(p + "-prod", "us-east-1", ""));
    const auto sv2 = e.cli({"restore", "-f", e.write_file("sv2.yaml",
        "source: {cluster: " + p + "-prod, region: us-east-1}\n"
        "target: {cluster: " + p + "-sv2, instances: {count: 1, serverless_v2: {min_capacity: 0.5, max_capacity: 4}}}\n")});
    ASSERT_EQ(sv2.exit_code, 0) << sv2.err;
    const auto clone = e.cli({"restore", "-f", e.write_file("clone.yaml",
        "source: {cluster: " + p + "-prod, region: us-east-1, method: clone}\ntarget: {cluster: " + p + "-clone}\n")});
    ASSERT_EQ(clone.exit_code, 0) << clone.err;
    const auto state = e.admin("/_sandbox/state").dump();
    EXPECT_NE(state.find("db.serverless"), std::string::npos);
    EXPECT_NE(state.find(p + "-clone"), std::string::npos);
}

TEST_F(E2eVariantsTest, MySqlCompatibleUsersOnMariaDb) {
    AURORA_REQUIRE(!::aurora::testing::env_or_empty("AURORA_TEST_MYSQL_URL").empty(),
                   "a MariaDB server for the sandbox's MySQL data plane (scripts/services.sh start)");
    const auto p = "my" + unique_suffix();
    const std::string target = p + "-staging";
    const std::string schema = "ars_c_" + std::regex_replace(target, std::regex("-"), "_");
    E2e e("account: \"123456789012\"\nregion: us-east-1\n"
          "secretsmanager:\n  secrets:\n    - {name: my/master, value: my-master-pw-8e21}\n"
          "    - {name: my/app, value: my-app-pw-3f70}\n    - {name: my/ro, value: my-ro-pw-61ad}\n"
          "rds:\n  clusters:\n    - id: " + p + "-prod\n      engine: aurora-mysql\n      master_username: admin\n"
          "      master_password: my-prod-pw-0b9c\n      automated_snapshots: 1\n"
          "      data: {sql: \"CREATE TABLE customers (id int PRIMARY KEY, email varchar(100)); "
          "INSERT INTO customers VALUES (1,'a@prod.example'),(2,'b@prod.example');\"}\n");
    e.write_file("mask.sql", "UPDATE customers SET email = CONCAT('customer-', id, '@example.invalid');\n");
    const auto file = e.write_file("r.yaml",
        "source: {cluster: " + p + "-prod, region: us-east-1}\ntarget: {cluster: " + target + ", instances: {count: 1}}\n"
        "database:\n  name: " + schema + "\n  master_password_secret: my/master\n"
        "  roles:\n    rw: {grants: [{privileges: [SELECT, INSERT, UPDATE, DELETE], tables_in_schema: " + schema + "}]}\n"
        "    ro: {grants: [{privileges: [SELECT], tables_in_schema: " + schema + "}]}\n"
        "  users:\n    - {name: " + p + "app, password_secret: my/app, roles: [rw]}\n"
        "    - {name: " + p + "ro, password_secret: my/ro, roles: [ro]}\n"
        "  sanitize: [mask.sql]\n");
    const auto r = e.cli({"restore", "-f", file});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    const std::string url = ::aurora::testing::env_or_empty("AURORA_TEST_MYSQL_URL");
    const std::string port = std::regex_replace(url, std::regex(R"(.*:(\d+)/.*)"), "$1");
    const auto mysql = [&](const std::string& user, const std::string& pw, const std::string& sql) {
        const std::string cmd = "mariadb --protocol=tcp -h 127.0.0.1 -P " + port + " -u " + user + " -p" + pw + " -N -e \"" +
                                sql + "\" " + schema + " 2>/dev/null";
        return std::system(cmd.c_str());
    };
    EXPECT_EQ(mysql(p + "ro", "my-ro-pw-61ad", "SELECT count(*) FROM customers WHERE email LIKE '%@example.invalid'"), 0);
    EXPECT_NE(mysql(p + "ro", "my-ro-pw-61ad", "INSERT INTO customers VALUES (3,'x')"), 0);
    EXPECT_EQ(mysql(p + "app", "my-app-pw-3f70", "INSERT INTO customers VALUES (3,'x')"), 0);
    EXPECT_EQ(e.transcript().find("my-app-pw-3f70"), std::string::npos);
}

} // namespace
} // namespace aurora::e2e
