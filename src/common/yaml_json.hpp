#pragma once
//! YAML ↔ JSON: requests are written in YAML or JSON and handled as nlohmann::json everywhere.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace aurora {

//! Parses YAML (a superset of JSON) into JSON. Plain scalars become booleans (true/false), null (~, null,
//! empty), integers or numbers when they look like one; quoted scalars stay strings. Throws
//! aurora::Error(invalid_request) naming `source_name`, the line and the column on a syntax error.
nlohmann::json parse_yaml(std::string_view text, const std::string& source_name);

//! Reads and parses a YAML or JSON file. Throws aurora::Error(invalid_request) when unreadable.
nlohmann::json load_yaml_file(const std::string& path);

} // namespace aurora
