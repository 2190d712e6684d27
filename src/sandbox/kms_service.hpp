#pragma once
//! The sandbox's KMS (JSON 1.1, target prefix `TrentService`): CreateKey (symmetric keys), CreateAlias,
//! DescribeKey by key id, key ARN, alias name or alias ARN. AWS-managed aliases (`alias/aws/rds`, …) resolve
//! to an AWS-managed key created on first use, as AWS does.
//!
//! Seed (`kms:` part of the seed file):
//!   keys:
//!     - {id: 1234abcd-12ab-34cd-56ef-1234567890ab, description: "…", aliases: [alias/staging-rds]}

#include "sandbox/service.hpp"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace aurora::sandbox {

class KmsService final : public Service {
public:
    std::string signing_name() const override { return "kms"; }
    Response handle(const RequestContext& ctx) override;
    void tick(Clock::WallTime /*now*/) override {}
    std::map<std::string, std::int64_t> effect_counts() const override;
    nlohmann::json save_state() const override;
    void load_state(const nlohmann::json& state) override;
    void seed(const YAML::Node& node, const std::string& account_id, const std::string& region) override;

    //! Whether `key_id` (id, key ARN, alias name, alias ARN) names an enabled key in (account, region); an
    //! ARN's own account and region take precedence. AWS-managed aliases (alias/aws/…) always exist. Not
    //! thread-safe on its own: the core calls it under the service's lock.
    bool key_exists(const std::string& account_id, const std::string& region, const std::string& key_id) const;

private:
    struct Key {
        std::string id;
        std::string arn;
        std::string description;
        std::string key_manager = "CUSTOMER";
        std::vector<std::pair<std::string, std::string>> tags;
        Clock::WallTime created;
        bool enabled = true;
    };
    struct Scope {
        std::map<std::string, Key> keys;            // by id
        std::map<std::string, std::string> aliases; // alias name → key id
    };
    using ScopeKey = std::pair<std::string, std::string>; // (account, region)

    Response create_key(const RequestContext& ctx);
    Response create_alias(const RequestContext& ctx);
    Response describe_key(const RequestContext& ctx);
    Key& new_key(const ScopeKey& scope, std::string id, std::string description, std::string manager,
                 Clock::WallTime now);
    //! The key `key_id` names (resolving aliases; creating AWS-managed keys), or nullptr.
    const Key* resolve(const ScopeKey& scope, const std::string& key_id, bool create_managed, Clock::WallTime now);
    void alias(const ScopeKey& scope, const std::string& name, const std::string& target);

    std::map<ScopeKey, Scope> scopes_;
    std::int64_t keys_created_ = 0;
    std::int64_t aliases_created_ = 0;
};

} // namespace aurora::sandbox
