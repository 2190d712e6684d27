#include "sandbox/rds/rds_seed_sql.hpp"

#include "common/error.hpp"

#include <libpq-fe.h>
#include <mysql.h>

#include <memory>

namespace aurora::sandbox::rds {

namespace {

void run_postgres(const DataPlaneEndpoint& ep, const std::string& db, const std::string& user,
                  const std::string& password, const std::string& sql) {
    auto port = std::to_string(ep.port);
    const char* keys[] = {"host", "port", "dbname", "user", "password", "connect_timeout", nullptr};
    const char* values[] = {ep.host.c_str(), port.c_str(), db.c_str(), user.c_str(), password.c_str(), "10", nullptr};
    std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdbParams(keys, values, 0), &PQfinish);
    if (PQstatus(conn.get()) != CONNECTION_OK) {
        throw Error(ErrorCode::config, "cannot connect to seed database " + db + ": " + PQerrorMessage(conn.get()));
    }
    // PQexec runs a multi-statement script in one implicit transaction.
    std::unique_ptr<PGresult, decltype(&PQclear)> res(PQexec(conn.get(), sql.c_str()), &PQclear);
    auto status = PQresultStatus(res.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        throw Error(ErrorCode::config, "seed sql failed in " + db + ": " + PQresultErrorMessage(res.get()));
    }
}

void run_mysql(const DataPlaneEndpoint& ep, const std::string& db, const std::string& user,
               const std::string& password, const std::string& sql) {
    std::unique_ptr<MYSQL, decltype(&mysql_close)> conn(mysql_init(nullptr), &mysql_close);
    if (!conn) {
        throw Error(ErrorCode::internal, "cannot initialise the mysql client");
    }
    if (mysql_real_connect(conn.get(), ep.host.c_str(), user.c_str(), password.c_str(), db.c_str(), ep.port,
                           nullptr, CLIENT_MULTI_STATEMENTS) == nullptr) {
        throw Error(ErrorCode::config, "cannot connect to seed database " + db + ": " + mysql_error(conn.get()));
    }
    if (mysql_query(conn.get(), sql.c_str()) != 0) {
        throw Error(ErrorCode::config, "seed sql failed in " + db + ": " + mysql_error(conn.get()));
    }
    // Drain every statement's result; a failing later statement reports here.
    int more = 0;
    do {
        if (MYSQL_RES* r = mysql_store_result(conn.get()); r != nullptr) {
            mysql_free_result(r);
        }
        more = mysql_next_result(conn.get());
        if (more > 0) {
            throw Error(ErrorCode::config, "seed sql failed in " + db + ": " + mysql_error(conn.get()));
        }
    } while (more == 0);
}

} // namespace

void run_seed_sql(DataPlane& plane, const std::string& db, const std::string& user, const std::string& password,
                  const std::string& sql) {
    auto ep = plane.endpoint();
    if (plane.engine_family() == "aurora-mysql") {
        run_mysql(ep, db, user, password, sql);
    } else {
        run_postgres(ep, db, user, password, sql);
    }
}

} // namespace aurora::sandbox::rds
