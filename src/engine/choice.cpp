#include "engine/choice.hpp"

#include "common/clock.hpp"
#include "common/error.hpp"
#include "engine/task_error.hpp"

namespace aurora::engine {
namespace {

std::optional<Clock::WallTime> as_timestamp(const json& v) {
    if (!v.is_string()) {
        return std::nullopt;
    }
    try {
        return parse_iso8601(v.get<std::string>());
    } catch (const Error&) {
        return std::nullopt;
    }
}

// -1, 0, 1 for a<b, a==b, a>b; nullopt when the operands are not both of `kind`.
template <typename T>
std::optional<int> order(const T& a, const T& b) {
    if (a < b) {
        return -1;
    }
    return b < a ? 1 : 0;
}

std::optional<int> compare(const std::string& kind, const json& a, const json& b) {
    if (kind == "String" && a.is_string() && b.is_string()) {
        return order(a.get<std::string>(), b.get<std::string>());
    }
    if (kind == "Numeric" && a.is_number() && b.is_number()) {
        return order(a.get<double>(), b.get<double>());
    }
    if (kind == "Boolean" && a.is_boolean() && b.is_boolean()) {
        return order(a.get<bool>(), b.get<bool>());
    }
    if (kind == "Timestamp") {
        const auto ta = as_timestamp(a);
        const auto tb = as_timestamp(b);
        if (ta && tb) {
            return order(*ta, *tb);
        }
    }
    return std::nullopt;
}

bool type_test(const std::string& op, const std::optional<json>& v, bool expected) {
    bool actual = false;
    if (op == "IsPresent") {
        actual = v.has_value();
    } else if (!v) {
        // Why false: every test but IsPresent is false on a missing field (states-language.net).
        return false;
    } else if (op == "IsNull") {
        actual = v->is_null();
    } else if (op == "IsNumeric") {
        actual = v->is_number();
    } else if (op == "IsString") {
        actual = v->is_string();
    } else if (op == "IsBoolean") {
        actual = v->is_boolean();
    } else {
        actual = as_timestamp(*v).has_value();
    }
    return actual == expected;
}

bool comparison(const ChoiceRule& rule, const json& input, const json& context) {
    const auto value = rule.variable.select(input, context);
    if (rule.op.starts_with("Is")) {
        return type_test(rule.op, value, rule.value.get<bool>());
    }
    if (!value) {
        throw TaskError("States.Runtime", "choice rule variable '" + rule.variable.text() + "' selects nothing");
    }
    json operand = rule.value;
    if (rule.value_is_path) {
        auto selected = rule.value_path.select(input, context);
        if (!selected) {
            throw TaskError("States.Runtime", "choice rule operand '" + rule.value_path.text() + "' selects nothing");
        }
        operand = std::move(*selected);
    }
    if (rule.op == "StringMatches") {
        return value->is_string() && string_matches(value->get<std::string>(), operand.get<std::string>());
    }
    static const std::vector<std::string> kKinds = {"String", "Numeric", "Boolean", "Timestamp"};
    std::string kind;
    for (const auto& k : kKinds) {
        if (rule.op.starts_with(k)) {
            kind = k;
        }
    }
    const auto c = compare(kind, *value, operand);
    if (!c) {
        return false;
    }
    const std::string rel = rule.op.substr(kind.size());
    if (rel == "Equals") {
        return *c == 0;
    }
    if (rel == "LessThan") {
        return *c < 0;
    }
    if (rel == "GreaterThan") {
        return *c > 0;
    }
    if (rel == "LessThanEquals") {
        return *c <= 0;
    }
    return *c >= 0;
}

} // namespace

bool string_matches(std::string_view text, std::string_view pattern) {
    // Iterative wildcard matching with backtracking to the last star.
    std::size_t t = 0;
    std::size_t p = 0;
    std::size_t star = std::string_view::npos;
    std::size_t mark = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = t;
            continue;
        }
        if (p < pattern.size()) {
            std::size_t width = 1;
            char want = pattern[p];
            if (want == '\\' && p + 1 < pattern.size()) {
                want = pattern[p + 1];
                width = 2;
            }
            if (want == text[t]) {
                p += width;
                ++t;
                continue;
            }
        }
        if (star == std::string_view::npos) {
            return false;
        }
        p = star + 1;
        t = ++mark;
    }
    while (p < pattern.size() && pattern[p] == '*') {
        ++p;
    }
    return p == pattern.size();
}

bool evaluate_rule(const ChoiceRule& rule, const json& input, const json& context) {
    switch (rule.kind) {
    case ChoiceRule::Kind::all_of:
        for (const auto& child : rule.children) {
            if (!evaluate_rule(child, input, context)) {
                return false;
            }
        }
        return true;
    case ChoiceRule::Kind::any_of:
        for (const auto& child : rule.children) {
            if (evaluate_rule(child, input, context)) {
                return true;
            }
        }
        return false;
    case ChoiceRule::Kind::negation:
        return !evaluate_rule(rule.children.at(0), input, context);
    case ChoiceRule::Kind::comparison:
        break;
    }
    return comparison(rule, input, context);
}

} // namespace aurora::engine
