// End-to-end restores: the real CLI against the sandbox with a real PostgreSQL data plane (issue #4).
#include "e2e_seeds.hpp"
#include "e2e_support.hpp"
#include "support/requirements.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>

namespace aurora::e2e {
namespace {

using nlohmann::json;

const std::string kExample = std::string(AURORA_SOURCE_DIR) + "/examples/restore.yaml";

//! The secrets every seed uses; none may ever appear in any output.
const std::vector<std::string> kSecrets = {"prod-master-pw-7d1c", "staging-master-pw-41f9", "app-pw-9c2e71",
                                           "analyst-pw-5b8d03", "old-staging-pw-22aa", kDesignSecretKey};

void expect_no_secret(const std::string& text, const std::string& where) {
    for (const auto& s : kSecrets) {
        EXPECT_EQ(text.find(s), std::string::npos) << "secret " << s << " leaked into " << where;
    }
}

//! A request for the design example's shape with names of this test.
std::string request(const std::string& source, const std::string& target, const std::string& region,
                    const std::string& mode, const std::string& extra = {}) {
    return "source: {cluster: " + source + ", snapshot: latest, region: us-east-1}\n"
           "target:\n  cluster: " + target + "\n  region: " + region + "\n  mode: " + mode +
           "\n  instances: {count: 2, class: db.r6g.large}\n  kms_key_id: alias/staging-rds\n  tags: {team: orders}\n"
           "guardrails: {protected: [\"prod-*\"]}\n" + extra;
}

json status_of(E2e& e, const std::string& id) {
    const auto r = e.cli({"--output", "json", "status", id});
    return json::parse(r.out);
}

std::string restore_id_from(const std::string& err) {
    static const std::regex kId("restore (r[a-z0-9]{11}) started");
    std::smatch m;
    return std::regex_search(err, m, kId) ? m[1].str() : std::string{};
}

class E2eTest : public ::testing::Test {
protected:
    void SetUp() override {
        AURORA_REQUIRE(!::aurora::testing::env_or_empty("AURORA_TEST_PG_URL").empty(),
                       "a PostgreSQL server for the sandbox data plane (scripts/services.sh start)");
    }
};

//! The design example uses fixed names; databases an earlier run left on the shared server would clash.
void drop_leftover_databases(const std::string& like) {
    const std::string url = ::aurora::testing::env_or_empty("AURORA_TEST_PG_URL");
    std::smatch m;
    ASSERT_TRUE(std::regex_match(url, m, std::regex(R"(postgresql://([^:]+):([^@]+)@([^:/]+):(\d+)/(.+))")));
    const auto dbs = pg_query(m[3], std::stoi(m[4]), m[5], m[1], m[2],
                              "SELECT datname FROM pg_database WHERE datname LIKE '" + like + "'");
    for (const auto& db : dbs) {
        pg_query(m[3], std::stoi(m[4]), m[5], m[1], m[2], "DROP DATABASE IF EXISTS \"" + db + "\" WITH (FORCE)");
    }
}

TEST_F(E2eTest, DesignExampleWorksAsWritten) {
    drop_leftover_databases("ars\\_%\\_prod\\_orders%");
    drop_leftover_databases("ars\\_%\\_staging\\_orders%");
    E2e e(design_seed("prod-orders", "us-west-2", "staging-orders"));
    const auto r = e.cli({"restore", "-f", kExample});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("succeeded"), std::string::npos) << r.out;

    // The target now serves the restored, masked rows; each user logs in with exactly its grants.
    const auto st = status_of(e, restore_id_from(r.err));
    ASSERT_EQ(st["status"], "succeeded") << st.dump();
    const std::string host = st["endpoint"];
    const int port = st["port"];
    const auto audit = json::parse(e.cli({"--output", "json", "audit", restore_id_from(r.err)}).out);
    std::string database;
    for (const auto& rec : audit) {
        if (rec["event"] == "step.succeeded" && rec["details"]["step"] == "database_setup") {
            database = rec["details"]["result"]["database"];
        }
    }
    ASSERT_FALSE(database.empty()) << audit.dump();
    // Every mutating AWS call is in the audit trail with its request id; the actor is the caller.
    bool restore_call = false;
    for (const auto& rec : audit) {
        if (rec["event"] == "aws.call" && rec["details"]["operation"] == "RestoreDBClusterFromSnapshot") {
            restore_call = !rec["details"]["request_id"].get<std::string>().empty();
            EXPECT_NE(rec["actor"].get<std::string>().find("123456789012"), std::string::npos) << rec.dump();
        }
        if (rec["event"] == "aws.call") {
            EXPECT_FALSE(rec["details"]["operation"].get<std::string>().starts_with("Describe"));
        }
    }
    EXPECT_TRUE(restore_call) << audit.dump();
    EXPECT_EQ(pg_query(host, port, database, "app", "app-pw-9c2e71", "SELECT count(*) FROM customers"),
              std::vector<std::string>{std::to_string(kCustomers)});
    EXPECT_EQ(pg_query(host, port, database, "analyst", "analyst-pw-5b8d03",
                       "SELECT count(*) FROM customers WHERE email LIKE '%@example.invalid' AND phone IS NULL"),
              std::vector<std::string>{std::to_string(kCustomers)});
    EXPECT_NO_THROW(pg_query(host, port, database, "app", "app-pw-9c2e71", "INSERT INTO customers VALUES (99,'x','y','z')"));
    EXPECT_THROW(pg_query(host, port, database, "analyst", "analyst-pw-5b8d03", "INSERT INTO customers VALUES (98,'x','y','z')"),
                 std::runtime_error);

    // Swap: the old cluster was retired and deleted; the copy was kept and tagged; SNS got the outcome.
    const auto counts = e.counts();
    EXPECT_EQ(counts["effects"]["rds"].value("snapshots_copied", 0), 1) << counts.dump();
    EXPECT_EQ(counts["effects"]["rds"].value("clusters_renamed", 0), 2) << counts.dump();
    const auto messages = e.admin("/_sandbox/sns/messages");
    ASSERT_EQ(messages["messages"].size(), 1U) << messages.dump();
    EXPECT_NE(messages["messages"][0]["Subject"].get<std::string>().find("succeeded"), std::string::npos);

    EXPECT_EQ(e.cli({"audit", "--verify"}).exit_code, 0);
    expect_no_secret(e.transcript(), "the CLI output");
    expect_no_secret(messages.dump(), "the SNS messages");
    expect_no_secret(audit.dump(), "the audit log");
}

TEST_F(E2eTest, PlanListsEveryCallAndMutatesNothing) {
    const auto p = "p" + unique_suffix();
    E2e e(design_seed(p + "-prod", "us-west-2", p + "-staging"));
    const auto file = e.write_file("r.yaml", request(p + "-prod", p + "-staging", "us-west-2", "swap"));
    e.reset_counts();
    const auto r = e.cli({"--output", "json", "plan", "-f", file});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto plan = json::parse(r.out);
    EXPECT_EQ(e.mutating_calls(), 0) << e.counts().dump();
    std::vector<std::string> ops;
    for (const auto& c : plan["calls"]) ops.push_back(c["operation"]);
    for (const char* op : {"CopyDBClusterSnapshot", "RestoreDBClusterFromSnapshot", "CreateDBInstance", "ModifyDBCluster",
                           "DeleteDBCluster", "AddTagsToResource"}) {
        EXPECT_NE(std::find(ops.begin(), ops.end(), op), ops.end()) << op << " missing from the plan: " << r.out;
    }
    EXPECT_GT(plan["mutating_calls"].get<int>(), 5);
    const auto dry = e.cli({"restore", "--dry-run", "-f", file});
    EXPECT_EQ(dry.exit_code, 0);
    EXPECT_NE(dry.out.find("(* = mutating; a dry run made none)"), std::string::npos) << dry.out;
    EXPECT_EQ(e.mutating_calls(), 0);
}

TEST_F(E2eTest, ModesNewAndReplaceInOneRegion) {
    const auto p = "p" + unique_suffix();
    E2e e(design_seed(p + "-prod", "us-east-1", p + "-staging"));
    // new: refused while the target exists, before any change.
    const auto refused = e.cli({"restore", "-f", e.write_file("new.yaml", request(p + "-prod", p + "-staging", "us-east-1", "new"))});
    EXPECT_EQ(refused.exit_code, 8) << refused.err;
    EXPECT_NE(refused.err.find("already exists"), std::string::npos) << refused.err;
    EXPECT_EQ(e.mutating_calls(), 0);
    // new, to a fresh name: a same-region restore needs no copy.
    const auto fresh = e.cli({"restore", "-f", e.write_file("fresh.yaml", request(p + "-prod", p + "-fresh", "us-east-1", "new"))});
    ASSERT_EQ(fresh.exit_code, 0) << fresh.err;
    EXPECT_EQ(e.counts()["effects"]["rds"].value("snapshots_copied", 0), 0);
    // replace: the managed old target is deleted and restored under its name.
    const auto replaced = e.cli({"restore", "-f", e.write_file("replace.yaml", request(p + "-prod", p + "-staging", "us-east-1", "replace"))});
    ASSERT_EQ(replaced.exit_code, 0) << replaced.err;
    const auto st = status_of(e, restore_id_from(replaced.err));
    EXPECT_EQ(st["status"], "succeeded");
}

TEST_F(E2eTest, GuardrailsRefuseWithZeroMutatingCalls) {
    struct Case {
        std::string name;
        std::string old_tags;
        std::string extra;
        std::string expect;
        bool deletion_protection = false;
    };
    const std::vector<Case> cases = {
        {"protected-pattern", "{\"aurora-restore:managed\": \"true\"}", "", "protected pattern"},
        {"protected-tag", "{\"aurora-restore:managed\": \"true\", \"aurora-restore:protected\": \"true\"}", "", "tagged aurora-restore:protected=true"},
        {"unmanaged", "{team: orders}", "", "not created by aurora-restore"},
        {"deletion-protection", "{\"aurora-restore:managed\": \"true\"}", "", "deletion protection is on", true},
    };
    for (const auto& c : cases) {
        const auto p = "g" + unique_suffix();
        const std::string target = c.name == "protected-pattern" ? "prod-" + p : p + "-staging";
        E2e e(design_seed(p + "-src", "us-east-1", target, c.old_tags, c.deletion_protection));
        const auto r = e.cli({"restore", "-f", e.write_file("r.yaml", request(p + "-src", target, "us-east-1", "replace", c.extra))});
        EXPECT_EQ(r.exit_code, 6) << c.name << ": " << r.err;
        EXPECT_NE(r.err.find(c.expect), std::string::npos) << c.name << ": " << r.err;
        EXPECT_EQ(e.mutating_calls(), 0) << c.name << ": " << e.counts().dump();
    }
    // The target is the source.
    const auto p = "g" + unique_suffix();
    E2e e(design_seed(p + "-src", "us-east-1", ""));
    const auto r = e.cli({"restore", "-f", e.write_file("r.yaml", request(p + "-src", p + "-src", "us-east-1", "replace"))});
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("is the source cluster"), std::string::npos) << r.err;
    EXPECT_EQ(e.mutating_calls(), 0);
}

TEST_F(E2eTest, MissingSnapshotIsAClearErrorBeforeAnyChange) {
    const auto p = "m" + unique_suffix();
    E2e e(design_seed(p + "-prod", "us-east-1", ""));
    const auto file = e.write_file("r.yaml", "source: {cluster: " + p + "-prod, snapshot: nightly-does-not-exist, region: us-east-1}\n"
                                             "target: {cluster: " + p + "-copy}\n");
    const auto r = e.cli({"restore", "-f", file});
    EXPECT_EQ(r.exit_code, 7) << r.err;
    EXPECT_NE(r.out.find("snapshot 'nightly-does-not-exist' not found in us-east-1"), std::string::npos) << r.out << r.err;
    EXPECT_EQ(e.mutating_calls(), 0);
}

TEST_F(E2eTest, AuditVerificationDetectsTampering) {
    const auto p = "a" + unique_suffix();
    E2e e(design_seed(p + "-prod", "us-east-1", ""));
    ASSERT_EQ(e.cli({"restore", "-f", e.write_file("r.yaml", request(p + "-prod", p + "-copy", "us-east-1", "new"))}).exit_code, 0);
    ASSERT_EQ(e.cli({"audit", "--verify"}).exit_code, 0);
    const std::string db = e.dir() + "/state/state.db";
    const std::string backup = e.dir() + "/state/state.db.bak";
    const auto tamper = [&](const std::string& sql) {
        std::filesystem::copy_file(db, backup, std::filesystem::copy_options::overwrite_existing);
        const std::string cmd = "sqlite3 '" + db + "' \"" + sql + "\"";
        EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
        const auto r = e.cli({"audit", "--verify"});
        EXPECT_EQ(r.exit_code, 17) << sql << ": " << r.out;
        std::filesystem::copy_file(backup, db, std::filesystem::copy_options::overwrite_existing);
    };
    tamper("UPDATE audit SET details = replace(details, 'step', 'stop') WHERE seq = 3");
    tamper("DELETE FROM audit WHERE seq = 4");
    tamper("UPDATE audit SET seq = -1 WHERE seq = 5; UPDATE audit SET seq = 5 WHERE seq = 6; UPDATE audit SET seq = 6 WHERE seq = -1");
    tamper("DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)");
    EXPECT_EQ(e.cli({"audit", "--verify"}).exit_code, 0);
}

TEST_F(E2eTest, TwoRestoresToOneTargetOneIsRefused) {
    const auto p = "l" + unique_suffix();
    E2e e(design_seed(p + "-prod", "us-east-1", ""));
    const auto file = e.write_file("r.yaml", request(p + "-prod", p + "-copy", "us-east-1", "new"));
    // The first restore is stopped (kill -9) while it holds the lock; the second is refused; resume finishes.
    std::string first_id;
    e.cli_until({"restore", "-f", file}, [&](const std::string& line) {
        if (first_id.empty()) first_id = restore_id_from(line);
        return line.find("RestoreCluster") != std::string::npos;
    });
    ASSERT_FALSE(first_id.empty());
    const auto second = e.cli({"restore", "-f", file});
    EXPECT_EQ(second.exit_code, 8) << second.err << second.out;
    EXPECT_NE((second.out + second.err).find("is being restored by restore " + first_id), std::string::npos) << second.out << second.err;
    const auto resumed = e.cli({"resume", first_id});
    EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
    EXPECT_EQ(e.counts()["effects"]["rds"].value("clusters_restored", 0), 1);
}

} // namespace
} // namespace aurora::e2e
