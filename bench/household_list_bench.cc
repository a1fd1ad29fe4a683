// The household list benchmark (issue 5): the registry's list page — filter, sort and a page
// of 50 with its total — at province scale, through SqlRegistryRepository::ListHouseholds, the
// call behind GET /api/v1/households. Target: p95 under 50 ms.
//
// The mix: the scope at each of the five levels; each filter alone and all combined; each sort
// in both directions; the first page, page 100, page 1,000 and the last page; search by
// household number prefix, by head's name (a whole name, a surname, and a given name found
// inside names) and by a complete ID number. Parameters (regions, names, numbers) are drawn with a
// fixed seed from the database's own households. Every class runs `repeat` times; each class
// reports p50, p95 and max, and the overall figures weigh every class equally. Not a timed test;
// see bench/run-list.sh and docs/benchmarks.md.
//
//   fupin_household_list_bench DB_URL [--repeat N] [--seed S] [--migrate] [--cold | --writes]
//                              [--only PREFIX]
//
// --migrate applies pending migrations first (and reports how long that took), so that one
// database can be measured before and after a migration. --cold turns off the in-memory table
// of the list and the cache of totals (storage::OpenOptions::cache_list_totals): every list is
// read with SQL, as the command line's one-off `fupin household list` reads it. --writes
// keeps them, as the server does, and writes one household (its phone changed, untimed)
// before every query, as if the registry changed between any two queries: the table and its
// orders are brought forward by that household, and totals that only SQL counts (a search by
// ID number) are counted afresh.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "regions/region.h"
#include "registry/registry_repository.h"
#include "registry/vocabulary.h"
#include "storage/database.h"

namespace {

using namespace fupin;
using registry::HouseholdQuery;
using registry::HouseholdSort;
using Timer = std::chrono::steady_clock;

double Ms(Timer::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

int Fail(const Error& e) {
  fmt::print(stderr, "fupin_household_list_bench: {}\n", e.message);
  return 1;
}

// A household drawn from the database: what a user would type or pick to find it.
struct Sample {
  int64_t id = 0;
  std::string number;
  std::string region;  // its village
  std::string head_name;
  std::string head_id_number;
};

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto rank = static_cast<size_t>(std::ceil(p * static_cast<double>(v.size()))) - 1;
  return v[std::min(rank, v.size() - 1)];
}

// The first code point of a UTF-8 string (a Chinese surname is one).
std::string FirstCharacter(const std::string& s) {
  if (s.empty()) return s;
  size_t n = 1;
  while (n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) ++n;
  return s.substr(0, n);
}

// The name without its first character: a given name, found inside the whole name.
std::string GivenName(const std::string& s) { return s.substr(FirstCharacter(s).size()); }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr,
               "usage: fupin_household_list_bench DB_URL [--repeat N] [--seed S] [--migrate] "
               "[--cold] [--only PREFIX]\n");
    return 2;
  }
  int repeat = 20;
  uint64_t seed = 5;
  bool migrate = false;
  bool cold = false;
  bool writes = false;
  std::string only;
  for (int i = 2; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--migrate") {
      migrate = true;
    } else if (flag == "--cold") {
      cold = true;
    } else if (flag == "--writes") {
      writes = true;
    } else if (i + 1 < argc && flag == "--repeat") {
      repeat = std::max(1, std::atoi(argv[++i]));
    } else if (i + 1 < argc && flag == "--seed") {
      seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (i + 1 < argc && flag == "--only") {
      only = argv[++i];
    }
  }
  auto url = storage::DatabaseUrl::Parse(argv[1]);
  if (!url) return Fail(url.error());
  storage::OpenOptions options;
  options.create = false;
  options.cache_list_totals = !cold;
  auto db = storage::OpenDatabase(*url, options);
  if (!db) return Fail(db.error());
  if (migrate) {
    const auto start = Timer::now();
    auto applied = (*db)->Migrate();
    if (!applied) return Fail(applied.error());
    fmt::print("migrations applied: {} in {:.1f} s\n", *applied, Ms(Timer::now() - start) / 1000);
  }
  registry::RegistryRepository& repo = (*db)->Registry();

  // Draw the samples: every household streamed once, reservoir-sampled.
  std::mt19937_64 rng(seed);
  std::vector<Sample> samples;
  constexpr size_t kSamples = 500;
  int64_t seen = 0;
  {
    HouseholdQuery all;
    all.scope = {""};
    const auto start = Timer::now();
    auto visited = repo.ForEachHousehold(all, [&](const registry::HouseholdSummary& s) -> Status {
      Sample sample{s.household.id, s.household.number, s.household.region_code, s.head_name,
                    s.head_id_number};
      if (samples.size() < kSamples) {
        samples.push_back(std::move(sample));
      } else {
        std::uniform_int_distribution<int64_t> pick(0, seen);
        const int64_t j = pick(rng);
        if (j < static_cast<int64_t>(kSamples)) samples[static_cast<size_t>(j)] = std::move(sample);
      }
      ++seen;
      return {};
    });
    if (!visited) return Fail(visited.error());
    fmt::print("data: {} households (sampled {} in {:.1f} s)\n", seen, samples.size(),
               Ms(Timer::now() - start) / 1000);
  }
  if (samples.empty()) return Fail(Error{ErrorCode::kFailedPrecondition, "no households", {}});
  std::erase_if(samples, [](const Sample& s) {
    return !regions::LevelOfCode(s.region) || s.head_name.empty() || s.head_id_number.empty();
  });

  // The region of a sample at `level` (its village's ancestor, or the village).
  auto at_level = [](const Sample& s, regions::RegionLevel level) {
    if (level == regions::RegionLevel::kVillage) return s.region;
    return regions::AncestorCodes(s.region, regions::RegionLevel::kVillage)
        .at(static_cast<size_t>(level) - 1);
  };
  auto pick_sample = [&]() -> const Sample& {
    std::uniform_int_distribution<size_t> d(0, samples.size() - 1);
    return samples[d(rng)];
  };
  // A sample whose head's name has a given name (a character after the surname), if one of
  // a thousand draws has.
  auto pick_given = [&]() -> const Sample& {
    for (int draw = 1;; ++draw) {
      const Sample& s = pick_sample();
      if (!GivenName(s.head_name).empty() || draw == 1000) return s;
    }
  };
  auto province = [&](const Sample& s) { return at_level(s, regions::RegionLevel::kProvince); };
  // Every code of the vocabularies (attribute also "none": households without one).
  auto codes = [](const registry::Vocabulary& v) {
    std::vector<std::string> out;
    for (const auto& t : v.terms) out.emplace_back(t.code);
    return out;
  };
  const std::vector<std::string> statuses = codes(registry::Statuses());
  const std::vector<std::string> causes = codes(registry::Causes());
  std::vector<std::string> attributes = codes(registry::Attributes());
  attributes.push_back("none");
  auto pick = [&](const std::vector<std::string>& v) {
    std::uniform_int_distribution<size_t> d(0, v.size() - 1);
    return v[d(rng)];
  };

  using Make = std::function<HouseholdQuery()>;
  std::vector<std::pair<std::string, Make>> classes;
  auto base = [&](regions::RegionLevel level) {
    HouseholdQuery q;
    q.scope = {at_level(pick_sample(), level)};
    return q;
  };
  const std::pair<const char*, regions::RegionLevel> levels[] = {
      {"province", regions::RegionLevel::kProvince},
      {"city", regions::RegionLevel::kCity},
      {"county", regions::RegionLevel::kCounty},
      {"township", regions::RegionLevel::kTownship},
      {"village", regions::RegionLevel::kVillage}};
  for (const auto& [name, level] : levels) {
    classes.push_back({fmt::format("scope {}", name), [&, level] { return base(level); }});
  }
  // An official of the province looking at one county ("within").
  classes.push_back({"scope province, within county", [&] {
                       const Sample& s = pick_sample();
                       HouseholdQuery q;
                       q.scope = {province(s)};
                       q.within = at_level(s, regions::RegionLevel::kCounty);
                       return q;
                     }});
  classes.push_back({"filter status", [&] {
                       auto q = base(regions::RegionLevel::kProvince);
                       q.status = pick(statuses);
                       return q;
                     }});
  classes.push_back({"filter cause", [&] {
                       auto q = base(regions::RegionLevel::kProvince);
                       q.cause = pick(causes);
                       return q;
                     }});
  classes.push_back({"filter attribute", [&] {
                       auto q = base(regions::RegionLevel::kProvince);
                       q.attribute = pick(attributes);
                       return q;
                     }});
  for (const auto& [name, level] : levels) {
    if (level == regions::RegionLevel::kCity || level == regions::RegionLevel::kTownship) continue;
    classes.push_back({fmt::format("filter combined, {}", name), [&, level] {
                         auto q = base(level);
                         q.status = pick(statuses);
                         q.cause = pick(causes);
                         q.attribute = pick(attributes);
                         return q;
                       }});
  }
  const std::pair<const char*, HouseholdSort> sorts[] = {
      {"number", HouseholdSort::kNumber},
      {"region", HouseholdSort::kRegion},
      {"head_name", HouseholdSort::kHeadName},
      {"members", HouseholdSort::kMembers},
      {"year_identified", HouseholdSort::kYearIdentified}};
  for (const auto& [name, sort] : sorts) {
    for (bool descending : {false, true}) {
      classes.push_back(
          {fmt::format("sort {}{}, province", descending ? "-" : "", name), [&, sort, descending] {
             auto q = base(regions::RegionLevel::kProvince);
             q.sort = sort;
             q.descending = descending;
             return q;
           }});
    }
  }
  // Lists "as of" a day: households registered by then, with (and filtered by) their status
  // then.
  for (const auto& [name, level] : levels) {
    if (level != regions::RegionLevel::kProvince && level != regions::RegionLevel::kCounty &&
        level != regions::RegionLevel::kVillage) {
      continue;
    }
    classes.push_back({fmt::format("as of 2018-12-31, {}", name), [&, level] {
                         auto q = base(level);
                         q.as_of = Date{2018, 12, 31};
                         return q;
                       }});
    classes.push_back({fmt::format("as of 2018-12-31, {}, status", name), [&, level] {
                         auto q = base(level);
                         q.as_of = Date{2018, 12, 31};
                         q.status = pick(statuses);
                         return q;
                       }});
  }
  classes.push_back({"sort -members, county, status", [&] {
                       auto q = base(regions::RegionLevel::kCounty);
                       q.sort = HouseholdSort::kMembers;
                       q.descending = true;
                       q.status = pick(statuses);
                       return q;
                     }});
  for (int64_t page : {100, 1000}) {
    classes.push_back({fmt::format("page {}, province", page), [&, page] {
                         auto q = base(regions::RegionLevel::kProvince);
                         q.offset = (page - 1) * 50;
                         return q;
                       }});
  }
  classes.push_back({"page 100, province, sort head_name", [&] {
                       auto q = base(regions::RegionLevel::kProvince);
                       q.sort = HouseholdSort::kHeadName;
                       q.offset = 99 * 50;
                       return q;
                     }});
  // The last page: the offset is found from the total, as the UI does.
  auto last_page = [&](HouseholdQuery q) {
    q.limit = 0;
    auto counted = repo.ListHouseholds(q);
    const int64_t total = counted ? counted->total : 0;
    q.limit = 50;
    q.offset = total == 0 ? 0 : (total - 1) / 50 * 50;
    return q;
  };
  classes.push_back(
      {"page last, province", [&] { return last_page(base(regions::RegionLevel::kProvince)); }});
  classes.push_back({"page last, county, sort -year_identified", [&] {
                       auto q = base(regions::RegionLevel::kCounty);
                       q.sort = HouseholdSort::kYearIdentified;
                       q.descending = true;
                       return last_page(q);
                     }});
  // Searches: a number prefix (a township's households), a whole head's name, a surname, and
  // a complete ID number; at province scope, and by name within a county.
  classes.push_back({"search number prefix, province", [&] {
                       const Sample& s = pick_sample();
                       HouseholdQuery q;
                       q.scope = {province(s)};
                       q.text = s.number.substr(0, 9);
                       return q;
                     }});
  classes.push_back({"search number (whole), province", [&] {
                       const Sample& s = pick_sample();
                       HouseholdQuery q;
                       q.scope = {province(s)};
                       q.text = s.number;
                       return q;
                     }});
  classes.push_back({"search name, province", [&] {
                       const Sample& s = pick_sample();
                       HouseholdQuery q;
                       q.scope = {province(s)};
                       q.text = s.head_name;
                       return q;
                     }});
  classes.push_back({"search surname, province", [&] {
                       const Sample& s = pick_sample();
                       HouseholdQuery q;
                       q.scope = {province(s)};
                       q.text = FirstCharacter(s.head_name);
                       return q;
                     }});
  classes.push_back({"search name, county", [&] {
                       const Sample& s = pick_sample();
                       HouseholdQuery q;
                       q.scope = {at_level(s, regions::RegionLevel::kCounty)};
                       q.text = s.head_name;
                       return q;
                     }});
  classes.push_back({"search name, village", [&] {
                       const Sample& s = pick_sample();
                       HouseholdQuery q;
                       q.scope = {s.region};
                       q.text = s.head_name;
                       return q;
                     }});
  // A given name: found inside heads' names (where none starts with it).
  auto given_name = [&](regions::RegionLevel level) {
    const Sample& s = pick_given();
    HouseholdQuery q;
    q.scope = {at_level(s, level)};
    q.text = GivenName(s.head_name);
    return q;
  };
  classes.push_back(
      {"search given name, province", [&] { return given_name(regions::RegionLevel::kProvince); }});
  classes.push_back({"search given name, province, status", [&] {
                       auto q = given_name(regions::RegionLevel::kProvince);
                       q.status = pick(statuses);
                       return q;
                     }});
  classes.push_back({"search given name, province, page 10", [&] {
                       auto q = given_name(regions::RegionLevel::kProvince);
                       q.offset = 9 * 50;
                       return q;
                     }});
  classes.push_back(
      {"search given name, county", [&] { return given_name(regions::RegionLevel::kCounty); }});
  classes.push_back({"search ID number, province", [&] {
                       const Sample& s = pick_sample();
                       HouseholdQuery q;
                       q.scope = {province(s)};
                       q.text = s.head_id_number;
                       return q;
                     }});
  // A household member's list: their own household only (no region scope).
  classes.push_back({"own household", [&] {
                       HouseholdQuery q;
                       q.scope = {};
                       q.households = {pick_sample().id};
                       return q;
                     }});

  // Warm up (the first queries read the database file into the page cache, load the list's
  // in-memory table and build its orders), untimed but for the whole and the first query.
  const auto warm_start = Timer::now();
  bool first = true;
  for (const auto& [name, make] : classes) {
    if (!only.empty() && !name.starts_with(only)) continue;
    const auto query_start = Timer::now();
    auto warm = repo.ListHouseholds(make());
    if (!warm) return Fail(warm.error());
    if (first) fmt::print("first query ({}): {:.0f} ms\n", name, Ms(Timer::now() - query_start));
    first = false;
  }
  fmt::print("warm-up, one query of each class: {:.0f} ms\n", Ms(Timer::now() - warm_start));
  std::map<std::string, std::vector<double>> times;
  std::map<std::string, int64_t> totals;
  // --writes: one household written before every query (its phone's last digit changed).
  size_t written = 0;
  auto write_one = [&]() -> Status {
    const Sample& s = samples[written++ % samples.size()];
    auto record = repo.FindHousehold(s.id, {""});
    if (!record) return std::unexpected(record.error());
    if (!*record) return {};
    std::string& phone = (*record)->household.phone;
    if (phone.empty()) phone = "0";
    phone.back() = phone.back() == '1' ? '2' : '1';
    const registry::HouseholdRecord one[] = {**record};
    auto saved = repo.SaveHouseholds(one, audit::Actor{"bench", 0, "127.0.0.1"}, "benchmark");
    if (!saved) return std::unexpected(saved.error());
    return {};
  };
  for (int r = 0; r < repeat; ++r) {
    for (const auto& [name, make] : classes) {
      if (!only.empty() && !name.starts_with(only)) continue;
      if (writes) {
        if (auto w = write_one(); !w) return Fail(w.error());
      }
      const HouseholdQuery q = make();
      const auto start = Timer::now();
      auto page = repo.ListHouseholds(q);
      const double ms = Ms(Timer::now() - start);
      if (!page) return Fail(page.error());
      times[name].push_back(ms);
      totals[name] += page->total;
    }
  }
  fmt::print("list totals {}\n",
             cold     ? "and pages read with SQL on every query (--cold)"
             : writes ? "after a write of one household before every query (--writes)"
                      : "cached while the registry is unchanged");
  fmt::print("{:<44} {:>9} {:>9} {:>9} {:>10}\n", "query class (page of 50)", "p50 ms", "p95 ms",
             "max ms", "mean total");
  std::vector<double> all;
  std::vector<double> p95s;
  for (const auto& [name, make] : classes) {
    if (!times.contains(name)) continue;
    const auto& v = times[name];
    all.insert(all.end(), v.begin(), v.end());
    p95s.push_back(Percentile(v, 0.95));
    fmt::print("{:<44} {:>9.2f} {:>9.2f} {:>9.2f} {:>10}\n", name, Percentile(v, 0.5),
               Percentile(v, 0.95), *std::max_element(v.begin(), v.end()),
               totals[name] / static_cast<int64_t>(v.size()));
  }
  const int over =
      static_cast<int>(std::count_if(p95s.begin(), p95s.end(), [](double p) { return p >= 50; }));
  fmt::print("{:<44} {:>9.2f} {:>9.2f} {:>9.2f}\n", fmt::format("overall ({} queries)", all.size()),
             Percentile(all, 0.5), Percentile(all, 0.95),
             *std::max_element(all.begin(), all.end()));
  fmt::print("classes with p95 >= 50 ms: {} of {}\n", over, p95s.size());
  return 0;
}
