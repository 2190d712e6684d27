#pragma once
//! Names the pipeline derives from the restore id, so that a re-run finds its own earlier effects instead
//! of repeating them (issue #4, "Exactly once"), and the tags it puts on everything it creates.

#include "pipeline/request.hpp"

#include <map>
#include <string>

namespace aurora::pipeline {

//! A new restore id: "r" + 11 lowercase letters/digits from a random source (e.g. "r7k2m9x4q1pz").
std::string new_restore_id();
//! Whether `id` has the shape of a restore id.
bool is_restore_id(const std::string& id);

//! The names one restore uses. Every name is a valid RDS identifier (at most 63 characters).
struct ResourceNames {
    std::string restore_cluster;   //!< what RestoreDBClusterFromSnapshot creates (temporary name in swap mode)
    std::string retired_cluster;   //!< swap mode: the old target's name while retired
    std::string snapshot_copy;     //!< the intermediate snapshot copy
    //! Instance identifier of member `index` (1 = writer).
    std::string instance(int index) const;
    std::string instance_prefix;
};

ResourceNames derive_names(const RestoreRequest& request, const std::string& restore_id);

//! The pipeline's own tags for a resource of `restore_id` (ownership, restore id, and the user's tags).
std::map<std::string, std::string> ownership_tags(const RestoreRequest& request, const std::string& restore_id);

//! The lock name that serialises restores to one target cluster.
std::string target_lock_name(const std::string& account, const std::string& region, const std::string& cluster);

} // namespace aurora::pipeline
