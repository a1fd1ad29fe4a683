#include "base/text.h"

#include <fmt/format.h>
#include <iconv.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fupin {
namespace {

// Returns the offset of the first byte that does not start a well-formed UTF-8 sequence, or
// npos when the whole string is valid.
size_t FirstInvalidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and code points beyond U+10FFFF are not UTF-8.
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

}  // namespace

std::string_view TextEncodingName(TextEncoding encoding) {
  switch (encoding) {
    case TextEncoding::kUtf8:
      return "utf-8";
    case TextEncoding::kUtf8Bom:
      return "utf-8-bom";
    case TextEncoding::kGb18030:
      return "gb18030";
  }
  return "utf-8";
}

bool IsValidUtf8(std::string_view s) { return FirstInvalidUtf8(s) == std::string_view::npos; }

Result<DecodedText> DecodeText(std::string_view bytes) {
  if (bytes.size() >= 2 &&
      ((bytes[0] == '\xFF' && bytes[1] == '\xFE') || (bytes[0] == '\xFE' && bytes[1] == '\xFF'))) {
    return InvalidArgument("the file is UTF-16; save it as UTF-8 or GB18030 (GBK) text");
  }
  if (bytes.find('\0') != std::string_view::npos) {
    return InvalidArgument("the file contains NUL bytes: it is binary or UTF-16, not text");
  }
  if (bytes.starts_with("\xEF\xBB\xBF")) {
    std::string_view rest = bytes.substr(3);
    const size_t bad = FirstInvalidUtf8(rest);
    if (bad != std::string_view::npos) {
      return InvalidArgument(fmt::format(
          "the file starts with a UTF-8 byte-order mark but byte {} is not UTF-8", bad + 3));
    }
    return DecodedText{std::string(rest), TextEncoding::kUtf8Bom};
  }
  const size_t bad_utf8 = FirstInvalidUtf8(bytes);
  if (bad_utf8 == std::string_view::npos) {
    return DecodedText{std::string(bytes), TextEncoding::kUtf8};
  }

  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    return Internal("iconv cannot convert from GB18030 on this system");
  }
  std::string out(bytes.size() * 2 + 16, '\0');
  char* in_ptr = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  char* out_ptr = out.data();
  size_t out_left = out.size();
  size_t rc = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
  const int saved_errno = errno;
  // Flush any shift state.
  if (rc != static_cast<size_t>(-1)) rc = iconv(cd, nullptr, nullptr, &out_ptr, &out_left);
  iconv_close(cd);
  if (rc == static_cast<size_t>(-1) || in_left != 0) {
    const size_t offset = bytes.size() - in_left;
    return InvalidArgument(fmt::format(
        "the file is neither UTF-8 (byte {} is invalid) nor GB18030/GBK (byte {} is invalid{})",
        bad_utf8, offset, saved_errno == EINVAL ? ": truncated character at the end" : ""));
  }
  out.resize(out.size() - out_left);
  return DecodedText{std::move(out), TextEncoding::kGb18030};
}

Result<std::string> ReadFileBytes(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return NotFound(fmt::format("{}: no such file", path));
  if (!std::filesystem::is_regular_file(path, ec)) {
    return InvalidArgument(fmt::format("{}: not a regular file", path));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Internal(fmt::format("{}: cannot open for reading", path));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Internal(fmt::format("{}: read error", path));
  return std::move(buffer).str();
}

std::string_view Trim(std::string_view s) {
  const auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
  };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  // Excel sometimes leaves a full-width space (U+3000) around Chinese cells.
  while (s.starts_with("\xE3\x80\x80")) s.remove_prefix(3);
  while (s.ends_with("\xE3\x80\x80")) s.remove_suffix(3);
  return s;
}

std::vector<std::string> Split(std::string_view s, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t pos = s.find(separator, start);
    if (pos == std::string_view::npos) {
      parts.emplace_back(s.substr(start));
      return parts;
    }
    parts.emplace_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

std::string ToLowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsAsciiDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace fupin
