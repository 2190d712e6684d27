#pragma once
//! A thin RAII layer over the SQLite C API for the store driver: one connection, cached prepared
//! statements, typed binds and columns, and IMMEDIATE transactions. Not thread-safe on its own; SqliteStore
//! serializes access with a mutex.

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace aurora::store::sqlite {

//! A prepared statement borrowed from the Db's cache; reset and cleared when this handle is destroyed.
class Statement {
public:
    Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    //! Binds by 1-based index. Each returns *this for chaining.
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, std::optional<std::int64_t> value);
    Statement& bind_null(int index);

    //! Advances to the next row: true when a row is available, false when done. Throws Error(store).
    bool step();
    //! Runs a statement that returns no rows.
    void run();

    std::string text(int column) const;
    std::int64_t integer(int column) const;
    std::optional<std::int64_t> optional_integer(int column) const;
    bool is_null(int column) const;

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_;
};

//! One open database connection.
class Db {
public:
    //! Opens (creating when missing) the database at `path` with WAL journaling, a busy timeout and
    //! synchronous=FULL. Throws Error(store) naming the path on failure.
    explicit Db(const std::string& path);
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;
    ~Db();

    //! A cached prepared statement for `sql` (prepared on first use).
    Statement prepare(const std::string& sql);
    //! Runs one or more statements without results (schema, pragmas).
    void exec(const std::string& sql);
    //! Rows changed by the last statement.
    int changes() const;
    const std::string& path() const { return path_; }

private:
    std::string path_;
    sqlite3* db_ = nullptr;
    std::map<std::string, sqlite3_stmt*, std::less<>> cache_;
};

//! BEGIN IMMEDIATE … COMMIT, rolled back unless commit() is called. IMMEDIATE takes the write lock up front,
//! so two writers wait on the busy timeout instead of failing with SQLITE_BUSY on a read→write upgrade.
class Transaction {
public:
    explicit Transaction(Db& db);
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();
    void commit();

private:
    Db& db_;
    bool done_ = false;
};

//! Throws Error(store) describing `rc` from `what` on `db`.
[[noreturn]] void throw_sqlite(sqlite3* db, int rc, std::string_view what);

} // namespace aurora::store::sqlite
