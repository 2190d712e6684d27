// Issue #2, acceptance 7: one in-process DescribeDBClusters round trip — Query serialization, SigV4
// signing, the AwsClient pipeline (retry wrapper, error check), and XML parsing into typed structs — against
// an HttpClient that answers a realistic 4-cluster response at once; then botocore doing the same in
// Python in the same run (bench/botocore_roundtrip.py), and the ratio. Times are process CPU time per
// operation (median of the repeats), so other load on a shared machine disturbs them little.

#include "aws/rds/rds_client.hpp"
#include "aws/rds/rds_wire.hpp"
#include "aws/sigv4/sigv4.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace aurora;
using namespace aurora::aws;

class CannedHttpClient final : public HttpClient {
public:
    explicit CannedHttpClient(std::string body) {
        response_.status = 200;
        response_.body = std::move(body);
        response_.headers.add("x-amzn-RequestId", "f6b5b2a5-6a7d-4b0e-9f6e-0c2a1b3c4d5e");
        response_.headers.add("Content-Type", "text/xml");
    }
    HttpResponse send(const HttpRequest& request) override {
        bytes_sent_ += request.body.size();
        return response_;
    }
    std::size_t bytes_sent() const { return bytes_sent_; }

private:
    HttpResponse response_;
    std::size_t bytes_sent_ = 0;
};

double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

//! Median CPU microseconds per call of `fn` over `repeats` runs of `iterations`.
template <typename Fn>
double measure(int iterations, int repeats, Fn fn) {
    for (int i = 0; i < iterations / 10; ++i) {
        fn();
    }
    std::vector<double> runs;
    for (int r = 0; r < repeats; ++r) {
        const double start = cpu_seconds();
        for (int i = 0; i < iterations; ++i) {
            fn();
        }
        runs.push_back((cpu_seconds() - start) / iterations * 1e6);
    }
    std::sort(runs.begin(), runs.end());
    return runs[runs.size() / 2];
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

//! Runs botocore's side; returns its JSON line or an empty object when python3/botocore is missing.
nlohmann::json run_botocore(const std::string& response_path, int iterations, int repeats) {
    const std::string cmd = "'" AURORA_BENCH_PYTHON "' '" AURORA_BENCH_BOTOCORE_SCRIPT "' --response '" + response_path +
                            "' --iterations " + std::to_string(iterations) + " --repeats " + std::to_string(repeats);
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
    if (!pipe) {
        return nlohmann::json::object();
    }
    std::string out;
    std::array<char, 4096> buf{};
    while (fgets(buf.data(), static_cast<int>(buf.size()), pipe.get()) != nullptr) {
        out += buf.data();
    }
    try {
        return nlohmann::json::parse(out);
    } catch (const nlohmann::json::exception&) {
        return nlohmann::json::object();
    }
}

} // namespace

int main(int argc, char** argv) {
    const int iterations = argc > 1 ? std::stoi(argv[1]) : 5000;
    const int py_iterations = argc > 2 ? std::stoi(argv[2]) : 500;
    const int repeats = 5;
    const std::string response_path = AURORA_BENCH_RESPONSE;
    const std::string body = read_file(response_path);

    auto http = std::make_shared<CannedHttpClient>(body);
    ClientContext ctx;
    ctx.region = "us-east-1";
    ctx.http = http;
    ctx.credentials = std::make_shared<StaticCredentialsProvider>(
        Credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", std::nullopt, "bench"});
    rds::RdsClient client(std::move(ctx));

    rds::DescribeDbClustersRequest req;
    req.filters = {{"engine", {"aurora-postgresql"}}};
    req.max_records = 100;

    std::size_t clusters = 0;
    const double aurora_us = measure(iterations, repeats, [&] {
        clusters += client.describe_db_clusters(req).clusters.size();
    });
    if (clusters % 4 != 0) {
        std::cerr << "unexpected cluster count\n";
        return 1;
    }
    // Where the time goes: SigV4 signing alone, and XML parsing into typed structs alone.
    const Credentials creds{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", std::nullopt, "bench"};
    const double sign_us = measure(iterations, repeats, [&] {
        HttpRequest r = request_from_url("POST", "https://rds.us-east-1.amazonaws.com/");
        r.headers.set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        r.body = "Action=DescribeDBClusters&Version=2014-10-31&Filters.Filter.1.Name=engine"
                 "&Filters.Filter.1.Values.Value.1=aurora-postgresql&MaxRecords=100";
        SigningParams sp;
        sp.region = "us-east-1";
        sp.service = "rds";
        sp.time = SystemClock::instance().now();
        sign_request(r, creds, sp);
    });
    const double parse_us = measure(iterations, repeats, [&] {
        const XmlResponse resp(body, "DescribeDBClusters");
        for (const auto& c : resp.result().list("DBClusters", "DBCluster")) {
            clusters += rds::wire::parse_cluster(c).members.size();
        }
    });

    std::cout << "DescribeDBClusters round trip (serialize + SigV4 sign + in-process transport + parse "
              << body.size() << "-byte, 4-cluster response into typed structs)\n";
    std::cout << "  aurora C++   : " << aurora_us << " us/op (CPU, median of " << repeats << " x " << iterations
              << ")\n";
    std::cout << "    of which   : SigV4 signing alone " << sign_us << " us, XML parse into typed structs alone "
              << parse_us << " us\n";
    const nlohmann::json py = run_botocore(response_path, py_iterations, repeats);
    if (!py.contains("us_per_op")) {
        std::cout << "  botocore     : unavailable (python3 with botocore not found)\n";
        return 2;
    }
    const double boto_us = py["us_per_op"].get<double>();
    std::cout << "  botocore " << py.value("botocore", "?") << " (python " << py.value("python", "?")
              << "): " << boto_us << " us/op (CPU, median of " << repeats << " x " << py_iterations << ")\n";
    std::cout << "  ratio botocore/aurora: " << boto_us / aurora_us << "x\n";
    return 0;
}
