// The one place where an Error becomes an HTTP status and a JSON body:
//   {"error": {"code": "not_found", "message": "…", "details":
//   [{"row","column","value","reason"}]}}
// Internal errors are logged by the caller and answered with a generic message: SQL text,
// library messages and stack traces never reach a client.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "base/error.h"

namespace fupin::http {

int HttpStatusFor(ErrorCode code);

// The JSON body for `error`. For kInternal and kUnavailable the message is replaced by a
// generic one (the original goes to the server log only).
nlohmann::json ErrorBody(const Error& error);

// Extra response headers an error calls for (Retry-After for throttling).
std::vector<std::pair<std::string, std::string>> ErrorHeaders(const Error& error);

// A body for a status produced outside any handler (404 of an unknown path, 413, …).
nlohmann::json ErrorBody(ErrorCode code, std::string_view message);

}  // namespace fupin::http
