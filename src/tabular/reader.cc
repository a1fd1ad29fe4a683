#include "tabular/reader.h"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>

#include "base/text.h"
#include "tabular/record_source.h"

namespace fupin::tabular {
namespace {

bool AllEmpty(const std::vector<std::string>& cells) {
  for (const std::string& cell : cells) {
    if (!cell.empty()) return false;
  }
  return true;
}

enum class Sniffed { kZip, kOle, kOther };

// Looks at the first bytes: formats are told apart by content, never by file name.
Result<Sniffed> Sniff(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return Internal("cannot open for reading");
  char magic[8] = {};
  const size_t n = std::fread(magic, 1, sizeof magic, file);
  std::fclose(file);
  const std::string_view head(magic, n);
  if (head.starts_with("PK\x03\x04") || head.starts_with("PK\x05\x06")) return Sniffed::kZip;
  if (head == "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") return Sniffed::kOle;
  return Sniffed::kOther;
}

}  // namespace

TableReader::TableReader(std::string path, std::unique_ptr<internal::RecordSource> source)
    : path_(std::move(path)), source_(std::move(source)) {}

TableReader::~TableReader() = default;

Result<std::unique_ptr<TableReader>> TableReader::Open(const std::string& path,
                                                       ReadOptions options) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return NotFound(fmt::format("{}: no such file", path));
  if (!std::filesystem::is_regular_file(path, ec)) {
    return InvalidArgument(fmt::format("{}: not a regular file", path));
  }
  auto sniffed = Sniff(path);
  if (!sniffed) return std::unexpected(sniffed.error().Prefix(path));
  if (*sniffed == Sniffed::kOle) {
    return InvalidArgument(
        fmt::format("{}: an Excel 97-2003 (.xls) or password-protected workbook; save it as .xlsx "
                    "(without a password) or as CSV",
                    path));
  }
  auto source = *sniffed == Sniffed::kZip ? internal::OpenXlsxSource(path, options)
                                          : internal::OpenCsvSource(path, options);
  if (!source) return std::unexpected(source.error().Prefix(path));
  std::unique_ptr<TableReader> reader(new TableReader(path, std::move(*source)));
  FUPIN_TRY(reader->ReadHeader());
  return reader;
}

Status TableReader::ReadHeader() {
  while (true) {
    auto more = source_->Next(header_line_, header_);
    if (!more) return std::unexpected(Fail(more.error()));
    if (!*more) {
      return std::unexpected(
          Fail(Error{ErrorCode::kInvalidArgument, "the file is empty: no header row", {}, 0, 0}));
    }
    for (std::string& name : header_) name = std::string(Trim(name));
    while (!header_.empty() && header_.back().empty()) header_.pop_back();
    if (!header_.empty()) return {};
  }
}

Error TableReader::Fail(Error error) {
  error.Prefix(path_);
  failed_ = error;
  return error;
}

std::optional<size_t> TableReader::FindColumn(std::initializer_list<std::string_view> names) const {
  for (size_t i = 0; i < header_.size(); ++i) {
    for (std::string_view name : names) {
      if (header_[i] == name) return i;
    }
  }
  return std::nullopt;
}

Result<bool> TableReader::Next(Row& row) {
  if (failed_) return std::unexpected(*failed_);
  if (at_end_) return false;
  while (true) {
    auto more = source_->Next(raw_line_, raw_cells_);
    if (!more) return std::unexpected(Fail(more.error()));
    if (!*more) {
      at_end_ = true;
      return false;
    }
    if (AllEmpty(raw_cells_)) continue;
    const size_t width = header_.size();
    for (size_t i = width; i < raw_cells_.size(); ++i) {
      if (raw_cells_[i].empty()) continue;
      const std::string column = source_->ColumnName(i);
      return std::unexpected(Fail(
          Error{ErrorCode::kInvalidArgument,
                fmt::format("{} {}: {} has a value but the header has only {} columns",
                            format() == "xlsx" ? "row" : "line", raw_line_, column, width),
                {ErrorDetail{raw_line_, column, raw_cells_[i], "a value beyond the last column"}},
                0,
                0}));
    }
    raw_cells_.resize(width);
    row.line = raw_line_;
    row.cells.swap(raw_cells_);
    return true;
  }
}

std::string_view TableReader::format() const { return source_->format(); }

std::optional<double> TableReader::FractionRead() const { return source_->FractionRead(); }

}  // namespace fupin::tabular
