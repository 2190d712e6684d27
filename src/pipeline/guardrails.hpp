#pragma once
//! The guardrails of design.md, as pure checks run before any mutating call. Each refusal is
//! Error(guardrail) naming the cluster, the rule and what the user can change.

#include "pipeline/request.hpp"

#include <map>
#include <string>

namespace aurora::pipeline {

//! The tag every resource the pipeline creates carries (ownership), and the restore id it belongs to.
inline constexpr const char* kManagedTag = "aurora-restore:managed";
inline constexpr const char* kRestoreIdTag = "aurora-restore:restore-id";
//! A cluster with this tag set to "true" is never deleted, renamed or modified.
inline constexpr const char* kProtectedTag = "aurora-restore:protected";

//! What the pipeline knows about an existing cluster it might act on.
struct ClusterFacts {
    std::string identifier;
    std::string region;
    std::string account;
    bool deletion_protection = false;
    std::map<std::string, std::string> tags;
};

enum class GuardedAction { delete_cluster, rename_cluster, modify_cluster, disable_deletion_protection };

std::string to_string(GuardedAction a);

//! Shell-style glob: '*' any run, '?' one character. Case-sensitive, as RDS identifiers are stored lowercase.
bool glob_match(const std::string& pattern, const std::string& text);

//! Whether `cluster` is protected by a pattern in `spec` or by the protected tag; the reason, else empty.
std::string protection_reason(const GuardrailSpec& spec, const ClusterFacts& cluster);

//! Throws Error(guardrail) unless `action` on `cluster` is allowed by `spec`:
//!  - protected (pattern or tag): nothing;
//!  - delete: only clusters carrying kManagedTag=true, unless allow_delete_unmanaged;
//!  - disable deletion protection: only with allow_disable_deletion_protection.
void check_action(const GuardrailSpec& spec, GuardedAction action, const ClusterFacts& cluster);

//! Throws Error(guardrail) when source and target are the same cluster (same identifier, region and
//! account).
void check_not_source(const std::string& source_cluster, const std::string& source_region,
                      const std::string& source_account, const ClusterFacts& target);

} // namespace aurora::pipeline
