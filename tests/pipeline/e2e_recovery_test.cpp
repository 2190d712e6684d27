// End-to-end recovery: kill -9 at every state boundary then resume; failures at each step end in cleanup;
// transient AWS faults are absorbed by retries (issue #4, acceptance 4 and 5).
#include "e2e_seeds.hpp"
#include "e2e_support.hpp"
#include "support/requirements.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace aurora::e2e {
namespace {

using nlohmann::json;

std::string swap_request(const std::string& p, const std::string& extra = {}) {
    return "source: {cluster: " + p + "-prod, region: us-east-1}\n"
           "target:\n  cluster: " + p + "-staging\n  region: us-west-2\n  mode: swap\n"
           "  instances: {count: 2, class: db.r6g.large}\n  kms_key_id: alias/staging-rds\n" + extra;
}

std::string restore_id_in(const std::string& line) {
    static const std::regex kId("restore (r[a-z0-9]{11}) started");
    std::smatch m;
    return std::regex_search(line, m, kId) ? m[1].str() : std::string{};
}

//! A progress line that marks entering a state: "[mm:ss] StateName".
bool is_state_line(const std::string& line) {
    static const std::regex kState(R"(^\[\d\d:\d\d\] [A-Za-z]+$)");
    return std::regex_match(line, kState);
}

long effect(const json& counts, const char* name) { return counts["effects"]["rds"].value(name, 0L); }

class E2eRecoveryTest : public ::testing::Test {
protected:
    void SetUp() override {
        AURORA_REQUIRE(!::aurora::testing::env_or_empty("AURORA_TEST_PG_URL").empty(),
                       "a PostgreSQL server for the sandbox data plane (scripts/services.sh start)");
    }
};

TEST_F(E2eRecoveryTest, KillNineAtEveryStateBoundaryThenResume) {
    // A full cross-region swap enters this many states; kill at each boundary in turn.
    int boundaries = 0;
    {
        const auto p = "k" + unique_suffix();
        E2e e(design_seed(p + "-prod", "us-west-2", p + "-staging"));
        e.cli_until({"restore", "-f", e.write_file("r.yaml", swap_request(p))}, [&](const std::string& line) {
            boundaries += is_state_line(line) ? 1 : 0;
            return false;
        });
        ASSERT_GE(boundaries, 15);
    }
    for (int k = 1; k <= boundaries; ++k) {
        SCOPED_TRACE("killed at state boundary " + std::to_string(k));
        const auto p = "k" + unique_suffix();
        E2e e(design_seed(p + "-prod", "us-west-2", p + "-staging"));
        std::string id;
        int seen = 0;
        const int code = e.cli_until({"restore", "-f", e.write_file("r.yaml", swap_request(p))}, [&](const std::string& line) {
            if (id.empty()) id = restore_id_in(line);
            return is_state_line(line) && ++seen == k;
        });
        ASSERT_EQ(code, -9);
        ASSERT_FALSE(id.empty());
        const auto resumed = e.cli({"resume", id});
        ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
        const auto c = e.counts();
        EXPECT_EQ(effect(c, "snapshots_copied"), 1) << c.dump();
        EXPECT_EQ(effect(c, "clusters_restored"), 1) << c.dump();
        EXPECT_EQ(effect(c, "instances_created"), 2) << c.dump();
        EXPECT_EQ(effect(c, "clusters_renamed"), 2) << c.dump();
        EXPECT_EQ(e.cli({"audit", "--verify"}).exit_code, 0);
    }
}

TEST_F(E2eRecoveryTest, FailuresEndInCleanupAndLeaveTheOldClusterAsItWas) {
    struct Case {
        std::string name;
        std::string extra;       //!< appended to the request
        std::string seed_extra;  //!< appended to the seed's prod cluster snapshots
        std::string expect_error;
    };
    const std::vector<Case> cases = {
        // The copy: the KMS key does not exist in the target region.
        {"copy", "", "", "Aurora.KmsKeyNotAccessible"},
        // The restore ends `failed` (sandbox scenario tag on the request).
        {"restore", "  tags: {\"sandbox:scenario\": restore-fails}\n", "", "Aurora.ResourceFailed"},
        // The database setup: a sanitize script that fails.
        {"database", "database:\n  name: orders\n  master_password_secret: staging/orders/master\n  sanitize: [bad.sql]\n", "", "Aurora.Database"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        const auto p = "f" + unique_suffix();
        E2e e(design_seed(p + "-prod", "us-west-2", p + "-staging"));
        e.write_file("bad.sql", "UPDATE no_such_table SET x = 1;\n");
        std::string req = swap_request(p, c.extra);
        if (c.name == "copy") req = std::regex_replace(req, std::regex("alias/staging-rds"), "alias/missing-key");
        const auto r = e.cli({"restore", "-f", e.write_file("r.yaml", req)});
        EXPECT_NE(r.exit_code, 0) << r.out << r.err;
        EXPECT_NE((r.out + r.err).find(c.expect_error), std::string::npos) << r.out << r.err;
        const auto counts = e.counts();
        // Nothing of this restore is left: every cluster and copy it made was deleted again.
        EXPECT_EQ(effect(counts, "clusters_restored"), effect(counts, "clusters_deleted")) << counts.dump();
        EXPECT_EQ(effect(counts, "snapshots_copied"), effect(counts, "snapshots_deleted")) << counts.dump();
        EXPECT_EQ(effect(counts, "instances_created"), effect(counts, "instances_deleted")) << counts.dump();
        // The old target is untouched under its own name.
        const auto state = e.admin("/_sandbox/state").dump();
        EXPECT_NE(state.find("\"" + p + "-staging\""), std::string::npos);
        EXPECT_EQ(state.find(p + "-staging-old-r"), std::string::npos) << "a retired <target>-old-<restore id> is left";
        // The failure was announced (the console channel; the request names no topic).
        EXPECT_NE(r.err.find("FAILED"), std::string::npos) << r.err;
    }
}

TEST_F(E2eRecoveryTest, AFailureAtEachStepEndsInCleanupNotificationAndFailedStatus) {
    // `reject=N` fails exactly the N-th call of one operation (non-retryable): one case per step of a
    // cross-region swap with a database section, up to the swap's end.
    struct Case {
        std::string step;
        std::string fault;
    };
    const std::vector<Case> cases = {
        {"Validate", "sts:GetCallerIdentity:reject=1"},
        {"SnapshotCheck", "rds:DescribeDBClusterSnapshots:reject=1"},
        {"CheckTarget", "rds:DescribeDBClusters:reject=1"},
        {"CopySnapshot", "rds:CopyDBClusterSnapshot:reject=1"},
        {"RestoreCluster", "rds:RestoreDBClusterFromSnapshot:reject=1"},
        {"CreateInstances", "rds:CreateDBInstance:reject=2"},
        {"Swap (retire the old cluster)", "rds:ModifyDBCluster:reject=1"},
        {"Swap (rename the new cluster)", "rds:ModifyDBCluster:reject=2"},
        {"SetMasterPassword", "rds:ModifyDBCluster:reject=3"},
        {"DatabaseSetup (secret)", "secretsmanager:GetSecretValue:reject=2"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.step + " with " + c.fault);
        const auto p = "x" + unique_suffix();
        E2e e(design_seed(p + "-prod", "us-west-2", p + "-staging"), c.fault);
        const auto r = e.cli({"restore", "-f", e.write_file("r.yaml", swap_request(p,
            "database:\n  name: orders\n  master_password_secret: staging/orders/master\n"))});
        EXPECT_NE(r.exit_code, 0) << r.out << r.err;
        EXPECT_NE(r.err.find("injected fault"), std::string::npos) << r.err;
        EXPECT_NE(r.err.find("FAILED"), std::string::npos) << "no failure notification: " << r.err;
        const auto counts = e.counts();
        EXPECT_EQ(effect(counts, "clusters_restored"), effect(counts, "clusters_deleted")) << counts.dump();
        EXPECT_EQ(effect(counts, "instances_created"), effect(counts, "instances_deleted")) << counts.dump();
        EXPECT_EQ(effect(counts, "snapshots_copied"), effect(counts, "snapshots_deleted")) << counts.dump();
        const auto state = e.admin("/_sandbox/state").dump();
        EXPECT_NE(state.find("\"" + p + "-staging\""), std::string::npos) << "the old cluster is gone";
        EXPECT_EQ(state.find(p + "-staging-old-r"), std::string::npos) << "a retired cluster is left";
        EXPECT_EQ(state.find(p + "-staging-new-r"), std::string::npos) << "the new cluster is left";
        // The lock was released: the same restore can run again once the fault is gone.
        EXPECT_EQ(e.cli({"--output", "json", "list"}).exit_code, 0);
    }
}

TEST_F(E2eRecoveryTest, TransientThrottlingIsAbsorbedByRetries) {
    const auto p = "t" + unique_suffix();
    E2e e(design_seed(p + "-prod", "us-west-2", p + "-staging"), "seed=7;rds:*:throttle=0.25");
    const auto r = e.cli({"restore", "-f", e.write_file("r.yaml", swap_request(p))});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    const auto calls = e.counts()["calls"]["rds"].dump();
    EXPECT_NE(calls.find("Throttling"), std::string::npos) << "no throttling was injected: " << calls;
}

} // namespace
} // namespace aurora::e2e
