#include "sandbox/sandbox_command.hpp"

#include "common/error.hpp"
#include "sandbox/sandbox_server.hpp"

#include <CLI/CLI.hpp>

#include <atomic>
#include <csignal>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

namespace aurora::sandbox {

namespace {

std::atomic<bool> g_stop_requested{false};

extern "C" void on_stop_signal(int /*sig*/) { g_stop_requested = true; }

} // namespace

void add_sandbox_options(CLI::App& app, SandboxOptions& options) {
    app.add_option("--port", options.port, "port to listen on (0 picks a free one)")->capture_default_str();
    app.add_option("--bind", options.bind, "address to bind (loopback by default)")->capture_default_str();
    app.add_option("--durations", options.durations, "RDS lifecycle durations: fast | realistic | FILE")
        ->capture_default_str();
    app.add_option("--faults", options.faults,
                   "fault injection spec, e.g. 'seed=42;rds:DescribeDBClusters:throttle=0.3;*:*:latency=50ms'");
    app.add_flag("--rate-limit", options.rate_limit, "enforce the RDS API rate limit (burst 300, 12/s)");
    app.add_option("--data-plane", options.data_plane_postgres,
                   "postgresql://user:pw@host:port/db backing aurora-postgresql clusters");
    app.add_option("--data-plane-mysql", options.data_plane_mysql,
                   "mysql://user:pw@host:port/db backing aurora-mysql clusters");
    app.add_option("--seed", options.seed_file, "YAML seed file (applied when no state is loaded)")
        ->check(CLI::ExistingFile);
    app.add_option("--state-file", options.state_file, "JSON state file: loaded on start, saved periodically and on stop");
    app.add_option("--credentials", options.credentials_file, "YAML/JSON file with more accepted access keys")
        ->check(CLI::ExistingFile);
    app.add_option("--region", options.default_region, "region for unsigned requests and the printed environment")
        ->capture_default_str();
}

void add_sandbox_subcommand(CLI::App& app) {
    auto options = std::make_shared<SandboxOptions>();
    CLI::App* sub = app.add_subcommand("sandbox", "run the AWS-compatible sandbox (RDS, STS, SNS, Secrets Manager, KMS)");
    add_sandbox_options(*sub, *options);
    sub->callback([options] {
        const int rc = run_sandbox_command(*options);
        if (rc != 0) {
            throw CLI::RuntimeError(rc);
        }
    });
}

std::string sandbox_env_exports(const std::string& endpoint, const std::string& region) {
    return "export AWS_ENDPOINT_URL=" + endpoint + "\nexport AWS_ACCESS_KEY_ID=test\nexport AWS_SECRET_ACCESS_KEY=test\n"
           "export AWS_DEFAULT_REGION=" + region + "\n";
}

int run_sandbox_command(const SandboxOptions& options, const std::string& port_file) {
    try {
        SandboxServer server(options);
        g_stop_requested = false;
        std::signal(SIGINT, on_stop_signal);
        std::signal(SIGTERM, on_stop_signal);
        server.start();
        if (!port_file.empty()) {
            std::ofstream(port_file) << server.port() << "\n";
        }
        std::cout << "aurora sandbox listening on " << server.endpoint() << "\n"
                  << sandbox_env_exports(server.endpoint(), options.default_region)
                  << "# admin: " << server.endpoint() << "/_sandbox/counts\n"
                  << std::flush;
        while (!g_stop_requested) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        server.stop();
        std::cout << "aurora sandbox stopped\n" << std::flush;
        return 0;
    } catch (const Error& e) {
        std::cerr << "error: " << e.display() << "\n";
        return e.info().exit_code;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
}

int sandbox_main(int argc, char** argv) {
    CLI::App app{"aurora-sandbox: an AWS-compatible emulator (RDS, STS, SNS, Secrets Manager, KMS)"};
    SandboxOptions options;
    std::string port_file;
    add_sandbox_options(app, options);
    app.add_option("--port-file", port_file, "write the bound port to this file once listening");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    return run_sandbox_command(options, port_file);
}

} // namespace aurora::sandbox
