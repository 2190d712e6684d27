#include "sandbox/sns_service.hpp"

#include "common/error.hpp"
#include "sandbox/protocol.hpp"

#include <yaml-cpp/yaml.h>

#include <regex>

namespace aurora::sandbox {

namespace {

const char* const kSnsNamespace = "http://sns.amazonaws.com/doc/2010-03-31/";
constexpr std::size_t kPageSize = 100;      // ListTopics returns up to 100 topics per page
constexpr std::size_t kMaxMessage = 262144; // 256 KiB

[[noreturn]] void invalid(const std::string& what) {
    throw ServiceError("InvalidParameter", "Invalid parameter: " + what);
}

// https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html: up to 256 alphanumerics, hyphens and
// underscores; FIFO topic names end in ".fifo".
void check_topic_name(const std::string& name, bool fifo) {
    static const std::regex pattern(R"([A-Za-z0-9_-]{1,256})");
    const std::string base = fifo && name.ends_with(".fifo") ? name.substr(0, name.size() - 5) : name;
    if (!std::regex_match(base, pattern) || (fifo && !name.ends_with(".fifo")) ||
        (!fifo && name.ends_with(".fifo"))) {
        invalid("Topic Name");
    }
}

struct TopicRef {
    std::string region;
    std::string account;
    std::string name;
};

std::optional<TopicRef> parse_topic_arn(const std::string& arn) {
    static const std::regex pattern(R"(arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_.-]+))");
    std::smatch m;
    if (!std::regex_match(arn, m, pattern)) {
        return std::nullopt;
    }
    return TopicRef{m[1].str(), m[2].str(), m[3].str()};
}

} // namespace

Response SnsService::handle(const RequestContext& ctx) {
    if (ctx.action == "CreateTopic") {
        return create_topic(ctx);
    }
    if (ctx.action == "Publish") {
        return publish(ctx);
    }
    if (ctx.action == "ListTopics") {
        return list_topics(ctx);
    }
    throw ServiceError("InvalidAction", "Could not find operation " + ctx.action + " for version 2010-03-31");
}

std::string SnsService::create(const Scope& scope, const std::string& name,
                               std::map<std::string, std::string> attributes,
                               std::vector<std::pair<std::string, std::string>> tags) {
    const bool fifo = attributes.count("FifoTopic") != 0 && attributes["FifoTopic"] == "true";
    check_topic_name(name, fifo);
    auto& topics = topics_[scope];
    auto it = topics.find(name);
    if (it != topics.end()) {
        // CreateTopic is idempotent, but not with different attributes (as SNS answers).
        for (const auto& [k, v] : attributes) {
            auto existing = it->second.attributes.find(k);
            if (existing == it->second.attributes.end() || existing->second != v) {
                invalid("Attributes Reason: Topic already exists with different attributes");
            }
        }
        return it->second.arn;
    }
    Topic t;
    t.arn = "arn:aws:sns:" + scope.second + ":" + scope.first + ":" + name;
    t.attributes = std::move(attributes);
    t.tags = std::move(tags);
    const std::string arn = t.arn;
    topics.emplace(name, std::move(t));
    ++topics_created_;
    return arn;
}

Response SnsService::create_topic(const RequestContext& ctx) {
    const std::string name = required_param(ctx.params, "Name", "InvalidParameter");
    const std::string arn = create({ctx.account_id, ctx.region}, name, param_map(ctx.params, "Attributes"),
                                   param_tags(ctx.params, "Tags.member"));
    XmlWriter w;
    w.leaf("TopicArn", arn);
    return query_response(ctx, kSnsNamespace, w.str());
}

Response SnsService::publish(const RequestContext& ctx) {
    auto arn = param(ctx.params, "TopicArn");
    if (!arn) {
        arn = param(ctx.params, "TargetArn");
    }
    if (!arn) {
        invalid("TopicArn or TargetArn Reason: no value for required parameter");
    }
    const auto ref = parse_topic_arn(*arn);
    if (!ref) {
        invalid("TopicArn");
    }
    auto scope = topics_.find({ref->account, ref->region});
    if (scope == topics_.end() || scope->second.count(ref->name) == 0) {
        throw ServiceError("NotFound", "Topic does not exist", 404);
    }
    const std::string message = param(ctx.params, "Message").value_or("");
    if (message.empty()) {
        invalid("Empty message");
    }
    if (message.size() > kMaxMessage) {
        invalid("Message too long");
    }
    const auto subject = param(ctx.params, "Subject");
    if (subject && (subject->empty() || subject->size() > 100 || subject->find('\n') != std::string::npos)) {
        invalid("Subject");
    }
    if (param(ctx.params, "MessageStructure").value_or("") == "json") {
        const auto doc = nlohmann::json::parse(message, nullptr, false);
        if (!doc.is_object() || !doc.contains("default")) {
            invalid("Message Structure - No default entry in JSON message body");
        }
    }
    nlohmann::json attributes = nlohmann::json::object();
    for (const auto& a : param_structs(ctx.params, "MessageAttributes.entry")) {
        auto name = a.find("Name");
        if (name == a.end()) {
            continue;
        }
        nlohmann::json v{{"DataType", a.count("Value.DataType") ? a.at("Value.DataType") : ""}};
        if (a.count("Value.StringValue")) {
            v["StringValue"] = a.at("Value.StringValue");
        }
        attributes[name->second] = v;
    }
    const std::string message_id = new_uuid();
    messages_.push_back({{"TopicArn", *arn},
                         {"MessageId", message_id},
                         {"Subject", subject.value_or("")},
                         {"Message", message},
                         {"MessageAttributes", attributes},
                         {"Timestamp", format_iso8601(ctx.now)}});
    ++messages_published_;
    XmlWriter w;
    w.leaf("MessageId", message_id);
    if (ref->name.ends_with(".fifo")) {
        w.leaf("SequenceNumber", std::to_string(10000000000000000000ULL + static_cast<unsigned long long>(
                                                                               messages_published_)));
    }
    return query_response(ctx, kSnsNamespace, w.str());
}

Response SnsService::list_topics(const RequestContext& ctx) {
    std::vector<std::string> arns;
    auto scope = topics_.find({ctx.account_id, ctx.region});
    if (scope != topics_.end()) {
        for (const auto& [name, t] : scope->second) {
            arns.push_back(t.arn);
        }
    }
    std::size_t start = 0;
    if (const auto token = param(ctx.params, "NextToken")) {
        try {
            start = std::stoul(*token);
        } catch (const std::exception&) {
            invalid("NextToken");
        }
        if (start > arns.size()) {
            invalid("NextToken");
        }
    }
    XmlWriter w;
    w.open("Topics");
    const std::size_t end = std::min(arns.size(), start + kPageSize);
    for (std::size_t i = start; i < end; ++i) {
        w.open("member").leaf("TopicArn", arns[i]).close();
    }
    w.close();
    if (end < arns.size()) {
        w.leaf("NextToken", std::to_string(end));
    }
    return query_response(ctx, kSnsNamespace, w.str());
}

std::map<std::string, std::int64_t> SnsService::effect_counts() const {
    return {{"topics_created", topics_created_}, {"messages_published", messages_published_}};
}

nlohmann::json SnsService::messages(const std::string& topic_arn) const {
    if (topic_arn.empty()) {
        return messages_;
    }
    nlohmann::json out = nlohmann::json::array();
    for (const auto& m : messages_) {
        if (m.value("TopicArn", "") == topic_arn) {
            out.push_back(m);
        }
    }
    return out;
}

nlohmann::json SnsService::save_state() const {
    nlohmann::json scopes = nlohmann::json::array();
    for (const auto& [scope, topics] : topics_) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& [name, t] : topics) {
            list.push_back({{"name", name}, {"arn", t.arn}, {"attributes", t.attributes}, {"tags", t.tags}});
        }
        scopes.push_back({{"account", scope.first}, {"region", scope.second}, {"topics", list}});
    }
    return {{"scopes", scopes},
            {"messages", messages_},
            {"topics_created", topics_created_},
            {"messages_published", messages_published_}};
}

void SnsService::load_state(const nlohmann::json& state) {
    topics_.clear();
    for (const auto& s : state.value("scopes", nlohmann::json::array())) {
        auto& topics = topics_[{s.value("account", ""), s.value("region", "")}];
        for (const auto& t : s.value("topics", nlohmann::json::array())) {
            Topic topic;
            topic.arn = t.value("arn", "");
            topic.attributes = t.value("attributes", std::map<std::string, std::string>{});
            topic.tags = t.value("tags", std::vector<std::pair<std::string, std::string>>{});
            topics.emplace(t.value("name", ""), std::move(topic));
        }
    }
    messages_ = state.value("messages", nlohmann::json::array());
    topics_created_ = state.value("topics_created", std::int64_t{0});
    messages_published_ = state.value("messages_published", std::int64_t{0});
}

void SnsService::seed(const YAML::Node& node, const std::string& account_id, const std::string& region) {
    if (!node || !node["topics"]) {
        return;
    }
    for (const auto& t : node["topics"]) {
        const std::string name = t.IsScalar() ? t.as<std::string>() : t["name"].as<std::string>("");
        try {
            create({account_id, region}, name, {}, {});
        } catch (const ServiceError& e) {
            throw Error(ErrorCode::config, "bad sns topic '" + name + "' in the sandbox seed: " + e.what());
        }
    }
}

} // namespace aurora::sandbox
