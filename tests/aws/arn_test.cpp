#include "aws/arn.hpp"

#include <gtest/gtest.h>

namespace aurora::aws {
namespace {

TEST(Arn, ParsesRdsSnapshotArn) {
    const auto arn = parse_arn("arn:aws:rds:us-east-1:123456789012:cluster-snapshot:rds:prod-2024-01-01-02-00");
    ASSERT_TRUE(arn.has_value());
    EXPECT_EQ(arn->partition, "aws");
    EXPECT_EQ(arn->service, "rds");
    EXPECT_EQ(arn->region, "us-east-1");
    EXPECT_EQ(arn->account, "123456789012");
    EXPECT_EQ(arn->resource_type(), "cluster-snapshot");
    EXPECT_EQ(arn->resource_id(), "rds:prod-2024-01-01-02-00");
    EXPECT_EQ(arn->to_string(), "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:rds:prod-2024-01-01-02-00");
}

TEST(Arn, ParsesArnsWithoutResourceType) {
    const auto arn = parse_arn("arn:aws:sns:us-west-2:123456789012:db-restores");
    ASSERT_TRUE(arn.has_value());
    EXPECT_EQ(arn->resource, "db-restores");
    EXPECT_EQ(arn->resource_type(), "");
    EXPECT_EQ(arn->resource_id(), "db-restores");
}

TEST(Arn, RejectsNonArns) {
    EXPECT_FALSE(parse_arn("prod-orders").has_value());
    EXPECT_FALSE(parse_arn("arn:aws:rds").has_value());
    EXPECT_FALSE(parse_arn("arn::rds:us-east-1:1:x").has_value());
}

TEST(Arn, PartitionForRegion) {
    EXPECT_EQ(partition_for_region("us-east-1"), "aws");
    EXPECT_EQ(partition_for_region("cn-north-1"), "aws-cn");
    EXPECT_EQ(partition_for_region("us-gov-west-1"), "aws-us-gov");
}

} // namespace
} // namespace aurora::aws
