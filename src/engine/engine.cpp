#include "engine/engine.hpp"

#include "common/error.hpp"
#include "common/log.hpp"
#include "common/redact.hpp"
#include "engine/io_processing.hpp"
#include "engine/step.hpp"

#include <csignal>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <random>
#include <thread>

namespace aurora::engine {
namespace {

using store::Execution;
using store::ExecutionStatus;

std::string default_owner() {
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0) {
        host[0] = '\0';
    }
    std::random_device rd;
    return std::string(host) + ":" + std::to_string(getpid()) + ":" + std::to_string(rd());
}

std::string host_name() {
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0) {
        return {};
    }
    return host;
}

Error not_found(const std::string& id) {
    return Error(ErrorCode::not_found, "execution '" + id + "' not found", "list executions with `aurora-restore list`");
}

std::optional<std::chrono::milliseconds> retry_after_of(const Error& e) {
    for (const auto& [key, value] : e.fields()) {
        try {
            if (key == "retry_after_ms") {
                return std::chrono::milliseconds{std::stoll(value)};
            }
            if (key == "retry_after_seconds") {
                return std::chrono::milliseconds{std::llround(std::stod(value) * 1000)};
            }
        } catch (const std::exception&) {
            return std::nullopt;
        }
    }
    return std::nullopt;
}

// Calls the handler and folds every way it can end into a TaskOutcome.
detail::TaskOutcome invoke(const TaskHandler& handler, const State& st, const Execution& e, const json& ctx,
                           Clock& clock) {
    detail::TaskOutcome out;
    try {
        const json input = effective_input(st, e.state_input, ctx);
        int attempt = 1;
        for (const auto& c : e.retry_counters) {
            attempt += c.get<int>();
        }
        TaskContext tc{e.id, st.name, st.resource, attempt, ctx, clock};
        const auto started = clock.steady_now();
        json result = handler(input, tc);
        if (st.timeout_seconds &&
            clock.steady_now() - started > std::chrono::milliseconds{std::llround(*st.timeout_seconds * 1000)}) {
            // Handlers are synchronous and cannot be preempted; an overrun is judged when it returns.
            out.error = "States.Timeout";
            out.cause = "task ran longer than its TimeoutSeconds";
            return out;
        }
        out.result = std::move(result);
    } catch (const TaskError& te) {
        out.error = te.error();
        out.cause = te.cause();
        out.retry_after = te.retry_after();
    } catch (const Error& err) {
        out.error = std::string(err.info().sfn_type);
        out.cause = err.display();
        out.retry_after = retry_after_of(err);
    } catch (const std::exception& ex) {
        out.error = "States.TaskFailed";
        out.cause = ex.what();
    } catch (...) {
        out.error = "States.TaskFailed";
        out.cause = "the handler threw a non-standard exception";
    }
    return out;
}

// History is shown to users (`aurora-restore history`): mask secrets in it as in logs and audit records.
void redact_events(std::vector<store::HistoryEvent>& events) {
    for (auto& ev : events) {
        ev.details = json::parse(store::redact_json(ev.details));
    }
}

// Releases the execution lease on scope exit unless parked.
class LeaseGuard {
public:
    LeaseGuard(store::StateStore& store, std::string id, std::string owner)
        : store_(store), id_(std::move(id)), owner_(std::move(owner)) {}
    LeaseGuard(const LeaseGuard&) = delete;
    LeaseGuard& operator=(const LeaseGuard&) = delete;
    ~LeaseGuard() {
        if (park_) {
            return;
        }
        try {
            store_.release_execution_lease(id_, owner_);
        } catch (const std::exception& e) {
            log::warn("engine.lease_release_failed", {{"execution", id_}, {"error", e.what()}});
        }
    }
    void park() { park_ = true; }

private:
    store::StateStore& store_;
    std::string id_;
    std::string owner_;
    bool park_ = false;
};

} // namespace

void ExecutionObserver::on_sleep(const store::Execution&, Clock::WallTime, std::string_view) {}

void TaskRegistry::add(std::string resource, TaskHandler handler) { handlers_[std::move(resource)] = std::move(handler); }

const TaskHandler* TaskRegistry::find(const std::string& resource) const {
    const auto it = handlers_.find(resource);
    return it == handlers_.end() ? nullptr : &it->second;
}

Engine::Engine(store::StateStore& store, Clock& clock, TaskRegistry tasks, EngineOptions options)
    : store_(store), clock_(clock), tasks_(std::move(tasks)), options_(std::move(options)) {
    if (options_.owner.empty()) {
        options_.owner = default_owner();
    }
    options_.workers = std::max(1, options_.workers);
}

void Engine::add_machine(const std::string& name, StateMachine machine) {
    for (const auto& [state_name, st] : machine.states) {
        if (st.type == StateType::task && tasks_.find(st.resource) == nullptr) {
            throw Error(ErrorCode::config,
                        "state machine '" + name + "': state '" + state_name + "' uses resource '" + st.resource +
                            "', which has no handler",
                        "register a handler for it in the TaskRegistry");
        }
    }
    std::lock_guard lock(mutex_);
    machines_[name] = Machine{name, std::move(machine)};
}

void Engine::set_observer(ExecutionObserver* observer) {
    std::lock_guard lock(mutex_);
    observer_ = observer;
}

const Engine::Machine* Engine::find_machine(const Execution& e) const {
    std::lock_guard lock(mutex_);
    const auto it = machines_.find(e.machine_name);
    if (it == machines_.end()) {
        return nullptr;
    }
    return it->second.machine.hash == e.machine_hash ? &it->second : nullptr;
}

store::Execution Engine::start(const std::string& name, const std::string& execution_id, const json& input) {
    const Machine* m = nullptr;
    {
        std::lock_guard lock(mutex_);
        const auto it = machines_.find(name);
        if (it == machines_.end()) {
            throw Error(ErrorCode::not_found, "state machine '" + name + "' is not registered");
        }
        m = &it->second;
    }
    detail::Step s = detail::start_execution(m->machine, name, execution_id, input, clock_.now());
    redact_events(s.events);
    if (!store_.create_execution(s.next, s.events)) {
        auto existing = store_.get_execution(execution_id);
        if (existing && existing->machine_name == name && existing->input == input) {
            return *existing;
        }
        throw Error(ErrorCode::already_exists,
                    "execution '" + execution_id + "' already exists with a different machine or input",
                    "choose another execution id");
    }
    notify(s.next, s.events, std::nullopt, {});
    return s.next;
}

store::Execution Engine::cancel(const std::string& execution_id) {
    for (;;) {
        auto e = store_.get_execution(execution_id);
        if (!e) {
            throw not_found(execution_id);
        }
        if (store::is_terminal(e->status) || e->status == ExecutionStatus::cancelling) {
            return *e;
        }
        e->status = ExecutionStatus::cancelling;
        e->wake_at.reset(); // due now, so a waiting execution is stopped without waiting out its timer
        std::vector<store::HistoryEvent> none;
        if (store_.checkpoint(*e, none)) {
            return *e;
        }
    }
}

std::string Engine::dead_local_owner(const std::string& owner) const {
    // owner = "host:pid:nonce"; a holder on this host whose process is gone cannot renew, so take over now
    // instead of waiting out the lease (the `kill -9` then `resume` case).
    const auto first = owner.find(':');
    const auto second = owner.find(':', first == std::string::npos ? first : first + 1);
    if (first == std::string::npos || second == std::string::npos || owner.substr(0, first) != host_name()) {
        return {};
    }
    try {
        const pid_t pid = static_cast<pid_t>(std::stol(owner.substr(first + 1, second - first - 1)));
        if (pid > 0 && pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH) {
            return owner;
        }
    } catch (const std::exception&) {
    }
    return {};
}

void Engine::notify(const Execution& e, const std::vector<store::HistoryEvent>& events,
                    const std::optional<Clock::WallTime>& sleep_until, const std::string& sleep_reason) {
    ExecutionObserver* obs = nullptr;
    {
        std::lock_guard lock(mutex_);
        obs = observer_;
    }
    if (obs == nullptr) {
        return;
    }
    if (!events.empty()) {
        obs->on_events(e, events);
    }
    if (sleep_until) {
        obs->on_sleep(e, *sleep_until, sleep_reason);
    }
}

bool Engine::step_once(Execution& e, const Machine& m) {
    const auto now = clock_.now();
    const json ctx = detail::context_object(e, m.name);
    detail::Step s;
    if (e.status == ExecutionStatus::cancelling) {
        s = detail::abort_execution(e);
    } else if (m.machine.timeout_seconds &&
               now >= e.created_at + std::chrono::milliseconds{std::llround(*m.machine.timeout_seconds * 1000)}) {
        s = detail::time_out_execution(e);
    } else if (e.phase == detail::kPhaseRunning && m.machine.state(e.state_name).type == StateType::task) {
        const State& st = m.machine.state(e.state_name);
        // Extend the lease before a call of unknown length, so no other runner takes the execution over.
        if (!store_.acquire_execution_lease(e.id, options_.owner, options_.lease_ttl, "")) {
            return false;
        }
        const detail::TaskOutcome outcome = invoke(*tasks_.find(st.resource), st, e, ctx, clock_);
        s = detail::complete_task(m.machine, e, outcome, ctx, clock_.now(), options_.jitter_seed);
    } else {
        s = detail::advance(m.machine, e, ctx, now, options_.jitter_seed);
    }
    if (m.machine.timeout_seconds && s.next.wake_at) {
        // Never sleep past the execution's deadline: wake up in time to end it with States.Timeout.
        const auto deadline = e.created_at + std::chrono::milliseconds{std::llround(*m.machine.timeout_seconds * 1000)};
        if (*s.next.wake_at > deadline) {
            s.next.wake_at = deadline;
            s.sleep_until = deadline;
        }
    }
    redact_events(s.events);
    if (!store_.checkpoint(s.next, s.events)) {
        return false; // someone wrote first (a cancel); the caller reloads
    }
    e = s.next;
    notify(s.next, s.events, s.sleep_until, s.sleep_reason);
    return true;
}

DriveOutcome Engine::drive(const std::string& execution_id, bool takeover) {
    auto e = store_.get_execution(execution_id);
    if (!e) {
        throw not_found(execution_id);
    }
    if (store::is_terminal(e->status)) {
        return DriveOutcome::finished;
    }
    const std::string steal = takeover ? e->lease_owner : dead_local_owner(e->lease_owner);
    if (!store_.acquire_execution_lease(execution_id, options_.owner, options_.lease_ttl, steal)) {
        return DriveOutcome::busy;
    }
    LeaseGuard guard(store_, execution_id, options_.owner);
    for (int n = 0; n < options_.max_transitions_per_drive; ++n) {
        e = store_.get_execution(execution_id);
        if (!e) {
            throw not_found(execution_id);
        }
        if (store::is_terminal(e->status)) {
            return DriveOutcome::finished;
        }
        if (e->lease_owner != options_.owner) {
            return DriveOutcome::busy; // taken over while we were busy (our lease expired)
        }
        const Machine* m = find_machine(*e);
        if (m == nullptr) {
            guard.park();
            throw Error(ErrorCode::invalid_state,
                        "execution '" + execution_id + "' belongs to state machine '" + e->machine_name +
                            "', which is not registered with this definition (hash " + e->machine_hash.substr(0, 12) + ")",
                        "resume it with the definition it was started with");
        }
        if (e->status != ExecutionStatus::cancelling && e->wake_at && *e->wake_at > clock_.now()) {
            return DriveOutcome::waiting;
        }
        step_once(*e, *m);
    }
    return DriveOutcome::yielded;
}

RunStats Engine::run_due() {
    RunStats stats;
    const auto ids = store_.due_executions(options_.workers * 8);
    if (ids.empty()) {
        return stats;
    }
    std::mutex stats_mutex;
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        for (std::size_t i = next++; i < ids.size(); i = next++) {
            try {
                const auto outcome = drive(ids[i]);
                std::lock_guard lock(stats_mutex);
                stats.driven += outcome == DriveOutcome::busy ? 0 : 1;
            } catch (const std::exception& ex) {
                log::error("engine.drive_failed", {{"execution", ids[i]}, {"error", ex.what()}});
                std::lock_guard lock(stats_mutex);
                stats.errors.emplace_back(ids[i], ex.what());
            }
        }
    };
    const std::size_t n = std::min<std::size_t>(ids.size(), static_cast<std::size_t>(options_.workers));
    if (n == 1) {
        worker();
        return stats;
    }
    std::vector<std::jthread> threads;
    for (std::size_t t = 0; t < n; ++t) {
        threads.emplace_back(worker);
    }
    threads.clear(); // joins
    return stats;
}

int Engine::recover_dead_leases() {
    int freed = 0;
    for (const auto status : {ExecutionStatus::running, ExecutionStatus::cancelling}) {
        for (const auto& e : store_.list_executions(status, 100000)) {
            const std::string dead = e.lease_owner.empty() ? std::string{} : dead_local_owner(e.lease_owner);
            if (dead.empty() || !store_.acquire_execution_lease(e.id, options_.owner, options_.lease_ttl, dead)) {
                continue;
            }
            store_.release_execution_lease(e.id, options_.owner);
            log::info("engine.lease_recovered", {{"execution", e.id}, {"dead_owner", dead}});
            ++freed;
        }
    }
    return freed;
}

void Engine::run_until_idle() {
    recover_dead_leases();
    for (;;) {
        const RunStats stats = run_due();
        if (!stats.errors.empty()) {
            throw Error(ErrorCode::invalid_state, "cannot run execution '" + stats.errors.front().first +
                                                      "': " + stats.errors.front().second);
        }
        const auto due = store_.next_due_time();
        if (!due) {
            return;
        }
        const auto now = clock_.now();
        if (*due > now) {
            clock_.sleep_for(std::chrono::ceil<std::chrono::milliseconds>(*due - now));
        }
    }
}

store::Execution Engine::run_to_completion(const std::string& execution_id, bool takeover) {
    for (;;) {
        const auto outcome = drive(execution_id, takeover);
        takeover = false;
        const auto e = store_.get_execution(execution_id);
        if (!e) {
            throw not_found(execution_id);
        }
        if (outcome == DriveOutcome::finished || store::is_terminal(e->status)) {
            return *e;
        }
        const auto now = clock_.now();
        std::optional<Clock::WallTime> until;
        if (outcome == DriveOutcome::waiting) {
            until = e->wake_at;
        } else if (outcome == DriveOutcome::busy) {
            until = e->lease_expires_at ? std::min(*e->lease_expires_at, now + options_.max_idle_sleep)
                                        : now + options_.max_idle_sleep;
        }
        if (until && *until > now) {
            clock_.sleep_for(std::chrono::ceil<std::chrono::milliseconds>(*until - now));
        }
    }
}

void Engine::run(std::stop_token stop) {
    auto last_recovery = clock_.now();
    recover_dead_leases();
    while (!stop.stop_requested()) {
        const RunStats stats = run_due();
        const auto now = clock_.now();
        if (now - last_recovery >= std::chrono::seconds{30}) {
            recover_dead_leases();
            last_recovery = now;
        }
        auto sleep = options_.max_idle_sleep;
        if (const auto due = store_.next_due_time(); due) {
            sleep = std::min(sleep, std::chrono::ceil<std::chrono::milliseconds>(std::max(*due - now, Clock::WallTime::duration{0})));
        }
        if (stats.driven == 0) {
            // Nothing progressed (due executions were busy elsewhere): never spin.
            sleep = std::max(sleep, std::chrono::milliseconds{10});
        }
        if (sleep.count() > 0) {
            clock_.sleep_for(sleep);
        }
    }
}

} // namespace aurora::engine
