#include "aws/sigv4/canonical.hpp"

#include "aws/sigv4/signing_key.hpp"

#include <algorithm>
#include <array>
#include <map>

namespace aurora::aws::sigv4 {

namespace {

bool is_ascii_space(char c) {
    // Python's str.split() whitespace in the ASCII range: botocore trims header values with it.
    switch (c) {
    case ' ':
    case '\t':
    case '\n':
    case '\r':
    case '\v':
    case '\f':
    case '\x1c':
    case '\x1d':
    case '\x1e':
    case '\x1f': return true;
    default: return false;
    }
}

} // namespace

std::string to_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

std::string remove_dot_segments(std::string_view path) {
    if (path.empty()) {
        return "/";
    }
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (start <= path.size()) {
        const auto slash = path.find('/', start);
        const auto end = slash == std::string_view::npos ? path.size() : slash;
        const std::string_view seg = path.substr(start, end - start);
        if (seg == "..") {
            if (!out.empty()) {
                out.pop_back();
            }
        } else if (!seg.empty() && seg != ".") {
            out.push_back(seg);
        }
        start = end + 1;
    }
    std::string result = path.front() == '/' ? "/" : "";
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (i > 0) {
            result += '/';
        }
        result += out[i];
    }
    if (path.back() == '/' && !out.empty()) {
        result += '/';
    }
    return result;
}

std::string canonical_uri(std::string_view path, bool normalize) {
    if (path.empty()) {
        return "/";
    }
    return uri_encode(normalize ? remove_dot_segments(path) : std::string(path), /*keep_slash=*/true);
}

std::string canonical_query(const QueryList& query, std::string_view exclude_key) {
    std::vector<std::pair<std::string, std::string>> encoded;
    encoded.reserve(query.size());
    for (const auto& [k, v] : query) {
        if (!exclude_key.empty() && k == exclude_key) {
            continue;
        }
        encoded.emplace_back(uri_encode(k), uri_encode(v));
    }
    std::sort(encoded.begin(), encoded.end());
    std::string out;
    for (const auto& [k, v] : encoded) {
        if (!out.empty()) {
            out += '&';
        }
        out += k;
        out += '=';
        out += v;
    }
    return out;
}

std::string trim_all(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    std::size_t i = 0;
    while (i < value.size()) {
        while (i < value.size() && is_ascii_space(value[i])) {
            ++i;
        }
        const std::size_t word = i;
        while (i < value.size() && !is_ascii_space(value[i])) {
            ++i;
        }
        if (i > word) {
            if (!out.empty()) {
                out += ' ';
            }
            out.append(value.substr(word, i - word));
        }
    }
    return out;
}

std::string host_header_value(const HttpRequest& request) {
    std::string host = to_lower(request.host);
    const auto colon = host.rfind(':');
    // An IPv6 literal ends with ']' unless it carries a port.
    if (colon == std::string::npos || host.find(']', colon) != std::string::npos) {
        return host;
    }
    const std::string_view port = std::string_view(host).substr(colon + 1);
    if ((request.scheme == "https" && port == "443") || (request.scheme == "http" && port == "80")) {
        host.resize(colon);
    }
    return host;
}

bool is_unsigned_header(std::string_view lowercase_name) {
    static constexpr std::array<std::string_view, 11> kUnsigned = {
        "connection",        "expect",  "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id"};
    return std::find(kUnsigned.begin(), kUnsigned.end(), lowercase_name) != kUnsigned.end();
}

namespace {

CanonicalHeaders render(const std::map<std::string, std::vector<std::string>>& by_name) {
    CanonicalHeaders out;
    for (const auto& [name, values] : by_name) {
        out.canonical += name;
        out.canonical += ':';
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (i > 0) {
                out.canonical += ',';
            }
            out.canonical += trim_all(values[i]);
        }
        out.canonical += '\n';
        if (!out.signed_headers.empty()) {
            out.signed_headers += ';';
        }
        out.signed_headers += name;
    }
    return out;
}

} // namespace

CanonicalHeaders canonical_headers_all(const HttpRequest& request, const std::vector<std::string>& skip) {
    std::map<std::string, std::vector<std::string>> by_name;
    for (const auto& [name, value] : request.headers.entries()) {
        std::string lname = to_lower(name);
        if (is_unsigned_header(lname) || std::find(skip.begin(), skip.end(), lname) != skip.end()) {
            continue;
        }
        by_name[std::move(lname)].push_back(value);
    }
    if (!by_name.contains("host")) {
        by_name["host"].push_back(host_header_value(request));
    }
    return render(by_name);
}

CanonicalHeaders canonical_headers_listed(const HttpRequest& request, const std::vector<std::string>& names) {
    std::map<std::string, std::vector<std::string>> by_name;
    for (const auto& raw : names) {
        const std::string lname = to_lower(raw);
        auto& values = by_name[lname];
        if (!values.empty()) {
            continue; // listed twice: the values are already in
        }
        for (const auto& [name, value] : request.headers.entries()) {
            if (to_lower(name) == lname) {
                values.push_back(value);
            }
        }
        if (values.empty()) {
            values.push_back(lname == "host" ? host_header_value(request) : std::string{});
        }
    }
    return render(by_name);
}

std::string canonical_request(std::string_view method, std::string_view uri, std::string_view query,
                              const CanonicalHeaders& headers, std::string_view payload_hash) {
    std::string out;
    out.reserve(method.size() + uri.size() + query.size() + headers.canonical.size() + headers.signed_headers.size() +
                payload_hash.size() + 8);
    out += method;
    out += '\n';
    out += uri;
    out += '\n';
    out += query;
    out += '\n';
    out += headers.canonical;
    out += '\n';
    out += headers.signed_headers;
    out += '\n';
    out += payload_hash;
    return out;
}

std::string credential_scope(std::string_view date, std::string_view region, std::string_view service) {
    std::string out(date);
    out += '/';
    out += region;
    out += '/';
    out += service;
    out += "/aws4_request";
    return out;
}

std::string string_to_sign(std::string_view amz_date, std::string_view scope, std::string_view canonical_request) {
    std::string out = "AWS4-HMAC-SHA256\n";
    out += amz_date;
    out += '\n';
    out += scope;
    out += '\n';
    out += sha256_hex(canonical_request);
    return out;
}

std::string sign_string(std::string_view secret, std::string_view date, std::string_view region,
                        std::string_view service, std::string_view sts) {
    const std::string key = SigningKeyCache::instance().get(secret, date, region, service);
    return to_hex(hmac_sha256(key, sts));
}

std::string payload_hash_of(const HttpRequest& request) {
    if (auto declared = request.headers.get("x-amz-content-sha256")) {
        return *declared;
    }
    return sha256_hex(request.body);
}

} // namespace aurora::aws::sigv4
