#include "cli/command.h"

#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <string_view>

namespace fupin::cli {

bool ChineseOutput() {
  for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* value = std::getenv(var);
    if (value != nullptr && *value != '\0') return std::string_view(value).starts_with("zh");
  }
  return false;
}

std::string Localized(const char* en, const char* zh) { return ChineseOutput() ? zh : en; }

audit::Actor CliActor() {
  std::string user;
  if (const passwd* pw = getpwuid(geteuid()); pw && pw->pw_name) user = pw->pw_name;
  if (user.empty()) user = std::to_string(geteuid());
  return audit::Actor{"cli:" + user, 0, "local"};
}

int ExitCodeFor(const Error& error) {
  switch (error.code) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kNotFound:
    case ErrorCode::kAlreadyExists:
      return kExitInvalidInput;
    default:
      return kExitFailure;
  }
}

nlohmann::json ErrorJson(const Error& e) {
  nlohmann::json details = nlohmann::json::array();
  for (const auto& d : e.details) {
    details.push_back(
        {{"row", d.row}, {"column", d.column}, {"value", d.value}, {"reason", d.reason}});
  }
  return {
      {"error", {{"code", ErrorCodeName(e.code)}, {"message", e.message}, {"details", details}}}};
}

int ReportErrorAs(bool json, const Error& error) {
  if (!json) return ReportError(error);
  fmt::print("{}\n", ErrorJson(error).dump(2));
  return ExitCodeFor(error);
}

int ReportError(const Error& error) {
  fmt::print(stderr, "fupin: {}\n", error.message);
  for (const ErrorDetail& d : error.details) {
    std::string where;
    if (d.row > 0) where += fmt::format("row {}", d.row);
    if (!d.column.empty()) where += fmt::format("{}column {}", where.empty() ? "" : ", ", d.column);
    if (!d.value.empty()) where += fmt::format("{}value '{}'", where.empty() ? "" : ", ", d.value);
    fmt::print(stderr, "  {}{}{}\n", where, where.empty() ? "" : ": ", d.reason);
  }
  return ExitCodeFor(error);
}

}  // namespace fupin::cli
