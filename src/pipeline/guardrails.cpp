#include "pipeline/guardrails.hpp"

#include "common/error.hpp"

namespace aurora::pipeline {

std::string to_string(GuardedAction a) {
    switch (a) {
    case GuardedAction::delete_cluster: return "delete";
    case GuardedAction::rename_cluster: return "rename";
    case GuardedAction::modify_cluster: return "modify";
    case GuardedAction::disable_deletion_protection: return "disable deletion protection on";
    }
    return "modify";
}

bool glob_match(const std::string& pattern, const std::string& text) {
    // Iterative matcher with backtracking to the last '*': linear in practice, no recursion.
    std::size_t p = 0, t = 0, star = std::string::npos, mark = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = t;
        } else if (star != std::string::npos) {
            p = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

std::string protection_reason(const GuardrailSpec& spec, const ClusterFacts& cluster) {
    for (const auto& pattern : spec.protected_patterns) {
        if (glob_match(pattern, cluster.identifier)) {
            return "it matches the protected pattern '" + pattern + "'";
        }
    }
    if (const auto it = cluster.tags.find(kProtectedTag); it != cluster.tags.end() && it->second == "true") {
        return std::string("it is tagged ") + kProtectedTag + "=true";
    }
    return {};
}

void check_action(const GuardrailSpec& spec, GuardedAction action, const ClusterFacts& cluster) {
    const std::string what = "refusing to " + to_string(action) + " cluster '" + cluster.identifier + "' in " + cluster.region;
    if (const auto reason = protection_reason(spec, cluster); !reason.empty()) {
        throw Error(ErrorCode::guardrail, what + ": " + reason,
                    "protected clusters are never deleted, renamed or modified; choose another target cluster",
                    {{"cluster", cluster.identifier}, {"rule", "protected"}});
    }
    if (action == GuardedAction::delete_cluster && !spec.allow_delete_unmanaged) {
        const auto it = cluster.tags.find(kManagedTag);
        if (it == cluster.tags.end() || it->second != "true") {
            throw Error(ErrorCode::guardrail, what + ": it was not created by aurora-restore (no " + kManagedTag + " tag)",
                        "set guardrails.allow_delete_unmanaged: true to allow replacing it, or choose another target",
                        {{"cluster", cluster.identifier}, {"rule", "unmanaged"}});
        }
    }
    if (action == GuardedAction::disable_deletion_protection && !spec.allow_disable_deletion_protection) {
        throw Error(ErrorCode::guardrail, what + ": deletion protection is on",
                    "set guardrails.allow_disable_deletion_protection: true to let the pipeline turn it off",
                    {{"cluster", cluster.identifier}, {"rule", "deletion_protection"}});
    }
}

void check_not_source(const std::string& source_cluster, const std::string& source_region,
                      const std::string& source_account, const ClusterFacts& target) {
    const bool same_account = source_account.empty() || target.account.empty() || source_account == target.account;
    if (source_cluster == target.identifier && source_region == target.region && same_account) {
        throw Error(ErrorCode::guardrail,
                    "refusing to restore over the source: target cluster '" + target.identifier + "' in " + target.region +
                        " is the source cluster",
                    "choose a different target.cluster", {{"cluster", target.identifier}, {"rule", "target_is_source"}});
    }
}

} // namespace aurora::pipeline
