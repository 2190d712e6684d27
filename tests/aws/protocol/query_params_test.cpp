#include "aws/protocol/model_recorder.hpp"
#include "aws/protocol/query_params.hpp"

#include <gtest/gtest.h>

namespace aurora::aws {
namespace {

TEST(QueryParams, EncodesInInsertionOrderWithRfc3986) {
    QueryParams p;
    p.add("DBClusterIdentifier", "prod orders/1+2=3")
        .add_bool("DeletionProtection", false)
        .add_int("MaxRecords", 100)
        .add_double("ServerlessV2ScalingConfiguration.MinCapacity", 0.5);
    EXPECT_EQ(p.encode(),
              "DBClusterIdentifier=prod%20orders%2F1%2B2%3D3&DeletionProtection=false&MaxRecords=100&"
              "ServerlessV2ScalingConfiguration.MinCapacity=0.5");
}

TEST(QueryParams, ListsAreOneBasedAndEmptyListsAbsent) {
    QueryParams p;
    p.add_list("VpcSecurityGroupIds", {"sg-1", "sg-2"}, "VpcSecurityGroupId");
    p.add_list("Empty", {});
    ASSERT_EQ(p.entries().size(), 2U);
    EXPECT_EQ(p.entries()[0].first, "VpcSecurityGroupIds.VpcSecurityGroupId.1");
    EXPECT_EQ(p.entries()[1].first, "VpcSecurityGroupIds.VpcSecurityGroupId.2");
    EXPECT_EQ(*p.find("VpcSecurityGroupIds.VpcSecurityGroupId.2"), "sg-2");
    EXPECT_EQ(p.find("Empty.member.1"), nullptr);
}

TEST(QueryParams, TagsUseKeyAndValue) {
    QueryParams p;
    p.add_tags("Tags", {{"team", "orders"}, {"env", "staging"}});
    EXPECT_EQ(p.encode(), "Tags.Tag.1.Key=team&Tags.Tag.1.Value=orders&Tags.Tag.2.Key=env&Tags.Tag.2.Value=staging");
}

TEST(QueryParams, TimestampIsIso8601) {
    QueryParams p;
    p.add_timestamp("RestoreToTime", Clock::WallTime{std::chrono::seconds{1'700'000'000}});
    EXPECT_EQ(p.encode(), "RestoreToTime=2023-11-14T22%3A13%3A20Z");
}

TEST(QueryKeyToPath, DerivesShapePaths) {
    EXPECT_EQ(query_key_to_path("DBClusterIdentifier"), "DBClusterIdentifier");
    EXPECT_EQ(query_key_to_path("Filters.member.1.Name"), "Filters[].Name");
    EXPECT_EQ(query_key_to_path("Filters.Filter.3.Values.Value.2"), "Filters[].Values[]");
    EXPECT_EQ(query_key_to_path("Filters.member.1.Values.member.2"), "Filters[].Values[]");
    EXPECT_EQ(query_key_to_path("Tags.Tag.1.Key"), "Tags[].Key");
    EXPECT_EQ(query_key_to_path("ServerlessV2ScalingConfiguration.MinCapacity"),
              "ServerlessV2ScalingConfiguration.MinCapacity");
    EXPECT_EQ(query_key_to_path("MessageAttributes.entry.1.Value.DataType"), "MessageAttributes[].Value.DataType");
    EXPECT_EQ(query_key_to_path("Attributes.entry.2.key"), "Attributes[].key");
    EXPECT_EQ(query_key_to_path("Foo.1"), "Foo[]");
    EXPECT_EQ(query_key_to_path("MetricData.member.1.Dimensions.member.2.Value"), "MetricData[].Dimensions[].Value");
}

TEST(QueryParams, RecordsEveryParameterWithItsType) {
    ModelRecorder rec;
    ScopedModelRecorder guard(rec);
    QueryParams p;
    p.add("DBClusterIdentifier", "a")
        .add_int("MaxRecords", 20)
        .add_bool("CopyTags", true)
        .add_timestamp("RestoreToTime", Clock::WallTime{})
        .add_double("ServerlessV2ScalingConfiguration.MaxCapacity", 8);
    p.add_list("Filters.member.1.Values", {"x", "y"});
    p.add_tags("Tags", {{"k", "v"}});
    p.record();
    std::vector<std::pair<std::string, RecordedType>> got;
    for (const auto& a : rec.sent) {
        EXPECT_TRUE(a.found);
        got.emplace_back(a.path, a.type);
    }
    const std::vector<std::pair<std::string, RecordedType>> want = {
        {"DBClusterIdentifier", RecordedType::string},
        {"MaxRecords", RecordedType::integer},
        {"CopyTags", RecordedType::boolean},
        {"RestoreToTime", RecordedType::timestamp},
        {"ServerlessV2ScalingConfiguration.MaxCapacity", RecordedType::double_},
        {"Filters[].Values[]", RecordedType::string}, // two values, one de-duplicated entry
        {"Tags[].Key", RecordedType::string},
        {"Tags[].Value", RecordedType::string},
    };
    EXPECT_EQ(got, want);
}

TEST(QueryParams, RecordsNothingWithoutRecorder) {
    ASSERT_EQ(model_recorder(), nullptr);
    QueryParams p;
    p.add("A", "b");
    p.record(); // no recorder installed: must not crash
    ModelRecorder rec;
    {
        ScopedModelRecorder guard(rec);
        EXPECT_EQ(model_recorder(), &rec);
    }
    EXPECT_EQ(model_recorder(), nullptr);
    EXPECT_TRUE(rec.sent.empty());
}

} // namespace
} // namespace aurora::aws
