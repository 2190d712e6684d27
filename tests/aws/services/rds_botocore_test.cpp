// The RDS client's cross-region CopyDBClusterSnapshot against botocore's own client at a frozen time: the
// same parameters must give the same form body, PreSignedUrl included (botocore generates it from
// SourceRegion in handlers.inject_presigned_url_rds). Label botocore.

#include "fake_http.hpp"

#include "aws/rds/rds_client.hpp"
#include "support/requirements.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

namespace aurora::aws::testing {
namespace {

using nlohmann::json;

bool botocore_available() { return std::filesystem::exists(std::string(AURORA_BOTOCORE_DATA_DIR) + "/rds"); }

std::string botocore_body(const nlohmann::ordered_json& spec) {
    const std::string cmd =
        "'" AURORA_BOTOCORE_PYTHON "' '" AURORA_BOTOCORE_RDS_COPY_SCRIPT "' '" + spec.dump() + "'";
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
    std::string out;
    std::array<char, 4096> buf{};
    while (pipe && fgets(buf.data(), static_cast<int>(buf.size()), pipe.get()) != nullptr) {
        out += buf.data();
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) {
        out.pop_back();
    }
    return out;
}

struct CopyCase {
    std::string name;
    rds::CopyDbClusterSnapshotRequest request;
    std::string session_token;
    std::string region;
};

//! The parameters in the client's order: botocore serializes them in the order the caller's dict has.
nlohmann::ordered_json to_botocore_params(const rds::CopyDbClusterSnapshotRequest& r) {
    nlohmann::ordered_json p{{"SourceDBClusterSnapshotIdentifier", r.source_identifier},
           {"TargetDBClusterSnapshotIdentifier", r.target_identifier}};
    if (!r.kms_key_id.empty()) {
        p["KmsKeyId"] = r.kms_key_id;
    }
    if (r.copy_tags) {
        p["CopyTags"] = *r.copy_tags;
    }
    if (!r.tags.empty()) {
        nlohmann::ordered_json tags = nlohmann::ordered_json::array();
        for (const auto& t : r.tags) {
            tags.push_back({{"Key", t.key}, {"Value", t.value}});
        }
        p["Tags"] = tags;
    }
    return p;
}

TEST(RdsBotocore, CrossRegionCopyBodyMatchesBotocore) {
    AURORA_REQUIRE(botocore_available(), "python3 with botocore (found at configure time)");
    std::vector<CopyCase> cases;
    {
        CopyCase c{"encrypted copy with tags", {}, "", "us-west-2"};
        c.request.source_identifier = "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:rds:prod-orders-2024-01-31-02-00";
        c.request.target_identifier = "prod-orders-copy-r-7f3a";
        c.request.kms_key_id = "arn:aws:kms:us-west-2:123456789012:alias/staging-rds";
        c.request.copy_tags = true;
        c.request.tags = {{"aurora-restore:id", "r-7f3a"}, {"aurora-restore:expires", "2024-02-07T02:00:00Z"}};
        c.request.source_region = "us-east-1";
        cases.push_back(c);
    }
    {
        CopyCase c{"session token, minimal", {}, "FwoGZXIvYXdzEBYaDH+session/token==", "eu-central-1"};
        c.request.source_identifier = "arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:manual-1";
        c.request.target_identifier = "manual-1";
        c.request.source_region = "eu-west-1";
        cases.push_back(c);
    }
    {
        CopyCase c{"china partition, reserved characters in tags", {}, "", "cn-north-1"};
        c.request.source_identifier = "arn:aws-cn:rds:cn-northwest-1:123456789012:cluster-snapshot:s";
        c.request.target_identifier = "s-copy";
        c.request.kms_key_id = "alias/k";
        c.request.copy_tags = false;
        c.request.tags = {{"path", "a/b?c=d&e"}, {"note", "caf\xc3\xa9 ~*"}};
        c.request.source_region = "cn-northwest-1";
        cases.push_back(c);
    }
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        TestContext t;
        t.http->push(200, "<CopyDBClusterSnapshotResponse><CopyDBClusterSnapshotResult><DBClusterSnapshot/>"
                          "</CopyDBClusterSnapshotResult></CopyDBClusterSnapshotResponse>");
        ClientContext ctx = t.context(c.region);
        ctx.credentials = std::make_shared<StaticCredentialsProvider>(
            Credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", c.session_token, std::nullopt, "t"});
        rds::RdsClient(std::move(ctx)).copy_db_cluster_snapshot(c.request);

        const nlohmann::ordered_json spec{{"time", 1'700'000'000},
                        {"region", c.region},
                        {"source_region", c.request.source_region},
                        {"access_key", "AKIDEXAMPLE"},
                        {"secret_key", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"},
                        {"session_token", c.session_token},
                        {"params", to_botocore_params(c.request)}};
        const std::string expected = botocore_body(spec);
        ASSERT_FALSE(expected.empty()) << "botocore produced no body";
        // Compared decoded, pair by pair and in order: the form encoding of a space ('+' vs '%20') is the
        // only freedom the protocol leaves, and the PreSignedUrl value must match byte for byte.
        EXPECT_EQ(parse_form(t.http->last().body), parse_form(expected));
    }
}

} // namespace
} // namespace aurora::aws::testing
