// The credential chain end to end against moto (an independent STS): a profile's role_arn + source_profile
// and environment web identity go through the real STS client (sts::StsCredentialsAdapter, libcurl, SigV4);
// the assumed credentials are then used to call GetCallerIdentity. Logging runs at trace and is grepped for
// every secret. Needs AURORA_TEST_MOTO_URL (scripts/services.sh start).
#include "aws/aws_error.hpp"
#include "aws/credentials/default_chain.hpp"
#include "aws/http/curl_http_client.hpp"
#include "aws/sts/sts_client.hpp"
#include "common/log.hpp"
#include "common/redact.hpp"
#include "support/requirements.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

namespace aurora::aws {
namespace {

using testing::TempDir;

ClientContext moto_context(const std::string& url) {
    ClientContext c;
    c.region = "us-east-1";
    c.endpoint_url = url;
    c.http = std::make_shared<CurlHttpClient>();
    c.retry.max_attempts = 2;
    return c;
}

struct LogCapture {
    std::mutex mutex;
    std::vector<std::string> lines;
    LogCapture() {
        log::set_level(log::Level::trace);
        log::set_sink([this](log::Level, const std::string& line) {
            std::lock_guard lock(mutex);
            lines.push_back(line);
        });
    }
    ~LogCapture() {
        log::set_sink(nullptr);
        log::set_level(log::Level::info);
    }
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;
    void expect_absent(const std::string& secret) {
        std::lock_guard lock(mutex);
        ASSERT_GE(secret.size(), 4u);
        for (const auto& line : lines) {
            EXPECT_EQ(line.find(secret), std::string::npos) << line;
        }
    }
};

TEST(MotoCredentialChain, ProfileAssumeRoleThroughRealSts) {
    AURORA_REQUIRE_ENV(url, "AURORA_TEST_MOTO_URL", "moto (scripts/services.sh start)");
    LogCapture captured;
    TempDir dir;
    auto env = std::make_shared<MapEnvironment>();
    env->set("HOME", dir.path("home"));
    env->set("AWS_EC2_METADATA_DISABLED", "true");
    env->set("AWS_SHARED_CREDENTIALS_FILE",
             dir.write("credentials", "[base]\naws_access_key_id = AKIAMOTOBASE0001\naws_secret_access_key = motoBaseSecret0001\n"));
    env->set("AWS_CONFIG_FILE", dir.write("config", "[profile ops]\nrole_arn = arn:aws:iam::123456789012:role/restore-ops\n"
                                                    "source_profile = base\nrole_session_name = chain-test\n"
                                                    "duration_seconds = 900\nregion = us-east-1\n"));
    env->set("AWS_PROFILE", "ops");
    DefaultChainOptions o;
    o.env = env;
    o.sts = std::make_shared<sts::StsCredentialsAdapter>(moto_context(url));
    auto chain = make_default_credentials_chain(o);
    const Credentials c = chain->get();
    EXPECT_EQ(c.source, "assume_role:ops");
    EXPECT_NE(c.access_key_id, "AKIAMOTOBASE0001");
    EXPECT_FALSE(c.secret_access_key.empty());
    EXPECT_FALSE(c.session_token.empty());
    ASSERT_TRUE(c.expiration.has_value());
    EXPECT_EQ(redact(c.secret_access_key), kRedacted);
    EXPECT_EQ(redact(c.session_token), kRedacted);

    ClientContext as_role = moto_context(url);
    as_role.credentials = chain;
    const auto who = sts::StsClient(as_role).get_caller_identity();
    EXPECT_NE(who.arn.find("assumed-role/restore-ops/chain-test"), std::string::npos) << who.arn;

    captured.expect_absent("motoBaseSecret0001");
    captured.expect_absent(c.secret_access_key);
    captured.expect_absent(c.session_token);
}

TEST(MotoCredentialChain, EnvironmentWebIdentityThroughRealSts) {
    AURORA_REQUIRE_ENV(url, "AURORA_TEST_MOTO_URL", "moto (scripts/services.sh start)");
    LogCapture captured;
    TempDir dir;
    const std::string token = "eyJhbGciOiJSUzI1NiJ9.motoWebIdentityToken0001.sig";
    auto env = std::make_shared<MapEnvironment>();
    env->set("HOME", dir.path("home"));
    env->set("AWS_EC2_METADATA_DISABLED", "true");
    env->set("AWS_WEB_IDENTITY_TOKEN_FILE", dir.write("token", token + "\n"));
    env->set("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/restore-web");
    env->set("AWS_ROLE_SESSION_NAME", "web-test");
    DefaultChainOptions o;
    o.env = env;
    o.sts = std::make_shared<sts::StsCredentialsAdapter>(moto_context(url));
    auto chain = make_default_credentials_chain(o);
    const Credentials c = chain->get();
    EXPECT_EQ(chain->active_source(), "web identity");
    EXPECT_FALSE(c.session_token.empty());
    ASSERT_TRUE(c.expiration.has_value());
    captured.expect_absent(token);
    captured.expect_absent(c.secret_access_key);
    captured.expect_absent(c.session_token);
}

TEST(MotoCredentialChain, StsRefusalReachesTheCallerAsAwsError) {
    AURORA_REQUIRE_ENV(url, "AURORA_TEST_MOTO_URL", "moto (scripts/services.sh start)");
    TempDir dir;
    auto env = std::make_shared<MapEnvironment>();
    env->set("HOME", dir.path("home"));
    env->set("AWS_EC2_METADATA_DISABLED", "true");
    env->set("AWS_SHARED_CREDENTIALS_FILE",
             dir.write("credentials", "[base]\naws_access_key_id = AKIAMOTOBASE0002\naws_secret_access_key = motoBaseSecret0002\n"));
    // STS limits RoleSessionName to 64 characters; moto enforces it with a ValidationError.
    env->set("AWS_CONFIG_FILE", dir.write("config", "[profile bad]\nrole_arn = arn:aws:iam::123456789012:role/r\n"
                                                    "source_profile = base\nrole_session_name = " +
                                                        std::string(70, 'x') + "\n"));
    env->set("AWS_PROFILE", "bad");
    DefaultChainOptions o;
    o.env = env;
    o.sts = std::make_shared<sts::StsCredentialsAdapter>(moto_context(url));
    try {
        make_default_credentials_chain(o)->get();
        ADD_FAILURE() << "moto accepted a 70-character session name";
    } catch (const AwsError& e) {
        // The STS answer reaches the caller whole: its code, operation and request id.
        EXPECT_EQ(e.aws_code(), "ValidationError");
        EXPECT_EQ(e.details().operation, "AssumeRole");
        EXPECT_EQ(e.display().find("motoBaseSecret0002"), std::string::npos) << e.display();
    }
}

} // namespace
} // namespace aurora::aws
