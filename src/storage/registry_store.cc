#include "storage/registry_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "access/permissions.h"
#include "base/text.h"
#include "regions/region.h"
#include "storage/audit_store.h"

namespace fupin::storage {
namespace {

using registry::Guarantee;
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
    "h.head_name, h.member_count";
constexpr int kHouseholdColumnCount = 20;

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

Result<std::string> Where(const HouseholdQuery& q, std::vector<SqlValue>& params) {
  auto scope = ScopeCondition(q.scope, "h.region_code", params);
  if (!scope) return scope;
  std::string where = *scope;
  if (!q.within.empty()) {
    auto within = ScopeCondition({q.within}, "h.region_code", params);
    if (!within) return within;
    where += " AND " + *within;
  }
  if (!q.status.empty()) {
    where += " AND h.status = ?";
    params.emplace_back(q.status);
  }
  if (!q.cause.empty()) {
    where += " AND h.main_cause = ?";
    params.emplace_back(q.cause);
  }
  if (!q.attribute.empty()) {
    where += " AND h.attribute = ?";
    params.emplace_back(q.attribute == "none" ? std::string() : q.attribute);
  }
  const std::string_view text = Trim(q.text);
  if (LooksLikeIdNumber(text)) {
    std::string id(text);
    id[17] = id[17] == 'x' ? 'X' : id[17];
    where += " AND h.id IN (SELECT household_id FROM members WHERE id_number = ?)";
    params.emplace_back(std::move(id));
  } else if (!text.empty()) {
    where += " AND (h.number LIKE ? ESCAPE '\\' OR h.head_name LIKE ? ESCAPE '\\')";
    params.emplace_back(EscapeLike(text) + "%");
    params.emplace_back("%" + EscapeLike(text) + "%");
  }
  return where;
}

std::string OrderBy(const HouseholdQuery& q) {
  const char* dir = q.descending ? " DESC" : "";
  switch (q.sort) {
    case registry::HouseholdSort::kNumber:
      return fmt::format("h.number COLLATE \"C\"{}", dir);
    case registry::HouseholdSort::kRegion:
      return fmt::format("h.region_code COLLATE \"C\"{0}, h.number COLLATE \"C\"{0}", dir);
    case registry::HouseholdSort::kHeadName:
      return fmt::format("h.head_name COLLATE \"C\"{0}, h.number COLLATE \"C\"{0}", dir);
    case registry::HouseholdSort::kMembers:
      return fmt::format("h.member_count{0}, h.number COLLATE \"C\"{0}", dir);
    case registry::HouseholdSort::kYearIdentified:
      return fmt::format("h.year_identified{0}, h.number COLLATE \"C\"{0}", dir);
  }
  return "h.number";
}

// The list view: the household, its head's ID number and its latest income.
std::string SummarySelect() {
  return fmt::format(
      "SELECT {}, (SELECT m.id_number FROM members m WHERE m.household_id = h.id AND "
      "m.relation = 'head' AND m.left_on IS NULL ORDER BY m.position LIMIT 1), "
      "li.year, li.wages, li.business, li.property, li.transfer, li.costs "
      "FROM households h LEFT JOIN incomes li ON li.household_id = h.id AND "
      "li.year = (SELECT max(i2.year) FROM incomes i2 WHERE i2.household_id = h.id)",
      kHouseholdColumns);
}

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

// Appends the full records of the households `condition` selects (at most a few hundred: the
// children are fetched with one IN list per table) to `out`, in id order.
Status LoadRecords(SqlConnection& conn, std::string_view condition,
                   std::span<const SqlValue> params, std::vector<HouseholdRecord>& out) {
  const size_t first = out.size();
  FUPIN_TRY(conn.Run(fmt::format("SELECT {} FROM households h WHERE {} ORDER BY h.id",
                                 kHouseholdColumns, condition),
                     params, [&](const SqlRow& row) {
                       HouseholdRecord r;
                       r.household = ReadHousehold(row);
                       out.push_back(std::move(r));
                     }));
  if (out.size() == first) return {};
  std::map<int64_t, HouseholdRecord*> by_id;
  std::vector<SqlValue> ids;
  for (size_t i = first; i < out.size(); ++i) {
    by_id[out[i].household.id] = &out[i];
    ids.emplace_back(out[i].household.id);
  }
  const std::string in = Placeholders(ids.size());
  FUPIN_TRY(conn.Run(
      fmt::format("SELECT {} FROM members WHERE household_id IN ({}) ORDER BY household_id, "
                  "position",
                  kMemberColumns, in),
      ids, [&](const SqlRow& row) {
        Member m = ReadMember(row);
        by_id.at(m.household_id)->members.push_back(std::move(m));
      }));
  FUPIN_TRY(conn.Run(
      fmt::format("SELECT household_id, id, status, on_date, year, reason FROM household_events "
                  "WHERE household_id IN ({}) ORDER BY household_id, on_date, id",
                  in),
      ids, [&](const SqlRow& row) {
        StatusEvent e;
        e.id = row.Int(1);
        e.status = row.Text(2);
        e.on = OptDate(row, 3).value_or(Date{});
        e.year = OptInt(row, 4);
        e.reason = row.Text(5);
        by_id.at(row.Int(0))->events.push_back(std::move(e));
      }));
  FUPIN_TRY(conn.Run(
      fmt::format("SELECT household_id, year, wages, business, property, transfer, costs FROM "
                  "incomes WHERE household_id IN ({}) ORDER BY household_id, year",
                  in),
      ids, [&](const SqlRow& row) {
        by_id.at(row.Int(0))
            ->incomes.push_back({static_cast<int>(row.Int(1)), row.Double(2), row.Double(3),
                                 row.Double(4), row.Double(5), row.Double(6)});
      }));
  FUPIN_TRY(conn.Run(
      fmt::format("SELECT household_id, item, met, verified_on FROM guarantees WHERE "
                  "household_id IN ({}) ORDER BY household_id, item",
                  in),
      ids, [&](const SqlRow& row) {
        by_id.at(row.Int(0))->guarantees.push_back({row.Text(1), row.Int(2) != 0, OptDate(row, 3)});
      }));
  return {};
}

// The records of the households with these numbers that exist.
Result<std::vector<HouseholdRecord>> LoadByNumber(SqlConnection& conn,
                                                  std::span<const std::string> numbers) {
  std::vector<HouseholdRecord> out;
  for (size_t first = 0; first < numbers.size(); first += kChunk) {
    const size_t n = std::min(kChunk, numbers.size() - first);
    std::vector<SqlValue> chunk(numbers.begin() + first, numbers.begin() + first + n);
    FUPIN_TRY(LoadRecords(conn, fmt::format("h.number IN ({})", Placeholders(n)), chunk, out));
  }
  return out;
}

// One household's record, within `scope`.
Result<std::optional<HouseholdRecord>> LoadRecord(SqlConnection& conn, int64_t id,
                                                  const std::vector<std::string>& scope) {
  std::vector<SqlValue> params{id};
  auto in_scope = ScopeCondition(scope, "h.region_code", params);
  if (!in_scope) return std::unexpected(in_scope.error());
  std::vector<HouseholdRecord> found;
  FUPIN_TRY(LoadRecords(conn, "h.id = ? AND " + *in_scope, params, found));
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
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

// The child rows of households (members, events, incomes, guarantees), collected for
// multi-row inserts.
struct ChildRows {
  std::vector<SqlValue> members, events, incomes, guarantees;

  void AddMember(int64_t household_id, size_t position, const Member& m) {
    members.insert(members.end(),
                   {household_id, static_cast<int64_t>(position), m.name, m.id_number, m.relation,
                    m.sex, Opt(m.birth_date), m.ethnicity, m.education, Opt(m.in_school), m.health,
                    m.labour, Opt(m.migrant_months), Opt(m.dibao), Opt(m.medical_insurance),
                    Opt(m.pension), Opt(m.joined_on), Opt(m.left_on), m.left_reason});
  }

  // Everything of `r` but, without `with_members`, its members (kept in place by the caller).
  void Add(int64_t household_id, const HouseholdRecord& r, bool with_members = true) {
    if (with_members) {
      for (size_t i = 0; i < r.members.size(); ++i) AddMember(household_id, i, r.members[i]);
    }
    for (const StatusEvent& e : r.events) {
      events.insert(events.end(), {household_id, e.status, e.on.ToString(), Opt(e.year), e.reason});
    }
    for (const Income& i : r.incomes) {
      incomes.insert(incomes.end(), {household_id, static_cast<int64_t>(i.year), i.wages,
                                     i.business, i.property, i.transfer, i.costs});
    }
    for (const Guarantee& g : r.guarantees) {
      guarantees.insert(guarantees.end(),
                        {household_id, g.item, static_cast<int64_t>(g.met), Opt(g.verified_on)});
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
                         "incomes (household_id, year, wages, business, property, transfer, costs)",
                         7, incomes));
    FUPIN_TRY(InsertRows(conn, "guarantees (household_id, item, met, verified_on)", 4, guarantees));
    return {};
  }
};

// Updates a member in place (position, every field but the ID number), by id.
constexpr std::string_view kMemberUpdate =
    "UPDATE members SET position = ?, name = ?, relation = ?, sex = ?, birth_date = ?, "
    "ethnicity = ?, education = ?, in_school = ?, health = ?, labour = ?, migrant_months = ?, "
    "dibao = ?, medical_insurance = ?, pension = ?, joined_on = ?, left_on = ?, left_reason = ?, "
    "version = version + 1 WHERE id = ?";

// Head's name and the number of current members, kept on the household row for lists.
std::pair<std::string, int64_t> HeadAndSize(const HouseholdRecord& r) {
  std::string head;
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
  auto [head, size] = HeadAndSize(r);
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
          head,
          size};
}
constexpr std::string_view kHouseholdInsertColumns =
    "number, region_code, attribute, main_cause, secondary_cause, phone, bank_account, "
    "housing_safe, housing_area, water_safe, market_distance_km, year_identified, status, "
    "lifted_year, head_name, member_count";

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
    f.push_back(
        {fmt::format("incomes[{}]", i.year),
         fmt::format("{} {} {} {} {}", i.wages, i.business, i.property, i.transfer, i.costs),
         false});
  }
  std::string guarantees;
  for (const Guarantee& g : r.guarantees) {
    guarantees +=
        fmt::format("{}{}={}{}", guarantees.empty() ? "" : "; ", g.item, g.met ? "yes" : "no",
                    g.verified_on ? " @" + g.verified_on->ToString() : "");
  }
  f.push_back({"guarantees", guarantees, false});
  return f;
}

// Member ID numbers of `records` already registered in households other than `own` numbers
// (households being replaced release their members first). Problems name the record.
Result<std::vector<ErrorDetail>> ForeignIdNumbers(SqlConnection& conn,
                                                  std::span<const HouseholdRecord> records,
                                                  const std::set<std::string>& own) {
  std::map<std::string, std::string> wanted;  // id number → household number
  for (const HouseholdRecord& r : records) {
    for (const Member& m : r.members) wanted[m.id_number] = r.household.number;
  }
  std::vector<ErrorDetail> problems;
  std::vector<SqlValue> chunk;
  auto flush = [&]() -> Status {
    if (chunk.empty()) return {};
    FUPIN_TRY(conn.Run(
        fmt::format("SELECT m.id_number, h.number FROM members m JOIN households h ON "
                    "h.id = m.household_id WHERE m.id_number IN ({})",
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
std::string CommonRegion(std::span<const HouseholdRecord> records) {
  if (records.empty()) return "";
  const std::string& first = records.front().household.region_code;
  auto level = regions::LevelOfCode(first);
  if (!level) return "";
  std::vector<std::string> candidates = regions::AncestorCodes(first, *level);
  candidates.push_back(first);
  for (auto it = candidates.rbegin(); it != candidates.rend(); ++it) {
    const bool all = std::all_of(records.begin(), records.end(), [&](const HouseholdRecord& r) {
      return access::InSubtree(*it, r.household.region_code);
    });
    if (all) return *it;
  }
  return "";
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
  return *before;
}

Result<registry::HouseholdPage> SqlRegistryRepository::ListHouseholds(const HouseholdQuery& query) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  std::vector<SqlValue> params;
  auto where = Where(query, params);
  if (!where) return std::unexpected(where.error());
  registry::HouseholdPage page;
  FUPIN_TRY((*conn)->Run(fmt::format("SELECT count(*) FROM households h WHERE {}", *where), params,
                         [&](const SqlRow& row) { page.total = row.Int(0); }));
  if (query.limit <= 0 || page.total == 0) return page;
  params.emplace_back(query.limit);
  params.emplace_back(query.offset);
  FUPIN_TRY((*conn)->Run(fmt::format("{} WHERE {} ORDER BY {} LIMIT ? OFFSET ?", SummarySelect(),
                                     *where, OrderBy(query)),
                         params,
                         [&](const SqlRow& row) { page.items.push_back(ReadSummary(row)); }));
  return page;
}

Status SqlRegistryRepository::ForEachHousehold(
    const HouseholdQuery& query, const std::function<Status(const HouseholdSummary&)>& visit) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  std::vector<SqlValue> params;
  auto where = Where(query, params);
  if (!where) return std::unexpected(where.error());
  Status failed;
  FUPIN_TRY(
      (*conn)->Run(fmt::format("{} WHERE {} ORDER BY {}", SummarySelect(), *where, OrderBy(query)),
                   params, [&](const SqlRow& row) {
                     if (!failed) return;  // the visitor gave up: skip the rest
                     failed = visit(ReadSummary(row));
                   }));
  return failed;
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
  for (size_t first = 0; first < id_numbers.size(); first += kChunk) {
    const size_t n = std::min(kChunk, id_numbers.size() - first);
    std::vector<SqlValue> chunk(id_numbers.begin() + first, id_numbers.begin() + first + n);
    FUPIN_TRY((*conn)->Run(
        fmt::format("SELECT m.id_number, h.number FROM members m JOIN households h ON h.id = "
                    "m.household_id WHERE m.id_number IN ({})",
                    Placeholders(n)),
        chunk, [&](const SqlRow& row) { out[row.Text(0)] = row.Text(1); }));
  }
  return out;
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
    return **stored;
  });
}

Result<registry::SaveCounts> SqlRegistryRepository::SaveHouseholds(
    std::span<const HouseholdRecord> records, const audit::Actor& actor, std::string_view note) {
  return InTransaction<registry::SaveCounts>(
      pool_, [&](SqlConnection& conn) -> Result<registry::SaveCounts> {
        registry::SaveCounts counts;
        std::set<std::string> numbers;
        for (const HouseholdRecord& r : records) {
          if (!numbers.insert(r.household.number).second) {
            return InvalidArgument(
                fmt::format("household number {} appears twice", r.household.number),
                {{0, "number", r.household.number, "appears twice"}});
          }
        }
        // The stored records of the numbers that exist already.
        std::vector<std::string> number_list(numbers.begin(), numbers.end());
        auto stored = LoadByNumber(conn, number_list);
        if (!stored) return std::unexpected(stored.error());
        std::map<std::string, const HouseholdRecord*> existing;
        for (const HouseholdRecord& r : *stored) existing[r.household.number] = &r;

        auto foreign = ForeignIdNumbers(conn, records, numbers);
        if (!foreign) return std::unexpected(foreign.error());
        if (!foreign->empty()) {
          return MakeError(
              ErrorCode::kAlreadyExists,
              fmt::format("{} people are already registered in other households", foreign->size()),
              std::move(*foreign));
        }

        const std::string now = Now();
        std::vector<const HouseholdRecord*> inserts;
        std::vector<std::pair<const HouseholdRecord*, const HouseholdRecord*>> updates;
        std::vector<std::string> touched;
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
        static const std::string update_sql = [] {
          std::string set;
          for (const std::string& c : Split(kHouseholdInsertColumns, ',')) {
            set += (set.empty() ? "" : ", ") + std::string(Trim(c)) + " = ?";
          }
          return fmt::format(
              "UPDATE households SET {}, updated_at = ?, version = version + 1 WHERE id = ?", set);
        }();
        for (const auto& [before, r] : updates) {
          const int64_t id = before->household.id;
          // Members keep their rows (and ids) where the ID number stays; the others go.
          std::map<std::string, int64_t> held;
          for (const Member& m : before->members) held[m.id_number] = m.id;
          for (size_t i = 0; i < r->members.size(); ++i) {
            const Member& m = r->members[i];
            auto it = held.find(m.id_number);
            if (it == held.end()) {
              children.AddMember(id, i, m);
              continue;
            }
            FUPIN_TRY(conn.Run(
                kMemberUpdate,
                std::vector<SqlValue>{static_cast<int64_t>(i), m.name, m.relation, m.sex,
                                      Opt(m.birth_date), m.ethnicity, m.education, Opt(m.in_school),
                                      m.health, m.labour, Opt(m.migrant_months), Opt(m.dibao),
                                      Opt(m.medical_insurance), Opt(m.pension), Opt(m.joined_on),
                                      Opt(m.left_on), m.left_reason, it->second},
                [](const SqlRow&) {}));
            held.erase(it);
          }
          for (const auto& [number, gone] : held) {
            FUPIN_TRY(Execute(conn, "DELETE FROM members WHERE id = ?", {gone}));
          }
          for (const char* table : {"household_events", "incomes", "guarantees"}) {
            FUPIN_TRY(
                Execute(conn, fmt::format("DELETE FROM {} WHERE household_id = ?", table), {id}));
          }
          std::vector<SqlValue> values = HouseholdValues(*r);
          values.emplace_back(now);
          values.emplace_back(id);
          FUPIN_TRY(conn.Run(update_sql, values, [](const SqlRow&) {}));
          children.Add(id, *r, /*with_members=*/false);
          touched.push_back(r->household.number);
          ++counts.updated;
        }
        for (size_t first = 0; first < inserts.size(); first += kChunk) {
          const size_t n = std::min(kChunk, inserts.size() - first);
          std::vector<SqlValue> values;
          std::string rows;
          for (size_t i = 0; i < n; ++i) {
            auto v = HouseholdValues(*inserts[first + i]);
            v.emplace_back(now);
            v.emplace_back(now);
            rows += (i ? ", (" : "(") + Placeholders(v.size()) + ")";
            for (auto& x : v) values.push_back(std::move(x));
          }
          std::map<std::string, int64_t> ids;
          FUPIN_TRY(conn.Run(fmt::format("INSERT INTO households ({}, created_at, updated_at) "
                                         "VALUES {} RETURNING number, id",
                                         kHouseholdInsertColumns, rows),
                             values, [&](const SqlRow& row) { ids[row.Text(0)] = row.Int(1); }));
          for (size_t i = 0; i < n; ++i) {
            const HouseholdRecord& r = *inserts[first + i];
            children.Add(ids.at(r.household.number), r);
            touched.push_back(r.household.number);
          }
          counts.inserted += static_cast<int64_t>(n);
        }
        FUPIN_TRY(children.Write(conn));

        audit::Entry entry;
        entry.actor = actor;
        entry.action = "import";
        entry.entity = "household";
        entry.entity_id = "";
        entry.region_code = CommonRegion(records);
        std::string list;
        for (const std::string& n : touched) list += " " + n;
        entry.note = fmt::format("{}; inserted {}, updated {}, unchanged {}; households:{}", note,
                                 counts.inserted, counts.updated, counts.unchanged, list);
        FUPIN_TRY(AppendAudit(conn, std::move(entry)));
        return counts;
      });
}

}  // namespace fupin::storage
