// Every state type end to end through the engine and the SQLite store, with the history it leaves.
#include "engine_fixture.hpp"

#include "common/error.hpp"

namespace aurora::engine::testing {
namespace {

using store::ExecutionStatus;
using namespace std::chrono_literals;

TEST_F(EngineTest, PassStatesProcessResultParametersAndPaths) {
    make_engine(json::parse(R"({"StartAt":"A","States":{
        "A":{"Type":"Pass","Result":{"x":1},"ResultPath":"$.fromA","Next":"B"},
        "B":{"Type":"Pass","Parameters":{"copied.$":"$.fromA.x","id.$":"$$.Execution.Id","state.$":"$$.State.Name"},
             "ResultPath":"$.b","OutputPath":"$.b","Next":"C"},
        "C":{"Type":"Pass","InputPath":null,"End":true}}})"));
    auto e = run("ex-1", json{{"in", true}});
    EXPECT_EQ(e.status, ExecutionStatus::succeeded);
    EXPECT_EQ(e.output, json::object()) << "InputPath null gives {}";
    EXPECT_EQ(event_types("ex-1"),
              (std::vector<std::string>{"ExecutionStarted", "PassStateEntered", "PassStateExited", "PassStateEntered",
                                        "PassStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"}));
    const auto exited = events_of("ex-1", "PassStateExited");
    EXPECT_EQ(exited[0].details["output"], json::parse(R"({"in":true,"fromA":{"x":1}})"));
    EXPECT_EQ(exited[1].details["output"], json::parse(R"({"copied":1,"id":"ex-1","state":"B"})"));
}

// The "InputPath, ResultPath and OutputPath" example of
// https://docs.aws.amazon.com/step-functions/latest/dg/input-output-example.html
TEST_F(EngineTest, DocsExampleInputResultAndOutputPath) {
    tasks_.add("hello", [](const json& in, TaskContext&) {
        return json("Hello, " + in.at("who").get<std::string>() + "!");
    });
    make_engine(json::parse(R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"hello",
        "InputPath":"$.lambda","ResultPath":"$.data.lambdaresult","OutputPath":"$.data","End":true}}})"));
    const json input = json::parse(R"({"comment":"An input comment.","data":{"val1":23,"val2":17},
        "extra":"foo","lambda":{"who":"AWS Step Functions"}})");
    auto e = run("ex-1", input);
    ASSERT_EQ(e.status, ExecutionStatus::succeeded) << e.cause;
    EXPECT_EQ(e.output, json::parse(R"({"val1":23,"val2":17,"lambdaresult":"Hello, AWS Step Functions!"})"));
    EXPECT_EQ(event_types("ex-1"),
              (std::vector<std::string>{"ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
                                        "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"}));
}

TEST_F(EngineTest, TaskGetsParametersAndContextAndResultSelectorShapesTheResult) {
    json seen;
    tasks_.add("arn:aws:states:::lambda:invoke", [&](const json& in, TaskContext& ctx) {
        seen = in;
        EXPECT_EQ(ctx.execution_id, "ex-7");
        EXPECT_EQ(ctx.state_name, "Copy");
        EXPECT_EQ(ctx.attempt, 1);
        EXPECT_EQ(ctx.context_object["Execution"]["Input"], json::parse(R"({"cluster":"c1"})"));
        return json{{"Payload", {{"snapshot", "s-1"}}}, {"StatusCode", 200}};
    });
    make_engine(json::parse(R"J({"StartAt":"Copy","States":{"Copy":{"Type":"Task",
        "Resource":"arn:aws:states:::lambda:invoke",
        "Parameters":{"FunctionName":"${Fn}","Payload":{"step":"copy","context.$":"$","name.$":"States.Format('copy-{}', $$.Execution.Id)"}},
        "ResultSelector":{"value.$":"$.Payload"},"ResultPath":"$.results.copy","End":true}}})J"));
    auto e = run("ex-7", json{{"cluster", "c1"}});
    ASSERT_EQ(e.status, ExecutionStatus::succeeded) << e.cause;
    EXPECT_EQ(seen, json::parse(R"({"FunctionName":"${Fn}","Payload":{"step":"copy","context":{"cluster":"c1"},"name":"copy-ex-7"}})"));
    EXPECT_EQ(e.output, json::parse(R"({"cluster":"c1","results":{"copy":{"value":{"snapshot":"s-1"}}}})"));
}

TEST_F(EngineTest, ChoiceRoutesByRulesAndDefault) {
    make_engine(json::parse(R"({"StartAt":"C","States":{
        "C":{"Type":"Choice","Choices":[
            {"Variable":"$.mode","StringEquals":"swap","Next":"Swap"},
            {"And":[{"Variable":"$.n","IsPresent":true},{"Variable":"$.n","NumericGreaterThan":1}],"Next":"Many"}],
            "Default":"Other","OutputPath":"$.mode"},
        "Swap":{"Type":"Succeed"},"Many":{"Type":"Succeed"},"Other":{"Type":"Succeed"}}})"));
    EXPECT_EQ(run("a", json{{"mode", "swap"}}).output, json("swap"));
    EXPECT_EQ(events_of("a", "SucceedStateEntered").at(0).state_name, "Swap");
    run("b", json{{"mode", "new"}, {"n", 2}});
    EXPECT_EQ(events_of("b", "SucceedStateEntered").at(0).state_name, "Many");
    run("c", json{{"mode", "new"}});
    EXPECT_EQ(events_of("c", "SucceedStateEntered").at(0).state_name, "Other");
}

TEST_F(EngineTest, ChoiceWithoutMatchOrDefaultFailsTheExecution) {
    make_engine(json::parse(R"({"StartAt":"C","States":{
        "C":{"Type":"Choice","Choices":[{"Variable":"$.x","BooleanEquals":true,"Next":"S"}]},"S":{"Type":"Succeed"}}})"));
    auto e = run("ex", json{{"x", false}});
    EXPECT_EQ(e.status, ExecutionStatus::failed);
    EXPECT_EQ(e.error, "States.NoChoiceMatched");
    auto missing = run("ex2", json::object());
    EXPECT_EQ(missing.error, "States.Runtime") << "a missing Variable is a runtime error";
}

TEST_F(EngineTest, WaitSecondsIsADurableTimer) {
    make_engine(json::parse(R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":30,"Next":"S"},"S":{"Type":"Succeed"}}})"));
    const auto start = clock_.now();
    engine_->start("m", "ex", json{{"k", 1}});
    EXPECT_EQ(engine_->drive("ex"), DriveOutcome::waiting);
    auto row = *store_->get_execution("ex");
    EXPECT_EQ(row.phase, "waiting");
    EXPECT_EQ(row.wake_at, start + 30s);
    EXPECT_TRUE(row.lease_owner.empty()) << "a waiting execution holds no lease";
    EXPECT_TRUE(store_->due_executions(10).empty());
    clock_.advance(29s);
    EXPECT_EQ(engine_->drive("ex"), DriveOutcome::waiting);
    clock_.advance(1s);
    EXPECT_EQ(engine_->drive("ex"), DriveOutcome::finished);
    EXPECT_EQ(store_->get_execution("ex")->output, json({{"k", 1}}));
    EXPECT_EQ(event_types("ex"), (std::vector<std::string>{"ExecutionStarted", "WaitStateEntered", "WaitStateExited",
                                                           "SucceedStateEntered", "SucceedStateExited",
                                                           "ExecutionSucceeded"}));
}

TEST_F(EngineTest, WaitSecondsPathTimestampAndTimestampPath) {
    make_engine(json::parse(R"({"StartAt":"W1","States":{
        "W1":{"Type":"Wait","SecondsPath":"$.delay","Next":"W2"},
        "W2":{"Type":"Wait","TimestampPath":"$.until","Next":"W3"},
        "W3":{"Type":"Wait","Timestamp":"2023-11-14T23:00:00Z","Next":"S"},
        "S":{"Type":"Succeed"}}})"));
    // The FakeClock starts at 2023-11-14T22:13:20Z.
    auto e = run("ex", json{{"delay", 10}, {"until", "2023-11-14T22:20:00Z"}});
    EXPECT_EQ(e.status, ExecutionStatus::succeeded);
    EXPECT_EQ(clock_.sleeps(), (std::vector<std::chrono::milliseconds>{10s, 390s, 2400s}));
    auto bad = run("bad", json{{"delay", "soon"}});
    EXPECT_EQ(bad.error, "States.Runtime");
}

TEST_F(EngineTest, FailStateWithFixedAndPathErrors) {
    make_engine(json::parse(R"({"StartAt":"C","States":{
        "C":{"Type":"Choice","Choices":[{"Variable":"$.dyn","BooleanEquals":true,"Next":"F2"}],"Default":"F1"},
        "F1":{"Type":"Fail","Error":"Aurora.Guardrail","Cause":"target is protected"},
        "F2":{"Type":"Fail","ErrorPath":"$.e","CausePath":"$.c"}}})"));
    auto a = run("a", json{{"dyn", false}});
    EXPECT_EQ(a.status, ExecutionStatus::failed);
    EXPECT_EQ(a.error, "Aurora.Guardrail");
    EXPECT_EQ(a.cause, "target is protected");
    EXPECT_EQ(event_types("a").back(), "ExecutionFailed");
    auto b = run("b", json{{"dyn", true}, {"e", "Custom.Error"}, {"c", "why"}});
    EXPECT_EQ(b.error, "Custom.Error");
    EXPECT_EQ(b.cause, "why");
}

TEST_F(EngineTest, OutputPathSelectingNothingIsARuntimeFailure) {
    make_engine(json::parse(R"({"StartAt":"P","States":{"P":{"Type":"Pass","OutputPath":"$.nope","End":true}}})"));
    auto e = run("ex", json::object());
    EXPECT_EQ(e.status, ExecutionStatus::failed);
    EXPECT_EQ(e.error, "States.Runtime");
    EXPECT_NE(e.cause.find("$.nope"), std::string::npos);
}

TEST_F(EngineTest, StartIsIdempotentAndChecksItsArguments) {
    make_engine(json::parse(R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":5,"End":true}}})"));
    const auto first = engine_->start("m", "ex", json{{"a", 1}});
    const auto again = engine_->start("m", "ex", json{{"a", 1}});
    EXPECT_EQ(again.version, first.version);
    EXPECT_EQ(store_->history("ex", 0, 100).size(), 2U);
    try {
        engine_->start("m", "ex", json{{"a", 2}});
        ADD_FAILURE();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::already_exists);
    }
    try {
        engine_->start("nope", "ex2", json::object());
        ADD_FAILURE();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::not_found);
    }
}

TEST_F(EngineTest, AddMachineRequiresAHandlerPerResource) {
    engine_ = std::make_unique<Engine>(*store_, clock_, tasks_);
    try {
        engine_->add_machine("m", parse_state_machine(json::parse(
                                      R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"nobody","End":true}}})")));
        ADD_FAILURE();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::config);
        EXPECT_NE(e.message().find("'nobody'"), std::string::npos);
    }
}

} // namespace
} // namespace aurora::engine::testing
