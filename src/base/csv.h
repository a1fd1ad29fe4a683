// CSV reading for imports and the method toolkit.
//
// RFC 4180 with the tolerances real files need: CRLF or LF line ends, quoted fields with
// embedded commas, quotes ("") and newlines, a UTF-8 BOM, GB18030/GBK text (see text.h), blank
// lines skipped, cells trimmed of surrounding white space. Each record keeps the line number
// it starts on in the file (the header is line 1) so that errors can name it.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/text.h"

namespace fupin {

struct CsvRecord {
  int64_t line = 0;  // line number in the file where the record starts (header = 1)
  std::vector<std::string> cells;
};

struct CsvTable {
  std::vector<std::string> header;
  std::vector<CsvRecord> rows;
  TextEncoding encoding = TextEncoding::kUtf8;

  // Index of the first header that equals one of `names` (exact match after trimming), or
  // nullopt. Lets importers accept English and Chinese headers for the same column.
  std::optional<size_t> FindColumn(std::initializer_list<std::string_view> names) const;
  std::optional<size_t> FindColumn(std::string_view name) const { return FindColumn({name}); }
};

// Parses UTF-8 CSV text. The first non-blank record is the header. An unterminated quote is
// kInvalidArgument naming the line where the quoted field started.
Result<CsvTable> ParseCsv(std::string_view utf8_text);

// Reads a file, decodes it (UTF-8 / UTF-8 with BOM / GB18030) and parses it. Errors are
// prefixed with the path.
Result<CsvTable> ReadCsvFile(const std::string& path);

// Formats one CSV line (with CRLF-free "\n" ending), quoting cells where needed.
std::string CsvLine(const std::vector<std::string>& cells);

}  // namespace fupin
