#pragma once
//! Reading an AWS error answer into its code, message and request id, per protocol.

#include "aws/http/http_message.hpp"

#include <string>

namespace aurora::aws {

struct ParsedAwsError {
    std::string code;       //!< e.g. "DBClusterNotFoundFault"; "Http<status>" when the body names none
    std::string message;    //!< may be empty
    std::string request_id; //!< may be empty
};

//! Query protocol: <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>
//! (also the EC2 form <Response><Errors><Error>…</Error></Errors><RequestID/></Response>). The request id
//! falls back to the x-amzn-RequestId / x-amz-request-id headers. Never throws: an unreadable body gives
//! code "Http<status>" and the start of the body as the message.
ParsedAwsError parse_query_error(const HttpResponse& response);

//! JSON 1.0/1.1: the x-amzn-ErrorType header ("Code:http://…"), else the body's "__type"
//! ("namespace#Code") or "code"; message from "message" / "Message" / "errorMessage"; request id from
//! x-amzn-RequestId. Never throws.
ParsedAwsError parse_json_error(const HttpResponse& response);

//! The request id from the x-amzn-RequestId / x-amz-request-id headers, or empty.
std::string request_id_from_headers(const Headers& headers);

} // namespace aurora::aws
