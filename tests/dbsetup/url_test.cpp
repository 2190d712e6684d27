#include "common/error.hpp"
#include "common/redact.hpp"
#include "dbsetup/driver.hpp"

#include <gtest/gtest.h>

namespace aurora::dbsetup {
namespace {

TEST(ConnectionUrl, ParsesPostgres) {
    const auto u = parse_connection_url("postgresql://aurora_test:s3cr%40t%2Fpw@127.0.0.1:5432/postgres");
    EXPECT_EQ(u.engine, Engine::postgres);
    EXPECT_EQ(u.params.host, "127.0.0.1");
    EXPECT_EQ(u.params.port, 5432);
    EXPECT_EQ(u.params.user, "aurora_test");
    EXPECT_EQ(u.params.password, "s3cr@t/pw");
    EXPECT_EQ(u.params.database, "postgres");
    EXPECT_EQ(u.params.tls, TlsMode::prefer);
    // The password is registered as a secret as soon as it is parsed.
    EXPECT_EQ(redact("password is s3cr@t/pw"), "password is ***");
}

TEST(ConnectionUrl, ParsesMysqlWithOptions) {
    const auto u = parse_connection_url(
        "mysql://app%20user:pw%3Axyz@db.example.com/my%5Fdb?sslmode=verify-full&sslrootcert=/etc/rds.pem&connect_timeout=3");
    EXPECT_EQ(u.engine, Engine::mysql);
    EXPECT_EQ(u.params.user, "app user");
    EXPECT_EQ(u.params.password, "pw:xyz");
    EXPECT_EQ(u.params.host, "db.example.com");
    EXPECT_EQ(u.params.port, 0);
    EXPECT_EQ(u.params.database, "my_db");
    EXPECT_EQ(u.params.tls, TlsMode::verify_full);
    EXPECT_EQ(u.params.ca_bundle, "/etc/rds.pem");
    EXPECT_EQ(u.params.connect_timeout_seconds, 3);
}

TEST(ConnectionUrl, ParsesIpv6AndRawAtInPassword) {
    const auto u = parse_connection_url("postgres://u:p@ss@[::1]:6543/db");
    EXPECT_EQ(u.params.host, "::1");
    EXPECT_EQ(u.params.port, 6543);
    EXPECT_EQ(u.params.password, "p@ss");
}

TEST(ConnectionUrl, ErrorsNeverQuoteThePassword) {
    for (const char* url : {"http://u:pw12345@h/db", "postgresql://u:pw12345@h:99999/db", "postgresql://:pw12345@h/db",
                            "postgresql://u:pw12345@/db", "postgresql://u:pw12345@h/db?sslmode=maybe",
                            "postgresql://u:pw%zz@h/db", "mysql://u:pw12345@h/db?colour=blue", "no-scheme"}) {
        try {
            parse_connection_url(url);
            ADD_FAILURE() << "expected an error for " << url;
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::config) << url;
            EXPECT_EQ(e.message().find("pw12345"), std::string::npos) << e.message();
        }
    }
}

TEST(TlsMode, Names) {
    EXPECT_EQ(tls_mode_from_name("verify-ca"), TlsMode::verify_ca);
    EXPECT_EQ(tls_mode_from_name("verify_full"), TlsMode::verify_full);
    EXPECT_EQ(tls_mode_from_name("disable"), TlsMode::disable);
    EXPECT_EQ(tls_mode_from_name("allow"), std::nullopt);
    EXPECT_EQ(tls_mode_name(TlsMode::require), "require");
}

TEST(Drivers, VerifyModesNeedACaBundle) {
    for (Engine engine : {Engine::postgres, Engine::mysql}) {
        ConnectionParams p;
        p.host = "127.0.0.1";
        p.user = "u";
        p.tls = TlsMode::verify_full;
        try {
            make_driver(engine)->connect(p);
            ADD_FAILURE() << "expected an error";
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::config);
            EXPECT_EQ(e.message(), "tls mode verify-full needs a ca bundle");
        }
    }
}

} // namespace
} // namespace aurora::dbsetup
