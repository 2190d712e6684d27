#include "dbsetup/sql_script.hpp"

#include "common/error.hpp"

#include <cctype>

namespace aurora::dbsetup {
namespace {

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

std::string trim(const std::string& s) {
    std::size_t b = 0;
    std::size_t e = s.size();
    while (b < e && is_space(s[b])) {
        ++b;
    }
    while (e > b && is_space(s[e - 1])) {
        --e;
    }
    return s.substr(b, e - b);
}

// A dollar-quote opening tag at `pos` ("$$" or "$tag$", tag = identifier chars not starting with a digit),
// or empty. https://www.postgresql.org/docs/15/sql-syntax-lexical.html#SQL-SYNTAX-DOLLAR-QUOTING
std::string dollar_tag_at(const std::string& s, std::size_t pos) {
    std::size_t i = pos + 1;
    if (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) != 0) {
        return {};
    }
    while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) != 0 || s[i] == '_')) {
        ++i;
    }
    if (i < s.size() && s[i] == '$') {
        return s.substr(pos, i - pos + 1);
    }
    return {};
}

class Splitter {
public:
    Splitter(const std::string& script, Engine engine, const std::string& name)
        : s_(script), engine_(engine), name_(name) {}

    std::vector<SqlStatement> run() {
        while (i_ < s_.size()) {
            step();
        }
        flush();
        return out_;
    }

private:
    void step() {
        const char c = s_[i_];
        const char next = i_ + 1 < s_.size() ? s_[i_ + 1] : '\0';
        if (c == ';') {
            flush();
            ++i_;
            return;
        }
        if (c == '-' && next == '-') {
            skip_line_comment();
            return;
        }
        if (c == '#' && engine_ == Engine::mysql) {
            skip_line_comment();
            return;
        }
        if (c == '/' && next == '*') {
            skip_block_comment();
            return;
        }
        if (c == '\'' || c == '"' || (c == '`' && engine_ == Engine::mysql)) {
            copy_quoted(c);
            return;
        }
        if (c == '$' && engine_ == Engine::postgres && !prev_is_word()) {
            const std::string tag = dollar_tag_at(s_, i_);
            if (!tag.empty()) {
                copy_dollar_quoted(tag);
                return;
            }
        }
        take(1);
    }

    bool prev_is_word() const {
        if (i_ == 0) {
            return false;
        }
        const char p = s_[i_ - 1];
        return std::isalnum(static_cast<unsigned char>(p)) != 0 || p == '_';
    }

    void take(std::size_t n) {
        for (std::size_t k = 0; k < n && i_ < s_.size(); ++k, ++i_) {
            if (!started_ && !is_space(s_[i_])) {
                started_ = true;
                start_line_ = line_;
            }
            if (s_[i_] == '\n') {
                ++line_;
            }
            current_ += s_[i_];
        }
    }

    void skip(std::size_t n) {
        for (std::size_t k = 0; k < n && i_ < s_.size(); ++k, ++i_) {
            if (s_[i_] == '\n') {
                ++line_;
            }
        }
        if (started_) {
            current_ += ' ';
        }
    }

    void skip_line_comment() {
        std::size_t n = 0;
        while (i_ + n < s_.size() && s_[i_ + n] != '\n') {
            ++n;
        }
        skip(n);
    }

    void skip_block_comment() {
        const int at = line_;
        std::size_t j = i_ + 2;
        int depth = 1;
        while (j < s_.size() && depth > 0) {
            if (s_[j] == '*' && j + 1 < s_.size() && s_[j + 1] == '/') {
                --depth;
                j += 2;
            } else if (engine_ == Engine::postgres && s_[j] == '/' && j + 1 < s_.size() && s_[j + 1] == '*') {
                ++depth;
                j += 2;
            } else {
                ++j;
            }
        }
        if (depth > 0) {
            unterminated("comment", at);
        }
        skip(j - i_);
    }

    void copy_quoted(char q) {
        const int at = line_;
        std::size_t j = i_ + 1;
        for (;;) {
            if (j >= s_.size()) {
                unterminated(q == '\'' ? "string" : "quoted identifier", at);
            }
            if (s_[j] == '\\' && q == '\'' && engine_ == Engine::mysql) {
                j += 2;
                continue;
            }
            if (s_[j] == q) {
                if (j + 1 < s_.size() && s_[j + 1] == q) {
                    j += 2;
                    continue;
                }
                break;
            }
            ++j;
        }
        take(j - i_ + 1);
    }

    void copy_dollar_quoted(const std::string& tag) {
        const int at = line_;
        const auto end = s_.find(tag, i_ + tag.size());
        if (end == std::string::npos) {
            unterminated("dollar-quoted string", at);
        }
        take(end + tag.size() - i_);
    }

    [[noreturn]] void unterminated(const char* what, int at) const {
        throw Error(ErrorCode::invalid_request,
                    "sanitize script '" + name_ + "': unterminated " + what + " starting at line " + std::to_string(at));
    }

    void flush() {
        auto text = trim(current_);
        if (!text.empty()) {
            out_.push_back(SqlStatement{std::move(text), start_line_});
        }
        current_.clear();
        started_ = false;
    }

    const std::string& s_;
    Engine engine_;
    const std::string& name_;
    std::size_t i_ = 0;
    int line_ = 1;
    int start_line_ = 1;
    bool started_ = false;
    std::string current_;
    std::vector<SqlStatement> out_;
};

std::string first_words(const std::string& statement, int count) {
    std::string out;
    int words = 0;
    bool in_word = false;
    for (char c : statement) {
        if (is_space(c) || c == '(') {
            if (in_word && ++words == count) {
                break;
            }
            in_word = false;
            continue;
        }
        if (!in_word && !out.empty()) {
            out += ' ';
        }
        in_word = true;
        out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
}

} // namespace

std::vector<SqlStatement> split_sql_statements(const std::string& script, Engine engine,
                                               const std::string& script_name) {
    return Splitter(script, engine, script_name).run();
}

bool is_transaction_control(const std::string& statement) {
    const std::string w1 = first_words(statement, 1);
    const std::string w2 = first_words(statement, 2);
    return w1 == "BEGIN" || w1 == "COMMIT" || w1 == "END" || w1 == "ROLLBACK" || w1 == "SAVEPOINT" ||
           w1 == "RELEASE" || w1 == "ABORT" || w2 == "START TRANSACTION";
}

std::string statement_excerpt(const std::string& statement) {
    std::string first = statement.substr(0, statement.find('\n'));
    if (first.size() > 120 || first.size() < statement.size()) {
        first = first.substr(0, 120) + "…";
    }
    return first;
}

} // namespace aurora::dbsetup
