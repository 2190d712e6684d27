#include "pipeline/request.hpp"

#include "common/error.hpp"
#include "common/yaml_json.hpp"

#include <gtest/gtest.h>

namespace aurora::pipeline {
namespace {

using nlohmann::json;

json minimal() {
    return parse_yaml("source: {cluster: prod-orders, region: us-east-1}\ntarget: {cluster: staging-orders}\n", "t");
}

std::string first_problem(const json& doc) {
    const auto problems = validate_request(doc);
    return problems.empty() ? std::string{} : problems.front().field + ": " + problems.front().message;
}

TEST(Request, DesignExampleParsesAsWritten) {
    const auto doc = load_yaml_file(std::string(AURORA_SOURCE_DIR) + "/examples/restore.yaml");
    const auto r = parse_request(doc);
    EXPECT_EQ(r.source.cluster, "prod-orders");
    EXPECT_EQ(r.source.selector, SnapshotSelector::latest);
    EXPECT_EQ(r.target.region, "us-west-2");
    EXPECT_EQ(r.target.mode, Mode::swap);
    EXPECT_EQ(r.target.instances.count, 2);
    EXPECT_EQ(r.target.instances.instance_class, "db.r6g.large");
    EXPECT_EQ(r.target.vpc_security_group_ids, std::vector<std::string>{"sg-0a1b2c3d"});
    EXPECT_EQ(r.target.tags.at("team"), "orders");
    EXPECT_EQ(r.archive.retain_days, 7);
    EXPECT_EQ(r.guardrails.protected_patterns, std::vector<std::string>{"prod-*"});
    EXPECT_EQ(r.database["users"].size(), 2U);
    EXPECT_EQ(r.normalized["target"]["mode"], "swap");
    EXPECT_EQ(r.normalized["source"]["region"], "us-east-1");
}

TEST(Request, DefaultsAreFilledIn) {
    const auto r = parse_request(minimal());
    EXPECT_EQ(r.target.region, "us-east-1");
    EXPECT_EQ(r.target.mode, Mode::create_new);
    EXPECT_EQ(r.target.instances.count, 1);
    EXPECT_EQ(r.archive.snapshot, ArchiveAction::retain);
    EXPECT_TRUE(r.database.is_null());
}

TEST(Request, RegionFromDefault) {
    auto doc = minimal();
    doc["source"].erase("region");
    EXPECT_EQ(first_problem(doc), "source.region: is required (or set AWS_REGION)");
    EXPECT_EQ(parse_request(doc, "eu-west-1").source.region, "eu-west-1");
}

TEST(Request, NamesFieldAndRule) {
    auto doc = minimal();
    doc["target"]["cluster"] = "Staging--orders";
    EXPECT_EQ(first_problem(doc), "target.cluster: 'Staging--orders' must not contain two consecutive hyphens");
    doc["target"]["cluster"] = "1abc";
    EXPECT_EQ(first_problem(doc), "target.cluster: '1abc' must start with a letter");
    doc = minimal();
    doc["target"]["mode"] = "overwrite";
    EXPECT_EQ(first_problem(doc), "target.mode: 'overwrite' must be new, replace or swap");
    doc = minimal();
    doc["target"]["instances"] = {{"count", 40}};
    EXPECT_EQ(first_problem(doc), "target.instances.count: must be a whole number from 0 to 16");
}

TEST(Request, UnknownFieldSuggestsTheRightOne) {
    auto doc = minimal();
    doc["target"]["mdoe"] = "swap";
    EXPECT_EQ(first_problem(doc), "target.mdoe: unknown field (did you mean 'mode'?)");
}

TEST(Request, SnapshotSelectors) {
    auto doc = minimal();
    for (const auto& [text, sel] : std::vector<std::pair<std::string, SnapshotSelector>>{
             {"latest-automated", SnapshotSelector::latest_automated},
             {"latest-manual", SnapshotSelector::latest_manual},
             {"rds:prod-orders-2024-01-01-02-00", SnapshotSelector::id},
             {"nightly-1", SnapshotSelector::id}}) {
        doc["source"]["snapshot"] = text;
        EXPECT_EQ(parse_request(doc).source.selector, sel) << text;
    }
    doc["source"]["snapshot"] = "not_valid!";
    EXPECT_NE(first_problem(doc).find("source.snapshot:"), std::string::npos);
}

TEST(Request, SnapshotArnGivesRegionAndAccount) {
    auto doc = parse_yaml(
        "source: {snapshot: 'arn:aws:rds:eu-central-1:111122223333:cluster-snapshot:nightly'}\n"
        "target: {cluster: copy-1}\n",
        "t");
    const auto r = parse_request(doc);
    EXPECT_EQ(r.source.selector, SnapshotSelector::arn);
    EXPECT_EQ(r.source.region, "eu-central-1");
    EXPECT_EQ(r.source.account, "111122223333");
    EXPECT_EQ(r.target.region, "eu-central-1");
    doc["source"]["snapshot"] = "arn:aws:rds:eu-central-1:111122223333:db:nightly";
    EXPECT_NE(first_problem(doc).find("is not a DB cluster snapshot ARN"), std::string::npos);
}

TEST(Request, ServerlessV2) {
    auto doc = minimal();
    doc["target"]["instances"] = {{"count", 1}, {"serverless_v2", {{"min_capacity", 0.5}, {"max_capacity", 8}}}};
    const auto r = parse_request(doc);
    ASSERT_TRUE(r.target.instances.serverless_v2.has_value());
    EXPECT_EQ(r.target.instances.instance_class, "db.serverless");
    doc["target"]["instances"]["serverless_v2"]["min_capacity"] = 16;
    EXPECT_EQ(first_problem(doc), "target.instances.serverless_v2: min_capacity must not exceed max_capacity");
    doc["target"]["instances"] = {{"class", "db.serverless"}};
    EXPECT_NE(first_problem(doc).find("needs target.instances.serverless_v2"), std::string::npos);
}

TEST(Request, TargetEqualsSourceIsRefused) {
    auto doc = minimal();
    doc["target"]["cluster"] = "prod-orders";
    EXPECT_EQ(first_problem(doc), "target.cluster: 'prod-orders' is the source cluster: the target must differ from the source");
    doc["target"]["region"] = "us-west-2";
    EXPECT_EQ(first_problem(doc), "");
}

TEST(Request, ReservedTagsAndBadValues) {
    auto doc = minimal();
    doc["target"]["tags"] = {{"aurora-restore:managed", "true"}};
    EXPECT_NE(first_problem(doc).find("reserved for the pipeline"), std::string::npos);
    doc = minimal();
    doc["target"]["vpc_security_group_ids"] = {"sg-xyz"};
    EXPECT_NE(first_problem(doc).find("target.vpc_security_group_ids[0]"), std::string::npos);
    doc = minimal();
    doc["target"]["kms_key_id"] = "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    EXPECT_NE(first_problem(doc).find("must be in the target region"), std::string::npos);
    doc = minimal();
    doc["notify"] = {{"webhook_url", "http://hooks.example.com/x"}};
    EXPECT_NE(first_problem(doc).find("https://"), std::string::npos);
}

TEST(Request, ParseErrorCarriesAllProblems) {
    auto doc = minimal();
    doc["target"]["mode"] = "x";
    doc["archive"] = {{"snapshot", "burn"}};
    try {
        parse_request(doc);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_request);
        EXPECT_EQ(e.message(), "invalid request: target.mode: 'x' must be new, replace or swap");
        EXPECT_NE(e.hint().find("1 more problem"), std::string::npos);
        EXPECT_EQ(e.fields().size(), 2U);
    }
}

TEST(Request, Overrides) {
    auto doc = minimal();
    apply_overrides(doc, {"target.instances.count=3", "target.mode=swap", "target.vpc_security_group_ids=[sg-0a1b2c3d]",
                          "target.tags.env=staging"});
    const auto r = parse_request(doc);
    EXPECT_EQ(r.target.instances.count, 3);
    EXPECT_EQ(r.target.mode, Mode::swap);
    EXPECT_EQ(r.target.tags.at("env"), "staging");
    EXPECT_THROW(apply_overrides(doc, {"novalue"}), Error);
    EXPECT_THROW(apply_overrides(doc, {"a..b=1"}), Error);
}

TEST(Yaml, QuotedScalarsStayStrings) {
    const auto j = parse_yaml("a: '123'\nb: 123\nc: true\nd: ~\ne: 1.5\n", "t");
    EXPECT_TRUE(j["a"].is_string());
    EXPECT_TRUE(j["b"].is_number_integer());
    EXPECT_TRUE(j["c"].is_boolean());
    EXPECT_TRUE(j["d"].is_null());
    EXPECT_TRUE(j["e"].is_number_float());
    EXPECT_THROW(parse_yaml("a: [1, 2\n", "bad.yaml"), Error);
}

TEST(Identifiers, ClusterRules) {
    EXPECT_EQ(check_cluster_identifier("staging-orders"), "");
    EXPECT_EQ(check_cluster_identifier(std::string(64, 'a')), "must be 1 to 63 characters");
    EXPECT_EQ(check_cluster_identifier("a-"), "must not end with a hyphen");
    EXPECT_EQ(check_cluster_identifier("a_b"), "may contain only letters, digits and hyphens");
    EXPECT_TRUE(is_region("us-gov-west-1"));
    EXPECT_TRUE(is_region("cn-north-1"));
    EXPECT_FALSE(is_region("us-east"));
}

} // namespace
} // namespace aurora::pipeline

namespace aurora::pipeline {
namespace {

TEST(Request, NormalizedFormRoundTrips) {
    const auto doc = load_yaml_file(std::string(AURORA_SOURCE_DIR) + "/examples/restore.yaml");
    const auto once = parse_request(doc).normalized;
    EXPECT_EQ(parse_request(once).normalized, once);
    auto sv2 = parse_yaml("source: {cluster: a, region: us-east-1}\ntarget: {cluster: b, instances: {serverless_v2: {min_capacity: 0.5, max_capacity: 4}}}\n", "t");
    const auto n = parse_request(sv2).normalized;
    EXPECT_EQ(parse_request(n).normalized, n);
    EXPECT_FALSE(n.contains("database"));
}

} // namespace
} // namespace aurora::pipeline
