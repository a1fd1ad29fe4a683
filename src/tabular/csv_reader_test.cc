// TableReader on CSV: the streaming parser must agree with base::ParseCsv whatever the chunk
// size, in every encoding it accepts; encoding errors name byte offsets; syntax errors name lines.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <iconv.h>

#include "base/csv.h"
#include "tabular/reader.h"
#include "tabular/test_util.h"

namespace fupin::tabular {
namespace {

using testing::ReadAll;
using testing::TempDir;
using testing::WriteFile;

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Chunk sizes that put chunk boundaries everywhere (1–7 bytes), plus ordinary ones.
const std::vector<size_t> kChunkSizes = {1, 2, 3, 4, 5, 6, 7, 13, 64, 65536};

std::string ToGb18030(std::string_view utf8) {
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  EXPECT_NE(cd, reinterpret_cast<iconv_t>(-1));
  std::string out(utf8.size() * 2 + 16, '\0');
  char* in = const_cast<char*>(utf8.data());
  size_t in_left = utf8.size();
  char* out_ptr = out.data();
  size_t out_left = out.size();
  EXPECT_NE(iconv(cd, &in, &in_left, &out_ptr, &out_left), static_cast<size_t>(-1));
  iconv_close(cd);
  out.resize(out.size() - out_left);
  return out;
}

// What TableReader should return for `text`, derived from base::ParseCsv by the documented
// differences: rows whose cells are all empty are skipped, trailing empty header names are
// dropped, and rows are padded to the header's width.
testing::Table ExpectedFromParseCsv(std::string_view text) {
  auto parsed = ParseCsv(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  testing::Table table;
  if (!parsed) return table;
  table.header = parsed->header;
  while (!table.header.empty() && table.header.back().empty()) table.header.pop_back();
  for (const CsvRecord& record : parsed->rows) {
    bool blank = true;
    for (const auto& cell : record.cells) blank = blank && cell.empty();
    if (blank) continue;
    Row row{record.line, record.cells};
    for (size_t i = table.header.size(); i < row.cells.size(); ++i) {
      EXPECT_EQ(row.cells[i], "") << "test input has a value beyond the header";
    }
    row.cells.resize(table.header.size());
    table.rows.push_back(std::move(row));
  }
  return table;
}

void ExpectSameTable(const testing::Table& actual, const testing::Table& expected,
                     const std::string& context) {
  EXPECT_EQ(actual.header, expected.header) << context;
  ASSERT_EQ(actual.rows.size(), expected.rows.size()) << context;
  for (size_t i = 0; i < actual.rows.size(); ++i) {
    EXPECT_EQ(actual.rows[i].line, expected.rows[i].line) << context << " row " << i;
    EXPECT_EQ(actual.rows[i].cells, expected.rows[i].cells) << context << " row " << i;
  }
}

const std::vector<std::string> kTrickyInputs = {
    "code,name\r\n1, a \r\n\r\n2,b\r\n",
    "a,b\n\"x, y\",\"say \"\"hi\"\"\"\n\"multi\nline\",z\nlast,row",
    "a,b,c\n1,,\n,,\n2,3\n",
    "\n\n  h1 , h2 \n  x  ,\" y \"\n",
    "a,b\r\n\"l1\r\nl2\",2\r\n\"\"\"\",\"\"\"\"\"\"\r\n",
    "a,b\nab\"c,d\n\"x\"y,z\n\"q\" ,\" r\"\"\" \n",
    "名称,代码,备注\n张三,620102,\"含,逗号\"\n"
    "\xE3\x80\x80李四\xE3\x80\x80,x,\"多\n行\"\n",
    "a\n1\n   ",
    "a,b\n\"\",\"\"\n1,2\n",
    "a\n\"x\"",
    "a,b,,,\n1,2,,,\n3\n",
    "h\r\n\"ends with quote \"\"\"\r\n",
};

TEST(CsvReader, MatchesParseCsvAtEveryChunkSize) {
  TempDir dir;
  for (size_t input = 0; input < kTrickyInputs.size(); ++input) {
    const std::string& text = kTrickyInputs[input];
    const testing::Table expected = ExpectedFromParseCsv(text);
    const std::string path = dir.Path("t.csv");
    WriteFile(path, text);
    for (size_t chunk : kChunkSizes) {
      ReadOptions options;
      options.chunk_bytes = chunk;
      auto table = ReadAll(path, options);
      const std::string context =
          "input " + std::to_string(input) + " chunk " + std::to_string(chunk);
      ASSERT_TRUE(table.has_value()) << context << ": " << table.error().message;
      EXPECT_EQ(table->format, "csv-utf-8") << context;
      ExpectSameTable(*table, expected, context);
    }
  }
}

// The share read grows with the rows, to within a chunk, and is the whole file at the end, in
// every encoding.
TEST(CsvReader, TellsTheShareOfTheFileRead) {
  TempDir dir;
  std::string text = "户编号,姓名\n";
  for (int i = 0; i < 1000; ++i) text += fmt::format("{:06d},张{}\n", i, i % 10);
  for (const std::string& bytes : {text, std::string(kBom) + text, ToGb18030(text)}) {
    const std::string path = dir.Path("share.csv");
    WriteFile(path, bytes);
    ReadOptions options;
    options.chunk_bytes = 256;
    auto reader = TableReader::Open(path, options);
    ASSERT_TRUE(reader.has_value()) << reader.error().message;
    Row row;
    double last = 0;
    int rows = 0;
    while (true) {
      auto more = (*reader)->Next(row);
      ASSERT_TRUE(more.has_value());
      if (!*more) break;
      ++rows;
      const std::optional<double> share = (*reader)->FractionRead();
      ASSERT_TRUE(share.has_value());
      EXPECT_GE(*share, last) << "row " << rows;
      const double size = static_cast<double>(bytes.size());
      if ((*reader)->format() == "csv-gb18030") {
        // Decoded text: known to the end of the chunk being parsed (256 of ~11,000 bytes).
        EXPECT_NEAR(*share, rows / 1001.0, 256.0 / size + 0.01) << "row " << rows;
      } else {
        // UTF-8: exactly the bytes parsed — the BOM, the 17-byte header and 12 bytes a row.
        const double bom = (*reader)->format() == "csv-utf-8-bom" ? 3 : 0;
        EXPECT_DOUBLE_EQ(*share, (bom + 17 + 12.0 * rows) / size)
            << (*reader)->format() << " row " << rows;
      }
      last = *share;
    }
    EXPECT_EQ(rows, 1000);
    EXPECT_EQ((*reader)->FractionRead(), 1.0) << (*reader)->format();
  }
}

TEST(CsvReader, BomAndGb18030GiveTheSameTable) {
  TempDir dir;
  for (size_t input = 0; input < kTrickyInputs.size(); ++input) {
    const std::string& text = kTrickyInputs[input];
    const testing::Table expected = ExpectedFromParseCsv(text);
    const std::string bom_path = dir.Path("bom.csv");
    WriteFile(bom_path, "\xEF\xBB\xBF" + text);
    const std::string gb_path = dir.Path("gb.csv");
    const std::string gb = ToGb18030(text);
    WriteFile(gb_path, gb);
    const bool has_chinese = gb != text;  // pure ASCII is valid UTF-8 in either encoding
    for (size_t chunk : kChunkSizes) {
      ReadOptions options;
      options.chunk_bytes = chunk;
      const std::string context =
          "input " + std::to_string(input) + " chunk " + std::to_string(chunk);
      auto bom = ReadAll(bom_path, options);
      ASSERT_TRUE(bom.has_value()) << context << ": " << bom.error().message;
      EXPECT_EQ(bom->format, "csv-utf-8-bom");
      ExpectSameTable(*bom, expected, "bom " + context);
      auto gb_table = ReadAll(gb_path, options);
      ASSERT_TRUE(gb_table.has_value()) << context << ": " << gb_table.error().message;
      EXPECT_EQ(gb_table->format, has_chinese ? "csv-gb18030" : "csv-utf-8");
      ExpectSameTable(*gb_table, expected, "gb18030 " + context);
    }
  }
}

TEST(CsvReader, Gb18030CharactersSplitAcrossChunks) {
  // Two- and four-byte GB18030 sequences (𠀀 U+20000 and € are four and two bytes), some with
  // ASCII-range trail bytes, at every offset relative to the chunk boundaries.
  const std::string utf8 =
      "姓名,地址\n"
      "张三,甘肃省兰州市城关区\n"
      "𠀀𠀁,€欧元\n"
      "王五,\"引号\"\"里的字\"\n";
  const std::string gb = ToGb18030(utf8);
  ASSERT_NE(gb.find("\x95\x32\x82\x36"), std::string::npos);  // U+20000 in GB18030
  TempDir dir;
  const std::string path = dir.Path("gb.csv");
  WriteFile(path, gb);
  for (size_t chunk : kChunkSizes) {
    ReadOptions options;
    options.chunk_bytes = chunk;
    auto table = ReadAll(path, options);
    ASSERT_TRUE(table.has_value()) << chunk << ": " << table.error().message;
    EXPECT_EQ(table->format, "csv-gb18030");
    EXPECT_EQ(table->header, (std::vector<std::string>{"姓名", "地址"}));
    ASSERT_EQ(table->rows.size(), 3u) << chunk;
    EXPECT_EQ(table->rows[0].cells[1], "甘肃省兰州市城关区");
    EXPECT_EQ(table->rows[1].cells, (std::vector<std::string>{"𠀀𠀁", "€欧元"}));
    EXPECT_EQ(table->rows[2].cells[1], "引号\"里的字");
    EXPECT_EQ(table->rows[2].line, 4);
  }
}

TEST(CsvReader, BomIsNotPartOfTheFirstHeader) {
  TempDir dir;
  const std::string path = dir.Path("bom.csv");
  WriteFile(path, "\xEF\xBB\xBF代码,名称\r\n1,甲\r\n");
  auto table = ReadAll(path);
  ASSERT_TRUE(table.has_value()) << table.error().message;
  EXPECT_EQ(table->format, "csv-utf-8-bom");
  EXPECT_EQ(table->header, (std::vector<std::string>{"代码", "名称"}));
  EXPECT_EQ(table->rows.at(0).cells, (std::vector<std::string>{"1", "甲"}));
}

// Returns the error message of reading `bytes` as a table, or "" when it reads fine.
std::string ReadError(std::string_view bytes, size_t chunk, ErrorDetail* detail = nullptr) {
  TempDir dir;
  const std::string path = dir.Path("bad.csv");
  WriteFile(path, bytes);
  ReadOptions options;
  options.chunk_bytes = chunk;
  auto table = ReadAll(path, options);
  if (table) return "";
  EXPECT_EQ(table.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(table.error().message.find(path), std::string::npos) << "errors name the file";
  if (detail != nullptr && !table.error().details.empty()) *detail = table.error().details[0];
  return table.error().message;
}

TEST(CsvReader, UndecodableBytesAreRejectedWithTheirOffset) {
  for (size_t chunk : kChunkSizes) {
    // 0xFF can start neither a UTF-8 nor a GB18030 character.
    std::string message = ReadError("a,b\n1,\xFF\xFE\n", chunk);
    EXPECT_NE(message.find("byte 6"), std::string::npos) << chunk << ": " << message;
    // After a valid GB18030 pair, so the UTF-8 failure (byte 4) and the GB18030 one differ.
    message = ReadError("a,b\n\xC3\xFB,\x80\n", chunk);
    EXPECT_NE(message.find("neither UTF-8 (byte 4"), std::string::npos) << message;
    EXPECT_NE(message.find("byte 7 is invalid"), std::string::npos) << chunk << ": " << message;
    // A GB18030 lead byte cut off by the end of the file.
    message = ReadError("a,b\n\xC3\xFB,\xB3", chunk);
    EXPECT_NE(message.find("byte 7 is invalid: truncated"), std::string::npos) << message;
    // With a BOM the file must be UTF-8: no GB18030 fallback.
    message = ReadError(std::string(kBom) + "a,b\n\xC3\xFB\n", chunk);
    EXPECT_NE(message.find("byte-order mark but byte 7"), std::string::npos) << message;
    // Binary data.
    message = ReadError(std::string("a,b\n1,2\0\n", 9), chunk);
    EXPECT_NE(message.find("byte 7 is NUL"), std::string::npos) << message;
  }
  const std::string utf16("\xFF\xFE\x61\x00\x2C\x00", 6);  // "a," in UTF-16LE
  EXPECT_NE(ReadError(utf16, 64).find("UTF-16"), std::string::npos);
  EXPECT_NE(ReadError("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 old excel", 64).find(".xls"),
            std::string::npos);
}

TEST(CsvReader, UnterminatedQuoteNamesTheLineWhereItStarted) {
  for (size_t chunk : kChunkSizes) {
    ErrorDetail detail;
    const std::string message = ReadError("a,b\n1,2\n\n3,\"oops\nmore\n4,5\n", chunk, &detail);
    EXPECT_NE(message.find("line 4: a quoted field is never closed"), std::string::npos)
        << chunk << ": " << message;
    EXPECT_EQ(detail.row, 4);
  }
}

TEST(CsvReader, OverlongRecordIsRejectedWithoutReadingOn) {
  std::string text = "a,b\n1,\"never closed\n";
  for (int i = 0; i < 2000; ++i) text += "filler line of the open quoted field\n";
  TempDir dir;
  const std::string path = dir.Path("long.csv");
  WriteFile(path, text);
  ReadOptions options;
  options.max_record_bytes = 4096;
  options.chunk_bytes = 1000;
  auto table = ReadAll(path, options);
  ASSERT_FALSE(table.has_value());
  EXPECT_NE(table.error().message.find("line 2: a quoted field runs on for more than 4096"),
            std::string::npos)
      << table.error().message;
}

TEST(CsvReader, RowsAreAlignedToTheHeader) {
  TempDir dir;
  const std::string path = dir.Path("w.csv");
  WriteFile(path, "a,b,c,,\n1\n1,2,3,,\n,,,,\n1,2,3,4\n");
  auto reader = TableReader::Open(path);
  ASSERT_TRUE(reader.has_value()) << reader.error().message;
  EXPECT_EQ((*reader)->header(), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ((*reader)->FindColumn({"x", "c"}), 2u);
  EXPECT_FALSE((*reader)->FindColumn("d").has_value());
  Row row;
  ASSERT_EQ((*reader)->Next(row), true);
  EXPECT_EQ(row.line, 2);
  EXPECT_EQ(row.cells, (std::vector<std::string>{"1", "", ""}));
  ASSERT_EQ((*reader)->Next(row), true);
  EXPECT_EQ(row.line, 3);
  EXPECT_EQ(row.cells, (std::vector<std::string>{"1", "2", "3"}));
  auto bad = (*reader)->Next(row);  // line 4 is blank; line 5 has a 4th value
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message.find("line 5: column 4 has a value"), std::string::npos)
      << bad.error().message;
  ASSERT_EQ(bad.error().details.size(), 1u);
  EXPECT_EQ(bad.error().details[0].row, 5);
  EXPECT_EQ(bad.error().details[0].value, "4");
  // The reader stays failed.
  auto again = (*reader)->Next(row);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().message, bad.error().message);
}

TEST(CsvReader, EndIsSticky) {
  TempDir dir;
  const std::string path = dir.Path("e.csv");
  WriteFile(path, "a\n1\n");
  auto reader = TableReader::Open(path);
  ASSERT_TRUE(reader.has_value());
  Row row;
  EXPECT_EQ((*reader)->Next(row), true);
  EXPECT_EQ((*reader)->Next(row), false);
  EXPECT_EQ((*reader)->Next(row), false);
}

TEST(CsvReader, MissingEmptyAndDirectoryInputs) {
  TempDir dir;
  auto missing = TableReader::Open(dir.Path("nope.csv"));
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);

  auto directory = TableReader::Open(dir.Path(""));
  ASSERT_FALSE(directory.has_value());
  EXPECT_EQ(directory.error().code, ErrorCode::kInvalidArgument);

  for (std::string_view empty : {"", "\n\r\n", ",,,\n  \n", "\xEF\xBB\xBF"}) {
    const std::string path = dir.Path("empty.csv");
    WriteFile(path, empty);
    auto reader = TableReader::Open(path);
    ASSERT_FALSE(reader.has_value()) << empty;
    EXPECT_NE(reader.error().message.find("no header row"), std::string::npos);
  }
}

TEST(CsvReader, MemoryDoesNotGrowWithTheFile) {
  if (testing::kAddressSanitizer) GTEST_SKIP() << "peak RSS is meaningless under ASan";
  // About 60 MB of CSV: if the reader held the file, or the rows, the peak would show it.
  TempDir dir;
  const std::string path = dir.Path("big.csv");
  {
    std::ofstream out(path, std::ios::binary);
    out << "id,name,address,note\n";
    const std::string filler(120, 'x');
    for (int i = 0; i < 400'000; ++i) {
      out << "62010219900101" << (1000 + i % 9000) << ",张三" << i << ",\"甘肃省, " << filler
          << "\",备注\n";
    }
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
  EXPECT_EQ(rows, 400'000);
  EXPECT_EQ(row.line, 400'001);
  EXPECT_LT(testing::PeakRssBytes() - before, 16L * 1024 * 1024);
}

}  // namespace
}  // namespace fupin::tabular
