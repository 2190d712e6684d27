#pragma once
//! The pure part of the engine: given an execution row and its current state, compute the next row and the
//! history events of one transition. No store, no handlers, no clock reads (the time is a parameter), so
//! every rule of the state types is testable on its own and a re-run after a crash computes the same thing.

#include "engine/definition.hpp"
#include "store/state_store.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace aurora::engine::detail {

using WallTime = store::WallTime;

//! The phases of an execution inside its current state (Execution::phase).
inline constexpr const char* kPhaseEntered = "entered"; //!< entered, not yet processed (or retry pending)
inline constexpr const char* kPhaseRunning = "running"; //!< Task scheduled; its handler is (re)invoked next
inline constexpr const char* kPhaseWaiting = "waiting"; //!< Wait state parked until wake_at
inline constexpr const char* kPhaseDone = "done";       //!< terminal

//! One transition to checkpoint.
struct Step {
    store::Execution next;
    std::vector<store::HistoryEvent> events;
    std::optional<WallTime> sleep_until; //!< set when the step parks the execution
    std::string sleep_reason;            //!< "wait" or "retry"
};

//! What a Task handler produced.
struct TaskOutcome {
    std::optional<json> result; //!< set on success
    std::string error;
    std::string cause;
    std::optional<std::chrono::milliseconds> retry_after;
};

//! The $$ context object of `execution` in its current state.
json context_object(const store::Execution& execution, const std::string& machine_name);

//! A new execution row and its first events (ExecutionStarted, the StartAt state's entry).
Step start_execution(const StateMachine& machine, const std::string& machine_name, const std::string& id,
                     const json& input, WallTime now);

//! Processes the current state when no handler result is involved: Pass, Choice, Wait, Succeed, Fail, and
//! a Task's scheduling (phase entered → running).
Step advance(const StateMachine& machine, const store::Execution& execution, const json& context, WallTime now,
             std::uint64_t jitter_seed);

//! Applies a Task handler's outcome: ResultSelector/ResultPath/OutputPath and the transition on success;
//! Retry (a durable timer), Catch or execution failure on error.
Step complete_task(const StateMachine& machine, const store::Execution& execution, const TaskOutcome& outcome,
                   const json& context, WallTime now, std::uint64_t jitter_seed);

//! Ends the execution as cancelled (ExecutionAborted).
Step abort_execution(const store::Execution& execution);
//! Ends the execution as failed with States.Timeout (ExecutionTimedOut).
Step time_out_execution(const store::Execution& execution);
//! Ends the execution as failed with `error` / `cause` (ExecutionFailed).
Step fail_execution(const store::Execution& execution, const std::string& error, const std::string& cause);

//! The delay before retry number `retries_so_far + 1` under `retrier` (IntervalSeconds × BackoffRate^n,
//! capped by MaxDelaySeconds, FULL jitter drawn deterministically from `jitter_key`).
std::chrono::milliseconds retry_delay(const Retrier& retrier, int retries_so_far, std::uint64_t jitter_key);

//! Whether error name `error` matches the list (States.ALL matches all but States.Runtime; States.TaskFailed
//! all but States.Timeout and States.Runtime).
bool error_matches(const std::vector<std::string>& error_equals, const std::string& error);

} // namespace aurora::engine::detail
