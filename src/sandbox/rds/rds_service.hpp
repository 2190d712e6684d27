#pragma once
//! The sandbox's RDS service (issue #3): the Query protocol (API version 2014-10-31) for the Aurora cluster,
//! instance, snapshot and tag operations the pipeline's clients call, answering in the shapes of botocore's
//! rds/2014-10-31 model with AWS's error codes, statuses and rules, and moving resources through their
//! lifecycles (creating → available, copying, renaming, modifying, backing-up, deleting) as time passes.
//!
//! Seed file (the `rds:` part of the sandbox seed YAML; all keys but `id` optional):
//!
//!   rds:
//!     clusters:
//!       - id: prod-orders                    # RDS identifier rules; stored lowercased
//!         engine: aurora-postgresql          # or aurora-mysql
//!         engine_version: "15.4"             # default 16.4 / 8.0.mysql_aurora.3.05.2
//!         master_username: postgres          # default postgres / admin
//!         master_password: "seed-secret-1"   # default "sandbox-password"; registered as a secret
//!         database_name: orders
//!         storage_encrypted: true
//!         kms_key_id: alias/aws/rds          # implies storage_encrypted
//!         deletion_protection: false
//!         serverless_v2: {min_capacity: 0.5, max_capacity: 8}
//!         status: available                  # any status; default available
//!         created: "2026-01-01T00:00:00Z"    # default: seeding time minus 30 days
//!         tags: {team: orders, env: prod}
//!         instances: [prod-orders-1, {id: prod-orders-2, class: db.r6g.large}]   # first is the writer
//!         automated_snapshots: 3             # daily rds:<id>-YYYY-MM-DD-HH-MM at 03:00 UTC, newest first
//!         data: {sql: "CREATE TABLE t(id int); INSERT INTO t VALUES (1);"}      # run by the data plane
//!     snapshots:
//!       - id: prod-orders-before-upgrade     # "rds:…" ids are automated
//!         cluster: prod-orders               # source cluster (need not exist: then give engine etc.)
//!         type: manual                       # manual | automated
//!         created: "2026-11-27T02:00:00Z"    # default: seeding time minus 1 hour
//!         status: available
//!         engine: aurora-postgresql          # defaults from the cluster
//!         engine_version: "15.4"
//!         master_username: postgres
//!         storage_encrypted: false
//!         kms_key_id: …
//!         tags: {retain: "true"}
//!         scenario: restore-fails            # every restore from it ends `failed` (or: incompatible-restore)
//!
//! Scenarios: a restore (RestoreDBClusterFromSnapshot / ToPointInTime) ends in `failed` when the request
//! carries the tag `sandbox:scenario=restore-fails` or its snapshot was seeded with `scenario:
//! restore-fails`; `incompatible-restore` likewise ends in `incompatible-restore`. The tag stays on the
//! cluster (it is how a test marks it).
//!
//! Durations (`--durations fast|realistic|FILE`): `fast` completes every transition at the next tick (the
//! answer to the mutating call still shows the transitional status) so awscli waiters succeed on their first
//! poll; `realistic` uses minutes like AWS (±20 % jitter). A FILE is YAML:
//!
//!   base: fast                 # preset the rest starts from (fast | realistic); default fast
//!   jitter: 0.1                # ± fraction of each duration, deterministic by seed and resource
//!   durations:                 # seconds (number) or "500ms" / "3s" / "2m"
//!     cluster_create: 5        # CreateDBCluster, RestoreDBClusterFromSnapshot / ToPointInTime
//!     cluster_delete: 2
//!     cluster_rename: 1
//!     cluster_modify: 1        # password, Serverless v2 scaling
//!     instance_create: 3
//!     instance_delete: 2
//!     snapshot_create: 2       # also the cluster's `backing-up`
//!     snapshot_copy: 4
//!
//! Data plane: when a DataPlane is configured for a cluster's engine, the cluster is a database named
//! database_name_for('c', id) (snapshots 's'); its Endpoint/ReaderEndpoint/Port and every member's Endpoint
//! point at the data plane server and DBCluster.DatabaseName names the database to connect to. The data
//! plane is called only by the request that causes the change (never in tick()).
//!
//! The state file holds master passwords of sandbox clusters (needed to restore a snapshot's owner login).
//!
//! effect_counts(), counted when a request is accepted (a refused one counts nothing): clusters_created,
//! clusters_restored (both restores), clusters_cloned (copy-on-write), clusters_deleted, clusters_renamed,
//! instances_created, instances_deleted, snapshots_created (incl. final snapshots), snapshots_copied,
//! snapshots_deleted, tags_changed (Add/RemoveTagsFromResource calls), modifications (ModifyDBCluster calls
//! that changed something).
//!
//! Rules worth knowing (as RDS answers): a protected cluster's DeleteDBCluster is InvalidParameterCombination;
//! members not yet `deleting` make it InvalidDBClusterStateFault; SkipFinalSnapshot and
//! FinalDBSnapshotIdentifier are exactly one of the two (InvalidParameterCombination); a rename answers under
//! the new identifier at once with status `renaming` and moves the endpoints when it ends; without
//! ApplyImmediately a rename stays in PendingModifiedValues; automated snapshots cannot be deleted and go with
//! their cluster; there are no shared or public snapshots.

#include "common/clock.hpp"
#include "sandbox/data_plane/data_plane.hpp"
#include "sandbox/service.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace aurora::sandbox {

//! How long each lifecycle transition takes, plus a jitter fraction.
struct Durations {
    //! Transition name (cluster_create, cluster_delete, cluster_rename, cluster_modify, instance_create,
    //! instance_delete, snapshot_create, snapshot_copy) → base duration. Missing names take zero.
    std::map<std::string, std::chrono::milliseconds> base;
    //! Each duration is scaled by a factor in [1 - jitter, 1 + jitter], deterministic by seed and resource.
    double jitter = 0.0;

    //! The base duration of `transition` (zero when unknown).
    std::chrono::milliseconds of(const std::string& transition) const;
};

//! Parses a durations spec: "fast", "realistic" or the path of a YAML file (format above). Throws
//! aurora::Error(config) on an unknown preset, an unreadable file, an unknown transition or a bad value.
Durations load_durations(const std::string& spec);

//! Everything the RDS service needs from its composition root.
struct RdsOptions {
    Durations durations = load_durations("fast");
    //! Backs aurora-postgresql clusters when set (not owned; must outlive the service).
    DataPlane* postgres = nullptr;
    //! Backs aurora-mysql clusters when set (not owned; must outlive the service).
    DataPlane* mysql = nullptr;
    //! Whether a KMS key exists in (account, region); the core wires its KMS. When empty every key exists.
    std::function<bool(const std::string& account, const std::string& region, const std::string& key_id)>
        kms_key_exists;
    //! Verifies a cross-region PreSignedUrl; the core wires SandboxEnvironment::verify_presigned_url. When
    //! empty, cross-region copies are refused (InvalidParameterValue).
    std::function<PresignedVerification(const std::string& url, Clock::WallTime now)> verify_presigned_url;
    //! Runs a seed cluster's `data.sql` in its data plane database as the master user. When empty, the
    //! built-in runner connects with libpq (aurora-postgresql) or MariaDB Connector/C (aurora-mysql).
    std::function<void(DataPlane& plane, const std::string& db, const std::string& user,
                       const std::string& password, const std::string& sql)>
        run_seed_sql;
    //! Stores an RDS-managed master password (ManageMasterUserPassword=true) as the Secrets Manager secret
    //! `name` in (account, region) with `secret_string` {"username": …, "password": …}, creating or updating
    //! it; returns its ARN. The core wires its Secrets Manager. When empty, ManageMasterUserPassword is
    //! refused with InvalidParameterValue.
    std::function<std::string(const std::string& account, const std::string& region, const std::string& name,
                              const std::string& secret_string)>
        put_managed_secret;
    //! Seed of the duration jitter.
    std::uint64_t seed = 0;
    //! Used where a request carries no time (seeding). Not owned; defaults to the system clock.
    Clock* clock = nullptr;
};

//! The RDS service. handle() throws ServiceError with AWS's code and status; seed() throws
//! aurora::Error(config) on a malformed seed.
std::unique_ptr<Service> make_rds_service(const RdsOptions& options);

} // namespace aurora::sandbox
