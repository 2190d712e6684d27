#pragma once
//! The botocore API models (botocore/data/<service>/<version>/service-2.json[.gz]) as the wire contract
//! for the model check (issue #2, acceptance 6): responses synthesized from an operation's output shape,
//! and checks of recorded paths, Query form keys and JSON bodies against the input/output shapes.

#include "aws/protocol/model_recorder.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace aurora::aws::testing {

class BotocoreModel {
public:
    //! Loads `<data_dir>/<service>/<version>/service-2.json` (or `.json.gz`). Throws std::runtime_error.
    BotocoreModel(const std::string& data_dir, const std::string& service, const std::string& version);

    bool is_query() const;
    const nlohmann::json& operation(const std::string& name) const;
    const nlohmann::json& shape(const std::string& name) const;
    //! The input / output shape name of `op` (empty when none).
    std::string input_shape(const std::string& op) const;
    std::string output_shape(const std::string& op) const;

    //! A fully populated response for `op` (every member, lists and maps with 2 entries; recursion cut):
    //! the Query XML envelope <OpResponse><OpResult>… or the JSON object.
    //! `omit` names top-level output members to leave out (e.g. the pagination token of a last page).
    std::string synthesize_response(const std::string& op, const std::vector<std::string>& omit = {}) const;
    //! The operation's entry in paginators-1.json ({"input_token", "output_token", "result_key", …}), or
    //! null when the model has no paginator for it.
    nlohmann::json paginator(const std::string& op) const;

    //! Errors (empty when all fine) for recorded sent paths against the input shape and read paths against
    //! the output shape, following the rules in model_recorder.hpp. Reads must also have been found (the
    //! response is fully populated) and every list read must have had its entries read.
    std::vector<std::string> check_recorded(const std::string& op, const ModelRecorder& rec) const;
    //! Errors for a Query form body: every key must serialize a member of the input shape with the model's
    //! names (locationName of lists, "entry"/key/value of maps), values parse as their type, required
    //! top-level members present.
    std::vector<std::string> check_query_form(const std::string& op,
                                              const std::vector<std::pair<std::string, std::string>>& form) const;
    //! Errors for a JSON request body against the input shape (names, JSON kinds, required members).
    std::vector<std::string> check_json_body(const std::string& op, const nlohmann::json& body) const;

private:
    nlohmann::json model_;
    std::string dir_; // <data_dir>/<service>/<version>
};

} // namespace aurora::aws::testing
