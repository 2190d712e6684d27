#pragma once
//! AWS Step Functions client (JSON 1.0 protocol, target prefix "AWSStepFunctions", signing name "states"):
//! StartExecution, DescribeExecution, GetExecutionHistory, SendTaskSuccess, SendTaskFailure.
//! Errors: ExecutionDoesNotExist / StateMachineDoesNotExist / TaskDoesNotExist -> not_found,
//! ExecutionAlreadyExists -> already_exists, TaskTimedOut / StateMachineDeleting -> invalid_state,
//! InvalidArn / InvalidName / InvalidToken / InvalidExecutionInput / InvalidOutput -> invalid_parameter,
//! ExecutionLimitExceeded -> quota_exceeded.

#include "aws/client/aws_client.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace aurora::aws::sfn {

//! The catalogue code for one of this service's error codes (nullopt: the generic mapping applies).
std::optional<ErrorCode> sfn_error_code(const std::string& aws_code, int http_status);
//! The service descriptor (endpoint prefix, signing name, API version, protocol).
ServiceDescriptor sfn_service();

struct StartedExecution {
    std::string execution_arn;
    std::optional<Clock::WallTime> start_date;
};

//! DescribeExecution's answer (input/output are the JSON texts as Step Functions holds them).
struct Execution {
    std::string execution_arn;
    std::string state_machine_arn;
    std::string name;
    std::string status; //!< RUNNING | SUCCEEDED | FAILED | TIMED_OUT | ABORTED | PENDING_REDRIVE
    std::optional<Clock::WallTime> start_date;
    std::optional<Clock::WallTime> stop_date;
    std::string input;
    std::string output;
    std::string error;
    std::string cause;
};

//! One history event: its type, and the state name / error / cause when the event type carries them.
struct HistoryEvent {
    std::int64_t id = 0;
    std::optional<std::int64_t> previous_event_id;
    std::string type; //!< e.g. "TaskStateEntered", "ExecutionFailed"
    std::optional<Clock::WallTime> timestamp;
    std::string state_name; //!< stateEnteredEventDetails / stateExitedEventDetails name
    std::string error;      //!< from the *FailedEventDetails the event carries
    std::string cause;
};

struct ExecutionHistoryPage {
    std::vector<HistoryEvent> events;
    std::string next_token; //!< empty on the last page
};

//! Thread-safe: calls from many threads share one AwsClient (signing, retries, rate limiter).
class SfnClient {
public:
    //! A client on `context` (region, endpoint, transport, credentials); throws Error(config) as AwsClient does.
    explicit SfnClient(ClientContext context);

    //! StartExecution of `state_machine_arn` named `name` (empty: generated) with JSON `input`.
    //! Idempotent: the same name and input return the running execution; the same name with another
    //! input throws already_exists. Missing state machine: not_found.
    StartedExecution start_execution(const std::string& state_machine_arn, const std::string& name,
                                     const std::string& input);
    //! DescribeExecution. Read-only. Missing: not_found.
    Execution describe_execution(const std::string& execution_arn);
    //! GetExecutionHistory, one page (up to `max_results`, 1..1000). Read-only. Missing: not_found.
    ExecutionHistoryPage get_execution_history(const std::string& execution_arn, const std::string& next_token = {},
                                               std::optional<std::int64_t> max_results = std::nullopt,
                                               bool reverse_order = false);
    //! Every page of GetExecutionHistory, following nextToken.
    std::vector<HistoryEvent> get_full_execution_history(const std::string& execution_arn);
    //! SendTaskSuccess with JSON `output`. A token already used or timed out: not_found / invalid_state.
    void send_task_success(const std::string& task_token, const std::string& output);
    //! SendTaskFailure with an error type (e.g. "Aurora.NotReady") and a cause.
    void send_task_failure(const std::string& task_token, const std::string& error, const std::string& cause);

    //! The underlying core: region, endpoint, clock, and raw calls (tests create fixtures through it).
    AwsClient& core() noexcept { return core_; }

private:
    AwsClient core_;
};

} // namespace aurora::aws::sfn
