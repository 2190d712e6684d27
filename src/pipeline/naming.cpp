#include "pipeline/naming.hpp"

#include "pipeline/guardrails.hpp"

#include <random>

namespace aurora::pipeline {
namespace {

//! `base` + "-" + `suffix`, with `base` shortened so the whole fits in `max` characters and stays a valid
//! identifier (no trailing or doubled hyphen where the two meet).
std::string fit(std::string base, const std::string& suffix, std::size_t max = 63) {
    const std::size_t room = max - suffix.size() - 1;
    if (base.size() > room) base.resize(room);
    while (!base.empty() && base.back() == '-') base.pop_back();
    return base + "-" + suffix;
}

} // namespace

std::string new_restore_id() {
    static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::random_device rd;
    std::uniform_int_distribution<int> pick(0, 35);
    std::string id = "r";
    for (int i = 0; i < 11; ++i) id += kAlphabet[pick(rd)];
    return id;
}

bool is_restore_id(const std::string& id) {
    if (id.size() != 12 || id[0] != 'r') return false;
    for (char c : id.substr(1)) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
    }
    return true;
}

std::string ResourceNames::instance(int index) const { return instance_prefix + std::to_string(index); }

ResourceNames derive_names(const RestoreRequest& request, const std::string& restore_id) {
    ResourceNames n;
    const std::string& target = request.target.cluster;
    n.restore_cluster = request.target.mode == Mode::swap ? fit(target, "new-" + restore_id) : target;
    n.retired_cluster = fit(target, "old-" + restore_id);
    n.snapshot_copy = "aurora-restore-" + restore_id;
    // Instances keep their names across a swap rename, so they carry the restore id to stay unique beside
    // the old cluster's members.
    n.instance_prefix = fit(target, restore_id + "-", 60);
    return n;
}

std::map<std::string, std::string> ownership_tags(const RestoreRequest& request, const std::string& restore_id) {
    std::map<std::string, std::string> tags = request.target.tags;
    tags[kManagedTag] = "true";
    tags[kRestoreIdTag] = restore_id;
    return tags;
}

std::string target_lock_name(const std::string& account, const std::string& region, const std::string& cluster) {
    return "target/" + account + "/" + region + "/" + cluster;
}

} // namespace aurora::pipeline
