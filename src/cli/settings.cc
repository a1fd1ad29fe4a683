#include "cli/settings.h"

#include <fmt/format.h>

#include <cstdlib>

#include "base/text.h"

namespace fupin::cli {
namespace {

constexpr std::string_view kKnownKeys[] = {"db",       "host",      "port",
                                           "web_root", "log_level", "income_thresholds"};

}  // namespace

std::string EnvName(std::string_view key) {
  std::string out = "FUPIN_";
  for (char c : key) out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return out;
}

Result<Settings> Settings::FromText(std::string_view text, const std::string& source) {
  Settings s;
  s.source_ = source;
  int line_number = 0;
  for (const std::string& raw : Split(text, '\n')) {
    ++line_number;
    std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#') continue;
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      return InvalidArgument(fmt::format("{}: line {} is not `key = value`", source, line_number),
                             {{line_number, "", std::string(line), "expected key = value"}});
    }
    const std::string key(Trim(line.substr(0, eq)));
    std::string value(Trim(line.substr(eq + 1)));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    bool known = false;
    for (std::string_view k : kKnownKeys) known = known || k == key;
    if (!known) {
      return InvalidArgument(
          fmt::format("{}: line {}: unknown key '{}' (known: db, host, port, web_root, log_level, "
                      "income_thresholds)",
                      source, line_number, key),
          {{line_number, key, "", "unknown key"}});
    }
    s.file_values_[key] = value;
  }
  return s;
}

Result<Settings> Settings::Load(int argc, const char* const* argv) {
  std::string path;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--config" && i + 1 < argc) {
      path = argv[i + 1];
      break;
    }
    if (arg.starts_with("--config=")) {
      path = std::string(arg.substr(9));
      break;
    }
  }
  if (path.empty()) {
    if (const char* env = std::getenv("FUPIN_CONFIG"); env && *env) path = env;
  }
  if (path.empty()) return Settings{};
  auto text = ReadFileBytes(path);
  if (!text) return std::unexpected(text.error().Prefix("config file"));
  return FromText(*text, path);
}

std::string Settings::Resolve(const std::string& flag_value, bool flag_given, std::string_view key,
                              std::string_view fallback) const {
  if (flag_given) return flag_value;
  if (const char* env = std::getenv(EnvName(key).c_str()); env && *env) return env;
  if (auto it = file_values_.find(key); it != file_values_.end()) return it->second;
  return std::string(fallback);
}

}  // namespace fupin::cli
