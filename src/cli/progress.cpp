#include "cli/progress.hpp"

#include <cstdio>

namespace aurora::cli {
namespace {

std::string elapsed_text(std::chrono::steady_clock::duration d) {
    const auto s = std::chrono::duration_cast<std::chrono::seconds>(d).count();
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02lld:%02lld", static_cast<long long>(s / 60), static_cast<long long>(s % 60));
    return buf;
}

//! The human line for one history event, or empty when it is not worth showing.
std::string describe(const store::HistoryEvent& e) {
    const auto& d = e.details;
    if (e.type == "TaskStateEntered") return e.state_name;
    if (e.type == "TaskFailed" || e.type == "TaskRetryScheduled") {
        const std::string error = d.value("error", "");
        const std::string cause = d.value("cause", "");
        if (error == "Aurora.NotReady") return e.state_name + ": " + cause;
        return e.state_name + ": " + error + (cause.empty() ? "" : ": " + cause);
    }
    if (e.type == "ExecutionSucceeded") return "succeeded";
    if (e.type == "ExecutionFailed") return "failed: " + d.value("error", "") + " " + d.value("cause", "");
    if (e.type == "ExecutionAborted") return "cancelled";
    return {};
}

} // namespace

ProgressPrinter::ProgressPrinter(std::ostream& out, bool tty)
    : out_(out), tty_(tty), start_(std::chrono::steady_clock::now()) {}

void ProgressPrinter::show(const std::string& line) {
    if (line.empty() || line == last_) return;
    last_ = line;
    const std::string text = "[" + elapsed_text(std::chrono::steady_clock::now() - start_) + "] " + line;
    if (tty_) {
        out_ << "\r\033[K" << text;
        open_line_ = true;
    } else {
        out_ << text << '\n';
    }
    out_.flush();
}

void ProgressPrinter::on_events(const store::Execution&, const std::vector<store::HistoryEvent>& events) {
    std::lock_guard lock(mutex_);
    for (const auto& e : events) {
        // A retry re-enters the same state: that is not a new step.
        if (e.type == "TaskStateEntered") {
            if (e.state_name == state_) continue;
            state_ = e.state_name;
        }
        // On a terminal, keep a finished step's line and start a new one for the next step.
        if (tty_ && open_line_ && e.type == "TaskStateEntered") {
            out_ << '\n';
            open_line_ = false;
        }
        show(describe(e));
    }
}

void ProgressPrinter::on_sleep(const store::Execution&, Clock::WallTime, std::string_view) {}

void ProgressPrinter::finish() {
    std::lock_guard lock(mutex_);
    if (open_line_) out_ << '\n';
    open_line_ = false;
    out_.flush();
}

} // namespace aurora::cli
