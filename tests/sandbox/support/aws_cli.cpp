#include "sandbox/support/aws_cli.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace aurora::sandbox::testing {

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace

nlohmann::json AwsCliResult::json() const {
    if (out.empty()) {
        return nullptr;
    }
    auto j = nlohmann::json::parse(out, nullptr, false);
    return j.is_discarded() ? nlohmann::json(nullptr) : j;
}

std::string AwsCliResult::error_code() const {
    static const std::regex pattern(R"(An error occurred \(([A-Za-z0-9_.]+)\))");
    std::smatch m;
    return std::regex_search(err, m, pattern) ? m[1].str() : std::string{};
}

std::string AwsCliResult::describe() const {
    return "exit " + std::to_string(exit_code) + "\nstdout: " + out + "\nstderr: " + err;
}

AwsCliResult run_process(const std::vector<std::string>& argv_in, const std::map<std::string, std::string>& vars,
                         const std::string& scratch_dir) {
    std::vector<std::string> argv = argv_in;
    std::vector<std::string> env_strings;
    for (const auto& [k, v] : vars) {
        env_strings.push_back(k + "=" + v);
    }
    std::vector<char*> c_argv;
    for (auto& a : argv) {
        c_argv.push_back(a.data());
    }
    c_argv.push_back(nullptr);
    std::vector<char*> c_env;
    for (auto& e : env_strings) {
        c_env.push_back(e.data());
    }
    c_env.push_back(nullptr);

    static std::atomic<int> counter{0};
    const std::string base = scratch_dir + "/run" + std::to_string(++counter);
    const std::string out_path = base + ".out";
    const std::string err_path = base + ".err";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, c_argv.data(), c_env.data());
    posix_spawn_file_actions_destroy(&actions);
    AwsCliResult result;
    if (rc != 0) {
        result.err = "cannot start " + argv[0];
        return result;
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.out = read_file(out_path);
    result.err = read_file(err_path);
    return result;
}

AwsCli::AwsCli(std::string endpoint, std::string region, std::string access_key_id, std::string secret_access_key)
    : endpoint_(std::move(endpoint)),
      region_(std::move(region)),
      access_key_id_(std::move(access_key_id)),
      secret_access_key_(std::move(secret_access_key)) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "aurora-awscli-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) {
        throw std::runtime_error("cannot create a temporary HOME for aws");
    }
    home_ = tmpl;
}

AwsCli::~AwsCli() {
    std::error_code ec;
    std::filesystem::remove_all(home_, ec);
}

bool AwsCli::available() { return ::access(kAwsCliPath, X_OK) == 0; }

void AwsCli::set_credentials(std::string access_key_id, std::string secret_access_key, std::string session_token) {
    access_key_id_ = std::move(access_key_id);
    secret_access_key_ = std::move(secret_access_key);
    session_token_ = std::move(session_token);
}

AwsCliResult AwsCli::run(const std::vector<std::string>& args, const std::map<std::string, std::string>& env) const {
    std::vector<std::string> argv{kAwsCliPath};
    argv.insert(argv.end(), args.begin(), args.end());
    for (const char* extra : {"--endpoint-url", endpoint_.c_str(), "--output", "json", "--no-cli-pager"}) {
        argv.emplace_back(extra);
    }
    std::map<std::string, std::string> vars{
        {"HOME", home_},
        {"PATH", "/usr/bin:/bin"},
        {"LANG", "C.UTF-8"},
        {"AWS_CONFIG_FILE", home_ + "/config"},
        {"AWS_SHARED_CREDENTIALS_FILE", home_ + "/credentials"},
        {"AWS_ACCESS_KEY_ID", access_key_id_},
        {"AWS_SECRET_ACCESS_KEY", secret_access_key_},
        {"AWS_DEFAULT_REGION", region_},
        {"AWS_MAX_ATTEMPTS", "1"},
        {"AWS_RETRY_MODE", "standard"},
        {"AWS_EC2_METADATA_DISABLED", "true"},
        {"AWS_PAGER", ""},
    };
    if (!session_token_.empty()) {
        vars["AWS_SESSION_TOKEN"] = session_token_;
    }
    for (const auto& [k, v] : env) {
        vars[k] = v;
    }
    return run_process(argv, vars, home_);
}

} // namespace aurora::sandbox::testing
