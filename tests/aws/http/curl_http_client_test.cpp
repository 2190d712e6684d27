#include "aws/http/curl_http_client.hpp"
#include "common/log.hpp"

#include "support/requirements.hpp"

#include <httplib.h>
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

namespace aurora::aws {
namespace {

using std::chrono::milliseconds;

//! A local HTTP server on 127.0.0.1:<free port>, running on its own thread for the test's lifetime.
class LocalServer {
public:
    explicit LocalServer(std::unique_ptr<httplib::Server> server = std::make_unique<httplib::Server>())
        : server_(std::move(server)) {}
    httplib::Server& operator*() { return *server_; }
    httplib::Server* operator->() { return server_.get(); }

    void start() {
        // Why: without TCP_NODELAY httplib's separate header and body writes meet the client's delayed ACK
        // and every keep-alive exchange waits ~40 ms.
        server_->set_tcp_nodelay(true);
        port_ = server_->bind_to_any_port("127.0.0.1");
        ASSERT_GT(port_, 0);
        thread_ = std::thread([this] { server_->listen_after_bind(); });
        while (!server_->is_running()) {
            std::this_thread::sleep_for(milliseconds{1});
        }
    }
    ~LocalServer() {
        release();
        server_->stop();
        if (thread_.joinable()) {
            thread_.join();
        }
    }
    int port() const { return port_; }
    std::string base(const std::string& scheme = "http") const {
        return scheme + "://127.0.0.1:" + std::to_string(port_);
    }
    //! Blocks a handler until release() (used to provoke client timeouts without sleeping).
    void hold() {
        std::unique_lock lock(mutex_);
        cv_.wait_for(lock, std::chrono::seconds{10}, [this] { return released_; });
    }
    void release() {
        std::lock_guard lock(mutex_);
        released_ = true;
        cv_.notify_all();
    }

private:
    std::unique_ptr<httplib::Server> server_;
    std::thread thread_;
    int port_ = 0;
    std::mutex mutex_;
    std::condition_variable cv_;
    bool released_ = false;
};

HttpRequest request(const std::string& method, const std::string& url, std::string body = {}) {
    HttpRequest r = request_from_url(method, url);
    r.body = std::move(body);
    return r;
}

TEST(CurlHttpClient, ReturnsStatusHeadersAndBody) {
    LocalServer server;
    server->Post("/echo", [](const httplib::Request& req, httplib::Response& res) {
        res.status = 201;
        res.set_header("X-Amzn-RequestId", "req-1");
        res.set_header("X-Seen-Content-Type", req.get_header_value("Content-Type"));
        res.set_header("X-Seen-Custom", req.get_header_value("X-Custom"));
        res.set_header("X-Seen-Length", req.get_header_value("Content-Length"));
        res.set_content("got:" + req.body, "text/plain");
    });
    server.start();
    CurlHttpClient client;
    HttpRequest r = request("POST", server.base() + "/echo", "Action=Test&X=1");
    r.headers.add("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
    r.headers.add("X-Custom", "a b");
    const HttpResponse resp = client.send(r);
    EXPECT_EQ(resp.status, 201);
    EXPECT_EQ(resp.body, "got:Action=Test&X=1");
    EXPECT_EQ(resp.headers.get("x-amzn-requestid"), "req-1");
    EXPECT_EQ(resp.headers.get("X-Seen-Content-Type"), "application/x-www-form-urlencoded; charset=utf-8");
    EXPECT_EQ(resp.headers.get("X-Seen-Custom"), "a b");
    EXPECT_EQ(resp.headers.get("X-Seen-Length"), "15");
    EXPECT_EQ(resp.headers.get("Content-Type"), "text/plain");
}

TEST(CurlHttpClient, ErrorStatusesAreResponsesNotExceptions) {
    LocalServer server;
    server->Post("/fail", [](const httplib::Request&, httplib::Response& res) {
        res.status = 503;
        res.set_header("Retry-After", "3");
        res.set_content("<ErrorResponse/>", "text/xml");
    });
    server->Get("/missing", [](const httplib::Request&, httplib::Response& res) { res.status = 404; });
    server.start();
    CurlHttpClient client;
    const HttpResponse a = client.send(request("POST", server.base() + "/fail"));
    EXPECT_EQ(a.status, 503);
    EXPECT_EQ(a.headers.get("Retry-After"), "3");
    EXPECT_EQ(a.body, "<ErrorResponse/>");
    EXPECT_EQ(client.send(request("GET", server.base() + "/missing")).status, 404);
}

TEST(CurlHttpClient, MethodsQueryAndEmptyBodies) {
    LocalServer server;
    auto describe = [](const httplib::Request& req, httplib::Response& res) {
        std::string out = req.method + " " + req.path + " q=" + req.get_param_value("q") +
                          " len=" + req.get_header_value("Content-Length") +
                          " ctype=" + req.get_header_value("Content-Type") + " body=" + req.body;
        res.set_content(out, "text/plain");
    };
    server->Get("/m", describe);
    server->Put("/m", describe);
    server->Delete("/m", describe);
    server.start();
    CurlHttpClient client;
    HttpRequest get = request("GET", server.base() + "/m");
    get.query.emplace_back("q", "a b/c");
    EXPECT_EQ(client.send(get).body, "GET /m q=a b/c len= ctype= body=");
    // IMDSv2 asks for a PUT with no body: Content-Length 0 and no invented Content-Type.
    EXPECT_EQ(client.send(request("PUT", server.base() + "/m")).body, "PUT /m q= len=0 ctype= body=");
    EXPECT_EQ(client.send(request("DELETE", server.base() + "/m", "x")).body, "DELETE /m q= len=1 ctype= body=x");
}

TEST(CurlHttpClient, TraceLogsNeverCarryHeaderValuesOrQuery) {
    LocalServer server;
    server->Get("/t", [](const httplib::Request&, httplib::Response& res) { res.set_content("ok", "text/plain"); });
    server.start();
    std::vector<std::string> lines;
    log::set_level(log::Level::trace);
    log::set_sink([&](log::Level, const std::string& line) { lines.push_back(line); });
    {
        CurlHttpClient client;
        HttpRequest r = request("GET", server.base() + "/t");
        r.headers.add("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/x, Signature=f00dfeedbeef");
        r.headers.add("X-Amz-Security-Token", "SESSIONTOKENVALUE42");
        r.query.emplace_back("X-Amz-Signature", "c0ffeec0ffee");
        EXPECT_EQ(client.send(r).status, 200);
    }
    log::set_sink(nullptr);
    log::set_level(log::Level::info);
    ASSERT_EQ(lines.size(), 1U);
    EXPECT_NE(lines[0].find("event=http.response"), std::string::npos) << lines[0];
    EXPECT_NE(lines[0].find("status=200"), std::string::npos) << lines[0];
    for (const char* secret : {"f00dfeedbeef", "SESSIONTOKENVALUE42", "c0ffeec0ffee"}) {
        EXPECT_EQ(lines[0].find(secret), std::string::npos) << lines[0];
    }
}

TEST(CurlHttpClient, NeverSendsExpectContinue) {
    LocalServer server;
    std::string seen_expect = "unset";
    server->Post("/big", [&](const httplib::Request& req, httplib::Response& res) {
        seen_expect = req.get_header_value("Expect");
        res.set_content(std::to_string(req.body.size()), "text/plain");
    });
    server.start();
    CurlHttpClient client;
    HttpRequest r = request("POST", server.base() + "/big", std::string(3 * 1024 * 1024, 'x'));
    r.headers.add("Content-Type", "application/octet-stream");
    EXPECT_EQ(client.send(r).body, std::to_string(3 * 1024 * 1024));
    EXPECT_EQ(seen_expect, "");
}

TEST(CurlHttpClient, ReusesTheConnection) {
    LocalServer server;
    std::mutex mutex;
    std::set<int> client_ports;
    server->Get("/r", [&](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard lock(mutex);
        client_ports.insert(req.remote_port);
        res.set_content("ok", "text/plain");
    });
    server.start();
    CurlHttpClient client;
    for (int i = 0; i < 5; ++i) {
        ASSERT_EQ(client.send(request("GET", server.base() + "/r")).status, 200);
    }
    EXPECT_EQ(client_ports.size(), 1U) << "each request opened a new connection";
    EXPECT_EQ(client.idle_handles(), 1U);
}

TEST(CurlHttpClient, ThreadSafeUnderConcurrentSends) {
    LocalServer server;
    server->Get(R"(/n/(\d+))", [](const httplib::Request& req, httplib::Response& res) {
        res.set_content(req.matches[1].str(), "text/plain");
    });
    server.start();
    CurlHttpClient client;
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 6; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 10; ++i) {
                const std::string n = std::to_string(t * 100 + i);
                if (client.send(request("GET", server.base() + "/n/" + n)).body == n) {
                    ++ok;
                }
            }
        });
    }
    for (auto& th : threads) {
        th.join();
    }
    EXPECT_EQ(ok.load(), 60);
    EXPECT_LE(client.idle_handles(), 6U);
}

TEST(CurlHttpClient, RequestTimeoutIsATimeoutError) {
    LocalServer server;
    server->Get("/slow", [&](const httplib::Request&, httplib::Response& res) {
        server.hold();
        res.set_content("late", "text/plain");
    });
    server.start();
    HttpClientOptions options;
    options.request_timeout = milliseconds{200};
    CurlHttpClient client(options);
    try {
        (void)client.send(request("GET", server.base() + "/slow"));
        FAIL() << "expected TransportError";
    } catch (const TransportError& e) {
        EXPECT_EQ(e.kind(), TransportError::Kind::timeout) << e.what();
        EXPECT_NE(std::string(e.what()).find("GET http://127.0.0.1"), std::string::npos) << e.what();
    }
    server.release();
}

int closed_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        ::close(fd);
        return 0;
    }
    ::close(fd); // bound, never listened: connecting is refused
    return ntohs(addr.sin_port);
}

TEST(CurlHttpClient, ConnectionRefusedIsAConnectError) {
    const int port = closed_port();
    ASSERT_GT(port, 0);
    CurlHttpClient client;
    try {
        (void)client.send(request("GET", "http://127.0.0.1:" + std::to_string(port) + "/x"));
        FAIL() << "expected TransportError";
    } catch (const TransportError& e) {
        EXPECT_EQ(e.kind(), TransportError::Kind::connect) << e.what();
    }
}

TEST(CurlHttpClient, ErrorsNeverCarryTheQueryString) {
    const int port = closed_port();
    CurlHttpClient client;
    HttpRequest r = request("GET", "http://127.0.0.1:" + std::to_string(port) + "/presigned");
    r.query.emplace_back("X-Amz-Signature", "deadbeefcafe");
    r.query.emplace_back("X-Amz-Security-Token", "TOKENVALUE123");
    try {
        (void)client.send(r);
        FAIL() << "expected TransportError";
    } catch (const TransportError& e) {
        const std::string what = e.what();
        EXPECT_EQ(what.find("deadbeefcafe"), std::string::npos) << what;
        EXPECT_EQ(what.find("TOKENVALUE123"), std::string::npos) << what;
    }
}

TEST(CurlHttpClient, OnlyHttpAndHttpsAreAllowed) {
    CurlHttpClient client;
    HttpRequest r = request("GET", "http://127.0.0.1/x");
    r.scheme = "file";
    r.host = "";
    r.path = "/etc/hostname";
    EXPECT_THROW((void)client.send(r), TransportError);
}

//! Restores an environment variable on scope exit (this test alone mutates the environment; ctest runs
//! each test in its own process).
class EnvGuard {
public:
    explicit EnvGuard(const char* name) : name_(name) {
        if (const char* v = std::getenv(name)) {
            old_ = v;
        }
    }
    ~EnvGuard() {
        if (old_) {
            ::setenv(name_, old_->c_str(), 1);
        } else {
            ::unsetenv(name_);
        }
    }

private:
    const char* name_;
    std::optional<std::string> old_;
};

TEST(CurlHttpClient, HonoursProxyEnvironmentVariables) {
    LocalServer proxy;
    std::string seen_target;
    std::string seen_host;
    proxy->Get(".*", [&](const httplib::Request& req, httplib::Response& res) {
        seen_target = req.target;
        seen_host = req.get_header_value("Host");
        res.set_content("via proxy", "text/plain");
    });
    proxy.start();
    EnvGuard g1("http_proxy"), g2("no_proxy"), g3("NO_PROXY"), g4("HTTP_PROXY");
    ::setenv("http_proxy", proxy.base().c_str(), 1);
    ::unsetenv("no_proxy");
    ::unsetenv("NO_PROXY");
    CurlHttpClient client;
    const HttpResponse resp = client.send(request("GET", "http://aurora-proxy-test.invalid/thing"));
    EXPECT_EQ(resp.body, "via proxy");
    EXPECT_EQ(seen_host, "aurora-proxy-test.invalid");
    EXPECT_EQ(seen_target, "http://aurora-proxy-test.invalid/thing");
}

} // namespace
} // namespace aurora::aws
