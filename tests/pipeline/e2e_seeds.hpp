#pragma once
//! Seeds for the end-to-end tests: a "prod" cluster with rows, snapshots, and the target region's secrets,
//! KMS key and SNS topic. `p` prefixes every name that lands on the shared database servers.

#include "e2e_support.hpp"

#include <string>

namespace aurora::e2e {

//! Rows of the prod customers table; the masking script rewrites email, phone and full_name.
inline constexpr int kCustomers = 5;

inline std::string customers_sql() {
    return "CREATE TABLE customers (id int PRIMARY KEY, full_name text, email text, phone text); "
           "INSERT INTO customers VALUES (1,'Ada Lovelace','ada@prod.example','555-0101'),"
           "(2,'Alan Turing','alan@prod.example','555-0102'),(3,'Grace Hopper','grace@prod.example','555-0103'),"
           "(4,'Edsger Dijkstra','edsger@prod.example','555-0104'),(5,'Barbara Liskov','barbara@prod.example','555-0105');";
}

//! Account 123456789012: `source` (aurora-postgresql, 3 automated + 1 manual snapshot) in us-east-1;
//! in `target_region`: the key alias/staging-rds, the secrets staging/orders/{master,app,analyst}, the topic
//! db-restores, and (when `old_target` is set) a pipeline-managed cluster of that name to be replaced or
//! swapped out.
//! Master logins are server-wide on the shared PostgreSQL: each seed gets its own, so parallel tests never
//! alter one role at once.
inline std::string design_seed(const std::string& source, const std::string& target_region, const std::string& old_target,
                               const std::string& old_target_tags = "{\"aurora-restore:managed\": \"true\", team: orders}",
                               bool old_target_deletion_protection = false) {
    const std::string master = "m_" + unique_suffix();
    std::string s = "account: \"123456789012\"\nregion: us-east-1\n"
                    "rds:\n  clusters:\n"
                    "    - id: " + source + "\n      engine: aurora-postgresql\n      engine_version: \"15.4\"\n"
                    "      master_username: " + master + "\n      master_password: prod-master-pw-7d1c\n"
                    "      database_name: orders\n      storage_encrypted: true\n      kms_key_id: alias/aws/rds\n"
                    "      instances: [" + source + "-1]\n      automated_snapshots: 3\n"
                    "      tags: {team: orders, env: prod}\n"
                    "      data: {sql: \"" + customers_sql() + "\"}\n"
                    "  snapshots:\n    - {id: " + source + "-manual-1, cluster: " + source + ", type: manual}\n";
    std::string target = "    kms:\n      keys:\n        - {id: 1234abcd-12ab-34cd-56ef-1234567890ab, aliases: [alias/staging-rds]}\n"
                         "    secretsmanager:\n      secrets:\n"
                         "        - {name: staging/orders/master, value: {password: staging-master-pw-41f9}}\n"
                         "        - {name: staging/orders/app, value: app-pw-9c2e71}\n"
                         "        - {name: staging/orders/analyst, value: {password: analyst-pw-5b8d03}}\n"
                         "    sns:\n      topics: [db-restores]\n";
    if (!old_target.empty()) {
        target += "    rds:\n      clusters:\n        - id: " + old_target +
                  "\n          engine: aurora-postgresql\n          master_username: " + master + "o\n"
                  "          master_password: old-staging-pw-22aa\n          instances: [" + old_target + "-old-1]\n"
                  "          tags: " + old_target_tags + "\n" +
                  (old_target_deletion_protection ? "          deletion_protection: true\n" : "") +
                  "          data: {sql: \"CREATE TABLE marker (v text); INSERT INTO marker VALUES ('old');\"}\n";
    }
    if (target_region == "us-east-1") {
        // Same region: the target's resources join the source's scope.
        return s + "scopes:\n  - account: \"123456789012\"\n    region: us-east-1\n" + target;
    }
    return s + "scopes:\n  - account: \"123456789012\"\n    region: " + target_region + "\n" + target;
}

} // namespace aurora::e2e
