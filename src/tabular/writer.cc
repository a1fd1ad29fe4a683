#include "tabular/writer.h"

#include <fmt/format.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "base/csv.h"
#include "base/text.h"

namespace fupin::tabular {
namespace internal {

// One output format behind TableWriter, which checks row widths and the open/closed state.
class RowSink {
 public:
  virtual ~RowSink() = default;
  // `row` counts data rows from 1 (the header is row 0).
  virtual Status Add(const std::vector<std::string>& cells, int64_t row) = 0;
  virtual Status Close() = 0;
};

}  // namespace internal

namespace {

using internal::RowSink;

bool IsPlainNumber(std::string_view s) {
  if (s.starts_with('+') || s.starts_with('-')) s.remove_prefix(1);
  bool digits = false;
  bool dot = false;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      digits = true;
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      return false;
    }
  }
  return digits;
}

// Whether Excel, opening the CSV, would evaluate the cell as a formula.
bool LooksLikeFormula(std::string_view cell) {
  const size_t first = cell.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return false;
  const std::string_view s = cell.substr(first);
  switch (s.front()) {
    case '=':
    case '@':
      return true;
    case '+':
    case '-':
      return s.size() > 1 && !IsPlainNumber(s);
    default:
      return false;
  }
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

class CsvSink final : public RowSink {
 public:
  static Result<std::unique_ptr<RowSink>> Create(const std::string& path,
                                                 const std::vector<std::string>& header,
                                                 const WriteOptions& options) {
    std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "wb"));
    if (!file) {
      return Internal(fmt::format("{}: cannot create: {}", path, std::strerror(errno)));
    }
    std::unique_ptr<CsvSink> sink(new CsvSink(std::move(file), path, options));
    FUPIN_TRY(sink->Write("\xEF\xBB\xBF"));
    FUPIN_TRY(sink->Add(header, 0));
    return std::unique_ptr<RowSink>(std::move(sink));
  }

  Status Add(const std::vector<std::string>& cells, int64_t /*row*/) override {
    const std::vector<std::string>* out = &cells;
    if (neutralize_formulas_ && std::any_of(cells.begin(), cells.end(),
                                            [](const auto& c) { return LooksLikeFormula(c); })) {
      guarded_ = cells;
      for (std::string& cell : guarded_) {
        if (LooksLikeFormula(cell)) cell.insert(0, 1, '\'');
      }
      out = &guarded_;
    }
    line_ = CsvLine(*out);
    line_.pop_back();  // CsvLine ends with "\n"; Excel's own CSV files use CRLF
    line_ += "\r\n";
    return Write(line_);
  }

  Status Close() override {
    std::FILE* file = file_.release();
    const bool failed = std::ferror(file) != 0;
    if (std::fclose(file) != 0 || failed) {  // fclose flushes the buffer
      return Internal(fmt::format("{}: write error: {}", path_, std::strerror(errno)));
    }
    return {};
  }

 private:
  CsvSink(std::unique_ptr<std::FILE, FileCloser> file, std::string path,
          const WriteOptions& options)
      : file_(std::move(file)),
        path_(std::move(path)),
        neutralize_formulas_(options.neutralize_formulas) {}

  Status Write(std::string_view bytes) {
    if (std::fwrite(bytes.data(), 1, bytes.size(), file_.get()) != bytes.size()) {
      return Internal(fmt::format("{}: write error: {}", path_, std::strerror(errno)));
    }
    return {};
  }

  std::unique_ptr<std::FILE, FileCloser> file_;
  const std::string path_;
  const bool neutralize_formulas_;
  std::vector<std::string> guarded_;
  std::string line_;
};

// Columns wide enough for their text: East Asian wide characters take two units.
size_t DisplayWidth(std::string_view text) {
  size_t widest = 0;
  size_t width = 0;
  for (size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    uint32_t cp = b;
    size_t length = 1;
    if (b >= 0xF0 && i + 3 < text.size()) {
      cp = ((b & 0x07u) << 18) | ((text[i + 1] & 0x3Fu) << 12) | ((text[i + 2] & 0x3Fu) << 6) |
           (text[i + 3] & 0x3Fu);
      length = 4;
    } else if (b >= 0xE0 && i + 2 < text.size()) {
      cp = ((b & 0x0Fu) << 12) | ((text[i + 1] & 0x3Fu) << 6) | (text[i + 2] & 0x3Fu);
      length = 3;
    } else if (b >= 0xC0 && i + 1 < text.size()) {
      cp = ((b & 0x1Fu) << 6) | (text[i + 1] & 0x3Fu);
      length = 2;
    }
    i += length;
    if (cp == '\n') {
      widest = std::max(widest, width);
      width = 0;
      continue;
    }
    const bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                      (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                      (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                      (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
    width += wide ? 2 : 1;
  }
  return std::max(widest, width);
}

// Excel reads `_xHHHH_` in a string as an escaped character, so text that contains such a
// sequence literally has its underscore escaped (`_x005F_`) to come back unchanged.
// libxlsxwriter escapes control characters itself but not this.
const std::string& ProtectEscapes(const std::string& text, std::string& scratch) {
  size_t at = text.find("_x");
  if (at == std::string::npos) return text;
  auto is_escape = [&text](size_t i) {
    if (i + 7 > text.size() || text[i + 6] != '_') return false;
    for (size_t k = i + 2; k < i + 6; ++k) {
      if (!std::isxdigit(static_cast<unsigned char>(text[k]))) return false;
    }
    return true;
  };
  scratch.clear();
  size_t copied = 0;
  for (; at != std::string::npos; at = text.find("_x", at + 1)) {
    if (!is_escape(at)) continue;
    scratch.append(text, copied, at - copied);
    scratch += "_x005F_";  // the escaped underscore
    copied = at + 1;       // then the original from its "x" on
  }
  scratch.append(text, copied, std::string::npos);
  return scratch;
}

class XlsxSink final : public RowSink {
 public:
  static constexpr int64_t kMaxDataRows = LXW_ROW_MAX - 1;
  static constexpr size_t kMaxWidth = 60;
  static constexpr size_t kMinWidth = 8;
  static constexpr std::ptrdiff_t kMaxCellCharacters = 32767;

  static Result<std::unique_ptr<RowSink>> Create(const std::string& path,
                                                 const std::vector<std::string>& header,
                                                 const WriteOptions& options) {
    if (header.size() > LXW_COL_MAX) {
      return InvalidArgument(fmt::format("an XLSX sheet has at most {} columns", LXW_COL_MAX));
    }
    // libxlsxwriter only opens the file in workbook_close(); find out now if we cannot.
    if (std::FILE* probe = std::fopen(path.c_str(), "wb")) {
      std::fclose(probe);
    } else {
      return Internal(fmt::format("{}: cannot create: {}", path, std::strerror(errno)));
    }
    std::unique_ptr<XlsxSink> sink(new XlsxSink(path));
    if (auto started = sink->Start(header, options); !started) {
      std::remove(path.c_str());  // the empty probe file
      return std::unexpected(started.error());
    }
    return std::unique_ptr<RowSink>(std::move(sink));
  }

  ~XlsxSink() override {
    if (workbook_ != nullptr) lxw_workbook_free(workbook_);  // abandoned: write nothing
  }

  Status Add(const std::vector<std::string>& cells, int64_t row) override {
    if (row > kMaxDataRows) {
      return InvalidArgument(
          fmt::format("an XLSX sheet holds at most {} rows below the header", kMaxDataRows));
    }
    // Check the whole row first so that a bad cell leaves no half-written row behind.
    for (size_t column = 0; column < cells.size(); ++column) {
      const std::string& text = cells[column];
      if (text.find('\0') != std::string::npos) {
        return InvalidArgument(
            fmt::format("row {}, column {}: the text contains a NUL character", row, column + 1));
      }
      const auto characters = std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // not a continuation byte
      });
      if (characters > kMaxCellCharacters) {
        return InvalidArgument(
            fmt::format("row {}, column {}: longer than the {} characters an Excel cell holds", row,
                        column + 1, kMaxCellCharacters));
      }
    }
    for (size_t column = 0; column < cells.size(); ++column) {
      const std::string& text = ProtectEscapes(cells[column], scratch_);
      const lxw_error error = worksheet_write_string(worksheet_, static_cast<lxw_row_t>(row),
                                                     static_cast<lxw_col_t>(column), text.c_str(),
                                                     row == 0 ? bold_ : nullptr);
      if (error != LXW_NO_ERROR) {
        return Internal(fmt::format("{}: row {}: {}", path_, row, lxw_strerror(error)));
      }
      widths_[column] = std::max(widths_[column], DisplayWidth(cells[column]));
    }
    return {};
  }

  Status Close() override {
    for (size_t column = 0; column < widths_.size(); ++column) {
      // Bold header text and the filter-free margin need about two more units.
      const double width =
          static_cast<double>(std::clamp(widths_[column] + 2, kMinWidth, kMaxWidth));
      worksheet_set_column(worksheet_, static_cast<lxw_col_t>(column),
                           static_cast<lxw_col_t>(column), width, nullptr);
    }
    lxw_workbook* workbook = workbook_;
    workbook_ = nullptr;  // workbook_close frees it, whatever the outcome
    const lxw_error error = workbook_close(workbook);
    if (error != LXW_NO_ERROR) {
      return Internal(fmt::format("{}: cannot write the workbook: {}", path_, lxw_strerror(error)));
    }
    return {};
  }

 private:
  explicit XlsxSink(std::string path) : path_(std::move(path)) {}

  Status Start(const std::vector<std::string>& header, const WriteOptions& options) {
    if (const char* tmpdir = std::getenv("TMPDIR"); tmpdir != nullptr && *tmpdir != '\0') {
      tmpdir_ = tmpdir;
    }
    lxw_workbook_options workbook_options = {};
    workbook_options.constant_memory = LXW_TRUE;  // rows go to a temporary file as written
    workbook_options.tmpdir = tmpdir_.empty() ? nullptr : tmpdir_.data();
    workbook_ = workbook_new_opt(path_.c_str(), &workbook_options);
    if (workbook_ == nullptr) return Internal(fmt::format("{}: cannot start a workbook", path_));
    const lxw_error name_error =
        workbook_validate_sheet_name(workbook_, options.sheet_name.c_str());
    if (name_error != LXW_NO_ERROR || !IsValidUtf8(options.sheet_name)) {
      return InvalidArgument(fmt::format("\"{}\" cannot be a sheet name: {}", options.sheet_name,
                                         lxw_strerror(name_error)));
    }
    worksheet_ = workbook_add_worksheet(workbook_, options.sheet_name.c_str());
    if (worksheet_ == nullptr) {
      return Internal(fmt::format("{}: cannot add a worksheet (is {} writable?)", path_,
                                  tmpdir_.empty() ? "/tmp" : tmpdir_));
    }
    bold_ = workbook_add_format(workbook_);
    format_set_bold(bold_);
    worksheet_freeze_panes(worksheet_, 1, 0);
    widths_.assign(header.size(), 0);
    return Add(header, 0);
  }

  const std::string path_;
  std::string tmpdir_;
  lxw_workbook* workbook_ = nullptr;  // owned until Close()
  lxw_worksheet* worksheet_ = nullptr;
  lxw_format* bold_ = nullptr;
  std::vector<size_t> widths_;  // display width of the widest text per column
  std::string scratch_;
};

Status CheckUtf8(const std::vector<std::string>& cells, int64_t row) {
  for (size_t column = 0; column < cells.size(); ++column) {
    if (!IsValidUtf8(cells[column])) {
      return InvalidArgument(
          fmt::format("row {}, column {}: the text is not valid UTF-8", row, column + 1));
    }
  }
  return {};
}

}  // namespace

std::string_view ContentType(Format format) {
  switch (format) {
    case Format::kCsv:
      return "text/csv; charset=utf-8";
    case Format::kXlsx:
      return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  }
  return "application/octet-stream";
}

std::string_view FileExtension(Format format) {
  switch (format) {
    case Format::kCsv:
      return ".csv";
    case Format::kXlsx:
      return ".xlsx";
  }
  return "";
}

TableWriter::TableWriter(size_t width, std::unique_ptr<internal::RowSink> sink)
    : width_(width), sink_(std::move(sink)) {}

// Without Close() the sink's destructor abandons the output (see writer.h).
TableWriter::~TableWriter() = default;

Result<std::unique_ptr<TableWriter>> TableWriter::Create(const std::string& path, Format format,
                                                         const std::vector<std::string>& header,
                                                         WriteOptions options) {
  if (header.empty()) return InvalidArgument("a table needs at least one column");
  FUPIN_TRY(CheckUtf8(header, 0));
  auto sink = format == Format::kCsv ? CsvSink::Create(path, header, options)
                                     : XlsxSink::Create(path, header, options);
  if (!sink) return std::unexpected(sink.error());
  return std::unique_ptr<TableWriter>(new TableWriter(header.size(), std::move(*sink)));
}

Status TableWriter::Add(const std::vector<std::string>& cells) {
  if (closed_) return FailedPrecondition("the table has been closed");
  const int64_t row = rows_ + 1;
  if (cells.size() != width_) {
    return InvalidArgument(
        fmt::format("row {} has {} cells but the header has {}", row, cells.size(), width_));
  }
  FUPIN_TRY(CheckUtf8(cells, row));
  FUPIN_TRY(sink_->Add(cells, row));
  rows_ = row;
  return {};
}

Status TableWriter::Close() {
  if (closed_) return FailedPrecondition("the table has been closed");
  closed_ = true;
  return sink_->Close();
}

namespace {

// A temporary file's path (created empty), removed when the holder goes.
struct TempFile {
  std::string path;
  ~TempFile() {
    if (!path.empty()) std::remove(path.c_str());
  }
};

Status MakeTempFile(TempFile& file) {
  const char* tmpdir = std::getenv("TMPDIR");
  std::string path = (tmpdir != nullptr && *tmpdir != '\0') ? tmpdir : "/tmp";
  path += "/fupin-table-XXXXXX";
  const int fd = mkstemp(path.data());
  if (fd < 0) {
    return Internal(fmt::format("cannot create a temporary file in {}: {}",
                                path.substr(0, path.rfind('/')), std::strerror(errno)));
  }
  close(fd);
  file.path = std::move(path);
  return {};
}

}  // namespace

Result<std::string> WorkbookBytes(const std::vector<Sheet>& sheets) {
  if (sheets.empty()) return InvalidArgument("a workbook needs at least one sheet");
  // Check everything first: nothing is written for a bad workbook.
  for (const auto& sheet : sheets) {
    if (!IsValidUtf8(sheet.name)) return InvalidArgument("a sheet name is not valid UTF-8");
    for (size_t r = 0; r < sheet.rows.size(); ++r) {
      if (sheet.rows[r].size() > LXW_COL_MAX || r >= LXW_ROW_MAX) {
        return InvalidArgument(fmt::format("sheet \"{}\" is too large for XLSX", sheet.name));
      }
      for (size_t c = 0; c < sheet.rows[r].size(); ++c) {
        const Cell& cell = sheet.rows[r][c];
        if (cell.kind == Cell::Kind::kText &&
            (!IsValidUtf8(cell.text) || cell.text.find('\0') != std::string::npos ||
             cell.text.size() > 32767 * 4)) {
          return InvalidArgument(fmt::format("sheet \"{}\", row {}, column {}: not valid text",
                                             sheet.name, r + 1, c + 1));
        }
      }
    }
  }
  TempFile file;
  FUPIN_TRY(MakeTempFile(file));
  lxw_workbook* workbook = workbook_new(file.path.c_str());
  if (workbook == nullptr) return Internal("cannot start a workbook");
  lxw_format* bold = workbook_add_format(workbook);
  format_set_bold(bold);
  lxw_format* wrap = workbook_add_format(workbook);
  format_set_text_wrap(wrap);
  format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
  std::string scratch;
  for (const auto& sheet : sheets) {
    if (workbook_validate_sheet_name(workbook, sheet.name.c_str()) != LXW_NO_ERROR) {
      lxw_workbook_free(workbook);
      return InvalidArgument(fmt::format("\"{}\" cannot be a sheet name", sheet.name));
    }
    lxw_worksheet* ws = workbook_add_worksheet(workbook, sheet.name.c_str());
    if (ws == nullptr) {
      lxw_workbook_free(workbook);
      return Internal(fmt::format("cannot add the sheet \"{}\"", sheet.name));
    }
    std::vector<size_t> widths;
    for (size_t r = 0; r < sheet.rows.size(); ++r) {
      const auto& row = sheet.rows[r];
      if (widths.size() < row.size()) widths.resize(row.size(), 0);
      for (size_t c = 0; c < row.size(); ++c) {
        const auto lr = static_cast<lxw_row_t>(r);
        const auto lc = static_cast<lxw_col_t>(c);
        const Cell& cell = row[c];
        if (cell.kind == Cell::Kind::kNumber) {
          if (std::isfinite(cell.number)) {
            worksheet_write_number(ws, lr, lc, cell.number, nullptr);
            widths[c] = std::max<size_t>(widths[c], 12);
          }
        } else if (cell.kind == Cell::Kind::kText) {
          const bool long_text = DisplayWidth(cell.text) > 60;
          worksheet_write_string(ws, lr, lc, ProtectEscapes(cell.text, scratch).c_str(),
                                 r == 0 && sheet.header ? bold
                                 : long_text            ? wrap
                                                        : nullptr);
          widths[c] = std::max(widths[c], DisplayWidth(cell.text));
        }
      }
    }
    for (size_t c = 0; c < widths.size(); ++c) {
      worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                           static_cast<double>(std::clamp<size_t>(widths[c] + 2, 8, 60)), nullptr);
    }
    if (sheet.header) worksheet_freeze_panes(ws, 1, 0);
  }
  const lxw_error error = workbook_close(workbook);
  if (error != LXW_NO_ERROR) {
    return Internal(fmt::format("cannot write the workbook: {}", lxw_strerror(error)));
  }
  return ReadFileBytes(file.path);
}

Result<std::string> WriteToBytes(Format format, const std::vector<std::string>& header,
                                 const std::vector<std::vector<std::string>>& rows,
                                 WriteOptions options) {
  TempFile file;
  FUPIN_TRY(MakeTempFile(file));
  const std::string& path = file.path;
  auto writer = TableWriter::Create(path, format, header, std::move(options));
  if (!writer) return std::unexpected(writer.error());
  for (const auto& row : rows) FUPIN_TRY((*writer)->Add(row));
  FUPIN_TRY((*writer)->Close());
  return ReadFileBytes(path);
}

}  // namespace fupin::tabular
