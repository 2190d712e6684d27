#pragma once
//! Builders of signed requests for the sandbox core tests (the real signer, so the tests exercise the wire
//! protocol the SDKs use).

#include "aws/http/http_message.hpp"
#include "aws/sigv4/sigv4.hpp"
#include "sandbox/sandbox_core.hpp"

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include <string>
#include <utility>
#include <vector>

namespace aurora::sandbox::testing {

using Params = std::vector<std::pair<std::string, std::string>>;

inline aws::Credentials test_credentials(std::string key = "test", std::string secret = "test",
                                         std::string token = {}) {
    aws::Credentials c;
    c.access_key_id = std::move(key);
    c.secret_access_key = std::move(secret);
    c.session_token = std::move(token);
    return c;
}

//! A form-encoded Query request (Action, Version, then `params`), signed for (service, region) at `time`.
inline aws::HttpRequest query_request(const std::string& service, const std::string& action, const Params& params,
                                      Clock::WallTime time, const aws::Credentials& creds = test_credentials(),
                                      const std::string& region = "us-east-1",
                                      const std::string& version = "2011-06-15") {
    aws::HttpRequest r;
    r.method = "POST";
    r.scheme = "http";
    r.host = "127.0.0.1:4566";
    r.path = "/";
    r.headers.set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
    r.body = "Action=" + aws::uri_encode(action) + "&Version=" + aws::uri_encode(version);
    for (const auto& [k, v] : params) {
        r.body += "&" + aws::uri_encode(k) + "=" + aws::uri_encode(v);
    }
    aws::sign_request(r, creds, aws::SigningParams{region, service, time});
    return r;
}

//! A JSON 1.1 request with X-Amz-Target `target` ("TrentService.DescribeKey"), signed for (service, region).
inline aws::HttpRequest json_request(const std::string& service, const std::string& target, const nlohmann::json& body,
                                     Clock::WallTime time, const aws::Credentials& creds = test_credentials(),
                                     const std::string& region = "us-east-1") {
    aws::HttpRequest r;
    r.method = "POST";
    r.scheme = "http";
    r.host = "127.0.0.1:4566";
    r.path = "/";
    r.headers.set("Content-Type", "application/x-amz-json-1.1");
    r.headers.set("X-Amz-Target", target);
    r.body = body.dump();
    aws::sign_request(r, creds, aws::SigningParams{region, service, time});
    return r;
}

//! The text of the first element named `name` anywhere in an XML body ("" when absent).
inline std::string xml_text(const std::string& body, const std::string& name) {
    pugi::xml_document doc;
    doc.load_string(body.c_str());
    const auto node = doc.select_node(("//" + name).c_str());
    return node ? node.node().text().as_string() : std::string{};
}

//! The root element's name and xmlns attribute.
inline std::pair<std::string, std::string> xml_root(const std::string& body) {
    pugi::xml_document doc;
    doc.load_string(body.c_str());
    const auto root = doc.document_element();
    return {root.name(), root.attribute("xmlns").as_string()};
}

} // namespace aurora::sandbox::testing
