// Benchmark of the registry's members import against the sqlite3 shell's `.import` (issue 5):
//
//   fupin_registry_import_bench DIR [ROWS]     (default 1,000,000 rows)
//
// 1. Generates the synthetic province (about 15,000 villages) and enough synthetic households
//    to give ROWS member rows, written as DIR/members.csv in the national system's shape (one
//    row per person, the household's columns repeated, the Chinese headers).
// 2. Times `sqlite3 DIR/bare.db ".import --csv DIR/members.csv members"`: the same CSV into a
//    bare table, no checks at all.
// 3. Times fupin's members import of the same file into a fresh fupin database holding the
//    regions (full validation: vocabularies, ID check characters, regions, duplicates,
//    households and members written with their status history, one audit entry), opened as
//    `fupin import members` opens it: on two cores or more it writes while it reads.
// 4. Times the SQL floor: the rows fupin wrote, copied by the sqlite3 shell with SQL alone
//    (INSERT … SELECT from fupin's database, no parsing, checking or binding) into a second
//    fresh fupin database, with the same indexes built after the rows, in one transaction —
//    the least any import must spend in SQLite to store those rows in fupin's schema (foreign
//    keys checked, as fupin checks them).
// Prints the times, the ratios to the shell (target: at most 2×) and the peak resident memory.
#include <fmt/format.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "base/time.h"
#include "regions/synthetic_regions.h"
#include "registry/importer.h"
#include "registry/synthetic_registry.h"
#include "registry/vocabulary.h"
#include "storage/database.h"
#include "tabular/reader.h"

namespace {

using namespace fupin;

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

std::string Csv(std::string_view s) {
  if (s.find_first_of(",\"\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// Writes ROWS member rows; returns the number of households.
int64_t WriteMembers(const std::string& path, const std::vector<regions::Region>& all,
                     int64_t rows) {
  std::vector<regions::Region> villages;
  for (const auto& r : all) {
    if (r.level == regions::RegionLevel::kVillage) villages.push_back(r);
  }
  std::FILE* out = std::fopen(path.c_str(), "wb");
  if (!out) throw std::runtime_error("cannot write " + path);
  std::fputs(
      "户编号,行政区划代码,姓名,身份证号,与户主关系,户属性,主要致贫原因,识别年度,脱贫年度,"
      "健康状况,劳动能力,联系电话\n",
      out);
  // About 3.3 people per household.
  registry::SyntheticOptions options;
  options.seed = 20201;
  options.households_per_village =
      static_cast<int>(std::max<int64_t>(1, rows / 3 / static_cast<int64_t>(villages.size()) + 1));
  int64_t written = 0, households = 0;
  auto status = registry::GenerateRegistry(
      villages, options, [&](std::vector<registry::HouseholdRecord>&& records) -> Status {
        for (const auto& r : records) {
          if (written >= rows) return {};
          const auto& h = r.household;
          ++households;
          for (const auto& m : r.members) {
            if (m.left_on) continue;
            std::fprintf(out, "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", h.number.c_str(),
                         h.region_code.c_str(), Csv(m.name).c_str(), m.id_number.c_str(),
                         std::string(registry::Relations().Zh(m.relation)).c_str(),
                         std::string(registry::Attributes().Zh(h.attribute)).c_str(),
                         std::string(registry::Causes().Zh(h.main_cause)).c_str(),
                         h.year_identified ? std::to_string(*h.year_identified).c_str() : "",
                         h.lifted_year ? std::to_string(*h.lifted_year).c_str() : "",
                         std::string(registry::HealthConditions().Zh(m.health)).c_str(),
                         std::string(registry::LabourCapacities().Zh(m.labour)).c_str(),
                         h.phone.c_str());
            ++written;
          }
        }
        return {};
      });
  std::fclose(out);
  if (!status) throw std::runtime_error(status.error().message);
  if (written < rows) {
    throw std::runtime_error(fmt::format("only {} rows generated", written));
  }
  return households;
}

// CPU seconds (user + system) of this process, or of its finished children.
double CpuSeconds(int who) {
  rusage usage{};
  getrusage(who, &usage);
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

long PeakRssMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DIR [ROWS]\n", argv[0]);
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  const int64_t rows = argc > 2 ? std::atoll(argv[2]) : 1'000'000;
  std::filesystem::create_directories(dir);
  const auto csv = (dir / "members.csv").string();
  const auto bare = (dir / "bare.db").string();
  const auto fupin_db = (dir / "fupin.db").string();
  const auto floor_db = (dir / "floor.db").string();
  for (const auto& f : {bare, fupin_db, fupin_db + "-wal", fupin_db + "-shm", floor_db,
                        floor_db + "-wal", floor_db + "-shm"}) {
    std::filesystem::remove(f);
  }

  try {
    const auto regions = regions::GenerateRegions(regions::DemoScale::kProvince, 20201);
    auto start = std::chrono::steady_clock::now();
    const int64_t households = WriteMembers(csv, regions, rows);
    fmt::print(
        "data: {} member rows of {} households in {} villages-scale province, {:.0f} MiB "
        "({:.1f} s to generate)\n",
        rows, households, regions.size(), std::filesystem::file_size(csv) / 1048576.0,
        Seconds(start));

    // The fupin database with the province's regions, before the clock starts.
    // (and the floor's, identical)
    storage::OpenOptions open;
    open.secret_key = "benchmark-secret-key-0123456789abcdef";
    const audit::Actor actor{"bench", 0, "local"};
    auto prepare = [&](const std::string& file) {
      auto db = storage::OpenDatabase(*storage::DatabaseUrl::Parse("sqlite:" + file), open);
      if (!db) throw std::runtime_error(db.error().message);
      if (auto m = (*db)->Migrate(); !m) throw std::runtime_error(m.error().message);
      if (auto u = (*db)->Regions().Upsert(regions, actor, "benchmark"); !u) {
        throw std::runtime_error(u.error().message);
      }
      return std::move(*db);
    };
    prepare(floor_db).reset();
    // As `fupin import members` opens it: the command is the database's sole user.
    open.sole_user = true;
    auto db = prepare(fupin_db);

    start = std::chrono::steady_clock::now();
    const double children_cpu = CpuSeconds(RUSAGE_CHILDREN);
    const std::string command =
        fmt::format("sqlite3 '{}' \".import --csv '{}' members\"", bare, csv);
    if (std::system(command.c_str()) != 0) throw std::runtime_error("sqlite3 .import failed");
    const double shell = Seconds(start);
    const double shell_cpu = CpuSeconds(RUSAGE_CHILDREN) - children_cpu;
    // On a shared machine wall time includes waiting for the CPU: CPU time is printed too.
    fmt::print("sqlite3 .import (bare table, no checks): {:.2f} s (CPU {:.2f} s)\n", shell,
               shell_cpu);

    start = std::chrono::steady_clock::now();
    const double cpu_start = CpuSeconds(RUSAGE_SELF);
    auto reader = tabular::TableReader::Open(csv);
    if (!reader) throw std::runtime_error(reader.error().message);
    SystemClock clock;
    registry::RegistryImporter importer(db->Registry(), db->Regions(), clock);
    registry::ImportOptions options;
    options.source = "benchmark";
    options.progress_every = 1 << 30;
    options.progress = [&, t0 = std::chrono::steady_clock::now()](std::string_view phase, int64_t) {
      fmt::print("  {:.2f} s (CPU {:.2f} s): phase {}\n", Seconds(t0),
                 CpuSeconds(RUSAGE_SELF) - cpu_start, phase);
      return true;
    };
    auto report = importer.Import(registry::ImportKind::kMembers, **reader, options, actor);
    db.reset();  // closed, checkpointed, as the shell leaves its database
    const double ours = Seconds(start);
    const double ours_cpu = CpuSeconds(RUSAGE_SELF) - cpu_start;
    if (!report) {
      std::string first =
          report.error().details.empty()
              ? ""
              : fmt::format(" (row {}, {}: {})", report.error().details[0].row,
                            report.error().details[0].column, report.error().details[0].reason);
      throw std::runtime_error(report.error().message + first);
    }
    fmt::print(
        "fupin import members (full validation): {:.2f} s (CPU {:.2f} s) — {} households "
        "inserted{}\n",
        ours, ours_cpu, report->counts.inserted,
        report->written_while_reading ? ", written while reading" : "");
    fmt::print("ratio fupin / sqlite3 .import: {:.2f} (target ≤ 2); CPU time ratio {:.2f}\n",
               ours / shell, ours_cpu / shell_cpu);
    const long peak = PeakRssMiB();

    // The SQL floor.
    // Foreign keys checked, as fupin's connections check them.
    std::string script = "PRAGMA foreign_keys = ON;\nATTACH '" + fupin_db + "' AS src;\nBEGIN;\n";
    std::string rebuild;
    {
      const std::string list = fmt::format(
          "sqlite3 -separator '|' '{}' \"SELECT name, sql FROM sqlite_master WHERE type = "
          "'index' AND sql IS NOT NULL AND tbl_name IN ('households', 'members', "
          "'household_events', 'incomes') ORDER BY name\"",
          floor_db);
      std::FILE* p = popen(list.c_str(), "r");
      if (!p) throw std::runtime_error("cannot run sqlite3");
      std::string out;
      for (int c; (c = std::fgetc(p)) != EOF;) out += static_cast<char>(c);
      pclose(p);
      // Lines are "name|CREATE INDEX …" (a definition may span lines).
      std::string current;
      for (size_t at = 0; at < out.size();) {
        size_t end = out.find('\n', at);
        if (end == std::string::npos) end = out.size();
        const std::string line = out.substr(at, end - at);
        at = end + 1;
        const size_t bar = line.find('|');
        if (bar != std::string::npos && line.find("CREATE", bar) == bar + 1) {
          if (!current.empty()) rebuild += current + ";\n";
          script += "DROP INDEX \"" + line.substr(0, bar) + "\";\n";
          current = line.substr(bar + 1);
        } else {
          current += "\n" + line;
        }
      }
      if (!current.empty()) rebuild += current + ";\n";
    }
    for (const char* table :
         {"households", "members", "household_events", "incomes", "registry_changes"}) {
      script += fmt::format("INSERT INTO main.{0} SELECT * FROM src.{0};\n", table);
    }
    script += rebuild + "COMMIT;\n";
    const auto script_file = (dir / "floor.sql").string();
    {
      std::FILE* f = std::fopen(script_file.c_str(), "wb");
      std::fputs(script.c_str(), f);
      std::fclose(f);
    }
    start = std::chrono::steady_clock::now();
    const double floor_children = CpuSeconds(RUSAGE_CHILDREN);
    const std::string floor_command = fmt::format("sqlite3 '{}' < '{}'", floor_db, script_file);
    if (std::system(floor_command.c_str()) != 0) throw std::runtime_error("SQL floor failed");
    const double floor = Seconds(start);
    const double floor_cpu = CpuSeconds(RUSAGE_CHILDREN) - floor_children;
    fmt::print(
        "SQL floor (the same rows copied with SQL alone into fupin's schema, indexes built "
        "after): {:.2f} s (CPU {:.2f} s), {:.2f}× the shell\n",
        floor, floor_cpu, floor / shell);
    fmt::print("peak resident memory of this process: {} MiB\n", peak);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "benchmark failed: %s\n", e.what());
    return 1;
  }
  return 0;
}
