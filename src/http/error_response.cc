#include "http/error_response.h"

#include "base/chinese.h"

namespace fupin::http {

int HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kAlreadyExists:
      return 409;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kFailedPrecondition:
      return 422;
    case ErrorCode::kResourceExhausted:
      return 429;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

nlohmann::json ErrorBody(const Error& error) {
  std::string message = error.message;
  if (error.code == ErrorCode::kInternal) {
    message = "internal error; the server log has the details";
  } else if (error.code == ErrorCode::kUnavailable) {
    message = "the database is unavailable; try again later";
  }
  nlohmann::json details = nlohmann::json::array();
  for (const ErrorDetail& d : error.details) {
    nlohmann::json item = {{"column", d.column}, {"value", d.value}, {"reason", d.reason}};
    if (std::string zh = ToChinese(d.reason); !zh.empty()) item["reason_zh"] = std::move(zh);
    if (d.row > 0) item["row"] = d.row;
    details.push_back(std::move(item));
  }
  nlohmann::json body = {
      {"error", {{"code", ErrorCodeName(error.code)}, {"message", message}, {"details", details}}}};
  if (std::string zh = ToChinese(message); !zh.empty()) body["error"]["message_zh"] = zh;
  if (error.code == ErrorCode::kConflict && error.current_version > 0) {
    body["error"]["current_version"] = error.current_version;
  }
  return body;
}

std::vector<std::pair<std::string, std::string>> ErrorHeaders(const Error& error) {
  if (error.code == ErrorCode::kResourceExhausted && error.retry_after_seconds > 0) {
    return {{"Retry-After", std::to_string(error.retry_after_seconds)}};
  }
  return {};
}

nlohmann::json ErrorBody(ErrorCode code, std::string_view message) {
  return ErrorBody(Error{code, std::string(message), {}, 0, 0});
}

}  // namespace fupin::http
