#include "common/error.hpp"
#include "sandbox/data_plane/data_plane.hpp"

#include <gtest/gtest.h>

namespace aurora::sandbox {
namespace {

TEST(DataPlaneNames, FollowTheDocumentedForm) {
    EXPECT_EQ(database_name_for('c', "prod-orders"), "ars_c_prod_orders");
    EXPECT_EQ(database_name_for('s', "Nightly-2026-01-02"), "ars_s_nightly_2026_01_02");
}

TEST(DataPlaneNames, LongIdentifiersStayDistinctAndFit) {
    const std::string a(200, 'a');
    const std::string b = std::string(199, 'a') + "b";
    const auto na = database_name_for('s', a);
    const auto nb = database_name_for('s', b);
    EXPECT_LE(na.size(), 63u);
    EXPECT_LE(nb.size(), 63u);
    EXPECT_NE(na, nb);
    EXPECT_EQ(na, database_name_for('s', a)); // stable
}

TEST(DataPlaneNames, RefusesWhatIsNotAnRdsIdentifier) {
    EXPECT_THROW(database_name_for('c', "bad\"name"), Error);
    EXPECT_THROW(database_name_for('c', "semi;colon"), Error);
    EXPECT_THROW(database_name_for('c', ""), Error);
    EXPECT_THROW(database_name_for('x', "ok"), Error);
}

TEST(DataPlaneUrl, BadUrlsAreConfigErrors) {
    for (const char* url : {"redis://h/db", "postgresql://:pw@h/db", "mysql://u:pw@h:0/db"}) {
        try {
            open_data_plane(url);
            ADD_FAILURE() << url;
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::config) << url;
        }
    }
}

} // namespace
} // namespace aurora::sandbox
