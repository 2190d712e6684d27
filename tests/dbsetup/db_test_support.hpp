#pragma once
//! Helpers for the tests that run against real servers: unique names per run, admin connections from the
//! AURORA_TEST_*_URL variables, and a log capture.

#include "common/log.hpp"
#include "dbsetup/driver.hpp"

#include <mutex>
#include <random>
#include <string>
#include <vector>

namespace aurora::dbsetup::testing {

//! 8 random lowercase hex characters: names of one test run never collide with another's.
inline std::string unique_suffix() {
    std::random_device rd;
    std::uniform_int_distribution<unsigned> dist(0, 0xffffffffu);
    char buf[9];
    std::snprintf(buf, sizeof buf, "%08x", dist(rd));
    return buf;
}

//! A password no other test uses (so a grep for it is meaningful).
inline std::string unique_password(const std::string& who) { return "Pw-" + who + "-" + unique_suffix() + unique_suffix(); }

//! Captures every log line (at debug and above) while alive.
class LogCapture {
public:
    LogCapture() {
        previous_ = log::level();
        log::set_level(log::Level::debug);
        log::set_sink([this](log::Level, const std::string& line) {
            std::lock_guard lock(mutex_);
            lines_.push_back(line);
        });
    }
    ~LogCapture() {
        log::set_sink(nullptr);
        log::set_level(previous_);
    }
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;

    std::string text() const {
        std::lock_guard lock(mutex_);
        std::string out;
        for (const auto& l : lines_) {
            out += l + "\n";
        }
        return out;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
    log::Level previous_;
};

//! The rows of `sql` as strings ("NULL" for null), one "a|b|c" string per row.
inline std::vector<std::string> rows_of(Session& s, const std::string& sql) {
    std::vector<std::string> out;
    for (const auto& row : s.execute(sql).rows) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            line += (i == 0 ? "" : "|") + row[i].value_or("NULL");
        }
        out.push_back(line);
    }
    return out;
}

} // namespace aurora::dbsetup::testing
