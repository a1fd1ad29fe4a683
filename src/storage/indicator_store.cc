#include "storage/indicator_store.h"

#include <fmt/format.h>

#include <functional>
#include <iterator>
#include <map>
#include <set>

#include "indicators/registry_indicators.h"
#include "storage/audit_store.h"

namespace fupin::storage {
namespace {

using indicators::ChangeStamp;
using indicators::EnteredValue;

// Rows per multi-row INSERT.
constexpr size_t kChunk = 400;

std::string Now() { return FormatTimestampUtc(std::chrono::system_clock::now()); }

std::optional<Date> OptDate(const SqlRow& row, int c) {
  if (row.IsNull(c)) return std::nullopt;
  auto d = ParseDate(row.Text(c));
  return d ? std::optional<Date>(*d) : std::nullopt;
}

// Streams households and their facts on `conn`, which is inside a read transaction.
// `condition` limits the household id (its column written `{0}`; "" = every household) with
// `params` for its placeholders.
Status ScanHouseholds(SqlConnection& conn, indicators::FactSink& sink, std::string_view condition,
                      std::span<const SqlValue> params) {
  auto where = [&](std::string_view column, std::string_view joiner = " WHERE ") {
    return condition.empty() ? std::string()
                             : std::string(joiner) + fmt::format(fmt::runtime(condition), column);
  };
  FUPIN_TRY(
      conn.Run("SELECT id, region_code, main_cause FROM households" + where("id"), params,
               [&](const SqlRow& row) { sink.Household(row.Int(0), row.Text(1), row.Text(2)); }));
  FUPIN_TRY(conn.Run(
      "SELECT household_id, joined_on, left_on FROM members" + where("household_id"), params,
      [&](const SqlRow& row) { sink.Member(row.Int(0), OptDate(row, 1), OptDate(row, 2)); }));
  FUPIN_TRY(conn.Run(
      "SELECT household_id, id, status, on_date FROM household_events" + where("household_id"),
      params, [&](const SqlRow& row) {
        auto on = OptDate(row, 3);
        if (on) sink.StatusEvent(row.Int(0), row.Int(1), row.Text(2), *on);
      }));
  FUPIN_TRY(conn.Run(
      "SELECT household_id, year, wages + business + property + transfer - costs FROM incomes" +
          where("household_id"),
      params, [&](const SqlRow& row) {
        sink.Income(row.Int(0), static_cast<int>(row.Int(1)), row.Double(2));
      }));
  std::vector<SqlValue> item_params;
  for (std::string_view item : indicators::kCoverageItems) {
    item_params.emplace_back(std::string(item));
  }
  item_params.insert(item_params.end(), params.begin(), params.end());
  FUPIN_TRY(conn.Run(
      fmt::format(
          "SELECT household_id, item, met, verified_on FROM guarantees WHERE item IN ({}){}",
          Placeholders(std::size(indicators::kCoverageItems)), where("household_id", " AND ")),
      item_params, [&](const SqlRow& row) {
        sink.Guarantee(row.Int(0), row.Text(1), row.Int(2) != 0, OptDate(row, 3));
      }));
  return {};
}

// Every household and its facts. PostgreSQL (libpq) holds a whole result in memory, so there
// the households are read in ranges of ids: at province scale a single result of ten million
// incomes would take a gigabyte. SQLite steps through rows; one full scan per table is fastest.
Status ScanAllHouseholds(SqlConnection& conn, indicators::FactSink& sink) {
  if (conn.backend() == Backend::kSqlite) return ScanHouseholds(conn, sink, "", {});
  constexpr int64_t kIdsPerRange = 100000;
  int64_t low = 0, high = -1;
  FUPIN_TRY(conn.Run("SELECT min(id), max(id) FROM households", {}, [&](const SqlRow& row) {
    if (!row.IsNull(0)) {
      low = row.Int(0);
      high = row.Int(1);
    }
  }));
  for (int64_t from = low; from <= high; from += kIdsPerRange) {
    const SqlValue range[] = {from, from + kIdsPerRange};
    FUPIN_TRY(ScanHouseholds(conn, sink, "{0} >= ? AND {0} < ?", range));
  }
  return {};
}

Status ScanEntered(SqlConnection& conn, indicators::FactSink& sink) {
  FUPIN_TRY(conn.Run("SELECT indicator, region_code, period, value FROM indicator_values", {},
                     [&](const SqlRow& row) {
                       sink.Entered(row.Text(0), row.Text(1), row.Text(2), row.Double(3));
                     }));
  return {};
}

}  // namespace

Result<ChangeStamp> SqlIndicatorRepository::Changes() {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  return ReadChangeStamp(**conn);
}

Result<ChangeStamp> SqlIndicatorRepository::ScanFacts(indicators::FactSink& sink) {
  return InSnapshot<ChangeStamp>(pool_, [&](SqlConnection& conn) -> Result<ChangeStamp> {
    auto stamp = ReadChangeStamp(conn);
    if (!stamp) return stamp;
    FUPIN_TRY(conn.Run("SELECT code, name, closed_on FROM regions", {}, [&](const SqlRow& row) {
      sink.Region(row.Text(0), row.Text(1), OptDate(row, 2));
    }));
    FUPIN_TRY(ScanAllHouseholds(conn, sink));
    FUPIN_TRY(ScanEntered(conn, sink));
    return stamp;
  });
}

Result<std::optional<indicators::ChangeScan>> SqlIndicatorRepository::ScanChanges(
    const ChangeStamp& since, size_t max_households, indicators::FactSink& sink) {
  using Scan = std::optional<indicators::ChangeScan>;
  return InSnapshot<Scan>(pool_, [&](SqlConnection& conn) -> Result<Scan> {
    indicators::ChangeScan scan;
    int64_t pruned = 0;
    auto stamp = ReadChangeStamp(conn, &pruned);
    if (!stamp) return std::unexpected(stamp.error());
    scan.stamp = *stamp;
    if (since.registry < pruned) return Scan();
    if (scan.stamp.registry != since.registry) {
      const SqlValue params[] = {since.registry};
      FUPIN_TRY(conn.Run("SELECT DISTINCT household_id FROM registry_changes WHERE generation > ?",
                         params,
                         [&](const SqlRow& row) { scan.households.push_back(row.Int(0)); }));
      if (scan.households.size() > max_households) return Scan();
      const SqlValue generation[] = {since.registry};
      FUPIN_TRY(ScanHouseholds(
          conn, sink, "{0} IN (SELECT household_id FROM registry_changes WHERE generation > ?)",
          generation));
    }
    if (scan.stamp.statistics != since.statistics) {
      FUPIN_TRY(ScanEntered(conn, sink));
      scan.entered = true;
    }
    return Scan(std::move(scan));
  });
}

Result<std::vector<EnteredValue>> SqlIndicatorRepository::EnteredValues(std::string_view indicator,
                                                                        std::string_view within,
                                                                        std::string_view period) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  std::vector<SqlValue> params;
  std::string where = "1 = 1";
  if (!indicator.empty()) {
    where += " AND indicator = ?";
    params.emplace_back(std::string(indicator));
  }
  if (!within.empty()) {
    auto scope = ScopeCondition({std::string(within)}, "region_code", params);
    if (!scope) return std::unexpected(scope.error());
    where += " AND " + *scope;
  }
  if (!period.empty()) {
    where += " AND period = ?";
    params.emplace_back(std::string(period));
  }
  return QueryAll<EnteredValue>(
      **conn,
      fmt::format("SELECT indicator, region_code, period, value, note, entered_by, entered_at "
                  "FROM indicator_values WHERE {} ORDER BY indicator COLLATE \"C\", region_code "
                  "COLLATE \"C\", period COLLATE \"C\"",
                  where),
      params, [](const SqlRow& row) {
        return EnteredValue{row.Text(0), row.Text(1), row.Text(2), row.Double(3),
                            row.Text(4), row.Text(5), row.Text(6)};
      });
}

Result<indicators::SaveCounts> SqlIndicatorRepository::SaveEnteredValues(
    std::span<const EnteredValue> values, const audit::Actor& actor, std::string_view note) {
  return InTransaction<indicators::SaveCounts>(
      pool_, [&](SqlConnection& conn) -> Result<indicators::SaveCounts> {
        // What is stored now, per (indicator, period) of the batch.
        std::map<std::pair<std::string, std::string>, std::map<std::string, double>> stored;
        for (const EnteredValue& v : values) {
          auto key = std::pair{v.indicator, v.period};
          if (stored.contains(key)) continue;
          auto& by_region = stored[key];
          const SqlValue params[] = {v.indicator, v.period};
          FUPIN_TRY(conn.Run(
              "SELECT region_code, value FROM indicator_values WHERE indicator = ? AND period = ?",
              params, [&](const SqlRow& row) { by_region[row.Text(0)] = row.Double(1); }));
        }
        indicators::SaveCounts counts;
        std::vector<const EnteredValue*> writes;
        std::set<std::tuple<std::string, std::string, std::string>> seen;
        for (const EnteredValue& v : values) {
          if (!seen.emplace(v.indicator, v.region_code, v.period).second) {
            return InvalidArgument(
                fmt::format("{} of {} for {} appears twice", v.indicator, v.region_code, v.period));
          }
          auto& by_region = stored[{v.indicator, v.period}];
          auto it = by_region.find(v.region_code);
          if (it == by_region.end()) {
            ++counts.inserted;
          } else if (it->second == v.value) {
            ++counts.unchanged;
            continue;
          } else {
            ++counts.updated;
          }
          writes.push_back(&v);
        }
        const std::string now = Now();
        const std::string who = actor.name;
        for (size_t first = 0; first < writes.size(); first += kChunk) {
          const size_t n = std::min(kChunk, writes.size() - first);
          std::string rows;
          std::vector<SqlValue> params;
          params.reserve(n * 7);
          for (size_t i = 0; i < n; ++i) {
            const EnteredValue& v = *writes[first + i];
            rows += i == 0 ? "(?, ?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?, ?)";
            params.insert(params.end(),
                          {v.indicator, v.region_code, v.period, v.value, who, now, v.note});
          }
          FUPIN_TRY(conn.Run(
              fmt::format("INSERT INTO indicator_values (indicator, region_code, period, value, "
                          "entered_by, entered_at, note) VALUES {} ON CONFLICT (indicator, "
                          "region_code, period) DO UPDATE SET value = excluded.value, "
                          "entered_by = excluded.entered_by, entered_at = excluded.entered_at, "
                          "note = excluded.note",
                          rows),
              params, nullptr));
        }
        std::vector<std::string> regions;
        std::set<std::string> indicators_named, periods;
        for (const EnteredValue& v : values) {
          regions.push_back(v.region_code);
          indicators_named.insert(v.indicator);
          periods.insert(v.period);
        }
        auto join = [](const std::set<std::string>& items) {
          std::string out;
          for (const std::string& i : items) out += (out.empty() ? "" : ", ") + i;
          return out;
        };
        audit::Entry entry;
        entry.actor = actor;
        entry.action = "import";
        entry.entity = "indicator_value";
        entry.region_code = CoveringRegion(regions);
        entry.note =
            fmt::format("{}; {} inserted, {} updated, {} unchanged; indicators: {}; periods: {}",
                        note, counts.inserted, counts.updated, counts.unchanged,
                        join(indicators_named), join(periods));
        FUPIN_TRY(AppendAudit(conn, std::move(entry)));
        if (!writes.empty()) FUPIN_TRY(BumpChangeCounter(conn, "statistics"));
        return counts;
      });
}

namespace {

using indicators::Declaration;
using indicators::Indicator;

constexpr std::string_view kDeclarationColumns =
    "code, zh, en, unit, direction, source, aggregation, numerator, denominator, factor, "
    "weight, definition_zh, definition_en, version, declared_by, declared_at, updated_by, "
    "updated_at";

Declaration DeclarationOf(const SqlRow& row) {
  Declaration d;
  Indicator& i = d.indicator;
  i.code = row.Text(0);
  i.zh = row.Text(1);
  i.en = row.Text(2);
  i.unit = row.Text(3);
  // The CHECK constraints keep these names valid.
  i.direction =
      indicators::DirectionNamed(row.Text(4)).value_or(indicators::Direction::kHigherBetter);
  i.source = indicators::SourceNamed(row.Text(5)).value_or(indicators::Source::kEntered);
  i.aggregation = indicators::AggregationNamed(row.Text(6)).value_or(indicators::Aggregation::kSum);
  if (!row.Text(7).empty())
    i.formula = indicators::Formula{row.Text(7), row.Text(8), row.Double(9)};
  i.weight = row.Text(10);
  i.definition_zh = row.Text(11);
  i.definition_en = row.Text(12);
  i.module = std::string(indicators::kDeclaredModule);
  d.version = row.Int(13);
  d.declared_by = row.Text(14);
  d.declared_at = row.Text(15);
  d.updated_by = row.Text(16);
  d.updated_at = row.Text(17);
  return d;
}

Result<std::optional<Declaration>> LoadDeclaration(SqlConnection& conn, std::string_view code) {
  std::optional<Declaration> out;
  const SqlValue params[] = {std::string(code)};
  FUPIN_TRY(conn.Run(
      fmt::format("SELECT {} FROM indicator_declarations WHERE code = ?", kDeclarationColumns),
      params, [&](const SqlRow& row) { out = DeclarationOf(row); }));
  return out;
}

std::vector<audit::Field> DeclarationFields(const Indicator& i) {
  auto text = [](std::string_view v) {
    return v.empty() ? std::nullopt : std::optional<std::string>(v);
  };
  return {{"zh", text(i.zh)},
          {"en", text(i.en)},
          {"unit", text(i.unit)},
          {"direction", std::string(indicators::DirectionName(i.direction))},
          {"source", std::string(indicators::SourceName(i.source))},
          {"aggregation", std::string(indicators::AggregationName(i.aggregation))},
          {"formula", i.formula ? std::optional<std::string>(
                                      fmt::format("{} / {} × {}", i.formula->numerator,
                                                  i.formula->denominator, i.formula->factor))
                                : std::nullopt},
          {"weight", text(i.weight)},
          {"definition_zh", text(i.definition_zh)},
          {"definition_en", text(i.definition_en)}};
}

std::vector<SqlValue> DeclarationValues(const Indicator& i) {
  return {i.zh,
          i.en,
          i.unit,
          std::string(indicators::DirectionName(i.direction)),
          std::string(indicators::SourceName(i.source)),
          std::string(indicators::AggregationName(i.aggregation)),
          i.formula ? i.formula->numerator : std::string(),
          i.formula ? i.formula->denominator : std::string(),
          i.formula ? i.formula->factor : 1.0,
          i.weight,
          i.definition_zh,
          i.definition_en};
}

Status AuditDeclaration(SqlConnection& conn, const audit::Actor& actor, std::string_view action,
                        std::string_view code, const std::vector<audit::Field>& before,
                        const std::vector<audit::Field>& after) {
  audit::Entry entry;
  entry.actor = actor;
  entry.action = std::string(action);
  entry.entity = "indicator";
  entry.entity_id = std::string(code);
  entry.changes = audit::Diff(before, after, "");
  FUPIN_TRY(AppendAudit(conn, std::move(entry)));
  FUPIN_TRY(BumpChangeCounter(conn, "catalogue"));
  return {};
}

Status CheckVersion(const std::optional<Declaration>& stored, std::string_view code,
                    int64_t version, std::string_view verb) {
  if (!stored) return NotFound(fmt::format("no declared indicator with code '{}'", code));
  if (stored->version != version) {
    return Conflict(fmt::format("indicator '{}' was changed by someone else: you {} version {}, "
                                "the current version is {}",
                                code, verb, version, stored->version),
                    stored->version);
  }
  return {};
}

}  // namespace

Result<std::vector<Declaration>> SqlIndicatorRepository::Declarations() {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  return QueryAll<Declaration>(
      **conn,
      fmt::format("SELECT {} FROM indicator_declarations ORDER BY seq", kDeclarationColumns), {},
      DeclarationOf);
}

Result<Declaration> SqlIndicatorRepository::InsertDeclaration(const Indicator& indicator,
                                                              const audit::Actor& actor) {
  return InTransaction<Declaration>(pool_, [&](SqlConnection& conn) -> Result<Declaration> {
    auto stored = LoadDeclaration(conn, indicator.code);
    if (!stored) return std::unexpected(stored.error());
    if (*stored) {
      return AlreadyExists(fmt::format("indicator '{}' is already declared", indicator.code));
    }
    const std::string now = Now();
    std::vector<SqlValue> params = {indicator.code};
    for (SqlValue& v : DeclarationValues(indicator)) params.push_back(std::move(v));
    for (const std::string* v : {&actor.name, &now, &actor.name, &now}) params.emplace_back(*v);
    FUPIN_TRY(conn.Run(
        "INSERT INTO indicator_declarations (code, zh, en, unit, direction, source, aggregation, "
        "numerator, denominator, factor, weight, definition_zh, definition_en, seq, version, "
        "declared_by, declared_at, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM indicator_declarations), 1, ?, ?, ?, ?)",
        params, nullptr));
    FUPIN_TRY(
        AuditDeclaration(conn, actor, "create", indicator.code, {}, DeclarationFields(indicator)));
    auto after = LoadDeclaration(conn, indicator.code);
    if (!after) return std::unexpected(after.error());
    return **after;
  });
}

Result<Declaration> SqlIndicatorRepository::UpdateDeclaration(const Indicator& indicator,
                                                              int64_t version,
                                                              const audit::Actor& actor) {
  return InTransaction<Declaration>(pool_, [&](SqlConnection& conn) -> Result<Declaration> {
    auto stored = LoadDeclaration(conn, indicator.code);
    if (!stored) return std::unexpected(stored.error());
    FUPIN_TRY(CheckVersion(*stored, indicator.code, version, "edited"));
    std::vector<SqlValue> params = DeclarationValues(indicator);
    for (SqlValue v :
         {SqlValue(actor.name), SqlValue(Now()), SqlValue(indicator.code), SqlValue(version)}) {
      params.push_back(std::move(v));
    }
    FUPIN_TRY(conn.Run(
        "UPDATE indicator_declarations SET zh = ?, en = ?, unit = ?, direction = ?, source = ?, "
        "aggregation = ?, numerator = ?, denominator = ?, factor = ?, weight = ?, "
        "definition_zh = ?, definition_en = ?, version = version + 1, updated_by = ?, "
        "updated_at = ? WHERE code = ? AND version = ?",
        params, nullptr));
    FUPIN_TRY(AuditDeclaration(conn, actor, "update", indicator.code,
                               DeclarationFields((*stored)->indicator),
                               DeclarationFields(indicator)));
    auto after = LoadDeclaration(conn, indicator.code);
    if (!after) return std::unexpected(after.error());
    return **after;
  });
}

Status SqlIndicatorRepository::DeleteDeclaration(std::string_view code, int64_t version,
                                                 const audit::Actor& actor) {
  auto done = InTransaction<bool>(pool_, [&](SqlConnection& conn) -> Result<bool> {
    auto stored = LoadDeclaration(conn, code);
    if (!stored) return std::unexpected(stored.error());
    FUPIN_TRY(CheckVersion(*stored, code, version, "deleted"));
    int64_t values = 0;
    const SqlValue params[] = {std::string(code)};
    FUPIN_TRY(conn.Run("SELECT count(*) FROM indicator_values WHERE indicator = ?", params,
                       [&](const SqlRow& row) { values = row.Int(0); }));
    if (values > 0) {
      return FailedPrecondition(
          fmt::format("indicator '{}' has {} entered value{}: they would be orphaned", code, values,
                      values == 1 ? "" : "s"));
    }
    FUPIN_TRY(
        Execute(conn, "DELETE FROM indicator_declarations WHERE code = ?", {std::string(code)}));
    FUPIN_TRY(
        AuditDeclaration(conn, actor, "delete", code, DeclarationFields((*stored)->indicator), {}));
    return true;
  });
  if (!done) return std::unexpected(done.error());
  return {};
}

}  // namespace fupin::storage
