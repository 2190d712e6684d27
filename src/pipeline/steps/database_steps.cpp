#include "pipeline/steps/database_steps.hpp"

#include "common/error.hpp"
#include "common/redact.hpp"
#include "dbsetup/setup.hpp"

namespace aurora::pipeline::steps {
namespace {

std::string iso(Clock::WallTime t) { return format_iso8601(t); }

//! The `database` section without the keys the pipeline handles itself (tls), as dbsetup parses it.
nlohmann::json spec_section(const Step& s) {
    nlohmann::json db = s.request.database;
    db.erase("tls");
    db.erase("manage_master_password");
    return db;
}

dbsetup::Engine engine_of(const Step& s) {
    const std::string engine = s.result("wait_cluster").value("engine", "");
    const auto e = dbsetup::engine_from_name(engine);
    if (!e) throw Error(ErrorCode::invalid_request, "cluster engine '" + engine + "' has no database setup driver");
    return *e;
}

aws::rds::DbCluster final_cluster(const Step& s) {
    const auto c = s.target_rds().find_db_cluster(s.request.target.cluster);
    if (!c) {
        throw Error(ErrorCode::cluster_not_found, "target cluster '" + s.request.target.cluster + "' not found in " +
                    s.request.target.region);
    }
    return *c;
}

//! TLS to the database: `database.tls` when given; else none on loopback (the sandbox) and `require`
//! elsewhere. verify-full needs a CA bundle (the RDS global bundle for real Aurora).
void apply_tls(const Step& s, dbsetup::ConnectionParams& p) {
    const auto tls = s.request.database.value("tls", nlohmann::json::object());
    const std::string mode = tls.value("mode", "");
    if (!mode.empty()) {
        const auto m = dbsetup::tls_mode_from_name(mode);
        if (!m) {
            throw Error(ErrorCode::invalid_request, "database.tls.mode: '" + mode + "' is not one of disable, prefer, "
                        "require, verify-ca, verify-full");
        }
        p.tls = *m;
    } else {
        const bool loopback = p.host == "localhost" || p.host.starts_with("127.") || p.host == "::1";
        p.tls = loopback ? dbsetup::TlsMode::disable : dbsetup::TlsMode::require;
    }
    p.ca_bundle = tls.value("ca_bundle", "");
}

std::string master_password(const Step& s, const dbsetup::DatabaseSpec& spec, const aws::rds::DbCluster& c) {
    if (!spec.master_password_secret.empty()) {
        return password_from_secret(s.env.secret_value(s.request.target.region, spec.master_password_secret));
    }
    if (c.master_user_secret_arn.empty()) {
        throw Error(ErrorCode::invalid_state, "cluster '" + c.identifier + "' has no RDS-managed master password yet",
                    "set database.master_password_secret, or wait for RDS to create the managed secret");
    }
    return password_from_secret(s.env.secret_value(s.request.target.region, c.master_user_secret_arn));
}

} // namespace

std::string password_from_secret(const std::string& secret_string) {
    std::string pw = secret_string;
    const auto j = nlohmann::json::parse(secret_string, nullptr, false);
    if (j.is_object() && j.contains("password") && j["password"].is_string()) pw = j["password"].get<std::string>();
    register_secret(pw);
    return pw;
}

json set_master_password(Step& s) {
    const auto spec = dbsetup::parse_database_spec(spec_section(s), engine_of(s));
    aws::rds::ModifyDbClusterRequest m;
    m.cluster_identifier = s.request.target.cluster;
    m.apply_immediately = true;
    const bool managed = spec.master_password_secret.empty();
    if (managed) {
        m.manage_master_user_password = true;
    } else {
        // The restored cluster still has the source's master password; give it the target's own.
        m.master_user_password = password_from_secret(s.env.secret_value(s.request.target.region, spec.master_password_secret));
    }
    s.target_rds().modify_db_cluster(m);
    return {{"cluster", s.request.target.cluster}, {"managed_by_rds", managed}, {"at", iso(s.now())}};
}

json wait_master_password(Step& s) {
    const auto c = final_cluster(s);
    if (c.status != "available" || c.has_pending_modifications) {
        not_ready("cluster '" + c.identifier + "' is applying the new master password (" + c.status + ")");
    }
    return {{"cluster", c.identifier}, {"at", iso(s.now())}};
}

json database_setup(Step& s) {
    const auto engine = engine_of(s);
    const auto spec = dbsetup::parse_database_spec(spec_section(s), engine);
    const auto c = final_cluster(s);
    dbsetup::ConnectionParams p;
    p.host = c.endpoint;
    p.port = static_cast<std::uint16_t>(c.port.value_or(0));
    p.database = spec.name.empty() ? c.database_name : spec.name;
    std::string note;
    // An emulator (the sandbox) serves each cluster from one database of a shared server and reports its
    // real name as the cluster's DatabaseName; a loopback endpoint never comes from real RDS, so only there
    // is the reported name preferred over the request's.
    const bool loopback = c.endpoint == "localhost" || c.endpoint.starts_with("127.");
    if (loopback && !c.database_name.empty() && c.database_name != p.database) {
        note = "database '" + p.database + "' is served as '" + c.database_name + "' by this emulator";
        p.database = c.database_name;
    }
    p.user = c.master_username;
    p.password = master_password(s, spec, c);
    apply_tls(s, p);

    dbsetup::SetupInput input;
    for (const auto& user : spec.users) {
        if (user.password_secret.empty()) continue;
        input.passwords[user.name] = password_from_secret(s.env.secret_value(s.request.target.region, user.password_secret));
    }
    for (const auto& script : s.ctx.value("scripts", nlohmann::json::array())) {
        input.scripts.push_back({script.at("name").get<std::string>(), script.at("sql").get<std::string>()});
    }
    auto driver = s.env.db_driver(engine);
    json out = dbsetup::apply_database_setup(*driver, p, spec, input).to_json();
    out["host"] = p.host;
    out["database"] = p.database;
    if (!note.empty()) out["note"] = note;
    out["at"] = iso(s.now());
    return out;
}

} // namespace aurora::pipeline::steps
