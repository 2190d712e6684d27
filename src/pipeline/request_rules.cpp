// Identifier and value rules shared by request validation and guardrails.
#include "pipeline/request.hpp"

#include <cctype>
#include <regex>

namespace aurora::pipeline {

std::string check_cluster_identifier(const std::string& id) {
    // https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html (DBClusterIdentifier)
    if (id.empty() || id.size() > 63) {
        return "must be 1 to 63 characters";
    }
    if (!std::isalpha(static_cast<unsigned char>(id[0]))) {
        return "must start with a letter";
    }
    for (char c : id) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') {
            return "may contain only letters, digits and hyphens";
        }
    }
    if (id.back() == '-') {
        return "must not end with a hyphen";
    }
    if (id.find("--") != std::string::npos) {
        return "must not contain two consecutive hyphens";
    }
    return {};
}

std::string check_snapshot_identifier(const std::string& id) {
    // Manual snapshot ids follow the cluster rules (up to 255 characters); automated ones are
    // "rds:<cluster>-YYYY-MM-DD-HH-MM".
    const std::string body = id.starts_with("rds:") ? id.substr(4) : id;
    if (body.empty() || id.size() > 255) {
        return "must be 1 to 255 characters";
    }
    if (!std::isalpha(static_cast<unsigned char>(body[0]))) {
        return "must start with a letter";
    }
    for (char c : body) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') {
            return "may contain only letters, digits and hyphens";
        }
    }
    if (body.back() == '-' || body.find("--") != std::string::npos) {
        return "must not end with a hyphen or contain two consecutive hyphens";
    }
    return {};
}

bool is_region(const std::string& text) {
    static const std::regex kRegion(R"(^[a-z]{2}(-gov|-iso|-isob|-isof|-isoe)?-[a-z]+-[0-9]{1,2}$)");
    return std::regex_match(text, kRegion);
}

std::string to_string(Mode m) {
    switch (m) {
    case Mode::create_new: return "new";
    case Mode::replace: return "replace";
    case Mode::swap: return "swap";
    }
    return "new";
}

std::string to_string(SnapshotSelector s) {
    switch (s) {
    case SnapshotSelector::latest: return "latest";
    case SnapshotSelector::latest_automated: return "latest-automated";
    case SnapshotSelector::latest_manual: return "latest-manual";
    case SnapshotSelector::id: return "id";
    case SnapshotSelector::arn: return "arn";
    }
    return "latest";
}

} // namespace aurora::pipeline
