#include "engine/io_processing.hpp"

#include "common/error.hpp"
#include "engine/payload.hpp"
#include "engine/task_error.hpp"

namespace aurora::engine {
namespace {

json select_or_fail(const PathField& field, const json& value, const json& context, const char* what) {
    if (field.is_null) {
        return json::object();
    }
    auto selected = field.path.select(value, context);
    if (!selected) {
        throw TaskError("States.Runtime",
                        std::string(what) + " '" + field.path.text() + "' selects nothing in the state's data");
    }
    return std::move(*selected);
}

} // namespace

json apply_input_path(const PathField& field, const json& raw, const json& context) {
    return select_or_fail(field, raw, context, "InputPath");
}

json apply_result_path(const ResultPathField& field, const json& raw, json result) {
    if (field.discard) {
        return raw;
    }
    if (field.path.is_root()) {
        return result;
    }
    json out = raw;
    try {
        field.path.assign(out, std::move(result));
    } catch (const Error& e) {
        throw TaskError("States.ResultPathMatchFailure", e.message());
    }
    return out;
}

json apply_output_path(const PathField& field, const json& value, const json& context) {
    return select_or_fail(field, value, context, "OutputPath");
}

json effective_input(const State& state, const json& raw, const json& context) {
    json in = apply_input_path(state.input_path, raw, context);
    if (state.parameters) {
        return apply_template(*state.parameters, in, context);
    }
    return in;
}

} // namespace aurora::engine
