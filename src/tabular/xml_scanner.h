// Internal to tabular: a pull scanner for XLSX parts too large for a DOM (worksheets, the
// shared-string table).
//
// It reads its input through a callback in chunks and holds at most the current token plus one
// chunk, so memory does not depend on the size of the document. It understands what Office
// Open XML uses: elements and attributes, character data, CDATA sections, comments, processing
// instructions, and the predefined (&amp; &lt; &gt; &quot; &apos;) and numeric (&#NNN;
// &#xHH;) character references. Line ends in text are normalized to "\n" as XML requires.
// Document type declarations are rejected: XLSX never contains one, and refusing them rules
// out entity-expansion attacks. Tags must nest properly. Names are not otherwise validated.
// Malformed input is kInvalidArgument naming the byte offset in the (decompressed) XML.
// Thread-safety: not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"

namespace fupin::tabular::internal {

class XmlScanner {
 public:
  enum class Token { kStart, kEnd, kText, kEof };

  // Reads up to `capacity` bytes of the document into `dst`; returns how many, 0 at its end.
  using ReadFn = std::function<Result<size_t>(char* dst, size_t capacity)>;

  // `chunk_bytes` (>= 1) is how much is read per call of `read`; a single tag or text run
  // longer than `max_token_bytes` is an error.
  XmlScanner(ReadFn read, size_t chunk_bytes, size_t max_token_bytes);

  // The next token:
  //  - kStart for `<a ...>` and for `<a .../>`, which is followed by a synthesized kEnd;
  //  - kEnd for `</a>`;
  //  - kText for character data or a CDATA section inside the root element, entity-decoded
  //    (one run of text may come as several kText tokens, e.g. around a CDATA section);
  //  - kEof once the input ends after the root element.
  // White space outside the root element, comments and processing instructions are skipped.
  Result<Token> Next();

  // kStart / kEnd: the element's local name (namespace prefix removed).
  std::string_view name() const;
  // kStart: the decoded value of the attribute with this exact (qualified) name.
  std::optional<std::string_view> Attribute(std::string_view qualified_name) const;
  // kText: the decoded text.
  const std::string& text() const { return text_; }
  // Offset in the document where the current token starts.
  int64_t offset() const { return token_offset_; }

 private:
  Result<bool> Fill();
  Result<size_t> FindTerminator(std::string_view terminator, size_t from, std::string_view what);
  // Scan one piece of input at pos_; nullopt when it produced no token (comments, white space
  // outside the root element, processing instructions).
  Result<std::optional<Token>> ScanText();
  Result<std::optional<Token>> ScanMarkup();
  Result<Token> ParseTag(std::string_view content);
  std::unexpected<Error> Malformed(int64_t offset, std::string_view what) const;
  std::unexpected<Error> TooLong() const;

  // Constant after construction.
  const ReadFn read_;
  const size_t chunk_bytes_;
  const size_t max_token_bytes_;

  std::string buffer_;  // unread input starts at pos_
  size_t pos_ = 0;
  int64_t buffer_offset_ = 0;  // document offset of buffer_[0]
  bool eof_ = false;

  std::vector<std::string> open_elements_;  // qualified names, outermost first
  bool seen_root_ = false;
  bool pending_end_ = false;  // the last kStart was self-closing

  std::string name_;  // qualified name of the current kStart/kEnd
  std::vector<std::pair<std::string, std::string>> attributes_;
  size_t attribute_count_ = 0;  // entries of attributes_ in use (the rest are kept for reuse)
  std::string text_;
  int64_t token_offset_ = 0;
};

// Appends `raw` XML character data to `out`, resolving character references and normalizing
// line ends. Returns the index in `raw` of a malformed reference, or nullopt.
std::optional<size_t> AppendXmlText(std::string_view raw, std::string& out);

// Appends the UTF-8 encoding of a Unicode scalar value to `out`.
void AppendUtf8(uint32_t code_point, std::string& out);

}  // namespace fupin::tabular::internal
