#include "aws/sfn/sfn_client.hpp"

#include <nlohmann/json.hpp>

#include <set>
#include <utility>

namespace aurora::aws::sfn {

std::optional<ErrorCode> sfn_error_code(const std::string& aws_code, int /*http_status*/) {
    if (aws_code == "ExecutionDoesNotExist" || aws_code == "StateMachineDoesNotExist" ||
        aws_code == "TaskDoesNotExist" || aws_code == "ResourceNotFound") {
        return ErrorCode::not_found;
    }
    if (aws_code == "ExecutionAlreadyExists") {
        return ErrorCode::already_exists;
    }
    if (aws_code == "TaskTimedOut" || aws_code == "StateMachineDeleting") {
        return ErrorCode::invalid_state;
    }
    if (aws_code == "InvalidArn" || aws_code == "InvalidName" || aws_code == "InvalidToken" ||
        aws_code == "InvalidExecutionInput" || aws_code == "InvalidOutput" || aws_code == "MissingRequiredParameter") {
        return ErrorCode::invalid_parameter;
    }
    if (aws_code == "ExecutionLimitExceeded") {
        return ErrorCode::quota_exceeded;
    }
    if (aws_code == "KmsAccessDeniedException" || aws_code == "KmsInvalidStateException") {
        return ErrorCode::kms_key_not_accessible;
    }
    return std::nullopt;
}

ServiceDescriptor sfn_service() {
    return ServiceDescriptor{"SFN", "states", "states", "2016-11-23", Protocol::json_1_0, "AWSStepFunctions"};
}

SfnClient::SfnClient(ClientContext context) : core_(sfn_service(), std::move(context), sfn_error_code) {}

StartedExecution SfnClient::start_execution(const std::string& state_machine_arn, const std::string& name,
                                            const std::string& input) {
    nlohmann::json body{{"stateMachineArn", state_machine_arn}, {"input", input}};
    if (!name.empty()) {
        body["name"] = name;
    }
    const JsonResponse resp = core_.json("StartExecution", body);
    const JsonReader r = resp.result();
    return StartedExecution{r.text("executionArn").value_or(""), r.timestamp("startDate")};
}

Execution SfnClient::describe_execution(const std::string& execution_arn) {
    const JsonResponse resp = core_.json("DescribeExecution", nlohmann::json{{"executionArn", execution_arn}});
    const JsonReader r = resp.result();
    Execution e;
    e.execution_arn = r.text("executionArn").value_or("");
    e.state_machine_arn = r.text("stateMachineArn").value_or("");
    e.name = r.text("name").value_or("");
    e.status = r.text("status").value_or("");
    e.start_date = r.timestamp("startDate");
    e.stop_date = r.timestamp("stopDate");
    e.input = r.text("input").value_or("");
    e.output = r.text("output").value_or("");
    e.error = r.text("error").value_or("");
    e.cause = r.text("cause").value_or("");
    return e;
}

namespace {

//! The event detail members that carry an error and a cause (one per failure event type).
constexpr const char* kFailureDetails[] = {
    "executionFailedEventDetails", "executionAbortedEventDetails", "executionTimedOutEventDetails",
    "taskFailedEventDetails",      "taskTimedOutEventDetails",     "lambdaFunctionFailedEventDetails",
    "activityFailedEventDetails",
};

HistoryEvent parse_event(const JsonReader& ev) {
    HistoryEvent h;
    h.id = ev.integer("id").value_or(0);
    h.previous_event_id = ev.integer("previousEventId");
    h.type = ev.text("type").value_or("");
    h.timestamp = ev.timestamp("timestamp");
    for (const char* member : {"stateEnteredEventDetails", "stateExitedEventDetails"}) {
        if (const JsonReader d = ev.child(member); d.valid()) {
            h.state_name = d.text("name").value_or("");
        }
    }
    for (const char* member : kFailureDetails) {
        if (const JsonReader d = ev.child(member); d.valid()) {
            h.error = d.text("error").value_or("");
            h.cause = d.text("cause").value_or("");
        }
    }
    return h;
}

} // namespace

ExecutionHistoryPage SfnClient::get_execution_history(const std::string& execution_arn, const std::string& next_token,
                                                      std::optional<std::int64_t> max_results, bool reverse_order) {
    nlohmann::json body{{"executionArn", execution_arn}};
    if (!next_token.empty()) {
        body["nextToken"] = next_token;
    }
    if (max_results) {
        body["maxResults"] = *max_results;
    }
    if (reverse_order) {
        body["reverseOrder"] = true;
    }
    const JsonResponse resp = core_.json("GetExecutionHistory", body);
    const JsonReader r = resp.result();
    ExecutionHistoryPage page;
    for (const auto& ev : r.list("events")) {
        page.events.push_back(parse_event(ev));
    }
    page.next_token = r.text("nextToken").value_or("");
    return page;
}

std::vector<HistoryEvent> SfnClient::get_full_execution_history(const std::string& execution_arn) {
    std::vector<HistoryEvent> all;
    std::set<std::string> seen;
    std::string token;
    for (;;) {
        ExecutionHistoryPage page = get_execution_history(execution_arn, token);
        std::move(page.events.begin(), page.events.end(), std::back_inserter(all));
        if (page.next_token.empty()) {
            return all;
        }
        if (!seen.insert(page.next_token).second) {
            throw Error(ErrorCode::aws_service,
                        "step functions returned the same history token twice for '" + execution_arn + "'");
        }
        token = std::move(page.next_token);
    }
}

void SfnClient::send_task_success(const std::string& task_token, const std::string& output) {
    core_.json("SendTaskSuccess", nlohmann::json{{"taskToken", task_token}, {"output", output}});
}

void SfnClient::send_task_failure(const std::string& task_token, const std::string& error, const std::string& cause) {
    nlohmann::json body{{"taskToken", task_token}};
    if (!error.empty()) {
        body["error"] = error;
    }
    if (!cause.empty()) {
        body["cause"] = cause;
    }
    core_.json("SendTaskFailure", body);
}

} // namespace aurora::aws::sfn
