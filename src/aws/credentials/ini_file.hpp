#pragma once
//! The INI dialect of the AWS shared config and credentials files
//! (https://docs.aws.amazon.com/sdkref/latest/guide/file-format.html), as botocore's parser reads it:
//!  - `[section]` headers (whitespace inside the brackets trimmed, a trailing `#`/`;` comment allowed);
//!  - `key = value` lines; keys are lowercased (Python's ConfigParser does), values trimmed;
//!  - whole-line comments starting with `#` or `;`; blank lines ignored;
//!  - a key with an empty value followed by indented `k = v` lines is a sub-section
//!    (`s3 =\n  max_concurrent_requests = 10`);
//!  - an indented line after a key with a value continues that value (joined with "\n").

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aurora::aws {

//! One `[section]`: its properties and its nested sub-sections.
struct IniSection {
    std::map<std::string, std::string> values;
    std::map<std::string, std::map<std::string, std::string>> sub_sections;

    //! The value of `key` (lowercase), or nullopt when absent.
    std::optional<std::string> get(std::string_view key) const;
};

//! A parsed file: sections by their literal name (e.g. "profile dev", "default", "services local").
struct IniFile {
    //! Section names in order of first appearance (a repeated section merges into the first).
    std::vector<std::string> order;
    std::map<std::string, IniSection> sections;
};

//! Parses `text`. `file_name` only names the file in errors. Throws aurora::Error(config) naming the line
//! number (never the line's text: it may hold a secret key) for a property before any section or a line that
//! is neither a section, a property, a comment nor a continuation.
IniFile parse_ini(std::string_view text, const std::string& file_name);

} // namespace aurora::aws
