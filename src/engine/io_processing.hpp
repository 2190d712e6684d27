#pragma once
//! Input and output processing of a state, in the order Step Functions applies it
//! (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html):
//! InputPath → Parameters → (task) → ResultSelector → ResultPath → OutputPath.

#include "engine/definition.hpp"

namespace aurora::engine {

//! InputPath: the selected part of `raw` ({} when InputPath is null). Throws
//! TaskError("States.Runtime") when the path selects nothing.
json apply_input_path(const PathField& field, const json& raw, const json& context);

//! ResultPath: `raw` with `result` placed at the path (the result itself for "$", `raw` unchanged when
//! null). Throws TaskError("States.ResultPathMatchFailure") when the path cannot be written.
json apply_result_path(const ResultPathField& field, const json& raw, json result);

//! OutputPath: the selected part of `value` ({} when OutputPath is null). Throws
//! TaskError("States.Runtime") when the path selects nothing.
json apply_output_path(const PathField& field, const json& value, const json& context);

//! InputPath then Parameters (when the state has them): the effective input of a Task or Pass state.
json effective_input(const State& state, const json& raw, const json& context);

} // namespace aurora::engine
