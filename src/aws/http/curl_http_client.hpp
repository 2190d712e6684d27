#pragma once
//! The real transport: libcurl behind the HttpClient interface.
//!
//! - Connection reuse: finished easy handles go back to a pool (curl_easy_reset keeps their live
//!   connections), and all handles share one DNS cache and TLS session cache, so a sequence of calls to one
//!   endpoint rides one keep-alive connection.
//! - TLS verification is always on unless options.verify_tls is false (tests against local servers only);
//!   options.ca_bundle selects a CA file. Only http and https are allowed.
//! - Proxies: libcurl's own handling of http_proxy / https_proxy / HTTPS_PROXY / no_proxy / NO_PROXY is
//!   left untouched (no CURLOPT_PROXY is set).
//! - No `Expect: 100-continue` (AWS endpoints do not need it and it costs a round trip); no redirects
//!   followed (an AWS API never redirects a signed call); no content decoding.
//! - Header values are never logged: one trace line per request with method, host, path, status, time.

#include "aws/http/http_client.hpp"

#include <cstddef>
#include <memory>

namespace aurora::aws {

class CurlHttpClient final : public HttpClient {
public:
    //! Initializes libcurl once per process (thread-safe). `max_idle_handles` bounds the pool.
    explicit CurlHttpClient(HttpClientOptions options = {}, std::size_t max_idle_handles = 16);
    ~CurlHttpClient() override;
    CurlHttpClient(const CurlHttpClient&) = delete;
    CurlHttpClient& operator=(const CurlHttpClient&) = delete;

    //! Sends the request as is (method, url(), headers, body) and returns any HTTP response. Throws
    //! TransportError (connect: DNS/refused/proxy; timeout; tls: handshake/verification; reset: the
    //! connection broke mid-exchange or nothing came back; other). Thread-safe.
    HttpResponse send(const HttpRequest& request) override;

    //! Easy handles waiting in the pool (for tests and metrics).
    std::size_t idle_handles() const;
    const HttpClientOptions& options() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace aurora::aws
