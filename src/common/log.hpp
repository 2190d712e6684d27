#pragma once
//! Structured logging (style.md #11): one line per event, `key=value` text or JSON, every line redacted.
//!
//!   log::info("aws.call", {{"service", "rds"}, {"op", "DescribeDBClusters"}, {"request_id", id}});
//!
//! A field whose key is sensitive (see is_sensitive_key) is masked whole; registered secrets are masked
//! anywhere in the line.

#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aurora::log {

enum class Level { trace, debug, info, warn, error, off };
enum class Format { text, json };

struct Field {
    std::string key;
    std::string value;
    Field(std::string k, std::string v) : key(std::move(k)), value(std::move(v)) {}
    Field(std::string k, const char* v) : key(std::move(k)), value(v) {}
    Field(std::string k, std::string_view v) : key(std::move(k)), value(v) {}
    template <typename N>
        requires std::is_arithmetic_v<N>
    Field(std::string k, N v) : key(std::move(k)), value(std::to_string(v)) {}
};
using Fields = std::vector<Field>;

//! Receives finished (already redacted) lines without the trailing newline.
using Sink = std::function<void(Level, const std::string&)>;

void set_level(Level level);
Level level();
void set_format(Format format);
//! Replaces the sink (default: stderr). Pass nullptr to restore the default.
void set_sink(Sink sink);
//! Parses "trace|debug|info|warn|error|off"; nullopt-like: returns Level::info for unknown text.
Level parse_level(std::string_view text);

//! Formats, redacts and writes one event when `lvl` is enabled. Thread-safe.
void write(Level lvl, std::string_view event, const Fields& fields = {});
//! The formatted, redacted line (what write() would emit), for tests and the audit log.
std::string format_line(Level lvl, std::string_view event, const Fields& fields);

inline void trace(std::string_view e, const Fields& f = {}) { write(Level::trace, e, f); }
inline void debug(std::string_view e, const Fields& f = {}) { write(Level::debug, e, f); }
inline void info(std::string_view e, const Fields& f = {}) { write(Level::info, e, f); }
inline void warn(std::string_view e, const Fields& f = {}) { write(Level::warn, e, f); }
inline void error(std::string_view e, const Fields& f = {}) { write(Level::error, e, f); }

} // namespace aurora::log
