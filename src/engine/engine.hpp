#pragma once
//! The embedded Step Functions engine: runs state machines (definition.hpp) durably on a StateStore.
//!
//! Durability model (docs/engine.md): after every transition the engine checkpoints the execution row and
//! the new history events in one atomic store write. Waits and retry delays are stored wake-up times, never
//! in-memory sleeps, so a process killed at any instant resumes where the last checkpoint left it. A Task
//! whose handler was running when the process died runs again on resume: handlers are invoked AT LEAST
//! ONCE and must be idempotent. One runner drives an execution at a time (a lease in the store); a lease
//! held by a dead process on this host is taken over at once, elsewhere when it expires.

#include "common/clock.hpp"
#include "engine/definition.hpp"
#include "engine/task_error.hpp"
#include "store/state_store.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

namespace aurora::engine {

using nlohmann::json;

//! What a handler knows about the invocation.
struct TaskContext {
    std::string execution_id;
    std::string state_name;
    std::string resource;
    int attempt = 1;              //!< 1, then +1 per Retry of this state visit (a crash re-run repeats it)
    const json& context_object;   //!< the $$ object: Execution.Id/Input/StartTime, State.Name/RetryCount, …
    Clock& clock;                 //!< for timestamps; handlers never sleep
};

//! A Task implementation: effective input in, result out. Never sleeps; "not ready yet" is a thrown error
//! (aurora::Error(not_ready) → "Aurora.NotReady") that the state's Retry turns into polling. Must be
//! idempotent (it may run more than once for one state visit). Errors: throw TaskError, aurora::Error, or
//! anything else (→ "States.TaskFailed").
using TaskHandler = std::function<json(const json& input, TaskContext& context)>;

//! Maps a Task's Resource string to its handler.
class TaskRegistry {
public:
    //! Registers (or replaces) the handler of `resource`.
    void add(std::string resource, TaskHandler handler);
    //! The handler of `resource`, or nullptr.
    const TaskHandler* find(const std::string& resource) const;

private:
    std::map<std::string, TaskHandler, std::less<>> handlers_;
};

//! Live progress (a CLI's progress display, logs). Called from runner threads after each checkpoint is
//! committed, so it must be thread-safe and quick; it must not call back into the engine.
class ExecutionObserver {
public:
    virtual ~ExecutionObserver() = default;
    //! The events one checkpoint appended (state entered/exited, task scheduled/failed with retry, …) and
    //! the execution row as written.
    virtual void on_events(const store::Execution& execution, const std::vector<store::HistoryEvent>& events) = 0;
    //! The execution is parked until `until` (`reason`: "wait" for a Wait state, "retry" for a retry delay).
    virtual void on_sleep(const store::Execution& execution, Clock::WallTime until, std::string_view reason);
};

struct EngineOptions {
    std::string owner;                          //!< lease owner id; default "host:pid:random"
    std::chrono::milliseconds lease_ttl{std::chrono::minutes{5}}; //!< a handler must finish within it
    int workers = 4;                            //!< executions driven in parallel by run_due()
    std::chrono::milliseconds max_idle_sleep{1000}; //!< run(): how long to sleep at most between store polls
    std::uint64_t jitter_seed = 0;              //!< mixed into the deterministic FULL-jitter draw
    int max_transitions_per_drive = 1000;       //!< a drive() yields after this many checkpoints
};

//! How far one drive() got.
enum class DriveOutcome {
    finished, //!< the execution is terminal
    waiting,  //!< parked until its wake-up time
    busy,     //!< another runner holds its lease
    yielded   //!< hit max_transitions_per_drive; still due
};

//! What one run_due() pass did.
struct RunStats {
    int driven = 0;
    std::vector<std::pair<std::string, std::string>> errors; //!< execution id → message (left leased, parked)
};

class Engine {
public:
    Engine(store::StateStore& store, Clock& clock, TaskRegistry tasks, EngineOptions options = {});

    //! Makes `machine` runnable under `name`. Throws aurora::Error(config) when a Task's Resource has no
    //! registered handler. Re-adding a name replaces it (executions keep checking the definition hash).
    //! Call it before driving executions: it must not race with drive()/run_due().
    void add_machine(const std::string& name, StateMachine machine);

    //! Starts execution `execution_id` of machine `name` with `input` (checkpointed: ExecutionStarted and the
    //! first state's entry). Idempotent: an existing execution with the same machine and input is returned
    //! unchanged; one with different ones throws Error(already_exists). Unknown machine: Error(not_found).
    store::Execution start(const std::string& name, const std::string& execution_id, const json& input);

    //! Requests cancellation: a running execution becomes `cancelling` and is stopped (ExecutionAborted,
    //! status cancelled) by its runner at the next state boundary; a Task handler in flight finishes but its
    //! result is dropped. Idempotent; a terminal execution is returned unchanged. Missing: Error(not_found).
    store::Execution cancel(const std::string& execution_id);

    //! Drives one execution as far as it can go now (until it finishes, waits for a timer, or yields).
    //! `takeover`: take the lease even from a live holder (an explicit `resume`). Missing:
    //! Error(not_found); an execution of an unknown machine or changed definition: Error(invalid_state).
    DriveOutcome drive(const std::string& execution_id, bool takeover = false);

    //! Drives every due execution once, up to `workers` in parallel. Never throws for one execution's
    //! failure to run; it is reported in RunStats and left leased (parked) for lease_ttl.
    RunStats run_due();

    //! Drives every active execution to the end, sleeping on the clock until the next due time between
    //! passes (a FakeClock jumps). Throws the first RunStats error as Error(invalid_state).
    void run_until_idle();

    //! Drives one execution to the end (the CLI's foreground mode), sleeping on the clock while it waits.
    store::Execution run_to_completion(const std::string& execution_id, bool takeover = false);

    //! The runner loop of a long-lived process: run_due(), then sleep until the next due time (at most
    //! max_idle_sleep, so executions started by other processes are noticed), until `stop` is requested.
    void run(std::stop_token stop);

    //! Frees the leases of active executions held by runners on this host whose process is gone (a
    //! kill -9), so they are due at once instead of when the lease expires. Returns how many were freed.
    //! Idempotent. run_until_idle() and run() call it themselves.
    int recover_dead_leases();

    //! Sets the observer (nullptr for none). Not owned; must outlive the engine's use.
    void set_observer(ExecutionObserver* observer);

    const std::string& owner() const { return options_.owner; }

private:
    struct Machine {
        std::string name;
        StateMachine machine;
    };
    const Machine* find_machine(const store::Execution& execution) const;
    std::string dead_local_owner(const std::string& owner) const;
    bool step_once(store::Execution& execution, const Machine& machine);
    void notify(const store::Execution& execution, const std::vector<store::HistoryEvent>& events,
                const std::optional<Clock::WallTime>& sleep_until, const std::string& sleep_reason);

    store::StateStore& store_;
    Clock& clock_;
    TaskRegistry tasks_;
    EngineOptions options_;
    mutable std::mutex mutex_; // guards machines_ and observer_
    std::map<std::string, Machine, std::less<>> machines_;
    ExecutionObserver* observer_ = nullptr;
};

} // namespace aurora::engine
