#pragma once
//! The SQLite driver of the state store (the embedded default, design.md "Two ways to run").
//!
//! One connection per store instance, guarded by a mutex; several instances and processes may open the same
//! file (WAL mode, 30 s busy timeout, IMMEDIATE write transactions). Commits are durable
//! (synchronous=FULL): a kill -9 or power loss never loses a write that returned.

#include "store/state_store.hpp"

#include <memory>
#include <mutex>

namespace aurora::store::sqlite {

class Db;

class SqliteStore final : public StateStore {
public:
    //! Opens or creates the database file at `path` and its schema. Throws Error(store) naming the path
    //! when it cannot be opened, or when its schema version is newer than this build knows.
    SqliteStore(const std::string& path, Clock& clock);
    ~SqliteStore() override;

    bool create_execution(Execution& exec, std::vector<HistoryEvent>& events) override;
    std::optional<Execution> get_execution(const std::string& id) override;
    bool checkpoint(Execution& exec, std::vector<HistoryEvent>& events) override;
    std::vector<Execution> list_executions(std::optional<ExecutionStatus> status, int limit) override;
    std::vector<std::string> due_executions(int limit) override;
    std::optional<WallTime> next_due_time() override;
    bool acquire_execution_lease(const std::string& id, const std::string& owner, std::chrono::milliseconds ttl,
                                 const std::string& steal_from) override;
    bool release_execution_lease(const std::string& id, const std::string& owner) override;
    std::vector<HistoryEvent> history(const std::string& id, std::int64_t after_id, int limit) override;

    bool acquire_lock(const std::string& name, const std::string& owner, std::chrono::milliseconds ttl) override;
    bool renew_lock(const std::string& name, const std::string& owner, std::chrono::milliseconds ttl) override;
    bool release_lock(const std::string& name, const std::string& owner) override;
    std::optional<LockInfo> lock_holder(const std::string& name) override;

    void put_record(const std::string& table, const std::string& key, const nlohmann::json& value) override;
    bool insert_record(const std::string& table, const std::string& key, const nlohmann::json& value) override;
    std::optional<nlohmann::json> get_record(const std::string& table, const std::string& key) override;
    bool delete_record(const std::string& table, const std::string& key) override;
    std::vector<std::pair<std::string, nlohmann::json>> list_records(const std::string& table,
                                                                     const std::string& key_prefix) override;

    AuditRecord append_audit(const AuditEntry& entry) override;
    std::vector<AuditRecord> audit_records(const std::string& restore_id) override;
    AuditVerification verify_audit() override;

private:
    void append_events(const Execution& exec, std::vector<HistoryEvent>& events, std::int64_t now_ms);

    Clock& clock_;
    std::mutex mutex_;
    std::unique_ptr<Db> db_;
};

} // namespace aurora::store::sqlite
