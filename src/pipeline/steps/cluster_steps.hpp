#pragma once
//! Step handlers that shape clusters: prepare the target, restore, instances, swap, finalize.

#include "pipeline/steps/step_support.hpp"

namespace aurora::pipeline::steps {

json prepare_target(Step& s);
json wait_target_prepared(Step& s);
json restore_cluster(Step& s);
json wait_cluster(Step& s);
json create_instances(Step& s);
json wait_instances(Step& s);
//! Converges: old target → retired name, then new cluster → target name.
json swap(Step& s);
//! swap: deletes (or tags and keeps) the retired cluster; turns deletion protection on when asked.
json finalize(Step& s);

} // namespace aurora::pipeline::steps
