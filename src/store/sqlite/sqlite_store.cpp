#include "store/sqlite/sqlite_store.hpp"

#include "common/error.hpp"
#include "common/redact.hpp"
#include "store/sqlite/sqlite_db.hpp"

namespace aurora::store::sqlite {
namespace {

constexpr int kSchemaVersion = 1;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS executions(
  id TEXT PRIMARY KEY, machine_name TEXT NOT NULL, machine_hash TEXT NOT NULL, status TEXT NOT NULL,
  state_name TEXT NOT NULL, phase TEXT NOT NULL, state_input TEXT NOT NULL, state_entered_at INTEGER NOT NULL,
  retry_counters TEXT NOT NULL, wake_at INTEGER, input TEXT NOT NULL, output TEXT NOT NULL,
  error TEXT NOT NULL, cause TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  lease_owner TEXT NOT NULL DEFAULT '', lease_expires_at INTEGER,
  version INTEGER NOT NULL, last_event_id INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS executions_active ON executions(status, wake_at);
CREATE INDEX IF NOT EXISTS executions_created ON executions(created_at);
CREATE TABLE IF NOT EXISTS history(
  execution_id TEXT NOT NULL, id INTEGER NOT NULL, previous_id INTEGER NOT NULL, type TEXT NOT NULL,
  ts INTEGER NOT NULL, state_name TEXT NOT NULL, details TEXT NOT NULL,
  PRIMARY KEY(execution_id, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS locks(name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS records(
  tbl TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, updated_at INTEGER NOT NULL,
  PRIMARY KEY(tbl, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS audit(
  seq INTEGER PRIMARY KEY, ts INTEGER NOT NULL, restore_id TEXT NOT NULL, actor TEXT NOT NULL,
  event_type TEXT NOT NULL, details TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS audit_restore ON audit(restore_id, seq);
CREATE TABLE IF NOT EXISTS audit_head(id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL);
)sql";

constexpr const char* kExecutionColumns =
    "id, machine_name, machine_hash, status, state_name, phase, state_input, state_entered_at, retry_counters, "
    "wake_at, input, output, error, cause, created_at, updated_at, lease_owner, lease_expires_at, version, "
    "last_event_id";

constexpr const char* kActive = "status IN ('running','cancelling')";

std::optional<std::int64_t> opt_millis(const std::optional<WallTime>& t) {
    return t ? std::optional<std::int64_t>(to_millis(*t)) : std::nullopt;
}

std::optional<WallTime> opt_time(const std::optional<std::int64_t>& ms) {
    return ms ? std::optional<WallTime>(from_millis(*ms)) : std::nullopt;
}

nlohmann::json parse_column(const Statement& s, int column) {
    try {
        return nlohmann::json::parse(s.text(column));
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorCode::store, std::string("corrupt json in the state store: ") + e.what());
    }
}

Execution read_execution(const Statement& s) {
    Execution e;
    e.id = s.text(0);
    e.machine_name = s.text(1);
    e.machine_hash = s.text(2);
    e.status = execution_status_from_string(s.text(3));
    e.state_name = s.text(4);
    e.phase = s.text(5);
    e.state_input = parse_column(s, 6);
    e.state_entered_at = from_millis(s.integer(7));
    e.retry_counters = parse_column(s, 8);
    e.wake_at = opt_time(s.optional_integer(9));
    e.input = parse_column(s, 10);
    e.output = parse_column(s, 11);
    e.error = s.text(12);
    e.cause = s.text(13);
    e.created_at = from_millis(s.integer(14));
    e.updated_at = from_millis(s.integer(15));
    e.lease_owner = s.text(16);
    e.lease_expires_at = opt_time(s.optional_integer(17));
    e.version = s.integer(18);
    e.last_event_id = s.integer(19);
    return e;
}

AuditRecord read_audit(const Statement& s) {
    AuditRecord r;
    r.seq = s.integer(0);
    r.timestamp = from_millis(s.integer(1));
    r.restore_id = s.text(2);
    r.actor = s.text(3);
    r.event_type = s.text(4);
    r.details = s.text(5);
    r.prev_hash = s.text(6);
    r.hash = s.text(7);
    return r;
}

} // namespace

SqliteStore::SqliteStore(const std::string& path, Clock& clock) : clock_(clock), db_(std::make_unique<Db>(path)) {
    Transaction tx(*db_);
    db_->exec(kSchema);
    auto get = db_->prepare("SELECT value FROM meta WHERE key='schema_version'");
    if (get.step()) {
        const int found = std::stoi(get.text(0));
        if (found > kSchemaVersion) {
            throw Error(ErrorCode::store,
                        "state database '" + path + "' has schema version " + std::to_string(found) +
                            ", newer than this build's " + std::to_string(kSchemaVersion),
                        "upgrade aurora-restore");
        }
    } else {
        db_->prepare("INSERT INTO meta(key, value) VALUES('schema_version', ?)")
            .bind(1, std::string_view(std::to_string(kSchemaVersion)))
            .run();
    }
    tx.commit();
}

SqliteStore::~SqliteStore() = default;

void SqliteStore::append_events(const Execution& exec, std::vector<HistoryEvent>& events, std::int64_t now_ms) {
    std::int64_t id = exec.last_event_id;
    auto insert = [&](HistoryEvent& ev) {
        ev.previous_id = id;
        ev.id = ++id;
        ev.timestamp = from_millis(now_ms);
        db_->prepare("INSERT INTO history(execution_id, id, previous_id, type, ts, state_name, details) "
                     "VALUES(?,?,?,?,?,?,?)")
            .bind(1, exec.id)
            .bind(2, ev.id)
            .bind(3, ev.previous_id)
            .bind(4, ev.type)
            .bind(5, now_ms)
            .bind(6, ev.state_name)
            .bind(7, ev.details.dump())
            .run();
    };
    for (auto& ev : events) {
        insert(ev);
    }
}

bool SqliteStore::create_execution(Execution& exec, std::vector<HistoryEvent>& events) {
    std::lock_guard lock(mutex_);
    const std::int64_t now = to_millis(clock_.now());
    Transaction tx(*db_);
    // ON CONFLICT DO NOTHING, not OR IGNORE: only a duplicate id may be skipped, never a NOT NULL violation.
    db_->prepare(std::string("INSERT INTO executions(") + kExecutionColumns +
                 ") VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'',NULL,1,?) ON CONFLICT(id) DO NOTHING")
        .bind(1, exec.id)
        .bind(2, exec.machine_name)
        .bind(3, exec.machine_hash)
        .bind(4, to_string(exec.status))
        .bind(5, exec.state_name)
        .bind(6, exec.phase)
        .bind(7, exec.state_input.dump())
        .bind(8, to_millis(exec.state_entered_at))
        .bind(9, exec.retry_counters.dump())
        .bind(10, opt_millis(exec.wake_at))
        .bind(11, exec.input.dump())
        .bind(12, exec.output.dump())
        .bind(13, exec.error)
        .bind(14, exec.cause)
        .bind(15, now)
        .bind(16, now)
        .bind(17, static_cast<std::int64_t>(events.size()))
        .run();
    if (db_->changes() == 0) {
        return false;
    }
    Execution stored = exec;
    stored.last_event_id = 0;
    append_events(stored, events, now);
    tx.commit();
    exec.version = 1;
    exec.created_at = exec.updated_at = from_millis(now);
    exec.lease_owner.clear();
    exec.lease_expires_at.reset();
    exec.last_event_id = static_cast<std::int64_t>(events.size());
    return true;
}

std::optional<Execution> SqliteStore::get_execution(const std::string& id) {
    std::lock_guard lock(mutex_);
    auto s = db_->prepare(std::string("SELECT ") + kExecutionColumns + " FROM executions WHERE id=?");
    s.bind(1, id);
    if (!s.step()) {
        return std::nullopt;
    }
    return read_execution(s);
}

bool SqliteStore::checkpoint(Execution& exec, std::vector<HistoryEvent>& events) {
    std::lock_guard lock(mutex_);
    const std::int64_t now = to_millis(clock_.now());
    Transaction tx(*db_);
    auto cur = db_->prepare("SELECT version, last_event_id FROM executions WHERE id=?");
    cur.bind(1, exec.id);
    if (!cur.step()) {
        throw Error(ErrorCode::not_found, "execution '" + exec.id + "' not found in the state store");
    }
    if (cur.integer(0) != exec.version) {
        return false;
    }
    const std::int64_t last_event_id = cur.integer(1);
    const auto new_last = last_event_id + static_cast<std::int64_t>(events.size());
    db_->prepare("UPDATE executions SET machine_name=?, machine_hash=?, status=?, state_name=?, phase=?, "
                 "state_input=?, state_entered_at=?, retry_counters=?, wake_at=?, input=?, output=?, error=?, "
                 "cause=?, updated_at=?, version=version+1, last_event_id=? WHERE id=?")
        .bind(1, exec.machine_name)
        .bind(2, exec.machine_hash)
        .bind(3, to_string(exec.status))
        .bind(4, exec.state_name)
        .bind(5, exec.phase)
        .bind(6, exec.state_input.dump())
        .bind(7, to_millis(exec.state_entered_at))
        .bind(8, exec.retry_counters.dump())
        .bind(9, opt_millis(exec.wake_at))
        .bind(10, exec.input.dump())
        .bind(11, exec.output.dump())
        .bind(12, exec.error)
        .bind(13, exec.cause)
        .bind(14, now)
        .bind(15, new_last)
        .bind(16, exec.id)
        .run();
    Execution at = exec;
    at.last_event_id = last_event_id;
    append_events(at, events, now);
    tx.commit();
    exec.version += 1;
    exec.updated_at = from_millis(now);
    exec.last_event_id = new_last;
    return true;
}

std::vector<Execution> SqliteStore::list_executions(std::optional<ExecutionStatus> status, int limit) {
    std::lock_guard lock(mutex_);
    std::vector<Execution> out;
    auto s = db_->prepare(std::string("SELECT ") + kExecutionColumns +
                          " FROM executions WHERE (?1 IS NULL OR status=?1) ORDER BY created_at DESC, id DESC "
                          "LIMIT ?2");
    if (status) {
        s.bind(1, to_string(*status));
    } else {
        s.bind_null(1);
    }
    s.bind(2, static_cast<std::int64_t>(limit));
    while (s.step()) {
        out.push_back(read_execution(s));
    }
    return out;
}

std::vector<std::string> SqliteStore::due_executions(int limit) {
    std::lock_guard lock(mutex_);
    const std::int64_t now = to_millis(clock_.now());
    std::vector<std::string> out;
    auto s = db_->prepare(std::string("SELECT id FROM executions WHERE ") + kActive +
                          " AND (wake_at IS NULL OR wake_at<=?1) AND (lease_owner='' OR lease_expires_at<=?1) "
                          "ORDER BY COALESCE(wake_at, 0), created_at, id LIMIT ?2");
    s.bind(1, now).bind(2, static_cast<std::int64_t>(limit));
    while (s.step()) {
        out.push_back(s.text(0));
    }
    return out;
}

std::optional<WallTime> SqliteStore::next_due_time() {
    std::lock_guard lock(mutex_);
    auto s = db_->prepare(std::string("SELECT MIN(MAX(COALESCE(wake_at, 0), CASE WHEN lease_owner='' THEN 0 "
                                      "ELSE COALESCE(lease_expires_at, 0) END)) FROM executions WHERE ") +
                          kActive);
    if (!s.step() || s.is_null(0)) {
        return std::nullopt;
    }
    return from_millis(s.integer(0));
}

bool SqliteStore::acquire_execution_lease(const std::string& id, const std::string& owner,
                                          std::chrono::milliseconds ttl, const std::string& steal_from) {
    std::lock_guard lock(mutex_);
    const std::int64_t now = to_millis(clock_.now());
    db_->prepare("UPDATE executions SET lease_owner=?1, lease_expires_at=?2 WHERE id=?3 AND (lease_owner='' OR "
                 "lease_expires_at<=?4 OR lease_owner=?1 OR (?5<>'' AND lease_owner=?5))")
        .bind(1, owner)
        .bind(2, now + ttl.count())
        .bind(3, id)
        .bind(4, now)
        .bind(5, steal_from)
        .run();
    return db_->changes() == 1;
}

bool SqliteStore::release_execution_lease(const std::string& id, const std::string& owner) {
    std::lock_guard lock(mutex_);
    db_->prepare("UPDATE executions SET lease_owner='', lease_expires_at=NULL WHERE id=? AND lease_owner=?")
        .bind(1, id)
        .bind(2, owner)
        .run();
    return db_->changes() == 1;
}

std::vector<HistoryEvent> SqliteStore::history(const std::string& id, std::int64_t after_id, int limit) {
    std::lock_guard lock(mutex_);
    std::vector<HistoryEvent> out;
    auto s = db_->prepare("SELECT id, previous_id, type, ts, state_name, details FROM history "
                          "WHERE execution_id=? AND id>? ORDER BY id LIMIT ?");
    s.bind(1, id).bind(2, after_id).bind(3, static_cast<std::int64_t>(limit));
    while (s.step()) {
        HistoryEvent ev;
        ev.id = s.integer(0);
        ev.previous_id = s.integer(1);
        ev.type = s.text(2);
        ev.timestamp = from_millis(s.integer(3));
        ev.state_name = s.text(4);
        ev.details = parse_column(s, 5);
        out.push_back(std::move(ev));
    }
    return out;
}

bool SqliteStore::acquire_lock(const std::string& name, const std::string& owner, std::chrono::milliseconds ttl) {
    std::lock_guard lock(mutex_);
    const std::int64_t now = to_millis(clock_.now());
    db_->prepare("INSERT INTO locks(name, owner, expires_at) VALUES(?1, ?2, ?3) ON CONFLICT(name) DO UPDATE SET "
                 "owner=excluded.owner, expires_at=excluded.expires_at WHERE locks.owner=?2 OR locks.expires_at<=?4")
        .bind(1, name)
        .bind(2, owner)
        .bind(3, now + ttl.count())
        .bind(4, now)
        .run();
    return db_->changes() == 1;
}

bool SqliteStore::renew_lock(const std::string& name, const std::string& owner, std::chrono::milliseconds ttl) {
    std::lock_guard lock(mutex_);
    const std::int64_t now = to_millis(clock_.now());
    // An expired lock is still renewable by its owner while nobody else has taken it.
    db_->prepare("UPDATE locks SET expires_at=? WHERE name=? AND owner=?")
        .bind(1, now + ttl.count())
        .bind(2, name)
        .bind(3, owner)
        .run();
    return db_->changes() == 1;
}

bool SqliteStore::release_lock(const std::string& name, const std::string& owner) {
    std::lock_guard lock(mutex_);
    db_->prepare("DELETE FROM locks WHERE name=? AND owner=?").bind(1, name).bind(2, owner).run();
    return db_->changes() == 1;
}

std::optional<LockInfo> SqliteStore::lock_holder(const std::string& name) {
    std::lock_guard lock(mutex_);
    auto s = db_->prepare("SELECT owner, expires_at FROM locks WHERE name=? AND expires_at>?");
    s.bind(1, name).bind(2, to_millis(clock_.now()));
    if (!s.step()) {
        return std::nullopt;
    }
    return LockInfo{name, s.text(0), from_millis(s.integer(1))};
}

void SqliteStore::put_record(const std::string& table, const std::string& key, const nlohmann::json& value) {
    std::lock_guard lock(mutex_);
    db_->prepare("INSERT INTO records(tbl, key, value, updated_at) VALUES(?1,?2,?3,?4) ON CONFLICT(tbl, key) "
                 "DO UPDATE SET value=excluded.value, updated_at=excluded.updated_at")
        .bind(1, table)
        .bind(2, key)
        .bind(3, value.dump())
        .bind(4, to_millis(clock_.now()))
        .run();
}

bool SqliteStore::insert_record(const std::string& table, const std::string& key, const nlohmann::json& value) {
    std::lock_guard lock(mutex_);
    db_->prepare("INSERT INTO records(tbl, key, value, updated_at) VALUES(?,?,?,?) ON CONFLICT(tbl, key) DO NOTHING")
        .bind(1, table)
        .bind(2, key)
        .bind(3, value.dump())
        .bind(4, to_millis(clock_.now()))
        .run();
    return db_->changes() == 1;
}

std::optional<nlohmann::json> SqliteStore::get_record(const std::string& table, const std::string& key) {
    std::lock_guard lock(mutex_);
    auto s = db_->prepare("SELECT value FROM records WHERE tbl=? AND key=?");
    s.bind(1, table).bind(2, key);
    if (!s.step()) {
        return std::nullopt;
    }
    return parse_column(s, 0);
}

bool SqliteStore::delete_record(const std::string& table, const std::string& key) {
    std::lock_guard lock(mutex_);
    db_->prepare("DELETE FROM records WHERE tbl=? AND key=?").bind(1, table).bind(2, key).run();
    return db_->changes() == 1;
}

std::vector<std::pair<std::string, nlohmann::json>> SqliteStore::list_records(const std::string& table,
                                                                              const std::string& key_prefix) {
    std::lock_guard lock(mutex_);
    std::vector<std::pair<std::string, nlohmann::json>> out;
    // substr() instead of LIKE: keys may contain % and _.
    auto s = db_->prepare("SELECT key, value FROM records WHERE tbl=?1 AND substr(key, 1, length(?2))=?2 ORDER BY key");
    s.bind(1, table).bind(2, key_prefix);
    while (s.step()) {
        out.emplace_back(s.text(0), parse_column(s, 1));
    }
    return out;
}

AuditRecord SqliteStore::append_audit(const AuditEntry& entry) {
    AuditRecord r;
    r.restore_id = entry.restore_id;
    r.actor = redact(entry.actor);
    r.event_type = entry.event_type;
    r.details = redact_json(entry.details);
    std::lock_guard lock(mutex_);
    Transaction tx(*db_);
    auto head = db_->prepare("SELECT seq, hash FROM audit_head WHERE id=1");
    r.seq = 1;
    r.prev_hash = kAuditGenesisHash;
    if (head.step()) {
        r.seq = head.integer(0) + 1;
        r.prev_hash = head.text(1);
    }
    r.timestamp = from_millis(to_millis(clock_.now()));
    r.hash = audit_record_hash(r);
    db_->prepare("INSERT INTO audit(seq, ts, restore_id, actor, event_type, details, prev_hash, hash) "
                 "VALUES(?,?,?,?,?,?,?,?)")
        .bind(1, r.seq)
        .bind(2, to_millis(r.timestamp))
        .bind(3, r.restore_id)
        .bind(4, r.actor)
        .bind(5, r.event_type)
        .bind(6, r.details)
        .bind(7, r.prev_hash)
        .bind(8, r.hash)
        .run();
    db_->prepare("INSERT INTO audit_head(id, seq, hash) VALUES(1, ?1, ?2) ON CONFLICT(id) DO UPDATE SET seq=?1, "
                 "hash=?2")
        .bind(1, r.seq)
        .bind(2, r.hash)
        .run();
    tx.commit();
    return r;
}

std::vector<AuditRecord> SqliteStore::audit_records(const std::string& restore_id) {
    std::lock_guard lock(mutex_);
    std::vector<AuditRecord> out;
    auto s = db_->prepare("SELECT seq, ts, restore_id, actor, event_type, details, prev_hash, hash FROM audit "
                          "WHERE (?1='' OR restore_id=?1) ORDER BY seq");
    s.bind(1, restore_id);
    while (s.step()) {
        out.push_back(read_audit(s));
    }
    return out;
}

AuditVerification SqliteStore::verify_audit() {
    std::lock_guard lock(mutex_);
    // One read transaction, so the records and the head are one consistent snapshot.
    db_->exec("BEGIN");
    std::vector<AuditRecord> records;
    std::int64_t head_seq = 0;
    std::string head_hash;
    try {
        auto s = db_->prepare("SELECT seq, ts, restore_id, actor, event_type, details, prev_hash, hash FROM audit "
                              "ORDER BY seq");
        while (s.step()) {
            records.push_back(read_audit(s));
        }
        auto head = db_->prepare("SELECT seq, hash FROM audit_head WHERE id=1");
        if (head.step()) {
            head_seq = head.integer(0);
            head_hash = head.text(1);
        }
    } catch (...) {
        db_->exec("ROLLBACK");
        throw;
    }
    db_->exec("COMMIT");
    return verify_audit_chain(records, head_seq, head_hash);
}

} // namespace aurora::store::sqlite
