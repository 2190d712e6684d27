#pragma once
//! Splitting a sanitize script into statements, so each runs on its own inside the script's transaction and
//! an error can name the failing statement (issue #4: "sanitizing SQL scripts in a transaction").

#include "dbsetup/spec.hpp"

#include <string>
#include <vector>

namespace aurora::dbsetup {

struct SqlStatement {
    std::string text; //!< without the terminating ';', trimmed
    int line = 1;     //!< 1-based line of the statement's first character in the script
};

//! Splits `script` at top-level ';'. Understands '…' strings (with '' and, on MySQL, \' escapes), "…"
//! identifiers, `…` identifiers (MySQL), PostgreSQL dollar quoting ($$…$$, $tag$…$tag$), -- and /* */
//! comments (nested on PostgreSQL) and # comments (MySQL). Statements that are only comments are dropped.
//! Pure. Throws aurora::Error(invalid_request) naming `script_name` on an unterminated string, identifier or
//! comment.
std::vector<SqlStatement> split_sql_statements(const std::string& script, Engine engine,
                                               const std::string& script_name);

//! True when `statement` controls transactions (BEGIN, START TRANSACTION, COMMIT, END, ROLLBACK, SAVEPOINT,
//! RELEASE, SET TRANSACTION excluded): a sanitize script must not contain them, since the step runs each
//! script in its own transaction.
bool is_transaction_control(const std::string& statement);

//! The first line of `statement`, cut at 120 characters with "…" — for error messages.
std::string statement_excerpt(const std::string& statement);

} // namespace aurora::dbsetup
