// The printable report of an evaluation run (评价报告), in Chinese or English: scope, method
// and conventions, the indicator system with its weights, data sources and survey quality,
// results with charts (radar of dimensions, bars of indicators, ranking, a map where the
// objects have boundaries, fund efficiency), findings and recommendations, and the status of
// the rectification tasks.
//
// Two forms: one self-contained HTML document for the browser to print (inline CSS with A4
// print rules and inline SVG charts: no script, no network), and an XLSX workbook with every
// number of the run as a number (one sheet per part). Both are built from the run's stored
// snapshot and results alone, plus the tasks and boundaries passed in, so a report of a
// published run always shows the published numbers.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "base/time.h"
#include "evaluation/rectification.h"
#include "evaluation/repository.h"
#include "evaluation/run.h"
#include "regions/boundary.h"
#include "regions/region_repository.h"

namespace fupin::evaluation {

enum class ReportLanguage { kZh, kEn };

struct ReportContext {
  const Run* run = nullptr;
  std::string system_name;
  std::string system_name_en;
  std::string office_name;                    // the run's region's name
  std::vector<RectificationTask> tasks;       // the run's rectification tasks
  std::vector<regions::Boundary> boundaries;  // outlines of (some of) the objects
  Date today;                                 // China date: overdue flags
  std::string generated_at;                   // when, as shown in the footer
};

// Everything the report of `run` needs besides the run: the system's names, the office's name,
// the run's tasks (whoever reads the run reads its tasks) and the objects' boundaries. The
// caller has checked that the run is seen.
Result<ReportContext> GatherReport(EvaluationRepository& evaluations,
                                   regions::RegionRepository& regions,
                                   regions::BoundaryRepository& boundaries, const Run& run,
                                   const Date& today, std::string generated_at);

std::string ReportHtml(const ReportContext& context, ReportLanguage language);

// Sheets: overview and conventions, system and weights, results (every node of every object:
// memberships, score, grades, sensitivity), ranking, inputs (every leaf row with its value or
// counts), weakest indicators, DEA (when the run has it), surveys, findings, rectification.
Result<std::string> ReportXlsx(const ReportContext& context, ReportLanguage language);

}  // namespace fupin::evaluation
