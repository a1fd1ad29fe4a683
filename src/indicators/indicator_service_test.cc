#include "indicators/indicator_service.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <tuple>

#include "indicators/test_fixture.h"

namespace fupin::indicators {
namespace {

using testing::kCounty;
using testing::kT1;
using testing::kT2;
using testing::kV1;
using testing::kV2;
using testing::kV3;

const audit::Actor kActor{"tester", 1, "local"};

// The fixture, plus the households, status events and entered values the tests add; each
// addition bumps the counter a store would bump and logs the household it touched.
class FakeRepository final : public IndicatorRepository {
 public:
  Result<ChangeStamp> Changes() override { return stamp; }

  Result<ChangeStamp> ScanFacts(FactSink& sink) override {
    ++scans;
    Feed(sink, nullptr, true);
    return stamp;
  }

  Result<std::optional<ChangeScan>> ScanChanges(const ChangeStamp& since, size_t max_households,
                                                FactSink& sink) override {
    ++patch_scans;
    if (since.registry < pruned) return std::optional<ChangeScan>();
    std::set<int64_t> changed;
    for (const auto& [generation, id] : log) {
      if (generation > since.registry) changed.insert(id);
    }
    if (changed.size() > max_households) return std::optional<ChangeScan>();
    ChangeScan scan;
    scan.stamp = stamp;
    scan.households.assign(changed.begin(), changed.end());
    scan.entered = since.statistics != stamp.statistics;
    Feed(sink, &changed, scan.entered);
    return std::optional<ChangeScan>(std::move(scan));
  }

  Result<std::vector<EnteredValue>> EnteredValues(std::string_view indicator, std::string_view,
                                                  std::string_view period) override {
    std::vector<EnteredValue> out;
    for (const EnteredValue& v : entered) {
      if ((indicator.empty() || v.indicator == indicator) &&
          (period.empty() || v.period == period)) {
        out.push_back(v);
      }
    }
    return out;
  }

  Result<std::vector<Declaration>> Declarations() override { return declarations; }
  Result<Declaration> InsertDeclaration(const Indicator& indicator,
                                        const audit::Actor& actor) override {
    for (const Declaration& d : declarations) {
      if (d.indicator.code == indicator.code) return AlreadyExists("declared");
    }
    declarations.push_back({indicator, 1, actor.name, "t", actor.name, "t"});
    ++stamp.catalogue;
    return declarations.back();
  }
  Result<Declaration> UpdateDeclaration(const Indicator& indicator, int64_t version,
                                        const audit::Actor& actor) override {
    for (Declaration& d : declarations) {
      if (d.indicator.code != indicator.code) continue;
      if (d.version != version) return Conflict("changed", d.version);
      d.indicator = indicator;
      ++d.version;
      d.updated_by = actor.name;
      ++stamp.catalogue;
      return d;
    }
    return NotFound("not declared");
  }
  Status DeleteDeclaration(std::string_view code, int64_t version, const audit::Actor&) override {
    for (auto it = declarations.begin(); it != declarations.end(); ++it) {
      if (it->indicator.code != code) continue;
      if (it->version != version) return Conflict("changed", it->version);
      declarations.erase(it);
      ++stamp.catalogue;
      return {};
    }
    return NotFound("not declared");
  }

  Result<SaveCounts> SaveEnteredValues(std::span<const EnteredValue> values,
                                       const audit::Actor& actor, std::string_view) override {
    SaveCounts counts;
    for (EnteredValue v : values) {
      v.entered_by = actor.name;
      auto it = std::find_if(entered.begin(), entered.end(), [&](const EnteredValue& e) {
        return e.indicator == v.indicator && e.region_code == v.region_code && e.period == v.period;
      });
      if (it == entered.end()) {
        entered.push_back(v);
        ++counts.inserted;
      } else if (it->value == v.value) {
        ++counts.unchanged;
      } else {
        *it = v;
        ++counts.updated;
      }
    }
    ++saves;
    ++stamp.statistics;
    return counts;
  }

  // A new poor household in V3 (one member, identified 2016-01-01).
  void AddHousehold(int64_t id) {
    extra_households.push_back(id);
    Touch(id);
  }
  // A new status event of any household.
  void AddEvent(int64_t household, std::string status, Date on) {
    extra_events.push_back({household, std::move(status), on});
    Touch(household);
  }

  ChangeStamp stamp{1, 1, 1, 0};
  std::vector<Declaration> declarations;
  int64_t pruned = 0;
  int scans = 0;
  int patch_scans = 0;
  int saves = 0;
  std::vector<std::pair<int64_t, int64_t>> log;  // (registry generation, household)
  std::vector<int64_t> extra_households;
  std::vector<std::tuple<int64_t, std::string, Date>> extra_events;
  std::vector<EnteredValue> entered = {{"rural_population", kV1, "2018", 100, "", "", ""},
                                       {"rural_population", kV2, "2018", 50, "", "", ""},
                                       {"rural_population", kT2, "2018", 40, "", "", ""},
                                       {"rural_population", kV1, "2019", 100, "", "", ""}};

 private:
  void Touch(int64_t household) {
    ++stamp.registry;
    log.emplace_back(stamp.registry, household);
  }

  // Streams the facts: every household, or only those in `only` (then no regions); the
  // stored entered values when `with_entered` (the fixture's own are replaced by them).
  void Feed(FactSink& sink, const std::set<int64_t>* only, bool with_entered) {
    struct Filter final : FactSink {
      FactSink& to;
      const std::set<int64_t>* only;
      Filter(FactSink& s, const std::set<int64_t>* o) : to(s), only(o) {}
      bool Pass(int64_t h) const { return only == nullptr || only->contains(h); }
      void Region(std::string_view c, std::string_view n, const std::optional<Date>& d) override {
        if (only == nullptr) to.Region(c, n, d);
      }
      void Household(int64_t id, std::string_view r, std::string_view c) override {
        if (Pass(id)) to.Household(id, r, c);
      }
      void Member(int64_t h, const std::optional<Date>& j, const std::optional<Date>& l) override {
        if (Pass(h)) to.Member(h, j, l);
      }
      void StatusEvent(int64_t h, int64_t id, std::string_view s, const Date& on) override {
        if (Pass(h)) to.StatusEvent(h, id, s, on);
      }
      void Income(int64_t h, int y, double n) override {
        if (Pass(h)) to.Income(h, y, n);
      }
      void Guarantee(int64_t h, std::string_view i, bool m, const std::optional<Date>& v) override {
        if (Pass(h)) to.Guarantee(h, i, m, v);
      }
      void Entered(std::string_view, std::string_view, std::string_view, double) override {}
    } filter(sink, only);
    testing::FeedFixture(filter);
    for (int64_t id : extra_households) filter.Household(id, kV3, "illness");
    for (int64_t id : extra_households) {
      filter.Member(id, std::nullopt, std::nullopt);
      filter.StatusEvent(id, 1000 + id, "identified", Date{2016, 1, 1});
    }
    int64_t event_id = 2000;
    for (const auto& [household, status, on] : extra_events) {
      filter.StatusEvent(household, ++event_id, status, on);
    }
    if (with_entered) {
      for (const EnteredValue& v : entered) {
        sink.Entered(v.indicator, v.region_code, v.period, v.value);
      }
    }
  }
};

// Only FindMany is used (by the statistics import).
class FakeRegions final : public regions::RegionRepository {
 public:
  Result<std::optional<regions::Region>> Find(std::string_view) override { return std::nullopt; }
  Result<std::vector<regions::Region>> FindMany(std::span<const std::string> codes) override {
    std::vector<regions::Region> out;
    for (const std::string& code : codes) {
      for (const char* known : {kCounty, kT1, kT2, kV1, kV2, kV3}) {
        if (code == known) {
          regions::Region r;
          r.code = code;
          out.push_back(r);
        }
      }
    }
    return out;
  }
  Result<std::vector<regions::RegionListItem>> Children(std::string_view, bool) override {
    return std::vector<regions::RegionListItem>{};
  }
  Result<regions::RegionPage> Search(const regions::RegionQuery&) override {
    return regions::RegionPage{};
  }
  Result<regions::LevelCounts> CountByLevel(std::string_view) override {
    return regions::LevelCounts{};
  }
  Result<regions::UpsertCounts> Upsert(std::span<const regions::Region>, const audit::Actor&,
                                       std::string_view) override {
    return Internal("not used");
  }
  Result<regions::Region> Rename(std::string_view, std::string_view, int64_t,
                                 const audit::Actor&) override {
    return Internal("not used");
  }
  Result<regions::Region> Close(std::string_view, const Date&, std::string_view, int64_t,
                                const audit::Actor&) override {
    return Internal("not used");
  }
};

class ServiceTest : public ::testing::Test {
 protected:
  ServiceTest()
      : catalogue_(*StandardCatalogue()),
        clock_(std::chrono::sys_days{std::chrono::year{2024} / 5 / 1}),
        service_(catalogue_, repo_, regions_, IncomeThresholds::Defaults(), clock_) {}

  ValueReport Query(const std::string& region, const Period& period, bool children = false,
                    std::vector<std::string> codes = {}) {
    auto r = service_.Values({region, period, children, std::move(codes)}, {""});
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    return r ? *r : ValueReport{};
  }

  // The value of `code` for `region` in `report`.
  static const Value& Find(const ValueReport& report, std::string_view region,
                           std::string_view code) {
    for (const Value& v : report.values) {
      if (v.region_code == region && v.indicator == code) return v;
    }
    ADD_FAILURE() << "no value of " << code << " for " << region;
    static const Value none;
    return none;
  }

  Catalogue catalogue_;
  FakeRepository repo_;
  FakeRegions regions_;
  ManualClock clock_;
  IndicatorService service_;
};

TEST_F(ServiceTest, ReportsTheRegionAndItsOpenChildren) {
  const ValueReport r = Query(kCounty, YearPeriod(2018), true);
  ASSERT_EQ(r.regions.size(), 3u);
  EXPECT_EQ(r.regions[0].code, kCounty);
  EXPECT_EQ(r.regions[0].name, "测试县");
  EXPECT_EQ(r.regions[1].code, kT1);
  EXPECT_EQ(r.regions[2].code, kT2);
  EXPECT_EQ(r.indicators.size(), catalogue_.All().size());
  EXPECT_EQ(r.values.size(), 3 * catalogue_.All().size());
  EXPECT_EQ(r.income_year, 2018);
  EXPECT_EQ(r.income_threshold, 2995);
  EXPECT_EQ(Find(r, kCounty, kHouseholds).value, 4);
  EXPECT_EQ(Find(r, kT1, kPeople).value, 9);
  EXPECT_EQ(Find(r, kT2, kPoorPeople).value, 1);
}

TEST_F(ServiceTest, DerivedIndicatorsAreRatiosOfRolledUpSums) {
  const ValueReport r = Query(kT1, YearPeriod(2018), true);
  const Value& mean = Find(r, kT1, kMeanPerCapitaNetIncome);
  EXPECT_EQ(mean.numerator, 35000);
  EXPECT_EQ(mean.denominator, 9);
  EXPECT_NEAR(*mean.value, 3888.888889, 1e-6);  // not (20000/6 + 15000/3) / 2 = 4166.67
  EXPECT_NEAR(*Find(r, kV1, kMeanPerCapitaNetIncome).value, 20000.0 / 6, 1e-9);
  EXPECT_EQ(Find(r, kV2, kMeanPerCapitaNetIncome).value, 5000);
  EXPECT_EQ(Find(r, kT1, kPovertyIncidence).value, 2);  // 3 / 150 × 100
  EXPECT_EQ(Find(r, kV1, SecuredRateCode("housing")).value, 50);
  EXPECT_EQ(Find(r, kV1, SecuredRateCode("education")).value, 100);
  const Value& water = Find(r, kV1, SecuredRateCode("water"));
  EXPECT_FALSE(water.value.has_value());  // nobody assessed yet
  EXPECT_EQ(water.denominator, 0);
}

TEST_F(ServiceTest, EnteredValuesRollUpFromTheRegionsThatHaveThem) {
  const ValueReport r =
      Query(kCounty, YearPeriod(2018), true, {"rural_population", "poverty_incidence"});
  EXPECT_EQ(r.indicators.size(), 2u);
  EXPECT_EQ(r.values.size(), 6u);
  EXPECT_EQ(Find(r, kT1, kRuralPopulation).value, 150);  // V1 100 + V2 50
  EXPECT_EQ(Find(r, kT2, kRuralPopulation).value, 40);   // its own value
  EXPECT_EQ(Find(r, kCounty, kRuralPopulation).value, 190);
  const Value& incidence = Find(r, kCounty, kPovertyIncidence);
  EXPECT_EQ(incidence.numerator, 4);
  EXPECT_EQ(incidence.denominator, 190);
  EXPECT_NEAR(*incidence.value, 400.0 / 190, 1e-12);
  // V3 has no rural population of its own (T2's value is not spread down).
  const ValueReport t2 =
      Query(kT2, YearPeriod(2018), true, {"rural_population", "poverty_incidence"});
  EXPECT_EQ(Find(t2, kT2, kPovertyIncidence).value, 2.5);
  EXPECT_FALSE(Find(t2, kV3, kRuralPopulation).value.has_value());
  EXPECT_FALSE(Find(t2, kV3, kPovertyIncidence).value.has_value());
  // 2019 has only V1's figure; an as-of date in 2020 uses 2019's.
  EXPECT_EQ(Find(Query(kCounty, YearPeriod(2019)), kCounty, kPovertyIncidence).value, 6);
  const ValueReport mid = Query(kCounty, DayPeriod(Date{2020, 6, 30}));
  EXPECT_EQ(Find(mid, kCounty, kRuralPopulation).value, 100);
  EXPECT_EQ(Find(mid, kCounty, kPovertyIncidence).value, 5);
  EXPECT_EQ(mid.income_year, 2019);
  EXPECT_FALSE(Find(Query(kCounty, YearPeriod(2017)), kCounty, kRuralPopulation).value);
}

Indicator Declared(std::string code, Source source) {
  Indicator i;
  i.code = std::move(code);
  i.zh = i.code + "（声明）";
  i.en = i.code + " (declared)";
  i.unit = "person";
  i.source = source;
  i.definition_zh = "定义";
  i.definition_en = "definition";
  return i;
}

TEST_F(ServiceTest, DeclaredIndicatorsAreComputedAndRolledUpLikeBuiltInOnes) {
  const audit::Actor& actor = kActor;
  // An entered statistic and a share over it and the poor people (built in).
  Indicator staff = Declared("cadres", Source::kEntered);
  auto declared_staff = service_.Declare(staff, actor);
  ASSERT_TRUE(declared_staff.has_value()) << declared_staff.error().message;
  EXPECT_EQ(declared_staff->version, 1);
  EXPECT_EQ(catalogue_.Find("cadres")->module, kDeclaredModule);
  Indicator ratio = Declared("poor_per_cadre", Source::kComputed);
  ratio.unit = "none";
  ratio.formula = Formula{"poor_people", "cadres", 1};
  ratio.aggregation = Aggregation::kRatioOfSums;
  ASSERT_TRUE(service_.Declare(ratio, actor).has_value());

  repo_.entered.push_back({"cadres", kV1, "2018", 2, "", "", ""});
  repo_.entered.push_back({"cadres", kV2, "2018", 1, "", "", ""});
  repo_.entered.push_back({"cadres", kT2, "2018", 1, "", "", ""});
  ++repo_.stamp.statistics;
  const ValueReport r = Query(kCounty, YearPeriod(2018), true, {"cadres", "poor_per_cadre"});
  EXPECT_EQ(Find(r, kT1, "cadres").value, 3);
  EXPECT_EQ(Find(r, kCounty, "cadres").value, 4);
  const Value& county = Find(r, kCounty, "poor_per_cadre");
  EXPECT_EQ(county.numerator, 4);  // the county's poor people
  EXPECT_EQ(county.denominator, 4);
  EXPECT_EQ(county.value, 1);
  EXPECT_EQ(Find(r, kT1, "poor_per_cadre").value, 1);  // 3 poor people, 3 cadres

  // Bad declarations name their fields; a code taken is refused.
  Indicator bad = Declared("bad", Source::kComputed);
  bad.formula = Formula{"poor_people", "nobody", 100};
  bad.aggregation = Aggregation::kRatioOfSums;
  auto refused = service_.Declare(bad, actor);
  ASSERT_FALSE(refused.has_value());
  ASSERT_EQ(refused.error().details.size(), 1u);
  EXPECT_EQ(refused.error().details[0].column, "formula.denominator");
  EXPECT_EQ(refused.error().details[0].row, 0);
  EXPECT_EQ(service_.Declare(Declared("households", Source::kEntered), actor).error().code,
            ErrorCode::kAlreadyExists);
  EXPECT_EQ(service_.Declare(staff, actor).error().code, ErrorCode::kAlreadyExists);

  // A change is seen at once; the source and built-in indicators do not change; a cycle is
  // refused.
  ratio.formula->factor = 100;
  auto changed = service_.Redeclare(ratio, 1, actor);
  ASSERT_TRUE(changed.has_value()) << changed.error().message;
  EXPECT_EQ(changed->version, 2);
  EXPECT_EQ(
      Find(Query(kCounty, YearPeriod(2018), false, {"poor_per_cadre"}), kCounty, "poor_per_cadre")
          .value,
      100);
  EXPECT_EQ(service_.Redeclare(ratio, 1, actor).error().code, ErrorCode::kConflict);
  Indicator resourced = staff;
  resourced.source = Source::kSurveyed;
  resourced.aggregation = Aggregation::kMeanOfAnswers;
  EXPECT_EQ(service_.Redeclare(resourced, 1, actor).error().code, ErrorCode::kFailedPrecondition);
  Indicator builtin = *catalogue_.Find("households");
  EXPECT_EQ(service_.Redeclare(builtin, 1, actor).error().code, ErrorCode::kFailedPrecondition);
  staff.aggregation = Aggregation::kMeanWeighted;
  staff.weight = "poor_per_cadre";  // which is computed from cadres
  EXPECT_EQ(service_.Redeclare(staff, 1, actor).error().code, ErrorCode::kInvalidArgument);

  // Removal: refused while used (by a formula, by whatever a finder finds), then done.
  service_.AddUseFinder([](std::string_view code) -> Result<std::vector<std::string>> {
    if (code == "poor_per_cadre") return std::vector<std::string>{"indicator system 1"};
    return std::vector<std::string>{};
  });
  auto in_use = service_.Withdraw("cadres", 1, actor);
  ASSERT_FALSE(in_use.has_value());
  EXPECT_NE(in_use.error().message.find("the formula of indicator poor_per_cadre"),
            std::string::npos);
  auto found = service_.Withdraw("poor_per_cadre", 2, actor);
  ASSERT_FALSE(found.has_value());
  EXPECT_NE(found.error().message.find("indicator system 1"), std::string::npos);
  EXPECT_EQ(service_.Withdraw("households", 1, actor).error().code, ErrorCode::kFailedPrecondition);
}

TEST_F(ServiceTest, DeclarationsOfAnotherProcessAreSeenAtTheNextQuery) {
  Indicator ratio = Declared("poor_share", Source::kComputed);
  ratio.unit = "percent";
  ratio.formula = Formula{"poor_people", "people", 100};
  ratio.aggregation = Aggregation::kRatioOfSums;
  ratio.module = std::string(kDeclaredModule);
  repo_.declarations.push_back({ratio, 1, "other", "t", "other", "t"});
  ++repo_.stamp.catalogue;
  const ValueReport r = Query(kT1, YearPeriod(2018), false, {"poor_share"});
  EXPECT_NEAR(*Find(r, kT1, "poor_share").value, 300.0 / 9, 1e-9);
  ASSERT_TRUE(service_.DeclarationOf("poor_share").has_value());
  EXPECT_EQ(service_.DeclarationOf("poor_share")->declared_by, "other");

  // A stored declaration that no longer fits (here: a code now built in) is left out.
  Indicator clash = Declared("households", Source::kEntered);
  clash.module = std::string(kDeclaredModule);
  repo_.declarations.push_back({clash, 1, "other", "t", "other", "t"});
  repo_.declarations.erase(repo_.declarations.begin());
  ++repo_.stamp.catalogue;
  ASSERT_TRUE(service_.Refresh().has_value());
  EXPECT_EQ(catalogue_.Find("poor_share"), nullptr);
  EXPECT_EQ(catalogue_.Find("households")->module, "registry");
  EXPECT_EQ(service_.Skipped(), std::vector<std::string>{"households"});
}

TEST_F(ServiceTest, MeanWeightedEnteredIndicatorsWeighByTheirWeight) {
  Catalogue c = *StandardCatalogue();
  Indicator wage;
  wage.code = "mean_wage";
  wage.zh = "平均工资";
  wage.en = "mean wage";
  wage.unit = "yuan";
  wage.source = Source::kEntered;
  wage.aggregation = Aggregation::kMeanWeighted;
  wage.weight = "rural_population";
  wage.definition_zh = "录入";
  wage.definition_en = "entered";
  ASSERT_TRUE(c.Register(wage).has_value());
  repo_.entered.push_back({"mean_wage", kV1, "2018", 3000, "", "", ""});
  repo_.entered.push_back({"mean_wage", kV2, "2018", 6000, "", "", ""});
  IndicatorService service(c, repo_, regions_, IncomeThresholds::Defaults(), clock_);
  auto r = service.Values({kCounty, YearPeriod(2018), true, {"mean_wage"}}, {""});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(Find(*r, kT1, "mean_wage").value, 4000);  // (3000×100 + 6000×50) / 150
  EXPECT_EQ(Find(*r, kCounty, "mean_wage").value, 4000);
  EXPECT_FALSE(Find(*r, kT2, "mean_wage").value.has_value());
}

TEST_F(ServiceTest, ACachedCubeIsReusedUntilAWriteBumpsTheCounters) {
  EXPECT_EQ(Find(Query(kCounty, YearPeriod(2018)), kCounty, kHouseholds).value, 4);
  EXPECT_EQ(Find(Query(kCounty, YearPeriod(2019)), kCounty, kHouseholds).value, 4);
  EXPECT_EQ(repo_.scans, 1);
  EXPECT_EQ(repo_.patch_scans, 0);
  repo_.AddHousehold(100);  // a write somewhere: the counter moves
  EXPECT_EQ(Find(Query(kCounty, YearPeriod(2018)), kCounty, kHouseholds).value, 5);
  EXPECT_EQ(Find(Query(kCounty, YearPeriod(2018)), kCounty, kPoorPeople).value, 5);
  EXPECT_EQ(Find(Query(kV3, YearPeriod(2018)), kV3, kHouseholds).value, 2);
  EXPECT_EQ(repo_.scans, 1);  // patched, not reloaded
  EXPECT_EQ(repo_.patch_scans, 1);
  EXPECT_EQ((*service_.Cube())->patched_households(), 1u);
}

TEST_F(ServiceTest, PatchesReplaceChangedHouseholdsWithoutCountingThemTwice) {
  const ValueReport before = Query(kCounty, YearPeriod(2018));
  EXPECT_EQ(Find(before, kCounty, kPoorPeople).value, 4);
  EXPECT_EQ(Find(before, kCounty, kLiftedPeople).value, 6);
  repo_.AddEvent(2, "lifted", Date{2018, 6, 1});  // H2 (three people in V1) lifted out
  const ValueReport after = Query(kCounty, YearPeriod(2018), true);
  EXPECT_EQ(Find(after, kCounty, kHouseholds).value, 4);
  EXPECT_EQ(Find(after, kCounty, kPeople).value, 10);
  EXPECT_EQ(Find(after, kCounty, kPoorPeople).value, 1);
  EXPECT_EQ(Find(after, kCounty, kLiftedPeople).value, 9);
  EXPECT_EQ(Find(after, kT1, kPoorHouseholds).value, 0);
  EXPECT_EQ(Find(after, kCounty, kNetIncomeTotal).value, 35000);  // H2's income kept
  EXPECT_EQ(Find(after, kCounty, CauseCode("lack_skills")).value, 0);
  // A second write: the patch re-reads both households changed since the full load.
  repo_.AddHousehold(100);
  const ValueReport both = Query(kCounty, YearPeriod(2018));
  EXPECT_EQ(Find(both, kCounty, kHouseholds).value, 5);
  EXPECT_EQ(Find(both, kCounty, kPoorPeople).value, 2);
  EXPECT_EQ(Find(both, kCounty, kLiftedPeople).value, 9);
  auto cube = service_.Cube();
  EXPECT_EQ((*cube)->patched_households(), 2u);
  EXPECT_EQ((*cube)->household_count(), 8u);
  EXPECT_EQ((*cube)->base_generation(), 1);
  EXPECT_EQ(repo_.scans, 1);
  EXPECT_EQ(repo_.patch_scans, 2);
  // Earlier years are unaffected by the 2018 event: H1 2 (C joins in 2018), H2 3, H7 1 and
  // the new household 1.
  EXPECT_EQ(Find(Query(kCounty, YearPeriod(2017)), kCounty, kPoorPeople).value, 7);
}

TEST_F(ServiceTest, NewStatisticsReloadOnlyTheEnteredValues) {
  EXPECT_EQ(Find(Query(kCounty, YearPeriod(2018)), kCounty, kRuralPopulation).value, 190);
  repo_.entered.push_back({"rural_population", kV3, "2018", 60, "", "", ""});
  ++repo_.stamp.statistics;
  const ValueReport r = Query(kT2, YearPeriod(2018), true);
  EXPECT_EQ(Find(r, kV3, kRuralPopulation).value, 60);
  EXPECT_EQ(Find(r, kT2, kRuralPopulation).value, 40);
  EXPECT_EQ(repo_.scans, 1);
  EXPECT_EQ(repo_.patch_scans, 1);
  EXPECT_EQ((*service_.Cube())->patched_households(), 0u);
}

TEST_F(ServiceTest, ReloadsInFullWhenPatchingCannotBeTrusted) {
  Query(kCounty, YearPeriod(2018));
  ++repo_.stamp.regions;  // the hierarchy changed
  Query(kCounty, YearPeriod(2018));
  EXPECT_EQ(repo_.scans, 2);
  EXPECT_EQ(repo_.patch_scans, 0);
  repo_.pruned = repo_.stamp.registry + 1;  // the log no longer reaches back
  repo_.AddHousehold(100);
  EXPECT_EQ(Find(Query(kCounty, YearPeriod(2018)), kCounty, kHouseholds).value, 5);
  EXPECT_EQ(repo_.scans, 3);
  EXPECT_EQ(repo_.patch_scans, 1);
  // Too many changes since the full load: loading again is as cheap.
  IndicatorService small(catalogue_, repo_, regions_, IncomeThresholds::Defaults(), clock_, 1);
  ASSERT_TRUE(small.Cube().has_value());
  repo_.AddHousehold(101);
  ASSERT_TRUE(small.Cube().has_value());
  EXPECT_EQ((*small.Cube())->patched_households(), 1u);
  repo_.AddHousehold(102);
  auto reloaded = small.Cube();
  EXPECT_EQ((*reloaded)->patched_households(), 0u);
  EXPECT_EQ((*reloaded)->base_generation(), repo_.stamp.registry);
  EXPECT_EQ((*reloaded)->household_count(), 10u);
}

TEST_F(ServiceTest, RefusesBadQueries) {
  auto outside = service_.Values({kCounty, YearPeriod(2018), false, {}}, {kT1});
  ASSERT_FALSE(outside.has_value());
  EXPECT_EQ(outside.error().code, ErrorCode::kPermissionDenied);
  auto inside = service_.Values({kV1, YearPeriod(2018), false, {}}, {kT1});
  EXPECT_TRUE(inside.has_value());
  auto nowhere = service_.Values({kV1, YearPeriod(2018), false, {}}, {});
  EXPECT_EQ(nowhere.error().code, ErrorCode::kPermissionDenied);
  auto unknown = service_.Values({"990101009000", YearPeriod(2018), false, {}}, {""});
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  auto malformed = service_.Values({"9901", YearPeriod(2018), false, {}}, {""});
  EXPECT_EQ(malformed.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(malformed.error().details[0].column, "region");
  auto codes = service_.Values({kV1, YearPeriod(2018), false, {"people", "nope", "x"}}, {""});
  ASSERT_FALSE(codes.has_value());
  ASSERT_EQ(codes.error().details.size(), 2u);
  EXPECT_EQ(codes.error().details[0].value, "nope");
}

tabular::Row R(int64_t line, std::vector<std::string> cells) { return {line, std::move(cells)}; }

TEST_F(ServiceTest, ImportsStatisticsIdempotently) {
  const std::vector<std::string> header = {"行政区划代码", "年度", "指标代码", "数值"};
  const std::vector<tabular::Row> rows = {R(2, {kV3, "2018", "rural_population", "1,234"}),
                                          R(3, {kV1, "2020", "rural_population", "120"})};
  auto dry = service_.ImportStatistics(header, rows, true, kActor, "stats.csv sha256:x");
  ASSERT_TRUE(dry.has_value()) << dry.error().message;
  EXPECT_TRUE(dry->dry_run);
  EXPECT_EQ(dry->counts.inserted, 2);
  EXPECT_EQ(repo_.saves, 0);
  auto first = service_.ImportStatistics(header, rows, false, kActor, "stats.csv sha256:x");
  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_EQ(first->rows, 2);
  EXPECT_EQ(first->counts.inserted, 2);
  auto again = service_.ImportStatistics(header, rows, false, kActor, "stats.csv sha256:x");
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->counts.unchanged, 2);
  EXPECT_EQ(again->counts.inserted, 0);
  // The imported figure is what the next query reports.
  const ValueReport r = Query(kT2, YearPeriod(2018), true, {"rural_population"});
  EXPECT_EQ(Find(r, kV3, kRuralPopulation).value, 1234);
  EXPECT_EQ(Find(r, kT2, kRuralPopulation).value, 40);  // its own value wins
}

TEST_F(ServiceTest, ReportsEveryBadRowAndWritesNothing) {
  const std::vector<std::string> header = {"region_code", "year", "indicator_code", "value"};
  const std::vector<tabular::Row> rows = {
      R(2, {kV1, "2018", "rural_population", "100"}),
      R(3, {"990101009009", "2018", "rural_population", "5"}),  // no such region
      R(4, {"12345", "2018", "rural_population", "5"}),         // not a code
      R(5, {kV2, "2018", "poor_people", "5"}),                  // computed
      R(6, {kV2, "2018", "no_such_thing", "5"}),
      R(7, {kV2, "1900", "rural_population", "5"}),
      R(8, {kV2, "2025", "rural_population", "5"}),  // after this year (2024)
      R(9, {kV2, "2018", "rural_population", "many"}),
      R(10, {kV2, "2018", "rural_population", "-3"}),
      R(11, {kV2, "2018", "rural_population", "2.5"}),
      R(12, {kV1, "2018", "rural_population", "101"}),  // twice
      R(13, {kV2, "2018", "rural_population", "1,23"}),
  };
  auto r = service_.ImportStatistics(header, rows, false, kActor, "bad.csv");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  const auto& d = r.error().details;
  ASSERT_EQ(d.size(), 11u) << r.error().message;
  EXPECT_EQ(d[0].row, 3);
  EXPECT_EQ(d[0].column, "region_code");
  EXPECT_EQ(d[0].reason, "no region has this code");
  EXPECT_EQ(d[1].row, 4);
  EXPECT_EQ(d[2].row, 5);
  EXPECT_EQ(d[2].column, "indicator_code");
  EXPECT_NE(d[2].reason.find("computed"), std::string::npos);
  EXPECT_EQ(d[3].row, 6);
  EXPECT_EQ(d[4].column, "year");
  EXPECT_EQ(d[5].row, 8);
  EXPECT_EQ(d[6].column, "value");
  EXPECT_EQ(d[6].value, "many");
  EXPECT_EQ(d[7].row, 10);
  EXPECT_EQ(d[8].row, 11);
  EXPECT_EQ(d[9].row, 12);
  EXPECT_NE(d[9].reason.find("first at row 2"), std::string::npos);
  EXPECT_EQ(d[10].row, 13);
  EXPECT_EQ(repo_.saves, 0);
  auto missing = service_.ImportStatistics({"code", "年度", "数值"}, rows, false, kActor, "x");
  ASSERT_FALSE(missing.has_value());
  ASSERT_EQ(missing.error().details.size(), 1u);
  EXPECT_EQ(missing.error().details[0].column, "indicator_code / 指标代码");
}

}  // namespace
}  // namespace fupin::indicators
