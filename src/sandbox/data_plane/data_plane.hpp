#pragma once
//! The sandbox's data plane: a real database server that backs emulated Aurora clusters, so that a restore
//! really restores rows (issue #3). One implementation per engine family: PostgreSQL (aurora-postgresql)
//! via libpq, MySQL-compatible (aurora-mysql, MariaDB in tests) via MariaDB Connector/C.
//!
//! Names: the sandbox derives a database name from a cluster or snapshot identifier with
//! database_name_for(); implementations never see raw user input as SQL (identifiers are quoted by the
//! driver). Every operation is idempotent: creating what exists or dropping what is gone succeeds.
//! Implementations open a connection per call, so one DataPlane may be shared between threads.
//!
//! PostgreSQL: CREATE DATABASE … TEMPLATE and ALTER DATABASE … RENAME need the source database free of
//! sessions, so snapshot_database(), restore_database() and rename_database() end the sessions connected to
//! their source (pg_terminate_backend), and drop_database() those of the dropped database. Snapshot databases
//! refuse connections. MySQL: only base tables are copied (no views, routines, triggers or foreign keys).

#include <cstdint>
#include <memory>
#include <string>

namespace aurora::sandbox {

struct DataPlaneEndpoint {
    std::string host;
    std::uint16_t port = 0;
};

class DataPlane {
public:
    virtual ~DataPlane() = default;
    //! "aurora-postgresql" or "aurora-mysql".
    virtual std::string engine_family() const = 0;
    virtual DataPlaneEndpoint endpoint() const = 0;
    //! Creates an empty cluster database `db` owned by a login `master_user` with `master_password`
    //! (creates or updates the login).
    virtual void create_cluster_database(const std::string& db, const std::string& master_user,
                                         const std::string& master_password) = 0;
    //! Copies cluster database `cluster_db` into snapshot database `snapshot_db` (PostgreSQL:
    //! CREATE DATABASE … TEMPLATE …; MySQL: table by table).
    virtual void snapshot_database(const std::string& cluster_db, const std::string& snapshot_db) = 0;
    //! Creates cluster database `cluster_db` as a copy of `snapshot_db`, owned by `master_user` (whose login
    //! is created if missing, with `master_password`).
    virtual void restore_database(const std::string& snapshot_db, const std::string& cluster_db,
                                  const std::string& master_user, const std::string& master_password) = 0;
    //! Renames a cluster database (ModifyDBCluster NewDBClusterIdentifier).
    virtual void rename_database(const std::string& from, const std::string& to) = 0;
    //! Drops a cluster or snapshot database.
    virtual void drop_database(const std::string& db) = 0;
    //! Sets the master login's password (ModifyDBCluster MasterUserPassword).
    virtual void set_password(const std::string& user, const std::string& password) = 0;
    //! Whether database `db` exists.
    virtual bool database_exists(const std::string& db) = 0;
};

//! A database name for a cluster or snapshot identifier: "ars_" + the identifier with '-' → '_',
//! lowercased (RDS identifiers are letters, digits and hyphens). Kind is "c" (cluster) or "s" (snapshot):
//! "ars_c_prod_orders". A name longer than 63 characters (PostgreSQL's limit) keeps its first 54 and gains
//! "_" + 8 hex digits of a hash of the identifier. Throws aurora::Error(invalid_parameter) on other characters.
std::string database_name_for(char kind, const std::string& identifier);

//! Opens the data plane for a URL: postgresql://user:pw@host:port/db or mysql://user:pw@host:port/db.
//! Throws aurora::Error(config) on a bad URL or failed connection.
std::unique_ptr<DataPlane> open_data_plane(const std::string& url);

} // namespace aurora::sandbox
