#pragma once
//! The plan (`plan`, `restore --dry-run`): what a restore would do, computed read-only (style.md #8). It
//! resolves the snapshot and inspects the target with the same read-only steps the execution runs, so every
//! guardrail refusal and missing snapshot shows up here too, and lists every AWS call the execution would
//! make, mutating or not, in order. Zero mutating calls.

#include "pipeline/step_env.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace aurora::pipeline {

struct PlannedCall {
    std::string step;      //!< the state machine step that makes it
    std::string service;   //!< "rds", "secretsmanager", "sns", "sts", "store", "database", "webhook"
    std::string operation; //!< e.g. "RestoreDBClusterFromSnapshot"
    std::string region;
    bool mutating = false;
    bool polls = false;    //!< repeated until a resource is ready
    nlohmann::json params; //!< the main parameters (never a secret)
};

struct Plan {
    std::string restore_id;
    nlohmann::json request;  //!< normalized
    nlohmann::json snapshot; //!< the snapshot_check result
    nlohmann::json target;   //!< the check_target result
    std::vector<PlannedCall> calls;

    nlohmann::json to_json() const;
    //! Human-readable, one call per line.
    std::string to_text() const;
};

//! Computes the plan for `request_doc` (validated here) with the restore id `restore_id`. Read-only: makes
//! only Describe*/List*/GetCallerIdentity calls. Throws the same errors the execution's first steps would
//! (invalid_request, snapshot_not_found, guardrail, already_exists, …).
Plan make_plan(const nlohmann::json& request_doc, const std::string& restore_id, PipelineEnv& env);

} // namespace aurora::pipeline
