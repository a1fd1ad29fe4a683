// Surveys: the use cases behind the API and the CLI.
#include "evaluation/survey_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "access/permissions.h"
#include "base/text.h"

namespace fupin::evaluation {

namespace {

auto NoQuestionnaire(int64_t id) {
  return NotFound(fmt::format("no questionnaire with id {}", id));
}

std::vector<const Response*> Pointers(const std::vector<Response>& rs) {
  std::vector<const Response*> out;
  out.reserve(rs.size());
  for (const auto& r : rs) out.push_back(&r);
  return out;
}

}  // namespace

Result<std::vector<Questionnaire>> SurveyService::List(const std::vector<std::string>& scope,
                                                       int64_t system_id) {
  return repository_.ListQuestionnaires(scope, system_id);
}

Result<Questionnaire> SurveyService::Get(const std::vector<std::string>& scope, int64_t id) {
  auto found = repository_.FindQuestionnaire(id);
  if (!found) return std::unexpected(found.error());
  if (!*found || !SeenFrom(scope, (*found)->region_code)) return NoQuestionnaire(id);
  return std::move(**found);
}

Result<SystemVersion> SurveyService::VersionOf(const std::vector<std::string>& scope,
                                               int64_t system_id, int version) {
  auto system = systems_.Get(scope, system_id);
  if (!system) return std::unexpected(system.error());
  const int number = version > 0 ? version : system->latest_version;
  if (number == 0) {
    return FailedPrecondition(fmt::format(
        "indicator system {} has no published version yet: publish it before designing its "
        "questionnaires",
        system_id));
  }
  auto v = repository_.FindVersion(system_id, number);
  if (!v) return std::unexpected(v.error());
  if (!*v) {
    return NotFound(
        fmt::format("indicator system {} has no published version {}", system_id, number));
  }
  return std::move(**v);
}

Result<Questionnaire> SurveyService::Create(const std::vector<std::string>& scope, Questionnaire q,
                                            const audit::Actor& actor) {
  if (q.region_code.empty()) {
    return InvalidArgument("the questionnaire is not valid",
                           {ErrorDetail{0, "region", "", "is required"}});
  }
  if (!access::InAnySubtree(scope, q.region_code)) {
    return PermissionDenied(fmt::format(
        "region {} is outside the regions where you design evaluations", q.region_code));
  }
  auto version = VersionOf(scope, q.system_id, q.system_version);
  if (!version) return std::unexpected(version.error());
  q.id = 0;
  q.system_version = version->version;
  FUPIN_TRY(ValidateQuestionnaire(q, version->content, &systems_.catalogue()));
  return repository_.SaveQuestionnaire(q, version->content.grades, actor);
}

Result<Questionnaire> SurveyService::Update(const std::vector<std::string>& scope,
                                            const Questionnaire& q, const audit::Actor& actor) {
  auto stored = Get(scope, q.id);
  if (!stored) return std::unexpected(stored.error());
  if (!access::InAnySubtree(scope, stored->region_code)) {
    return PermissionDenied(fmt::format("questionnaire {} belongs to region {}, above your regions",
                                        q.id, stored->region_code));
  }
  if (stored->version != q.version) {
    return Conflict(fmt::format("questionnaire {} was changed by someone else: you edited "
                                "version {}, the current version is {}",
                                q.id, q.version, stored->version),
                    stored->version);
  }
  if (stored->responses > 0 && (stored->questions != q.questions || stored->groups != q.groups ||
                                stored->period != q.period)) {
    return FailedPrecondition(
        fmt::format("questionnaire {} has {} responses: its questions, groups and period are "
                    "fixed (copy it into a new questionnaire to change them)",
                    q.id, stored->responses));
  }
  Questionnaire next = q;
  next.region_code = stored->region_code;
  next.system_id = stored->system_id;
  next.system_version = stored->system_version;
  auto version = VersionOf({""}, next.system_id, next.system_version);
  if (!version) return std::unexpected(version.error());
  FUPIN_TRY(ValidateQuestionnaire(next, version->content, &systems_.catalogue()));
  return repository_.SaveQuestionnaire(next, version->content.grades, actor);
}

Result<std::vector<Response>> SurveyService::Responses(const std::vector<std::string>& scope,
                                                       int64_t id,
                                                       const std::vector<std::string>& regions) {
  auto q = Get(scope, id);
  if (!q) return std::unexpected(q.error());
  if (regions.empty()) return repository_.ListResponses(id, scope);
  for (const auto& r : regions) {
    if (!access::InAnySubtree(scope, r)) {
      return PermissionDenied(fmt::format("region {} is outside the regions you see", r));
    }
  }
  return repository_.ListResponses(id, regions);
}

Result<Questionnaire> SurveyService::Writable(const std::vector<std::string>& scope, int64_t id) {
  auto q = Get(scope, id);
  if (!q) return std::unexpected(q.error());
  if (!q->open) {
    return FailedPrecondition(
        fmt::format("questionnaire {} is closed: it takes no more responses", id));
  }
  return q;
}

RegionResolver SurveyService::Resolver(const std::vector<std::string>& scope,
                                       const Questionnaire& q) {
  auto cache = std::make_shared<std::map<std::string, Result<std::string>>>();
  return
      [this, scope, region = q.region_code, cache](std::string_view text) -> Result<std::string> {
        const std::string key(Trim(text));
        if (auto it = cache->find(key); it != cache->end()) return it->second;
        auto resolve = [&]() -> Result<std::string> {
          std::string code;
          if (key.size() == 12 && IsAsciiDigits(key)) {
            auto found = regions_.Find(key);
            if (!found) return std::unexpected(found.error());
            if (!*found) return InvalidArgument("no region has this code");
            code = key;
          } else {
            regions::RegionQuery query;
            query.within = region;
            query.text = key;
            query.limit = 20;
            auto page = regions_.Search(query);
            if (!page) return std::unexpected(page.error());
            std::vector<std::string> exact;
            for (const auto& item : page->items) {
              if (item.region.name == key) exact.push_back(item.region.code);
            }
            if (exact.empty()) {
              return InvalidArgument(
                  fmt::format("no region of this name (or 12-digit code) within {}", region));
            }
            if (exact.size() > 1) {
              return InvalidArgument(fmt::format(
                  "{} regions within {} have this name: give the code", exact.size(), region));
            }
            code = exact.front();
          }
          if (!access::InSubtree(region, code)) {
            return InvalidArgument(fmt::format("outside the questionnaire's region {}", region));
          }
          if (!access::InAnySubtree(scope, code)) {
            return InvalidArgument("outside the regions where you collect survey responses");
          }
          return code;
        };
        auto r = resolve();
        cache->emplace(key, r);
        return r;
      };
}

Result<Response> SurveyService::Enter(const std::vector<std::string>& scope, int64_t id,
                                      Response response, const audit::Actor& actor) {
  auto q = Writable(scope, id);
  if (!q) return std::unexpected(q.error());
  response.questionnaire_id = id;
  response.source = std::string(kSourceForm);
  response.external_id.clear();
  std::vector<ErrorDetail> problems;
  if (!response.region_code.empty()) {
    auto code = Resolver(scope, *q)(response.region_code);
    if (!code) {
      problems.push_back(ErrorDetail{0, "region", response.region_code, code.error().message});
    } else {
      response.region_code = *code;
    }
  }
  if (auto s = ValidateResponse(*q, response, 0); !s) {
    for (auto& d : s.error().details) {
      if (!(d.column == "region" && !problems.empty())) problems.push_back(std::move(d));
    }
  }
  if (!problems.empty()) return InvalidArgument("the response is not valid", std::move(problems));
  auto saved = repository_.SaveResponses(id, {response}, actor);
  if (!saved) return std::unexpected(saved.error());
  auto all = repository_.ListResponses(id, {response.region_code});
  if (!all) return std::unexpected(all.error());
  for (auto& r : *all) {
    if (r.id == saved->ids.front()) return std::move(r);
  }
  return Internal("the response vanished while saved");
}

Status SurveyService::DeleteResponse(const std::vector<std::string>& scope, int64_t id,
                                     int64_t response_id, const audit::Actor& actor) {
  auto q = Writable(scope, id);
  if (!q) return std::unexpected(q.error());
  auto all = repository_.ListResponses(id, scope);
  if (!all) return std::unexpected(all.error());
  const bool seen =
      std::any_of(all->begin(), all->end(), [&](const Response& r) { return r.id == response_id; });
  // Deleting is idempotent: a response that is not there (or not among those the caller sees)
  // is gone as far as the caller can tell.
  if (!seen) return {};
  return repository_.DeleteResponse(id, response_id, actor);
}

Result<ImportPreview> SurveyService::Preview(const std::vector<std::string>& scope, int64_t id,
                                             tabular::TableReader& reader) {
  auto q = Writable(scope, id);
  if (!q) return std::unexpected(q.error());
  ImportPreview p;
  p.header = reader.header();
  p.format = std::string(reader.format());
  p.tool = DetectTool(p.header);
  p.mapping = ProposeMapping(*q, p.tool, p.header);
  for (const auto& qu : q->questions) {
    if (!p.mapping.questions.contains(qu.key)) p.unmapped.push_back(qu.key);
  }
  tabular::Row row;
  while (p.sample.size() < 5) {
    auto more = reader.Next(row);
    if (!more) return std::unexpected(more.error());
    if (!*more) break;
    p.sample.push_back(row.cells);
  }
  return p;
}

Result<ImportOutcome> SurveyService::Import(const std::vector<std::string>& scope, int64_t id,
                                            tabular::TableReader& reader,
                                            std::optional<SurveyTool> tool,
                                            const ColumnMapping& mapping, bool dry_run,
                                            const audit::Actor& actor) {
  auto q = Writable(scope, id);
  if (!q) return std::unexpected(q.error());
  ImportOutcome out;
  out.tool = tool ? *tool : DetectTool(reader.header());
  out.dry_run = dry_run;
  auto rows = ReadResponses(*q, reader, out.tool, mapping, Resolver(scope, *q));
  if (!rows) return std::unexpected(rows.error());
  out.rows = rows->rows;
  if (!rows->problems.empty()) {
    const size_t count = rows->problems.size();
    return InvalidArgument(fmt::format("{} problems in the file: nothing was imported", count),
                           std::move(rows->problems));
  }
  if (rows->responses.empty()) {
    return InvalidArgument("the file has no responses: nothing was imported");
  }
  if (dry_run) {
    auto stored = repository_.ListResponses(id, {""});
    if (!stored) return std::unexpected(stored.error());
    std::set<std::string> ids;
    for (const auto& r : *stored) {
      if (!r.external_id.empty()) ids.insert(r.external_id);
    }
    for (const auto& r : rows->responses) {
      if (ids.contains(r.external_id)) {
        ++out.updated;
      } else {
        ++out.inserted;
      }
    }
    return out;
  }
  auto saved = repository_.SaveResponses(id, rows->responses, actor);
  if (!saved) return std::unexpected(saved.error());
  out.inserted = saved->inserted;
  out.updated = saved->updated;
  return out;
}

Result<SurveyQuality> SurveyService::Quality(const std::vector<std::string>& scope, int64_t id,
                                             const std::string& region) {
  auto q = Get(scope, id);
  if (!q) return std::unexpected(q.error());
  auto rs = Responses(
      scope, id, region.empty() ? std::vector<std::string>{} : std::vector<std::string>{region});
  if (!rs) return std::unexpected(rs.error());
  auto version = repository_.FindVersion(q->system_id, q->system_version);
  if (!version) return std::unexpected(version.error());
  if (!*version) return Internal(fmt::format("questionnaire {}: its system version is gone", id));
  return CheckQuality(*q, (*version)->content, Pointers(*rs));
}

Result<std::map<std::string, std::vector<double>>> SurveyService::Tally(
    const std::vector<std::string>& scope, int64_t id, const std::string& region) {
  auto q = Get(scope, id);
  if (!q) return std::unexpected(q.error());
  auto rs = Responses(
      scope, id, region.empty() ? std::vector<std::string>{} : std::vector<std::string>{region});
  if (!rs) return std::unexpected(rs.error());
  auto version = repository_.FindVersion(q->system_id, q->system_version);
  if (!version) return std::unexpected(version.error());
  if (!*version) return Internal(fmt::format("questionnaire {}: its system version is gone", id));
  auto scale = GradeScale::Make((*version)->content.grades);
  if (!scale) return std::unexpected(scale.error());
  return TallyLeaves(*q, *scale, Pointers(*rs));
}

Result<SurveyCounts> SurveyService::CountsFor(int64_t system_id, const std::string& period,
                                              const std::vector<int64_t>& questionnaires,
                                              const std::string& object, const GradeScale& scale) {
  auto all = repository_.ListQuestionnaires({""}, system_id);
  if (!all) return std::unexpected(all.error());
  SurveyCounts out;
  for (const auto& q : *all) {
    if (q.period != period) continue;
    if (!questionnaires.empty() &&
        std::find(questionnaires.begin(), questionnaires.end(), q.id) == questionnaires.end()) {
      continue;
    }
    auto rs = repository_.ListResponses(q.id, {object});
    if (!rs) return std::unexpected(rs.error());
    if (rs->empty()) continue;
    out.responses[q.id] = static_cast<int>(rs->size());
    for (auto& [leaf, counts] : TallyLeaves(q, scale, Pointers(*rs))) {
      auto& total = out.leaves[leaf];
      total.resize(counts.size(), 0.0);
      for (size_t g = 0; g < counts.size(); ++g) total[g] += counts[g];
    }
  }
  return out;
}

}  // namespace fupin::evaluation
