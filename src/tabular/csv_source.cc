// CSV record source: two passes over the file in fixed-size chunks. The first decides the
// encoding (and rejects undecodable files before any row is returned); the second decodes and
// parses, straight into the caller's cells. Neither pass holds more than a chunk plus the
// record being parsed.

#include <fmt/format.h>
#include <iconv.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>

#include "base/text.h"
#include "tabular/record_source.h"

namespace fupin::tabular::internal {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// The bytes the CSV dialect acts on outside quotes.
constexpr std::array<bool, 256> kSpecial = [] {
  std::array<bool, 256> special{};
  for (unsigned char c : {',', '"', '\r', '\n'}) special[c] = true;
  return special;
}();

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using UniqueFile = std::unique_ptr<std::FILE, FileCloser>;

// Incremental strict UTF-8 check (Unicode Table 3-7: no overlong forms, surrogates or code
// points beyond U+10FFFF) that accepts its input in arbitrary pieces.
class Utf8Validator {
 public:
  // Checks `bytes`, which start at file offset `offset`. Returns the offset of the first byte
  // of the first ill-formed sequence, or nullopt when everything so far is well-formed.
  std::optional<int64_t> Feed(std::string_view bytes, int64_t offset) {
    for (size_t i = 0; i < bytes.size(); ++i) {
      if (need_ == 0) {
        // ASCII runs eight bytes at a time.
        while (i + 8 <= bytes.size()) {
          uint64_t word;
          std::memcpy(&word, bytes.data() + i, sizeof word);
          if (word & 0x8080808080808080ULL) break;
          i += 8;
        }
        if (i == bytes.size()) break;
      }
      const auto b = static_cast<unsigned char>(bytes[i]);
      if (need_ > 0) {
        if (b < low_ || b > high_) return sequence_start_;
        low_ = 0x80;
        high_ = 0xBF;
        --need_;
        continue;
      }
      if (b < 0x80) continue;
      sequence_start_ = offset + static_cast<int64_t>(i);
      low_ = 0x80;
      high_ = 0xBF;
      if (b >= 0xC2 && b <= 0xDF) {
        need_ = 1;
      } else if (b == 0xE0) {
        need_ = 2;
        low_ = 0xA0;
      } else if (b == 0xED) {
        need_ = 2;
        high_ = 0x9F;
      } else if (b >= 0xE1 && b <= 0xEF) {
        need_ = 2;
      } else if (b == 0xF0) {
        need_ = 3;
        low_ = 0x90;
      } else if (b >= 0xF1 && b <= 0xF3) {
        need_ = 3;
      } else if (b == 0xF4) {
        need_ = 3;
        high_ = 0x8F;
      } else {
        return sequence_start_;
      }
    }
    return std::nullopt;
  }

  // At the end of input: the offset of a sequence cut short, if any.
  std::optional<int64_t> Finish() const {
    if (need_ > 0) return sequence_start_;
    return std::nullopt;
  }

 private:
  int need_ = 0;  // continuation bytes still expected
  unsigned char low_ = 0x80;
  unsigned char high_ = 0xBF;
  int64_t sequence_start_ = 0;
};

// GB18030 → UTF-8 through iconv, fed in arbitrary pieces: a character cut at the end of one
// piece (iconv's EINVAL) is held back and completed by the next.
class Gb18030Decoder {
 public:
  static Result<std::unique_ptr<Gb18030Decoder>> Create() {
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == reinterpret_cast<iconv_t>(-1)) {
      return Internal("iconv cannot convert from GB18030 on this system");
    }
    return std::unique_ptr<Gb18030Decoder>(new Gb18030Decoder(cd));
  }
  ~Gb18030Decoder() { iconv_close(cd_); }
  Gb18030Decoder(const Gb18030Decoder&) = delete;
  Gb18030Decoder& operator=(const Gb18030Decoder&) = delete;

  // Appends the UTF-8 of `bytes` (starting at file offset `offset`, contiguous with the
  // previous call) to `out`. Returns the file offset of an invalid byte sequence, if any.
  std::optional<int64_t> Decode(std::string_view bytes, int64_t offset, std::string& out) {
    std::string_view input = bytes;
    int64_t input_offset = offset;
    if (!pending_.empty()) {
      input_offset = offset - static_cast<int64_t>(pending_.size());
      pending_.append(bytes);
      work_.swap(pending_);
      pending_.clear();
      input = work_;
    }
    char* in = const_cast<char*>(input.data());
    size_t in_left = input.size();
    size_t written = out.size();
    out.resize(written + in_left * 2 + 16);
    while (in_left > 0) {
      char* out_ptr = out.data() + written;
      size_t out_left = out.size() - written;
      const size_t rc = iconv(cd_, &in, &in_left, &out_ptr, &out_left);
      const int error = errno;
      written = out.size() - out_left;
      if (rc != static_cast<size_t>(-1)) break;
      if (error == E2BIG) {
        out.resize(out.size() + in_left * 2 + 16);
      } else if (error == EINVAL) {
        pending_.assign(in, in_left);  // an incomplete character: wait for the next piece
        break;
      } else {
        out.resize(written);
        return input_offset + (in - input.data());
      }
    }
    out.resize(written);
    return std::nullopt;
  }

  // At the end of input: the offset of a character cut short by the end of the file, if any.
  std::optional<int64_t> Finish(int64_t end_offset) const {
    if (pending_.empty()) return std::nullopt;
    return end_offset - static_cast<int64_t>(pending_.size());
  }

 private:
  explicit Gb18030Decoder(iconv_t cd) : cd_(cd) {}

  iconv_t cd_;
  std::string pending_;
  std::string work_;
};

class CsvSource final : public RecordSource {
 public:
  CsvSource(UniqueFile file, const ReadOptions& options)
      : file_(std::move(file)),
        chunk_bytes_(options.chunk_bytes > 0 ? options.chunk_bytes : 1),
        max_record_bytes_(options.max_record_bytes) {}

  // Pass 1: decides the encoding. Leaves the file positioned for pass 2.
  Status DetectEncoding() {
    std::string prefix(3, '\0');
    prefix.resize(std::fread(prefix.data(), 1, prefix.size(), file_.get()));
    if (prefix.size() >= 2 && ((prefix[0] == '\xFF' && prefix[1] == '\xFE') ||
                               (prefix[0] == '\xFE' && prefix[1] == '\xFF'))) {
      return InvalidArgument("the file is UTF-16; save it as UTF-8 or GB18030 (GBK) text");
    }
    const bool bom = prefix == kUtf8Bom;
    const int64_t start = bom ? static_cast<int64_t>(kUtf8Bom.size()) : 0;

    FUPIN_TRY(Seek(start));
    Utf8Validator validator;
    std::optional<int64_t> bad_utf8;
    int64_t offset = start;
    while (true) {
      auto n = ReadChunk();
      if (!n) return std::unexpected(n.error());
      if (*n == 0) break;
      const std::string_view bytes(chunk_.data(), *n);
      if (const size_t nul = bytes.find('\0'); nul != std::string_view::npos) {
        return InvalidArgument(fmt::format("byte {} is NUL: the file is binary or UTF-16, not text",
                                           offset + static_cast<int64_t>(nul)));
      }
      if (!bad_utf8) bad_utf8 = validator.Feed(bytes, offset);
      offset += static_cast<int64_t>(*n);
    }
    if (!bad_utf8) bad_utf8 = validator.Finish();
    file_bytes_ = offset;

    if (bom) {
      if (bad_utf8) {
        return InvalidArgument(fmt::format(
            "the file starts with a UTF-8 byte-order mark but byte {} is not UTF-8", *bad_utf8));
      }
      encoding_ = TextEncoding::kUtf8Bom;
    } else if (!bad_utf8) {
      encoding_ = TextEncoding::kUtf8;
    } else {
      FUPIN_TRY(CheckGb18030(*bad_utf8));
      encoding_ = TextEncoding::kGb18030;
      auto decoder = Gb18030Decoder::Create();
      if (!decoder) return std::unexpected(decoder.error());
      decoder_ = std::move(*decoder);
    }
    offset_ = start;
    return Seek(start);
  }

  // Parses the next record straight into `cells`, reusing the strings already there (the
  // caller passes the vector of an earlier record back), so that reading a large file
  // allocates nothing per cell. Blank lines yield nothing.
  Result<bool> Next(int64_t& line, std::vector<std::string>& cells) override {
    size_t used = 0;  // cells of this record so far; cells[used] is the cell being read
    auto current = [&]() -> std::string& {
      if (used == cells.size()) cells.emplace_back();
      return cells[used];
    };
    current().clear();
    bool quoted = false;  // the current cell was quoted
    bool content = false;
    size_t record_bytes = 0;
    // Ends the current cell: unquoted cells are trimmed (base/csv.h).
    auto finish_cell = [&] {
      std::string& cell = cells[used];
      if (!quoted) {
        const std::string_view trimmed = Trim(cell);
        if (trimmed.size() != cell.size()) {
          const size_t from = static_cast<size_t>(trimmed.data() - cell.data());
          cell.erase(from + trimmed.size());
          cell.erase(0, from);
        }
      }
      ++used;
      quoted = false;
    };
    while (true) {
      if (pos_ == text_.size()) {
        if (record_bytes > max_record_bytes_) return std::unexpected(TooLong());
        if (!input_done_) {
          FUPIN_TRY(ParseChunk());
          continue;
        }
        // The end of the input: the last record may lack its newline.
        if (quote_pending_) {
          quote_pending_ = false;
          in_quotes_ = false;
        }
        if (in_quotes_) {
          return InvalidArgument(
              fmt::format("line {}: a quoted field is never closed", quote_line_),
              {ErrorDetail{quote_line_, "", "", "unterminated quoted field"}});
        }
        if (!content) return false;
        finish_cell();
        cells.resize(used);
        line = record_line_;
        return true;
      }
      const char* const data = text_.data();
      const size_t end = text_.size();
      size_t i = pos_;
      if (quote_pending_) {
        // Inside a quoted field the last byte was a quote: a doubled quote or the closing one.
        quote_pending_ = false;
        if (data[i] == '"') {
          current().push_back('"');
          ++i;
          ++record_bytes;
          pos_ = i;
          in_quotes_ = true;
          continue;
        }
        in_quotes_ = false;  // the quote closed the field; this byte is outside it
      }
      if (in_quotes_) {
        // Up to the next quote, counting the newlines inside the field.
        const char* quote = static_cast<const char*>(std::memchr(data + i, '"', end - i));
        const size_t stop = quote ? static_cast<size_t>(quote - data) : end;
        for (size_t k = i; k < stop; ++k) line_ += data[k] == '\n';
        current().append(data + i, stop - i);
        record_bytes += stop - i;
        pos_ = stop;
        if (quote) {
          ++pos_;
          ++record_bytes;
          quote_pending_ = true;
          in_quotes_ = false;
        }
        continue;
      }
      // Unquoted: the plain bytes up to the next byte the dialect acts on, at once.
      size_t k = i;
      bool plain_content = false;
      while (k < end && !kSpecial[static_cast<unsigned char>(data[k])]) {
        plain_content |= data[k] != ' ' && data[k] != '\t';
        ++k;
      }
      std::string& cell = current();
      if (k > i) {
        cell.append(data + i, k - i);
        content |= plain_content;
      }
      record_bytes += k - i;
      pos_ = k;
      if (k == end) continue;
      const char c = data[k];
      ++pos_;
      ++record_bytes;
      switch (c) {
        case '"':
          if (Trim(cell).empty()) {
            cell.clear();
            in_quotes_ = true;
            quoted = true;
            quote_line_ = line_;
            content = true;
          } else {
            cell.push_back(c);  // a stray quote inside an unquoted cell is kept literally
          }
          break;
        case ',':
          finish_cell();
          current().clear();
          content = true;
          break;
        case '\r':
          break;
        default: {  // '\n'
          const int64_t start_line = record_line_;
          ++line_;
          record_line_ = line_;
          if (!content) {  // a blank line
            used = 0;
            quoted = false;
            current().clear();
            record_bytes = 0;
            break;
          }
          finish_cell();
          cells.resize(used);
          line = start_line;
          return true;
        }
      }
    }
  }

  std::string_view format() const override {
    switch (encoding_) {
      case TextEncoding::kUtf8:
        return "csv-utf-8";
      case TextEncoding::kUtf8Bom:
        return "csv-utf-8-bom";
      case TextEncoding::kGb18030:
        return "csv-gb18030";
    }
    return "csv-utf-8";
  }

  std::string ColumnName(size_t index) const override {
    return fmt::format("column {}", index + 1);
  }

  // Bytes of the file parsed over its size (GB18030: to the end of the chunk being parsed).
  std::optional<double> FractionRead() const override {
    if (file_bytes_ <= 0) return std::nullopt;
    int64_t parsed = offset_;
    if (!decoder_) parsed -= static_cast<int64_t>(text_.size() - pos_);
    return std::clamp(static_cast<double>(parsed) / static_cast<double>(file_bytes_), 0.0, 1.0);
  }

 private:
  // Checks the whole file as GB18030, the fallback when it is not UTF-8.
  Status CheckGb18030(int64_t bad_utf8) {
    auto decoder = Gb18030Decoder::Create();
    if (!decoder) return std::unexpected(decoder.error());
    FUPIN_TRY(Seek(0));
    std::string scratch;
    int64_t offset = 0;
    auto neither = [bad_utf8](int64_t bad_gb, bool truncated) {
      return InvalidArgument(
          fmt::format("the file is neither UTF-8 (byte {} is invalid) nor GB18030/GBK (byte {} is "
                      "invalid{})",
                      bad_utf8, bad_gb, truncated ? ": truncated character at the end" : ""));
    };
    while (true) {
      auto n = ReadChunk();
      if (!n) return std::unexpected(n.error());
      if (*n == 0) break;
      scratch.clear();
      if (auto bad = (*decoder)->Decode(std::string_view(chunk_.data(), *n), offset, scratch)) {
        return neither(*bad, false);
      }
      offset += static_cast<int64_t>(*n);
    }
    if (auto bad = (*decoder)->Finish(offset)) return neither(*bad, true);
    return {};
  }

  // The error for a record longer than ReadOptions::max_record_bytes.
  Error TooLong() const {
    if (in_quotes_ || quote_pending_) {
      return Error{ErrorCode::kInvalidArgument,
                   fmt::format("line {}: a quoted field runs on for more than {} bytes; is its "
                               "closing quote missing?",
                               quote_line_, max_record_bytes_),
                   {ErrorDetail{quote_line_, "", "", "unterminated quoted field"}},
                   0,
                   0};
    }
    return Error{
        ErrorCode::kInvalidArgument,
        fmt::format("line {}: a record is longer than {} bytes", record_line_, max_record_bytes_),
        {ErrorDetail{record_line_, "", "", "record too long"}},
        0,
        0};
  }

  // Pass 2: reads one chunk and decodes it into text_ (empty at the end of the file).
  Status ParseChunk() {
    pos_ = 0;
    text_ = {};
    auto n = ReadChunk();
    if (!n) return std::unexpected(n.error());
    if (*n == 0) {
      input_done_ = true;
      if (decoder_) {
        if (auto bad = decoder_->Finish(offset_)) {
          return InvalidArgument(
              fmt::format("byte {}: a GB18030 character is cut off by the end of the file", *bad));
        }
      }
      return {};
    }
    const std::string_view bytes(chunk_.data(), *n);
    if (!decoder_) {
      // UTF-8 needs no decoding: multi-byte sequences never contain the ASCII bytes the
      // parser acts on, so a sequence split between chunks is reassembled in the cell text.
      text_ = bytes;
    } else {
      decoded_.clear();
      if (auto bad = decoder_->Decode(bytes, offset_, decoded_)) {
        // Pass 1 accepted the file, so it changed while being read.
        return InvalidArgument(fmt::format("byte {} is not GB18030 (did the file change?)", *bad));
      }
      text_ = decoded_;
    }
    offset_ += static_cast<int64_t>(*n);
    return {};
  }

  Result<size_t> ReadChunk() {
    chunk_.resize(chunk_bytes_);
    const size_t n = std::fread(chunk_.data(), 1, chunk_.size(), file_.get());
    if (n < chunk_.size() && std::ferror(file_.get())) {
      return Internal(fmt::format("read error: {}", std::strerror(errno)));
    }
    return n;
  }

  Status Seek(int64_t offset) {
    if (std::fseek(file_.get(), static_cast<long>(offset), SEEK_SET) != 0) {
      return Internal(fmt::format("cannot seek: {}", std::strerror(errno)));
    }
    return {};
  }

  UniqueFile file_;
  const size_t chunk_bytes_;
  TextEncoding encoding_ = TextEncoding::kUtf8;
  std::unique_ptr<Gb18030Decoder> decoder_;  // set for GB18030 files only
  const size_t max_record_bytes_;
  std::string chunk_;
  std::string decoded_;
  std::string_view text_;   // the text of the current chunk (in chunk_ or decoded_)
  size_t pos_ = 0;          // the next byte of text_ to parse
  int64_t offset_ = 0;      // file offset of the next chunk
  int64_t file_bytes_ = 0;  // the file's size, as the encoding pass read it
  bool input_done_ = false;
  // Parser state that outlives a chunk (base/csv.h dialect).
  int64_t line_ = 1;         // current physical line
  int64_t record_line_ = 1;  // line where the current record started
  int64_t quote_line_ = 0;   // line where the open quoted field started
  bool in_quotes_ = false;
  bool quote_pending_ = false;  // inside quotes, the last byte was a quote
};

}  // namespace

Result<std::unique_ptr<RecordSource>> OpenCsvSource(const std::string& path,
                                                    const ReadOptions& options) {
  UniqueFile file(std::fopen(path.c_str(), "rb"));
  if (!file) return Internal(fmt::format("cannot open for reading: {}", std::strerror(errno)));
  auto source = std::make_unique<CsvSource>(std::move(file), options);
  FUPIN_TRY(source->DetectEncoding());
  return std::unique_ptr<RecordSource>(std::move(source));
}

}  // namespace fupin::tabular::internal
