#include "aws/sigv4/signing_key.hpp"

#include "common/error.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>

namespace aurora::aws {

namespace {

const unsigned char* bytes_of(std::string_view s) {
    // OpenSSL takes unsigned char buffers; std::string_view holds char. Same object representation.
    return reinterpret_cast<const unsigned char*>(s.data());
}

} // namespace

std::string to_hex(std::string_view bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        out += kHex[c >> 4];
        out += kHex[c & 0x0F];
    }
    return out;
}

std::string sha256_hex(std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), md.data(), &len, EVP_sha256(), nullptr) != 1) {
        throw Error(ErrorCode::internal, "sha-256 digest failed in openssl");
    }
    return to_hex(std::string_view(reinterpret_cast<const char*>(md.data()), len));
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int len = 0;
    if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), bytes_of(data), data.size(), md.data(), &len) ==
        nullptr) {
        throw Error(ErrorCode::internal, "hmac-sha256 failed in openssl");
    }
    return std::string(reinterpret_cast<const char*>(md.data()), len);
}

std::string derive_signing_key(std::string_view secret, std::string_view date, std::string_view region,
                               std::string_view service) {
    const std::string k_secret = "AWS4" + std::string(secret);
    const std::string k_date = hmac_sha256(k_secret, date);
    const std::string k_region = hmac_sha256(k_date, region);
    const std::string k_service = hmac_sha256(k_region, service);
    return hmac_sha256(k_service, "aws4_request");
}

std::string SigningKeyCache::get(std::string_view secret, std::string_view date, std::string_view region,
                                 std::string_view service) {
    // '\n' cannot appear in a date, region or service name, so the joined key is unambiguous.
    std::string key = sha256_hex(secret);
    key += '\n';
    key += date;
    key += '\n';
    key += region;
    key += '\n';
    key += service;
    {
        const std::lock_guard lock(mutex_);
        if (const auto it = keys_.find(key); it != keys_.end()) {
            ++hits_;
            return it->second;
        }
        ++misses_;
    }
    std::string derived = derive_signing_key(secret, date, region, service);
    const std::lock_guard lock(mutex_);
    if (keys_.size() >= capacity_) {
        keys_.clear();
    }
    keys_.emplace(std::move(key), derived);
    return derived;
}

std::uint64_t SigningKeyCache::hits() const {
    const std::lock_guard lock(mutex_);
    return hits_;
}

std::uint64_t SigningKeyCache::misses() const {
    const std::lock_guard lock(mutex_);
    return misses_;
}

std::size_t SigningKeyCache::size() const {
    const std::lock_guard lock(mutex_);
    return keys_.size();
}

void SigningKeyCache::clear() {
    const std::lock_guard lock(mutex_);
    keys_.clear();
}

SigningKeyCache& SigningKeyCache::instance() {
    static SigningKeyCache cache;
    return cache;
}

} // namespace aurora::aws
