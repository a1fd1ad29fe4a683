// Writing tables for users to download: exports of filtered lists as CSV or XLSX.
//
// Rows are written as they are added, so an export of a million rows needs no more memory than
// one row (XLSX uses libxlsxwriter's constant-memory mode, which spools rows to temporary files
// in $TMPDIR, or /tmp, until Close()).
//  - CSV: UTF-8 with a byte-order mark (so Excel shows Chinese text correctly), CRLF line ends,
//    cells quoted where needed (commas, quotes, line breaks, surrounding white space). Unless
//    WriteOptions::neutralize_formulas is off, a cell Excel would run as a formula (one starting
//    with '=', '@', or with '+' or '-' and not a plain number) gets a leading apostrophe.
//  - XLSX: one worksheet (default "Sheet1"), a bold header row frozen in place, every cell
//    written as text (so an 18-digit ID number never turns into 6.2E+17), column widths from
//    the widest value in the column (CJK characters counting double), capped at 60.
// All text must be UTF-8. Output is not atomic: a failed or abandoned export leaves a partial
// file for the caller to remove.
// Thread-safety: a TableWriter is not thread-safe; distinct writers may be used on different
// threads at the same time. WriteToBytes is thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace fupin::tabular {

namespace internal {
class RowSink;
}  // namespace internal

enum class Format { kCsv, kXlsx };

// "text/csv; charset=utf-8" or the XLSX media type, for Content-Type headers.
std::string_view ContentType(Format format);
// ".csv" or ".xlsx".
std::string_view FileExtension(Format format);

struct WriteOptions {
  // XLSX: the worksheet's name (at most 31 characters, none of []:*?/\). Default "Sheet1".
  std::string sheet_name = "Sheet1";
  // CSV: prefix cells that Excel would evaluate as formulas with an apostrophe (CSV
  // injection). Default on. XLSX cells are always text and never evaluated.
  bool neutralize_formulas = true;
};

class TableWriter {
 public:
  // Creates (or truncates) `path` and writes the header row. Errors: kInvalidArgument for an
  // empty header, text that is not UTF-8 or a bad sheet name; kInternal when the file cannot
  // be created.
  static Result<std::unique_ptr<TableWriter>> Create(const std::string& path, Format format,
                                                     const std::vector<std::string>& header,
                                                     WriteOptions options = {});

  TableWriter(const TableWriter&) = delete;
  TableWriter& operator=(const TableWriter&) = delete;
  // Without Close(), abandons the output: a CSV file keeps the rows written so far, an XLSX
  // file stays empty. Either way the caller should remove it.
  ~TableWriter();

  // Appends a row. `cells` must have exactly header.size() entries, each valid UTF-8; XLSX also
  // limits a cell to 32767 characters without NUL, and a sheet to 1048575 rows below the
  // header. Violations are kInvalidArgument (the row is not written, earlier rows stay); write
  // failures are kInternal.
  Status Add(const std::vector<std::string>& cells);

  // Finishes the file. Must be called for the file to be complete; an error means the file is
  // unusable. Add() and Close() after Close() are kFailedPrecondition.
  Status Close();

  // Rows added so far, not counting the header.
  int64_t rows() const { return rows_; }

 private:
  TableWriter(size_t width, std::unique_ptr<internal::RowSink> sink);

  const size_t width_;
  std::unique_ptr<internal::RowSink> sink_;
  int64_t rows_ = 0;
  bool closed_ = false;
};

// Writes a whole small table (an HTTP response) and returns the file's bytes. Uses a temporary
// file in $TMPDIR (or /tmp), removed before returning.
Result<std::string> WriteToBytes(Format format, const std::vector<std::string>& header,
                                 const std::vector<std::vector<std::string>>& rows,
                                 WriteOptions options = {});

// A cell of a workbook: empty, a number (kept as a number, every digit of the double) or text.
struct Cell {
  enum class Kind { kEmpty, kNumber, kText };
  Kind kind = Kind::kEmpty;
  double number = 0.0;
  std::string text;

  Cell() = default;
  Cell(double n) : kind(Kind::kNumber), number(n) {}                        // NOLINT
  Cell(int n) : kind(Kind::kNumber), number(static_cast<double>(n)) {}      // NOLINT
  Cell(int64_t n) : kind(Kind::kNumber), number(static_cast<double>(n)) {}  // NOLINT
  Cell(std::string t) : kind(Kind::kText), text(std::move(t)) {}            // NOLINT
  Cell(const char* t) : kind(Kind::kText), text(t) {}                       // NOLINT
};

// One worksheet: rows of cells (ragged rows allowed); with `header`, the first row is bold and
// frozen. Non-finite numbers are left empty.
struct Sheet {
  std::string name;
  std::vector<std::vector<Cell>> rows;
  bool header = true;
};

// A small workbook of several sheets (reports), built in memory and returned as XLSX bytes.
// Text longer than 60 display columns wraps. kInvalidArgument for no sheets, a bad or repeated
// sheet name, text that is not UTF-8; nothing is written then.
Result<std::string> WorkbookBytes(const std::vector<Sheet>& sheets);

}  // namespace fupin::tabular
