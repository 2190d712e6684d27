#include "notify/notification.hpp"

#include "common/error.hpp"
#include "common/redact.hpp"

#include <cstdio>

namespace aurora::notify {
namespace {

std::string seconds_text(double s) {
    char buf[32];
    if (s >= 60) {
        std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
    } else {
        std::snprintf(buf, sizeof buf, "%.1fs", s);
    }
    return buf;
}

} // namespace

std::string subject(const Notification& n) {
    return "aurora-restore " + n.restore_id + ": " + (n.succeeded ? "succeeded" : "FAILED") + " — " + n.target + " from " + n.source;
}

std::string render_text(const Notification& n) {
    std::string out = subject(n) + "\n";
    if (!n.endpoint.empty()) out += "endpoint: " + n.endpoint + "\n";
    if (!n.succeeded) out += "error: " + n.error + "\ncause: " + n.cause + "\n";
    out += "duration: " + seconds_text(n.total_seconds) + "\n";
    for (const auto& [step, secs] : n.step_seconds) out += "  " + step + ": " + seconds_text(secs) + "\n";
    return redact(out);
}

nlohmann::json render_webhook(const Notification& n) {
    std::string steps;
    for (const auto& [step, secs] : n.step_seconds) steps += step + " " + seconds_text(secs) + "\n";
    std::string body = std::string(n.succeeded ? ":white_check_mark: " : ":x: ") + "*" + subject(n) + "*";
    if (!n.endpoint.empty()) body += "\nendpoint: `" + n.endpoint + "`";
    if (!n.succeeded) body += "\nerror: `" + n.error + "` " + n.cause;
    body += "\nduration: " + seconds_text(n.total_seconds);
    const auto mrkdwn = [](const std::string& text) {
        return nlohmann::json{{"type", "mrkdwn"}, {"text", redact(text)}};
    };
    nlohmann::json j;
    j["text"] = redact(body);
    j["blocks"] = nlohmann::json::array();
    j["blocks"].push_back({{"type", "section"}, {"text", mrkdwn(body)}});
    if (!steps.empty()) {
        nlohmann::json context = {{"type", "context"}};
        context["elements"] = nlohmann::json::array({mrkdwn(steps)});
        j["blocks"].push_back(context);
    }
    j["restore_id"] = n.restore_id;
    j["status"] = n.succeeded ? "succeeded" : "failed";
    return j;
}

nlohmann::json send_all(const Notification& n, const std::vector<std::unique_ptr<Channel>>& channels) {
    nlohmann::json report = nlohmann::json::array();
    for (const auto& ch : channels) {
        try {
            ch->send(n);
            report.push_back({{"channel", ch->name()}, {"ok", true}});
        } catch (const std::exception& e) {
            report.push_back({{"channel", ch->name()}, {"ok", false}, {"error", redact(e.what())}});
        }
    }
    return report;
}

} // namespace aurora::notify
