//! The RDS service behind the real sandbox server (issue #3, acceptances 1–3): Debian's awscli drives it
//! (successes, AWS error codes with awscli's exit statuses, waiters with fast durations, a cross-region copy
//! with the PreSignedUrl awscli computes), and every RDS operation's raw response is checked against botocore's
//! model by tests/sandbox/botocore_shape_check.py.

#include "sandbox/sandbox_server.hpp"
#include "support/aws_cli.hpp"
#include "support/requirements.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

namespace aurora::sandbox {
namespace {

using testing::AwsCli;
using testing::AwsCliResult;

SandboxOptions seeded_options() {
    SandboxOptions o;
    o.durations = "fast";
    o.seed_file = AURORA_RDS_INTEROP_SEED;
    return o;
}

class RdsAwsCliTest : public ::testing::Test {
protected:
    void SetUp() override {
        AURORA_REQUIRE(AwsCli::available(), "Debian's awscli at /usr/bin/aws (apt-get install awscli)");
        server_ = std::make_unique<SandboxServer>(seeded_options());
        server_->start();
        aws_ = std::make_unique<AwsCli>(server_->endpoint());
    }
    AwsCliResult ok(const std::vector<std::string>& args, const AwsCli* cli = nullptr) {
        auto r = (cli != nullptr ? cli : aws_.get())->run(args);
        EXPECT_EQ(r.exit_code, 0) << r.describe();
        return r;
    }
    void expect_error(const std::vector<std::string>& args, const std::string& code, int exit_code = 254) {
        const auto r = aws_->run(args);
        EXPECT_EQ(r.exit_code, exit_code) << r.describe();
        if (!code.empty()) {
            EXPECT_EQ(r.error_code(), code) << r.describe();
        }
    }

    std::unique_ptr<SandboxServer> server_;
    std::unique_ptr<AwsCli> aws_;
};

TEST_F(RdsAwsCliTest, RestoreInstancesRenameTagsAndDelete) {
    auto clusters = ok({"rds", "describe-db-clusters"}).json();
    ASSERT_EQ(clusters["DBClusters"].size(), 1u) << clusters;
    EXPECT_EQ(clusters["DBClusters"][0]["DBClusterMembers"][0]["IsClusterWriter"], true);
    auto automated = ok({"rds", "describe-db-cluster-snapshots", "--db-cluster-identifier", "prod-orders",
                         "--snapshot-type", "automated"})
                         .json();
    ASSERT_EQ(automated["DBClusterSnapshots"].size(), 2u) << automated;
    EXPECT_EQ(automated["DBClusterSnapshots"][0]["DBClusterSnapshotIdentifier"].get<std::string>().rfind(
                  "rds:prod-orders-", 0),
              0u);

    auto restored = ok({"rds", "restore-db-cluster-from-snapshot", "--db-cluster-identifier", "staging-orders",
                        "--snapshot-identifier", "prod-orders-manual", "--engine", "aurora-postgresql",
                        "--vpc-security-group-ids", "sg-0a1b2c3d", "--tags", "Key=env,Value=staging"})
                        .json();
    EXPECT_EQ(restored["DBCluster"]["Status"], "creating");
    EXPECT_TRUE(restored["DBCluster"]["DBClusterMembers"].empty());
    ok({"rds", "wait", "db-cluster-available", "--db-cluster-identifier", "staging-orders"});
    expect_error({"rds", "restore-db-cluster-from-snapshot", "--db-cluster-identifier", "staging-orders",
                  "--snapshot-identifier", "prod-orders-manual", "--engine", "aurora-postgresql"},
                 "DBClusterAlreadyExistsFault");

    ok({"rds", "create-db-instance", "--db-instance-identifier", "staging-orders-1", "--db-instance-class",
        "db.r6g.large", "--engine", "aurora-postgresql", "--db-cluster-identifier", "staging-orders"});
    ok({"rds", "wait", "db-instance-available", "--db-instance-identifier", "staging-orders-1"});
    auto instances = ok({"rds", "describe-db-instances", "--filters",
                         "Name=db-cluster-id,Values=staging-orders"})
                         .json();
    ASSERT_EQ(instances["DBInstances"].size(), 1u) << instances;
    EXPECT_EQ(instances["DBInstances"][0]["DBInstanceStatus"], "available");

    auto renamed = ok({"rds", "modify-db-cluster", "--db-cluster-identifier", "staging-orders",
                       "--new-db-cluster-identifier", "staging", "--apply-immediately"})
                       .json();
    EXPECT_EQ(renamed["DBCluster"]["Status"], "renaming");
    ok({"rds", "wait", "db-cluster-available", "--db-cluster-identifier", "staging"});
    expect_error({"rds", "describe-db-clusters", "--db-cluster-identifier", "staging-orders"},
                 "DBClusterNotFoundFault");

    const std::string arn = "arn:aws:rds:us-east-1:000000000000:cluster:staging";
    ok({"rds", "add-tags-to-resource", "--resource-name", arn, "--tags", "Key=team,Value=orders"});
    auto tags = ok({"rds", "list-tags-for-resource", "--resource-name", arn}).json();
    EXPECT_EQ(tags["TagList"].size(), 2u) << tags;
    ok({"rds", "remove-tags-from-resource", "--resource-name", arn, "--tag-keys", "team"});
    EXPECT_EQ(ok({"rds", "list-tags-for-resource", "--resource-name", arn}).json()["TagList"].size(), 1u);

    expect_error({"rds", "delete-db-cluster", "--db-cluster-identifier", "staging", "--skip-final-snapshot"},
                 "InvalidDBClusterStateFault");
    ok({"rds", "delete-db-instance", "--db-instance-identifier", "staging-orders-1"});
    ok({"rds", "wait", "db-instance-deleted", "--db-instance-identifier", "staging-orders-1"});
    EXPECT_EQ(ok({"rds", "delete-db-cluster", "--db-cluster-identifier", "staging", "--skip-final-snapshot"})
                  .json()["DBCluster"]["Status"],
              "deleting");
    ok({"rds", "wait", "db-cluster-deleted", "--db-cluster-identifier", "staging"});
}

TEST_F(RdsAwsCliTest, SnapshotsCopiesAndErrors) {
    ok({"rds", "create-db-cluster-snapshot", "--db-cluster-identifier", "prod-orders",
        "--db-cluster-snapshot-identifier", "before-upgrade"});
    ok({"rds", "wait", "db-cluster-snapshot-available", "--db-cluster-snapshot-identifier", "before-upgrade"});
    auto copy = ok({"rds", "copy-db-cluster-snapshot", "--source-db-cluster-snapshot-identifier", "before-upgrade",
                    "--target-db-cluster-snapshot-identifier", "before-upgrade-copy", "--copy-tags"})
                    .json();
    EXPECT_EQ(copy["DBClusterSnapshot"]["Status"], "copying");
    ok({"rds", "wait", "db-cluster-snapshot-available", "--db-cluster-snapshot-identifier", "before-upgrade-copy"});

    // Cross-region: called in the target region; awscli computes the PreSignedUrl from --source-region.
    AwsCli west(server_->endpoint(), "us-west-2");
    auto cross = ok({"rds", "copy-db-cluster-snapshot", "--source-db-cluster-snapshot-identifier",
                     "arn:aws:rds:us-east-1:000000000000:cluster-snapshot:prod-orders-manual",
                     "--target-db-cluster-snapshot-identifier", "prod-orders-west", "--source-region", "us-east-1"},
                    &west)
                     .json();
    EXPECT_EQ(cross["DBClusterSnapshot"]["SourceDBClusterSnapshotArn"],
              "arn:aws:rds:us-east-1:000000000000:cluster-snapshot:prod-orders-manual");
    ok({"rds", "wait", "db-cluster-snapshot-available", "--db-cluster-snapshot-identifier", "prod-orders-west"},
       &west);
    const auto no_key = west.run({"rds", "copy-db-cluster-snapshot", "--source-db-cluster-snapshot-identifier",
                                  "arn:aws:rds:us-east-1:000000000000:cluster-snapshot:prod-orders-encrypted",
                                  "--target-db-cluster-snapshot-identifier", "enc-west", "--source-region",
                                  "us-east-1"});
    EXPECT_EQ(no_key.exit_code, 254) << no_key.describe();
    EXPECT_EQ(no_key.error_code(), "KMSKeyNotAccessibleFault") << no_key.describe();
    const auto tampered = west.run({"rds", "copy-db-cluster-snapshot", "--source-db-cluster-snapshot-identifier",
                                    "arn:aws:rds:us-east-1:000000000000:cluster-snapshot:prod-orders-manual",
                                    "--target-db-cluster-snapshot-identifier", "tampered-west", "--pre-signed-url",
                                    server_->endpoint() + "/?Action=CopyDBClusterSnapshot&X-Amz-Signature=00"});
    EXPECT_EQ(tampered.exit_code, 254) << tampered.describe();
    EXPECT_EQ(tampered.error_code(), "InvalidParameterValue") << tampered.describe();

    ok({"rds", "delete-db-cluster-snapshot", "--db-cluster-snapshot-identifier", "before-upgrade-copy"});
    ok({"rds", "wait", "db-cluster-snapshot-deleted", "--db-cluster-snapshot-identifier", "before-upgrade-copy"});
    expect_error({"rds", "describe-db-cluster-snapshots", "--db-cluster-snapshot-identifier", "nope"},
                 "DBClusterSnapshotNotFoundFault");
    expect_error({"rds", "describe-db-clusters", "--max-records", "5"}, "InvalidParameterValue");
    expect_error({"rds", "create-db-cluster", "--db-cluster-identifier", "bad--name", "--engine",
                  "aurora-postgresql", "--master-username", "postgres", "--master-user-password", "password-123"},
                 "InvalidParameterValue");
    expect_error({"rds", "delete-db-cluster-snapshot", "--db-cluster-snapshot-identifier", "nope"},
                 "DBClusterSnapshotNotFoundFault");
    // awscli refuses a missing required parameter itself (exit 252).
    expect_error({"rds", "restore-db-cluster-from-snapshot", "--db-cluster-identifier", "x1"}, "", 252);
    // A scenario restore ends in `failed`, which the waiter reports as a failure (exit 255).
    ok({"rds", "restore-db-cluster-from-snapshot", "--db-cluster-identifier", "doomed", "--snapshot-identifier",
        "doomed-snap", "--engine", "aurora-postgresql"});
    const auto waited = aws_->run({"rds", "wait", "db-cluster-available", "--db-cluster-identifier", "doomed"});
    EXPECT_EQ(waited.exit_code, 255) << waited.describe();
    EXPECT_EQ(ok({"rds", "describe-db-clusters", "--db-cluster-identifier", "doomed"})
                  .json()["DBClusters"][0]["Status"],
              "failed");
}

TEST(RdsBotocoreShapeTest, EveryRdsResponseMatchesTheModel) {
    const std::string python = AURORA_RDS_PYTHON3;
    AURORA_REQUIRE(!python.empty() && ::access(python.c_str(), X_OK) == 0, "python3 with botocore (scripts/setup.sh)");
    SandboxServer server(seeded_options());
    server.start();
    const auto scratch = std::filesystem::temp_directory_path() /
                         ("aurora-rds-botocore-" + std::to_string(::getpid()) + "-" + std::to_string(server.port()));
    std::filesystem::create_directories(scratch);
    const auto result = testing::run_process(
        {python, AURORA_RDS_BOTOCORE_SCRIPT, "--endpoint", server.endpoint(), "--calls", AURORA_RDS_BOTOCORE_CALLS},
        {{"HOME", scratch.string()}, {"PATH", "/usr/bin:/bin"}, {"LANG", "C.UTF-8"},
         {"AWS_CONFIG_FILE", (scratch / "none").string()}, {"AWS_SHARED_CREDENTIALS_FILE", (scratch / "none").string()},
         {"AWS_EC2_METADATA_DISABLED", "true"}},
        scratch.string());
    std::filesystem::remove_all(scratch);
    EXPECT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_NE(result.out.find(" 0 problems"), std::string::npos) << result.out;
}

} // namespace
} // namespace aurora::sandbox
