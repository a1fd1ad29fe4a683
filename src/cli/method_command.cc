// `fupin method NAME [options] FILE... [--json]`: the evaluation-methods toolkit (issue 4).
//
// Each subcommand reads a CSV file (UTF-8 or GB18030, BOM tolerated; header row of names; a
// first column of non-numeric labels, or one with an empty header, holds the row names), runs
// one method of fupin::methods and prints either a readable table (Chinese labels when LANG
// or LC_ALL starts with "zh") or, with --json, one JSON object. The JSON keys are a contract
// (docs/methods.md): per-row results are arrays in input row order with the row names under
// "name"; weights are an array in column order with the names under "criteria"; every result
// records the conventions it used under "conventions". Bad input exits with code 2 and a
// message naming the file, row (file line), column and reason.
// Thread-safety: main's thread only.
#include "cli/method_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/csv.h"
#include "cli/text_table.h"
#include "methods/ahp.h"
#include "methods/dea.h"
#include "methods/fuzzy.h"
#include "methods/grey.h"
#include "methods/malmquist.h"
#include "methods/mpi.h"
#include "methods/reliability.h"
#include "methods/topsis.h"
#include "methods/weights.h"

namespace fupin::cli {
namespace {

using Json = nlohmann::ordered_json;
using methods::Matrix;
using methods::Vector;

// Short name for the many labels of the tables below.
constexpr auto L = &Localized;

// ---------------------------------------------------------------------------------------------
// Reading CSV tables into matrices, with errors naming the file, line and column.

std::optional<double> ParseNumber(std::string_view s, bool allow_fraction) {
  s = Trim(s);
  if (s.empty()) return std::nullopt;
  if (allow_fraction) {
    const auto slash = s.find('/');
    if (slash != std::string_view::npos) {
      auto num = ParseNumber(s.substr(0, slash), false);
      auto den = ParseNumber(s.substr(slash + 1), false);
      if (!num || !den || *den == 0.0) return std::nullopt;
      return *num / *den;
    }
  }
  if (s.front() == '+') s.remove_prefix(1);
  double value = 0.0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

struct Table {
  std::string path;
  CsvTable csv;
  bool labels = false;  // column 0 holds row names

  const std::string& Cell(size_t row, size_t col) const {
    static const std::string kEmpty;
    const auto& cells = csv.rows[row].cells;
    return col < cells.size() ? cells[col] : kEmpty;
  }
  size_t Rows() const { return csv.rows.size(); }
  int64_t Line(size_t row) const { return csv.rows[row].line; }
  std::string RowName(size_t row) const {
    return labels ? Cell(row, 0) : fmt::format("{}", row + 1);
  }
  std::vector<std::string> RowNames() const {
    std::vector<std::string> names;
    for (size_t r = 0; r < Rows(); ++r) names.push_back(RowName(r));
    return names;
  }
};

Error FileError(const std::string& path, std::string message,
                std::vector<ErrorDetail> details = {}) {
  Error e{ErrorCode::kInvalidArgument, std::move(message), std::move(details), 0};
  e.Prefix(path);
  return e;
}

// Reads the file; the first column is taken as row names when its header is empty or every
// non-empty cell in it is non-numeric.
Result<Table> LoadTable(const std::string& path) {
  auto csv = ReadCsvFile(path);
  if (!csv) {
    Error e = csv.error();
    if (e.message.find(path) == std::string::npos) e.Prefix(path);
    return std::unexpected(std::move(e));
  }
  Table t{path, std::move(*csv), false};
  if (t.csv.header.empty()) return std::unexpected(FileError(path, "the file has no header row"));
  if (t.Rows() == 0) return std::unexpected(FileError(path, "the file has no data rows"));
  bool all_text = true;
  bool any = false;
  for (size_t r = 0; r < t.Rows(); ++r) {
    const std::string& cell = t.Cell(r, 0);
    if (Trim(cell).empty()) continue;
    any = true;
    if (ParseNumber(cell, false)) all_text = false;
  }
  t.labels = Trim(t.csv.header[0]).empty() || (any && all_text);
  return t;
}

Result<size_t> ColumnIndex(const Table& t, const std::string& name, const char* option) {
  for (size_t c = 0; c < t.csv.header.size(); ++c) {
    if (Trim(t.csv.header[c]) == Trim(name)) return c;
  }
  std::string known;
  for (size_t c = t.labels ? 1 : 0; c < t.csv.header.size(); ++c) {
    known += (known.empty() ? "" : ", ") + t.csv.header[c];
  }
  return std::unexpected(FileError(
      t.path, fmt::format("unknown column '{}' in {} (the columns are: {})", name, option, known),
      {ErrorDetail{1, name, name,
                   fmt::format("no column of this name in the header ({})", option)}}));
}

Result<std::vector<size_t>> ColumnIndices(const Table& t, const std::vector<std::string>& names,
                                          const char* option) {
  std::vector<size_t> out;
  for (const auto& name : names) {
    auto c = ColumnIndex(t, name, option);
    if (!c) return std::unexpected(c.error());
    out.push_back(*c);
  }
  return out;
}

// The data columns: the named ones, or every column except the label column and `exclude`.
Result<std::vector<size_t>> DataColumns(const Table& t, const std::vector<std::string>& named,
                                        const char* option, const std::set<size_t>& exclude = {}) {
  if (!named.empty()) return ColumnIndices(t, named, option);
  std::vector<size_t> out;
  for (size_t c = t.labels ? 1 : 0; c < t.csv.header.size(); ++c) {
    if (!exclude.contains(c)) out.push_back(c);
  }
  if (out.empty()) return std::unexpected(FileError(t.path, "the file has no data columns"));
  return out;
}

std::vector<std::string> ColumnNames(const Table& t, const std::vector<size_t>& cols) {
  std::vector<std::string> names;
  for (size_t c : cols) names.push_back(t.csv.header[c]);
  return names;
}

// Parses the columns into a matrix. Empty cells are NaN when `allow_missing`, else errors.
Result<Matrix> NumericMatrix(const Table& t, const std::vector<size_t>& cols, bool allow_missing,
                             bool allow_fraction = false) {
  Matrix m(static_cast<Eigen::Index>(t.Rows()), static_cast<Eigen::Index>(cols.size()));
  std::vector<ErrorDetail> details;
  for (size_t r = 0; r < t.Rows(); ++r) {
    for (size_t k = 0; k < cols.size(); ++k) {
      const std::string& cell = t.Cell(r, cols[k]);
      auto value = ParseNumber(cell, allow_fraction);
      if (value) {
        m(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(k)) = *value;
      } else if (Trim(cell).empty() && allow_missing) {
        m(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(k)) = methods::kNaN;
      } else if (details.size() < 50) {
        details.push_back(ErrorDetail{t.Line(r), t.csv.header[cols[k]], cell,
                                      Trim(cell).empty() ? "missing value" : "not a number"});
      }
    }
  }
  if (!details.empty()) {
    std::string message = fmt::format("{} non-numeric or missing cell{}", details.size(),
                                      details.size() == 1 ? "" : "s");
    return std::unexpected(FileError(t.path, std::move(message), std::move(details)));
  }
  return m;
}

// Translates a library error's matrix positions ("#c", 1-based row) into file lines and
// header names, and prefixes the file.
Error Locate(Error e, const Table& t, const std::vector<size_t>& cols) {
  for (ErrorDetail& d : e.details) {
    if (d.row > 0 && static_cast<size_t>(d.row) <= t.Rows()) {
      d.row = t.Line(static_cast<size_t>(d.row - 1));
    }
    if (d.column.size() > 1 && d.column[0] == '#') {
      const auto idx = std::strtoul(d.column.c_str() + 1, nullptr, 10);
      if (idx >= 1 && idx <= cols.size()) d.column = t.csv.header[cols[idx - 1]];
    }
  }
  // The library names matrix columns "#c" in messages too.
  std::string message;
  for (size_t i = 0; i < e.message.size(); ++i) {
    if (e.message[i] == '#' && i + 1 < e.message.size() &&
        std::isdigit(static_cast<unsigned char>(e.message[i + 1]))) {
      size_t j = i + 1;
      size_t idx = 0;
      while (j < e.message.size() && std::isdigit(static_cast<unsigned char>(e.message[j]))) {
        idx = idx * 10 + static_cast<size_t>(e.message[j] - '0');
        ++j;
      }
      if (idx >= 1 && idx <= cols.size()) {
        message += "'" + t.csv.header[cols[idx - 1]] + "'";
        i = j - 1;
        continue;
      }
    }
    message += e.message[i];
  }
  e.message = std::move(message);
  if (e.message.find(t.path) == std::string::npos) e.Prefix(t.path);
  return e;
}

std::vector<bool> CostFlags(const std::vector<size_t>& cols, const std::vector<size_t>& cost) {
  std::vector<bool> flags;
  for (size_t c : cols) flags.push_back(std::find(cost.begin(), cost.end(), c) != cost.end());
  return flags;
}

Result<std::vector<bool>> CostOption(const Table& t, const std::vector<size_t>& cols,
                                     const std::vector<std::string>& cost_names) {
  auto cost = ColumnIndices(t, cost_names, "--cost");
  if (!cost) return std::unexpected(cost.error());
  for (size_t c : *cost) {
    if (std::find(cols.begin(), cols.end(), c) == cols.end()) {
      return std::unexpected(FileError(
          t.path,
          fmt::format("--cost names '{}', which is not a criterion column", t.csv.header[c])));
    }
  }
  return CostFlags(cols, *cost);
}

// ---------------------------------------------------------------------------------------------
// Output helpers.

Json Num(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

Json Array(const Vector& v) {
  Json a = Json::array();
  for (Eigen::Index i = 0; i < v.size(); ++i) a.push_back(Num(v[i]));
  return a;
}

Json Array(const std::vector<std::string>& v) {
  Json a = Json::array();
  for (const auto& s : v) a.push_back(s);
  return a;
}

Json MatrixJson(const Matrix& m) {
  Json a = Json::array();
  for (Eigen::Index i = 0; i < m.rows(); ++i) a.push_back(Array(Vector(m.row(i).transpose())));
  return a;
}

std::string Fmt(double v) {
  if (!std::isfinite(v)) return "-";
  return fmt::format("{:.4f}", v);
}

void PrintConventions(const Json& conventions) {
  fmt::print("{}:\n", L("conventions", "约定"));
  for (const auto& [key, value] : conventions.items()) {
    fmt::print("  {}: {}\n", key, value.is_string() ? value.get<std::string>() : value.dump());
  }
}

Json ErrorJson(const Error& e) {
  Json details = Json::array();
  for (const auto& d : e.details) {
    details.push_back(
        {{"row", d.row}, {"column", d.column}, {"value", d.value}, {"reason", d.reason}});
  }
  return {
      {"error", {{"code", ErrorCodeName(e.code)}, {"message", e.message}, {"details", details}}}};
}

// Common options of every method subcommand.
struct CommonOptions {
  std::vector<std::string> files;
  bool json = false;
};

int Fail(const CommonOptions& common, const Error& e) {
  if (common.json) fmt::print("{}\n", ErrorJson(e).dump(2));
  return ReportError(e);
}

int Emit(const CommonOptions& common, const Json& out, const std::function<void()>& print_text) {
  if (common.json) {
    fmt::print("{}\n", out.dump(2));
  } else {
    print_text();
  }
  return kExitOk;
}

Result<Table> SingleTable(const CommonOptions& common) {
  if (common.files.size() != 1) {
    return std::unexpected(
        Error{ErrorCode::kInvalidArgument,
              fmt::format("this method reads exactly one FILE; {} given", common.files.size()),
              {},
              0});
  }
  return LoadTable(common.files[0]);
}

template <typename Options>
void Register(CLI::App* sub, CommandContext& ctx, std::shared_ptr<Options> opts,
              int (*run)(const Options&)) {
  sub->add_flag("--json", opts->common.json, "print one JSON object instead of a table");
  sub->callback([&ctx, opts, run] { ctx.action = [opts, run] { return run(*opts); }; });
}

void AddFiles(CLI::App* sub, CommonOptions& common, bool several = false) {
  auto* opt = sub->add_option("FILE", common.files,
                              several ? "CSV file(s): one judgment matrix per expert"
                                      : "CSV file (UTF-8 or GB18030, header row of names)");
  opt->required();
  if (!several) opt->expected(1);
}

// ---------------------------------------------------------------------------------------------
// ahp

struct AhpCliOptions {
  CommonOptions common;
  std::string weights_method = "eigen";
  std::string ri = "saaty1980";
  std::string aggregate = "aij";
  std::vector<double> expert_weights;
  std::optional<double> max_cr;
};

methods::AhpWeightMethod WeightMethodOf(const std::string& s) {
  if (s == "geometric") return methods::AhpWeightMethod::kGeometricMean;
  if (s == "arithmetic") return methods::AhpWeightMethod::kArithmeticMean;
  return methods::AhpWeightMethod::kEigenvector;
}

methods::RandomIndexTable RiOf(const std::string& s) {
  if (s == "saaty2005") return methods::RandomIndexTable::kSaaty2005;
  if (s == "donegan-dodd") return methods::RandomIndexTable::kDoneganDodd;
  return methods::RandomIndexTable::kSaaty1980;
}

struct AhpInput {
  Table table;
  std::vector<size_t> cols;
  std::vector<std::string> criteria;
  Matrix matrix;
};

Result<AhpInput> LoadAhpMatrix(const std::string& path) {
  auto t = LoadTable(path);
  if (!t) return std::unexpected(t.error());
  AhpInput in{std::move(*t), {}, {}, {}};
  auto cols = DataColumns(in.table, {}, "");
  if (!cols) return std::unexpected(cols.error());
  in.cols = *cols;
  in.criteria = ColumnNames(in.table, in.cols);
  if (in.table.Rows() != in.cols.size()) {
    return std::unexpected(FileError(
        path,
        fmt::format("the judgment matrix must be square: {} criteria columns but {} rows",
                    in.cols.size(), in.table.Rows()),
        {ErrorDetail{in.table.Line(in.table.Rows() - 1), "", "",
                     fmt::format("{} rows for {} columns", in.table.Rows(), in.cols.size())}}));
  }
  if (in.table.labels) {
    for (size_t r = 0; r < in.table.Rows(); ++r) {
      if (std::string(Trim(in.table.Cell(r, 0))) != std::string(Trim(in.criteria[r]))) {
        return std::unexpected(FileError(
            path, "the row labels must name the criteria in the order of the columns",
            {ErrorDetail{in.table.Line(r), in.table.csv.header[0], in.table.Cell(r, 0),
                         fmt::format("row {} is labelled '{}' but column {} is '{}'", r + 1,
                                     in.table.Cell(r, 0), r + 1, in.criteria[r])}}));
      }
    }
  }
  auto m = NumericMatrix(in.table, in.cols, /*allow_missing=*/true, /*allow_fraction=*/true);
  if (!m) return std::unexpected(m.error());
  in.matrix = std::move(*m);
  return in;
}

Json AhpConventions(const AhpCliOptions& o, const methods::AhpOptions& ao) {
  Json c;
  c["weights_method"] = o.weights_method;
  c["lambda_max"] = o.weights_method == "eigen" ? "Perron eigenvalue"
                                                : "mean of (Aw)_i / w_i with the chosen weights";
  c["ri_table"] = o.ri;
  c["cr"] = "CI / RI(n); CI = (lambda_max - n) / (n - 1); n <= 2: CR = 0";
  c["cr_threshold"] = ao.cr_threshold;
  c["consistent"] = "CR < threshold (CR within 1e-9 of it counts as reaching it)";
  c["reciprocity_tolerance"] = ao.reciprocity_tolerance;
  c["reciprocal"] = "a_ji = 1/a_ij; where both are given the upper triangle is kept";
  c["completion"] = "lambda_max-minimizing (Bozoki, Fulop & Ronyai 2010, cyclic coordinates)";
  return c;
}

Json AhpResultJson(const methods::AhpResult& r, const std::vector<std::string>& criteria) {
  Json out;
  out["criteria"] = Array(criteria);
  out["weights"] = Array(r.weights);
  out["lambda_max"] = r.lambda_max;
  out["ci"] = r.ci;
  out["ri"] = r.ri;
  out["cr"] = r.cr;
  out["consistent"] = r.consistent;
  out["completed_matrix"] = MatrixJson(r.completed_matrix);
  Json completed = Json::array();
  for (const auto& c : r.completed) {
    completed.push_back({{"row", criteria[static_cast<size_t>(c.row)]},
                         {"column", criteria[static_cast<size_t>(c.col)]},
                         {"value", c.value}});
  }
  out["completed"] = completed;
  Json suggestions = Json::array();
  for (const auto& s : r.suggestions) {
    suggestions.push_back({{"row", criteria[static_cast<size_t>(s.row)]},
                           {"column", criteria[static_cast<size_t>(s.col)]},
                           {"current", s.current},
                           {"suggested", s.suggested},
                           {"cr_after", s.cr_after}});
  }
  out["suggestions"] = suggestions;
  Json warnings = Json::array();
  for (const auto& w : r.warnings) {
    warnings.push_back({{"row", criteria[static_cast<size_t>(w.row)]},
                        {"column", criteria[static_cast<size_t>(w.col)]},
                        {"value", w.value},
                        {"reason", w.reason}});
  }
  out["warnings"] = warnings;
  return out;
}

void PrintAhpText(const Json& r) {
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < r["criteria"].size(); ++i) {
    rows.push_back({r["criteria"][i].get<std::string>(), Fmt(r["weights"][i].get<double>())});
  }
  PrintTable({L("criterion", "指标"), L("weight", "权重")}, rows);
  fmt::print("lambda_max = {:.5f}  CI = {:.4f}  RI = {:.4f}  CR = {:.4f}  {}\n",
             r["lambda_max"].get<double>(), r["ci"].get<double>(), r["ri"].get<double>(),
             r["cr"].get<double>(),
             r["consistent"].get<bool>()
                 ? L("consistent (CR < 0.1)", "通过一致性检验 (CR < 0.1)")
                 : L("NOT consistent (CR >= 0.1)", "未通过一致性检验 (CR ≥ 0.1)"));
  for (const auto& c : r["completed"]) {
    fmt::print("{} {} / {} = {:.4f}\n", L("completed", "补全"), c["row"].get<std::string>(),
               c["column"].get<std::string>(), c["value"].get<double>());
  }
  for (const auto& s : r["suggestions"]) {
    fmt::print("{} {} / {}: {:.4g} -> {:.4g} (CR {:.4f})\n",
               L("to reduce CR, revise", "建议修改判断"), s["row"].get<std::string>(),
               s["column"].get<std::string>(), s["current"].get<double>(),
               s["suggested"].get<double>(), s["cr_after"].get<double>());
  }
  for (const auto& w : r["warnings"]) {
    fmt::print("{}: {} / {} = {:.4g}, {}\n", L("warning", "警告"), w["row"].get<std::string>(),
               w["column"].get<std::string>(), w["value"].get<double>(),
               w["reason"].get<std::string>());
  }
}

int RunAhp(const AhpCliOptions& o) {
  methods::AhpOptions ao;
  ao.weight_method = WeightMethodOf(o.weights_method);
  ao.ri_table = RiOf(o.ri);
  std::vector<AhpInput> inputs;
  for (const auto& path : o.common.files) {
    auto in = LoadAhpMatrix(path);
    if (!in) return Fail(o.common, in.error());
    inputs.push_back(std::move(*in));
  }
  if (inputs.size() == 1) {
    auto r = methods::Ahp(inputs[0].matrix, ao);
    if (!r) return Fail(o.common, Locate(r.error(), inputs[0].table, inputs[0].cols));
    Json out;
    out["method"] = "ahp";
    out["file"] = o.common.files[0];
    out.update(AhpResultJson(*r, inputs[0].criteria));
    out["conventions"] = AhpConventions(o, ao);
    return Emit(o.common, out, [&] {
      PrintAhpText(out);
      PrintConventions(out["conventions"]);
    });
  }
  // Group AHP.
  for (size_t e = 1; e < inputs.size(); ++e) {
    if (inputs[e].criteria != inputs[0].criteria) {
      return Fail(o.common,
                  FileError(o.common.files[e], fmt::format("the criteria differ from those of {}",
                                                           o.common.files[0])));
    }
  }
  methods::GroupAhpOptions go;
  go.ahp = ao;
  go.aggregation = o.aggregate == "aip-geometric"    ? methods::GroupAggregation::kAipGeometric
                   : o.aggregate == "aip-arithmetic" ? methods::GroupAggregation::kAipArithmetic
                                                     : methods::GroupAggregation::kAij;
  go.expert_weights = o.expert_weights;
  go.max_cr = o.max_cr;
  std::vector<Matrix> matrices;
  for (const auto& in : inputs) matrices.push_back(in.matrix);
  auto r = methods::GroupAhp(matrices, go);
  if (!r) {
    // Point at the expert's file when the error is about one expert ("expert k: ...").
    Error e = r.error();
    for (size_t k = 0; k < inputs.size(); ++k) {
      if (e.message.starts_with(fmt::format("expert {}:", k + 1))) {
        return Fail(o.common, Locate(e, inputs[k].table, inputs[k].cols));
      }
    }
    return Fail(o.common, e);
  }
  Json out;
  out["method"] = "ahp";
  out["files"] = Array(o.common.files);
  out["aggregation"] = o.aggregate;
  out["criteria"] = Array(inputs[0].criteria);
  out["weights"] = Array(r->weights);
  if (r->aggregated) {
    Json agg = AhpResultJson(*r->aggregated, inputs[0].criteria);
    for (const char* key : {"lambda_max", "ci", "ri", "cr", "consistent", "completed_matrix"}) {
      out[key] = agg[key];
    }
  }
  out["expert_weights"] = Array(r->used_expert_weights);
  Json excluded = Json::array();
  for (int e : r->excluded) excluded.push_back(o.common.files[static_cast<size_t>(e)]);
  out["excluded"] = excluded;
  Json experts = Json::array();
  for (size_t e = 0; e < r->experts.size(); ++e) {
    const auto& x = r->experts[e];
    experts.push_back({{"file", o.common.files[e]},
                       {"weights", Array(x.weights)},
                       {"lambda_max", x.lambda_max},
                       {"ci", x.ci},
                       {"cr", x.cr},
                       {"consistent", x.consistent},
                       {"excluded", std::find(r->excluded.begin(), r->excluded.end(),
                                              static_cast<int>(e)) != r->excluded.end()}});
  }
  out["experts"] = experts;
  Json conventions = AhpConventions(o, ao);
  conventions["aggregation"] =
      o.aggregate == "aij" ? "AIJ: weighted geometric mean of the judgments, then weights"
      : o.aggregate == "aip-geometric"
          ? "AIP: weighted geometric mean of the priority vectors, renormalized"
          : "AIP: weighted arithmetic mean of the priority vectors";
  conventions["expert_weights"] =
      o.expert_weights.empty() ? "equal" : "given, renormalized over kept experts";
  conventions["max_cr"] = o.max_cr ? Json(*o.max_cr) : Json(nullptr);
  conventions["incomplete_experts"] =
      "each expert's missing judgments are completed (lambda_max-minimizing) before aggregation";
  out["conventions"] = conventions;
  return Emit(o.common, out, [&] {
    std::vector<std::vector<std::string>> rows;
    for (size_t i = 0; i < inputs[0].criteria.size(); ++i) {
      std::vector<std::string> row{inputs[0].criteria[i],
                                   Fmt(r->weights[static_cast<Eigen::Index>(i)])};
      for (const auto& x : r->experts) row.push_back(Fmt(x.weights[static_cast<Eigen::Index>(i)]));
      rows.push_back(row);
    }
    std::vector<std::string> header{L("criterion", "指标"), L("group weight", "群组权重")};
    for (size_t e = 0; e < r->experts.size(); ++e) {
      header.push_back(fmt::format("{}{} CR={:.3f}{}", L("expert ", "专家"), e + 1,
                                   r->experts[e].cr,
                                   std::find(r->excluded.begin(), r->excluded.end(),
                                             static_cast<int>(e)) != r->excluded.end()
                                       ? L(" excluded", " 已剔除")
                                       : ""));
    }
    PrintTable(header, rows);
    if (r->aggregated) {
      fmt::print("{}: lambda_max = {:.5f}  CR = {:.4f}\n", L("aggregated matrix", "集结矩阵"),
                 r->aggregated->lambda_max, r->aggregated->cr);
    }
    PrintConventions(out["conventions"]);
  });
}

// ---------------------------------------------------------------------------------------------
// entropy, critic, cv

struct WeightsCliOptions {
  CommonOptions common;
  std::string method;  // entropy, critic, cv
  std::vector<std::string> columns;
  std::vector<std::string> cost;
  std::string normalize = "minmax";
  std::string zero = "ignore";
};

int RunWeights(const WeightsCliOptions& o) {
  auto t = SingleTable(o.common);
  if (!t) return Fail(o.common, t.error());
  auto cols = DataColumns(*t, o.columns, "--columns");
  if (!cols) return Fail(o.common, cols.error());
  auto x = NumericMatrix(*t, *cols, false);
  if (!x) return Fail(o.common, x.error());
  auto cost = CostOption(*t, *cols, o.cost);
  if (!cost) return Fail(o.common, cost.error());
  const auto criteria = ColumnNames(*t, *cols);
  Json out;
  out["method"] = o.method;
  out["file"] = t->path;
  out["criteria"] = Array(criteria);
  Json conventions;
  std::vector<std::pair<std::string, Vector>> extra;
  if (o.method == "entropy") {
    methods::EntropyOptions eo;
    eo.normalization = o.normalize == "none" ? methods::EntropyNormalization::kNone
                                             : methods::EntropyNormalization::kMinMax;
    eo.zero = o.zero == "shift" ? methods::ZeroHandling::kShift : methods::ZeroHandling::kIgnore;
    eo.cost = *cost;
    auto r = methods::EntropyWeights(*x, eo);
    if (!r) return Fail(o.common, Locate(r.error(), *t, *cols));
    out["weights"] = Array(r->weights);
    out["entropy"] = Array(r->entropy);
    out["divergence"] = Array(r->divergence);
    extra = {{L("entropy", "熵值"), r->entropy}, {L("divergence", "差异系数"), r->divergence}};
    conventions["normalize"] = o.normalize;
    conventions["cost_columns"] =
        "reversed by min-max (max - x)/(max - min); ignored without normalization";
    conventions["zero"] = o.zero == "shift"
                              ? "shift: columns holding a value <= 0 shifted by |min| + 0.01"
                              : "ignore: 0 ln 0 = 0";
    conventions["entropy"] =
        "e_j = -(1/ln m) sum p_ij ln p_ij, p_ij = z_ij / sum_i z_ij; w_j = (1 - e_j) / sum (1 - e)";
  } else if (o.method == "critic") {
    auto r = methods::CriticWeights(*x, *cost);
    if (!r) return Fail(o.common, Locate(r.error(), *t, *cols));
    out["weights"] = Array(r->weights);
    out["std_dev"] = Array(r->std_dev);
    out["conflict"] = Array(r->conflict);
    out["information"] = Array(r->information);
    extra = {{L("std dev", "标准差"), r->std_dev},
             {L("conflict", "冲突性"), r->conflict},
             {L("information", "信息量"), r->information}};
    conventions["normalize"] = "minmax, cost columns reversed";
    conventions["std_dev"] = "sample (n - 1)";
    conventions["correlation"] = "Pearson of the normalized columns";
  } else {
    auto r = methods::CvWeights(*x);
    if (!r) return Fail(o.common, Locate(r.error(), *t, *cols));
    out["weights"] = Array(r->weights);
    out["mean"] = Array(r->mean);
    out["std_dev"] = Array(r->std_dev);
    out["cv"] = Array(r->cv);
    extra = {{L("mean", "均值"), r->mean},
             {L("std dev", "标准差"), r->std_dev},
             {L("CV", "变异系数"), r->cv}};
    conventions["data"] = "raw";
    conventions["std_dev"] = "sample (n - 1)";
    conventions["cv"] = "std_dev / |mean|";
  }
  out["conventions"] = conventions;
  return Emit(o.common, out, [&] {
    std::vector<std::string> header{L("criterion", "指标"), L("weight", "权重")};
    for (const auto& [name, v] : extra) header.push_back(name);
    std::vector<std::vector<std::string>> rows;
    for (size_t j = 0; j < criteria.size(); ++j) {
      std::vector<std::string> row{criteria[j], Fmt(out["weights"][j].get<double>())};
      for (const auto& [name, v] : extra) row.push_back(Fmt(v[static_cast<Eigen::Index>(j)]));
      rows.push_back(row);
    }
    PrintTable(header, rows);
    PrintConventions(conventions);
  });
}

// ---------------------------------------------------------------------------------------------
// combine

struct CombineCliOptions {
  CommonOptions common;
  std::vector<double> subjective;
  std::vector<double> objective;
  std::optional<double> alpha;
  bool multiplicative = false;
  std::vector<std::string> criteria;
};

int RunCombine(const CombineCliOptions& o) {
  Result<Vector> w = o.multiplicative
                         ? methods::CombineMultiplicative(o.subjective, o.objective)
                         : methods::CombineLinear(o.subjective, o.objective, o.alpha.value_or(0.5));
  if (!w) return Fail(o.common, w.error());
  std::vector<std::string> criteria = o.criteria;
  if (!criteria.empty() && criteria.size() != static_cast<size_t>(w->size())) {
    return Fail(o.common, Error{ErrorCode::kInvalidArgument,
                                fmt::format("--criteria has {} names for {} weights",
                                            criteria.size(), w->size()),
                                {},
                                0});
  }
  if (criteria.empty()) {
    for (Eigen::Index j = 0; j < w->size(); ++j) criteria.push_back(fmt::format("{}", j + 1));
  }
  Json out;
  out["method"] = "combine";
  out["criteria"] = Array(criteria);
  out["weights"] = Array(*w);
  Json conventions;
  conventions["rule"] = o.multiplicative ? "multiplicative: w_j = s_j o_j / sum s_k o_k"
                                         : "linear: w = alpha s + (1 - alpha) o";
  if (!o.multiplicative) conventions["alpha"] = o.alpha.value_or(0.5);
  conventions["inputs"] = "subjective and objective weights each normalized to sum 1 first";
  out["conventions"] = conventions;
  return Emit(o.common, out, [&] {
    std::vector<std::vector<std::string>> rows;
    for (size_t j = 0; j < criteria.size(); ++j) {
      rows.push_back({criteria[j], Fmt((*w)[static_cast<Eigen::Index>(j)])});
    }
    PrintTable({L("criterion", "指标"), L("combined weight", "组合权重")}, rows);
    PrintConventions(conventions);
  });
}

// ---------------------------------------------------------------------------------------------
// topsis and grey

struct RankCliOptions {
  CommonOptions common;
  std::string method;  // topsis, grey
  std::vector<std::string> columns;
  std::vector<std::string> cost;
  std::vector<double> weights;
  std::string normalize;
  double rho = 0.5;
};

int RunRank(const RankCliOptions& o) {
  auto t = SingleTable(o.common);
  if (!t) return Fail(o.common, t.error());
  auto cols = DataColumns(*t, o.columns, "--columns");
  if (!cols) return Fail(o.common, cols.error());
  auto x = NumericMatrix(*t, *cols, false);
  if (!x) return Fail(o.common, x.error());
  auto cost = CostOption(*t, *cols, o.cost);
  if (!cost) return Fail(o.common, cost.error());
  const auto criteria = ColumnNames(*t, *cols);
  const auto names = t->RowNames();
  Json out;
  out["method"] = o.method;
  out["file"] = t->path;
  out["criteria"] = Array(criteria);
  Json conventions;
  std::vector<std::string> header{L("name", "名称")};
  std::vector<std::vector<std::string>> rows;
  if (o.method == "topsis") {
    methods::TopsisOptions to;
    to.normalization = o.normalize == "minmax" ? methods::TopsisNormalization::kMinMax
                                               : methods::TopsisNormalization::kVector;
    to.weights = o.weights;
    to.cost = *cost;
    auto r = methods::Topsis(*x, to);
    if (!r) return Fail(o.common, Locate(r.error(), *t, *cols));
    out["weights"] = Array(r->weights);
    out["name"] = Array(names);
    out["closeness"] = Array(r->closeness);
    out["d_plus"] = Array(r->d_plus);
    out["d_minus"] = Array(r->d_minus);
    out["rank"] = r->rank;
    conventions["normalize"] =
        to.normalization == methods::TopsisNormalization::kVector
            ? "vector: x / sqrt(sum x^2); cost criteria take the minimum as ideal"
            : "minmax: benefit (x - min)/(max - min), cost (max - x)/(max - min)";
    conventions["weights"] = o.weights.empty() ? "equal" : "given, normalized to sum 1";
    conventions["distance"] = "Euclidean";
    conventions["closeness"] = "D- / (D+ + D-); 0.5 when D+ + D- = 0";
    conventions["rank"] = "1 = best; ties share the best rank (1, 1, 3)";
    header.insert(header.end(), {L("closeness", "贴近度"), "D+", "D-", L("rank", "排名")});
    for (size_t i = 0; i < names.size(); ++i) {
      const auto k = static_cast<Eigen::Index>(i);
      rows.push_back({names[i], Fmt(r->closeness[k]), Fmt(r->d_plus[k]), Fmt(r->d_minus[k]),
                      fmt::format("{}", r->rank[i])});
    }
  } else {
    methods::GreyOptions go;
    go.rho = o.rho;
    go.preprocessing = o.normalize == "initial" ? methods::GreyPreprocessing::kInitialValue
                       : o.normalize == "mean"  ? methods::GreyPreprocessing::kMean
                                                : methods::GreyPreprocessing::kMinMax;
    go.weights = o.weights;
    go.cost = *cost;
    auto r = methods::GreyRelational(*x, go);
    if (!r) return Fail(o.common, Locate(r.error(), *t, *cols));
    out["weights"] = Array(r->weights);
    out["name"] = Array(names);
    out["grades"] = Array(r->grades);
    out["rank"] = r->rank;
    out["coefficients"] = MatrixJson(r->coefficients);
    out["reference"] = Array(r->reference);
    conventions["rho"] = o.rho;
    conventions["normalize"] = o.normalize;
    conventions["reference"] =
        "ideal values: per column the maximum (benefit) or minimum (cost) after preprocessing";
    conventions["delta"] = "global min and max of |x0_j - x_ij| over all rows and columns";
    conventions["weights"] = o.weights.empty() ? "equal" : "given, normalized to sum 1";
    conventions["rank"] = "1 = best; ties share the best rank";
    header.insert(header.end(), {L("grey relational grade", "灰色关联度"), L("rank", "排名")});
    for (size_t i = 0; i < names.size(); ++i) {
      rows.push_back(
          {names[i], Fmt(r->grades[static_cast<Eigen::Index>(i)]), fmt::format("{}", r->rank[i])});
    }
  }
  out["conventions"] = conventions;
  return Emit(o.common, out, [&] {
    PrintTable(header, rows);
    PrintConventions(conventions);
  });
}

// ---------------------------------------------------------------------------------------------
// fuzzy

struct FuzzyCliOptions {
  CommonOptions common;
  std::vector<double> weights;
  std::string weight_col;
  std::string op = "weighted-average";
  std::vector<double> grade_scores;
  bool from_responses = false;
  int grades = 0;
  std::vector<std::string> grade_labels;
  std::string group;
  std::vector<double> group_weights;
  double tie_tolerance = 0.01;
};

methods::FuzzyOperator OperatorOf(const std::string& s) {
  if (s == "min-max") return methods::FuzzyOperator::kMinMax;
  if (s == "product-max") return methods::FuzzyOperator::kProductMax;
  if (s == "min-bounded-sum") return methods::FuzzyOperator::kMinBoundedSum;
  return methods::FuzzyOperator::kWeightedAverage;
}

Json FuzzyResultJson(const methods::FuzzyResult& r) {
  Json j;
  j["b"] = Array(r.b);
  j["b_normalized"] = Array(r.b_normalized);
  j["grade_index"] = r.grade_index;
  j["ambiguous"] = r.ambiguous;
  j["score"] = r.score ? Json(*r.score) : Json(nullptr);
  return j;
}

int RunFuzzy(const FuzzyCliOptions& o) {
  auto t = SingleTable(o.common);
  if (!t) return Fail(o.common, t.error());
  std::set<size_t> exclude;
  std::optional<size_t> weight_col, group_col;
  if (!o.weight_col.empty()) {
    auto c = ColumnIndex(*t, o.weight_col, "--weight-col");
    if (!c) return Fail(o.common, c.error());
    weight_col = *c;
    exclude.insert(*c);
  }
  if (!o.group.empty()) {
    auto c = ColumnIndex(*t, o.group, "--group");
    if (!c) return Fail(o.common, c.error());
    group_col = *c;
    exclude.insert(*c);
  }
  auto cols = DataColumns(*t, {}, "", exclude);
  if (!cols) return Fail(o.common, cols.error());
  methods::FuzzyOptions fo;
  fo.op = OperatorOf(o.op);
  fo.grade_scores = o.grade_scores;
  fo.tie_tolerance = o.tie_tolerance;
  Json out;
  out["method"] = "fuzzy";
  out["file"] = t->path;
  Json conventions;
  conventions["operator"] = o.op;
  conventions["operator_formula"] =
      fo.op == methods::FuzzyOperator::kWeightedAverage ? "M(.,+): b_j = min(1, sum a_i r_ij)"
      : fo.op == methods::FuzzyOperator::kMinMax        ? "M(^,v): b_j = max_i min(a_i, r_ij)"
      : fo.op == methods::FuzzyOperator::kProductMax    ? "M(.,v): b_j = max_i a_i r_ij"
                                                     : "M(^,+): b_j = min(1, sum_i min(a_i, r_ij))";
  conventions["b_normalized"] = "b / sum b";
  conventions["grade"] =
      "maximum membership of b_normalized, 0-based; ambiguous when the top two are within the tie "
      "tolerance";
  conventions["tie_tolerance"] = o.tie_tolerance;
  conventions["score"] = o.grade_scores.empty() ? "not computed (no --grade-scores)"
                                                : "sum b_normalized_j * grade score_j";
  conventions["weights"] = "normalized to sum 1";

  if (o.from_responses) {
    // Rows = respondents, columns = questions, cells = grade number 1..G (or one of
    // --grade-labels, grade 1 first), empty = no answer.
    const auto respondents = static_cast<Eigen::Index>(t->Rows());
    const auto questions = static_cast<Eigen::Index>(cols->size());
    int grades = !o.grade_labels.empty() ? static_cast<int>(o.grade_labels.size())
                 : o.grades > 0          ? o.grades
                                         : static_cast<int>(o.grade_scores.size());
    if (grades == 0) {
      // The largest grade number present.
      for (size_t r = 0; r < t->Rows(); ++r) {
        for (size_t c : *cols) {
          auto v = ParseNumber(t->Cell(r, c), false);
          if (v && *v == std::floor(*v) && *v <= 127)
            grades = std::max(grades, static_cast<int>(*v));
        }
      }
    }
    if (grades < 1 || grades > 127) {
      return Fail(o.common,
                  FileError(t->path, "give the grades with --grades (1..127) or --grade-labels"));
    }
    std::vector<int8_t> codes(static_cast<size_t>(respondents * questions));
    std::vector<ErrorDetail> details;
    for (Eigen::Index r = 0; r < respondents; ++r) {
      for (Eigen::Index q = 0; q < questions; ++q) {
        const std::string_view cell =
            Trim(t->Cell(static_cast<size_t>(r), (*cols)[static_cast<size_t>(q)]));
        int8_t code = -1;
        if (!cell.empty()) {
          auto label = std::find(o.grade_labels.begin(), o.grade_labels.end(), cell);
          auto v = ParseNumber(cell, false);
          if (label != o.grade_labels.end()) {
            code = static_cast<int8_t>(label - o.grade_labels.begin());
          } else if (v && *v == std::floor(*v) && *v >= 1 && *v <= grades) {
            code = static_cast<int8_t>(*v - 1);
          } else if (details.size() < 50) {
            details.push_back(ErrorDetail{
                t->Line(static_cast<size_t>(r)), t->csv.header[(*cols)[static_cast<size_t>(q)]],
                std::string(cell),
                o.grade_labels.empty()
                    ? fmt::format("a response must be a grade 1..{}", grades)
                    : fmt::format("a response must be a grade 1..{} or one of --grade-labels",
                                  grades)});
          }
        }
        codes[static_cast<size_t>(r * questions + q)] = code;
      }
    }
    if (!details.empty()) {
      std::string message = fmt::format("{} response{} outside the grades", details.size(),
                                        details.size() == 1 ? "" : "s");
      return Fail(o.common, FileError(t->path, std::move(message), std::move(details)));
    }
    auto membership =
        methods::MembershipFromResponses(codes, respondents, static_cast<int>(questions), grades);
    if (!membership) return Fail(o.common, Locate(membership.error(), *t, *cols));
    std::vector<double> raw = o.weights;
    if (raw.empty()) raw.assign(cols->size(), 1.0);
    auto w = methods::NormalizeWeights(raw, static_cast<Eigen::Index>(cols->size()), "--weights");
    if (!w) return Fail(o.common, w.error());
    auto r = methods::FuzzyEvaluate(*w, *membership, fo);
    if (!r) return Fail(o.common, r.error());
    const auto criteria = ColumnNames(*t, *cols);
    out["criteria"] = Array(criteria);
    out["weights"] = Array(*w);
    out["respondents"] = respondents;
    if (!o.grade_labels.empty()) out["grades"] = Array(o.grade_labels);
    out["membership"] = MatrixJson(*membership);
    out.update(FuzzyResultJson(*r));
    conventions["membership"] =
        "share of the answering respondents choosing each grade (grades 1..G or --grade-labels; "
        "empty = no answer)";
    out["conventions"] = conventions;
    return Emit(o.common, out, [&] {
      std::vector<std::string> header{L("question", "题目"), L("weight", "权重")};
      for (int g = 0; g < grades; ++g) {
        header.push_back(o.grade_labels.empty() ? fmt::format("{}{}", L("grade ", "等级"), g + 1)
                                                : o.grade_labels[static_cast<size_t>(g)]);
      }
      std::vector<std::vector<std::string>> rows;
      for (size_t q = 0; q < criteria.size(); ++q) {
        std::vector<std::string> row{criteria[q], Fmt((*w)[static_cast<Eigen::Index>(q)])};
        for (int g = 0; g < grades; ++g)
          row.push_back(Fmt((*membership)(static_cast<Eigen::Index>(q), g)));
        rows.push_back(row);
      }
      PrintTable(header, rows);
      fmt::print("B = {}\n", out["b"].dump());
      fmt::print("{}: {}{}", L("grade (maximum membership)", "评价等级 (最大隶属度)"),
                 o.grade_labels.empty() ? fmt::format("{}", r->grade_index + 1)
                                        : o.grade_labels[static_cast<size_t>(r->grade_index)],
                 r->ambiguous ? L(" (ambiguous)", " (不明确)") : "");
      if (r->score) fmt::print("  {} = {:.4f}", L("score", "综合得分"), *r->score);
      fmt::print("\n");
      PrintConventions(conventions);
    });
  }

  // Membership matrix given directly: rows = criteria, columns = grades.
  auto x = NumericMatrix(*t, *cols, false);
  if (!x) return Fail(o.common, x.error());
  const auto grades_names = ColumnNames(*t, *cols);
  const auto names = t->RowNames();
  std::vector<double> raw;
  if (weight_col) {
    auto wm = NumericMatrix(*t, {*weight_col}, false);
    if (!wm) return Fail(o.common, wm.error());
    for (Eigen::Index i = 0; i < wm->rows(); ++i) raw.push_back((*wm)(i, 0));
  } else if (!o.weights.empty()) {
    raw = o.weights;
  }
  if (!group_col) {
    if (raw.empty()) raw.assign(t->Rows(), 1.0);
    auto w = methods::NormalizeWeights(raw, x->rows(), "weights (one per row)");
    if (!w) return Fail(o.common, FileError(t->path, w.error().message));
    auto r = methods::FuzzyEvaluate(*w, *x, fo);
    if (!r) return Fail(o.common, Locate(r.error(), *t, *cols));
    out["grades"] = Array(grades_names);
    out["name"] = Array(names);
    out["weights"] = Array(*w);
    out.update(FuzzyResultJson(*r));
    out["conventions"] = conventions;
    return Emit(o.common, out, [&] {
      std::vector<std::vector<std::string>> rows;
      std::vector<std::string> header{L("criterion", "指标"), L("weight", "权重")};
      for (const auto& g : grades_names) header.push_back(g);
      for (size_t i = 0; i < names.size(); ++i) {
        std::vector<std::string> row{names[i], Fmt((*w)[static_cast<Eigen::Index>(i)])};
        for (Eigen::Index g = 0; g < x->cols(); ++g)
          row.push_back(Fmt((*x)(static_cast<Eigen::Index>(i), g)));
        rows.push_back(row);
      }
      std::vector<std::string> brow{"B", ""};
      for (Eigen::Index g = 0; g < r->b.size(); ++g) brow.push_back(Fmt(r->b[g]));
      rows.push_back(brow);
      PrintTable(header, rows);
      fmt::print("{}: {}{}", L("grade (maximum membership)", "评价等级 (最大隶属度)"),
                 grades_names[static_cast<size_t>(r->grade_index)],
                 r->ambiguous ? L(" (ambiguous)", " (不明确)") : "");
      if (r->score) fmt::print("  {} = {:.4f}", L("score", "综合得分"), *r->score);
      fmt::print("\n");
      PrintConventions(conventions);
    });
  }

  // Two levels: rows grouped by --group; --weights/--weight-col are the weights within each
  // group, --group-weights those of the groups (in order of first appearance).
  std::vector<std::string> group_names;
  std::vector<std::vector<size_t>> members;
  for (size_t r = 0; r < t->Rows(); ++r) {
    const std::string g(Trim(t->Cell(r, *group_col)));
    if (g.empty()) {
      return Fail(o.common, FileError(t->path, "a row has no group",
                                      {ErrorDetail{t->Line(r), o.group, "", "empty group"}}));
    }
    auto it = std::find(group_names.begin(), group_names.end(), g);
    if (it == group_names.end()) {
      group_names.push_back(g);
      members.emplace_back();
      it = group_names.end() - 1;
    }
    members[static_cast<size_t>(it - group_names.begin())].push_back(r);
  }
  if (raw.empty()) raw.assign(t->Rows(), 1.0);
  if (raw.size() != t->Rows()) {
    return Fail(o.common,
                FileError(t->path, fmt::format("{} weights for {} rows", raw.size(), t->Rows())));
  }
  std::vector<double> gw = o.group_weights;
  if (gw.empty()) gw.assign(group_names.size(), 1.0);
  auto top_w = methods::NormalizeWeights(gw, static_cast<Eigen::Index>(group_names.size()),
                                         "--group-weights");
  if (!top_w) return Fail(o.common, top_w.error());
  methods::FuzzyNode root{"overall", 1.0, {}, {}};
  for (size_t g = 0; g < group_names.size(); ++g) {
    methods::FuzzyNode node{group_names[g], (*top_w)[static_cast<Eigen::Index>(g)], {}, {}};
    double sum = 0;
    for (size_t r : members[g]) sum += raw[r];
    if (!(sum > 0)) {
      return Fail(o.common, FileError(t->path, fmt::format("the weights of group '{}' sum to 0",
                                                           group_names[g])));
    }
    for (size_t r : members[g]) {
      node.children.push_back(
          {names[r], raw[r] / sum, Vector(x->row(static_cast<Eigen::Index>(r)).transpose()), {}});
    }
    root.children.push_back(std::move(node));
  }
  auto r = methods::FuzzyEvaluateTree(root, fo);
  if (!r) return Fail(o.common, FileError(t->path, r.error().message));
  out["grades"] = Array(grades_names);
  out.update(FuzzyResultJson(r->result));
  Json groups;
  groups["name"] = Array(group_names);
  groups["weights"] = Array(*top_w);
  Json gb = Json::array(), gbn = Json::array(), gi = Json::array(), gs = Json::array();
  for (const auto& child : r->children) {
    gb.push_back(Array(child.result.b));
    gbn.push_back(Array(child.result.b_normalized));
    gi.push_back(child.result.grade_index);
    gs.push_back(child.result.score ? Json(*child.result.score) : Json(nullptr));
  }
  groups["b"] = gb;
  groups["b_normalized"] = gbn;
  groups["grade_index"] = gi;
  groups["score"] = gs;
  out["groups"] = groups;
  conventions["levels"] =
      "two: each group's b_normalized is a row of the top-level membership matrix";
  out["conventions"] = conventions;
  return Emit(o.common, out, [&] {
    std::vector<std::string> header{L("group", "一级指标"), L("weight", "权重")};
    for (const auto& g : grades_names) header.push_back(g);
    std::vector<std::vector<std::string>> rows;
    for (size_t g = 0; g < group_names.size(); ++g) {
      std::vector<std::string> row{group_names[g], Fmt((*top_w)[static_cast<Eigen::Index>(g)])};
      for (Eigen::Index k = 0; k < x->cols(); ++k)
        row.push_back(Fmt(r->children[g].result.b_normalized[k]));
      rows.push_back(row);
    }
    std::vector<std::string> brow{"B", ""};
    for (Eigen::Index k = 0; k < r->result.b.size(); ++k) brow.push_back(Fmt(r->result.b[k]));
    rows.push_back(brow);
    PrintTable(header, rows);
    fmt::print("{}: {}{}", L("grade (maximum membership)", "评价等级 (最大隶属度)"),
               grades_names[static_cast<size_t>(r->result.grade_index)],
               r->result.ambiguous ? L(" (ambiguous)", " (不明确)") : "");
    if (r->result.score) fmt::print("  {} = {:.4f}", L("score", "综合得分"), *r->result.score);
    fmt::print("\n");
    PrintConventions(conventions);
  });
}

// ---------------------------------------------------------------------------------------------
// dea and malmquist

struct DeaCliOptions {
  CommonOptions common;
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
  std::string rts = "crs";
  std::string orientation = "input";
  bool super = false;
  std::string dmu;     // malmquist
  std::string period;  // malmquist
};

methods::ReturnsToScale RtsOf(const std::string& s) {
  if (s == "vrs") return methods::ReturnsToScale::kVrs;
  if (s == "nirs") return methods::ReturnsToScale::kNirs;
  return methods::ReturnsToScale::kCrs;
}

Result<std::pair<std::vector<size_t>, std::vector<size_t>>> DeaColumns(const Table& t,
                                                                       const DeaCliOptions& o) {
  if (o.inputs.empty() || o.outputs.empty()) {
    return std::unexpected(
        FileError(t.path, "name the input and output columns with --inputs and --outputs"));
  }
  auto in = ColumnIndices(t, o.inputs, "--inputs");
  if (!in) return std::unexpected(in.error());
  auto out = ColumnIndices(t, o.outputs, "--outputs");
  if (!out) return std::unexpected(out.error());
  return std::pair{*in, *out};
}

int RunDea(const DeaCliOptions& o) {
  auto t = SingleTable(o.common);
  if (!t) return Fail(o.common, t.error());
  auto cols = DeaColumns(*t, o);
  if (!cols) return Fail(o.common, cols.error());
  const auto& [in_cols, out_cols] = *cols;
  std::vector<size_t> all = in_cols;
  all.insert(all.end(), out_cols.begin(), out_cols.end());
  auto data = NumericMatrix(*t, all, false);
  if (!data) return Fail(o.common, data.error());
  const auto m = static_cast<Eigen::Index>(in_cols.size());
  const Matrix x = data->leftCols(m);
  const Matrix y = data->rightCols(data->cols() - m);
  methods::DeaOptions options;
  options.rts = RtsOf(o.rts);
  options.orientation =
      o.orientation == "output" ? methods::Orientation::kOutput : methods::Orientation::kInput;
  options.super_efficiency = o.super;
  options.scale = true;
  auto r = methods::Dea(x, y, options);
  if (!r) return Fail(o.common, Locate(r.error(), *t, all));
  const auto names = t->RowNames();
  const bool input = options.orientation == methods::Orientation::kInput;
  Json out;
  out["method"] = "dea";
  out["file"] = t->path;
  out["inputs"] = Array(ColumnNames(*t, in_cols));
  out["outputs"] = Array(ColumnNames(*t, out_cols));
  out["name"] = Array(names);
  Json eff = Json::array(), score = Json::array(), slacks = Json::array(), peers = Json::array(),
       cls = Json::array(), sup = Json::array(), feasible = Json::array(), se = Json::array(),
       rts = Json::array();
  double mean = 0;
  for (const auto& d : r->dmus) {
    eff.push_back(d.efficiency);
    mean += d.efficiency / static_cast<double>(r->dmus.size());
    score.push_back(d.score);
    slacks.push_back({{"inputs", Array(d.input_slacks)}, {"outputs", Array(d.output_slacks)}});
    Json p = Json::array();
    for (const auto& peer : d.peers) {
      p.push_back({{"name", names[static_cast<size_t>(peer.dmu)]}, {"lambda", peer.lambda}});
    }
    peers.push_back(p);
    cls.push_back(methods::DeaClassName(d.classification));
    sup.push_back(d.super_efficiency && o.super ? Json(*d.super_efficiency) : Json(nullptr));
    feasible.push_back(o.super ? d.super_feasible : d.feasible);
    se.push_back(d.scale_efficiency ? Json(*d.scale_efficiency) : Json(nullptr));
    rts.push_back(d.scale_type ? Json(methods::ScaleTypeName(*d.scale_type)) : Json(nullptr));
  }
  out["efficiency"] = eff;
  out[input ? "theta" : "phi"] = score;
  out["slacks"] = slacks;
  out["peers"] = peers;
  out["classification"] = cls;
  out["super_efficiency"] = sup;
  out["feasible"] = feasible;
  out["scale_efficiency"] = se;
  out["returns_to_scale"] = rts;
  out["mean_efficiency"] = mean;
  Json conventions;
  conventions["model"] = "envelopment";
  conventions["rts"] = o.rts;
  conventions["orientation"] = o.orientation;
  conventions["score"] = input ? "theta <= 1; efficiency = theta" : "phi >= 1; efficiency = 1/phi";
  conventions["slacks"] =
      "second stage maximizes the sum of slacks of the mean-rescaled data; reported in original "
      "units";
  conventions["classification"] =
      "efficient: efficiency 1 and zero slacks; weakly efficient: efficiency 1 with non-zero "
      "slacks; tolerance 1e-6";
  conventions["super_efficiency"] =
      o.super ? "Andersen-Petersen (DMU excluded from its own reference set), same scale as "
                "efficiency; null when infeasible (feasible = false)"
              : "not requested (--super)";
  conventions["scale_efficiency"] =
      "TE_crs / TE_vrs; returns_to_scale crs when 1, drs when TE_nirs = TE_vrs, else irs";
  conventions["rescaling"] = "each input and output column divided by its mean before solving";
  conventions["solver"] =
      "Clp dual simplex, warm-started DMU to DMU, reference set by column generation";
  out["conventions"] = conventions;
  return Emit(o.common, out, [&] {
    std::vector<std::string> header{L("DMU", "决策单元"),        L("efficiency", "效率"),
                                    input ? "theta" : "phi",     L("class", "类别"),
                                    L("scale eff.", "规模效率"), L("RTS", "规模收益")};
    if (o.super) header.push_back(L("super-eff.", "超效率"));
    header.push_back(L("slacks", "松弛量"));
    header.push_back(L("peers (lambda)", "参照 (λ)"));
    std::vector<std::vector<std::string>> rows;
    for (size_t i = 0; i < r->dmus.size(); ++i) {
      const auto& d = r->dmus[i];
      const std::string cls_name = d.classification == methods::DeaClass::kEfficient
                                       ? L("efficient", "有效")
                                   : d.classification == methods::DeaClass::kWeaklyEfficient
                                       ? L("weakly efficient", "弱有效")
                                       : L("inefficient", "非有效");
      std::vector<std::string> row{
          names[i],
          Fmt(d.efficiency),
          Fmt(d.score),
          cls_name,
          Fmt(d.scale_efficiency.value_or(NAN)),
          d.scale_type ? std::string(methods::ScaleTypeName(*d.scale_type)) : "-"};
      if (o.super) {
        row.push_back(d.super_efficiency ? Fmt(*d.super_efficiency) : L("infeasible", "无可行解"));
      }
      std::string slack_text;
      for (Eigen::Index k = 0; k < d.input_slacks.size(); ++k) {
        if (d.input_slacks[k] > 0) {
          slack_text +=
              fmt::format("{}{}={:.4g}", slack_text.empty() ? "" : " ",
                          t->csv.header[in_cols[static_cast<size_t>(k)]], d.input_slacks[k]);
        }
      }
      for (Eigen::Index k = 0; k < d.output_slacks.size(); ++k) {
        if (d.output_slacks[k] > 0) {
          slack_text +=
              fmt::format("{}{}={:.4g}", slack_text.empty() ? "" : " ",
                          t->csv.header[out_cols[static_cast<size_t>(k)]], d.output_slacks[k]);
        }
      }
      row.push_back(slack_text.empty() ? "-" : slack_text);
      std::string p;
      for (const auto& peer : d.peers) {
        p += fmt::format("{}{} ({:.4f})", p.empty() ? "" : ", ",
                         names[static_cast<size_t>(peer.dmu)], peer.lambda);
      }
      row.push_back(p);
      rows.push_back(row);
    }
    PrintTable(header, rows);
    fmt::print("{} = {:.4f}\n", L("mean efficiency", "平均效率"), mean);
    PrintConventions(conventions);
  });
}

int RunMalmquist(const DeaCliOptions& o) {
  auto t = SingleTable(o.common);
  if (!t) return Fail(o.common, t.error());
  if (o.dmu.empty() || o.period.empty()) {
    return Fail(o.common,
                FileError(t->path, "name the DMU and period columns with --dmu and --period"));
  }
  auto dmu_col = ColumnIndex(*t, o.dmu, "--dmu");
  if (!dmu_col) return Fail(o.common, dmu_col.error());
  auto period_col = ColumnIndex(*t, o.period, "--period");
  if (!period_col) return Fail(o.common, period_col.error());
  auto cols = DeaColumns(*t, o);
  if (!cols) return Fail(o.common, cols.error());
  const auto& [in_cols, out_cols] = *cols;
  std::vector<size_t> all = in_cols;
  all.insert(all.end(), out_cols.begin(), out_cols.end());
  auto data = NumericMatrix(*t, all, false);
  if (!data) return Fail(o.common, data.error());
  // Periods sorted numerically when they all are numbers, else as text; DMUs in order of first
  // appearance. The panel must be balanced.
  std::vector<std::string> periods, dmus;
  std::map<std::pair<std::string, std::string>, size_t> where;
  for (size_t r = 0; r < t->Rows(); ++r) {
    const std::string d(Trim(t->Cell(r, *dmu_col)));
    const std::string p(Trim(t->Cell(r, *period_col)));
    if (d.empty() || p.empty()) {
      return Fail(o.common,
                  FileError(t->path, "a row has no DMU or period",
                            {ErrorDetail{t->Line(r), d.empty() ? o.dmu : o.period, "", "empty"}}));
    }
    if (std::find(dmus.begin(), dmus.end(), d) == dmus.end()) dmus.push_back(d);
    if (std::find(periods.begin(), periods.end(), p) == periods.end()) periods.push_back(p);
    if (!where.emplace(std::pair{d, p}, r).second) {
      return Fail(o.common, FileError(t->path, "a DMU appears twice in one period",
                                      {ErrorDetail{t->Line(r), o.dmu, d,
                                                   fmt::format("second row for period {}", p)}}));
    }
  }
  const bool numeric = std::all_of(periods.begin(), periods.end(), [](const std::string& p) {
    return ParseNumber(p, false).has_value();
  });
  std::sort(periods.begin(), periods.end(), [&](const std::string& a, const std::string& b) {
    return numeric ? *ParseNumber(a, false) < *ParseNumber(b, false) : a < b;
  });
  std::vector<methods::PanelPeriod> panel;
  const auto m = static_cast<Eigen::Index>(in_cols.size());
  const auto s = static_cast<Eigen::Index>(out_cols.size());
  for (const auto& p : periods) {
    methods::PanelPeriod period{Matrix(static_cast<Eigen::Index>(dmus.size()), m),
                                Matrix(static_cast<Eigen::Index>(dmus.size()), s)};
    for (size_t d = 0; d < dmus.size(); ++d) {
      auto it = where.find({dmus[d], p});
      if (it == where.end()) {
        return Fail(
            o.common,
            FileError(t->path,
                      fmt::format("the panel is not balanced: DMU '{}' has no row for period '{}'",
                                  dmus[d], p),
                      {ErrorDetail{0, o.dmu, dmus[d], fmt::format("missing period {}", p)}}));
      }
      const auto row = static_cast<Eigen::Index>(it->second);
      period.inputs.row(static_cast<Eigen::Index>(d)) = data->row(row).head(m);
      period.outputs.row(static_cast<Eigen::Index>(d)) = data->row(row).tail(s);
    }
    panel.push_back(std::move(period));
  }
  const auto orientation =
      o.orientation == "input" ? methods::Orientation::kInput : methods::Orientation::kOutput;
  auto r = methods::Malmquist(panel, orientation);
  if (!r) return Fail(o.common, FileError(t->path, r.error().message));
  Json out;
  out["method"] = "malmquist";
  out["file"] = t->path;
  out["inputs"] = Array(ColumnNames(*t, in_cols));
  out["outputs"] = Array(ColumnNames(*t, out_cols));
  out["periods"] = Array(periods);
  Json pairs = Json::array();
  for (const auto& pair : r->pairs) {
    Json pj;
    pj["from"] = periods[static_cast<size_t>(pair.from)];
    pj["to"] = periods[static_cast<size_t>(pair.from) + 1];
    pj["name"] = Array(dmus);
    for (auto [key, field] : {std::pair{"effch", &methods::MalmquistIndices::effch},
                              std::pair{"techch", &methods::MalmquistIndices::techch},
                              std::pair{"pech", &methods::MalmquistIndices::pech},
                              std::pair{"sech", &methods::MalmquistIndices::sech},
                              std::pair{"tfpch", &methods::MalmquistIndices::tfpch}}) {
      Json a = Json::array();
      for (const auto& d : pair.dmus) a.push_back(d.*field);
      pj[key] = a;
    }
    pj["means"] = {{"effch", pair.means.effch},
                   {"techch", pair.means.techch},
                   {"pech", pair.means.pech},
                   {"sech", pair.means.sech},
                   {"tfpch", pair.means.tfpch}};
    pairs.push_back(pj);
  }
  out["pairs"] = pairs;
  Json conventions;
  conventions["index"] =
      "Fare, Grosskopf, Norris & Zhang (1994), DEAP convention: > 1 = improvement";
  conventions["orientation"] = o.orientation;
  conventions["distance"] =
      "efficiency scores (theta, or 1/phi for output orientation) against each period's frontier";
  conventions["effch"] = "CRS efficiency change; techch geometric mean of the two frontier shifts";
  conventions["pech"] = "VRS efficiency change; sech = effch / pech; tfpch = effch * techch";
  conventions["means"] = "geometric means over DMUs per period pair";
  conventions["periods"] = numeric ? "sorted numerically" : "sorted as text";
  out["conventions"] = conventions;
  return Emit(o.common, out, [&] {
    for (const auto& pj : pairs) {
      fmt::print("{} {} -> {}\n", L("periods", "时期"), pj["from"].get<std::string>(),
                 pj["to"].get<std::string>());
      std::vector<std::vector<std::string>> rows;
      for (size_t d = 0; d < dmus.size(); ++d) {
        rows.push_back({dmus[d], Fmt(pj["effch"][d].get<double>()),
                        Fmt(pj["techch"][d].get<double>()), Fmt(pj["pech"][d].get<double>()),
                        Fmt(pj["sech"][d].get<double>()), Fmt(pj["tfpch"][d].get<double>())});
      }
      const auto& mj = pj["means"];
      rows.push_back({L("mean", "均值"), Fmt(mj["effch"].get<double>()),
                      Fmt(mj["techch"].get<double>()), Fmt(mj["pech"].get<double>()),
                      Fmt(mj["sech"].get<double>()), Fmt(mj["tfpch"].get<double>())});
      PrintTable({L("DMU", "决策单元"), "effch", "techch", "pech", "sech", "tfpch"}, rows);
      fmt::print("\n");
    }
    PrintConventions(conventions);
  });
}

// ---------------------------------------------------------------------------------------------
// mpi

struct MpiCliOptions {
  CommonOptions common;
  std::vector<std::string> columns;
  std::vector<double> weights;
  double k = 1.0 / 3.0;
  std::string group;
  std::string weight_col;
};

int RunMpi(const MpiCliOptions& o) {
  auto t = SingleTable(o.common);
  if (!t) return Fail(o.common, t.error());
  std::set<size_t> exclude;
  std::optional<size_t> group_col, weight_col;
  if (!o.group.empty()) {
    auto c = ColumnIndex(*t, o.group, "--group");
    if (!c) return Fail(o.common, c.error());
    group_col = *c;
    exclude.insert(*c);
  }
  if (!o.weight_col.empty()) {
    auto c = ColumnIndex(*t, o.weight_col, "--weight-col");
    if (!c) return Fail(o.common, c.error());
    weight_col = *c;
    exclude.insert(*c);
  }
  auto cols = DataColumns(*t, o.columns, "--columns", exclude);
  if (!cols) return Fail(o.common, cols.error());
  auto g = NumericMatrix(*t, *cols, false);
  if (!g) return Fail(o.common, g.error());
  methods::MpiOptions mo;
  mo.weights = o.weights;
  mo.k = o.k;
  std::vector<std::string> group_names;
  if (group_col) {
    for (size_t r = 0; r < t->Rows(); ++r) {
      const std::string name(Trim(t->Cell(r, *group_col)));
      auto it = std::find(group_names.begin(), group_names.end(), name);
      if (it == group_names.end()) {
        group_names.push_back(name);
        it = group_names.end() - 1;
      }
      mo.groups.push_back(static_cast<int>(it - group_names.begin()));
    }
    mo.group_count = static_cast<int>(group_names.size());
  }
  if (weight_col) {
    auto w = NumericMatrix(*t, {*weight_col}, false);
    if (!w) return Fail(o.common, w.error());
    for (Eigen::Index i = 0; i < w->rows(); ++i) mo.sampling_weights.push_back((*w)(i, 0));
  }
  auto r = methods::AlkireFoster(*g, mo);
  if (!r) {
    Error e = r.error();
    for (auto& d : e.details) {
      if (d.column == "k") d.column = "--k";
      // A sampling-weight problem has no matrix column: name the weight column.
      if (d.column.empty() && weight_col && d.row > 0) d.column = "#0";
    }
    std::vector<size_t> cols_with_weight = *cols;
    Error located = Locate(e, *t, cols_with_weight);
    for (auto& d : located.details) {
      if (d.column == "#0" && weight_col) d.column = t->csv.header[*weight_col];
    }
    return Fail(o.common, located);
  }
  const auto criteria = ColumnNames(*t, *cols);
  Json out;
  out["method"] = "mpi";
  out["file"] = t->path;
  out["criteria"] = Array(criteria);
  out["weights"] = Array(r->weights);
  out["k"] = o.k;
  out["H"] = r->H;
  out["A"] = r->A;
  out["M0"] = r->M0;
  out["censored_headcounts"] = Array(r->censored_headcounts);
  out["uncensored_headcounts"] = Array(r->uncensored_headcounts);
  out["contributions"] = Array(r->contributions);
  out["name"] = Array(t->RowNames());
  out["score"] = Array(r->scores);
  Json poor = Json::array();
  for (bool p : r->poor) poor.push_back(p);
  out["poor"] = poor;
  if (group_col) {
    Json groups;
    groups["name"] = Array(group_names);
    Json share = Json::array(), h = Json::array(), a = Json::array(), m0 = Json::array(),
         c = Json::array();
    for (const auto& gr : r->groups) {
      share.push_back(gr.population_share);
      h.push_back(gr.H);
      a.push_back(gr.A);
      m0.push_back(gr.M0);
      c.push_back(gr.contribution);
    }
    groups["population_share"] = share;
    groups["H"] = h;
    groups["A"] = a;
    groups["M0"] = m0;
    groups["contribution"] = c;
    out["groups"] = groups;
  }
  Json conventions;
  conventions["index"] = "Alkire-Foster adjusted headcount ratio M0 = H x A";
  conventions["deprivations"] = "0/1 per indicator";
  conventions["weights"] = o.weights.empty() ? "equal, sum 1" : "given, normalized to sum 1";
  conventions["k"] =
      "poor when the weighted deprivation score c_i >= k (tolerance 1e-9), k in (0, 1]";
  conventions["censored_headcounts"] = "share of people poor and deprived in the indicator";
  conventions["contributions"] = "w_j h_j / M0";
  conventions["sampling_weights"] = weight_col ? "column " + o.weight_col : "none (1 per row)";
  out["conventions"] = conventions;
  return Emit(o.common, out, [&] {
    fmt::print("H = {:.4f}  A = {:.4f}  M0 = {:.4f}  (k = {:.4g})\n", r->H, r->A, r->M0, o.k);
    std::vector<std::vector<std::string>> rows;
    for (size_t j = 0; j < criteria.size(); ++j) {
      const auto k = static_cast<Eigen::Index>(j);
      rows.push_back({criteria[j], Fmt(r->weights[k]), Fmt(r->uncensored_headcounts[k]),
                      Fmt(r->censored_headcounts[k]),
                      fmt::format("{:.1f}%", 100 * r->contributions[k])});
    }
    PrintTable({L("indicator", "指标"), L("weight", "权重"), L("uncensored", "未删减发生率"),
                L("censored", "删减发生率"), L("contribution", "贡献率")},
               rows);
    if (group_col) {
      fmt::print("\n");
      std::vector<std::vector<std::string>> grows;
      for (size_t k = 0; k < group_names.size(); ++k) {
        const auto& gr = r->groups[k];
        grows.push_back({group_names[k], Fmt(gr.population_share), Fmt(gr.H), Fmt(gr.A), Fmt(gr.M0),
                         fmt::format("{:.1f}%", 100 * gr.contribution)});
      }
      PrintTable({L("group", "分组"), L("pop. share", "人口比重"), "H", "A", "M0",
                  L("contribution", "贡献率")},
                 grows);
    }
    PrintConventions(conventions);
  });
}

// ---------------------------------------------------------------------------------------------
// alpha, kmo

struct ScaleCliOptions {
  CommonOptions common;
  std::string method;  // alpha, kmo
  std::vector<std::string> columns;
};

int RunScale(const ScaleCliOptions& o) {
  auto t = SingleTable(o.common);
  if (!t) return Fail(o.common, t.error());
  auto cols = DataColumns(*t, o.columns, "--columns");
  if (!cols) return Fail(o.common, cols.error());
  auto x = NumericMatrix(*t, *cols, false);
  if (!x) return Fail(o.common, x.error());
  const auto items = ColumnNames(*t, *cols);
  Json out;
  out["method"] = o.method;
  out["file"] = t->path;
  out["criteria"] = Array(items);
  out["respondents"] = x->rows();
  Json conventions;
  if (o.method == "alpha") {
    auto r = methods::CronbachAlpha(*x);
    if (!r) return Fail(o.common, Locate(r.error(), *t, *cols));
    out["alpha"] = r->alpha;
    out["standardized_alpha"] = r->standardized_alpha;
    out["item_total_correlation"] = Array(r->item_total_correlation);
    out["alpha_if_deleted"] = Array(r->alpha_if_deleted);
    conventions["alpha"] = "k/(k-1) (1 - sum item variances / variance of the total)";
    conventions["standardized_alpha"] =
        "k r / (1 + (k-1) r), r = mean inter-item Pearson correlation";
    conventions["item_total_correlation"] = "corrected: item vs. the sum of the other items";
    out["conventions"] = conventions;
    return Emit(o.common, out, [&] {
      fmt::print("Cronbach's alpha = {:.4f}  {} = {:.4f}\n", r->alpha,
                 L("standardized alpha", "标准化 α"), r->standardized_alpha);
      std::vector<std::vector<std::string>> rows;
      for (size_t j = 0; j < items.size(); ++j) {
        const auto k = static_cast<Eigen::Index>(j);
        rows.push_back({items[j], Fmt(r->item_total_correlation[k]), Fmt(r->alpha_if_deleted[k])});
      }
      PrintTable({L("item", "题项"), L("corrected item-total r", "校正项总计相关"),
                  L("alpha if deleted", "删除该项后的 α")},
                 rows);
      PrintConventions(conventions);
    });
  }
  auto r = methods::KmoBartlett(*x);
  if (!r) return Fail(o.common, Locate(r.error(), *t, *cols));
  out["kmo"] = r->kmo;
  out["msa"] = Array(r->msa);
  out["bartlett"] = {{"chi2", r->chi2}, {"df", r->df}, {"p", r->p}};
  conventions["kmo"] =
      "sum r_ij^2 / (sum r_ij^2 + sum p_ij^2), i != j; p = partial correlations from the inverse "
      "correlation matrix";
  conventions["bartlett"] =
      "chi2 = -(n - 1 - (2p + 5)/6) ln|R|, df = p(p-1)/2, p-value = upper tail of chi2(df)";
  out["conventions"] = conventions;
  return Emit(o.common, out, [&] {
    fmt::print("KMO = {:.4f}  Bartlett chi2 = {:.4f}, df = {}, p = {:.4g}\n", r->kmo, r->chi2,
               r->df, r->p);
    std::vector<std::vector<std::string>> rows;
    for (size_t j = 0; j < items.size(); ++j)
      rows.push_back({items[j], Fmt(r->msa[static_cast<Eigen::Index>(j)])});
    PrintTable({L("item", "题项"), "MSA"}, rows);
    PrintConventions(conventions);
  });
}

// A method subcommand: a one-line description for `fupin method --help`, the full text (the
// words of docs/methods.md) for `fupin method NAME --help`.
CLI::App* AddMethod(CLI::App* parent, const std::string& name, const std::string& help) {
  static const std::map<std::string, std::string> kShort = {
      {"ahp",
       "AHP weights and consistency (CR) from pairwise judgment matrices; several files = group "
       "AHP"},
      {"entropy", "entropy weights from data"},
      {"critic", "CRITIC weights from data"},
      {"cv", "coefficient-of-variation weights from data"},
      {"combine", "combine subjective and objective weights"},
      {"topsis", "TOPSIS closeness to the ideal solution and rank"},
      {"grey", "grey relational grades and rank"},
      {"fuzzy", "fuzzy comprehensive evaluation (membership matrix or survey responses)"},
      {"dea", "data envelopment analysis: efficiency, slacks, peers, scale, super-efficiency"},
      {"malmquist", "Malmquist productivity index over panel data"},
      {"mpi", "Alkire-Foster multidimensional poverty index (H, A, M0)"},
      {"alpha", "Cronbach's alpha of survey items"},
      {"kmo", "KMO and Bartlett's test of survey items"},
  };
  auto it = kShort.find(name);
  auto* sub = parent->add_subcommand(name, it != kShort.end() ? it->second : help);
  sub->footer(help);
  return sub;
}

}  // namespace

void AddMethodCommand(CLI::App& root, CommandContext& ctx) {
  auto* method = root.add_subcommand(
      "method",
      "Evaluation methods on a CSV file: ahp, entropy, critic, cv, combine, topsis, grey, fuzzy, "
      "dea, malmquist, mpi, alpha, kmo. Input: UTF-8 or GB18030 CSV (BOM tolerated), header row "
      "of names, a first column of non-numeric labels taken as row names. --json prints one JSON "
      "object; bad input exits with code 2 naming the file, row, column and reason. "
      "See docs/methods.md.");
  method->require_subcommand(1);

  {
    auto opts = std::make_shared<AhpCliOptions>();
    auto* sub = AddMethod(
        method, "ahp",
        "AHP weights from a pairwise judgment matrix (square; header = criteria; first column = "
        "the same criteria as labels; cells may be fractions like 1/3; an empty cell is a missing "
        "judgment: where only one of a_ij, a_ji is given the other is its reciprocal). Weights by "
        "principal eigenvector (default), row geometric mean or column-normalized arithmetic "
        "mean; lambda_max, CI = (lambda_max - n)/(n - 1), CR = CI/RI(n) with the chosen "
        "random-index table, consistent when CR < 0.1. Missing judgments are completed by the "
        "lambda_max-minimizing method of Bozoki, Fulop & Ronyai (2010). When CR >= 0.1 the "
        "judgments whose change would reduce CR most are named with the value that would make "
        "each consistent with the rest. Several FILEs = group AHP.");
    AddFiles(sub, opts->common, /*several=*/true);
    sub->add_option("--weights-method", opts->weights_method,
                    "eigen (default) | geometric | arithmetic")
        ->check(CLI::IsMember({"eigen", "geometric", "arithmetic"}));
    sub->add_option("--ri", opts->ri,
                    "random-index table: saaty1980 (default) | saaty2005 | donegan-dodd")
        ->check(CLI::IsMember({"saaty1980", "saaty2005", "donegan-dodd"}));
    sub->add_option("--aggregate", opts->aggregate,
                    "group AHP: aij (weighted geometric mean of judgments, default) | "
                    "aip-geometric | aip-arithmetic (of priority vectors)")
        ->check(CLI::IsMember({"aij", "aip-geometric", "aip-arithmetic"}));
    sub->add_option("--expert-weights", opts->expert_weights,
                    "group AHP: one weight per FILE, e.g. 0.5,0.3,0.2 (default equal)")
        ->delimiter(',');
    sub->add_option("--max-cr", opts->max_cr,
                    "group AHP: exclude experts whose CR exceeds this (reported)");
    Register<AhpCliOptions>(sub, ctx, opts, &RunAhp);
  }
  for (const char* name : {"entropy", "critic", "cv"}) {
    auto opts = std::make_shared<WeightsCliOptions>();
    opts->method = name;
    const std::string n = name;
    const char* help =
        n == "entropy"
            ? "Entropy weights: data min-max normalized first (default; cost columns reversed) "
              "or raw (--normalize none); p_ij = z_ij / sum_i z_ij, e_j = -(1/ln m) sum p ln p, "
              "w_j = (1 - e_j) / sum (1 - e). Zero handling: ignore (0 ln 0 = 0, default) or "
              "shift (columns holding a value <= 0 shifted by |min| + 0.01)."
        : n == "critic"
            ? "CRITIC weights (Diakoulaki et al. 1995): min-max normalization with cost columns "
              "reversed, C_j = sigma_j sum_k (1 - r_jk) with the sample standard deviation and "
              "Pearson correlation, w = C / sum C."
            : "Coefficient-of-variation weights on the raw data: v_j = sigma_j / |mean_j| "
              "(sample standard deviation), w = v / sum v.";
    auto* sub = AddMethod(method, name, help);
    AddFiles(sub, opts->common);
    sub->add_option("--columns", opts->columns, "criteria columns (default: all numeric)")
        ->delimiter(',');
    if (n != "cv") {
      sub->add_option("--cost", opts->cost, "cost (smaller is better) columns, e.g. c1,c3")
          ->delimiter(',');
    }
    if (n == "entropy") {
      sub->add_option("--normalize", opts->normalize, "minmax (default) | none")
          ->check(CLI::IsMember({"minmax", "none"}));
      sub->add_option("--zero", opts->zero, "ignore (default) | shift")
          ->check(CLI::IsMember({"ignore", "shift"}));
    }
    Register<WeightsCliOptions>(sub, ctx, opts, &RunWeights);
  }
  {
    auto opts = std::make_shared<CombineCliOptions>();
    auto* sub = AddMethod(
        method, "combine",
        "Combined weighting of subjective and objective weights (each normalized to sum 1): "
        "linear w = alpha s + (1 - alpha) o (--alpha, default 0.5) or multiplicative "
        "w_j = s_j o_j / sum s_k o_k (--multiplicative).");
    sub->add_option("--subjective", opts->subjective, "subjective weights, e.g. 0.5,0.3,0.2")
        ->delimiter(',')
        ->required();
    sub->add_option("--objective", opts->objective, "objective weights, e.g. 0.2,0.2,0.6")
        ->delimiter(',')
        ->required();
    auto* alpha =
        sub->add_option("--alpha", opts->alpha, "linear coefficient in [0, 1] (default 0.5)");
    sub->add_flag("--multiplicative", opts->multiplicative, "multiplicative combination")
        ->excludes(alpha);
    sub->add_option("--criteria", opts->criteria, "names of the criteria, e.g. a,b,c")
        ->delimiter(',');
    Register<CombineCliOptions>(sub, ctx, opts, &RunCombine);
  }
  for (const char* name : {"topsis", "grey"}) {
    auto opts = std::make_shared<RankCliOptions>();
    opts->method = name;
    const bool topsis = std::string(name) == "topsis";
    opts->normalize = topsis ? "vector" : "minmax";
    auto* sub = AddMethod(
        method, name,
        topsis ? "TOPSIS: vector (default) or min-max normalization, benefit/cost criteria, "
                 "weights; distances D+ and D- to the ideal and anti-ideal solutions, closeness "
                 "D- / (D+ + D-), rank with ties sharing the best rank (1, 1, 3). Constant "
                 "columns are handled without NaN."
               : "Grey relational analysis: preprocessing minmax (default) | initial | mean, "
                 "reference sequence = ideal values (max for benefit, min for cost), "
                 "coefficients (Dmin + rho Dmax)/(D_ij + rho Dmax) with global Dmin/Dmax, "
                 "rho = 0.5 by default; grades = weighted mean of coefficients (equal or given "
                 "weights) and rank.");
    AddFiles(sub, opts->common);
    sub->add_option("--columns", opts->columns, "criteria columns (default: all numeric)")
        ->delimiter(',');
    sub->add_option("--cost", opts->cost, "cost (smaller is better) columns, e.g. c1,c3")
        ->delimiter(',');
    sub->add_option("--weights", opts->weights, "weights in column order, e.g. 0.2,0.3,0.5")
        ->delimiter(',');
    if (topsis) {
      sub->add_option("--normalize", opts->normalize, "vector (default) | minmax")
          ->check(CLI::IsMember({"vector", "minmax"}));
    } else {
      sub->add_option("--normalize", opts->normalize, "minmax (default) | initial | mean")
          ->check(CLI::IsMember({"minmax", "initial", "mean"}));
      sub->add_option("--rho", opts->rho, "distinguishing coefficient in (0, 1] (default 0.5)");
    }
    Register<RankCliOptions>(sub, ctx, opts, &RunRank);
  }
  {
    auto opts = std::make_shared<FuzzyCliOptions>();
    auto* sub = AddMethod(
        method, "fuzzy",
        "Fuzzy comprehensive evaluation B = A o R. FILE is the membership matrix (rows = "
        "criteria, columns = grades) or, with --from-responses, raw survey responses (rows = "
        "respondents, columns = questions, cells = grade 1..G or one of --grade-labels, empty = "
        "no answer; r_qg = share "
        "of respondents choosing grade g). Operators: weighted-average M(.,+) (default), "
        "min-max M(^,v), product-max M(.,v), min-bounded-sum M(^,+). Result: b, b_normalized, "
        "the grade by maximum membership (flagged ambiguous when the top two are within the tie "
        "tolerance) and the score sum b_normalized_j x grade score_j. --group COL evaluates two "
        "levels.");
    AddFiles(sub, opts->common);
    sub->add_option("--weights", opts->weights,
                    "criteria weights in row order (questions: column order), normalized to sum 1")
        ->delimiter(',');
    sub->add_option("--weight-col", opts->weight_col, "column holding each row's weight");
    sub->add_option("--operator", opts->op,
                    "weighted-average (default) | min-max | product-max | min-bounded-sum")
        ->check(CLI::IsMember({"weighted-average", "min-max", "product-max", "min-bounded-sum"}));
    sub->add_option("--grade-scores", opts->grade_scores, "score of each grade, e.g. 100,80,60,40")
        ->delimiter(',');
    sub->add_flag("--from-responses", opts->from_responses,
                  "FILE holds raw responses (grade numbers 1..G)");
    sub->add_option("--grade-labels", opts->grade_labels,
                    "--from-responses: the answers naming each grade, grade 1 first, e.g. "
                    "很满意,满意,一般,不满意,很不满意")
        ->delimiter(',');
    sub->add_option("--grades", opts->grades,
                    "number of grades G for --from-responses (default: count of --grade-scores)");
    sub->add_option("--group", opts->group,
                    "column naming each row's parent criterion: two-level evaluation");
    sub->add_option("--group-weights", opts->group_weights,
                    "weights of the groups in order of first appearance (default equal)")
        ->delimiter(',');
    sub->add_option("--tie-tolerance", opts->tie_tolerance,
                    "top two normalized memberships closer than this are ambiguous (default 0.01)");
    Register<FuzzyCliOptions>(sub, ctx, opts, &RunFuzzy);
  }
  for (const char* name : {"dea", "malmquist"}) {
    auto opts = std::make_shared<DeaCliOptions>();
    const bool dea = std::string(name) == "dea";
    if (!dea) opts->orientation = "output";
    auto* sub = AddMethod(
        method, name,
        dea ? "DEA envelopment models: CCR (--rts crs, default), BCC (vrs) or nirs; input "
              "(default) or output orientation (phi >= 1 and efficiency 1/phi); second-stage "
              "max-slack; peers with lambda; classification efficient / weakly efficient (score "
              "1 with non-zero slacks) / inefficient; scale efficiency TE_crs/TE_vrs with "
              "irs/crs/drs; --super adds Andersen-Petersen super-efficiency (null and feasible = "
              "false when infeasible). Data must be non-negative; each column is rescaled by its "
              "mean before solving."
            : "Malmquist productivity index (Fare et al. 1994) over panel data: per DMU and "
              "consecutive period pair effch, techch, pech, sech, tfpch (> 1 = improvement, "
              "DEAP convention) and geometric means per pair; output orientation by default. "
              "The panel must be balanced.");
    AddFiles(sub, opts->common);
    sub->add_option("--inputs", opts->inputs, "input columns, e.g. x1,x2")->delimiter(',');
    sub->add_option("--outputs", opts->outputs, "output columns, e.g. y1")->delimiter(',');
    sub->add_option("--orientation", opts->orientation,
                    dea ? "input (default) | output" : "output (default) | input")
        ->check(CLI::IsMember({"input", "output"}));
    if (dea) {
      sub->add_option("--rts", opts->rts, "returns to scale: crs (default) | vrs | nirs")
          ->check(CLI::IsMember({"crs", "vrs", "nirs"}));
      sub->add_flag("--super", opts->super, "Andersen-Petersen super-efficiency");
      Register<DeaCliOptions>(sub, ctx, opts, &RunDea);
    } else {
      sub->add_option("--dmu", opts->dmu, "column naming the DMU");
      sub->add_option("--period", opts->period, "column naming the period");
      Register<DeaCliOptions>(sub, ctx, opts, &RunMalmquist);
    }
  }
  {
    auto opts = std::make_shared<MpiCliOptions>();
    auto* sub = AddMethod(
        method, "mpi",
        "Alkire-Foster multidimensional poverty index: rows = people, columns = indicators of "
        "deprivation (0/1); weighted deprivation score c_i, poor when c_i >= k (inclusive, "
        "tolerance 1e-9); H = share poor, A = mean score of the poor, M0 = H x A; censored and "
        "uncensored headcounts, contributions w_j h_j / M0; breakdown by --group; sampling "
        "weights from --weight-col.");
    AddFiles(sub, opts->common);
    sub->add_option("--columns", opts->columns, "indicator columns (default: all numeric)")
        ->delimiter(',');
    sub->add_option("--weights", opts->weights, "indicator weights in column order (default equal)")
        ->delimiter(',');
    sub->add_option("--k", opts->k, "poverty cutoff in (0, 1] (default 1/3)");
    sub->add_option("--group", opts->group, "column to break M0 down by");
    sub->add_option("--weight-col", opts->weight_col, "column of sampling weights per row");
    Register<MpiCliOptions>(sub, ctx, opts, &RunMpi);
  }
  for (const char* name : {"alpha", "kmo"}) {
    auto opts = std::make_shared<ScaleCliOptions>();
    opts->method = name;
    const bool alpha = std::string(name) == "alpha";
    auto* sub =
        AddMethod(method, name,
                  alpha ? "Cronbach's alpha and standardized alpha of survey items (rows = "
                          "respondents, columns = items), corrected item-total correlations and "
                          "alpha if item deleted."
                        : "Kaiser-Meyer-Olkin measure of sampling adequacy (overall and per item, "
                          "from partial correlations) and Bartlett's test of sphericity (chi2, df, "
                          "p).");
    AddFiles(sub, opts->common);
    sub->add_option("--columns", opts->columns, "item columns (default: all numeric)")
        ->delimiter(',');
    Register<ScaleCliOptions>(sub, ctx, opts, &RunScale);
  }
}

}  // namespace fupin::cli
