// The repository's own state machine (statemachine/restore.asl.json) runs on the engine, with a stand-in
// for the Lambda invoke resource that answers per pipeline step: the happy path and a failure that must
// go through the cleanup path.
#include "engine_fixture.hpp"

#include "common/error.hpp"

#include <fstream>
#include <sstream>

namespace aurora::engine::testing {
namespace {

using store::ExecutionStatus;

std::string pipeline_text() {
    std::ifstream file(std::string(AURORA_SOURCE_DIR) + "/statemachine/restore.asl.json");
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

class PipelineAsl : public EngineTest {
protected:
    //! Registers the stand-in: wait_* steps answer NotReady once, `failing_step` fails for good.
    void start_engine(const std::string& failing_step) {
        tasks_.add("arn:aws:states:::lambda:invoke", [this, failing_step](const json& in, TaskContext& ctx) -> json {
            const std::string step = in.at("Payload").at("step");
            steps_.push_back(step);
            if (step == failing_step) {
                throw Error(ErrorCode::resource_failed, "cluster 'staging-orders' entered state failed");
            }
            if (step.starts_with("wait_") && ctx.attempt == 1) {
                throw Error(ErrorCode::not_ready, step + ": still creating");
            }
            json payload = json::object();
            if (step == "snapshot_check") {
                payload["needs_copy"] = true;
            }
            return json{{"Payload", payload}, {"StatusCode", 200}};
        });
        engine_ = std::make_unique<Engine>(*store_, clock_, tasks_);
        engine_->add_machine("restore", parse_state_machine_text(pipeline_text()));
    }

    store::Execution run_pipeline(const std::string& id) {
        const json request = json::parse(R"({"request":{"target":{"cluster":"staging-orders","mode":"swap"},
            "database":{"name":"orders"}}})");
        engine_->start("restore", id, request);
        engine_->run_until_idle();
        return *store_->get_execution(id);
    }

    std::vector<std::string> steps_;
};

TEST_F(PipelineAsl, TheHappyPathVisitsEveryStepOfASwapRestoreWithACopy) {
    start_engine("");
    const auto e = run_pipeline("r-1");
    ASSERT_EQ(e.status, ExecutionStatus::succeeded) << e.error << ": " << e.cause;
    for (const char* step : {"validate", "acquire_lock", "snapshot_check", "copy_snapshot", "wait_snapshot_copy",
                             "restore_cluster", "create_instances", "swap", "database_setup", "release_lock"}) {
        EXPECT_NE(std::find(steps_.begin(), steps_.end(), step), steps_.end()) << step;
    }
    EXPECT_EQ(std::count(steps_.begin(), steps_.end(), "cleanup"), 0);
    EXPECT_FALSE(events_of("r-1", "TaskFailed").empty()) << "the wait_* steps polled through Retry";
    EXPECT_FALSE(clock_.sleeps().empty());
}

TEST_F(PipelineAsl, AFailedRestoreRunsCleanupAndEndsWithTheCause) {
    start_engine("restore_cluster");
    const auto e = run_pipeline("r-2");
    EXPECT_EQ(e.status, ExecutionStatus::failed);
    EXPECT_EQ(e.error, "Aurora.ResourceFailed");
    EXPECT_NE(e.cause.find("staging-orders"), std::string::npos);
    EXPECT_NE(std::find(steps_.begin(), steps_.end(), "cleanup"), steps_.end());
    EXPECT_NE(std::find(steps_.begin(), steps_.end(), "notify_failure"), steps_.end());
    EXPECT_EQ(std::count(steps_.begin(), steps_.end(), "restore_cluster"), 1) << "a failed resource is not retried";
}

} // namespace
} // namespace aurora::engine::testing
