#pragma once
//! Payload templates (Parameters, ResultSelector) and intrinsic functions
//! (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html and
//! …/intrinsic-functions.html).
//!
//! In a template, a field whose name ends in ".$" takes its value from a path or an intrinsic call; the
//! field name loses the ".$". Supported intrinsics: States.Format, States.StringToJson,
//! States.JsonToString, States.Array, States.ArrayLength, States.ArrayGetItem, States.ArrayContains,
//! States.MathAdd, States.StringSplit. (States.UUID and States.MathRandom are not supported: they would make
//! a resumed execution see different values than the first run.)

#include <nlohmann/json.hpp>

#include <string>

namespace aurora::engine {

using nlohmann::json;

//! Checks a template at load time: every ".$" value is a string holding a valid path or intrinsic call.
//! Throws aurora::Error(config) naming `where` (e.g. "state 'Copy' Parameters") and the field.
void validate_template(const json& tmpl, const std::string& where);

//! Evaluates `tmpl` against `input` and the context object. Throws TaskError("States.ParameterPathFailure")
//! when a path selects nothing, TaskError("States.IntrinsicFailure") when an intrinsic fails.
json apply_template(const json& tmpl, const json& input, const json& context);

//! Evaluates one intrinsic call such as "States.Format('x-{}', $.id)". Throws as apply_template.
json evaluate_intrinsic(const std::string& expression, const json& input, const json& context);

} // namespace aurora::engine
