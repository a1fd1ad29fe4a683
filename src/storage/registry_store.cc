#include "storage/registry_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <iterator>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "access/permissions.h"
#include "base/cores.h"
#include "base/text.h"
#include "regions/region.h"
#include "storage/audit_store.h"
#include "storage/region_store.h"

namespace fupin::storage {
namespace {

using registry::AssistanceMeasure;
using registry::Guarantee;
using registry::HelperAssignment;
using registry::Household;
using registry::HouseholdQuery;
using registry::HouseholdRecord;
using registry::HouseholdSummary;
using registry::Income;
using registry::Member;
using registry::StatusEvent;

// Rows per multi-row INSERT and values per IN (…) list.
constexpr size_t kChunk = 400;

constexpr std::string_view kHouseholdColumns =
    "h.id, h.number, h.region_code, h.attribute, h.main_cause, h.secondary_cause, h.phone, "
    "h.bank_account, h.housing_safe, h.housing_area, h.water_safe, h.market_distance_km, "
    "h.year_identified, h.status, h.lifted_year, h.version, h.created_at, h.updated_at, "
    "h.head_name, h.member_count, h.reported_size";
constexpr int kHouseholdColumnCount = 21;

// Households per chunk of ForEachRecord (each chunk: one query per table).
constexpr int64_t kRecordChunk = 1000;

constexpr std::string_view kMemberColumns =
    "id, household_id, name, id_number, relation, sex, birth_date, ethnicity, education, "
    "in_school, health, labour, migrant_months, dibao, medical_insurance, pension, joined_on, "
    "left_on, left_reason, version";

std::string Now() { return FormatTimestampUtc(std::chrono::system_clock::now()); }

SqlValue Opt(const std::optional<bool>& v) {
  return v ? SqlValue(static_cast<int64_t>(*v)) : SqlValue(nullptr);
}
SqlValue Opt(const std::optional<int>& v) {
  return v ? SqlValue(static_cast<int64_t>(*v)) : SqlValue(nullptr);
}
SqlValue Opt(const std::optional<double>& v) { return v ? SqlValue(*v) : SqlValue(nullptr); }
SqlValue Opt(const std::optional<Date>& v) {
  return v ? SqlValue(v->ToString()) : SqlValue(nullptr);
}

std::optional<bool> OptBool(const SqlRow& row, int c) {
  return row.IsNull(c) ? std::nullopt : std::optional<bool>(row.Int(c) != 0);
}
std::optional<int> OptInt(const SqlRow& row, int c) {
  return row.IsNull(c) ? std::nullopt : std::optional<int>(static_cast<int>(row.Int(c)));
}
std::optional<double> OptDouble(const SqlRow& row, int c) {
  return row.IsNull(c) ? std::nullopt : std::optional<double>(row.Double(c));
}
std::optional<Date> OptDate(const SqlRow& row, int c) {
  if (row.IsNull(c)) return std::nullopt;
  auto d = ParseDate(row.Text(c));
  return d ? std::optional<Date>(*d) : std::nullopt;
}

Household ReadHousehold(const SqlRow& row) {
  Household h;
  h.id = row.Int(0);
  h.number = row.Text(1);
  h.region_code = row.Text(2);
  h.attribute = row.Text(3);
  h.main_cause = row.Text(4);
  h.secondary_cause = row.Text(5);
  h.phone = row.Text(6);
  h.bank_account = row.Text(7);
  h.housing_safe = OptBool(row, 8);
  h.housing_area = OptDouble(row, 9);
  h.water_safe = OptBool(row, 10);
  h.market_distance_km = OptDouble(row, 11);
  h.year_identified = OptInt(row, 12);
  h.status = row.Text(13);
  h.lifted_year = OptInt(row, 14);
  h.version = row.Int(15);
  h.created_at = row.Text(16);
  h.updated_at = row.Text(17);
  h.reported_size = OptInt(row, 20);
  return h;
}

Member ReadMember(const SqlRow& row) {
  Member m;
  m.id = row.Int(0);
  m.household_id = row.Int(1);
  m.name = row.Text(2);
  m.id_number = row.Text(3);
  m.relation = row.Text(4);
  m.sex = row.Text(5);
  m.birth_date = OptDate(row, 6);
  m.ethnicity = row.Text(7);
  m.education = row.Text(8);
  m.in_school = OptBool(row, 9);
  m.health = row.Text(10);
  m.labour = row.Text(11);
  m.migrant_months = OptInt(row, 12);
  m.dibao = OptBool(row, 13);
  m.medical_insurance = OptBool(row, 14);
  m.pension = OptBool(row, 15);
  m.joined_on = OptDate(row, 16);
  m.left_on = OptDate(row, 17);
  m.left_reason = row.Text(18);
  m.version = row.Int(19);
  return m;
}

// "a, b, c" with `prefix` before each column ("m.a, m.b, m.c").
std::string Qualified(std::string_view columns, std::string_view prefix) {
  std::string out;
  for (const std::string& c : Split(columns, ',')) {
    out += (out.empty() ? "" : ", ") + std::string(prefix) + std::string(Trim(c));
  }
  return out;
}

// LIKE patterns match the user's text literally.
std::string EscapeLike(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

bool LooksLikeIdNumber(std::string_view t) {
  return t.size() == 18 && IsAsciiDigits(t.substr(0, 17)) &&
         (IsAsciiDigits(t.substr(17)) || t[17] == 'X' || t[17] == 'x');
}

// The exclusive upper bound of the strings that start with `prefix` in byte order, so that a
// prefix search is an index range; nullopt when no simple bound exists (below).
std::optional<std::string> PrefixEnd(std::string_view prefix, Backend backend) {
  if (prefix.empty()) return std::nullopt;
  const auto last = static_cast<unsigned char>(prefix.back());
  std::string end(prefix);
  if (backend == Backend::kSqlite) {
    // SQLite compares text bytewise and stores any bytes: the last byte plus one (UTF-8 never
    // ends a character on 0xFF).
    if (last == 0xFF) return std::nullopt;
    end.back() = static_cast<char>(last + 1);
    return end;
  }
  // PostgreSQL's "C" collation compares bytewise too (UTF-8 byte order is code point order),
  // but a value must be valid UTF-8: the last code point plus one.
  size_t start = end.size() - 1;
  while (start > 0 && (static_cast<unsigned char>(end[start]) & 0xC0) == 0x80) --start;
  const auto lead = static_cast<unsigned char>(end[start]);
  const size_t length = end.size() - start;
  const size_t expected = lead < 0x80    ? 1
                          : lead >= 0xF0 ? 4
                          : lead >= 0xE0 ? 3
                          : lead >= 0xC0 ? 2
                                         : 0;
  if (expected != length) return std::nullopt;
  uint32_t cp = length == 1 ? lead : lead & (0x7F >> length);
  for (size_t i = start + 1; i < end.size(); ++i) {
    cp = (cp << 6) | (static_cast<unsigned char>(end[i]) & 0x3F);
  }
  ++cp;
  if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return std::nullopt;
  end.resize(start);
  if (cp < 0x80) {
    end += static_cast<char>(cp);
  } else if (cp < 0x800) {
    end += static_cast<char>(0xC0 | (cp >> 6));
    end += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    end += static_cast<char>(0xE0 | (cp >> 12));
    end += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    end += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    end += static_cast<char>(0xF0 | (cp >> 18));
    end += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    end += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    end += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return end;
}

// How a text search matches heads' names: from their start, or anywhere in them.
enum class NameMatch { kPrefix, kContains };

// How a search text matches households `h`: a household number starting with it, or a head's
// name (from its start, or anywhere in it); each a condition with its values. `name` is empty
// when the text can only be a number.
struct TextMatch {
  std::string number;
  std::vector<SqlValue> number_params;
  std::string name;
  std::vector<SqlValue> name_params;
};

TextMatch MatchText(std::string_view text, Backend backend, NameMatch names) {
  TextMatch m;
  const std::optional<std::string> end = PrefixEnd(text, backend);
  // A number prefix as a range of the number index (LIKE when it has no range).
  if (end) {
    m.number = "(h.number >= ? AND h.number < ?)";
    m.number_params = {std::string(text), *end};
  } else {
    m.number = "h.number LIKE ? ESCAPE '\\'";
    m.number_params = {EscapeLike(text) + "%"};
  }
  // Names hold no digits: an ASCII text with one is a household number only.
  const bool ascii = std::all_of(text.begin(), text.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  const bool digits =
      std::any_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (ascii && digits) return m;
  // The head's name from its start — a range of the name index (PrefixEnd) — or, where no
  // name starts so, anywhere in it (instr/strpos: byte-wise and case-sensitive on both
  // backends, and much cheaper per row than LIKE '%…%'; it reads every name of the regions
  // searched).
  if (names == NameMatch::kPrefix && end) {
    // PostgreSQL: the name index is in the "C" collation.
    m.name = backend == Backend::kSqlite
                 ? "(h.head_name >= ? AND h.head_name < ?)"
                 : "(h.head_name COLLATE \"C\" >= ? AND h.head_name COLLATE \"C\" < ?)";
    m.name_params = {std::string(text), *end};
  } else if (names == NameMatch::kPrefix) {
    m.name = "h.head_name LIKE ? ESCAPE '\\'";
    m.name_params = {EscapeLike(text) + "%"};
  } else {
    m.name =
        backend == Backend::kSqlite ? "instr(h.head_name, ?) > 0" : "strpos(h.head_name, ?) > 0";
    m.name_params = {std::string(text)};
  }
  return m;
}

// The condition of a household list query on households `h`, its values appended to `params`.
// The caller's reach is the union of its region subtrees and its own households (a household
// member's), never more.
//
// SQLite-only planning hints (see ListHouseholds): `region` is the column expression the region
// conditions test ("+h.region_code" keeps SQLite from using the region index), `filter` is put
// before the filter columns ("+" likewise keeps it from using their indexes). `broad`: the
// caller's regions hold most of the registry, so a text search reads the name and number
// indexes once rather than every household of the regions.
Result<std::string> Where(const HouseholdQuery& q, Backend backend, std::vector<SqlValue>& params,
                          std::string_view region = "h.region_code", bool broad = false,
                          std::string_view filter = "", NameMatch names = NameMatch::kContains) {
  std::string where;
  if (q.households.empty() || !q.scope.empty()) {
    auto scope = ScopeCondition(q.scope, region, params);
    if (!scope) return scope;
    where = *scope;
  }
  if (!q.households.empty()) {
    const std::string own = fmt::format("h.id IN ({})", Placeholders(q.households.size()));
    for (int64_t id : q.households) params.emplace_back(id);
    where = where.empty() ? own : fmt::format("({} OR {})", where, own);
  }
  if (!q.within.empty()) {
    auto within = ScopeCondition({q.within}, region, params);
    if (!within) return within;
    where += " AND " + *within;
  }
  if (q.as_of) {
    // The latest event on or before D (by date, then by the order recorded) gives the status.
    // Both conditions are correlated, so that each household seeks its own events in
    // household_events (household_id, on_date): a village's list reads its households' events
    // only (an IN over every event of the registry cost ~0.3–0.8 s whatever the region).
    const std::string day = q.as_of->ToString();
    if (!q.status.empty()) {
      where +=
          " AND (SELECT e.status FROM household_events e WHERE e.household_id = h.id AND "
          "e.on_date <= ? ORDER BY e.on_date DESC, e.id DESC LIMIT 1) = ?";
      params.emplace_back(day);
      params.emplace_back(q.status);
    } else if (backend == Backend::kSqlite) {
      where +=
          " AND EXISTS (SELECT 1 FROM household_events e WHERE e.household_id = h.id AND "
          "e.on_date <= ?)";
      params.emplace_back(day);
    } else {
      // PostgreSQL turns an EXISTS into a semi-join, and hashes every event of the registry
      // for a county's list (0.2 s); a LIMIT keeps it a probe per household.
      where +=
          " AND (SELECT 1 FROM household_events e WHERE e.household_id = h.id AND e.on_date <= "
          "? LIMIT 1) IS NOT NULL";
      params.emplace_back(day);
    }
  } else if (!q.status.empty()) {
    where += fmt::format(" AND {}h.status = ?", filter);
    params.emplace_back(q.status);
  }
  if (!q.cause.empty()) {
    where += fmt::format(" AND {}h.main_cause = ?", filter);
    params.emplace_back(q.cause);
  }
  if (!q.attribute.empty()) {
    where += fmt::format(" AND {}h.attribute = ?", filter);
    params.emplace_back(q.attribute == "none" ? std::string() : q.attribute);
  }
  const std::string_view text = Trim(q.text);
  if (LooksLikeIdNumber(text)) {
    std::string id(text);
    id[17] = id[17] == 'x' ? 'X' : id[17];
    // Current and former members: on SQLite two partial indexes (migration 0023), each
    // usable only by a condition that names its part.
    where +=
        " AND h.id IN (SELECT household_id FROM members WHERE id_number = ? AND left_on IS NULL "
        "UNION ALL SELECT household_id FROM members WHERE id_number = ? AND left_on IS NOT NULL)";
    params.emplace_back(id);
    params.emplace_back(std::move(id));
  } else if (!text.empty()) {
    auto [number_match, number_params, name_match, name_params] = MatchText(text, backend, names);
    if (name_match.empty()) {
      where += " AND " + number_match;
      for (auto& v : number_params) params.push_back(std::move(v));
      return where;
    }
    if (broad) {
      where += fmt::format(
          " AND h.id IN (SELECT h.id FROM households h WHERE {} UNION ALL SELECT h.id FROM "
          "households h WHERE {})",
          name_match, number_match);
      for (auto& v : name_params) params.push_back(std::move(v));
      for (auto& v : number_params) params.push_back(std::move(v));
      return where;
    }
    where += fmt::format(" AND ({} OR {})", number_match, name_match);
    for (auto& v : number_params) params.push_back(std::move(v));
    for (auto& v : name_params) params.push_back(std::move(v));
  }
  return where;
}

// Name searches look for heads' names starting with the text and, only when none does (within
// the query's regions and filters), for names containing it: the first is a range of the name
// index, the second reads every name of the regions searched.
Result<NameMatch> ChooseNameMatch(SqlConnection& conn, const HouseholdQuery& q, bool broad) {
  const std::string_view text = Trim(q.text);
  if (text.empty() || LooksLikeIdNumber(text)) return NameMatch::kPrefix;
  std::vector<SqlValue> params;
  auto where = Where(q, conn.backend(), params, "h.region_code", broad, "", NameMatch::kPrefix);
  if (!where) return std::unexpected(where.error());
  bool found = false;
  FUPIN_TRY(conn.RunPlanned(fmt::format("SELECT 1 FROM households h WHERE {} LIMIT 1", *where),
                            params, [&](const SqlRow&) { found = true; }));
  return found ? NameMatch::kPrefix : NameMatch::kContains;
}

// The list's order; `reverse` flips every key (for pages near the end, read backwards). Every
// order ends with the unique number, so it is total and reversing it reverses the list. SQLite
// compares text bytewise (BINARY, the same as "C"), and leaving the collation out there lets it
// walk the indexes instead of sorting.
std::string OrderBy(const HouseholdQuery& q, Backend backend, bool reverse = false) {
  const char* dir = q.descending != reverse ? " DESC" : "";
  const char* c = backend == Backend::kSqlite ? "" : " COLLATE \"C\"";
  switch (q.sort) {
    case registry::HouseholdSort::kNumber:
      return fmt::format("h.number{}{}", c, dir);
    case registry::HouseholdSort::kRegion:
      return fmt::format("h.region_code{1}{0}, h.number{1}{0}", dir, c);
    case registry::HouseholdSort::kHeadName:
      return fmt::format("h.head_name{1}{0}, h.number{1}{0}", dir, c);
    case registry::HouseholdSort::kMembers:
      return fmt::format("h.member_count{0}, h.number{1}{0}", dir, c);
    case registry::HouseholdSort::kYearIdentified:
      return fmt::format("h.year_identified{0}, h.number{1}{0}", dir, c);
  }
  return "h.number";
}

// The list view: the household, its head's ID number and its latest income; `extra`, when
// given, is one more column after them (column kSummaryExtra).
std::string SummarySelect(std::string_view extra = "") {
  return fmt::format(
      "SELECT {}, (SELECT m.id_number FROM members m WHERE m.household_id = h.id AND "
      "m.relation = 'head' AND m.left_on IS NULL ORDER BY m.position LIMIT 1), "
      "li.year, li.wages, li.business, li.property, li.transfer, li.costs{}{} "
      "FROM households h LEFT JOIN incomes li ON li.household_id = h.id AND "
      "li.year = (SELECT max(i2.year) FROM incomes i2 WHERE i2.household_id = h.id)",
      kHouseholdColumns, extra.empty() ? "" : ", ", extra);
}

constexpr int kSummaryExtra = kHouseholdColumnCount + 7;

HouseholdSummary ReadSummary(const SqlRow& row) {
  HouseholdSummary s;
  s.household = ReadHousehold(row);
  s.head_name = row.Text(18);
  s.members = row.Int(19);
  constexpr int c = kHouseholdColumnCount;
  s.head_id_number = row.IsNull(c) ? "" : row.Text(c);
  if (!row.IsNull(c + 1)) {
    s.latest_income = Income{static_cast<int>(row.Int(c + 1)),
                             row.Double(c + 2),
                             row.Double(c + 3),
                             row.Double(c + 4),
                             row.Double(c + 5),
                             row.Double(c + 6)};
  }
  return s;
}

// Helpers in a canonical order (storage keeps no order of its own for them).
void SortHelpers(std::vector<HelperAssignment>& helpers) {
  std::sort(helpers.begin(), helpers.end(),
            [](const HelperAssignment& a, const HelperAssignment& b) {
              return std::tie(a.since, a.name, a.unit, a.phone, a.until) <
                     std::tie(b.since, b.name, b.unit, b.phone, b.until);
            });
}

// The households matching `where` (a condition on households `h`, with its `params`) followed
// by `tail` (ORDER BY / LIMIT, with `tail_params`), without their children.
Result<std::vector<HouseholdRecord>> LoadHouseholds(SqlConnection& conn, std::string_view where,
                                                    std::vector<SqlValue> params,
                                                    std::string_view tail,
                                                    std::initializer_list<SqlValue> tail_params) {
  for (const SqlValue& v : tail_params) params.push_back(v);
  std::vector<HouseholdRecord> records;
  FUPIN_TRY(conn.Run(
      fmt::format("SELECT {} FROM households h WHERE {} {}", kHouseholdColumns, where, tail),
      params, [&](const SqlRow& row) {
        records.emplace_back();
        records.back().household = ReadHousehold(row);
      }));
  return records;
}

// Fills in the children of `records` — the households matching `where` — with one query per
// table: each joins the households on the same condition, so that no child of another
// household is read and no household is queried on its own.
Status LoadChildren(SqlConnection& conn, std::string_view where, std::span<const SqlValue> params,
                    std::vector<HouseholdRecord>& records) {
  if (records.empty()) return {};
  std::map<int64_t, HouseholdRecord*> by_id;
  for (HouseholdRecord& r : records) by_id[r.household.id] = &r;
  // The record of a child row's household (column 0 of each query below).
  auto of = [&](const SqlRow& row, int column) -> HouseholdRecord* {
    auto it = by_id.find(row.Int(column));
    return it == by_id.end() ? nullptr : it->second;
  };
  static const std::string member_columns = Qualified(kMemberColumns, "m.");
  FUPIN_TRY(conn.Run(fmt::format("SELECT {} FROM members m JOIN households h ON h.id = "
                                 "m.household_id WHERE {} ORDER BY m.household_id, m.position",
                                 member_columns, where),
                     params, [&](const SqlRow& row) {
                       if (HouseholdRecord* r = of(row, 1)) r->members.push_back(ReadMember(row));
                     }));
  FUPIN_TRY(conn.Run(
      fmt::format("SELECT e.household_id, e.id, e.status, e.on_date, e.year, e.reason FROM "
                  "household_events e JOIN households h ON h.id = e.household_id WHERE {} "
                  "ORDER BY e.household_id, e.on_date, e.id",
                  where),
      params, [&](const SqlRow& row) {
        HouseholdRecord* r = of(row, 0);
        if (!r) return;
        StatusEvent e;
        e.id = row.Int(1);
        e.status = row.Text(2);
        e.on = OptDate(row, 3).value_or(Date{});
        e.year = OptInt(row, 4);
        e.reason = row.Text(5);
        r->events.push_back(std::move(e));
      }));
  FUPIN_TRY(conn.Run(
      fmt::format("SELECT i.household_id, i.year, i.wages, i.business, i.property, i.transfer, "
                  "i.costs, i.reported_gross, i.reported_net FROM incomes i JOIN households h ON "
                  "h.id = i.household_id WHERE {} ORDER BY i.household_id, i.year",
                  where),
      params, [&](const SqlRow& row) {
        HouseholdRecord* r = of(row, 0);
        if (!r) return;
        Income income{static_cast<int>(row.Int(1)),
                      row.Double(2),
                      row.Double(3),
                      row.Double(4),
                      row.Double(5),
                      row.Double(6)};
        income.reported_gross = OptDouble(row, 7);
        income.reported_net = OptDouble(row, 8);
        r->incomes.push_back(income);
      }));
  FUPIN_TRY(conn.Run(
      fmt::format("SELECT g.household_id, g.item, g.met, g.verified_on FROM guarantees g JOIN "
                  "households h ON h.id = g.household_id WHERE {} ORDER BY g.household_id, "
                  "g.item COLLATE \"C\"",
                  where),
      params, [&](const SqlRow& row) {
        if (HouseholdRecord* r = of(row, 0)) {
          r->guarantees.push_back({row.Text(1), row.Int(2) != 0, OptDate(row, 3)});
        }
      }));
  FUPIN_TRY(conn.Run(
      fmt::format("SELECT a.household_id, a.id, a.kind, a.amount, a.start_on, a.end_on, a.note "
                  "FROM assistance_measures a JOIN households h ON h.id = a.household_id WHERE "
                  "{} ORDER BY a.household_id, a.id",
                  where),
      params, [&](const SqlRow& row) {
        HouseholdRecord* r = of(row, 0);
        if (!r) return;
        AssistanceMeasure m;
        m.id = row.Int(1);
        m.kind = row.Text(2);
        m.amount = OptDouble(row, 3);
        m.start_on = OptDate(row, 4);
        m.end_on = OptDate(row, 5);
        m.note = row.Text(6);
        r->measures.push_back(std::move(m));
      }));
  FUPIN_TRY(conn.Run(
      fmt::format("SELECT hh.household_id, p.id, p.name, p.unit, p.level, p.phone, hh.from_on, "
                  "hh.to_on FROM household_helpers hh JOIN helpers p ON p.id = hh.helper_id "
                  "JOIN households h ON h.id = hh.household_id WHERE {}",
                  where),
      params, [&](const SqlRow& row) {
        HouseholdRecord* r = of(row, 0);
        if (!r) return;
        HelperAssignment a;
        a.helper_id = row.Int(1);
        a.name = row.Text(2);
        a.unit = row.Text(3);
        a.level = row.Text(4);
        a.phone = row.Text(5);
        a.since = OptDate(row, 6);
        a.until = OptDate(row, 7);
        r->helpers.push_back(std::move(a));
      }));
  FUPIN_TRY(
      conn.Run(fmt::format("SELECT x.household_id, x.id, x.kind, x.on_date, x.member_id, x.name, "
                           "x.id_number, x.old_id_number, x.other_household_id, "
                           "x.other_household_number, x.note, x.recorded_by, x.recorded_at FROM "
                           "member_events x JOIN households h ON h.id = x.household_id WHERE {} "
                           "ORDER BY x.household_id, x.on_date, x.id",
                           where),
               params, [&](const SqlRow& row) {
                 HouseholdRecord* r = of(row, 0);
                 if (!r) return;
                 registry::MemberEvent e;
                 e.id = row.Int(1);
                 e.kind = row.Text(2);
                 e.on = OptDate(row, 3).value_or(Date{});
                 e.member_id = row.IsNull(4) ? 0 : row.Int(4);
                 e.name = row.Text(5);
                 e.id_number = row.Text(6);
                 e.old_id_number = row.Text(7);
                 e.other_household_id = row.IsNull(8) ? 0 : row.Int(8);
                 e.other_household_number = row.Text(9);
                 e.note = row.Text(10);
                 e.recorded_by = row.Text(11);
                 e.recorded_at = row.Text(12);
                 r->member_events.push_back(std::move(e));
               }));
  for (HouseholdRecord& r : records) SortHelpers(r.helpers);
  return {};
}

Result<std::optional<HouseholdRecord>> LoadRecord(SqlConnection& conn, int64_t id,
                                                  const std::vector<std::string>& scope) {
  std::vector<SqlValue> params{id};
  auto in_scope = ScopeCondition(scope, "h.region_code", params);
  if (!in_scope) return std::unexpected(in_scope.error());
  const std::string where = "h.id = ? AND " + *in_scope;
  auto records = LoadHouseholds(conn, where, params, "", {});
  if (!records) return std::unexpected(records.error());
  if (records->empty()) return std::optional<HouseholdRecord>();
  FUPIN_TRY(LoadChildren(conn, where, params, *records));
  return std::optional<HouseholdRecord>(std::move(records->front()));
}

// Whether `table` has any row.
Result<bool> AnyRow(SqlConnection& conn, std::string_view table) {
  bool any = false;
  FUPIN_TRY(conn.Run(fmt::format("SELECT 1 FROM {} LIMIT 1", table), {},
                     [&](const SqlRow&) { any = true; }));
  return any;
}

// The stored records of the households with these numbers that exist. The numbers of a large
// import are mostly new: which exist is asked first (nothing at all on an empty registry), and
// only those records are read.
Result<std::vector<HouseholdRecord>> LoadByNumber(SqlConnection& conn,
                                                  std::span<const std::string> all_numbers) {
  std::vector<HouseholdRecord> out;
  auto any = AnyRow(conn, "households");
  if (!any) return std::unexpected(any.error());
  if (!*any) return out;
  std::vector<std::string> numbers;
  for (size_t first = 0; first < all_numbers.size(); first += kChunk) {
    const size_t n = std::min(kChunk, all_numbers.size() - first);
    std::vector<SqlValue> params(all_numbers.begin() + static_cast<std::ptrdiff_t>(first),
                                 all_numbers.begin() + static_cast<std::ptrdiff_t>(first + n));
    FUPIN_TRY(
        conn.Run(fmt::format("SELECT number FROM households WHERE number IN ({})", Placeholders(n)),
                 params, [&](const SqlRow& row) { numbers.push_back(row.Text(0)); }));
  }
  for (size_t first = 0; first < numbers.size(); first += kChunk) {
    const size_t n = std::min(kChunk, numbers.size() - first);
    std::vector<SqlValue> params(numbers.begin() + static_cast<std::ptrdiff_t>(first),
                                 numbers.begin() + static_cast<std::ptrdiff_t>(first + n));
    const std::string where = fmt::format("h.number IN ({})", Placeholders(n));
    auto records = LoadHouseholds(conn, where, params, "", {});
    if (!records) return std::unexpected(records.error());
    FUPIN_TRY(LoadChildren(conn, where, params, *records));
    for (HouseholdRecord& r : *records) out.push_back(std::move(r));
  }
  return out;
}

// Runs `INSERT INTO <into> VALUES (…), (…), …` over `values` (rows of `width` values) in
// chunks.
Status InsertRows(SqlConnection& conn, std::string_view into, size_t width,
                  const std::vector<SqlValue>& values) {
  const size_t rows = values.size() / width;
  const std::string row = "(" + Placeholders(width) + ")";
  for (size_t first = 0; first < rows; first += kChunk) {
    const size_t n = std::min(kChunk, rows - first);
    std::string sql = fmt::format("INSERT INTO {} VALUES ", into);
    for (size_t i = 0; i < n; ++i) sql += (i ? ", " : "") + row;
    std::span<const SqlValue> chunk(values.data() + first * width, n * width);
    FUPIN_TRY(conn.Run(sql, chunk, [](const SqlRow&) {}));
  }
  return {};
}

// A helper as storage identifies one: by name, unit and phone.
using HelperKey = std::tuple<std::string, std::string, std::string>;
HelperKey KeyOf(const HelperAssignment& a) { return {a.name, a.unit, a.phone}; }

// The helper row of every pairing in `pairings` (household id → the pairing), creating the
// helpers not stored yet (in the region of their first household) and updating a stored
// helper's level when a record gives another one. Returns helper ids by key.
Result<std::map<HelperKey, int64_t>> ResolveHelpers(
    SqlConnection& conn,
    const std::vector<std::tuple<int64_t, std::string, const HelperAssignment*>>& pairings) {
  std::map<HelperKey, std::pair<const HelperAssignment*, std::string>> wanted;  // → region
  for (const auto& [household_id, region, a] : pairings) wanted.try_emplace(KeyOf(*a), a, region);
  std::map<HelperKey, int64_t> ids;
  std::map<HelperKey, std::string> levels;
  std::set<std::string> names;
  for (const auto& [key, value] : wanted) names.insert(std::get<0>(key));
  std::vector<SqlValue> chunk;
  auto lookup = [&]() -> Status {
    if (chunk.empty()) return {};
    FUPIN_TRY(conn.Run(fmt::format("SELECT id, name, unit, phone, level FROM helpers WHERE name "
                                   "IN ({}) ORDER BY id",
                                   Placeholders(chunk.size())),
                       chunk, [&](const SqlRow& row) {
                         HelperKey key{row.Text(1), row.Text(2), row.Text(3)};
                         if (!wanted.contains(key) || ids.contains(key)) return;
                         ids[key] = row.Int(0);
                         levels[key] = row.Text(4);
                       }));
    chunk.clear();
    return {};
  };
  for (const std::string& name : names) {
    chunk.emplace_back(name);
    if (chunk.size() == kChunk) FUPIN_TRY(lookup());
  }
  FUPIN_TRY(lookup());
  std::vector<SqlValue> inserts;
  for (const auto& [key, value] : wanted) {
    const auto& [a, region] = value;
    auto found = ids.find(key);
    if (found == ids.end()) {
      inserts.insert(inserts.end(), {a->name, a->unit, a->level, a->phone, region});
    } else if (!a->level.empty() && levels[key] != a->level) {
      FUPIN_TRY(
          Execute(conn, "UPDATE helpers SET level = ? WHERE id = ?", {a->level, found->second}));
    }
  }
  constexpr size_t kWidth = 5;
  const size_t rows = inserts.size() / kWidth;
  for (size_t first = 0; first < rows; first += kChunk) {
    const size_t n = std::min(kChunk, rows - first);
    std::string sql = "INSERT INTO helpers (name, unit, level, phone, region_code) VALUES ";
    for (size_t i = 0; i < n; ++i) sql += (i ? ", (" : "(") + Placeholders(kWidth) + ")";
    sql += " RETURNING id, name, unit, phone";
    std::span<const SqlValue> values(inserts.data() + first * kWidth, n * kWidth);
    FUPIN_TRY(conn.Run(sql, values, [&](const SqlRow& row) {
      ids[HelperKey{row.Text(1), row.Text(2), row.Text(3)}] = row.Int(0);
    }));
  }
  return ids;
}

// Appends values to a row buffer without the copies an initializer list makes.
template <typename... V>
void Push(std::vector<SqlValue>& out, V&&... values) {
  (out.emplace_back(std::forward<V>(values)), ...);
}

// The child rows of households (members, events, incomes, guarantees, measures, helper
// pairings), collected for multi-row inserts.
struct ChildRows {
  std::vector<SqlValue> members, events, incomes, guarantees, measures;
  // (household id, its region, the pairing): helper ids are resolved when written.
  std::vector<std::tuple<int64_t, std::string, const HelperAssignment*>> pairings;

  void AddMember(int64_t household_id, size_t position, const Member& m) {
    Push(members, household_id, static_cast<int64_t>(position), m.name, m.id_number, m.relation,
         m.sex, Opt(m.birth_date), m.ethnicity, m.education, Opt(m.in_school), m.health, m.labour,
         Opt(m.migrant_months), Opt(m.dibao), Opt(m.medical_insurance), Opt(m.pension),
         Opt(m.joined_on), Opt(m.left_on), m.left_reason);
  }

  // Everything of `r` but, without `with_members`, its members (kept in place by the caller).
  void Add(int64_t household_id, const HouseholdRecord& r, bool with_members = true) {
    if (with_members) {
      for (size_t i = 0; i < r.members.size(); ++i) AddMember(household_id, i, r.members[i]);
    }
    for (const StatusEvent& e : r.events) {
      Push(events, household_id, e.status, e.on.ToString(), Opt(e.year), e.reason);
    }
    for (const Income& i : r.incomes) {
      Push(incomes, household_id, static_cast<int64_t>(i.year), i.wages, i.business, i.property,
           i.transfer, i.costs, Opt(i.reported_gross), Opt(i.reported_net));
    }
    AddOthers(household_id, r);
  }

  // Guarantees, measures and helper pairings of `r` (rare in imports).
  void AddOthers(int64_t household_id, const HouseholdRecord& r) {
    for (const Guarantee& g : r.guarantees) {
      Push(guarantees, household_id, g.item, static_cast<int64_t>(g.met), Opt(g.verified_on));
    }
    for (const AssistanceMeasure& m : r.measures) {
      measures.insert(measures.end(), {household_id, m.kind, Opt(m.amount), Opt(m.start_on),
                                       Opt(m.end_on), m.note});
    }
    for (const HelperAssignment& a : r.helpers) {
      pairings.emplace_back(household_id, r.household.region_code, &a);
    }
  }

  Status Write(SqlConnection& conn) const {
    FUPIN_TRY(InsertRows(conn,
                         "members (household_id, position, name, id_number, relation, sex, "
                         "birth_date, ethnicity, education, in_school, health, labour, "
                         "migrant_months, dibao, medical_insurance, pension, joined_on, left_on, "
                         "left_reason)",
                         19, members));
    FUPIN_TRY(InsertRows(conn, "household_events (household_id, status, on_date, year, reason)", 5,
                         events));
    FUPIN_TRY(InsertRows(conn,
                         "incomes (household_id, year, wages, business, property, transfer, costs, "
                         "reported_gross, reported_net)",
                         9, incomes));
    FUPIN_TRY(InsertRows(conn, "guarantees (household_id, item, met, verified_on)", 4, guarantees));
    FUPIN_TRY(InsertRows(conn,
                         "assistance_measures (household_id, kind, amount, start_on, end_on, note)",
                         6, measures));
    if (pairings.empty()) return {};
    auto helper_ids = ResolveHelpers(conn, pairings);
    if (!helper_ids) return std::unexpected(helper_ids.error());
    std::vector<SqlValue> rows;
    for (const auto& [household_id, region, a] : pairings) {
      rows.insert(rows.end(),
                  {household_id, helper_ids->at(KeyOf(*a)), Opt(a->since), Opt(a->until)});
    }
    return InsertRows(conn, "household_helpers (household_id, helper_id, from_on, to_on)", 4, rows);
  }
};

// Multi-row INSERTs of one shape with every value bound in place (no SqlValue copies): the
// statement for kChunk rows is prepared once and rerun, another for the last, shorter chunk.
class BulkInsert {
 public:
  // `into`: "table (columns)"; `width`: values per row; `tail`: e.g. " RETURNING id".
  BulkInsert(SqlConnection& conn, std::string into, size_t width, std::string tail = "")
      : conn_(conn), into_(std::move(into)), width_(width), tail_(std::move(tail)) {}

  size_t width() const { return width_; }

  // Inserts `rows` rows; `bind(statement, first parameter of the row, row)` binds each row's
  // values, `on_row` sees what the tail returns.
  template <typename Bind>
  Status Run(size_t rows, Bind&& bind, const RowCallback& on_row = nullptr) {
    for (size_t first = 0; first < rows; first += kChunk) {
      const size_t n = std::min(kChunk, rows - first);
      auto statement = StatementFor(n);
      if (!statement) return std::unexpected(statement.error());
      text_used_ = 0;
      for (size_t i = 0; i < n; ++i) bind(**statement, static_cast<int>(i * width_), first + i);
      FUPIN_TRY((*statement)->Run(on_row));
    }
    return {};
  }

  // Text that must live until the current chunk has run (dates rendered for binding).
  std::string_view Keep(std::string text) {
    if (text_used_ == texts_.size()) texts_.emplace_back();
    std::string& slot = texts_[text_used_++];  // a deque: slots never move
    slot = std::move(text);
    return slot;
  }

 private:
  Result<SqlStatement*> StatementFor(size_t n) {
    std::unique_ptr<SqlStatement>& slot = n == kChunk ? full_ : last_;
    if (slot && (n == kChunk || last_rows_ == n)) return slot.get();
    const std::string row = "(" + Placeholders(width_) + ")";
    std::string sql = fmt::format("INSERT INTO {} VALUES ", into_);
    for (size_t i = 0; i < n; ++i) sql += (i ? ", " : "") + row;
    sql += tail_;
    auto prepared = conn_.PrepareStatement(sql);
    if (!prepared) return std::unexpected(prepared.error());
    slot = std::move(*prepared);
    if (n != kChunk) last_rows_ = n;
    return slot.get();
  }

  SqlConnection& conn_;
  const std::string into_;
  const size_t width_;
  const std::string tail_;
  std::unique_ptr<SqlStatement> full_, last_;
  size_t last_rows_ = 0;
  std::deque<std::string> texts_;
  size_t text_used_ = 0;
};

constexpr std::string_view kMemberInto =
    "members (household_id, position, name, id_number, relation, sex, birth_date, ethnicity, "
    "education, in_school, health, labour, migrant_months, dibao, medical_insurance, pension, "
    "joined_on, left_on, left_reason)";
constexpr std::string_view kEventInto =
    "household_events (household_id, status, on_date, year, reason)";
constexpr std::string_view kIncomeInto =
    "incomes (household_id, year, wages, business, property, transfer, costs, reported_gross, "
    "reported_net)";

// YYYY-MM-DD, as Date::ToString writes it, without formatting machinery (a million dates).
std::string DateText(const Date& d) {
  if (d.year < 0 || d.year > 9999 || d.month < 0 || d.month > 99 || d.day < 0 || d.day > 99) {
    return d.ToString();
  }
  std::string text = "0000-00-00";
  auto put = [&](size_t at, int value, int digits) {
    for (int i = digits - 1; i >= 0; --i, value /= 10) {
      text[at + static_cast<size_t>(i)] = static_cast<char>('0' + value % 10);
    }
  };
  put(0, d.year, 4);
  put(5, d.month, 2);
  put(8, d.day, 2);
  return text;
}

void BindDate(BulkInsert& bulk, SqlStatement& s, int index, const std::optional<Date>& date) {
  if (date) {
    s.Bind(index, bulk.Keep(DateText(*date)));
  } else {
    s.BindNull(index);
  }
}

void BindMember(BulkInsert& bulk, SqlStatement& s, int p, int64_t household_id, size_t position,
                const Member& m) {
  s.Bind(p, household_id);
  s.Bind(p + 1, static_cast<int64_t>(position));
  s.Bind(p + 2, m.name);
  s.Bind(p + 3, m.id_number);
  s.Bind(p + 4, m.relation);
  s.Bind(p + 5, m.sex);
  BindDate(bulk, s, p + 6, m.birth_date);
  s.Bind(p + 7, m.ethnicity);
  s.Bind(p + 8, m.education);
  s.Bind(p + 9, m.in_school);
  s.Bind(p + 10, m.health);
  s.Bind(p + 11, m.labour);
  s.Bind(p + 12, m.migrant_months);
  s.Bind(p + 13, m.dibao);
  s.Bind(p + 14, m.medical_insurance);
  s.Bind(p + 15, m.pension);
  BindDate(bulk, s, p + 16, m.joined_on);
  BindDate(bulk, s, p + 17, m.left_on);
  s.Bind(p + 18, m.left_reason);
}

// Updates a member in place (position and every field), by id.
constexpr std::string_view kMemberUpdate =
    "UPDATE members SET position = ?, name = ?, id_number = ?, relation = ?, sex = ?, "
    "birth_date = ?, "
    "ethnicity = ?, education = ?, in_school = ?, health = ?, labour = ?, migrant_months = ?, "
    "dibao = ?, medical_insurance = ?, pension = ?, joined_on = ?, left_on = ?, left_reason = ?, "
    "version = version + 1 WHERE id = ?";

// Head's name and the number of current members, kept on the household row for lists (the
// name a view into `r`).
std::pair<std::string_view, int64_t> HeadAndSize(const HouseholdRecord& r) {
  std::string_view head;
  int64_t size = 0;
  for (const Member& m : r.members) {
    if (m.left_on) continue;
    ++size;
    if (m.relation == "head" && head.empty()) head = m.name;
  }
  return {head, size};
}

std::vector<SqlValue> HouseholdValues(const HouseholdRecord& r) {
  const Household& h = r.household;
  const auto [head, size] = HeadAndSize(r);
  return {h.number,
          h.region_code,
          h.attribute,
          h.main_cause,
          h.secondary_cause,
          h.phone,
          h.bank_account,
          Opt(h.housing_safe),
          Opt(h.housing_area),
          Opt(h.water_safe),
          Opt(h.market_distance_km),
          Opt(h.year_identified),
          h.status,
          Opt(h.lifted_year),
          std::string(head),
          size,
          Opt(h.reported_size)};
}
constexpr std::string_view kHouseholdInsertColumns =
    "number, region_code, attribute, main_cause, secondary_cause, phone, bank_account, "
    "housing_safe, housing_area, water_safe, market_distance_km, year_identified, status, "
    "lifted_year, head_name, member_count, reported_size";

// Replaces the stored household `before` by `r` on `conn` (inside the caller's transaction):
// updates the household row, keeps member rows in place — matched by member id, then by ID
// number —, deletes the member rows `r` no longer lists and replaces the other children, whose
// rows (and `r`'s new members) are queued on `children` for the caller to write once every
// replacement is done (so that a person moving between two replaced households is released
// before being inserted again). Member events are left as they are.
Status ReplaceHousehold(SqlConnection& conn, const HouseholdRecord& before,
                        const HouseholdRecord& r, const std::string& now, ChildRows& children) {
  static const std::string update_sql = [] {
    std::string set;
    for (const std::string& c : Split(kHouseholdInsertColumns, ',')) {
      set += (set.empty() ? "" : ", ") + std::string(Trim(c)) + " = ?";
    }
    return fmt::format(
        "UPDATE households SET {}, updated_at = ?, version = version + 1 WHERE id = ?", set);
  }();
  const int64_t id = before.household.id;
  std::vector<bool> used(before.members.size(), false);
  auto held = [&](const Member& m) -> std::optional<size_t> {
    if (m.id != 0) {
      for (size_t j = 0; j < before.members.size(); ++j) {
        if (!used[j] && before.members[j].id == m.id) return j;
      }
    }
    // By ID number: the row in the same state (current or left) first.
    std::optional<size_t> any;
    for (size_t j = 0; j < before.members.size(); ++j) {
      const Member& b = before.members[j];
      if (used[j] || b.id_number != m.id_number) continue;
      if (b.left_on.has_value() == m.left_on.has_value()) return j;
      if (!any) any = j;
    }
    return any;
  };
  for (size_t i = 0; i < r.members.size(); ++i) {
    const Member& m = r.members[i];
    auto j = held(m);
    if (!j) {
      children.AddMember(id, i, m);
      continue;
    }
    used[*j] = true;
    std::vector<SqlValue> values;
    Push(values, static_cast<int64_t>(i), m.name, m.id_number, m.relation, m.sex, Opt(m.birth_date),
         m.ethnicity, m.education, Opt(m.in_school), m.health, m.labour, Opt(m.migrant_months),
         Opt(m.dibao), Opt(m.medical_insurance), Opt(m.pension), Opt(m.joined_on), Opt(m.left_on),
         m.left_reason, before.members[*j].id);
    FUPIN_TRY(conn.Run(kMemberUpdate, values, [](const SqlRow&) {}));
  }
  for (size_t j = 0; j < before.members.size(); ++j) {
    if (!used[j]) {
      FUPIN_TRY(Execute(conn, "DELETE FROM members WHERE id = ?", {before.members[j].id}));
    }
  }
  for (const char* table :
       {"household_events", "incomes", "guarantees", "assistance_measures", "household_helpers"}) {
    FUPIN_TRY(Execute(conn, fmt::format("DELETE FROM {} WHERE household_id = ?", table), {id}));
  }
  std::vector<SqlValue> values = HouseholdValues(r);
  values.emplace_back(now);
  values.emplace_back(id);
  FUPIN_TRY(conn.Run(update_sql, values, [](const SqlRow&) {}));
  children.Add(id, r, /*with_members=*/false);
  return {};
}

// A bulk load into SQLite — many new households, at least as many as are stored — drops the
// secondary indexes of the tables it fills and builds them again after the rows, inside the
// same transaction: SQLite builds an index from sorted keys several times faster than it keeps
// one up to date row by row (docs/benchmarks.md, "Registry import"). Readers see no
// difference: the transaction commits with every index in place, and a unique index that the
// new rows violate fails to build, as the insert would have, and the whole write rolls back.
class DeferredIndexes {
 public:
  // Rows at or above which a load into SQLite defers the indexes.
  static constexpr size_t kBulkRows = 20000;

  Status DropIfBulk(SqlConnection& conn, size_t new_households) {
    if (conn.backend() != Backend::kSqlite || new_households < kBulkRows) return {};
    int64_t stored = 0;
    FUPIN_TRY(conn.Run("SELECT count(*) FROM households", {},
                       [&](const SqlRow& row) { stored = row.Int(0); }));
    if (static_cast<int64_t>(new_households) < stored) return {};
    // The indexes declared by migrations (sql IS NULL: those of UNIQUE constraints, kept),
    // but for the one of former members: a load's members have mostly not left, so it is
    // kept up to date with the few that have rather than built by reading every member.
    FUPIN_TRY(
        conn.Run("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND "
                 "tbl_name IN ('households', 'members', 'household_events', 'incomes') AND name <> "
                 "'members_former_id_number' ORDER BY name",
                 {}, [&](const SqlRow& row) { dropped_.emplace_back(row.Text(0), row.Text(1)); }));
    for (const auto& [name, sql] : dropped_) {
      FUPIN_TRY(conn.Run(fmt::format("DROP INDEX \"{}\"", name), {}, nullptr));
    }
    return {};
  }

  // The builds sort on the machine's other cores too (SQLite's sorter threads).
  Status Rebuild(SqlConnection& conn) {
    if (dropped_.empty()) return {};
    // The cores this process may run on (taskset, cgroups), not all the machine's.
    const int helpers = std::clamp(UsableCores() - 1, 0, 4);
    FUPIN_TRY(conn.Run(fmt::format("PRAGMA threads = {}", helpers), {}, nullptr));
    for (const auto& [name, sql] : dropped_) {
      if (auto built = conn.Run(sql, {}, nullptr); !built) {
        (void)conn.Run("PRAGMA threads = 0", {}, nullptr);
        return std::unexpected(built.error());
      }
    }
    dropped_.clear();
    FUPIN_TRY(conn.Run("PRAGMA threads = 0", {}, nullptr));
    return {};
  }

 private:
  std::vector<std::pair<std::string, std::string>> dropped_;
};

// Inserts new households with their children: kChunk households at a time, their members,
// history and incomes in statements of kChunk rows as they fill (the last ones shorter, in
// Finish), every value bound from the records, which must stay alive until Finish. Appends
// the numbers and ids written. Households may come in several calls of Add (a BulkLoad):
// the statements are prepared once.
class HouseholdInserter {
 public:
  HouseholdInserter(SqlConnection& conn, std::string now, std::vector<std::string_view>& touched,
                    std::vector<int64_t>& written)
      : conn_(conn),
        now_(std::move(now)),
        touched_(touched),
        written_(written),
        households_(conn,
                    fmt::format("households ({}, created_at, updated_at)", kHouseholdInsertColumns),
                    19, " RETURNING number, id"),
        members_(conn, std::string(kMemberInto), 19),
        events_(conn, std::string(kEventInto), 5),
        incomes_(conn, std::string(kIncomeInto), 9) {}

  Status Add(std::span<const HouseholdRecord* const> inserts) {
    waiting_.insert(waiting_.end(), inserts.begin(), inserts.end());
    return Flush(/*all=*/false);
  }
  Status Finish() { return Flush(/*all=*/true); }

 private:
  // A child row waiting for its statement: the household's id, the record, the child.
  struct Pending {
    int64_t household_id;
    const HouseholdRecord* record;
    size_t index;
  };

  // Runs the full statements of a table's pending rows (`all`: the rest too).
  template <typename Bind>
  static Status FlushRows(BulkInsert& bulk, std::vector<Pending>& pending, Bind&& bind, bool all) {
    const size_t n = all ? pending.size() : pending.size() / kChunk * kChunk;
    if (n == 0) return {};
    FUPIN_TRY(bulk.Run(n, bind));
    pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(n));
    return {};
  }

  Status Flush(bool all) {
    auto bind_member = [&](SqlStatement& s, int p, size_t c) {
      const Pending& x = pending_members_[c];
      BindMember(members_, s, p, x.household_id, x.index, x.record->members[x.index]);
    };
    auto bind_event = [&](SqlStatement& s, int p, size_t c) {
      const Pending& x = pending_events_[c];
      const StatusEvent& e = x.record->events[x.index];
      s.Bind(p, x.household_id);
      s.Bind(p + 1, e.status);
      BindDate(events_, s, p + 2, e.on);
      s.Bind(p + 3, e.year);
      s.Bind(p + 4, e.reason);
    };
    auto bind_income = [&](SqlStatement& s, int p, size_t c) {
      const Pending& x = pending_incomes_[c];
      const Income& income = x.record->incomes[x.index];
      s.Bind(p, x.household_id);
      s.Bind(p + 1, static_cast<int64_t>(income.year));
      s.Bind(p + 2, income.wages);
      s.Bind(p + 3, income.business);
      s.Bind(p + 4, income.property);
      s.Bind(p + 5, income.transfer);
      s.Bind(p + 6, income.costs);
      s.Bind(p + 7, income.reported_gross);
      s.Bind(p + 8, income.reported_net);
    };

    size_t first = 0;
    for (; first < waiting_.size(); first += kChunk) {
      const size_t n = std::min(kChunk, waiting_.size() - first);
      if (n < kChunk && !all) break;
      const auto chunk = std::span(waiting_).subspan(first, n);
      position_.clear();
      for (size_t i = 0; i < chunk.size(); ++i) position_[chunk[i]->household.number] = i;
      ids_.assign(chunk.size(), 0);
      FUPIN_TRY(households_.Run(
          chunk.size(),
          [&](SqlStatement& s, int p, size_t i) {
            const HouseholdRecord& r = *chunk[i];
            const Household& h = r.household;
            const auto [head, size] = HeadAndSize(r);
            s.Bind(p, h.number);
            s.Bind(p + 1, h.region_code);
            s.Bind(p + 2, h.attribute);
            s.Bind(p + 3, h.main_cause);
            s.Bind(p + 4, h.secondary_cause);
            s.Bind(p + 5, h.phone);
            s.Bind(p + 6, h.bank_account);
            s.Bind(p + 7, h.housing_safe);
            s.Bind(p + 8, h.housing_area);
            s.Bind(p + 9, h.water_safe);
            s.Bind(p + 10, h.market_distance_km);
            s.Bind(p + 11, h.year_identified);
            s.Bind(p + 12, h.status);
            s.Bind(p + 13, h.lifted_year);
            s.Bind(p + 14, head);
            s.Bind(p + 15, size);
            s.Bind(p + 16, h.reported_size);
            s.Bind(p + 17, now_);
            s.Bind(p + 18, now_);
          },
          [&](const SqlRow& row) { ids_[position_.at(row.Text(0))] = row.Int(1); }));
      ChildRows others;  // guarantees, measures and helpers: rare in imports
      for (size_t i = 0; i < chunk.size(); ++i) {
        const HouseholdRecord& r = *chunk[i];
        touched_.push_back(r.household.number);
        written_.push_back(ids_[i]);
        for (size_t k = 0; k < r.members.size(); ++k) pending_members_.push_back({ids_[i], &r, k});
        for (size_t k = 0; k < r.events.size(); ++k) pending_events_.push_back({ids_[i], &r, k});
        for (size_t k = 0; k < r.incomes.size(); ++k) pending_incomes_.push_back({ids_[i], &r, k});
        others.AddOthers(ids_[i], r);
      }
      const bool last = all && first + chunk.size() == waiting_.size();
      FUPIN_TRY(FlushRows(members_, pending_members_, bind_member, last));
      FUPIN_TRY(FlushRows(events_, pending_events_, bind_event, last));
      FUPIN_TRY(FlushRows(incomes_, pending_incomes_, bind_income, last));
      FUPIN_TRY(others.Write(conn_));
    }
    waiting_.erase(waiting_.begin(), waiting_.begin() + static_cast<std::ptrdiff_t>(
                                                            std::min(first, waiting_.size())));
    if (all) {  // children of households written in earlier calls
      FUPIN_TRY(FlushRows(members_, pending_members_, bind_member, true));
      FUPIN_TRY(FlushRows(events_, pending_events_, bind_event, true));
      FUPIN_TRY(FlushRows(incomes_, pending_incomes_, bind_income, true));
    }
    return {};
  }

  SqlConnection& conn_;
  const std::string now_;
  std::vector<std::string_view>& touched_;
  std::vector<int64_t>& written_;
  BulkInsert households_, members_, events_, incomes_;
  std::vector<const HouseholdRecord*> waiting_;  // households not inserted yet
  std::vector<Pending> pending_members_, pending_events_, pending_incomes_;
  std::unordered_map<std::string_view, size_t> position_;
  std::vector<int64_t> ids_;
};

// Inserts new households with their children (HouseholdInserter), all in one call.
Status InsertHouseholds(SqlConnection& conn, std::span<const HouseholdRecord* const> inserts,
                        const std::string& now, std::vector<std::string_view>& touched,
                        std::vector<int64_t>& written) {
  HouseholdInserter inserter(conn, now, touched, written);
  FUPIN_TRY(inserter.Add(inserts));
  return inserter.Finish();
}

std::string Text(const std::optional<bool>& b) { return b ? (*b ? "true" : "false") : ""; }
std::string Text(const std::optional<int>& v) { return v ? std::to_string(*v) : ""; }
std::string Text(const std::optional<double>& v) { return v ? fmt::format("{}", *v) : ""; }
std::string Text(const std::optional<Date>& v) { return v ? v->ToString() : ""; }

// The record as audited fields: sensitive ones flagged so that Diff stores keyed HMACs.
// Also used to tell an unchanged record on re-import.
std::vector<audit::Field> AuditFields(const HouseholdRecord& r) {
  const Household& h = r.household;
  std::vector<audit::Field> f = {
      {"number", h.number, false},
      {"region", h.region_code, false},
      {"attribute", h.attribute, false},
      {"main_cause", h.main_cause, false},
      {"secondary_cause", h.secondary_cause, false},
      {"phone", h.phone, true},
      {"bank_account", h.bank_account, true},
      {"housing_safe", Text(h.housing_safe), false},
      {"housing_area", Text(h.housing_area), false},
      {"water_safe", Text(h.water_safe), false},
      {"market_distance_km", Text(h.market_distance_km), false},
      {"year_identified", Text(h.year_identified), false},
      {"reported_size", Text(h.reported_size), false},
  };
  for (size_t i = 0; i < r.members.size(); ++i) {
    const Member& m = r.members[i];
    const std::string p = fmt::format("members[{}].", i + 1);
    f.push_back({p + "name", m.name, false});
    f.push_back({p + "id_number", m.id_number, true});
    f.push_back({p + "health", m.health, true});
    f.push_back(
        {p + "details",
         fmt::format("{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}", m.relation, m.sex,
                     Text(m.birth_date), m.ethnicity, m.education, Text(m.in_school), m.labour,
                     Text(m.migrant_months), Text(m.dibao), Text(m.medical_insurance),
                     Text(m.pension), Text(m.joined_on), Text(m.left_on), m.left_reason),
         false});
  }
  std::string events;
  for (const StatusEvent& e : r.events) {
    events += fmt::format("{}{} {}{}{}", events.empty() ? "" : "; ", e.status, e.on.ToString(),
                          e.year ? fmt::format(" ({})", *e.year) : "",
                          e.reason.empty() ? "" : " " + e.reason);
  }
  f.push_back({"events", events, false});
  for (const Income& i : r.incomes) {
    std::string value =
        fmt::format("{} {} {} {} {}", i.wages, i.business, i.property, i.transfer, i.costs);
    if (i.reported_gross || i.reported_net) {
      value += fmt::format(" (stated {}/{})", Text(i.reported_gross), Text(i.reported_net));
    }
    f.push_back({fmt::format("incomes[{}]", i.year), std::move(value), false});
  }
  std::string guarantees;
  for (const Guarantee& g : r.guarantees) {
    guarantees +=
        fmt::format("{}{}={}{}", guarantees.empty() ? "" : "; ", g.item, g.met ? "yes" : "no",
                    g.verified_on ? " @" + g.verified_on->ToString() : "");
  }
  f.push_back({"guarantees", guarantees, false});
  for (size_t i = 0; i < r.measures.size(); ++i) {
    const AssistanceMeasure& m = r.measures[i];
    f.push_back({fmt::format("measures[{}]", i + 1),
                 fmt::format("{}|{}|{}|{}|{}", m.kind, Text(m.amount), Text(m.start_on),
                             Text(m.end_on), m.note),
                 false});
  }
  // Helpers in storage's order, so that a re-saved record compares equal whatever order its
  // source listed them in.
  std::vector<HelperAssignment> helpers = r.helpers;
  SortHelpers(helpers);
  for (size_t i = 0; i < helpers.size(); ++i) {
    const HelperAssignment& a = helpers[i];
    const std::string p = fmt::format("helpers[{}].", i + 1);
    f.push_back(
        {p + "name",
         fmt::format("{}|{}|{}|{}|{}", a.name, a.unit, a.level, Text(a.since), Text(a.until)),
         false});
    f.push_back({p + "phone", a.phone, true});
  }
  return f;
}

// Member ID numbers of `records` already registered in households other than `own` numbers
// (households being replaced release their members first). Problems name the record.
Result<std::vector<ErrorDetail>> ForeignIdNumbers(SqlConnection& conn,
                                                  std::span<const HouseholdRecord> records,
                                                  const std::set<std::string>& own) {
  std::map<std::string, std::string> wanted;  // id number → household number
  for (const HouseholdRecord& r : records) {
    for (const Member& m : r.members) {
      if (!m.left_on) wanted[m.id_number] = r.household.number;
    }
  }
  std::vector<ErrorDetail> problems;
  std::vector<SqlValue> chunk;
  auto flush = [&]() -> Status {
    if (chunk.empty()) return {};
    FUPIN_TRY(conn.Run(
        fmt::format("SELECT m.id_number, h.number FROM members m JOIN households h ON "
                    "h.id = m.household_id WHERE m.left_on IS NULL AND m.id_number IN ({})",
                    Placeholders(chunk.size())),
        chunk, [&](const SqlRow& row) {
          const std::string holder = row.Text(1);
          if (own.contains(holder)) return;
          const std::string id = row.Text(0);
          problems.push_back({0, "id_number", id,
                              fmt::format("household {}: this person is already registered in "
                                          "household {}",
                                          wanted[id], holder)});
        }));
    chunk.clear();
    return {};
  };
  for (const auto& [id, number] : wanted) {
    chunk.emplace_back(id);
    if (chunk.size() == kChunk) FUPIN_TRY(flush());
  }
  FUPIN_TRY(flush());
  return problems;
}

// The smallest region whose subtree holds every record (so that the import's audit entry is
// visible to that region's auditors); "" when there are none.
// The deepest region holding every household given: its region or one of its ancestors
// ("" when none holds them all).
class CommonRegion {
 public:
  void Add(const std::string& code) {
    if (first_) {
      first_ = false;
      if (auto level = regions::LevelOfCode(code)) {
        candidates_ = regions::AncestorCodes(code, *level);
        candidates_.push_back(code);
      }
      deepest_ = candidates_.size();
      return;
    }
    while (deepest_ > 0 && !access::InSubtree(candidates_[deepest_ - 1], code)) --deepest_;
  }
  std::string code() const { return deepest_ > 0 ? candidates_[deepest_ - 1] : ""; }

 private:
  bool first_ = true;
  std::vector<std::string> candidates_;  // from the province down to the first household's
  size_t deepest_ = 0;                   // candidates_[deepest_ - 1] holds them all so far
};

// The audit entry of a SaveHouseholds or a BulkLoad: the note, the counts and the numbers of
// the households written (`numbers`: each preceded by a space).
audit::Entry SaveEntry(const audit::Actor& actor, std::string region, std::string_view note,
                       const registry::SaveCounts& counts, std::string_view numbers) {
  audit::Entry entry;
  entry.actor = actor;
  entry.action = "import";
  entry.entity = "household";
  entry.entity_id = "";
  entry.region_code = std::move(region);
  entry.note = fmt::format("{}; inserted {}, updated {}, unchanged {}; households:{}", note,
                           counts.inserted, counts.updated, counts.unchanged, numbers);
  return entry;
}

}  // namespace

Result<std::string> AppendStatusEvent(SqlConnection& conn, int64_t household_id,
                                      const StatusEvent& event) {
  std::optional<std::string> before;
  const SqlValue id[] = {household_id};
  FUPIN_TRY(conn.Run("SELECT status FROM households WHERE id = ?", id,
                     [&](const SqlRow& row) { before = row.Text(0); }));
  if (!before) return NotFound(fmt::format("no household with id {}", household_id));
  FUPIN_TRY(
      Execute(conn,
              "INSERT INTO household_events (household_id, status, on_date, year, reason) "
              "VALUES (?, ?, ?, ?, ?)",
              {household_id, event.status, event.on.ToString(), Opt(event.year), event.reason}));
  // The status is the latest event's (by date, then by order of entry), as everywhere else.
  FUPIN_TRY(Execute(conn,
                    "UPDATE households SET status = (SELECT e.status FROM household_events e "
                    "WHERE e.household_id = households.id ORDER BY e.on_date DESC, e.id DESC "
                    "LIMIT 1), version = version + 1, updated_at = ? WHERE id = ?",
                    {Now(), household_id}));
  // The indicator cache re-reads this household (storage/sql.h).
  const int64_t written[] = {household_id};
  FUPIN_TRY(RecordRegistryWrite(conn, written));
  return *before;
}

Result<int64_t> SqlRegistryRepository::CountHouseholds(SqlConnection& conn,
                                                       const std::string& where,
                                                       const std::vector<SqlValue>& params) {
  // The cache key: the condition and its values, each tagged with its type.
  std::string key = where;
  for (const SqlValue& v : params) {
    key += fmt::format("\x1f{}:", v.index());
    if (const auto* i = std::get_if<int64_t>(&v)) key += std::to_string(*i);
    if (const auto* d = std::get_if<double>(&v)) key += fmt::format("{}", *d);
    if (const auto* t = std::get_if<std::string>(&v)) key += *t;
  }
  std::optional<int64_t> generation;
  FUPIN_TRY(conn.Run("SELECT value FROM change_counters WHERE name = 'registry'", {},
                     [&](const SqlRow& row) { generation = row.Int(0); }));
  if (generation && cache_totals_) {
    std::lock_guard lock(counts_mutex_);
    if (counts_generation_ == *generation) {
      if (auto it = counts_.find(key); it != counts_.end()) return it->second;
    }
  }
  // The generation is read again in the counting statement itself, so that the total is
  // cached under the state it was counted in (one statement sees one snapshot).
  int64_t total = 0;
  std::optional<int64_t> counted_at;
  FUPIN_TRY(
      conn.RunPlanned(fmt::format("SELECT count(*), (SELECT value FROM change_counters WHERE name "
                                  "= 'registry') FROM households h{}",
                                  where == "1 = 1" ? "" : " WHERE " + where),
                      params, [&](const SqlRow& row) {
                        total = row.Int(0);
                        if (!row.IsNull(1)) counted_at = row.Int(1);
                      }));
  if (counted_at && cache_totals_) {
    std::lock_guard lock(counts_mutex_);
    if (counts_generation_ != *counted_at || counts_.size() >= kCachedCounts) {
      counts_.clear();
      counts_generation_ = *counted_at;
    }
    counts_.emplace(std::move(key), total);
  }
  return total;
}

namespace {

// The query's scope and `within` as ranges of region codes, for the table of counts.
Result<std::pair<std::vector<HouseholdCounts::Range>, std::optional<HouseholdCounts::Range>>>
CountRanges(const HouseholdQuery& q) {
  auto range_of = [](const std::string& code) -> Result<HouseholdCounts::Range> {
    if (code.empty()) return HouseholdCounts::Range{"", "~"};  // every code is digits
    auto level = regions::LevelOfCode(code);
    if (!level) return std::unexpected(level.error());
    auto range = regions::SubtreeRange(code, *level);
    return HouseholdCounts::Range{std::move(range.low), std::move(range.high)};
  };
  std::vector<HouseholdCounts::Range> scope;
  for (const std::string& code : q.scope) {
    auto range = range_of(code);
    if (!range) return std::unexpected(range.error());
    scope.push_back(std::move(*range));
  }
  std::optional<HouseholdCounts::Range> within;
  if (!q.within.empty()) {
    auto range = range_of(q.within);
    if (!range) return std::unexpected(range.error());
    within = std::move(*range);
  }
  return std::pair(std::move(scope), std::move(within));
}

// The query's filters, for the table of counts.
HouseholdCounts::Filter CountFilter(const HouseholdQuery& q) {
  HouseholdCounts::Filter filter;
  if (!q.status.empty()) filter.status = q.status;
  if (!q.cause.empty()) filter.cause = q.cause;
  if (!q.attribute.empty()) filter.attribute = q.attribute == "none" ? "" : q.attribute;
  filter.as_of = q.as_of;
  return filter;
}

}  // namespace

namespace {

// Sets each summary's status at the end of `day` (its latest status event by then), when a
// day is given (one query).
Status FillStatusOn(SqlConnection& conn, const std::optional<Date>& day,
                    std::vector<HouseholdSummary>& items) {
  if (!day || items.empty()) return {};
  std::vector<SqlValue> params;
  std::map<int64_t, HouseholdSummary*> by_id;
  for (HouseholdSummary& s : items) {
    params.emplace_back(s.household.id);
    by_id[s.household.id] = &s;
  }
  params.emplace_back(day->ToString());
  FUPIN_TRY(conn.Run(fmt::format("SELECT household_id, status FROM household_events WHERE "
                                 "household_id IN ({}) AND on_date <= ? ORDER BY household_id, "
                                 "on_date, id",
                                 Placeholders(items.size())),
                     params, [&](const SqlRow& row) {
                       auto it = by_id.find(row.Int(0));
                       if (it != by_id.end()) it->second->status_on = row.Text(1);
                     }));
  return {};
}

// Appends the summaries of the households `ids` to `out`, in that order (one query). A
// household deleted since its id was read is left out.
Status ReadSummaries(SqlConnection& conn, const std::vector<int64_t>& ids,
                     std::vector<HouseholdSummary>& out) {
  if (ids.empty()) return {};
  std::vector<SqlValue> id_params(ids.begin(), ids.end());
  std::unordered_map<int64_t, HouseholdSummary> found;
  FUPIN_TRY(
      conn.Run(fmt::format("{} WHERE h.id IN ({})", SummarySelect(), Placeholders(ids.size())),
               id_params, [&](const SqlRow& row) {
                 HouseholdSummary s = ReadSummary(row);
                 const int64_t id = s.household.id;
                 found.emplace(id, std::move(s));
               }));
  out.reserve(out.size() + ids.size());
  for (int64_t id : ids) {
    if (auto it = found.find(id); it != found.end()) out.push_back(std::move(it->second));
  }
  return {};
}

HouseholdCounts::Order OrderOf(registry::HouseholdSort sort) {
  switch (sort) {
    case registry::HouseholdSort::kNumber:
      return HouseholdCounts::Order::kNumber;
    case registry::HouseholdSort::kRegion:
      return HouseholdCounts::Order::kRegion;
    case registry::HouseholdSort::kHeadName:
      return HouseholdCounts::Order::kHeadName;
    case registry::HouseholdSort::kMembers:
      return HouseholdCounts::Order::kMembers;
    case registry::HouseholdSort::kYearIdentified:
      return HouseholdCounts::Order::kYearIdentified;
  }
  return HouseholdCounts::Order::kNumber;
}

}  // namespace

Result<std::optional<registry::HouseholdPage>> SqlRegistryRepository::ListFromMemory(
    SqlConnection& conn, const HouseholdQuery& q) {
  using Found = std::optional<registry::HouseholdPage>;
  if (!cache_totals_ || !q.households.empty()) return Found();
  const std::string_view text = Trim(q.text);
  std::optional<HouseholdCounts::Search> search;
  if (!text.empty()) {
    // A text that is not UTF-8 is left to SQL: SQLite's instr tries matches only where a
    // character starts (a byte scan would find a stray continuation byte inside names), and
    // such a text may have no prefix range (then SQL's LIKE). An ID number is found through
    // the members' index.
    if (LooksLikeIdNumber(text) || !IsValidUtf8(text) ||
        text.find('\0') != std::string_view::npos || !PrefixEnd(text, conn.backend())) {
      return Found();
    }
    // Names hold no digits: an ASCII text with one is a household number only (MatchText).
    const bool numbers_only = MatchText(text, conn.backend(), NameMatch::kPrefix).name.empty();
    search = HouseholdCounts::Search{text, numbers_only};
  }
  auto ranges = CountRanges(q);
  if (!ranges) return std::unexpected(ranges.error());
  HouseholdCounts::PageRequest request;
  request.order = OrderOf(q.sort);
  request.descending = q.descending;
  request.offset = q.offset;
  request.limit = q.limit;
  request.search = search;
  auto listed = list_counts_.List(conn, ranges->first, ranges->second, CountFilter(q), request);
  if (!listed) return std::unexpected(listed.error());
  if (!*listed) return Found();
  registry::HouseholdPage page;
  page.total = (*listed)->total;
  FUPIN_TRY(ReadSummaries(conn, (*listed)->ids, page.items));
  FUPIN_TRY(FillStatusOn(conn, q.as_of, page.items));
  return Found(std::move(page));
}

Result<registry::HouseholdPage> SqlRegistryRepository::ListHouseholds(const HouseholdQuery& query) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  // From memory whenever the table can serve (HouseholdCounts::List); below, SQL for the rest
  // (a member's own households, a search by ID number, a text that is not UTF-8, a registry
  // whose values do not fit the table, and cache_totals_ off). The plans below were tuned
  // with the list's own filter and sort indexes, which PostgreSQL keeps; on SQLite only the
  // region index (region, number) and the number index remain since migration 0023, so a
  // list read here over a large region reads its rows and sorts them.
  {
    auto page = ListFromMemory(**conn, query);
    if (!page) return std::unexpected(page.error());
    if (*page) return std::move(**page);
  }
  const Backend backend = (*conn)->backend();
  // SQLite plans a list by the region index whatever share of the registry the caller's
  // regions hold; it cannot know. PostgreSQL estimates it from statistics, and badly: a
  // city's households are one stretch of the number order, so it walks the number index from
  // the start (0.5 s). The share of the regions they hold (a cheap count over the regions'
  // primary key) tells when another plan is better (below).
  double share = 0;
  if (!query.scope.empty()) {
    std::vector<SqlValue> region_params;
    auto in_scope = ScopeCondition(query.scope, "r.code", region_params);
    if (!in_scope) return std::unexpected(in_scope.error());
    std::string regions_where = *in_scope;
    if (!query.within.empty()) {
      auto within = ScopeCondition({query.within}, "r.code", region_params);
      if (!within) return std::unexpected(within.error());
      regions_where += " AND " + *within;
    }
    FUPIN_TRY((*conn)->Run(fmt::format("SELECT (SELECT count(*) FROM regions r WHERE {}), "
                                       "(SELECT count(*) FROM regions)",
                                       regions_where),
                           region_params, [&](const SqlRow& row) {
                             if (row.Int(1) > 0) {
                               share = static_cast<double>(row.Int(0)) /
                                       static_cast<double>(row.Int(1));
                             }
                           }));
  }
  // A small share of the registry: the region index is the narrowest way in, even when a
  // filter has an index of its own (PostgreSQL's carries every filter column).
  const bool narrow = backend == Backend::kSqlite && share < 0.1;
  // Regions that are all the regions hold every household (each names its region): the
  // region conditions then say nothing, and without them the count of all households is
  // SQLite's fast count.
  HouseholdQuery everywhere = query;
  if (share >= 1.0) {
    everywhere.scope = {""};
    everywhere.within.clear();
    everywhere.households.clear();
  }
  const HouseholdQuery& q = everywhere;
  // Over most of the registry, a search reads the name and number indexes once (SQLite; on
  // PostgreSQL the IN over their union is a hash of every match, slower than its plan of the
  // plain condition).
  const bool broad = backend == Backend::kSqlite && share >= 0.3;
  Result<NameMatch> names = ChooseNameMatch(**conn, q, broad);
  if (!names) return std::unexpected(names.error());
  std::vector<SqlValue> params;
  auto where = Where(q, backend, params, "h.region_code", broad, narrow ? "+" : "", *names);
  if (!where) return std::unexpected(where.error());
  registry::HouseholdPage page;
  const std::string_view text = Trim(query.text);
  // A search over the whole registry with no other condition, sorted by number or name: the
  // matching entries of the name index (and the number index) carry the id and both sort
  // keys, so the matches are counted and sorted without reading their rows (a common surname
  // over a province matches ~30,000 households).
  if (!text.empty() && !LooksLikeIdNumber(text) && query.limit > 0 && q.scope.size() == 1 &&
      q.scope[0].empty() && q.within.empty() && q.households.empty() && q.status.empty() &&
      q.cause.empty() && q.attribute.empty() && !q.as_of &&
      (q.sort == registry::HouseholdSort::kNumber ||
       q.sort == registry::HouseholdSort::kHeadName)) {
    auto match = MatchText(text, backend, *names);
    if (!match.name.empty()) {
      // The number matches that are not name matches too (rare, unlike the names): a UNION
      // ALL, without de-duplicating every name match (4× faster for a common surname).
      std::vector<SqlValue> search = match.name_params;
      for (auto& v : match.number_params) search.push_back(std::move(v));
      for (auto& v : match.name_params) search.push_back(std::move(v));
      search.emplace_back(query.limit);
      search.emplace_back(query.offset);
      std::vector<int64_t> ids;
      FUPIN_TRY((*conn)->RunPlanned(
          fmt::format("SELECT h.id, count(*) OVER () FROM (SELECT h.id, h.number, h.head_name "
                      "FROM households h WHERE {0} UNION ALL SELECT h.id, h.number, h.head_name "
                      "FROM households h WHERE {1} AND NOT ({0})) h ORDER BY {2} LIMIT ? OFFSET ?",
                      match.name, match.number, OrderBy(query, backend)),
          search, [&](const SqlRow& row) {
            ids.push_back(row.Int(0));
            page.total = row.Int(1);
          }));
      if (!ids.empty()) {
        FUPIN_TRY(ReadSummaries(**conn, ids, page.items));
        return page;
      }
      // Past the last page: counted below.
    }
  }
  if (!text.empty() && !LooksLikeIdNumber(text) && query.limit > 0) {
    // A search reads the names of every household it could match: read them once, counting
    // the matches in the same query (a window over the result) rather than in another.
    params.emplace_back(query.limit);
    params.emplace_back(query.offset);
    std::vector<int64_t> ids;
    FUPIN_TRY(
        (*conn)->RunPlanned(fmt::format("SELECT h.id, count(*) OVER () FROM households h WHERE {} "
                                        "ORDER BY {} LIMIT ? OFFSET ?",
                                        *where, OrderBy(query, backend)),
                            params, [&](const SqlRow& row) {
                              ids.push_back(row.Int(0));
                              page.total = row.Int(1);
                            }));
    if (ids.empty()) {
      params.resize(params.size() - 2);
      auto total = CountHouseholds(**conn, *where, params);
      if (!total) return std::unexpected(total.error());
      page.total = *total;
      return page;
    }
    FUPIN_TRY(ReadSummaries(**conn, ids, page.items));
    FUPIN_TRY(FillStatusOn(**conn, query.as_of, page.items));
    return page;
  }
  auto total = CountHouseholds(**conn, *where, params);
  if (!total) return std::unexpected(total.error());
  page.total = *total;
  if (query.limit <= 0 || query.offset >= page.total) return page;
  // A page in the second half is read from the end, backwards: an OFFSET costs the rows it
  // skips, so the last page costs as little as the first.
  const int64_t n = std::min(query.limit, page.total - query.offset);
  const bool reverse = query.offset > page.total / 2;
  // By the region index SQLite reads and sorts every match of the regions. When the regions
  // hold most of the registry, walking the sort's own index and stopping after the page reads
  // about (skipped + n) × households / matches rows instead of every match: the walk is taken
  // when that is fewer. "+h.region_code" keeps the region conditions off the index. The
  // number of households is bounded cheaply by the largest id. PostgreSQL plans by its
  // statistics.
  std::string page_where = *where;
  const int64_t skipped = reverse ? page.total - query.offset - n : query.offset;
  if (backend == Backend::kSqlite && share >= 0.5 && page.total >= 2000) {
    int64_t rows = 0;
    FUPIN_TRY((*conn)->Run("SELECT max(id) FROM households", {},
                           [&](const SqlRow& row) { rows = row.IsNull(0) ? 0 : row.Int(0); }));
    if (static_cast<double>(skipped + n) * static_cast<double>(rows) <=
        static_cast<double>(page.total) * static_cast<double>(page.total)) {
      std::vector<SqlValue> same;
      auto walk = Where(q, backend, same, "+h.region_code", broad, "+", *names);
      if (!walk) return std::unexpected(walk.error());
      page_where = *walk;
    }
  }
  // PostgreSQL, regions holding under half the registry: their matches first (the region
  // index), then sorted. By number (the default), the sort key is made an expression no
  // index has, and parallel workers are turned off for the statement (on a busy server
  // their start costs more than the sort: 60 ms against 14 ms for a city); by anything else
  // a materialized CTE keeps PostgreSQL from walking the sort's index instead.
  std::string from = "households h";
  std::string order = OrderBy(query, backend, reverse);
  const bool pg_narrow = backend == Backend::kPostgres && share < 0.5;
  if (pg_narrow && query.sort == registry::HouseholdSort::kNumber) {
    order =
        fmt::format("(h.number || '') COLLATE \"C\"{}", query.descending != reverse ? " DESC" : "");
  } else if (pg_narrow) {
    from = fmt::format(
        "(WITH m AS MATERIALIZED (SELECT h.id, h.number, h.region_code, h.head_name, "
        "h.member_count, h.year_identified FROM households h WHERE {}) SELECT * FROM m) h",
        page_where);
    page_where = "1 = 1";
  }
  // First the page's ids (the sort reads only indexed columns), then their summaries: the
  // summary's subqueries (head's ID number, latest income) run for 50 rows, not for every row
  // sorted.
  params.emplace_back(n);
  params.emplace_back(skipped);
  std::vector<int64_t> ids;
  ids.reserve(static_cast<size_t>(n));
  const std::string sql = fmt::format("SELECT h.id FROM {} WHERE {} ORDER BY {} LIMIT ? OFFSET ?",
                                      from, page_where, order);
  auto read = [&](SqlConnection& c) -> Result<bool> {
    FUPIN_TRY(c.RunPlanned(sql, params, [&](const SqlRow& row) { ids.push_back(row.Int(0)); }));
    return true;
  };
  if (pg_narrow) {
    auto done = InSnapshot<bool>(**conn, [&](SqlConnection& c) -> Result<bool> {
      FUPIN_TRY(c.RunScript("SET LOCAL max_parallel_workers_per_gather = 0"));
      return read(c);
    });
    if (!done) return std::unexpected(done.error());
  } else {
    auto done = read(**conn);
    if (!done) return std::unexpected(done.error());
  }
  if (reverse) std::reverse(ids.begin(), ids.end());
  FUPIN_TRY(ReadSummaries(**conn, ids, page.items));
  FUPIN_TRY(FillStatusOn(**conn, query.as_of, page.items));
  return page;
}

Status SqlRegistryRepository::ForEachHousehold(
    const HouseholdQuery& query, const std::function<Status(const HouseholdSummary&)>& visit) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  auto names = ChooseNameMatch(**conn, query, false);
  if (!names) return std::unexpected(names.error());
  std::vector<SqlValue> params;
  auto where = Where(query, (*conn)->backend(), params, "h.region_code", false, "", *names);
  if (!where) return std::unexpected(where.error());
  // As of a day, each household's status then (the latest event by then, as Where()'s).
  std::string status_on;
  if (query.as_of) {
    status_on =
        "(SELECT e.status FROM household_events e WHERE e.household_id = h.id AND e.on_date <= "
        "? ORDER BY e.on_date DESC, e.id DESC LIMIT 1)";
    params.insert(params.begin(), SqlValue(query.as_of->ToString()));
  }
  Status failed;
  FUPIN_TRY((*conn)->RunPlanned(fmt::format("{} WHERE {} ORDER BY {}", SummarySelect(status_on),
                                            *where, OrderBy(query, (*conn)->backend())),
                                params, [&](const SqlRow& row) {
                                  if (!failed) return;  // the visitor gave up: skip the rest
                                  HouseholdSummary s = ReadSummary(row);
                                  if (query.as_of && !row.IsNull(kSummaryExtra)) {
                                    s.status_on = row.Text(kSummaryExtra);
                                  }
                                  failed = visit(s);
                                }));
  return failed;
}

Status SqlRegistryRepository::ForEachRecord(
    const HouseholdQuery& query, const std::function<Status(const HouseholdRecord&)>& visit) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  auto names = ChooseNameMatch(**conn, query, false);
  if (!names) return std::unexpected(names.error());
  std::vector<SqlValue> params;
  auto where = Where(query, (*conn)->backend(), params, "h.region_code", false, "", *names);
  if (!where) return std::unexpected(where.error());
  const std::string filter = "(" + *where + ")";
  // Keyset paging by id: each chunk is one query per table, whatever the number of households.
  int64_t after = 0;
  while (true) {
    auto chunk = LoadHouseholds(**conn, filter, params, "AND h.id > ? ORDER BY h.id LIMIT ?",
                                {after, kRecordChunk});
    if (!chunk) return std::unexpected(chunk.error());
    if (chunk->empty()) return {};
    std::vector<SqlValue> range = params;
    range.emplace_back(chunk->front().household.id);
    range.emplace_back(chunk->back().household.id);
    FUPIN_TRY(LoadChildren(**conn, filter + " AND h.id BETWEEN ? AND ?", range, *chunk));
    for (const HouseholdRecord& r : *chunk) FUPIN_TRY(visit(r));
    if (static_cast<int64_t>(chunk->size()) < kRecordChunk) return {};
    after = chunk->back().household.id;
  }
}

Result<std::optional<HouseholdRecord>> SqlRegistryRepository::FindHousehold(
    int64_t id, const std::vector<std::string>& scope) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  return LoadRecord(**conn, id, scope);
}

Result<std::optional<std::pair<Member, std::string>>> SqlRegistryRepository::FindMember(
    int64_t id, const std::vector<std::string>& scope) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  std::vector<SqlValue> params{id};
  auto in_scope = ScopeCondition(scope, "h.region_code", params);
  if (!in_scope) return std::unexpected(in_scope.error());
  std::optional<std::pair<Member, std::string>> out;
  FUPIN_TRY((*conn)->Run(
      fmt::format("SELECT {}, h.region_code FROM members m JOIN households h ON h.id = "
                  "m.household_id WHERE m.id = ? AND {}",
                  Qualified(kMemberColumns, "m."), *in_scope),
      params, [&](const SqlRow& row) { out.emplace(ReadMember(row), row.Text(20)); }));
  return out;
}

Result<std::optional<std::string>> SqlRegistryRepository::HouseholdRegion(int64_t id) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  std::optional<std::string> region;
  const SqlValue params[] = {id};
  FUPIN_TRY((*conn)->Run("SELECT region_code FROM households WHERE id = ?", params,
                         [&](const SqlRow& row) { region = row.Text(0); }));
  return region;
}

Result<std::optional<std::string>> SqlRegistryRepository::MemberRegion(int64_t id) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  std::optional<std::string> region;
  const SqlValue params[] = {id};
  FUPIN_TRY(
      (*conn)->Run("SELECT h.region_code FROM members m JOIN households h ON h.id = m.household_id "
                   "WHERE m.id = ?",
                   params, [&](const SqlRow& row) { region = row.Text(0); }));
  return region;
}

Result<HouseholdRecord> SqlRegistryRepository::CreateHousehold(const HouseholdRecord& record,
                                                               const audit::Actor& actor) {
  return InTransaction<HouseholdRecord>(pool_, [&](SqlConnection& conn) -> Result<HouseholdRecord> {
    bool taken = false;
    const SqlValue number[] = {record.household.number};
    FUPIN_TRY(conn.Run("SELECT 1 FROM households WHERE number = ?", number,
                       [&](const SqlRow&) { taken = true; }));
    if (taken) {
      return MakeError(
          ErrorCode::kAlreadyExists,
          fmt::format("household number {} is already registered", record.household.number),
          {{0, "number", record.household.number, "is already registered"}});
    }
    auto foreign = ForeignIdNumbers(conn, std::span(&record, 1), {});
    if (!foreign) return std::unexpected(foreign.error());
    if (!foreign->empty()) {
      std::vector<ErrorDetail> details;
      for (size_t i = 0; i < record.members.size(); ++i) {
        for (const ErrorDetail& d : *foreign) {
          if (d.value == record.members[i].id_number) {
            details.push_back({0, fmt::format("members[{}].id_number", i + 1), d.value,
                               "this person is already registered in another household"});
          }
        }
      }
      return MakeError(ErrorCode::kAlreadyExists,
                       "a member is already registered in another household", std::move(details));
    }
    const std::string now = Now();
    std::vector<SqlValue> values = HouseholdValues(record);
    values.emplace_back(now);
    values.emplace_back(now);
    int64_t id = 0;
    FUPIN_TRY(
        conn.Run(fmt::format("INSERT INTO households ({}, created_at, updated_at) VALUES ({}) "
                             "RETURNING id",
                             kHouseholdInsertColumns, Placeholders(values.size())),
                 values, [&](const SqlRow& row) { id = row.Int(0); }));
    ChildRows children;
    children.Add(id, record);
    FUPIN_TRY(children.Write(conn));
    auto stored = LoadRecord(conn, id, {""});
    if (!stored) return std::unexpected(stored.error());
    audit::Entry entry;
    entry.actor = actor;
    entry.action = "create";
    entry.entity = "household";
    entry.entity_id = std::to_string(id);
    entry.region_code = record.household.region_code;
    entry.changes = audit::Diff({}, AuditFields(**stored), hmac_key_);
    FUPIN_TRY(AppendAudit(conn, std::move(entry)));
    const int64_t written[] = {id};
    FUPIN_TRY(RecordRegistryWrite(conn, written));
    return **stored;
  });
}

Result<registry::SaveCounts> SqlRegistryRepository::SaveHouseholds(
    std::span<const HouseholdRecord> records, const audit::Actor& actor, std::string_view note) {
  const RollbackJournalForBulkLoad journal(pool_, records.size() >= DeferredIndexes::kBulkRows);
  auto saved = InTransaction<registry::SaveCounts>(
      pool_, [&](SqlConnection& conn) -> Result<registry::SaveCounts> {
        registry::SaveCounts counts;
        // A load into an empty registry logs no household (RecordRegistryReload).
        auto any = AnyRow(conn, "households");
        if (!any) return std::unexpected(any.error());
        const bool was_empty = !*any;
        std::unordered_set<std::string_view> numbers;
        numbers.reserve(records.size());
        std::vector<std::string> number_list;
        number_list.reserve(records.size());
        for (const HouseholdRecord& r : records) {
          if (!numbers.insert(r.household.number).second) {
            return InvalidArgument(
                fmt::format("household number {} appears twice", r.household.number),
                {{0, "number", r.household.number, "appears twice"}});
          }
          number_list.push_back(r.household.number);
        }
        // The stored records of the numbers that exist already.
        auto stored = LoadByNumber(conn, number_list);
        if (!stored) return std::unexpected(stored.error());
        std::unordered_map<std::string, const HouseholdRecord*> existing;
        for (const HouseholdRecord& r : *stored) existing[r.household.number] = &r;

        const std::string now = Now();
        std::vector<const HouseholdRecord*> inserts;
        std::vector<std::pair<const HouseholdRecord*, const HouseholdRecord*>> updates;
        std::vector<std::string_view> touched;
        std::vector<int64_t> written;  // ids of the households inserted or replaced
        for (const HouseholdRecord& r : records) {
          auto it = existing.find(r.household.number);
          if (it == existing.end()) {
            inserts.push_back(&r);
            continue;
          }
          if (registry::SameContent(*it->second, r)) {
            ++counts.unchanged;
            continue;
          }
          updates.emplace_back(it->second, &r);
        }
        // Replaced households release their children first, so that people moving between
        // households of the same batch do not collide.
        ChildRows children;
        for (const auto& [before, r] : updates) {
          FUPIN_TRY(ReplaceHousehold(conn, *before, *r, now, children));
          touched.push_back(r->household.number);
          written.push_back(before->household.id);
          ++counts.updated;
        }
        FUPIN_TRY(children.Write(conn));
        DeferredIndexes deferred;
        FUPIN_TRY(deferred.DropIfBulk(conn, inserts.size()));
        FUPIN_TRY(InsertHouseholds(conn, inserts, now, touched, written));
        FUPIN_TRY(deferred.Rebuild(conn));
        counts.inserted += static_cast<int64_t>(inserts.size());
        CommonRegion region;
        for (const HouseholdRecord& r : records) region.Add(r.household.region_code);
        std::string list;
        list.reserve(touched.size() * 20);
        for (std::string_view n : touched) {
          list += ' ';
          list += n;
        }
        FUPIN_TRY(AppendAudit(conn, SaveEntry(actor, region.code(), note, counts, list)));
        if (was_empty && written.size() >= kRegistryReloadHouseholds) {
          FUPIN_TRY(RecordRegistryReload(conn));
        } else if (!written.empty()) {
          FUPIN_TRY(RecordRegistryWrite(conn, written));
        }
        return counts;
      });
  if (saved || saved.error().code != ErrorCode::kAlreadyExists) return saved;
  // A member's ID number collided with another household's (the unique index refused it):
  // name the people, from a reader, now that the transaction has rolled back.
  auto conn = pool_.Reader();
  if (!conn) return saved;
  std::set<std::string> numbers;
  for (const HouseholdRecord& r : records) numbers.insert(r.household.number);
  auto foreign = ForeignIdNumbers(**conn, records, numbers);
  if (!foreign || foreign->empty()) return saved;
  return MakeError(
      ErrorCode::kAlreadyExists,
      fmt::format("{} people are already registered in other households", foreign->size()),
      std::move(*foreign));
}

namespace {

// A BulkLoad over SQL: the write transaction of SaveHouseholds, opened before the records are
// all read. It starts as SaveHouseholds would for the same households on the empty registry —
// SQLite's rollback journal and secondary indexes dropped for a large load, built again in
// Finish — and writes each batch as it comes.
//
// SQLite's foreign-key checks are off on the load's connection while it runs (PRAGMA
// foreign_keys, set outside the transaction and back on after it, committed or not): every
// reference the load writes is one it makes itself — members, status events, incomes and the
// rest to the households it has just inserted, helper pairings to helpers it finds or
// inserts, households to villages the importer looks up through the load's own transaction
// (FindRegions) and refuses when missing, in a transaction no other writer can enter before
// the commit. Each check would be a b-tree lookup per row finding what is known to be there:
// 0.3 s of a province's load (docs/benchmarks.md). Tests compare every stored row with the
// same file imported with the checks on, and check the database with PRAGMA
// foreign_key_check after loads.
class SqlBulkLoad final : public registry::BulkLoad {
 public:
  SqlBulkLoad(ConnectionPool& pool, size_t expected)
      : journal_(pool, expected >= DeferredIndexes::kBulkRows) {}
  ~SqlBulkLoad() override {
    if (lease_ && !finished_) {
      (*lease_)->Rollback();
      CheckForeignKeysAgain();
    }
  }

  // False when the registry holds households already (nothing begun).
  Result<bool> Begin(ConnectionPool& pool, size_t expected) {
    auto lease = pool.Writer();
    if (!lease) return std::unexpected(lease.error());
    lease_.emplace(std::move(*lease));
    SqlConnection& conn = **lease_;
    if (conn.backend() == Backend::kSqlite) {
      FUPIN_TRY(conn.Run("PRAGMA foreign_keys = OFF", {}, nullptr));
      foreign_keys_off_ = true;
    }
    auto undo = [&] {
      conn.Rollback();
      CheckForeignKeysAgain();
      lease_.reset();
    };
    if (auto begun = conn.Begin(/*write=*/true); !begun) {
      CheckForeignKeysAgain();
      lease_.reset();
      return std::unexpected(begun.error());
    }
    if (auto any = AnyRow(conn, "households"); !any || *any) {
      undo();
      if (!any) return std::unexpected(any.error());
      return false;
    }
    if (auto dropped = deferred_.DropIfBulk(conn, expected); !dropped) {
      undo();
      return std::unexpected(dropped.error());
    }
    inserter_.emplace(conn, Now(), touched_, written_);
    return true;
  }

  Status Add(std::span<const HouseholdRecord* const> records) override {
    if (finished_ || !lease_ || !inserter_) return Internal("the bulk load has ended");
    for (const HouseholdRecord* r : records) region_.Add(r->household.region_code);
    added_ += records.size();
    return inserter_->Add(records);
  }

  Status Flush() override {
    if (finished_ || !lease_) return Internal("the bulk load has ended");
    if (!inserter_) return {};
    FUPIN_TRY(inserter_->Finish());
    inserter_.reset();
    // The audit's list of numbers, before the records may go.
    numbers_.reserve(touched_.size() * 20);
    for (std::string_view n : touched_) {
      numbers_ += ' ';
      numbers_ += n;
    }
    std::vector<std::string_view>().swap(touched_);
    return {};
  }

  Result<std::vector<regions::Region>> FindRegions(std::span<const std::string> codes) override {
    if (finished_ || !lease_) return Internal("the bulk load has ended");
    return storage::FindRegions(**lease_, codes);
  }

  Result<registry::SaveCounts> Finish(const audit::Actor& actor, std::string_view note) override {
    if (finished_ || !lease_) return Internal("the bulk load has ended");
    SqlConnection& conn = **lease_;
    registry::SaveCounts counts;
    counts.inserted = static_cast<int64_t>(added_);
    FUPIN_TRY(Flush());
    // The audit entry before the index builds: its insert then needs no memory the builds
    // have just churned (0.15 s at province scale, while the caller frees the records).
    FUPIN_TRY(AppendAudit(conn, SaveEntry(actor, region_.code(), note, counts, numbers_)));
    FUPIN_TRY(deferred_.Rebuild(conn));
    // Into an empty registry (Begin).
    if (written_.size() >= kRegistryReloadHouseholds) {
      FUPIN_TRY(RecordRegistryReload(conn));
    } else if (!written_.empty()) {
      FUPIN_TRY(RecordRegistryWrite(conn, written_));
    }
    FUPIN_TRY(conn.Commit());
    finished_ = true;
    CheckForeignKeysAgain();
    lease_.reset();
    return counts;
  }

 private:
  // The connection's foreign-key checks back on, once its transaction has ended (the pragma
  // does nothing inside one). It cannot fail there but on a closed connection.
  void CheckForeignKeysAgain() {
    if (!foreign_keys_off_ || !lease_) return;
    (void)(*lease_)->Run("PRAGMA foreign_keys = ON", {}, nullptr);
    foreign_keys_off_ = false;
  }

  // Declared first: back to WAL after the lease is returned.
  RollbackJournalForBulkLoad journal_;
  std::optional<ConnectionLease> lease_;
  DeferredIndexes deferred_;
  size_t added_ = 0;
  CommonRegion region_;
  std::vector<std::string_view> touched_;  // until flushed into numbers_
  std::string numbers_;
  std::vector<int64_t> written_;
  std::optional<HouseholdInserter> inserter_;  // until flushed
  bool finished_ = false;
  bool foreign_keys_off_ = false;
};

}  // namespace

Result<std::unique_ptr<registry::BulkLoad>> SqlRegistryRepository::BeginBulkLoad(size_t expected) {
  if (!pool_.sole_user()) return std::unique_ptr<registry::BulkLoad>();
  {
    // A first look, before the journal is switched for nothing; the load looks again inside
    // its transaction.
    auto conn = pool_.Reader();
    if (!conn) return std::unexpected(conn.error());
    auto any = AnyRow(**conn, "households");
    if (!any) return std::unexpected(any.error());
    if (*any) return std::unique_ptr<registry::BulkLoad>();
  }
  auto load = std::make_unique<SqlBulkLoad>(pool_, expected);
  auto begun = load->Begin(pool_, expected);
  if (!begun) return std::unexpected(begun.error());
  if (!*begun) return std::unique_ptr<registry::BulkLoad>();
  return std::unique_ptr<registry::BulkLoad>(std::move(load));
}

Result<std::vector<int64_t>> SqlRegistryRepository::ApplyEdit(const registry::HouseholdEdit& edit,
                                                              const audit::Actor& actor) {
  auto applied = InTransaction<std::vector<int64_t>>(
      pool_, [&](SqlConnection& conn) -> Result<std::vector<int64_t>> {
        const std::string now = Now();
        std::vector<HouseholdRecord> befores;
        for (const HouseholdRecord& r : edit.replaced) {
          auto stored = LoadRecord(conn, r.household.id, {""});
          if (!stored) return std::unexpected(stored.error());
          if (!*stored) return NotFound(fmt::format("no household with id {}", r.household.id));
          const int64_t current = (*stored)->household.version;
          if (current != r.household.version) {
            return Conflict(fmt::format("household {} was changed by someone else: you edited "
                                        "version {}, the current version is {}",
                                        (*stored)->household.number, r.household.version, current),
                            current);
          }
          befores.push_back(std::move(**stored));
        }
        ChildRows children;
        std::vector<int64_t> ids;
        for (size_t i = 0; i < befores.size(); ++i) {
          FUPIN_TRY(ReplaceHousehold(conn, befores[i], edit.replaced[i], now, children));
          ids.push_back(befores[i].household.id);
        }
        int64_t created_id = 0;
        if (edit.created) {
          const HouseholdRecord& c = *edit.created;
          bool taken = false;
          const SqlValue number[] = {c.household.number};
          FUPIN_TRY(conn.Run("SELECT 1 FROM households WHERE number = ?", number,
                             [&](const SqlRow&) { taken = true; }));
          if (taken) {
            return MakeError(
                ErrorCode::kAlreadyExists,
                fmt::format("household number {} is already registered", c.household.number),
                {{0, "new_household_number", c.household.number, "is already registered"}});
          }
          std::vector<SqlValue> values = HouseholdValues(c);
          values.emplace_back(now);
          values.emplace_back(now);
          FUPIN_TRY(conn.Run(
              fmt::format("INSERT INTO households ({}, created_at, updated_at) VALUES ({}) "
                          "RETURNING id",
                          kHouseholdInsertColumns, Placeholders(values.size())),
              values, [&](const SqlRow& row) { created_id = row.Int(0); }));
          children.Add(created_id, c);
          ids.push_back(created_id);
        }
        FUPIN_TRY(children.Write(conn));

        auto resolve = [&](int64_t household) {
          return household == registry::kCreatedHousehold ? created_id : household;
        };
        for (const auto& [household, e] : edit.events) {
          const int64_t at = resolve(household);
          std::optional<int64_t> member;
          const SqlValue key[] = {at, e.id_number};
          FUPIN_TRY(conn.Run(
              "SELECT id FROM members WHERE household_id = ? AND id_number = ? ORDER BY id DESC "
              "LIMIT 1",
              key, [&](const SqlRow& row) { member = row.Int(0); }));
          const int64_t other = resolve(e.other_household_id);
          std::string other_number = e.other_household_number;
          if (e.other_household_id == registry::kCreatedHousehold && edit.created) {
            other_number = edit.created->household.number;
          }
          FUPIN_TRY(Execute(
              conn,
              "INSERT INTO member_events (household_id, member_id, kind, on_date, name, "
              "id_number, old_id_number, other_household_id, other_household_number, note, "
              "recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              {at, member ? SqlValue(*member) : SqlValue(nullptr), e.kind, e.on.ToString(), e.name,
               e.id_number, e.old_id_number, other != 0 ? SqlValue(other) : SqlValue(nullptr),
               other_number, e.note, actor.name, now}));
        }

        for (size_t i = 0; i < ids.size(); ++i) {
          auto after = LoadRecord(conn, ids[i], {""});
          if (!after) return std::unexpected(after.error());
          const bool created = i >= befores.size();
          audit::Entry entry;
          entry.actor = actor;
          entry.action = created ? "create" : edit.action;
          entry.entity = "household";
          entry.entity_id = std::to_string(ids[i]);
          entry.region_code = (*after)->household.region_code;
          entry.changes =
              audit::Diff(created ? std::vector<audit::Field>{} : AuditFields(befores[i]),
                          AuditFields(**after), hmac_key_);
          entry.note = edit.note;
          FUPIN_TRY(AppendAudit(conn, std::move(entry)));
        }
        FUPIN_TRY(RecordRegistryWrite(conn, ids));
        return ids;
      });
  if (applied || applied.error().code != ErrorCode::kAlreadyExists ||
      !applied.error().details.empty()) {
    return applied;
  }
  // A current member's ID number is another household's current member's (the unique index
  // refused it): name the people, from a reader, now that the transaction has rolled back.
  auto conn = pool_.Reader();
  if (!conn) return applied;
  std::vector<HouseholdRecord> records = edit.replaced;
  if (edit.created) records.push_back(*edit.created);
  std::set<std::string> numbers;
  for (const HouseholdRecord& r : records) numbers.insert(r.household.number);
  auto foreign = ForeignIdNumbers(**conn, records, numbers);
  if (!foreign || foreign->empty()) return applied;
  return MakeError(ErrorCode::kAlreadyExists, "a member is already registered in another household",
                   std::move(*foreign));
}

Result<std::vector<HouseholdRecord>> SqlRegistryRepository::FindHouseholdsByNumber(
    std::span<const std::string> numbers) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  return LoadByNumber(**conn, numbers);
}

Result<std::unordered_map<std::string, std::string>> SqlRegistryRepository::HouseholdsOfIdNumbers(
    std::span<const std::string> id_numbers) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  std::unordered_map<std::string, std::string> out;
  auto any = AnyRow(**conn, "members");
  if (!any) return std::unexpected(any.error());
  if (!*any) return out;  // a first import: nobody is registered yet
  for (size_t first = 0; first < id_numbers.size(); first += kChunk) {
    const size_t n = std::min(kChunk, id_numbers.size() - first);
    std::vector<SqlValue> chunk(id_numbers.begin() + static_cast<std::ptrdiff_t>(first),
                                id_numbers.begin() + static_cast<std::ptrdiff_t>(first + n));
    FUPIN_TRY((*conn)->Run(
        fmt::format("SELECT m.id_number, h.number FROM members m JOIN households h ON h.id = "
                    "m.household_id WHERE m.left_on IS NULL AND m.id_number IN ({})",
                    Placeholders(n)),
        chunk, [&](const SqlRow& row) { out[row.Text(0)] = row.Text(1); }));
  }
  return out;
}

}  // namespace fupin::storage
