#pragma once
//! The project's one error catalogue and its exception type (style.md #3, #4).
//!
//! Expected outcomes ("still creating", "already exists") are values in the layer that expects them; a real
//! failure is an `aurora::Error` carrying a stable code from `error_codes.def`. Messages are lowercase, name
//! the object, and may carry a hint the user can act on. An Error never carries a secret.

#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aurora {

enum class ErrorCode {
#define X(name, code, exit, sfn, retry) name,
#include "common/error_codes.def"
#undef X
};

//! Static facts about one catalogue entry.
struct ErrorInfo {
    ErrorCode code;
    std::string_view name;     //!< stable snake_case code, e.g. "snapshot_not_found"
    int exit_code;             //!< the CLI's exit code
    std::string_view sfn_type; //!< the Lambda / Step Functions error type, e.g. "Aurora.SnapshotNotFound"
    bool retryable;            //!< whether a retry may succeed without any change
};

//! The catalogue entry for `code`.
const ErrorInfo& error_info(ErrorCode code);
//! Every entry, in catalogue order (for docs and tests).
std::span<const ErrorInfo> all_error_infos();
//! The code whose stable name or Step Functions type is `name`; nullopt when unknown.
std::optional<ErrorCode> error_code_from_name(std::string_view name);

//! A real failure: stable code, one-line lowercase message, optional hint, optional structured fields
//! (resource names, AWS request ids) for logs and the audit trail.
class Error : public std::runtime_error {
public:
    using Fields = std::vector<std::pair<std::string, std::string>>;

    Error(ErrorCode code, std::string message, std::string hint = {}, Fields fields = {});

    ErrorCode code() const noexcept { return code_; }
    const ErrorInfo& info() const { return error_info(code_); }
    //! The message without the hint.
    const std::string& message() const noexcept { return message_; }
    const std::string& hint() const noexcept { return hint_; }
    const Fields& fields() const noexcept { return fields_; }
    //! "message" or "message\nhint: ..." — what the CLI prints.
    std::string display() const;

private:
    ErrorCode code_;
    std::string message_;
    std::string hint_;
    Fields fields_;
};

} // namespace aurora
