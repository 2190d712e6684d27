// The default chain's order of precedence, the caching provider's refresh on expiry (FakeClock), and
// thread safety.
#include "aws/credentials/caching_provider.hpp"
#include "aws/credentials/default_chain.hpp"
#include "common/error.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

namespace aurora::aws {
namespace {

using namespace std::chrono_literals;
using testing::FakeSts;
using testing::LocalServer;
using testing::TempDir;

//! A local server answering both the container endpoint (/container) and IMDS.
struct MetadataServer {
    LocalServer local;
    std::atomic<int> container_hits{0};
    std::atomic<int> imds_hits{0};
    MetadataServer() {
        auto& s = local.server();
        s.Get("/container", [this](const httplib::Request&, httplib::Response& res) {
            ++container_hits;
            res.set_content(R"({"AccessKeyId":"ASIACONT","SecretAccessKey":"contSecret1","Token":"contToken1","Expiration":"2030-01-01T00:00:00Z"})",
                            "application/json");
        });
        s.Put("/latest/api/token", [](const httplib::Request&, httplib::Response& res) { res.set_content("imdsTok-xyz1", "text/plain"); });
        s.Get("/latest/meta-data/iam/security-credentials/", [](const httplib::Request&, httplib::Response& res) {
            res.set_content("role", "text/plain");
        });
        s.Get("/latest/meta-data/iam/security-credentials/role", [this](const httplib::Request&, httplib::Response& res) {
            ++imds_hits;
            res.set_content(R"({"Code":"Success","AccessKeyId":"ASIAIMDS","SecretAccessKey":"imdsSecret1","Token":"imdsToken1","Expiration":"2030-01-01T00:00:00Z"})",
                            "application/json");
        });
        local.start();
    }
};

struct ChainFixture {
    FakeClock clock;
    std::shared_ptr<FakeSts> sts = std::make_shared<FakeSts>(clock);
    TempDir dir;
    std::shared_ptr<MapEnvironment> env = std::make_shared<MapEnvironment>();
    MetadataServer meta;

    ChainFixture() {
        env->set("HOME", dir.path("home"));
        env->set("AWS_EC2_METADATA_SERVICE_ENDPOINT", meta.local.url());
    }
    void configure_all() {
        env->set("AWS_ACCESS_KEY_ID", "AKIAENV");
        env->set("AWS_SECRET_ACCESS_KEY", "envSecret1");
        env->set("AWS_SHARED_CREDENTIALS_FILE",
                 dir.write("credentials", "[default]\naws_access_key_id = AKIAPROFILE\naws_secret_access_key = profSecret1\n"));
        env->set("AWS_WEB_IDENTITY_TOKEN_FILE", dir.write("token", "web-token-1"));
        env->set("AWS_ROLE_ARN", "arn:aws:iam::1:role/Web");
        env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI", meta.local.url() + "/container");
    }
    std::shared_ptr<ChainCredentialsProvider> chain() {
        DefaultChainOptions o;
        o.env = env;
        o.clock = &clock;
        o.sts = sts;
        o.http_factory = [](const HttpClientOptions& h) { return std::make_shared<CurlHttpClient>(h); };
        return make_default_credentials_chain(o);
    }
};

TEST(DefaultChain, OrderOfPrecedence) {
    ChainFixture f;
    f.configure_all();
    EXPECT_EQ(f.chain()->get().access_key_id, "AKIAENV");
    f.env->unset("AWS_ACCESS_KEY_ID");
    EXPECT_EQ(f.chain()->get().access_key_id, "AKIAPROFILE");
    f.env->unset("AWS_SHARED_CREDENTIALS_FILE");
    EXPECT_EQ(f.chain()->get().access_key_id, "ASIAWEB1");
    f.env->unset("AWS_WEB_IDENTITY_TOKEN_FILE");
    EXPECT_EQ(f.chain()->get().access_key_id, "ASIACONT");
    f.env->unset("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    auto last = f.chain();
    EXPECT_EQ(last->get().access_key_id, "ASIAIMDS");
    EXPECT_EQ(last->active_source(), "imds");
}

TEST(DefaultChain, NothingFoundListsEverySourceTried) {
    ChainFixture f;
    f.env->set("AWS_EC2_METADATA_DISABLED", "true");
    try {
        f.chain()->get();
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::credentials);
        EXPECT_EQ(e.message(), "no aws credentials found");
        for (const char* name : {"environment", "profile 'default'", "web identity", "container", "imds"}) {
            EXPECT_NE(e.hint().find(name), std::string::npos) << name << " missing from: " << e.hint();
        }
        EXPECT_NE(e.hint().find("AWS_EC2_METADATA_DISABLED"), std::string::npos) << e.hint();
    }
}

TEST(DefaultChain, UnreachableImdsMeansNotFound) {
    ChainFixture f;
    int dead_port = 0;
    {
        LocalServer gone;
        gone.start();
        dead_port = gone.port();
    }
    f.env->set("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:" + std::to_string(dead_port));
    try {
        f.chain()->get();
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.message(), "no aws credentials found");
        EXPECT_NE(e.hint().find("imds: the EC2 instance metadata service is unreachable"), std::string::npos) << e.hint();
    }
}

TEST(DefaultChain, BrokenProfileStopsTheChainInsteadOfFallingBack) {
    ChainFixture f;
    f.env->set("AWS_CONFIG_FILE", f.dir.write("config", "[profile bad]\nrole_arn = arn:aws:iam::1:role/X\n"));
    f.env->set("AWS_PROFILE", "bad");
    try {
        f.chain()->get();
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::config);
        EXPECT_NE(e.message().find("profile 'bad'"), std::string::npos) << e.message();
        EXPECT_NE(e.hint().find("environment: AWS_ACCESS_KEY_ID is not set"), std::string::npos) << e.hint();
    }
    EXPECT_EQ(f.meta.imds_hits.load(), 0);
}

TEST(DefaultChain, ProfileOverrideAndMissingExplicitProfile) {
    ChainFixture f;
    f.env->set("AWS_SHARED_CREDENTIALS_FILE",
               f.dir.write("credentials", "[other]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = otherSecret\n"));
    f.env->set("AWS_PROFILE", "missing");
    EXPECT_THROW(f.chain()->get(), Error);
    DefaultChainOptions o;
    o.env = f.env;
    o.clock = &f.clock;
    o.profile = "other";
    EXPECT_EQ(make_default_credentials_chain(o)->get().access_key_id, "AKIAOTHER");
    // An explicit profile beats environment keys (botocore); AWS_PROFILE alone does not.
    f.env->set("AWS_ACCESS_KEY_ID", "AKIAENV");
    f.env->set("AWS_SECRET_ACCESS_KEY", "envSecret1");
    EXPECT_EQ(make_default_credentials_chain(o)->get().access_key_id, "AKIAOTHER");
    f.env->set("AWS_PROFILE", "other");
    EXPECT_EQ(f.chain()->get().access_key_id, "AKIAENV");
}

TEST(DefaultChain, WebIdentityRefreshesBeforeExpiryAndRereadsTheToken) {
    ChainFixture f;
    f.env->set("AWS_WEB_IDENTITY_TOKEN_FILE", f.dir.write("token", "token-v1"));
    f.env->set("AWS_ROLE_ARN", "arn:aws:iam::1:role/Web");
    auto chain = f.chain();
    EXPECT_EQ(chain->get().access_key_id, "ASIAWEB1");
    f.dir.write("token", "token-v2");
    f.clock.advance(50min); // 10 min left: still cached
    EXPECT_EQ(chain->get().access_key_id, "ASIAWEB1");
    f.clock.advance(5min + 1s); // inside the 5-minute window: refresh
    EXPECT_EQ(chain->get().access_key_id, "ASIAWEB2");
    ASSERT_EQ(f.sts->web_identity_calls.size(), 2u);
    EXPECT_EQ(f.sts->web_identity_calls[1].web_identity_token, "token-v2");
}

TEST(DefaultChain, ContainerCredentialsAreCachedUntilNearExpiry) {
    ChainFixture f;
    f.env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI", f.meta.local.url() + "/container");
    auto chain = f.chain();
    chain->get();
    chain->get();
    EXPECT_EQ(f.meta.container_hits.load(), 1);
    // The fake expires at 2030-01-01; move the clock to 4 minutes before it.
    f.clock.advance(std::chrono::duration_cast<std::chrono::milliseconds>(parse_iso8601("2030-01-01T00:00:00Z") - f.clock.now() - 4min));
    chain->get();
    EXPECT_EQ(f.meta.container_hits.load(), 2);
}

//! A provider that mints credentials valid for one hour and can be told to fail.
class CountingProvider final : public CredentialsProvider {
public:
    explicit CountingProvider(Clock& clock) : clock_(clock) {}
    Credentials get() override {
        const int n = ++calls;
        if (fail) {
            throw Error(ErrorCode::network, "source is down");
        }
        std::this_thread::yield();
        return Credentials{"AKIA" + std::to_string(n), "secret-" + std::to_string(n), "", clock_.now() + 1h, "counting"};
    }
    std::atomic<int> calls{0};
    std::atomic<bool> fail{false};

private:
    Clock& clock_;
};

TEST(CachingProvider, RefreshesFiveMinutesBeforeExpiry) {
    FakeClock clock;
    auto inner = std::make_shared<CountingProvider>(clock);
    CachingCredentialsProvider p(inner, clock);
    EXPECT_EQ(p.get().access_key_id, "AKIA1");
    clock.advance(54min + 59s);
    EXPECT_EQ(p.get().access_key_id, "AKIA1");
    clock.advance(1s); // exactly 5 minutes left
    EXPECT_EQ(p.get().access_key_id, "AKIA2");
    EXPECT_EQ(p.refresh_count(), 2);
    p.invalidate();
    EXPECT_EQ(p.get().access_key_id, "AKIA3");
}

TEST(CachingProvider, KeepsValidCredentialsWhenARefreshFailsButNotExpiredOnes) {
    FakeClock clock;
    auto inner = std::make_shared<CountingProvider>(clock);
    CachingCredentialsProvider p(inner, clock);
    p.get();
    inner->fail = true;
    clock.advance(58min); // refresh due, fails, the cached ones are still valid for 2 minutes
    EXPECT_EQ(p.get().access_key_id, "AKIA1");
    clock.advance(2min); // now expired
    EXPECT_THROW(p.get(), Error);
    inner->fail = false;
    EXPECT_EQ(p.get().access_key_id, "AKIA4");
}

TEST(CachingProvider, CredentialsWithoutExpirationAreCachedForGood) {
    FakeClock clock;
    auto inner = std::make_shared<StaticCredentialsProvider>(Credentials{"AKIAS", "staticSecret", "", {}, "static"});
    CachingCredentialsProvider p(inner, clock);
    p.get();
    clock.advance(std::chrono::hours(24 * 365));
    p.get();
    EXPECT_EQ(p.refresh_count(), 1);
}

TEST(CachingProvider, RejectsAlreadyExpiredCredentials) {
    FakeClock clock;
    auto inner = std::make_shared<StaticCredentialsProvider>(
        Credentials{"AKIAS", "staticSecret", "tok-expired", clock.now() - 1s, "static"});
    CachingCredentialsProvider p(inner, clock);
    EXPECT_THROW(p.get(), Error);
}

TEST(CachingProvider, ConcurrentCallersShareOneRefresh) {
    FakeClock clock;
    auto inner = std::make_shared<CountingProvider>(clock);
    CachingCredentialsProvider p(inner, clock);
    std::vector<std::thread> threads;
    std::atomic<int> wrong{0};
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 200; ++i) {
                if (p.get().access_key_id != "AKIA1") {
                    ++wrong;
                }
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(wrong.load(), 0);
    EXPECT_EQ(inner->calls.load(), 1);
}

//! A provider whose second call blocks until released, to observe callers during a refresh.
class BlockingProvider final : public CredentialsProvider {
public:
    explicit BlockingProvider(Clock& clock) : clock_(clock) {}
    Credentials get() override {
        const int n = ++calls;
        if (n == 2) {
            entered.set_value();
            release.get_future().wait();
        }
        return Credentials{"AKIA" + std::to_string(n), "blockSecret" + std::to_string(n), "", clock_.now() + 1h, "blocking"};
    }
    std::atomic<int> calls{0};
    std::promise<void> entered;
    std::promise<void> release;

private:
    Clock& clock_;
};

TEST(CachingProvider, OthersGetValidCachedCredentialsWhileOneRefreshes) {
    FakeClock clock;
    auto inner = std::make_shared<BlockingProvider>(clock);
    CachingCredentialsProvider p(inner, clock);
    EXPECT_EQ(p.get().access_key_id, "AKIA1");
    clock.advance(57min); // due for refresh, 3 minutes of validity left
    std::string refreshed;
    std::thread refresher([&] { refreshed = p.get().access_key_id; });
    inner->entered.get_future().wait();
    EXPECT_EQ(p.get().access_key_id, "AKIA1"); // does not wait for the blocked refresh
    inner->release.set_value();
    refresher.join();
    EXPECT_EQ(refreshed, "AKIA2");
    EXPECT_EQ(p.get().access_key_id, "AKIA2");
    EXPECT_EQ(inner->calls.load(), 2);
}

TEST(ChainProvider, StaysWithTheSourceThatAnswered) {
    FakeClock clock;
    auto first = std::make_shared<CountingProvider>(clock);
    bool first_configured = false;
    auto second = std::make_shared<StaticCredentialsProvider>(Credentials{"AKIASECOND", "secondSecret", "", {}, "second"});
    ChainCredentialsProvider chain({{"first", [&] { return first_configured ? std::string{} : std::string("off"); }, first, false},
                                    {"second", nullptr, second, false}});
    EXPECT_EQ(chain.get().access_key_id, "AKIASECOND");
    first_configured = true;
    EXPECT_EQ(chain.get().access_key_id, "AKIASECOND");
    EXPECT_EQ(first->calls.load(), 0);
    EXPECT_EQ(chain.active_source(), "second");
}

} // namespace
} // namespace aurora::aws
