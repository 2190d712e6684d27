#include "aws/client/error_parsing.hpp"

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

namespace aurora::aws {
namespace {

// Why a cap: a proxy or load balancer may answer with a whole HTML page; the message only needs its start.
constexpr std::size_t kMaxBodyInMessage = 200;

std::string body_excerpt(const std::string& body) {
    std::string out;
    for (const char c : body.substr(0, kMaxBodyInMessage)) {
        out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    }
    return out;
}

ParsedAwsError fallback(const HttpResponse& r) {
    return ParsedAwsError{"Http" + std::to_string(r.status), body_excerpt(r.body), request_id_from_headers(r.headers)};
}

// "ValidationException:http://internal.amazon.com/coral/..." -> "ValidationException";
// "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException" -> "ResourceNotFoundException".
std::string sanitize_json_code(std::string code) {
    if (const auto colon = code.find(':'); colon != std::string::npos) {
        code.resize(colon);
    }
    if (const auto hash = code.rfind('#'); hash != std::string::npos) {
        code = code.substr(hash + 1);
    }
    return code;
}

} // namespace

std::string request_id_from_headers(const Headers& headers) {
    if (auto v = headers.get("x-amzn-RequestId")) {
        return *v;
    }
    if (auto v = headers.get("x-amz-request-id")) {
        return *v;
    }
    return {};
}

ParsedAwsError parse_query_error(const HttpResponse& response) {
    pugi::xml_document doc;
    if (!doc.load_buffer(response.body.data(), response.body.size())) {
        return fallback(response);
    }
    const pugi::xml_node root = doc.document_element();
    pugi::xml_node error = root.child("Error");
    if (error.empty()) {
        error = root.child("Errors").child("Error");
    }
    const std::string code = error.child("Code").child_value();
    if (code.empty()) {
        return fallback(response);
    }
    ParsedAwsError out{code, error.child("Message").child_value(), root.child("RequestId").child_value()};
    if (out.request_id.empty()) {
        out.request_id = root.child("RequestID").child_value();
    }
    if (out.request_id.empty()) {
        out.request_id = request_id_from_headers(response.headers);
    }
    return out;
}

ParsedAwsError parse_json_error(const HttpResponse& response) {
    ParsedAwsError out;
    out.request_id = request_id_from_headers(response.headers);
    if (auto h = response.headers.get("x-amzn-ErrorType")) {
        out.code = sanitize_json_code(*h);
    }
    const auto body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    if (body.is_object()) {
        for (const char* key : {"__type", "code"}) {
            const auto it = body.find(key);
            if (out.code.empty() && it != body.end() && it->is_string()) {
                out.code = sanitize_json_code(it->get<std::string>());
            }
        }
        for (const char* key : {"message", "Message", "errorMessage"}) {
            const auto it = body.find(key);
            if (out.message.empty() && it != body.end() && it->is_string()) {
                out.message = it->get<std::string>();
            }
        }
    }
    if (out.code.empty()) {
        ParsedAwsError fb = fallback(response);
        fb.message = out.message.empty() ? fb.message : out.message;
        return fb;
    }
    return out;
}

} // namespace aurora::aws
