#include "aws/sigv4/sigv4_verify.hpp"

#include "aws/sigv4/canonical.hpp"
#include "aws/sigv4/sigv4.hpp"
#include "common/clock.hpp"
#include "common/error.hpp"

#include <algorithm>
#include <cctype>

namespace aurora::aws {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

std::vector<std::string> split(std::string_view s, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        const auto pos = s.find(sep, start);
        out.emplace_back(s.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
        if (pos == std::string_view::npos) {
            return out;
        }
        start = pos + 1;
    }
}

bool all_digits(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

struct Scope {
    std::string access_key_id, date, region, service;
};

//! "AKID/YYYYMMDD/region/service/aws4_request".
std::optional<Scope> parse_credential(std::string_view credential) {
    const auto parts = split(credential, '/');
    if (parts.size() != 5 || parts[0].empty() || parts[1].size() != 8 || !all_digits(parts[1]) || parts[2].empty() ||
        parts[3].empty() || parts[4] != "aws4_request") {
        return std::nullopt;
    }
    return Scope{parts[0], parts[1], parts[2], parts[3]};
}

std::optional<std::vector<std::string>> parse_signed_headers(std::string_view list) {
    if (list.empty()) {
        return std::nullopt;
    }
    auto names = split(list, ';');
    if (std::any_of(names.begin(), names.end(), [](const std::string& n) { return n.empty(); })) {
        return std::nullopt;
    }
    return names;
}

bool is_amz_date(std::string_view s) {
    return s.size() == 16 && all_digits(s.substr(0, 8)) && s[8] == 'T' && all_digits(s.substr(9, 6)) && s[15] == 'Z';
}

} // namespace

std::optional<ParsedAuthorization> parse_authorization_header(std::string_view value) {
    value = trim(value);
    const std::string_view algorithm = kSigV4Algorithm;
    if (value.substr(0, algorithm.size()) != algorithm || value.size() == algorithm.size() ||
        (value[algorithm.size()] != ' ' && value[algorithm.size()] != '\t')) {
        return std::nullopt;
    }
    std::optional<std::string> credential, signed_headers, signature;
    for (const auto& raw : split(value.substr(algorithm.size()), ',')) {
        const std::string_view component = trim(raw);
        const auto eq = component.find('=');
        if (eq == std::string_view::npos) {
            return std::nullopt;
        }
        const std::string_view name = trim(component.substr(0, eq));
        std::string val(trim(component.substr(eq + 1)));
        std::optional<std::string>* slot = name == "Credential"      ? &credential
                                           : name == "SignedHeaders" ? &signed_headers
                                           : name == "Signature"     ? &signature
                                                                     : nullptr;
        if (slot == nullptr || slot->has_value()) {
            return std::nullopt;
        }
        *slot = std::move(val);
    }
    if (!credential || !signed_headers || !signature || signature->empty()) {
        return std::nullopt;
    }
    auto scope = parse_credential(*credential);
    auto names = parse_signed_headers(*signed_headers);
    if (!scope || !names) {
        return std::nullopt;
    }
    return ParsedAuthorization{std::move(scope->access_key_id), std::move(scope->date), std::move(scope->region),
                               std::move(scope->service),       std::move(*names),      std::move(*signature)};
}

std::string compute_signature(const HttpRequest& received, const std::vector<std::string>& signed_headers,
                              const std::string& secret, const std::string& region, const std::string& service,
                              const std::string& amz_date, const std::string& payload_hash, bool normalize_path) {
    if (!is_amz_date(amz_date)) {
        throw Error(ErrorCode::signature, "x-amz-date '" + amz_date + "' is not of the form YYYYMMDDTHHMMSSZ");
    }
    const std::string date = amz_date.substr(0, 8);
    const sigv4::CanonicalHeaders headers = sigv4::canonical_headers_listed(received, signed_headers);
    const std::string creq =
        sigv4::canonical_request(received.method, sigv4::canonical_uri(received.path, normalize_path),
                                 sigv4::canonical_query(received.query), headers, payload_hash);
    const std::string sts = sigv4::string_to_sign(amz_date, sigv4::credential_scope(date, region, service), creq);
    return sigv4::sign_string(secret, date, region, service, sts);
}

std::optional<ParsedPresign> parse_presigned_query(const HttpRequest& received) {
    std::optional<std::string> algorithm, credential, amz_date, expires, signed_headers, signature, token;
    for (const auto& [k, v] : received.query) {
        std::optional<std::string>* slot = k == "X-Amz-Algorithm"        ? &algorithm
                                           : k == "X-Amz-Credential"     ? &credential
                                           : k == "X-Amz-Date"           ? &amz_date
                                           : k == "X-Amz-Expires"        ? &expires
                                           : k == "X-Amz-SignedHeaders"  ? &signed_headers
                                           : k == "X-Amz-Signature"      ? &signature
                                           : k == "X-Amz-Security-Token" ? &token
                                                                         : nullptr;
        if (slot == nullptr) {
            continue;
        }
        if (slot->has_value()) {
            return std::nullopt;
        }
        *slot = v;
    }
    if (!algorithm || *algorithm != kSigV4Algorithm || !credential || !amz_date || !expires || !signed_headers ||
        !signature || signature->empty()) {
        return std::nullopt;
    }
    auto scope = parse_credential(*credential);
    auto names = parse_signed_headers(*signed_headers);
    if (!scope || !names || !is_amz_date(*amz_date) || amz_date->substr(0, 8) != scope->date || expires->empty() ||
        expires->size() > 6 || !all_digits(*expires)) {
        return std::nullopt;
    }
    const std::chrono::seconds validity{std::stoll(*expires)};
    if (validity < std::chrono::seconds{1} || validity > kMaxPresignExpiry) {
        return std::nullopt;
    }
    ParsedPresign out;
    out.access_key_id = std::move(scope->access_key_id);
    out.date = std::move(scope->date);
    out.region = std::move(scope->region);
    out.service = std::move(scope->service);
    out.amz_date = std::move(*amz_date);
    out.expires = validity;
    out.signed_headers = std::move(*names);
    out.signature = std::move(*signature);
    out.security_token = std::move(token);
    return out;
}

std::string compute_presigned_signature(const HttpRequest& received, const ParsedPresign& parsed,
                                        const std::string& secret, const std::string& payload_hash,
                                        bool normalize_path) {
    const sigv4::CanonicalHeaders headers = sigv4::canonical_headers_listed(received, parsed.signed_headers);
    const std::string creq =
        sigv4::canonical_request(received.method, sigv4::canonical_uri(received.path, normalize_path),
                                 sigv4::canonical_query(received.query, "X-Amz-Signature"), headers, payload_hash);
    const std::string sts = sigv4::string_to_sign(
        parsed.amz_date, sigv4::credential_scope(parsed.date, parsed.region, parsed.service), creq);
    return sigv4::sign_string(secret, parsed.date, parsed.region, parsed.service, sts);
}

bool presign_expired(const ParsedPresign& parsed, std::chrono::system_clock::time_point now) {
    const std::string& d = parsed.amz_date;
    // "YYYYMMDDTHHMMSSZ" → the extended form parse_iso8601 reads.
    const std::string iso = d.substr(0, 4) + "-" + d.substr(4, 2) + "-" + d.substr(6, 2) + "T" + d.substr(9, 2) + ":" +
                            d.substr(11, 2) + ":" + d.substr(13, 2) + "Z";
    const Clock::WallTime signed_at = parse_iso8601(iso);
    if (signed_at - now > std::chrono::minutes{15}) {
        return true;
    }
    return now > signed_at + parsed.expires;
}

bool signatures_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        diff = static_cast<unsigned char>(diff | (static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i])));
    }
    return diff == 0;
}

} // namespace aurora::aws
