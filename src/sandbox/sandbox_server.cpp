#include "sandbox/sandbox_server.hpp"

#include "common/error.hpp"
#include "common/log.hpp"

#include <httplib.h>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <sys/socket.h>
#include <netinet/in.h>

namespace aurora::sandbox {

namespace {

// The request as it came off the wire: the raw path and query (SigV4 signs the encoded form), every header
// and the body.
aws::HttpRequest to_aws_request(const httplib::Request& req) {
    aws::HttpRequest out;
    out.method = req.method;
    out.scheme = "http";
    out.host = req.get_header_value("Host");
    const std::string target = req.target.empty() ? req.path : req.target;
    const auto q = target.find('?');
    out.path = target.substr(0, q);
    if (q != std::string::npos) {
        const std::string_view query = std::string_view(target).substr(q + 1);
        std::size_t start = 0;
        while (start <= query.size()) {
            auto end = query.find('&', start);
            if (end == std::string_view::npos) {
                end = query.size();
            }
            const std::string_view pair = query.substr(start, end - start);
            if (!pair.empty()) {
                const auto eq = pair.find('=');
                out.query.emplace_back(aws::uri_decode(pair.substr(0, eq)),
                                       eq == std::string_view::npos ? std::string{}
                                                                    : aws::uri_decode(pair.substr(eq + 1)));
            }
            start = end + 1;
        }
    }
    for (const auto& [name, value] : req.headers) {
        out.headers.add(name, value);
    }
    out.body = req.body;
    return out;
}

std::uint16_t port_of(const sockaddr_storage& addr) {
    if (addr.ss_family == AF_INET) {
        sockaddr_in in{};
        std::memcpy(&in, &addr, sizeof in);
        return ntohs(in.sin_port);
    }
    if (addr.ss_family == AF_INET6) {
        sockaddr_in6 in6{};
        std::memcpy(&in6, &addr, sizeof in6);
        return ntohs(in6.sin6_port);
    }
    return 0;
}

// Closes the connection a request came on without answering (the "drop" fault). cpp-httplib does not hand
// the socket to handlers, so find it among the process's descriptors by its two ports, then reset it: the
// client sees the connection end with no response, as when a load balancer drops it.
void drop_connection(const httplib::Request& req) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
        int fd = -1;
        try {
            fd = std::stoi(entry.path().filename().string());
        } catch (const std::exception&) {
            continue;
        }
        sockaddr_storage local{};
        sockaddr_storage peer{};
        socklen_t local_len = sizeof local;
        socklen_t peer_len = sizeof peer;
        if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len) != 0 ||
            ::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0) {
            continue;
        }
        if (port_of(local) == req.local_port && port_of(peer) == req.remote_port) {
            const linger reset{1, 0};
            ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
            ::shutdown(fd, SHUT_RDWR);
            return;
        }
    }
}

void write_json(httplib::Response& res, int status, const nlohmann::json& body) {
    res.status = status;
    res.set_content(body.dump(1), "application/json");
}

} // namespace

SandboxServer::SandboxServer(const SandboxOptions& options)
    : options_(options), core_(std::make_unique<SandboxCore>(options)), server_(std::make_unique<httplib::Server>()) {
    install_routes();
}

SandboxServer::~SandboxServer() {
    try {
        stop();
    } catch (const std::exception& e) {
        log::error("sandbox.stop", {{"error", e.what()}});
    }
}

std::string SandboxServer::endpoint() const { return "http://" + options_.bind + ":" + std::to_string(port_); }

void SandboxServer::install_routes() {
    auto& s = *server_;
    s.Get("/_sandbox/health", [this](const httplib::Request&, httplib::Response& res) {
        write_json(res, 200, {{"status", "ok"}, {"endpoint", endpoint()}});
    });
    s.Get("/_sandbox/counts", [this](const httplib::Request&, httplib::Response& res) {
        write_json(res, 200, core_->counts());
    });
    s.Get("/_sandbox/sns/messages", [this](const httplib::Request& req, httplib::Response& res) {
        write_json(res, 200, {{"messages", core_->sns_messages(req.get_param_value("topic_arn"))}});
    });
    s.Post("/_sandbox/reset", [this](const httplib::Request&, httplib::Response& res) {
        core_->reset_counts();
        write_json(res, 200, {{"reset", true}});
    });
    s.Get("/_sandbox/faults", [this](const httplib::Request&, httplib::Response& res) {
        write_json(res, 200, {{"spec", core_->faults()}});
    });
    s.Post("/_sandbox/faults", [this](const httplib::Request& req, httplib::Response& res) {
        try {
            core_->set_faults(req.body);
            write_json(res, 200, {{"spec", core_->faults()}});
        } catch (const Error& e) {
            write_json(res, 400, {{"error", e.display()}});
        }
    });
    s.Get("/_sandbox/state", [this](const httplib::Request&, httplib::Response& res) {
        write_json(res, 200, core_->save_state());
    });
    s.Post("/_sandbox/tick", [this](const httplib::Request&, httplib::Response& res) {
        core_->tick();
        write_json(res, 200, {{"ticked", true}});
    });
    const auto aws_handler = [this](const httplib::Request& req, httplib::Response& res) {
        const CoreOutcome out = core_->handle(to_aws_request(req));
        if (out.latency.count() > 0) {
            core_->clock().sleep_for(out.latency);
        }
        if (out.drop) {
            drop_connection(req);
            return;
        }
        res.status = out.response.status;
        for (const auto& [name, value] : out.response.headers.entries()) {
            res.set_header(name, value);
        }
        res.set_content(out.response.body, out.response.content_type);
    };
    s.Get(".*", aws_handler);
    s.Post(".*", aws_handler);
}

std::uint16_t SandboxServer::start() {
    std::lock_guard lock(mutex_);
    if (running_) {
        throw Error(ErrorCode::internal, "the sandbox server is already running");
    }
    // A dropped connection (fault) makes the server write to a reset socket: that must not kill the process.
    std::signal(SIGPIPE, SIG_IGN);
    // Why: httplib writes headers and body separately; without TCP_NODELAY every keep-alive answer waits
    // for the client's delayed ACK (~30-40 ms per call, measured by the transport tests).
    server_->set_tcp_nodelay(true);
    const int bound = options_.port == 0 ? server_->bind_to_any_port(options_.bind)
                                         : (server_->bind_to_port(options_.bind, options_.port) ? options_.port : -1);
    if (bound <= 0) {
        throw Error(ErrorCode::config,
                    "cannot bind the sandbox to " + options_.bind + ":" + std::to_string(options_.port),
                    "pick another --port, or 0 for a free one");
    }
    port_ = static_cast<std::uint16_t>(bound);
    running_ = true;
    stopping_ = false;
    listen_done_ = false;
    listen_thread_ = std::thread([this] {
        server_->listen_after_bind();
        listen_done_ = true;
    });
    // httplib's stop() is a no-op until its accept loop runs: wait for it so that stop() right after start()
    // cannot leave the loop running forever.
    while (!server_->is_running() && !listen_done_) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    background_thread_ = std::thread([this] { background_loop(); });
    return port_;
}

void SandboxServer::background_loop() {
    auto next_save = std::chrono::steady_clock::now() + options_.state_save_interval;
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        stop_cv_.wait_for(lock, options_.tick_interval, [this] { return stopping_; });
        if (stopping_) {
            return;
        }
        lock.unlock();
        try {
            core_->tick();
            if (std::chrono::steady_clock::now() >= next_save) {
                core_->save_state_file();
                next_save = std::chrono::steady_clock::now() + options_.state_save_interval;
            }
        } catch (const std::exception& e) {
            log::error("sandbox.background", {{"error", e.what()}});
        }
        lock.lock();
    }
}

void SandboxServer::stop() {
    {
        std::lock_guard lock(mutex_);
        if (!running_) {
            return;
        }
        running_ = false;
        stopping_ = true;
    }
    stop_cv_.notify_all();
    server_->stop();
    if (listen_thread_.joinable()) {
        listen_thread_.join();
    }
    if (background_thread_.joinable()) {
        background_thread_.join();
    }
    core_->save_state_file();
}

} // namespace aurora::sandbox
