// Pagination against the botocore paginators (paginators-1.json): for each operation the clients page
// through, page 1 is synthesized fully (output token set), page 2 without the output token; the client must
// send page 1's output token back as the paginator's input token, stop after page 2, and keep every
// result. Label botocore.

#include "botocore_model.hpp"
#include "fake_http.hpp"

#include "aws/dynamodb/dynamodb_client.hpp"
#include "aws/rds/rds_client.hpp"
#include "aws/sfn/sfn_client.hpp"
#include "support/requirements.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace aurora::aws::testing {
namespace {

using nlohmann::json;

struct PagedCase {
    std::string service;
    std::string version;
    std::string operation;
    std::function<std::size_t(ClientContext)> run; //!< returns the number of results collected
};

TEST(PaginationModel, ClientsFollowTheModelsPaginators) {
    const std::string dir = AURORA_BOTOCORE_DATA_DIR;
    AURORA_REQUIRE(std::filesystem::exists(dir + "/rds"), "botocore's API models");
    const std::vector<PagedCase> cases = {
        {"rds", "2014-10-31", "DescribeDBClusters",
         [](ClientContext c) { return rds::RdsClient(std::move(c)).describe_all_db_clusters({}).size(); }},
        {"rds", "2014-10-31", "DescribeDBInstances",
         [](ClientContext c) { return rds::RdsClient(std::move(c)).describe_all_db_instances({}).size(); }},
        {"rds", "2014-10-31", "DescribeDBClusterSnapshots",
         [](ClientContext c) { return rds::RdsClient(std::move(c)).describe_all_db_cluster_snapshots({}).size(); }},
        {"dynamodb", "2012-08-10", "Query",
         [](ClientContext c) {
             dynamodb::QueryRequest q;
             q.table = "t";
             q.key_condition_expression = "pk = :pk";
             q.expressions.values = {{":pk", {{"S", "x"}}}};
             return dynamodb::DynamoDbClient(std::move(c)).query_all(q).size();
         }},
        {"stepfunctions", "2016-11-23", "GetExecutionHistory",
         [](ClientContext c) { return sfn::SfnClient(std::move(c)).get_full_execution_history("arn:ex").size(); }},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.service + ":" + c.operation);
        const BotocoreModel model(dir, c.service, c.version);
        const json pager = model.paginator(c.operation);
        ASSERT_TRUE(pager.is_object()) << "no paginator in the model";
        const std::string input_token = pager.at("input_token");
        const std::string output_token = pager.at("output_token");
        const std::string first = model.synthesize_response(c.operation);
        const std::string last = model.synthesize_response(c.operation, {output_token});

        TestContext t;
        t.http->push(200, first);
        t.http->push(200, last);
        const std::size_t results = c.run(t.context());
        const auto reqs = t.http->requests();
        ASSERT_EQ(reqs.size(), 2U) << "the client must stop when the output token is absent";
        EXPECT_EQ(results, 4U) << "two results per synthesized page";
        if (model.is_query()) {
            EXPECT_EQ(form_map(reqs[0].body).count(input_token), 0U);
            // The Query synthesizer writes string members as "v-<Member>".
            EXPECT_EQ(form_map(reqs[1].body)[input_token], "v-" + output_token);
        } else {
            EXPECT_FALSE(json::parse(reqs[0].body).contains(input_token));
            EXPECT_EQ(json::parse(reqs[1].body)[input_token], json::parse(first)[output_token]);
        }
    }
}

} // namespace
} // namespace aurora::aws::testing
