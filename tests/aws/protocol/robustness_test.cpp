// The readers face outside input: truncated, mutated or hostile bodies must end in aurora::Error (or a
// value), never in a crash or another exception type. Seeded mutations, so every run checks the same inputs.
#include "aws/protocol/json_reader.hpp"
#include "aws/protocol/xml_reader.hpp"
#include "common/error.hpp"

#include <gtest/gtest.h>

#include <random>

namespace aurora::aws {
namespace {

constexpr const char* kXml =
    "<DescribeDBClustersResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><DescribeDBClustersResult>"
    "<DBClusters><DBCluster><DBClusterIdentifier>a&amp;b</DBClusterIdentifier><Port>5432</Port>"
    "<StorageEncrypted>true</StorageEncrypted><ClusterCreateTime>2024-01-31T02:00:00Z</ClusterCreateTime>"
    "<AvailabilityZones><AvailabilityZone>us-east-1a</AvailabilityZone></AvailabilityZones>"
    "<DBClusterMembers><DBClusterMember><IsClusterWriter>true</IsClusterWriter></DBClusterMember>"
    "</DBClusterMembers></DBCluster></DBClusters></DescribeDBClustersResult>"
    "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeDBClustersResponse>";

constexpr const char* kJson =
    R"({"SecretList":[{"Name":"a","CreatedDate":1700000000.25,"Tags":[{"Key":"k","Value":"v"}],"RotationEnabled":false,
    "VersionIdsToStages":{"v1":["AWSCURRENT"]},"Count":3}],"NextToken":"t"})";

std::string mutate(const std::string& in, std::mt19937_64& rng) {
    std::string s = in;
    const int edits = 1 + static_cast<int>(rng() % 4);
    static constexpr char kAlphabet[] = "<>/&;\"'{}[]:,.0123456789-eE+ aZ\\\x00\xff";
    for (int i = 0; i < edits && !s.empty(); ++i) {
        const std::size_t pos = rng() % s.size();
        switch (rng() % 4) {
        case 0: s.erase(pos, 1 + rng() % 8); break;
        case 1: s.insert(pos, 1, kAlphabet[rng() % (sizeof kAlphabet - 1)]); break;
        case 2: s[pos] = kAlphabet[rng() % (sizeof kAlphabet - 1)]; break;
        default: s.resize(pos); break;
        }
    }
    return s;
}

void read_everything_xml(const XmlNode& result) {
    for (const auto& c : result.list("DBClusters", "DBCluster")) {
        (void)c.text("DBClusterIdentifier");
        (void)c.integer("Port");
        (void)c.boolean("StorageEncrypted");
        (void)c.timestamp("ClusterCreateTime");
        (void)c.string_list("AvailabilityZones", "AvailabilityZone");
        for (const auto& m : c.list("DBClusterMembers", "DBClusterMember")) {
            (void)m.boolean("IsClusterWriter");
        }
    }
}

void read_everything_json(const JsonReader& result) {
    for (const auto& s : result.list("SecretList")) {
        (void)s.text("Name");
        (void)s.timestamp("CreatedDate");
        (void)s.boolean("RotationEnabled");
        (void)s.integer("Count");
        (void)s.raw("VersionIdsToStages");
        for (const auto& t : s.list("Tags")) {
            (void)t.text("Key");
        }
    }
    (void)result.text("NextToken");
}

TEST(ReaderRobustness, MutatedXmlEndsInErrorOrValue) {
    std::mt19937_64 rng(1234);
    int parsed = 0;
    for (int i = 0; i < 5000; ++i) {
        const std::string body = mutate(kXml, rng);
        try {
            const XmlResponse resp(body, "DescribeDBClusters");
            read_everything_xml(resp.result());
            ++parsed;
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::aws_service) << e.what();
        }
    }
    EXPECT_GT(parsed, 0);
}

TEST(ReaderRobustness, MutatedJsonEndsInErrorOrValue) {
    std::mt19937_64 rng(5678);
    int parsed = 0;
    for (int i = 0; i < 5000; ++i) {
        const std::string body = mutate(kJson, rng);
        try {
            const JsonResponse resp(body, "");
            read_everything_json(resp.result());
            ++parsed;
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::aws_service) << e.what();
        }
    }
    EXPECT_GT(parsed, 0);
}

TEST(ReaderRobustness, HostileShapes) {
    // Deep nesting, huge numbers, wrong kinds at every level.
    const std::string deep = std::string(10000, '[') + std::string(10000, ']');
    const JsonResponse r(deep, "");
    EXPECT_EQ(r.result().text("x"), std::nullopt); // not an object: nothing to read, no crash
    EXPECT_THROW(JsonResponse(R"({"Count":1e400})", ""), Error);
    const JsonResponse big(R"({"Count":1e300,"N":-99999999999999999999999,"SecretList":{"not":"a list"}})", "");
    EXPECT_THROW((void)big.result().integer("N"), Error);
    EXPECT_THROW((void)big.result().integer("Count"), Error);
    EXPECT_THROW((void)big.result().list("SecretList"), Error);
    const XmlResponse x("<XResponse><XResult><Port>99999999999999999999999</Port><T1>-024-01-31T02:00:00Z</T1>"
                        "<T2>0001-01-01T00:00:00Z</T2><T3>9999-12-31T00:00:00Z</T3></XResult></XResponse>",
                        "X");
    EXPECT_THROW((void)x.result().integer("Port"), Error);
    for (const char* t : {"T1", "T2", "T3"}) {
        EXPECT_THROW((void)x.result().timestamp(t), Error) << t; // outside what a time_point can hold
    }
    const JsonResponse j(R"({"T1":1e12,"T2":-1e11,"T3":1700000000})", "");
    EXPECT_THROW((void)j.result().timestamp("T1"), Error);
    EXPECT_THROW((void)j.result().timestamp("T2"), Error);
    EXPECT_TRUE(j.result().timestamp("T3").has_value());
}

} // namespace
} // namespace aurora::aws
