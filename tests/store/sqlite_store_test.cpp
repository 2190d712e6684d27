// The SQLite driver: the contract suite on a file in a temporary directory, plus driver-specific cases.
#include "store_contract.hpp"

#include "common/error.hpp"
#include "store/sqlite/sqlite_store.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>

namespace aurora::store::testing {
namespace {

std::string temp_db_path() {
    static std::atomic<int> counter{0};
    const auto dir = std::filesystem::path(::testing::TempDir()) /
                     ("aurora-store-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return (dir / "state.db").string();
}

void exec_sql(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    const std::string message = err != nullptr ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << message;
}

void tamper_sqlite(const std::string& path, Tamper kind, std::int64_t seq) {
    const std::string s = std::to_string(seq);
    const std::string cols = "ts, restore_id, actor, event_type, details, prev_hash, hash";
    switch (kind) {
    case Tamper::edit_details:
        exec_sql(path, "UPDATE audit SET details='{\"i\":999}' WHERE seq=" + s);
        return;
    case Tamper::remove:
        exec_sql(path, "DELETE FROM audit WHERE seq=" + s);
        return;
    case Tamper::insert_after:
        exec_sql(path, "UPDATE audit SET seq=seq+1000000 WHERE seq>" + s +
                           "; UPDATE audit SET seq=seq-1000000+1 WHERE seq>1000000; INSERT INTO audit(seq, " + cols +
                           ") SELECT seq+1, " + cols + " FROM audit WHERE seq=" + s +
                           "; UPDATE audit_head SET seq=seq+1");
        return;
    case Tamper::swap_with_next:
        exec_sql(path, "UPDATE audit SET seq=-1 WHERE seq=" + s + "; UPDATE audit SET seq=" + s + " WHERE seq=" + s +
                           "+1; UPDATE audit SET seq=" + s + "+1 WHERE seq=-1");
        return;
    }
}

StoreFactory sqlite_factory() {
    return StoreFactory{
        "Sqlite",
        temp_db_path,
        [](const std::string& location, Clock& clock) -> std::unique_ptr<StateStore> {
            return std::make_unique<sqlite::SqliteStore>(location, clock);
        },
        tamper_sqlite,
        [](const std::string& location) {
            std::error_code ignored;
            std::filesystem::remove_all(std::filesystem::path(location).parent_path(), ignored);
        },
    };
}

TEST(SqliteStore, OpeningInAMissingDirectoryNamesThePath) {
    FakeClock clock;
    try {
        sqlite::SqliteStore store("/nonexistent-dir-aurora/state.db", clock);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::store);
        EXPECT_NE(e.message().find("/nonexistent-dir-aurora/state.db"), std::string::npos);
    }
}

TEST(SqliteStore, RefusesANewerSchema) {
    FakeClock clock;
    const std::string path = temp_db_path();
    { sqlite::SqliteStore store(path, clock); }
    exec_sql(path, "UPDATE meta SET value='99' WHERE key='schema_version'");
    try {
        sqlite::SqliteStore store(path, clock);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::store);
        EXPECT_NE(e.message().find("schema version 99"), std::string::npos);
    }
    std::filesystem::remove_all(std::filesystem::path(path).parent_path());
}

TEST(SqliteStore, UsesWriteAheadLogging) {
    FakeClock clock;
    const std::string path = temp_db_path();
    {
        sqlite::SqliteStore store(path, clock);
        EXPECT_TRUE(std::filesystem::exists(path + "-wal"));
    }
    std::filesystem::remove_all(std::filesystem::path(path).parent_path());
}

} // namespace

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContract, ::testing::Values(sqlite_factory()),
                         [](const auto& param_info) { return param_info.param.name; });

} // namespace aurora::store::testing
