#include "aws/aws_error.hpp"

#include <gtest/gtest.h>

namespace aurora::aws {
namespace {

TEST(AwsError, MessageNamesOperationCodeAndRequestId) {
    const AwsError e(ErrorCode::cluster_not_found,
                     {"rds", "DescribeDBClusters", "DBClusterNotFoundFault", "DBCluster x not found.", 404, "req-1", {}});
    EXPECT_EQ(e.message(), "rds DescribeDBClusters failed: DBClusterNotFoundFault: DBCluster x not found. (http 404, "
                           "request id req-1)");
    EXPECT_EQ(e.code(), ErrorCode::cluster_not_found);
    EXPECT_EQ(e.request_id(), "req-1");
}

TEST(AwsError, GenericMapping) {
    EXPECT_EQ(map_generic_aws_error("Throttling", 400), ErrorCode::throttled);
    EXPECT_EQ(map_generic_aws_error("ProvisionedThroughputExceededException", 400), ErrorCode::throttled);
    EXPECT_EQ(map_generic_aws_error("Whatever", 429), ErrorCode::throttled);
    EXPECT_EQ(map_generic_aws_error("SignatureDoesNotMatch", 403), ErrorCode::signature);
    EXPECT_EQ(map_generic_aws_error("AccessDenied", 403), ErrorCode::access_denied);
    EXPECT_EQ(map_generic_aws_error("InternalFailure", 500), ErrorCode::service_unavailable);
    EXPECT_EQ(map_generic_aws_error("InvalidParameterValue", 400), ErrorCode::invalid_parameter);
    EXPECT_EQ(map_generic_aws_error("SomethingElse", 400), ErrorCode::aws_service);
}

} // namespace
} // namespace aurora::aws
