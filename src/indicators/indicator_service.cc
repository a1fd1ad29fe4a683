#include "indicators/indicator_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <tuple>

#include "access/permissions.h"
#include "base/text.h"

namespace fupin::indicators {
namespace {

using NodeValues = std::vector<std::optional<double>>;

// Values of indicators at every node of a cube for one period, each computed once.
class Evaluator {
 public:
  Evaluator(const Catalogue& catalogue, const RegistryCube& cube,
            const RegistryCube::Totals& totals,
            std::span<const std::shared_ptr<const MeasureTable>> external = {})
      : catalogue_(catalogue),
        cube_(cube),
        totals_(totals),
        external_(external),
        year_(std::to_string(LastCompleteYear(totals.period))) {}

  const NodeValues& At(const Indicator& indicator) {
    auto it = memo_.find(indicator.code);
    if (it != memo_.end()) return it->second;
    NodeValues values = Compute(indicator);
    return memo_.emplace(indicator.code, std::move(values)).first->second;
  }

  const NodeValues& At(std::string_view code) { return At(*catalogue_.Find(code)); }

 private:
  NodeValues Compute(const Indicator& indicator) {
    const size_t n = cube_.nodes().size();
    NodeValues out(n);
    if (indicator.formula) {
      const NodeValues& num = At(indicator.formula->numerator);
      const NodeValues& den = At(indicator.formula->denominator);
      for (size_t i = 0; i < n; ++i) {
        if (num[i] && den[i] && *den[i] != 0) {
          out[i] = *num[i] / *den[i] * indicator.formula->factor;
        }
      }
      return out;
    }
    if (indicator.source == Source::kComputed || indicator.source == Source::kSurveyed) {
      auto measure = RegistryCube::MeasureOf(indicator.code);
      if (!measure) {
        for (const auto& table : external_) {
          auto it = table->find(indicator.code);
          if (it != table->end() && it->second.size() == n) return it->second;
        }
        return out;
      }
      if (!totals_.available[*measure]) return out;
      for (size_t i = 0; i < n; ++i) out[i] = totals_.Get(static_cast<int32_t>(i), *measure);
      return out;
    }
    return RollUpEntered(indicator);
  }

  // A region's own entered value, else the roll-up of its children that have one (a sum, or
  // a mean weighted by the weight indicator's values at those children).
  NodeValues RollUpEntered(const Indicator& indicator) {
    const auto& nodes = cube_.nodes();
    const size_t n = nodes.size();
    NodeValues own(n);
    for (const auto& [node, value] : cube_.Entered(indicator.code, year_)) {
      own[static_cast<size_t>(node)] = value;
    }
    const bool weighted = indicator.aggregation == Aggregation::kMeanWeighted;
    const NodeValues* weight = weighted ? &At(indicator.weight) : nullptr;
    std::vector<double> sum(n, 0), weights(n, 0);
    std::vector<bool> any(n, false);
    NodeValues out(n);
    // Children have larger codes than their parents: a reverse pass finishes every child
    // before its parent.
    for (size_t i = n; i-- > 0;) {
      if (own[i]) {
        out[i] = own[i];
      } else if (any[i]) {
        out[i] = weighted
                     ? (weights[i] != 0 ? std::optional<double>(sum[i] / weights[i]) : std::nullopt)
                     : std::optional<double>(sum[i]);
      }
      const int32_t parent = nodes[i].parent;
      if (parent < 0 || !out[i]) continue;
      const auto p = static_cast<size_t>(parent);
      if (weighted) {
        if (!(*weight)[i]) continue;
        sum[p] += *out[i] * *(*weight)[i];
        weights[p] += *(*weight)[i];
      } else {
        sum[p] += *out[i];
      }
      any[p] = true;
    }
    return out;
  }

  const Catalogue& catalogue_;
  const RegistryCube& cube_;
  const RegistryCube::Totals& totals_;
  const std::span<const std::shared_ptr<const MeasureTable>> external_;
  const std::string year_;
  std::map<std::string, NodeValues, std::less<>> memo_;
};

bool OpenOn(const RegistryCube::Node& node, const Date& day) {
  return !node.closed_on || *node.closed_on > day;
}

// Parses a number as people write it in statistics tables: optional sign, digits with an
// optional fraction, thousands optionally separated by commas (1,234,567.5).
std::optional<double> ParseNumber(std::string_view text) {
  std::string plain(text);
  if (text.find(',') != std::string_view::npos) {
    // Commas only as thousands separators: 1–3 digits, then groups of exactly three.
    const size_t sign = (text.starts_with('-') || text.starts_with('+')) ? 1 : 0;
    const size_t point = std::min(text.find('.'), text.size());
    if (text.substr(point).find(',') != std::string_view::npos) return std::nullopt;
    const std::vector<std::string> groups = Split(text.substr(sign, point - sign), ',');
    if (groups.size() < 2 || groups[0].empty() || groups[0].size() > 3) return std::nullopt;
    for (size_t g = 0; g < groups.size(); ++g) {
      if (!IsAsciiDigits(groups[g]) || (g > 0 && groups[g].size() != 3)) return std::nullopt;
    }
    plain.erase(std::remove(plain.begin(), plain.end(), ','), plain.end());
  }
  std::string_view digits = plain;
  if (digits.starts_with('+')) digits.remove_prefix(1);
  double value = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size() ||
      !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::vector<std::vector<std::optional<double>>> EvaluateAll(
    const Catalogue& catalogue, const RegistryCube& cube, const RegistryCube::Totals& totals,
    std::span<const Indicator* const> indicators,
    std::span<const std::shared_ptr<const MeasureTable>> external) {
  Evaluator evaluator(catalogue, cube, totals, external);
  std::vector<std::vector<std::optional<double>>> out;
  out.reserve(indicators.size());
  for (const Indicator* i : indicators) out.push_back(evaluator.At(*i));
  return out;
}

IndicatorService::IndicatorService(Catalogue& catalogue, IndicatorRepository& repository,
                                   regions::RegionRepository& regions, IncomeThresholds thresholds,
                                   const Clock& clock, size_t max_patched)
    : catalogue_(catalogue),
      repository_(repository),
      regions_(regions),
      thresholds_(std::move(thresholds)),
      clock_(clock),
      max_patched_(max_patched) {}

Status IndicatorService::Refresh() {
  auto stamp = repository_.Changes();
  if (!stamp) return std::unexpected(stamp.error());
  if (stamp->catalogue == catalogue_generation_) return {};
  std::lock_guard declaring(declare_mutex_);
  return RefreshLocked(stamp->catalogue);
}

Status IndicatorService::RefreshLocked(int64_t generation) {
  if (generation == catalogue_generation_) return {};
  auto stored = repository_.Declarations();
  if (!stored) return std::unexpected(stored.error());
  std::vector<Indicator> set;
  for (const Declaration& d : *stored) set.push_back(d.indicator);
  // Leave out what does not fit any more, one round of problems at a time.
  std::vector<std::string> skipped;
  for (;;) {
    Status checked = catalogue_.CheckDeclared(set);
    if (checked) break;
    std::set<size_t> drop;
    for (const ErrorDetail& d : checked.error().details) {
      if (d.row > 0) drop.insert(static_cast<size_t>(d.row - 1));
    }
    if (drop.empty()) {  // a cycle: every member named in the detail's value
      const ErrorDetail* cycle =
          checked.error().details.empty() ? nullptr : &checked.error().details[0];
      const std::vector<std::string> names =
          cycle ? Split(cycle->value, ',') : std::vector<std::string>{};
      for (size_t i = 0; i < set.size(); ++i) {
        if (std::any_of(names.begin(), names.end(),
                        [&](const std::string& n) { return Trim(n) == set[i].code; })) {
          drop.insert(i);
        }
      }
      if (drop.empty()) return std::unexpected(checked.error());
    }
    for (auto it = drop.rbegin(); it != drop.rend(); ++it) {
      skipped.push_back(set[*it].code);
      set.erase(set.begin() + static_cast<std::ptrdiff_t>(*it));
    }
  }
  FUPIN_TRY(catalogue_.SetDeclared(std::move(set)));
  {
    std::lock_guard lock(declarations_mutex_);
    declarations_.clear();
    for (Declaration& d : *stored) {
      if (catalogue_.Find(d.indicator.code) == nullptr || catalogue_.IsBuiltIn(d.indicator.code)) {
        continue;
      }
      std::string code = d.indicator.code;
      declarations_.emplace(std::move(code), std::move(d));
    }
    skipped_ = std::move(skipped);
  }
  catalogue_generation_ = generation;
  return {};
}

std::vector<std::string> IndicatorService::Skipped() const {
  std::lock_guard lock(declarations_mutex_);
  return skipped_;
}

std::optional<Declaration> IndicatorService::DeclarationOf(std::string_view code) const {
  std::lock_guard lock(declarations_mutex_);
  auto it = declarations_.find(code);
  return it == declarations_.end() ? std::nullopt : std::optional<Declaration>(it->second);
}

Status IndicatorService::CheckIn(std::span<const Indicator> set, size_t at) const {
  Status checked = catalogue_.CheckDeclared(set);
  if (checked) return {};
  Error error = checked.error();
  std::vector<ErrorDetail> own;
  for (ErrorDetail& d : error.details) {
    if (d.row == static_cast<int64_t>(at + 1) || d.row == 0) {
      d.row = 0;
      own.push_back(std::move(d));
    }
  }
  if (own.empty()) return {};  // only others' problems: not this declaration's to report
  if (error.message.starts_with("the declared indicators")) {
    error.message = fmt::format("indicator '{}' is not well defined", set[at].code);
  }
  error.details = std::move(own);
  return std::unexpected(std::move(error));
}

Result<Declaration> IndicatorService::Declare(Indicator indicator, const audit::Actor& actor) {
  indicator.module = std::string(kDeclaredModule);
  std::lock_guard declaring(declare_mutex_);
  auto stamp = repository_.Changes();
  if (!stamp) return std::unexpected(stamp.error());
  FUPIN_TRY(RefreshLocked(stamp->catalogue));
  if (catalogue_.IsBuiltIn(indicator.code)) {
    return AlreadyExists(fmt::format("'{}' is the code of a built-in indicator", indicator.code));
  }
  if (catalogue_.Find(indicator.code)) {
    return AlreadyExists(fmt::format("indicator '{}' is already declared", indicator.code));
  }
  std::vector<Indicator> set;
  for (const Indicator* d : catalogue_.Declared()) set.push_back(*d);
  set.push_back(indicator);
  FUPIN_TRY(CheckIn(set, set.size() - 1));
  auto saved = repository_.InsertDeclaration(indicator, actor);
  if (!saved) return saved;
  FUPIN_TRY(catalogue_.SetDeclared(std::move(set)));
  std::lock_guard lock(declarations_mutex_);
  declarations_.insert_or_assign(indicator.code, *saved);
  return saved;
}

Result<Declaration> IndicatorService::Redeclare(Indicator indicator, int64_t version,
                                                const audit::Actor& actor) {
  indicator.module = std::string(kDeclaredModule);
  std::lock_guard declaring(declare_mutex_);
  auto stamp = repository_.Changes();
  if (!stamp) return std::unexpected(stamp.error());
  FUPIN_TRY(RefreshLocked(stamp->catalogue));
  if (catalogue_.IsBuiltIn(indicator.code)) {
    return FailedPrecondition(fmt::format(
        "'{}' is a built-in indicator: it cannot be changed (declare a new one instead)",
        indicator.code));
  }
  std::vector<Indicator> set;
  size_t at = SIZE_MAX;
  for (const Indicator* d : catalogue_.Declared()) {
    if (d->code == indicator.code) {
      if (d->source != indicator.source) {
        return FailedPrecondition(fmt::format(
            "the source of '{}' is {}: it cannot change (declare a new indicator instead)",
            indicator.code, SourceName(d->source)));
      }
      at = set.size();
      set.push_back(indicator);
    } else {
      set.push_back(*d);
    }
  }
  if (at == SIZE_MAX) {
    return NotFound(fmt::format("no declared indicator with code '{}'", indicator.code));
  }
  FUPIN_TRY(CheckIn(set, at));
  auto saved = repository_.UpdateDeclaration(indicator, version, actor);
  if (!saved) return saved;
  FUPIN_TRY(catalogue_.SetDeclared(std::move(set)));
  std::lock_guard lock(declarations_mutex_);
  declarations_.insert_or_assign(indicator.code, *saved);
  return saved;
}

Status IndicatorService::Withdraw(std::string_view code, int64_t version,
                                  const audit::Actor& actor) {
  std::lock_guard declaring(declare_mutex_);
  auto stamp = repository_.Changes();
  if (!stamp) return std::unexpected(stamp.error());
  FUPIN_TRY(RefreshLocked(stamp->catalogue));
  if (catalogue_.IsBuiltIn(code)) {
    return FailedPrecondition(
        fmt::format("'{}' is a built-in indicator: it cannot be removed", code));
  }
  std::vector<Indicator> set;
  std::vector<std::string> uses;
  bool found = false;
  for (const Indicator* d : catalogue_.Declared()) {
    if (d->code == code) {
      found = true;
      continue;
    }
    set.push_back(*d);
    if (d->formula && (d->formula->numerator == code || d->formula->denominator == code)) {
      uses.push_back(fmt::format("the formula of indicator {}", d->code));
    }
    if (d->weight == code) uses.push_back(fmt::format("the weight of indicator {}", d->code));
  }
  if (!found) return NotFound(fmt::format("no declared indicator with code '{}'", code));
  for (const UseFinder& finder : use_finders_) {
    auto more = finder(code);
    if (!more) return std::unexpected(more.error());
    uses.insert(uses.end(), more->begin(), more->end());
  }
  if (!uses.empty()) {
    std::string list;
    for (const std::string& u : uses) list += (list.empty() ? "" : "; ") + u;
    return FailedPrecondition(
        fmt::format("indicator '{}' is in use and cannot be removed: {}", code, list));
  }
  FUPIN_TRY(repository_.DeleteDeclaration(code, version, actor));
  FUPIN_TRY(catalogue_.SetDeclared(std::move(set)));
  std::lock_guard lock(declarations_mutex_);
  auto it = declarations_.find(code);
  if (it != declarations_.end()) declarations_.erase(it);
  return {};
}

Result<std::shared_ptr<const RegistryCube>> IndicatorService::Cube() {
  auto stamp = repository_.Changes();
  if (!stamp) return std::unexpected(stamp.error());
  if (stamp->catalogue != catalogue_generation_) {
    std::lock_guard declaring(declare_mutex_);
    FUPIN_TRY(RefreshLocked(stamp->catalogue));
  }
  std::shared_ptr<const RegistryCube> current;
  {
    std::lock_guard lock(mutex_);
    current = cube_;
  }
  if (current && current->stamp() == *stamp) return current;
  std::lock_guard loading(load_mutex_);
  {
    // Another thread may have loaded it while this one waited.
    std::lock_guard lock(mutex_);
    current = cube_;
  }
  if (current && current->stamp() == *stamp) return current;
  auto keep = [&](std::shared_ptr<const RegistryCube> cube) {
    std::lock_guard lock(mutex_);
    cube_ = cube;
    return cube;
  };
  // Patch the cube with what changed since its full load, unless the hierarchy changed or
  // so much changed that loading everything again costs about as much.
  if (current && current->stamp().regions == stamp->regions) {
    const size_t limit =
        max_patched_ > 0 ? max_patched_ : std::max<size_t>(1000, current->household_count() / 10);
    RegistryCube::PatchBuilder patch(current);
    const ChangeStamp since{current->base_generation(), current->stamp().regions,
                            current->stamp().statistics, current->stamp().catalogue};
    auto scan = repository_.ScanChanges(since, limit, patch);
    if (!scan) return std::unexpected(scan.error());
    if (*scan && (*scan)->stamp.regions == current->stamp().regions) {
      return keep(patch.Finish((*scan)->stamp, (*scan)->households, (*scan)->entered));
    }
  }
  RegistryCube::Builder builder;
  auto scanned = repository_.ScanFacts(builder);
  if (!scanned) return std::unexpected(scanned.error());
  return keep(builder.Finish(*scanned));
}

Result<ValueReport> IndicatorService::Values(const ValueQuery& query,
                                             const std::vector<std::string>& scope) {
  if (!regions::LevelOfCode(query.region)) {
    return InvalidArgument("region must be a 12-digit region code",
                           {{0, "region", query.region, "is not a region code"}});
  }
  FUPIN_TRY(Refresh());
  ValueReport report;
  report.period = query.period;
  std::vector<ErrorDetail> unknown;
  if (query.codes.empty()) {
    report.indicators = catalogue_.All();
  } else {
    for (const std::string& code : query.codes) {
      const Indicator* i = catalogue_.Find(code);
      if (!i) {
        unknown.push_back({0, "codes", code, "is not an indicator of the catalogue"});
      } else {
        report.indicators.push_back(i);
      }
    }
  }
  if (!unknown.empty()) {
    return InvalidArgument("unknown indicator codes (GET /api/v1/indicators lists them)",
                           std::move(unknown));
  }
  const bool in_scope = std::any_of(scope.begin(), scope.end(), [&](const std::string& s) {
    return access::InSubtree(s, query.region);
  });
  if (!in_scope) {
    return PermissionDenied(
        fmt::format("region {} is outside the regions you may read", query.region));
  }
  auto cube = Cube();
  if (!cube) return std::unexpected(cube.error());
  const RegistryCube& c = **cube;
  auto node = c.Find(query.region);
  if (!node) return NotFound(fmt::format("no region with code {}", query.region));

  auto totals = c.Compute(query.period, thresholds_);
  report.income_year = totals->income_year;
  report.income_threshold = totals->income_threshold;
  std::vector<int32_t> nodes = {*node};
  if (query.children) {
    for (int32_t child : c.Children(*node)) {
      if (OpenOn(c.nodes()[static_cast<size_t>(child)], query.period.last)) {
        nodes.push_back(child);
      }
    }
  }
  // Other sources' values, for the indicators that need them (directly or through a formula
  // or a weight).
  std::vector<std::shared_ptr<const MeasureTable>> external;
  for (MeasureSource* source : sources_) {
    std::function<bool(std::string_view)> needs = [&](std::string_view code) {
      if (source->Computes(code)) return true;
      const Indicator* i = catalogue_.Find(code);
      if (!i) return false;
      if (i->formula && (needs(i->formula->numerator) || needs(i->formula->denominator))) {
        return true;
      }
      return !i->weight.empty() && needs(i->weight);
    };
    if (std::none_of(report.indicators.begin(), report.indicators.end(),
                     [&](const Indicator* i) { return needs(i->code); })) {
      continue;
    }
    auto table = source->Compute(c, query.period);
    if (!table) return std::unexpected(table.error());
    external.push_back(std::move(*table));
  }
  Evaluator evaluator(catalogue_, c, *totals, external);
  report.values.reserve(nodes.size() * report.indicators.size());
  for (int32_t n : nodes) {
    const RegistryCube::Node& info = c.nodes()[static_cast<size_t>(n)];
    report.regions.push_back({info.code, info.name, info.level, info.closed_on});
    for (const Indicator* indicator : report.indicators) {
      Value v;
      v.indicator = indicator->code;
      v.region_code = info.code;
      v.period = query.period;
      v.value = evaluator.At(*indicator)[static_cast<size_t>(n)];
      if (indicator->formula) {
        v.numerator = evaluator.At(indicator->formula->numerator)[static_cast<size_t>(n)];
        v.denominator = evaluator.At(indicator->formula->denominator)[static_cast<size_t>(n)];
      }
      report.values.push_back(std::move(v));
    }
  }
  return report;
}

Result<StatisticsImportReport> IndicatorService::ImportStatistics(
    const std::vector<std::string>& header, const std::vector<tabular::Row>& rows, bool dry_run,
    const audit::Actor& actor, std::string_view source, const std::vector<std::string>& scope) {
  FUPIN_TRY(Refresh());
  auto column = [&](std::initializer_list<std::string_view> names) -> std::optional<size_t> {
    for (size_t i = 0; i < header.size(); ++i) {
      for (std::string_view name : names) {
        if (ToLowerAscii(Trim(header[i])) == name) return i;
      }
    }
    return std::nullopt;
  };
  const auto region_col = column({"region_code", "region", "code", "行政区划代码", "区划代码"});
  const auto year_col = column({"year", "年度", "年份"});
  const auto indicator_col = column({"indicator_code", "indicator", "指标代码", "指标"});
  const auto value_col = column({"value", "数值", "值"});
  {
    std::vector<ErrorDetail> missing;
    auto need = [&](const std::optional<size_t>& c, std::string_view names) {
      if (!c) missing.push_back({1, std::string(names), "", "this column is missing"});
    };
    need(region_col, "region_code / 行政区划代码");
    need(year_col, "year / 年度");
    need(indicator_col, "indicator_code / 指标代码");
    need(value_col, "value / 数值");
    if (!missing.empty()) {
      return InvalidArgument(
          "the file needs the columns region_code, year, indicator_code and value (or "
          "行政区划代码, 年度, 指标代码, 数值)",
          std::move(missing));
    }
  }
  if (rows.empty()) return InvalidArgument("the file has no data rows");

  const int this_year = ChinaDate(clock_.Now()).year;
  std::vector<ErrorDetail> problems;
  std::vector<EnteredValue> values;
  std::map<std::tuple<std::string, std::string, std::string>, int64_t> seen;  // → first row
  std::map<std::string, std::vector<std::pair<int64_t, size_t>>> rows_of_region;
  for (const tabular::Row& row : rows) {
    const std::string& region = row.cells[*region_col];
    const std::string& year = row.cells[*year_col];
    const std::string& code = row.cells[*indicator_col];
    const std::string& value_text = row.cells[*value_col];
    auto problem = [&](size_t col, const std::string& value, std::string reason) {
      problems.push_back({row.line, header[col], value, std::move(reason)});
    };
    bool ok = true;
    if (!regions::LevelOfCode(region)) {
      problem(*region_col, region, "is not a 12-digit region code");
      ok = false;
    } else if (!access::InAnySubtree(scope, region)) {
      problem(*region_col, region, "is outside the regions you may enter statistics for");
      ok = false;
    }
    int year_value = 0;
    if (year.size() != 4 || !IsAsciiDigits(year) || (year_value = std::stoi(year)) < 1980 ||
        year_value > this_year) {
      problem(*year_col, year, fmt::format("must be a year from 1980 to {}", this_year));
      ok = false;
    }
    const Indicator* indicator = catalogue_.Find(Trim(code));
    if (!indicator) {
      std::string entered;
      for (const Indicator* i : catalogue_.All()) {
        if (i->source == Source::kEntered) entered += (entered.empty() ? "" : ", ") + i->code;
      }
      problem(*indicator_col, code,
              fmt::format("is not an indicator code (entered indicators: {})", entered));
      ok = false;
    } else if (indicator->source != Source::kEntered) {
      problem(*indicator_col, code,
              fmt::format("is {}, not entered: fupin computes it", SourceName(indicator->source)));
      ok = false;
    }
    auto number = ParseNumber(Trim(value_text));
    if (!number) {
      problem(*value_col, value_text, "is not a number");
      ok = false;
    } else if (indicator && IsCountUnit(indicator->unit) &&
               (*number < 0 || *number != std::floor(*number))) {
      problem(*value_col, value_text,
              fmt::format("{} is a count: a whole number, 0 or more", indicator->code));
      ok = false;
    }
    if (!ok) continue;
    auto [it, fresh] = seen.emplace(std::tuple{indicator->code, region, year}, row.line);
    if (!fresh) {
      problem(*value_col, value_text,
              fmt::format("{} of {} for {} appears twice (first at row {})", indicator->code,
                          region, year, it->second));
      continue;
    }
    rows_of_region[region].emplace_back(row.line, values.size());
    values.push_back({indicator->code, region, year, *number, std::string(source), "", ""});
  }
  if (!rows_of_region.empty()) {
    std::vector<std::string> codes;
    for (const auto& [code, where] : rows_of_region) codes.push_back(code);
    auto found = regions_.FindMany(codes);
    if (!found) return std::unexpected(found.error());
    std::set<std::string> known;
    for (const regions::Region& r : *found) known.insert(r.code);
    for (const auto& [code, where] : rows_of_region) {
      if (known.contains(code)) continue;
      for (const auto& [line, index] : where) {
        problems.push_back({line, header[*region_col], code, "no region has this code"});
      }
    }
  }
  if (!problems.empty()) {
    std::stable_sort(problems.begin(), problems.end(),
                     [](const ErrorDetail& a, const ErrorDetail& b) { return a.row < b.row; });
    const size_t count = problems.size();
    return InvalidArgument(
        fmt::format("{} problem{} found; nothing was imported", count, count == 1 ? "" : "s"),
        std::move(problems));
  }

  StatisticsImportReport report;
  report.rows = static_cast<int64_t>(rows.size());
  report.dry_run = dry_run;
  if (!dry_run) {
    auto saved = repository_.SaveEnteredValues(values, actor, source);
    if (!saved) return std::unexpected(saved.error());
    report.counts = *saved;
    return report;
  }
  // A dry run tells what the import would do.
  std::map<std::pair<std::string, std::string>, std::map<std::string, double>> stored;
  for (const EnteredValue& v : values) {
    auto key = std::pair{v.indicator, v.period};
    if (stored.contains(key)) continue;
    auto existing = repository_.EnteredValues(v.indicator, "", v.period);
    if (!existing) return std::unexpected(existing.error());
    auto& by_region = stored[key];
    for (const EnteredValue& e : *existing) by_region[e.region_code] = e.value;
  }
  for (const EnteredValue& v : values) {
    const auto& by_region = stored[{v.indicator, v.period}];
    auto it = by_region.find(v.region_code);
    if (it == by_region.end()) {
      ++report.counts.inserted;
    } else if (it->second == v.value) {
      ++report.counts.unchanged;
    } else {
      ++report.counts.updated;
    }
  }
  return report;
}

Result<std::vector<EnteredRow>> IndicatorService::Entered(std::string_view indicator,
                                                          std::string_view region,
                                                          std::string_view year,
                                                          const std::vector<std::string>& scope) {
  FUPIN_TRY(Refresh());
  std::vector<ErrorDetail> problems;
  if (!indicator.empty()) {
    const Indicator* i = catalogue_.Find(indicator);
    if (!i) {
      problems.push_back({0, "indicator", std::string(indicator), "is not an indicator code"});
    } else if (i->source != Source::kEntered) {
      problems.push_back({0, "indicator", std::string(indicator),
                          fmt::format("is {}, not entered", SourceName(i->source))});
    }
  }
  if (!region.empty() && !regions::LevelOfCode(region)) {
    problems.push_back({0, "region", std::string(region), "is not a 12-digit region code"});
  }
  if (!year.empty() && (year.size() != 4 || !IsAsciiDigits(year))) {
    problems.push_back({0, "year", std::string(year), "is not a year YYYY"});
  }
  if (!problems.empty()) {
    return InvalidArgument("the query of entered statistics is not valid", std::move(problems));
  }
  std::vector<std::string> within;
  if (!region.empty()) {
    if (!access::InAnySubtree(scope, region)) {
      return PermissionDenied(fmt::format("region {} is outside the regions you may read", region));
    }
    within.emplace_back(region);
  } else {
    within = scope;
  }
  std::vector<EnteredValue> values;
  for (const std::string& w : within) {
    auto found = repository_.EnteredValues(indicator, w, year);
    if (!found) return std::unexpected(found.error());
    values.insert(values.end(), std::make_move_iterator(found->begin()),
                  std::make_move_iterator(found->end()));
  }
  std::sort(values.begin(), values.end(), [](const EnteredValue& a, const EnteredValue& b) {
    return std::tie(a.indicator, a.region_code, a.period) <
           std::tie(b.indicator, b.region_code, b.period);
  });
  values.erase(std::unique(values.begin(), values.end(),
                           [](const EnteredValue& a, const EnteredValue& b) {
                             return a.indicator == b.indicator && a.region_code == b.region_code &&
                                    a.period == b.period;
                           }),
               values.end());
  std::set<std::string> codes;
  for (const EnteredValue& v : values) codes.insert(v.region_code);
  std::map<std::string, std::string, std::less<>> names;
  if (!codes.empty()) {
    const std::vector<std::string> list(codes.begin(), codes.end());
    auto found = regions_.FindMany(list);
    if (!found) return std::unexpected(found.error());
    for (const regions::Region& r : *found) names[r.code] = r.name;
  }
  std::vector<EnteredRow> out;
  out.reserve(values.size());
  for (EnteredValue& v : values) {
    auto it = names.find(v.region_code);
    std::string name = it == names.end() ? std::string() : it->second;
    out.push_back({std::move(v), std::move(name)});
  }
  return out;
}

}  // namespace fupin::indicators
