#pragma once
//! The small HTTP helper the container and IMDS providers share: a request sent with a fixed number of
//! immediate attempts (the SDKs do not back off for local metadata endpoints).

#include "aws/http/http_client.hpp"

#include <string>

namespace aurora::aws {

//! Sends `request` up to `attempts` times, retrying on TransportError and 5xx answers, and returns the last
//! answer. Throws aurora::Error(credentials) naming `what` when no attempt got an HTTP answer.
HttpResponse send_metadata_request(HttpClient& http, const HttpRequest& request, int attempts, const std::string& what);

} // namespace aurora::aws
