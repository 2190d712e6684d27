#include "aws/aws_error.hpp"
#include "aws/client/aws_client.hpp"
#include "aws/retry/rate_limiter.hpp"
#include "common/log.hpp"
#include "common/redact.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <deque>
#include <mutex>
#include <random>
#include <thread>
#include <variant>

namespace aurora::aws {
namespace {

using std::chrono::milliseconds;

//! A scripted transport: answers each request with the next scripted step (the last one repeats) and
//! records the exact requests it was given.
class ScriptedHttp final : public HttpClient {
public:
    using Step = std::variant<HttpResponse, TransportError>;
    void then(Step s) { script_.push_back(std::move(s)); }
    HttpResponse send(const HttpRequest& request) override {
        std::lock_guard lock(mutex_);
        requests.push_back(request);
        const Step step = script_.size() > 1 ? script_.front() : script_.back();
        if (script_.size() > 1) {
            script_.pop_front();
        }
        if (const auto* e = std::get_if<TransportError>(&step)) {
            throw *e;
        }
        return std::get<HttpResponse>(step);
    }
    std::vector<HttpRequest> requests;

private:
    std::mutex mutex_;
    std::deque<Step> script_;
};

HttpResponse response(int status, std::string body, std::vector<std::pair<std::string, std::string>> headers = {}) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    for (auto& [k, v] : headers) {
        r.headers.add(k, v);
    }
    return r;
}

std::string query_error(const std::string& code, const std::string& message, const std::string& request_id) {
    return "<ErrorResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><Error><Type>Sender</Type><Code>" + code +
           "</Code><Message>" + message + "</Message></Error><RequestId>" + request_id + "</RequestId></ErrorResponse>";
}

const char* kOkDescribe =
    "<DescribeDBClustersResponse><DescribeDBClustersResult><DBClusters><DBCluster><DBClusterIdentifier>prod"
    "</DBClusterIdentifier></DBCluster></DBClusters></DescribeDBClustersResult><ResponseMetadata><RequestId>ok-1"
    "</RequestId></ResponseMetadata></DescribeDBClustersResponse>";

constexpr const char* kSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
constexpr const char* kToken = "FQoGZXIvYXdzEXAMPLESESSIONTOKENVALUE";

ServiceDescriptor rds() { return {"RDS", "rds", "rds", "2014-10-31", Protocol::query, ""}; }
ServiceDescriptor secrets() {
    return {"Secrets Manager", "secretsmanager", "secretsmanager", "2017-10-17", Protocol::json_1_1, "secretsmanager"};
}

struct Fixture : ::testing::Test {
    std::shared_ptr<ScriptedHttp> http = std::make_shared<ScriptedHttp>();
    FakeClock clock;
    std::mt19937_64 engine{42};

    ClientContext context(RetryPolicy policy = {}) {
        ClientContext c;
        c.region = "us-east-1";
        c.http = http;
        c.credentials = std::make_shared<StaticCredentialsProvider>(Credentials{"AKIDEXAMPLE", kSecret, kToken, {}, "test"});
        c.clock = &clock;
        c.retry = policy;
        c.random = [this] { return std::uniform_real_distribution<double>(0.0, 1.0)(engine); };
        return c;
    }
};

using AwsClientTest = Fixture;

TEST_F(AwsClientTest, QueryRequestBytes) {
    http->then(response(200, kOkDescribe));
    AwsClient client(rds(), context());
    EXPECT_EQ(client.endpoint_url(), "https://rds.us-east-1.amazonaws.com");
    QueryParams p;
    p.add("DBClusterIdentifier", "prod orders");
    p.add_list("Filters.member.1.Values", {"a/b"});
    const XmlResponse resp = client.query("DescribeDBClusters", p);
    EXPECT_EQ(resp.request_id(), "ok-1");
    EXPECT_EQ(resp.result().list("DBClusters", "DBCluster").at(0).text("DBClusterIdentifier"), "prod");

    ASSERT_EQ(http->requests.size(), 1U);
    const HttpRequest& r = http->requests[0];
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.scheme, "https");
    EXPECT_EQ(r.host, "rds.us-east-1.amazonaws.com");
    EXPECT_EQ(r.path, "/");
    EXPECT_TRUE(r.query.empty());
    EXPECT_EQ(r.headers.get("Content-Type"), "application/x-www-form-urlencoded; charset=utf-8");
    EXPECT_EQ(r.body,
              "Action=DescribeDBClusters&Version=2014-10-31&DBClusterIdentifier=prod%20orders&"
              "Filters.member.1.Values.member.1=a%2Fb");
    EXPECT_FALSE(r.headers.contains("X-Amz-Target"));
    EXPECT_EQ(r.headers.get("X-Amz-Date"), "20231114T221320Z");
    EXPECT_EQ(r.headers.get("X-Amz-Security-Token"), kToken);
    const auto auth = r.headers.get("Authorization");
    ASSERT_TRUE(auth.has_value());
    EXPECT_TRUE(auth->starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20231114/us-east-1/rds/aws4_request, "));
}

TEST_F(AwsClientTest, JsonRequestBytesAndRequestIdFromHeader) {
    http->then(response(200, R"({"Name":"db/master","SecretString":"s3cr3t-value"})",
                        {{"x-amzn-RequestId", "json-req-1"}}));
    AwsClient client(secrets(), context());
    const JsonResponse resp = client.json("GetSecretValue", {{"SecretId", "db/master"}});
    EXPECT_EQ(resp.request_id(), "json-req-1");
    EXPECT_EQ(resp.result().text("Name"), "db/master");
    const HttpRequest& r = http->requests.at(0);
    EXPECT_EQ(r.host, "secretsmanager.us-east-1.amazonaws.com");
    EXPECT_EQ(r.headers.get("Content-Type"), "application/x-amz-json-1.1");
    EXPECT_EQ(r.headers.get("X-Amz-Target"), "secretsmanager.GetSecretValue");
    EXPECT_EQ(r.body, R"({"SecretId":"db/master"})");
    EXPECT_TRUE(r.headers.get("Authorization")->find("/secretsmanager/aws4_request") != std::string::npos);
}

TEST_F(AwsClientTest, Json10ContentTypeAndNullBody) {
    http->then(response(200, ""));
    AwsClient client({"DynamoDB", "dynamodb", "dynamodb", "2012-08-10", Protocol::json_1_0, "DynamoDB_20120810"},
                     context());
    (void)client.json("ListTables", nullptr);
    EXPECT_EQ(http->requests.at(0).headers.get("Content-Type"), "application/x-amz-json-1.0");
    EXPECT_EQ(http->requests.at(0).headers.get("X-Amz-Target"), "DynamoDB_20120810.ListTables");
    EXPECT_EQ(http->requests.at(0).body, "{}");
}

TEST_F(AwsClientTest, EndpointOverrideKeepsPortAndPath) {
    http->then(response(200, kOkDescribe));
    ClientContext c = context();
    c.endpoint_url = "http://127.0.0.1:4566/prefix/";
    AwsClient client(rds(), c);
    (void)client.query("DescribeDBClusters", {});
    EXPECT_EQ(http->requests.at(0).scheme, "http");
    EXPECT_EQ(http->requests.at(0).host, "127.0.0.1:4566");
    EXPECT_EQ(http->requests.at(0).path, "/prefix");
}

TEST_F(AwsClientTest, RetriesServiceUnavailableThenSucceedsResigningEachAttempt) {
    http->then(response(503, query_error("ServiceUnavailable", "try again", "r-1")));
    http->then(response(400, query_error("Throttling", "Rate exceeded", "r-2")));
    http->then(response(200, kOkDescribe));
    AwsClient client(rds(), context());
    const XmlResponse resp = client.query("DescribeDBClusters", {});
    EXPECT_EQ(resp.request_id(), "ok-1");
    ASSERT_EQ(http->requests.size(), 3U);
    for (const auto& r : http->requests) {
        EXPECT_TRUE(r.headers.contains("Authorization"));
    }
    const auto sleeps = clock.sleeps();
    ASSERT_EQ(sleeps.size(), 2U);
    EXPECT_LE(sleeps[0], milliseconds{100});  // base 100ms, attempt 1
    EXPECT_LE(sleeps[1], milliseconds{1000}); // throttling base 500ms, attempt 2
}

TEST_F(AwsClientTest, NoRetryOnValidationError) {
    http->then(response(400, query_error("InvalidParameterValue", "bad identifier", "r-9")));
    AwsClient client(rds(), context());
    try {
        (void)client.query("DescribeDBClusters", {});
        FAIL() << "expected AwsError";
    } catch (const AwsError& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_parameter);
        EXPECT_EQ(e.aws_code(), "InvalidParameterValue");
        EXPECT_EQ(e.details().aws_message, "bad identifier");
        EXPECT_EQ(e.http_status(), 400);
        EXPECT_EQ(e.request_id(), "r-9");
        EXPECT_EQ(e.details().operation, "DescribeDBClusters");
    }
    EXPECT_EQ(http->requests.size(), 1U);
    EXPECT_TRUE(clock.sleeps().empty());
}

TEST_F(AwsClientTest, ServiceMapperWinsOverGenericMapping) {
    http->then(response(404, query_error("DBClusterNotFoundFault", "DBCluster x not found.", "r-4")));
    AwsClient client(rds(), context(), [](const std::string& code, int) -> std::optional<ErrorCode> {
        if (code == "DBClusterNotFoundFault") {
            return ErrorCode::cluster_not_found;
        }
        return std::nullopt;
    });
    try {
        (void)client.query("DescribeDBClusters", {});
        FAIL() << "expected AwsError";
    } catch (const AwsError& e) {
        EXPECT_EQ(e.code(), ErrorCode::cluster_not_found);
        EXPECT_EQ(e.request_id(), "r-4");
        EXPECT_NE(e.message().find("DBCluster x not found."), std::string::npos);
    }
}

TEST_F(AwsClientTest, JsonErrorsFromTypeFieldAndHeader) {
    http->then(response(400,
                        R"({"__type":"com.amazonaws.secretsmanager#ResourceNotFoundException","Message":"no such secret"})",
                        {{"x-amzn-RequestId", "j-1"}}));
    AwsClient client(secrets(), context(), [](const std::string& code, int) -> std::optional<ErrorCode> {
        return code == "ResourceNotFoundException" ? std::optional(ErrorCode::secret_not_found) : std::nullopt;
    });
    try {
        (void)client.json("GetSecretValue", {{"SecretId", "x"}});
        FAIL() << "expected AwsError";
    } catch (const AwsError& e) {
        EXPECT_EQ(e.code(), ErrorCode::secret_not_found);
        EXPECT_EQ(e.aws_code(), "ResourceNotFoundException");
        EXPECT_EQ(e.details().aws_message, "no such secret");
        EXPECT_EQ(e.request_id(), "j-1");
    }

    auto http2 = std::make_shared<ScriptedHttp>();
    http2->then(response(400, R"({"message":"1 validation error"})",
                         {{"x-amzn-ErrorType", "ValidationException:http://internal.amazon.com/coral/"}}));
    ClientContext c = context();
    c.http = http2;
    AwsClient client2(secrets(), c);
    try {
        (void)client2.json("GetSecretValue", {});
        FAIL() << "expected AwsError";
    } catch (const AwsError& e) {
        EXPECT_EQ(e.aws_code(), "ValidationException");
        EXPECT_EQ(e.code(), ErrorCode::invalid_parameter);
        EXPECT_EQ(e.details().aws_message, "1 validation error");
    }
}

TEST_F(AwsClientTest, NonAwsErrorBodyKeepsStatus) {
    http->then(response(502, "<html>Bad Gateway</html>"));
    RetryPolicy p;
    p.max_attempts = 2;
    AwsClient client(rds(), context(p));
    try {
        (void)client.query("DescribeDBClusters", {});
        FAIL() << "expected AwsError";
    } catch (const AwsError& e) {
        EXPECT_EQ(e.aws_code(), "Http502");
        EXPECT_EQ(e.code(), ErrorCode::service_unavailable);
        EXPECT_NE(e.message().find("after 2 attempts"), std::string::npos) << e.message();
    }
}

TEST_F(AwsClientTest, DeadlineExhaustionListsEveryAttempt) {
    http->then(response(503, query_error("ServiceUnavailable", "down", "r-x")));
    RetryPolicy p;
    p.max_attempts = 100;
    p.base_delay = milliseconds{400};
    p.max_delay = milliseconds{1000};
    p.deadline = milliseconds{3000};
    AwsClient client(rds(), context(p));
    try {
        (void)client.query("DescribeDBClusters", {});
        FAIL() << "expected AwsError";
    } catch (const AwsError& e) {
        const std::size_t n = http->requests.size();
        ASSERT_GE(n, 3U);
        const std::string msg = e.message();
        EXPECT_NE(msg.find("deadline exceeded after " + std::to_string(n) + " attempts over 3.0s"), std::string::npos)
            << msg;
        for (std::size_t i = 1; i <= n; ++i) {
            EXPECT_NE(msg.find("attempt " + std::to_string(i) + ": http 503 ServiceUnavailable: down (request id r-x)"),
                      std::string::npos)
                << msg;
        }
        EXPECT_EQ(e.code(), ErrorCode::service_unavailable);
    }
    milliseconds total{0};
    for (const auto s : clock.sleeps()) {
        total += s;
    }
    EXPECT_EQ(total, milliseconds{3000}); // never past the deadline; the last sleep was cut to the time left
}

TEST_F(AwsClientTest, TransportFailuresBecomeNetworkError) {
    http->then(TransportError(TransportError::Kind::connect, "connect to rds.us-east-1.amazonaws.com failed"));
    RetryPolicy p;
    p.max_attempts = 3;
    AwsClient client(rds(), context(p));
    try {
        (void)client.query("DescribeDBClusters", {});
        FAIL() << "expected Error";
    } catch (const AwsError&) {
        FAIL() << "a transport failure is not an AWS answer";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::network);
        EXPECT_NE(e.message().find("after 3 attempts"), std::string::npos) << e.message();
        EXPECT_NE(e.message().find("attempt 3: connect to"), std::string::npos) << e.message();
    }
    EXPECT_EQ(http->requests.size(), 3U);
}

TEST_F(AwsClientTest, RetryAfterIsHonoured) {
    http->then(response(429, R"({"__type":"TooManyRequestsException"})", {{"Retry-After", "2"}}));
    http->then(response(200, "{}"));
    AwsClient client(secrets(), context());
    (void)client.json("GetSecretValue", {});
    EXPECT_EQ(clock.sleeps(), std::vector<milliseconds>{milliseconds{2000}});
}

TEST_F(AwsClientTest, ClockSkewIsCorrectedFromTheDateHeaderAndRemembered) {
    // The local (fake) clock says 2023-11-14T22:13:20Z; the service is one hour ahead.
    http->then(response(403, query_error("SignatureDoesNotMatch", "Signature expired", "r-skew"),
                        {{"Date", "Tue, 14 Nov 2023 23:13:20 GMT"}}));
    http->then(response(200, kOkDescribe));
    AwsClient client(rds(), context());
    (void)client.query("DescribeDBClusters", {});
    ASSERT_EQ(http->requests.size(), 2U);
    EXPECT_EQ(http->requests[0].headers.get("X-Amz-Date"), "20231114T221320Z");
    EXPECT_EQ(http->requests[1].headers.get("X-Amz-Date"), "20231114T231320Z");
    (void)client.query("DescribeDBClusters", {});
    EXPECT_EQ(http->requests[2].headers.get("X-Amz-Date"), "20231114T231320Z");
    EXPECT_GE(client.signing_time() - clock.now(), std::chrono::minutes{59});
}

TEST_F(AwsClientTest, SignatureErrorWithoutSkewIsNotRetried) {
    http->then(response(403, query_error("SignatureDoesNotMatch", "bad signature", "r-sig"),
                        {{"Date", "Tue, 14 Nov 2023 22:14:00 GMT"}})); // 40 s off: not a skew problem
    AwsClient client(rds(), context());
    try {
        (void)client.query("DescribeDBClusters", {});
        FAIL() << "expected AwsError";
    } catch (const AwsError& e) {
        EXPECT_EQ(e.code(), ErrorCode::signature);
    }
    EXPECT_EQ(http->requests.size(), 1U);
}

TEST_F(AwsClientTest, RateLimiterGatesEveryAttempt) {
    http->then(response(200, kOkDescribe));
    ClientContext c = context();
    c.rate_limiter = std::make_shared<RateLimiter>(RateLimit{2, 4}, clock);
    AwsClient client(rds(), c);
    for (int i = 0; i < 3; ++i) {
        (void)client.query("DescribeDBClusters", {});
    }
    EXPECT_EQ(clock.sleeps(), std::vector<milliseconds>{milliseconds{250}}); // burst 2, then 4/s
}

TEST_F(AwsClientTest, OneClientServesManyThreads) {
    http->then(response(200, kOkDescribe));
    ClientContext c = context();
    c.random = {}; // the default source is thread-local; the seeded one in the fixture is not thread-safe
    c.rate_limiter = std::make_shared<RateLimiter>(RateLimit{50, 100}, clock);
    AwsClient client(rds(), c);
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 6; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 20; ++i) {
                if (client.query("DescribeDBClusters", {}).request_id() == "ok-1") {
                    ++ok;
                }
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(ok.load(), 120);
    EXPECT_EQ(http->requests.size(), 120U);
    milliseconds waited{0};
    for (const auto s : clock.sleeps()) {
        waited += s;
    }
    EXPECT_GE(waited, milliseconds{700}); // 120 requests, burst 50, then 100/s
}

TEST_F(AwsClientTest, OnCallReportsEveryFinishedCall) {
    http->then(response(503, query_error("ServiceUnavailable", "down", "r-1")));
    http->then(response(200, kOkDescribe, {{"x-amzn-RequestId", "ok-1"}}));
    http->then(response(404, query_error("DBClusterNotFoundFault", "gone", "r-404")));
    http->then(TransportError(TransportError::Kind::reset, "connection reset"));
    std::vector<CallRecord> calls;
    ClientContext c = context();
    c.retry.max_attempts = 2;
    c.on_call = [&](const CallRecord& r) { calls.push_back(r); };
    AwsClient client(rds(), c);
    (void)client.query("DescribeDBClusters", {});
    EXPECT_THROW((void)client.query("DeleteDBCluster", {}), AwsError);
    EXPECT_THROW((void)client.query("DeleteDBCluster", {}), Error);
    ASSERT_EQ(calls.size(), 3U);
    EXPECT_TRUE(calls[0].ok);
    EXPECT_EQ(calls[0].service, "rds");
    EXPECT_EQ(calls[0].operation, "DescribeDBClusters");
    EXPECT_EQ(calls[0].region, "us-east-1");
    EXPECT_EQ(calls[0].http_status, 200);
    EXPECT_EQ(calls[0].request_id, "ok-1");
    EXPECT_EQ(calls[0].attempts, 2);
    EXPECT_FALSE(calls[1].ok);
    EXPECT_EQ(calls[1].aws_code, "DBClusterNotFoundFault");
    EXPECT_EQ(calls[1].request_id, "r-404");
    EXPECT_EQ(calls[1].http_status, 404);
    EXPECT_EQ(calls[1].attempts, 1);
    EXPECT_FALSE(calls[2].ok);
    EXPECT_EQ(calls[2].http_status, 0);
    EXPECT_EQ(calls[2].aws_code, "");
    EXPECT_EQ(calls[2].attempts, 2);
}

TEST_F(AwsClientTest, RecorderSeesSentParametersAndOperation) {
    http->then(response(200, kOkDescribe));
    http->then(response(200, "{}"));
    ModelRecorder rec;
    {
        ScopedModelRecorder guard(rec);
        AwsClient client(rds(), context());
        QueryParams p;
        p.add("Filters.member.1.Name", "db-cluster-id");
        p.add_list("Filters.member.1.Values", {"a", "b"});
        (void)client.query("DescribeDBClusters", p);
    }
    EXPECT_EQ(rec.operation, "DescribeDBClusters");
    ASSERT_EQ(rec.sent.size(), 2U);
    EXPECT_EQ(rec.sent[0].path, "Filters[].Name");
    EXPECT_EQ(rec.sent[1].path, "Filters[].Values[]");

    ModelRecorder jrec;
    {
        ScopedModelRecorder guard(jrec);
        AwsClient client(secrets(), context());
        (void)client.json("PutSecretValue",
                          {{"SecretId", "x"}, {"VersionStages", {"AWSCURRENT"}}, {"Count", 2}, {"Ratio", 0.5},
                           {"Flag", true}, {"Nested", {{"Deep", "v"}}}, {"Empty", nlohmann::json::object()}});
    }
    EXPECT_EQ(jrec.operation, "PutSecretValue");
    auto has = [&](const std::string& path, RecordedType t) {
        return std::any_of(jrec.sent.begin(), jrec.sent.end(),
                           [&](const RecordedAccess& a) { return a.path == path && a.type == t; });
    };
    EXPECT_TRUE(has("SecretId", RecordedType::string));
    EXPECT_TRUE(has("VersionStages[]", RecordedType::string));
    EXPECT_TRUE(has("Count", RecordedType::integer));
    EXPECT_TRUE(has("Ratio", RecordedType::double_));
    EXPECT_TRUE(has("Flag", RecordedType::boolean));
    EXPECT_TRUE(has("Nested.Deep", RecordedType::string));
    EXPECT_TRUE(has("Empty", RecordedType::structure));
}

TEST_F(AwsClientTest, DebugLogHasOneLinePerAttemptAndNoSecrets) {
    std::vector<std::string> lines;
    log::set_level(log::Level::debug);
    log::set_sink([&](log::Level, const std::string& line) { lines.push_back(line); });
    http->then(response(503, query_error("ServiceUnavailable", "down", "r-503")));
    http->then(response(200, kOkDescribe, {{"x-amzn-RequestId", "ok-1"}}));
    AwsClient client(rds(), context());
    (void)client.query("DescribeDBClusters", {});
    log::set_sink(nullptr);
    log::set_level(log::Level::info);
    ASSERT_EQ(lines.size(), 2U);
    EXPECT_NE(lines[0].find("event=aws.attempt"), std::string::npos);
    EXPECT_NE(lines[0].find("operation=DescribeDBClusters"), std::string::npos);
    EXPECT_NE(lines[0].find("status=503"), std::string::npos);
    EXPECT_NE(lines[0].find("request_id=r-503"), std::string::npos);
    EXPECT_NE(lines[0].find("attempt=1"), std::string::npos);
    EXPECT_NE(lines[1].find("attempt=2"), std::string::npos);
    EXPECT_NE(lines[1].find("request_id=ok-1"), std::string::npos);
    for (const auto& l : lines) {
        EXPECT_EQ(l.find(kSecret), std::string::npos);
        EXPECT_EQ(l.find(kToken), std::string::npos);
        EXPECT_EQ(l.find("Signature="), std::string::npos);
    }
}

TEST_F(AwsClientTest, MissingTransportOrCredentialsIsConfigError) {
    ClientContext c = context();
    c.http = nullptr;
    EXPECT_THROW(AwsClient(rds(), c), Error);
    ClientContext c2 = context();
    c2.region = "";
    try {
        AwsClient client(rds(), c2);
        FAIL() << "expected Error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::config);
    }
}

} // namespace
} // namespace aurora::aws
