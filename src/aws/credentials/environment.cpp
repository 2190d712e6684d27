#include "aws/credentials/environment.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace aurora::aws {
namespace {

std::optional<std::string> read_real_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    std::ostringstream out;
    out << in.rdbuf();
    if (in.bad()) {
        return std::nullopt;
    }
    return out.str();
}

} // namespace

std::optional<std::string> Environment::non_empty(std::string_view name) const {
    auto v = get(name);
    if (!v || v->empty()) {
        return std::nullopt;
    }
    return v;
}

std::string Environment::expand_home(const std::string& path) const {
    if (path != "~" && path.rfind("~/", 0) != 0) {
        return path;
    }
    // Why: botocore expands "~" with os.path.expanduser, i.e. $HOME on POSIX.
    const auto home = non_empty("HOME");
    if (!home) {
        return path;
    }
    return *home + path.substr(1);
}

std::optional<std::string> SystemEnvironment::get(std::string_view name) const {
    const std::string key(name);
    const char* v = std::getenv(key.c_str());
    if (v == nullptr) {
        return std::nullopt;
    }
    return std::string(v);
}

std::optional<std::string> SystemEnvironment::read_file(const std::string& path) const { return read_real_file(path); }

std::optional<std::string> MapEnvironment::get(std::string_view name) const {
    const auto it = vars_.find(name);
    if (it == vars_.end()) {
        return std::nullopt;
    }
    return it->second;
}

std::optional<std::string> MapEnvironment::read_file(const std::string& path) const {
    const auto it = files_.find(path);
    if (it != files_.end()) {
        return it->second;
    }
    return read_real_file(path);
}

} // namespace aurora::aws
