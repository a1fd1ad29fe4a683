#include "registry/quality.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <set>

#include "regions/synthetic_regions.h"
#include "registry/id_number.h"
#include "registry/synthetic_registry.h"

namespace fupin::registry {
namespace {

const Date kToday{2025, 6, 30};
constexpr int kYear = 2024;

// A synthetic ID number (the 99 range) for a birth date and a sequence number (odd = male).
std::string Id(const Date& birth, int sequence) {
  const std::string first17 =
      fmt::format("990121{:04}{:02}{:02}{:03}", birth.year, birth.month, birth.day, sequence);
  return first17 + IdNumberCheckCharacter(first17);
}

Member Person(std::string name, std::string relation, const Date& birth, int sequence) {
  Member m;
  m.id = sequence;
  m.name = std::move(name);
  m.relation = std::move(relation);
  m.birth_date = birth;
  m.id_number = Id(birth, sequence);
  m.sex = sequence % 2 == 1 ? "male" : "female";
  m.health = "healthy";
  m.medical_insurance = true;
  return m;
}

// Moves a member's birth date, with an ID number to match.
void SetBirth(Member& m, const Date& birth) {
  m.birth_date = birth;
  m.id_number = Id(birth, static_cast<int>(m.id));
}

// A household that passes every rule on kToday with the income year kYear.
HouseholdRecord Clean(int n = 1) {
  HouseholdRecord r;
  Household& h = r.household;
  h.id = n;
  h.number = fmt::format("990121001001{:04}", n);
  h.region_code = "990121001001";
  h.attribute = "general";
  h.main_cause = "illness";
  h.secondary_cause = "lack_skills";
  h.phone = "13812345678";
  h.bank_account = "6228480012345678901";
  h.housing_safe = true;
  h.housing_area = 90;
  h.water_safe = true;
  h.year_identified = 2014;
  h.reported_size = 4;
  h.status = "lifted";
  h.lifted_year = 2018;

  // Sequence numbers per household keep every ID number unique across fixtures.
  const int s = n * 10;
  Member head = Person("王建国", "head", {1970, 1, 1}, s + 1);
  head.labour = "ordinary";
  head.education = "junior";
  head.in_school = false;
  head.migrant_months = 6;
  Member spouse = Person("李秀英", "spouse", {1972, 2, 2}, s + 2);
  spouse.health = "chronic";  // the illness behind the household's main cause
  spouse.labour = "ordinary";
  spouse.education = "primary";
  spouse.in_school = false;
  Member child = Person("王小明", "child", {2012, 3, 3}, s + 3);
  child.labour = "none";
  child.education = "primary";
  child.in_school = true;
  Member parent = Person("王老汉", "parent", {1945, 4, 4}, s + 5);
  parent.labour = "none";
  parent.education = "illiterate";
  parent.in_school = false;
  r.members = {head, spouse, child, parent};

  r.events = {{0, "identified", {2014, 5, 1}, std::nullopt, ""},
              {0, "lifted", {2018, 12, 1}, 2018, ""}};
  Income y2023{2023, 18000, 7000, 500, 4000, 2500};
  Income y2024{2024, 20000 + 100.0 * n, 8000, 500, 4000, 2500};
  y2024.reported_gross = y2024.Gross();
  y2024.reported_net = y2024.Net();
  r.incomes = {y2023, y2024};
  for (const char* item : {"clothing", "education", "food", "housing", "medical", "water"}) {
    r.guarantees.push_back({item, true, Date{2024, 10, 1}});
  }
  AssistanceMeasure m;
  m.kind = "industry";
  m.amount = 3000;
  m.start_on = Date{2018, 3, 1};
  m.end_on = Date{2018, 12, 31};
  r.measures = {m};
  HelperAssignment helper;
  helper.name = "张帮扶";
  helper.unit = "县农业农村局";
  helper.level = "county";
  helper.phone = "13900001111";
  helper.since = Date{2016, 1, 1};
  r.helpers = {helper};
  return r;
}

using Records = std::vector<HouseholdRecord>;
using Mutation = std::function<void(HouseholdRecord&)>;

// A rule's two fixtures: records that pass it and records that fail it.
struct Fixture {
  std::function<Records()> pass;
  std::function<Records()> fail;
};

// Fixtures of one clean household changed by `pass` and by `fail`.
Fixture One(Mutation pass, Mutation fail) {
  auto make = [](Mutation change) {
    return [change] {
      HouseholdRecord r = Clean();
      change(r);
      return Records{r};
    };
  };
  return {make(std::move(pass)), make(std::move(fail))};
}

void Unchanged(HouseholdRecord&) {}

StatusEvent Event(std::string status, Date on, std::optional<int> year = std::nullopt) {
  return {0, std::move(status), on, year, ""};
}

// Monitored since 2021-03-15, with an ongoing measure from then on.
void Monitored(HouseholdRecord& r) {
  r.events.push_back(Event("monitored", {2021, 3, 15}));
  AssistanceMeasure m;
  m.kind = "employment";
  m.start_on = Date{2021, 4, 1};
  r.measures.push_back(m);
}

Guarantee& Item(HouseholdRecord& r, const std::string& item) {
  for (Guarantee& g : r.guarantees) {
    if (g.item == item) return g;
  }
  throw std::logic_error("no guarantee " + item);
}

// Forty households with per-capita net incomes spread around 7,500 yuan.
Records Spread() {
  Records out;
  for (int n = 1; n <= 40; ++n) {
    HouseholdRecord r = Clean(n);
    r.incomes[1].wages = 18000 + 150.0 * n;
    r.incomes[1].reported_gross.reset();
    r.incomes[1].reported_net.reset();
    out.push_back(r);
  }
  return out;
}

std::map<std::string, Fixture> Fixtures() {
  std::map<std::string, Fixture> f;
  // --- Household ---
  f["household.no_members"] = One(Unchanged, [](HouseholdRecord& r) {
    for (Member& m : r.members) {
      m.left_on = Date{2020, 1, 1};
      m.left_reason = "move_out";
    }
  });
  f["household.no_head"] = One(
      [](HouseholdRecord& r) {  // the head left and the spouse took over
        r.members[0].left_on = Date{2020, 1, 1};
        r.members[0].left_reason = "death";
        r.members[1].relation = "head";
      },
      [](HouseholdRecord& r) { r.members[0].relation = "other"; });
  f["household.several_heads"] = One(
      [](HouseholdRecord& r) {
        r.members[3].relation = "head";  // a former head, no longer a member
        r.members[3].left_on = Date{2019, 1, 1};
        r.members[3].left_reason = "death";
      },
      [](HouseholdRecord& r) { r.members[1].relation = "head"; });
  f["household.head_under_age"] = One(
      [](HouseholdRecord& r) {
        SetBirth(r.members[0], {2009, 6, 30});
      },  // 16 today
      [](HouseholdRecord& r) {
        SetBirth(r.members[0], {2009, 7, 1});
      });  // 15
  f["household.several_spouses"] = One(
      [](HouseholdRecord& r) {
        r.members[3].relation = "spouse";
        r.members[3].left_on = Date{2019, 1, 1};
        r.members[3].left_reason = "death";
      },
      [](HouseholdRecord& r) { r.members[3].relation = "spouse"; });
  f["household.size_mismatch"] = One([](HouseholdRecord& r) { r.household.reported_size.reset(); },
                                     [](HouseholdRecord& r) { r.household.reported_size = 5; });
  f["household.phone_invalid"] = One([](HouseholdRecord& r) { r.household.phone = "19912345678"; },
                                     [](HouseholdRecord& r) { r.household.phone = "1381234567"; });
  f["household.bank_account_invalid"] =
      One([](HouseholdRecord& r) { r.household.bank_account = "6228480012345678"; },
          [](HouseholdRecord& r) { r.household.bank_account = "622848001234567"; });
  f["household.secondary_cause_same"] =
      One([](HouseholdRecord& r) { r.household.secondary_cause = "lack_funds"; },
          [](HouseholdRecord& r) { r.household.secondary_cause = "illness"; });
  f["household.illness_without_sick"] =
      One([](HouseholdRecord& r) { r.members[1].health = "serious"; },
          [](HouseholdRecord& r) { r.members[1].health = "healthy"; });
  f["household.disability_without_disabled"] = One(
      [](HouseholdRecord& r) {
        r.household.main_cause = "disability";
        r.members[3].health = "disabled";
      },
      [](HouseholdRecord& r) { r.household.main_cause = "disability"; });
  f["household.schooling_without_pupil"] =
      One([](HouseholdRecord& r) { r.household.main_cause = "schooling"; },
          [](HouseholdRecord& r) {
            r.household.main_cause = "schooling";
            r.members[2].in_school = false;
          });
  f["household.lack_labour_with_labour"] = One(
      [](HouseholdRecord& r) {
        r.household.main_cause = "lack_labour";
        r.members[0].health = "serious";
        r.members[0].labour = "lost";
      },
      [](HouseholdRecord& r) { r.household.main_cause = "lack_labour"; });
  f["household.dibao_member_in_general"] = One(
      [](HouseholdRecord& r) {
        r.household.attribute = "dibao";
        r.members[3].dibao = true;
      },
      [](HouseholdRecord& r) { r.members[3].dibao = true; });
  f["household.housing_unsafe_but_met"] = One(
      [](HouseholdRecord& r) {
        r.household.housing_safe = false;
        Item(r, "housing").met = false;
      },
      [](HouseholdRecord& r) { r.household.housing_safe = false; });
  f["household.water_unsafe_but_met"] = One(
      [](HouseholdRecord& r) {
        r.household.water_safe = false;
        Item(r, "water").met = false;
      },
      [](HouseholdRecord& r) { r.household.water_safe = false; });
  // --- Status history ---
  f["status.identified_after_lifted"] =
      One([](HouseholdRecord& r) { r.household.year_identified = 2018; },
          [](HouseholdRecord& r) { r.household.year_identified = 2019; });
  f["status.lifted_year_missing"] = One(Unchanged, [](HouseholdRecord& r) {
    r.events[1].year.reset();
    r.household.lifted_year.reset();
  });
  f["status.out_of_order"] = One(
      [](HouseholdRecord& r) {
        Monitored(r);
        r.events.push_back(Event("risk_eliminated", {2022, 1, 10}));
      },
      [](HouseholdRecord& r) {  // lifted out before ever being identified
        r.events = {Event("lifted", {2013, 12, 1}, 2013), Event("identified", {2014, 5, 1})};
      });
  f["status.returned_without_lifted"] = One(
      [](HouseholdRecord& r) {
        r.events.push_back(Event("returned", {2022, 5, 1}));
      },
      [](HouseholdRecord& r) {
        r.events = {Event("identified", {2014, 5, 1}), Event("returned", {2022, 5, 1})};
        r.household.lifted_year.reset();
      });
  f["status.risk_eliminated_too_soon"] = One(
      [](HouseholdRecord& r) {
        Monitored(r);
        r.events.push_back(Event("risk_eliminated", {2021, 9, 15}));  // six months to the day
      },
      [](HouseholdRecord& r) {
        Monitored(r);
        r.events.push_back(Event("risk_eliminated", {2021, 9, 14}));
      });
  f["status.lifted_guarantee_unmet"] = One(
      [](HouseholdRecord& r) {  // unmet while monitored is what monitoring is for
        Monitored(r);
        Item(r, "education").met = false;
      },
      [](HouseholdRecord& r) { Item(r, "education").met = false; });
  f["status.event_in_future"] =
      One([](HouseholdRecord& r) { r.events.push_back(Event("monitored", kToday)); },
          [](HouseholdRecord& r) {
            r.events.push_back(Event("monitored", {2025, 7, 1}));
          });
  f["status.year_identified_mismatch"] =
      One(Unchanged, [](HouseholdRecord& r) { r.household.year_identified = 2015; });
  // --- Members ---
  f["member.duplicate_id"] = {[] {
                                return Records{Clean(1), Clean(2)};
                              },
                              [] {
                                Records out{Clean(1), Clean(2)};
                                out[1].members[3].id_number = out[0].members[0].id_number;
                                return out;
                              }};
  f["member.id_number_invalid"] = One(Unchanged, [](HouseholdRecord& r) {
    std::string& id = r.members[1].id_number;
    id[17] = id[17] == '0' ? '1' : '0';
  });
  f["member.birth_date_mismatch"] = One([](HouseholdRecord& r) { r.members[0].birth_date.reset(); },
                                        [](HouseholdRecord& r) {
                                          r.members[0].birth_date = Date{1970, 1, 2};
                                        });
  f["member.sex_mismatch"] = One([](HouseholdRecord& r) { r.members[0].sex.clear(); },
                                 [](HouseholdRecord& r) { r.members[0].sex = "female"; });
  f["member.birth_in_future"] = One(
      [](HouseholdRecord& r) {
        Member baby = Person("王宝宝", "grandchild", kToday, 7);
        baby.labour = "none";
        r.members.push_back(baby);
        r.household.reported_size = 5;
      },
      [](HouseholdRecord& r) {
        Member baby = Person("王宝宝", "grandchild", kToday, 7);
        baby.birth_date = Date{2025, 7, 1};
        r.members.push_back(baby);
      });
  f["member.age_implausible"] = One(
      [](HouseholdRecord& r) {
        SetBirth(r.members[3], {1915, 6, 30});
      },  // 110
      [](HouseholdRecord& r) {
        SetBirth(r.members[3], {1914, 6, 30});
      });
  f["member.left_before_joined"] = One(
      [](HouseholdRecord& r) {
        Member daughter = Person("王小红", "child", {1995, 5, 5}, 8);
        daughter.joined_on = Date{2015, 1, 1};
        daughter.left_on = Date{2020, 10, 1};
        daughter.left_reason = "marriage_out";
        r.members.push_back(daughter);
      },
      [](HouseholdRecord& r) {
        Member daughter = Person("王小红", "child", {1995, 5, 5}, 8);
        daughter.joined_on = Date{2020, 10, 1};
        daughter.left_on = Date{2015, 1, 1};
        daughter.left_reason = "marriage_out";
        r.members.push_back(daughter);
      });
  f["member.healthy_without_labour"] = One(
      [](HouseholdRecord& r) {  // 61: past working age
        SetBirth(r.members[0], {1964, 6, 29});
        r.members[0].labour = "none";
      },
      [](HouseholdRecord& r) { r.members[0].labour = "none"; });
  f["member.elderly_skilled"] = One(
      [](HouseholdRecord& r) {
        SetBirth(r.members[3], {1950, 7, 1});  // 74
        r.members[3].labour = "skilled";
      },
      [](HouseholdRecord& r) {
        SetBirth(r.members[3], {1950, 6, 30});  // 75
        r.members[3].labour = "skilled";
      });
  f["member.child_with_labour"] = One(
      [](HouseholdRecord& r) {
        SetBirth(r.members[2], {2009, 6, 30});  // 16
        r.members[2].labour = "ordinary";
      },
      [](HouseholdRecord& r) { r.members[2].labour = "ordinary"; });
  f["member.school_age_not_in_school"] = One(
      [](HouseholdRecord& r) {
        SetBirth(r.members[2], {2019, 7, 1});  // 5
        r.members[2].in_school = false;
        r.members[2].education = "preschool";
      },
      [](HouseholdRecord& r) { r.members[2].in_school = false; });
  f["member.adult_in_school"] = One(
      [](HouseholdRecord& r) {
        SetBirth(r.members[2], {1995, 6, 30});  // 30
        r.members[2].education = "college";
      },
      [](HouseholdRecord& r) {
        SetBirth(r.members[2], {1994, 6, 30});  // 31
        r.members[2].education = "college";
      });
  f["member.education_implausible"] =
      One([](HouseholdRecord& r) { r.members[2].education = "junior"; },
          [](HouseholdRecord& r) { r.members[2].education = "preschool"; });
  f["member.migrant_months_invalid"] =
      One([](HouseholdRecord& r) { r.members[0].migrant_months = 12; },
          [](HouseholdRecord& r) { r.members[0].migrant_months = 13; });
  auto adult_child = [](HouseholdRecord& r, const Date& birth) {
    SetBirth(r.members[2], birth);
    r.members[2].in_school = false;
    r.members[2].labour = "ordinary";
    r.members[2].education = "senior";
  };
  f["member.parent_child_age_gap"] = One(
      [=](HouseholdRecord& r) {
        adult_child(r, {1984, 1, 1});
      },  // 14 years after the head
      [=](HouseholdRecord& r) {
        adult_child(r, {1983, 12, 31});
      });  // 13
  f["member.duplicate_person"] = One(
      [](HouseholdRecord& r) {
        Member twin = Person("王小明", "child", {2012, 3, 4}, 9);
        twin.in_school = true;
        twin.labour = "none";
        r.members.push_back(twin);
        r.household.reported_size = 5;
      },
      [](HouseholdRecord& r) {
        Member again = Person("王小明", "child", {2012, 3, 3}, 9);
        again.in_school = true;
        again.labour = "none";
        r.members.push_back(again);
        r.household.reported_size = 5;
      });
  // --- Incomes ---
  f["income.net_negative"] = One(
      [](HouseholdRecord& r) {
        r.incomes[0].costs = r.incomes[0].Gross();  // exactly nothing left
      },
      [](HouseholdRecord& r) { r.incomes[0].costs = r.incomes[0].Gross() + 1; });
  f["income.negative_component"] = One([](HouseholdRecord& r) { r.incomes[0].property = 0; },
                                       [](HouseholdRecord& r) { r.incomes[0].property = -1; });
  f["income.year_in_future"] = One(
      [](HouseholdRecord& r) {
        r.incomes.push_back({2025, 10000, 0, 0, 0, 0});
      },
      [](HouseholdRecord& r) {
        r.incomes.push_back({2026, 10000, 0, 0, 0, 0});
      });
  f["income.missing_year"] = One(
      [](HouseholdRecord& r) {  // identified only after the checked year: nothing to report yet
        r.incomes.pop_back();
        r.household.year_identified = 2025;
        r.events = {Event("identified", {2025, 3, 1})};
        r.household.lifted_year.reset();
      },
      [](HouseholdRecord& r) { r.incomes.pop_back(); });
  f["income.gross_mismatch"] =
      One([](HouseholdRecord& r) { *r.incomes[1].reported_gross += 1; },  // within tolerance
          [](HouseholdRecord& r) { *r.incomes[1].reported_gross += 2; });
  f["income.net_mismatch"] = One([](HouseholdRecord& r) { *r.incomes[1].reported_net -= 1; },
                                 [](HouseholdRecord& r) { *r.incomes[1].reported_net -= 1.5; });
  f["income.per_capita_outlier"] = {Spread, [] {
                                      Records out = Spread();
                                      out[5].incomes[1].wages = 900000;
                                      return out;
                                    }};
  // --- Guarantees ---
  f["guarantee.never_verified"] =
      One(Unchanged, [](HouseholdRecord& r) { Item(r, "food").verified_on.reset(); });
  f["guarantee.verified_in_future"] =
      One([](HouseholdRecord& r) { Item(r, "food").verified_on = kToday; },
          [](HouseholdRecord& r) {
            Item(r, "food").verified_on = Date{2025, 7, 1};
          });
  // --- Measures ---
  f["measure.amount_negative"] = One([](HouseholdRecord& r) { r.measures[0].amount = 0; },
                                     [](HouseholdRecord& r) { r.measures[0].amount = -100; });
  f["measure.end_before_start"] =
      One([](HouseholdRecord& r) { r.measures[0].end_on = r.measures[0].start_on; },
          [](HouseholdRecord& r) {
            r.measures[0].end_on = Date{2018, 2, 28};
          });
  f["measure.at_risk_without_measure"] = One(Monitored, [](HouseholdRecord& r) {
    r.events.push_back(Event("monitored", {2021, 3, 15}));
  });
  // --- Helpers ---
  f["helper.missing"] = One(Monitored, [](HouseholdRecord& r) {
    Monitored(r);
    r.helpers[0].until = Date{2020, 12, 31};
  });
  f["helper.phone_invalid"] = One([](HouseholdRecord& r) { r.helpers[0].phone.clear(); },
                                  [](HouseholdRecord& r) { r.helpers[0].phone = "139000011"; });
  auto cancelled = [](HouseholdRecord& r) {
    r.events.push_back({0, "cancelled", {2022, 1, 1}, std::nullopt, "迁出本县"});
  };
  f["helper.after_cancelled"] = One(
      [=](HouseholdRecord& r) {
        cancelled(r);
        r.helpers[0].until = Date{2021, 12, 31};
      },
      cancelled);
  f["helper.until_before_since"] =
      One([](HouseholdRecord& r) { r.helpers[0].until = r.helpers[0].since; },
          [](HouseholdRecord& r) {
            r.helpers[0].until = Date{2015, 12, 31};
          });
  return f;
}

QualityOptions Options() {
  QualityOptions o;
  o.today = kToday;
  o.year = kYear;
  return o;
}

QualityReport Check(const Records& records, QualityOptions options = Options()) {
  auto checker = QualityChecker::Create(std::move(options));
  EXPECT_TRUE(checker);
  for (const HouseholdRecord& r : records) checker->Add(r);
  return checker->Finish();
}

std::vector<const Finding*> Of(const QualityReport& report, std::string_view code) {
  std::vector<const Finding*> out;
  for (const Finding& f : report.findings) {
    if (f.rule->code == code) out.push_back(&f);
  }
  return out;
}

std::string Describe(const QualityReport& report) {
  std::string out;
  for (const Finding& f : report.findings) {
    out += fmt::format("\n  {} {} {}: {}", f.rule->code, f.household_number, f.field, f.message_en);
  }
  return out;
}

TEST(QualityRules, TheCatalogueHasThirtyRulesOrMoreEachFullyDescribed) {
  const auto rules = QualityRules();
  EXPECT_GE(rules.size(), 30u);
  std::set<std::string_view> codes;
  for (const QualityRule& r : rules) {
    EXPECT_TRUE(codes.insert(r.code).second) << "duplicate code " << r.code;
    EXPECT_NE(r.code.find('.'), std::string_view::npos) << r.code;
    for (std::string_view text :
         {r.title_zh, r.title_en, r.message_zh, r.message_en, r.fix_zh, r.fix_en}) {
      EXPECT_FALSE(text.empty()) << r.code;
    }
    // Titles and fixes are shown as they are: no placeholders in them.
    for (std::string_view text : {r.title_zh, r.title_en, r.fix_zh, r.fix_en}) {
      EXPECT_EQ(text.find('{'), std::string_view::npos) << r.code << ": " << text;
    }
    EXPECT_EQ(FindQualityRule(r.code), &r);
  }
  EXPECT_EQ(FindQualityRule("no.such_rule"), nullptr);
}

TEST(QualityRules, EveryRuleIsDocumented) {
  std::ifstream file(std::string(FUPIN_DOCS_DIR) + "/quality.md");
  ASSERT_TRUE(file) << "docs/quality.md is missing";
  const std::string docs((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  for (const QualityRule& r : QualityRules()) {
    EXPECT_NE(docs.find(fmt::format("| `{}` | {} |", r.code, SeverityName(r.severity))),
              std::string::npos)
        << r.code << " is not in the rule tables of docs/quality.md with its severity";
  }
  EXPECT_NE(docs.find(fmt::format("**{} rules**", QualityRules().size())), std::string::npos);
}

TEST(QualityRules, TheCleanHouseholdPassesEveryRule) {
  const QualityReport report = Check({Clean()});
  EXPECT_TRUE(report.findings.empty()) << Describe(report);
  EXPECT_EQ(report.households, 1);
  EXPECT_EQ(report.members, 4);
  EXPECT_EQ(report.counts.size(), QualityRules().size());
}

TEST(QualityRules, EveryRuleHasAFixtureThatPassesItAndOneThatFailsIt) {
  const auto fixtures = Fixtures();
  for (const QualityRule& rule : QualityRules()) {
    SCOPED_TRACE(std::string(rule.code));
    auto it = fixtures.find(std::string(rule.code));
    ASSERT_NE(it, fixtures.end()) << "rule " << rule.code
                                  << " has no fixtures: add a passing and a failing one";
    const QualityReport passed = Check(it->second.pass());
    EXPECT_TRUE(Of(passed, rule.code).empty()) << "the passing fixture fails" << Describe(passed);
    const QualityReport failed = Check(it->second.fail());
    const auto found = Of(failed, rule.code);
    ASSERT_FALSE(found.empty()) << "the failing fixture passes" << Describe(failed);
    for (const Finding* f : found) {
      EXPECT_EQ(f->rule->severity, rule.severity);
      EXPECT_FALSE(f->household_number.empty());
      EXPECT_EQ(f->region_code, "990121001001");
      EXPECT_FALSE(f->field.empty());
      // Every placeholder of the message is filled in.
      EXPECT_EQ(f->message_zh.find('{'), std::string::npos) << f->message_zh;
      EXPECT_EQ(f->message_en.find('{'), std::string::npos) << f->message_en;
    }
  }
  for (const auto& [code, fixture] : fixtures) {
    EXPECT_NE(FindQualityRule(code), nullptr)
        << "fixtures for a rule that does not exist: " << code;
  }
}

TEST(QualityRules, FindingsNameTheMemberAndNeverShowPersonalDataInClear) {
  HouseholdRecord r = Clean();
  r.members[0].labour = "none";  // healthy working-age head without labour capacity
  r.household.phone = "1381234567";
  r.household.bank_account = "622848001234567";
  r.helpers[0].phone = "139000011";
  std::string& id = r.members[1].id_number;
  id[17] = id[17] == '0' ? '1' : '0';
  const QualityReport report = Check({r});
  const auto labour = Of(report, "member.healthy_without_labour");
  ASSERT_EQ(labour.size(), 1u);
  EXPECT_EQ(labour[0]->member_id, r.members[0].id);
  EXPECT_EQ(labour[0]->member_name, "王建国");
  EXPECT_EQ(labour[0]->field, "members[1].labour");
  EXPECT_EQ(labour[0]->value, "none");
  EXPECT_EQ(labour[0]->message_zh, "王建国（55岁）健康状况与劳动能力“无劳动力”不符");
  EXPECT_EQ(labour[0]->message_en, "王建国 (55) is healthy but recorded as “no labour capacity”");
  for (const Finding& f : report.findings) {
    for (const std::string& text : {f.value, f.message_zh, f.message_en}) {
      EXPECT_EQ(text.find("1381234567"), std::string::npos) << f.rule->code;
      EXPECT_EQ(text.find("622848001234567"), std::string::npos) << f.rule->code;
      EXPECT_EQ(text.find("139000011"), std::string::npos) << f.rule->code;
      EXPECT_EQ(text.find(id), std::string::npos) << f.rule->code;
      EXPECT_EQ(text.find("chronic"), std::string::npos) << f.rule->code;
    }
  }
  EXPECT_EQ(Of(report, "household.phone_invalid").at(0)->value, "******4567");
  EXPECT_EQ(Of(report, "member.id_number_invalid").at(0)->value.substr(0, 8), "9901****");
}

TEST(QualityRules, DuplicateIdsAreFoundAcrossAndWithinHouseholds) {
  Records records{Clean(1), Clean(2)};
  records[1].members[3].id_number = records[0].members[0].id_number;
  const QualityReport report = Check(records);
  const auto found = Of(report, "member.duplicate_id");
  ASSERT_EQ(found.size(), 2u);  // each holder is told about the other
  EXPECT_EQ(found[0]->household_number, records[0].household.number);
  EXPECT_NE(found[0]->message_en.find(records[1].household.number), std::string::npos);
  EXPECT_EQ(found[0]->value, "9901**********" + records[0].members[0].id_number.substr(14));
  // Runs over stored records (across_households off) still see a number twice in one
  // household.
  HouseholdRecord twice = Clean();
  twice.members[1].id_number = twice.members[0].id_number;
  QualityOptions options = Options();
  options.across_households = false;
  EXPECT_EQ(Of(Check({twice}, options), "member.duplicate_id").size(), 1u);
  EXPECT_TRUE(Of(Check(records, options), "member.duplicate_id").empty());
  // A person who moved: a former member of one household, a current member of the other.
  records[1].members[3].left_on = Date{2020, 1, 1};
  records[1].members[3].left_reason = "marriage_out";
  EXPECT_TRUE(Of(Check(records), "member.duplicate_id").empty());
}

TEST(QualityRules, OutliersUseTheRobustZScoreOfLogIncomeAndReportTheirBounds) {
  Records records = Spread();
  records[5].incomes[1].wages = 900000;
  records[6].incomes[1].wages = 0;
  records[6].incomes[1].business = 100;
  const QualityReport report = Check(records);
  EXPECT_EQ(report.income.year, kYear);
  EXPECT_EQ(report.income.households, 40);
  EXPECT_TRUE(report.income.applied);
  EXPECT_GT(report.income.median, 7000);
  EXPECT_LT(report.income.median, 9000);
  EXPECT_LT(report.income.low, report.income.median);
  EXPECT_GT(report.income.high, report.income.median);
  std::set<std::string> flagged;
  for (const Finding* f : Of(report, "income.per_capita_outlier"))
    flagged.insert(f->household_number);
  EXPECT_EQ(flagged,
            (std::set<std::string>{records[5].household.number, records[6].household.number}));
  // Too few households for a distribution: the rule is not applied, and the report says so.
  Records few(records.begin(), records.begin() + 10);
  const QualityReport small = Check(few);
  EXPECT_FALSE(small.income.applied);
  EXPECT_TRUE(Of(small, "income.per_capita_outlier").empty());
}

TEST(QualityRules, TheCheckedYearDefaultsToTheYearMostHouseholdsLastReported) {
  Records records{Clean(1), Clean(2), Clean(3)};
  records[2].incomes.pop_back();  // last reported 2023
  QualityOptions options = Options();
  options.year.reset();
  const QualityReport report = Check(records, options);
  EXPECT_EQ(report.year, 2024);
  EXPECT_FALSE(report.year_given);
  const auto missing = Of(report, "income.missing_year");
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0]->household_number, records[2].household.number);
  EXPECT_EQ(missing[0]->message_zh, "没有2024年的收入信息");
  options.year = 2023;
  EXPECT_TRUE(Of(Check(records, options), "income.missing_year").empty());
}

TEST(QualityRules, RulesAndSeveritiesCanBeChosenAndUnknownCodesAreRefused) {
  HouseholdRecord r = Clean();
  r.members[0].labour = "none";             // warning
  r.members[0].migrant_months = 13;         // error
  r.household.secondary_cause = "illness";  // info
  QualityOptions only = Options();
  only.rules = {"member.migrant_months_invalid"};
  QualityReport report = Check({r}, only);
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].rule->code, "member.migrant_months_invalid");
  ASSERT_EQ(report.counts.size(), 1u);
  EXPECT_EQ(report.counts[0].findings, 1);
  QualityOptions warnings = Options();
  warnings.severity = Severity::kWarning;
  report = Check({r}, warnings);
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].rule->code, "member.healthy_without_labour");
  EXPECT_EQ(report.Count(Severity::kWarning), 1);
  EXPECT_EQ(Check({r}).Count(Severity::kInfo), 1);
  QualityOptions unknown = Options();
  unknown.rules = {"member.no_such_rule"};
  auto refused = QualityChecker::Create(unknown);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(refused.error().details.at(0).value, "member.no_such_rule");
  EXPECT_EQ(ParseSeverity("警告"), Severity::kWarning);
  EXPECT_EQ(ParseSeverity("Error"), Severity::kError);
  EXPECT_FALSE(ParseSeverity("fatal"));
}

TEST(QualityRules, FindingsAreSortedAndCountedPerRuleAndHousehold) {
  Records records{Clean(2), Clean(1)};
  for (HouseholdRecord& r : records) {
    r.members[0].migrant_months = 13;
    r.members[1].migrant_months = 14;
  }
  const QualityReport report = Check(records);
  ASSERT_EQ(report.findings.size(), 4u);
  EXPECT_EQ(report.findings[0].household_number, records[1].household.number);
  EXPECT_EQ(report.findings[0].field, "members[1].migrant_months");
  EXPECT_EQ(report.households_with_findings, 2);
  for (const RuleCount& c : report.counts) {
    if (c.rule->code == "member.migrant_months_invalid") {
      EXPECT_EQ(c.findings, 4);
      EXPECT_EQ(c.households, 2);
    } else {
      EXPECT_EQ(c.findings, 0) << c.rule->code;
    }
  }
}

// The demo's synthetic county: plausible data, so most households are clean and the findings
// are few, of kinds a real county has too.
TEST(QualityRules, TheSyntheticRegistryIsMostlyClean) {
  auto regions = regions::GenerateRegions(regions::DemoScale::kCounty, 7);
  SyntheticOptions synthetic;
  synthetic.last_year = kYear;
  auto checker = QualityChecker::Create([] {
    QualityOptions o;
    o.today = kToday;
    return o;
  }());
  ASSERT_TRUE(checker);
  auto status = GenerateRegistry(regions, synthetic, [&](std::vector<HouseholdRecord>&& batch) {
    for (HouseholdRecord& r : batch) {
      EXPECT_TRUE(ValidateRecord(r, kToday).empty()) << r.household.number;
      checker->Add(r);
    }
    return Status{};
  });
  ASSERT_TRUE(status);
  const QualityReport report = checker->Finish();
  ASSERT_GT(report.households, 5000);
  EXPECT_EQ(report.year, kYear);
  EXPECT_TRUE(report.income.applied);
  EXPECT_EQ(report.Count(Severity::kError), 0) << Describe(report).substr(0, 3000);
  const double share =
      static_cast<double>(report.households_with_findings) / static_cast<double>(report.households);
  EXPECT_LT(share, 0.05) << Describe(report).substr(0, 3000);
  std::string summary;
  for (const RuleCount& c : report.counts) {
    if (c.findings > 0) summary += fmt::format("\n  {} {}", c.rule->code, c.findings);
  }
  RecordProperty("findings", summary);
  std::printf("synthetic county: %lld households, %lld with findings:%s\n",
              static_cast<long long>(report.households),
              static_cast<long long>(report.households_with_findings), summary.c_str());
}

}  // namespace
}  // namespace fupin::registry
