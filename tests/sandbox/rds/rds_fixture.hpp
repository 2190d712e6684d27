#pragma once
//! Drives the RDS service through Service::handle() with RequestContexts (no HTTP), on a FakeClock.

#include "common/error.hpp"
#include "sandbox/rds/rds_service.hpp"

#include <gtest/gtest.h>
#include <pugixml.hpp>
#include <yaml-cpp/yaml.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace aurora::sandbox::testing {

inline constexpr const char* account = "123456789012";

//! Records every data plane call; databases exist in a set.
class FakeDataPlane final : public DataPlane {
public:
    explicit FakeDataPlane(std::string family) : family_(std::move(family)) {}
    std::string engine_family() const override { return family_; }
    DataPlaneEndpoint endpoint() const override { return {"127.0.0.1", 15432}; }
    void create_cluster_database(const std::string& db, const std::string& user, const std::string&) override {
        calls.push_back("create " + db + " " + user);
        dbs.insert(db);
    }
    void snapshot_database(const std::string& from, const std::string& to) override {
        calls.push_back("snapshot " + from + " " + to);
        dbs.insert(to);
    }
    void restore_database(const std::string& from, const std::string& to, const std::string& user,
                          const std::string&) override {
        calls.push_back("restore " + from + " " + to + " " + user);
        dbs.insert(to);
    }
    void rename_database(const std::string& from, const std::string& to) override {
        calls.push_back("rename " + from + " " + to);
        dbs.erase(from);
        dbs.insert(to);
    }
    void drop_database(const std::string& db) override {
        calls.push_back("drop " + db);
        dbs.erase(db);
    }
    void set_password(const std::string& user, const std::string&) override { calls.push_back("password " + user); }
    bool database_exists(const std::string& db) override { return dbs.contains(db); }

    std::vector<std::string> calls;
    std::set<std::string> dbs;

private:
    std::string family_;
};

//! A parsed answer: XPath helpers over the XML body (pugixml ignores the default namespace).
struct Answer {
    Response response;
    pugi::xml_document doc;

    std::string text(const std::string& xpath) const {
        auto node = doc.select_node(xpath.c_str());
        return node ? node.node().text().as_string() : std::string{"<missing>"};
    }
    std::size_t count(const std::string& xpath) const { return doc.select_nodes(xpath.c_str()).size(); }
};

class RdsTest : public ::testing::Test {
protected:
    void SetUp() override { make(options()); }

    //! Options with explicit durations so lifecycles are visible on the FakeClock.
    RdsOptions options() {
        RdsOptions o;
        o.durations.base = {{"cluster_create", std::chrono::seconds(60)},  {"cluster_delete", std::chrono::seconds(30)},
                            {"cluster_rename", std::chrono::seconds(10)},  {"cluster_modify", std::chrono::seconds(10)},
                            {"instance_create", std::chrono::seconds(90)}, {"instance_delete", std::chrono::seconds(40)},
                            {"snapshot_create", std::chrono::seconds(20)}, {"snapshot_copy", std::chrono::seconds(100)}};
        o.clock = &clock;
        o.seed = 7;
        o.kms_key_exists = [this](const std::string&, const std::string& region, const std::string& key) {
            return kms_keys.contains(region + "/" + key);
        };
        return o;
    }

    void make(const RdsOptions& o) { service = make_rds_service(o); }

    //! Calls `action`; throws ServiceError as the service does.
    std::unique_ptr<Answer> call(const std::string& action, std::map<std::string, std::string> params = {},
                                 const std::string& region = "us-east-1") {
        RequestContext ctx;
        ctx.account_id = account;
        ctx.access_key_id = "test";
        ctx.region = region;
        ctx.service = "rds";
        ctx.action = action;
        ctx.params = std::move(params);
        ctx.request_id = "req-" + std::to_string(++requests);
        ctx.now = clock.now();
        auto a = std::make_unique<Answer>();
        a->response = service->handle(ctx);
        auto ok = a->doc.load_string(a->response.body.c_str());
        EXPECT_TRUE(ok) << a->response.body;
        return a;
    }

    //! Expects `action` to fail with `code` and `status`.
    void expect_error(const std::string& action, std::map<std::string, std::string> params, const std::string& code,
                      int status, const std::string& region = "us-east-1") {
        try {
            call(action, std::move(params), region);
            ADD_FAILURE() << action << " succeeded, expected " << code;
        } catch (const ServiceError& e) {
            EXPECT_EQ(e.code(), code) << e.what();
            EXPECT_EQ(e.status(), status) << e.code();
        }
    }

    void advance(int seconds) {
        clock.advance(std::chrono::seconds(seconds));
        service->tick(clock.now());
    }

    std::unique_ptr<Answer> create_cluster(const std::string& id, std::map<std::string, std::string> extra = {}) {
        std::map<std::string, std::string> p{{"DBClusterIdentifier", id},
                                             {"Engine", "aurora-postgresql"},
                                             {"MasterUsername", "postgres"},
                                             {"MasterUserPassword", "sandbox-secret-1"}};
        p.merge(extra);
        return call("CreateDBCluster", p);
    }

    std::string cluster_status(const std::string& id, const std::string& region = "us-east-1") {
        return call("DescribeDBClusters", {{"DBClusterIdentifier", id}}, region)->text("//DBCluster/Status");
    }

    std::string snapshot_status(const std::string& id, const std::string& region = "us-east-1") {
        return call("DescribeDBClusterSnapshots", {{"DBClusterSnapshotIdentifier", id}}, region)
            ->text("//DBClusterSnapshot/Status");
    }

    void seed(const std::string& yaml, const std::string& region = "us-east-1") {
        service->seed(YAML::Load(yaml), account, region);
    }

    FakeClock clock{Clock::WallTime{std::chrono::seconds{1'780'000'000}}}; // 2026-05-28T20:26:40Z
    std::set<std::string> kms_keys{"us-east-1/alias/east-key", "us-west-2/alias/west-key"};
    std::unique_ptr<Service> service;
    int requests = 0;
};

} // namespace aurora::sandbox::testing
