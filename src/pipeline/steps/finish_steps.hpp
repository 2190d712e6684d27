#pragma once
//! Step handlers that end a restore: archive, notify, and the cleanup path.

#include "pipeline/steps/step_support.hpp"

namespace aurora::pipeline::steps {

json archive_snapshot(Step& s);
json notify_success(Step& s);
json notify_failure(Step& s);
//! Converges toward "nothing of this restore is left": reverts a swap rename, deletes the clusters,
//! instances and snapshot copy that carry this restore's names and tag. Never touches anything else.
json cleanup(Step& s);

} // namespace aurora::pipeline::steps
