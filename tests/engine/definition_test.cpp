// Loading and validating definitions; Choice rule evaluation.
#include "common/error.hpp"
#include "engine/choice.hpp"
#include "engine/definition.hpp"
#include "engine/task_error.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace aurora::engine {
namespace {

json machine_with(const json& states, const std::string& start = "A") {
    return json{{"StartAt", start}, {"States", states}};
}

std::string load_error(const json& definition) {
    try {
        parse_state_machine(definition);
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::config);
        return e.message();
    }
    return "(no error)";
}

TEST(Definition, TheRepositoryPipelineLoads) {
    std::ifstream file(std::string(AURORA_SOURCE_DIR) + "/statemachine/restore.asl.json");
    if (!file) {
        GTEST_FAIL() << "statemachine/restore.asl.json is missing";
    }
    std::stringstream text;
    text << file.rdbuf();
    const StateMachine m = parse_state_machine_text(text.str());
    EXPECT_EQ(m.start_at, "Validate");
    EXPECT_GT(m.states.size(), 10U);
    EXPECT_EQ(m.hash.size(), 64U);
}

TEST(Definition, ParsesEveryFieldOfTheSubset) {
    const json d = json::parse(R"({
      "Comment": "all fields", "TimeoutSeconds": 60, "StartAt": "T",
      "States": {
        "T": {"Type": "Task", "Resource": "r", "InputPath": "$.in", "Parameters": {"a.$": "$.x"},
              "ResultSelector": {"b.$": "$.y"}, "ResultPath": "$.res", "OutputPath": null, "TimeoutSeconds": 5,
              "Retry": [{"ErrorEquals": ["E1"], "IntervalSeconds": 3, "MaxAttempts": 4, "BackoffRate": 1.5,
                         "MaxDelaySeconds": 10, "JitterStrategy": "FULL"},
                        {"ErrorEquals": ["States.ALL"]}],
              "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": null, "Next": "F"}], "Next": "C"},
        "C": {"Type": "Choice", "Choices": [{"Not": {"Variable": "$.a", "IsPresent": true}, "Next": "W"},
              {"And": [{"Variable": "$.n", "NumericGreaterThanPath": "$.m"}, {"Variable": "$.s", "StringMatches": "a*"}],
               "Next": "P"}], "Default": "S"},
        "W": {"Type": "Wait", "SecondsPath": "$.delay", "Next": "P"},
        "P": {"Type": "Pass", "Result": {"k": 1}, "ResultPath": "$.p", "End": true},
        "S": {"Type": "Succeed"},
        "F": {"Type": "Fail", "ErrorPath": "$.e", "Cause": "boom"}
      }})");
    const StateMachine m = parse_state_machine(d);
    EXPECT_EQ(m.timeout_seconds, 60);
    const State& t = m.state("T");
    EXPECT_EQ(t.type, StateType::task);
    EXPECT_TRUE(t.output_path.is_null);
    EXPECT_EQ(t.retry.size(), 2U);
    EXPECT_EQ(t.retry[0].max_attempts, 4);
    EXPECT_TRUE(t.retry[0].full_jitter);
    EXPECT_EQ(t.retry[0].max_delay_seconds, 10);
    EXPECT_EQ(t.retry[1].interval_seconds, 1) << "defaults: 1 s, 3 attempts, rate 2";
    EXPECT_EQ(t.retry[1].max_attempts, 3);
    EXPECT_EQ(t.retry[1].backoff_rate, 2.0);
    EXPECT_TRUE(t.catchers[0].result_path.discard);
    EXPECT_EQ(m.state("C").choices[1].children[0].op, "NumericGreaterThan");
    EXPECT_TRUE(m.state("C").choices[1].children[0].value_is_path);
    EXPECT_THROW(m.state("Nope"), Error);
}

TEST(Definition, RefusesWhatIsOutsideTheSubsetNamingStateAndField) {
    struct Case {
        json definition;
        std::string expected;
    };
    const std::vector<Case> cases = {
        {machine_with({{"A", {{"Type", "Map"}, {"End", true}}}}), "type 'Map' is not supported"},
        {machine_with({{"A", {{"Type", "Pass"}, {"End", true}, {"HeartbeatSeconds", 3}}}}),
         "state 'A': field 'HeartbeatSeconds'"},
        {machine_with({{"A", {{"Type", "Pass"}}}}), "state 'A': needs exactly one of 'Next' or 'End: true'"},
        {machine_with({{"A", {{"Type", "Pass"}, {"Next", "B"}}}}), "transition to 'B', which is not a state"},
        {machine_with({{"A", {{"Type", "Pass"}, {"End", true}}}, {"B", {{"Type", "Succeed"}}}}),
         "state 'B': is unreachable"},
        {machine_with({{"A", {{"Type", "Succeed"}}}}, "Z"), "StartAt names 'Z'"},
        {machine_with({{"A", {{"Type", "Task"}, {"End", true}}}}), "'Resource'"},
        {machine_with({{"A",
                        {{"Type", "Task"},
                         {"Resource", "r"},
                         {"End", true},
                         {"Retry", json::array({{{"ErrorEquals", {"States.ALL"}}}, {{"ErrorEquals", {"X"}}}})}}}}),
         "Retry[0]: a States.ALL rule must be the last one"},
        {machine_with({{"A",
                        {{"Type", "Task"},
                         {"Resource", "r"},
                         {"End", true},
                         {"Retry", json::array({{{"ErrorEquals", {"X"}}, {"JitterStrategy", "SOME"}}})}}}}),
         "JitterStrategy"},
        {machine_with({{"A", {{"Type", "Wait"}, {"End", true}}}}), "exactly one of Seconds"},
        {machine_with({{"A", {{"Type", "Wait"}, {"Timestamp", "yesterday"}, {"End", true}}}}), "'Timestamp'"},
        {machine_with({{"A", {{"Type", "Choice"}, {"Choices", json::array({{{"Variable", "$.a"}, {"Next", "A"}}})}}}}),
         "needs a comparison operator"},
        {machine_with({{"A", {{"Type", "Choice"}, {"Choices", json::array({{{"Variable", "$.a"}, {"StringEquals", 3}, {"Next", "A"}}})}}}}),
         "'StringEquals' needs a string value"},
        {machine_with({{"A", {{"Type", "Choice"}, {"Choices", json::array({{{"Variable", "$.a"}, {"IsNullPath", "$.b"}, {"Next", "A"}}})}}}}),
         "unsupported choice operator 'IsNullPath'"},
        {machine_with({{"A", {{"Type", "Choice"}, {"Choices", json::array({{{"Not", {{"Variable", "$.a"}, {"IsNull", true}, {"Next", "A"}}}, {"Next", "A"}}})}}}}),
         "'Next' is only allowed on top-level"},
        {machine_with({{"A", {{"Type", "Pass"}, {"ResultPath", "$$.x"}, {"End", true}}}}), "context object"},
        {machine_with({{"A", {{"Type", "Pass"}, {"Parameters", {{"x.$", "States.UUID()"}}}, {"End", true}}}}),
         "state 'A' Parameters: field 'x.$'"},
        {machine_with({{"A", {{"Type", "Fail"}, {"Error", "E"}, {"ErrorPath", "$.e"}}}}), "exclusive"},
    };
    for (const auto& c : cases) {
        const std::string msg = load_error(c.definition);
        EXPECT_NE(msg.find(c.expected), std::string::npos) << "expected '" << c.expected << "' in: " << msg;
    }
    EXPECT_THROW(parse_state_machine_text("{not json"), Error);
}

TEST(Definition, HashFollowsTheContent) {
    const json a = machine_with({{"A", {{"Type", "Succeed"}}}});
    const json b = machine_with({{"A", {{"Type", "Succeed"}, {"Comment", "x"}}}});
    EXPECT_EQ(parse_state_machine(a).hash, parse_state_machine(a).hash);
    EXPECT_NE(parse_state_machine(a).hash, parse_state_machine(b).hash);
}

// ---- Choice rules ----------------------------------------------------------------------------------------

bool holds(const json& rule, const json& input) {
    const json d = machine_with({{"A", {{"Type", "Choice"}, {"Choices", json::array({rule})}, {"Default", "B"}}},
                                 {"B", {{"Type", "Succeed"}}}});
    json with_next = d;
    with_next["States"]["A"]["Choices"][0]["Next"] = "B";
    const StateMachine m = parse_state_machine(with_next);
    return evaluate_rule(m.state("A").choices[0], input, json::object());
}

TEST(Choice, EveryComparisonOperator) {
    const json in = json::parse(R"({"s":"beta","n":5,"b":true,"t":"2024-01-31T02:00:00Z","other":"alpha","m":5,
        "later":"2024-02-01T00:00:00Z","nul":null})");
    struct Case {
        json rule;
        bool expected;
    };
    const std::vector<Case> cases = {
        {{{"Variable", "$.s"}, {"StringEquals", "beta"}}, true},
        {{{"Variable", "$.s"}, {"StringLessThan", "gamma"}}, true},
        {{{"Variable", "$.s"}, {"StringGreaterThan", "gamma"}}, false},
        {{{"Variable", "$.s"}, {"StringLessThanEquals", "beta"}}, true},
        {{{"Variable", "$.s"}, {"StringGreaterThanEquals", "beta"}}, true},
        {{{"Variable", "$.s"}, {"StringEqualsPath", "$.other"}}, false},
        {{{"Variable", "$.s"}, {"StringGreaterThanPath", "$.other"}}, true},
        {{{"Variable", "$.s"}, {"StringMatches", "b*a"}}, true},
        {{{"Variable", "$.s"}, {"StringMatches", "*x*"}}, false},
        {{{"Variable", "$.n"}, {"NumericEquals", 5}}, true},
        {{{"Variable", "$.n"}, {"NumericLessThan", 5.5}}, true},
        {{{"Variable", "$.n"}, {"NumericGreaterThan", 5}}, false},
        {{{"Variable", "$.n"}, {"NumericLessThanEquals", 5}}, true},
        {{{"Variable", "$.n"}, {"NumericGreaterThanEquals", 6}}, false},
        {{{"Variable", "$.n"}, {"NumericEqualsPath", "$.m"}}, true},
        {{{"Variable", "$.n"}, {"NumericLessThanPath", "$.m"}}, false},
        {{{"Variable", "$.n"}, {"NumericGreaterThanEqualsPath", "$.m"}}, true},
        {{{"Variable", "$.s"}, {"NumericEquals", 5}}, false},
        {{{"Variable", "$.b"}, {"BooleanEquals", true}}, true},
        {{{"Variable", "$.b"}, {"BooleanEqualsPath", "$.b"}}, true},
        {{{"Variable", "$.t"}, {"TimestampEquals", "2024-01-31T02:00:00Z"}}, true},
        {{{"Variable", "$.t"}, {"TimestampLessThan", "2024-01-31T02:00:01Z"}}, true},
        {{{"Variable", "$.t"}, {"TimestampGreaterThan", "2024-01-31T02:00:01Z"}}, false},
        {{{"Variable", "$.t"}, {"TimestampLessThanEqualsPath", "$.later"}}, true},
        {{{"Variable", "$.t"}, {"TimestampGreaterThanEquals", "2024-01-31T02:00:00Z"}}, true},
        {{{"Variable", "$.s"}, {"TimestampEquals", "2024-01-31T02:00:00Z"}}, false},
        {{{"Variable", "$.nul"}, {"IsNull", true}}, true},
        {{{"Variable", "$.s"}, {"IsNull", false}}, true},
        {{{"Variable", "$.missing"}, {"IsPresent", false}}, true},
        {{{"Variable", "$.s"}, {"IsPresent", true}}, true},
        {{{"Variable", "$.missing"}, {"IsNull", true}}, false},
        {{{"Variable", "$.n"}, {"IsNumeric", true}}, true},
        {{{"Variable", "$.s"}, {"IsString", true}}, true},
        {{{"Variable", "$.b"}, {"IsBoolean", true}}, true},
        {{{"Variable", "$.t"}, {"IsTimestamp", true}}, true},
        {{{"Variable", "$.s"}, {"IsTimestamp", true}}, false},
        {{{"And", json::array({{{"Variable", "$.n"}, {"NumericEquals", 5}}, {{"Variable", "$.b"}, {"BooleanEquals", false}}})}}, false},
        {{{"Or", json::array({{{"Variable", "$.n"}, {"NumericEquals", 4}}, {{"Variable", "$.b"}, {"BooleanEquals", true}}})}}, true},
        {{{"Not", {{"Variable", "$.s"}, {"StringEquals", "beta"}}}}, false},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(holds(c.rule, in), c.expected) << c.rule.dump();
    }
}

TEST(Choice, AMissingVariableIsARuntimeError) {
    try {
        holds({{"Variable", "$.missing"}, {"StringEquals", "x"}}, json::object());
        ADD_FAILURE();
    } catch (const TaskError& e) {
        EXPECT_EQ(e.error(), "States.Runtime");
    }
}

TEST(Choice, StringMatchesWildcardsAndEscapes) {
    EXPECT_TRUE(string_matches("log-2024.txt", "log-*.txt"));
    EXPECT_TRUE(string_matches("anything", "*"));
    EXPECT_TRUE(string_matches("", "*"));
    EXPECT_FALSE(string_matches("log.txt", "log-*"));
    EXPECT_TRUE(string_matches("a*b", R"(a\*b)"));
    EXPECT_FALSE(string_matches("axb", R"(a\*b)"));
    EXPECT_TRUE(string_matches("prod-orders-1", "prod-*-*"));
    EXPECT_FALSE(string_matches("prod-orders", "prod-*-*"));
}

} // namespace
} // namespace aurora::engine
