#pragma once
//! The client contract suite (issue #3, acceptance 0): one parameterized GoogleTest suite, `ClientContract`,
//! run over the real wire (libcurl, SigV4) against two independent AWS emulators — the project's sandbox
//! (in-process SandboxServer, one per test suite) and moto (`moto_server`, AURORA_TEST_MOTO_URL). Both must
//! answer the typed clients the same way, so the sandbox cannot drift into agreeing with the clients' own
//! mistakes. Every known way a backend departs from AWS is declared in BackendTraits, and nowhere else.

#include "aws/aws_error.hpp"
#include "aws/client/aws_client.hpp"
#include "aws/rds/rds_client.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

namespace aurora::sandbox {
class SandboxServer;
}

namespace aurora::aws::contract {

//! The ONE place where a backend's known deviations from AWS are written down. Each field is what AWS does
//! (true for the sandbox, which follows the RDS API reference); the moto value is what moto 5 was observed
//! to do instead, with the reason from moto's source (moto/rds/models.py). Tests consult these fields
//! instead of branching on the backend's name.
struct BackendTraits {
    //! AWS moves resources through statuses over minutes (creating, backing-up, renaming, deleting).
    //! moto: no lifecycles — a new cluster answers `creating` once and `available` from the next describe,
    //! instances and snapshots are `available` at once, renames apply at once (no `renaming`).
    bool has_lifecycles = true;
    //! AWS answers DBClusterAlreadyExistsFault to CreateDBCluster / RestoreDBClusterFromSnapshot /
    //! RestoreDBClusterToPointInTime naming an existing cluster. moto never raises it: it REPLACES the stored
    //! cluster, then saves an automated snapshot `rds:<id>-YYYY-MM-DD-HH-MM`, which clashes (and answers
    //! DBClusterSnapshotAlreadyExistsFault) only when the duplicate comes within the same minute.
    bool raises_cluster_already_exists = true;
    //! AWS pages Describe* results by MaxRecords and returns a Marker. moto ignores MaxRecords and returns
    //! every match in one page with no Marker.
    bool paginates = true;
    //! AWS rejects MaxRecords outside 20..100 with InvalidParameterValue. moto accepts any value.
    bool validates_max_records = true;
    //! AWS answers AddTagsToResource / ListTagsForResource on a missing resource's ARN with the resource's
    //! not-found fault (DBClusterNotFoundFault). moto accepts the tags silently and lists an empty TagList.
    bool tags_require_existing_resource = true;
    //! AWS answers ModifyDBCluster on a missing cluster with DBClusterNotFoundFault. moto answers HTTP 500
    //! with an HTML body (an unhandled KeyError in modify_db_cluster).
    bool modify_missing_cluster_is_not_found = true;
    //! AWS answers DeleteDBCluster with the cluster in status `deleting`. moto removes the cluster at once and
    //! answers its last status (`available`).
    bool delete_cluster_reports_deleting = true;
    //! AWS's DescribeKey reports KeyUsage ENCRYPT_DECRYPT for a key created without one (the default). moto
    //! echoes the CreateKey request and answers `"KeyUsage": null`, which the client reads as empty.
    bool kms_reports_default_key_usage = true;
};

//! The deviations of the project's sandbox: none known (it is the reference the pipeline's tests rely on).
BackendTraits sandbox_traits();
//! The deviations of moto 5 (`moto_server`), as observed and explained field by field above.
BackendTraits moto_traits();

//! The status `wait_until` treats as "the resource no longer exists".
inline const std::string kGone = "(gone)";

//! Polls `read_status` until it answers `want` (kGone: the resource is gone), at most 600 times 50 ms apart
//! (the sandbox's "fast" lifecycles complete within a tick of 0.5 s; moto is immediate). Returns the last
//! status read, so a test asserts `EXPECT_EQ(wait_until(...), want)`. The only sleep in the suite.
std::string wait_until(const std::function<std::string()>& read_status, const std::string& want);

//! Status readers for wait_until: the resource's status, or kGone when it does not exist.
std::function<std::string()> cluster_status(rds::RdsClient& rds, const std::string& id);
std::function<std::string()> instance_status(rds::RdsClient& rds, const std::string& id);
std::function<std::string()> snapshot_status(rds::RdsClient& rds, const std::string& id);

//! A name unique across processes and runs ("<prefix>-<12 random [a-z0-9]>"): moto is shared by every test
//! and keeps state, so the suite never assumes an empty account. Valid as an RDS identifier when `prefix`
//! is (letter first, no double hyphen).
std::string unique_name(const std::string& prefix);

//! Runs `call`, expecting an AwsError; returns it (or a default-constructed one after a test failure).
AwsError expect_aws_error(const std::function<void()>& call);

//! The parameterized fixture; the parameter is the backend, "sandbox" or "moto".
class ClientContract : public ::testing::TestWithParam<std::string> {
protected:
    //! moto: AURORA_REQUIRE_ENV on AURORA_TEST_MOTO_URL. sandbox: starts this suite's server on first use.
    void SetUp() override;
    //! Stops the suite's sandbox (if one was started).
    static void TearDownTestSuite();

    //! A client context for the backend: us-east-1, its endpoint, curl, the key test/test, two attempts.
    ClientContext context() const;
    const BackendTraits& traits() const { return traits_; }
    bool is_moto() const { return GetParam() == "moto"; }

    //! Creates an aurora-postgresql cluster through AwsClient::query (CreateDBCluster is no pipeline call,
    //! so RdsClient has no method for it) and waits until it is available. Returns its identifier.
    std::string create_source_cluster(rds::RdsClient& rds, const std::string& prefix);
    //! Best-effort removal at the end of a test (moto keeps state across tests): instances, then the cluster.
    static void delete_cluster_quietly(rds::RdsClient& rds, const std::string& id);

private:
    static std::unique_ptr<sandbox::SandboxServer> sandbox_;
    std::string endpoint_;
    BackendTraits traits_;
};

} // namespace aurora::aws::contract
