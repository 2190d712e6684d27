#pragma once
//! What a restore tells people when it ends (design.md step 10), and the channels that carry it: SNS, a
//! Slack-compatible webhook, and the console. Knows nothing of restores beyond this message.

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace aurora::notify {

struct Notification {
    std::string restore_id;
    bool succeeded = false;
    std::string source;   //!< e.g. "prod-orders (us-east-1) snapshot rds:prod-orders-2024-01-01-02-00"
    std::string target;   //!< e.g. "staging-orders (us-west-2, swap)"
    std::string endpoint; //!< the target's writer endpoint:port, when known
    std::string error;    //!< failure: the error type, e.g. "Aurora.SnapshotNotFound"
    std::string cause;    //!< failure: the one-line cause (already redacted)
    std::vector<std::pair<std::string, double>> step_seconds; //!< each step and how long it took
    double total_seconds = 0;
};

//! "aurora-restore r123…: succeeded — staging-orders (us-west-2, swap) from prod-orders …": a subject line.
std::string subject(const Notification& n);
//! A plain-text body (SNS e-mail, console).
std::string render_text(const Notification& n);
//! A Slack-compatible webhook payload: {"text": …, "blocks": […]}.
nlohmann::json render_webhook(const Notification& n);

//! One delivery channel. send() throws aurora::Error(notify) naming the channel on failure.
class Channel {
public:
    virtual ~Channel() = default;
    virtual std::string name() const = 0;
    virtual void send(const Notification& n) = 0;
};

//! Sends `n` on every channel; a failing channel does not stop the others. Returns a JSON report
//! [{channel, ok, error?}] (errors redacted).
nlohmann::json send_all(const Notification& n, const std::vector<std::unique_ptr<Channel>>& channels);

} // namespace aurora::notify
