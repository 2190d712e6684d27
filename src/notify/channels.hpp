#pragma once
//! The notification channels: console, Slack-compatible webhook (HTTP POST of render_webhook()), SNS.

#include "aws/http/http_client.hpp"
#include "notify/notification.hpp"

#include <functional>
#include <memory>
#include <ostream>
#include <string>

namespace aurora::notify {

//! Writes render_text() to a stream (the CLI's stderr) and a structured log line.
std::unique_ptr<Channel> make_console_channel(std::ostream& out);

//! POSTs render_webhook() as JSON to `url` through `http`; a non-2xx answer is a failure. The URL embeds a
//! token: it is registered as a secret and never printed.
std::unique_ptr<Channel> make_webhook_channel(std::string url, std::shared_ptr<aws::HttpClient> http);

//! Publishes subject() and render_text() through `publish(topic_arn, subject, message)` (the composition
//! root binds it to the SNS client of the topic's region).
using SnsPublish = std::function<void(const std::string& topic_arn, const std::string& subject, const std::string& message)>;
std::unique_ptr<Channel> make_sns_channel(std::string topic_arn, SnsPublish publish);

} // namespace aurora::notify
