#include "http/router.h"

#include <fmt/format.h>

#include <charconv>

namespace fupin::http {
namespace {

std::optional<int64_t> ParseInt(std::string_view s) {
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

std::optional<std::string> ApiRequest::Query(std::string_view name) const {
  auto it = query.find(std::string(name));
  if (it == query.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

const std::string& ApiRequest::Param(std::string_view name) const {
  static const std::string kEmpty;
  auto it = path_params.find(std::string(name));
  return it == path_params.end() ? kEmpty : it->second;
}

Result<nlohmann::json> ApiRequest::JsonBody() const {
  auto parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return InvalidArgument("the request body is not valid JSON");
  if (!parsed.is_object()) return InvalidArgument("the request body must be a JSON object");
  return parsed;
}

audit::Actor ApiRequest::Actor() const {
  return {principal ? principal->name : "", principal ? principal->user_id : 0, remote_addr};
}

Result<int64_t> PathId(const ApiRequest& request, std::string_view param, std::string_view what) {
  const std::string& text = request.Param(param);
  int64_t id = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || ptr != text.data() + text.size() || id <= 0) {
    return NotFound(fmt::format("no {} with id {}", what, text));
  }
  return id;
}

Result<std::string> RequiredString(const nlohmann::json& body, const char* field) {
  if (!body.contains(field) || !body[field].is_string()) {
    return InvalidArgument(fmt::format("{} is required", field),
                           {{0, field, "", "required, a string"}});
  }
  return body[field].get<std::string>();
}

Result<Paging> ParsePaging(const ApiRequest& request, int64_t default_size, int64_t max_size) {
  Paging paging;
  paging.page_size = default_size;
  if (auto page = request.Query("page")) {
    auto v = ParseInt(*page);
    if (!v || *v < 1) {
      return InvalidArgument("page must be a whole number from 1",
                             {{0, "page", *page, "must be a whole number from 1"}});
    }
    paging.page = *v;
  }
  if (auto size = request.Query("page_size")) {
    auto v = ParseInt(*size);
    if (!v || *v < 1 || *v > max_size) {
      const std::string reason = fmt::format("must be a whole number from 1 to {}", max_size);
      return InvalidArgument("page_size " + reason, {{0, "page_size", *size, reason}});
    }
    paging.page_size = *v;
  }
  return paging;
}

Result<int64_t> QueryInt(const ApiRequest& request, std::string_view name, int64_t fallback) {
  auto text = request.Query(name);
  if (!text || text->empty()) return fallback;
  auto v = ParseInt(*text);
  if (!v) {
    return InvalidArgument(fmt::format("{} must be a whole number", name),
                           {{0, std::string(name), *text, "must be a whole number"}});
  }
  return *v;
}

Result<std::optional<Date>> QueryDate(const ApiRequest& request, std::string_view name) {
  auto text = request.Query(name);
  if (!text || text->empty()) return std::optional<Date>{};
  auto day = ParseDate(*text);
  if (!day) {
    return InvalidArgument(fmt::format("{} is not a date (YYYY-MM-DD)", name),
                           {{0, std::string(name), *text, "is not a date (YYYY-MM-DD)"}});
  }
  return std::optional<Date>(*day);
}

Result<bool> QueryBool(const ApiRequest& request, std::string_view name, bool fallback) {
  auto v = request.Query(name);
  if (!v) return fallback;
  if (*v == "true" || *v == "1") return true;
  if (*v == "false" || *v == "0") return false;
  return InvalidArgument(fmt::format("{} must be true or false", name),
                         {{0, std::string(name), *v, "must be true or false"}});
}

nlohmann::json ListEnvelope(nlohmann::json items, int64_t total,
                            const std::optional<Paging>& paging) {
  nlohmann::json out = {{"items", std::move(items)}, {"total", total}};
  if (paging) {
    out["page"] = paging->page;
    out["page_size"] = paging->page_size;
  }
  return out;
}

}  // namespace fupin::http

namespace fupin::http {

ApiResponse ApiResponse::File(std::string bytes, std::string content_type,
                              std::string_view filename) {
  ApiResponse r;
  r.raw = std::move(bytes);
  r.content_type = std::move(content_type);
  r.headers.emplace_back("Content-Disposition",
                         fmt::format("attachment; filename=\"{}\"", filename));
  r.headers.emplace_back("Cache-Control", "no-store");  // may hold personal data
  return r;
}

}  // namespace fupin::http
