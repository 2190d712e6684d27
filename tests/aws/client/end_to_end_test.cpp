// AwsClient over the real CurlHttpClient against a local server that checks every request's SigV4
// signature with the project's verifier, as an AWS endpoint would: the bytes on the wire are signed right,
// retried requests are re-signed, and answers (errors included) are parsed from real HTTP.
#include "aws/aws_error.hpp"
#include "aws/client/aws_client.hpp"
#include "aws/http/curl_http_client.hpp"
#include "aws/sigv4/canonical.hpp"
#include "aws/sigv4/sigv4_verify.hpp"

#include <httplib.h>
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

namespace aurora::aws {
namespace {

constexpr const char* kAccessKey = "AKIDE2ETEST";
constexpr const char* kSecret = "e2e/secret/key/for/the/local/verifier";

//! Rebuilds the request as the server received it and checks its signature.
bool signature_ok(const httplib::Request& req, std::string* why) {
    HttpRequest got;
    got.method = req.method;
    got.host = req.get_header_value("Host");
    got.path = req.path;
    for (const auto& [k, v] : req.headers) {
        got.headers.add(k, v);
    }
    got.body = req.body;
    const auto auth = parse_authorization_header(req.get_header_value("Authorization"));
    if (!auth) {
        *why = "no authorization";
        return false;
    }
    if (auth->access_key_id != kAccessKey) {
        *why = "wrong key id";
        return false;
    }
    const std::string expected =
        compute_signature(got, auth->signed_headers, kSecret, auth->region, auth->service,
                          req.get_header_value("X-Amz-Date"), sigv4::payload_hash_of(got));
    if (!signatures_equal(expected, auth->signature)) {
        *why = "signature mismatch";
        return false;
    }
    return true;
}

class EndToEnd : public ::testing::Test {
protected:
    void SetUp() override {
        server_.Post("/", [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); });
        server_.set_tcp_nodelay(true); // else each keep-alive exchange waits out a delayed ACK
        port_ = server_.bind_to_any_port("127.0.0.1");
        ASSERT_GT(port_, 0);
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        while (!server_.is_running()) {
            std::this_thread::sleep_for(std::chrono::milliseconds{1});
        }
    }
    void TearDown() override {
        http_.reset(); // close the keep-alive connection first, or the server waits out its idle timeout
        server_.stop();
        thread_.join();
    }

    void handle(const httplib::Request& req, httplib::Response& res) {
        std::string why;
        const int n = ++requests_;
        {
            std::lock_guard lock(mutex_);
            ports_.insert(req.remote_port);
            if (!req.get_header_value("Expect").empty()) {
                saw_expect_ = true;
            }
        }
        if (!signature_ok(req, &why)) {
            res.status = 403;
            res.set_content("<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>" +
                                why + "</Message></Error><RequestId>sig-bad</RequestId></ErrorResponse>",
                            "text/xml");
            return;
        }
        ++signed_ok_;
        const std::string target = req.get_header_value("X-Amz-Target");
        if (target == "secretsmanager.GetSecretValue") {
            res.set_header("x-amzn-RequestId", "json-e2e");
            res.set_content(R"({"Name":"db/master","VersionStages":["AWSCURRENT"],"CreatedDate":1700000000})",
                            "application/x-amz-json-1.1");
            return;
        }
        if (n == 1) {
            res.status = 400;
            res.set_content("<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded"
                            "</Message></Error><RequestId>thr-1</RequestId></ErrorResponse>",
                            "text/xml");
            return;
        }
        res.set_content("<DescribeDBClustersResponse><DescribeDBClustersResult><DBClusters><DBCluster>"
                        "<DBClusterIdentifier>e2e</DBClusterIdentifier></DBCluster></DBClusters>"
                        "</DescribeDBClustersResult><ResponseMetadata><RequestId>e2e-ok</RequestId>"
                        "</ResponseMetadata></DescribeDBClustersResponse>",
                        "text/xml");
    }

    ClientContext context(const std::string& secret = kSecret) {
        ClientContext c;
        c.region = "us-east-1";
        c.endpoint_url = "http://127.0.0.1:" + std::to_string(port_);
        c.http = http_;
        c.credentials = std::make_shared<StaticCredentialsProvider>(Credentials{kAccessKey, secret, "", {}, "test"});
        c.clock = &clock_;
        return c;
    }

    httplib::Server server_;
    std::thread thread_;
    int port_ = 0;
    std::shared_ptr<CurlHttpClient> http_ = std::make_shared<CurlHttpClient>();
    FakeClock clock_;
    std::atomic<int> requests_{0};
    std::atomic<int> signed_ok_{0};
    std::mutex mutex_;
    std::set<int> ports_;
    bool saw_expect_ = false;
};

TEST_F(EndToEnd, QueryCallIsSignedRetriedAndParsed) {
    AwsClient client({"RDS", "rds", "rds", "2014-10-31", Protocol::query, ""}, context());
    QueryParams p;
    p.add("DBClusterIdentifier", "e2e");
    const XmlResponse resp = client.query("DescribeDBClusters", p);
    EXPECT_EQ(resp.request_id(), "e2e-ok");
    EXPECT_EQ(resp.result().list("DBClusters", "DBCluster").at(0).text("DBClusterIdentifier"), "e2e");
    EXPECT_EQ(requests_.load(), 2);  // throttled once, then answered
    EXPECT_EQ(signed_ok_.load(), 2); // both attempts carried a valid signature
    EXPECT_EQ(clock_.sleeps().size(), 1U);
    EXPECT_EQ(ports_.size(), 1U) << "the retry opened a new connection";
    EXPECT_FALSE(saw_expect_);
}

TEST_F(EndToEnd, JsonCallIsSignedAndParsed) {
    AwsClient client({"Secrets Manager", "secretsmanager", "secretsmanager", "2017-10-17", Protocol::json_1_1,
                      "secretsmanager"},
                     context());
    const JsonResponse resp = client.json("GetSecretValue", {{"SecretId", "db/master"}});
    EXPECT_EQ(resp.request_id(), "json-e2e");
    EXPECT_EQ(resp.result().string_list("VersionStages"), std::vector<std::string>{"AWSCURRENT"});
    EXPECT_EQ(resp.result().timestamp("CreatedDate"), Clock::WallTime{std::chrono::seconds{1'700'000'000}});
    EXPECT_EQ(signed_ok_.load(), 1);
}

TEST_F(EndToEnd, WrongSecretIsASignatureErrorWithoutRetry) {
    AwsClient client({"RDS", "rds", "rds", "2014-10-31", Protocol::query, ""}, context("not-the-right-secret"));
    try {
        (void)client.query("DescribeDBClusters", {});
        FAIL() << "expected AwsError";
    } catch (const AwsError& e) {
        EXPECT_EQ(e.code(), ErrorCode::signature);
        EXPECT_EQ(e.aws_code(), "SignatureDoesNotMatch");
        EXPECT_EQ(e.request_id(), "sig-bad");
        EXPECT_EQ(e.http_status(), 403);
    }
    EXPECT_EQ(requests_.load(), 1);
}

} // namespace
} // namespace aurora::aws
