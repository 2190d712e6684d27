#pragma once
//! The data plane's two implementations (internal to sandbox/data_plane).

#include "dbsetup/driver.hpp"
#include "sandbox/data_plane/data_plane.hpp"

#include <memory>

namespace aurora::sandbox {

//! PostgreSQL: a cluster is a database; a snapshot is CREATE DATABASE … TEMPLATE. Connects with `admin` (a
//! superuser, or a role with CREATEDB and CREATEROLE that may terminate backends) once per operation, so
//! the object is safe to share between threads. Throws aurora::Error(config) when `admin` cannot connect.
std::unique_ptr<DataPlane> make_postgres_data_plane(const dbsetup::ConnectionParams& admin);

//! MySQL/MariaDB: a cluster is a schema; snapshots and restores copy table by table. `admin` needs ALL on
//! *.* WITH GRANT OPTION. Same threading and errors as above.
std::unique_ptr<DataPlane> make_mysql_data_plane(const dbsetup::ConnectionParams& admin);

} // namespace aurora::sandbox
