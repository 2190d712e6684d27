// Unit tests of the signer's pieces: key derivation and its cache, session tokens, unsigned payload, Host,
// presign expiry bounds and layout, canonical path/query/header rules.

#include "aws/sigv4/canonical.hpp"
#include "aws/sigv4/signing_key.hpp"
#include "aws/sigv4/sigv4.hpp"
#include "common/error.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace aurora::aws {
namespace {

Credentials example_creds(std::string token = {}) {
    Credentials c;
    c.access_key_id = "AKIDEXAMPLE";
    c.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    c.session_token = std::move(token);
    return c;
}

SigningParams example_params() {
    return SigningParams{"us-east-1", "service", parse_iso8601("2015-08-30T12:36:00Z")};
}

HttpRequest example_request() {
    HttpRequest r;
    r.host = "example.amazonaws.com";
    r.path = "/";
    return r;
}

int count_headers(const HttpRequest& r, std::string_view name) {
    int n = 0;
    for (const auto& [k, v] : r.headers.entries()) {
        n += iequals(k, name) ? 1 : 0;
    }
    return n;
}

TEST(SigningKey, MatchesTheAwsDocumentationExample) {
    // https://docs.aws.amazon.com/general/latest/gr/signature-v4-examples.html (IAM, 2012-02-15).
    EXPECT_EQ(to_hex(derive_signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam")),
              "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

TEST(SigningKey, Sha256OfEmptyIsTheWellKnownConstant) {
    EXPECT_EQ(sha256_hex(""), kEmptyPayloadSha256);
}

TEST(SigningKeyCache, HitsOnTheSameSecretDateRegionAndService) {
    SigningKeyCache cache;
    const std::string first = cache.get("secret", "20150830", "us-east-1", "rds");
    EXPECT_EQ(cache.misses(), 1U);
    EXPECT_EQ(cache.hits(), 0U);
    EXPECT_EQ(cache.get("secret", "20150830", "us-east-1", "rds"), first);
    EXPECT_EQ(cache.hits(), 1U);
    EXPECT_EQ(first, derive_signing_key("secret", "20150830", "us-east-1", "rds"));
    // Each component is part of the key: a new day, region, service or secret derives anew.
    EXPECT_NE(cache.get("secret", "20150831", "us-east-1", "rds"), first);
    EXPECT_NE(cache.get("secret", "20150830", "us-west-2", "rds"), first);
    EXPECT_NE(cache.get("secret", "20150830", "us-east-1", "sts"), first);
    EXPECT_NE(cache.get("other", "20150830", "us-east-1", "rds"), first);
    EXPECT_EQ(cache.misses(), 5U);
    EXPECT_EQ(cache.hits(), 1U);
}

TEST(SigningKeyCache, StaysWithinItsCapacity) {
    SigningKeyCache cache(2);
    cache.get("s", "20150830", "r1", "svc");
    cache.get("s", "20150830", "r2", "svc");
    cache.get("s", "20150830", "r3", "svc");
    EXPECT_LE(cache.size(), 2U);
    EXPECT_EQ(cache.get("s", "20150830", "r1", "svc"), derive_signing_key("s", "20150830", "r1", "svc"));
}

TEST(SigningKeyCache, IsSafeToShareBetweenThreads) {
    SigningKeyCache cache;
    const std::string expected = derive_signing_key("s", "20150830", "us-east-1", "rds");
    std::vector<std::thread> threads;
    threads.reserve(4);
    std::atomic<int> wrong{0};
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 500; ++i) {
                wrong += cache.get("s", "20150830", "us-east-1", "rds") == expected ? 0 : 1;
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(wrong.load(), 0);
    EXPECT_EQ(cache.hits() + cache.misses(), 2000U);
}

TEST(SignRequest, UsesTheProcessWideKeyCache) {
    auto& cache = SigningKeyCache::instance();
    HttpRequest a = example_request();
    HttpRequest b = example_request();
    sign_request(a, example_creds(), example_params());
    const auto hits_before = cache.hits();
    sign_request(b, example_creds(), example_params());
    EXPECT_EQ(cache.hits(), hits_before + 1);
}

TEST(SignRequest, AddsHostLowercasedWithoutTheDefaultPort) {
    HttpRequest r = example_request();
    r.host = "Example.AmazonAWS.com:443";
    const auto a = sign_request(r, example_creds(), example_params());
    EXPECT_EQ(r.headers.get("Host"), "example.amazonaws.com");
    EXPECT_NE(a.canonical_request.find("\nhost:example.amazonaws.com\n"), std::string::npos);

    HttpRequest local = example_request();
    local.scheme = "http";
    local.host = "127.0.0.1:4566";
    sign_request(local, example_creds(), example_params());
    EXPECT_EQ(local.headers.get("Host"), "127.0.0.1:4566");
}

TEST(SignRequest, KeepsAnExplicitHostHeader) {
    HttpRequest r = example_request();
    r.headers.add("Host", "other.example.com");
    sign_request(r, example_creds(), example_params());
    EXPECT_EQ(count_headers(r, "Host"), 1);
    EXPECT_EQ(r.headers.get("Host"), "other.example.com");
}

TEST(SignRequest, SignsTheSessionToken) {
    HttpRequest r = example_request();
    const auto a = sign_request(r, example_creds("TOKEN/+="), example_params());
    EXPECT_EQ(r.headers.get("X-Amz-Security-Token"), "TOKEN/+=");
    EXPECT_NE(a.authorization.find("SignedHeaders=host;x-amz-date;x-amz-security-token,"), std::string::npos);
}

TEST(SignRequest, CanLeaveTheSessionTokenUnsigned) {
    HttpRequest r = example_request();
    SigningParams p = example_params();
    p.sign_session_token = false;
    const auto a = sign_request(r, example_creds("TOKEN"), p);
    EXPECT_EQ(r.headers.get("X-Amz-Security-Token"), "TOKEN");
    EXPECT_NE(a.authorization.find("SignedHeaders=host;x-amz-date,"), std::string::npos);
}

TEST(SignRequest, NoTokenNoTokenHeader) {
    HttpRequest r = example_request();
    sign_request(r, example_creds(), example_params());
    EXPECT_FALSE(r.headers.contains("X-Amz-Security-Token"));
}

TEST(SignRequest, UnsignedPayload) {
    HttpRequest r = example_request();
    r.method = "PUT";
    r.body = "payload";
    SigningParams p = example_params();
    p.unsigned_payload = true;
    auto a = sign_request(r, example_creds(), p);
    EXPECT_TRUE(a.canonical_request.ends_with("\nUNSIGNED-PAYLOAD"));
    EXPECT_FALSE(r.headers.contains("x-amz-content-sha256"));

    HttpRequest s3_style = r;
    p.add_content_sha256_header = true;
    a = sign_request(s3_style, example_creds(), p);
    EXPECT_EQ(s3_style.headers.get("x-amz-content-sha256"), "UNSIGNED-PAYLOAD");
    EXPECT_NE(a.authorization.find("x-amz-content-sha256"), std::string::npos);
    EXPECT_TRUE(a.canonical_request.ends_with("\nUNSIGNED-PAYLOAD"));
}

TEST(SignRequest, SignsTheBodyHashByDefault) {
    HttpRequest r = example_request();
    r.body = "Action=DescribeDBClusters&Version=2014-10-31";
    const auto a = sign_request(r, example_creds(), example_params());
    EXPECT_TRUE(a.canonical_request.ends_with("\n" + sha256_hex(r.body)));
}

TEST(SignRequest, ResigningReplacesDateTokenAndAuthorization) {
    HttpRequest r = example_request();
    SigningParams p = example_params();
    sign_request(r, example_creds("T1"), p);
    p.time += std::chrono::hours{30};
    const auto second = sign_request(r, example_creds("T2"), p);
    EXPECT_EQ(count_headers(r, "Authorization"), 1);
    EXPECT_EQ(count_headers(r, "X-Amz-Date"), 1);
    EXPECT_EQ(count_headers(r, "X-Amz-Security-Token"), 1);
    EXPECT_EQ(r.headers.get("X-Amz-Date"), "20150831T183600Z");
    EXPECT_EQ(r.headers.get("Authorization"), second.authorization);
    HttpRequest fresh = example_request();
    EXPECT_EQ(sign_request(fresh, example_creds("T2"), p).signature, second.signature);
}

TEST(SignRequest, IsAPureFunctionOfItsInputs) {
    HttpRequest a = example_request();
    HttpRequest b = example_request();
    EXPECT_EQ(sign_request(a, example_creds(), example_params()).signature,
              sign_request(b, example_creds(), example_params()).signature);
}

TEST(SignRequest, RefusesMissingCredentials) {
    HttpRequest r = example_request();
    Credentials none;
    try {
        sign_request(r, none, example_params());
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::credentials);
    }
}

TEST(PresignRequest, EnforcesTheExpiryBounds) {
    for (const auto bad : {0, -1, 604801}) {
        HttpRequest r = example_request();
        try {
            presign_request(r, example_creds(), example_params(), std::chrono::seconds{bad});
            FAIL() << "expected an error for " << bad;
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::invalid_parameter);
            EXPECT_TRUE(r.query.empty()) << "a refused presign leaves the request alone";
        }
    }
    for (const auto good : {1, 3600, 604800}) {
        HttpRequest r = example_request();
        presign_request(r, example_creds(), example_params(), std::chrono::seconds{good});
        EXPECT_NE(r.url().find("X-Amz-Expires=" + std::to_string(good) + "&"), std::string::npos);
    }
}

TEST(PresignRequest, LaysOutParametersLikeBotocoreByDefault) {
    HttpRequest r = example_request();
    r.query = {{"Action", "Test"}};
    const auto a = presign_request(r, example_creds("TOK"), example_params(), std::chrono::seconds{60});
    EXPECT_EQ(r.url(), "https://example.amazonaws.com/?Action=Test&X-Amz-Algorithm=AWS4-HMAC-SHA256"
                       "&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request"
                       "&X-Amz-Date=20150830T123600Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host"
                       "&X-Amz-Security-Token=TOK&X-Amz-Signature=" +
                           a.signature);
    EXPECT_TRUE(r.headers.empty()) << "presigning adds nothing to the headers";
    EXPECT_TRUE(a.authorization.empty());
}

TEST(PresignRequest, PresigningAgainReplacesTheAuthParameters) {
    HttpRequest once = example_request();
    once.query = {{"Action", "Test"}};
    presign_request(once, example_creds("TOK"), example_params(), std::chrono::seconds{60});
    HttpRequest twice = once;
    presign_request(twice, example_creds("TOK"), example_params(), std::chrono::seconds{60});
    EXPECT_EQ(twice.url(), once.url());
}

TEST(SignRequest, RefusesARequestWithoutHost) {
    HttpRequest r;
    try {
        sign_request(r, example_creds(), example_params());
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_parameter);
    }
    EXPECT_THROW(presign_request(r, example_creds(), example_params(), std::chrono::seconds{60}), Error);
}

TEST(PresignRequest, CrtLayoutSignsTheSame) {
    HttpRequest botocore = example_request();
    HttpRequest crt = example_request();
    SigningParams p = example_params();
    const auto a = presign_request(botocore, example_creds(), p, std::chrono::seconds{60});
    p.presign_param_order = PresignParamOrder::crt;
    const auto b = presign_request(crt, example_creds(), p, std::chrono::seconds{60});
    EXPECT_EQ(a.signature, b.signature);
    EXPECT_NE(botocore.url(), crt.url());
}

TEST(Canonical, RemovesDotSegmentsLikeBotocore) {
    using sigv4::remove_dot_segments;
    EXPECT_EQ(remove_dot_segments(""), "/");
    EXPECT_EQ(remove_dot_segments("/"), "/");
    EXPECT_EQ(remove_dot_segments("//example//"), "/example/");
    EXPECT_EQ(remove_dot_segments("/example/.."), "/");
    EXPECT_EQ(remove_dot_segments("/example1/example2/../.."), "/");
    EXPECT_EQ(remove_dot_segments("/./"), "/");
    EXPECT_EQ(remove_dot_segments("/a/./b/../c/"), "/a/c/");
    EXPECT_EQ(remove_dot_segments("/a/."), "/a");
    EXPECT_EQ(remove_dot_segments("/../../a"), "/a");
}

TEST(Canonical, EncodesThePathOnceMoreKeepingSlashes) {
    EXPECT_EQ(sigv4::canonical_uri("/example space/", true), "/example%20space/");
    EXPECT_EQ(sigv4::canonical_uri("/a%2Fb/~c", true), "/a%252Fb/~c");
    EXPECT_EQ(sigv4::canonical_uri("//a/../b", false), "//a/../b");
}

TEST(Canonical, SortsQueryByEncodedKeyThenValue) {
    EXPECT_EQ(
        sigv4::canonical_query({{"b", "2"}, {"a", "z"}, {"a", "y"}, {"", "e"}, {"\xE1\x88\xB4", "u"}, {"A", " "}}),
        "=e&%E1%88%B4=u&A=%20&a=y&a=z&b=2");
    EXPECT_EQ(sigv4::canonical_query({{"X-Amz-Signature", "x"}, {"k", ""}}, "X-Amz-Signature"), "k=");
}

TEST(Canonical, TrimsAndCollapsesHeaderWhitespace) {
    EXPECT_EQ(sigv4::trim_all("  a   b \t c  "), "a b c");
    EXPECT_EQ(sigv4::trim_all("value1\n  value2\n     value3"), "value1 value2 value3");
    EXPECT_EQ(sigv4::trim_all(" \t "), "");
}

TEST(Canonical, JoinsRepeatedHeadersInOrderAndSkipsUnsignedOnes) {
    HttpRequest r = example_request();
    r.headers.add("My-Header", " b ");
    r.headers.add("my-header", "a");
    r.headers.add("User-Agent", "aurora");
    const auto h = sigv4::canonical_headers_all(r);
    EXPECT_EQ(h.canonical, "host:example.amazonaws.com\nmy-header:b,a\n");
    EXPECT_EQ(h.signed_headers, "host;my-header");
}

} // namespace
} // namespace aurora::aws
