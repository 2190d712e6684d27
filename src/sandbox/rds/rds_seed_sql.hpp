#pragma once
//! The built-in runner of a seed cluster's `data.sql` (internal to src/sandbox/rds).

#include "sandbox/data_plane/data_plane.hpp"

#include <string>

namespace aurora::sandbox::rds {

//! Connects to database `db` on the data plane's server as `user` and runs `sql` (several statements
//! allowed). Throws aurora::Error(config) when the connection or a statement fails. Not idempotent: the
//! script runs again if called again.
void run_seed_sql(DataPlane& plane, const std::string& db, const std::string& user, const std::string& password,
                  const std::string& sql);

} // namespace aurora::sandbox::rds
