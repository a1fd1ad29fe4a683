#include "indicators/indicator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "indicators/registry_indicators.h"
#include "registry/vocabulary.h"

namespace fupin::indicators {
namespace {

Indicator Count(std::string code) {
  Indicator i;
  i.code = std::move(code);
  i.zh = "户数";
  i.en = "households";
  i.unit = "household";
  i.definition_zh = "定义";
  i.definition_en = "definition";
  return i;
}

TEST(CatalogueTest, RegistersAndFindsInOrder) {
  Catalogue c;
  ASSERT_TRUE(c.Register(Count("a")).has_value());
  ASSERT_TRUE(c.Register(Count("b_2")).has_value());
  ASSERT_EQ(c.All().size(), 2u);
  EXPECT_EQ(c.All()[1]->code, "b_2");
  EXPECT_EQ(c.Find("a")->unit, "household");
  EXPECT_EQ(c.Find("c"), nullptr);
  auto again = c.Register(Count("a"));
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
}

TEST(CatalogueTest, RefusesIllDefinedIndicators) {
  Catalogue c;
  ASSERT_TRUE(c.Register(Count("people")).has_value());
  for (const char* bad : {"", "Upper", "1st", "with-dash", "空格"}) {
    auto r = c.Register(Count(bad));
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().details[0].column, "code") << bad;
  }
  Indicator unit = Count("u");
  unit.unit = "kilograms";
  EXPECT_EQ(c.Register(unit).error().details[0].column, "unit");

  Indicator derived = Count("rate");
  derived.unit = "percent";
  derived.formula = Formula{"people", "nobody", 100};
  derived.aggregation = Aggregation::kRatioOfSums;
  auto r = c.Register(derived);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().details[0].column, "formula.denominator");
  EXPECT_EQ(r.error().details[0].value, "nobody");

  derived.formula = Formula{"people", "people", 100};
  derived.aggregation = Aggregation::kSum;
  EXPECT_EQ(c.Register(derived).error().details[0].column, "aggregation");
  derived.aggregation = Aggregation::kRatioOfSums;
  EXPECT_TRUE(c.Register(derived).has_value());

  Indicator weighted = Count("mean");
  weighted.aggregation = Aggregation::kMeanWeighted;
  EXPECT_EQ(c.Register(weighted).error().details[0].column, "weight");
  weighted.weight = "people";
  EXPECT_TRUE(c.Register(weighted).has_value());
}

TEST(StandardCatalogueTest, HoldsTheRegistrySet) {
  auto c = StandardCatalogue();
  ASSERT_TRUE(c.has_value()) << c.error().message;
  for (std::string_view code :
       {kHouseholds, kPeople, kPoorHouseholds, kPoorPeople, kLiftedPeople, kReturnedPeople,
        kMonitoredPeople, kRuralPopulation, kPovertyIncidence, kMeanPerCapitaNetIncome,
        kIncomeBelowThresholdHouseholds}) {
    EXPECT_NE(c->Find(code), nullptr) << code;
  }
  for (std::string_view item : kCoverageItems) {
    const Indicator* rate = c->Find(SecuredRateCode(item));
    ASSERT_NE(rate, nullptr) << item;
    EXPECT_EQ(rate->formula->numerator, SecuredCode(item));
    EXPECT_EQ(rate->formula->denominator, AssessedCode(item));
    EXPECT_EQ(rate->formula->factor, 100);
  }
  for (const registry::Term& cause : registry::Causes().terms) {
    EXPECT_NE(c->Find(CauseCode(cause.code)), nullptr) << cause.code;
  }
  const Indicator* incidence = c->Find(kPovertyIncidence);
  EXPECT_EQ(incidence->formula->numerator, kPoorPeople);
  EXPECT_EQ(incidence->formula->denominator, kRuralPopulation);
  EXPECT_EQ(incidence->direction, Direction::kLowerBetter);
  EXPECT_EQ(c->Find(kRuralPopulation)->source, Source::kEntered);
  // Every definition is written out in both languages, and the names are distinct.
  std::set<std::string> zh, en;
  for (const Indicator* listed : c->All()) {
    const Indicator& i = *listed;
    EXPECT_FALSE(i.definition_zh.empty()) << i.code;
    EXPECT_FALSE(i.definition_en.empty()) << i.code;
    EXPECT_TRUE(zh.insert(i.zh).second) << i.zh;
    EXPECT_TRUE(en.insert(i.en).second) << i.en;
  }
}

Indicator Declared(std::string code, Source source) {
  Indicator i = Count(std::move(code));
  i.module = std::string(kDeclaredModule);
  i.source = source;
  if (source == Source::kSurveyed) i.aggregation = Aggregation::kMeanOfAnswers;
  return i;
}

Indicator Ratio(std::string code, std::string numerator, std::string denominator) {
  Indicator i = Declared(std::move(code), Source::kComputed);
  i.unit = "percent";
  i.formula = Formula{std::move(numerator), std::move(denominator), 100};
  i.aggregation = Aggregation::kRatioOfSums;
  return i;
}

TEST(CatalogueTest, DeclaredIndicatorsAreCheckedAsASet) {
  Catalogue c;
  ASSERT_TRUE(c.Register(Count("people")).has_value());
  // Formulas may name built-in indicators and others of the set, in any order.
  std::vector<Indicator> set = {Ratio("share", "people", "staff"),
                                Declared("staff", Source::kEntered),
                                Declared("satisfaction", Source::kSurveyed)};
  ASSERT_TRUE(c.CheckDeclared(set).has_value());
  ASSERT_TRUE(c.SetDeclared(set).has_value());
  auto all = c.All();
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0]->code, "people");
  // Dependency order: staff before the share computed from it.
  EXPECT_LT(std::find_if(all.begin(), all.end(), [](auto* i) { return i->code == "staff"; }),
            std::find_if(all.begin(), all.end(), [](auto* i) { return i->code == "share"; }));
  EXPECT_TRUE(c.IsBuiltIn("people"));
  EXPECT_FALSE(c.IsBuiltIn("share"));
  EXPECT_EQ(c.Declared().size(), 3u);

  // A pointer handed out stays valid (and unchanged) after the set is replaced.
  const Indicator* before = c.Find("share");
  Indicator renamed = set[0];
  renamed.zh = "新名称";
  ASSERT_TRUE(c.SetDeclared({renamed, set[1]}).has_value());
  EXPECT_EQ(before->zh, set[0].zh);
  EXPECT_EQ(c.Find("share")->zh, "新名称");
  EXPECT_EQ(c.Find("satisfaction"), nullptr);
  // Unchanged declarations keep their object.
  const Indicator* staff = c.Find("staff");
  ASSERT_TRUE(c.SetDeclared({renamed, set[1]}).has_value());
  EXPECT_EQ(c.Find("staff"), staff);

  // Built-in indicators come first: none registered once some are declared.
  EXPECT_EQ(c.Register(Count("late")).error().code, ErrorCode::kFailedPrecondition);

  // A copy sees the same indicators.
  Catalogue copy(c);
  EXPECT_EQ(copy.All().size(), c.All().size());
}

TEST(CatalogueTest, BadDeclarationsNameTheirRowAndField) {
  Catalogue c;
  ASSERT_TRUE(c.Register(Count("people")).has_value());
  auto column_of = [&](std::vector<Indicator> set, int64_t row) {
    auto r = c.CheckDeclared(set);
    EXPECT_FALSE(r.has_value());
    std::string columns;
    if (!r) {
      for (const ErrorDetail& d : r.error().details) {
        if (d.row == row) columns += (columns.empty() ? "" : ",") + d.column;
      }
    }
    return columns;
  };
  EXPECT_EQ(column_of({Declared("people", Source::kEntered)}, 1), "code");
  EXPECT_EQ(column_of({Declared("a", Source::kEntered), Declared("a", Source::kEntered)}, 2),
            "code");
  EXPECT_EQ(column_of({Declared("a", Source::kComputed)}, 1), "formula");
  Indicator entered_formula = Ratio("a", "people", "people");
  entered_formula.source = Source::kEntered;
  EXPECT_EQ(column_of({entered_formula}, 1), "formula");
  EXPECT_EQ(column_of({Ratio("a", "people", "nobody")}, 1), "formula.denominator");
  EXPECT_EQ(column_of({Ratio("a", "a", "people")}, 1), "formula.numerator");
  Indicator zero = Ratio("a", "people", "people");
  zero.formula->factor = 0;
  EXPECT_EQ(column_of({zero}, 1), "formula.factor");
  Indicator surveyed_sum = Declared("a", Source::kSurveyed);
  surveyed_sum.aggregation = Aggregation::kSum;
  EXPECT_EQ(column_of({surveyed_sum}, 1), "aggregation");
  Indicator weighted = Declared("a", Source::kEntered);
  weighted.aggregation = Aggregation::kMeanWeighted;
  EXPECT_EQ(column_of({weighted}, 1), "weight");
  Indicator foreign = Declared("a", Source::kEntered);
  foreign.module = "registry";
  EXPECT_EQ(column_of({foreign}, 1), "module");
  // A cycle is refused as a whole, naming its members.
  auto cycle =
      c.CheckDeclared(std::vector<Indicator>{Ratio("x", "people", "y"), Ratio("y", "people", "x")});
  ASSERT_FALSE(cycle.has_value());
  EXPECT_NE(cycle.error().message.find("x, y"), std::string::npos) << cycle.error().message;
  // Nothing changes on an error.
  EXPECT_FALSE(c.SetDeclared({Ratio("x", "people", "y"), Ratio("y", "people", "x")}).has_value());
  EXPECT_EQ(c.All().size(), 1u);
}

TEST(IncomeThresholdsTest, DefaultsAndOverrides) {
  const IncomeThresholds d = IncomeThresholds::Defaults();
  EXPECT_EQ(d.For(2014), 2800);
  EXPECT_EQ(d.For(2016), 2952);
  EXPECT_EQ(d.For(2020), 4000);
  EXPECT_EQ(d.For(2021), 6000);
  EXPECT_FALSE(d.For(2030).has_value());
  auto parsed = IncomeThresholds::Parse(" 2022:6300, 2021:6100 ", d);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->For(2022), 6300);
  EXPECT_EQ(parsed->For(2021), 6100);
  EXPECT_EQ(parsed->For(2014), 2800);
  auto bad = IncomeThresholds::Parse("2022=6300,1900:5,2023:-1,2024:x", d);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().details.size(), 4u);
}

TEST(PeriodTest, LastCompleteYear) {
  EXPECT_EQ(LastCompleteYear(YearPeriod(2019)), 2019);
  EXPECT_EQ(LastCompleteYear(DayPeriod(Date{2019, 12, 31})), 2019);
  EXPECT_EQ(LastCompleteYear(DayPeriod(Date{2020, 6, 30})), 2019);
  EXPECT_EQ(LastCompleteYear(*ParseIndicatorPeriod("2020-12")), 2020);
  EXPECT_EQ(LastCompleteYear(*ParseIndicatorPeriod("2020-11")), 2019);
  EXPECT_FALSE(ParseIndicatorPeriod("1979").has_value());
  EXPECT_FALSE(ParseIndicatorPeriod("2019-02-30").has_value());
}

TEST(UnitTest, LabelsAndCounts) {
  EXPECT_EQ(UnitZh("person"), "人");
  EXPECT_EQ(UnitEn("yuan_per_person"), "yuan per person");
  EXPECT_TRUE(IsCountUnit("household"));
  EXPECT_FALSE(IsCountUnit("percent"));
}

}  // namespace
}  // namespace fupin::indicators
