#include "indicators/test_fixture.h"

namespace fupin::indicators::testing {
namespace {

Date D(int y, int m, int d) { return Date{y, m, d}; }

}  // namespace

// The households (members without dates count from always to forever):
//   H1 (V1, illness): A, B; C joined 2018-03-01; D left 2017-06-30. identified 2014-05-01,
//      lifted 2018-12-10. Net income 2017 9000, 2018 16000, 2019 20000. education met (no
//      date), housing met verified 2018-06-01, water not met verified 2019-03-01.
//   H2 (V1, lack_skills): two members; E left 2020-03-01. identified 2015-03-01. Income 2018
//      4000, 2019 10500. housing not met verified 2017-01-01.
//   H3 (V2, illness): three members. identified 2014-04-01, lifted 2016-12-01, returned
//      2019-08-01. Income 2018 15000, 2019 6000.
//   H4 (V3, no cause): one member, another left 2019-05-01. identified 2014-06-01, cancelled
//      2017-09-01 — never counted after that.
//   H5 (V3, no cause): four members. monitored 2021-03-01, risk_eliminated 2022-02-01. Income
//      2021 20000.
//   H6 (V3): two members, no status event — never counted.
//   H7 (V3, disability): head; child joined 2019-02-01. identified 2014-05-01, lifted
//      2019-11-01, monitored 2020-04-01.
// Entered rural_population: 2018 V1 100, V2 50, T2 40; 2019 V1 100.
//
// Expected (income thresholds 2018: 2995, 2019: 3218, 2021: 6000):
//   2018  V1 households 2, people 6, poor 1/3, lifted 3, income 2 households / 6 people /
//         20000, below 1 (H2: 4000/3). V2: 1, 3, poor 0, lifted 3, income 15000/3. V3: 1, 1,
//         poor 1/1 (H7, disability). T1: 3, 9, poor 1/3, lifted 6, income 35000/9 people =
//         3888.89 (the mean of the village means would be 4166.67). County: 4, 10, poor 2/4,
//         lifted 6, below 1; rural population 190 (T1 150 from its villages + T2's own 40),
//         poverty incidence 4/190.
//   2019  County: 4, 11, poor 2/6 (H2 3, H3 3 returned), lifted 5 (H1 3, H7 2), returned 3,
//         income 3 households / 9 people / 36500, below 1 (H3: 6000/3); rural population 100
//         (V1 only), incidence 6%.
//   as of 2020-06-30 (income year 2019): County: 4, 10 (E left), poor 2/5, lifted 5,
//         monitored 2 (H7), returned 3; income people 9 (H2 counted on 2019-12-31).
//   2021  County: 5, 14, poor 2/5, lifted 5, monitored 6 (H5 4, H7 2), income 1/4/20000,
//         below 1.
void FeedFixture(FactSink& sink) {
  sink.Region("990000000000", "测试省", std::nullopt);
  sink.Region("990100000000", "测试市", std::nullopt);
  sink.Region(kCounty, "测试县", std::nullopt);
  sink.Region(kT2, "乙镇", std::nullopt);  // out of order on purpose
  sink.Region(kT1, "甲镇", std::nullopt);
  sink.Region(kV1, "一村", std::nullopt);
  sink.Region(kV2, "二村", std::nullopt);
  sink.Region(kV3, "三村", std::nullopt);

  sink.Household(1, kV1, "illness");
  sink.Household(2, kV1, "lack_skills");
  sink.Household(3, kV2, "illness");
  sink.Household(4, kV3, "");
  sink.Household(5, kV3, "");
  sink.Household(6, kV3, "illness");
  sink.Household(7, kV3, "disability");

  const std::optional<Date> none;
  sink.Member(1, none, none);
  sink.Member(1, none, none);
  sink.Member(1, D(2018, 3, 1), none);
  sink.Member(1, none, D(2017, 6, 30));
  sink.Member(2, none, none);
  sink.Member(2, none, none);
  sink.Member(2, none, D(2020, 3, 1));
  for (int i = 0; i < 3; ++i) sink.Member(3, none, none);
  sink.Member(4, none, none);
  sink.Member(4, none, D(2019, 5, 1));
  for (int i = 0; i < 4; ++i) sink.Member(5, none, none);
  sink.Member(6, none, none);
  sink.Member(6, none, none);
  sink.Member(7, none, none);
  sink.Member(7, D(2019, 2, 1), none);

  // Status events, deliberately not in date order.
  sink.StatusEvent(1, 2, "lifted", D(2018, 12, 10));
  sink.StatusEvent(1, 1, "identified", D(2014, 5, 1));
  sink.StatusEvent(2, 3, "identified", D(2015, 3, 1));
  sink.StatusEvent(3, 6, "returned", D(2019, 8, 1));
  sink.StatusEvent(3, 4, "identified", D(2014, 4, 1));
  sink.StatusEvent(3, 5, "lifted", D(2016, 12, 1));
  sink.StatusEvent(4, 7, "identified", D(2014, 6, 1));
  sink.StatusEvent(4, 8, "cancelled", D(2017, 9, 1));
  sink.StatusEvent(5, 9, "monitored", D(2021, 3, 1));
  sink.StatusEvent(5, 10, "risk_eliminated", D(2022, 2, 1));
  sink.StatusEvent(7, 11, "identified", D(2014, 5, 1));
  sink.StatusEvent(7, 12, "lifted", D(2019, 11, 1));
  sink.StatusEvent(7, 13, "monitored", D(2020, 4, 1));

  sink.Income(1, 2017, 9000);
  sink.Income(1, 2018, 16000);
  sink.Income(1, 2019, 20000);
  sink.Income(2, 2018, 4000);
  sink.Income(2, 2019, 10500);
  sink.Income(3, 2018, 15000);
  sink.Income(3, 2019, 6000);
  sink.Income(5, 2021, 20000);

  sink.Guarantee(1, "education", true, none);
  sink.Guarantee(1, "housing", true, D(2018, 6, 1));
  sink.Guarantee(1, "water", false, D(2019, 3, 1));
  sink.Guarantee(1, "food", true, none);  // no coverage indicator: ignored
  sink.Guarantee(2, "housing", false, D(2017, 1, 1));

  sink.Entered("rural_population", kV1, "2018", 100);
  sink.Entered("rural_population", kV2, "2018", 50);
  sink.Entered("rural_population", kT2, "2018", 40);
  sink.Entered("rural_population", kV1, "2019", 100);
}

}  // namespace fupin::indicators::testing
