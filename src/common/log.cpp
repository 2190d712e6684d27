#include "common/log.hpp"

#include "common/clock.hpp"
#include "common/redact.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <iostream>
#include <mutex>

namespace aurora::log {
namespace {

std::atomic<Level> g_level{Level::info};
std::atomic<Format> g_format{Format::text};
std::mutex g_sink_mutex;
Sink g_sink; // guarded by g_sink_mutex; empty means stderr

constexpr std::string_view level_name(Level l) {
    switch (l) {
    case Level::trace: return "trace";
    case Level::debug: return "debug";
    case Level::info: return "info";
    case Level::warn: return "warn";
    case Level::error: return "error";
    case Level::off: return "off";
    }
    return "info";
}

std::string quote_if_needed(const std::string& v) {
    if (!v.empty() && v.find_first_of(" \t\"=\n") == std::string::npos) {
        return v;
    }
    std::string out = "\"";
    for (char c : v) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out + "\"";
}

} // namespace

void set_level(Level l) { g_level = l; }
Level level() { return g_level; }
void set_format(Format f) { g_format = f; }

void set_sink(Sink sink) {
    std::lock_guard lock(g_sink_mutex);
    g_sink = std::move(sink);
}

Level parse_level(std::string_view text) {
    for (Level l : {Level::trace, Level::debug, Level::info, Level::warn, Level::error, Level::off}) {
        if (text == level_name(l)) {
            return l;
        }
    }
    return Level::info;
}

std::string format_line(Level lvl, std::string_view event, const Fields& fields) {
    const std::string ts = format_iso8601(SystemClock::instance().now());
    std::string line;
    if (g_format.load() == Format::json) {
        nlohmann::ordered_json j;
        j["ts"] = ts;
        j["level"] = level_name(lvl);
        j["event"] = event;
        for (const auto& f : fields) {
            j[f.key] = is_sensitive_key(f.key) ? std::string(kRedacted) : f.value;
        }
        line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    } else {
        line = "ts=" + ts + " level=" + std::string(level_name(lvl)) + " event=" + quote_if_needed(std::string(event));
        for (const auto& f : fields) {
            line += ' ';
            line += f.key;
            line += '=';
            line += is_sensitive_key(f.key) ? std::string(kRedacted) : quote_if_needed(f.value);
        }
    }
    return redact(line);
}

void write(Level lvl, std::string_view event, const Fields& fields) {
    if (lvl < g_level.load() || lvl == Level::off) {
        return;
    }
    const std::string line = format_line(lvl, event, fields);
    std::lock_guard lock(g_sink_mutex);
    if (g_sink) {
        g_sink(lvl, line);
    } else {
        std::cerr << line << '\n';
    }
}

} // namespace aurora::log
