// XLSX record source. The small parts that describe the workbook (workbook.xml, its
// relationships, styles.xml) are parsed with pugixml; the shared-string table and the
// worksheet are decompressed in chunks and read with XmlScanner, so neither is ever held as a
// DOM and the worksheet is never held at all.

#include <fmt/format.h>
#include <zip.h>

#include <charconv>
#include <map>
#include <pugixml.hpp>

#include "base/text.h"
#include "tabular/record_source.h"
#include "tabular/xlsx_values.h"
#include "tabular/xml_scanner.h"

namespace fupin::tabular::internal {
namespace {

// Upper bound on the parts read whole (workbook, relationships, styles): real ones are a few
// kilobytes; the bound keeps a hostile archive from making the reader inflate gigabytes.
constexpr size_t kMaxStructurePartBytes = 64 * 1024 * 1024;

struct ZipDiscarder {
  void operator()(zip_t* archive) const { zip_discard(archive); }  // read-only: nothing to save
};
using ZipArchive = std::unique_ptr<zip_t, ZipDiscarder>;

struct ZipFileCloser {
  void operator()(zip_file_t* file) const { zip_fclose(file); }
};
using ZipFile = std::unique_ptr<zip_file_t, ZipFileCloser>;

Result<ZipArchive> OpenArchive(const std::string& path) {
  int code = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_RDONLY, &code);
  if (archive == nullptr) {
    zip_error_t error;
    zip_error_init_with_code(&error, code);
    std::string message = zip_error_strerror(&error);
    zip_error_fini(&error);
    return InvalidArgument(fmt::format("not a readable XLSX file (zip: {})", message));
  }
  return ZipArchive(archive);
}

// Part names in an OPC package are case-insensitive.
std::optional<zip_uint64_t> Locate(zip_t* archive, const std::string& part) {
  const zip_int64_t index = zip_name_locate(archive, part.c_str(), ZIP_FL_NOCASE);
  if (index < 0) return std::nullopt;
  return static_cast<zip_uint64_t>(index);
}

Result<ZipFile> OpenPart(zip_t* archive, zip_uint64_t index, const std::string& part) {
  zip_file_t* file = zip_fopen_index(archive, index, 0);
  if (file == nullptr) {
    return InvalidArgument(fmt::format("{} cannot be read: {}", part, zip_strerror(archive)));
  }
  return ZipFile(file);
}

Result<size_t> ReadPart(zip_file_t* file, const std::string& part, char* dst, size_t capacity) {
  const zip_int64_t n = zip_fread(file, dst, capacity);
  if (n < 0) {
    return InvalidArgument(fmt::format("{}: the archive is damaged ({})", part,
                                       zip_error_strerror(zip_file_get_error(file))));
  }
  return static_cast<size_t>(n);
}

// Reads a whole (small) part.
Result<std::string> ReadWholePart(zip_t* archive, zip_uint64_t index, const std::string& part) {
  auto file = OpenPart(archive, index, part);
  if (!file) return std::unexpected(file.error());
  std::string text;
  constexpr size_t kStep = 64 * 1024;
  while (true) {
    const size_t old_size = text.size();
    text.resize(old_size + kStep);
    auto n = ReadPart(file->get(), part, text.data() + old_size, kStep);
    if (!n) return std::unexpected(n.error());
    text.resize(old_size + *n);
    if (*n == 0) return text;
    if (text.size() > kMaxStructurePartBytes) {
      return InvalidArgument(
          fmt::format("{} is larger than {} bytes", part, kMaxStructurePartBytes));
    }
  }
}

std::string_view LocalName(const char* qualified) {
  const std::string_view name(qualified);
  const size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

// Child elements of `parent` with the local name `name` (namespace prefixes vary by writer).
std::vector<pugi::xml_node> Children(pugi::xml_node parent, std::string_view name) {
  std::vector<pugi::xml_node> found;
  for (pugi::xml_node child : parent.children()) {
    if (child.type() == pugi::node_element && LocalName(child.name()) == name) {
      found.push_back(child);
    }
  }
  return found;
}

pugi::xml_node Child(pugi::xml_node parent, std::string_view name) {
  for (pugi::xml_node child : parent.children()) {
    if (child.type() == pugi::node_element && LocalName(child.name()) == name) return child;
  }
  return {};
}

Status ParseXml(const std::string& text, const std::string& part, std::string_view root,
                pugi::xml_document& document) {
  const pugi::xml_parse_result result =
      document.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!result) {
    return InvalidArgument(
        fmt::format("{}: malformed XML at byte {}: {}", part, result.offset, result.description()));
  }
  if (LocalName(document.document_element().name()) != root) {
    return InvalidArgument(fmt::format("{}: expected a <{}> document", part, root));
  }
  return {};
}

// The directory part of a part name, with its trailing slash ("xl/" for "xl/workbook.xml").
std::string Directory(std::string_view part) {
  const size_t slash = part.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(part.substr(0, slash + 1));
}

// Resolves a relationship target against the directory of the part that holds it.
std::string ResolveTarget(std::string_view directory, std::string_view target) {
  std::string joined = target.starts_with('/') ? std::string(target.substr(1))
                                               : std::string(directory) + std::string(target);
  std::vector<std::string> segments;
  for (std::string& segment : Split(joined, '/')) {
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
      continue;
    }
    segments.push_back(std::move(segment));
  }
  std::string resolved;
  for (const std::string& segment : segments) {
    if (!resolved.empty()) resolved.push_back('/');
    resolved += segment;
  }
  return resolved;
}

struct Relationship {
  std::string id;
  std::string type;  // the full type URI
  std::string part;  // resolved target part name
};

// Reads the relationships of `source_part` (from _rels/<name>.rels beside it). A package
// without that file has no relationships.
Result<std::vector<Relationship>> ReadRelationships(zip_t* archive,
                                                    const std::string& source_part) {
  const std::string directory = Directory(source_part);
  const std::string rels_part =
      directory + "_rels/" + source_part.substr(directory.size()) + ".rels";
  std::vector<Relationship> relationships;
  const auto index = Locate(archive, rels_part);
  if (!index) return relationships;
  auto text = ReadWholePart(archive, *index, rels_part);
  if (!text) return std::unexpected(text.error());
  pugi::xml_document document;
  FUPIN_TRY(ParseXml(*text, rels_part, "Relationships", document));
  for (pugi::xml_node node : Children(document.document_element(), "Relationship")) {
    if (std::string_view(node.attribute("TargetMode").value()) == "External") continue;
    relationships.push_back(
        Relationship{node.attribute("Id").value(), node.attribute("Type").value(),
                     ResolveTarget(directory, node.attribute("Target").value())});
  }
  return relationships;
}

bool HasType(const Relationship& relationship, std::string_view kind) {
  return std::string_view(relationship.type).ends_with("/" + std::string(kind));
}

struct Sheet {
  std::string name;
  bool hidden = false;
  const Relationship* relationship = nullptr;  // null when the workbook's id is dangling
};

// The strings cells of type "s" point at, packed into one buffer.
class SharedStrings {
 public:
  void Add(std::string_view text) {
    pool_ += text;
    ends_.push_back(pool_.size());
  }
  size_t size() const { return ends_.size(); }
  size_t bytes() const { return pool_.size(); }
  std::string_view Get(size_t index) const {
    const size_t begin = index == 0 ? 0 : ends_[index - 1];
    return std::string_view(pool_).substr(begin, ends_[index] - begin);
  }

 private:
  std::string pool_;
  std::vector<size_t> ends_;
};

XmlScanner MakeScanner(zip_file_t* file, const std::string& part, const ReadOptions& options) {
  return XmlScanner(
      [file, part](char* dst, size_t capacity) { return ReadPart(file, part, dst, capacity); },
      options.chunk_bytes, options.max_record_bytes);
}

Status LoadSharedStrings(zip_t* archive, const std::string& part, const ReadOptions& options,
                         SharedStrings& strings) {
  const auto index = Locate(archive, part);
  if (!index) return {};  // a workbook without strings may omit the table
  auto file = OpenPart(archive, *index, part);
  if (!file) return std::unexpected(file.error());
  XmlScanner scanner = MakeScanner(file->get(), part, options);
  std::string current;
  bool in_item = false;
  bool in_text = false;
  int phonetic_depth = 0;  // inside <rPh>: a reading aid (furigana), not part of the value
  while (true) {
    auto token = scanner.Next();
    if (!token) return std::unexpected(token.error().Prefix(part));
    if (*token == XmlScanner::Token::kEof) return {};
    const std::string_view name = scanner.name();
    if (*token == XmlScanner::Token::kText) {
      if (in_text) current += scanner.text();
    } else if (*token == XmlScanner::Token::kStart) {
      if (name == "si") {
        in_item = true;
        current.clear();
      } else if (name == "rPh") {
        ++phonetic_depth;
      } else if (name == "t" && in_item && phonetic_depth == 0) {
        in_text = true;
      }
    } else if (name == "t") {
      in_text = false;
    } else if (name == "rPh") {
      --phonetic_depth;
    } else if (name == "si") {
      in_item = false;
      DecodeOoxmlEscapes(current);
      if (!IsValidUtf8(current)) {
        return InvalidArgument(
            fmt::format("{}: shared string {} is not valid UTF-8", part, strings.size()));
      }
      strings.Add(current);
      if (strings.bytes() > options.max_shared_strings_bytes) {
        return InvalidArgument(fmt::format("{}: the shared strings exceed {} bytes", part,
                                           options.max_shared_strings_bytes));
      }
    }
  }
}

// For each cell style (index into cellXfs): does it show numbers as dates?
Result<std::vector<bool>> LoadDateStyles(zip_t* archive, const std::string& part) {
  std::vector<bool> date_styles;
  const auto index = Locate(archive, part);
  if (!index) return date_styles;
  auto text = ReadWholePart(archive, *index, part);
  if (!text) return std::unexpected(text.error());
  pugi::xml_document document;
  FUPIN_TRY(ParseXml(*text, part, "styleSheet", document));
  const pugi::xml_node root = document.document_element();
  std::map<int, std::string> custom_formats;
  for (pugi::xml_node format : Children(Child(root, "numFmts"), "numFmt")) {
    custom_formats[format.attribute("numFmtId").as_int(-1)] =
        format.attribute("formatCode").value();
  }
  for (pugi::xml_node xf : Children(Child(root, "cellXfs"), "xf")) {
    const int id = xf.attribute("numFmtId").as_int(0);
    const auto custom = custom_formats.find(id);
    date_styles.push_back(custom != custom_formats.end() ? IsDateFormatCode(custom->second)
                                                         : IsBuiltInDateFormat(id));
  }
  return date_styles;
}

std::optional<int64_t> ParseInteger(std::string_view text) {
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool LooksLikeIsoDate(std::string_view s) {
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

class XlsxSource final : public RecordSource {
 public:
  XlsxSource(ZipArchive archive, ZipFile sheet_file, std::string sheet_part,
             const ReadOptions& options, SharedStrings strings, std::vector<bool> date_styles,
             bool date1904)
      : archive_(std::move(archive)),
        sheet_file_(std::move(sheet_file)),
        sheet_part_(std::move(sheet_part)),
        strings_(std::move(strings)),
        date_styles_(std::move(date_styles)),
        date1904_(date1904),
        scanner_(MakeScanner(sheet_file_.get(), sheet_part_, options)) {}

  Result<bool> Next(int64_t& line, std::vector<std::string>& cells) override {
    if (done_) return false;
    cells.clear();
    bool in_row = false;
    while (true) {
      auto token = scanner_.Next();
      if (!token) {
        // Name the last good row: users find a row more easily than a byte offset.
        return std::unexpected(token.error().Prefix(
            last_row_ > 0 ? fmt::format("{}, after row {}", sheet_part_, last_row_) : sheet_part_));
      }
      if (*token == XmlScanner::Token::kEof) {
        done_ = true;
        return false;
      }
      if (*token == XmlScanner::Token::kText) {
        if (in_value_) {
          value_ += scanner_.text();
        } else if (in_text_) {
          inline_text_ += scanner_.text();
        }
        continue;
      }
      const std::string_view name = scanner_.name();
      if (!in_sheet_data_) {
        in_sheet_data_ = *token == XmlScanner::Token::kStart && name == "sheetData";
        continue;
      }
      if (*token == XmlScanner::Token::kStart) {
        if (name == "row") {
          FUPIN_TRY(StartRow(line));
          in_row = true;
        } else if (name == "c" && in_row) {
          FUPIN_TRY(StartCell(line));
        } else if (in_cell_) {
          if (name == "v") {
            in_value_ = true;
          } else if (name == "is") {
            in_inline_ = true;
          } else if (name == "rPh" && in_inline_) {
            ++phonetic_depth_;
          } else if (name == "t" && in_inline_ && phonetic_depth_ == 0) {
            in_text_ = true;
          }
        }
        continue;
      }
      // kEnd
      if (name == "sheetData") {
        done_ = true;  // the rest of the worksheet (merged cells, page setup) is not needed
        return false;
      }
      if (name == "row" && in_row) {
        last_row_ = line;
        return true;
      }
      if (name == "c" && in_cell_) {
        FUPIN_TRY(FinishCell(line, cells));
      } else if (name == "v") {
        in_value_ = false;
      } else if (name == "is") {
        in_inline_ = false;
      } else if (name == "rPh" && phonetic_depth_ > 0) {
        --phonetic_depth_;
      } else if (name == "t") {
        in_text_ = false;
      }
    }
  }

  std::string_view format() const override { return "xlsx"; }

  std::string ColumnName(size_t index) const override {
    return fmt::format("column {}", ColumnLetters(index));
  }

 private:
  std::unexpected<Error> CellError(int64_t row, std::string_view what) const {
    const std::string cell = fmt::format("{}{}", ColumnLetters(column_), row);
    return InvalidArgument(fmt::format("{}: cell {}: {}", sheet_part_, cell, what),
                           {ErrorDetail{row, ColumnLetters(column_), "", std::string(what)}});
  }

  Status StartRow(int64_t& line) {
    const auto number = scanner_.Attribute("r");
    if (!number) {
      line = last_row_ + 1;  // rows without numbers follow each other
    } else {
      const auto parsed = ParseInteger(*number);
      if (!parsed || *parsed < 1 || *parsed > kMaxRows) {
        return InvalidArgument(fmt::format("{}: a row has the bad number \"{}\" (after row {})",
                                           sheet_part_, *number, last_row_));
      }
      line = *parsed;
    }
    next_column_ = 0;
    return {};
  }

  Status StartCell(int64_t row) {
    const auto reference = scanner_.Attribute("r");
    if (!reference) {
      column_ = next_column_;
    } else {
      const auto column = ColumnFromReference(*reference);
      if (!column) {
        return InvalidArgument(fmt::format("{}: row {}: a cell has the bad reference \"{}\"",
                                           sheet_part_, row, *reference));
      }
      column_ = *column;
    }
    if (column_ >= kMaxColumns) {
      return InvalidArgument(
          fmt::format("{}: row {}: more than {} columns", sheet_part_, row, kMaxColumns));
    }
    type_ = scanner_.Attribute("t").value_or("n");
    const auto style = ParseInteger(scanner_.Attribute("s").value_or("0"));
    is_date_ = style && *style >= 0 && static_cast<size_t>(*style) < date_styles_.size() &&
               date_styles_[static_cast<size_t>(*style)];
    value_.clear();
    inline_text_.clear();
    in_cell_ = true;
    in_value_ = in_inline_ = in_text_ = false;
    phonetic_depth_ = 0;
    return {};
  }

  Status FinishCell(int64_t row, std::vector<std::string>& cells) {
    in_cell_ = false;
    next_column_ = column_ + 1;
    std::string text;
    const std::string_view value = Trim(value_);
    if (type_ == "s" && value.empty()) {
      // no value: an empty cell
    } else if (type_ == "s") {
      const auto index = ParseInteger(value);
      if (!index || *index < 0 || static_cast<size_t>(*index) >= strings_.size()) {
        return CellError(row, fmt::format("shared string \"{}\" does not exist", value));
      }
      text = strings_.Get(static_cast<size_t>(*index));
    } else if (type_ == "inlineStr") {
      text = inline_text_;
      DecodeOoxmlEscapes(text);
    } else if (type_ == "str") {  // the cached result of a formula that yields text
      text = value_;
      DecodeOoxmlEscapes(text);
    } else if (type_ == "b") {
      text = value == "1" ? "TRUE" : value == "0" ? "FALSE" : std::string(value);
    } else if (type_ == "d") {  // an ISO 8601 date-time (written by a few tools, not Excel)
      text = LooksLikeIsoDate(value) ? value.substr(0, 10) : value;
    } else if (type_ == "n" && is_date_ && !value.empty()) {
      auto date = SerialToIsoDate(value, date1904_);
      text = date ? std::move(*date) : std::string(NumberText(value));
    } else if (type_ == "n") {
      text = NumberText(value);
    } else {  // "e" (an error value such as #N/A) and anything unknown: as written
      text = value;
    }
    const std::string_view trimmed = Trim(text);
    if (!IsValidUtf8(trimmed)) return CellError(row, "the text is not valid UTF-8");
    if (cells.size() <= column_) cells.resize(column_ + 1);
    cells[column_].assign(trimmed);
    return {};
  }

  // Constant after construction. archive_ must outlive sheet_file_ (declared first).
  const ZipArchive archive_;
  const ZipFile sheet_file_;
  const std::string sheet_part_;
  const SharedStrings strings_;
  const std::vector<bool> date_styles_;
  const bool date1904_;

  XmlScanner scanner_;
  bool in_sheet_data_ = false;
  bool done_ = false;
  int64_t last_row_ = 0;
  // The cell being read.
  size_t column_ = 0;
  size_t next_column_ = 0;  // where a cell without a reference goes
  std::string type_;
  bool is_date_ = false;
  std::string value_;        // text of <v>
  std::string inline_text_;  // text of <is><t> (and rich-text runs)
  bool in_cell_ = false;
  bool in_value_ = false;
  bool in_inline_ = false;
  bool in_text_ = false;
  int phonetic_depth_ = 0;
};

}  // namespace

Result<std::unique_ptr<RecordSource>> OpenXlsxSource(const std::string& path,
                                                     const ReadOptions& options) {
  auto archive = OpenArchive(path);
  if (!archive) return std::unexpected(archive.error());
  zip_t* zip = archive->get();

  // The package names its main part in _rels/.rels; every workbook in practice uses this one.
  std::string workbook_part = "xl/workbook.xml";
  auto package_relationships = ReadRelationships(zip, "");
  if (!package_relationships) return std::unexpected(package_relationships.error());
  for (const Relationship& relationship : *package_relationships) {
    if (HasType(relationship, "officeDocument")) workbook_part = relationship.part;
  }
  const auto workbook_index = Locate(zip, workbook_part);
  if (!workbook_index) {
    return InvalidArgument(
        fmt::format("a zip archive but not an XLSX workbook: it has no {}", workbook_part));
  }
  auto workbook_text = ReadWholePart(zip, *workbook_index, workbook_part);
  if (!workbook_text) return std::unexpected(workbook_text.error());
  pugi::xml_document workbook;
  FUPIN_TRY(ParseXml(*workbook_text, workbook_part, "workbook", workbook));
  const pugi::xml_node root = workbook.document_element();
  const std::string_view date1904_flag = Child(root, "workbookPr").attribute("date1904").value();
  const bool date1904 = date1904_flag == "1" || date1904_flag == "true";

  auto relationships = ReadRelationships(zip, workbook_part);
  if (!relationships) return std::unexpected(relationships.error());
  std::vector<Sheet> sheets;
  for (pugi::xml_node node : Children(Child(root, "sheets"), "sheet")) {
    Sheet sheet;
    sheet.name = node.attribute("name").value();
    const std::string_view state = node.attribute("state").value();
    sheet.hidden = state == "hidden" || state == "veryHidden";
    for (pugi::xml_attribute attribute : node.attributes()) {
      const std::string_view qualified = attribute.name();
      // r:id, whatever prefix the writer bound to the relationships namespace
      if (qualified.find(':') == std::string_view::npos || LocalName(attribute.name()) != "id") {
        continue;
      }
      for (const Relationship& relationship : *relationships) {
        if (relationship.id == attribute.value()) sheet.relationship = &relationship;
      }
    }
    sheets.push_back(std::move(sheet));
  }

  const Sheet* chosen = nullptr;
  auto is_worksheet = [](const Sheet& sheet) {
    return sheet.relationship != nullptr && HasType(*sheet.relationship, "worksheet");
  };
  if (!options.sheet.empty()) {
    std::string names;
    for (const Sheet& sheet : sheets) {
      if (sheet.name == options.sheet) chosen = &sheet;
      names += names.empty() ? "" : ", ";
      names += sheet.name;
    }
    if (chosen == nullptr) {
      return InvalidArgument(
          fmt::format("the workbook has no sheet named \"{}\" (it has: {})", options.sheet, names));
    }
    if (!is_worksheet(*chosen)) {
      return InvalidArgument(
          fmt::format("sheet \"{}\" is not a worksheet (a chart?)", options.sheet));
    }
  } else {
    for (const Sheet& sheet : sheets) {
      if (is_worksheet(sheet) && !sheet.hidden) {
        chosen = &sheet;
        break;
      }
    }
    for (const Sheet& sheet : sheets) {
      if (chosen == nullptr && is_worksheet(sheet)) chosen = &sheet;
    }
    if (chosen == nullptr) return InvalidArgument("the workbook has no worksheet");
  }
  const std::string sheet_part = chosen->relationship->part;
  const auto sheet_index = Locate(zip, sheet_part);
  if (!sheet_index) {
    return InvalidArgument(
        fmt::format("sheet \"{}\" is missing from the archive ({})", chosen->name, sheet_part));
  }

  std::string strings_part = Directory(workbook_part) + "sharedStrings.xml";
  std::string styles_part = Directory(workbook_part) + "styles.xml";
  for (const Relationship& relationship : *relationships) {
    if (HasType(relationship, "sharedStrings")) strings_part = relationship.part;
    if (HasType(relationship, "styles")) styles_part = relationship.part;
  }
  auto date_styles = LoadDateStyles(zip, styles_part);
  if (!date_styles) return std::unexpected(date_styles.error());
  SharedStrings strings;
  FUPIN_TRY(LoadSharedStrings(zip, strings_part, options, strings));

  auto sheet_file = OpenPart(zip, *sheet_index, sheet_part);
  if (!sheet_file) return std::unexpected(sheet_file.error());
  return std::unique_ptr<RecordSource>(
      std::make_unique<XlsxSource>(std::move(*archive), std::move(*sheet_file), sheet_part, options,
                                   std::move(strings), std::move(*date_styles), date1904));
}

}  // namespace fupin::tabular::internal
