#pragma once
//! A state machine definition in Amazon States Language, parsed and validated on load
//! (https://states-language.net/spec.html). The supported subset is in docs/engine.md; anything outside it
//! (Map, Parallel, unknown fields) is refused with an error naming the state and the field.

#include "engine/json_path.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aurora::engine {

using nlohmann::json;

enum class StateType { task, choice, wait, pass, succeed, fail };

//! "Task", "Choice", …
std::string_view to_string(StateType type);

//! InputPath / OutputPath: a path, or null (the state sees / emits `{}`).
struct PathField {
    bool is_null = false;
    JsonPath path; //!< "$" when the field is absent
};

//! ResultPath: where the result goes into the state's input; `discard` for null (keep the input as is).
struct ResultPathField {
    bool discard = false;
    JsonPath path; //!< "$" when absent: the result replaces the input
};

//! One Retry rule.
struct Retrier {
    std::vector<std::string> error_equals;
    double interval_seconds = 1;
    int max_attempts = 3;
    double backoff_rate = 2.0;
    std::optional<double> max_delay_seconds;
    bool full_jitter = false; //!< JitterStrategy FULL (default NONE)
};

//! One Catch rule.
struct Catcher {
    std::vector<std::string> error_equals;
    std::string next;
    ResultPathField result_path;
};

//! One Choice rule (top level: with `next`; nested inside And/Or/Not: without).
struct ChoiceRule {
    enum class Kind { comparison, all_of, any_of, negation };
    Kind kind = Kind::comparison;
    std::vector<ChoiceRule> children; //!< And / Or operands, or the one Not operand
    JsonPath variable;
    std::string op;             //!< comparison operator without a "Path" suffix, e.g. "StringEquals"
    bool value_is_path = false; //!< the operator had the "Path" suffix
    json value;                 //!< the literal operand
    JsonPath value_path;        //!< the operand's path when value_is_path
    std::string next;
};

//! One state.
struct State {
    std::string name;
    StateType type = StateType::pass;
    std::string next;
    bool end = false;
    PathField input_path;
    PathField output_path;
    ResultPathField result_path;
    std::optional<json> parameters;
    std::optional<json> result_selector;
    std::optional<json> result; //!< Pass
    std::string resource;       //!< Task
    std::optional<double> timeout_seconds;
    std::vector<Retrier> retry;
    std::vector<Catcher> catchers;
    std::vector<ChoiceRule> choices;
    std::string default_next; //!< Choice
    std::optional<double> seconds;
    std::optional<JsonPath> seconds_path;
    std::optional<std::string> timestamp;
    std::optional<JsonPath> timestamp_path;
    std::string error; //!< Fail
    std::string cause;
    std::optional<JsonPath> error_path;
    std::optional<JsonPath> cause_path;
};

//! A validated state machine.
struct StateMachine {
    std::string start_at;
    std::map<std::string, State, std::less<>> states;
    std::optional<double> timeout_seconds; //!< the whole execution's limit
    std::string hash;                      //!< SHA-256 of the canonical definition JSON

    //! The state named `name`; throws aurora::Error(invalid_state) when there is none.
    const State& state(std::string_view name) const;
};

//! Parses and validates `definition`. Throws aurora::Error(config) with a message naming the state and
//! field for every violation of the supported subset (unknown field, missing Next/End, a Next naming no
//! state, an unreachable state, States.ALL not alone and last, …).
StateMachine parse_state_machine(const json& definition);
//! Parses JSON text first; throws Error(config) on invalid JSON.
StateMachine parse_state_machine_text(std::string_view text);

} // namespace aurora::engine
