#include "aws/http/http_message.hpp"
#include "common/error.hpp"

#include <gtest/gtest.h>

namespace aurora::aws {
namespace {

TEST(Headers, CaseInsensitiveAndOrdered) {
    Headers h;
    h.add("X-Amz-Date", "1");
    h.add("x-amz-date", "2");
    EXPECT_EQ(h.get("X-AMZ-DATE"), "1");
    h.set("X-Amz-Date", "3");
    ASSERT_EQ(h.entries().size(), 1U);
    EXPECT_EQ(h.get("x-amz-date"), "3");
    h.remove("X-AMZ-date");
    EXPECT_TRUE(h.empty());
}

TEST(UriEncode, KeepsUnreservedOnly) {
    EXPECT_EQ(uri_encode("a-z_A.Z~09"), "a-z_A.Z~09");
    EXPECT_EQ(uri_encode("a b/c+d=é"), "a%20b%2Fc%2Bd%3D%C3%A9");
    EXPECT_EQ(uri_encode("/a b/", true), "/a%20b/");
    EXPECT_EQ(uri_decode("a%20b%2Fc+d", true), "a b/c d");
    EXPECT_EQ(uri_decode("100%", false), "100%");
}

TEST(RequestFromUrl, SplitsParts) {
    const auto r = request_from_url("GET", "https://rds.us-east-1.amazonaws.com:8443/a%20b?X=1&Y=a%2Fb&Z");
    EXPECT_EQ(r.scheme, "https");
    EXPECT_EQ(r.host, "rds.us-east-1.amazonaws.com:8443");
    EXPECT_EQ(r.path, "/a%20b");
    ASSERT_EQ(r.query.size(), 3U);
    EXPECT_EQ(r.query[1].second, "a/b");
    EXPECT_EQ(r.query[2].first, "Z");
    EXPECT_EQ(r.url(), "https://rds.us-east-1.amazonaws.com:8443/a%20b?X=1&Y=a%2Fb&Z=");
    EXPECT_THROW(request_from_url("GET", "rds.amazonaws.com"), Error);
}

} // namespace
} // namespace aurora::aws
