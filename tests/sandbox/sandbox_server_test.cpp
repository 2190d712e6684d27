// The HTTP shell around the core: admin endpoint, signed requests over a real socket, the drop fault.
#include "sandbox/sandbox_server.hpp"
#include "sandbox_test_util.hpp"

#include <httplib.h>

#include <gtest/gtest.h>

namespace aurora::sandbox {
namespace {

class ServerTest : public ::testing::Test {
protected:
    ServerTest() {
        SandboxOptions o;
        server_ = std::make_unique<SandboxServer>(o);
        server_->start();
    }
    httplib::Client client() { return httplib::Client("127.0.0.1", server_->port()); }

    // Sends a signed STS request over the socket.
    httplib::Result send(const std::string& action, const std::string& secret = "test") {
        aws::HttpRequest r = testing::query_request("sts", action, {}, std::chrono::system_clock::now(),
                                                    testing::test_credentials("test", secret));
        // Re-sign for the real Host header (the helper signs for a fixed host).
        r.headers.remove("Authorization");
        r.headers.remove("X-Amz-Date");
        r.host = "127.0.0.1:" + std::to_string(server_->port());
        r.headers.set("Host", r.host);
        aws::sign_request(r, testing::test_credentials("test", secret),
                          aws::SigningParams{"us-east-1", "sts", std::chrono::system_clock::now()});
        httplib::Headers headers;
        for (const auto& [k, v] : r.headers.entries()) {
            if (!aws::iequals(k, "Content-Type") && !aws::iequals(k, "Host")) {
                headers.emplace(k, v);
            }
        }
        auto c = client();
        return c.Post("/", headers, r.body, "application/x-www-form-urlencoded; charset=utf-8");
    }

    std::unique_ptr<SandboxServer> server_;
};

TEST_F(ServerTest, HealthAndSignedRequestAndCounts) {
    auto c = client();
    auto health = c.Get("/_sandbox/health");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
    EXPECT_EQ(nlohmann::json::parse(health->body)["status"], "ok");

    auto ok = send("GetCallerIdentity");
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->status, 200) << ok->body;
    EXPECT_EQ(testing::xml_text(ok->body, "Account"), "000000000000");
    EXPECT_TRUE(ok->has_header("x-amzn-RequestId"));

    auto bad = send("GetCallerIdentity", "wrong");
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 403);
    EXPECT_EQ(testing::xml_text(bad->body, "Code"), "SignatureDoesNotMatch");

    auto counts = nlohmann::json::parse(c.Get("/_sandbox/counts")->body);
    EXPECT_EQ(counts["calls"]["sts"]["GetCallerIdentity"]["ok"], 1);
    EXPECT_EQ(counts["calls"]["sts"]["GetCallerIdentity"]["SignatureDoesNotMatch"], 1);
    EXPECT_EQ(counts["total"], 2);

    EXPECT_EQ(c.Post("/_sandbox/reset", "", "text/plain")->status, 200);
    EXPECT_EQ(nlohmann::json::parse(c.Get("/_sandbox/counts")->body)["total"], 0);
}

TEST_F(ServerTest, DropFaultClosesTheConnectionWithoutAnswer) {
    auto c = client();
    auto set = c.Post("/_sandbox/faults", "sts:GetCallerIdentity:drop=1", "text/plain");
    ASSERT_TRUE(set);
    EXPECT_EQ(set->status, 200);
    auto dropped = send("GetCallerIdentity");
    EXPECT_FALSE(dropped) << "expected no response, got " << (dropped ? dropped->status : 0);
    EXPECT_EQ(nlohmann::json::parse(c.Get("/_sandbox/counts")->body)["calls"]["sts"]["GetCallerIdentity"]["dropped"], 1);

    auto rejected = c.Post("/_sandbox/faults", "sts:GetCallerIdentity:drop=2", "text/plain");
    ASSERT_TRUE(rejected);
    EXPECT_EQ(rejected->status, 400);
    EXPECT_EQ(c.Post("/_sandbox/faults", "", "text/plain")->status, 200);
    auto ok = send("GetCallerIdentity");
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->status, 200);
}

TEST_F(ServerTest, SnsMessagesAreReadableThroughAdmin) {
    auto c = client();
    auto messages = c.Get("/_sandbox/sns/messages");
    ASSERT_TRUE(messages);
    EXPECT_EQ(nlohmann::json::parse(messages->body)["messages"], nlohmann::json::array());
}

} // namespace
} // namespace aurora::sandbox
