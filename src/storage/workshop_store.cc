#include "storage/workshop_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>

#include "base/text.h"
#include "storage/audit_store.h"

namespace fupin::storage {
namespace {

using workshops::Employment;
using workshops::MonthlyReport;
using workshops::Workshop;

constexpr size_t kChunk = 400;

std::string Now() { return FormatTimestampUtc(std::chrono::system_clock::now()); }

SqlValue Opt(const std::optional<double>& v) { return v ? SqlValue(*v) : SqlValue(nullptr); }
SqlValue Opt(const std::optional<Date>& v) {
  return v ? SqlValue(v->ToString()) : SqlValue(nullptr);
}
std::optional<double> OptDouble(const SqlRow& row, int c) {
  return row.IsNull(c) ? std::nullopt : std::optional<double>(row.Double(c));
}
Date DateOf(const SqlRow& row, int c) { return ParseDate(row.Text(c)).value_or(Date{}); }
std::optional<Date> OptDate(const SqlRow& row, int c) {
  if (row.IsNull(c)) return std::nullopt;
  auto d = ParseDate(row.Text(c));
  return d ? std::optional<Date>(*d) : std::nullopt;
}

constexpr std::string_view kWorkshopColumns =
    "w.id, w.name, w.operator_id, w.type, w.region_code, w.industry, w.products, "
    "w.site_area_m2, w.investment_fen, w.capacity_jobs, w.longitude, w.latitude, w.version";

Workshop ReadWorkshop(const SqlRow& row) {
  Workshop w;
  w.id = row.Int(0);
  w.name = row.Text(1);
  w.operator_id = row.Int(2);
  w.type = row.Text(3);
  w.region_code = row.Text(4);
  w.industry = row.Text(5);
  w.products = row.Text(6);
  w.site_area_m2 = OptDouble(row, 7);
  w.investment_fen = row.Int(8);
  w.capacity_jobs = static_cast<int>(row.Int(9));
  w.longitude = OptDouble(row, 10);
  w.latitude = OptDouble(row, 11);
  w.version = row.Int(12);
  return w;
}

// Fills in the recognitions, status changes and support of `items`, one query per table.
Status LoadChildren(SqlConnection& conn, std::vector<Workshop>& items) {
  if (items.empty()) return {};
  std::map<int64_t, Workshop*> by_id;
  for (Workshop& w : items) by_id[w.id] = &w;
  std::vector<int64_t> ids;
  for (const auto& [id, w] : by_id) ids.push_back(id);
  for (size_t first = 0; first < ids.size(); first += kChunk) {
    const size_t n = std::min(kChunk, ids.size() - first);
    std::vector<SqlValue> params(ids.begin() + static_cast<std::ptrdiff_t>(first),
                                 ids.begin() + static_cast<std::ptrdiff_t>(first + n));
    const std::string in = Placeholders(n);
    FUPIN_TRY(conn.Run(
        fmt::format("SELECT workshop_id, status, on_date, document FROM "
                    "workshop_recognitions WHERE workshop_id IN ({}) ORDER BY "
                    "workshop_id, position",
                    in),
        params, [&](const SqlRow& row) {
          by_id[row.Int(0)]->recognitions.push_back({row.Text(1), DateOf(row, 2), row.Text(3)});
        }));
    FUPIN_TRY(conn.Run(
        fmt::format("SELECT workshop_id, status, on_date, note FROM "
                    "workshop_status_changes WHERE workshop_id IN ({}) ORDER BY "
                    "workshop_id, position",
                    in),
        params, [&](const SqlRow& row) {
          by_id[row.Int(0)]->status_changes.push_back({row.Text(1), DateOf(row, 2), row.Text(3)});
        }));
    FUPIN_TRY(conn.Run(fmt::format("SELECT workshop_id, kind, amount_fen, on_date, note FROM "
                                   "workshop_support WHERE workshop_id IN ({}) ORDER BY "
                                   "workshop_id, position",
                                   in),
                       params, [&](const SqlRow& row) {
                         by_id[row.Int(0)]->support.push_back(
                             {row.Text(1), row.Int(2), DateOf(row, 3), row.Text(4)});
                       }));
  }
  return {};
}

Result<std::optional<Workshop>> Load(SqlConnection& conn, int64_t id,
                                     const std::vector<std::string>& scope) {
  std::vector<SqlValue> params{id};
  auto in_scope = ScopeCondition(scope, "w.region_code", params);
  if (!in_scope) return std::unexpected(in_scope.error());
  std::vector<Workshop> found;
  FUPIN_TRY(conn.Run(
      fmt::format("SELECT {} FROM workshops w WHERE w.id = ? AND {}", kWorkshopColumns, *in_scope),
      params, [&](const SqlRow& row) { found.push_back(ReadWorkshop(row)); }));
  if (found.empty()) return std::optional<Workshop>();
  FUPIN_TRY(LoadChildren(conn, found));
  return std::optional<Workshop>(std::move(found.front()));
}

std::string Money(int64_t fen) { return std::to_string(fen); }

std::vector<audit::Field> AuditFields(const Workshop& w) {
  std::vector<audit::Field> f = {
      {"name", w.name, false},
      {"operator_id", std::to_string(w.operator_id), false},
      {"type", w.type, false},
      {"region", w.region_code, false},
      {"industry", w.industry, false},
      {"products", w.products, false},
      {"site_area_m2", w.site_area_m2 ? fmt::format("{}", *w.site_area_m2) : "", false},
      {"investment_fen", Money(w.investment_fen), false},
      {"capacity_jobs", std::to_string(w.capacity_jobs), false},
      {"location", w.longitude && w.latitude ? fmt::format("{},{}", *w.longitude, *w.latitude) : "",
       false},
  };
  std::string text;
  for (const auto& r : w.recognitions) {
    text +=
        fmt::format("{}{} {} {}", text.empty() ? "" : "; ", r.status, r.on.ToString(), r.document);
  }
  f.push_back({"recognitions", text, false});
  text.clear();
  for (const auto& s : w.status_changes) {
    text += fmt::format("{}{} {}", text.empty() ? "" : "; ", s.status, s.on.ToString());
  }
  f.push_back({"status_changes", text, false});
  text.clear();
  for (const auto& s : w.support) {
    text += fmt::format("{}{} {} {}", text.empty() ? "" : "; ", s.kind, Money(s.amount_fen),
                        s.on.ToString());
  }
  f.push_back({"support", text, false});
  return f;
}

constexpr std::string_view kEmploymentColumns =
    "e.id, e.workshop_id, e.member_id, m.id_number, e.category, e.start_on, e.end_on, "
    "e.wage_form, e.contract, e.position_title, e.overlap_accepted, e.version";

Employment ReadEmployment(const SqlRow& row) {
  Employment e;
  e.id = row.Int(0);
  e.workshop_id = row.Int(1);
  e.member_id = row.Int(2);
  e.person_key = row.Text(3);
  e.category = row.Text(4);
  e.start = DateOf(row, 5);
  e.end = OptDate(row, 6);
  e.wage_form = row.Text(7);
  e.contract = row.Int(8) != 0;
  e.position = row.Text(9);
  e.overlap_accepted = row.Int(10) != 0;
  e.version = row.Int(11);
  return e;
}

template <typename T>
Result<std::vector<Employment>> EmploymentsWhere(SqlConnection& conn, std::string_view column,
                                                 std::span<const T> keys) {
  std::vector<Employment> out;
  for (size_t first = 0; first < keys.size(); first += kChunk) {
    const size_t n = std::min(kChunk, keys.size() - first);
    std::vector<SqlValue> params;
    for (size_t i = 0; i < n; ++i) params.emplace_back(keys[first + i]);
    FUPIN_TRY(conn.Run(fmt::format("SELECT {} FROM workshop_employments e JOIN members m ON m.id "
                                   "= e.member_id WHERE {} IN ({}) ORDER BY e.start_on, e.id",
                                   kEmploymentColumns, column, Placeholders(n)),
                       params, [&](const SqlRow& row) { out.push_back(ReadEmployment(row)); }));
  }
  std::sort(out.begin(), out.end(), [](const Employment& a, const Employment& b) {
    return std::tie(a.start, a.id) < std::tie(b.start, b.id);
  });
  return out;
}

// Adds one to the 'workshops' change counter in the caller's transaction. The row is created
// by the first write (no migration needed: a reader takes a missing row as 0).
Status BumpWorkshopCounter(SqlConnection& conn) {
  FUPIN_TRY(conn.Run(
      "INSERT INTO change_counters (name, value) VALUES ('workshops', 1) ON CONFLICT (name) DO "
      "UPDATE SET value = change_counters.value + 1",
      {}, nullptr));
  return {};
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ",") + s;
  return out;
}

}  // namespace

Result<workshops::WorkshopPage> SqlWorkshopRepository::ListWorkshops(
    const workshops::WorkshopQuery& query) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  std::vector<SqlValue> params;
  auto in_scope = ScopeCondition(query.scope, "w.region_code", params);
  if (!in_scope) return std::unexpected(in_scope.error());
  std::string where = *in_scope;
  if (!query.operators.empty()) {
    std::string ids;
    for (int64_t op : query.operators) {
      ids += ids.empty() ? "?" : ", ?";
      params.emplace_back(op);
    }
    where = fmt::format("({} OR w.operator_id IN ({}))", where, ids);
  }
  if (query.operator_id > 0) {
    where += " AND w.operator_id = ?";
    params.emplace_back(query.operator_id);
  }
  if (!query.within.empty()) {
    std::vector<std::string> within{query.within};
    auto sub = ScopeCondition(within, "w.region_code", params);
    if (!sub) return std::unexpected(sub.error());
    where += " AND " + *sub;
  }
  if (!query.type.empty()) {
    where += " AND w.type = ?";
    params.emplace_back(query.type);
  }
  if (!query.text.empty()) {
    where += " AND w.name LIKE ?";
    params.emplace_back("%" + query.text + "%");
  }
  workshops::WorkshopPage page;
  FUPIN_TRY((*conn)->Run(fmt::format("SELECT count(*) FROM workshops w WHERE {}", where), params,
                         [&](const SqlRow& row) { page.total = row.Int(0); }));
  std::string tail = " ORDER BY w.name, w.id";
  if (query.limit > 0) {
    tail += " LIMIT ? OFFSET ?";
    params.emplace_back(query.limit);
    params.emplace_back(query.offset);
  }
  FUPIN_TRY((*conn)->Run(
      fmt::format("SELECT {} FROM workshops w WHERE {}{}", kWorkshopColumns, where, tail), params,
      [&](const SqlRow& row) { page.items.push_back(ReadWorkshop(row)); }));
  FUPIN_TRY(LoadChildren(**conn, page.items));
  return page;
}

Result<std::optional<Workshop>> SqlWorkshopRepository::FindWorkshop(
    int64_t id, const std::vector<std::string>& scope) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  return Load(**conn, id, scope);
}

Result<std::optional<std::string>> SqlWorkshopRepository::WorkshopRegion(int64_t id) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  std::optional<std::string> region;
  const SqlValue params[] = {id};
  FUPIN_TRY((*conn)->Run("SELECT region_code FROM workshops WHERE id = ?", params,
                         [&](const SqlRow& row) { region = row.Text(0); }));
  return region;
}

Result<Workshop> SqlWorkshopRepository::SaveWorkshop(const Workshop& w, const audit::Actor& actor) {
  return InTransaction<Workshop>(pool_, [&](SqlConnection& conn) -> Result<Workshop> {
    bool operator_found = false;
    const SqlValue op[] = {w.operator_id};
    FUPIN_TRY(conn.Run("SELECT 1 FROM organizations WHERE id = ?", op,
                       [&](const SqlRow&) { operator_found = true; }));
    if (!operator_found) {
      return InvalidArgument(
          fmt::format("no organization with id {}", w.operator_id),
          {{0, "operator_id", std::to_string(w.operator_id), "is not an organization"}});
    }
    const std::string now = Now();
    std::optional<Workshop> before;
    int64_t id = w.id;
    std::vector<SqlValue> values = {w.name,
                                    w.operator_id,
                                    w.type,
                                    w.region_code,
                                    w.industry,
                                    w.products,
                                    Opt(w.site_area_m2),
                                    w.investment_fen,
                                    static_cast<int64_t>(w.capacity_jobs),
                                    Opt(w.longitude),
                                    Opt(w.latitude),
                                    now};
    if (id == 0) {
      values.emplace_back(now);
      FUPIN_TRY(conn.Run(
          "INSERT INTO workshops (name, operator_id, type, region_code, industry, products, "
          "site_area_m2, investment_fen, capacity_jobs, longitude, latitude, updated_at, "
          "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
          values, [&](const SqlRow& row) { id = row.Int(0); }));
    } else {
      auto stored = Load(conn, id, {""});
      if (!stored) return std::unexpected(stored.error());
      if (!*stored) return NotFound(fmt::format("no workshop with id {}", id));
      if ((*stored)->version != w.version) {
        return Conflict(fmt::format("workshop {} was changed by someone else: you edited version "
                                    "{}, the current version is {}",
                                    id, w.version, (*stored)->version),
                        (*stored)->version);
      }
      before = std::move(*stored);
      values.emplace_back(id);
      FUPIN_TRY(conn.Run(
          "UPDATE workshops SET name = ?, operator_id = ?, type = ?, region_code = ?, "
          "industry = ?, products = ?, site_area_m2 = ?, investment_fen = ?, capacity_jobs = ?, "
          "longitude = ?, latitude = ?, updated_at = ?, version = version + 1 WHERE id = ?",
          values, [](const SqlRow&) {}));
      for (const char* table :
           {"workshop_recognitions", "workshop_status_changes", "workshop_support"}) {
        FUPIN_TRY(Execute(conn, fmt::format("DELETE FROM {} WHERE workshop_id = ?", table), {id}));
      }
    }
    for (size_t i = 0; i < w.recognitions.size(); ++i) {
      const auto& r = w.recognitions[i];
      FUPIN_TRY(Execute(conn,
                        "INSERT INTO workshop_recognitions (workshop_id, position, status, "
                        "on_date, document) VALUES (?, ?, ?, ?, ?)",
                        {id, static_cast<int64_t>(i), r.status, r.on.ToString(), r.document}));
    }
    for (size_t i = 0; i < w.status_changes.size(); ++i) {
      const auto& s = w.status_changes[i];
      FUPIN_TRY(Execute(conn,
                        "INSERT INTO workshop_status_changes (workshop_id, position, status, "
                        "on_date, note) VALUES (?, ?, ?, ?, ?)",
                        {id, static_cast<int64_t>(i), s.status, s.on.ToString(), s.note}));
    }
    for (size_t i = 0; i < w.support.size(); ++i) {
      const auto& s = w.support[i];
      FUPIN_TRY(
          Execute(conn,
                  "INSERT INTO workshop_support (workshop_id, position, kind, amount_fen, "
                  "on_date, note) VALUES (?, ?, ?, ?, ?, ?)",
                  {id, static_cast<int64_t>(i), s.kind, s.amount_fen, s.on.ToString(), s.note}));
    }
    auto after = Load(conn, id, {""});
    if (!after) return std::unexpected(after.error());
    audit::Entry entry;
    entry.actor = actor;
    entry.action = before ? "update" : "create";
    entry.entity = "workshop";
    entry.entity_id = std::to_string(id);
    entry.region_code = w.region_code;
    entry.changes = audit::Diff(before ? AuditFields(*before) : std::vector<audit::Field>{},
                                AuditFields(**after), "");
    FUPIN_TRY(BumpWorkshopCounter(conn));
    FUPIN_TRY(AppendAudit(conn, std::move(entry)));
    return **after;
  });
}

Result<std::vector<Employment>> SqlWorkshopRepository::EmploymentsOfWorkshops(
    std::span<const int64_t> workshop_ids) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  return EmploymentsWhere(**conn, "e.workshop_id", workshop_ids);
}

Result<std::vector<Employment>> SqlWorkshopRepository::EmploymentsOfPeople(
    std::span<const std::string> id_numbers) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  return EmploymentsWhere(**conn, "m.id_number", id_numbers);
}

Result<Employment> SqlWorkshopRepository::SaveEmployment(const Employment& e,
                                                         const audit::Actor& actor) {
  return InTransaction<Employment>(pool_, [&](SqlConnection& conn) -> Result<Employment> {
    std::optional<std::string> region;
    const SqlValue ws[] = {e.workshop_id};
    FUPIN_TRY(conn.Run("SELECT region_code FROM workshops WHERE id = ?", ws,
                       [&](const SqlRow& row) { region = row.Text(0); }));
    if (!region) return NotFound(fmt::format("no workshop with id {}", e.workshop_id));
    bool member = false;
    const SqlValue mid[] = {e.member_id};
    FUPIN_TRY(
        conn.Run("SELECT 1 FROM members WHERE id = ?", mid, [&](const SqlRow&) { member = true; }));
    if (!member) {
      return MakeError(
          ErrorCode::kNotFound, fmt::format("no member with id {}", e.member_id),
          {{0, "member_id", std::to_string(e.member_id), "is not a registered member"}});
    }
    int64_t id = e.id;
    std::string action = "create";
    if (id == 0) {
      FUPIN_TRY(conn.Run(
          "INSERT INTO workshop_employments (workshop_id, member_id, category, start_on, end_on, "
          "wage_form, contract, position_title, overlap_accepted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
          "?) RETURNING id",
          std::vector<SqlValue>{e.workshop_id, e.member_id, e.category, e.start.ToString(),
                                Opt(e.end), e.wage_form, static_cast<int64_t>(e.contract),
                                e.position, static_cast<int64_t>(e.overlap_accepted)},
          [&](const SqlRow& row) { id = row.Int(0); }));
    } else {
      action = "update";
      auto changed = Execute(
          conn,
          "UPDATE workshop_employments SET category = ?, start_on = ?, end_on = ?, wage_form = "
          "?, contract = ?, position_title = ?, overlap_accepted = ?, version = version + 1 "
          "WHERE id = ? AND workshop_id = ? AND version = ?",
          {e.category, e.start.ToString(), Opt(e.end), e.wage_form,
           static_cast<int64_t>(e.contract), e.position, static_cast<int64_t>(e.overlap_accepted),
           id, e.workshop_id, e.version});
      if (!changed) return std::unexpected(changed.error());
      if (*changed == 0) {
        std::optional<int64_t> current;
        const SqlValue key[] = {id, e.workshop_id};
        FUPIN_TRY(
            conn.Run("SELECT version FROM workshop_employments WHERE id = ? AND workshop_id = ?",
                     key, [&](const SqlRow& row) { current = row.Int(0); }));
        if (!current) return NotFound(fmt::format("no employment with id {}", id));
        return Conflict(fmt::format("employment {} was changed by someone else: you edited "
                                    "version {}, the current version is {}",
                                    id, e.version, *current),
                        *current);
      }
    }
    std::vector<Employment> stored;
    const SqlValue key[] = {id};
    FUPIN_TRY(conn.Run(fmt::format("SELECT {} FROM workshop_employments e JOIN members m ON m.id "
                                   "= e.member_id WHERE e.id = ?",
                                   kEmploymentColumns),
                       key, [&](const SqlRow& row) { stored.push_back(ReadEmployment(row)); }));
    audit::Entry entry;
    entry.actor = actor;
    entry.action = action;
    entry.entity = "workshop_employment";
    entry.entity_id = std::to_string(id);
    entry.region_code = *region;
    entry.note = fmt::format("workshop {}, member {}, {} from {} to {}", e.workshop_id, e.member_id,
                             e.category, e.start.ToString(), e.end ? e.end->ToString() : "now");
    FUPIN_TRY(BumpWorkshopCounter(conn));
    FUPIN_TRY(AppendAudit(conn, std::move(entry)));
    return stored.at(0);
  });
}

Result<std::vector<workshops::MemberRegistryFacts>> SqlWorkshopRepository::RegistryFactsOfMembers(
    std::span<const int64_t> member_ids, int income_year) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  std::vector<workshops::MemberRegistryFacts> out;
  for (size_t first = 0; first < member_ids.size(); first += kChunk) {
    const size_t n = std::min(kChunk, member_ids.size() - first);
    std::vector<SqlValue> params = {int64_t{income_year}};
    for (size_t i = 0; i < n; ++i) params.emplace_back(member_ids[first + i]);
    FUPIN_TRY((*conn)->Run(
        fmt::format("SELECT m.id, m.household_id, m.labour, m.birth_date, i.wages + i.business + "
                    "i.property + i.transfer FROM members m LEFT JOIN incomes i ON i.household_id "
                    "= m.household_id AND i.year = ? WHERE m.id IN ({})",
                    Placeholders(n)),
        params, [&](const SqlRow& row) {
          workshops::MemberRegistryFacts f;
          f.member_id = row.Int(0);
          f.household_id = row.Int(1);
          f.labour = row.IsNull(2) ? "" : row.Text(2);
          if (!row.IsNull(3)) {
            if (auto d = ParseDate(row.Text(3))) f.birth_date = *d;
          }
          if (!row.IsNull(4)) f.household_gross_income = row.Double(4);
          out.push_back(std::move(f));
        }));
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.member_id < b.member_id; });
  return out;
}

Result<int64_t> SqlWorkshopRepository::Generation() {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  int64_t value = 0;
  FUPIN_TRY((*conn)->Run("SELECT value FROM change_counters WHERE name = 'workshops'", {},
                         [&](const SqlRow& row) { value = row.Int(0); }));
  return value;
}

Result<MonthlyReport> SqlWorkshopRepository::SubmitReport(const MonthlyReport& r,
                                                          const audit::Actor& actor) {
  return InTransaction<MonthlyReport>(pool_, [&](SqlConnection& conn) -> Result<MonthlyReport> {
    std::optional<std::string> region;
    const SqlValue ws[] = {r.workshop_id};
    FUPIN_TRY(conn.Run("SELECT region_code FROM workshops WHERE id = ?", ws,
                       [&](const SqlRow& row) { region = row.Text(0); }));
    if (!region) return NotFound(fmt::format("no workshop with id {}", r.workshop_id));
    const int64_t month = int64_t{r.year} * 12 + r.month - 1;
    int64_t revision = 1;
    const SqlValue key[] = {r.workshop_id, month};
    FUPIN_TRY(conn.Run(
        "SELECT coalesce(max(revision), 0) + 1 FROM workshop_reports WHERE workshop_id = ? AND "
        "month = ?",
        key, [&](const SqlRow& row) { revision = row.Int(0); }));
    MonthlyReport out = r;
    out.revision = static_cast<int>(revision);
    out.submitted_by = actor.name;
    // Historical data (the demo's) brings its own stamp; everything else is stamped now.
    if (out.submitted_at.empty()) out.submitted_at = Now();
    FUPIN_TRY(conn.Run(
        "INSERT INTO workshop_reports (workshop_id, month, revision, status, days_operated, "
        "headcount, poor_headcount, wages_fen, poor_wages_fen, output_fen, sales_fen, problems, "
        "remarks, submitted_by, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?) RETURNING id",
        std::vector<SqlValue>{
            r.workshop_id, month, revision, r.status, static_cast<int64_t>(r.days_operated),
            static_cast<int64_t>(r.headcount), static_cast<int64_t>(r.poor_headcount), r.wages_fen,
            r.poor_wages_fen, r.output_fen, r.sales_fen, Join(r.problems), r.remarks,
            out.submitted_by, out.submitted_at},
        [&](const SqlRow& row) { out.id = row.Int(0); }));
    audit::Entry entry;
    entry.actor = actor;
    entry.action = revision == 1 ? "report" : "correct";
    entry.entity = "workshop";
    entry.entity_id = std::to_string(r.workshop_id);
    entry.region_code = *region;
    entry.note = fmt::format(
        "monthly report {:04}-{:02} revision {}: {} days, {} workers ({} "
        "registered poor), wages {} fen",
        r.year, r.month, revision, r.days_operated, r.headcount, r.poor_headcount, r.wages_fen);
    FUPIN_TRY(BumpWorkshopCounter(conn));
    FUPIN_TRY(AppendAudit(conn, std::move(entry)));
    return out;
  });
}

Result<std::vector<MonthlyReport>> SqlWorkshopRepository::ListReports(
    std::span<const int64_t> workshop_ids, int first_month, int last_month) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  std::vector<MonthlyReport> out;
  for (size_t first = 0; first < workshop_ids.size(); first += kChunk) {
    const size_t n = std::min(kChunk, workshop_ids.size() - first);
    std::vector<SqlValue> params;
    for (size_t i = 0; i < n; ++i) params.emplace_back(workshop_ids[first + i]);
    params.emplace_back(int64_t{first_month});
    params.emplace_back(int64_t{last_month});
    FUPIN_TRY((*conn)->Run(
        fmt::format("SELECT id, workshop_id, month, revision, status, days_operated, headcount, "
                    "poor_headcount, wages_fen, poor_wages_fen, output_fen, sales_fen, problems, "
                    "remarks, submitted_by, submitted_at FROM workshop_reports WHERE workshop_id "
                    "IN ({}) AND month BETWEEN ? AND ? ORDER BY workshop_id, month, revision",
                    Placeholders(n)),
        params, [&](const SqlRow& row) {
          MonthlyReport r;
          r.id = row.Int(0);
          r.workshop_id = row.Int(1);
          const int64_t month = row.Int(2);
          r.year = static_cast<int>(month / 12);
          r.month = static_cast<int>(month % 12) + 1;
          r.revision = static_cast<int>(row.Int(3));
          r.status = row.Text(4);
          r.days_operated = static_cast<int>(row.Int(5));
          r.headcount = static_cast<int>(row.Int(6));
          r.poor_headcount = static_cast<int>(row.Int(7));
          r.wages_fen = row.Int(8);
          r.poor_wages_fen = row.Int(9);
          r.output_fen = row.Int(10);
          r.sales_fen = row.Int(11);
          for (const std::string& p : Split(row.Text(12), ',')) {
            if (!Trim(p).empty()) r.problems.emplace_back(Trim(p));
          }
          r.remarks = row.Text(13);
          r.submitted_by = row.Text(14);
          r.submitted_at = row.Text(15);
          out.push_back(std::move(r));
        }));
  }
  return out;
}

namespace {

constexpr std::string_view kStandardColumns =
    "province_code, year, idle_days, idle_months, min_poor_share, min_poor_workers, "
    "poor_wage_floor_fen, note, updated_by, updated_at";

workshops::AlertStandard ReadStandard(const SqlRow& row) {
  workshops::AlertStandard s;
  s.province_code = row.Text(0);
  s.year = static_cast<int>(row.Int(1));
  s.options.idle.min_days = static_cast<int>(row.Int(2));
  s.options.idle.months = static_cast<int>(row.Int(3));
  s.options.min_poor_share = row.Double(4);
  s.options.min_poor_workers = static_cast<int>(row.Int(5));
  s.options.poor_wage_floor_fen = row.Int(6);
  s.note = row.Text(7);
  s.updated_by = row.Text(8);
  s.updated_at = row.Text(9);
  return s;
}

std::vector<audit::Field> StandardFields(const workshops::AlertStandard& s) {
  const workshops::AlertOptions& o = s.options;
  return {{"idle_days", std::to_string(o.idle.min_days), false},
          {"idle_months", std::to_string(o.idle.months), false},
          {"min_poor_share", fmt::format("{}", o.min_poor_share), false},
          {"min_poor_workers", std::to_string(o.min_poor_workers), false},
          {"poor_wage_floor_fen", std::to_string(o.poor_wage_floor_fen), false},
          {"note", s.note, false}};
}

}  // namespace

Result<std::vector<workshops::AlertStandard>> SqlWorkshopRepository::ListAlertStandards() {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  std::vector<workshops::AlertStandard> out;
  FUPIN_TRY((*conn)->Run(fmt::format("SELECT {} FROM workshop_standards ORDER BY province_code "
                                     "COLLATE \"C\", year",
                                     kStandardColumns),
                         {}, [&](const SqlRow& row) { out.push_back(ReadStandard(row)); }));
  return out;
}

Result<workshops::AlertStandard> SqlWorkshopRepository::SaveAlertStandard(
    const workshops::AlertStandard& s, const audit::Actor& actor) {
  using workshops::AlertStandard;
  return InTransaction<AlertStandard>(pool_, [&](SqlConnection& conn) -> Result<AlertStandard> {
    std::optional<AlertStandard> before;
    const SqlValue key[] = {s.province_code, static_cast<int64_t>(s.year)};
    FUPIN_TRY(conn.Run(fmt::format("SELECT {} FROM workshop_standards WHERE province_code = ? "
                                   "AND year = ?",
                                   kStandardColumns),
                       key, [&](const SqlRow& row) { before = ReadStandard(row); }));
    AlertStandard saved = s;
    saved.options.standard.clear();
    saved.updated_by = actor.name;
    saved.updated_at = Now();
    const auto& o = saved.options;
    FUPIN_TRY(Execute(
        conn,
        "INSERT INTO workshop_standards (province_code, year, idle_days, idle_months, "
        "min_poor_share, min_poor_workers, poor_wage_floor_fen, note, updated_by, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (province_code, year) DO UPDATE SET "
        "idle_days = excluded.idle_days, idle_months = excluded.idle_months, min_poor_share = "
        "excluded.min_poor_share, min_poor_workers = excluded.min_poor_workers, "
        "poor_wage_floor_fen = excluded.poor_wage_floor_fen, note = excluded.note, updated_by = "
        "excluded.updated_by, updated_at = excluded.updated_at",
        {saved.province_code, static_cast<int64_t>(saved.year),
         static_cast<int64_t>(o.idle.min_days), static_cast<int64_t>(o.idle.months),
         o.min_poor_share, static_cast<int64_t>(o.min_poor_workers), o.poor_wage_floor_fen,
         saved.note, saved.updated_by, saved.updated_at}));
    audit::Entry entry;
    entry.actor = actor;
    entry.action = before ? "update" : "create";
    entry.entity = "workshop_standard";
    entry.entity_id =
        fmt::format("{}/{}", s.province_code.empty() ? "national" : s.province_code, s.year);
    entry.region_code = s.province_code;
    entry.changes = audit::Diff(before ? StandardFields(*before) : std::vector<audit::Field>{},
                                StandardFields(saved), "");
    FUPIN_TRY(AppendAudit(conn, std::move(entry)));
    return saved;
  });
}

}  // namespace fupin::storage
