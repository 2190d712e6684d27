// Cross-check against an independent implementation (issue #2, acceptance 3): a seeded generator makes
// randomized requests; botocore (tests/aws/sigv4/botocore_sign.py, the default python3) signs the same
// inputs at the same frozen time; signatures, Authorization headers and presigned URLs must be identical.

#include "aws/sigv4/canonical.hpp"
#include "aws/sigv4/query_presign.hpp"
#include "aws/sigv4/sigv4.hpp"
#include "aws/sigv4/sigv4_verify.hpp"
#include "support/requirements.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

namespace aurora::aws {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::uint64_t kSeed = 0x5157'4032'0261'1128ULL;
constexpr int kHeaderCases = 1000;
constexpr int kPresignCases = 150;
constexpr int kRdsCases = 60;

//! Deterministic choices (std::mt19937_64 output is fixed by the standard; no distribution objects, whose
//! output is implementation-defined).
class Gen {
  public:
    explicit Gen(std::uint64_t seed) : rng_(seed) {}
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(rng_() % n); }
    bool chance(int percent) { return below(100) < static_cast<std::size_t>(percent); }
    template <typename T> const T& pick(const std::vector<T>& v) { return v[below(v.size())]; }
    std::string chars(const std::string& alphabet, std::size_t min_len, std::size_t max_len) {
        std::string out;
        const std::size_t n = min_len + below(max_len - min_len + 1);
        for (std::size_t i = 0; i < n; ++i) {
            out += alphabet[below(alphabet.size())];
        }
        return out;
    }

  private:
    std::mt19937_64 rng_;
};

const std::string kAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const std::vector<std::string> kUtf8 = {"\xC3\xA9",     "\xC3\xBC",     "\xE2\x82\xAC",
                                        "\xE1\x88\xB4", "\xE6\x97\xA5", "\xF0\x9F\x98\x80"};
const std::vector<std::string> kRegions = {"us-east-1",      "us-west-2",      "eu-west-1", "eu-central-1",
                                           "ap-southeast-2", "ap-northeast-1", "sa-east-1", "cn-north-1",
                                           "us-gov-west-1",  "ca-central-1"};
const std::vector<std::string> kServices = {"rds",      "sts",    "sns",        "secretsmanager", "kms",
                                            "dynamodb", "states", "monitoring", "execute-api",    "service"};

//! A string mixing unreserved, reserved and UTF-8 characters (a decoded query key or value, a body).
std::string mixed_text(Gen& g, std::size_t max_len) {
    const std::string reserved = " !\"#$%&'()*+,/:;<=>?@[\\]^`{|}-._~";
    std::string out;
    const std::size_t n = g.below(max_len + 1);
    for (std::size_t i = 0; i < n; ++i) {
        const auto kind = g.below(10);
        if (kind < 5) {
            out += kAlnum[g.below(kAlnum.size())];
        } else if (kind < 8) {
            out += reserved[g.below(reserved.size())];
        } else {
            out += g.pick(kUtf8);
        }
    }
    return out;
}

//! A wire-form path: unreserved and sub-delim characters, percent-encoded bytes, raw UTF-8, dot segments,
//! empty segments. No raw '?', '#', space or control characters (they are not part of a path on the wire).
std::string random_path(Gen& g) {
    const std::vector<std::string> pieces = {"a",   "B",   "z9",  "-",   "_",   ".",         "~",   "!",  "$", "&",
                                             "'",   "(",   ")",   "*",   "+",   ",",         ";",   "=",  ":", "@",
                                             "%20", "%2F", "%25", "%3F", "%23", "%E2%82%AC", "%7e", "%41"};
    const std::vector<std::string> segment_names = {".", "..", "", "example", "v1", "api"};
    std::string path;
    const std::size_t segments = g.below(6);
    for (std::size_t i = 0; i < segments; ++i) {
        path += '/';
        if (g.chance(25)) {
            path += g.pick(segment_names);
            continue;
        }
        const std::size_t count = 1 + g.below(5);
        for (std::size_t j = 0; j < count; ++j) {
            path += g.chance(15) ? g.pick(kUtf8) : g.pick(pieces);
        }
    }
    if (path.empty() || g.chance(20)) {
        path += '/';
    }
    return path;
}

std::vector<std::pair<std::string, std::string>> random_query(Gen& g, bool unique_keys) {
    std::vector<std::pair<std::string, std::string>> q;
    const std::size_t n = g.below(6);
    for (std::size_t i = 0; i < n; ++i) {
        std::string key = g.chance(8) ? std::string{} : mixed_text(g, 8);
        if (!unique_keys && !q.empty() && g.chance(25)) {
            key = q[g.below(q.size())].first; // duplicate key, another value
        }
        std::string value = g.chance(20) ? std::string{} : mixed_text(g, 12);
        const bool taken = std::any_of(q.begin(), q.end(), [&](const auto& kv) { return kv.first == key; });
        if (unique_keys && (taken || key.rfind("X-Amz-", 0) == 0)) {
            continue;
        }
        q.emplace_back(std::move(key), std::move(value));
    }
    return q;
}

//! Header values: padded, with runs of spaces and tabs, folded over lines, with UTF-8 (never a character
//! Python counts as whitespace outside ASCII, see canonical.hpp trim_all).
std::string random_header_value(Gen& g) {
    const std::string printable = "abcXYZ0189 -_.~!#$%&'*+/:;<=>?@[]^`{|}\",()\\";
    std::string v;
    if (g.chance(30)) {
        v += g.pick(std::vector<std::string>{" ", "  ", "\t", " \t "});
    }
    const std::size_t words = 1 + g.below(4);
    for (std::size_t i = 0; i < words; ++i) {
        if (i > 0) {
            v += g.pick(std::vector<std::string>{" ", "   ", "\t", "\n  ", " \n\t"});
        }
        v += g.chars(printable, 1, 8);
        if (g.chance(15)) {
            v += g.pick(kUtf8);
        }
    }
    if (g.chance(30)) {
        v += g.pick(std::vector<std::string>{" ", "   ", "\t"});
    }
    return v;
}

struct Signer {
    Credentials creds;
    std::string region, service;
    std::int64_t epoch = 0;
};

Signer random_signer(Gen& g) {
    Signer s;
    s.creds.access_key_id = (g.chance(50) ? "AKIA" : "ASIA") + g.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16, 16);
    s.creds.secret_access_key = g.chars(kAlnum + "/+", 40, 40);
    if (g.chance(40)) {
        s.creds.session_token = g.chars(kAlnum + "/+=", 20, 300);
    }
    s.region = g.pick(kRegions);
    s.service = g.pick(kServices);
    // 2000-01-01 .. 2035-01-01: every day boundary and leap year on the way.
    s.epoch = 946684800 + static_cast<std::int64_t>(g.below(1104537600));
    return s;
}

json signer_json(const Signer& s) {
    return {{"access_key", s.creds.access_key_id},
            {"secret_key", s.creds.secret_access_key},
            {"token", s.creds.session_token.empty() ? json(nullptr) : json(s.creds.session_token)},
            {"region", s.region},
            {"service", s.service},
            {"epoch", s.epoch}};
}

Clock::WallTime wall(std::int64_t epoch) {
    return Clock::WallTime{std::chrono::seconds{epoch}};
}

HttpRequest random_request(Gen& g, bool presign) {
    const std::vector<std::string> hosts = {"example.amazonaws.com", "rds.us-east-1.amazonaws.com",
                                            "localhost:8443",        "127.0.0.1:5000",
                                            "Sandbox.Example.COM",   "host.example.com:443"};
    const std::vector<std::string> names = {"My-Header1",   "my-header1", "X-Amz-Meta-Note", "Content-Type",
                                            "X-Custom",     "x-CUSTOM",   "Accept",          "User-Agent",
                                            "X-Amz-Target", "Content-MD5"};
    HttpRequest r;
    r.method = presign ? (g.chance(80) ? "GET" : "PUT")
                       : g.pick(std::vector<std::string>{"GET", "POST", "PUT", "DELETE", "HEAD", "PATCH"});
    r.scheme = g.chance(85) ? "https" : "http";
    r.host = g.pick(hosts);
    r.path = random_path(g);
    r.query = random_query(g, presign);
    const std::size_t headers = g.below(presign ? 3 : 6);
    for (std::size_t i = 0; i < headers; ++i) {
        r.headers.add(g.pick(names), random_header_value(g));
        if (!presign && g.chance(20)) {
            r.headers.add(r.headers.entries().back().first, random_header_value(g)); // repeated header
        }
    }
    if (g.chance(10)) {
        r.headers.add("Host", " " + r.host + " "); // an explicit Host header wins over the URL's
    }
    if (!presign && g.chance(60)) {
        r.body = g.chance(50) ? mixed_text(g, 200) : R"({"DBClusterIdentifier":"prod-orders","n":1})";
    }
    return r;
}

json request_json(const HttpRequest& r) {
    json headers = json::array();
    for (const auto& [name, value] : r.headers.entries()) {
        headers.push_back({name, value});
    }
    return {{"method", r.method}, {"url", r.url()}, {"headers", headers}, {"body", r.body}};
}

//! Runs the botocore script over `cases`; returns its "results" (same order).
json run_botocore(const json& cases, const std::string& tag) {
    const fs::path dir =
        fs::temp_directory_path() / ("aurora_sigv4_botocore_" + std::to_string(::getpid()) + "_" + tag);
    fs::create_directories(dir);
    const fs::path in = dir / "cases.json";
    const fs::path out = dir / "results.json";
    const fs::path err = dir / "stderr.txt";
    std::ofstream(in) << json{{"cases", cases}}.dump();
    const std::string cmd = "python3 '" + std::string(AURORA_SIGV4_BOTOCORE_SCRIPT) + "' < '" + in.string() + "' > '" +
                            out.string() + "' 2> '" + err.string() + "'";
    const int rc = std::system(cmd.c_str());
    std::stringstream result;
    result << std::ifstream(out).rdbuf();
    std::stringstream errors;
    errors << std::ifstream(err).rdbuf();
    // AURORA_SIGV4_KEEP_FILES=1 keeps the exchanged JSON for a look at the generated cases.
    if (std::getenv("AURORA_SIGV4_KEEP_FILES") == nullptr) {
        fs::remove_all(dir);
    }
    if (rc != 0) {
        ADD_FAILURE() << "botocore_sign.py failed (" << rc << "):\n" << errors.str();
        return json::array();
    }
    const json parsed = json::parse(result.str());
    std::cout << "botocore " << parsed["botocore"].get<std::string>() << " signed " << cases.size() << " " << tag
              << " cases\n";
    return parsed["results"];
}

bool botocore_available() {
    // The script freezes botocore's clock through auth.get_current_datetime (recent botocore; 1.43 is the default).
    return std::system("python3 -c 'import botocore.session, botocore.auth; botocore.auth.get_current_datetime' "
                       "> /dev/null 2>&1") == 0;
}

#define REQUIRE_BOTOCORE()                                                                                             \
    AURORA_REQUIRE(                                                                                                    \
        botocore_available(),                                                                                          \
        "python3 with a botocore that has auth.get_current_datetime (the default python3 ships botocore 1.43)")

//! The sandbox's side: does our verifier accept the request exactly as botocore would send it?
bool verifier_accepts_header_signed(const json& c, const json& result) {
    HttpRequest received = request_from_url(c["method"].get<std::string>(), c["url"].get<std::string>());
    for (const auto& h : result["sent_headers"]) {
        received.headers.add(h[0].get<std::string>(), h[1].get<std::string>());
    }
    received.body = c["body"].get<std::string>();
    const auto auth = parse_authorization_header(received.headers.get("Authorization").value_or(""));
    if (!auth) {
        return false;
    }
    const std::string expected = compute_signature(
        received, auth->signed_headers, c["secret_key"].get<std::string>(), auth->region, auth->service,
        received.headers.get("X-Amz-Date").value_or(""), sigv4::payload_hash_of(received));
    return signatures_equal(expected, auth->signature);
}

bool verifier_accepts_presigned(const json& c, const json& result) {
    HttpRequest received = request_from_url(c["method"].get<std::string>(), result["url"].get<std::string>());
    for (const auto& h : c["headers"]) {
        received.headers.add(h[0].get<std::string>(), h[1].get<std::string>());
    }
    const auto parsed = parse_presigned_query(received);
    if (!parsed) {
        return false;
    }
    const std::string expected =
        compute_presigned_signature(received, *parsed, c["secret_key"].get<std::string>(), kEmptyPayloadSha256);
    return signatures_equal(expected, parsed->signature);
}

TEST(Botocore, HeaderSignedRequestsSignIdentically) {
    REQUIRE_BOTOCORE();
    Gen g(kSeed);
    json cases = json::array();
    std::vector<SigningArtifacts> ours;
    int with_token = 0, unsigned_payload = 0, with_body = 0;
    for (int i = 0; i < kHeaderCases; ++i) {
        HttpRequest request = random_request(g, /*presign=*/false);
        const Signer s = random_signer(g);
        json c = request_json(request);
        c.update(signer_json(s));
        c["kind"] = "header";
        // botocore signs the payload over plain http whatever the setting, so UNSIGNED-PAYLOAD is https only.
        const bool unsigned_body = request.scheme == "https" && g.chance(15);
        c["unsigned_payload"] = unsigned_body;
        cases.push_back(c);

        SigningParams params{s.region, s.service, wall(s.epoch)};
        params.unsigned_payload = unsigned_body;
        params.add_content_sha256_header = unsigned_body; // botocore sends X-Amz-Content-SHA256 with it
        ours.push_back(sign_request(request, s.creds, params));
        with_token += s.creds.session_token.empty() ? 0 : 1;
        unsigned_payload += unsigned_body ? 1 : 0;
        with_body += request.body.empty() ? 0 : 1;
    }
    const json results = run_botocore(cases, "header");
    ASSERT_EQ(results.size(), ours.size());
    int matched = 0;
    int verified = 0;
    for (std::size_t i = 0; i < ours.size(); ++i) {
        const bool same =
            results[i]["signature"] == ours[i].signature && results[i]["authorization"] == ours[i].authorization;
        matched += same ? 1 : 0;
        const bool accepted = verifier_accepts_header_signed(cases[i], results[i]);
        verified += accepted ? 1 : 0;
        EXPECT_TRUE(accepted) << "verifier refused botocore's case " << i;
        EXPECT_TRUE(same) << "case " << i << " url " << cases[i]["url"] << "\n--- botocore canonical request\n"
                          << results[i]["canonical_request"].get<std::string>() << "\n--- ours\n"
                          << ours[i].canonical_request;
    }
    std::cout << "botocore cross-check (header signing): " << matched << "/" << ours.size()
              << " identical signatures and Authorization headers (" << with_token << " with session token, "
              << unsigned_payload << " UNSIGNED-PAYLOAD, " << with_body << " with a body); verifier accepted "
              << verified << "/" << ours.size() << " botocore-signed requests\n";
    EXPECT_EQ(matched, kHeaderCases);
    EXPECT_EQ(verified, kHeaderCases);
}

TEST(Botocore, PresignedRequestsSignIdentically) {
    REQUIRE_BOTOCORE();
    Gen g(kSeed + 1);
    json cases = json::array();
    std::vector<std::pair<SigningArtifacts, std::string>> ours;
    for (int i = 0; i < kPresignCases; ++i) {
        HttpRequest request = random_request(g, /*presign=*/true);
        const Signer s = random_signer(g);
        const auto expires = std::chrono::seconds{1 + static_cast<std::int64_t>(g.below(604800))};
        json c = request_json(request);
        c.update(signer_json(s));
        c["kind"] = "presign";
        c["expires"] = expires.count();
        cases.push_back(c);
        SigningParams params{s.region, s.service, wall(s.epoch)};
        const SigningArtifacts a = presign_request(request, s.creds, params, expires);
        ours.emplace_back(a, request.url());
    }
    const json results = run_botocore(cases, "presign");
    ASSERT_EQ(results.size(), ours.size());
    int matched = 0;
    int verified = 0;
    for (std::size_t i = 0; i < ours.size(); ++i) {
        const bool same = results[i]["signature"] == ours[i].first.signature && results[i]["url"] == ours[i].second;
        matched += same ? 1 : 0;
        const bool accepted = verifier_accepts_presigned(cases[i], results[i]);
        verified += accepted ? 1 : 0;
        EXPECT_TRUE(accepted) << "verifier refused botocore's presigned case " << i;
        EXPECT_TRUE(same) << "case " << i << "\n--- botocore\n"
                          << results[i]["url"].get<std::string>() << "\n"
                          << results[i]["canonical_request"].get<std::string>() << "\n--- ours\n"
                          << ours[i].second << "\n"
                          << ours[i].first.canonical_request;
    }
    std::cout << "botocore cross-check (presigned URLs): " << matched << "/" << ours.size()
              << " identical URLs and signatures; verifier accepted " << verified << "/" << ours.size()
              << " botocore-presigned URLs\n";
    EXPECT_EQ(matched, kPresignCases);
    EXPECT_EQ(verified, kPresignCases);
}

std::string rds_endpoint(const std::string& region) {
    return "https://rds." + region + (region.rfind("cn-", 0) == 0 ? ".amazonaws.com.cn/" : ".amazonaws.com/");
}

std::string partition_of(const std::string& region) {
    if (region.rfind("cn-", 0) == 0) {
        return "aws-cn";
    }
    return region.rfind("us-gov-", 0) == 0 ? "aws-us-gov" : "aws";
}

std::string snapshot_arn(const std::string& region, const std::string& account, const std::string& name) {
    std::string arn = "arn:";
    arn += partition_of(region);
    arn += ":rds:";
    arn += region;
    arn += ':';
    arn += account;
    arn += ":cluster-snapshot:";
    arn += name;
    return arn;
}

std::string kms_key_arn(const std::string& region, const std::string& account, const std::string& key_id) {
    std::string arn = "arn:";
    arn += partition_of(region);
    arn += ":kms:";
    arn += region;
    arn += ':';
    arn += account;
    arn += ":key/";
    arn += key_id;
    return arn;
}

TEST(Botocore, RdsCopyDBClusterSnapshotPreSignedUrlIsIdentical) {
    REQUIRE_BOTOCORE();
    const std::vector<std::vector<std::string>> partitions = {{"us-east-1", "us-east-2", "us-west-1", "us-west-2",
                                                               "eu-west-1", "eu-central-1", "ap-northeast-1",
                                                               "ap-southeast-2", "sa-east-1", "ca-central-1"},
                                                              {"cn-north-1", "cn-northwest-1"},
                                                              {"us-gov-west-1", "us-gov-east-1"}};
    Gen g(kSeed + 2);
    json cases = json::array();
    std::vector<std::string> ours;
    for (int i = 0; i < kRdsCases; ++i) {
        const auto& regions = partitions[i % 5 == 3 ? 1 : (i % 5 == 4 ? 2 : 0)];
        const std::string source = g.pick(regions);
        std::string dest = g.pick(regions);
        while (dest == source) {
            dest = g.pick(regions);
        }
        Signer s = random_signer(g);
        const std::string account = g.chars("0123456789", 12, 12);
        const std::string snapshot = g.chance(50) ? "rds:prod-orders-2024-0" + g.chars("123456789", 1, 1) + "-01-02-05"
                                                  : "manual-" + g.chars(kAlnum + "-", 1, 40);
        // Botocore serializes in the caller's order: vary which optional members appear and where.
        json botocore_params = json::array();
        std::vector<std::pair<std::string, std::string>> flat = {{"Action", "CopyDBClusterSnapshot"},
                                                                 {"Version", "2014-10-31"}};
        auto add = [&](const std::string& name, const std::string& value) {
            botocore_params.push_back({name, value});
            flat.emplace_back(name, value);
        };
        std::vector<int> order = {0, 1, 2, 3, 4};
        for (std::size_t k = order.size(); k > 1; --k) {
            std::swap(order[k - 1], order[g.below(k)]);
        }
        for (const int member : order) {
            if (member == 0) {
                add("SourceDBClusterSnapshotIdentifier", snapshot_arn(source, account, snapshot));
            } else if (member == 1) {
                add("TargetDBClusterSnapshotIdentifier", "copy-" + g.chars(kAlnum + "-", 1, 30));
            } else if (member == 2 && g.chance(60)) {
                add("KmsKeyId", g.pick(std::vector<std::string>{
                                    kms_key_arn(dest, account,
                                                g.chars("0123456789abcdef", 8, 8) + "-1234-4abc-8def-" +
                                                    g.chars("0123456789abcdef", 12, 12)),
                                    "alias/" + g.chars(kAlnum + "/_-", 1, 20), g.chars("0123456789abcdef-", 36, 36)}));
            } else if (member == 3 && g.chance(50)) {
                const bool copy = g.chance(50);
                botocore_params.push_back({"CopyTags", copy});
                flat.emplace_back("CopyTags", copy ? "true" : "false");
            } else if (member == 4 && g.chance(60)) {
                json tags = json::array();
                const std::size_t n = 1 + g.below(4);
                for (std::size_t t = 0; t < n; ++t) {
                    const std::string key = mixed_text(g, 12) + "k";
                    const std::string value = mixed_text(g, 20);
                    tags.push_back({{"Key", key}, {"Value", value}});
                    flat.emplace_back("Tags.Tag." + std::to_string(t + 1) + ".Key", key);
                    flat.emplace_back("Tags.Tag." + std::to_string(t + 1) + ".Value", value);
                }
                botocore_params.push_back({"Tags", tags});
            }
        }
        json c = signer_json(s);
        c["kind"] = "rds_copy";
        c["source_region"] = source;
        c["dest_region"] = dest;
        c["params"] = botocore_params;
        cases.push_back(c);
        ours.push_back(rds_cross_region_presigned_url(rds_endpoint(dest), dest, source, flat, s.creds, wall(s.epoch)));
    }
    const json results = run_botocore(cases, "rds_copy");
    ASSERT_EQ(results.size(), ours.size());
    int matched = 0;
    int verified = 0;
    for (std::size_t i = 0; i < ours.size(); ++i) {
        EXPECT_EQ(results[i]["endpoint"].get<std::string>(), rds_endpoint(cases[i]["dest_region"]));
        const bool same = results[i]["url"] == ours[i];
        matched += same ? 1 : 0;
        // The sandbox receives this URL inside CopyDBClusterSnapshot and checks it as the source region would.
        const json as_request = {{"method", "GET"}, {"headers", json::array()}, {"secret_key", cases[i]["secret_key"]}};
        const bool accepted = verifier_accepts_presigned(as_request, results[i]);
        verified += accepted ? 1 : 0;
        EXPECT_TRUE(accepted) << "verifier refused botocore's PreSignedUrl " << i;
        EXPECT_TRUE(same) << "case " << i << "\n--- botocore\n"
                          << results[i]["url"].get<std::string>() << "\n--- ours\n"
                          << ours[i];
    }
    std::cout << "botocore cross-check (RDS CopyDBClusterSnapshot PreSignedUrl): " << matched << "/" << ours.size()
              << " identical URLs; verifier accepted " << verified << "/" << ours.size() << "\n";
    EXPECT_EQ(matched, kRdsCases);
    EXPECT_EQ(verified, kRdsCases);
}

} // namespace
} // namespace aurora::aws
