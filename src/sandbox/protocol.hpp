#pragma once
//! Wire helpers for the sandbox's services: the protocol of each emulated service, AWS-shaped error bodies,
//! the Query protocol's XML response envelope and its structured request parameters.
//!
//! Query protocol: https://smithy.io/2.0/aws/protocols/aws-query-protocol.html
//! JSON protocol:  https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html

#include "sandbox/service.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aurora::sandbox {

enum class WireProtocol { query, json };

//! How one emulated service talks on the wire.
struct ServiceProtocol {
    std::string signing_name;  //!< "rds", "sts", "sns", "secretsmanager", "kms"
    WireProtocol protocol = WireProtocol::query;
    std::string xml_namespace; //!< Query: the response namespace
    std::string json_version;  //!< JSON: "1.0" or "1.1"
    std::string target_prefix; //!< JSON: the X-Amz-Target prefix, e.g. "TrentService"
    std::string message_key;   //!< JSON: the error message member ("message" or "Message")
};

//! The protocol of a known signing name; nullopt for a service the sandbox does not emulate.
std::optional<ServiceProtocol> protocol_for(std::string_view signing_name);
//! The signing name whose JSON target prefix is `prefix` ("TrentService" → "kms"); empty when unknown.
std::string service_for_target_prefix(std::string_view prefix);

//! The Query service whose API version is `version` ("2014-10-31" → "rds"); empty when unknown. A hint for
//! unsigned requests only: the credential scope decides.
std::string service_for_query_version(std::string_view version);

//! A fresh request id (UUID v4 text), as AWS puts in x-amzn-RequestId.
std::string new_request_id();
//! A UUID v4 text (version ids, message ids, key ids).
std::string new_uuid();

//! Escapes &, <, >, " and ' for XML text and attributes.
std::string xml_escape(std::string_view text);

//! Builds XML text: `XmlWriter w; w.open("A"); w.leaf("B", "x"); w.close();` → <A><B>x</B></A>.
class XmlWriter {
public:
    //! Opens `<name>` (with optional `xmlns`).
    XmlWriter& open(std::string_view name, std::string_view xmlns = {});
    //! Closes the innermost open element.
    XmlWriter& close();
    //! `<name>escaped text</name>`.
    XmlWriter& leaf(std::string_view name, std::string_view text);
    //! A leaf only when `text` has a value.
    XmlWriter& leaf_opt(std::string_view name, const std::optional<std::string>& text);
    XmlWriter& leaf_bool(std::string_view name, bool value);
    XmlWriter& leaf_int(std::string_view name, long long value);
    //! Appends already-built XML as is.
    XmlWriter& raw(std::string_view xml);
    //! The text; every element must be closed.
    std::string str() const;

private:
    std::string out_;
    std::vector<std::string> stack_;
};

//! The Query protocol success envelope:
//! <ActionResponse xmlns=ns><ActionResult>result</ActionResult><ResponseMetadata><RequestId>…
//! When `result_xml` is nullopt the Result element is omitted (operations without output).
Response query_response(const RequestContext& ctx, const std::string& xml_namespace,
                        const std::optional<std::string>& result_xml);
//! A JSON protocol success answer with the service's content type.
Response json_response(const ServiceProtocol& protocol, const nlohmann::json& body);

//! An error in the service's protocol shape: Query <ErrorResponse xmlns=…><Error><Type>Sender|Receiver
//! </Type><Code>…</Code><Message>…</Message></Error><RequestId>…</RequestId></ErrorResponse>; JSON
//! {"__type": code, "message": …} with x-amzn-ErrorType. Sets x-amzn-RequestId.
Response error_response(const ServiceProtocol& protocol, const ServiceError& error, const std::string& request_id);

//! Query parameters: `prefix.1`, `prefix.2`, … (1-based, stops at the first gap), e.g. prefix
//! "AttributeNames.member" or "Filters.Filter.1.Values.Value".
std::vector<std::string> param_list(const std::map<std::string, std::string>& params, const std::string& prefix);
//! Structures of a Query list: for `prefix.N.Field=value` returns one map Field→value per N (1-based, stops at
//! the first N with no field), e.g. prefix "Tags.Tag" or "Tags.member".
std::vector<std::map<std::string, std::string>> param_structs(const std::map<std::string, std::string>& params,
                                                              const std::string& prefix);
//! Tags of a Query request (`prefix.N.Key` / `prefix.N.Value`), in order.
std::vector<std::pair<std::string, std::string>> param_tags(const std::map<std::string, std::string>& params,
                                                            const std::string& prefix);
//! A Query map `prefix.entry.N.key` / `.value` (SNS Attributes).
std::map<std::string, std::string> param_map(const std::map<std::string, std::string>& params,
                                             const std::string& prefix);

//! One filter of a describe call: Name and its Values.
struct QueryFilter {
    std::string name;
    std::vector<std::string> values;
};
//! RDS-style filters: `Filters.Filter.N.Name` and `Filters.Filter.N.Values.Value.M`.
std::vector<QueryFilter> param_filters(const std::map<std::string, std::string>& params,
                                       const std::string& prefix = "Filters.Filter");

//! The value of a parameter, or nullopt.
std::optional<std::string> param(const std::map<std::string, std::string>& params, const std::string& name);
//! The value of a required parameter; throws ServiceError(MissingParameter) naming it when absent.
std::string required_param(const std::map<std::string, std::string>& params, const std::string& name,
                           const std::string& missing_code = "MissingParameter");
//! An integer parameter; throws ServiceError(InvalidParameterValue) when not an integer.
std::optional<long long> param_int(const std::map<std::string, std::string>& params, const std::string& name);
//! A boolean parameter ("true"/"false"); throws ServiceError(InvalidParameterValue) otherwise.
std::optional<bool> param_bool(const std::map<std::string, std::string>& params, const std::string& name);

} // namespace aurora::sandbox
