#include "common/error.hpp"
#include "sandbox/rds/rds_service.hpp"

#include <yaml-cpp/yaml.h>

#include <set>

namespace aurora::sandbox {

namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

const std::set<std::string>& transitions() {
    static const std::set<std::string> names{"cluster_create",  "cluster_delete",  "cluster_rename",
                                             "cluster_modify",  "instance_create", "instance_delete",
                                             "snapshot_create", "snapshot_copy"};
    return names;
}

Durations fast() {
    // Every transition completes at the next tick: awscli waiters (30 s delay) succeed on their first poll.
    Durations d;
    for (const auto& t : transitions()) {
        d.base[t] = milliseconds{0};
    }
    return d;
}

Durations realistic() {
    // Orders of magnitude seen on AWS for small Aurora clusters (minutes), with ±20 % jitter.
    Durations d;
    d.base = {{"cluster_create", minutes{8}},  {"cluster_delete", minutes{4}},   {"cluster_rename", minutes{1}},
              {"cluster_modify", seconds{45}}, {"instance_create", minutes{9}}, {"instance_delete", minutes{5}},
              {"snapshot_create", minutes{3}}, {"snapshot_copy", minutes{10}}};
    d.jitter = 0.2;
    return d;
}

Durations preset(const std::string& name) {
    if (name == "fast") {
        return fast();
    }
    if (name == "realistic") {
        return realistic();
    }
    throw Error(ErrorCode::config, "unknown durations preset '" + name + "'",
                "use fast, realistic or the path of a YAML file");
}

milliseconds parse_duration(const std::string& transition, const std::string& text) {
    auto fail = [&]() {
        return Error(ErrorCode::config, "invalid duration '" + text + "' for " + transition,
                     "use seconds (a number) or a number with ms, s or m");
    };
    std::size_t used = 0;
    double value = 0;
    try {
        value = std::stod(text, &used);
    } catch (const std::exception&) {
        throw fail();
    }
    auto unit = text.substr(used);
    double ms = 0;
    if (unit.empty() || unit == "s") {
        ms = value * 1000.0;
    } else if (unit == "ms") {
        ms = value;
    } else if (unit == "m") {
        ms = value * 60000.0;
    } else {
        throw fail();
    }
    if (ms < 0) {
        throw fail();
    }
    return milliseconds{static_cast<long long>(ms)};
}

} // namespace

std::chrono::milliseconds Durations::of(const std::string& transition) const {
    auto it = base.find(transition);
    return it == base.end() ? milliseconds{0} : it->second;
}

Durations load_durations(const std::string& spec) {
    if (spec == "fast" || spec == "realistic") {
        return preset(spec);
    }
    YAML::Node root;
    try {
        root = YAML::LoadFile(spec);
    } catch (const YAML::Exception& e) {
        throw Error(ErrorCode::config, "cannot read durations file '" + spec + "': " + e.what(),
                    "use fast, realistic or the path of a YAML file");
    }
    try {
        Durations d = preset(root["base"] ? root["base"].as<std::string>() : "fast");
        if (root["jitter"]) {
            d.jitter = root["jitter"].as<double>();
            if (d.jitter < 0 || d.jitter >= 1) {
                throw Error(ErrorCode::config, "jitter in '" + spec + "' must be in [0, 1)");
            }
        }
        for (const auto& kv : root["durations"]) {
            auto name = kv.first.as<std::string>();
            if (!transitions().contains(name)) {
                throw Error(ErrorCode::config, "unknown transition '" + name + "' in '" + spec + "'",
                            "known: cluster_create, cluster_delete, cluster_rename, cluster_modify, "
                            "instance_create, instance_delete, snapshot_create, snapshot_copy");
            }
            d.base[name] = parse_duration(name, kv.second.as<std::string>());
        }
        return d;
    } catch (const YAML::Exception& e) {
        throw Error(ErrorCode::config, "malformed durations file '" + spec + "': " + e.what());
    }
}

} // namespace aurora::sandbox
