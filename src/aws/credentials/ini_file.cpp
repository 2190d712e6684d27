#include "aws/credentials/ini_file.hpp"

#include "common/error.hpp"

#include <algorithm>
#include <cctype>

namespace aurora::aws {
namespace {

std::string_view trim(std::string_view s) {
    const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; };
    while (!s.empty() && is_space(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && is_space(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

//! Splits "key = value" at the first '='; nullopt when there is none or the key is empty.
std::optional<std::pair<std::string, std::string>> split_property(std::string_view line) {
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) {
        return std::nullopt;
    }
    const auto key = trim(line.substr(0, eq));
    if (key.empty()) {
        return std::nullopt;
    }
    return std::make_pair(lower(key), std::string(trim(line.substr(eq + 1))));
}

class Parser {
public:
    explicit Parser(const std::string& file_name) : file_name_(file_name) {}

    IniFile run(std::string_view text) {
        std::size_t line_no = 0;
        while (!text.empty()) {
            const auto nl = text.find('\n');
            const auto line = text.substr(0, nl);
            text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
            ++line_no;
            parse_line(line, line_no);
        }
        return std::move(file_);
    }

private:
    [[noreturn]] void fail(std::size_t line_no, const std::string& what) const {
        throw Error(ErrorCode::config,
                    "invalid line " + std::to_string(line_no) + " in aws config file '" + file_name_ + "': " + what,
                    "the file format is described at https://docs.aws.amazon.com/sdkref/latest/guide/file-format.html");
    }

    void parse_line(std::string_view raw, std::size_t line_no) {
        const auto content = trim(raw);
        if (content.empty() || content.front() == '#' || content.front() == ';') {
            return;
        }
        const bool indented = raw.front() == ' ' || raw.front() == '\t';
        if (indented && section_ != nullptr && !last_key_.empty()) {
            parse_nested(content, line_no);
            return;
        }
        if (content.front() == '[') {
            parse_header(content, line_no);
            return;
        }
        if (section_ == nullptr) {
            fail(line_no, "a property before any [section]");
        }
        auto prop = split_property(content);
        if (!prop) {
            fail(line_no, "expected 'key = value'");
        }
        last_key_ = prop->first;
        section_->values[prop->first] = prop->second;
        in_sub_section_ = prop->second.empty();
        if (in_sub_section_) {
            section_->sub_sections[last_key_].clear();
        }
    }

    void parse_header(std::string_view content, std::size_t line_no) {
        const auto close = content.find(']');
        if (close == std::string_view::npos) {
            fail(line_no, "a section header without ']'");
        }
        const auto rest = trim(content.substr(close + 1));
        if (!rest.empty() && rest.front() != '#' && rest.front() != ';') {
            fail(line_no, "text after a section header");
        }
        std::string name(trim(content.substr(1, close - 1)));
        if (name.empty()) {
            fail(line_no, "an empty section name");
        }
        if (!file_.sections.contains(name)) {
            file_.order.push_back(name);
        }
        section_ = &file_.sections[name];
        last_key_.clear();
        in_sub_section_ = false;
    }

    void parse_nested(std::string_view content, std::size_t line_no) {
        if (!in_sub_section_) {
            // Why: ConfigParser joins an indented line onto the previous value (a multi-line value).
            section_->values[last_key_] += "\n" + std::string(content);
            return;
        }
        auto prop = split_property(content);
        if (!prop) {
            fail(line_no, "expected 'key = value' inside the sub-section '" + last_key_ + "'");
        }
        section_->sub_sections[last_key_][prop->first] = prop->second;
    }

    const std::string& file_name_;
    IniFile file_;
    IniSection* section_ = nullptr;
    std::string last_key_;
    bool in_sub_section_ = false;
};

} // namespace

std::optional<std::string> IniSection::get(std::string_view key) const {
    const auto it = values.find(std::string(key));
    if (it == values.end()) {
        return std::nullopt;
    }
    return it->second;
}

IniFile parse_ini(std::string_view text, const std::string& file_name) { return Parser(file_name).run(text); }

} // namespace aurora::aws
