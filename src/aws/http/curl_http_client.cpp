#include "aws/http/curl_http_client.hpp"

#include "common/log.hpp"
#include "common/redact.hpp"

#include <curl/curl.h>

#include <array>
#include <chrono>
#include <mutex>
#include <vector>

namespace aurora::aws {
namespace {

void global_init() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct EasyDeleter {
    void operator()(CURL* h) const noexcept { curl_easy_cleanup(h); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;

struct SlistDeleter {
    void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

std::string trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) {
        return {};
    }
    const auto e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    static_cast<HttpResponse*>(user)->body.append(data, size * count);
    return size * count;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto* resp = static_cast<HttpResponse*>(user);
    const std::string_view line(data, size * count);
    if (line.starts_with("HTTP/")) {
        // A new response block (after a 1xx, or a proxy's CONNECT answer): only the last one counts.
        resp->headers = Headers{};
        return line.size();
    }
    const auto colon = line.find(':');
    if (colon != std::string_view::npos && colon > 0) {
        resp->headers.add(trim(line.substr(0, colon)), trim(line.substr(colon + 1)));
    }
    return line.size();
}

TransportError::Kind kind_of(CURLcode rc) {
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT: return TransportError::Kind::connect;
    case CURLE_OPERATION_TIMEDOUT: return TransportError::Kind::timeout;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS: return TransportError::Kind::tls;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM: return TransportError::Kind::reset;
    default: return TransportError::Kind::other;
    }
}

const char* kind_name(TransportError::Kind k) {
    switch (k) {
    case TransportError::Kind::connect: return "could not connect";
    case TransportError::Kind::timeout: return "timed out";
    case TransportError::Kind::tls: return "tls failure";
    case TransportError::Kind::reset: return "connection reset";
    case TransportError::Kind::other: return "transfer failed";
    }
    return "transfer failed";
}

} // namespace

struct CurlHttpClient::Impl {
    HttpClientOptions options;
    std::size_t max_idle;
    mutable std::mutex pool_mutex;
    std::vector<EasyHandle> idle;

    // One DNS cache and TLS session cache for every handle; libcurl calls lock/unlock around each use.
    CURLSH* share = nullptr;
    std::array<std::mutex, CURL_LOCK_DATA_LAST> share_locks;

    static void lock_cb(CURL*, curl_lock_data data, curl_lock_access, void* user) {
        static_cast<Impl*>(user)->share_locks.at(static_cast<std::size_t>(data)).lock();
    }
    static void unlock_cb(CURL*, curl_lock_data data, void* user) {
        static_cast<Impl*>(user)->share_locks.at(static_cast<std::size_t>(data)).unlock();
    }

    EasyHandle take() {
        {
            std::lock_guard lock(pool_mutex);
            if (!idle.empty()) {
                EasyHandle h = std::move(idle.back());
                idle.pop_back();
                return h;
            }
        }
        EasyHandle h(curl_easy_init());
        if (!h) {
            throw TransportError(TransportError::Kind::other, "curl_easy_init failed");
        }
        return h;
    }

    void give_back(EasyHandle h) {
        std::lock_guard lock(pool_mutex);
        if (idle.size() < max_idle) {
            idle.push_back(std::move(h));
        }
    }

    Slist build_headers(const HttpRequest& request) const {
        curl_slist* list = nullptr;
        auto append = [&list](const std::string& line) {
            curl_slist* next = curl_slist_append(list, line.c_str());
            if (next == nullptr) {
                curl_slist_free_all(list);
                throw TransportError(TransportError::Kind::other, "out of memory building request headers");
            }
            list = next;
        };
        for (const auto& [name, value] : request.headers.entries()) {
            // "Name;" is libcurl's spelling of a header with an empty value.
            append(value.empty() ? name + ";" : name + ": " + value);
        }
        // Why: libcurl adds "Expect: 100-continue" to large POSTs and a form Content-Type to any body;
        // an empty "Name:" entry suppresses a header libcurl would add on its own.
        append("Expect:");
        if (!request.headers.contains("Content-Type")) {
            append("Content-Type:");
        }
        return Slist(list);
    }

    void configure(CURL* h, const HttpRequest& request, const std::string& url, curl_slist* headers,
                   HttpResponse& response, char* errbuf) const {
        curl_easy_setopt(h, CURLOPT_URL, url.c_str());
        curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
        curl_easy_setopt(h, CURLOPT_SHARE, share);
        curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
        curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count()));
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options.request_timeout.count()));
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, options.verify_tls ? 1L : 0L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, options.verify_tls ? 2L : 0L);
        if (!options.ca_bundle.empty()) {
            curl_easy_setopt(h, CURLOPT_CAINFO, options.ca_bundle.c_str());
        }
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &on_body);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &response);
        curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &on_header);
        curl_easy_setopt(h, CURLOPT_HEADERDATA, &response);
        if (request.method == "GET") {
            curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
        } else if (request.method == "HEAD") {
            curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
        } else {
            // Every other method sends its body (possibly empty, so Content-Length: 0 goes out, which
            // IMDSv2's PUT and AWS POSTs expect).
            curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
            if (request.method != "POST") {
                curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
            }
        }
    }
};

CurlHttpClient::CurlHttpClient(HttpClientOptions options, std::size_t max_idle_handles)
    : impl_(std::make_unique<Impl>()) {
    global_init();
    impl_->options = std::move(options);
    impl_->max_idle = max_idle_handles;
    impl_->share = curl_share_init();
    if (impl_->share != nullptr) {
        curl_share_setopt(impl_->share, CURLSHOPT_LOCKFUNC, &Impl::lock_cb);
        curl_share_setopt(impl_->share, CURLSHOPT_UNLOCKFUNC, &Impl::unlock_cb);
        curl_share_setopt(impl_->share, CURLSHOPT_USERDATA, impl_.get());
        curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
        curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    }
}

CurlHttpClient::~CurlHttpClient() {
    // Handles reference the share; they go first.
    impl_->idle.clear();
    if (impl_->share != nullptr) {
        curl_share_cleanup(impl_->share);
    }
}

HttpResponse CurlHttpClient::send(const HttpRequest& request) {
    EasyHandle handle = impl_->take();
    CURL* h = handle.get();
    curl_easy_reset(h); // forgets options, keeps live connections and caches
    const std::string url = request.url();
    // What may appear in logs and errors: never the query (a presigned URL carries its signature and
    // session token there) nor any header value.
    const std::string where = request.method + " " + request.scheme + "://" + request.host + request.path;
    const Slist headers = impl_->build_headers(request);
    HttpResponse response;
    std::array<char, CURL_ERROR_SIZE> errbuf{};
    impl_->configure(h, request, url, headers.get(), response, errbuf.data());

    const auto start = std::chrono::steady_clock::now();
    const CURLcode rc = curl_easy_perform(h);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    if (rc != CURLE_OK) {
        const TransportError::Kind kind = kind_of(rc);
        const std::string detail = errbuf[0] != '\0' ? std::string(errbuf.data()) : std::string(curl_easy_strerror(rc));
        log::trace("http.failed", {{"method", request.method}, {"host", request.host}, {"path", request.path},
                                   {"error", detail}, {"ms", ms.count()}});
        // A handle whose transfer failed may hold a broken connection; libcurl closes it, but do not
        // reuse the handle either.
        throw TransportError(kind, redact(where + ": " + kind_name(kind) + ": " + detail));
    }
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    response.status = static_cast<int>(status);
    log::trace("http.response", {{"method", request.method}, {"host", request.host}, {"path", request.path},
                                 {"status", response.status}, {"ms", ms.count()}});
    impl_->give_back(std::move(handle));
    return response;
}

std::size_t CurlHttpClient::idle_handles() const {
    std::lock_guard lock(impl_->pool_mutex);
    return impl_->idle.size();
}

const HttpClientOptions& CurlHttpClient::options() const noexcept { return impl_->options; }

} // namespace aurora::aws
