#include "sandbox/data_plane/data_plane.hpp"

#include "common/error.hpp"
#include "dbsetup/driver.hpp"
#include "sandbox/data_plane/engines.hpp"

#include <cctype>
#include <cstdio>

namespace aurora::sandbox {
namespace {

// FNV-1a, 32 bits: a stable short suffix for names that must be shortened.
std::uint32_t fnv1a(const std::string& s) {
    std::uint32_t h = 2166136261u;
    for (unsigned char c : s) {
        h ^= c;
        h *= 16777619u;
    }
    return h;
}

} // namespace

std::string database_name_for(char kind, const std::string& identifier) {
    if (kind != 'c' && kind != 's') {
        throw Error(ErrorCode::invalid_parameter, std::string("data plane: unknown name kind '") + kind + "'");
    }
    if (identifier.empty()) {
        throw Error(ErrorCode::invalid_parameter, "data plane: empty identifier");
    }
    std::string name = std::string("ars_") + kind + "_";
    for (char c : identifier) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '-') {
            name += '_';
        } else if (std::isalnum(u) != 0) {
            name += static_cast<char>(std::tolower(u));
        } else {
            throw Error(ErrorCode::invalid_parameter,
                        "data plane: identifier '" + identifier + "' has a character other than letters, digits, '-'");
        }
    }
    // PostgreSQL keeps 63 bytes of a name and MySQL 64; snapshot identifiers may be 255 characters. A long
    // name keeps its first 54 characters and gains the hash of the whole identifier, so distinct
    // identifiers stay distinct.
    if (name.size() > 63) {
        char suffix[10];
        std::snprintf(suffix, sizeof suffix, "_%08x", fnv1a(identifier));
        name = name.substr(0, 54) + suffix;
    }
    return name;
}

std::unique_ptr<DataPlane> open_data_plane(const std::string& url) {
    const auto parsed = dbsetup::parse_connection_url(url);
    if (parsed.engine == dbsetup::Engine::postgres) {
        return make_postgres_data_plane(parsed.params);
    }
    return make_mysql_data_plane(parsed.params);
}

} // namespace aurora::sandbox
