#pragma once
//! A failure with a Step Functions error name, the thing Retry and Catch match on.

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>

namespace aurora::engine {

//! Thrown by a Task handler (or by the engine itself for States.* errors) to fail a state with an
//! explicit error name and cause. A handler may instead throw aurora::Error, whose catalogue entry gives
//! the name (error_info(code).sfn_type); anything else becomes "States.TaskFailed".
class TaskError : public std::runtime_error {
public:
    //! `retry_after`: the handler's suggestion for the next attempt, honoured by a matching Retry rule
    //! (docs/engine.md, "Adaptive polling").
    TaskError(std::string error, std::string cause,
              std::optional<std::chrono::milliseconds> retry_after = std::nullopt)
        : std::runtime_error(error + ": " + cause), error_(std::move(error)), cause_(std::move(cause)),
          retry_after_(retry_after) {}

    const std::string& error() const noexcept { return error_; }
    const std::string& cause() const noexcept { return cause_; }
    std::optional<std::chrono::milliseconds> retry_after() const noexcept { return retry_after_; }

private:
    std::string error_;
    std::string cause_;
    std::optional<std::chrono::milliseconds> retry_after_;
};

} // namespace aurora::engine
