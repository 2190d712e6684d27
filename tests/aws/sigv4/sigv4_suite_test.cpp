// The official AWS SigV4 test suite (tests/data/sigv4, from awslabs/aws-c-auth, Apache-2.0): every case
// must produce, byte for byte, the canonical request, string to sign, signature, Authorization header and
// signed request, for header signing and for query (presigned) signing.

#include "aws/sigv4/sigv4.hpp"
#include "common/clock.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace aurora::aws {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read " + p.string());
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string> case_names() {
    std::vector<std::string> out;
    for (const auto& entry : fs::directory_iterator(AURORA_SIGV4_SUITE_DIR)) {
        if (entry.is_directory()) {
            out.push_back(entry.path().filename().string());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

//! A request.txt: the request, plus its query string as written (the suite prints it back unchanged).
struct SuiteRequest {
    HttpRequest request;
    std::string raw_query;
};

SuiteRequest parse_request_txt(const std::string& text) {
    SuiteRequest out;
    const auto blank = text.find("\n\n");
    std::string head = blank == std::string::npos ? text : text.substr(0, blank);
    if (!head.empty() && head.back() == '\n') {
        head.pop_back();
    }
    out.request.body = blank == std::string::npos ? std::string{} : text.substr(blank + 2);

    std::istringstream lines(head);
    std::string line;
    std::getline(lines, line);
    // "METHOD URI HTTP/1.1", where the URI may hold spaces ("/example space/").
    const auto first_space = line.find(' ');
    const auto last_space = line.rfind(' ');
    out.request.method = line.substr(0, first_space);
    const std::string uri = line.substr(first_space + 1, last_space - first_space - 1);
    const auto q = uri.find('?');
    out.request.path = uri.substr(0, q);
    if (q != std::string::npos) {
        out.raw_query = uri.substr(q + 1);
        std::istringstream pairs(out.raw_query);
        std::string pair;
        while (std::getline(pairs, pair, '&')) {
            const auto eq = pair.find('=');
            out.request.query.emplace_back(uri_decode(pair.substr(0, eq)),
                                           eq == std::string::npos ? std::string{} : uri_decode(pair.substr(eq + 1)));
        }
    }
    std::vector<std::pair<std::string, std::string>> headers;
    while (std::getline(lines, line)) {
        if (!line.empty() && (line.front() == ' ' || line.front() == '\t') && !headers.empty()) {
            headers.back().second += "\n" + line; // obsolete line folding, kept as written
            continue;
        }
        const auto colon = line.find(':');
        headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
    }
    for (auto& [name, value] : headers) {
        if (name == "Host") {
            out.request.host = value;
        }
        out.request.headers.add(name, value);
    }
    out.request.scheme = "https";
    return out;
}

std::string serialize(const HttpRequest& r, const std::string& raw_query, std::size_t original_query_count) {
    std::string out = r.method + " " + r.path;
    std::string query = raw_query;
    for (std::size_t i = original_query_count; i < r.query.size(); ++i) {
        if (!query.empty()) {
            query += '&';
        }
        query += uri_encode(r.query[i].first) + "=" + uri_encode(r.query[i].second);
    }
    if (!query.empty()) {
        out += "?" + query;
    }
    out += " HTTP/1.1\n";
    for (const auto& [name, value] : r.headers.entries()) {
        out += name;
        out += ':';
        out += value;
        out += '\n';
    }
    out += "\n" + r.body;
    return out;
}

std::string authorization_line(const std::string& signed_request) {
    std::istringstream lines(signed_request);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.rfind("Authorization:", 0) == 0) {
            return line.substr(std::string("Authorization:").size());
        }
    }
    return {};
}

//! Runs one case; returns the names of the artifacts that differ (empty: all match).
std::vector<std::string> run_case(const std::string& name, bool verbose) {
    const fs::path dir = fs::path(AURORA_SIGV4_SUITE_DIR) / name;
    const auto ctx = nlohmann::json::parse(read_file(dir / "context.json"));
    const SuiteRequest parsed = parse_request_txt(read_file(dir / "request.txt"));

    Credentials creds;
    creds.access_key_id = ctx["credentials"]["access_key_id"].get<std::string>();
    creds.secret_access_key = ctx["credentials"]["secret_access_key"].get<std::string>();
    creds.session_token = ctx["credentials"].value("token", std::string{});
    SigningParams params;
    params.region = ctx["region"].get<std::string>();
    params.service = ctx["service"].get<std::string>();
    params.time = parse_iso8601(ctx["timestamp"].get<std::string>());
    params.add_content_sha256_header = ctx.value("sign_body", false);
    params.normalize_path = ctx.value("normalize", true);
    params.sign_session_token = !ctx.value("omit_session_token", false);
    params.presign_param_order = PresignParamOrder::crt;

    std::vector<std::string> mismatches;
    auto expect = [&](const std::string& artifact, const std::string& actual) {
        const std::string expected = artifact == "header-authorization"
                                         ? authorization_line(read_file(dir / "header-signed-request.txt"))
                                         : read_file(dir / (artifact + ".txt"));
        if (expected != actual) {
            mismatches.push_back(artifact);
            if (verbose) {
                std::cerr << name << " " << artifact << " differs\n--- expected\n"
                          << expected << "\n--- actual\n"
                          << actual << "\n";
            }
        }
    };

    HttpRequest header_req = parsed.request;
    const SigningArtifacts h = sign_request(header_req, creds, params);
    expect("header-canonical-request", h.canonical_request);
    expect("header-string-to-sign", h.string_to_sign);
    expect("header-signature", h.signature);
    expect("header-authorization", h.authorization);
    expect("header-signed-request", serialize(header_req, parsed.raw_query, parsed.request.query.size()));

    HttpRequest query_req = parsed.request;
    const SigningArtifacts qa =
        presign_request(query_req, creds, params, std::chrono::seconds{ctx["expiration_in_seconds"].get<int>()});
    expect("query-canonical-request", qa.canonical_request);
    expect("query-string-to-sign", qa.string_to_sign);
    expect("query-signature", qa.signature);
    expect("query-signed-request", serialize(query_req, parsed.raw_query, parsed.request.query.size()));
    return mismatches;
}

class SigV4SuiteCase : public ::testing::TestWithParam<std::string> {};

TEST_P(SigV4SuiteCase, EveryArtifactMatches) {
    const auto mismatches = run_case(GetParam(), /*verbose=*/true);
    EXPECT_TRUE(mismatches.empty()) << ::testing::PrintToString(mismatches);
}

INSTANTIATE_TEST_SUITE_P(Official, SigV4SuiteCase, ::testing::ValuesIn(case_names()),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                             std::string n = param_info.param;
                             std::replace(n.begin(), n.end(), '-', '_');
                             return n;
                         });

TEST(SigV4Suite, AllCasesMatchOnAllArtifacts) {
    const auto names = case_names();
    ASSERT_EQ(names.size(), 38U) << "tests/data/sigv4 should hold the 38 v4 cases";
    std::size_t matched = 0;
    for (const auto& name : names) {
        if (run_case(name, /*verbose=*/false).empty()) {
            ++matched;
        }
    }
    std::cout << "sigv4 suite: " << matched << "/" << names.size() << " cases matched on all artifacts "
              << "(header and query: canonical request, string to sign, signature, authorization, signed request)\n";
    EXPECT_EQ(matched, names.size());
}

} // namespace
} // namespace aurora::aws
