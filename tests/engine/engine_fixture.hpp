#pragma once
// A SQLite store in a temporary directory, a FakeClock and a task registry, for engine tests.

#include "common/clock.hpp"
#include "engine/engine.hpp"
#include "store/sqlite/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>

namespace aurora::engine::testing {

inline std::string temp_db_path(const std::string& tag) {
    static std::atomic<int> counter{0};
    const auto dir = std::filesystem::path(::testing::TempDir()) /
                     ("aurora-engine-" + tag + "-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return (dir / "state.db").string();
}

class EngineTest : public ::testing::Test {
protected:
    EngineTest() : path_(temp_db_path("t")), store_(std::make_unique<store::sqlite::SqliteStore>(path_, clock_)) {}
    ~EngineTest() override {
        engine_.reset();
        store_.reset();
        std::error_code ignored;
        std::filesystem::remove_all(std::filesystem::path(path_).parent_path(), ignored);
    }

    //! Builds the engine over tasks_ with `definition` registered as machine "m".
    Engine& make_engine(const json& definition, EngineOptions options = {}) {
        if (options.owner.empty()) {
            options.owner = "test-runner";
        }
        engine_ = std::make_unique<Engine>(*store_, clock_, tasks_, options);
        engine_->add_machine("m", parse_state_machine(definition));
        return *engine_;
    }

    //! Starts execution `id` and drives everything to the end.
    store::Execution run(const std::string& id, const json& input) {
        engine_->start("m", id, input);
        engine_->run_until_idle();
        return *store_->get_execution(id);
    }

    std::vector<std::string> event_types(const std::string& id) {
        std::vector<std::string> out;
        for (const auto& ev : store_->history(id, 0, 10000)) {
            out.push_back(ev.type);
        }
        return out;
    }

    std::vector<store::HistoryEvent> events_of(const std::string& id, const std::string& type) {
        std::vector<store::HistoryEvent> out;
        for (const auto& ev : store_->history(id, 0, 10000)) {
            if (ev.type == type) {
                out.push_back(ev);
            }
        }
        return out;
    }

    FakeClock clock_;
    std::string path_;
    std::unique_ptr<store::sqlite::SqliteStore> store_;
    TaskRegistry tasks_;
    std::unique_ptr<Engine> engine_;
};

} // namespace aurora::engine::testing
