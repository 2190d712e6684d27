#pragma once
//! Step handlers up to and including the snapshot copy (see statemachine/restore.asl.json).

#include "pipeline/steps/step_support.hpp"

namespace aurora::pipeline::steps {

json validate(Step& s);
json acquire_lock(Step& s);
json release_lock(Step& s);
json snapshot_check(Step& s);
//! Read-only: inspects the target and enforces every guardrail before the first mutating call.
json check_target(Step& s);
json copy_snapshot(Step& s);
json wait_snapshot_copy(Step& s);

} // namespace aurora::pipeline::steps
