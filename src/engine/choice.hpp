#pragma once
//! Evaluation of Choice rules (https://states-language.net/spec.html#choice-state).

#include "engine/definition.hpp"

namespace aurora::engine {

//! Whether `rule` holds for `input`. A value of the wrong type makes a comparison false; a Variable (or a
//! …Path operand) that selects nothing throws TaskError("States.Runtime"), except under IsPresent.
bool evaluate_rule(const ChoiceRule& rule, const json& input, const json& context);

//! StringMatches: `*` matches any run of characters, `\*` a literal star, `\\` a backslash.
bool string_matches(std::string_view text, std::string_view pattern);

} // namespace aurora::engine
