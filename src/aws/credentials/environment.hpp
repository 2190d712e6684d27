#pragma once
//! The process environment and the file system as the credential providers see them, behind an interface so
//! that tests never mutate the real environment nor read the real ~/.aws (brief: "injectable lookups").

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace aurora::aws {

class Environment {
public:
    virtual ~Environment() = default;
    //! The value of environment variable `name`; nullopt when unset. An empty value is returned as is
    //! (callers that follow the SDKs treat empty as unset through non_empty()).
    virtual std::optional<std::string> get(std::string_view name) const = 0;
    //! The whole content of the file at `path`; nullopt when it does not exist or cannot be read.
    //! Re-reads on every call (token files rotate).
    virtual std::optional<std::string> read_file(const std::string& path) const = 0;

    //! get(name) when set and not empty, else nullopt. The SDKs treat an empty variable as unset.
    std::optional<std::string> non_empty(std::string_view name) const;
    //! `path` with a leading "~/" (or a lone "~") replaced by $HOME, as the SDKs do for the config paths.
    std::string expand_home(const std::string& path) const;
};

//! The real process environment (std::getenv) and file system. Stateless; thread-safe.
class SystemEnvironment final : public Environment {
public:
    std::optional<std::string> get(std::string_view name) const override;
    std::optional<std::string> read_file(const std::string& path) const override;
};

//! An environment from a map, for tests and for callers that build one explicitly. Files are read from the
//! real file system unless `files` holds the path (then that content is returned). Not thread-safe while
//! being modified; safe to read from many threads once built.
class MapEnvironment final : public Environment {
public:
    MapEnvironment() = default;
    explicit MapEnvironment(const std::map<std::string, std::string>& vars) : vars_(vars.begin(), vars.end()) {}

    std::optional<std::string> get(std::string_view name) const override;
    std::optional<std::string> read_file(const std::string& path) const override;

    //! Sets (or replaces) a variable.
    void set(std::string name, std::string value) { vars_[std::move(name)] = std::move(value); }
    //! Removes a variable (no-op when unset).
    void unset(const std::string& name) { vars_.erase(name); }
    //! Makes read_file(path) return `content` without touching the disk.
    void set_file(std::string path, std::string content) { files_[std::move(path)] = std::move(content); }

private:
    std::map<std::string, std::string, std::less<>> vars_;
    std::map<std::string, std::string> files_;
};

} // namespace aurora::aws
