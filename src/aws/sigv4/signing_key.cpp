#include "aws/sigv4/signing_key.hpp"

#include "common/error.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <initializer_list>
#include <memory>

namespace aurora::aws {

namespace {

constexpr std::size_t kBlockSize = 64; // SHA-256 block size, for HMAC (RFC 2104)
constexpr std::size_t kDigestSize = 32;

//! SHA-256 fetched once. Why: OpenSSL 3's one-shot EVP_Digest/HMAC look the algorithm up in the provider
//! on every call, which cost several microseconds per hash — more than the hash of a typical request.
const EVP_MD* sha256_md() {
    static const std::unique_ptr<EVP_MD, decltype(&EVP_MD_free)> md(EVP_MD_fetch(nullptr, "SHA256", nullptr),
                                                                    &EVP_MD_free);
    if (!md) {
        throw Error(ErrorCode::internal, "sha-256 is not available from openssl");
    }
    return md.get();
}

//! One digest context per thread, reset for each hash.
EVP_MD_CTX* digest_context() {
    thread_local const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!ctx) {
        throw Error(ErrorCode::internal, "cannot allocate an openssl digest context");
    }
    return ctx.get();
}

using Digest = std::array<unsigned char, kDigestSize>;

//! SHA-256 over the concatenation of `parts`.
Digest sha256_of(std::initializer_list<std::string_view> parts) {
    EVP_MD_CTX* ctx = digest_context();
    if (EVP_DigestInit_ex2(ctx, sha256_md(), nullptr) != 1) {
        throw Error(ErrorCode::internal, "sha-256 digest failed in openssl");
    }
    for (const std::string_view part : parts) {
        if (EVP_DigestUpdate(ctx, part.data(), part.size()) != 1) {
            throw Error(ErrorCode::internal, "sha-256 digest failed in openssl");
        }
    }
    Digest out{};
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(ctx, out.data(), &len) != 1 || len != kDigestSize) {
        throw Error(ErrorCode::internal, "sha-256 digest failed in openssl");
    }
    return out;
}

std::string_view view_of(const Digest& d) {
    return {reinterpret_cast<const char*>(d.data()), d.size()};
}

} // namespace

std::string to_hex(std::string_view bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(bytes.size() * 2, '\0');
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        out[2 * i] = kHex[c >> 4];
        out[2 * i + 1] = kHex[c & 0x0F];
    }
    return out;
}

std::string sha256_hex(std::string_view data) {
    return to_hex(view_of(sha256_of({data})));
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
    // RFC 2104: H((K ^ opad) || H((K ^ ipad) || data)), with K hashed first when longer than a block.
    std::array<char, kBlockSize> k{};
    if (key.size() > kBlockSize) {
        const Digest hashed = sha256_of({key});
        std::copy(hashed.begin(), hashed.end(), k.begin());
    } else {
        std::copy(key.begin(), key.end(), k.begin());
    }
    std::array<char, kBlockSize> ipad{};
    std::array<char, kBlockSize> opad{};
    for (std::size_t i = 0; i < kBlockSize; ++i) {
        ipad[i] = static_cast<char>(k[i] ^ 0x36);
        opad[i] = static_cast<char>(k[i] ^ 0x5c);
    }
    const Digest inner = sha256_of({std::string_view(ipad.data(), ipad.size()), data});
    const Digest outer = sha256_of({std::string_view(opad.data(), opad.size()), view_of(inner)});
    return std::string(view_of(outer));
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
