#include "common/error.hpp"

#include <gtest/gtest.h>

#include <set>

namespace aurora {
namespace {

TEST(ErrorCatalogue, CodesAndTypesAreUniqueAndStable) {
    std::set<std::string_view> names;
    std::set<std::string_view> types;
    for (const auto& info : all_error_infos()) {
        EXPECT_TRUE(names.insert(info.name).second) << info.name;
        EXPECT_TRUE(types.insert(info.sfn_type).second) << info.sfn_type;
        EXPECT_TRUE(info.sfn_type.starts_with("Aurora.")) << info.sfn_type;
        EXPECT_GT(info.exit_code, 0);
        EXPECT_LT(info.exit_code, 64) << "exit codes >= 64 collide with sysexits and signals";
    }
    EXPECT_EQ(error_info(ErrorCode::snapshot_not_found).name, "snapshot_not_found");
    EXPECT_EQ(error_info(ErrorCode::usage).exit_code, 2);
}

TEST(ErrorCatalogue, LooksUpByNameOrType) {
    EXPECT_EQ(error_code_from_name("snapshot_not_found"), ErrorCode::snapshot_not_found);
    EXPECT_EQ(error_code_from_name("Aurora.Throttled"), ErrorCode::throttled);
    EXPECT_FALSE(error_code_from_name("nope").has_value());
}

TEST(Error, DisplayAddsHintLine) {
    const Error e(ErrorCode::snapshot_not_found, "snapshot 'x' not found in us-east-1", "list snapshots with ...");
    EXPECT_EQ(e.display(), "snapshot 'x' not found in us-east-1\nhint: list snapshots with ...");
    EXPECT_STREQ(e.what(), "snapshot 'x' not found in us-east-1");
    const Error plain(ErrorCode::internal, "boom");
    EXPECT_EQ(plain.display(), "boom");
}

} // namespace
} // namespace aurora
