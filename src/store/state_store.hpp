#pragma once
//! The state store: durable state of the embedded engine (executions and their history), named locks,
//! key/value records for the upper layers, and the hash-chained audit log (design.md, "Layers"; issue #4).
//!
//! One interface, several drivers (SQLite here; DynamoDB later). Every driver passes the contract suite in
//! tests/store/store_contract.cpp, which is the executable form of the comments below.
//!
//! Conventions for every method:
//!  - Times come from the Clock the driver was built with; a driver never reads the system clock itself.
//!  - A missing object is a value (nullopt / false), never an exception, unless the comment says otherwise.
//!  - Storage failures (I/O, corruption, a lock held longer than the busy timeout) throw
//!    aurora::Error(ErrorCode::store).
//!  - Every method is thread-safe, and several store instances (in one or several processes) may share one
//!    database: each method is atomic on its own.

#include "common/clock.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aurora::store {

using WallTime = Clock::WallTime;

//! Lifecycle of an execution. `cancelling` means a cancel was requested and the runner has not yet stopped
//! the execution at a state boundary; succeeded, failed and cancelled are terminal.
enum class ExecutionStatus { running, succeeded, failed, cancelled, cancelling };

//! "running", "succeeded", ...
std::string_view to_string(ExecutionStatus status);
//! The inverse of to_string; throws aurora::Error(store) on unknown text (a corrupt row).
ExecutionStatus execution_status_from_string(std::string_view text);
//! True for succeeded, failed and cancelled.
bool is_terminal(ExecutionStatus status);

//! One execution of a state machine, as the engine checkpoints it after every transition.
struct Execution {
    std::string id;
    std::string machine_name;
    std::string machine_hash; //!< SHA-256 of the definition, so resume refuses a changed machine
    ExecutionStatus status = ExecutionStatus::running;
    std::string state_name;                       //!< the current state (empty once terminal)
    std::string phase;                            //!< the engine's position inside the state ("entered", ...)
    nlohmann::json state_input;                   //!< the raw input of the current state
    WallTime state_entered_at{};                  //!< for $$.State.EnteredTime
    nlohmann::json retry_counters = nlohmann::json::array(); //!< attempts used per Retry rule of this state
    std::optional<WallTime> wake_at;              //!< not to be run before this instant (Wait, retry delay)
    nlohmann::json input;                         //!< the execution's input
    nlohmann::json output;                        //!< the execution's output once succeeded, else null
    std::string error;                            //!< error name once failed (e.g. "Aurora.NotReady")
    std::string cause;                            //!< human-readable cause once failed
    WallTime created_at{};
    WallTime updated_at{};
    std::string lease_owner;                      //!< who runs it now; empty when nobody does
    std::optional<WallTime> lease_expires_at;
    std::int64_t version = 0;                     //!< optimistic-concurrency counter, bumped by every write
    std::int64_t last_event_id = 0;               //!< id of the newest history event
};

//! One entry of an execution's history (like Step Functions' GetExecutionHistory).
struct HistoryEvent {
    std::int64_t id = 0;          //!< 1, 2, 3, … per execution; assigned by the store
    std::int64_t previous_id = 0; //!< the event before it (0 for the first); assigned by the store
    std::string type;             //!< "ExecutionStarted", "TaskStateEntered", "TaskFailed", …
    WallTime timestamp{};         //!< assigned by the store from its clock
    std::string state_name;       //!< empty for execution-level events
    nlohmann::json details = nlohmann::json::object();
};

//! The holder of a named lock.
struct LockInfo {
    std::string name;
    std::string owner;
    WallTime expires_at{};
};

//! What the caller supplies for one audit record.
struct AuditEntry {
    std::string restore_id;
    std::string actor;      //!< who acted: "user=alice sts=arn:aws:sts::…:assumed-role/…"
    std::string event_type; //!< "restore.started", "aws.call", "step.succeeded", …
    nlohmann::json details = nlohmann::json::object();
};

//! One stored audit record.
struct AuditRecord {
    std::int64_t seq = 0; //!< 1, 2, 3, … over the whole log
    WallTime timestamp{};
    std::string restore_id;
    std::string actor;
    std::string event_type;
    std::string details; //!< the redacted details, as canonical JSON text (hashed verbatim)
    std::string prev_hash; //!< hash of record seq-1 (64 zeros for the first)
    std::string hash;      //!< audit_record_hash() of this record
};

//! Result of verifying the audit chain.
struct AuditVerification {
    bool ok = true;
    std::int64_t records = 0;                   //!< records examined
    std::optional<std::int64_t> first_bad_seq;  //!< the first record that fails, when !ok
    std::string reason;                         //!< lowercase, names what is wrong, when !ok
};

//! The state store interface. See the file comment for the conventions every method follows.
class StateStore {
public:
    virtual ~StateStore() = default;

    // ---- executions -------------------------------------------------------------------------------------

    //! Creates `exec` (with version 1 and timestamps from the clock) and appends `events` in one atomic
    //! step. Returns true when created; false when an execution with this id already exists, in which case
    //! nothing is written (the caller compares with get_execution() to make its start idempotent). On
    //! success `exec` and `events` hold the stored values (version, ids, timestamps).
    virtual bool create_execution(Execution& exec, std::vector<HistoryEvent>& events) = 0;

    //! The execution `id`, or nullopt when there is none.
    virtual std::optional<Execution> get_execution(const std::string& id) = 0;

    //! The checkpoint (the transaction primitive of the engine): atomically replaces the stored row of
    //! exec.id with `exec` and appends `events`, but only when the stored version still equals
    //! exec.version (nobody wrote since the caller read it). The lease columns are left as stored. Returns
    //! true when written — then exec.version, exec.updated_at, exec.last_event_id and each event's id,
    //! previous_id and timestamp are updated in place; false on a version conflict (nothing written).
    //! Throws aurora::Error(not_found) when the execution does not exist.
    virtual bool checkpoint(Execution& exec, std::vector<HistoryEvent>& events) = 0;

    //! Executions, newest first; only those with `status` when given; at most `limit`.
    virtual std::vector<Execution> list_executions(std::optional<ExecutionStatus> status, int limit) = 0;

    //! Ids of executions that are running or cancelling, due (no wake_at or wake_at <= now) and not leased
    //! by anyone (no lease, or an expired one), soonest first, at most `limit`.
    virtual std::vector<std::string> due_executions(int limit) = 0;

    //! The earliest instant at which some running or cancelling execution becomes due (its wake_at, or the
    //! expiry of a lease someone holds on it, whichever is later); nullopt when no execution is active.
    virtual std::optional<WallTime> next_due_time() = 0;

    //! Takes the lease on execution `id` for `owner` until now + ttl when it is free, expired, already
    //! owner's (then it is extended), or held by `steal_from` when that is non-empty (a takeover from a
    //! runner known to be dead). Returns false when someone else holds it, or the execution is missing.
    //! Does not change the execution's version.
    virtual bool acquire_execution_lease(const std::string& id, const std::string& owner,
                                         std::chrono::milliseconds ttl, const std::string& steal_from) = 0;

    //! Gives the lease on `id` up when `owner` holds it. Idempotent; false when owner did not hold it or
    //! the execution is missing.
    virtual bool release_execution_lease(const std::string& id, const std::string& owner) = 0;

    //! History of execution `id`, oldest first, starting after event `after_id`, at most `limit` events.
    //! Empty when the execution is missing.
    virtual std::vector<HistoryEvent> history(const std::string& id, std::int64_t after_id, int limit) = 0;

    // ---- named locks ------------------------------------------------------------------------------------

    //! Takes lock `name` for `owner` until now + ttl when it is free, expired or already owner's (then the
    //! expiry is extended). Returns whether owner holds it afterwards.
    virtual bool acquire_lock(const std::string& name, const std::string& owner, std::chrono::milliseconds ttl) = 0;
    //! Extends owner's lock to now + ttl; false when owner does not hold it (or it expired and was taken).
    virtual bool renew_lock(const std::string& name, const std::string& owner, std::chrono::milliseconds ttl) = 0;
    //! Releases owner's lock. Idempotent: false when owner did not hold it (missing, or another owner's).
    virtual bool release_lock(const std::string& name, const std::string& owner) = 0;
    //! The current, unexpired holder of `name`, or nullopt.
    virtual std::optional<LockInfo> lock_holder(const std::string& name) = 0;

    // ---- key/value records ------------------------------------------------------------------------------

    //! Writes record (table, key) = value, replacing any previous value. Idempotent.
    virtual void put_record(const std::string& table, const std::string& key, const nlohmann::json& value) = 0;
    //! Writes the record only when (table, key) does not exist; returns whether it was written.
    virtual bool insert_record(const std::string& table, const std::string& key, const nlohmann::json& value) = 0;
    //! The record, or nullopt when missing.
    virtual std::optional<nlohmann::json> get_record(const std::string& table, const std::string& key) = 0;
    //! Deletes the record. Idempotent: false when it was missing.
    virtual bool delete_record(const std::string& table, const std::string& key) = 0;
    //! Keys and values of `table` whose key starts with `key_prefix`, in key order.
    virtual std::vector<std::pair<std::string, nlohmann::json>> list_records(const std::string& table,
                                                                             const std::string& key_prefix) = 0;

    // ---- audit log --------------------------------------------------------------------------------------

    //! Appends one record at the end of the chain: the details are redacted (redact_json), the record gets
    //! the next sequence number, the clock's time, the previous record's hash and its own hash. Atomic with
    //! respect to other appenders (even in other processes). Not idempotent: each call adds a record.
    virtual AuditRecord append_audit(const AuditEntry& entry) = 0;
    //! Records of `restore_id` (all records when empty), in sequence order.
    virtual std::vector<AuditRecord> audit_records(const std::string& restore_id) = 0;
    //! Checks the whole chain: contiguous sequence numbers from 1, each prev_hash equal to the previous
    //! record's hash, each hash recomputed, and the last record equal to the stored head (so removing the
    //! newest records is detected too). Reports the first bad sequence number.
    virtual AuditVerification verify_audit() = 0;
};

//! SHA-256 (lowercase hex) of the canonical serialization of `record`: the JSON array
//! [seq, timestamp in ms since the epoch, restore_id, actor, event_type, details text, prev_hash], dumped
//! compactly. Every driver uses this, so chains are comparable across drivers.
std::string audit_record_hash(const AuditRecord& record);

//! The prev_hash of the first record: 64 zeros.
inline const std::string kAuditGenesisHash(64, '0');

//! `details` with every field whose key is sensitive (is_sensitive_key) masked whole and every registered
//! secret masked inside strings (aurora::redact), dumped as canonical (key-sorted, compact) JSON text.
std::string redact_json(const nlohmann::json& details);

//! Verifies `records` (in sequence order) against the chain rules; `head_seq`/`head_hash` are the stored
//! head (0 and empty when the driver keeps none). The shared core of every driver's verify_audit().
AuditVerification verify_audit_chain(const std::vector<AuditRecord>& records, std::int64_t head_seq,
                                     const std::string& head_hash);

//! Milliseconds since the epoch, the storage form of every timestamp.
std::int64_t to_millis(WallTime t);
//! The inverse of to_millis.
WallTime from_millis(std::int64_t ms);

} // namespace aurora::store
