#pragma once
//! The transport interface every AWS call goes through. Implementations: CurlHttpClient (real),
//! scripted fakes in tests.

#include "aws/http/http_message.hpp"

#include <chrono>
#include <stdexcept>
#include <string>

namespace aurora::aws {

//! A request that produced no HTTP response (DNS, connect, TLS, reset, timeout). Retryable by the retry
//! primitive; becomes ErrorCode::network when retries run out.
class TransportError : public std::runtime_error {
public:
    enum class Kind { connect, timeout, tls, reset, other };
    TransportError(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
    Kind kind() const noexcept { return kind_; }

private:
    Kind kind_;
};

struct HttpClientOptions {
    std::chrono::milliseconds connect_timeout{3000};
    //! Whole-request timeout (0 = none).
    std::chrono::milliseconds request_timeout{60000};
    bool verify_tls = true;
    //! A CA bundle file; empty means the system default.
    std::string ca_bundle;
};

class HttpClient {
public:
    virtual ~HttpClient() = default;
    //! Sends `request` and returns whatever HTTP response came back (any status). Throws TransportError
    //! when no response arrived. Thread-safe: many threads may call send() at once.
    virtual HttpResponse send(const HttpRequest& request) = 0;
};

} // namespace aurora::aws
