// The indicator roll-up benchmark (issue 5): times fupin's registry engine on a database —
// the cold load of the cube, the roll-up of households, people, poor people and mean
// per-capita net income for one year at all five levels, and the full registry indicator set
// for every region — and, with --sql, the same roll-up as one SQL query on the database itself
// (bench/indicators_rollup.sql, the query DuckDB runs in bench/duckdb/rollup.mjs). Prints the
// province's totals so that the three can be compared. Not a timed test; see
// bench/run-indicators.sh and docs/benchmarks.md.
//
//   fupin_indicators_bench DB_URL [--year Y] [--repeat N] [--sql FILE]
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "indicators/indicator_service.h"
#include "indicators/registry_indicators.h"
#include "storage/database.h"
#include "storage/testing.h"

namespace {

using namespace fupin;
using Timer = std::chrono::steady_clock;

double Ms(Timer::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

struct Stats {
  double best = 0;
  double median = 0;
};

template <typename F>
Stats Time(int repeat, F&& body) {
  std::vector<double> ms;
  for (int i = 0; i < repeat; ++i) {
    const auto start = Timer::now();
    body();
    ms.push_back(Ms(Timer::now() - start));
  }
  std::sort(ms.begin(), ms.end());
  return {ms.front(), ms[ms.size() / 2]};
}

int Fail(const Error& e) {
  fmt::print(stderr, "fupin_indicators_bench: {}\n", e.message);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr,
               "usage: fupin_indicators_bench DB_URL [--year Y] [--repeat N] [--sql FILE]\n");
    return 2;
  }
  const std::string url_text = argv[1];
  int year = 2019;
  int repeat = 10;
  std::string sql_file;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--year") year = std::atoi(argv[i + 1]);
    if (flag == "--repeat") repeat = std::max(1, std::atoi(argv[i + 1]));
    if (flag == "--sql") sql_file = argv[i + 1];
  }
  auto url = storage::DatabaseUrl::Parse(url_text);
  if (!url) return Fail(url.error());
  auto db = storage::OpenDatabase(*url);
  if (!db) return Fail(db.error());
  auto catalogue = indicators::StandardCatalogue();
  if (!catalogue) return Fail(catalogue.error());
  SystemClock clock;
  indicators::IndicatorService service(*catalogue, (*db)->Indicators(), (*db)->Regions(),
                                       indicators::IncomeThresholds::Defaults(), clock);
  const Period period = indicators::YearPeriod(year);
  const auto thresholds = indicators::IncomeThresholds::Defaults();

  // Cold: scan the database and build the cube.
  auto start = Timer::now();
  auto cube = service.Cube();
  if (!cube) return Fail(cube.error());
  const double load_ms = Ms(Timer::now() - start);
  const indicators::RegistryCube& c = **cube;
  std::vector<size_t> per_level(5, 0);
  for (const auto& n : c.nodes()) ++per_level[static_cast<size_t>(n.level) - 1];
  fmt::print(
      "data: {} households, {} regions (province {}, city {}, county {}, township {}, "
      "village {})\n",
      c.household_count(), c.nodes().size(), per_level[0], per_level[1], per_level[2], per_level[3],
      per_level[4]);
  fmt::print("cold load (scan + build cube): {:.0f} ms\n", load_ms);

  // Warm: the cube is in memory; every timed run computes the period from scratch (no memo).
  std::vector<const indicators::Indicator*> rollup, full;
  for (std::string_view code : {indicators::kHouseholds, indicators::kPeople,
                                indicators::kPoorPeople, indicators::kMeanPerCapitaNetIncome}) {
    rollup.push_back(catalogue->Find(code));
  }
  full = catalogue->All();
  std::vector<std::vector<std::optional<double>>> values;
  const Stats roll = Time(repeat, [&] {
    auto totals = c.ComputeUncached(period, thresholds);
    values = indicators::EvaluateAll(*catalogue, c, *totals, rollup);
  });
  fmt::print(
      "warm roll-up, {} at 5 levels (households, people, poor_people, "
      "mean_per_capita_net_income): best {:.1f} ms, median {:.1f} ms\n",
      year, roll.best, roll.median);
  const Stats all = Time(repeat, [&] {
    auto totals = c.ComputeUncached(period, thresholds);
    auto v = indicators::EvaluateAll(*catalogue, c, *totals, full);
  });
  fmt::print("warm full set, {} indicators × {} regions: best {:.1f} ms, median {:.1f} ms\n",
             full.size(), c.nodes().size(), all.best, all.median);
  // Memoized: what a repeated API query for the same period costs (province and children).
  const std::string province = c.nodes().front().code;
  (void)service.Values({province, period, true, {}}, {""});
  const Stats memo = Time(repeat, [&] {
    auto r = service.Values({province, period, true, {}}, {""});
    if (!r) std::abort();
  });
  fmt::print(
      "memoized query (province + children, every indicator, incl. the counter check): "
      "best {:.2f} ms, median {:.2f} ms\n",
      memo.best, memo.median);
  // After a write: one household changes, and the next query patches the cube with it (the
  // change is undone afterwards, the same way).
  {
    auto& registry = (*db)->Registry();
    registry::HouseholdQuery first;
    first.scope = {""};
    first.limit = 1;
    auto page = registry.ListHouseholds(first);
    if (!page) return Fail(page.error());
    auto record = registry.FindHousehold(page->items.at(0).household.id, {""});
    if (!record || !*record) return Fail(record ? Error{} : record.error());
    const audit::Actor actor{"bench", 0, "local"};
    for (int round = 0; round < 2; ++round) {
      auto& cause = (*record)->household.secondary_cause;
      cause = cause == "other" ? "" : "other";
      const std::vector<registry::HouseholdRecord> one = {**record};
      auto saved = registry.SaveHouseholds(one, actor, "fupin_indicators_bench");
      if (!saved) return Fail(saved.error());
      start = Timer::now();
      auto patched = service.Cube();
      if (!patched) return Fail(patched.error());
      const double patch_ms = Ms(Timer::now() - start);
      start = Timer::now();
      auto r = service.Values({province, period, true, {}}, {""});
      if (!r) return Fail(r.error());
      fmt::print(
          "after a write: patch {:.1f} ms ({} household re-read), then the first query "
          "{:.1f} ms\n",
          patch_ms, (*patched)->patched_households(), Ms(Timer::now() - start));
    }
  }
  const auto root = *c.Find(province);
  fmt::print(
      "fupin totals {}: households {:.0f}, people {:.0f}, poor_people {:.0f}, "
      "mean_per_capita_net_income {:.4f}\n",
      province, *values[0][static_cast<size_t>(root)], *values[1][static_cast<size_t>(root)],
      *values[2][static_cast<size_t>(root)], values[3][static_cast<size_t>(root)].value_or(0));

  if (!sql_file.empty()) {
    std::ifstream in(sql_file);
    std::stringstream text;
    text << in.rdbuf();
    std::string sql = text.str();
    if (sql.empty()) {
      fmt::print(stderr, "cannot read {}\n", sql_file);
      return 1;
    }
    for (auto [key, value] : {std::pair<std::string, std::string>{"{DATE}", period.last.ToString()},
                              {"{YEAR}", std::to_string(year)}}) {
      for (size_t at; (at = sql.find(key)) != std::string::npos;)
        sql.replace(at, key.size(), value);
    }
    std::vector<std::vector<std::string>> rows;
    const Stats timed = Time(std::min(repeat, 3), [&] {
      auto r = storage::testing::QuerySql(**db, sql, 5);
      if (!r) {
        Fail(r.error());
        std::exit(1);
      }
      rows = std::move(*r);
    });
    fmt::print(
        "{} SQL roll-up (bench/indicators_rollup.sql, as DuckDB runs it): best {:.0f} ms, "
        "median {:.0f} ms, {} rows\n",
        storage::BackendName((*db)->backend()), timed.best, timed.median, rows.size());
    const std::string prefix = province.substr(0, 2);
    for (const auto& row : rows) {
      if (row[0] != prefix) continue;
      fmt::print(
          "sql totals {}: households {}, people {}, poor_people {}, "
          "mean_per_capita_net_income {:.4f}\n",
          province, row[1], row[2], row[3], std::stod(row[4]));
    }
  }
  return 0;
}
