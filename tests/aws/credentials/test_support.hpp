#pragma once
//! Test helpers for the credentials tests: a local fake HTTP server on 127.0.0.1:<free port> (the providers
//! reach it through the real CurlHttpClient), a scripted STS, and temporary files.

#include "aws/credentials/sts_credentials_api.hpp"
#include "aws/http/curl_http_client.hpp"
#include "aws/http/http_client.hpp"
#include "common/clock.hpp"

#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace aurora::aws::testing {

//! An httplib::Server listening on 127.0.0.1:<free port> in a background thread for the test's lifetime.
class LocalServer {
public:
    LocalServer() = default;
    ~LocalServer() { stop(); }
    LocalServer(const LocalServer&) = delete;
    LocalServer& operator=(const LocalServer&) = delete;

    httplib::Server& server() { return server_; }
    //! Binds a free port and starts serving. Call after registering handlers.
    void start() {
        port_ = server_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        // cpp-httplib 0.11 has no wait_until_ready(); stop() before the accept loop runs would be lost.
        while (!server_.is_running()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }
    void stop() {
        if (thread_.joinable()) {
            server_.stop();
            thread_.join();
        }
    }
    int port() const { return port_; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

private:
    httplib::Server server_;
    std::thread thread_;
    int port_ = 0;
};

//! A scripted STS: returns fresh credentials (unique secrets, expiring `lifetime` after clock.now()) and
//! records every request.
class FakeSts final : public StsCredentialsApi {
public:
    explicit FakeSts(Clock& clock, std::chrono::seconds lifetime = std::chrono::hours(1))
        : clock_(clock), lifetime_(lifetime) {}

    Credentials assume_role(const AssumeRoleRequest& r) override {
        std::lock_guard lock(mutex_);
        assume_role_calls.push_back(r);
        return mint("ASIAROLE");
    }
    Credentials assume_role_with_web_identity(const WebIdentityRequest& r) override {
        std::lock_guard lock(mutex_);
        web_identity_calls.push_back(r);
        return mint("ASIAWEB");
    }
    //! Every secret key and token minted so far.
    std::vector<std::string> secrets() const {
        std::lock_guard lock(mutex_);
        return secrets_;
    }

    std::vector<AssumeRoleRequest> assume_role_calls;
    std::vector<WebIdentityRequest> web_identity_calls;

private:
    Credentials mint(const std::string& prefix) {
        ++n_;
        Credentials c;
        c.access_key_id = prefix + std::to_string(n_);
        c.secret_access_key = "stsSecretKey/" + std::to_string(n_) + "/wJalrXUtnFEMIK7MDENG";
        c.session_token = "stsSessionToken" + std::to_string(n_) + "FwoGZXIvYXdzEJr//////////";
        c.expiration = clock_.now() + lifetime_;
        secrets_.push_back(c.secret_access_key);
        secrets_.push_back(c.session_token);
        return c;
    }

    Clock& clock_;
    std::chrono::seconds lifetime_;
    mutable std::mutex mutex_;
    int n_ = 0;
    std::vector<std::string> secrets_;
};

//! A unique temporary directory removed at the end of the test.
class TempDir {
public:
    TempDir() {
        std::random_device rd;
        path_ = std::filesystem::temp_directory_path() /
                ("aurora-cred-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    //! Writes `content` to `name` inside the directory and returns its full path.
    std::string write(const std::string& name, const std::string& content) const {
        const auto p = path_ / name;
        std::ofstream(p, std::ios::binary) << content;
        return p.string();
    }
    std::string path(const std::string& name) const { return (path_ / name).string(); }

private:
    std::filesystem::path path_;
};

//! An ISO 8601 time `d` after `clock.now()`.
inline std::string iso_in(const Clock& clock, std::chrono::seconds d) { return format_iso8601(clock.now() + d); }

} // namespace aurora::aws::testing
