// Importing survey responses from the exports of survey tools (问卷导入): 问卷星 (Wenjuanxing),
// KoboToolbox, ODK (Central / Briefcase), or any CSV / XLSX with one row per respondent.
//
// The tool is recognised from its export's own columns:
//   问卷星      — 序号 (the answer sheet number), 提交答卷时间 ("2020/9/12 10:32:11", China time),
//                所用时间, 来源, 来源详情, 来自IP; questions as "3、您对工资待遇是否满意？", matrix
//                rows as "7、(工资待遇)";
//   KoboToolbox — _id, _uuid, _submission_time (UTC, "2020-09-12T02:32:11"), _validation_status,
//                _submitted_by, __version__, _index; questions by name, in groups as
//                "group/name" (or by label when exported with labels);
//   ODK        — SubmissionDate (UTC, "2020-09-12T02:32:11.000Z"), KEY or meta-instanceID
//                ("uuid:…"), SubmitterName, ReviewState, FormVersion; questions by name, in
//                groups as "group-name".
// A mapping says which column answers each question, and where the respondent's region, group,
// interview date and submission id come from (a column, or one value for the whole file).
// ProposeMapping suggests one from the header; the user confirms or corrects it.
//
// Answers are matched to a question's levels or options by code, then label, then English
// label; times with a zone (Z, +hh:mm) or Kobo's UTC _submission_time are turned into the date in
// China Standard Time. Every problem names the row (the file's line or Excel row) and the
// column. Thread-safety: pure functions over a reader the caller owns.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "evaluation/survey.h"
#include "tabular/reader.h"

namespace fupin::evaluation {

enum class SurveyTool { kWenjuanxing, kKobo, kOdk, kFile };
std::string_view SurveyToolName(SurveyTool tool);  // "wjx", "kobo", "odk", "file"
std::optional<SurveyTool> SurveyToolNamed(std::string_view name);

SurveyTool DetectTool(const std::vector<std::string>& header);

struct ColumnMapping {
  std::map<std::string, std::string> questions;  // question key → column header
  std::string id_column;                         // the tool's submission id ("" = none)
  std::string region_column;
  std::string region;  // when there is no region column
  std::string group_column;
  std::string group;  // when there is no group column
  std::string date_column;
  std::string surveyed_on;  // when there is no date column

  friend bool operator==(const ColumnMapping&, const ColumnMapping&) = default;
};

// A mapping from the header: the tool's id and date columns; a column named like the question
// key (also as the last part of a Kobo "group/key" or ODK "group-key" path) or its text (问卷星's
// "N、" numbering and trailing punctuation ignored, matrix rows "N、(text)" matched by their
// text); region and group columns when headers name them (region / 行政区划代码 / 村 …,
// group / 调查对象 …).
ColumnMapping ProposeMapping(const Questionnaire& q, SurveyTool tool,
                             const std::vector<std::string>& header);

// Turns a region cell (a code or a name) into a region code, or says why it cannot.
using RegionResolver = std::function<Result<std::string>(std::string_view text)>;

struct ImportedRows {
  std::vector<Response> responses;    // valid rows, answers normalized
  std::vector<ErrorDetail> problems;  // every problem: row, column, value, reason
  int rows = 0;                       // data rows read
};

// Checks the mapping against the header (kInvalidArgument naming "mapping.questions.q3" and so
// on), then reads every row into a response validated against the questionnaire. A row repeating
// an earlier submission id is a problem. Reader errors (a broken file) end the import.
Result<ImportedRows> ReadResponses(const Questionnaire& q, tabular::TableReader& reader,
                                   SurveyTool tool, const ColumnMapping& mapping,
                                   const RegionResolver& region_of);

// A tool's date or date-time text as the date in China Standard Time (UTC+8): YYYY-MM-DD,
// YYYY/M/D, optionally followed by a time (" " or "T") and a zone (Z, ±hh:mm, ±hhmm).
// `utc_without_zone` treats a time without a zone as UTC (Kobo's _submission_time).
Result<std::string> SurveyDate(std::string_view text, bool utc_without_zone);

}  // namespace fupin::evaluation
