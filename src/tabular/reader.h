// Streaming reader for tables that users upload: CSV (UTF-8, UTF-8 with BOM, GB18030/GBK) and
// XLSX. Built for registry imports of up to a million rows: the file is read in chunks and
// memory does not grow with the number of rows (for XLSX the shared-string table, which grows
// with the number of distinct strings, is the one exception; see ReadOptions).
//
// The contract, for both formats:
//  - The format is detected from the content, not the file name: a ZIP signature (`PK\3\4`)
//    means XLSX, anything else is read as CSV.
//  - The first non-blank row is the header. Header names are trimmed; empty names at the end
//    of the header are dropped (Excel-saved files often carry trailing `,,,`).
//  - A row is blank when all its cells are empty after trimming; blank rows are skipped (unlike
//    base::ParseCsv, which keeps `,,` lines) but still counted in line numbers.
//  - Every row returned has exactly header().size() cells: missing cells are empty strings;
//    a non-empty cell beyond the last header column is kInvalidArgument naming the line.
//  - Cells are trimmed the way base/csv.h trims them (ASCII white space and U+3000); a quoted
//    CSV field is kept exactly as written.
//  - Row::line is where the row is in the file so import errors can name it: for CSV the line
//    on which the record starts (the header is line 1; quoted newlines and blank lines count);
//    for XLSX the Excel row number.
//  - All text returned is UTF-8. Errors are prefixed with the path.
//
// CSV: the dialect of base/csv.h (RFC 4180; CRLF or LF; quoted fields with commas, doubled
// quotes and newlines). The encoding is decided like base::DecodeText — a leading BOM means
// UTF-8, else strict UTF-8, else GB18030 — but by a first pass over the file in chunks before
// the first row is returned, so an undecodable file fails in Open(), naming the byte offset.
// UTF-16 and binary files (NUL bytes) are rejected. An unterminated quoted field is an error
// naming the line where it started.
//
// XLSX: the first visible worksheet, or the one named in ReadOptions::sheet. Cell values are
// rendered as text: shared and inline strings (rich-text runs concatenated, phonetic runs
// dropped, `_xHHHH_` escapes decoded), booleans as TRUE/FALSE, error values as written
// (`#N/A`), formula cells by their cached value. Numbers keep the text stored in the file,
// except that an integer written with a zero fraction (`1.0`) loses it; no other reformatting
// happens, so an ID number Excel stored as 6.20102199001011E+17 stays visibly wrong and the
// importer can reject it. Numbers whose cell style is a date format (built-in formats 14–17
// and 22, the zh-CN built-in date formats 27–31, 36, 50–54, 57–58, or a custom format with
// y/m/d and no digit pattern) become `YYYY-MM-DD` (time of day dropped), in the 1900 date
// system (with Excel's fictitious 1900-02-29 as serial 60) or the 1904 system when the
// workbook says so; time-only formats keep the number. The worksheet XML is decompressed and
// scanned in chunks; it is never held whole.
//
// Thread-safety: a TableReader is not thread-safe; distinct readers may be used on different
// threads at the same time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace fupin::tabular {

namespace internal {
class RecordSource;
}  // namespace internal

struct ReadOptions {
  // XLSX: the worksheet to read, by its tab name (exact match). Empty (the default) means the
  // first worksheet in tab order that is not hidden. Ignored for CSV.
  std::string sheet;
  // Bytes read from the file (CSV) or decompressed from the archive (XLSX) per step.
  // Default 64 KiB. Any value >= 1 works; tests use a few bytes to exercise chunk boundaries.
  size_t chunk_bytes = 64 * 1024;
  // Upper bound on one record: a CSV record, or one XML tag or text run of the worksheet.
  // Longer input is kInvalidArgument (with a hint at a missing closing quote for CSV), so a
  // broken file cannot make the reader hold all of it. Default 16 MiB.
  size_t max_record_bytes = 16 * 1024 * 1024;
  // XLSX: upper bound on the decompressed shared-string table held in memory. Default 1 GiB.
  size_t max_shared_strings_bytes = size_t{1} << 30;
};

struct Row {
  int64_t line = 0;  // CSV: line where the record starts (header = 1); XLSX: Excel row number
  std::vector<std::string> cells;  // exactly header().size() cells
};

class TableReader {
 public:
  // Opens `path`, detects the format, checks the encoding (CSV) or the workbook structure
  // (XLSX), and reads the header row. Errors: kNotFound when the file does not exist;
  // kInvalidArgument when it is not a regular file, is empty (no header row), cannot be
  // decoded, is a damaged or unsupported XLSX (not a zip, no worksheet, no such sheet,
  // malformed XML); kInternal on I/O failures.
  static Result<std::unique_ptr<TableReader>> Open(const std::string& path,
                                                   ReadOptions options = {});

  TableReader(const TableReader&) = delete;
  TableReader& operator=(const TableReader&) = delete;
  ~TableReader();

  // The header row: trimmed, trailing empty names dropped, never empty.
  const std::vector<std::string>& header() const { return header_; }
  // Line (CSV) or Excel row number (XLSX) of the header.
  int64_t header_line() const { return header_line_; }

  // Index of the first header that equals one of `names` (exact match), or nullopt. Lets
  // importers accept English and Chinese headers for the same column.
  std::optional<size_t> FindColumn(std::initializer_list<std::string_view> names) const;
  std::optional<size_t> FindColumn(std::string_view name) const { return FindColumn({name}); }

  // Reads the next non-blank row into `row` (reusing its storage). Returns true when a row
  // was read, false at the end of the table. On an error (naming the line) the reader is
  // finished: later calls return the same error.
  Result<bool> Next(Row& row);

  // "csv-utf-8", "csv-utf-8-bom", "csv-gb18030" or "xlsx".
  std::string_view format() const;

  // The share of the table read so far (0 to 1) when the format tells it (CSV), else nullopt.
  // Lets a reader of a large file size its structures from the first part.
  std::optional<double> FractionRead() const;

 private:
  TableReader(std::string path, std::unique_ptr<internal::RecordSource> source);
  Status ReadHeader();
  Error Fail(Error error);

  // Constant after Open().
  const std::string path_;
  std::vector<std::string> header_;
  int64_t header_line_ = 0;

  std::unique_ptr<internal::RecordSource> source_;
  int64_t raw_line_ = 0;
  std::vector<std::string> raw_cells_;
  std::optional<Error> failed_;
  bool at_end_ = false;
};

}  // namespace fupin::tabular
