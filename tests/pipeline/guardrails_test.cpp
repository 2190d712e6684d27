#include "pipeline/guardrails.hpp"

#include "common/error.hpp"

#include <gtest/gtest.h>

namespace aurora::pipeline {
namespace {

ClusterFacts cluster(const std::string& id, std::map<std::string, std::string> tags = {}) {
    return ClusterFacts{id, "us-east-1", "123456789012", false, std::move(tags)};
}

std::string refusal(const GuardrailSpec& spec, GuardedAction a, const ClusterFacts& c) {
    try {
        check_action(spec, a, c);
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::guardrail);
        return e.message();
    }
    return {};
}

TEST(Glob, Matches) {
    EXPECT_TRUE(glob_match("prod-*", "prod-orders"));
    EXPECT_TRUE(glob_match("*-prod", "orders-prod"));
    EXPECT_TRUE(glob_match("p?od-*s", "prod-orders"));
    EXPECT_FALSE(glob_match("prod-*", "staging-prod"));
    EXPECT_TRUE(glob_match("*", ""));
    EXPECT_FALSE(glob_match("a*b*c", "abca"));
}

TEST(Guardrails, ProtectedPatternRefusesEverything) {
    GuardrailSpec spec{{"prod-*"}, true, true};
    for (auto a : {GuardedAction::delete_cluster, GuardedAction::rename_cluster, GuardedAction::modify_cluster}) {
        EXPECT_EQ(refusal(spec, a, cluster("prod-orders", {{kManagedTag, "true"}})).find("refusing to"), 0U);
    }
    EXPECT_EQ(refusal(spec, GuardedAction::delete_cluster, cluster("prod-orders")),
              "refusing to delete cluster 'prod-orders' in us-east-1: it matches the protected pattern 'prod-*'");
}

TEST(Guardrails, ProtectedTagRefuses) {
    GuardrailSpec spec{{}, true, true};
    EXPECT_EQ(refusal(spec, GuardedAction::rename_cluster, cluster("x", {{kProtectedTag, "true"}})),
              "refusing to rename cluster 'x' in us-east-1: it is tagged aurora-restore:protected=true");
}

TEST(Guardrails, UnmanagedDeleteNeedsPermission) {
    GuardrailSpec spec;
    EXPECT_NE(refusal(spec, GuardedAction::delete_cluster, cluster("staging")).find("not created by aurora-restore"),
              std::string::npos);
    EXPECT_EQ(refusal(spec, GuardedAction::delete_cluster, cluster("staging", {{kManagedTag, "true"}})), "");
    spec.allow_delete_unmanaged = true;
    EXPECT_EQ(refusal(spec, GuardedAction::delete_cluster, cluster("staging")), "");
    EXPECT_EQ(refusal(GuardrailSpec{}, GuardedAction::rename_cluster, cluster("staging")), "");
}

TEST(Guardrails, DeletionProtectionNeedsPermission) {
    GuardrailSpec spec;
    EXPECT_NE(refusal(spec, GuardedAction::disable_deletion_protection, cluster("s")).find("deletion protection is on"),
              std::string::npos);
    spec.allow_disable_deletion_protection = true;
    EXPECT_EQ(refusal(spec, GuardedAction::disable_deletion_protection, cluster("s")), "");
}

TEST(Guardrails, TargetIsNotSource) {
    EXPECT_THROW(check_not_source("prod", "us-east-1", "123456789012", cluster("prod")), Error);
    EXPECT_NO_THROW(check_not_source("prod", "us-east-1", "999999999999", cluster("prod")));
    EXPECT_NO_THROW(check_not_source("prod", "us-west-2", "123456789012", cluster("prod")));
}

} // namespace
} // namespace aurora::pipeline
