#include "aws/arn.hpp"

#include <array>

namespace aurora::aws {

std::string Arn::resource_type() const {
    const auto sep = resource.find_first_of(":/");
    return sep == std::string::npos ? std::string{} : resource.substr(0, sep);
}

std::string Arn::resource_id() const {
    const auto sep = resource.find_first_of(":/");
    return sep == std::string::npos ? resource : resource.substr(sep + 1);
}

std::string Arn::to_string() const {
    return "arn:" + partition + ":" + service + ":" + region + ":" + account + ":" + resource;
}

std::optional<Arn> parse_arn(std::string_view text) {
    if (!text.starts_with("arn:")) {
        return std::nullopt;
    }
    std::array<std::string, 4> parts;
    std::size_t pos = 4;
    for (auto& part : parts) {
        const auto next = text.find(':', pos);
        if (next == std::string_view::npos) {
            return std::nullopt;
        }
        part = std::string(text.substr(pos, next - pos));
        pos = next + 1;
    }
    Arn arn{parts[0], parts[1], parts[2], parts[3], std::string(text.substr(pos))};
    if (arn.partition.empty() || arn.service.empty() || arn.resource.empty()) {
        return std::nullopt;
    }
    return arn;
}

std::string partition_for_region(std::string_view region) {
    if (region.starts_with("cn-")) return "aws-cn";
    if (region.starts_with("us-gov-")) return "aws-us-gov";
    if (region.starts_with("us-isob-")) return "aws-iso-b";
    if (region.starts_with("us-iso-")) return "aws-iso";
    if (region.starts_with("us-isof-")) return "aws-iso-f";
    if (region.starts_with("eu-isoe-")) return "aws-iso-e";
    if (region.starts_with("eusc-")) return "aws-eusc";
    return "aws";
}

} // namespace aurora::aws
