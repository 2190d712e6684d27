#include "rds_fixture.hpp"

#include "common/error.hpp"

#include <cstdio>
#include <fstream>

namespace aurora::sandbox::testing {
namespace {

std::map<std::string, std::string> instance(const std::string& id, const std::string& cluster,
                                            const std::string& cls = "db.r6g.large") {
    return {{"DBInstanceIdentifier", id}, {"DBInstanceClass", cls}, {"Engine", "aurora-postgresql"},
            {"DBClusterIdentifier", cluster}};
}

TEST_F(RdsTest, InstancesJoinTheClusterWriterFirst) {
    create_cluster("a1");
    advance(60);
    auto w = call("CreateDBInstance", instance("a1-w", "a1"));
    EXPECT_EQ(w->text("//DBInstance/DBInstanceStatus"), "creating");
    EXPECT_EQ(w->count("//DBInstance/Endpoint"), 0u); // no endpoint while creating, as RDS
    call("CreateDBInstance", instance("a1-r", "a1"));
    auto c = call("DescribeDBClusters", {{"DBClusterIdentifier", "a1"}});
    EXPECT_EQ(c->text("//DBClusterMember[DBInstanceIdentifier='a1-w']/IsClusterWriter"), "true");
    EXPECT_EQ(c->text("//DBClusterMember[DBInstanceIdentifier='a1-r']/IsClusterWriter"), "false");
    advance(90);
    auto d = call("DescribeDBInstances", {{"DBInstanceIdentifier", "a1-w"}});
    EXPECT_EQ(d->text("//DBInstance/DBInstanceStatus"), "available");
    EXPECT_EQ(d->text("//DBInstance/Endpoint/Port"), "5432");
    EXPECT_EQ(d->text("//DBInstance/DBClusterIdentifier"), "a1");
    EXPECT_EQ(d->text("//DBInstance/DBInstanceArn"), "arn:aws:rds:us-east-1:123456789012:db:a1-w");
    auto filtered = call("DescribeDBInstances", {{"Filters.Filter.1.Name", "db-cluster-id"},
                                                 {"Filters.Filter.1.Values.Value.1",
                                                  "arn:aws:rds:us-east-1:123456789012:cluster:a1"}});
    EXPECT_EQ(filtered->count("//DBInstances/DBInstance"), 2u);
    EXPECT_EQ(service->effect_counts().at("instances_created"), 2);
}

TEST_F(RdsTest, InstanceErrors) {
    create_cluster("a1");
    advance(60);
    expect_error("CreateDBInstance", instance("i1", "nope"), "DBClusterNotFoundFault", 404);
    expect_error("CreateDBInstance", instance("i1", "a1", "db.serverless"), "InvalidParameterCombination", 400);
    expect_error("CreateDBInstance", instance("i1", "a1", "r6g.large"), "InvalidParameterValue", 400);
    expect_error("CreateDBInstance", instance("1i", "a1"), "InvalidParameterValue", 400);
    auto mysql = instance("i1", "a1");
    mysql["Engine"] = "aurora-mysql";
    expect_error("CreateDBInstance", mysql, "InvalidParameterCombination", 400);
    call("CreateDBInstance", instance("i1", "a1"));
    expect_error("CreateDBInstance", instance("i1", "a1"), "DBInstanceAlreadyExists", 400);
    expect_error("DescribeDBInstances", {{"DBInstanceIdentifier", "nope"}}, "DBInstanceNotFound", 404);
    expect_error("DeleteDBInstance", {{"DBInstanceIdentifier", "nope"}}, "DBInstanceNotFound", 404);
    expect_error("DeleteDBInstance", {{"DBInstanceIdentifier", "i1"}, {"FinalDBSnapshotIdentifier", "f"}},
                 "InvalidParameterCombination", 400);
    call("DeleteDBInstance", {{"DBInstanceIdentifier", "i1"}});
    expect_error("DeleteDBInstance", {{"DBInstanceIdentifier", "i1"}}, "InvalidDBInstanceState", 400);
}

TEST_F(RdsTest, ServerlessInstanceNeedsTheClusterScaling) {
    create_cluster("a1", {{"ServerlessV2ScalingConfiguration.MinCapacity", "0.5"},
                          {"ServerlessV2ScalingConfiguration.MaxCapacity", "4"}});
    auto a = call("CreateDBInstance", instance("a1-1", "a1", "db.serverless"));
    EXPECT_EQ(a->text("//DBInstance/DBInstanceClass"), "db.serverless");
}

TEST_F(RdsTest, TagsByArn) {
    create_cluster("a1");
    call("CreateDBInstance", instance("a1-w", "a1"));
    const std::string cluster_arn = "arn:aws:rds:us-east-1:123456789012:cluster:a1";
    call("AddTagsToResource", {{"ResourceName", cluster_arn},
                               {"Tags.Tag.1.Key", "team"},
                               {"Tags.Tag.1.Value", "orders"},
                               {"Tags.Tag.2.Key", "env"},
                               {"Tags.Tag.2.Value", "dev"}});
    auto added = call("AddTagsToResource", {{"ResourceName", cluster_arn}, {"Tags.member.1.Key", "env"},
                                            {"Tags.member.1.Value", "staging"}});
    EXPECT_EQ(added->count("//AddTagsToResourceResult"), 0u);
    EXPECT_EQ(added->text("/AddTagsToResourceResponse/ResponseMetadata/RequestId"), "req-4");
    auto listed = call("ListTagsForResource", {{"ResourceName", cluster_arn}});
    EXPECT_EQ(listed->count("//ListTagsForResourceResult/TagList/Tag"), 2u);
    EXPECT_EQ(listed->text("//Tag[Key='env']/Value"), "staging");
    call("RemoveTagsFromResource", {{"ResourceName", cluster_arn}, {"TagKeys.member.1", "team"}});
    EXPECT_EQ(call("ListTagsForResource", {{"ResourceName", cluster_arn}})->count("//Tag"), 1u);
    call("AddTagsToResource", {{"ResourceName", "arn:aws:rds:us-east-1:123456789012:db:a1-w"},
                               {"Tags.Tag.1.Key", "role"},
                               {"Tags.Tag.1.Value", "writer"}});
    EXPECT_EQ(call("DescribeDBInstances", {{"DBInstanceIdentifier", "a1-w"}})->text("//TagList/Tag/Value"), "writer");
    expect_error("ListTagsForResource", {{"ResourceName", "arn:aws:rds:us-east-1:123456789012:cluster:nope"}},
                 "DBClusterNotFoundFault", 404);
    expect_error("ListTagsForResource", {{"ResourceName", "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:n"}},
                 "DBClusterSnapshotNotFoundFault", 404);
    expect_error("ListTagsForResource", {{"ResourceName", "arn:aws:rds:us-east-1:123456789012:db:nope"}},
                 "DBInstanceNotFound", 404);
    expect_error("ListTagsForResource", {{"ResourceName", "a1"}}, "InvalidParameterValue", 400);
    expect_error("AddTagsToResource", {{"ResourceName", cluster_arn}}, "MissingParameter", 400);
    EXPECT_EQ(service->effect_counts().at("tags_changed"), 4);
}

TEST_F(RdsTest, StateRoundTrip) {
    seed("rds: {clusters: [{id: prod, instances: [prod-1], automated_snapshots: 2}]}");
    create_cluster("a1", {{"Tags.Tag.1.Key", "k"}, {"Tags.Tag.1.Value", "v"}});
    call("CopyDBClusterSnapshot", {{"SourceDBClusterSnapshotIdentifier", "rds:prod-2026-05-28-03-00"},
                                   {"TargetDBClusterSnapshotIdentifier", "copy-1"}});
    auto state = service->save_state();
    auto before = call("DescribeDBClusters")->response.body;
    auto snaps_before = call("DescribeDBClusterSnapshots")->response.body;
    make(options());
    service->load_state(nlohmann::json::parse(state.dump()));
    auto replace_request_id = [](std::string body) {
        auto b = body.find("<RequestId>");
        return body.substr(0, b);
    };
    EXPECT_EQ(replace_request_id(call("DescribeDBClusters")->response.body), replace_request_id(before));
    EXPECT_EQ(replace_request_id(call("DescribeDBClusterSnapshots")->response.body), replace_request_id(snaps_before));
    EXPECT_EQ(service->effect_counts().at("clusters_created"), 1);
    // Lifecycles continue after a reload.
    advance(100);
    EXPECT_EQ(snapshot_status("copy-1"), "available");
    EXPECT_EQ(cluster_status("a1"), "available");
}

TEST(RdsDurations, PresetsAndFiles) {
    EXPECT_EQ(load_durations("fast").of("cluster_create"), std::chrono::milliseconds{0});
    auto realistic = load_durations("realistic");
    EXPECT_GT(realistic.of("snapshot_copy"), std::chrono::minutes{1});
    EXPECT_GT(realistic.jitter, 0.0);
    EXPECT_THROW(load_durations("slow"), Error);
    auto path = ::testing::TempDir() + "rds_durations_test.yaml";
    {
        std::ofstream f(path);
        f << "base: realistic\njitter: 0.1\ndurations:\n  cluster_create: 5\n  snapshot_copy: 1500ms\n"
             "  instance_create: 2m\n";
    }
    auto d = load_durations(path);
    EXPECT_EQ(d.of("cluster_create"), std::chrono::seconds{5});
    EXPECT_EQ(d.of("snapshot_copy"), std::chrono::milliseconds{1500});
    EXPECT_EQ(d.of("instance_create"), std::chrono::minutes{2});
    EXPECT_EQ(d.of("cluster_delete"), realistic.of("cluster_delete"));
    EXPECT_DOUBLE_EQ(d.jitter, 0.1);
    {
        std::ofstream f(path);
        f << "durations:\n  cluster_explode: 5\n";
    }
    EXPECT_THROW(load_durations(path), Error);
    {
        std::ofstream f(path);
        f << "durations:\n  cluster_create: soon\n";
    }
    EXPECT_THROW(load_durations(path), Error);
    std::remove(path.c_str());
}

//! The instant the cluster `id` becomes available under `seed`, with ±50 % jitter on 100 s.
Clock::WallTime available_at(std::uint64_t seed, const std::string& id) {
    FakeClock clock;
    RdsOptions o;
    o.durations.base = {{"cluster_create", std::chrono::seconds(100)}};
    o.durations.jitter = 0.5;
    o.seed = seed;
    o.clock = &clock;
    auto svc = make_rds_service(o);
    RequestContext ctx;
    ctx.account_id = account;
    ctx.region = "us-east-1";
    ctx.action = "CreateDBCluster";
    ctx.now = clock.now();
    ctx.params = {{"DBClusterIdentifier", id}, {"Engine", "aurora-postgresql"}, {"MasterUsername", "u"},
                  {"MasterUserPassword", "password-1"}};
    svc->handle(ctx);
    auto state = svc->save_state();
    auto due = state["regions"][0]["state"]["clusters"][0]["pending"]["due"].get<std::int64_t>();
    return Clock::WallTime{std::chrono::milliseconds{due}};
}

TEST(RdsDurations, JitterIsDeterministicBySeedAndWithinBounds) {
    auto start = FakeClock{}.now();
    EXPECT_EQ(available_at(1, "a1"), available_at(1, "a1"));
    std::set<Clock::WallTime> distinct;
    for (std::uint64_t seed = 0; seed < 20; ++seed) {
        auto t = available_at(seed, "a1");
        EXPECT_GE(t - start, std::chrono::seconds(50));
        EXPECT_LE(t - start, std::chrono::seconds(150));
        distinct.insert(t);
    }
    EXPECT_GT(distinct.size(), 10u);
}

} // namespace
} // namespace aurora::sandbox::testing

namespace aurora::sandbox::testing {
namespace {

TEST_F(RdsTest, EveryEffectIsCountedFromZero) {
    auto effects = service->effect_counts();
    EXPECT_EQ(effects.size(), 12u);
    for (const auto& [name, n] : effects) {
        EXPECT_EQ(n, 0) << name;
    }
    // A refused request has no effect.
    expect_error("DeleteDBCluster", {{"DBClusterIdentifier", "nope"}, {"SkipFinalSnapshot", "true"}},
                 "DBClusterNotFoundFault", 404);
    EXPECT_EQ(service->effect_counts(), effects);
}

} // namespace
} // namespace aurora::sandbox::testing

namespace aurora::sandbox::testing {
namespace {

TEST_F(RdsTest, ListsAreOrderedByIndexAndMalformedKeysAreIgnored) {
    std::map<std::string, std::string> p{{"ResourceName", "arn:aws:rds:us-east-1:123456789012:cluster:a1"},
                                         {"Tags.Tag.x.Key", "ignored"},
                                         {"Tags.Tag.", "ignored"},
                                         {"Tags.", "ignored"}};
    for (int n = 1; n <= 11; ++n) {
        p["Tags.Tag." + std::to_string(n) + ".Key"] = "k" + std::to_string(n);
        p["Tags.Tag." + std::to_string(n) + ".Value"] = "v";
    }
    create_cluster("a1");
    call("AddTagsToResource", p);
    auto listed = call("ListTagsForResource", {{"ResourceName", "arn:aws:rds:us-east-1:123456789012:cluster:a1"}});
    std::vector<std::string> keys;
    for (auto n : listed->doc.select_nodes("//Tag/Key")) {
        keys.push_back(n.node().text().as_string());
    }
    ASSERT_EQ(keys.size(), 11u);
    EXPECT_EQ(keys[1], "k2");
    EXPECT_EQ(keys[10], "k11");
    expect_error("AddTagsToResource",
                 {{"ResourceName", "arn:aws:rds:us-east-1:123456789012:cluster:a1"}, {"Tags.Tag.1.Value", "v"}},
                 "InvalidParameterValue", 400);
}

} // namespace
} // namespace aurora::sandbox::testing
