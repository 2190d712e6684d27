#include "sandbox/credential_store.hpp"

#include "common/error.hpp"
#include "common/redact.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>

namespace aurora::sandbox {

namespace {

bool is_account_id(const std::string& s) {
    return s.size() == 12 && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

} // namespace

CredentialStore::CredentialStore() {
    SandboxCredential def;
    def.access_key_id = "test";
    def.secret_access_key = "test";
    def.account_id = kDefaultAccountId;
    def.arn = std::string("arn:aws:iam::") + kDefaultAccountId + ":root";
    def.user_id = kDefaultAccountId;
    by_key_.emplace(def.access_key_id, def);
}

void CredentialStore::add(SandboxCredential credential) {
    register_secret(credential.secret_access_key);
    register_secret(credential.session_token);
    std::lock_guard lock(mutex_);
    by_key_[credential.access_key_id] = std::move(credential);
}

std::optional<SandboxCredential> CredentialStore::find(const std::string& access_key_id) const {
    std::lock_guard lock(mutex_);
    auto it = by_key_.find(access_key_id);
    if (it == by_key_.end()) {
        return std::nullopt;
    }
    return it->second;
}

std::vector<SandboxCredential> CredentialStore::temporary() const {
    std::lock_guard lock(mutex_);
    std::vector<SandboxCredential> out;
    for (const auto& [key, c] : by_key_) {
        if (!c.session_token.empty()) {
            out.push_back(c);
        }
    }
    return out;
}

void CredentialStore::clear_temporary() {
    std::lock_guard lock(mutex_);
    std::erase_if(by_key_, [](const auto& kv) { return !kv.second.session_token.empty(); });
}

void CredentialStore::load_file(const std::string& path) {
    YAML::Node root;
    try {
        root = YAML::LoadFile(path); // JSON is YAML too
    } catch (const YAML::Exception& e) {
        throw Error(ErrorCode::config, "cannot read sandbox credentials file " + path + ": " + e.what());
    }
    const YAML::Node list = root["credentials"];
    if (!list || !list.IsSequence()) {
        throw Error(ErrorCode::config, "sandbox credentials file " + path + " has no credentials list",
                    "write credentials: [{access_key_id: …, secret_access_key: …, account_id: \"…\"}]");
    }
    for (const auto& item : list) {
        SandboxCredential c;
        c.access_key_id = item["access_key_id"].as<std::string>("");
        c.secret_access_key = item["secret_access_key"].as<std::string>("");
        c.account_id = item["account_id"].as<std::string>(kDefaultAccountId);
        if (c.access_key_id.empty() || c.secret_access_key.empty()) {
            throw Error(ErrorCode::config, "sandbox credentials file " + path +
                                               " has an entry without access_key_id or secret_access_key");
        }
        if (!is_account_id(c.account_id)) {
            throw Error(ErrorCode::config, "sandbox credentials file " + path + " has account id '" +
                                               c.account_id + "' for key " + c.access_key_id,
                        "an account id is 12 digits; quote it in YAML");
        }
        c.arn = item["arn"].as<std::string>("arn:aws:iam::" + c.account_id + ":user/" + c.access_key_id);
        c.user_id = item["user_id"].as<std::string>(c.access_key_id);
        add(std::move(c));
    }
}

} // namespace aurora::sandbox
