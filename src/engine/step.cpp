#include "engine/step.hpp"

#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/redact.hpp"
#include "engine/choice.hpp"
#include "engine/io_processing.hpp"
#include "engine/payload.hpp"
#include "engine/task_error.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace aurora::engine::detail {
namespace {

using store::ExecutionStatus;
using store::HistoryEvent;

HistoryEvent event(std::string type, std::string state_name, json details) {
    HistoryEvent ev;
    ev.type = std::move(type);
    ev.state_name = std::move(state_name);
    ev.details = std::move(details);
    return ev;
}

std::string state_event(const State& st, const char* suffix) { return std::string(to_string(st.type)) + suffix; }

json zero_counters(const State& st) { return json(std::vector<int>(st.retry.size(), 0)); }

// Errors that come from the definition meeting the data, not from the outside world: retrying the same
// input cannot help (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html).
bool is_data_error(const std::string& error) {
    return error == "States.Runtime" || error == "States.ParameterPathFailure" ||
           error == "States.ResultPathMatchFailure" || error == "States.IntrinsicFailure";
}

void finish(Step& s, ExecutionStatus status) {
    s.next.status = status;
    s.next.phase = kPhaseDone;
    s.next.wake_at.reset();
}

void succeed(Step& s, json output) {
    s.events.push_back(event("ExecutionSucceeded", "", json{{"output", output}}));
    s.next.output = std::move(output);
    finish(s, ExecutionStatus::succeeded);
}

// Leaves `from` with `output` and enters `target` (or ends the execution when `target` is empty).
void transition(Step& s, const StateMachine& m, const State& from, const std::string& target, json output,
                WallTime now) {
    s.events.push_back(event(state_event(from, "StateExited"), from.name, json{{"name", from.name}, {"output", output}}));
    if (target.empty()) {
        succeed(s, std::move(output));
        return;
    }
    const State& to = m.state(target);
    s.events.push_back(event(state_event(to, "StateEntered"), to.name, json{{"name", to.name}, {"input", output}}));
    s.next.state_name = to.name;
    s.next.phase = kPhaseEntered;
    s.next.state_input = std::move(output);
    s.next.state_entered_at = now;
    s.next.retry_counters = zero_counters(to);
    s.next.wake_at.reset();
}

std::uint64_t fnv1a(std::string_view text, std::uint64_t seed) {
    std::uint64_t h = 1469598103934665603ULL ^ seed;
    for (unsigned char c : text) {
        h = (h ^ c) * 1099511628211ULL;
    }
    return h;
}

// Retry, then Catch, then fail: the order of https://states-language.net/spec.html#errors.
Step handle_failure(const StateMachine& m, const store::Execution& e, const State& st, const TaskOutcome& out,
                    WallTime now, std::uint64_t jitter_seed) {
    Step s{e, {}, std::nullopt, {}};
    const std::string cause = redact(out.cause);
    json details{{"resource", st.resource}, {"error", out.error}, {"cause", cause}};
    if (!is_data_error(out.error)) {
        for (std::size_t i = 0; i < st.retry.size(); ++i) {
            const Retrier& r = st.retry[i];
            if (!error_matches(r.error_equals, out.error)) {
                continue;
            }
            const int used = e.retry_counters.is_array() && i < e.retry_counters.size() ? e.retry_counters[i].get<int>() : 0;
            if (used >= r.max_attempts) {
                break;
            }
            auto delay = retry_delay(r, used, fnv1a(e.id + "/" + st.name + "/" + std::to_string(used), jitter_seed));
            if (out.retry_after) {
                // The handler knows the resource best (docs/engine.md, "Adaptive polling"); the cap still holds.
                delay = *out.retry_after;
                if (r.max_delay_seconds) {
                    delay = std::min(delay, std::chrono::milliseconds{std::llround(*r.max_delay_seconds * 1000)});
                }
            }
            if (!s.next.retry_counters.is_array() || s.next.retry_counters.size() != st.retry.size()) {
                s.next.retry_counters = zero_counters(st);
            }
            s.next.retry_counters[i] = used + 1;
            s.next.phase = kPhaseEntered;
            s.next.wake_at = now + delay;
            details["retry"] = json{{"retrier", i},
                                    {"attempt", used + 1},
                                    {"max_attempts", r.max_attempts},
                                    {"delay_ms", delay.count()},
                                    {"wake_at", format_iso8601(now + delay)}};
            s.events.push_back(event("TaskFailed", st.name, details));
            s.sleep_until = now + delay;
            s.sleep_reason = "retry";
            return s;
        }
    }
    s.events.push_back(event("TaskFailed", st.name, details));
    if (out.error != "States.Runtime") {
        for (const auto& c : st.catchers) {
            if (!error_matches(c.error_equals, out.error)) {
                continue;
            }
            json caught;
            try {
                caught = apply_result_path(c.result_path, e.state_input, json{{"Error", out.error}, {"Cause", cause}});
            } catch (const TaskError& te) {
                return fail_execution(e, te.error(), te.cause());
            }
            Step t = s;
            transition(t, m, st, c.next, std::move(caught), now);
            return t;
        }
    }
    Step f = fail_execution(s.next, out.error, cause);
    f.events.insert(f.events.begin(), s.events.begin(), s.events.end());
    return f;
}

std::optional<WallTime> wait_until(const State& st, const json& input, const json& context, WallTime now) {
    if (st.seconds) {
        return now + std::chrono::milliseconds{std::llround(*st.seconds * 1000)};
    }
    if (st.timestamp) {
        return parse_iso8601(*st.timestamp);
    }
    if (st.seconds_path) {
        const auto v = st.seconds_path->select(input, context);
        if (!v || !v->is_number() || v->get<double>() < 0) {
            throw TaskError("States.Runtime", "SecondsPath '" + st.seconds_path->text() +
                                                  "' must select a non-negative number");
        }
        return now + std::chrono::milliseconds{std::llround(v->get<double>() * 1000)};
    }
    const auto v = st.timestamp_path->select(input, context);
    try {
        if (v && v->is_string()) {
            return parse_iso8601(v->get<std::string>());
        }
    } catch (const Error&) {
    }
    throw TaskError("States.Runtime", "TimestampPath '" + st.timestamp_path->text() + "' must select an ISO 8601 timestamp");
}

Step advance_state(const StateMachine& m, const store::Execution& e, const State& st, const json& ctx, WallTime now) {
    Step s{e, {}, std::nullopt, {}};
    const json& raw = e.state_input;
    switch (st.type) {
    case StateType::pass: {
        json result = st.result ? *st.result : effective_input(st, raw, ctx);
        transition(s, m, st, st.next, apply_output_path(st.output_path, apply_result_path(st.result_path, raw, result), ctx),
                   now);
        return s;
    }
    case StateType::choice: {
        const json in = apply_input_path(st.input_path, raw, ctx);
        std::string target = st.default_next;
        for (const auto& rule : st.choices) {
            if (evaluate_rule(rule, in, ctx)) {
                target = rule.next;
                break;
            }
        }
        if (target.empty()) {
            return fail_execution(e, "States.NoChoiceMatched", "no choice rule of state '" + st.name + "' matched");
        }
        transition(s, m, st, target, apply_output_path(st.output_path, in, ctx), now);
        return s;
    }
    case StateType::wait: {
        const json in = apply_input_path(st.input_path, raw, ctx);
        if (e.phase == kPhaseWaiting) {
            transition(s, m, st, st.next, apply_output_path(st.output_path, in, ctx), now);
            return s;
        }
        s.next.phase = kPhaseWaiting;
        s.next.wake_at = wait_until(st, in, ctx, now);
        s.sleep_until = s.next.wake_at;
        s.sleep_reason = "wait";
        return s;
    }
    case StateType::succeed: {
        json out = apply_output_path(st.output_path, apply_input_path(st.input_path, raw, ctx), ctx);
        s.events.push_back(event("SucceedStateExited", st.name, json{{"name", st.name}, {"output", out}}));
        succeed(s, std::move(out));
        return s;
    }
    case StateType::fail: {
        auto pick = [&](const std::optional<JsonPath>& path, const std::string& fixed) {
            if (!path) {
                return fixed;
            }
            const auto v = path->select(raw, ctx);
            return v && v->is_string() ? v->get<std::string>() : std::string{};
        };
        return fail_execution(e, pick(st.error_path, st.error), pick(st.cause_path, st.cause));
    }
    case StateType::task:
        break;
    }
    // Task, phase entered: schedule it. The effective input is computed here only for the history; the
    // runner recomputes it (deterministically) before each invocation.
    const json params = effective_input(st, raw, ctx);
    json scheduled{{"resource", st.resource}, {"parameters", params}};
    if (st.timeout_seconds) {
        scheduled["timeoutInSeconds"] = *st.timeout_seconds;
    }
    s.events.push_back(event("TaskScheduled", st.name, scheduled));
    s.events.push_back(event("TaskStarted", st.name, json{{"resource", st.resource}}));
    s.next.phase = kPhaseRunning;
    s.next.wake_at.reset();
    return s;
}

} // namespace

json context_object(const store::Execution& e, const std::string& machine_name) {
    int retries = 0;
    if (e.retry_counters.is_array()) {
        for (const auto& c : e.retry_counters) {
            retries += c.get<int>();
        }
    }
    return json{{"Execution", {{"Id", e.id}, {"Name", e.id}, {"Input", e.input}, {"StartTime", format_iso8601(e.created_at)}}},
                {"StateMachine", {{"Id", machine_name}, {"Name", machine_name}}},
                {"State", {{"Name", e.state_name}, {"EnteredTime", format_iso8601(e.state_entered_at)}, {"RetryCount", retries}}}};
}

Step start_execution(const StateMachine& m, const std::string& machine_name, const std::string& id, const json& input,
                     WallTime now) {
    const State& first = m.state(m.start_at);
    Step s;
    s.next.id = id;
    s.next.machine_name = machine_name;
    s.next.machine_hash = m.hash;
    s.next.status = ExecutionStatus::running;
    s.next.state_name = first.name;
    s.next.phase = kPhaseEntered;
    s.next.state_input = input;
    s.next.state_entered_at = now;
    s.next.retry_counters = zero_counters(first);
    s.next.input = input;
    s.events.push_back(event("ExecutionStarted", "", json{{"input", input}, {"stateMachine", machine_name}}));
    s.events.push_back(event(state_event(first, "StateEntered"), first.name, json{{"name", first.name}, {"input", input}}));
    return s;
}

Step advance(const StateMachine& m, const store::Execution& e, const json& ctx, WallTime now, std::uint64_t jitter_seed) {
    const State& st = m.state(e.state_name);
    try {
        return advance_state(m, e, st, ctx, now);
    } catch (const TaskError& te) {
        if (st.type == StateType::task) {
            return handle_failure(m, e, st, TaskOutcome{std::nullopt, te.error(), te.cause(), std::nullopt}, now, jitter_seed);
        }
        return fail_execution(e, te.error(), te.cause());
    }
}

Step complete_task(const StateMachine& m, const store::Execution& e, const TaskOutcome& out, const json& ctx, WallTime now,
                   std::uint64_t jitter_seed) {
    const State& st = m.state(e.state_name);
    if (!out.result) {
        return handle_failure(m, e, st, out, now, jitter_seed);
    }
    try {
        const json selected = st.result_selector ? apply_template(*st.result_selector, *out.result, ctx) : *out.result;
        json output = apply_output_path(st.output_path, apply_result_path(st.result_path, e.state_input, selected), ctx);
        Step s{e, {}, std::nullopt, {}};
        s.events.push_back(event("TaskSucceeded", st.name, json{{"resource", st.resource}, {"output", *out.result}}));
        transition(s, m, st, st.end ? std::string{} : st.next, std::move(output), now);
        return s;
    } catch (const TaskError& te) {
        return handle_failure(m, e, st, TaskOutcome{std::nullopt, te.error(), te.cause(), std::nullopt}, now, jitter_seed);
    }
}

Step abort_execution(const store::Execution& e) {
    Step s{e, {}, std::nullopt, {}};
    s.events.push_back(event("ExecutionAborted", "", json{{"cause", "cancelled by request"}}));
    s.next.error = "States.Cancelled";
    s.next.cause = "cancelled by request";
    finish(s, ExecutionStatus::cancelled);
    return s;
}

Step time_out_execution(const store::Execution& e) {
    Step s{e, {}, std::nullopt, {}};
    s.events.push_back(event("ExecutionTimedOut", "", json{{"error", "States.Timeout"}}));
    s.next.error = "States.Timeout";
    s.next.cause = "the execution ran longer than the state machine's TimeoutSeconds";
    finish(s, ExecutionStatus::failed);
    return s;
}

Step fail_execution(const store::Execution& e, const std::string& error, const std::string& cause) {
    Step s{e, {}, std::nullopt, {}};
    const std::string safe = redact(cause);
    s.events.push_back(event("ExecutionFailed", "", json{{"error", error}, {"cause", safe}}));
    s.next.error = error;
    s.next.cause = safe;
    finish(s, ExecutionStatus::failed);
    return s;
}

std::chrono::milliseconds retry_delay(const Retrier& r, int retries_so_far, std::uint64_t jitter_key) {
    double ms = r.interval_seconds * 1000.0 * std::pow(r.backoff_rate, retries_so_far);
    if (r.max_delay_seconds) {
        ms = std::min(ms, *r.max_delay_seconds * 1000.0);
    }
    ms = std::min(ms, 366.0 * 24 * 3600 * 1000); // Step Functions' own ceiling: one year
    if (r.full_jitter) {
        // FULL jitter: uniform in [0, delay] (AWS Architecture Blog, "Exponential Backoff And Jitter").
        std::mt19937_64 rng(jitter_key);
        ms = std::uniform_real_distribution<double>(0.0, ms)(rng);
    }
    return std::chrono::milliseconds{std::llround(ms)};
}

bool error_matches(const std::vector<std::string>& error_equals, const std::string& error) {
    for (const auto& name : error_equals) {
        if (name == error) {
            return true;
        }
        if (name == "States.ALL" && error != "States.Runtime") {
            return true;
        }
        if (name == "States.TaskFailed" && error != "States.Timeout" && error != "States.Runtime" &&
            !is_data_error(error)) {
            return true;
        }
    }
    return false;
}

} // namespace aurora::engine::detail
