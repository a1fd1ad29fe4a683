#include "registry/synthetic_registry.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <string>

#include "base/random.h"
#include "registry/id_number.h"

namespace fupin::registry {
namespace {

constexpr std::array<std::string_view, 36> kSurnames = {
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
    "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋",
    "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁"};
constexpr std::array<std::string_view, 48> kGiven = {
    "建", "国", "明", "华", "军", "平", "志", "文", "海", "强", "永", "春", "秀", "英", "兰", "芳",
    "玉", "梅", "霞", "丽", "红", "娟", "燕", "萍", "德", "福", "生", "成", "忠", "林", "山", "宝",
    "喜", "贵", "荣", "学", "子", "晨", "涛", "浩", "宇", "欣", "悦", "婷", "佳", "俊", "鹏", "静"};

template <size_t N>
std::string_view Pick(Rng& rng, const std::array<std::string_view, N>& items) {
  return items[static_cast<size_t>(rng.Uniform(0, N - 1))];
}

// Picks an index by weights (any positive scale).
template <size_t N>
size_t Weighted(Rng& rng, const std::array<double, N>& weights) {
  double total = 0;
  for (double w : weights) total += w;
  double x = rng.NextDouble() * total;
  for (size_t i = 0; i < N; ++i) {
    if (x < weights[i]) return i;
    x -= weights[i];
  }
  return N - 1;
}

bool Chance(Rng& rng, double p) { return rng.NextDouble() < p; }

Date RandomDate(Rng& rng, int year) {
  const int month = static_cast<int>(rng.Uniform(1, 12));
  return Date{year, month, static_cast<int>(rng.Uniform(1, DaysInMonth(year, month)))};
}

constexpr std::array<std::string_view, 13> kCauseCodes = {
    "illness",        "lack_skills", "lack_funds", "disability", "lack_labour",
    "schooling",      "disaster",    "lack_land",  "lack_water", "poor_transport",
    "low_motivation", "marriage",    "other"};
constexpr std::array<double, 13> kCauseWeights = {42, 22, 10, 6, 7, 5, 2, 2, 1, 1, 1.5, 0.5, 1};

// Issues unique ID numbers per (region prefix, birth date).
class IdIssuer {
 public:
  std::string Issue(const std::string& prefix, const Date& birth, bool male) {
    const std::string key =
        prefix + fmt::format("{:04}{:02}{:02}", birth.year, birth.month, birth.day);
    int& next = next_[key];
    // Sequence numbers: odd for men, even for women (GB 11643).
    int seq = next * 2 + (male ? 1 : 0);
    ++next;
    const std::string first17 = key + fmt::format("{:03}", seq % 1000);
    return first17 + IdNumberCheckCharacter(first17);
  }

 private:
  std::map<std::string, int> next_;
};

// 帮扶责任人 of a village: cadres of the township, county bureaus and the village committee,
// each paired with a few households.
struct HelperPool {
  std::vector<HelperAssignment> helpers;
  size_t next = 0;
};

constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kHelperUnits = {{
    {"乡镇人民政府", "township"},
    {"乡镇人民政府", "township"},
    {"县农业农村局", "county"},
    {"县教育局", "county"},
    {"县卫生健康局", "county"},
    {"县人力资源和社会保障局", "county"},
    {"市派驻村工作队", "city"},
    {"村民委员会", "village"},
}};

struct Generator {
  Rng rng;
  IdIssuer ids;
  int last_year;
  int age_year;  // ages (schooling, labour, pension) are those of this year
  int64_t serial = 0;
  // A stream of its own for measures and helpers, so that adding them left every household
  // drawn from `rng` as it was.
  Rng support_rng{0};
  HelperPool pool{};

  void NewVillage(int households) {
    pool = {};
    const int count = std::max(1, households / 4);
    for (int i = 0; i < count; ++i) {
      HelperAssignment a;
      a.name = std::string(kSurnames[static_cast<size_t>(support_rng.Uniform(0, 35))]) +
               std::string(kGiven[static_cast<size_t>(support_rng.Uniform(0, 47))]) +
               std::string(kGiven[static_cast<size_t>(support_rng.Uniform(0, 47))]);
      const auto& [unit, level] = kHelperUnits[static_cast<size_t>(support_rng.Uniform(0, 7))];
      a.unit = std::string(unit);
      a.level = std::string(level);
      a.phone =
          fmt::format("13{}{:08}", support_rng.Uniform(0, 9), support_rng.Uniform(0, 99999999));
      pool.helpers.push_back(std::move(a));
    }
  }

  // Measures that fit the household's causes and members, and a helper from the village's
  // pool, paired from the year it was identified (or monitoring began) and still paired.
  void Support(HouseholdRecord& r) {
    if (r.events.empty()) return;
    Rng& g = support_rng;
    const Date first = r.events.front().on;
    const int until = std::max(first.year, last_year);
    auto measure = [&](std::string kind, std::optional<double> amount, int from_year,
                       bool ongoing) {
      AssistanceMeasure m;
      m.kind = std::move(kind);
      m.amount = amount;
      from_year = std::clamp(from_year, first.year, until);
      const Date start = RandomDate(g, from_year);
      m.start_on = start < first ? first : start;
      if (!ongoing) {
        m.end_on = Date::FromDaysSinceEpoch(m.start_on->DaysSinceEpoch() + g.Uniform(180, 1000));
      }
      r.measures.push_back(std::move(m));
    };
    const Household& h = r.household;
    if (h.main_cause == "illness" || h.main_cause == "disability") {
      measure("health", std::nullopt, first.year, false);
    }
    if (std::any_of(r.members.begin(), r.members.end(),
                    [](const Member& m) { return m.in_school == true; })) {
      measure("education", static_cast<double>(g.Uniform(5, 30) * 100), first.year + 1, false);
    }
    const size_t kind = static_cast<size_t>(g.Uniform(0, 4));
    if (kind == 0) {
      measure("micro_credit", static_cast<double>(g.Uniform(1, 5) * 10000), first.year + 1, false);
    } else if (kind == 1) {
      measure("employment", std::nullopt, first.year + 1, false);
    } else if (kind == 2) {
      measure("workshop_job", std::nullopt, first.year + 2, g.NextDouble() < 0.5);
    } else {
      measure("industry", static_cast<double>(g.Uniform(10, 50) * 100), first.year, false);
    }
    // At risk again: a measure from monitoring (or relapse) on, still running.
    const std::string& status = r.events.back().status;
    if (status == "monitored" || status == "returned") {
      measure(std::array<const char*, 3>{"employment", "public_welfare_post",
                                         "industry"}[static_cast<size_t>(g.Uniform(0, 2))],
              std::nullopt, r.events.back().on.year, true);
      r.measures.back().start_on = std::max(*r.measures.back().start_on, r.events.back().on);
    }
    if (pool.helpers.empty()) return;
    HelperAssignment a = pool.helpers[pool.next++ % pool.helpers.size()];
    a.since = Date{first.year, 12, 1} < first ? first : Date{first.year, 12, 1};
    r.helpers.push_back(std::move(a));
  }

  std::string Name(std::string_view surname) {
    std::string name(surname);
    name += Pick(rng, kGiven);
    if (Chance(rng, 0.7)) name += Pick(rng, kGiven);
    return name;
  }

  Member Person(const std::string& prefix, std::string name, std::string relation, int birth_year,
                bool male) {
    Member m;
    m.name = std::move(name);
    m.relation = std::move(relation);
    m.sex = male ? "male" : "female";
    const Date birth = RandomDate(rng, birth_year);
    m.birth_date = birth;
    m.id_number = ids.Issue(prefix, birth, male);
    m.ethnicity = Chance(rng, 0.85) ? "汉族" : (Chance(rng, 0.5) ? "回族" : "藏族");
    const int age = age_year - birth_year;
    const size_t health = Weighted(rng, std::array<double, 4>{78, 12, 4, 6});
    m.health = std::array<const char*, 4>{"healthy", "chronic", "serious", "disabled"}[health];
    if (age < 16) {
      m.labour = "none";
      m.in_school = age >= 6;
      m.education = age < 6 ? "preschool" : (age < 12 ? "primary" : "junior");
    } else if (age > 65) {
      m.labour = Chance(rng, 0.6) ? "none" : "ordinary";
      m.education = Chance(rng, 0.5) ? "illiterate" : "primary";
    } else {
      m.labour = m.health == "healthy" ? (Chance(rng, 0.25) ? "skilled" : "ordinary")
                                       : (m.health == "chronic" ? "ordinary" : "lost");
      m.education = std::array<const char*, 4>{
          "primary", "junior", "senior", "vocational"}[static_cast<size_t>(rng.Uniform(0, 3))];
      m.in_school = age <= 22 && Chance(rng, 0.3);
      if (m.labour != "lost" && Chance(rng, 0.45)) {
        m.migrant_months = static_cast<int>(rng.Uniform(3, 11));
      }
    }
    m.medical_insurance = Chance(rng, 0.99);
    m.pension = age >= 16 && Chance(rng, 0.9);
    return m;
  }

  HouseholdRecord MakeHousehold(const regions::Region& village, int index) {
    HouseholdRecord r;
    Household& h = r.household;
    h.number = village.code + fmt::format("{:04}", index);
    h.region_code = village.code;
    const std::string prefix = village.code.substr(0, 6);
    const bool non_poor_monitored = Chance(rng, 0.06);
    if (!non_poor_monitored) {
      h.attribute = std::array<const char*, 3>{
          "general", "dibao", "tekun"}[Weighted(rng, std::array<double, 3>{70, 22, 8})];
    }
    h.main_cause = std::string(kCauseCodes[Weighted(rng, kCauseWeights)]);
    if (Chance(rng, 0.4))
      h.secondary_cause = std::string(kCauseCodes[Weighted(rng, kCauseWeights)]);
    if (h.secondary_cause == h.main_cause) h.secondary_cause.clear();
    h.phone = fmt::format("1{}{:08}",
                          std::array<const char*, 6>{"38", "39", "58", "37", "86",
                                                     "89"}[static_cast<size_t>(rng.Uniform(0, 5))],
                          rng.Uniform(0, 99999999));
    if (Chance(rng, 0.9))
      h.bank_account = fmt::format("622848{:013}", rng.Uniform(0, 9999999999999));
    h.housing_safe = Chance(rng, 0.93);
    h.housing_area = static_cast<double>(rng.Uniform(40, 160));
    h.water_safe = Chance(rng, 0.95);
    h.market_distance_km = static_cast<double>(rng.Uniform(1, 350)) / 10.0;

    // Family: a head, usually a spouse, children, sometimes a parent.
    const bool head_male = Chance(rng, 0.86);
    const std::string_view surname = Pick(rng, kSurnames);
    const int head_birth = static_cast<int>(rng.Uniform(1945, 1992));
    r.members.push_back(Person(prefix, Name(surname), "head", head_birth, head_male));
    const size_t shape = Weighted(rng, std::array<double, 5>{10, 18, 40, 22, 10});
    if (shape >= 1) {
      r.members.push_back(Person(prefix, Name(Pick(rng, kSurnames)), "spouse",
                                 head_birth + static_cast<int>(rng.Uniform(-4, 4)), !head_male));
    }
    const int children = shape >= 2 ? static_cast<int>(shape) - 1 + (Chance(rng, 0.3) ? 1 : 0) : 0;
    for (int c = 0; c < children; ++c) {
      const int birth = std::min(last_year - 1, head_birth + static_cast<int>(rng.Uniform(20, 34)));
      r.members.push_back(Person(prefix, Name(surname), "child", birth, Chance(rng, 0.52)));
    }
    if (Chance(rng, 0.12) && head_birth > 1960) {
      r.members.push_back(Person(prefix, Name(surname), "parent",
                                 head_birth - static_cast<int>(rng.Uniform(22, 30)),
                                 Chance(rng, 0.4)));
    }
    // Households poor through illness or disability have a member who is ill or disabled.
    if (h.main_cause == "illness") {
      r.members[static_cast<size_t>(rng.Uniform(0, static_cast<int64_t>(r.members.size()) - 1))]
          .health = Chance(rng, 0.5) ? "serious" : "chronic";
    } else if (h.main_cause == "disability") {
      r.members[0].health = "disabled";
    }
    for (Member& m : r.members) {
      if ((m.health == "serious" || m.health == "disabled") && m.labour != "none")
        m.labour = "lost";
    }
    // A cause the family contradicts gives way to lack of skills (lack of labour where
    // someone healthy of working age works) or lack of funds (schooling with nobody in school).
    // Ages are taken with a year's margin either way, so that the record still holds a year
    // or two after `last_year`.
    const bool able = std::any_of(r.members.begin(), r.members.end(), [&](const Member& m) {
      const int age = age_year - m.birth_date->year;
      return age >= 15 && age <= 61 && m.health == "healthy" &&
             (m.labour == "ordinary" || m.labour == "skilled");
    });
    const bool pupil = std::any_of(r.members.begin(), r.members.end(),
                                   [](const Member& m) { return m.in_school == true; });
    if (h.main_cause == "lack_labour" && able) h.main_cause = "lack_skills";
    if (h.main_cause == "schooling" && !pupil) h.main_cause = "lack_funds";
    if (h.secondary_cause == "lack_labour" && able) h.secondary_cause.clear();
    if (h.secondary_cause == "schooling" && !pupil) h.secondary_cause.clear();
    if (h.secondary_cause == h.main_cause) h.secondary_cause.clear();

    // History.
    const int identified =
        non_poor_monitored
            ? 0
            : std::array<int, 4>{2014, 2015, 2016,
                                 2017}[Weighted(rng, std::array<double, 4>{72, 14, 9, 5})];
    int lifted = 0;
    if (identified) {
      h.year_identified = identified;
      r.events.push_back({0, "identified", RandomDate(rng, identified), std::nullopt, ""});
      lifted = std::array<int, 5>{2016, 2017, 2018, 2019,
                                  2020}[Weighted(rng, std::array<double, 5>{15, 20, 25, 25, 15})];
      lifted = std::max(lifted, identified + 1);
      r.events.push_back(
          {0, "lifted", Date{lifted, 12, static_cast<int>(rng.Uniform(1, 28))}, lifted, ""});
    }
    if (non_poor_monitored || Chance(rng, 0.05)) {
      const Date start =
          RandomDate(rng, static_cast<int>(rng.Uniform(2021, std::min(2023, last_year))));
      r.events.push_back({0, "monitored", start, std::nullopt, ""});
      if (Chance(rng, 0.5)) {
        const Date end = Date::FromDaysSinceEpoch(start.DaysSinceEpoch() + rng.Uniform(200, 500));
        if (end.year <= last_year)
          r.events.push_back({0, "risk_eliminated", end, std::nullopt, ""});
      }
    } else if (lifted && Chance(rng, 0.012)) {
      r.events.push_back(
          {0, "returned",
           RandomDate(rng, static_cast<int>(rng.Uniform(2021, std::min(2023, last_year)))),
           std::nullopt, ""});
    }
    if (!r.events.empty()) h.status = r.events.back().status;
    for (const StatusEvent& e : r.events) {
      if (e.status == "lifted") h.lifted_year = e.year;
    }

    // Incomes: per-capita net income starts near 2,300 yuan and grows faster around lifting out.
    const double people = static_cast<double>(r.members.size());
    double per_capita = 1800.0 + static_cast<double>(rng.Uniform(0, 1400));
    // Non-poor households monitored later (边缘易致贫户) were above the poverty line to begin
    // with; they never had the boost of lifting out.
    if (non_poor_monitored) per_capita *= 1.6;
    const bool relapsed = h.status == "returned" || h.status == "monitored";
    // A relapse shows as a drop of 15–25% in the year it happened, then slow growth.
    const int relapse_year = r.events.empty() ? 0 : r.events.back().on.year;
    for (int year = 2014; year <= last_year; ++year) {
      double growth = 1.06 + rng.NextDouble() * 0.06;
      if (lifted && year >= lifted - 1 && year <= lifted + 1) growth += 0.18;
      if (relapsed && year >= 2021) {
        const double x = rng.NextDouble();
        if (year == relapse_year) growth = 0.75 + x * 0.1;
        if (year > relapse_year) growth = 1.0 + x * 0.04;
      }
      if (year > 2014) per_capita *= growth;
      const double net = std::round(per_capita * people);
      Income income;
      income.year = year;
      const double wage_share = 0.35 + rng.NextDouble() * 0.3;
      const double transfer_share =
          h.attribute == "general" ? 0.1 + rng.NextDouble() * 0.1 : 0.3 + rng.NextDouble() * 0.2;
      income.costs = std::round(net * (0.1 + rng.NextDouble() * 0.1));
      const double gross = net + income.costs;
      income.property = std::round(gross * 0.02);
      double wages = gross * wage_share;
      double transfer = gross * transfer_share;
      // Leave at least 5% of gross income to the household's own business.
      const double room = gross * 0.95 - income.property;
      if (wages + transfer > room) {
        const double factor = room / (wages + transfer);
        wages *= factor;
        transfer *= factor;
      }
      income.wages = std::round(wages);
      income.transfer = std::round(transfer);
      income.business = gross - income.wages - income.transfer - income.property;
      r.incomes.push_back(income);
    }
    // Lifting out was verified against 两不愁三保障: a household lifted out (and not at risk
    // again) lives in safe housing with safe water.
    if (h.status == "lifted" || h.status == "risk_eliminated") {
      h.housing_safe = true;
      h.water_safe = true;
    }
    for (std::string_view item : {"food", "clothing", "education", "medical", "housing", "water"}) {
      bool met = true;
      if (item == "housing") met = *h.housing_safe;
      if (item == "water") met = *h.water_safe;
      r.guarantees.push_back({std::string(item), met, RandomDate(rng, std::min(2024, last_year))});
    }
    Support(r);
    ++serial;
    return r;
  }
};

}  // namespace

Status GenerateRegistry(std::span<const regions::Region> villages, const SyntheticOptions& options,
                        const std::function<Status(std::vector<HouseholdRecord>&&)>& sink) {
  Generator gen{Rng(options.seed ^ 0x5EED0F0F00D5ULL),
                {},
                options.last_year,
                options.age_year > 0 ? options.age_year : options.last_year,
                0};
  gen.support_rng = Rng(options.seed ^ 0x4E1F0E45ULL);
  for (const regions::Region& village : villages) {
    if (village.level != regions::RegionLevel::kVillage) continue;
    const int mean = options.households_per_village;
    const int count = std::max(1, mean + static_cast<int>(gen.rng.Uniform(-mean / 3, mean / 3)));
    gen.NewVillage(count);
    std::vector<HouseholdRecord> batch;
    batch.reserve(static_cast<size_t>(count));
    for (int i = 1; i <= count; ++i) batch.push_back(gen.MakeHousehold(village, i));
    FUPIN_TRY(sink(std::move(batch)));
  }
  return {};
}

}  // namespace fupin::registry
