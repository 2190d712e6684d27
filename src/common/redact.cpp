#include "common/redact.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <mutex>
#include <set>
#include <shared_mutex>

namespace aurora {
namespace {

struct Registry {
    std::shared_mutex mutex;
    // Longest first, so a secret that contains another is masked whole.
    std::set<std::string, bool (*)(const std::string&, const std::string&)> secrets{
        [](const std::string& a, const std::string& b) { return a.size() != b.size() ? a.size() > b.size() : a < b; }};
};

Registry& registry() {
    static Registry r;
    return r;
}

} // namespace

void register_secret(std::string_view secret) {
    if (secret.size() < 4) {
        return;
    }
    auto& r = registry();
    std::unique_lock lock(r.mutex);
    r.secrets.emplace(secret);
}

std::string redact(std::string_view text) {
    std::string out(text);
    auto& r = registry();
    std::shared_lock lock(r.mutex);
    for (const auto& secret : r.secrets) {
        std::size_t pos = 0;
        while ((pos = out.find(secret, pos)) != std::string::npos) {
            out.replace(pos, secret.size(), kRedacted);
            pos += kRedacted.size();
        }
    }
    return out;
}

bool is_sensitive_key(std::string_view key) {
    std::string lower(key);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    static constexpr std::array kNeedles = {"password", "passwd", "secret", "token", "authorization",
                                            "credential", "signature", "private_key", "privatekey"};
    // Names that contain a needle but hold no secret (ARNs and ids of secrets, token *files* paths are fine
    // to show and help debugging).
    static constexpr std::array kAllowed = {"secret_arn", "secretid", "secret_id", "password_secret",
                                            "master_password_secret", "token_file", "secret_name",
                                            "password_secret_arn"};
    for (const auto* allowed : kAllowed) {
        if (lower == allowed) {
            return false;
        }
    }
    return std::any_of(kNeedles.begin(), kNeedles.end(),
                       [&](const char* needle) { return lower.find(needle) != std::string::npos; });
}

void clear_registered_secrets_for_testing() {
    auto& r = registry();
    std::unique_lock lock(r.mutex);
    r.secrets.clear();
}

} // namespace aurora
