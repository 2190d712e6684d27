#include "engine/payload.hpp"

#include "common/error.hpp"
#include "engine/json_path.hpp"
#include "engine/task_error.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace aurora::engine {
namespace {

constexpr std::array kIntrinsics = {"States.Format",      "States.StringToJson",  "States.JsonToString",
                                    "States.Array",       "States.ArrayLength",   "States.ArrayGetItem",
                                    "States.ArrayContains", "States.MathAdd",     "States.StringSplit"};

//! One parsed intrinsic argument.
struct Arg {
    enum class Kind { string, literal, path, call };
    Kind kind = Kind::literal;
    std::string raw;  //!< a string literal's text, escapes other than \' kept
    json literal;     //!< a number, true, false or null
    JsonPath path;
    std::string function;
    std::vector<Arg> args;
};

class Parser {
public:
    explicit Parser(std::string_view text) : text_(text) {}

    Arg parse_all() {
        Arg call = parse_call();
        skip_ws();
        if (pos_ != text_.size()) {
            fail("unexpected text after the closing parenthesis");
        }
        return call;
    }

private:
    [[noreturn]] void fail(const std::string& why) const {
        throw Error(ErrorCode::config, "invalid intrinsic function '" + std::string(text_) + "': " + why);
    }

    void skip_ws() {
        while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_])) != 0) {
            ++pos_;
        }
    }

    Arg parse_call() {
        skip_ws();
        const std::size_t open = text_.find('(', pos_);
        if (open == std::string_view::npos) {
            fail("expected '('");
        }
        Arg call;
        call.kind = Arg::Kind::call;
        call.function = std::string(text_.substr(pos_, open - pos_));
        if (std::find(kIntrinsics.begin(), kIntrinsics.end(), call.function) == kIntrinsics.end()) {
            fail("unknown or unsupported function '" + call.function + "'");
        }
        pos_ = open + 1;
        skip_ws();
        if (pos_ < text_.size() && text_[pos_] == ')') {
            ++pos_;
            return call;
        }
        for (;;) {
            call.args.push_back(parse_arg());
            skip_ws();
            if (pos_ >= text_.size()) {
                fail("missing ')'");
            }
            if (text_[pos_] == ')') {
                ++pos_;
                return call;
            }
            if (text_[pos_] != ',') {
                fail("expected ',' or ')' at offset " + std::to_string(pos_));
            }
            ++pos_;
        }
    }

    Arg parse_arg() {
        skip_ws();
        if (pos_ >= text_.size()) {
            fail("missing argument");
        }
        const char c = text_[pos_];
        if (c == '\'') {
            return parse_string();
        }
        if (c == '$') {
            return parse_path();
        }
        if (text_.substr(pos_, 7) == "States.") {
            return parse_call();
        }
        return parse_literal();
    }

    Arg parse_string() {
        Arg a;
        a.kind = Arg::Kind::string;
        ++pos_;
        while (pos_ < text_.size() && text_[pos_] != '\'') {
            if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) {
                if (text_[pos_ + 1] != '\'') {
                    a.raw += '\\';
                }
                a.raw += text_[pos_ + 1];
                pos_ += 2;
                continue;
            }
            a.raw += text_[pos_++];
        }
        if (pos_ >= text_.size()) {
            fail("unterminated string literal");
        }
        ++pos_;
        return a;
    }

    Arg parse_path() {
        const std::size_t start = pos_;
        int depth = 0;
        char quote = 0;
        for (; pos_ < text_.size(); ++pos_) {
            const char c = text_[pos_];
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '[') {
                ++depth;
            } else if (c == ']') {
                --depth;
            } else if (depth == 0 && (c == ',' || c == ')' || std::isspace(static_cast<unsigned char>(c)) != 0)) {
                break;
            }
        }
        Arg a;
        a.kind = Arg::Kind::path;
        a.path = JsonPath::parse(text_.substr(start, pos_ - start));
        return a;
    }

    Arg parse_literal() {
        const std::size_t start = pos_;
        while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != ')' &&
               std::isspace(static_cast<unsigned char>(text_[pos_])) == 0) {
            ++pos_;
        }
        const std::string token(text_.substr(start, pos_ - start));
        Arg a;
        a.kind = Arg::Kind::literal;
        try {
            a.literal = json::parse(token);
        } catch (const json::exception&) {
            fail("cannot read argument '" + token + "'");
        }
        if (a.literal.is_structured() || a.literal.is_string()) {
            fail("cannot read argument '" + token + "'");
        }
        return a;
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

[[noreturn]] void intrinsic_failure(const std::string& function, const std::string& why) {
    throw TaskError("States.IntrinsicFailure", function + ": " + why);
}

std::string unescape(const std::string& raw) {
    std::string out;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '\\' && i + 1 < raw.size()) {
            ++i;
        }
        out += raw[i];
    }
    return out;
}

json evaluate(const Arg& a, const json& input, const json& context);

std::string format(const Arg& call, const std::vector<json>& values) {
    if (call.args.empty() || call.args[0].kind != Arg::Kind::string) {
        intrinsic_failure(call.function, "the first argument must be a string literal");
    }
    const std::string& fmt = call.args[0].raw;
    std::string out;
    std::size_t next = 1;
    for (std::size_t i = 0; i < fmt.size(); ++i) {
        if (fmt[i] == '\\' && i + 1 < fmt.size()) {
            out += fmt[++i];
        } else if (fmt[i] == '{' && i + 1 < fmt.size() && fmt[i + 1] == '}') {
            if (next >= values.size()) {
                intrinsic_failure(call.function, "more {} placeholders than arguments");
            }
            const json& v = values[next++];
            if (v.is_structured()) {
                intrinsic_failure(call.function, "arguments must be strings, numbers, booleans or null");
            }
            out += v.is_string() ? v.get<std::string>() : v.dump();
            ++i;
        } else {
            out += fmt[i];
        }
    }
    if (next != values.size()) {
        intrinsic_failure(call.function, "more arguments than {} placeholders");
    }
    return out;
}

void require_args(const Arg& call, std::size_t n) {
    if (call.args.size() != n) {
        intrinsic_failure(call.function, "expects " + std::to_string(n) + " argument(s), got " +
                                             std::to_string(call.args.size()));
    }
}

json call_function(const Arg& call, const std::vector<json>& v) {
    const std::string& f = call.function;
    if (f == "States.Format") {
        return format(call, v);
    }
    if (f == "States.Array") {
        return json(v);
    }
    if (f == "States.JsonToString") {
        require_args(call, 1);
        return v[0].dump();
    }
    if (f == "States.StringToJson") {
        require_args(call, 1);
        if (!v[0].is_string()) {
            intrinsic_failure(f, "the argument must be a string");
        }
        try {
            return json::parse(v[0].get<std::string>());
        } catch (const json::exception&) {
            intrinsic_failure(f, "the argument is not valid JSON");
        }
    }
    if (f == "States.ArrayLength" || f == "States.ArrayGetItem" || f == "States.ArrayContains") {
        require_args(call, f == "States.ArrayLength" ? 1 : 2);
        if (!v[0].is_array()) {
            intrinsic_failure(f, "the first argument must be an array");
        }
        if (f == "States.ArrayLength") {
            return v[0].size();
        }
        if (f == "States.ArrayContains") {
            return std::find(v[0].begin(), v[0].end(), v[1]) != v[0].end();
        }
        if (!v[1].is_number_integer() || v[1].get<std::int64_t>() < 0 ||
            static_cast<std::size_t>(v[1].get<std::int64_t>()) >= v[0].size()) {
            intrinsic_failure(f, "index out of range");
        }
        return v[0][v[1].get<std::size_t>()];
    }
    if (f == "States.MathAdd") {
        require_args(call, 2);
        if (!v[0].is_number_integer() || !v[1].is_number_integer()) {
            intrinsic_failure(f, "arguments must be integers");
        }
        return v[0].get<std::int64_t>() + v[1].get<std::int64_t>();
    }
    // States.StringSplit
    require_args(call, 2);
    if (!v[0].is_string() || !v[1].is_string()) {
        intrinsic_failure(f, "arguments must be strings");
    }
    const std::string s = v[0].get<std::string>();
    const std::string delims = v[1].get<std::string>();
    json out = json::array();
    std::size_t start = 0;
    for (std::size_t i = 0; i <= s.size(); ++i) {
        if (i == s.size() || delims.find(s[i]) != std::string::npos) {
            if (i > start) {
                out.push_back(s.substr(start, i - start));
            }
            start = i + 1;
        }
    }
    return out;
}

json evaluate(const Arg& a, const json& input, const json& context) {
    switch (a.kind) {
    case Arg::Kind::string:
        return unescape(a.raw);
    case Arg::Kind::literal:
        return a.literal;
    case Arg::Kind::path: {
        auto v = a.path.select(input, context);
        if (!v) {
            intrinsic_failure("path", "'" + a.path.text() + "' selects nothing in the input");
        }
        return *v;
    }
    case Arg::Kind::call:
        break;
    }
    std::vector<json> values;
    for (const auto& arg : a.args) {
        values.push_back(evaluate(arg, input, context));
    }
    return call_function(a, values);
}

bool is_dynamic_key(const std::string& key) { return key.size() > 2 && key.ends_with(".$"); }

} // namespace

void validate_template(const json& tmpl, const std::string& where) {
    if (tmpl.is_array()) {
        for (const auto& item : tmpl) {
            validate_template(item, where);
        }
        return;
    }
    if (!tmpl.is_object()) {
        return;
    }
    for (const auto& [key, value] : tmpl.items()) {
        if (!is_dynamic_key(key)) {
            validate_template(value, where);
            continue;
        }
        if (!value.is_string()) {
            throw Error(ErrorCode::config, where + ": field '" + key + "' must be a string (a path or an intrinsic)");
        }
        const auto text = value.get<std::string>();
        try {
            if (text.starts_with("$")) {
                JsonPath::parse(text);
            } else {
                Parser(text).parse_all();
            }
        } catch (const Error& e) {
            throw Error(ErrorCode::config, where + ": field '" + key + "': " + e.message(), e.hint());
        }
    }
}

json apply_template(const json& tmpl, const json& input, const json& context) {
    if (tmpl.is_array()) {
        json out = json::array();
        for (const auto& item : tmpl) {
            out.push_back(apply_template(item, input, context));
        }
        return out;
    }
    if (!tmpl.is_object()) {
        return tmpl;
    }
    json out = json::object();
    for (const auto& [key, value] : tmpl.items()) {
        if (!is_dynamic_key(key)) {
            out[key] = apply_template(value, input, context);
            continue;
        }
        const std::string name = key.substr(0, key.size() - 2);
        const auto text = value.get<std::string>();
        if (!text.starts_with("$")) {
            out[name] = evaluate_intrinsic(text, input, context);
            continue;
        }
        auto selected = JsonPath::parse(text).select(input, context);
        if (!selected) {
            throw TaskError("States.ParameterPathFailure",
                            "field '" + key + "': path '" + text + "' selects nothing in the input");
        }
        out[name] = std::move(*selected);
    }
    return out;
}

json evaluate_intrinsic(const std::string& expression, const json& input, const json& context) {
    Arg call;
    try {
        call = Parser(expression).parse_all();
    } catch (const Error& e) {
        throw TaskError("States.IntrinsicFailure", e.message());
    }
    return evaluate(call, input, context);
}

} // namespace aurora::engine
