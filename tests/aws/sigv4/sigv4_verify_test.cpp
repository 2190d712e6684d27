// The verifier the sandbox uses: sign with the client side, verify with the server side, and check that one
// changed byte anywhere the signature covers makes the signatures differ.

#include "aws/sigv4/canonical.hpp"
#include "aws/sigv4/query_presign.hpp"
#include "aws/sigv4/signing_key.hpp"
#include "aws/sigv4/sigv4.hpp"
#include "aws/sigv4/sigv4_verify.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <random>

namespace aurora::aws {
namespace {

const std::string kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

Credentials creds(std::string token = {}) {
    Credentials c;
    c.access_key_id = "AKIDEXAMPLE";
    c.secret_access_key = kSecret;
    c.session_token = std::move(token);
    return c;
}

Clock::WallTime signing_time() {
    return parse_iso8601("2024-02-29T23:59:30Z");
}

HttpRequest query_protocol_request() {
    HttpRequest r;
    r.method = "POST";
    r.host = "127.0.0.1:8443";
    r.path = "/";
    r.headers.add("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
    r.headers.add("X-Amz-Meta-Note", "  two   spaces ");
    r.headers.add("x-amz-meta-note", "again");
    r.body = "Action=DescribeDBClusters&Version=2014-10-31&DBClusterIdentifier=prod-orders";
    r.query = {{"trace", "a b/c"}, {"trace", "\xE2\x82\xAC"}};
    return r;
}

//! What the sandbox does with a header-signed request: parse Authorization, recompute, compare.
bool server_accepts(const HttpRequest& received) {
    const auto header = received.headers.get("Authorization");
    if (!header) {
        return false;
    }
    const auto auth = parse_authorization_header(*header);
    if (!auth) {
        return false;
    }
    const std::string expected =
        compute_signature(received, auth->signed_headers, kSecret, auth->region, auth->service,
                          received.headers.get("X-Amz-Date").value_or(""), sigv4::payload_hash_of(received));
    return signatures_equal(expected, auth->signature);
}

HttpRequest signed_request(const std::string& token = {}) {
    HttpRequest r = query_protocol_request();
    sign_request(r, creds(token), SigningParams{"us-west-2", "rds", signing_time()});
    return r;
}

TEST(ParseAuthorization, ReadsEveryComponent) {
    const auto a =
        parse_authorization_header("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
                                   "SignedHeaders=content-type;host;x-amz-date, "
                                   "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(a->access_key_id, "AKIDEXAMPLE");
    EXPECT_EQ(a->date, "20150830");
    EXPECT_EQ(a->region, "us-east-1");
    EXPECT_EQ(a->service, "iam");
    EXPECT_EQ(a->signed_headers, (std::vector<std::string>{"content-type", "host", "x-amz-date"}));
    EXPECT_EQ(a->signature, "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
}

TEST(ParseAuthorization, ToleratesSpacingVariants) {
    EXPECT_TRUE(parse_authorization_header(
        "  AWS4-HMAC-SHA256   Credential = AK/20150830/us-east-1/s3/aws4_request ,SignedHeaders=host,Signature=ab "));
}

TEST(ParseAuthorization, RejectsMalformedValues) {
    const char* bad[] = {
        "",
        "AWS4-HMAC-SHA1 Credential=AK/20150830/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=ab",
        "AWS4-HMAC-SHA256Credential=AK/20150830/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=ab",
        "AWS4-HMAC-SHA256 Credential=AK/20150830/us-east-1/s3/aws4_request, SignedHeaders=host",
        "AWS4-HMAC-SHA256 Credential=AK/2015083/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=ab",
        "AWS4-HMAC-SHA256 Credential=AK/20150830/us-east-1/s3/aws5_request, SignedHeaders=host, Signature=ab",
        "AWS4-HMAC-SHA256 Credential=AK/20150830/us-east-1/aws4_request, SignedHeaders=host, Signature=ab",
        "AWS4-HMAC-SHA256 Credential=AK/20150830/us-east-1/s3/aws4_request, SignedHeaders=, Signature=ab",
        "AWS4-HMAC-SHA256 Credential=AK/20150830/us-east-1/s3/aws4_request, SignedHeaders=host;;x, Signature=ab",
        "AWS4-HMAC-SHA256 Credential=AK/20150830/r/s3/aws4_request, Signature=cd, SignedHeaders=host, Signature=ab",
        "AWS4-HMAC-SHA256 Credential=AK/20150830/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=",
        "AWS4-HMAC-SHA256 Credential=AK/20150830/us-east-1/s3/aws4_request, Bogus=1, SignedHeaders=host, Signature=ab",
    };
    for (const char* value : bad) {
        EXPECT_FALSE(parse_authorization_header(value).has_value()) << value;
    }
}

TEST(Verify, AcceptsWhatTheSignerSigned) {
    EXPECT_TRUE(server_accepts(signed_request()));
    EXPECT_TRUE(server_accepts(signed_request("FwoGZXIvYXdzEJr//////////wEaDO+token=")));
}

TEST(Verify, MatchesTheOfficialSuitesSignature) {
    // tests/data/sigv4/get-vanilla: header-signature.txt.
    HttpRequest r;
    r.host = "example.amazonaws.com";
    r.headers.add("Host", "example.amazonaws.com");
    r.headers.add("X-Amz-Date", "20150830T123600Z");
    EXPECT_EQ(compute_signature(r, {"host", "x-amz-date"}, kSecret, "us-east-1", "service", "20150830T123600Z",
                                kEmptyPayloadSha256),
              "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST(Verify, IgnoresHeadersTheClientDidNotSign) {
    HttpRequest r = signed_request();
    r.headers.add("User-Agent", "added by a proxy");
    r.headers.add("X-Forwarded-For", "10.0.0.1");
    EXPECT_TRUE(server_accepts(r));
}

TEST(Verify, OneChangedByteAnywhereSignedIsAMismatch) {
    struct Tamper {
        const char* what;
        std::function<void(HttpRequest&)> apply;
    };
    const std::vector<Tamper> tampers = {
        {"method", [](HttpRequest& r) { r.method = "PUT"; }},
        {"path", [](HttpRequest& r) { r.path = "/x"; }},
        {"host", [](HttpRequest& r) { r.headers.set("Host", "127.0.0.1:8444"); }},
        {"body byte", [](HttpRequest& r) { r.body.back() = 't'; }},
        {"body appended", [](HttpRequest& r) { r.body += "&Extra=1"; }},
        {"query value byte", [](HttpRequest& r) { r.query[0].second[0] = 'A'; }},
        {"query key byte", [](HttpRequest& r) { r.query[1].first = "tracf"; }},
        {"query param added", [](HttpRequest& r) { r.query.emplace_back("Extra", ""); }},
        {"signed header value byte", [](HttpRequest& r) { r.headers.set("Content-Type", "application/json"); }},
        {"repeated header order",
         [](HttpRequest& r) {
             r.headers.remove("X-Amz-Meta-Note");
             r.headers.add("x-amz-meta-note", "again");
             r.headers.add("X-Amz-Meta-Note", "  two   spaces ");
         }},
        {"date", [](HttpRequest& r) { r.headers.set("X-Amz-Date", "20240229T235931Z"); }},
        {"signature byte",
         [](HttpRequest& r) {
             std::string a = *r.headers.get("Authorization");
             a.back() = a.back() == '0' ? '1' : '0';
             r.headers.set("Authorization", a);
         }},
    };
    for (const auto& t : tampers) {
        HttpRequest r = signed_request();
        ASSERT_TRUE(server_accepts(r));
        t.apply(r);
        EXPECT_FALSE(server_accepts(r)) << "tampered " << t.what;
    }
}

TEST(Verify, SignaturesEqualComparesWholeStrings) {
    EXPECT_TRUE(signatures_equal("abc", "abc"));
    EXPECT_FALSE(signatures_equal("abc", "abd"));
    EXPECT_FALSE(signatures_equal("abc", "abcd"));
    EXPECT_FALSE(signatures_equal("", "a"));
}

//! What the sandbox does with a presigned URL it received.
std::optional<std::string> presign_mismatch(const std::string& url) {
    const HttpRequest received = request_from_url("GET", url);
    const auto parsed = parse_presigned_query(received);
    if (!parsed) {
        return "unparsable";
    }
    const std::string expected = compute_presigned_signature(received, *parsed, kSecret, kEmptyPayloadSha256);
    if (!signatures_equal(expected, parsed->signature)) {
        return "signature mismatch";
    }
    return std::nullopt;
}

TEST(VerifyPresigned, AcceptsTheRdsCrossRegionPreSignedUrl) {
    const std::string url = rds_cross_region_presigned_url(
        "https://rds.us-west-2.amazonaws.com/", "us-west-2", "us-east-1",
        {{"Action", "CopyDBClusterSnapshot"},
         {"Version", "2014-10-31"},
         {"SourceDBClusterSnapshotIdentifier", "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:rds:prod-1"},
         {"TargetDBClusterSnapshotIdentifier", "prod-copy"},
         {"KmsKeyId", "alias/staging-rds"}},
        creds("session/token+="), signing_time());
    EXPECT_EQ(url.rfind("https://rds.us-east-1.amazonaws.com/?Action=CopyDBClusterSnapshot&Version=2014-10-31&", 0),
              0U);
    EXPECT_NE(url.find("&DestinationRegion=us-west-2&X-Amz-Algorithm="), std::string::npos);
    EXPECT_EQ(presign_mismatch(url), std::nullopt);

    const HttpRequest received = request_from_url("GET", url);
    const auto parsed = parse_presigned_query(received);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->region, "us-east-1");
    EXPECT_EQ(parsed->service, "rds");
    EXPECT_EQ(parsed->expires, std::chrono::seconds{3600});
    EXPECT_EQ(parsed->security_token, "session/token+=");
    EXPECT_EQ(parsed->signed_headers, std::vector<std::string>{"host"});
}

TEST(QueryPresign, EndpointWithOrWithoutTrailingSlashGivesTheSameUrl) {
    const QueryActionParams params{{"Action", "CopyDBClusterSnapshot"}, {"Version", "2014-10-31"}};
    EXPECT_EQ(rds_cross_region_presigned_url("https://rds.eu-west-1.amazonaws.com", "eu-west-1", "eu-central-1", params,
                                             creds(), signing_time()),
              rds_cross_region_presigned_url("https://rds.eu-west-1.amazonaws.com/", "eu-west-1", "eu-central-1",
                                             params, creds(), signing_time()));
    // A local endpoint (the sandbox) has no region in it: botocore then presigns against the same endpoint.
    const std::string local = rds_cross_region_presigned_url("http://127.0.0.1:4566", "eu-west-1", "eu-central-1",
                                                             params, creds(), signing_time());
    EXPECT_EQ(local.rfind("http://127.0.0.1:4566/?Action=CopyDBClusterSnapshot&", 0), 0U);
    EXPECT_NE(local.find("%2Feu-central-1%2Frds%2Faws4_request"), std::string::npos);
}

TEST(VerifyPresigned, OneChangedByteIsAMismatch) {
    const std::string url =
        presign_query_action("https://sts.amazonaws.com", {{"Action", "GetCallerIdentity"}, {"Version", "2011-06-15"}},
                             creds(), "us-east-1", "sts", signing_time(), std::chrono::seconds{900});
    ASSERT_EQ(presign_mismatch(url), std::nullopt);
    auto tampered = [&](const std::string& from, const std::string& to) {
        std::string t = url;
        const auto pos = t.find(from);
        EXPECT_NE(pos, std::string::npos) << from;
        t.replace(pos, from.size(), to);
        return t;
    };
    EXPECT_EQ(presign_mismatch(tampered("GetCallerIdentity", "GetCallerIdentitz")), "signature mismatch");
    EXPECT_EQ(presign_mismatch(tampered("X-Amz-Expires=900", "X-Amz-Expires=901")), "signature mismatch");
    EXPECT_EQ(presign_mismatch(tampered("sts.amazonaws.com", "sts.amazonaws.con")), "signature mismatch");
    EXPECT_EQ(presign_mismatch(tampered("https://sts.amazonaws.com/", "https://sts.amazonaws.com/x")),
              "signature mismatch");
    EXPECT_EQ(presign_mismatch(url + "&Extra=1"), "signature mismatch");
    EXPECT_EQ(presign_mismatch(tampered("X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-HMAC-SHA1")),
              "unparsable");
}

TEST(VerifyPresigned, RejectsMissingOrRepeatedAuthParameters) {
    HttpRequest r;
    r.host = "example.com";
    r.query = {{"Action", "X"}};
    presign_request(r, creds(), SigningParams{"us-east-1", "sts", signing_time()}, std::chrono::seconds{60});
    ASSERT_TRUE(parse_presigned_query(r));
    for (const char* key : {"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders",
                            "X-Amz-Signature"}) {
        HttpRequest missing = r;
        std::erase_if(missing.query, [&](const auto& kv) { return kv.first == key; });
        EXPECT_FALSE(parse_presigned_query(missing)) << "without " << key;
        HttpRequest repeated = r;
        repeated.query.emplace_back(key, "x");
        EXPECT_FALSE(parse_presigned_query(repeated)) << "repeated " << key;
    }
    HttpRequest too_long = r;
    for (auto& [k, v] : too_long.query) {
        if (k == "X-Amz-Expires") {
            v = "604801";
        }
    }
    EXPECT_FALSE(parse_presigned_query(too_long));
}

TEST(VerifyPresigned, ExpiresAfterItsValidityAndRefusesTheFarFuture) {
    HttpRequest r;
    r.host = "example.com";
    presign_request(r, creds(), SigningParams{"us-east-1", "sts", signing_time()}, std::chrono::seconds{60});
    const auto parsed = parse_presigned_query(r);
    ASSERT_TRUE(parsed);
    EXPECT_FALSE(presign_expired(*parsed, signing_time()));
    EXPECT_FALSE(presign_expired(*parsed, signing_time() + std::chrono::seconds{60}));
    EXPECT_TRUE(presign_expired(*parsed, signing_time() + std::chrono::seconds{61}));
    EXPECT_FALSE(presign_expired(*parsed, signing_time() - std::chrono::minutes{14}));
    EXPECT_TRUE(presign_expired(*parsed, signing_time() - std::chrono::minutes{16}));
}

TEST(VerifyRobustness, MutatedInputsNeverCrashOrThrowFromTheParsers) {
    // Outside input reaches these parsers in the sandbox: random byte edits of valid values must give nullopt
    // or a parse, never an exception or a crash (run under ASan/UBSan with -DAURORA_SANITIZE=ON).
    const std::string authorization = *signed_request("tok").headers.get("Authorization");
    HttpRequest presigned;
    presigned.host = "example.com";
    presign_request(presigned, creds("tok"), SigningParams{"us-east-1", "sts", signing_time()},
                    std::chrono::seconds{60});
    const std::string url = presigned.url();
    std::mt19937_64 rng(20241128);
    const std::string alphabet = "AWS4-HMAC-SHA256 =,;/%&?\tabcxyz0123456789T Z";
    auto mutate = [&](std::string s) {
        const int edits = 1 + static_cast<int>(rng() % 4);
        for (int e = 0; e < edits && !s.empty(); ++e) {
            const std::size_t pos = rng() % s.size();
            switch (rng() % 3) {
            case 0: s.erase(pos, 1 + rng() % 8); break;
            case 1: s.insert(pos, 1, alphabet[rng() % alphabet.size()]); break;
            default: s[pos] = alphabet[rng() % alphabet.size()]; break;
            }
        }
        return s;
    };
    int parsed_headers = 0;
    int parsed_urls = 0;
    for (int i = 0; i < 3000; ++i) {
        const std::string value = mutate(authorization);
        EXPECT_NO_THROW({
            if (const auto a = parse_authorization_header(value)) {
                ++parsed_headers;
                (void)compute_signature(signed_request(), a->signed_headers, kSecret, a->region, a->service,
                                        "20240229T235930Z", kEmptyPayloadSha256);
            }
        }) << value;
        EXPECT_NO_THROW({
            const std::string query = mutate(url.substr(url.find('?') + 1));
            const HttpRequest received = request_from_url("GET", "https://example.com/?" + query);
            if (const auto p = parse_presigned_query(received)) {
                ++parsed_urls;
                (void)compute_presigned_signature(received, *p, kSecret, kEmptyPayloadSha256);
                (void)presign_expired(*p, signing_time());
            }
        });
    }
    // Some mutations land outside the parsed fields and still parse; the rest are refused.
    EXPECT_GT(parsed_headers, 0);
    EXPECT_GT(parsed_urls, 0);
}

} // namespace
} // namespace aurora::aws
