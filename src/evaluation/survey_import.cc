// Importing survey responses from survey tools' exports.
#include "evaluation/survey_import.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "base/text.h"
#include "base/time.h"

namespace fupin::evaluation {

namespace {

bool Has(const std::vector<std::string>& header, std::string_view name) {
  return std::find(header.begin(), header.end(), name) != header.end();
}

std::string FirstPresent(const std::vector<std::string>& header,
                         std::initializer_list<std::string_view> names) {
  for (auto n : names) {
    if (Has(header, n)) return std::string(n);
  }
  return "";
}

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool EndsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// A question's text or a header without numbering, brackets and trailing punctuation:
// "3、您对工资待遇是否满意？" → "您对工资待遇是否满意", "7、(工资待遇)" → "工资待遇".
std::string Normalize(std::string_view text) {
  std::string_view s = Trim(text);
  // Leading numbering: "12、", "12.", "12. ", "Q12.", "第12题".
  {
    std::string_view t = s;
    if (StartsWith(t, "第")) t.remove_prefix(std::string_view("第").size());
    if (!t.empty() && (t[0] == 'Q' || t[0] == 'q')) t.remove_prefix(1);
    size_t digits = 0;
    while (digits < t.size() && t[digits] >= '0' && t[digits] <= '9') ++digits;
    if (digits > 0) {
      std::string_view rest = t.substr(digits);
      for (std::string_view sep : {"、", ".", "．", "题", ":", "："}) {
        if (StartsWith(rest, sep)) {
          s = Trim(rest.substr(sep.size()));
          break;
        }
      }
    }
  }
  // A matrix row in brackets.
  for (auto [open, close] : {std::pair<std::string_view, std::string_view>{"(", ")"},
                             std::pair<std::string_view, std::string_view>{"（", "）"}}) {
    if (StartsWith(s, open) && EndsWith(s, close) && s.size() > open.size() + close.size()) {
      s = Trim(s.substr(open.size(), s.size() - open.size() - close.size()));
      break;
    }
  }
  bool stripped = true;
  while (stripped && !s.empty()) {
    stripped = false;
    for (std::string_view p : {"：", ":", "？", "?", "。", ".", " ", "*"}) {
      if (EndsWith(s, p)) {
        s.remove_suffix(p.size());
        stripped = true;
      }
    }
  }
  return std::string(s);
}

// The last part of a Kobo ("group/name") or ODK ("group-name") path.
bool PathEndsWithKey(std::string_view header, std::string_view key) {
  const std::string h = ToLowerAscii(header);
  const std::string k = ToLowerAscii(key);
  return h == k || EndsWith(h, "/" + k) || EndsWith(h, "-" + k);
}

int Digits(std::string_view& s, int min, int max) {
  int n = 0;
  int v = 0;
  while (!s.empty() && s[0] >= '0' && s[0] <= '9' && n < max) {
    v = v * 10 + (s[0] - '0');
    s.remove_prefix(1);
    ++n;
  }
  return n >= min ? v : -1;
}

}  // namespace

std::string_view SurveyToolName(SurveyTool tool) {
  switch (tool) {
    case SurveyTool::kWenjuanxing:
      return kSourceWenjuanxing;
    case SurveyTool::kKobo:
      return kSourceKobo;
    case SurveyTool::kOdk:
      return kSourceOdk;
    case SurveyTool::kFile:
      return kSourceFile;
  }
  return kSourceFile;
}

std::optional<SurveyTool> SurveyToolNamed(std::string_view name) {
  for (auto t :
       {SurveyTool::kWenjuanxing, SurveyTool::kKobo, SurveyTool::kOdk, SurveyTool::kFile}) {
    if (SurveyToolName(t) == name) return t;
  }
  return std::nullopt;
}

SurveyTool DetectTool(const std::vector<std::string>& header) {
  if (Has(header, "提交答卷时间") && (Has(header, "序号") || Has(header, "来自IP"))) {
    return SurveyTool::kWenjuanxing;
  }
  if (Has(header, "_uuid") || Has(header, "_submission_time")) return SurveyTool::kKobo;
  if (Has(header, "SubmissionDate") &&
      (Has(header, "KEY") || Has(header, "meta-instanceID") || Has(header, "instanceID"))) {
    return SurveyTool::kOdk;
  }
  return SurveyTool::kFile;
}

ColumnMapping ProposeMapping(const Questionnaire& q, SurveyTool tool,
                             const std::vector<std::string>& header) {
  ColumnMapping m;
  switch (tool) {
    case SurveyTool::kWenjuanxing:
      m.id_column = FirstPresent(header, {"序号"});
      m.date_column = FirstPresent(header, {"提交答卷时间"});
      break;
    case SurveyTool::kKobo:
      m.id_column = FirstPresent(header, {"_uuid", "_id"});
      m.date_column = FirstPresent(header, {"today", "_submission_time"});
      break;
    case SurveyTool::kOdk:
      m.id_column = FirstPresent(header, {"KEY", "meta-instanceID", "instanceID"});
      m.date_column = FirstPresent(header, {"today", "SubmissionDate"});
      break;
    case SurveyTool::kFile:
      m.id_column = FirstPresent(header, {"id", "编号", "答卷编号"});
      m.date_column = FirstPresent(header, {"surveyed_on", "date", "调查日期", "日期"});
      break;
  }
  std::set<std::string> used{m.id_column, m.date_column};
  auto pick = [&](std::initializer_list<std::string_view> names) -> std::string {
    for (const auto& h : header) {
      if (used.contains(h)) continue;
      for (auto n : names) {
        if (PathEndsWithKey(h, n) || Normalize(h) == n) {
          used.insert(h);
          return h;
        }
      }
    }
    return "";
  };
  m.region_column =
      pick({"region", "region_code", "village", "行政区划代码", "所在村", "村庄", "村"});
  m.group_column =
      pick({"group", "respondent_group", "调查对象", "受访者类型", "受访者身份", "您的身份"});
  for (const auto& qu : q.questions) {
    std::string found;
    for (const auto& h : header) {
      if (!used.contains(h) && PathEndsWithKey(h, qu.key)) {
        found = h;
        break;
      }
    }
    if (found.empty()) {
      const std::string text = Normalize(qu.text);
      const std::string text_en = Normalize(qu.text_en);
      for (const auto& h : header) {
        if (used.contains(h)) continue;
        const std::string n = Normalize(h);
        if (!n.empty() && (n == text || (!text_en.empty() && n == text_en))) {
          found = h;
          break;
        }
      }
    }
    if (!found.empty()) {
      used.insert(found);
      m.questions[qu.key] = found;
    }
  }
  return m;
}

Result<std::string> SurveyDate(std::string_view text, bool utc_without_zone) {
  std::string_view s = Trim(text);
  const auto bad = [&] {
    return InvalidArgument(
        fmt::format("'{}' is not a date (YYYY-MM-DD or YYYY/M/D, optionally with a time)", text));
  };
  const int year = Digits(s, 4, 4);
  if (year < 0 || s.empty() || (s[0] != '-' && s[0] != '/')) return bad();
  const char sep = s[0];
  s.remove_prefix(1);
  const int month = Digits(s, 1, 2);
  if (month < 0 || s.empty() || s[0] != sep) return bad();
  s.remove_prefix(1);
  const int day = Digits(s, 1, 2);
  if (day < 0 || !IsValidDate(year, month, day)) return bad();
  Date date{year, month, day};
  if (s.empty()) return date.ToString();
  if (s[0] != ' ' && s[0] != 'T') return bad();
  s.remove_prefix(1);
  s = Trim(s);
  const int hour = Digits(s, 1, 2);
  if (hour < 0 || hour > 23 || s.empty() || s[0] != ':') return bad();
  s.remove_prefix(1);
  const int minute = Digits(s, 2, 2);
  if (minute < 0 || minute > 59) return bad();
  if (!s.empty() && s[0] == ':') {
    s.remove_prefix(1);
    if (Digits(s, 2, 2) < 0) return bad();
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      if (Digits(s, 1, 9) < 0) return bad();
    }
  }
  std::optional<int> offset;  // minutes east of UTC
  if (!s.empty()) {
    if (s == "Z") {
      offset = 0;
    } else if (s[0] == '+' || s[0] == '-') {
      const int sign = s[0] == '+' ? 1 : -1;
      s.remove_prefix(1);
      const int oh = Digits(s, 2, 2);
      if (!s.empty() && s[0] == ':') s.remove_prefix(1);
      const int om = Digits(s, 2, 2);
      if (oh < 0 || om < 0 || !s.empty()) return bad();
      offset = sign * (oh * 60 + om);
    } else {
      return bad();
    }
  } else if (utc_without_zone) {
    offset = 0;
  }
  if (!offset) return date.ToString();
  const int64_t minutes = date.DaysSinceEpoch() * 1440 + hour * 60 + minute - *offset + 8 * 60;
  const int64_t days = minutes >= 0 ? minutes / 1440 : (minutes - 1439) / 1440;
  return Date::FromDaysSinceEpoch(days).ToString();
}

Result<ImportedRows> ReadResponses(const Questionnaire& q, tabular::TableReader& reader,
                                   SurveyTool tool, const ColumnMapping& mapping,
                                   const RegionResolver& region_of) {
  const auto& header = reader.header();
  std::vector<ErrorDetail> d;
  auto column = [&](const std::string& field, const std::string& name) -> std::optional<size_t> {
    if (name.empty()) return std::nullopt;
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) {
      d.push_back(ErrorDetail{0, field, name, "the file has no such column"});
      return std::nullopt;
    }
    return static_cast<size_t>(it - header.begin());
  };
  std::map<std::string, size_t> question_columns;
  for (const auto& [key, name] : mapping.questions) {
    const auto it = std::find_if(q.questions.begin(), q.questions.end(),
                                 [&](const Question& x) { return x.key == key; });
    if (it == q.questions.end()) {
      d.push_back(ErrorDetail{0, "mapping.questions." + key, name, "no question has this key"});
      continue;
    }
    if (auto c = column("mapping.questions." + key, name)) question_columns[key] = *c;
  }
  // Required questions asked of every row's group need a column (with a group column, rows
  // of a group a question is not asked of do without).
  const RespondentGroup* fixed_group =
      mapping.group_column.empty() ? FindRespondentGroup(mapping.group) : nullptr;
  for (const auto& qu : q.questions) {
    const bool asked_of_all =
        qu.groups.empty() || (fixed_group && std::find(qu.groups.begin(), qu.groups.end(),
                                                       fixed_group->code) != qu.groups.end());
    if (qu.required && asked_of_all && !mapping.questions.contains(qu.key)) {
      d.push_back(ErrorDetail{0, "mapping.questions." + qu.key, "",
                              fmt::format("the required question '{}' has no column", qu.text)});
    }
  }
  const auto id_col = column("mapping.id_column", mapping.id_column);
  const auto region_col = column("mapping.region_column", mapping.region_column);
  const auto group_col = column("mapping.group_column", mapping.group_column);
  const auto date_col = column("mapping.date_column", mapping.date_column);
  if (mapping.region_column.empty() && mapping.region.empty()) {
    d.push_back(ErrorDetail{0, "mapping.region", "", "name a region column or one region"});
  }
  if (mapping.group_column.empty() && mapping.group.empty()) {
    d.push_back(ErrorDetail{0, "mapping.group", "", "name a respondent-group column or one group"});
  }
  if (mapping.date_column.empty() && mapping.surveyed_on.empty()) {
    d.push_back(ErrorDetail{0, "mapping.surveyed_on", "", "name a date column or one date"});
  }
  std::string fixed_region;
  if (!mapping.region.empty() && mapping.region_column.empty()) {
    auto r = region_of(mapping.region);
    if (!r) {
      d.push_back(ErrorDetail{0, "mapping.region", mapping.region, r.error().message});
    } else {
      fixed_region = *r;
    }
  }
  std::string fixed_date;
  if (!mapping.surveyed_on.empty() && mapping.date_column.empty()) {
    auto date = SurveyDate(mapping.surveyed_on, false);
    if (!date) {
      d.push_back(
          ErrorDetail{0, "mapping.surveyed_on", mapping.surveyed_on, "a date (YYYY-MM-DD)"});
    } else {
      fixed_date = *date;
    }
  }
  if (!d.empty()) return InvalidArgument("the column mapping does not fit the file", std::move(d));

  // Field names of the validation back to the file's columns.
  std::map<std::string, std::string> column_of{{"group", mapping.group_column},
                                               {"region", mapping.region_column},
                                               {"surveyed_on", mapping.date_column}};
  for (const auto& [key, name] : mapping.questions) column_of["answers." + key] = name;
  const bool utc = tool == SurveyTool::kKobo && mapping.date_column == "_submission_time";

  ImportedRows out;
  std::map<std::string, int64_t> ids;  // submission id → row
  tabular::Row row;
  while (true) {
    auto more = reader.Next(row);
    if (!more) return std::unexpected(more.error());
    if (!*more) break;
    ++out.rows;
    const size_t before = out.problems.size();
    auto problem = [&](const std::string& col, std::string value, std::string reason) {
      out.problems.push_back(ErrorDetail{row.line, col, std::move(value), std::move(reason)});
    };
    Response r;
    r.questionnaire_id = q.id;
    r.source = std::string(SurveyToolName(tool));
    if (id_col) {
      r.external_id = row.cells[*id_col];
      if (!r.external_id.empty()) {
        auto [it, fresh] = ids.emplace(r.external_id, row.line);
        if (!fresh) {
          problem(mapping.id_column, r.external_id,
                  fmt::format("the same submission as row {}", it->second));
        }
      }
    }
    if (region_col) {
      const auto& cell = row.cells[*region_col];
      if (cell.empty()) {
        problem(mapping.region_column, "", "the respondent's region is missing");
      } else if (auto code = region_of(cell); !code) {
        problem(mapping.region_column, cell, code.error().message);
      } else {
        r.region_code = *code;
      }
    } else {
      r.region_code = fixed_region;
    }
    r.group = group_col ? row.cells[*group_col] : mapping.group;
    if (date_col) {
      const auto& cell = row.cells[*date_col];
      auto date = SurveyDate(cell, utc);
      if (!date) {
        problem(mapping.date_column, cell, "not a date or date-time");
      } else {
        r.surveyed_on = *date;
      }
    } else {
      r.surveyed_on = fixed_date;
    }
    for (const auto& [key, c] : question_columns) {
      if (!row.cells[c].empty()) r.answers[key] = row.cells[c];
    }
    if (auto s = ValidateResponse(q, r, row.line); !s) {
      for (auto& x : s.error().details) {
        // Region and date problems were reported above from the cell itself.
        if (x.column == "region" || (x.column == "surveyed_on" && date_col)) continue;
        const auto it = column_of.find(x.column);
        if (it != column_of.end() && !it->second.empty()) x.column = it->second;
        out.problems.push_back(std::move(x));
      }
    }
    if (out.problems.size() == before) out.responses.push_back(std::move(r));
  }
  return out;
}

}  // namespace fupin::evaluation
