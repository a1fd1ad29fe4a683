#include "audit/audit.h"

#include <fmt/format.h>

#include <map>

#include "security/crypto.h"

namespace fupin::audit {
namespace {

void AppendJsonString(std::string& out, std::string_view s) {
  out.push_back('"');
  size_t plain = 0;  // the start of the stretch of characters copied as they are
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20) continue;
    out.append(s, plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += fmt::format("\\u{:04x}", static_cast<int>(c));
    }
  }
  out.append(s, plain, s.size() - plain);
  out.push_back('"');
}

void AppendOptional(std::string& out, const std::optional<std::string>& v) {
  if (v) {
    AppendJsonString(out, *v);
  } else {
    out += "null";
  }
}

}  // namespace

std::string CanonicalContent(const Entry& e) {
  std::string out = fmt::format("{{\"seq\":{},\"at\":", e.seq);
  AppendJsonString(out, e.at);
  out += ",\"actor\":";
  AppendJsonString(out, e.actor.name);
  out += fmt::format(",\"user_id\":{},\"address\":", e.actor.user_id);
  AppendJsonString(out, e.actor.address);
  out += ",\"action\":";
  AppendJsonString(out, e.action);
  out += ",\"entity\":";
  AppendJsonString(out, e.entity);
  out += ",\"entity_id\":";
  AppendJsonString(out, e.entity_id);
  out += ",\"region\":";
  AppendJsonString(out, e.region_code);
  out += ",\"changes\":[";
  for (size_t i = 0; i < e.changes.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += "{\"field\":";
    AppendJsonString(out, e.changes[i].field);
    out += ",\"before\":";
    AppendOptional(out, e.changes[i].before);
    out += ",\"after\":";
    AppendOptional(out, e.changes[i].after);
    out.push_back('}');
  }
  out += "],\"note\":";
  AppendJsonString(out, e.note);
  out += ",\"prev\":";
  AppendJsonString(out, e.prev_hash);
  out.push_back('}');
  return out;
}

std::string ComputeHash(const Entry& entry) {
  return security::Sha256Hex(entry.prev_hash + "\n" + CanonicalContent(entry));
}

std::string SensitiveValue(std::string_view key, std::string_view value) {
  return "hmac:" + security::HmacSha256Hex(key, value);
}

std::vector<FieldChange> Diff(const std::vector<Field>& before, const std::vector<Field>& after,
                              std::string_view hmac_key) {
  std::map<std::string, const Field*> old_by_name;
  for (const Field& f : before) old_by_name[f.name] = &f;
  auto stored = [&](const Field& f) -> std::optional<std::string> {
    if (!f.value || f.value->empty()) return std::nullopt;
    return f.sensitive ? SensitiveValue(hmac_key, *f.value) : *f.value;
  };
  std::vector<FieldChange> changes;
  for (const Field& f : after) {
    std::optional<std::string> old_value;
    if (auto it = old_by_name.find(f.name); it != old_by_name.end()) {
      old_value = stored(*it->second);
    }
    auto new_value = stored(f);
    if (old_value != new_value) changes.push_back({f.name, old_value, new_value});
  }
  return changes;
}

Verification VerifyChain(std::span<const Entry> entries, const std::optional<Head>& expected) {
  Verification v;
  std::string prev;
  for (const Entry& e : entries) {
    ++v.checked;
    const int64_t want_seq = v.checked;
    if (e.seq != want_seq) {
      v.ok = false;
      v.first_broken = e.seq;
      v.problem = fmt::format("entry {} follows entry {}: entry {} is missing", e.seq, want_seq - 1,
                              want_seq);
      return v;
    }
    if (e.prev_hash != prev) {
      v.ok = false;
      v.first_broken = e.seq;
      v.problem = fmt::format("entry {} does not link to entry {}", e.seq, e.seq - 1);
      return v;
    }
    if (ComputeHash(e) != e.hash) {
      v.ok = false;
      v.first_broken = e.seq;
      v.problem = fmt::format("entry {} was changed after it was written", e.seq);
      return v;
    }
    prev = e.hash;
    v.head = {e.seq, e.hash};
  }
  if (expected) {
    if (v.head.count < expected->count) {
      v.ok = false;
      v.first_broken = v.head.count + 1;
      v.problem = fmt::format(
          "the log ends at entry {} but the saved head is entry {}: entries "
          "were removed from the end",
          v.head.count, expected->count);
    } else if (expected->count > 0) {
      const Entry& at_head = entries[static_cast<size_t>(expected->count - 1)];
      if (at_head.hash != expected->hash) {
        v.ok = false;
        v.first_broken = expected->count;
        v.problem =
            fmt::format("entry {} has a different hash than the saved head: the log was rewritten",
                        expected->count);
      }
    }
  }
  return v;
}

}  // namespace fupin::audit
