#pragma once
//! A scripted HttpClient for the service client tests: answers from a queue (or a handler) and keeps
//! every request it was sent, so tests assert the exact form body / JSON and headers.

#include "aws/client/aws_client.hpp"
#include "aws/http/http_client.hpp"
#include "aws/http/http_message.hpp"
#include "common/clock.hpp"

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace aurora::aws::testing {

class ScriptedHttpClient final : public HttpClient {
public:
    using Handler = std::function<HttpResponse(const HttpRequest&)>;

    //! Queues a response with `status` and `body` (and an x-amzn-RequestId header).
    void push(int status, std::string body, std::string request_id = "req-1") {
        HttpResponse r;
        r.status = status;
        r.body = std::move(body);
        r.headers.add("x-amzn-RequestId", std::move(request_id));
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(r));
    }
    //! Answers every request with `h` (used when the queue is empty).
    void set_handler(Handler h) {
        std::lock_guard lock(mutex_);
        handler_ = std::move(h);
    }
    HttpResponse send(const HttpRequest& request) override {
        std::lock_guard lock(mutex_);
        requests_.push_back(request);
        if (!queue_.empty()) {
            HttpResponse r = std::move(queue_.front());
            queue_.pop_front();
            return r;
        }
        if (handler_) {
            return handler_(request);
        }
        throw TransportError(TransportError::Kind::connect, "scripted http client has no response left");
    }
    std::vector<HttpRequest> requests() const {
        std::lock_guard lock(mutex_);
        return requests_;
    }
    HttpRequest last() const {
        std::lock_guard lock(mutex_);
        return requests_.back();
    }

private:
    mutable std::mutex mutex_;
    std::deque<HttpResponse> queue_;
    std::vector<HttpRequest> requests_;
    Handler handler_;
};

//! A context with a scripted transport, fixed test credentials, a fake clock and two attempts at most.
struct TestContext {
    std::shared_ptr<ScriptedHttpClient> http = std::make_shared<ScriptedHttpClient>();
    FakeClock clock;

    ClientContext context(const std::string& region = "us-east-1", const std::string& endpoint = {}) {
        ClientContext c;
        c.region = region;
        c.endpoint_url = endpoint;
        c.http = http;
        c.credentials = std::make_shared<StaticCredentialsProvider>(
            Credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", std::nullopt, "test"});
        c.clock = &clock;
        c.retry.max_attempts = 2;
        return c;
    }
};

//! Decodes an application/x-www-form-urlencoded body into its pairs, in order.
inline std::vector<std::pair<std::string, std::string>> parse_form(const std::string& body) {
    std::vector<std::pair<std::string, std::string>> out;
    std::size_t start = 0;
    while (start <= body.size() && !body.empty()) {
        const std::size_t amp = body.find('&', start);
        const std::string part = body.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
        const std::size_t eq = part.find('=');
        out.emplace_back(uri_decode(part.substr(0, eq), true),
                         eq == std::string::npos ? std::string{} : uri_decode(part.substr(eq + 1), true));
        if (amp == std::string::npos) {
            break;
        }
        start = amp + 1;
    }
    return out;
}

//! The form body as a map (last value wins), for lookups.
inline std::map<std::string, std::string> form_map(const std::string& body) {
    std::map<std::string, std::string> m;
    for (auto& [k, v] : parse_form(body)) {
        m[k] = v;
    }
    return m;
}

} // namespace aurora::aws::testing
