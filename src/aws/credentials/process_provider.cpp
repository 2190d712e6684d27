#include "aws/credentials/process_provider.hpp"

#include "aws/credentials/credentials_util.hpp"
#include "common/error.hpp"
#include "common/log.hpp"
#include "common/redact.hpp"

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ; // NOLINT: POSIX

namespace aurora::aws {
namespace {

constexpr std::size_t kMaxOutput = 1024 * 1024;

//! A pipe whose ends close themselves.
struct Pipe {
    int fds[2] = {-1, -1};
    Pipe() {
        if (::pipe(fds) != 0) {
            throw Error(ErrorCode::credentials, std::string("cannot create a pipe: ") + std::strerror(errno));
        }
    }
    ~Pipe() {
        close_end(0);
        close_end(1);
    }
    Pipe(const Pipe&) = delete;
    Pipe& operator=(const Pipe&) = delete;
    void close_end(int i) {
        if (fds[i] >= 0) {
            ::close(fds[i]);
            fds[i] = -1;
        }
    }
};

//! Reads both pipes until both reach EOF, so a child that fills one while we wait on the other never blocks.
void drain(int out_fd, int err_fd, std::string& out, std::string& err) {
    pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
    std::string* sinks[2] = {&out, &err};
    int open = 2;
    char buf[4096];
    while (open > 0) {
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            return;
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) {
                continue;
            }
            const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
            if (n <= 0) {
                if (n < 0 && errno == EINTR) {
                    continue;
                }
                fds[i].fd = -1;
                --open;
                continue;
            }
            std::string& sink = *sinks[i];
            const auto take = std::min(static_cast<std::size_t>(n), kMaxOutput - std::min(kMaxOutput, sink.size()));
            sink.append(buf, take);
        }
    }
}

std::string first_line(std::string_view text) {
    const auto nl = text.find('\n');
    std::string line(text.substr(0, nl));
    if (line.size() > 300) {
        line.resize(300);
    }
    return line;
}

} // namespace

std::vector<std::string> split_command_line(std::string_view command) {
    std::vector<std::string> words;
    std::string word;
    bool in_word = false;
    enum class Quote { none, single, dbl } quote = Quote::none;
    for (std::size_t i = 0; i < command.size(); ++i) {
        const char c = command[i];
        if (quote == Quote::single) {
            if (c == '\'') {
                quote = Quote::none;
            } else {
                word += c;
            }
            continue;
        }
        if (quote == Quote::dbl) {
            if (c == '"') {
                quote = Quote::none;
            } else if (c == '\\' && i + 1 < command.size() && std::strchr("\\\"$`\n", command[i + 1]) != nullptr) {
                word += command[++i];
            } else {
                word += c;
            }
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            if (in_word) {
                words.push_back(std::move(word));
                word.clear();
                in_word = false;
            }
            continue;
        }
        in_word = true;
        if (c == '\'') {
            quote = Quote::single;
        } else if (c == '"') {
            quote = Quote::dbl;
        } else if (c == '\\' && i + 1 < command.size()) {
            word += command[++i];
        } else {
            word += c;
        }
    }
    if (quote != Quote::none) {
        throw Error(ErrorCode::config, "credential_process has an unterminated quote",
                    "quote arguments as in a POSIX shell: 'single' or \"double\"");
    }
    if (in_word) {
        words.push_back(std::move(word));
    }
    if (words.empty()) {
        throw Error(ErrorCode::config, "credential_process is empty", "name the program to run");
    }
    return words;
}

ProcessResult run_process(const std::vector<std::string>& argv) {
    std::vector<char*> cargv;
    cargv.reserve(argv.size() + 1);
    for (const auto& a : argv) {
        cargv.push_back(const_cast<char*>(a.c_str()));
    }
    cargv.push_back(nullptr);

    Pipe out;
    Pipe err;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out.fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err.fds[1], STDERR_FILENO);
    posix_spawn_file_actions_addclose(&actions, out.fds[0]);
    posix_spawn_file_actions_addclose(&actions, err.fds[0]);
    pid_t pid = 0;
    // Why: posix_spawnp + argv, never /bin/sh -c, so the command line cannot smuggle in a second command.
    const int rc = ::posix_spawnp(&pid, cargv[0], &actions, nullptr, cargv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        throw Error(ErrorCode::credentials, "cannot run credential_process program '" + argv[0] + "': " + std::strerror(rc),
                    "check that the program exists and is executable (it is looked up in PATH)");
    }
    out.close_end(1);
    err.close_end(1);
    ProcessResult result;
    drain(out.fds[0], err.fds[0], result.stdout_text, result.stderr_text);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status)) {
        result.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        result.exit_code = 128 + WTERMSIG(status);
    }
    return result;
}

ProcessCredentialsProvider::ProcessCredentialsProvider(std::string command, std::string profile)
    : command_(std::move(command)), profile_(std::move(profile)) {}

Credentials ProcessCredentialsProvider::get() {
    const auto argv = split_command_line(command_);
    const std::string what = "credential_process of profile '" + profile_ + "'";
    log::debug("credentials.process.run", {{"profile", profile_}, {"program", argv[0]}});
    const ProcessResult r = run_process(argv);
    if (r.exit_code != 0) {
        // The stderr line passes through redact(): it may echo a secret registered earlier.
        throw Error(ErrorCode::credentials, what + " exited with status " + std::to_string(r.exit_code),
                    r.stderr_text.empty() ? "run the command by hand to see why"
                                          : "it said: " + redact(first_line(r.stderr_text)));
    }
    Credentials c = parse_credentials_json(r.stdout_text, CredentialsJsonDialect::process, what);
    c.source = "process:" + profile_;
    log::debug("credentials.resolved", {{"source", c.source}, {"access_key_id", mask_key_id(c.access_key_id)}});
    return c;
}

} // namespace aurora::aws
