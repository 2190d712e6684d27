//! The RDS service on a real data plane (issue #3, acceptance 5): a seeded cluster with rows, a snapshot and a
//! restore through the RDS API, then a login as the restored cluster's master user at the Endpoint/Port the
//! API answers, reading the source's rows from DBCluster.DatabaseName.

#include "sandbox/data_plane/data_plane.hpp"
#include "sandbox/rds/rds_service.hpp"
#include "support/requirements.hpp"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <mysql.h>
#include <pugixml.hpp>
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <memory>
#include <string>
#include <unistd.h>

namespace aurora::sandbox::testing {
namespace {

struct Endpoint {
    std::string host;
    int port = 0;
    std::string database;
};

class RealPlane {
public:
    RealPlane(DataPlane& plane, std::string engine) : engine_(std::move(engine)) {
        RdsOptions o;
        o.clock = &clock_;
        o.durations = load_durations("fast");
        (engine_ == "aurora-mysql" ? o.mysql : o.postgres) = &plane;
        service_ = make_rds_service(o);
    }

    pugi::xml_document call(const std::string& action, std::map<std::string, std::string> params) {
        RequestContext ctx;
        ctx.account_id = "123456789012";
        ctx.region = "us-east-1";
        ctx.service = "rds";
        ctx.action = action;
        ctx.params = std::move(params);
        ctx.request_id = "r";
        clock_.advance(std::chrono::seconds(1));
        ctx.now = clock_.now();
        pugi::xml_document doc;
        doc.load_string(service_->handle(ctx).body.c_str());
        return doc;
    }

    void seed(const std::string& yaml) { service_->seed(YAML::Load(yaml), "123456789012", "us-east-1"); }

    Endpoint endpoint(const std::string& cluster) {
        auto doc = call("DescribeDBClusters", {{"DBClusterIdentifier", cluster}});
        auto c = doc.select_node("//DBCluster").node();
        return {c.child("Endpoint").text().as_string(), c.child("Port").text().as_int(),
                c.child("DatabaseName").text().as_string()};
    }

private:
    std::string engine_;
    FakeClock clock_;
    std::unique_ptr<Service> service_;
};

//! SELECT count(*) FROM orders, logged in as `user`.
long long count_rows(const std::string& engine, const Endpoint& ep, const std::string& user,
                     const std::string& password) {
    if (engine == "aurora-mysql") {
        std::unique_ptr<MYSQL, decltype(&mysql_close)> conn(mysql_init(nullptr), &mysql_close);
        if (mysql_real_connect(conn.get(), ep.host.c_str(), user.c_str(), password.c_str(), ep.database.c_str(),
                               static_cast<unsigned>(ep.port), nullptr, 0) == nullptr) {
            ADD_FAILURE() << "login failed: " << mysql_error(conn.get());
            return -1;
        }
        if (mysql_query(conn.get(), "SELECT count(*) FROM orders") != 0) {
            ADD_FAILURE() << mysql_error(conn.get());
            return -1;
        }
        std::unique_ptr<MYSQL_RES, decltype(&mysql_free_result)> res(mysql_store_result(conn.get()),
                                                                    &mysql_free_result);
        return std::stoll(mysql_fetch_row(res.get())[0]);
    }
    auto port = std::to_string(ep.port);
    const char* keys[] = {"host", "port", "dbname", "user", "password", nullptr};
    const char* values[] = {ep.host.c_str(), port.c_str(), ep.database.c_str(), user.c_str(), password.c_str(),
                            nullptr};
    std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdbParams(keys, values, 0), &PQfinish);
    if (PQstatus(conn.get()) != CONNECTION_OK) {
        ADD_FAILURE() << "login failed: " << PQerrorMessage(conn.get());
        return -1;
    }
    std::unique_ptr<PGresult, decltype(&PQclear)> res(PQexec(conn.get(), "SELECT count(*) FROM orders"), &PQclear);
    if (PQresultStatus(res.get()) != PGRES_TUPLES_OK) {
        ADD_FAILURE() << PQresultErrorMessage(res.get());
        return -1;
    }
    return std::stoll(PQgetvalue(res.get(), 0, 0));
}

void snapshot_restore_login(const std::string& url, const std::string& engine) {
    auto plane = open_data_plane(url);
    RealPlane rds(*plane, engine);
    // Unique names so parallel runs on one server never meet.
    const std::string tag = std::to_string(getpid()) + "x" +
                            std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 100000);
    const std::string src = "it-src-" + tag, snap = "it-snap-" + tag, dst = "it-dst-" + tag;
    const std::string user = "m" + tag, password = "pw-" + tag + "-secret";
    rds.seed("rds: {clusters: [{id: " + src + ", engine: " + engine + ", master_username: " + user +
             ", master_password: \"" + password +
             "\", data: {sql: \"CREATE TABLE orders (id int); INSERT INTO orders VALUES (1), (2), (3);\"}}]}");
    rds.call("CreateDBClusterSnapshot", {{"DBClusterIdentifier", src}, {"DBClusterSnapshotIdentifier", snap}});
    rds.call("RestoreDBClusterFromSnapshot",
             {{"DBClusterIdentifier", dst}, {"SnapshotIdentifier", snap}, {"Engine", engine}});
    auto ep = rds.endpoint(dst);
    EXPECT_EQ(ep.host, plane->endpoint().host);
    EXPECT_EQ(ep.port, plane->endpoint().port);
    EXPECT_EQ(ep.database, database_name_for('c', dst));
    EXPECT_TRUE(plane->database_exists(ep.database));
    EXPECT_EQ(count_rows(engine, ep, user, password), 3);
    rds.call("DeleteDBCluster", {{"DBClusterIdentifier", dst}, {"SkipFinalSnapshot", "true"}});
    rds.call("DeleteDBCluster", {{"DBClusterIdentifier", src}, {"SkipFinalSnapshot", "true"}});
    rds.call("DeleteDBClusterSnapshot", {{"DBClusterSnapshotIdentifier", snap}});
    EXPECT_FALSE(plane->database_exists(ep.database));
    EXPECT_FALSE(plane->database_exists(database_name_for('s', snap)));
}

TEST(RdsDataPlane, PostgresSnapshotRestoreKeepsRowsAndTheMasterLogsIn) {
    AURORA_REQUIRE_ENV(url, "AURORA_TEST_PG_URL", "a PostgreSQL server (scripts/services.sh start)");
    snapshot_restore_login(url, "aurora-postgresql");
}

TEST(RdsDataPlane, MysqlSnapshotRestoreKeepsRowsAndTheMasterLogsIn) {
    AURORA_REQUIRE_ENV(url, "AURORA_TEST_MYSQL_URL", "a MariaDB server (scripts/services.sh start)");
    snapshot_restore_login(url, "aurora-mysql");
}

} // namespace
} // namespace aurora::sandbox::testing
