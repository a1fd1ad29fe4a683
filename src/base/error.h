// Errors as values for the whole of fupin.
//
// Every fallible function returns Result<T> (std::expected<T, Error>). An Error carries a
// code from a small fixed set, a human-readable message and optional per-item details (for a
// file or form: row, column, value, reason). Exactly one place (http/error_response) maps an
// Error to an HTTP status, and one place (cli) maps it to an exit code. Messages are meant for
// the person who supplied the input; they never contain SQL text or stack traces.
// Thread-safety: plain value types.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fupin {

enum class ErrorCode {
  kInvalidArgument,     // the input is wrong; details say where
  kNotFound,            // no such thing (or not visible to the caller)
  kAlreadyExists,       // a unique key is taken
  kConflict,            // optimistic-lock version mismatch or concurrent change
  kFailedPrecondition,  // the system is not in a state that allows this
  kUnauthenticated,
  kPermissionDenied,
  kResourceExhausted,  // throttled or over a size limit
  kUnavailable,        // a dependency (database server) cannot be reached
  kInternal,           // a bug or an unexpected failure of a library
};

// Stable snake_case name of a code ("invalid_argument", ...), used in the API and logs.
std::string_view ErrorCodeName(ErrorCode code);

// One problem at one place of an input. `row` is the line number in the file (header = 1),
// 0 when the problem is not tied to a row; `column` is the column's header or a field name.
struct ErrorDetail {
  int64_t row = 0;
  std::string column;
  std::string value;
  std::string reason;

  friend bool operator==(const ErrorDetail&, const ErrorDetail&) = default;
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::vector<ErrorDetail> details;
  // For kConflict on versioned records: the version the store holds now (0 = unknown).
  int64_t current_version = 0;
  // For kResourceExhausted (throttling): seconds until a retry can succeed (0 = unknown).
  int64_t retry_after_seconds = 0;

  // Prefixes the message with context ("importing regions.csv: ...").
  Error& Prefix(std::string_view context);
};

template <typename T>
using Result = std::expected<T, Error>;
using Status = Result<void>;

inline std::unexpected<Error> MakeError(ErrorCode code, std::string message,
                                        std::vector<ErrorDetail> details = {}) {
  return std::unexpected(Error{code, std::move(message), std::move(details), 0, 0});
}
inline std::unexpected<Error> InvalidArgument(std::string message,
                                              std::vector<ErrorDetail> details = {}) {
  return MakeError(ErrorCode::kInvalidArgument, std::move(message), std::move(details));
}
inline std::unexpected<Error> NotFound(std::string message) {
  return MakeError(ErrorCode::kNotFound, std::move(message));
}
inline std::unexpected<Error> AlreadyExists(std::string message) {
  return MakeError(ErrorCode::kAlreadyExists, std::move(message));
}
inline std::unexpected<Error> FailedPrecondition(std::string message) {
  return MakeError(ErrorCode::kFailedPrecondition, std::move(message));
}
inline std::unexpected<Error> Unavailable(std::string message) {
  return MakeError(ErrorCode::kUnavailable, std::move(message));
}
inline std::unexpected<Error> Internal(std::string message) {
  return MakeError(ErrorCode::kInternal, std::move(message));
}
inline std::unexpected<Error> Unauthenticated(std::string message) {
  return MakeError(ErrorCode::kUnauthenticated, std::move(message));
}
inline std::unexpected<Error> PermissionDenied(std::string message) {
  return MakeError(ErrorCode::kPermissionDenied, std::move(message));
}
inline std::unexpected<Error> Throttled(std::string message, int64_t retry_after_seconds) {
  return std::unexpected(
      Error{ErrorCode::kResourceExhausted, std::move(message), {}, 0, retry_after_seconds});
}
inline std::unexpected<Error> Conflict(std::string message, int64_t current_version) {
  return std::unexpected(Error{ErrorCode::kConflict, std::move(message), {}, current_version, 0});
}

// Propagates the error of a Result-returning expression: FUPIN_TRY(db.Migrate());
#define FUPIN_TRY(expr)                                  \
  do {                                                   \
    auto fupin_try_result_ = (expr);                     \
    if (!fupin_try_result_) {                            \
      return std::unexpected(fupin_try_result_.error()); \
    }                                                    \
  } while (false)

}  // namespace fupin
