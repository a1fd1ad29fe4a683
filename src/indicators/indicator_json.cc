#include "indicators/indicator_json.h"

#include <fmt/format.h>

#include <vector>

#include "base/text.h"

namespace fupin::indicators {

using nlohmann::json;

json IndicatorJson(const Indicator& i, const std::optional<Declaration>& declaration) {
  json j = {{"code", i.code},
            {"zh", i.zh},
            {"en", i.en},
            {"unit", i.unit},
            {"unit_zh", UnitZh(i.unit)},
            {"unit_en", UnitEn(i.unit)},
            {"direction", DirectionName(i.direction)},
            {"source", SourceName(i.source)},
            {"aggregation", AggregationName(i.aggregation)},
            {"definition_zh", i.definition_zh},
            {"definition_en", i.definition_en},
            {"module", i.module},
            {"formula", nullptr},
            {"weight", i.weight.empty() ? json(nullptr) : json(i.weight)},
            {"declared", i.module == kDeclaredModule},
            {"version", declaration ? json(declaration->version) : json(nullptr)},
            {"declared_by", declaration ? declaration->declared_by : ""},
            {"declared_at", declaration ? declaration->declared_at : ""},
            {"updated_by", declaration ? declaration->updated_by : ""},
            {"updated_at", declaration ? declaration->updated_at : ""}};
  if (i.formula) {
    j["formula"] = {{"numerator", i.formula->numerator},
                    {"denominator", i.formula->denominator},
                    {"factor", i.formula->factor}};
  }
  return j;
}

namespace {

class Fields {
 public:
  Fields(const json& j, std::string prefix, std::vector<ErrorDetail>& problems)
      : j_(j), prefix_(std::move(prefix)), problems_(problems) {}

  bool Has(const char* field) const { return j_.contains(field) && !j_.at(field).is_null(); }
  std::string Text(const char* field, bool required = false) {
    if (!Has(field)) {
      if (required) Problem(field, "", "is required");
      return "";
    }
    if (!j_.at(field).is_string()) {
      Problem(field, j_.at(field).dump(), "must be text");
      return "";
    }
    return std::string(Trim(j_.at(field).get<std::string>()));
  }
  std::optional<double> Number(const char* field) {
    if (!Has(field)) return std::nullopt;
    if (!j_.at(field).is_number()) {
      Problem(field, j_.at(field).dump(), "must be a number");
      return std::nullopt;
    }
    return j_.at(field).get<double>();
  }
  void Problem(const char* field, std::string value, std::string reason) {
    problems_.push_back({0, prefix_ + field, std::move(value), std::move(reason)});
  }

 private:
  const json& j_;
  const std::string prefix_;
  std::vector<ErrorDetail>& problems_;
};

}  // namespace

Result<std::pair<Indicator, int64_t>> ParseDeclaration(const json& body, const std::string& code) {
  if (!body.is_object()) return InvalidArgument("a declaration is a JSON object");
  std::vector<ErrorDetail> problems;
  Fields f(body, "", problems);
  Indicator i;
  i.code = f.Text("code", code.empty());
  if (!code.empty()) {
    if (!i.code.empty() && i.code != code) {
      f.Problem("code", i.code, "the code of an indicator cannot change");
    }
    i.code = code;
  }
  i.zh = f.Text("zh", true);
  i.en = f.Text("en", true);
  i.unit = f.Text("unit", true);
  i.definition_zh = f.Text("definition_zh", true);
  i.definition_en = f.Text("definition_en", true);
  i.module = std::string(kDeclaredModule);
  if (const std::string direction = f.Text("direction"); !direction.empty()) {
    if (auto d = DirectionNamed(direction)) {
      i.direction = *d;
    } else {
      f.Problem("direction", direction, "must be higher_better, lower_better or target_range");
    }
  }
  const std::string source = f.Text("source", true);
  if (auto s = SourceNamed(source)) {
    i.source = *s;
  } else if (!source.empty()) {
    f.Problem("source", source, "must be computed, entered or surveyed");
  }
  // The aggregation follows from the source unless an entered indicator asks for a weighted
  // mean.
  i.aggregation = i.source == Source::kComputed   ? Aggregation::kRatioOfSums
                  : i.source == Source::kSurveyed ? Aggregation::kMeanOfAnswers
                                                  : Aggregation::kSum;
  if (const std::string aggregation = f.Text("aggregation"); !aggregation.empty()) {
    if (auto a = AggregationNamed(aggregation)) {
      i.aggregation = *a;
    } else {
      f.Problem("aggregation", aggregation,
                "must be sum, ratio_of_sums, mean_weighted or mean_of_answers");
    }
  }
  i.weight = f.Text("weight");
  if (f.Has("formula")) {
    const json& formula = body.at("formula");
    if (!formula.is_object()) {
      f.Problem("formula", formula.dump(), "must be an object {numerator, denominator, factor}");
    } else {
      Fields ff(formula, "formula.", problems);
      i.formula = Formula{ff.Text("numerator", true), ff.Text("denominator", true),
                          ff.Number("factor").value_or(1)};
    }
  }
  int64_t version = 0;
  if (f.Has("version")) {
    if (!body.at("version").is_number_integer()) {
      f.Problem("version", body.at("version").dump(), "must be a whole number");
    } else {
      version = body.at("version").get<int64_t>();
    }
  } else if (!code.empty()) {
    f.Problem("version", "", "is required (the version you read)");
  }
  if (!problems.empty()) {
    const std::string what = i.code.empty() ? "the declaration" : "indicator '" + i.code + "'";
    return InvalidArgument(fmt::format("{} has {} problem(s)", what, problems.size()),
                           std::move(problems));
  }
  return std::pair{std::move(i), version};
}

}  // namespace fupin::indicators
