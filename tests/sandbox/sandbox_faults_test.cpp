// Acceptance 4 of issue #3: faults and the RDS rate limit are reproducible by seed, and the admin counts are
// exact.
#include "sandbox/faults.hpp"
#include "sandbox/sandbox_core.hpp"
#include "sandbox_test_util.hpp"

#include "common/error.hpp"

#include <gtest/gtest.h>

namespace aurora::sandbox {
namespace {

using testing::query_request;

std::vector<FaultKind> sequence(const std::string& spec, const std::string& service, const std::string& op, int n) {
    FaultInjector injector(parse_fault_spec(spec));
    std::vector<FaultKind> out;
    for (int i = 0; i < n; ++i) {
        out.push_back(injector.next(service, op).kind);
    }
    return out;
}

TEST(FaultSpecTest, ParsesRulesKindsAndSeed) {
    const auto spec =
        parse_fault_spec("seed=42;rds:DescribeDBClusters:throttle=0.3;rds:*:error500=0.1,error503=0.2;"
                         "sts:*:drop=0.05;*:*:latency=50ms");
    EXPECT_EQ(spec.seed, 42U);
    ASSERT_EQ(spec.rules.size(), 4U);
    EXPECT_EQ(spec.rules[0].service, "rds");
    EXPECT_EQ(spec.rules[0].operation, "DescribeDBClusters");
    EXPECT_DOUBLE_EQ(*spec.rules[0].throttle, 0.3);
    EXPECT_DOUBLE_EQ(*spec.rules[1].error503, 0.2);
    EXPECT_EQ(*spec.rules[3].latency, std::chrono::milliseconds(50));
    EXPECT_EQ(*parse_fault_spec("*:*:latency=2s").rules[0].latency, std::chrono::milliseconds(2000));
}

TEST(FaultSpecTest, RejectsBadRules) {
    for (const char* bad : {"rds:throttle=0.1", "rds:*:throttle=1.5", "rds:*:explode=0.1", "seed=x",
                            "rds:*:latency=5min", "rds:*:throttle"}) {
        EXPECT_THROW(parse_fault_spec(bad), Error) << bad;
    }
}

TEST(FaultInjectorTest, SameSeedSameSequenceOtherSeedOtherSequence) {
    const auto a = sequence("seed=7;rds:*:throttle=0.5", "rds", "DescribeDBClusters", 64);
    const auto b = sequence("seed=7;rds:*:throttle=0.5", "rds", "DescribeDBClusters", 64);
    const auto c = sequence("seed=8;rds:*:throttle=0.5", "rds", "DescribeDBClusters", 64);
    EXPECT_EQ(a, b);
    EXPECT_NE(a, c);
    const auto throttled = std::count(a.begin(), a.end(), FaultKind::throttle);
    EXPECT_GT(throttled, 0);
    EXPECT_LT(throttled, 64);
}

TEST(FaultInjectorTest, OperationsHaveIndependentSequences) {
    // Interleaving calls to another operation does not change an operation's sequence.
    FaultInjector injector(parse_fault_spec("seed=3;*:*:error500=0.5"));
    std::vector<FaultKind> interleaved;
    for (int i = 0; i < 32; ++i) {
        injector.next("sts", "GetCallerIdentity");
        interleaved.push_back(injector.next("rds", "DescribeDBClusters").kind);
    }
    EXPECT_EQ(interleaved, sequence("seed=3;*:*:error500=0.5", "rds", "DescribeDBClusters", 32));
}

TEST(FaultInjectorTest, MostSpecificRuleWinsAndProbabilityOneAlwaysFires) {
    FaultInjector injector(parse_fault_spec("*:*:throttle=1;rds:DescribeDBClusters:throttle=0;*:*:latency=5ms;"
                                            "rds:*:latency=7ms"));
    EXPECT_EQ(injector.next("rds", "DescribeDBClusters").kind, FaultKind::none);
    const auto d = injector.next("rds", "DeleteDBCluster");
    EXPECT_EQ(d.kind, FaultKind::throttle);
    EXPECT_EQ(d.latency, std::chrono::milliseconds(7));
    EXPECT_EQ(injector.next("sns", "Publish").latency, std::chrono::milliseconds(5));
}

TEST(RateLimiterTest, BurstThenRefillPerSecond) {
    FakeClock clock;
    RateLimiter limiter(clock, 300, 12);
    for (int i = 0; i < 300; ++i) {
        ASSERT_TRUE(limiter.try_acquire("000000000000", "us-east-1")) << i;
    }
    EXPECT_FALSE(limiter.try_acquire("000000000000", "us-east-1"));
    EXPECT_TRUE(limiter.try_acquire("000000000000", "us-west-2")); // one bucket per region
    clock.advance(std::chrono::seconds(1));
    for (int i = 0; i < 12; ++i) {
        EXPECT_TRUE(limiter.try_acquire("000000000000", "us-east-1")) << i;
    }
    EXPECT_FALSE(limiter.try_acquire("000000000000", "us-east-1"));
}

class CoreFaultsTest : public ::testing::Test {
protected:
    std::unique_ptr<SandboxCore> make(const std::string& faults, bool rate_limit = false) {
        SandboxOptions o;
        o.clock = &clock_;
        o.faults = faults;
        o.rate_limit = rate_limit;
        o.rate_limit_burst = 5;
        o.rate_limit_refill_per_second = 1;
        return std::make_unique<SandboxCore>(o);
    }
    CoreOutcome identity(SandboxCore& core) {
        return core.handle(query_request("sts", "GetCallerIdentity", {}, clock_.now()));
    }
    FakeClock clock_;
};

TEST_F(CoreFaultsTest, FaultsAnswerInTheServiceShape) {
    auto core = make("sts:GetCallerIdentity:throttle=1;kms:*:error503=1;sns:*:drop=1;sts:AssumeRole:error500=1");
    auto t = identity(*core);
    EXPECT_EQ(t.response.status, 400);
    EXPECT_EQ(testing::xml_text(t.response.body, "Code"), "Throttling");
    const auto k = core->handle(testing::json_request("kms", "TrentService.CreateKey", nlohmann::json::object(), clock_.now()));
    EXPECT_EQ(k.response.status, 503);
    EXPECT_EQ(nlohmann::json::parse(k.response.body)["__type"], "ServiceUnavailable");
    const auto d = core->handle(query_request("sns", "ListTopics", {}, clock_.now(), testing::test_credentials(),
                                              "us-east-1", "2010-03-31"));
    EXPECT_TRUE(d.drop);
    const auto e = core->handle(query_request("sts", "AssumeRole", {}, clock_.now()));
    EXPECT_EQ(e.response.status, 500);
    EXPECT_EQ(testing::xml_text(e.response.body, "Type"), "Receiver");
}

TEST_F(CoreFaultsTest, SameSeedReplaysTheSameOutcomesAndCountsAreExact) {
    auto run = [&](const std::string& spec) {
        auto core = make(spec);
        std::vector<int> statuses;
        for (int i = 0; i < 40; ++i) {
            statuses.push_back(identity(*core).response.status);
        }
        return std::make_pair(statuses, core->counts());
    };
    const auto [a, counts_a] = run("seed=11;sts:*:throttle=0.4");
    const auto [b, counts_b] = run("seed=11;sts:*:throttle=0.4");
    EXPECT_EQ(a, b);
    EXPECT_EQ(counts_a, counts_b);
    const auto ok = std::count(a.begin(), a.end(), 200);
    const auto& calls = counts_a["calls"]["sts"]["GetCallerIdentity"];
    EXPECT_EQ(calls.value("ok", 0), ok);
    EXPECT_EQ(calls.value("Throttling", 0), 40 - ok);
    EXPECT_EQ(counts_a["total"], 40);
}

TEST_F(CoreFaultsTest, FaultsChangeAtRunTimeAndResetRestartsTheSequence) {
    auto core = make("");
    EXPECT_EQ(identity(*core).response.status, 200);
    core->set_faults("sts:*:throttle=1");
    EXPECT_EQ(identity(*core).response.status, 400);
    EXPECT_THROW(core->set_faults("nonsense"), Error);
    EXPECT_EQ(core->faults(), "sts:*:throttle=1");
    core->reset_counts();
    EXPECT_EQ(core->counts()["total"], 0);
}

TEST_F(CoreFaultsTest, RdsRateLimitAnswersThrottlingPerAccountAndRegion) {
    auto core = make("", true);
    int throttled = 0;
    for (int i = 0; i < 8; ++i) {
        const auto out = core->handle(query_request("rds", "DescribeDBClusters", {}, clock_.now(),
                                                    testing::test_credentials(), "us-east-1", "2014-10-31"));
        if (out.response.status == 400 && testing::xml_text(out.response.body, "Code") == "Throttling") {
            EXPECT_EQ(testing::xml_text(out.response.body, "Message"), "Rate exceeded");
            EXPECT_EQ(testing::xml_root(out.response.body).second, "http://rds.amazonaws.com/doc/2014-10-31/");
            ++throttled;
        }
    }
    EXPECT_EQ(throttled, 3); // burst 5 in this test
    EXPECT_EQ(identity(*core).response.status, 200); // only RDS is limited
    clock_.advance(std::chrono::seconds(2));
    EXPECT_NE(core->handle(query_request("rds", "DescribeDBClusters", {}, clock_.now(), testing::test_credentials(),
                                         "us-east-1", "2014-10-31"))
                  .outcome,
              "Throttling");
}

} // namespace
} // namespace aurora::sandbox

namespace aurora::sandbox {
namespace {

TEST(FaultInjectorTest, RejectFailsExactlyTheNamedCall) {
    FaultInjector f(parse_fault_spec("rds:CreateDBInstance:reject=2"));
    EXPECT_EQ(f.next("rds", "CreateDBInstance").kind, FaultKind::none);
    EXPECT_EQ(f.next("rds", "CreateDBInstance").kind, FaultKind::reject);
    EXPECT_EQ(f.next("rds", "CreateDBInstance").kind, FaultKind::none);
    EXPECT_EQ(f.next("rds", "DeleteDBInstance").kind, FaultKind::none);
    EXPECT_THROW(parse_fault_spec("rds:*:reject=0"), Error);
    EXPECT_THROW(parse_fault_spec("rds:*:reject=x"), Error);
}

} // namespace
} // namespace aurora::sandbox
