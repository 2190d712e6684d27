#include "contract_fixture.hpp"

#include "aws/http/curl_http_client.hpp"
#include "sandbox/sandbox_server.hpp"
#include "support/requirements.hpp"

#include <chrono>
#include <random>
#include <thread>

namespace aurora::aws::contract {

BackendTraits sandbox_traits() {
    return BackendTraits{};
}

BackendTraits moto_traits() {
    BackendTraits t;
    t.has_lifecycles = false;
    t.raises_cluster_already_exists = false;
    t.paginates = false;
    t.validates_max_records = false;
    t.tags_require_existing_resource = false;
    t.modify_missing_cluster_is_not_found = false;
    t.delete_cluster_reports_deleting = false;
    t.kms_reports_default_key_usage = false;
    return t;
}

std::string wait_until(const std::function<std::string()>& read_status, const std::string& want) {
    constexpr int kPolls = 600;
    std::string status = read_status();
    for (int i = 1; i < kPolls && status != want; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        status = read_status();
    }
    return status;
}

std::function<std::string()> cluster_status(rds::RdsClient& rds, const std::string& id) {
    return [&rds, id] {
        auto c = rds.find_db_cluster(id);
        return c ? c->status : kGone;
    };
}

std::function<std::string()> instance_status(rds::RdsClient& rds, const std::string& id) {
    return [&rds, id] {
        auto i = rds.find_db_instance(id);
        return i ? i->status : kGone;
    };
}

std::function<std::string()> snapshot_status(rds::RdsClient& rds, const std::string& id) {
    return [&rds, id] {
        auto s = rds.find_db_cluster_snapshot(id);
        return s ? s->status : kGone;
    };
}

std::string unique_name(const std::string& prefix) {
    static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    thread_local std::mt19937_64 engine{std::random_device{}()};
    std::uniform_int_distribution<std::size_t> pick(0, sizeof(kAlphabet) - 2);
    std::string out = prefix + "-";
    for (int i = 0; i < 12; ++i) {
        out += kAlphabet[pick(engine)];
    }
    return out;
}

AwsError expect_aws_error(const std::function<void()>& call) {
    try {
        call();
    } catch (const AwsError& e) {
        return e;
    }
    ADD_FAILURE() << "expected an AwsError, the call succeeded";
    return AwsError(ErrorCode::internal, AwsError::Details{});
}

std::unique_ptr<sandbox::SandboxServer> ClientContract::sandbox_;

void ClientContract::SetUp() {
    if (is_moto()) {
        AURORA_REQUIRE_ENV(url, "AURORA_TEST_MOTO_URL", "moto_server (scripts/services.sh start)");
        endpoint_ = url;
        traits_ = moto_traits();
        return;
    }
    if (!sandbox_) {
        sandbox_ = std::make_unique<sandbox::SandboxServer>(sandbox::SandboxOptions{});
        sandbox_->start();
    }
    endpoint_ = sandbox_->endpoint();
    traits_ = sandbox_traits();
}

void ClientContract::TearDownTestSuite() {
    if (sandbox_) {
        sandbox_->stop();
        sandbox_.reset();
    }
}

ClientContext ClientContract::context() const {
    ClientContext c;
    c.region = "us-east-1";
    c.endpoint_url = endpoint_;
    c.http = std::make_shared<CurlHttpClient>();
    // The sandbox accepts the well-known key test/test; moto accepts any key.
    c.credentials = std::make_shared<StaticCredentialsProvider>(Credentials{"test", "test", "", std::nullopt, "test"});
    // One retry only: moto's HTTP 500 (BackendTraits::modify_missing_cluster_is_not_found) is retryable.
    c.retry.max_attempts = 2;
    c.retry.base_delay = std::chrono::milliseconds(10);
    return c;
}

std::string ClientContract::create_source_cluster(rds::RdsClient& rds, const std::string& prefix) {
    std::string id = unique_name(prefix);
    QueryParams create;
    create.add("DBClusterIdentifier", id);
    create.add("Engine", "aurora-postgresql");
    create.add("MasterUsername", "dbadmin");
    create.add("MasterUserPassword", "contract-master-password");
    rds.core().query("CreateDBCluster", create);
    EXPECT_EQ(wait_until(cluster_status(rds, id), "available"), "available") << id;
    return id;
}

void ClientContract::delete_cluster_quietly(rds::RdsClient& rds, const std::string& id) {
    try {
        rds::DescribeDbInstancesRequest members;
        members.filters = {{"db-cluster-id", {id}}};
        for (const auto& i : rds.describe_all_db_instances(members)) {
            rds::DeleteDbInstanceRequest del;
            del.instance_identifier = i.identifier;
            rds.delete_db_instance(del);
            wait_until(instance_status(rds, i.identifier), kGone);
        }
        wait_until(cluster_status(rds, id), "available");
        rds::DeleteDbClusterRequest del;
        del.cluster_identifier = id;
        rds.delete_db_cluster(del);
    } catch (const Error&) {
        // Best effort: the test already asserted what it needed; a leftover only costs moto memory.
        return;
    }
}

namespace {

//! Test names end in the backend ("…/sandbox", "…/moto"), so `ctest -R moto` selects one backend.
std::string backend_name(const ::testing::TestParamInfo<std::string>& param_info) {
    return param_info.param;
}

} // namespace

INSTANTIATE_TEST_SUITE_P(Backends, ClientContract, ::testing::Values("sandbox", "moto"), backend_name);

} // namespace aurora::aws::contract
