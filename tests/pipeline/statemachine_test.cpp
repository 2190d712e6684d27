// The state machine file and the step handlers agree: every Task names a step that exists, every step is
// used, and the embedded engine accepts the definition.
#include "engine/definition.hpp"
#include "pipeline/step_env.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

namespace aurora::pipeline {
namespace {

nlohmann::json definition() {
    std::ifstream in(std::string(AURORA_SOURCE_DIR) + "/statemachine/restore.asl.json");
    std::stringstream ss;
    ss << in.rdbuf();
    return nlohmann::json::parse(ss.str());
}

TEST(StateMachine, EveryTaskNamesAKnownStepAndEveryStepIsUsed) {
    const auto def = definition();
    std::set<std::string> used;
    for (const auto& [name, state] : def["States"].items()) {
        if (state["Type"] != "Task") continue;
        EXPECT_EQ(state["Resource"], "arn:aws:states:::lambda:invoke") << name;
        const std::string step = state["Parameters"]["Payload"]["step"];
        EXPECT_TRUE(step_handlers().contains(step)) << name << " names unknown step " << step;
        used.insert(step);
    }
    for (const auto& [step, _] : step_handlers()) EXPECT_TRUE(used.contains(step)) << "step " << step << " is never used";
}

TEST(StateMachine, EveryMutatingStepIsCaughtIntoCleanupOrTheFailurePath) {
    const auto def = definition();
    for (const auto& [name, state] : def["States"].items()) {
        if (state["Type"] != "Task" || name == "ReleaseLock") continue;
        ASSERT_TRUE(state.contains("Catch")) << name;
        const std::string next = state["Catch"][0]["Next"];
        EXPECT_TRUE(next == "Cleanup" || next == "NotifyFailure" || next == "ReleaseLock" || next == "ReleaseLockAfterFailure" ||
                    next == "Failed")
            << name << " catches into " << next;
    }
}

TEST(StateMachine, TheEmbeddedEngineAcceptsTheDefinition) {
    const auto machine = engine::parse_state_machine(definition());
    EXPECT_EQ(machine.start_at, "Validate");
}

} // namespace
} // namespace aurora::pipeline
