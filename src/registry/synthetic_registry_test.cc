#include "registry/synthetic_registry.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "regions/synthetic_regions.h"

namespace fupin::registry {
namespace {

std::vector<HouseholdRecord> Generate(uint64_t seed) {
  auto regions = regions::GenerateRegions(regions::DemoScale::kCounty, 7);
  std::vector<HouseholdRecord> out;
  SyntheticOptions options;
  options.seed = seed;
  auto status = GenerateRegistry(regions, options, [&](std::vector<HouseholdRecord>&& batch) {
    for (auto& r : batch) out.push_back(std::move(r));
    return Status{};
  });
  EXPECT_TRUE(status);
  return out;
}

TEST(SyntheticRegistry, IsDeterministicValidAndCountyScale) {
  auto a = Generate(3);
  auto b = Generate(3);
  ASSERT_EQ(a.size(), b.size());
  ASSERT_GT(a.size(), 5000u);
  int64_t people = 0;
  std::set<std::string> ids, numbers;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].household.number, b[i].household.number);
    ASSERT_EQ(a[i].members.size(), b[i].members.size());
    EXPECT_EQ(a[i].members[0].id_number, b[i].members[0].id_number);
    auto problems = ValidateRecord(a[i], Date{2026, 11, 23});
    ASSERT_TRUE(problems.empty()) << a[i].household.number << " " << problems[0].column << ": "
                                  << problems[0].reason;
    EXPECT_TRUE(numbers.insert(a[i].household.number).second);
    for (const Member& m : a[i].members) {
      EXPECT_TRUE(ids.insert(m.id_number).second) << m.id_number;
      EXPECT_TRUE(m.id_number.starts_with("99")) << "synthetic IDs use the 99 range";
    }
    people += static_cast<int64_t>(a[i].members.size());
  }
  EXPECT_GT(people, 20000);  // tens of thousands of people
  EXPECT_NE(Generate(4)[0].members[0].id_number, a[0].members[0].id_number);
}

TEST(SyntheticRegistry, DistributionsLookLikeTheNationalRegistry) {
  auto all = Generate(1);
  std::map<std::string, int> causes, lifted_years, statuses;
  for (const auto& r : all) {
    ++causes[r.household.main_cause];
    ++statuses[r.household.status];
    if (r.household.lifted_year) ++lifted_years[std::to_string(*r.household.lifted_year)];
  }
  const double n = static_cast<double>(all.size());
  EXPECT_GT(causes["illness"] / n, 0.3);  // illness is the leading cause
  EXPECT_GT(causes["illness"], causes["lack_skills"]);
  int in_2016_2020 = 0, total_lifted = 0;
  for (const auto& [year, count] : lifted_years) {
    total_lifted += count;
    if (year >= "2016" && year <= "2020") in_2016_2020 += count;
  }
  EXPECT_GT(in_2016_2020, 0.9 * total_lifted);
  EXPECT_GT(statuses["returned"], 0);
  EXPECT_GT(statuses["monitored"], 0);
  // Incomes rise: the mean of the last year well above that of 2014.
  double first = 0, last = 0;
  for (const auto& r : all) {
    first += r.incomes.front().Net();
    last += r.incomes.back().Net();
  }
  EXPECT_GT(last, 2.5 * first);
}

}  // namespace
}  // namespace fupin::registry
