// TableReader on XLSX: workbooks assembled here from literal XML (so every feature Excel uses is
// exercised without binary fixtures), workbooks written by TableWriter, and damaged files.

#include <gtest/gtest.h>

#include "tabular/reader.h"
#include "tabular/test_util.h"
#include "tabular/writer.h"

namespace fupin::tabular {
namespace {

using testing::ReadAll;
using testing::TempDir;
using testing::WriteZip;
using Entries = std::vector<std::pair<std::string, std::string>>;

constexpr std::string_view kMain = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr std::string_view kRel =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

std::string Xml(std::string_view body) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n" + std::string(body);
}

// The package parts every workbook has; `sheets` is the <sheets> content and `relationships`
// the workbook's relationships beyond styles and shared strings.
Entries Package(std::string_view sheets, std::string_view relationships,
                std::string_view workbook_pr = "") {
  const std::string rel_ns(kRel);
  return {
      {"[Content_Types].xml",
       Xml("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>")},
      {"_rels/.rels",
       Xml("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
           "relationships\"><Relationship Id=\"rId1\" Type=\"" +
           rel_ns + "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>")},
      {"xl/workbook.xml",
       Xml("<workbook xmlns=\"" + std::string(kMain) + "\" xmlns:r=\"" + rel_ns + "\">" +
           std::string(workbook_pr) + "<sheets>" + std::string(sheets) + "</sheets></workbook>")},
      {"xl/_rels/workbook.xml.rels",
       Xml("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
           "relationships\">" +
           std::string(relationships) + "<Relationship Id=\"rIdS\" Type=\"" + rel_ns +
           "/styles\" Target=\"styles.xml\"/><Relationship Id=\"rIdT\" Type=\"" + rel_ns +
           "/sharedStrings\" Target=\"/xl/sharedStrings.xml\"/></Relationships>")},
  };
}

std::string SheetRelationship(std::string_view id, std::string_view target,
                              std::string_view kind = "worksheet") {
  return "<Relationship Id=\"" + std::string(id) + "\" Type=\"" + std::string(kRel) + "/" +
         std::string(kind) + "\" Target=\"" + std::string(target) + "\"/>";
}

std::string Worksheet(std::string_view rows) {
  return Xml("<worksheet xmlns=\"" + std::string(kMain) +
             "\"><dimension ref=\"A1:F9\"/><sheetData>" + std::string(rows) +
             "</sheetData><mergeCells count=\"0\"/></worksheet>");
}

// Cell styles: 0 General, 1 built-in date (14), 2 a custom Chinese date format, 3 a custom
// number format, 4 a time-only built-in (20).
const std::string kStyles =
    Xml("<styleSheet xmlns=\"" + std::string(kMain) +
        "\"><numFmts count=\"2\">"
        "<numFmt numFmtId=\"164\" "
        "formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/>"
        "<numFmt numFmtId=\"165\" formatCode=\"0.00_ \"/></numFmts>"
        "<cellXfs count=\"5\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\" applyNumberFormat=\"1\"/>"
        "<xf numFmtId=\"164\"/><xf numFmtId=\"165\"/><xf numFmtId=\"20\"/></cellXfs></styleSheet>");

const std::string kSharedStrings =
    Xml("<sst xmlns=\"" + std::string(kMain) +
        "\" count=\"6\" uniqueCount=\"6\">"
        "<si><t>姓名</t></si>"                                                         // 0
        "<si><r><rPr><b/></rPr><t>张</t></r><r><t xml:space=\"preserve\">三 </t></r>"  // 1
        "<rPh sb=\"0\" eb=\"1\"><t>zhang</t></rPh></si>"
        "<si><t>A &amp; B &lt;c&gt; &#20013;&#x6587;_x000D_end</t></si>"  // 2
        "<si><t>备注</t></si>"                                            // 3
        "<si><t/></si>"                                                   // 4
        "<si><t>第二页</t></si>"                                          // 5
        "</sst>");

// Header on row 1; row 2 missing; row 3 full; row 5 sparse; row 6 only styled empty cells;
// row 8 a custom number format and a time.
const std::string kFirstSheet = Worksheet(
    "<row r=\"1\" spans=\"1:6\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
    "<c r=\"B1\" t=\"inlineStr\"><is><t>身份证号</t></is></c>"
    "<c r=\"C1\" t=\"inlineStr\"><is><t>出生日期</t></is></c>"
    "<c r=\"D1\" t=\"inlineStr\"><is><t>是否</t></is></c>"
    "<c r=\"E1\" t=\"inlineStr\"><is><t>人数</t></is></c>"
    "<c r=\"F1\" t=\"s\"><v>3</v></c></row>"
    "<!-- row 2 is missing -->"
    "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>1</v></c><c r=\"B3\"><v>6.20102199001011E+17</v></c>"
    "<c r=\"C3\" s=\"1\"><v>43831</v></c><c r=\"D3\" t=\"b\"><v>1</v></c>"
    "<c r=\"E3\"><v>1.0</v></c>"
    "<c r=\"F3\" t=\"inlineStr\"><is><r><t>&quot;q&quot; </t></r><r><t>&apos;s&apos; "
    "<![CDATA[<cdata>]]></t></r></is></c></row>"
    "<row r=\"5\"><c r=\"C5\" s=\"2\"><v>45000.75</v></c><c r=\"F5\" t=\"str\"><f>A1&amp;\"x\"</f>"
    "<v>formula text</v></c></row>"
    "<row r=\"6\"><c r=\"A6\" s=\"3\"/><c r=\"B6\" s=\"1\"></c><c r=\"C6\" "
    "t=\"s\"><v>4</v></c></row>"
    "<row r=\"8\"><c r=\"A8\" s=\"3\"><v>3.50</v></c><c r=\"B8\" t=\"s\"><v>2</v></c>"
    "<c r=\"C8\" s=\"4\"><v>0.5</v></c><c r=\"D8\" t=\"b\"><v>0</v></c>"
    "<c r=\"E8\" t=\"e\"><v>#N/A</v></c><c r=\"F8\"><v>-7.000</v></c></row>");

const std::string kSecondSheet = Worksheet(
    "<row r=\"2\"><c r=\"B2\" t=\"s\"><v>5</v></c></row>"
    "<row><c t=\"inlineStr\"><is><t>x</t></is></c><c t=\"inlineStr\"><is><t>y</t></is></c></row>");

Entries HandBuiltWorkbook() {
  Entries entries = Package(
      "<sheet name=\"名单\" sheetId=\"1\" r:id=\"rId1\"/>"
      "<sheet name=\"Other\" sheetId=\"2\" r:id=\"rId2\"/>",
      SheetRelationship("rId1", "worksheets/sheet1.xml") +
          SheetRelationship("rId2", "/xl/worksheets/../worksheets/sheet2.xml"));
  entries.emplace_back("xl/styles.xml", kStyles);
  entries.emplace_back("xl/sharedStrings.xml", kSharedStrings);
  entries.emplace_back("xl/worksheets/sheet1.xml", kFirstSheet);
  entries.emplace_back("xl/worksheets/sheet2.xml", kSecondSheet);
  return entries;
}

TEST(XlsxReader, HandBuiltWorkbookAtEveryChunkSize) {
  TempDir dir;
  const std::string path = dir.Path("book.xlsx");
  WriteZip(path, HandBuiltWorkbook());
  for (size_t chunk : {1u, 2u, 3u, 4u, 5u, 6u, 7u, 11u, 64u, 65536u}) {
    ReadOptions options;
    options.chunk_bytes = chunk;
    auto table = ReadAll(path, options);
    ASSERT_TRUE(table.has_value()) << chunk << ": " << table.error().message;
    EXPECT_EQ(table->format, "xlsx");
    EXPECT_EQ(table->header,
              (std::vector<std::string>{"姓名", "身份证号", "出生日期", "是否", "人数", "备注"}));
    ASSERT_EQ(table->rows.size(), 3u) << chunk;

    EXPECT_EQ(table->rows[0].line, 3);
    EXPECT_EQ(table->rows[0].cells,
              (std::vector<std::string>{"张三", "6.20102199001011E+17", "2020-01-01", "TRUE", "1",
                                        "\"q\" 's' <cdata>"}))
        << chunk;

    EXPECT_EQ(table->rows[1].line, 5);
    EXPECT_EQ(table->rows[1].cells,
              (std::vector<std::string>{"", "", "2023-03-15", "", "", "formula text"}));

    EXPECT_EQ(table->rows[2].line, 8);  // row 6 holds only empty cells and is skipped
    const std::vector<std::string> row8 = {"3.50", "A & B <c> 中文\rend", "0.5", "FALSE", "#N/A",
                                           "-7"};
    EXPECT_EQ(table->rows[2].cells, row8);
  }
}

TEST(XlsxReader, SheetChosenByName) {
  TempDir dir;
  const std::string path = dir.Path("book.xlsx");
  WriteZip(path, HandBuiltWorkbook());
  ReadOptions options;
  options.sheet = "Other";
  auto table = ReadAll(path, options);
  ASSERT_TRUE(table.has_value()) << table.error().message;
  EXPECT_EQ(table->header, (std::vector<std::string>{"", "第二页"}));  // B2 is the header
  ASSERT_EQ(table->rows.size(), 1u);
  EXPECT_EQ(table->rows[0].line, 3);  // a row without r follows the previous one
  EXPECT_EQ(table->rows[0].cells, (std::vector<std::string>{"x", "y"}));

  options.sheet = "名单";
  auto first = ReadAll(path, options);
  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_EQ(first->header.at(0), "姓名");

  options.sheet = "Missing";
  auto missing = ReadAll(path, options);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(missing.error().message.find("no sheet named \"Missing\" (it has: 名单, Other)"),
            std::string::npos)
      << missing.error().message;
}

TEST(XlsxReader, DefaultSkipsHiddenSheetsAndCharts) {
  Entries entries = Package(
      "<sheet name=\"chart\" sheetId=\"1\" r:id=\"rId1\"/>"
      "<sheet name=\"hidden\" sheetId=\"2\" state=\"hidden\" r:id=\"rId2\"/>"
      "<sheet name=\"visible\" sheetId=\"3\" r:id=\"rId3\"/>",
      SheetRelationship("rId1", "chartsheets/sheet1.xml", "chartsheet") +
          SheetRelationship("rId2", "worksheets/sheet2.xml") +
          SheetRelationship("rId3", "worksheets/sheet3.xml"));
  entries.emplace_back("xl/worksheets/sheet2.xml",
                       Worksheet("<row r=\"1\"><c t=\"inlineStr\"><is><t>h</t></is></c></row>"));
  entries.emplace_back("xl/worksheets/sheet3.xml",
                       Worksheet("<row r=\"1\"><c t=\"inlineStr\"><is><t>v</t></is></c></row>"));
  TempDir dir;
  const std::string path = dir.Path("hidden.xlsx");
  WriteZip(path, entries);
  auto table = ReadAll(path);
  ASSERT_TRUE(table.has_value()) << table.error().message;
  EXPECT_EQ(table->header, (std::vector<std::string>{"v"}));

  ReadOptions options;
  options.sheet = "chart";
  auto chart = ReadAll(path, options);
  ASSERT_FALSE(chart.has_value());
  EXPECT_NE(chart.error().message.find("not a worksheet"), std::string::npos);
}

TEST(XlsxReader, Date1904System) {
  Entries entries =
      Package("<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>",
              SheetRelationship("rId1", "worksheets/sheet1.xml"), "<workbookPr date1904=\"1\"/>");
  entries.emplace_back("xl/styles.xml", kStyles);
  entries.emplace_back("xl/worksheets/sheet1.xml",
                       Worksheet("<row r=\"1\"><c t=\"inlineStr\"><is><t>d</t></is></c></row>"
                                 "<row r=\"2\"><c s=\"1\"><v>0</v></c></row>"
                                 "<row r=\"3\"><c s=\"1\"><v>42369</v></c></row>"));
  TempDir dir;
  const std::string path = dir.Path("1904.xlsx");
  WriteZip(path, entries);
  auto table = ReadAll(path);
  ASSERT_TRUE(table.has_value()) << table.error().message;
  ASSERT_EQ(table->rows.size(), 2u);
  EXPECT_EQ(table->rows[0].cells[0], "1904-01-01");
  EXPECT_EQ(table->rows[1].cells[0], "2020-01-01");
}

TEST(XlsxReader, ValueBeyondTheHeaderNamesRowAndColumn) {
  Entries entries = Package("<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>",
                            SheetRelationship("rId1", "worksheets/sheet1.xml"));
  entries.emplace_back(
      "xl/worksheets/sheet1.xml",
      Worksheet("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a</t></is></c></row>"
                "<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><t>ok</t></is></c>"
                "<c r=\"C4\" t=\"inlineStr\"><is><t> </t></is></c></row>"
                "<row r=\"7\"><c r=\"AB7\"><v>12</v></c></row>"));
  TempDir dir;
  const std::string path = dir.Path("wide.xlsx");
  WriteZip(path, entries);
  auto reader = TableReader::Open(path);
  ASSERT_TRUE(reader.has_value()) << reader.error().message;
  Row row;
  ASSERT_EQ((*reader)->Next(row), true);  // C4 is blank after trimming: allowed
  EXPECT_EQ(row.cells, (std::vector<std::string>{"ok"}));
  auto bad = (*reader)->Next(row);
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message.find("row 7: column AB has a value"), std::string::npos)
      << bad.error().message;
  EXPECT_EQ(bad.error().details.at(0).row, 7);
  EXPECT_EQ(bad.error().details.at(0).value, "12");
}

// The error of opening and reading `entries` as a workbook ("" when there is none).
std::string WorkbookError(const Entries& entries) {
  TempDir dir;
  const std::string path = dir.Path("bad.xlsx");
  WriteZip(path, entries);
  auto table = ReadAll(path);
  if (table) return "";
  EXPECT_EQ(table.error().code, ErrorCode::kInvalidArgument) << table.error().message;
  EXPECT_TRUE(table.error().message.starts_with(path + ": ")) << table.error().message;
  return table.error().message.substr(path.size() + 2);
}

TEST(XlsxReader, DamagedWorkbooksAreInvalidArguments) {
  const std::string sheets = "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>";
  const std::string rels = SheetRelationship("rId1", "worksheets/sheet1.xml");
  auto with_sheet = [&](std::string sheet_xml) {
    Entries entries = Package(sheets, rels);
    entries.emplace_back("xl/worksheets/sheet1.xml", std::move(sheet_xml));
    return entries;
  };

  EXPECT_EQ(WorkbookError({{"hello.txt", "hi"}}),
            "a zip archive but not an XLSX workbook: it has no xl/workbook.xml");
  EXPECT_EQ(WorkbookError(Package(sheets, rels)),
            "sheet \"S\" is missing from the archive (xl/worksheets/sheet1.xml)");
  EXPECT_EQ(WorkbookError(Package("", "")), "the workbook has no worksheet");
  EXPECT_NE(WorkbookError(with_sheet(Worksheet("<row r=\"1\"><c><v>1</v></row>")))
                .find("xl/worksheets/sheet1.xml: malformed XML at byte"),
            std::string::npos);
  // Truncated after the header: Open() succeeds, the error comes from Next().
  EXPECT_EQ(WorkbookError(with_sheet(
                "<worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>a</t></is></c>"
                "</row><row r=\"2\"><c><v>1</v></c>")),
            "xl/worksheets/sheet1.xml, after row 1: malformed XML at byte 103: the document ends "
            "inside "
            "<row> (truncated?)");
  EXPECT_EQ(
      WorkbookError(with_sheet(Worksheet("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>9</v></c></row>"))),
      "xl/worksheets/sheet1.xml: cell A1: shared string \"9\" does not exist");
  EXPECT_EQ(WorkbookError(with_sheet(Worksheet("<row r=\"0\"/>"))),
            "xl/worksheets/sheet1.xml: a row has the bad number \"0\" (after row 0)");
  EXPECT_EQ(WorkbookError(with_sheet(Worksheet("<row r=\"1\"><c r=\"1A\"/></row>"))),
            "xl/worksheets/sheet1.xml: row 1: a cell has the bad reference \"1A\"");
  EXPECT_EQ(WorkbookError(with_sheet(Worksheet(""))), "the file is empty: no header row");
  EXPECT_NE(WorkbookError(with_sheet("<!DOCTYPE x><worksheet/>"))
                .find("document type declarations are not supported"),
            std::string::npos);

  Entries bad_workbook = Package(sheets, rels);
  bad_workbook[2].second = "<workbook><sheets>";
  EXPECT_NE(WorkbookError(bad_workbook).find("xl/workbook.xml: malformed XML"), std::string::npos);

  TempDir dir;
  const std::string garbage = dir.Path("garbage.xlsx");
  testing::WriteFile(garbage, "PK\x03\x04 this is not really a zip archive");
  auto table = ReadAll(garbage);
  ASSERT_FALSE(table.has_value());
  EXPECT_EQ(table.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(table.error().message.find(garbage + ": not a readable XLSX file"), std::string::npos)
      << table.error().message;
}

TEST(XlsxReader, CorruptCompressedDataIsAnError) {
  // Flip bytes in the middle of the deflated worksheet: zip_fread (or the CRC) must fail.
  std::string rows;
  for (int i = 1; i <= 2000; ++i) {
    rows += "<row r=\"" + std::to_string(i) + "\"><c t=\"inlineStr\"><is><t>value " +
            std::to_string(i * 7919) + "</t></is></c></row>";
  }
  Entries entries = Package("<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>",
                            SheetRelationship("rId1", "worksheets/sheet1.xml"));
  entries.emplace_back("xl/worksheets/sheet1.xml", Worksheet(rows));
  TempDir dir;
  const std::string path = dir.Path("corrupt.xlsx");
  WriteZip(path, entries);
  std::string bytes = testing::ReadFile(path);
  const size_t at = bytes.find("xl/worksheets/sheet1.xml");
  ASSERT_NE(at, std::string::npos);
  for (size_t i = at + 200; i < at + 260; ++i) bytes[i] = static_cast<char>(bytes[i] ^ 0x5A);
  testing::WriteFile(path, bytes);
  auto table = ReadAll(path);
  ASSERT_FALSE(table.has_value());
  EXPECT_EQ(table.error().code, ErrorCode::kInvalidArgument) << table.error().message;
}

TEST(XlsxReader, RoundTripThroughTableWriter) {
  TempDir dir;
  const std::string path = dir.Path("export.xlsx");
  const std::vector<std::string> header = {"身份证号", "姓名", "备注", "金额"};
  std::vector<std::vector<std::string>> rows;
  for (int i = 0; i < 5000; ++i) {
    rows.push_back({"62010219900101" + std::to_string(1000 + i), "张三" + std::to_string(i),
                    i % 3 == 0 ? "" : "备注 & <x> \"q\"", i % 5 == 0 ? "007" : "1.50"});
  }
  rows[10][2] = "two\nlines";
  rows[11][0] = "";
  rows[11][3] = "";
  {
    auto writer = TableWriter::Create(path, Format::kXlsx, header);
    ASSERT_TRUE(writer.has_value()) << writer.error().message;
    for (const auto& row : rows) ASSERT_TRUE((*writer)->Add(row).has_value());
    ASSERT_TRUE((*writer)->Close().has_value());
  }
  auto table = ReadAll(path);
  ASSERT_TRUE(table.has_value()) << table.error().message;
  EXPECT_EQ(table->format, "xlsx");
  EXPECT_EQ(table->header, header);
  ASSERT_EQ(table->rows.size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(table->rows[i].line, static_cast<int64_t>(i) + 2);
    ASSERT_EQ(table->rows[i].cells, rows[i]) << "row " << i;
  }
}

TEST(XlsxReader, MemoryDoesNotGrowWithTheSheet) {
  if (testing::kAddressSanitizer) GTEST_SKIP() << "peak RSS is meaningless under ASan";
  // 150,000 rows × 6 cells: the worksheet XML is ~60 MB uncompressed; a DOM of it would take
  // several times that.
  TempDir dir;
  const std::string path = dir.Path("big.xlsx");
  const std::vector<std::string> header = {"a", "b", "c", "d", "e", "f"};
  {
    auto writer = TableWriter::Create(path, Format::kXlsx, header);
    ASSERT_TRUE(writer.has_value()) << writer.error().message;
    std::vector<std::string> row(6);
    for (int i = 0; i < 150'000; ++i) {
      row[0] = "6201021990010" + std::to_string(10000 + i % 90000);
      row[1] = "甘肃省兰州市城关区某某街道" + std::to_string(i);
      for (size_t k = 2; k < 6; ++k) row[k] = "cell value " + std::to_string(i * k);
      ASSERT_TRUE((*writer)->Add(row).has_value());
    }
    ASSERT_TRUE((*writer)->Close().has_value());
  }
  testing::ResetPeakRss();
  const long before = testing::PeakRssBytes();
  auto reader = TableReader::Open(path);
  ASSERT_TRUE(reader.has_value()) << reader.error().message;
  Row row;
  int64_t rows = 0;
  while (true) {
    auto more = (*reader)->Next(row);
    ASSERT_TRUE(more.has_value()) << more.error().message;
    if (!*more) break;
    ++rows;
  }
  EXPECT_EQ(rows, 150'000);
  EXPECT_EQ(row.line, 150'001);
  EXPECT_EQ(row.cells[1], "甘肃省兰州市城关区某某街道149999");
  EXPECT_LT(testing::PeakRssBytes() - before, 16L * 1024 * 1024);
}

}  // namespace
}  // namespace fupin::tabular
