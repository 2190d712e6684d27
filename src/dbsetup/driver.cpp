#include "dbsetup/driver.hpp"

#include "common/error.hpp"
#include "common/redact.hpp"
#include "dbsetup/mysql/mysql_driver.hpp"
#include "dbsetup/postgres/postgres_driver.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace aurora::dbsetup {
namespace {

[[noreturn]] void bad_url(const std::string& what) {
    throw Error(ErrorCode::config, "database url: " + what,
                "expected postgresql://user:password@host:port/database or mysql://user:password@host:port/db");
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

std::string percent_decode(std::string_view text, const char* part) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        const int hi = i + 1 < text.size() ? hex_value(text[i + 1]) : -1;
        const int lo = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
        if (hi < 0 || lo < 0) {
            bad_url(std::string("bad percent-escape in the ") + part);
        }
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return out;
}

void apply_query_param(ConnectionParams& p, const std::string& key, const std::string& value) {
    if (key == "sslmode" || key == "ssl-mode" || key == "tls") {
        std::string lower = value;
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        const auto mode = tls_mode_from_name(lower);
        if (!mode) {
            bad_url("unknown sslmode '" + value + "'");
        }
        p.tls = *mode;
    } else if (key == "sslrootcert" || key == "ssl-ca") {
        p.ca_bundle = value;
    } else if (key == "connect_timeout") {
        int v = 0;
        const auto r = std::from_chars(value.data(), value.data() + value.size(), v);
        if (r.ec != std::errc{} || r.ptr != value.data() + value.size() || v <= 0) {
            bad_url("connect_timeout must be a positive number of seconds");
        }
        p.connect_timeout_seconds = v;
    } else {
        bad_url("unknown parameter '" + key + "'");
    }
}

void parse_query(ConnectionParams& p, std::string_view query) {
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (pair.empty()) {
            continue;
        }
        const auto eq = pair.find('=');
        if (eq == std::string_view::npos) {
            bad_url("parameter '" + std::string(pair) + "' has no value");
        }
        apply_query_param(p, percent_decode(pair.substr(0, eq), "query"), percent_decode(pair.substr(eq + 1), "query"));
    }
}

void parse_host_port(ConnectionParams& p, std::string_view hostport) {
    std::string_view port;
    if (!hostport.empty() && hostport.front() == '[') {
        const auto close = hostport.find(']');
        if (close == std::string_view::npos) {
            bad_url("unterminated IPv6 address");
        }
        p.host = std::string(hostport.substr(1, close - 1));
        const auto rest = hostport.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') {
                bad_url("bad host");
            }
            port = rest.substr(1);
        }
    } else {
        const auto colon = hostport.rfind(':');
        p.host = std::string(hostport.substr(0, colon));
        if (colon != std::string_view::npos) {
            port = hostport.substr(colon + 1);
        }
    }
    if (p.host.empty()) {
        bad_url("missing host");
    }
    if (!port.empty()) {
        unsigned v = 0;
        const auto r = std::from_chars(port.data(), port.data() + port.size(), v);
        if (r.ec != std::errc{} || r.ptr != port.data() + port.size() || v == 0 || v > 65535) {
            bad_url("bad port '" + std::string(port) + "'");
        }
        p.port = static_cast<std::uint16_t>(v);
    }
}

} // namespace

std::string_view tls_mode_name(TlsMode mode) {
    switch (mode) {
    case TlsMode::disable: return "disable";
    case TlsMode::prefer: return "prefer";
    case TlsMode::require: return "require";
    case TlsMode::verify_ca: return "verify-ca";
    case TlsMode::verify_full: return "verify-full";
    }
    return "prefer";
}

std::optional<TlsMode> tls_mode_from_name(std::string_view name) {
    std::string n(name);
    std::replace(n.begin(), n.end(), '_', '-');
    for (TlsMode m : {TlsMode::disable, TlsMode::prefer, TlsMode::require, TlsMode::verify_ca, TlsMode::verify_full}) {
        if (n == tls_mode_name(m)) {
            return m;
        }
    }
    return std::nullopt;
}

std::string_view change_name(Change change) {
    switch (change) {
    case Change::created: return "created";
    case Change::altered: return "altered";
    case Change::unchanged: return "unchanged";
    }
    return "unchanged";
}

ConnectionUrl parse_connection_url(const std::string& url) {
    ConnectionUrl out;
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos) {
        bad_url("missing scheme");
    }
    const std::string scheme = url.substr(0, scheme_end);
    if (scheme == "postgresql" || scheme == "postgres") {
        out.engine = Engine::postgres;
    } else if (scheme == "mysql" || scheme == "mariadb") {
        out.engine = Engine::mysql;
    } else {
        bad_url("unknown scheme '" + scheme + "'");
    }
    std::string_view rest(url);
    rest.remove_prefix(scheme_end + 3);
    const auto qmark = rest.find('?');
    if (qmark != std::string_view::npos) {
        parse_query(out.params, rest.substr(qmark + 1));
        rest = rest.substr(0, qmark);
    }
    const auto slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    if (slash != std::string_view::npos) {
        out.params.database = percent_decode(rest.substr(slash + 1), "database");
    }
    // The last '@' ends the user info: a password may contain a raw '@' even though it should be escaped.
    const auto at = authority.rfind('@');
    if (at != std::string_view::npos) {
        const auto userinfo = authority.substr(0, at);
        authority = authority.substr(at + 1);
        const auto colon = userinfo.find(':');
        out.params.user = percent_decode(userinfo.substr(0, colon), "user");
        if (colon != std::string_view::npos) {
            out.params.password = percent_decode(userinfo.substr(colon + 1), "password");
            register_secret(out.params.password);
        }
    }
    parse_host_port(out.params, authority);
    if (out.params.user.empty()) {
        bad_url("missing user");
    }
    return out;
}

std::unique_ptr<Driver> make_driver(Engine engine) {
    if (engine == Engine::postgres) {
        return make_postgres_driver();
    }
    return make_mysql_driver();
}

} // namespace aurora::dbsetup
