#include "aws/protocol/json_reader.hpp"
#include "aws/protocol/model_recorder.hpp"
#include "aws/protocol/xml_reader.hpp"
#include "common/error.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace aurora::aws {
namespace {

constexpr const char* kDescribe = R"(<DescribeDBClustersResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/">
  <DescribeDBClustersResult>
    <Marker>next-page</Marker>
    <DBClusters>
      <DBCluster>
        <DBClusterIdentifier>prod-orders</DBClusterIdentifier>
        <Port>5432</Port>
        <StorageEncrypted>true</StorageEncrypted>
        <ClusterCreateTime>2024-01-31T02:00:00.123Z</ClusterCreateTime>
        <AvailabilityZones><AvailabilityZone>us-east-1a</AvailabilityZone><AvailabilityZone>us-east-1b</AvailabilityZone></AvailabilityZones>
        <DBClusterMembers>
          <DBClusterMember><DBInstanceIdentifier>i1</DBInstanceIdentifier><IsClusterWriter>true</IsClusterWriter></DBClusterMember>
          <DBClusterMember><DBInstanceIdentifier>i2</DBInstanceIdentifier><IsClusterWriter>false</IsClusterWriter></DBClusterMember>
        </DBClusterMembers>
        <ServerlessV2ScalingConfiguration><MinCapacity>0.5</MinCapacity></ServerlessV2ScalingConfiguration>
      </DBCluster>
    </DBClusters>
  </DescribeDBClustersResult>
  <ResponseMetadata><RequestId>req-123</RequestId></ResponseMetadata>
</DescribeDBClustersResponse>)";

bool has(const std::vector<RecordedAccess>& v, const std::string& path, RecordedType type, bool found) {
    return std::any_of(v.begin(), v.end(),
                       [&](const RecordedAccess& a) { return a.path == path && a.type == type && a.found == found; });
}

TEST(XmlResponse, ReadsTypedMembers) {
    const XmlResponse resp(kDescribe, "DescribeDBClusters");
    EXPECT_EQ(resp.request_id(), "req-123");
    const XmlNode result = resp.result();
    ASSERT_TRUE(result.valid());
    EXPECT_EQ(result.text("Marker"), "next-page");
    const auto clusters = result.list("DBClusters", "DBCluster");
    ASSERT_EQ(clusters.size(), 1U);
    const XmlNode& c = clusters[0];
    EXPECT_EQ(c.text("DBClusterIdentifier"), "prod-orders");
    EXPECT_EQ(c.integer("Port"), 5432);
    EXPECT_EQ(c.boolean("StorageEncrypted"), true);
    EXPECT_EQ(c.timestamp("ClusterCreateTime"), parse_iso8601("2024-01-31T02:00:00.123Z"));
    EXPECT_EQ(c.string_list("AvailabilityZones", "AvailabilityZone"),
              (std::vector<std::string>{"us-east-1a", "us-east-1b"}));
    const auto members = c.list("DBClusterMembers", "DBClusterMember");
    ASSERT_EQ(members.size(), 2U);
    EXPECT_EQ(members[1].boolean("IsClusterWriter"), false);
    EXPECT_EQ(c.child("ServerlessV2ScalingConfiguration").number("MinCapacity"), 0.5);
    EXPECT_EQ(c.text("Missing"), std::nullopt);
    EXPECT_FALSE(c.child("Missing").valid());
    EXPECT_EQ(c.child("Missing").text("Deeper"), std::nullopt);
    EXPECT_TRUE(c.list("Missing").empty());
}

TEST(XmlResponse, NodesOutliveTheResponse) {
    std::vector<XmlNode> clusters;
    {
        const XmlResponse resp(kDescribe, "DescribeDBClusters");
        clusters = resp.result().list("DBClusters", "DBCluster");
    }
    ASSERT_EQ(clusters.size(), 1U);
    EXPECT_EQ(clusters[0].text("DBClusterIdentifier"), "prod-orders");
}

TEST(XmlResponse, WrongTypeIsAnAwsServiceError) {
    const XmlResponse resp("<XResponse><XResult><Port>abc</Port><Flag>yes</Flag><T>yesterday</T></XResult></XResponse>",
                           "X");
    try {
        (void)resp.result().integer("Port");
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::aws_service);
        EXPECT_NE(e.message().find("Port"), std::string::npos);
    }
    EXPECT_THROW((void)resp.result().boolean("Flag"), Error);
    EXPECT_THROW((void)resp.result().timestamp("T"), Error);
}

TEST(XmlResponse, MalformedXmlThrows) {
    EXPECT_THROW(XmlResponse("<oops", "X"), Error);
}

TEST(XmlResponse, NoResultElementGivesInvalidNode) {
    const XmlResponse resp(
        "<RemoveTagsFromResourceResponse><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>"
        "</RemoveTagsFromResourceResponse>",
        "RemoveTagsFromResource");
    EXPECT_FALSE(resp.result().valid());
    EXPECT_EQ(resp.request_id(), "r");
}

TEST(XmlResponse, RecordsEveryReadWithPathTypeAndPresence) {
    ModelRecorder rec;
    ScopedModelRecorder guard(rec);
    const XmlResponse resp(kDescribe, "DescribeDBClusters");
    const auto clusters = resp.result().list("DBClusters", "DBCluster");
    (void)clusters[0].integer("Port");
    (void)clusters[0].string_list("AvailabilityZones", "AvailabilityZone");
    (void)clusters[0].string_list("CustomEndpoints");
    for (const auto& m : clusters[0].list("DBClusterMembers", "DBClusterMember")) {
        (void)m.boolean("IsClusterWriter");
    }
    (void)clusters[0].child("ServerlessV2ScalingConfiguration").number("MaxCapacity");
    (void)clusters[0].timestamp("ClusterCreateTime");
    EXPECT_TRUE(has(rec.read, "DBClusters", RecordedType::list, true));
    EXPECT_TRUE(has(rec.read, "DBClusters[].Port", RecordedType::integer, true));
    EXPECT_TRUE(has(rec.read, "DBClusters[].AvailabilityZones", RecordedType::list, true));
    EXPECT_TRUE(has(rec.read, "DBClusters[].AvailabilityZones[]", RecordedType::string, true));
    EXPECT_TRUE(has(rec.read, "DBClusters[].CustomEndpoints", RecordedType::list, false));
    EXPECT_TRUE(has(rec.read, "DBClusters[].CustomEndpoints[]", RecordedType::string, false));
    EXPECT_TRUE(has(rec.read, "DBClusters[].DBClusterMembers[].IsClusterWriter", RecordedType::boolean, true));
    EXPECT_TRUE(has(rec.read, "DBClusters[].ServerlessV2ScalingConfiguration", RecordedType::structure, true));
    EXPECT_TRUE(
        has(rec.read, "DBClusters[].ServerlessV2ScalingConfiguration.MaxCapacity", RecordedType::double_, false));
    EXPECT_TRUE(has(rec.read, "DBClusters[].ClusterCreateTime", RecordedType::timestamp, true));
    // Two members read IsClusterWriter: one de-duplicated entry.
    EXPECT_EQ(std::count_if(rec.read.begin(), rec.read.end(),
                            [](const RecordedAccess& a) {
                                return a.path == "DBClusters[].DBClusterMembers[].IsClusterWriter";
                            }),
              1);
}

TEST(JsonResponse, ReadsTypedMembers) {
    const JsonResponse resp(R"({"ARN":"arn:aws:secretsmanager:us-east-1:1:secret:x","VersionStages":["AWSCURRENT"],
        "CreatedDate":1700000000.5,"Count":3,"Ratio":0.25,"Enabled":true,"Nested":{"A":"b"},
        "Items":[{"pk":{"S":"1"}},{"pk":{"S":"2"}}],"Null":null})",
                            "rid");
    EXPECT_EQ(resp.request_id(), "rid");
    const JsonReader r = resp.result();
    EXPECT_EQ(r.text("ARN"), "arn:aws:secretsmanager:us-east-1:1:secret:x");
    EXPECT_EQ(r.string_list("VersionStages"), std::vector<std::string>{"AWSCURRENT"});
    EXPECT_EQ(r.timestamp("CreatedDate"), Clock::WallTime{std::chrono::milliseconds{1'700'000'000'500}});
    EXPECT_EQ(r.integer("Count"), 3);
    EXPECT_EQ(r.number("Ratio"), 0.25);
    EXPECT_EQ(r.boolean("Enabled"), true);
    EXPECT_EQ(r.child("Nested").text("A"), "b");
    const auto items = r.list("Items");
    ASSERT_EQ(items.size(), 2U);
    EXPECT_EQ(items[1].raw("pk"), nlohmann::json({{"S", "2"}}));
    EXPECT_EQ(r.text("Null"), std::nullopt);
    EXPECT_EQ(r.text("Missing"), std::nullopt);
    EXPECT_FALSE(r.child("Missing").valid());
    EXPECT_EQ(r.child("Missing").integer("X"), std::nullopt);
}

TEST(JsonResponse, WrongTypeThrowsAndEmptyBodyIsEmptyObject) {
    const JsonResponse resp(R"({"Count":"three","Name":5})", "");
    EXPECT_THROW((void)resp.result().integer("Count"), Error);
    EXPECT_THROW((void)resp.result().text("Name"), Error);
    EXPECT_THROW(JsonResponse("{oops", ""), Error);
    const JsonResponse empty("", "");
    EXPECT_TRUE(empty.result().valid());
    EXPECT_EQ(empty.result().text("Anything"), std::nullopt);
}

TEST(JsonResponse, RecordsReads) {
    ModelRecorder rec;
    ScopedModelRecorder guard(rec);
    const JsonResponse resp(R"({"Items":[{"pk":{"S":"1"}}],"Tags":["a"]})", "");
    for (const auto& item : resp.result().list("Items")) {
        (void)item.raw("pk");
        (void)item.raw("absent");
    }
    (void)resp.result().string_list("Tags");
    (void)resp.result().timestamp("LastModified");
    EXPECT_TRUE(has(rec.read, "Items", RecordedType::list, true));
    EXPECT_TRUE(has(rec.read, "Items[].pk", RecordedType::map, true));
    EXPECT_TRUE(has(rec.read, "Items[].absent", RecordedType::map, false));
    EXPECT_TRUE(has(rec.read, "Tags", RecordedType::list, true));
    EXPECT_TRUE(has(rec.read, "Tags[]", RecordedType::string, true));
    EXPECT_TRUE(has(rec.read, "LastModified", RecordedType::timestamp, false));
}

} // namespace
} // namespace aurora::aws
