#include "workshops/subsidy.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "access/permissions.h"
#include "base/text.h"
#include "workshops/analysis.h"

namespace fupin::workshops {
namespace {

// A fact's value: a number, or a text (a code).
struct Value {
  bool numeric = false;
  double number = 0;
  std::string text;

  std::string Show() const {
    if (!numeric) return text.empty() ? "—" : text;
    if (number == std::floor(number) && std::abs(number) < 1e15) {
      return std::to_string(static_cast<int64_t>(number));
    }
    return fmt::format("{:.4g}", number);
  }
};

Value Number(double n) { return {true, n, ""}; }
Value Text(std::string t) { return {false, 0, std::move(t)}; }

std::optional<double> ParseNumber(std::string_view text) {
  text = Trim(text);
  if (text.empty()) return std::nullopt;
  double v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

std::string Join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : std::string(separator)) + item;
  return out;
}

const std::set<std::string_view> kOps = {"=", "!=", "<", "<=", ">", ">=", "in"};

bool Holds(const Value& actual, const Condition& c) {
  if (c.op == "in") {
    for (const std::string& item : Split(c.value, ',')) {
      const std::string_view want = Trim(item);
      if (actual.numeric) {
        if (auto n = ParseNumber(want); n && *n == actual.number) return true;
      } else if (want == actual.text) {
        return true;
      }
    }
    return false;
  }
  if (actual.numeric) {
    auto want = ParseNumber(c.value);
    if (!want) return false;
    const double a = actual.number;
    if (c.op == "=") return a == *want;
    if (c.op == "!=") return a != *want;
    if (c.op == "<") return a < *want;
    if (c.op == "<=") return a <= *want;
    if (c.op == ">") return a > *want;
    if (c.op == ">=") return a >= *want;
    return false;
  }
  if (c.op == "=") return actual.text == Trim(c.value);
  if (c.op == "!=") return actual.text != Trim(c.value);
  return false;  // ordering a code means nothing
}

std::string Yuan(int64_t fen) {
  return fmt::format("{}{}.{:02}", fen < 0 ? "-" : "", std::llabs(fen) / 100,
                     std::llabs(fen) % 100);
}

int AgeOn(const Date& birth, const Date& day) {
  int age = day.year - birth.year;
  if (day.month < birth.month || (day.month == birth.month && day.day < birth.day)) --age;
  return age;
}

bool IsNumericFact(std::string_view fact) {
  static const std::set<std::string_view> kText = {"category", "labour", "type"};
  return !kText.contains(fact);
}

// Computes the amount of a qualifying unit; "" formula and 0 when no band applies.
std::pair<int64_t, std::string> Amount(const SubsidyRule& rule,
                                       const std::map<std::string, Value>& facts) {
  int64_t amount = 0;
  std::string formula;
  if (!rule.bands.empty()) {
    const Value& v = facts.at(rule.amount_fact);
    for (const AmountBand& b : rule.bands) {
      if (v.number >= b.min && (!b.max || v.number <= *b.max)) {
        amount = b.amount_fen;
        formula =
            fmt::format("{} = {} in [{}, {}]: {}", rule.amount_fact, v.Show(), Number(b.min).Show(),
                        b.max ? Number(*b.max).Show() : "∞", Yuan(amount));
        break;
      }
    }
    if (formula.empty()) {
      return {0, fmt::format("{} = {}: no band applies", rule.amount_fact, v.Show())};
    }
  } else if (!rule.amount_fact.empty()) {
    const Value& v = facts.at(rule.amount_fact);
    amount = std::llround(static_cast<double>(rule.amount_fen) * v.number);
    formula = fmt::format("{} × {} ({}) = {}", Yuan(rule.amount_fen), v.Show(), rule.amount_fact,
                          Yuan(amount));
  } else {
    amount = rule.amount_fen;
    formula = Yuan(amount);
  }
  if (rule.cap_fen && amount > *rule.cap_fen) {
    amount = *rule.cap_fen;
    formula += fmt::format(", capped at {}", Yuan(amount));
  }
  return {amount, formula};
}

SubsidyResult Judge(const SubsidyRule& rule, const std::map<std::string, Value>& facts) {
  SubsidyResult r;
  r.eligible = true;
  for (const Condition& c : rule.conditions) {
    SubsidyResult::Check check{c, facts.at(c.fact).Show(), Holds(facts.at(c.fact), c)};
    r.eligible = r.eligible && check.passed;
    r.checks.push_back(std::move(check));
  }
  if (r.eligible) {
    auto [amount, formula] = Amount(rule, facts);
    r.amount_fen = amount;
    r.amount_formula = std::move(formula);
    if (!rule.bands.empty() && amount == 0 &&
        r.amount_formula.find("no band") != std::string::npos) {
      r.eligible = false;
    }
  }
  return r;
}

}  // namespace

const std::vector<std::string>& WorkerFacts() {
  static const std::vector<std::string> kFacts = {
      "category", "days_employed", "days_employed_here", "employment_year", "age",
      "labour",   "contract"};
  return kFacts;
}

const std::vector<std::string>& WorkshopFacts() {
  static const std::vector<std::string> kFacts = {
      "type",    "recognized", "recognized_in_window", "poor_workers",
      "workers", "poor_share", "days_operated",        "capacity_jobs"};
  return kFacts;
}

std::vector<ErrorDetail> ValidateRule(const SubsidyRule& rule) {
  std::vector<ErrorDetail> p;
  auto add = [&](std::string field, std::string value, std::string reason) {
    p.push_back({0, std::move(field), std::move(value), std::move(reason)});
  };
  if (rule.code.empty()) add("code", "", "is required");
  if (rule.name.empty()) add("name", "", "is required");
  if (rule.region_code.empty()) add("region", "", "is required");
  if (rule.valid_to < rule.valid_from)
    add("valid_to", rule.valid_to.ToString(), "is before valid_from");
  const std::vector<std::string>* facts = nullptr;
  if (rule.unit == "worker") {
    facts = &WorkerFacts();
  } else if (rule.unit == "workshop") {
    facts = &WorkshopFacts();
  } else {
    add("unit", rule.unit, "must be worker or workshop");
  }
  auto known = [&](const std::string& fact) {
    return facts && std::find(facts->begin(), facts->end(), fact) != facts->end();
  };
  for (size_t i = 0; i < rule.conditions.size(); ++i) {
    const Condition& c = rule.conditions[i];
    const std::string at = fmt::format("conditions[{}].", i + 1);
    if (facts && !known(c.fact)) {
      add(at + "fact", c.fact,
          fmt::format("is not a fact of a {}: {}", rule.unit, Join(*facts, ", ")));
    }
    if (!kOps.contains(c.op)) {
      add(at + "op", c.op, "must be one of = != < <= > >= in");
    } else if (c.op != "=" && c.op != "!=" && c.op != "in") {
      if (!IsNumericFact(c.fact)) {
        add(at + "op", c.op, fmt::format("{} is a code: compare it with = != or in", c.fact));
      } else if (!ParseNumber(c.value)) {
        add(at + "value", c.value, "must be a number");
      }
    }
    if (Trim(c.value).empty()) add(at + "value", c.value, "is required");
  }
  if (!rule.amount_fact.empty()) {
    if (facts && !known(rule.amount_fact)) {
      add("amount_fact", rule.amount_fact, fmt::format("is not a fact of a {}", rule.unit));
    } else if (!IsNumericFact(rule.amount_fact)) {
      add("amount_fact", rule.amount_fact, "must be a numeric fact");
    }
  }
  if (!rule.bands.empty() && rule.amount_fact.empty()) {
    add("amount_fact", "", "bands need the fact they band");
  }
  for (size_t i = 0; i < rule.bands.size(); ++i) {
    const AmountBand& b = rule.bands[i];
    const std::string at = fmt::format("bands[{}].", i + 1);
    if (b.max && *b.max < b.min) add(at + "max", Number(*b.max).Show(), "is below min");
    if (b.amount_fen < 0)
      add(at + "amount_fen", std::to_string(b.amount_fen), "must not be negative");
  }
  if (rule.bands.empty() && rule.amount_fen <= 0) {
    add("amount_fen", std::to_string(rule.amount_fen), "must be more than 0");
  }
  if (rule.cap_fen && *rule.cap_fen < 0)
    add("cap_fen", std::to_string(*rule.cap_fen), "must not be negative");
  return p;
}

Result<SubsidyEvaluation> EvaluateRule(const SubsidyRule& rule, const SubsidyInput& input,
                                       const Date& first, const Date& last) {
  if (auto problems = ValidateRule(rule); !problems.empty()) {
    return InvalidArgument(fmt::format("rule {} is not valid", rule.code), std::move(problems));
  }
  SubsidyEvaluation out;
  out.first = std::max(first, rule.valid_from);
  out.last = std::min(last, rule.valid_to);
  if (out.last < out.first) return out;
  out.applies = true;
  const Date& a = out.first;
  const Date& b = out.last;

  std::map<std::string, std::vector<Employment>> by_person;
  for (const Employment& e : input.employments) by_person[e.person_key].push_back(e);

  for (const Workshop& w : input.workshops) {
    if (!access::InSubtree(rule.region_code, w.region_code)) continue;
    std::vector<const Employment*> here;
    for (const Employment& e : input.employments) {
      if (e.workshop_id == w.id) here.push_back(&e);
    }
    if (rule.unit == "workshop") {
      std::map<std::string, Value> facts;
      int workers = 0, poor = 0;
      for (const Employment* e : here) {
        if (!e->EmployedOn(b)) continue;
        ++workers;
        if (e->category == "registered_poor") ++poor;
      }
      bool recognized_in_window = false;
      for (const Recognition& r : w.recognitions) {
        if ((r.status == "recognized" || r.status == "upgraded") && r.on >= a && r.on <= b) {
          recognized_in_window = true;
        }
      }
      int days = 0;
      for (const MonthlyReport& r : LatestRevisions(input.reports)) {
        if (r.workshop_id != w.id) continue;
        const YearMonth m{r.year, r.month};
        if (m.Last() >= a && m.First() <= b) days += r.days_operated;
      }
      facts["type"] = Text(w.type);
      facts["recognized"] = Number(RecognizedOn(w, b) ? 1 : 0);
      facts["recognized_in_window"] = Number(recognized_in_window ? 1 : 0);
      facts["poor_workers"] = Number(poor);
      facts["workers"] = Number(workers);
      facts["poor_share"] = Number(workers > 0 ? static_cast<double>(poor) / workers : 0);
      facts["days_operated"] = Number(days);
      facts["capacity_jobs"] = Number(w.capacity_jobs);
      SubsidyResult r = Judge(rule, facts);
      r.workshop_id = w.id;
      out.results.push_back(std::move(r));
      continue;
    }
    // Workers: each person once per workshop, by their latest employment record there that
    // overlaps the window.
    std::map<std::string, const Employment*> people;
    for (const Employment* e : here) {
      if (e->start > b || (e->end && *e->end < a)) continue;
      auto [it, fresh] = people.try_emplace(e->person_key, e);
      if (!fresh && e->start > it->second->start) it->second = e;
    }
    for (const auto& [person, e] : people) {
      const std::vector<Employment>& all = by_person[person];
      std::vector<Employment> in_here;
      Date first_hired = e->start;
      for (const Employment& x : all) {
        if (x.workshop_id != w.id) continue;
        in_here.push_back(x);
        first_hired = std::min(first_hired, x.start);
      }
      std::map<std::string, Value> facts;
      facts["category"] = Text(e->category);
      facts["days_employed"] = Number(DaysEmployed(all, a, b));
      facts["days_employed_here"] = Number(DaysEmployed(in_here, a, b));
      facts["employment_year"] = Number(
          static_cast<double>((b.DaysSinceEpoch() - first_hired.DaysSinceEpoch()) / 365 + 1));
      const auto known = input.people.find(e->member_id);
      const PersonFacts* person_facts = known == input.people.end() ? nullptr : &known->second;
      facts["age"] = person_facts && person_facts->birth_date
                         ? Number(AgeOn(*person_facts->birth_date, b))
                         : Text("");
      facts["labour"] = Text(person_facts ? person_facts->labour : "");
      facts["contract"] = Number(e->contract ? 1 : 0);
      SubsidyResult r = Judge(rule, facts);
      r.workshop_id = w.id;
      r.member_id = e->member_id;
      r.employment_id = e->id;
      r.days_here = static_cast<int>(facts["days_employed_here"].number);
      r.hired_on = e->start;
      out.results.push_back(std::move(r));
    }
  }
  if (rule.unit == "worker") {
    // A person qualifies once per rule: through the workshop where they worked most days of
    // the window (the latest hiring on a tie); the others say where.
    std::map<int64_t, const std::string*> person_by_employment;
    for (const Employment& x : input.employments) person_by_employment[x.id] = &x.person_key;
    std::map<std::string, size_t> best;  // person → index of the result kept
    std::map<size_t, std::string> person_of;
    for (size_t i = 0; i < out.results.size(); ++i) {
      const SubsidyResult& r = out.results[i];
      if (!r.eligible) continue;
      auto found = person_by_employment.find(r.employment_id);
      if (found == person_by_employment.end()) continue;
      const std::string& person = *found->second;
      person_of[i] = person;
      auto [it, fresh] = best.try_emplace(person, i);
      if (fresh) continue;
      const SubsidyResult& kept = out.results[it->second];
      if (r.days_here > kept.days_here ||
          (r.days_here == kept.days_here && r.hired_on > kept.hired_on)) {
        it->second = i;
      }
    }
    for (auto& [i, person] : person_of) {
      const size_t kept = best.at(person);
      if (kept == i) continue;
      SubsidyResult& r = out.results[i];
      r.eligible = false;
      r.amount_fen = 0;
      r.amount_formula = fmt::format("qualifies once: through workshop {} (more days there)",
                                     out.results[kept].workshop_id);
    }
  }
  for (const SubsidyResult& r : out.results) {
    if (!r.eligible) continue;
    ++out.eligible;
    out.total_fen += r.amount_fen;
  }
  return out;
}

std::vector<SubsidyRule> RuleTemplates(const std::string& region_code, int year,
                                       bool registered_poor_only) {
  std::vector<SubsidyRule> rules;
  SubsidyRule labour;
  labour.code = fmt::format("labour-{}{}", year, registered_poor_only ? "-poor" : "");
  labour.name = registered_poor_only
                    ? fmt::format("{} 年扶贫车间吸纳建档立卡贫困劳动力就业补贴", year)
                    : fmt::format("{} 年扶贫车间吸纳本地劳动力就业补贴", year);
  labour.region_code = region_code;
  labour.valid_from = {year, 1, 1};
  labour.valid_to = {year, 12, 31};
  labour.unit = "worker";
  // More than half a year: more than 182 days employed within the rule's period, summed over
  // the person's employments in any workshop.
  labour.conditions.push_back({"days_employed", ">", "182"});
  if (registered_poor_only) labour.conditions.push_back({"category", "=", "registered_poor"});
  labour.amount_fen = 500000;  // 5,000 yuan per worker
  labour.basis =
      "甘肃省 2020 年扶贫车间稳岗就业补贴（每吸纳一名本地劳动力稳定就业半年以上补助 5000 元）";
  rules.push_back(labour);

  SubsidyRule recognition;
  recognition.code = fmt::format("recognition-{}", year);
  recognition.name = fmt::format("{} 年扶贫车间认定一次性奖补", year);
  recognition.region_code = region_code;
  recognition.valid_from = {year, 1, 1};
  recognition.valid_to = {year, 12, 31};
  recognition.unit = "workshop";
  recognition.conditions.push_back({"recognized_in_window", "=", "1"});
  recognition.amount_fact = "poor_workers";
  recognition.bands = {{5, 9, 2000000}, {10, 19, 5000000}, {20, std::nullopt, 10000000}};
  recognition.basis =
      "template: banded by registered-poor workers employed; adjust to the local policy";
  rules.push_back(recognition);

  SubsidyRule yearly;
  yearly.code = fmt::format("yearly-worker-{}", year);
  yearly.name = fmt::format("{} 年吸纳贫困劳动力岗位补贴（前三年）", year);
  yearly.region_code = region_code;
  yearly.valid_from = {year, 1, 1};
  yearly.valid_to = {year, 12, 31};
  yearly.unit = "worker";
  yearly.conditions = {{"category", "=", "registered_poor"},
                       {"employment_year", "<=", "3"},
                       {"days_employed_here", ">=", "90"}};
  yearly.amount_fen = 200000;  // 2,000 yuan per worker per year
  yearly.basis = "template: a yearly subsidy per registered-poor worker for three years";
  rules.push_back(yearly);
  return rules;
}

}  // namespace fupin::workshops
