// Internal to tabular: the per-format record sources behind TableReader.
//
// A source yields the records of one table in file order, cells trimmed the way its format
// requires, each with the line (CSV) or Excel row number (XLSX) it comes from. It does not know
// about headers, blank rows or column counts; TableReader applies those rules uniformly.
// Errors carry no path prefix; TableReader adds it.
// Thread-safety: not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "tabular/reader.h"

namespace fupin::tabular::internal {

class RecordSource {
 public:
  virtual ~RecordSource() = default;

  // Reads the next record into `line` and `cells` (replacing their contents). A record may be
  // blank (every cell empty). Returns false at the end of the table.
  virtual Result<bool> Next(int64_t& line, std::vector<std::string>& cells) = 0;

  // The format name reported by TableReader::format().
  virtual std::string_view format() const = 0;

  // How an error names the column at 0-based `index` ("column 31", "column AE").
  virtual std::string ColumnName(size_t index) const = 0;

  // The share of the table read so far (0 to 1), when the source can tell.
  virtual std::optional<double> FractionRead() const { return std::nullopt; }
};

// Opens `path` as CSV: runs the encoding pass over the whole file (see reader.h) and positions
// the source at the first record.
Result<std::unique_ptr<RecordSource>> OpenCsvSource(const std::string& path,
                                                    const ReadOptions& options);

// Opens `path` as XLSX: reads the workbook structure, styles and shared strings, and positions
// the source at the start of the chosen worksheet's rows.
Result<std::unique_ptr<RecordSource>> OpenXlsxSource(const std::string& path,
                                                     const ReadOptions& options);

}  // namespace fupin::tabular::internal
