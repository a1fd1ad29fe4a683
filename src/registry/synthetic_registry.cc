#include "registry/synthetic_registry.h"

#include <fmt/format.h>

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

struct Generator {
  Rng rng;
  IdIssuer ids;
  int last_year;
  int64_t serial = 0;

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
    const int age = last_year - birth_year;
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
    const bool relapsed = h.status == "returned" || h.status == "monitored";
    for (int year = 2014; year <= last_year; ++year) {
      double growth = 1.06 + rng.NextDouble() * 0.06;
      if (lifted && year >= lifted - 1 && year <= lifted + 1) growth += 0.18;
      if (relapsed && year >= 2021) growth = 0.82 + rng.NextDouble() * 0.1;
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
    for (std::string_view item : {"food", "clothing", "education", "medical", "housing", "water"}) {
      bool met = true;
      if (item == "housing") met = *h.housing_safe;
      if (item == "water") met = *h.water_safe;
      r.guarantees.push_back({std::string(item), met, RandomDate(rng, std::min(2024, last_year))});
    }
    ++serial;
    return r;
  }
};

}  // namespace

Status GenerateRegistry(std::span<const regions::Region> villages, const SyntheticOptions& options,
                        const std::function<Status(std::vector<HouseholdRecord>&&)>& sink) {
  Generator gen{Rng(options.seed ^ 0x5EED0F0F00D5ULL), {}, options.last_year, 0};
  for (const regions::Region& village : villages) {
    if (village.level != regions::RegionLevel::kVillage) continue;
    const int mean = options.households_per_village;
    const int count = std::max(1, mean + static_cast<int>(gen.rng.Uniform(-mean / 3, mean / 3)));
    std::vector<HouseholdRecord> batch;
    batch.reserve(static_cast<size_t>(count));
    for (int i = 1; i <= count; ++i) batch.push_back(gen.MakeHousehold(village, i));
    FUPIN_TRY(sink(std::move(batch)));
  }
  return {};
}

}  // namespace fupin::registry
