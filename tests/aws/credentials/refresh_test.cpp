// Refresh on expiry through the default chain, one test per source that returns expiring credentials
// (web identity and container are in chain_test.cpp). The FakeClock moves; nothing sleeps.
#include "aws/credentials/default_chain.hpp"
#include "common/error.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

namespace aurora::aws {
namespace {

using namespace std::chrono_literals;
using testing::FakeSts;
using testing::iso_in;
using testing::LocalServer;
using testing::TempDir;

struct RefreshFixture {
    FakeClock clock;
    std::shared_ptr<FakeSts> sts = std::make_shared<FakeSts>(clock);
    TempDir dir;
    std::shared_ptr<MapEnvironment> env = std::make_shared<MapEnvironment>();

    RefreshFixture() {
        env->set("HOME", dir.path("home"));
        env->set("AWS_EC2_METADATA_DISABLED", "true");
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

TEST(RefreshOnExpiry, EnvironmentWithCredentialExpiration) {
    RefreshFixture f;
    f.env->set("AWS_ACCESS_KEY_ID", "AKIAENV1");
    f.env->set("AWS_SECRET_ACCESS_KEY", "envSecretOne");
    f.env->set("AWS_CREDENTIAL_EXPIRATION", iso_in(f.clock, 1h));
    auto chain = f.chain();
    EXPECT_EQ(chain->get().access_key_id, "AKIAENV1");
    f.env->set("AWS_ACCESS_KEY_ID", "AKIAENV2");
    f.env->set("AWS_CREDENTIAL_EXPIRATION", iso_in(f.clock, 2h));
    f.clock.advance(54min);
    EXPECT_EQ(chain->get().access_key_id, "AKIAENV1");
    f.clock.advance(2min);
    EXPECT_EQ(chain->get().access_key_id, "AKIAENV2");
}

TEST(RefreshOnExpiry, AssumeRoleProfile) {
    RefreshFixture f;
    f.env->set("AWS_SHARED_CREDENTIALS_FILE",
               f.dir.write("credentials", "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = baseSecret1\n"));
    f.env->set("AWS_CONFIG_FILE",
               f.dir.write("config", "[profile ops]\nrole_arn = arn:aws:iam::1:role/Ops\nsource_profile = base\n"));
    f.env->set("AWS_PROFILE", "ops");
    auto chain = f.chain();
    EXPECT_EQ(chain->get().access_key_id, "ASIAROLE1");
    f.clock.advance(30min);
    EXPECT_EQ(chain->get().access_key_id, "ASIAROLE1");
    f.clock.advance(26min);
    EXPECT_EQ(chain->get().access_key_id, "ASIAROLE2");
    ASSERT_EQ(f.sts->assume_role_calls.size(), 2u);
    EXPECT_EQ(f.sts->assume_role_calls[1].source_credentials.access_key_id, "AKIABASE");
}

TEST(RefreshOnExpiry, CredentialProcessRunsAgain) {
    RefreshFixture f;
    auto doc = [&](const std::string& key, std::chrono::seconds left) {
        return f.dir.write("out.json", R"({"Version":1,"AccessKeyId":")" + key +
                                           R"(","SecretAccessKey":"procSecretRefresh","SessionToken":"procTokRefresh","Expiration":")" +
                                           iso_in(f.clock, left) + R"("})");
    };
    const std::string out = doc("AKIAPROC1", 1h);
    f.env->set("AWS_CONFIG_FILE", f.dir.write("config", "[default]\ncredential_process = cat '" + out + "'\n"));
    auto chain = f.chain();
    EXPECT_EQ(chain->get().access_key_id, "AKIAPROC1");
    doc("AKIAPROC2", 2h);
    f.clock.advance(50min);
    EXPECT_EQ(chain->get().access_key_id, "AKIAPROC1");
    f.clock.advance(6min);
    EXPECT_EQ(chain->get().access_key_id, "AKIAPROC2");
}

TEST(RefreshOnExpiry, InstanceMetadata) {
    RefreshFixture f;
    std::mutex mutex;
    std::string expiration = iso_in(f.clock, 6h);
    int minted = 0;
    LocalServer imds;
    imds.server().Put("/latest/api/token", [](const httplib::Request&, httplib::Response& res) {
        res.set_content("imdsTokRefresh1", "text/plain");
    });
    imds.server().Get("/latest/meta-data/iam/security-credentials/", [](const httplib::Request&, httplib::Response& res) {
        res.set_content("role", "text/plain");
    });
    imds.server().Get("/latest/meta-data/iam/security-credentials/role", [&](const httplib::Request&, httplib::Response& res) {
        std::lock_guard lock(mutex);
        ++minted;
        res.set_content(R"({"Code":"Success","AccessKeyId":"ASIAIMDS)" + std::to_string(minted) +
                            R"(","SecretAccessKey":"imdsSecretRefresh","Token":"imdsTokenRefresh","Expiration":")" + expiration + R"("})",
                        "application/json");
    });
    imds.start();
    f.env->unset("AWS_EC2_METADATA_DISABLED");
    f.env->set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url());
    auto chain = f.chain();
    EXPECT_EQ(chain->get().access_key_id, "ASIAIMDS1");
    {
        std::lock_guard lock(mutex);
        expiration = iso_in(f.clock, 12h);
    }
    f.clock.advance(5h + 50min);
    EXPECT_EQ(chain->get().access_key_id, "ASIAIMDS1");
    f.clock.advance(6min);
    EXPECT_EQ(chain->get().access_key_id, "ASIAIMDS2");
    // IMDS goes away inside the refresh window: the cached credentials (2 minutes left) are still served.
    imds.stop();
    f.clock.advance(6h + 2min);
    EXPECT_EQ(chain->get().access_key_id, "ASIAIMDS2");
    EXPECT_EQ(minted, 2);
    f.clock.advance(3min);
    EXPECT_THROW(chain->get(), Error);
}

} // namespace
} // namespace aurora::aws
