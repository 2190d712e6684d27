#pragma once
//! The sandbox's SNS (Query protocol, http://sns.amazonaws.com/doc/2010-03-31/): CreateTopic (idempotent by
//! name), Publish (messages kept, readable through the admin endpoint), ListTopics (pages of 100).
//!
//! Seed (`sns:` part of the seed file): `topics: [db-restores, {name: other}]`.

#include "sandbox/service.hpp"

#include <atomic>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace aurora::sandbox {

class SnsService final : public Service {
public:
    std::string signing_name() const override { return "sns"; }
    Response handle(const RequestContext& ctx) override;
    void tick(Clock::WallTime /*now*/) override {}
    std::map<std::string, std::int64_t> effect_counts() const override;
    nlohmann::json save_state() const override;
    void load_state(const nlohmann::json& state) override;
    void seed(const YAML::Node& node, const std::string& account_id, const std::string& region) override;

    //! Every message published (all accounts and regions), oldest first, optionally only those to
    //! `topic_arn`: [{"TopicArn","MessageId","Subject","Message","MessageAttributes","Timestamp"}].
    //! Not thread-safe on its own: the core calls it under the service's lock.
    nlohmann::json messages(const std::string& topic_arn) const;

private:
    struct Topic {
        std::string arn;
        std::map<std::string, std::string> attributes;
        std::vector<std::pair<std::string, std::string>> tags;
    };
    using Scope = std::pair<std::string, std::string>; // (account, region)

    Response create_topic(const RequestContext& ctx);
    Response publish(const RequestContext& ctx);
    Response list_topics(const RequestContext& ctx);
    std::string create(const Scope& scope, const std::string& name, std::map<std::string, std::string> attributes,
                       std::vector<std::pair<std::string, std::string>> tags);

    std::map<Scope, std::map<std::string, Topic>> topics_; // by name
    nlohmann::json messages_ = nlohmann::json::array();
    std::int64_t topics_created_ = 0;
    std::int64_t messages_published_ = 0;
};

} // namespace aurora::sandbox
