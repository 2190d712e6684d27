#pragma once
//! The sandbox's HTTP server (cpp-httplib): AWS requests on any path but /_sandbox/, the unsigned admin
//! endpoint under /_sandbox/ (docs/sandbox.md), a background thread that ticks lifecycles and saves the state
//! file. Usable in-process from tests: start() on port 0 picks a free port.

#include "sandbox/sandbox_core.hpp"
#include "sandbox/sandbox_options.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace aurora::sandbox {

class SandboxServer {
public:
    //! Builds the core (services, credentials, state or seed). Throws aurora::Error(config) on bad options.
    explicit SandboxServer(const SandboxOptions& options);
    //! Stops the server (saving the state file) when still running.
    ~SandboxServer();
    SandboxServer(const SandboxServer&) = delete;
    SandboxServer& operator=(const SandboxServer&) = delete;

    //! Binds options.bind:options.port (0 = a free port) and serves on background threads. Returns the port.
    //! Throws aurora::Error(config) when the address cannot be bound. Calling it twice is an error.
    std::uint16_t start();
    //! Stops serving, joins the threads and saves the state file. Idempotent.
    void stop();
    //! The bound port (0 before start()).
    std::uint16_t port() const noexcept { return port_; }
    //! "http://BIND:PORT".
    std::string endpoint() const;
    SandboxCore& core() noexcept { return *core_; }

private:
    void install_routes();
    void background_loop();

    SandboxOptions options_;
    std::unique_ptr<SandboxCore> core_;
    std::unique_ptr<httplib::Server> server_;
    std::thread listen_thread_;
    std::thread background_thread_;
    std::mutex mutex_;
    std::condition_variable stop_cv_;
    bool stopping_ = false;
    bool running_ = false;
    std::atomic<bool> listen_done_{false};
    std::uint16_t port_ = 0;
};

} // namespace aurora::sandbox
