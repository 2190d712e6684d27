#pragma once
//! Live progress of an execution on the terminal: the current step, elapsed time, and what is being waited
//! for (the resource's AWS status, from the NotReady cause). On a TTY one status line is rewritten in place;
//! otherwise (CI logs, pipes) each change is a plain line.

#include "engine/engine.hpp"

#include <chrono>
#include <mutex>
#include <ostream>
#include <string>

namespace aurora::cli {

class ProgressPrinter final : public engine::ExecutionObserver {
public:
    ProgressPrinter(std::ostream& out, bool tty);
    void on_events(const store::Execution& execution, const std::vector<store::HistoryEvent>& events) override;
    void on_sleep(const store::Execution& execution, Clock::WallTime until, std::string_view reason) override;
    //! Ends a rewritten line so later output starts on a fresh line.
    void finish();

private:
    void show(const std::string& line);

    std::ostream& out_;
    bool tty_;
    std::mutex mutex_;
    std::chrono::steady_clock::time_point start_;
    std::string last_;
    std::string state_;
    bool open_line_ = false;
};

} // namespace aurora::cli
