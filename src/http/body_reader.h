// Reading a JSON request body field by field, collecting every problem with its field name
// (the API's 400 lists them all at once). Used by the routes of several modules.
// Thread-safety: one reader per request.
#pragma once

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/time.h"

namespace fupin::http {

// Reads the fields of a JSON body one by one, collecting every problem with its field name.
class BodyReader {
 public:
  explicit BodyReader(const nlohmann::json& body) : body_(body) {}

  bool Has(const char* field) const { return body_.contains(field) && !body_[field].is_null(); }
  std::string Text(const char* field, bool required = false) {
    if (!Has(field)) {
      if (required) problems_.push_back({0, field, "", "is required"});
      return "";
    }
    if (!body_[field].is_string()) {
      problems_.push_back({0, field, body_[field].dump(), "must be text"});
      return "";
    }
    return body_[field].get<std::string>();
  }
  int64_t Int(const char* field, int64_t fallback = 0, bool required = false) {
    if (!Has(field)) {
      if (required) problems_.push_back({0, field, "", "is required"});
      return fallback;
    }
    if (!body_[field].is_number_integer()) {
      problems_.push_back({0, field, body_[field].dump(), "must be a whole number"});
      return fallback;
    }
    return body_[field].get<int64_t>();
  }
  std::optional<double> Number(const char* field) {
    if (!Has(field)) return std::nullopt;
    if (!body_[field].is_number()) {
      problems_.push_back({0, field, body_[field].dump(), "must be a number"});
      return std::nullopt;
    }
    return body_[field].get<double>();
  }
  bool Bool(const char* field) {
    if (!Has(field)) return false;
    if (!body_[field].is_boolean()) {
      problems_.push_back({0, field, body_[field].dump(), "must be true or false"});
      return false;
    }
    return body_[field].get<bool>();
  }
  std::optional<Date> Day(const char* field, bool required) {
    const std::string text = Text(field, required);
    if (text.empty()) return std::nullopt;
    auto day = ParseDate(text);
    if (!day) {
      problems_.push_back({0, field, text, "is not a date (YYYY-MM-DD)"});
      return std::nullopt;
    }
    return *day;
  }
  // An array of objects, each read by `item` with its field names prefixed "field[i].".
  template <typename Item>
  void Each(const char* field, Item item) {
    if (!Has(field)) return;
    if (!body_[field].is_array()) {
      problems_.push_back({0, field, body_[field].dump(), "must be a list"});
      return;
    }
    for (size_t i = 0; i < body_[field].size(); ++i) {
      const nlohmann::json& element = body_[field][i];
      if (!element.is_object()) {
        problems_.push_back(
            {0, fmt::format("{}[{}]", field, i), element.dump(), "must be an object"});
        continue;
      }
      BodyReader inner(element);
      item(inner);
      for (ErrorDetail d : inner.problems_) {
        d.column = fmt::format("{}[{}].{}", field, i, d.column);
        problems_.push_back(std::move(d));
      }
    }
  }
  void Problem(const char* field, std::string reason) {
    problems_.push_back({0, field, "", std::move(reason)});
  }
  const std::vector<ErrorDetail>& problems() const { return problems_; }
  Status Done(std::string_view what) {
    if (problems_.empty()) return {};
    std::string message = fmt::format("the {} has {} problem(s)", what, problems_.size());
    return InvalidArgument(std::move(message), std::move(problems_));
  }

 private:
  const nlohmann::json& body_;
  std::vector<ErrorDetail> problems_;
};

}  // namespace fupin::http
