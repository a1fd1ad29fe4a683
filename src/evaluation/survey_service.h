// Surveys: questionnaires, response entry, imports from survey tools, quality checks and the
// counts per grade that evaluation runs take from them.
//
// Who does what: a questionnaire is seen by the callers whose scope holds its region or lies
// below it, and designed within the designer's own regions (evaluation.design). Responses are
// entered and imported (evaluation.survey) for respondents whose region lies both in the
// questionnaire's region and in the caller's scope; readers see the responses within their own
// scope. Questions and groups are fixed once responses exist.
// Thread-safety: as thread-safe as the repositories (the service holds no mutable state).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "base/error.h"
#include "evaluation/repository.h"
#include "evaluation/survey.h"
#include "evaluation/survey_import.h"
#include "evaluation/system_service.h"
#include "regions/region_repository.h"
#include "tabular/reader.h"

namespace fupin::evaluation {

struct ImportPreview {
  SurveyTool tool = SurveyTool::kFile;
  std::string format;  // the reader's: "csv-utf-8", "xlsx", …
  std::vector<std::string> header;
  ColumnMapping mapping;                         // proposed
  std::vector<std::vector<std::string>> sample;  // the first rows
  std::vector<std::string> unmapped;             // question keys no column was found for
};

struct ImportOutcome {
  SurveyTool tool = SurveyTool::kFile;
  bool dry_run = false;
  int rows = 0;
  int inserted = 0;
  int updated = 0;  // dry run: would be updated (submission id already stored)
};

// What an evaluation run takes from the surveys of its system and period for one object.
struct SurveyCounts {
  std::map<std::string, std::vector<double>> leaves;  // leaf key → counts per grade
  std::map<int64_t, int> responses;                   // questionnaire id → responses used
};

class SurveyService {
 public:
  SurveyService(EvaluationRepository& repository, SystemService& systems,
                regions::RegionRepository& regions)
      : repository_(repository), systems_(systems), regions_(regions) {}

  // `scope`: evaluation.read.
  Result<std::vector<Questionnaire>> List(const std::vector<std::string>& scope, int64_t system_id);
  // kNotFound when it does not exist or is not seen from `scope`.
  Result<Questionnaire> Get(const std::vector<std::string>& scope, int64_t id);
  // The grade scale and tree of the system version a questionnaire is tied to (0 = the latest
  // published), seen from `scope`.
  Result<SystemVersion> VersionOf(const std::vector<std::string>& scope, int64_t system_id,
                                  int version);

  // `scope`: evaluation.design. The region must lie in it; the system version is resolved
  // (0 = the latest published) and the questionnaire validated against it.
  Result<Questionnaire> Create(const std::vector<std::string>& scope, Questionnaire q,
                               const audit::Actor& actor);
  // `q` as edited from the stored one (same id, the version it was read at).
  Result<Questionnaire> Update(const std::vector<std::string>& scope, const Questionnaire& q,
                               const audit::Actor& actor);

  // Responses within `regions` (each inside the caller's read scope; {} = the whole scope).
  Result<std::vector<Response>> Responses(const std::vector<std::string>& scope, int64_t id,
                                          const std::vector<std::string>& regions);
  // `scope`: evaluation.survey. The questionnaire must be open.
  Result<Response> Enter(const std::vector<std::string>& scope, int64_t id, Response response,
                         const audit::Actor& actor);
  Status DeleteResponse(const std::vector<std::string>& scope, int64_t id, int64_t response_id,
                        const audit::Actor& actor);

  // Reads the header and first rows of an export and proposes a mapping.
  Result<ImportPreview> Preview(const std::vector<std::string>& scope, int64_t id,
                                tabular::TableReader& reader);
  // Reads every row; any problem → kInvalidArgument listing every one (row, column, value,
  // reason) and nothing written. `tool` unset = detected from the header.
  Result<ImportOutcome> Import(const std::vector<std::string>& scope, int64_t id,
                               tabular::TableReader& reader, std::optional<SurveyTool> tool,
                               const ColumnMapping& mapping, bool dry_run,
                               const audit::Actor& actor);

  // Quality checks and leaf tallies over the responses within `region` ("" = all the caller
  // sees).
  Result<SurveyQuality> Quality(const std::vector<std::string>& scope, int64_t id,
                                const std::string& region);
  Result<std::map<std::string, std::vector<double>>> Tally(const std::vector<std::string>& scope,
                                                           int64_t id, const std::string& region);

  // For runs: the counts the questionnaires of `system_id` about `period` (only those in
  // `questionnaires` when not empty) give each survey leaf of the object's region subtree, with
  // leaves keyed as in the questionnaires (the run matches them to its version's keys).
  Result<SurveyCounts> CountsFor(int64_t system_id, const std::string& period,
                                 const std::vector<int64_t>& questionnaires,
                                 const std::string& object, const GradeScale& scale);

 private:
  Result<Questionnaire> Writable(const std::vector<std::string>& scope, int64_t id);
  // A region cell (code or name) within the questionnaire's region and the caller's scope.
  RegionResolver Resolver(const std::vector<std::string>& scope, const Questionnaire& q);

  EvaluationRepository& repository_;
  SystemService& systems_;
  regions::RegionRepository& regions_;
};

}  // namespace fupin::evaluation
