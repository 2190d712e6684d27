#include "common/error.hpp"

#include <array>

namespace aurora {
namespace {

constexpr std::array kInfos = {
#define X(name, code, exit, sfn, retry) ErrorInfo{ErrorCode::name, code, exit, sfn, retry},
#include "common/error_codes.def"
#undef X
};

} // namespace

const ErrorInfo& error_info(ErrorCode code) { return kInfos.at(static_cast<std::size_t>(code)); }

std::span<const ErrorInfo> all_error_infos() { return kInfos; }

std::optional<ErrorCode> error_code_from_name(std::string_view name) {
    for (const auto& info : kInfos) {
        if (info.name == name || info.sfn_type == name) {
            return info.code;
        }
    }
    return std::nullopt;
}

Error::Error(ErrorCode code, std::string message, std::string hint, Fields fields)
    : std::runtime_error(message), code_(code), message_(std::move(message)), hint_(std::move(hint)),
      fields_(std::move(fields)) {}

std::string Error::display() const {
    if (hint_.empty()) {
        return message_;
    }
    return message_ + "\nhint: " + hint_;
}

} // namespace aurora
