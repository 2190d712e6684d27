#pragma once
//! The hashes SigV4 needs and the derived signing key, cached per (secret, date, region, service).

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace aurora::aws {

//! SHA-256 of `data`, lowercase hex (64 characters).
std::string sha256_hex(std::string_view data);
//! HMAC-SHA256 of `data` under `key`, raw 32 bytes.
std::string hmac_sha256(std::string_view key, std::string_view data);
//! Lowercase hex of raw bytes.
std::string to_hex(std::string_view bytes);

//! The SigV4 signing key: HMAC chain "AWS4"+secret → date (YYYYMMDD) → region → service → "aws4_request"
//! (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html#derive-signing-key).
//! Pure; 32 raw bytes.
std::string derive_signing_key(std::string_view secret, std::string_view date, std::string_view region,
                               std::string_view service);

//! A thread-safe cache of derived signing keys. Why: the key changes only once a day per region and
//! service, and deriving it costs four HMACs per request. Entries are keyed by the SHA-256 of the secret
//! (the secret itself is not copied into the cache). Bounded: when full, the cache is cleared.
class SigningKeyCache {
  public:
    //! An empty cache holding at most `capacity` keys.
    explicit SigningKeyCache(std::size_t capacity = 256) : capacity_(capacity) {}

    //! The signing key for (secret, date, region, service), derived on a miss. Idempotent.
    std::string get(std::string_view secret, std::string_view date, std::string_view region, std::string_view service);
    //! How many get() calls found their key cached.
    std::uint64_t hits() const;
    //! How many get() calls derived their key.
    std::uint64_t misses() const;
    //! Keys currently cached.
    std::size_t size() const;
    //! Empties the cache (counters are kept).
    void clear();

    //! The process-wide cache the signer and the verifier use.
    static SigningKeyCache& instance();

  private:
    mutable std::mutex mutex_;
    std::size_t capacity_;
    std::unordered_map<std::string, std::string> keys_;
    std::uint64_t hits_ = 0;
    std::uint64_t misses_ = 0;
};

} // namespace aurora::aws
