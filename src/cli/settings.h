// Where fupin's settings come from, in order of precedence:
//   1. command-line flags (--db, --host, --port, …)
//   2. environment variables (FUPIN_DB, FUPIN_HOST, FUPIN_PORT, FUPIN_WEB_ROOT, FUPIN_LOG_LEVEL,
//      FUPIN_INCOME_THRESHOLDS)
//   3. a config file: --config FILE, else $FUPIN_CONFIG — lines of `key = value`, `#` comments,
//      keys db, host, port, web_root, log_level, income_thresholds
//   4. built-in defaults
// CLI11 would let a config file override the environment, so the order is resolved here.
// Thread-safety: immutable after Load.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "base/error.h"

namespace fupin::cli {

class Settings {
 public:
  // Finds --config FILE / --config=FILE in argv, else $FUPIN_CONFIG, and reads it.
  // kInvalidArgument naming the line for a malformed file; kNotFound when a named file is
  // missing.
  static Result<Settings> Load(int argc, const char* const* argv);
  static Result<Settings> FromText(std::string_view text, const std::string& source);

  // The flag's value if it was given, else the environment variable, else the file's key,
  // else `fallback`.
  std::string Resolve(const std::string& flag_value, bool flag_given, std::string_view key,
                      std::string_view fallback) const;

  const std::string& source() const { return source_; }

 private:
  std::map<std::string, std::string, std::less<>> file_values_;
  std::string source_;
};

// The environment variable of a setting key: "db" → "FUPIN_DB".
std::string EnvName(std::string_view key);

}  // namespace fupin::cli
