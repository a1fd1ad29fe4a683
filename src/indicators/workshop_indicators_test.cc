#include "indicators/workshop_indicators.h"

#include <gtest/gtest.h>

#include "indicators/indicator_service.h"
#include "indicators/test_fixture.h"

namespace fupin::indicators {
namespace {

using testing::kCounty;
using testing::kT1;
using testing::kT2;
using testing::kV1;
using testing::kV2;
using testing::kV3;
using workshops::Employment;
using workshops::MemberRegistryFacts;
using workshops::MonthlyReport;
using workshops::Workshop;

MonthlyReport Report(int64_t workshop, int year, int month, int days, int headcount, int poor,
                     int64_t poor_wages_yuan) {
  MonthlyReport r;
  r.workshop_id = workshop;
  r.year = year;
  r.month = month;
  r.status = "operating";
  r.days_operated = days;
  r.headcount = headcount;
  r.poor_headcount = poor;
  r.poor_wages_fen = poor_wages_yuan * 100;
  r.wages_fen = r.poor_wages_fen * 2;
  return r;
}

Employment Job(int64_t workshop, int64_t member, std::string category, Date start,
               std::optional<Date> end = std::nullopt) {
  Employment e;
  e.id = member;
  e.workshop_id = workshop;
  e.member_id = member;
  e.category = std::move(category);
  e.start = start;
  e.end = end;
  return e;
}

// The fixture's regions, with four workshops:
//   W1 (V1) recognized 2018-01-01, operating. 2019 reports: 22 days a month (December 20),
//      10 workers of whom 4 registered poor, paid 2,000 yuan a month (December 3,000): 25,000
//      yuan in the year.
//   W2 (V1) recognized 2019-03-01, suspended 2019-12-01; reports October to December 2019
//      only: 5, 3 and 0 days (idle: fewer than 10 days three months running), 5 workers, 1
//      registered poor paid 500 yuan a month: 1,500 yuan in the year.
//   W3 (V3) recognized 2019-06-01, closed 2019-11-15; no reports (closed: not idle).
//   W4 (V2) only applied for: counts nowhere.
// Registered-poor workers: member 1 (household 1) in W1 from 2019-01-01 and member 2 (also
// household 1) in W2 from 2019-03-01 — household 1 counts once; member 3 (household 3) left W1
// at the end of 2018 — not in 2019; member 4 (household 2) in W3 from 2019-06-01. Member 5,
// other local, in W1. Gross incomes of 2019: household 1 60,000, household 2 40,000,
// household 3 30,000.
//
// Expected for 2019 (D = 2019-12-31, M = December, Y = 2019):
//   V1: recognized 2, operating 1, suspended 1, base 2, idle 1, jobs 15, poor jobs 5, month
//       wages 3,500, year wages 26,500, households' income 60,000 → resumption 50%, share
//       33.3%, mean wage 700, wage share 44.17%.
//   V3: recognized 1, closed 1, base 0 (no resumption rate), income 40,000, wages 0 → 0%.
//   County: recognized 3, operating 1, suspended 1, closed 1, base 2, idle 1, jobs 15, poor 5,
//       year wages 26,500, income 100,000 → wage share 26.5%.
WorkshopFacts Facts() {
  WorkshopFacts f;
  Workshop w1;
  w1.id = 1;
  w1.region_code = kV1;
  w1.recognitions = {{"recognized", {2018, 1, 1}, ""}};
  w1.status_changes = {{"operating", {2018, 1, 1}, ""}};
  Workshop w2;
  w2.id = 2;
  w2.region_code = kV1;
  w2.recognitions = {{"recognized", {2019, 3, 1}, ""}};
  w2.status_changes = {{"operating", {2019, 3, 1}, ""}, {"suspended", {2019, 12, 1}, ""}};
  Workshop w3;
  w3.id = 3;
  w3.region_code = kV3;
  w3.recognitions = {{"recognized", {2019, 6, 1}, ""}};
  w3.status_changes = {{"operating", {2019, 6, 1}, ""}, {"closed", {2019, 11, 15}, ""}};
  Workshop w4;
  w4.id = 4;
  w4.region_code = kV2;
  w4.recognitions = {{"applied", {2019, 6, 1}, ""}};
  f.workshops = {w1, w2, w3, w4};
  for (int m = 1; m <= 11; ++m) f.reports.push_back(Report(1, 2019, m, 22, 10, 4, 2000));
  f.reports.push_back(Report(1, 2019, 12, 20, 10, 4, 3000));
  f.reports.push_back(Report(2, 2019, 10, 5, 5, 1, 500));
  f.reports.push_back(Report(2, 2019, 11, 3, 5, 1, 500));
  f.reports.push_back(Report(2, 2019, 12, 0, 5, 1, 500));
  f.employments = {
      Job(1, 1, "registered_poor", {2019, 1, 1}), Job(2, 2, "registered_poor", {2019, 3, 1}),
      Job(1, 3, "registered_poor", {2018, 1, 1}, Date{2018, 12, 31}),
      Job(3, 4, "registered_poor", {2019, 6, 1}), Job(1, 5, "other_local", {2019, 1, 1})};
  f.members = {{1, 1, "ordinary", std::nullopt, 60000.0},
               {2, 1, "ordinary", std::nullopt, 60000.0},
               {3, 3, "ordinary", std::nullopt, 30000.0},
               {4, 2, "ordinary", std::nullopt, 40000.0}};
  return f;
}

std::shared_ptr<const RegistryCube> FixtureCube() {
  RegistryCube::Builder builder;
  testing::FeedFixture(builder);
  return builder.Finish({1, 1, 1});
}

double At(const MeasureTable& t, const RegistryCube& cube, std::string_view code,
          std::string_view region) {
  auto it = t.find(code);
  EXPECT_NE(it, t.end()) << code;
  auto node = cube.Find(region);
  EXPECT_TRUE(node.has_value()) << region;
  if (it == t.end() || !node) return -1;
  const auto& v = it->second.at(static_cast<size_t>(*node));
  EXPECT_TRUE(v.has_value()) << code << " " << region;
  return v.value_or(-1);
}

TEST(WorkshopIndicatorsTest, TheStockMonthIsTheLastCompleteMonth) {
  EXPECT_EQ(StockMonth(YearPeriod(2019)).ToString(), "2019-12");
  EXPECT_EQ(StockMonth(DayPeriod({2020, 6, 15})).ToString(), "2020-05");
  EXPECT_EQ(StockMonth(DayPeriod({2020, 6, 30})).ToString(), "2020-06");
  EXPECT_EQ(StockMonth(*ParseIndicatorPeriod("2020-02")).ToString(), "2020-02");
}

TEST(WorkshopIndicatorsTest, ValuesPerRegionRolledUp) {
  auto cube = FixtureCube();
  const MeasureTable t = ComputeWorkshopMeasures(*cube, YearPeriod(2019), Facts());
  auto at = [&](std::string_view code, std::string_view region) {
    return At(t, *cube, code, region);
  };
  EXPECT_EQ(at(kWorkshopsRecognized, kV1), 2);
  EXPECT_EQ(at(kWorkshopsOperating, kV1), 1);
  EXPECT_EQ(at(kWorkshopsSuspended, kV1), 1);
  EXPECT_EQ(at(kWorkshopsResumptionBase, kV1), 2);
  EXPECT_EQ(at(kWorkshopsIdle, kV1), 1);  // W2
  EXPECT_EQ(at(kWorkshopJobs, kV1), 15);
  EXPECT_EQ(at(kWorkshopPoorJobs, kV1), 5);
  EXPECT_EQ(at(kWorkshopPoorMonthWages, kV1), 3500);
  EXPECT_EQ(at(kWorkshopPoorWages, kV1), 26500);
  EXPECT_EQ(at(kWorkshopPoorHouseholdsIncome, kV1), 60000);  // household 1 once
  EXPECT_EQ(at(kWorkshopsRecognized, kV2), 0);               // W4 only applied
  EXPECT_EQ(at(kWorkshopsRecognized, kV3), 1);
  EXPECT_EQ(at(kWorkshopsClosed, kV3), 1);
  EXPECT_EQ(at(kWorkshopsResumptionBase, kV3), 0);
  EXPECT_EQ(at(kWorkshopsIdle, kV3), 0);
  EXPECT_EQ(at(kWorkshopPoorHouseholdsIncome, kV3), 40000);
  EXPECT_EQ(at(kWorkshopsRecognized, kT1), 2);
  EXPECT_EQ(at(kWorkshopsRecognized, kT2), 1);
  EXPECT_EQ(at(kWorkshopsRecognized, kCounty), 3);
  EXPECT_EQ(at(kWorkshopsClosed, kCounty), 1);
  EXPECT_EQ(at(kWorkshopsIdle, kCounty), 1);
  EXPECT_EQ(at(kWorkshopPoorWages, kCounty), 26500);
  EXPECT_EQ(at(kWorkshopPoorHouseholdsIncome, kCounty), 100000);
  EXPECT_EQ(at(kWorkshopPoorHouseholdsIncome, "990000000000"), 100000);  // the province

  // As of 15 June 2020: stocks on that day, May's reports (none: 0 jobs, and W1 and W2 idle
  // by not reporting since March), the yearly figures still of 2019.
  const MeasureTable june = ComputeWorkshopMeasures(*cube, DayPeriod({2020, 6, 15}), Facts());
  EXPECT_EQ(At(june, *cube, kWorkshopsRecognized, kCounty), 3);
  EXPECT_EQ(At(june, *cube, kWorkshopJobs, kCounty), 0);
  EXPECT_EQ(At(june, *cube, kWorkshopsIdle, kCounty), 2);
  EXPECT_EQ(At(june, *cube, kWorkshopPoorWages, kCounty), 26500);
}

// One workshop's facts out of Facts(): the workshop, its employments and reports, and the
// registry facts of every member (ComputeOneWorkshop picks its workers' households).
WorkshopFacts OneOf(int64_t id) {
  const WorkshopFacts all = Facts();
  WorkshopFacts one;
  for (const Workshop& w : all.workshops) {
    if (w.id == id) one.workshops.push_back(w);
  }
  for (const Employment& e : all.employments) {
    if (e.workshop_id == id) one.employments.push_back(e);
  }
  for (const MonthlyReport& r : all.reports) {
    if (r.workshop_id == id) one.reports.push_back(r);
  }
  one.members = all.members;
  return one;
}

TEST(WorkshopIndicatorsTest, ValuesOfOneWorkshop) {
  Catalogue catalogue;
  ASSERT_TRUE(RegisterWorkshopIndicators(catalogue).has_value());
  auto values = [&](int64_t id, const Period& period) {
    std::map<std::string, WorkshopIndicatorValue> out;
    for (const auto& v : ComputeOneWorkshop(catalogue, period, OneOf(id))) {
      out[v.indicator->code] = v;
    }
    return out;
  };
  // W1 in 2019: recognized and operating on 31 December; December's report: 10 workers, 4
  // registered poor paid 3,000 yuan → share 40%, mean wage 750; 25,000 yuan over the year;
  // its only registered-poor worker of 2019 is member 1 (household 1, 60,000 yuan; member 3
  // left in 2018) → wage share 25,000 / 60,000 = 41.67%.
  auto w1 = values(1, YearPeriod(2019));
  ASSERT_EQ(w1.size(), 15u);
  EXPECT_EQ(w1[std::string(kWorkshopsRecognized)].value, 1);
  EXPECT_EQ(w1[std::string(kWorkshopsOperating)].value, 1);
  EXPECT_EQ(w1[std::string(kWorkshopsSuspended)].value, 0);
  EXPECT_EQ(w1[std::string(kWorkshopsIdle)].value, 0);
  EXPECT_EQ(w1[std::string(kWorkshopJobs)].value, 10);
  EXPECT_EQ(w1[std::string(kWorkshopPoorWages)].value, 25000);
  EXPECT_EQ(w1[std::string(kWorkshopPoorHouseholdsIncome)].value, 60000);
  EXPECT_EQ(w1[std::string(kWorkshopResumptionRate)].value, 100);
  EXPECT_DOUBLE_EQ(*w1[std::string(kWorkshopPoorWorkerShare)].value, 40);
  EXPECT_DOUBLE_EQ(*w1[std::string(kWorkshopPoorMeanWage)].value, 750);
  EXPECT_NEAR(*w1[std::string(kWorkshopPoorWageIncomeShare)].value, 41.6667, 1e-4);
  EXPECT_EQ(w1[std::string(kWorkshopPoorWageIncomeShare)].denominator, 60000);

  // W2: suspended and idle; W3: closed, so no resumption rate (its denominator is 0) and no
  // reports, but its registered-poor worker's household counts.
  auto w2 = values(2, YearPeriod(2019));
  EXPECT_EQ(w2[std::string(kWorkshopsSuspended)].value, 1);
  EXPECT_EQ(w2[std::string(kWorkshopsIdle)].value, 1);
  EXPECT_EQ(w2[std::string(kWorkshopResumptionRate)].value, 0);
  auto w3 = values(3, YearPeriod(2019));
  EXPECT_EQ(w3[std::string(kWorkshopsClosed)].value, 1);
  EXPECT_FALSE(w3[std::string(kWorkshopResumptionRate)].value.has_value());
  EXPECT_FALSE(w3[std::string(kWorkshopPoorMeanWage)].value.has_value());
  EXPECT_EQ(w3[std::string(kWorkshopPoorHouseholdsIncome)].value, 40000);

  // The workshops of a village add up to the village's value for every counted measure but
  // the households' income (household 1 worked in both W1 and W2 and counts once in V1).
  auto cube = FixtureCube();
  const MeasureTable t = ComputeWorkshopMeasures(*cube, YearPeriod(2019), Facts());
  for (const std::string& code : WorkshopMeasureCodes()) {
    if (code == kWorkshopPoorHouseholdsIncome) continue;
    EXPECT_EQ(*w1[code].value + *w2[code].value, At(t, *cube, code, kV1)) << code;
  }
  EXPECT_EQ(*w2[std::string(kWorkshopPoorHouseholdsIncome)].value, 60000);
}

// Only what the service uses of the store: the fixture's facts and fixed counters.
class FixtureIndicators final : public IndicatorRepository {
 public:
  Result<ChangeStamp> Changes() override { return ChangeStamp{1, 1, 1, 0}; }
  Result<ChangeStamp> ScanFacts(FactSink& sink) override {
    testing::FeedFixture(sink);
    return ChangeStamp{1, 1, 1, 0};
  }
  Result<std::optional<ChangeScan>> ScanChanges(const ChangeStamp&, size_t, FactSink&) override {
    return std::optional<ChangeScan>();
  }
  Result<std::vector<EnteredValue>> EnteredValues(std::string_view, std::string_view,
                                                  std::string_view) override {
    return std::vector<EnteredValue>{};
  }
  Result<SaveCounts> SaveEnteredValues(std::span<const EnteredValue>, const audit::Actor&,
                                       std::string_view) override {
    return Internal("not used");
  }
  Result<std::vector<Declaration>> Declarations() override { return std::vector<Declaration>{}; }
  Result<Declaration> InsertDeclaration(const Indicator&, const audit::Actor&) override {
    return Internal("not used");
  }
  Result<Declaration> UpdateDeclaration(const Indicator&, int64_t, const audit::Actor&) override {
    return Internal("not used");
  }
  Status DeleteDeclaration(std::string_view, int64_t, const audit::Actor&) override {
    return Internal("not used");
  }
};

class NoRegions final : public regions::RegionRepository {
 public:
  Result<std::optional<regions::Region>> Find(std::string_view) override { return std::nullopt; }
  Result<std::vector<regions::Region>> FindMany(std::span<const std::string>) override {
    return std::vector<regions::Region>{};
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

// The workshops of Facts() as a store, with its change counter and a count of loads.
class FakeWorkshops final : public workshops::WorkshopRepository {
 public:
  Result<workshops::WorkshopPage> ListWorkshops(const workshops::WorkshopQuery&) override {
    ++loads;
    return workshops::WorkshopPage{facts.workshops, static_cast<int64_t>(facts.workshops.size())};
  }
  Result<std::optional<Workshop>> FindWorkshop(int64_t, const std::vector<std::string>&) override {
    return std::optional<Workshop>();
  }
  Result<std::optional<std::string>> WorkshopRegion(int64_t) override {
    return std::optional<std::string>();
  }
  Result<Workshop> SaveWorkshop(const Workshop&, const audit::Actor&) override {
    return Internal("not used");
  }
  Result<std::vector<Employment>> EmploymentsOfWorkshops(std::span<const int64_t>) override {
    return facts.employments;
  }
  Result<std::vector<Employment>> EmploymentsOfPeople(std::span<const std::string>) override {
    return std::vector<Employment>{};
  }
  Result<Employment> SaveEmployment(const Employment&, const audit::Actor&) override {
    return Internal("not used");
  }
  Result<std::vector<MemberRegistryFacts>> RegistryFactsOfMembers(std::span<const int64_t> ids,
                                                                  int year) override {
    std::vector<MemberRegistryFacts> out;
    for (const MemberRegistryFacts& m : facts.members) {
      if (std::find(ids.begin(), ids.end(), m.member_id) == ids.end()) continue;
      out.push_back(m);
      if (year != 2019) out.back().household_gross_income.reset();
    }
    return out;
  }
  Result<MonthlyReport> SubmitReport(const MonthlyReport&, const audit::Actor&) override {
    return Internal("not used");
  }
  Result<std::vector<workshops::AlertStandard>> ListAlertStandards() override {
    return std::vector<workshops::AlertStandard>{};
  }
  Result<workshops::AlertStandard> SaveAlertStandard(const workshops::AlertStandard&,
                                                     const audit::Actor&) override {
    return Internal("not used");
  }
  Result<std::vector<MonthlyReport>> ListReports(std::span<const int64_t>, int first,
                                                 int last) override {
    std::vector<MonthlyReport> out;
    for (const MonthlyReport& r : facts.reports) {
      const int m = r.year * 12 + r.month - 1;
      if (m >= first && m <= last) out.push_back(r);
    }
    return out;
  }
  Result<int64_t> Generation() override { return generation; }

  WorkshopFacts facts = Facts();
  int64_t generation = 7;
  int loads = 0;
};

TEST(WorkshopIndicatorsTest, TheServiceReportsThemAndSeesWorkshopWrites) {
  auto catalogue = StandardCatalogue();
  ASSERT_TRUE(catalogue.has_value()) << catalogue.error().message;
  for (const std::string& code : WorkshopMeasureCodes()) {
    const Indicator* i = catalogue->Find(code);
    ASSERT_NE(i, nullptr) << code;
    EXPECT_EQ(i->module, "workshops");
    EXPECT_EQ(i->source, Source::kComputed);
  }
  EXPECT_EQ(catalogue->Find(kWorkshopPoorMeanWage)->unit, "yuan_per_person_month");
  EXPECT_EQ(catalogue->Find(kWorkshopsIdle)->direction, Direction::kLowerBetter);

  FixtureIndicators store;
  NoRegions regions;
  ManualClock clock(std::chrono::sys_days{std::chrono::year{2024} / 5 / 1});
  IndicatorService service(*catalogue, store, regions, IncomeThresholds::Defaults(), clock);
  FakeWorkshops workshops;
  WorkshopMeasures source(workshops);
  service.AddSource(source);
  const std::vector<std::string> codes = {
      std::string(kWorkshopResumptionRate), std::string(kWorkshopPoorWorkerShare),
      std::string(kWorkshopPoorMeanWage), std::string(kWorkshopPoorWageIncomeShare),
      std::string(kWorkshopsRecognized)};
  auto query = [&](const std::string& region) {
    auto r = service.Values({region, YearPeriod(2019), false, codes}, {""});
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    return r ? r->values : std::vector<Value>{};
  };
  auto v1 = query(kV1);
  ASSERT_EQ(v1.size(), 5u);
  EXPECT_DOUBLE_EQ(*v1[0].value, 50);  // 1 of 2
  EXPECT_EQ(v1[0].numerator, 1);
  EXPECT_EQ(v1[0].denominator, 2);
  EXPECT_DOUBLE_EQ(*v1[1].value, 5.0 / 15 * 100);
  EXPECT_DOUBLE_EQ(*v1[2].value, 700);  // 3,500 yuan / 5
  EXPECT_DOUBLE_EQ(*v1[3].value, 26500.0 / 60000 * 100);
  auto v3 = query(kV3);
  EXPECT_FALSE(v3[0].value.has_value());  // W3 closed: no workshop expected to operate
  EXPECT_FALSE(v3[2].value.has_value());  // no registered-poor jobs
  EXPECT_DOUBLE_EQ(*v3[3].value, 0);      // 0 / 40,000
  auto county = query(kCounty);
  EXPECT_DOUBLE_EQ(*county[3].value, 26.5);
  EXPECT_EQ(county[4].value, 3);
  EXPECT_EQ(workshops.loads, 1);  // one load for all three queries

  // A registry-only query does not touch the workshops.
  ASSERT_TRUE(service.Values({kCounty, YearPeriod(2019), false, {"households"}}, {""}));
  EXPECT_EQ(workshops.loads, 1);

  // A workshop write (the counter moves): W4 recognized in 2019 → 4 in the county.
  workshops.facts.workshops[3].recognitions.push_back({"recognized", {2019, 9, 1}, ""});
  EXPECT_EQ(query(kCounty)[4].value, 3);  // the counter did not move: the cached value
  ++workshops.generation;
  EXPECT_EQ(query(kCounty)[4].value, 4);
  EXPECT_EQ(workshops.loads, 2);
}

}  // namespace
}  // namespace fupin::indicators
