// Masks for personal data (个人敏感信息): ID numbers, phone numbers, bank accounts and health
// conditions are shown masked to everyone by default; see docs/access.md for who may reveal
// them. Masks keep enough to tell records apart and check a value read out over the phone
// (the region prefix and last four digits of an ID number), nothing more.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace fupin::access {

enum class SensitiveKind { kIdNumber, kPhone, kBankAccount, kHealth };

// "620102199001011234" → "6201**********1234": the first 4 and last 4 characters kept.
std::string MaskIdNumber(std::string_view id_number);
// "13812345678" → "138****5678": the first 3 and last 4 kept.
std::string MaskPhone(std::string_view phone);
// "6228480012345678901" → "***************8901": the last 4 kept.
std::string MaskBankAccount(std::string_view account);
// Any health condition → "***".
std::string MaskHealth(std::string_view health);

// Dispatches on `kind`. The empty string stays empty (there is nothing to hide); a value too
// short to keep any part of is masked entirely.
std::string Mask(SensitiveKind kind, std::string_view value);

}  // namespace fupin::access
