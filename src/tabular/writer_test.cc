#include "tabular/writer.h"

#include <gtest/gtest.h>

#include <regex>

#include "tabular/reader.h"
#include "tabular/test_util.h"

namespace fupin::tabular {
namespace {

using testing::ReadAll;
using testing::ReadFile;
using testing::ReadZipEntry;
using testing::TempDir;

TEST(CsvWriter, BomCrlfAndQuoting) {
  TempDir dir;
  const std::string path = dir.Path("out.csv");
  auto writer = TableWriter::Create(path, Format::kCsv, {"代码", "名称", "备注"});
  ASSERT_TRUE(writer.has_value()) << writer.error().message;
  ASSERT_TRUE((*writer)->Add({"620102", "城关区", "a,b"}).has_value());
  ASSERT_TRUE((*writer)->Add({"1", "say \"hi\"", "two\nlines"}).has_value());
  ASSERT_TRUE((*writer)->Add({"", " padded ", ""}).has_value());
  EXPECT_EQ((*writer)->rows(), 3);
  ASSERT_TRUE((*writer)->Close().has_value());
  EXPECT_EQ(ReadFile(path),
            "\xEF\xBB\xBF"
            "代码,名称,备注\r\n"
            "620102,城关区,\"a,b\"\r\n"
            "1,\"say \"\"hi\"\"\",\"two\nlines\"\r\n"
            ",\" padded \",\r\n");
}

TEST(CsvWriter, FormulasAreNeutralizedUnlessTurnedOff) {
  const std::vector<std::string> header = {"v"};
  const std::vector<std::vector<std::string>> rows = {{"=HYPERLINK(\"http://x\")"},
                                                      {"@SUM(A1)"},
                                                      {"+86 138"},
                                                      {"-2+3"},
                                                      {" =1"},
                                                      {"-5"},
                                                      {"+1.5"},
                                                      {"-"},
                                                      {"a=b"},
                                                      {"2020-01-01"}};
  auto guarded = WriteToBytes(Format::kCsv, header, rows);
  ASSERT_TRUE(guarded.has_value()) << guarded.error().message;
  EXPECT_EQ(*guarded,
            "\xEF\xBB\xBFv\r\n\"'=HYPERLINK(\"\"http://x\"\")\"\r\n'@SUM(A1)\r\n'+86 138\r\n"
            "'-2+3\r\n' =1\r\n-5\r\n+1.5\r\n-\r\na=b\r\n2020-01-01\r\n");
  WriteOptions options;
  options.neutralize_formulas = false;
  auto raw = WriteToBytes(Format::kCsv, header, {{"=1+1"}}, options);
  ASSERT_TRUE(raw.has_value());
  EXPECT_EQ(*raw, "\xEF\xBB\xBFv\r\n=1+1\r\n");
}

TEST(CsvWriter, RoundTripThroughTheReader) {
  TempDir dir;
  const std::string path = dir.Path("rt.csv");
  const std::vector<std::string> header = {"身份证号", "姓名", "备注"};
  const std::vector<std::vector<std::string>> rows = {
      {"620102199001011234", "张三", "含,逗号"}, {"", "李四", "多\n行"}, {"x", "", "\"q\""}};
  {
    auto writer = TableWriter::Create(path, Format::kCsv, header);
    ASSERT_TRUE(writer.has_value());
    for (const auto& row : rows) ASSERT_TRUE((*writer)->Add(row).has_value());
    ASSERT_TRUE((*writer)->Close().has_value());
  }
  auto table = ReadAll(path);
  ASSERT_TRUE(table.has_value()) << table.error().message;
  EXPECT_EQ(table->format, "csv-utf-8-bom");
  EXPECT_EQ(table->header, header);
  ASSERT_EQ(table->rows.size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(table->rows[i].cells, rows[i]);
  EXPECT_EQ(table->rows[2].line, 5);  // row 2's cell spans lines 3 and 4
}

TEST(TableWriter, RejectsBadRowsAndUseAfterClose) {
  TempDir dir;
  for (Format format : {Format::kCsv, Format::kXlsx}) {
    const std::string path = dir.Path(std::string("bad") + std::string(FileExtension(format)));
    auto code_of = [](const auto& result) {
      return result.has_value() ? std::optional<ErrorCode>() : result.error().code;
    };
    EXPECT_EQ(code_of(TableWriter::Create(path, format, {})), ErrorCode::kInvalidArgument);
    EXPECT_EQ(code_of(TableWriter::Create(path, format, {"a", "b\xFF"})),
              ErrorCode::kInvalidArgument);
    EXPECT_EQ(code_of(TableWriter::Create(dir.Path("no/such/dir/x"), format, {"a"})),
              ErrorCode::kInternal);

    auto writer = TableWriter::Create(path, format, {"a", "b"});
    ASSERT_TRUE(writer.has_value()) << writer.error().message;
    auto narrow = (*writer)->Add({"1"});
    ASSERT_FALSE(narrow.has_value());
    EXPECT_EQ(narrow.error().message, "row 1 has 1 cells but the header has 2");
    auto invalid = (*writer)->Add({"1", "\xC3"});
    ASSERT_FALSE(invalid.has_value());
    EXPECT_EQ(invalid.error().message, "row 1, column 2: the text is not valid UTF-8");
    ASSERT_TRUE((*writer)->Add({"1", "2"}).has_value());
    EXPECT_EQ((*writer)->rows(), 1);
    ASSERT_TRUE((*writer)->Close().has_value());
    EXPECT_EQ(code_of((*writer)->Add({"1", "2"})), ErrorCode::kFailedPrecondition);
    EXPECT_EQ(code_of((*writer)->Close()), ErrorCode::kFailedPrecondition);

    auto table = ReadAll(path);
    ASSERT_TRUE(table.has_value()) << table.error().message;
    ASSERT_EQ(table->rows.size(), 1u);  // only the good row
    EXPECT_EQ(table->rows[0].cells, (std::vector<std::string>{"1", "2"}));
  }
}

TEST(XlsxWriter, CellsAreTextHeaderBoldAndFrozenColumnsSized) {
  TempDir dir;
  const std::string path = dir.Path("out.xlsx");
  auto writer = TableWriter::Create(path, Format::kXlsx, {"身份证号码", "code", "x"});
  ASSERT_TRUE(writer.has_value()) << writer.error().message;
  ASSERT_TRUE((*writer)->Add({"620102199001011234", "42", ""}).has_value());
  const std::string address = "甘肃省兰州市城关区某某街道某某社区";
  ASSERT_TRUE((*writer)->Add({"1.5", address, ""}).has_value());
  ASSERT_TRUE((*writer)->Close().has_value());

  const std::string sheet = ReadZipEntry(path, "xl/worksheets/sheet1.xml");
  ASSERT_FALSE(sheet.empty());
  // Every non-empty cell is an inline string; none is a number.
  EXPECT_EQ(std::regex_search(sheet, std::regex("<c r=\"[A-Z]+[0-9]+\"( s=\"[0-9]+\")?>")), false);
  EXPECT_NE(sheet.find("<t>620102199001011234</t>"), std::string::npos);
  EXPECT_EQ(sheet.find("r=\"C2\""), std::string::npos);  // empty cells are not written
  // Frozen header row.
  EXPECT_NE(sheet.find("ySplit=\"1\""), std::string::npos);
  EXPECT_NE(sheet.find("state=\"frozen\""), std::string::npos);
  // The header cells use a bold format; data cells use none.
  std::smatch header_style;
  ASSERT_TRUE(std::regex_search(sheet, header_style, std::regex("<c r=\"A1\" s=\"([0-9]+)\"")));
  const std::string styles = ReadZipEntry(path, "xl/styles.xml");
  EXPECT_NE(styles.find("<b/>"), std::string::npos);
  EXPECT_EQ(sheet.find("<c r=\"A2\" s="), std::string::npos);
  // Widths: the widest text plus 2, CJK counting double: column A the 18-digit ID (18 beats
  // the header's 5 CJK characters = 10), column B the address (17 CJK = 34), column C the
  // minimum (8). libxlsxwriter adds its own fraction of padding.
  std::smatch widths;
  ASSERT_TRUE(std::regex_search(
      sheet, widths,
      std::regex("<col min=\"1\" max=\"1\" width=\"([0-9.]+)\".*<col min=\"2\" max=\"2\" "
                 "width=\"([0-9.]+)\".*<col min=\"3\" max=\"3\" width=\"([0-9.]+)\"")));
  const double a = std::stod(widths[1]);
  const double b = std::stod(widths[2]);
  const double c = std::stod(widths[3]);
  EXPECT_GE(a, 20);
  EXPECT_LT(a, 22);
  EXPECT_GE(b, 36);
  EXPECT_LT(b, 38);
  EXPECT_GE(c, 8);
  EXPECT_LT(c, 10);
}

TEST(XlsxWriter, SheetNameEscapesAndLimits) {
  TempDir dir;
  const std::string path = dir.Path("named.xlsx");
  WriteOptions options;
  options.sheet_name = "贫困户名单";
  auto writer = TableWriter::Create(path, Format::kXlsx, {"v"}, options);
  ASSERT_TRUE(writer.has_value()) << writer.error().message;
  const std::vector<std::string> values = {"_x0041_ stays", "ctl\x01\x1F char", " lead & trail ",
                                           "=1+1", std::string(32767, 'a')};
  for (const auto& value : values) ASSERT_TRUE((*writer)->Add({value}).has_value()) << value;
  auto too_long = (*writer)->Add({std::string(32768, 'a')});
  ASSERT_FALSE(too_long.has_value());
  EXPECT_EQ(too_long.error().code, ErrorCode::kInvalidArgument);
  ASSERT_FALSE((*writer)->Add({std::string("nul\0here", 8)}).has_value());
  ASSERT_TRUE((*writer)->Close().has_value());

  ReadOptions read_options;
  read_options.sheet = "贫困户名单";
  auto table = ReadAll(path, read_options);
  ASSERT_TRUE(table.has_value()) << table.error().message;
  ASSERT_EQ(table->rows.size(), values.size());
  EXPECT_EQ(table->rows[0].cells[0], "_x0041_ stays");
  EXPECT_EQ(table->rows[1].cells[0], "ctl\x01\x1F char");
  EXPECT_EQ(table->rows[2].cells[0], "lead & trail");  // the reader trims
  EXPECT_EQ(table->rows[3].cells[0], "=1+1");          // text, never a formula
  EXPECT_EQ(table->rows[4].cells[0].size(), 32767u);

  options.sheet_name = "bad/name";
  auto bad = TableWriter::Create(dir.Path("bad.xlsx"), Format::kXlsx, {"v"}, options);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(std::filesystem::exists(dir.Path("bad.xlsx")));
}

TEST(WriteToBytes, BothFormatsAndNoTemporaryFileLeft) {
  TempDir dir;
  const std::string tmpdir = dir.Path("tmp");
  std::filesystem::create_directory(tmpdir);
  const char* old_tmpdir = std::getenv("TMPDIR");
  const std::string saved = old_tmpdir != nullptr ? old_tmpdir : "";
  setenv("TMPDIR", tmpdir.c_str(), 1);

  const std::vector<std::string> header = {"编号", "名称"};
  const std::vector<std::vector<std::string>> rows = {{"001", "甲"}, {"002", "乙"}};
  auto csv = WriteToBytes(Format::kCsv, header, rows);
  auto xlsx = WriteToBytes(Format::kXlsx, header, rows);
  auto bad = WriteToBytes(Format::kCsv, header, {{"only one"}});
  const bool tmpdir_empty = std::filesystem::is_empty(tmpdir);
  if (old_tmpdir != nullptr) {
    setenv("TMPDIR", saved.c_str(), 1);
  } else {
    unsetenv("TMPDIR");
  }

  ASSERT_TRUE(csv.has_value()) << csv.error().message;
  EXPECT_EQ(*csv, "\xEF\xBB\xBF编号,名称\r\n001,甲\r\n002,乙\r\n");
  ASSERT_TRUE(xlsx.has_value()) << xlsx.error().message;
  EXPECT_TRUE(xlsx->starts_with("PK\x03\x04"));
  ASSERT_FALSE(bad.has_value());
  EXPECT_TRUE(tmpdir_empty) << "temporary files were left in " << tmpdir;

  const std::string path = dir.Path("from-bytes.xlsx");
  testing::WriteFile(path, *xlsx);
  auto table = ReadAll(path);
  ASSERT_TRUE(table.has_value()) << table.error().message;
  EXPECT_EQ(table->header, header);
  ASSERT_EQ(table->rows.size(), 2u);
  EXPECT_EQ(table->rows[0].cells, rows[0]);  // "001" keeps its zeros: it is text
  EXPECT_EQ(table->rows[1].cells, rows[1]);
}

TEST(Workbook, SheetsOfNumbersAndText) {
  auto bytes = WorkbookBytes(
      {Sheet{"结果", {{"对象", "得分"}, {"马家县", 79.3512345678901}, {"x", Cell()}}, true},
       Sheet{"说明", {{"一", 1.0 / 3}}, false}});
  ASSERT_TRUE(bytes.has_value()) << bytes.error().message;
  TempDir dir;
  const std::string path = dir.Path("book.xlsx");
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fwrite(bytes->data(), 1, bytes->size(), f);
    std::fclose(f);
  }
  const std::string first = ReadZipEntry(path, "xl/worksheets/sheet1.xml");
  const std::string second = ReadZipEntry(path, "xl/worksheets/sheet2.xml");
  // Numbers are numbers, with their digits; the header is frozen in the first sheet only.
  EXPECT_NE(first.find("<v>79.3512345678901"), std::string::npos) << first;
  EXPECT_NE(first.find("state=\"frozen\""), std::string::npos);
  EXPECT_EQ(second.find("state=\"frozen\""), std::string::npos);
  EXPECT_NE(second.find("<v>0.33333333333333"), std::string::npos) << second;
  const std::string book = ReadZipEntry(path, "xl/workbook.xml");
  EXPECT_NE(book.find("name=\"结果\""), std::string::npos);
  // A repeated sheet name, a bad one and no sheets are refused.
  EXPECT_FALSE(WorkbookBytes({Sheet{"a", {}, true}, Sheet{"a", {}, true}}).has_value());
  EXPECT_FALSE(WorkbookBytes({Sheet{"a/b", {}, true}}).has_value());
  EXPECT_FALSE(WorkbookBytes({}).has_value());
  EXPECT_FALSE(WorkbookBytes({Sheet{"a", {{std::string("\xff")}}, true}}).has_value());
}

TEST(TableWriter, ContentTypesAndExtensions) {
  EXPECT_EQ(ContentType(Format::kCsv), "text/csv; charset=utf-8");
  EXPECT_EQ(ContentType(Format::kXlsx),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(FileExtension(Format::kCsv), ".csv");
  EXPECT_EQ(FileExtension(Format::kXlsx), ".xlsx");
}

}  // namespace
}  // namespace fupin::tabular
