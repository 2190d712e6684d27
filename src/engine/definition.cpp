#include "engine/definition.hpp"

#include "common/clock.hpp"
#include "common/error.hpp"
#include "engine/payload.hpp"

#include <openssl/evp.h>

#include <array>
#include <cmath>
#include <deque>
#include <set>

namespace aurora::engine {
namespace {

[[noreturn]] void invalid(const std::string& where, const std::string& why) {
    throw Error(ErrorCode::config, "invalid state machine: " + where + ": " + why,
                "docs/engine.md lists the supported subset of Amazon States Language");
}

const std::set<std::string, std::less<>> kCommon = {"Type", "Comment"};
const std::map<std::string, std::set<std::string, std::less<>>, std::less<>> kFields = {
    {"Task",
     {"Resource", "Next", "End", "InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath", "Retry",
      "Catch", "TimeoutSeconds"}},
    {"Pass", {"Next", "End", "InputPath", "OutputPath", "Parameters", "ResultPath", "Result"}},
    {"Choice", {"Choices", "Default", "InputPath", "OutputPath"}},
    {"Wait", {"Next", "End", "InputPath", "OutputPath", "Seconds", "SecondsPath", "Timestamp", "TimestampPath"}},
    {"Succeed", {"InputPath", "OutputPath"}},
    {"Fail", {"Error", "Cause", "ErrorPath", "CausePath"}},
};

// Comparison operators by the type of their operand (https://states-language.net/spec.html#choice-state).
const std::map<std::string, std::string, std::less<>> kOperators = {
    {"StringEquals", "string"},          {"StringLessThan", "string"},
    {"StringGreaterThan", "string"},     {"StringLessThanEquals", "string"},
    {"StringGreaterThanEquals", "string"}, {"StringMatches", "string"},
    {"NumericEquals", "number"},         {"NumericLessThan", "number"},
    {"NumericGreaterThan", "number"},    {"NumericLessThanEquals", "number"},
    {"NumericGreaterThanEquals", "number"}, {"BooleanEquals", "boolean"},
    {"TimestampEquals", "timestamp"},    {"TimestampLessThan", "timestamp"},
    {"TimestampGreaterThan", "timestamp"}, {"TimestampLessThanEquals", "timestamp"},
    {"TimestampGreaterThanEquals", "timestamp"}, {"IsNull", "test"},
    {"IsPresent", "test"},               {"IsNumeric", "test"},
    {"IsString", "test"},                {"IsBoolean", "test"},
    {"IsTimestamp", "test"},
};

std::string sha256_hex(const std::string& data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int len = 0;
    EVP_Digest(data.data(), data.size(), digest.data(), &len, EVP_sha256(), nullptr);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < len; ++i) {
        out += kHex[digest[i] >> 4];
        out += kHex[digest[i] & 0x0f];
    }
    return out;
}

const json& require(const json& obj, const char* field, const std::string& where) {
    const auto it = obj.find(field);
    if (it == obj.end()) {
        invalid(where, std::string("'") + field + "' is required");
    }
    return *it;
}

std::string get_string(const json& obj, const char* field, const std::string& where) {
    const auto& v = require(obj, field, where);
    if (!v.is_string() || v.get<std::string>().empty()) {
        invalid(where, std::string("'") + field + "' must be a non-empty string");
    }
    return v.get<std::string>();
}

JsonPath get_path(const json& obj, const char* field, const std::string& where, bool allow_context = true) {
    const std::string text = get_string(obj, field, where);
    try {
        return JsonPath::parse(text, allow_context);
    } catch (const Error& e) {
        invalid(where, std::string("'") + field + "': " + e.message());
    }
}

double get_number(const json& obj, const char* field, const std::string& where, double min) {
    const auto& v = require(obj, field, where);
    if (!v.is_number() || v.get<double>() < min) {
        invalid(where, std::string("'") + field + "' must be a number >= " + std::to_string(static_cast<int>(min)));
    }
    return v.get<double>();
}

PathField get_path_field(const json& obj, const char* field, const std::string& where) {
    PathField p;
    if (!obj.contains(field)) {
        return p;
    }
    if (obj.at(field).is_null()) {
        p.is_null = true;
        return p;
    }
    p.path = get_path(obj, field, where);
    return p;
}

ResultPathField get_result_path(const json& obj, const std::string& where) {
    ResultPathField r;
    if (!obj.contains("ResultPath")) {
        return r;
    }
    if (obj.at("ResultPath").is_null()) {
        r.discard = true;
        return r;
    }
    // Why no context: ResultPath is a reference path into the state's input (states-language.net #ref-paths).
    r.path = get_path(obj, "ResultPath", where, false);
    return r;
}

std::vector<std::string> get_error_equals(const json& rule, const std::string& where) {
    if (!rule.contains("ErrorEquals") || !rule.at("ErrorEquals").is_array() || rule.at("ErrorEquals").empty()) {
        invalid(where, "'ErrorEquals' must be a non-empty array of error names");
    }
    std::vector<std::string> out;
    for (const auto& e : rule.at("ErrorEquals")) {
        if (!e.is_string()) {
            invalid(where, "'ErrorEquals' must hold strings");
        }
        out.push_back(e.get<std::string>());
    }
    if (std::find(out.begin(), out.end(), "States.ALL") != out.end() && out.size() != 1) {
        invalid(where, "States.ALL must appear alone in 'ErrorEquals'");
    }
    return out;
}

void check_fields(const json& obj, const std::set<std::string, std::less<>>& allowed, const std::string& where) {
    for (const auto& [key, value] : obj.items()) {
        if (!allowed.contains(key) && !kCommon.contains(key)) {
            invalid(where, "field '" + key + "' is not supported here");
        }
    }
}

std::vector<Retrier> parse_retry(const json& s, const std::string& where) {
    std::vector<Retrier> out;
    if (!s.contains("Retry")) {
        return out;
    }
    if (!s.at("Retry").is_array()) {
        invalid(where, "'Retry' must be an array");
    }
    for (std::size_t i = 0; i < s.at("Retry").size(); ++i) {
        const json& r = s.at("Retry")[i];
        const std::string w = where + " Retry[" + std::to_string(i) + "]";
        if (!r.is_object()) {
            invalid(w, "must be an object");
        }
        check_fields(r, {"ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds",
                         "JitterStrategy"},
                     w);
        Retrier rt;
        rt.error_equals = get_error_equals(r, w);
        if (r.contains("IntervalSeconds")) {
            rt.interval_seconds = get_number(r, "IntervalSeconds", w, 1);
        }
        if (r.contains("MaxAttempts")) {
            rt.max_attempts = static_cast<int>(get_number(r, "MaxAttempts", w, 0));
        }
        if (r.contains("BackoffRate")) {
            rt.backoff_rate = get_number(r, "BackoffRate", w, 1);
        }
        if (r.contains("MaxDelaySeconds")) {
            rt.max_delay_seconds = get_number(r, "MaxDelaySeconds", w, 1);
        }
        if (r.contains("JitterStrategy")) {
            const std::string j = get_string(r, "JitterStrategy", w);
            if (j != "FULL" && j != "NONE") {
                invalid(w, "'JitterStrategy' must be FULL or NONE");
            }
            rt.full_jitter = j == "FULL";
        }
        if (rt.error_equals[0] == "States.ALL" && i + 1 != s.at("Retry").size()) {
            invalid(w, "a States.ALL rule must be the last one");
        }
        out.push_back(std::move(rt));
    }
    return out;
}

std::vector<Catcher> parse_catch(const json& s, const std::string& where) {
    std::vector<Catcher> out;
    if (!s.contains("Catch")) {
        return out;
    }
    if (!s.at("Catch").is_array()) {
        invalid(where, "'Catch' must be an array");
    }
    for (std::size_t i = 0; i < s.at("Catch").size(); ++i) {
        const json& c = s.at("Catch")[i];
        const std::string w = where + " Catch[" + std::to_string(i) + "]";
        if (!c.is_object() || !c.contains("Next")) {
            invalid(w, "must be an object with 'ErrorEquals' and 'Next'");
        }
        check_fields(c, {"ErrorEquals", "Next", "ResultPath"}, w);
        Catcher ct;
        ct.error_equals = get_error_equals(c, w);
        ct.next = get_string(c, "Next", w);
        ct.result_path = get_result_path(c, w);
        if (ct.error_equals[0] == "States.ALL" && i + 1 != s.at("Catch").size()) {
            invalid(w, "a States.ALL rule must be the last one");
        }
        out.push_back(std::move(ct));
    }
    return out;
}

void check_literal(const std::string& kind, const json& v, const std::string& op, const std::string& where) {
    const bool ok = (kind == "string" && v.is_string()) || (kind == "number" && v.is_number()) ||
                    ((kind == "boolean" || kind == "test") && v.is_boolean()) ||
                    (kind == "timestamp" && v.is_string());
    if (!ok) {
        invalid(where, "'" + op + "' needs a " + (kind == "test" ? std::string("boolean") : kind) + " value");
    }
    if (kind == "timestamp") {
        try {
            parse_iso8601(v.get<std::string>());
        } catch (const Error&) {
            invalid(where, "'" + op + "' needs an ISO 8601 timestamp, got '" + v.get<std::string>() + "'");
        }
    }
}

ChoiceRule parse_rule(const json& r, const std::string& where, bool top) {
    if (!r.is_object()) {
        invalid(where, "a choice rule must be an object");
    }
    ChoiceRule rule;
    if (top) {
        rule.next = get_string(r, "Next", where);
    } else if (r.contains("Next")) {
        invalid(where, "'Next' is only allowed on top-level choice rules");
    }
    for (const char* combinator : {"And", "Or"}) {
        if (r.contains(combinator)) {
            check_fields(r, {combinator, "Next"}, where);
            if (!r.at(combinator).is_array() || r.at(combinator).empty()) {
                invalid(where, std::string("'") + combinator + "' must be a non-empty array of rules");
            }
            rule.kind = std::string(combinator) == "And" ? ChoiceRule::Kind::all_of : ChoiceRule::Kind::any_of;
            for (const auto& child : r.at(combinator)) {
                rule.children.push_back(parse_rule(child, where + " " + combinator, false));
            }
            return rule;
        }
    }
    if (r.contains("Not")) {
        check_fields(r, {"Not", "Next"}, where);
        rule.kind = ChoiceRule::Kind::negation;
        rule.children.push_back(parse_rule(r.at("Not"), where + " Not", false));
        return rule;
    }
    if (!r.contains("Variable")) {
        invalid(where, "a choice rule needs 'Variable' and an operator, or And / Or / Not");
    }
    rule.variable = get_path(r, "Variable", where);
    for (const auto& [key, value] : r.items()) {
        if (key == "Variable" || key == "Next" || kCommon.contains(key)) {
            continue;
        }
        if (!rule.op.empty()) {
            invalid(where, "a choice rule has one operator, found '" + rule.op + "' and '" + key + "'");
        }
        std::string op = key;
        const bool is_path = op.ends_with("Path") && kOperators.contains(op.substr(0, op.size() - 4));
        if (is_path) {
            op = op.substr(0, op.size() - 4);
        }
        const auto it = kOperators.find(op);
        if (it == kOperators.end() || (is_path && (it->second == "test" || op == "StringMatches"))) {
            invalid(where, "unsupported choice operator '" + key + "'");
        }
        rule.op = op;
        rule.value_is_path = is_path;
        if (is_path) {
            rule.value_path = get_path(r, key.c_str(), where);
        } else {
            check_literal(it->second, value, key, where);
            rule.value = value;
        }
    }
    if (rule.op.empty()) {
        invalid(where, "a choice rule needs a comparison operator");
    }
    return rule;
}

void parse_transition(const json& s, State& st, const std::string& where) {
    const bool has_next = s.contains("Next");
    const bool has_end = s.contains("End") && s.at("End").is_boolean() && s.at("End").get<bool>();
    if (has_next == has_end) {
        invalid(where, "needs exactly one of 'Next' or 'End: true'");
    }
    if (has_next) {
        st.next = get_string(s, "Next", where);
    }
    st.end = has_end;
}

void parse_template(const json& s, const char* field, std::optional<json>& out, const std::string& where) {
    if (!s.contains(field)) {
        return;
    }
    validate_template(s.at(field), where + " " + field);
    out = s.at(field);
}

void parse_wait(const json& s, State& st, const std::string& where) {
    int count = 0;
    if (s.contains("Seconds")) {
        st.seconds = get_number(s, "Seconds", where, 0);
        ++count;
    }
    if (s.contains("SecondsPath")) {
        st.seconds_path = get_path(s, "SecondsPath", where);
        ++count;
    }
    if (s.contains("Timestamp")) {
        st.timestamp = get_string(s, "Timestamp", where);
        try {
            parse_iso8601(*st.timestamp);
        } catch (const Error& e) {
            invalid(where, "'Timestamp': " + e.message());
        }
        ++count;
    }
    if (s.contains("TimestampPath")) {
        st.timestamp_path = get_path(s, "TimestampPath", where);
        ++count;
    }
    if (count != 1) {
        invalid(where, "a Wait state needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath");
    }
}

State parse_state(const std::string& name, const json& s) {
    const std::string where = "state '" + name + "'";
    if (!s.is_object() || !s.contains("Type") || !s.at("Type").is_string()) {
        invalid(where, "must be an object with a 'Type'");
    }
    const std::string type = s.at("Type").get<std::string>();
    const auto fields = kFields.find(type);
    if (fields == kFields.end()) {
        invalid(where, "type '" + type + "' is not supported (Task, Choice, Wait, Pass, Succeed, Fail are)");
    }
    check_fields(s, fields->second, where);
    State st;
    st.name = name;
    static const std::map<std::string, StateType, std::less<>> kTypes = {
        {"Task", StateType::task}, {"Choice", StateType::choice},   {"Wait", StateType::wait},
        {"Pass", StateType::pass}, {"Succeed", StateType::succeed}, {"Fail", StateType::fail}};
    st.type = kTypes.at(type);
    st.input_path = get_path_field(s, "InputPath", where);
    st.output_path = get_path_field(s, "OutputPath", where);
    st.result_path = get_result_path(s, where);
    parse_template(s, "Parameters", st.parameters, where);
    parse_template(s, "ResultSelector", st.result_selector, where);
    if (s.contains("Result")) {
        st.result = s.at("Result");
    }
    switch (st.type) {
    case StateType::task:
        st.resource = get_string(s, "Resource", where);
        if (s.contains("TimeoutSeconds")) {
            st.timeout_seconds = get_number(s, "TimeoutSeconds", where, 1);
        }
        st.retry = parse_retry(s, where);
        st.catchers = parse_catch(s, where);
        parse_transition(s, st, where);
        break;
    case StateType::pass:
        parse_transition(s, st, where);
        break;
    case StateType::wait:
        parse_wait(s, st, where);
        parse_transition(s, st, where);
        break;
    case StateType::choice:
        if (!s.contains("Choices") || !s.at("Choices").is_array() || s.at("Choices").empty()) {
            invalid(where, "'Choices' must be a non-empty array");
        }
        for (std::size_t i = 0; i < s.at("Choices").size(); ++i) {
            st.choices.push_back(parse_rule(s.at("Choices")[i], where + " Choices[" + std::to_string(i) + "]", true));
        }
        if (s.contains("Default")) {
            st.default_next = get_string(s, "Default", where);
        }
        break;
    case StateType::fail:
        if (s.contains("Error") && s.contains("ErrorPath")) {
            invalid(where, "'Error' and 'ErrorPath' are exclusive");
        }
        if (s.contains("Cause") && s.contains("CausePath")) {
            invalid(where, "'Cause' and 'CausePath' are exclusive");
        }
        st.error = s.contains("Error") ? get_string(s, "Error", where) : "";
        st.cause = s.contains("Cause") ? get_string(s, "Cause", where) : "";
        if (s.contains("ErrorPath")) {
            st.error_path = get_path(s, "ErrorPath", where);
        }
        if (s.contains("CausePath")) {
            st.cause_path = get_path(s, "CausePath", where);
        }
        break;
    case StateType::succeed:
        break;
    }
    return st;
}

std::vector<std::string> successors(const State& st) {
    std::vector<std::string> out;
    if (!st.next.empty()) {
        out.push_back(st.next);
    }
    if (!st.default_next.empty()) {
        out.push_back(st.default_next);
    }
    for (const auto& c : st.choices) {
        out.push_back(c.next);
    }
    for (const auto& c : st.catchers) {
        out.push_back(c.next);
    }
    return out;
}

void check_graph(const StateMachine& m) {
    for (const auto& [name, st] : m.states) {
        for (const auto& next : successors(st)) {
            if (!m.states.contains(next)) {
                invalid("state '" + name + "'", "transition to '" + next + "', which is not a state");
            }
        }
    }
    std::set<std::string> seen{m.start_at};
    std::deque<std::string> queue{m.start_at};
    while (!queue.empty()) {
        const auto name = queue.front();
        queue.pop_front();
        for (const auto& next : successors(m.states.find(name)->second)) {
            if (seen.insert(next).second) {
                queue.push_back(next);
            }
        }
    }
    for (const auto& [name, st] : m.states) {
        if (!seen.contains(name)) {
            invalid("state '" + name + "'", "is unreachable from StartAt");
        }
    }
}

} // namespace

std::string_view to_string(StateType type) {
    static constexpr std::array kNames = {"Task", "Choice", "Wait", "Pass", "Succeed", "Fail"};
    return kNames.at(static_cast<std::size_t>(type));
}

const State& StateMachine::state(std::string_view name) const {
    const auto it = states.find(name);
    if (it == states.end()) {
        throw Error(ErrorCode::invalid_state, "state '" + std::string(name) + "' is not in the state machine",
                    "the execution was started with a different definition");
    }
    return it->second;
}

namespace {
StateMachine parse_checked(const json& definition);
} // namespace

StateMachine parse_state_machine(const json& definition) {
    try {
        return parse_checked(definition);
    } catch (const json::exception& e) {
        // A safety net: every field is checked above, but a JSON type error must still name the problem.
        invalid("definition", e.what());
    }
}

namespace {

StateMachine parse_checked(const json& definition) {
    if (!definition.is_object()) {
        invalid("definition", "must be a JSON object");
    }
    check_fields(definition, {"StartAt", "States", "TimeoutSeconds", "Version"}, "definition");
    StateMachine m;
    m.start_at = get_string(definition, "StartAt", "definition");
    if (definition.contains("TimeoutSeconds")) {
        m.timeout_seconds = get_number(definition, "TimeoutSeconds", "definition", 1);
    }
    if (!definition.contains("States") || !definition.at("States").is_object() || definition.at("States").empty()) {
        invalid("definition", "'States' must be a non-empty object");
    }
    for (const auto& [name, s] : definition.at("States").items()) {
        m.states.emplace(name, parse_state(name, s));
    }
    if (!m.states.contains(m.start_at)) {
        invalid("definition", "StartAt names '" + m.start_at + "', which is not a state");
    }
    check_graph(m);
    m.hash = sha256_hex(definition.dump());
    return m;
}

} // namespace

StateMachine parse_state_machine_text(std::string_view text) {
    json definition;
    try {
        definition = json::parse(text);
    } catch (const json::exception& e) {
        throw Error(ErrorCode::config, std::string("invalid state machine: not valid JSON: ") + e.what());
    }
    return parse_state_machine(definition);
}

} // namespace aurora::engine
