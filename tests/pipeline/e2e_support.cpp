#include "e2e_support.hpp"

#include "common/error.hpp"

#include <httplib.h>
#include <libpq-fe.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <poll.h>
#include <random>
#include <sys/wait.h>
#include <unistd.h>

namespace aurora::e2e {
namespace {

std::string env_or(const char* name, const std::string& fallback = {}) {
    const char* v = std::getenv(name);
    return v == nullptr ? fallback : std::string(v);
}

struct Child {
    pid_t pid = -1;
    int out = -1;
    int err = -1;
};

Child spawn(const std::vector<std::string>& args, const std::map<std::string, std::string>& env) {
    int out_pipe[2];
    int err_pipe[2];
    if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) throw std::runtime_error("pipe failed");
    std::vector<std::string> env_strings;
    for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        dup2(out_pipe[1], STDOUT_FILENO);
        dup2(err_pipe[1], STDERR_FILENO);
        close(out_pipe[0]);
        close(err_pipe[0]);
        std::vector<char*> argv;
        argv.push_back(const_cast<char*>(AURORA_CLI_PATH));
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        std::vector<char*> envp;
        for (auto& e : env_strings) envp.push_back(e.data());
        envp.push_back(nullptr);
        execve(AURORA_CLI_PATH, argv.data(), envp.data());
        _exit(127);
    }
    close(out_pipe[1]);
    close(err_pipe[1]);
    return {pid, out_pipe[0], err_pipe[0]};
}

//! Reads both pipes until EOF; each complete stderr line goes to `on_line` (true: SIGKILL the child).
int drain(Child& c, std::string& out, std::string& err, const std::function<bool(const std::string&)>& on_line) {
    std::string partial;
    bool killed = false;
    pollfd fds[2] = {{c.out, POLLIN, 0}, {c.err, POLLIN, 0}};
    int open_fds = 2;
    char buf[4096];
    while (open_fds > 0) {
        if (poll(fds, 2, -1) < 0 && errno != EINTR) break;
        for (auto& f : fds) {
            if (f.fd < 0 || (f.revents & (POLLIN | POLLHUP)) == 0) continue;
            const ssize_t n = read(f.fd, buf, sizeof buf);
            if (n <= 0) {
                close(f.fd);
                f.fd = -1;
                --open_fds;
                continue;
            }
            if (f.fd == c.out) {
                out.append(buf, static_cast<std::size_t>(n));
                continue;
            }
            err.append(buf, static_cast<std::size_t>(n));
            partial.append(buf, static_cast<std::size_t>(n));
            for (auto nl = partial.find('\n'); nl != std::string::npos; nl = partial.find('\n')) {
                const std::string line = partial.substr(0, nl);
                partial.erase(0, nl + 1);
                if (!killed && on_line && on_line(line)) {
                    kill(c.pid, SIGKILL);
                    killed = true;
                }
            }
        }
    }
    int status = 0;
    waitpid(c.pid, &status, 0);
    if (WIFSIGNALED(status)) return -WTERMSIG(status);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace

std::string unique_suffix() {
    static std::mt19937_64 rng{std::random_device{}()};
    static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::string s;
    for (int i = 0; i < 6; ++i) s += kAlphabet[rng() % 36];
    return s;
}

E2e::E2e(const std::string& seed_yaml, const std::string& faults) {
    dir_ = (std::filesystem::temp_directory_path() / ("aurora-e2e-" + unique_suffix())).string();
    std::filesystem::create_directories(dir_ + "/state");
    sandbox::SandboxOptions o;
    o.seed_file = write_file("seed.yaml", seed_yaml);
    o.credentials_file = write_file("credentials.yaml", std::string("credentials:\n  - {access_key_id: ") + kDesignAccessKey +
                                                            ", secret_access_key: " + kDesignSecretKey +
                                                            ", account_id: \"123456789012\"}\n");
    o.data_plane_postgres = env_or("AURORA_TEST_PG_URL");
    o.data_plane_mysql = env_or("AURORA_TEST_MYSQL_URL");
    o.faults = faults;
    o.tick_interval = std::chrono::milliseconds(100);
    server_ = std::make_unique<sandbox::SandboxServer>(o);
    server_->start();
}

E2e::~E2e() {
    // Everything this environment printed or kept — CLI output at debug level, the audit trail, SNS messages —
    // goes to the run's transcript directory, which the secret scan (tests/pipeline/secret_scan.sh) reads.
    const std::string out_dir = env_or("AURORA_E2E_TRANSCRIPT_DIR");
    if (!out_dir.empty()) {
        try {
            cli({"--output", "json", "audit"});
            transcript_ += admin("/_sandbox/sns/messages").dump();
        } catch (const std::exception&) {
            // A test that already failed may have left the sandbox unusable; keep what there is.
        }
        std::filesystem::create_directories(out_dir);
        std::ofstream(out_dir + "/" + std::filesystem::path(dir_).filename().string() + ".log") << transcript_;
    }
    server_->stop();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

std::string E2e::write_file(const std::string& name, const std::string& content) const {
    const std::string path = dir_ + "/" + name;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path) << content;
    return path;
}

int E2e::cli_until(const std::vector<std::string>& args, const std::function<bool(const std::string&)>& on_err_line) {
    std::map<std::string, std::string> env = {
        {"PATH", env_or("PATH", "/usr/bin:/bin")},
        {"HOME", dir_},
        {"AWS_CONFIG_FILE", dir_ + "/no-aws-config"},
        {"AWS_SHARED_CREDENTIALS_FILE", dir_ + "/no-aws-credentials"},
        {"AWS_EC2_METADATA_DISABLED", "true"},
        {"AWS_ENDPOINT_URL", server_->endpoint()},
        {"AWS_ACCESS_KEY_ID", kDesignAccessKey},
        {"AWS_SECRET_ACCESS_KEY", kDesignSecretKey},
        {"AWS_REGION", "us-east-1"},
        {"AURORA_RESTORE_STATE_DIR", dir_ + "/state"},
        {"AURORA_RESTORE_LOG_LEVEL", "debug"},
    };
    Child c = spawn(args, env);
    std::string out;
    std::string err;
    const int code = drain(c, out, err, on_err_line);
    transcript_ += out + err;
    return code;
}

CliResult E2e::cli(const std::vector<std::string>& args, const std::map<std::string, std::string>& extra_env) {
    std::map<std::string, std::string> env = {
        {"PATH", env_or("PATH", "/usr/bin:/bin")},
        {"HOME", dir_},
        {"AWS_CONFIG_FILE", dir_ + "/no-aws-config"},
        {"AWS_SHARED_CREDENTIALS_FILE", dir_ + "/no-aws-credentials"},
        {"AWS_EC2_METADATA_DISABLED", "true"},
        {"AWS_ENDPOINT_URL", server_->endpoint()},
        {"AWS_ACCESS_KEY_ID", kDesignAccessKey},
        {"AWS_SECRET_ACCESS_KEY", kDesignSecretKey},
        {"AWS_REGION", "us-east-1"},
        {"AURORA_RESTORE_STATE_DIR", dir_ + "/state"},
        {"AURORA_RESTORE_LOG_LEVEL", "debug"},
    };
    for (const auto& [k, v] : extra_env) env[k] = v;
    Child c = spawn(args, env);
    CliResult r;
    r.exit_code = drain(c, r.out, r.err, {});
    transcript_ += r.out + r.err;
    return r;
}

nlohmann::json E2e::admin(const std::string& path) const {
    httplib::Client client("127.0.0.1", server_->port());
    const auto res = client.Get(path.c_str());
    if (!res || res->status != 200) throw std::runtime_error("sandbox admin GET " + path + " failed");
    return nlohmann::json::parse(res->body);
}

nlohmann::json E2e::counts() const { return admin("/_sandbox/counts"); }

void E2e::reset_counts() const {
    httplib::Client client("127.0.0.1", server_->port());
    client.Post("/_sandbox/reset", "", "text/plain");
}

long E2e::mutating_calls() const {
    long n = 0;
    const auto c = counts();
    const nlohmann::json calls = c.value("calls", nlohmann::json::object());
    for (const auto& [service, ops] : calls.items()) {
        for (const auto& [op, outcomes] : ops.items()) {
            if (op.starts_with("Describe") || op.starts_with("List") || op.starts_with("Get")) continue;
            for (const auto& [outcome, count] : outcomes.items()) {
                if (outcome == "ok") n += count.get<long>();
            }
        }
    }
    return n;
}

std::vector<std::string> pg_query(const std::string& host, int port, const std::string& db, const std::string& user,
                                  const std::string& password, const std::string& sql) {
    const std::string conninfo = "host=" + host + " port=" + std::to_string(port) + " dbname=" + db + " user=" + user +
                                 " password=" + password + " sslmode=disable connect_timeout=5";
    PGconn* conn = PQconnectdb(conninfo.c_str());
    if (PQstatus(conn) != CONNECTION_OK) {
        const std::string msg = PQerrorMessage(conn);
        PQfinish(conn);
        throw std::runtime_error("connect as " + user + " to " + db + ": " + msg);
    }
    PGresult* res = PQexec(conn, sql.c_str());
    const auto status = PQresultStatus(res);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
        const std::string msg = PQresultErrorMessage(res);
        PQclear(res);
        PQfinish(conn);
        throw std::runtime_error(msg);
    }
    std::vector<std::string> rows;
    for (int i = 0; i < PQntuples(res); ++i) rows.emplace_back(PQgetisnull(res, i, 0) ? "NULL" : PQgetvalue(res, i, 0));
    PQclear(res);
    PQfinish(conn);
    return rows;
}

} // namespace aurora::e2e
