// TLS verification against a local HTTPS server whose certificate is generated for the test (self-signed,
// subjectAltName IP:127.0.0.1): refused by default, accepted with it as the CA bundle.
#include "aws/http/curl_http_client.hpp"

#include <httplib.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <thread>

#include <unistd.h>

namespace aurora::aws {
namespace {

struct PkeyFree {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
    void operator()(X509* x) const { X509_free(x); }
};
struct FileClose {
    void operator()(std::FILE* f) const { std::fclose(f); }
};

//! Writes a fresh self-signed certificate and key for 127.0.0.1 under `dir`; returns false on failure.
bool write_self_signed(const std::filesystem::path& dir) {
    std::unique_ptr<EVP_PKEY, PkeyFree> key(EVP_EC_gen("P-256"));
    std::unique_ptr<X509, X509Free> cert(X509_new());
    if (!key || !cert) {
        return false;
    }
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1,
                               0);
    X509_set_issuer_name(cert.get(), name);
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
    for (const auto& [nid, value] : {std::pair{NID_subject_alt_name, "IP:127.0.0.1"},
                                     std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
        X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
        if (ext == nullptr) {
            return false;
        }
        X509_add_ext(cert.get(), ext, -1);
        X509_EXTENSION_free(ext);
    }
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) {
        return false;
    }
    std::unique_ptr<std::FILE, FileClose> cf(std::fopen((dir / "cert.pem").c_str(), "w"));
    std::unique_ptr<std::FILE, FileClose> kf(std::fopen((dir / "key.pem").c_str(), "w"));
    return cf && kf && PEM_write_X509(cf.get(), cert.get()) == 1 &&
           PEM_write_PrivateKey(kf.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1;
}

class TlsServer : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("aurora-tls-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(dir_);
        ASSERT_TRUE(write_self_signed(dir_));
        server_ = std::make_unique<httplib::SSLServer>((dir_ / "cert.pem").c_str(), (dir_ / "key.pem").c_str());
        ASSERT_TRUE(server_->is_valid());
        server_->Get("/tls", [](const httplib::Request&, httplib::Response& res) { res.set_content("secure", "text/plain"); });
        server_->set_tcp_nodelay(true);
        port_ = server_->bind_to_any_port("127.0.0.1");
        ASSERT_GT(port_, 0);
        thread_ = std::thread([this] { server_->listen_after_bind(); });
        while (!server_->is_running()) {
            std::this_thread::sleep_for(std::chrono::milliseconds{1});
        }
    }
    void TearDown() override {
        if (server_) {
            server_->stop();
        }
        if (thread_.joinable()) {
            thread_.join();
        }
        std::filesystem::remove_all(dir_);
    }
    HttpRequest request() const { return request_from_url("GET", "https://127.0.0.1:" + std::to_string(port_) + "/tls"); }

    std::filesystem::path dir_;
    std::unique_ptr<httplib::SSLServer> server_;
    std::thread thread_;
    int port_ = 0;
};

TEST_F(TlsServer, UntrustedCertificateIsRefusedByDefault) {
    CurlHttpClient client;
    ASSERT_TRUE(client.options().verify_tls);
    try {
        (void)client.send(request());
        FAIL() << "a self-signed certificate was accepted";
    } catch (const TransportError& e) {
        EXPECT_EQ(e.kind(), TransportError::Kind::tls) << e.what();
    }
}

TEST_F(TlsServer, CaBundleOptionTrustsTheCertificate) {
    HttpClientOptions options;
    options.ca_bundle = (dir_ / "cert.pem").string();
    CurlHttpClient client(options);
    const HttpResponse resp = client.send(request());
    EXPECT_EQ(resp.status, 200);
    EXPECT_EQ(resp.body, "secure");
    EXPECT_EQ(client.send(request()).body, "secure"); // a second call through the pooled handle
}

} // namespace
} // namespace aurora::aws
