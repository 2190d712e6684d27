#pragma once
//! The contract suite of the state store interface (src/store/state_store.hpp). Every driver runs it:
//!
//!   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContract, ::testing::Values(sqlite_factory()),
//!                            [](const auto& param_info) { return param_info.param.name; });
//!
//! and compiles tests/store/store_contract.cpp into its test executable.

#include "common/clock.hpp"
#include "store/state_store.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace aurora::store::testing {

//! Ways to tamper with a stored audit log, behind the interface's back.
enum class Tamper {
    edit_details,  //!< change the details of record `seq`, keeping its hashes
    remove,        //!< delete record `seq`
    insert_after,  //!< insert a copy of record `seq` right after it, renumbering the rest
    swap_with_next //!< exchange the contents of records `seq` and seq+1 (a reordering)
};

//! How the suite reaches one driver.
struct StoreFactory {
    std::string name;
    //! A fresh, empty location (a file path, a table name) for one test.
    std::function<std::string()> new_location;
    //! Opens a store instance on `location`; several instances may be open on one location at once.
    std::function<std::unique_ptr<StateStore>(const std::string& location, Clock& clock)> open;
    //! Applies `kind` at `seq` to the audit log at `location` directly in the backing storage.
    std::function<void(const std::string& location, Tamper kind, std::int64_t seq)> tamper;
    //! Removes everything stored at `location` (after the test's instances are closed).
    std::function<void(const std::string& location)> destroy;
};

class StoreContract : public ::testing::TestWithParam<StoreFactory> {
protected:
    void SetUp() override;
    void TearDown() override;
    //! A new instance on this test's location, sharing clock_.
    std::unique_ptr<StateStore> open_another();

    FakeClock clock_;
    std::string location_;
    std::vector<std::string> extra_locations_; //!< further locations a test made, destroyed in TearDown
    std::unique_ptr<StateStore> store_;
};

//! A running execution with distinctive field values, for round-trip checks.
Execution sample_execution(const std::string& id);

} // namespace aurora::store::testing
