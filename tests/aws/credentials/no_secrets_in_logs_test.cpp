// Acceptance 4 of issue #2: with logging at trace, a full run of every provider (successes and failures)
// writes no secret access key, session token or bearer token into any log line or error message.
#include "aws/credentials/container_provider.hpp"
#include "aws/credentials/default_chain.hpp"
#include "aws/credentials/environment_provider.hpp"
#include "aws/credentials/imds_provider.hpp"
#include "aws/credentials/process_provider.hpp"
#include "aws/credentials/profile_provider.hpp"
#include "aws/credentials/web_identity_provider.hpp"
#include "aws/aws_error.hpp"
#include "common/log.hpp"
#include "common/redact.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

namespace aurora::aws {
namespace {

using testing::FakeSts;
using testing::LocalServer;
using testing::TempDir;

//! An STS that answers, or fails like STS does (AccessDenied) when told to.
class MaybeFailingSts final : public StsCredentialsApi {
public:
    explicit MaybeFailingSts(Clock& clock) : ok_(clock) {}
    Credentials assume_role(const AssumeRoleRequest& r) override {
        check();
        return ok_.assume_role(r);
    }
    Credentials assume_role_with_web_identity(const WebIdentityRequest& r) override {
        check();
        return ok_.assume_role_with_web_identity(r);
    }
    std::vector<std::string> secrets() const { return ok_.secrets(); }
    bool fail = false;

private:
    void check() const {
        if (fail) {
            AwsError::Details d;
            d.service = "sts";
            d.operation = "AssumeRole";
            d.aws_code = "AccessDenied";
            d.aws_message = "not authorized to perform sts:AssumeRole";
            d.http_status = 403;
            d.request_id = "req-1";
            throw AwsError(ErrorCode::access_denied, d);
        }
    }
    FakeSts ok_;
};

class CapturedLog {
public:
    CapturedLog() {
        log::set_level(log::Level::trace);
        log::set_sink([this](log::Level, const std::string& line) {
            std::lock_guard lock(mutex_);
            lines_.push_back(line);
        });
    }
    ~CapturedLog() {
        log::set_sink(nullptr);
        log::set_level(log::Level::info);
    }
    CapturedLog(const CapturedLog&) = delete;
    CapturedLog& operator=(const CapturedLog&) = delete;
    std::vector<std::string> lines() const {
        std::lock_guard lock(mutex_);
        return lines_;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
};

TEST(NoSecretsInLogs, EveryProviderSuccessAndFailureAtTrace) {
    clear_registered_secrets_for_testing(); // only the providers' own registrations protect the output
    CapturedLog captured;
    FakeClock clock;
    auto sts = std::make_shared<MaybeFailingSts>(clock);
    TempDir dir;
    std::vector<std::string> errors; // every error's display(), unredacted
    auto attempt = [&](const std::function<void()>& f) {
        try {
            f();
        } catch (const Error& e) {
            errors.push_back(e.display());
            log::error("test.failure", {{"error", e.display()}});
        }
    };
    auto log_credentials = [](const Credentials& c) {
        // What a careless caller might do: log every field. Redaction must catch the secrets.
        log::trace("test.got", {{"id", c.access_key_id}, {"value", c.secret_access_key}, {"session", c.session_token}});
    };
    std::vector<std::string> secrets = {"envSecretKey0001", "envSessionToken0001", "profileSecret0002",
                                        "profileToken0002", "procSecret0003",      "procToken0003",
                                        "webIdentityToken0004", "containerSecret0005", "containerToken0005",
                                        "containerAuth0005",  "imdsSecret0006",      "imdsToken0006",
                                        "imdsSession0006"};

    // A fake container endpoint and IMDS.
    LocalServer meta;
    meta.server().Get("/container", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(R"({"AccessKeyId":"ASIAC","SecretAccessKey":"containerSecret0005","Token":"containerToken0005","Expiration":"2030-01-01T00:00:00Z"})",
                        "application/json");
    });
    meta.server().Get("/denied", [](const httplib::Request&, httplib::Response& res) { res.status = 403; });
    meta.server().Put("/latest/api/token", [](const httplib::Request&, httplib::Response& res) {
        res.set_content("imdsSession0006", "text/plain");
    });
    meta.server().Get("/latest/meta-data/iam/security-credentials/", [](const httplib::Request&, httplib::Response& res) {
        res.set_content("r", "text/plain");
    });
    meta.server().Get("/latest/meta-data/iam/security-credentials/r", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(R"({"Code":"Success","AccessKeyId":"ASIAI","SecretAccessKey":"imdsSecret0006","Token":"imdsToken0006","Expiration":"2030-01-01T00:00:00Z"})",
                        "application/json");
    });
    meta.start();
    auto http = std::make_shared<CurlHttpClient>();

    auto env = std::make_shared<MapEnvironment>();
    env->set("HOME", dir.path("home"));
    env->set("AWS_ACCESS_KEY_ID", "AKIAENV");
    env->set("AWS_SECRET_ACCESS_KEY", "envSecretKey0001");
    env->set("AWS_SESSION_TOKEN", "envSessionToken0001");
    env->set("AWS_SHARED_CREDENTIALS_FILE",
             dir.write("credentials", "[base]\naws_access_key_id = AKIAB\naws_secret_access_key = profileSecret0002\n"
                                      "aws_session_token = profileToken0002\n"));
    env->set("AWS_CONFIG_FILE",
             dir.write("config", "[profile role]\nrole_arn = arn:aws:iam::1:role/R\nsource_profile = base\n"
                                 "[profile proc]\ncredential_process = echo '{\"Version\":1,\"AccessKeyId\":\"AKIAP\","
                                 "\"SecretAccessKey\":\"procSecret0003\",\"SessionToken\":\"procToken0003\"}'\n"
                                 "[profile badproc]\ncredential_process = sh -c 'echo profileSecret0002 >&2; exit 1'\n"
                                 "[profile junkproc]\ncredential_process = echo 'SecretAccessKey=unregistered0007'\n"
                                 "[profile web]\nrole_arn = arn:aws:iam::1:role/W\nweb_identity_token_file = " +
                                     dir.write("token", "webIdentityToken0004") + "\n"));
    env->set("AWS_WEB_IDENTITY_TOKEN_FILE", dir.path("token"));
    env->set("AWS_ROLE_ARN", "arn:aws:iam::1:role/W");
    env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI", meta.url() + "/container");
    env->set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "containerAuth0005");
    env->set("AWS_EC2_METADATA_SERVICE_ENDPOINT", meta.url());

    // Successes.
    attempt([&] { log_credentials(EnvironmentCredentialsProvider(env).get()); });
    for (const char* profile : {"base", "role", "proc", "web"}) {
        auto cfg = std::make_shared<SharedConfig>(SharedConfig::load(env, std::string(profile)));
        attempt([&] { log_credentials(ProfileCredentialsProvider(cfg, {sts, nullptr, nullptr, &clock}).get()); });
    }
    attempt([&] {
        log_credentials(WebIdentityCredentialsProvider(WebIdentityConfig::from_environment(*env), env, sts, clock).get());
    });
    attempt([&] { log_credentials(ContainerCredentialsProvider(env, http).get()); });
    attempt([&] {
        ImdsOptions o;
        o.endpoint = meta.url();
        log_credentials(ImdsCredentialsProvider(http, o).get());
    });
    DefaultChainOptions chain_options;
    chain_options.env = env;
    chain_options.clock = &clock;
    chain_options.sts = sts;
    chain_options.http_factory = [](const HttpClientOptions& h) { return std::make_shared<CurlHttpClient>(h); };
    attempt([&] { log_credentials(make_default_credentials_chain(chain_options)->get()); });

    // Failures.
    for (const char* profile : {"badproc", "junkproc", "missing"}) {
        auto cfg = std::make_shared<SharedConfig>(SharedConfig::load(env, std::string(profile)));
        attempt([&] { ProfileCredentialsProvider(cfg, {sts, nullptr, nullptr, &clock}).get(); });
    }
    sts->fail = true;
    for (const char* profile : {"role", "web"}) {
        auto cfg = std::make_shared<SharedConfig>(SharedConfig::load(env, std::string(profile)));
        attempt([&] { ProfileCredentialsProvider(cfg, {sts, nullptr, nullptr, &clock}).get(); });
    }
    attempt([&] { WebIdentityCredentialsProvider(WebIdentityConfig::from_environment(*env), env, sts, clock).get(); });
    env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI", meta.url() + "/denied");
    attempt([&] { ContainerCredentialsProvider(env, http).get(); });
    attempt([&] {
        ImdsOptions o;
        o.endpoint = meta.url() + "/nothing-here";
        ImdsCredentialsProvider(http, o).get();
    });
    env->unset("AWS_ACCESS_KEY_ID");
    env->set("AWS_PROFILE", "role");
    attempt([&] { make_default_credentials_chain(chain_options)->get(); });

    for (const auto& s : sts->secrets()) {
        secrets.push_back(s);
    }
    const auto lines = captured.lines();
    ASSERT_GT(lines.size(), 20u) << "the run should have logged at trace";
    EXPECT_GE(errors.size(), 9u);
    std::size_t checked = 0;
    for (const auto& secret : secrets) {
        for (const auto& line : lines) {
            EXPECT_EQ(line.find(secret), std::string::npos) << "secret '" << secret << "' in log line: " << line;
            ++checked;
        }
        for (const auto& e : errors) {
            EXPECT_EQ(e.find(secret), std::string::npos) << "secret '" << secret << "' in error: " << e;
        }
    }
    // The credential_process output that could not be parsed was never registered: it must not be quoted.
    for (const auto& e : errors) {
        EXPECT_EQ(e.find("unregistered0007"), std::string::npos) << e;
    }
    for (const auto& line : lines) {
        EXPECT_EQ(line.find("unregistered0007"), std::string::npos) << line;
    }
    EXPECT_GT(checked, 0u);
}

} // namespace
} // namespace aurora::aws
