// RegionService against an in-memory repository: validation and import rules. The SQL
// repositories are checked separately by the storage contract tests.
#include "regions/region_service.h"

#include <gtest/gtest.h>

#include <map>

namespace fupin::regions {
namespace {

class MemoryRegionRepository final : public RegionRepository {
 public:
  std::map<std::string, Region> rows;
  int upsert_calls = 0;

  Result<std::optional<Region>> Find(std::string_view code) override {
    auto it = rows.find(std::string(code));
    if (it == rows.end()) return std::optional<Region>();
    return std::optional<Region>(it->second);
  }
  Result<std::vector<Region>> FindMany(std::span<const std::string> codes) override {
    std::vector<Region> out;
    for (const auto& c : codes) {
      if (auto it = rows.find(c); it != rows.end()) out.push_back(it->second);
    }
    return out;
  }
  Result<std::vector<RegionListItem>> Children(std::string_view parent, bool) override {
    std::vector<RegionListItem> out;
    for (const auto& [code, r] : rows) {
      if (r.parent_code == parent) out.push_back({r, 0});
    }
    return out;
  }
  Result<RegionPage> Search(const RegionQuery&) override { return RegionPage{}; }
  Result<LevelCounts> CountByLevel(std::string_view) override { return LevelCounts{}; }
  Result<UpsertCounts> Upsert(std::span<const Region> regions, const audit::Actor&,
                              std::string_view) override {
    ++upsert_calls;
    UpsertCounts counts;
    for (const Region& r : regions) {
      auto [it, inserted] = rows.emplace(r.code, r);
      if (inserted) {
        ++counts.inserted;
      } else if (it->second.name != r.name) {
        it->second.name = r.name;
        ++counts.updated;
      } else {
        ++counts.unchanged;
      }
    }
    return counts;
  }
  Result<Region> Rename(std::string_view code, std::string_view name, int64_t,
                        const audit::Actor&) override {
    auto& r = rows.at(std::string(code));
    r.name = name;
    return r;
  }
  Result<Region> Close(std::string_view code, const Date& on, std::string_view successor, int64_t,
                       const audit::Actor&) override {
    auto& r = rows.at(std::string(code));
    r.closed_on = on;
    r.successor_code = successor;
    return r;
  }
};

const audit::Actor kActor{"tester", 0, "local"};

CsvTable Csv(const std::string& text) {
  auto t = ParseCsv(text);
  EXPECT_TRUE(t.has_value());
  return *t;
}

class RegionServiceTest : public ::testing::Test {
 protected:
  MemoryRegionRepository repo_;
  RegionService service_{repo_};
};

TEST_F(RegionServiceTest, ImportsAHierarchyInAnyOrder) {
  auto report = service_.Import(Csv("code,name,parent_code\n"
                                    "620623000000,天祝藏族自治县,620600000000\n"
                                    "620000000000,甘肃省,\n"
                                    "620600000000,武威市,620000000000\n"),
                                false, kActor, "test.csv");
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_EQ(report->counts.inserted, 3);
  EXPECT_EQ(repo_.rows.at("620623000000").level, RegionLevel::kCounty);
  // Re-importing is idempotent: nothing inserted, nothing changed.
  report = service_.Import(Csv("code,name,parent_code\n620000000000,甘肃省,\n"), false, kActor,
                           "test.csv");
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->counts.unchanged, 1);
  EXPECT_EQ(repo_.rows.size(), 3u);
}

TEST_F(RegionServiceTest, AcceptsChineseHeadersAndDerivesAnEmptyParent) {
  auto report = service_.Import(Csv("行政区划代码,名称,上级代码\n"
                                    "620000000000,甘肃省,\n"
                                    "620600000000,武威市,\n"),
                                false, kActor, "test.csv");
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_EQ(repo_.rows.at("620600000000").parent_code, "620000000000");
}

TEST_F(RegionServiceTest, ReportsEveryBadRowAndWritesNothing) {
  auto report = service_.Import(Csv("code,name,parent_code\n"
                                    "620000000000,甘肃省,\n"              // line 2: fine
                                    "62060000000X,武威市,620000000000\n"  // 3: bad code
                                    "620700000000,张掖市,630000000000\n"  // 4: parent mismatch
                                    "630100000000,西宁市,630000000000\n"  // 5: unknown parent
                                    "620000000000,甘肃,\n"                // 6: duplicate
                                    "620800000000,,620000000000\n"        // 7: empty name
                                    "620900000000,酒泉市\n"),             // 8: short row
                                false, kActor, "test.csv");
  ASSERT_FALSE(report.has_value());
  const Error& e = report.error();
  EXPECT_EQ(e.code, ErrorCode::kInvalidArgument);
  ASSERT_EQ(e.details.size(), 6u) << e.message;
  EXPECT_EQ(e.details[0].row, 3);
  EXPECT_EQ(e.details[0].column, "code");
  EXPECT_EQ(e.details[0].value, "62060000000X");
  EXPECT_EQ(e.details[1].row, 4);
  EXPECT_EQ(e.details[1].column, "parent_code");
  EXPECT_EQ(e.details[2].row, 5);
  EXPECT_NE(e.details[2].reason.find("unknown parent"), std::string::npos);
  EXPECT_EQ(e.details[3].row, 6);
  EXPECT_NE(e.details[3].reason.find("line 2"), std::string::npos);
  EXPECT_EQ(e.details[4].row, 7);
  EXPECT_EQ(e.details[4].column, "name");
  EXPECT_EQ(e.details[5].row, 8);
  EXPECT_EQ(repo_.upsert_calls, 0);
  EXPECT_TRUE(repo_.rows.empty());
}

TEST_F(RegionServiceTest, ChildOfAnInvalidParentIsReported) {
  auto report = service_.Import(Csv("code,name,parent_code\n"
                                    "620000000000,,\n"  // invalid name
                                    "620600000000,武威市,620000000000\n"),
                                false, kActor, "test.csv");
  ASSERT_FALSE(report.has_value());
  ASSERT_EQ(report.error().details.size(), 2u);
  EXPECT_EQ(report.error().details[1].row, 3);
  EXPECT_NE(report.error().details[1].reason.find("itself invalid"), std::string::npos);
}

TEST_F(RegionServiceTest, ClosedCodesAreNeverReused) {
  ASSERT_TRUE(service_.Import(Csv("code,name,parent_code\n620000000000,甘肃省,\n"
                                  "620600000000,武威市,\n620700000000,张掖市,\n"),
                              false, kActor, "test.csv"));
  ASSERT_TRUE(service_.Close("620700000000", "2020-06-30", "620600000000", 1, kActor));
  auto report = service_.Import(Csv("code,name,parent_code\n620700000000,新张掖市,\n"), false,
                                kActor, "test.csv");
  ASSERT_FALSE(report.has_value());
  EXPECT_NE(report.error().details.at(0).reason.find("never reused"), std::string::npos);
  report = service_.Import(Csv("code,name,parent_code\n620702000000,甘州区,620700000000\n"), false,
                           kActor, "test.csv");
  ASSERT_FALSE(report.has_value());
  EXPECT_NE(report.error().details.at(0).reason.find("closed on 2020-06-30"), std::string::npos);
}

TEST_F(RegionServiceTest, LevelColumnIsChecked) {
  auto report = service_.Import(Csv("code,name,parent_code,level\n620000000000,甘肃省,,city\n"),
                                false, kActor, "test.csv");
  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(report.error().details.at(0).column, "level");
}

TEST_F(RegionServiceTest, MissingColumnsAreNamed) {
  auto report = service_.Import(Csv("code,title\n620000000000,x\n"), false, kActor, "test.csv");
  ASSERT_FALSE(report.has_value());
  ASSERT_EQ(report.error().details.size(), 2u);
  EXPECT_EQ(report.error().details[0].column, "name");
  EXPECT_EQ(report.error().details[1].column, "parent_code");
}

TEST_F(RegionServiceTest, DryRunCountsWithoutWriting) {
  auto report = service_.Import(Csv("code,name,parent_code\n620000000000,甘肃省,\n"), true, kActor,
                                "test.csv");
  ASSERT_TRUE(report.has_value());
  EXPECT_TRUE(report->dry_run);
  EXPECT_EQ(report->counts.inserted, 1);
  EXPECT_EQ(repo_.upsert_calls, 0);
}

TEST_F(RegionServiceTest, GetSeparatesMalformedFromUnknown) {
  EXPECT_EQ(service_.Get("abc").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_.Get("620000000000").error().code, ErrorCode::kNotFound);
}

TEST_F(RegionServiceTest, CloseValidatesTheSuccessor) {
  ASSERT_TRUE(service_.Import(Csv("code,name,parent_code\n620000000000,甘肃省,\n"
                                  "620600000000,武威市,\n"),
                              false, kActor, "test.csv"));
  EXPECT_EQ(service_.Close("620600000000", "2020-13-01", "", 1, kActor).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_.Close("620600000000", "2020-01-01", "620000000000", 1, kActor).error().code,
            ErrorCode::kInvalidArgument);  // a province cannot succeed a city
  EXPECT_EQ(service_.Close("620600000000", "2020-01-01", "620700000000", 1, kActor).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(service_.Close("620600000000", "2020-01-01", "620600000000", 1, kActor).error().code,
            ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace fupin::regions
