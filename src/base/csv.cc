#include "base/csv.h"

#include <fmt/format.h>

namespace fupin {

std::optional<size_t> CsvTable::FindColumn(std::initializer_list<std::string_view> names) const {
  for (size_t i = 0; i < header.size(); ++i) {
    for (std::string_view name : names) {
      if (header[i] == name) return i;
    }
  }
  return std::nullopt;
}

Result<CsvTable> ParseCsv(std::string_view text) {
  CsvTable table;
  std::vector<std::string> cells;
  std::string cell;
  int64_t line = 1;         // current physical line
  int64_t record_line = 1;  // line where the current record started
  bool in_quotes = false;
  bool cell_was_quoted = false;
  int64_t quote_line = 0;
  bool record_has_content = false;

  auto finish_cell = [&] {
    cells.emplace_back(cell_was_quoted ? cell : std::string(Trim(cell)));
    cell.clear();
    cell_was_quoted = false;
  };
  auto finish_record = [&] {
    finish_cell();
    const bool blank = !record_has_content;
    if (!blank) {
      if (table.header.empty() && table.rows.empty()) {
        table.header = std::move(cells);
        for (auto& h : table.header) h = std::string(Trim(h));
      } else {
        table.rows.push_back(CsvRecord{record_line, std::move(cells)});
      }
    }
    cells.clear();
    record_has_content = false;
  };

  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          cell.push_back('"');
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        cell.push_back(c);
      }
      continue;
    }
    switch (c) {
      case '"':
        if (Trim(cell).empty()) {
          cell.clear();
          in_quotes = true;
          cell_was_quoted = true;
          quote_line = line;
          record_has_content = true;
        } else {
          cell.push_back(c);  // a stray quote inside an unquoted cell is kept literally
        }
        break;
      case ',':
        finish_cell();
        record_has_content = true;
        break;
      case '\r':
        break;
      case '\n':
        finish_record();
        ++line;
        record_line = line;
        break;
      default:
        if (c != ' ' && c != '\t') record_has_content = true;
        cell.push_back(c);
    }
  }
  if (in_quotes) {
    return InvalidArgument(fmt::format("line {}: a quoted field is never closed", quote_line),
                           {ErrorDetail{quote_line, "", "", "unterminated quoted field"}});
  }
  if (record_has_content || !cell.empty()) finish_record();
  if (table.header.empty()) return InvalidArgument("the file is empty: no header row");
  return table;
}

Result<CsvTable> ReadCsvFile(const std::string& path) {
  auto bytes = ReadFileBytes(path);
  if (!bytes) return std::unexpected(bytes.error());
  auto decoded = DecodeText(*bytes);
  if (!decoded) return std::unexpected(decoded.error().Prefix(path));
  auto table = ParseCsv(decoded->utf8);
  if (!table) return std::unexpected(table.error().Prefix(path));
  table->encoding = decoded->encoding;
  return table;
}

std::string CsvLine(const std::vector<std::string>& cells) {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out.push_back(',');
    const std::string& c = cells[i];
    if (c.find_first_of(",\"\r\n") != std::string::npos || c != Trim(c)) {
      out.push_back('"');
      for (char ch : c) {
        if (ch == '"') out.push_back('"');
        out.push_back(ch);
      }
      out.push_back('"');
    } else {
      out += c;
    }
  }
  out.push_back('\n');
  return out;
}

}  // namespace fupin
