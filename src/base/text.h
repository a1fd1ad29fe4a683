// Text helpers: encoding detection for files Chinese users produce (UTF-8 with or without BOM,
// GB18030/GBK from Excel), UTF-8 validation, trimming and splitting.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace fupin {

enum class TextEncoding { kUtf8, kUtf8Bom, kGb18030 };
std::string_view TextEncodingName(TextEncoding encoding);  // "utf-8", "utf-8-bom", "gb18030"

struct DecodedText {
  std::string utf8;
  TextEncoding encoding = TextEncoding::kUtf8;
};

// Returns the text as UTF-8. Tries strict UTF-8 first (a leading BOM is dropped), then
// GB18030 (a superset of GBK and GB2312) through iconv. Anything else — UTF-16, binary data,
// bytes invalid in both — is kInvalidArgument naming the byte offset where decoding failed.
Result<DecodedText> DecodeText(std::string_view bytes);

// True when `s` is well-formed UTF-8 (no overlong forms, surrogates or code points > U+10FFFF).
bool IsValidUtf8(std::string_view s);

// Reads a whole file. kNotFound when it does not exist, kInvalidArgument when it is not a
// regular file, kInternal on a read error.
Result<std::string> ReadFileBytes(const std::string& path);

std::string_view Trim(std::string_view s);
std::vector<std::string> Split(std::string_view s, char separator);
std::string ToLowerAscii(std::string_view s);
bool IsAsciiDigits(std::string_view s);

}  // namespace fupin
