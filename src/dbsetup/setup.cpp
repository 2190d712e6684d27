#include "dbsetup/setup.hpp"

#include "common/error.hpp"
#include "common/log.hpp"
#include "common/redact.hpp"
#include "dbsetup/sql_script.hpp"

namespace aurora::dbsetup {
namespace {

ScriptReport run_script(Session& session, const SanitizeScript& script) {
    const auto statements = split_sql_statements(script.sql, session.engine(), script.name);
    for (const auto& st : statements) {
        if (is_transaction_control(st.text)) {
            throw Error(ErrorCode::invalid_request,
                        "sanitize script '" + script.name + "' line " + std::to_string(st.line) +
                            ": transaction control is not allowed ('" + statement_excerpt(st.text) + "')",
                        "the step runs each script in its own transaction; remove BEGIN/COMMIT");
        }
    }
    ScriptReport report{script.name, {}, 0};
    session.begin();
    for (const auto& st : statements) {
        QueryResult r;
        try {
            r = session.execute(st.text);
        } catch (const Error& e) {
            session.rollback();
            throw Error(e.code(),
                        "sanitize script '" + script.name + "' failed at line " + std::to_string(st.line) + " ('" +
                            redact(statement_excerpt(st.text)) + "'): " + e.message(),
                        "the script was rolled back: no statement of it took effect", e.fields());
        }
        report.statements.push_back(StatementReport{st.line, redact(statement_excerpt(st.text)), r.affected_rows});
        if (r.affected_rows > 0) {
            report.affected_rows += r.affected_rows;
        }
    }
    session.commit();
    log::info("dbsetup.script", {{"script", script.name},
                                 {"statements", static_cast<long long>(statements.size())},
                                 {"rows", report.affected_rows}});
    return report;
}

std::vector<const Role*> roles_of(const DatabaseSpec& spec, const User& user) {
    std::vector<const Role*> out;
    for (const auto& name : user.roles) {
        if (const Role* r = spec.find_role(name)) {
            out.push_back(r);
        }
    }
    return out;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) {
        out += out.empty() ? "" : "; ";
        out += i;
    }
    return out;
}

VerifyReport verify_user(Driver& driver, const ConnectionParams& master, const DatabaseSpec& spec, const User& user,
                         const std::string& password) {
    ConnectionParams p = master;
    p.user = user.name;
    p.password = password;
    // A MySQL account may hold no privilege on the default schema; connect without one and name schemas.
    if (driver.engine() == Engine::mysql) {
        p.database.clear();
    }
    auto session = driver.connect(p);
    const auto v = session->verify_grants(user, roles_of(spec, user), master.database);
    if (!v.failed.empty()) {
        throw Error(ErrorCode::database,
                    "user '" + user.name + "' lacks granted privileges after setup: " + join(v.failed),
                    "another grant or a revoke on the server may conflict; check the roles of the spec", {{"user", user.name}});
    }
    log::info("dbsetup.verified", {{"user", user.name}, {"checks", static_cast<long long>(v.checked.size())}});
    return VerifyReport{user.name, v.checked};
}

} // namespace

nlohmann::json SetupReport::to_json() const {
    nlohmann::json j;
    j["engine"] = engine;
    j["server_version"] = server_version;
    j["database"] = database;
    j["scripts"] = nlohmann::json::array();
    for (const auto& s : scripts) {
        nlohmann::json stmts = nlohmann::json::array();
        for (const auto& st : s.statements) {
            stmts.push_back({{"line", st.line}, {"statement", st.excerpt}, {"affected_rows", st.affected_rows}});
        }
        j["scripts"].push_back({{"name", s.name}, {"affected_rows", s.affected_rows}, {"statements", stmts}});
    }
    j["roles"] = nlohmann::json::array();
    for (const auto& r : roles) {
        j["roles"].push_back({{"name", r.name}, {"change", change_name(r.change)}, {"grants", r.grants}});
    }
    j["users"] = nlohmann::json::array();
    for (const auto& u : users) {
        j["users"].push_back({{"name", u.name}, {"change", change_name(u.change)}, {"memberships", u.memberships}});
    }
    j["verified"] = nlohmann::json::array();
    for (const auto& v : verified) {
        j["verified"].push_back({{"user", v.user}, {"checks", v.checked}});
    }
    return j;
}

nlohmann::json plan_database_setup(const DatabaseSpec& spec, Engine engine) {
    validate_for_engine(spec, engine);
    nlohmann::json steps = nlohmann::json::array();
    for (const auto& script : spec.sanitize) {
        steps.push_back({{"action", "run_script"}, {"script", script.path}, {"transaction", true}});
    }
    for (const auto& role : spec.roles) {
        nlohmann::json grants = nlohmann::json::array();
        for (const auto& g : role.grants) {
            nlohmann::json target = g.target == GrantTarget::tables ? nlohmann::json(g.tables) : nlohmann::json(g.object);
            grants.push_back({{"privileges", g.privileges}, {std::string(grant_target_name(g.target)), target}});
        }
        steps.push_back({{"action", "ensure_role"}, {"role", role.name}, {"grants", grants}, {"revoke_others", true}});
    }
    for (const auto& user : spec.users) {
        nlohmann::json u = {{"action", "ensure_user"}, {"user", user.name}, {"roles", user.roles}};
        if (!user.password_secret.empty()) {
            u["password_secret"] = user.password_secret;
        }
        if (engine == Engine::mysql) {
            u["host"] = user.host;
        }
        steps.push_back(std::move(u));
    }
    for (const auto& user : spec.users) {
        steps.push_back({{"action", "verify_login"}, {"user", user.name}});
    }
    return {{"engine", engine_name(engine)}, {"database", spec.name}, {"steps", steps}};
}

SetupReport apply_database_setup(Driver& driver, const ConnectionParams& master_in, const DatabaseSpec& spec,
                                 const SetupInput& input) {
    validate_for_engine(spec, driver.engine());
    register_secret(master_in.password);
    for (std::size_t i = 0; i < spec.users.size(); ++i) {
        // Re-creating the master as a spec user would reset its password behind the pipeline's back.
        if (spec.users[i].name == master_in.user) {
            throw Error(ErrorCode::invalid_request,
                        "database.users[" + std::to_string(i) + "]: '" + spec.users[i].name + "' is the master user",
                        "the master user is managed by RDS (master_password_secret); list other users");
        }
        const auto it = input.passwords.find(spec.users[i].name);
        if (it == input.passwords.end() || it->second.empty()) {
            throw Error(ErrorCode::invalid_request,
                        "database.users[" + std::to_string(i) + "]: no password supplied for user '" +
                            spec.users[i].name + "'",
                        "set password_secret to a Secrets Manager secret holding the password");
        }
        register_secret(it->second);
    }
    if (spec.find_role(master_in.user) != nullptr) {
        throw Error(ErrorCode::invalid_request, "database.roles." + master_in.user + ": is the master user's name");
    }
    ConnectionParams master = master_in;
    if (master.database.empty()) {
        master.database = spec.name;
    }
    auto session = driver.connect(master);
    SetupReport report;
    report.engine = std::string(engine_name(driver.engine()));
    report.server_version = session->server_version();
    report.database = master.database;
    log::info("dbsetup.start", {{"engine", report.engine}, {"host", master.host}, {"database", master.database},
                                {"roles", static_cast<long long>(spec.roles.size())},
                                {"users", static_cast<long long>(spec.users.size())}});

    // Scripts first: design.md runs sanitizing "after the restore, before users get access".
    for (const auto& script : input.scripts) {
        report.scripts.push_back(run_script(*session, script));
    }
    std::vector<std::string> managed;
    for (const auto& role : spec.roles) {
        managed.push_back(role.name);
        RoleReport r{role.name, session->ensure_role(role.name), {}};
        r.grants = session->apply_grants(role, master.database);
        log::info("dbsetup.role", {{"role", role.name}, {"change", change_name(r.change)},
                                   {"statements", static_cast<long long>(r.grants.size())}});
        report.roles.push_back(std::move(r));
    }
    for (const auto& user : spec.users) {
        UserReport u{user.name, session->ensure_user(user, input.passwords.at(user.name)), {}};
        u.memberships = session->apply_memberships(user, managed);
        log::info("dbsetup.user", {{"user", user.name}, {"change", change_name(u.change)},
                                   {"memberships", join(u.memberships)}});
        report.users.push_back(std::move(u));
    }
    for (const auto& user : spec.users) {
        report.verified.push_back(verify_user(driver, master, spec, user, input.passwords.at(user.name)));
    }
    return report;
}

} // namespace aurora::dbsetup
