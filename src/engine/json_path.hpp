#pragma once
//! The JSONPath subset of Amazon States Language: `$`, `$.a.b`, `$.a[0]`, `$['a b']` and the context
//! object `$$.Execution.Id` (https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html).
//! Wildcards, filters, slices and recursive descent are not supported and are rejected at load time.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace aurora::engine {

using nlohmann::json;

//! One parsed path.
class JsonPath {
public:
    using Step = std::variant<std::string, std::size_t>;

    //! "$" (the whole input).
    JsonPath();
    //! Parses `text`; throws aurora::Error(config) naming the path and what is wrong. `allow_context`
    //! false refuses `$$…` (a reference path such as ResultPath may not address the context object).
    static JsonPath parse(std::string_view text, bool allow_context = true);

    //! The value at this path in `input` (or `context` for a `$$` path); nullopt when any step is missing
    //! or has the wrong type.
    std::optional<json> select(const json& input, const json& context) const;
    //! Writes `value` at this path inside `target`, creating objects for missing fields (ResultPath
    //! semantics). Throws aurora::Error(invalid_parameter) when a step runs into a non-object, or an index
    //! is out of range.
    void assign(json& target, json value) const;

    bool is_root() const { return steps_.empty() && !context_; }
    bool is_context() const { return context_; }
    const std::string& text() const { return text_; }

private:
    bool context_ = false;
    std::vector<Step> steps_;
    std::string text_ = "$";
};

} // namespace aurora::engine
