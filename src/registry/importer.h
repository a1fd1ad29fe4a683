// Imports of the household registry from the files county offices actually have: exports of
// the national poverty-alleviation information system (one row per person with the household's
// columns repeated) and yearly income tables. Headers may be Chinese or English; cells may
// hold vocabulary codes, Chinese labels or English labels (vocabulary.h).
//
// Contract (docs/import.md):
//  - All or nothing. The whole file is read and checked — cell formats, vocabulary codes, ID
//    numbers (GB 11643), the household's region (an open village within the importer's write
//    scope), the same person twice in the file or already in another household, one current
//    head per household, income totals given in the file against their components — before
//    anything is written. Any problem → kInvalidArgument with every problem as
//    (row, column, value, reason) and nothing written. Warnings (an ID number issued by a
//    county that is not a known region) do not block.
//  - Merging, so that re-importing the same file is idempotent and other data survives: a
//    household is matched by its number (户编号) and a member by ID number. A column present in
//    the file sets its field (an empty cell clears it); a column absent keeps the stored value.
//    Members the file does not list are kept (people leave households through dated member
//    events, not by omission). Status history is only added to: 识别年度 adds an
//    "identified" event on 1 January of that year, 脱贫年度 a "lifted" event on 31 December
//    of that year, unless the history already has them. Incomes replace the year they name.
//  - Written in one transaction through RegistryRepository::SaveHouseholds (or, for a large
//    load into an empty registry, a BulkLoad written while the file is read:
//    ImportOptions::write_while_reading_from), audited as one "import" entry carrying
//    `ImportOptions::source` (the file name and its SHA-256) and the counts; unchanged
//    households are counted, not rewritten.
//  - Cancellable between rows through ImportOptions::progress; a cancelled import writes
//    nothing.
// Thread-safety: an importer holds references only; Import may run on several threads at once
// when the repositories allow it (the SQL ones do). Writing while reading, Import runs the
// BulkLoad on threads of its own, joined before it returns.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit.h"
#include "base/error.h"
#include "base/time.h"
#include "regions/region_repository.h"
#include "registry/registry_repository.h"
#include "tabular/reader.h"

namespace fupin::registry {

enum class ImportKind {
  kMembers,  // one row per person, household columns repeated (贫困人口信息表)
  kIncomes,  // one row per household and year (收入情况表)
};
std::string_view ImportKindName(ImportKind kind);  // "members", "incomes"
std::optional<ImportKind> ParseImportKind(std::string_view name);

// One column an import understands. A file's header matches when it equals the Chinese name,
// the English name or one of the aliases (exactly, after trimming; English case-insensitively).
struct ImportColumn {
  std::string_view key;  // the field ("number", "id_number", …); also the English header
  std::string_view zh;   // the Chinese header, as national-system exports write it
  std::span<const std::string_view> aliases;
  bool required = false;       // the file must have this column
  bool household = false;      // members import: a household column, repeated on every row
  std::string_view format_zh;  // what a cell may hold, for the docs and the template
  std::string_view format_en;
  std::string_view example;  // the template's example value
};
std::span<const ImportColumn> ImportColumns(ImportKind kind);

// The template offered for download: the header row ("zh" or "en" names) and example rows.
std::vector<std::string> TemplateHeader(ImportKind kind, std::string_view lang);
std::vector<std::vector<std::string>> TemplateExamples(ImportKind kind);

struct ImportOptions {
  // Validate only: everything is checked, including against the stored registry, and the
  // counts are those a real import would have; nothing is written.
  bool dry_run = false;
  // The year of the file. Members: the year of income columns, if the file has any (they are
  // an error without it). Incomes: the year of every row when the file has no year column;
  // with a year column, a row naming another year is an error.
  std::optional<int> year;
  // Where the importer may write ({""} = everywhere): every household must lie inside.
  std::vector<std::string> write_scope = {""};
  // For the audit entry: e.g. "file members.csv sha256:…".
  std::string source;
  // Called every `progress_every` rows read and once per phase; returning false cancels
  // (kFailedPrecondition "cancelled", nothing written).
  std::function<bool(std::string_view phase, int64_t rows)> progress;
  int64_t progress_every = 10000;
  // Problems listed at most; beyond this a final detail says how many more there were.
  size_t max_problems = 10000;
  // Writing while reading. A members import of at least this many households (estimated from
  // the file's first part: CSV files, whose reader tells the share read) into an empty
  // registry, when the repository offers a BulkLoad
  // (`fupin import` on SQLite: the database's sole user) and the process may use two cores or
  // more, writes each household on another thread as soon as its rows are read and it is
  // merged and validated, while the rest of the file is still being read. Nothing is
  // committed before every check has passed: on the first problem — or a household whose rows
  // are not all together — the load is rolled back and the import goes on as without it, with
  // the same result. 0 = never.
  size_t write_while_reading_from = 20000;
  // Tests: write while reading on one core too.
  bool write_while_reading_on_one_core = false;
};

struct ImportReport {
  ImportKind kind = ImportKind::kMembers;
  std::string format;  // the file's format as TableReader detected it
  bool dry_run = false;
  int64_t rows = 0;        // data rows read
  int64_t households = 0;  // distinct households in the file
  int64_t members = 0;     // member rows (members import)
  int64_t incomes = 0;     // household-year incomes in the file
  SaveCounts counts;       // households inserted / updated / unchanged
  std::vector<ErrorDetail> warnings;
  // Whether the households were written while the file was read
  // (ImportOptions::write_while_reading_from).
  bool written_while_reading = false;
};

class RegistryImporter {
 public:
  RegistryImporter(RegistryRepository& registry, regions::RegionRepository& regions,
                   const Clock& clock)
      : registry_(registry), regions_(regions), clock_(clock) {}

  // Reads the whole table from `reader` (positioned after its header) and imports it. Errors:
  // kInvalidArgument with every problem (rows and columns of the file; row 0 for a problem of
  // a stored member the file does not list); kFailedPrecondition when cancelled; storage
  // errors as they come.
  Result<ImportReport> Import(ImportKind kind, tabular::TableReader& reader,
                              const ImportOptions& options, const audit::Actor& actor);

 private:
  RegistryRepository& registry_;
  regions::RegionRepository& regions_;
  const Clock& clock_;
};

}  // namespace fupin::registry
