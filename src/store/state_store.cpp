#include "store/state_store.hpp"

#include "common/error.hpp"
#include "common/redact.hpp"

#include <openssl/evp.h>

#include <array>

namespace aurora::store {
namespace {

constexpr std::array kStatusNames = {"running", "succeeded", "failed", "cancelled", "cancelling"};

std::string sha256_hex(std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), digest.data(), &len, EVP_sha256(), nullptr) != 1) {
        throw Error(ErrorCode::internal, "sha-256 digest failed");
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(len * 2);
    for (unsigned int i = 0; i < len; ++i) {
        out += kHex[digest[i] >> 4];
        out += kHex[digest[i] & 0x0f];
    }
    return out;
}

nlohmann::json mask_sensitive(const nlohmann::json& value) {
    if (value.is_object()) {
        nlohmann::json out = nlohmann::json::object();
        for (const auto& [key, item] : value.items()) {
            // Why whole-field masking: a password field may hold a value nobody registered (style.md #7).
            out[key] = is_sensitive_key(key) && !item.is_null() ? nlohmann::json(kRedacted) : mask_sensitive(item);
        }
        return out;
    }
    if (value.is_array()) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& item : value) {
            out.push_back(mask_sensitive(item));
        }
        return out;
    }
    if (value.is_string()) {
        return redact(value.get<std::string>());
    }
    return value;
}

AuditVerification bad(std::int64_t records, std::int64_t seq, std::string reason) {
    return AuditVerification{false, records, seq, std::move(reason)};
}

} // namespace

std::string_view to_string(ExecutionStatus status) { return kStatusNames.at(static_cast<std::size_t>(status)); }

ExecutionStatus execution_status_from_string(std::string_view text) {
    for (std::size_t i = 0; i < kStatusNames.size(); ++i) {
        if (text == kStatusNames[i]) {
            return static_cast<ExecutionStatus>(i);
        }
    }
    throw Error(ErrorCode::store, "unknown execution status '" + std::string(text) + "' in the state store",
                "the database may be corrupt or written by a newer version");
}

bool is_terminal(ExecutionStatus status) {
    return status == ExecutionStatus::succeeded || status == ExecutionStatus::failed ||
           status == ExecutionStatus::cancelled;
}

std::string audit_record_hash(const AuditRecord& record) {
    const nlohmann::json canonical = nlohmann::json::array(
        {record.seq, to_millis(record.timestamp), record.restore_id, record.actor, record.event_type,
         record.details, record.prev_hash});
    return sha256_hex(canonical.dump());
}

std::string redact_json(const nlohmann::json& details) {
    // Redact structurally first, then the whole text once more: a secret may sit inside a key.
    const std::string text = mask_sensitive(details).dump();
    return nlohmann::json::parse(redact(text)).dump();
}

AuditVerification verify_audit_chain(const std::vector<AuditRecord>& records, std::int64_t head_seq,
                                     const std::string& head_hash) {
    std::string prev = kAuditGenesisHash;
    std::int64_t n = 0;
    for (const auto& r : records) {
        ++n;
        if (r.seq != n) {
            // A gap means a removal, a repeat or a step back means an insertion or reordering.
            return bad(n, n, "record " + std::to_string(n) + " is missing or out of order (found sequence " +
                                 std::to_string(r.seq) + ")");
        }
        if (r.prev_hash != prev) {
            return bad(n, r.seq, "record " + std::to_string(r.seq) + " does not chain to the record before it");
        }
        if (audit_record_hash(r) != r.hash) {
            return bad(n, r.seq, "record " + std::to_string(r.seq) + " was modified (its hash does not match)");
        }
        prev = r.hash;
    }
    if (head_seq != n) {
        return bad(n, std::min(head_seq, n) + 1,
                   "the log ends at record " + std::to_string(n) + " but its head says " + std::to_string(head_seq));
    }
    if (n > 0 && !head_hash.empty() && head_hash != prev) {
        return bad(n, n, "record " + std::to_string(n) + " does not match the stored head hash");
    }
    return AuditVerification{true, n, std::nullopt, {}};
}

std::int64_t to_millis(WallTime t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

WallTime from_millis(std::int64_t ms) { return WallTime{std::chrono::milliseconds{ms}}; }

} // namespace aurora::store
