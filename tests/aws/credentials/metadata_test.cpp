// Container and IMDS providers against local fake endpoints (cpp-httplib on 127.0.0.1:<free port>).
#include "aws/credentials/container_provider.hpp"
#include "aws/credentials/imds_provider.hpp"
#include "common/error.hpp"
#include "common/redact.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

namespace aurora::aws {
namespace {

using testing::LocalServer;
using testing::TempDir;

std::string creds_json(const std::string& key, const std::string& secret, const std::string& token,
                       const std::string& expiration, const std::string& extra = "") {
    return R"({)" + extra + R"("AccessKeyId":")" + key + R"(","SecretAccessKey":")" + secret + R"(","Token":")" + token +
           R"(","Expiration":")" + expiration + R"("})";
}

struct ContainerServer {
    LocalServer local;
    std::mutex mutex;
    std::vector<std::string> paths;
    std::vector<std::string> auth_headers;
    int failures_before_success = 0;

    ContainerServer() {
        local.server().Get("/.*", [this](const httplib::Request& req, httplib::Response& res) {
            std::lock_guard lock(mutex);
            paths.push_back(req.path);
            auth_headers.push_back(req.get_header_value("Authorization"));
            if (failures_before_success > 0) {
                --failures_before_success;
                res.status = 500;
                return;
            }
            if (req.path == "/denied") {
                res.status = 403;
                return;
            }
            res.set_content(creds_json("ASIACONTAINER", "containerSecret/xyz", "containerToken123", "2030-01-01T00:00:00Z"),
                            "application/json");
        });
        local.start();
    }
};

TEST(ContainerProvider, RelativeUriAgainstTheAgentAddress) {
    ContainerServer srv;
    auto env = std::make_shared<MapEnvironment>();
    env->set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc");
    ContainerProviderOptions o;
    o.relative_uri_base = srv.local.url();
    ContainerCredentialsProvider p(env, std::make_shared<CurlHttpClient>(), o);
    EXPECT_EQ(p.endpoint_url(), srv.local.url() + "/v2/credentials/abc");
    const Credentials c = p.get();
    EXPECT_EQ(c.access_key_id, "ASIACONTAINER");
    EXPECT_EQ(c.session_token, "containerToken123");
    EXPECT_EQ(format_iso8601(*c.expiration), "2030-01-01T00:00:00Z");
    EXPECT_EQ(c.source, "container");
    EXPECT_EQ(srv.paths, (std::vector<std::string>{"/v2/credentials/abc"}));
    EXPECT_EQ(redact("containerSecret/xyz containerToken123"), "*** ***");
    // The default base is the ECS agent address.
    ContainerCredentialsProvider real(env, nullptr);
    EXPECT_EQ(real.endpoint_url(), "http://169.254.170.2/v2/credentials/abc");
}

TEST(ContainerProvider, FullUriWithTokenFromFileWinningOverVariable) {
    ContainerServer srv;
    TempDir dir;
    auto env = std::make_shared<MapEnvironment>();
    env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI", srv.local.url() + "/eks/creds");
    env->set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "variableAuthToken");
    ContainerCredentialsProvider p(env, std::make_shared<CurlHttpClient>());
    p.get();
    env->set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", dir.write("auth", "fileAuthToken-1\n"));
    p.get();
    dir.write("auth", "fileAuthToken-2");
    p.get();
    EXPECT_EQ(srv.auth_headers, (std::vector<std::string>{"variableAuthToken", "fileAuthToken-1", "fileAuthToken-2"}));
    EXPECT_EQ(redact("fileAuthToken-2"), "***");
}

TEST(ContainerProvider, FullUriRestrictions) {
    EXPECT_TRUE(is_allowed_container_uri("https://example.com/creds"));
    EXPECT_TRUE(is_allowed_container_uri("http://127.0.0.1:8080/creds"));
    EXPECT_TRUE(is_allowed_container_uri("http://127.1.2.3/creds"));
    EXPECT_TRUE(is_allowed_container_uri("http://localhost/creds"));
    EXPECT_TRUE(is_allowed_container_uri("http://[::1]:80/creds"));
    EXPECT_TRUE(is_allowed_container_uri("http://169.254.170.2/creds"));
    EXPECT_TRUE(is_allowed_container_uri("http://169.254.170.23/v1/credentials"));
    EXPECT_TRUE(is_allowed_container_uri("http://[fd00:ec2::23]/v1/credentials"));
    EXPECT_FALSE(is_allowed_container_uri("http://example.com/creds"));
    EXPECT_FALSE(is_allowed_container_uri("http://10.0.0.1/creds"));
    EXPECT_FALSE(is_allowed_container_uri("http://127.0.0.1.evil.com/creds"));
    EXPECT_FALSE(is_allowed_container_uri("ftp://127.0.0.1/creds"));
    auto env = std::make_shared<MapEnvironment>();
    env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://example.com/creds");
    ContainerCredentialsProvider p(env, std::make_shared<CurlHttpClient>());
    EXPECT_THROW(p.get(), Error);
}

TEST(ContainerProvider, RetriesServerErrorsAndReportsFailures) {
    ContainerServer srv;
    srv.failures_before_success = 2;
    auto env = std::make_shared<MapEnvironment>();
    env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI", srv.local.url() + "/creds");
    ContainerCredentialsProvider p(env, std::make_shared<CurlHttpClient>());
    EXPECT_EQ(p.get().access_key_id, "ASIACONTAINER");
    EXPECT_EQ(srv.paths.size(), 3u);

    env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI", srv.local.url() + "/denied");
    try {
        p.get();
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::credentials);
        EXPECT_NE(e.message().find("403"), std::string::npos);
    }
    env->set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/no/such/file");
    EXPECT_THROW(p.get(), Error);
}

TEST(ContainerProvider, UnreachableEndpoint) {
    int dead_port = 0;
    {
        LocalServer gone;
        gone.start();
        dead_port = gone.port();
    }
    auto env = std::make_shared<MapEnvironment>();
    env->set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:" + std::to_string(dead_port) + "/creds");
    ContainerCredentialsProvider p(env, std::make_shared<CurlHttpClient>());
    try {
        p.get();
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::credentials);
        EXPECT_NE(e.message().find("unreachable"), std::string::npos) << e.message();
    }
}

//! A fake IMDS: token PUT, role listing, role credentials; records requests.
struct FakeImds {
    LocalServer local;
    std::mutex mutex;
    std::vector<std::string> log; // "METHOD path token-header ttl-header"
    int token_status = 200;
    std::string role = "restore-role";
    int minted = 0;

    FakeImds() {
        auto& s = local.server();
        s.Put("/latest/api/token", [this](const httplib::Request& req, httplib::Response& res) {
            std::lock_guard lock(mutex);
            log.push_back("PUT " + req.path + " ttl=" + req.get_header_value("X-aws-ec2-metadata-token-ttl-seconds"));
            res.status = token_status;
            if (token_status == 200) {
                res.set_content("imdsSessionToken-AQAEAxyz", "text/plain");
            }
        });
        s.Get("/latest/meta-data/iam/security-credentials/(.*)", [this](const httplib::Request& req, httplib::Response& res) {
            std::lock_guard lock(mutex);
            const std::string token = req.get_header_value("X-aws-ec2-metadata-token");
            log.push_back("GET " + req.path + " token=" + token);
            if (token_status == 200 && token != "imdsSessionToken-AQAEAxyz") {
                res.status = 401;
                return;
            }
            const std::string name = req.matches[1];
            if (name.empty()) {
                if (role.empty()) {
                    res.status = 404;
                    return;
                }
                res.set_content(role + "\n", "text/plain");
                return;
            }
            if (name != role) {
                res.status = 404;
                return;
            }
            ++minted;
            res.set_content(creds_json("ASIAIMDS" + std::to_string(minted), "imdsSecret/" + std::to_string(minted) + "abc",
                                       "imdsToken" + std::to_string(minted) + "def", "2030-06-01T00:00:00Z",
                                       R"("Code":"Success","Type":"AWS-HMAC",)"),
                            "application/json");
        });
        local.start();
    }
};

ImdsCredentialsProvider make_imds(const FakeImds& imds, bool v1_disabled = false) {
    ImdsOptions o;
    o.endpoint = imds.local.url();
    o.v1_disabled = v1_disabled;
    HttpClientOptions h;
    h.connect_timeout = std::chrono::seconds(1);
    h.request_timeout = std::chrono::seconds(1);
    return ImdsCredentialsProvider(std::make_shared<CurlHttpClient>(h), o);
}

TEST(ImdsProvider, V2TokenRoleAndCredentials) {
    FakeImds imds;
    auto p = make_imds(imds);
    const Credentials c = p.get();
    EXPECT_EQ(c.access_key_id, "ASIAIMDS1");
    EXPECT_EQ(c.secret_access_key, "imdsSecret/1abc");
    EXPECT_EQ(c.session_token, "imdsToken1def");
    EXPECT_EQ(c.source, "imds:restore-role");
    EXPECT_EQ(imds.log, (std::vector<std::string>{
                            "PUT /latest/api/token ttl=21600",
                            "GET /latest/meta-data/iam/security-credentials/ token=imdsSessionToken-AQAEAxyz",
                            "GET /latest/meta-data/iam/security-credentials/restore-role token=imdsSessionToken-AQAEAxyz"}));
    EXPECT_EQ(redact("imdsSessionToken-AQAEAxyz imdsSecret/1abc imdsToken1def"), "*** *** ***");
}

TEST(ImdsProvider, FallsBackToV1On404UnlessDisabled) {
    FakeImds imds;
    imds.token_status = 404;
    auto p = make_imds(imds);
    EXPECT_EQ(p.get().access_key_id, "ASIAIMDS1");
    EXPECT_EQ(imds.log.back(), "GET /latest/meta-data/iam/security-credentials/restore-role token=");
    auto strict = make_imds(imds, /*v1_disabled=*/true);
    EXPECT_THROW(strict.get(), Error);
}

TEST(ImdsProvider, ForbiddenTokenAndMissingRoleAreErrors) {
    FakeImds imds;
    imds.token_status = 403;
    auto p = make_imds(imds);
    EXPECT_THROW(p.get(), Error);
    imds.token_status = 200;
    imds.role.clear();
    try {
        p.get();
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(e.message().find("no instance profile"), std::string::npos) << e.message();
    }
}

TEST(ImdsProvider, EndpointAndOptionsFromEnvironmentAndProfile) {
    auto env = std::make_shared<MapEnvironment>();
    EXPECT_EQ(resolve_imds_endpoint(SharedConfig::from_text(env, "", "")), "http://169.254.169.254");
    EXPECT_EQ(resolve_imds_endpoint(SharedConfig::from_text(env, "[default]\nec2_metadata_service_endpoint_mode = IPv6\n", "")),
              "http://[fd00:ec2::254]");
    EXPECT_EQ(resolve_imds_endpoint(SharedConfig::from_text(env, "[default]\nec2_metadata_service_endpoint = http://p:1/\n", "")),
              "http://p:1");
    env->set("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:9/");
    env->set("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "2");
    env->set("AWS_METADATA_SERVICE_TIMEOUT", "3");
    const auto cfg = SharedConfig::from_text(env, "[default]\nec2_metadata_v1_disabled = true\n", "");
    const ImdsOptions o = imds_options_from_config(cfg);
    EXPECT_EQ(o.endpoint, "http://127.0.0.1:9");
    EXPECT_EQ(o.attempts, 2);
    EXPECT_TRUE(o.v1_disabled);
    EXPECT_EQ(imds_timeout_from_config(cfg), std::chrono::seconds(3));
    EXPECT_FALSE(imds_disabled(*env));
    env->set("AWS_EC2_METADATA_DISABLED", "TRUE");
    EXPECT_TRUE(imds_disabled(*env));
}

} // namespace
} // namespace aurora::aws
