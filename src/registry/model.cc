#include "registry/model.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "base/text.h"
#include "registry/id_number.h"
#include "registry/vocabulary.h"

namespace fupin::registry {

std::optional<double> PerCapitaNetIncome(const Income& income, const std::vector<Member>& members) {
  const Date year_end{income.year, 12, 31};
  const auto count = std::count_if(members.begin(), members.end(),
                                   [&](const Member& m) { return m.MemberOn(year_end); });
  if (count == 0) return std::nullopt;
  return income.Net() / static_cast<double>(count);
}

std::string StatusOn(const std::vector<StatusEvent>& events, const Date& day) {
  std::string status;
  for (const StatusEvent& e : events) {
    if (e.on > day) break;
    status = e.status;
  }
  return status;
}

namespace {

auto HouseholdContent(const Household& h) {
  return std::tie(h.number, h.region_code, h.attribute, h.main_cause, h.secondary_cause, h.phone,
                  h.bank_account, h.housing_safe, h.housing_area, h.water_safe,
                  h.market_distance_km, h.year_identified, h.reported_size);
}
auto MemberContent(const Member& m) {
  return std::tie(m.name, m.id_number, m.relation, m.sex, m.birth_date, m.ethnicity, m.education,
                  m.in_school, m.health, m.labour, m.migrant_months, m.dibao, m.medical_insurance,
                  m.pension, m.joined_on, m.left_on, m.left_reason);
}
auto EventContent(const StatusEvent& e) { return std::tie(e.status, e.on, e.year, e.reason); }
auto IncomeContent(const Income& i) {
  return std::tie(i.year, i.wages, i.business, i.property, i.transfer, i.costs, i.reported_gross,
                  i.reported_net);
}
auto GuaranteeContent(const Guarantee& g) { return std::tie(g.item, g.met, g.verified_on); }
auto MeasureContent(const AssistanceMeasure& m) {
  return std::tie(m.kind, m.amount, m.start_on, m.end_on, m.note);
}
auto HelperContent(const HelperAssignment& a) {
  return std::tie(a.since, a.name, a.unit, a.phone, a.until, a.level);
}

// Helpers have no order of their own (storage returns them sorted).
std::vector<HelperAssignment> SortedHelpers(std::vector<HelperAssignment> helpers) {
  std::sort(helpers.begin(), helpers.end(),
            [](const HelperAssignment& x, const HelperAssignment& y) {
              return HelperContent(x) < HelperContent(y);
            });
  return helpers;
}

template <typename T, typename F>
bool SameList(const std::vector<T>& a, const std::vector<T>& b, F content) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [&](const T& x, const T& y) { return content(x) == content(y); });
}

// Where a problem lies: a field of the household ("phone") or of a list element
// ("members[2].relation"). ValidateRecord runs on every record of a large import, so the name
// is spelled out only when a problem is reported.
struct At {
  std::string_view list;  // "members", "events", …; "" for the household's own fields
  int64_t index = 0;      // 1-based position (incomes: the year)
  std::string Name(std::string_view field) const {
    if (list.empty()) return std::string(field);
    return fmt::format("{}[{}].{}", list, index, field);
  }
};

class Problems {
 public:
  void Add(std::string field, std::string value, std::string reason) {
    out_.push_back({0, std::move(field), std::move(value), std::move(reason)});
  }
  void Add(const At& at, std::string_view field, std::string value, std::string reason) {
    Add(at.Name(field), std::move(value), std::move(reason));
  }
  // A required code of `vocabulary` (or optional when `required` is false).
  void Code(const At& at, std::string_view field, const std::string& value,
            const Vocabulary& vocabulary, bool required) {
    if (value.empty()) {
      if (required) Add(at, field, value, "is required");
      return;
    }
    if (!vocabulary.Contains(value)) {
      Add(at, field, value, "is not one of: " + vocabulary.Allowed());
    }
  }
  std::vector<ErrorDetail> Take() { return std::move(out_); }

 private:
  std::vector<ErrorDetail> out_;
};

bool IsValidPhone(std::string_view phone) {
  return phone.size() == 11 && IsAsciiDigits(phone) && phone[0] == '1';
}

}  // namespace

HouseholdRecord RecordAsOf(const HouseholdRecord& record, const Date& day) {
  HouseholdRecord out;
  out.household = record.household;
  for (const Member& m : record.members) {
    if (m.MemberOn(day)) out.members.push_back(m);
  }
  for (const StatusEvent& e : record.events) {
    if (e.on <= day) out.events.push_back(e);
  }
  for (const Income& i : record.incomes) {
    if (Date{i.year, 12, 31} <= day) out.incomes.push_back(i);
  }
  for (const Guarantee& g : record.guarantees) {
    if (!g.verified_on || *g.verified_on <= day) out.guarantees.push_back(g);
  }
  for (const AssistanceMeasure& m : record.measures) {
    if (!m.start_on || *m.start_on <= day) out.measures.push_back(m);
  }
  for (const HelperAssignment& a : record.helpers) {
    if (a.PairedOn(day)) out.helpers.push_back(a);
  }
  for (const MemberEvent& e : record.member_events) {
    if (e.on <= day) out.member_events.push_back(e);
  }
  out.household.status = StatusOn(out.events, day);
  out.household.lifted_year.reset();
  for (const StatusEvent& e : out.events) {
    if (e.status == "lifted") out.household.lifted_year = e.year;
  }
  return out;
}

bool SameContent(const HouseholdRecord& a, const HouseholdRecord& b) {
  return HouseholdContent(a.household) == HouseholdContent(b.household) &&
         SameList(a.members, b.members, MemberContent) &&
         SameList(a.events, b.events, EventContent) &&
         SameList(a.incomes, b.incomes, IncomeContent) &&
         SameList(a.guarantees, b.guarantees, GuaranteeContent) &&
         SameList(a.measures, b.measures, MeasureContent) &&
         SameList(SortedHelpers(a.helpers), SortedHelpers(b.helpers), HelperContent);
}

std::vector<ErrorDetail> ValidateRecord(HouseholdRecord& record, const Date& today) {
  Problems p;
  Household& h = record.household;
  const At top;
  if (h.number.empty()) p.Add("number", "", "is required");
  if (h.region_code.empty()) p.Add("region", "", "is required");
  p.Code(top, "attribute", h.attribute, Attributes(), false);
  p.Code(top, "main_cause", h.main_cause, Causes(), false);
  p.Code(top, "secondary_cause", h.secondary_cause, Causes(), false);
  if (!h.phone.empty() && !IsValidPhone(h.phone)) {
    p.Add("phone", h.phone, "a mobile phone number has 11 digits starting with 1");
  }
  if (!h.bank_account.empty() && (h.bank_account.size() < 8 || h.bank_account.size() > 30 ||
                                  !std::all_of(h.bank_account.begin(), h.bank_account.end(),
                                               [](char c) { return c >= '0' && c <= '9'; }))) {
    p.Add("bank_account", h.bank_account, "a bank account number has 8 to 30 digits");
  }
  if (h.housing_area && (*h.housing_area < 0 || *h.housing_area > 10000)) {
    p.Add("housing_area", fmt::format("{}", *h.housing_area), "must be between 0 and 10000 m²");
  }
  if (h.market_distance_km && (*h.market_distance_km < 0 || *h.market_distance_km > 1000)) {
    p.Add("market_distance_km", fmt::format("{}", *h.market_distance_km),
          "must be between 0 and 1000 km");
  }
  if (h.reported_size && (*h.reported_size < 0 || *h.reported_size > 100)) {
    p.Add("reported_size", std::to_string(*h.reported_size), "must be from 0 to 100");
  }
  if (h.year_identified && (*h.year_identified < 1980 || *h.year_identified > today.year)) {
    p.Add("year_identified", std::to_string(*h.year_identified),
          fmt::format("must be a year from 1980 to {}", today.year));
  }

  int heads = 0;
  for (size_t i = 0; i < record.members.size(); ++i) {
    Member& m = record.members[i];
    const At at{"members", static_cast<int64_t>(i + 1)};
    if (m.name.empty()) p.Add(at, "name", "", "is required");
    p.Code(at, "relation", m.relation, Relations(), true);
    p.Code(at, "sex", m.sex, Sexes(), false);
    p.Code(at, "education", m.education, Educations(), false);
    p.Code(at, "health", m.health, HealthConditions(), false);
    p.Code(at, "labour", m.labour, LabourCapacities(), false);
    if (m.migrant_months && (*m.migrant_months < 0 || *m.migrant_months > 12)) {
      p.Add(at, "migrant_months", std::to_string(*m.migrant_months), "must be from 0 to 12");
    }
    if (m.joined_on && m.left_on && *m.left_on < *m.joined_on) {
      p.Add(at, "left_on", m.left_on->ToString(), "is before joined_on");
    }
    if (m.left_on) p.Code(at, "left_reason", m.left_reason, MemberEventKinds(), true);
    if (m.id_number.empty()) {
      p.Add(at, "id_number", "", "is required");
    } else if (auto info = CheckIdNumber(m.id_number, today); !info) {
      p.Add(at, "id_number", m.id_number, info.error().message);
    } else {
      // Stored as checked: trimmed, a final x upper-cased.
      const std::string_view trimmed = Trim(m.id_number);
      if (trimmed.size() != m.id_number.size()) m.id_number = std::string(trimmed);
      if (m.id_number.back() == 'x') m.id_number.back() = 'X';
      // A person may leave and rejoin (married out, then back), but not be a member twice at
      // once. Households are small: a scan of the members before.
      bool twice = false;
      for (size_t j = 0; j < i && !twice; ++j) {
        const Member& o = record.members[j];
        if (o.id_number != m.id_number) continue;
        const bool apart = (o.left_on && m.joined_on && *o.left_on <= *m.joined_on) ||
                           (m.left_on && o.joined_on && *m.left_on <= *o.joined_on);
        twice = !apart;
      }
      if (twice) p.Add(at, "id_number", m.id_number, "appears twice in this household");
      const char* derived_sex = info->male ? "male" : "female";
      if (m.sex.empty()) {
        m.sex = derived_sex;
      } else if (Sexes().Contains(m.sex) && m.sex != derived_sex) {
        p.Add(at, "sex", m.sex,
              fmt::format("conflicts with the ID number, which says {}", derived_sex));
      }
      if (!m.birth_date) {
        m.birth_date = info->birth_date;
      } else if (*m.birth_date != info->birth_date) {
        p.Add(at, "birth_date", m.birth_date->ToString(),
              fmt::format("conflicts with the ID number, which says {}",
                          info->birth_date.ToString()));
      }
    }
    if (m.relation == "head" && !m.left_on) ++heads;
  }
  const bool anyone_current = std::any_of(record.members.begin(), record.members.end(),
                                          [](const Member& m) { return !m.left_on; });
  if (anyone_current && heads != 1) {
    p.Add("members", "",
          heads == 0 ? "no current member is the head of household (户主)"
                     : fmt::format("{} current members are the head of household (户主); "
                                   "there must be exactly one",
                                   heads));
  }

  for (size_t i = 0; i < record.events.size(); ++i) {
    const StatusEvent& e = record.events[i];
    const At at{"events", static_cast<int64_t>(i + 1)};
    p.Code(at, "status", e.status, Statuses(), true);
    if (e.on > today) p.Add(at, "on", e.on.ToString(), "is in the future");
    if (i > 0 && e.on < record.events[i - 1].on) {
      p.Add(at, "on", e.on.ToString(), "is before the previous event");
    }
    if (e.status == "lifted" && !e.year) p.Add(at, "year", "", "lifting out needs its year");
    if (e.status == "cancelled" && e.reason.empty()) {
      p.Add(at, "reason", "", "a cancellation needs its reason");
    }
  }
  std::set<int> years;
  for (const Income& income : record.incomes) {
    const At at{"incomes", income.year};
    if (income.year < 1980 || income.year > today.year) {
      p.Add(at, "year", std::to_string(income.year),
            fmt::format("must be a year from 1980 to {}", today.year));
    }
    if (!years.insert(income.year).second)
      p.Add(at, "year", std::to_string(income.year), "appears twice");
    for (auto [name, value] : {std::pair{"wages", income.wages},
                               {"business", income.business},
                               {"property", income.property},
                               {"transfer", income.transfer},
                               {"costs", income.costs}}) {
      if (value < 0) p.Add(at, name, fmt::format("{}", value), "must not be negative");
    }
  }
  std::set<std::string> items;
  for (const Guarantee& g : record.guarantees) {
    p.Code(top, "guarantees." + g.item, g.item, GuaranteeItems(), true);
    if (!items.insert(g.item).second) p.Add("guarantees." + g.item, g.item, "appears twice");
  }
  for (size_t i = 0; i < record.measures.size(); ++i) {
    const AssistanceMeasure& m = record.measures[i];
    const At at{"measures", static_cast<int64_t>(i + 1)};
    p.Code(at, "kind", m.kind, MeasureKinds(), true);
    if (m.amount && *m.amount < 0) {
      p.Add(at, "amount", fmt::format("{}", *m.amount), "must not be negative");
    }
    if (m.start_on && m.end_on && *m.end_on < *m.start_on) {
      p.Add(at, "end_on", m.end_on->ToString(), "is before start_on");
    }
  }
  std::set<std::tuple<std::string, std::string, std::string>> helpers;
  for (size_t i = 0; i < record.helpers.size(); ++i) {
    const HelperAssignment& a = record.helpers[i];
    const At at{"helpers", static_cast<int64_t>(i + 1)};
    if (a.name.empty()) p.Add(at, "name", "", "is required");
    p.Code(at, "level", a.level, HelperLevels(), false);
    if (!a.phone.empty() && !IsValidPhone(a.phone)) {
      p.Add(at, "phone", a.phone, "a mobile phone number has 11 digits starting with 1");
    }
    if (a.since && a.until && *a.until < *a.since) {
      p.Add(at, "until", a.until->ToString(), "is before since");
    }
    // Storage keeps one pairing per helper and household.
    if (!helpers.insert({a.name, a.unit, a.phone}).second) {
      p.Add(at, "name", a.name, "this helper is listed twice");
    }
  }

  // Derived fields.
  h.status = record.events.empty() ? "" : record.events.back().status;
  h.lifted_year.reset();
  for (const StatusEvent& e : record.events) {
    if (e.status == "lifted") h.lifted_year = e.year;
  }
  return p.Take();
}

}  // namespace fupin::registry
