#include "tabular/xml_scanner.h"

#include <gtest/gtest.h>

#include <cstring>

namespace fupin::tabular::internal {
namespace {

// Feeds `document` to a scanner in pieces of `chunk` bytes and renders its tokens as text:
// "<name a=v>" for starts (attributes in the order asked for), "</name>", "'text'", or
// "ERROR: message" as the last entry.
std::vector<std::string> Scan(std::string_view document, size_t chunk,
                              std::vector<std::string> attributes = {},
                              size_t max_token = 1 << 20) {
  size_t offset = 0;
  XmlScanner scanner(
      [&](char* dst, size_t capacity) -> Result<size_t> {
        const size_t n = std::min(capacity, document.size() - offset);
        std::memcpy(dst, document.data() + offset, n);
        offset += n;
        return n;
      },
      chunk, max_token);
  std::vector<std::string> tokens;
  while (true) {
    auto token = scanner.Next();
    if (!token) {
      tokens.push_back("ERROR: " + token.error().message);
      return tokens;
    }
    switch (*token) {
      case XmlScanner::Token::kEof:
        return tokens;
      case XmlScanner::Token::kText:
        if (!tokens.empty() && tokens.back().starts_with('\'')) {  // join split runs
          tokens.back().pop_back();
          tokens.back() += scanner.text() + "'";
        } else {
          tokens.push_back("'" + scanner.text() + "'");
        }
        break;
      case XmlScanner::Token::kStart: {
        std::string start = "<" + std::string(scanner.name());
        for (const std::string& attribute : attributes) {
          if (auto value = scanner.Attribute(attribute)) {
            start += " " + attribute + "=" + std::string(*value);
          }
        }
        tokens.push_back(start + ">");
        break;
      }
      case XmlScanner::Token::kEnd:
        tokens.push_back("</" + std::string(scanner.name()) + ">");
        break;
    }
  }
}

TEST(XmlScanner, TokensAreTheSameAtEveryChunkSize) {
  const std::string document =
      "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
      "<!-- a comment with <tags> -->"
      "<x:sheet xmlns:x=\"urn:x\" r=\"A&amp;1\" t='it&apos;s &gt; 2'>"
      "<row r=\"1\"><c r=\"A1\"/><v>1 &lt; 2 &amp;&amp; &#20013;&#x6587; &#x1F600;</v></row>"
      "<t xml:space=\"preserve\">  line\r\nbreak <![CDATA[<raw> & ]]> tail</t>"
      "<empty></empty ></x:sheet>\n  ";
  const std::vector<std::string> expected = {
      "<sheet r=A&1 t=it's > 2>",
      "<row r=1>",
      "<c r=A1>",
      "</c>",
      "<v>",
      "'1 < 2 && 中文 😀'",
      "</v>",
      "</row>",
      "<t xml:space=preserve>",
      "'  line\nbreak <raw> &  tail'",
      "</t>",
      "<empty>",
      "</empty>",
      "</sheet>",
  };
  for (size_t chunk = 1; chunk <= 40; ++chunk) {
    EXPECT_EQ(Scan(document, chunk, {"r", "t", "xml:space"}), expected) << "chunk " << chunk;
  }
}

std::string ErrorOf(std::string_view document, size_t max_token = 1 << 20) {
  std::string last;
  for (size_t chunk : {1u, 3u, 4096u}) {
    const auto tokens = Scan(document, chunk, {}, max_token);
    if (tokens.empty() || !tokens.back().starts_with("ERROR: ")) return "no error";
    if (!last.empty() && last != tokens.back()) return "differs by chunk: " + tokens.back();
    last = tokens.back();
  }
  return last;
}

TEST(XmlScanner, MalformedDocumentsAreErrorsWithOffsets) {
  EXPECT_EQ(ErrorOf("<a><b></a>"), "ERROR: malformed XML at byte 6: </a> does not close <b>");
  EXPECT_EQ(ErrorOf("<a>x &nbsp; y</a>"),
            "ERROR: malformed XML at byte 5: an '&' that does not start a known character "
            "reference");
  EXPECT_EQ(ErrorOf("<a>&#0;</a>").substr(0, 29), "ERROR: malformed XML at byte ");
  EXPECT_EQ(ErrorOf("<a><b>text"),
            "ERROR: malformed XML at byte 10: the document ends inside <b> (truncated?)");
  EXPECT_EQ(ErrorOf("<a><b attr=\"x"),
            "ERROR: malformed XML at byte 3: the document ends inside a tag");
  EXPECT_EQ(ErrorOf("<!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>"),
            "ERROR: malformed XML at byte 0: document type declarations are not supported");
  EXPECT_EQ(ErrorOf("<a/><b/>"), "ERROR: malformed XML at byte 4: a second root element");
  EXPECT_EQ(ErrorOf("junk<a/>"), "ERROR: malformed XML at byte 0: text outside the root element");
  EXPECT_EQ(ErrorOf(""), "ERROR: malformed XML at byte 0: no root element");
  EXPECT_EQ(ErrorOf("<a b=c/>"),
            "ERROR: malformed XML at byte 0: the value of attribute 'b' is not quoted");
  EXPECT_EQ(ErrorOf("<?xml version=\"1.0\" encoding=\"GBK\"?><a/>"),
            "ERROR: malformed XML at byte 0: the document is gbk; only UTF-8 is supported");
  EXPECT_EQ(ErrorOf("<a><!-- never closed </a>"),
            "ERROR: malformed XML at byte 3: the document ends inside a comment");
  EXPECT_EQ(ErrorOf(std::string("<\0a\0/\0>\0", 8)),
            "ERROR: malformed XML at byte 0: the document is UTF-16; only UTF-8 is supported");
  EXPECT_EQ(ErrorOf("<a>" + std::string(100, 'x') + "</a>", 64).substr(0, 47),
            "ERROR: an XML tag or text at byte 3 is longer t");
  EXPECT_EQ(ErrorOf("<a>" + std::string(100, 'x') + "</a>", 200), "no error");
}

TEST(XmlScanner, AppendXmlTextReportsTheBadReference) {
  std::string out;
  EXPECT_EQ(AppendXmlText("ok &amp; &bogus; later", out), 9u);
  out.clear();
  EXPECT_EQ(AppendXmlText("no semicolon &amp", out), 13u);
  out.clear();
  EXPECT_FALSE(AppendXmlText("a&#x41;&#66;\rc", out).has_value());
  EXPECT_EQ(out, "aAB\nc");
}

}  // namespace
}  // namespace fupin::tabular::internal
