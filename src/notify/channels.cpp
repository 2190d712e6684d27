#include "notify/channels.hpp"

#include "common/error.hpp"
#include "common/log.hpp"
#include "common/redact.hpp"

namespace aurora::notify {
namespace {

class ConsoleChannel final : public Channel {
public:
    explicit ConsoleChannel(std::ostream& out) : out_(out) {}
    std::string name() const override { return "console"; }
    void send(const Notification& n) override {
        out_ << render_text(n);
        out_.flush();
        log::info("notify.console", {{"restore_id", n.restore_id}, {"succeeded", n.succeeded ? "true" : "false"}});
    }

private:
    std::ostream& out_;
};

class WebhookChannel final : public Channel {
public:
    WebhookChannel(std::string url, std::shared_ptr<aws::HttpClient> http) : url_(std::move(url)), http_(std::move(http)) {
        register_secret(url_);
    }
    std::string name() const override { return "webhook"; }
    void send(const Notification& n) override {
        auto req = aws::request_from_url("POST", url_);
        req.headers.set("Content-Type", "application/json");
        req.body = render_webhook(n).dump();
        aws::HttpResponse resp;
        try {
            resp = http_->send(req);
        } catch (const aws::TransportError& e) {
            throw Error(ErrorCode::notify, "webhook delivery failed: " + redact(e.what()), "check notify.webhook_url");
        }
        if (resp.status < 200 || resp.status >= 300) {
            throw Error(ErrorCode::notify, "webhook answered http " + std::to_string(resp.status), "check notify.webhook_url");
        }
    }

private:
    std::string url_;
    std::shared_ptr<aws::HttpClient> http_;
};

class SnsChannel final : public Channel {
public:
    SnsChannel(std::string topic, SnsPublish publish) : topic_(std::move(topic)), publish_(std::move(publish)) {}
    std::string name() const override { return "sns"; }
    void send(const Notification& n) override {
        // SNS subjects: at most 100 printable ASCII characters, no line breaks.
        std::string subj;
        for (char c : subject(n)) {
            if (static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f) subj += c;
        }
        if (subj.size() > 100) subj.resize(100);
        publish_(topic_, subj, render_text(n));
    }

private:
    std::string topic_;
    SnsPublish publish_;
};

} // namespace

std::unique_ptr<Channel> make_console_channel(std::ostream& out) { return std::make_unique<ConsoleChannel>(out); }

std::unique_ptr<Channel> make_webhook_channel(std::string url, std::shared_ptr<aws::HttpClient> http) {
    return std::make_unique<WebhookChannel>(std::move(url), std::move(http));
}

std::unique_ptr<Channel> make_sns_channel(std::string topic_arn, SnsPublish publish) {
    return std::make_unique<SnsChannel>(std::move(topic_arn), std::move(publish));
}

} // namespace aurora::notify
