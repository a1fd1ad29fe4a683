// Cryptographic primitives fupin needs, over libsodium: Argon2id password hashes, random
// tokens, SHA-256 digests and keyed hashes (HMAC-SHA-256) for audit values.
// Thread-safety: all functions are thread-safe (libsodium is initialized once, on first use).
#pragma once

#include <string>
#include <string_view>

#include "base/error.h"

namespace fupin::security {

// Argon2id hash in libsodium's string format (algorithm, parameters and salt included), with
// the "interactive" cost limits — about 0.1 s and 64 MiB per hash. kInternal when out of
// memory.
Result<std::string> HashPassword(std::string_view password);
// Constant-time check of `password` against a hash made by HashPassword.
bool VerifyPassword(std::string_view password, const std::string& hash);

// `bytes` random bytes as lower-case hex (2 × bytes characters), from the OS's CSPRNG.
std::string RandomHex(size_t bytes);

// SHA-256 of `data` as lower-case hex.
std::string Sha256Hex(std::string_view data);

// SHA-256 of a file's content as lower-case hex, read in chunks (for imports of large files).
// kNotFound when the file cannot be opened, kInternal on a read error.
Result<std::string> Sha256FileHex(const std::string& path);

// HMAC-SHA-256 of `data` under `key` (any length), as lower-case hex.
std::string HmacSha256Hex(std::string_view key, std::string_view data);

// Constant-time comparison of two strings of equal length (false when lengths differ).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Decodes standard base64 (RFC 4648, with or without padding; white space ignored), as browsers
// produce for uploads in JSON. kInvalidArgument when it is not base64.
Result<std::string> Base64Decode(std::string_view text);

}  // namespace fupin::security
