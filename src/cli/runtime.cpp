#include "cli/runtime.hpp"

#include "aws/arn.hpp"
#include "common/error.hpp"
#include "dbsetup/driver.hpp"
#include "engine/definition.hpp"
#include "notify/channels.hpp"
#include "store/sqlite/sqlite_store.hpp"

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <unistd.h>

namespace aurora::cli {
namespace {

std::string default_state_dir() {
    if (const char* dir = std::getenv("AURORA_RESTORE_STATE_DIR"); dir != nullptr && *dir != '\0') return dir;
    if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg != nullptr && *xdg != '\0') {
        return std::string(xdg) + "/aurora-restore";
    }
    if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
        return std::string(home) + "/.local/state/aurora-restore";
    }
    return ".aurora-restore";
}

std::string local_user() {
    if (const char* u = std::getenv("USER"); u != nullptr && *u != '\0') return u;
    return "uid:" + std::to_string(getuid());
}

} // namespace

Runtime::Runtime(GlobalOptions options) : options_(std::move(options)) {
    if (options_.state_dir.empty()) options_.state_dir = default_state_dir();
    std::error_code ec;
    std::filesystem::create_directories(options_.state_dir, ec);
    if (ec) {
        throw Error(ErrorCode::config, "cannot create state directory '" + options_.state_dir + "': " + ec.message(),
                    "choose another with --state-dir or AURORA_RESTORE_STATE_DIR");
    }
    store_ = std::make_unique<store::sqlite::SqliteStore>(database_path(), SystemClock::instance());
}

Runtime::~Runtime() = default;

std::string Runtime::database_path() const { return options_.state_dir + "/state.db"; }

AwsSession& Runtime::aws() {
    if (!aws_) aws_ = std::make_unique<AwsSession>(AwsSessionOptions{options_.profile, options_.region, options_.endpoint_url, true});
    return *aws_;
}

pipeline::PipelineEnv& Runtime::env() {
    if (env_) return *env_;
    auto& session = aws();
    env_ = std::make_unique<pipeline::PipelineEnv>();
    auto& e = *env_;
    e.clock = &SystemClock::instance();
    e.store = store_.get();
    e.rds = [&session](const std::string& region) -> aws::rds::RdsClient& { return session.rds(region); };
    e.secret_value = [&session](const std::string& region, const std::string& id) {
        return session.secrets(region).get_secret_string(id);
    };
    e.caller_identity = [&session] {
        const auto who = session.sts().get_caller_identity();
        return pipeline::CallerIdentity{who.account, who.arn, who.user_id};
    };
    e.db_driver = [](dbsetup::Engine engine) { return dbsetup::make_driver(engine); };
    e.channels = [&session](const pipeline::NotifySpec& spec) {
        std::vector<std::unique_ptr<notify::Channel>> out;
        out.push_back(notify::make_console_channel(std::cerr));
        if (!spec.sns_topic_arn.empty()) {
            out.push_back(notify::make_sns_channel(spec.sns_topic_arn, [&session](const std::string& topic, const std::string& subject,
                                                                              const std::string& message) {
                const auto arn = aws::parse_arn(topic);
                session.sns(arn ? arn->region : session.default_region()).publish({topic, message, subject, {}, "", ""});
            }));
        }
        if (!spec.webhook_url.empty()) out.push_back(notify::make_webhook_channel(spec.webhook_url, session.http()));
        return out;
    };
    e.local_user = local_user();
    return e;
}

engine::Engine& Runtime::engine() {
    if (engine_) return *engine_;
    engine::TaskRegistry tasks;
    tasks.add(kLambdaInvoke, [this](const nlohmann::json& input, engine::TaskContext&) {
        // The Lambda invoke integration: {FunctionName, Payload: {step, context}} in, {Payload: result} out,
        // exactly the shape Step Functions gives the same definition in the cloud.
        const auto& payload = input.at("Payload");
        auto result = pipeline::run_step(payload.at("step").get<std::string>(), payload.at("context"), env());
        return nlohmann::json{{"Payload", std::move(result)}, {"StatusCode", 200}};
    });
    engine_ = std::make_unique<engine::Engine>(*store_, SystemClock::instance(), std::move(tasks));
    engine_->add_machine(kMachineName, engine::parse_state_machine_text(embedded_definition()));
    return *engine_;
}

} // namespace aurora::cli
