#include "tabular/xml_scanner.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace fupin::tabular::internal {
namespace {

bool IsXmlSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool IsAllXmlSpace(std::string_view s) { return std::all_of(s.begin(), s.end(), IsXmlSpace); }

std::string_view TrimXmlSpace(std::string_view s) {
  while (!s.empty() && IsXmlSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsXmlSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Resolves the reference between '&' and ';'. Returns false when it is not one XML knows.
bool AppendReference(std::string_view entity, std::string& out) {
  if (entity == "amp") {
    out.push_back('&');
  } else if (entity == "lt") {
    out.push_back('<');
  } else if (entity == "gt") {
    out.push_back('>');
  } else if (entity == "quot") {
    out.push_back('"');
  } else if (entity == "apos") {
    out.push_back('\'');
  } else if (entity.size() >= 2 && entity[0] == '#') {
    const bool hex = entity[1] == 'x';
    const std::string_view digits = entity.substr(hex ? 2 : 1);
    if (digits.empty() || digits.size() > 8) return false;
    uint32_t code_point = 0;
    const auto [end, ec] =
        std::from_chars(digits.data(), digits.data() + digits.size(), code_point, hex ? 16 : 10);
    if (ec != std::errc() || end != digits.data() + digits.size()) return false;
    if (code_point == 0 || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return false;
    }
    AppendUtf8(code_point, out);
  } else {
    return false;
  }
  return true;
}

}  // namespace

void AppendUtf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::optional<size_t> AppendXmlText(std::string_view raw, std::string& out) {
  size_t i = 0;
  while (i < raw.size()) {
    // A plain loop: find_first_of would call memchr on the two-character set per byte.
    size_t special = i;
    while (special < raw.size() && raw[special] != '&' && raw[special] != '\r') ++special;
    if (special == raw.size()) {
      out.append(raw.substr(i));
      break;
    }
    out.append(raw.substr(i, special - i));
    if (raw[special] == '\r') {  // CRLF and lone CR both become LF
      out.push_back('\n');
      i = special + 1;
      if (i < raw.size() && raw[i] == '\n') ++i;
      continue;
    }
    const size_t semicolon = raw.find(';', special);
    if (semicolon == std::string_view::npos) return special;
    if (!AppendReference(raw.substr(special + 1, semicolon - special - 1), out)) return special;
    i = semicolon + 1;
  }
  return std::nullopt;
}

XmlScanner::XmlScanner(ReadFn read, size_t chunk_bytes, size_t max_token_bytes)
    : read_(std::move(read)),
      chunk_bytes_(std::max<size_t>(chunk_bytes, 1)),
      max_token_bytes_(max_token_bytes) {}

std::string_view XmlScanner::name() const {
  const std::string_view qualified = name_;
  const size_t colon = qualified.find(':');
  return colon == std::string_view::npos ? qualified : qualified.substr(colon + 1);
}

std::optional<std::string_view> XmlScanner::Attribute(std::string_view qualified_name) const {
  for (size_t i = 0; i < attribute_count_; ++i) {
    if (attributes_[i].first == qualified_name) return attributes_[i].second;
  }
  return std::nullopt;
}

std::unexpected<Error> XmlScanner::Malformed(int64_t offset, std::string_view what) const {
  return InvalidArgument(fmt::format("malformed XML at byte {}: {}", offset, what));
}

std::unexpected<Error> XmlScanner::TooLong() const {
  return InvalidArgument(fmt::format("an XML tag or text at byte {} is longer than {} bytes",
                                     token_offset_, max_token_bytes_));
}

Result<bool> XmlScanner::Fill() {
  if (eof_) return false;
  if (pos_ > 0) {
    buffer_.erase(0, pos_);
    buffer_offset_ += static_cast<int64_t>(pos_);
    pos_ = 0;
  }
  if (buffer_.size() > max_token_bytes_) return TooLong();  // pos_ is at the token's start
  const size_t old_size = buffer_.size();
  buffer_.resize(old_size + chunk_bytes_);
  auto n = read_(buffer_.data() + old_size, chunk_bytes_);
  if (!n) {
    buffer_.resize(old_size);
    return std::unexpected(n.error());
  }
  buffer_.resize(old_size + *n);
  if (*n == 0) {
    eof_ = true;
    return false;
  }
  return true;
}

Result<size_t> XmlScanner::FindTerminator(std::string_view terminator, size_t from,
                                          std::string_view what) {
  size_t scan = from;  // relative to pos_, which Fill() may move
  while (true) {
    const size_t at = buffer_.find(terminator, pos_ + scan);
    if (at != std::string::npos) return at;
    const size_t available = buffer_.size() - pos_;
    scan = std::max(from, available >= terminator.size() ? available - terminator.size() + 1 : 0);
    auto more = Fill();
    if (!more) return std::unexpected(more.error());
    if (!*more) return Malformed(token_offset_, fmt::format("the document ends inside {}", what));
  }
}

Result<XmlScanner::Token> XmlScanner::Next() {
  if (pending_end_) {
    pending_end_ = false;
    open_elements_.pop_back();
    return Token::kEnd;
  }
  while (true) {
    if (pos_ >= buffer_.size()) {
      const bool at_start = buffer_offset_ == 0 && buffer_.empty();
      auto more = Fill();
      if (!more) return std::unexpected(more.error());
      if (!*more) {
        token_offset_ = buffer_offset_ + static_cast<int64_t>(pos_);
        if (!open_elements_.empty()) {
          return Malformed(token_offset_, fmt::format("the document ends inside <{}> (truncated?)",
                                                      open_elements_.back()));
        }
        if (!seen_root_) return Malformed(token_offset_, "no root element");
        return Token::kEof;
      }
      if (at_start) {
        // Byte-order marks: UTF-8 is fine; UTF-16 XML is legal but no XLSX writer uses it.
        while (buffer_.size() < 3 && *more) {
          more = Fill();
          if (!more) return std::unexpected(more.error());
        }
        if (buffer_.starts_with("\xEF\xBB\xBF")) {
          pos_ = 3;
        } else if (buffer_.starts_with("\xFF\xFE") || buffer_.starts_with("\xFE\xFF") ||
                   (buffer_.size() >= 2 && buffer_[1] == '\0')) {
          return Malformed(0, "the document is UTF-16; only UTF-8 is supported");
        }
      }
      continue;
    }
    token_offset_ = buffer_offset_ + static_cast<int64_t>(pos_);
    auto token = buffer_[pos_] == '<' ? ScanMarkup() : ScanText();
    if (!token) return std::unexpected(token.error());
    if (*token) return **token;
    // Nothing to report (a comment, white space outside the root element): go on.
  }
}

Result<std::optional<XmlScanner::Token>> XmlScanner::ScanText() {
  size_t scan = 0;
  size_t less_than = std::string::npos;
  while (true) {
    less_than = buffer_.find('<', pos_ + scan);
    if (less_than != std::string::npos) break;
    scan = buffer_.size() - pos_;
    auto more = Fill();
    if (!more) return std::unexpected(more.error());
    if (!*more) {
      less_than = buffer_.size();
      break;
    }
  }
  if (less_than - pos_ > max_token_bytes_) return TooLong();
  const std::string_view raw(buffer_.data() + pos_, less_than - pos_);
  pos_ = less_than;
  if (open_elements_.empty()) {
    if (IsAllXmlSpace(raw)) return std::nullopt;
    return Malformed(token_offset_, "text outside the root element");
  }
  text_.clear();
  if (auto bad = AppendXmlText(raw, text_)) {
    return Malformed(token_offset_ + static_cast<int64_t>(*bad),
                     "an '&' that does not start a known character reference");
  }
  return Token::kText;
}

Result<std::optional<XmlScanner::Token>> XmlScanner::ScanMarkup() {
  // Makes sure `n` bytes from pos_ are buffered; false when the document is shorter.
  auto ensure = [this](size_t n) -> Result<bool> {
    while (buffer_.size() - pos_ < n) {
      auto more = Fill();
      if (!more) return std::unexpected(more.error());
      if (!*more) return false;
    }
    return true;
  };
  auto starts_with = [&](std::string_view prefix) -> Result<bool> {
    auto enough = ensure(prefix.size());
    if (!enough) return std::unexpected(enough.error());
    return *enough && std::string_view(buffer_).substr(pos_).starts_with(prefix);
  };

  auto has_second = ensure(2);
  if (!has_second) return std::unexpected(has_second.error());
  if (!*has_second) return Malformed(token_offset_, "the document ends inside a tag");
  const char second = buffer_[pos_ + 1];

  if (second == '!') {
    auto comment = starts_with("<!--");
    if (!comment) return std::unexpected(comment.error());
    if (*comment) {
      auto end = FindTerminator("-->", 4, "a comment");
      if (!end) return std::unexpected(end.error());
      pos_ = *end + 3;
      return std::nullopt;
    }
    auto cdata = starts_with("<![CDATA[");
    if (!cdata) return std::unexpected(cdata.error());
    if (*cdata) {
      auto end = FindTerminator("]]>", 9, "a CDATA section");
      if (!end) return std::unexpected(end.error());
      if (open_elements_.empty()) {
        return Malformed(token_offset_, "a CDATA section outside the root element");
      }
      text_.clear();
      const std::string_view raw(buffer_.data() + pos_ + 9, *end - pos_ - 9);
      for (size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '\r') {
          text_.push_back('\n');
          if (i + 1 < raw.size() && raw[i + 1] == '\n') ++i;
        } else {
          text_.push_back(raw[i]);
        }
      }
      pos_ = *end + 3;
      return Token::kText;
    }
    return Malformed(token_offset_, "document type declarations are not supported");
  }

  if (second == '?') {
    auto end = FindTerminator("?>", 2, "a processing instruction");
    if (!end) return std::unexpected(end.error());
    const std::string_view instruction(buffer_.data() + pos_ + 2, *end - pos_ - 2);
    if (instruction.starts_with("xml ")) {
      const size_t at = instruction.find("encoding");
      if (at != std::string_view::npos) {
        const size_t open = instruction.find_first_of("\"'", at);
        const size_t close = open == std::string_view::npos
                                 ? std::string_view::npos
                                 : instruction.find(instruction[open], open + 1);
        if (close != std::string_view::npos) {
          std::string encoding(instruction.substr(open + 1, close - open - 1));
          for (char& c : encoding)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          if (encoding != "utf-8" && encoding != "utf8" && encoding != "us-ascii") {
            return Malformed(token_offset_,
                             fmt::format("the document is {}; only UTF-8 is supported", encoding));
          }
        }
      }
    }
    pos_ = *end + 2;
    return std::nullopt;
  }

  // An element tag: find its '>' outside quoted attribute values.
  size_t i = 1;  // relative to pos_
  char quote = 0;
  while (true) {
    if (pos_ + i >= buffer_.size()) {
      auto more = Fill();
      if (!more) return std::unexpected(more.error());
      if (!*more) return Malformed(token_offset_, "the document ends inside a tag");
      continue;
    }
    const char c = buffer_[pos_ + i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      break;
    } else if (c == '<') {
      return Malformed(token_offset_, "'<' inside a tag");
    }
    ++i;
  }
  if (i + 1 > max_token_bytes_) return TooLong();
  const std::string_view content(buffer_.data() + pos_ + 1, i - 1);
  auto token = ParseTag(content);
  if (!token) return std::unexpected(token.error());
  pos_ += i + 1;
  return *token;
}

Result<XmlScanner::Token> XmlScanner::ParseTag(std::string_view content) {
  if (content.starts_with('/')) {
    const std::string_view name = TrimXmlSpace(content.substr(1));
    if (name.empty()) return Malformed(token_offset_, "an end tag without a name");
    if (open_elements_.empty() || open_elements_.back() != name) {
      return Malformed(token_offset_,
                       open_elements_.empty()
                           ? fmt::format("</{}> closes nothing", name)
                           : fmt::format("</{}> does not close <{}>", name, open_elements_.back()));
    }
    open_elements_.pop_back();
    name_.assign(name);
    return Token::kEnd;
  }

  const bool self_closing = content.ends_with('/');
  if (self_closing) content.remove_suffix(1);
  size_t i = 0;
  while (i < content.size() && !IsXmlSpace(content[i])) ++i;
  const std::string_view name = content.substr(0, i);
  if (name.empty()) return Malformed(token_offset_, "a tag without a name");
  if (open_elements_.empty() && seen_root_) {
    return Malformed(token_offset_, "a second root element");
  }

  attribute_count_ = 0;
  while (true) {
    while (i < content.size() && IsXmlSpace(content[i])) ++i;
    if (i == content.size()) break;
    const size_t name_start = i;
    while (i < content.size() && !IsXmlSpace(content[i]) && content[i] != '=') ++i;
    const std::string_view attribute = content.substr(name_start, i - name_start);
    while (i < content.size() && IsXmlSpace(content[i])) ++i;
    if (attribute.empty() || i == content.size() || content[i] != '=') {
      return Malformed(token_offset_,
                       fmt::format("attribute '{}' of <{}> has no value", attribute, name));
    }
    ++i;
    while (i < content.size() && IsXmlSpace(content[i])) ++i;
    if (i == content.size() || (content[i] != '"' && content[i] != '\'')) {
      return Malformed(token_offset_,
                       fmt::format("the value of attribute '{}' is not quoted", attribute));
    }
    const char quote = content[i++];
    const size_t close = content.find(quote, i);
    if (close == std::string_view::npos) {
      return Malformed(token_offset_, fmt::format("attribute '{}' is not closed", attribute));
    }
    if (attribute_count_ == attributes_.size()) attributes_.emplace_back();
    auto& [key, value] = attributes_[attribute_count_++];
    key.assign(attribute);
    value.clear();
    if (AppendXmlText(content.substr(i, close - i), value)) {
      return Malformed(token_offset_,
                       fmt::format("a bad character reference in attribute '{}'", attribute));
    }
    i = close + 1;
  }

  name_.assign(name);
  open_elements_.push_back(name_);
  seen_root_ = true;
  pending_end_ = self_closing;
  return Token::kStart;
}

}  // namespace fupin::tabular::internal
