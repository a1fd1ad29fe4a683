#include "access/masking.h"

namespace fupin::access {
namespace {

// Keeps `head` leading and `tail` trailing characters and stars the rest; values too short
// to hide at least four characters are starred entirely.
std::string KeepEnds(std::string_view value, size_t head, size_t tail) {
  if (value.empty()) return {};
  if (value.size() < head + tail + 4) return std::string(value.size(), '*');
  std::string out(value);
  for (size_t i = head; i < value.size() - tail; ++i) out[i] = '*';
  return out;
}

}  // namespace

std::string MaskIdNumber(std::string_view id_number) { return KeepEnds(id_number, 4, 4); }
std::string MaskPhone(std::string_view phone) {
  if (phone.size() < 11) return KeepEnds(phone, 0, 4);
  return KeepEnds(phone, 3, 4);
}
std::string MaskBankAccount(std::string_view account) { return KeepEnds(account, 0, 4); }
std::string MaskHealth(std::string_view health) { return health.empty() ? "" : "***"; }

std::string Mask(SensitiveKind kind, std::string_view value) {
  switch (kind) {
    case SensitiveKind::kIdNumber:
      return MaskIdNumber(value);
    case SensitiveKind::kPhone:
      return MaskPhone(value);
    case SensitiveKind::kBankAccount:
      return MaskBankAccount(value);
    case SensitiveKind::kHealth:
      return MaskHealth(value);
  }
  return std::string(value.size(), '*');
}

}  // namespace fupin::access
