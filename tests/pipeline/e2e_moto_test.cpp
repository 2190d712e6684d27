// A full restore (mode new, same region) with moto as the only AWS endpoint (issue #4, acceptance 10):
// moto is an independent emulator, so the pipeline cannot be agreeing with the sandbox's own mistakes.
#include "e2e_support.hpp"
#include "support/requirements.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace aurora::e2e {
namespace {

TEST(E2eMotoTest, FullRestoreInModeNew) {
    AURORA_REQUIRE_ENV(moto, "AURORA_TEST_MOTO_URL", "moto_server (scripts/services.sh start)");
    AURORA_REQUIRE(std::system("command -v aws >/dev/null 2>&1") == 0, "Debian's awscli (/usr/bin/aws)");
    const auto p = "moto" + unique_suffix();
    E2e e("{}\n");
    // The source, made with awscli against moto.
    const std::string aws = "AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1 "
                            "AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null aws --endpoint-url " + moto + " ";
    ASSERT_EQ(std::system((aws + "rds create-db-cluster --db-cluster-identifier " + p + "-prod --engine aurora-postgresql "
                           "--master-username postgres --master-user-password moto-pw-1234 >/dev/null").c_str()), 0);
    ASSERT_EQ(std::system((aws + "rds create-db-cluster-snapshot --db-cluster-identifier " + p + "-prod "
                           "--db-cluster-snapshot-identifier " + p + "-snap >/dev/null").c_str()), 0);
    const auto file = e.write_file("r.yaml", "source: {cluster: " + p + "-prod, snapshot: " + p + "-snap, region: us-east-1}\n"
                                             "target: {cluster: " + p + "-copy, mode: new, instances: {count: 1, class: db.r6g.large}}\n");
    const std::map<std::string, std::string> env = {{"AWS_ENDPOINT_URL", moto}, {"AWS_ACCESS_KEY_ID", "testing"},
                                                    {"AWS_SECRET_ACCESS_KEY", "testing"}};
    const auto r = e.cli({"restore", "-f", file}, env);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("succeeded"), std::string::npos) << r.out;
    // moto now has the restored cluster with its instance, tagged as the pipeline's.
    EXPECT_EQ(std::system((aws + "rds describe-db-instances --db-instance-identifier " +
                           "$(" + aws + "rds describe-db-instances --query \"DBInstances[?DBClusterIdentifier=='" + p +
                           "-copy'].DBInstanceIdentifier\" --output text) >/dev/null").c_str()), 0);
    const auto tags = std::system((aws + "rds describe-db-clusters --db-cluster-identifier " + p +
                                   "-copy --query 'DBClusters[0].TagList[?Key==`aurora-restore:managed`].Value' --output text "
                                   "| grep -qx true").c_str());
    EXPECT_EQ(tags, 0);
}

} // namespace
} // namespace aurora::e2e
