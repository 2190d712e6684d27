#include "aws/http/http_message.hpp"

#include "common/error.hpp"

#include <algorithm>
#include <cctype>

namespace aurora::aws {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

void Headers::add(std::string name, std::string value) { entries_.emplace_back(std::move(name), std::move(value)); }

void Headers::set(std::string name, std::string value) {
    remove(name);
    add(std::move(name), std::move(value));
}

void Headers::remove(std::string_view name) {
    std::erase_if(entries_, [&](const Entry& e) { return iequals(e.first, name); });
}

std::optional<std::string> Headers::get(std::string_view name) const {
    for (const auto& [k, v] : entries_) {
        if (iequals(k, name)) {
            return v;
        }
    }
    return std::nullopt;
}

std::string uri_encode(std::string_view in, bool keep_slash) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(in.size() * 3);
    for (const char ch : in) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || (keep_slash && c == '/')) {
            out += ch;
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0x0F];
        }
    }
    return out;
}

std::string uri_decode(std::string_view in, bool plus_as_space) {
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] == '%' && i + 2 < in.size() && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
            out += static_cast<char>(hex(in[i + 1]) * 16 + hex(in[i + 2]));
            i += 2;
        } else if (plus_as_space && in[i] == '+') {
            out += ' ';
        } else {
            out += in[i];
        }
    }
    return out;
}

std::string HttpRequest::url() const {
    std::string out = scheme + "://" + host + path;
    char sep = '?';
    for (const auto& [k, v] : query) {
        out += sep;
        out += uri_encode(k);
        out += '=';
        out += uri_encode(v);
        sep = '&';
    }
    return out;
}

HttpRequest request_from_url(std::string_view method, std::string_view url) {
    HttpRequest req;
    req.method = std::string(method);
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos || scheme_end == 0) {
        throw Error(ErrorCode::invalid_parameter, "invalid url '" + std::string(url) + "': no scheme",
                    "use a full url such as https://rds.us-east-1.amazonaws.com");
    }
    req.scheme = std::string(url.substr(0, scheme_end));
    std::string_view rest = url.substr(scheme_end + 3);
    const auto path_start = rest.find_first_of("/?");
    req.host = std::string(rest.substr(0, path_start));
    if (req.host.empty()) {
        throw Error(ErrorCode::invalid_parameter, "invalid url '" + std::string(url) + "': no host");
    }
    rest = path_start == std::string_view::npos ? std::string_view{} : rest.substr(path_start);
    const auto q = rest.find('?');
    req.path = std::string(rest.substr(0, q));
    if (req.path.empty()) {
        req.path = "/";
    }
    if (q != std::string_view::npos) {
        std::string_view query = rest.substr(q + 1);
        while (!query.empty()) {
            const auto amp = query.find('&');
            const std::string_view pair = query.substr(0, amp);
            if (!pair.empty()) {
                const auto eq = pair.find('=');
                req.query.emplace_back(uri_decode(pair.substr(0, eq)),
                                       eq == std::string_view::npos ? std::string{} : uri_decode(pair.substr(eq + 1)));
            }
            if (amp == std::string_view::npos) {
                break;
            }
            query = query.substr(amp + 1);
        }
    }
    return req;
}

} // namespace aurora::aws
