// The service error codes the clients map, spelled as the botocore models put them on the wire: each
// exception shape's "error.code" (which differs from the shape name for some RDS faults, e.g.
// DBInstanceNotFoundFault is sent as "DBInstanceNotFound") must map to the catalogue code the pipeline
// matches on. Label botocore.

#include "botocore_model.hpp"

#include "aws/dynamodb/dynamodb_client.hpp"
#include "aws/kms/kms_client.hpp"
#include "aws/rds/rds_client.hpp"
#include "aws/secretsmanager/secrets_manager_client.hpp"
#include "aws/sfn/sfn_client.hpp"
#include "aws/sns/sns_client.hpp"
#include "aws/sts/sts_client.hpp"
#include "support/requirements.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <functional>
#include <string>
#include <vector>

namespace aurora::aws::testing {
namespace {

struct Expectation {
    std::string service;
    std::string version;
    std::string shape; //!< the exception shape in the model
    ErrorCode expected;
};

using Mapper = std::function<std::optional<ErrorCode>(const std::string&, int)>;

Mapper mapper_for(const std::string& service) {
    if (service == "rds") {
        return rds::rds_error_code;
    }
    if (service == "sts") {
        return sts::sts_error_code;
    }
    if (service == "sns") {
        return sns::sns_error_code;
    }
    if (service == "secretsmanager") {
        return secretsmanager::secrets_manager_error_code;
    }
    if (service == "kms") {
        return kms::kms_error_code;
    }
    if (service == "dynamodb") {
        return dynamodb::dynamodb_error_code;
    }
    return sfn::sfn_error_code;
}

TEST(ErrorCodesModel, ModelWireCodesMapToTheCatalogue) {
    const std::string dir = AURORA_BOTOCORE_DATA_DIR;
    AURORA_REQUIRE(std::filesystem::exists(dir + "/rds"), "botocore's API models");
    const std::string rds = "2014-10-31";
    const std::vector<Expectation> expectations = {
        {"rds", rds, "DBClusterSnapshotNotFoundFault", ErrorCode::snapshot_not_found},
        {"rds", rds, "DBSnapshotNotFoundFault", ErrorCode::snapshot_not_found},
        {"rds", rds, "DBClusterNotFoundFault", ErrorCode::cluster_not_found},
        {"rds", rds, "DBInstanceNotFoundFault", ErrorCode::instance_not_found},
        {"rds", rds, "DBClusterAlreadyExistsFault", ErrorCode::already_exists},
        {"rds", rds, "DBInstanceAlreadyExistsFault", ErrorCode::already_exists},
        {"rds", rds, "DBClusterSnapshotAlreadyExistsFault", ErrorCode::already_exists},
        {"rds", rds, "InvalidDBClusterStateFault", ErrorCode::invalid_state},
        {"rds", rds, "InvalidDBInstanceStateFault", ErrorCode::invalid_state},
        {"rds", rds, "InvalidDBClusterSnapshotStateFault", ErrorCode::invalid_state},
        {"rds", rds, "InvalidDBSnapshotStateFault", ErrorCode::invalid_state},
        {"rds", rds, "InvalidRestoreFault", ErrorCode::invalid_state},
        {"rds", rds, "KMSKeyNotAccessibleFault", ErrorCode::kms_key_not_accessible},
        {"rds", rds, "DBSubnetGroupNotFoundFault", ErrorCode::not_found},
        {"rds", rds, "DBClusterParameterGroupNotFoundFault", ErrorCode::not_found},
        {"rds", rds, "DBParameterGroupNotFoundFault", ErrorCode::not_found},
        {"rds", rds, "SnapshotQuotaExceededFault", ErrorCode::quota_exceeded},
        {"rds", rds, "DBClusterQuotaExceededFault", ErrorCode::quota_exceeded},
        {"rds", rds, "InstanceQuotaExceededFault", ErrorCode::quota_exceeded},
        {"rds", rds, "StorageQuotaExceededFault", ErrorCode::quota_exceeded},
        {"sts", "2011-06-15", "ExpiredTokenException", ErrorCode::credentials},
        {"sts", "2011-06-15", "InvalidIdentityTokenException", ErrorCode::credentials},
        {"sts", "2011-06-15", "IDPRejectedClaimException", ErrorCode::credentials},
        {"sts", "2011-06-15", "RegionDisabledException", ErrorCode::access_denied},
        {"sts", "2011-06-15", "MalformedPolicyDocumentException", ErrorCode::invalid_parameter},
        {"sts", "2011-06-15", "PackedPolicyTooLargeException", ErrorCode::invalid_parameter},
        {"sns", "2010-03-31", "NotFoundException", ErrorCode::not_found},
        {"sns", "2010-03-31", "InvalidParameterException", ErrorCode::invalid_parameter},
        {"sns", "2010-03-31", "InvalidParameterValueException", ErrorCode::invalid_parameter},
        {"sns", "2010-03-31", "KMSDisabledException", ErrorCode::kms_key_not_accessible},
        {"sns", "2010-03-31", "AuthorizationErrorException", ErrorCode::access_denied},
        {"secretsmanager", "2017-10-17", "ResourceNotFoundException", ErrorCode::secret_not_found},
        {"secretsmanager", "2017-10-17", "ResourceExistsException", ErrorCode::already_exists},
        {"secretsmanager", "2017-10-17", "DecryptionFailure", ErrorCode::kms_key_not_accessible},
        {"secretsmanager", "2017-10-17", "InvalidRequestException", ErrorCode::invalid_state},
        {"kms", "2014-11-01", "NotFoundException", ErrorCode::not_found},
        {"kms", "2014-11-01", "DisabledException", ErrorCode::kms_key_not_accessible},
        {"kms", "2014-11-01", "KMSInvalidStateException", ErrorCode::kms_key_not_accessible},
        {"dynamodb", "2012-08-10", "ResourceNotFoundException", ErrorCode::not_found},
        {"dynamodb", "2012-08-10", "ConditionalCheckFailedException", ErrorCode::invalid_state},
        {"dynamodb", "2012-08-10", "ItemCollectionSizeLimitExceededException", ErrorCode::quota_exceeded},
        {"stepfunctions", "2016-11-23", "ExecutionDoesNotExist", ErrorCode::not_found},
        {"stepfunctions", "2016-11-23", "StateMachineDoesNotExist", ErrorCode::not_found},
        {"stepfunctions", "2016-11-23", "TaskDoesNotExist", ErrorCode::not_found},
        {"stepfunctions", "2016-11-23", "ExecutionAlreadyExists", ErrorCode::already_exists},
        {"stepfunctions", "2016-11-23", "TaskTimedOut", ErrorCode::invalid_state},
        {"stepfunctions", "2016-11-23", "InvalidToken", ErrorCode::invalid_parameter},
    };
    std::map<std::string, std::unique_ptr<BotocoreModel>> models;
    for (const auto& e : expectations) {
        SCOPED_TRACE(e.service + ":" + e.shape);
        auto& model = models[e.service];
        if (!model) {
            model = std::make_unique<BotocoreModel>(dir, e.service, e.version);
        }
        const auto& shape = model->shape(e.shape);
        ASSERT_TRUE(shape.value("exception", false)) << "not an exception shape";
        const std::string wire = shape.contains("error") ? shape["error"].value("code", e.shape) : e.shape;
        const int status = shape.contains("error") ? shape["error"].value("httpStatusCode", 400) : 400;
        const auto mapped = mapper_for(e.service)(wire, status);
        ASSERT_TRUE(mapped.has_value()) << "wire code " << wire << " is not mapped";
        EXPECT_EQ(error_info(*mapped).name, error_info(e.expected).name) << "wire code " << wire;
    }
}

} // namespace
} // namespace aurora::aws::testing
