#include "aws/credentials/metadata_http.hpp"

#include "common/error.hpp"
#include "common/log.hpp"

#include <algorithm>

namespace aurora::aws {

HttpResponse send_metadata_request(HttpClient& http, const HttpRequest& request, int attempts, const std::string& what) {
    std::string last_error;
    HttpResponse last;
    bool answered = false;
    for (int attempt = 1; attempt <= std::max(1, attempts); ++attempt) {
        log::trace("credentials.metadata.request",
                   {{"what", what}, {"method", request.method}, {"path", request.path}, {"attempt", attempt}});
        try {
            last = http.send(request);
            answered = true;
            if (last.status < 500) {
                return last;
            }
            last_error = "HTTP " + std::to_string(last.status);
        } catch (const TransportError& e) {
            last_error = e.what();
        }
        log::debug("credentials.metadata.attempt_failed", {{"what", what}, {"attempt", attempt}, {"error", last_error}});
    }
    if (answered) {
        return last;
    }
    throw Error(ErrorCode::credentials, what + " is unreachable: " + last_error,
                "tried " + std::to_string(std::max(1, attempts)) + " time(s)");
}

} // namespace aurora::aws
