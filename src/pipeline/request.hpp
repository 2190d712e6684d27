#pragma once
//! The restore request as a user writes it (docs/request.md, docs/request.schema.json), parsed and
//! validated. Validation is read-only and complete: every problem names its field and the rule broken.

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace aurora::pipeline {

enum class Mode { create_new, replace, swap };
enum class SnapshotSelector { latest, latest_automated, latest_manual, id, arn };
enum class SourceMethod { snapshot, clone };
enum class ArchiveAction { retain, remove };
enum class RetiredAction { remove, keep };

struct ServerlessV2Scaling {
    double min_capacity = 0.5;
    double max_capacity = 8;
};

struct InstancesSpec {
    int count = 1;
    std::string instance_class;                   //!< e.g. "db.r6g.large"; "db.serverless" when serverless_v2
    std::optional<ServerlessV2Scaling> serverless_v2;
};

struct SourceSpec {
    std::string cluster;                          //!< may be empty when snapshot is an ARN
    std::string snapshot = "latest";              //!< as written
    SnapshotSelector selector = SnapshotSelector::latest;
    std::string region;
    std::string account;                          //!< from a snapshot ARN, else empty (the caller's)
    SourceMethod method = SourceMethod::snapshot; //!< clone: copy-on-write clone of the source cluster
    std::map<std::string, std::string> snapshot_tags; //!< only snapshots carrying all these tags qualify
};

struct TargetSpec {
    std::string cluster;
    std::string region;
    Mode mode = Mode::create_new;
    InstancesSpec instances;
    std::string db_subnet_group;
    std::vector<std::string> vpc_security_group_ids;
    std::string db_cluster_parameter_group;
    std::string db_instance_parameter_group;
    std::string kms_key_id;
    std::string engine_version;
    std::optional<int> port;
    bool deletion_protection = false;
    std::map<std::string, std::string> tags;
    RetiredAction retired = RetiredAction::remove; //!< swap mode: what becomes of the old cluster
};

struct ArchiveSpec {
    ArchiveAction snapshot = ArchiveAction::retain;
    int retain_days = 7;
};

struct NotifySpec {
    std::string sns_topic_arn;
    std::string webhook_url; //!< treated as a secret: it embeds a token
};

struct GuardrailSpec {
    std::vector<std::string> protected_patterns;
    bool allow_delete_unmanaged = false;
    bool allow_disable_deletion_protection = false;
};

struct RestoreRequest {
    SourceSpec source;
    TargetSpec target;
    //! The `database` section as written (dbsetup parses and validates it); null when absent, which skips
    //! the database setup step.
    nlohmann::json database;
    ArchiveSpec archive;
    NotifySpec notify;
    GuardrailSpec guardrails;
    //! The normalized request as JSON (defaults filled in), for the plan, the state and the audit trail.
    nlohmann::json normalized;
};

//! One validation problem: the field's dotted path and the rule broken.
struct Problem {
    std::string field;
    std::string message;
};

//! Applies `--set key=value` overrides (dotted paths; the value is read as a YAML scalar or flow value,
//! e.g. `target.instances.count=3`, `target.vpc_security_group_ids=[sg-1,sg-2]`). Throws Error(usage) on a
//! malformed override.
void apply_overrides(nlohmann::json& doc, const std::vector<std::string>& overrides);

//! Every problem in `doc` (empty when valid). `default_region` fills source.region when absent.
std::vector<Problem> validate_request(const nlohmann::json& doc, const std::string& default_region = {});

//! Validates and converts. Throws Error(invalid_request) naming the first problem's field and rule, with the
//! number of further problems in the hint and all of them in the error's fields.
RestoreRequest parse_request(const nlohmann::json& doc, const std::string& default_region = {});

//! RDS DB cluster identifier rules: 1–63 letters, digits or hyphens; first a letter; no two consecutive
//! hyphens; not ending with a hyphen. Returns the broken rule or empty.
std::string check_cluster_identifier(const std::string& id);
//! RDS DB cluster snapshot identifier rules (1–255 characters; letters, digits, hyphens; automated ones
//! carry an "rds:" prefix). Returns the broken rule or empty.
std::string check_snapshot_identifier(const std::string& id);
//! "us-east-1", "cn-north-1", "us-gov-west-1", …
bool is_region(const std::string& text);

std::string to_string(Mode m);
std::string to_string(SnapshotSelector s);

} // namespace aurora::pipeline
