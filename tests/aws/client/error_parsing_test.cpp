#include "aws/client/error_parsing.hpp"

#include <gtest/gtest.h>

#include <random>

namespace aurora::aws {
namespace {

HttpResponse resp(int status, std::string body, std::vector<std::pair<std::string, std::string>> headers = {}) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    for (auto& [k, v] : headers) {
        r.headers.add(k, v);
    }
    return r;
}

TEST(ParseQueryError, ErrorResponse) {
    const auto e = parse_query_error(resp(
        404, "<ErrorResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><Error><Type>Sender</Type>"
             "<Code>DBClusterNotFoundFault</Code><Message>DBCluster a not found.</Message></Error>"
             "<RequestId>5f1b</RequestId></ErrorResponse>"));
    EXPECT_EQ(e.code, "DBClusterNotFoundFault");
    EXPECT_EQ(e.message, "DBCluster a not found.");
    EXPECT_EQ(e.request_id, "5f1b");
}

TEST(ParseQueryError, Ec2StyleAndHeaderFallback) {
    const auto e = parse_query_error(resp(400,
                                          "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>slow"
                                          "</Message></Error></Errors><RequestID>ec2-1</RequestID></Response>"));
    EXPECT_EQ(e.code, "RequestLimitExceeded");
    EXPECT_EQ(e.request_id, "ec2-1");
    const auto h = parse_query_error(resp(400, "<ErrorResponse><Error><Code>X</Code></Error></ErrorResponse>",
                                          {{"x-amzn-RequestId", "hdr-1"}}));
    EXPECT_EQ(h.request_id, "hdr-1");
    EXPECT_EQ(h.message, "");
}

TEST(ParseQueryError, NonXmlBodyKeepsTheStatus) {
    const auto e = parse_query_error(resp(502, "<html>\n<body>Bad Gateway</body>\n</html>", {{"x-amz-request-id", "s3ish"}}));
    EXPECT_EQ(e.code, "Http502");
    EXPECT_EQ(e.message, "<html> <body>Bad Gateway</body> </html>");
    EXPECT_EQ(e.request_id, "s3ish");
    EXPECT_EQ(parse_query_error(resp(500, std::string(5000, 'x'))).message.size(), 200U);
}

TEST(ParseJsonError, TypeFieldHeaderAndMessages) {
    EXPECT_EQ(parse_json_error(resp(400, R"({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"})"))
                  .code,
              "ConditionalCheckFailedException");
    const auto h = parse_json_error(resp(400, R"({"__type":"Other","Message":"m"})",
                                         {{"x-amzn-ErrorType", "AccessDeniedException:http://internal.amazon.com/"},
                                          {"x-amzn-RequestId", "rid"}}));
    EXPECT_EQ(h.code, "AccessDeniedException");
    EXPECT_EQ(h.message, "m");
    EXPECT_EQ(h.request_id, "rid");
    EXPECT_EQ(parse_json_error(resp(400, R"({"code":"ValidationException","errorMessage":"e"})")).message, "e");
    const auto none = parse_json_error(resp(503, "Service Unavailable"));
    EXPECT_EQ(none.code, "Http503");
    EXPECT_EQ(none.message, "Service Unavailable");
    EXPECT_EQ(parse_json_error(resp(500, R"({"message":"only a message"})")).message, "only a message");
}

TEST(ParseErrors, NeverThrowOnMutatedBodies) {
    std::mt19937_64 rng(99);
    const std::string xml = "<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error>"
                            "<RequestId>r</RequestId></ErrorResponse>";
    const std::string json = R"({"__type":"a#ThrottlingException","message":"Rate exceeded"})";
    for (int i = 0; i < 3000; ++i) {
        for (const std::string* base : {&xml, &json}) {
            std::string body = *base;
            const std::size_t pos = rng() % body.size();
            body[pos] = static_cast<char>(rng() % 256);
            body.resize(rng() % (body.size() + 1));
            EXPECT_NO_THROW((void)parse_query_error(resp(400, body)));
            EXPECT_NO_THROW((void)parse_json_error(resp(400, body)));
        }
    }
}

} // namespace
} // namespace aurora::aws
