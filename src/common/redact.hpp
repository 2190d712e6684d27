#pragma once
//! Secret redaction, built into every output path (style.md #7): log lines, audit records, notifications and
//! error messages pass through `redact()`. Two mechanisms:
//!  - values registered as secrets (passwords, secret keys, session tokens) are replaced wherever they occur;
//!  - fields whose key looks sensitive (password, secret, token, authorization, …) are masked whole.

#include <string>
#include <string_view>

namespace aurora {

//! The replacement text for a redacted value.
inline constexpr std::string_view kRedacted = "***";

//! Registers `secret` process-wide so redact() masks it. Values shorter than 4 characters are ignored
//! (masking them would garble unrelated text). Thread-safe; idempotent.
void register_secret(std::string_view secret);
//! `text` with every registered secret replaced by kRedacted. Thread-safe.
std::string redact(std::string_view text);
//! True when a field named `key` holds a secret by its name (case-insensitive): password, passwd, secret,
//! token, authorization, credential(s), signature, private_key, x-amz-security-token, …
bool is_sensitive_key(std::string_view key);
//! Forgets every registered secret (tests only).
void clear_registered_secrets_for_testing();

} // namespace aurora
