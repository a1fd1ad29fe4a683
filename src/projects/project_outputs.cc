#include "projects/project_outputs.h"

#include <fmt/format.h>

#include <charconv>

#include "projects/project_service.h"

namespace fupin::projects {
namespace {

struct Code {
  int64_t project_id = 0;
  std::string key;
};

Result<Code> ParseCode(std::string_view code) {
  const std::string text(code);
  auto bad = [&] {
    return InvalidArgument(
        fmt::format("indicator {} is not a project output (project:<id>:<target key>)", text),
        {{0, "indicator", text, "is not a project output: write project:<id>:<target key>"}});
  };
  if (!code.starts_with("project:")) return bad();
  code.remove_prefix(8);
  const size_t colon = code.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == code.size()) return bad();
  Code out;
  auto [end, ec] = std::from_chars(code.data(), code.data() + colon, out.project_id);
  if (ec != std::errc() || end != code.data() + colon || out.project_id <= 0) return bad();
  out.key = std::string(code.substr(colon + 1));
  return out;
}

indicators::Direction DirectionOf(const std::string& direction) {
  if (direction == "<=") return indicators::Direction::kLowerBetter;
  if (direction == "=") return indicators::Direction::kTargetRange;
  return indicators::Direction::kHigherBetter;
}

}  // namespace

Result<goals::OutputIndicators::Output> ProjectOutputs::Make(const ProjectDetail& detail,
                                                             const Target& target) {
  const Project& p = detail.project;
  const ProjectProfile& profile = InForce(detail);
  const std::string code = fmt::format("project:{}:{}", p.id, target.key);
  Output out;
  out.region_code = profile.region_code;
  auto region = regions_.Find(profile.region_code);
  if (!region) return std::unexpected(region.error());
  out.region_name = *region ? (*region)->name : profile.region_code;
  std::lock_guard lock(mutex_);
  auto it = handed_out_.find(code);
  if (it == handed_out_.end()) {
    indicators::Indicator i;
    i.code = code;
    i.zh = fmt::format("{}：{}", profile.name, target.name);
    i.en = fmt::format("{}: {}", profile.name, target.name);
    i.unit = target.unit;
    i.direction = DirectionOf(target.direction);
    i.source = indicators::Source::kEntered;
    i.definition_zh = fmt::format(
        "项目 {}（{}）绩效目标表中“{}”（目标值 {} {}{}）的实测值：截至当日最近一次测量。", p.id,
        profile.name, target.name, target.direction, target.target_value, target.unit);
    i.definition_en = fmt::format(
        "The measured value of \"{}\" (target {} {}{}) in the performance target table of "
        "project {} ({}): the latest measurement on or before the day.",
        target.name, target.direction, target.target_value, target.unit, p.id, profile.name);
    i.module = "projects";
    it = handed_out_.emplace(code, std::move(i)).first;
  }
  out.indicator = &it->second;
  return out;
}

Result<goals::OutputIndicators::Output> ProjectOutputs::Describe(std::string_view code) {
  auto parsed = ParseCode(code);
  if (!parsed) return std::unexpected(parsed.error());
  auto detail = projects_.FindDetail(parsed->project_id, {""});
  if (!detail) return std::unexpected(detail.error());
  if (!*detail) return NotFound(fmt::format("no project with id {}", parsed->project_id));
  for (const Target& t : InForce(**detail).targets) {
    if (t.key == parsed->key) return Make(**detail, t);
  }
  return NotFound(fmt::format("project {} has no target {} in the version in force",
                              parsed->project_id, parsed->key));
}

Result<std::optional<double>> ProjectOutputs::ValueOn(std::string_view code, const Date& day) {
  auto parsed = ParseCode(code);
  if (!parsed) return std::unexpected(parsed.error());
  auto detail = projects_.FindDetail(parsed->project_id, {""});
  if (!detail) return std::unexpected(detail.error());
  if (!*detail) return std::optional<double>();
  // A later measurement replaces the earlier: the one kept counts from its day on.
  for (const TargetActual& a : (*detail)->target_actuals) {
    if (a.key == parsed->key && a.measured_on <= day) return std::optional<double>(a.value);
  }
  return std::optional<double>();
}

Result<std::vector<goals::OutputIndicators::Output>> ProjectOutputs::List(
    const std::vector<std::string>& scope, const std::string& region) {
  ProjectQuery q;
  q.scope = scope;
  q.within = region;
  q.limit = 0;
  auto page = projects_.ListProjects(q);
  if (!page) return std::unexpected(page.error());
  std::vector<Output> out;
  for (const Project& p : page->items) {
    if (p.approved_version == 0) continue;  // not a commitment yet
    auto detail = projects_.FindDetail(p.id, {""});
    if (!detail) return std::unexpected(detail.error());
    if (!*detail) continue;
    for (const Target& t : InForce(**detail).targets) {
      auto output = Make(**detail, t);
      if (!output) return std::unexpected(output.error());
      out.push_back(std::move(*output));
    }
  }
  return out;
}

}  // namespace fupin::projects
