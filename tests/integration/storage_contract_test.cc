// The storage contract: one suite, run against every backend.
//
//   storage_contract_test --backend=sqlite
//   storage_contract_test --backend=postgresql   (needs FUPIN_TEST_PG_URL; fails without it)
//
// Each test starts from an empty, freshly migrated database.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "regions/region_service.h"
#include "regions/synthetic_regions.h"
#include "storage/database.h"
#include "storage/testing.h"

namespace fupin::storage {
namespace {

using regions::Region;
using regions::RegionLevel;

std::string g_backend = "sqlite";

class ContractTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string url;
    if (g_backend == "sqlite") {
      dir_ = std::filesystem::temp_directory_path() /
             ("fupin-contract-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name());
      std::filesystem::remove_all(dir_);
      std::filesystem::create_directories(dir_);
      url = "sqlite:" + (dir_ / "test.db").string();
    } else {
      const char* pg = std::getenv("FUPIN_TEST_PG_URL");
      ASSERT_TRUE(pg && *pg) << "FUPIN_TEST_PG_URL is not set: the PostgreSQL contract run needs "
                                "a server (scripts/test starts one)";
      url = pg;
    }
    auto parsed = DatabaseUrl::Parse(url);
    ASSERT_TRUE(parsed.has_value());
    url_ = *parsed;
    auto db = OpenDatabase(url_);
    ASSERT_TRUE(db.has_value()) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(db_->DropAllTables().has_value());
    auto applied = db_->Migrate();
    ASSERT_TRUE(applied.has_value()) << applied.error().message;
  }
  void TearDown() override {
    db_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  regions::RegionRepository& repo() { return db_->Regions(); }

  static Region R(std::string code, std::string name) {
    Region r;
    auto level = regions::LevelOfCode(code);
    EXPECT_TRUE(level.has_value()) << code;
    r.level = *level;
    r.parent_code = regions::ParentCodeOf(code, r.level);
    r.code = std::move(code);
    r.name = std::move(name);
    return r;
  }

  // 62 甘肃 → 6206 武威 → 620623 天祝 → two townships → villages.
  void SeedSmallTree() {
    const std::vector<Region> tree = {
        R("620000000000", "甘肃省"),         R("620600000000", "武威市"),
        R("620623000000", "天祝藏族自治县"), R("620623100000", "华藏寺镇"),
        R("620623101000", "打柴沟镇"),       R("620623100201", "华藏寺村"),
        R("620623100202", "岔口驿村"),       R("620623101201", "打柴沟村")};
    auto counts = repo().Upsert(tree);
    ASSERT_TRUE(counts.has_value()) << counts.error().message;
    ASSERT_EQ(counts->inserted, 8);
  }

  std::filesystem::path dir_;
  DatabaseUrl url_;
  std::unique_ptr<Database> db_;
};

TEST_F(ContractTest, ReportsItsBackend) {
  EXPECT_EQ(BackendName(db_->backend()), g_backend);
  EXPECT_TRUE(db_->Ping().has_value());
}

TEST_F(ContractTest, MigrationsApplyOnceAndAreRecorded) {
  auto again = db_->Migrate();
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, 0);
  auto applied = db_->AppliedMigrations();
  ASSERT_TRUE(applied.has_value());
  ASSERT_FALSE(applied->empty());
  EXPECT_EQ(applied->front().version, 1);
  EXPECT_EQ(applied->front().name, "0001_foundation");
  EXPECT_EQ(db_->PendingMigrationCount().value(), 0);
}

TEST_F(ContractTest, AnEditedLandedMigrationIsDetected) {
  ASSERT_TRUE(testing::ExecuteSql(*db_,
                                  "UPDATE schema_migrations SET checksum = 'edited' "
                                  "WHERE version = 1")
                  .has_value());
  auto migrated = db_->Migrate();
  ASSERT_FALSE(migrated.has_value());
  EXPECT_EQ(migrated.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(migrated.error().message.find("never be edited"), std::string::npos);
}

TEST_F(ContractTest, ANewerDatabaseIsRefused) {
  ASSERT_TRUE(testing::ExecuteSql(*db_,
                                  "INSERT INTO schema_migrations VALUES "
                                  "(9999, '9999_future', 'x', '2030-01-01')")
                  .has_value());
  auto migrated = db_->Migrate();
  ASSERT_FALSE(migrated.has_value());
  EXPECT_NE(migrated.error().message.find("newer than this fupin"), std::string::npos);
}

TEST_F(ContractTest, AForeignDatabaseIsNotMigrated) {
  ASSERT_TRUE(db_->DropAllTables().has_value());
  ASSERT_TRUE(testing::ExecuteSql(*db_, "CREATE TABLE customers (id INTEGER)").has_value());
  EXPECT_EQ(db_->TableCount().value(), 1);
  auto migrated = db_->Migrate();
  ASSERT_FALSE(migrated.has_value());
  EXPECT_NE(migrated.error().message.find("not a fupin database"), std::string::npos);
}

TEST_F(ContractTest, MetaValuesRoundTrip) {
  EXPECT_FALSE(db_->GetMeta("demo").value().has_value());
  ASSERT_TRUE(db_->SetMeta("demo", "1").has_value());
  ASSERT_TRUE(db_->SetMeta("demo", "2").has_value());
  EXPECT_EQ(db_->GetMeta("demo").value().value_or(""), "2");
}

TEST_F(ContractTest, UpsertCountsInsertedUpdatedUnchanged) {
  SeedSmallTree();
  auto counts = repo().Upsert(std::vector<Region>{
      R("620000000000", "甘肃省"), R("620600000000", "武威地区"), R("620700000000", "张掖市")});
  ASSERT_TRUE(counts.has_value()) << counts.error().message;
  EXPECT_EQ(counts->unchanged, 1);
  EXPECT_EQ(counts->updated, 1);
  EXPECT_EQ(counts->inserted, 1);
  auto renamed = repo().Find("620600000000");
  ASSERT_TRUE(renamed.has_value() && renamed->has_value());
  EXPECT_EQ((*renamed)->name, "武威地区");
  EXPECT_EQ((*renamed)->version, 2);
}

TEST_F(ContractTest, AFailingBatchWritesNothing) {
  SeedSmallTree();
  // The last row's parent does not exist: the foreign key fails the whole batch, including
  // the rename and the valid insert before it.
  auto counts = repo().Upsert(std::vector<Region>{
      R("620600000000", "改名"), R("620700000000", "张掖市"), R("630100000000", "西宁市")});
  ASSERT_FALSE(counts.has_value());
  EXPECT_EQ(repo().Find("620700000000").value(), std::nullopt);
  EXPECT_EQ(repo().Find("620600000000").value()->name, "武威市");
}

TEST_F(ContractTest, FindAndFindMany) {
  SeedSmallTree();
  auto village = repo().Find("620623100201");
  ASSERT_TRUE(village.has_value() && village->has_value());
  EXPECT_EQ((*village)->name, "华藏寺村");
  EXPECT_EQ((*village)->level, RegionLevel::kVillage);
  EXPECT_EQ((*village)->parent_code, "620623100000");
  EXPECT_FALSE((*village)->IsClosed());
  EXPECT_EQ(repo().Find("620623100299").value(), std::nullopt);
  const std::vector<std::string> codes = {"620623000000", "620000000000", "629999999999"};
  auto many = repo().FindMany(codes);
  ASSERT_TRUE(many.has_value());
  ASSERT_EQ(many->size(), 2u);
  EXPECT_EQ((*many)[0].code, "620000000000");  // code order
}

TEST_F(ContractTest, ChildrenCountTheirOpenChildren) {
  SeedSmallTree();
  auto top = repo().Children("", false);
  ASSERT_TRUE(top.has_value());
  ASSERT_EQ(top->size(), 1u);
  EXPECT_EQ((*top)[0].child_count, 1);
  auto townships = repo().Children("620623000000", false);
  ASSERT_TRUE(townships.has_value());
  ASSERT_EQ(townships->size(), 2u);
  EXPECT_EQ((*townships)[0].region.code, "620623100000");
  EXPECT_EQ((*townships)[0].child_count, 2);
  EXPECT_EQ((*townships)[1].child_count, 1);
  EXPECT_TRUE(repo().Children("620623100201", false).value().empty());
}

TEST_F(ContractTest, CountByLevelUsesTheSubtree) {
  SeedSmallTree();
  ASSERT_TRUE(repo().Upsert(std::vector<Region>{R("620700000000", "张掖市")}).has_value());
  auto all = repo().CountByLevel("");
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(*all, (regions::LevelCounts{1, 2, 1, 2, 3}));
  auto county = repo().CountByLevel("620623000000");
  EXPECT_EQ(county.value(), (regions::LevelCounts{0, 0, 1, 2, 3}));
  auto township = repo().CountByLevel("620623101000");
  EXPECT_EQ(township.value(), (regions::LevelCounts{0, 0, 0, 1, 1}));
}

TEST_F(ContractTest, RenameUsesOptimisticLocking) {
  SeedSmallTree();
  auto renamed = repo().Rename("620623100201", "新华藏寺村", 1);
  ASSERT_TRUE(renamed.has_value()) << renamed.error().message;
  EXPECT_EQ(renamed->version, 2);
  EXPECT_EQ(renamed->name, "新华藏寺村");
  auto stale = repo().Rename("620623100201", "又一个名字", 1);
  ASSERT_FALSE(stale.has_value());
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_EQ(stale.error().current_version, 2);
  EXPECT_EQ(repo().Find("620623100201").value()->name, "新华藏寺村");
  EXPECT_EQ(repo().Rename("620623100299", "x", 1).error().code, ErrorCode::kNotFound);
}

TEST_F(ContractTest, ClosingKeepsTheRegionAndHidesIt) {
  SeedSmallTree();
  // A township with open villages cannot close.
  auto blocked = repo().Close("620623101000", Date{2020, 6, 30}, "", 1);
  ASSERT_FALSE(blocked.has_value());
  EXPECT_EQ(blocked.error().code, ErrorCode::kFailedPrecondition);
  // Merge village 201 into 202.
  auto closed = repo().Close("620623100201", Date{2020, 6, 30}, "620623100202", 1);
  ASSERT_TRUE(closed.has_value()) << closed.error().message;
  EXPECT_EQ(closed->closed_on, (Date{2020, 6, 30}));
  EXPECT_EQ(closed->successor_code, "620623100202");
  EXPECT_EQ(closed->version, 2);
  EXPECT_EQ(repo().Children("620623100000", false).value().size(), 1u);
  EXPECT_EQ(repo().Children("620623100000", true).value().size(), 2u);
  EXPECT_EQ(repo().Children("620623000000", false).value()[0].child_count, 1);
  EXPECT_EQ(repo().CountByLevel("620623100000").value()[4], 1);
  EXPECT_EQ(repo().Close("620623100201", Date{2021, 1, 1}, "", 2).error().code,
            ErrorCode::kFailedPrecondition);
  // A closed region is never changed by an import.
  auto reuse = repo().Upsert(std::vector<Region>{R("620623100201", "复用")});
  ASSERT_FALSE(reuse.has_value());
  EXPECT_EQ(reuse.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(repo().Find("620623100201").value()->name, "华藏寺村");
  // Stale version.
  EXPECT_EQ(repo().Close("620623100202", Date{2021, 1, 1}, "", 5).error().code,
            ErrorCode::kConflict);
}

TEST_F(ContractTest, SearchFiltersSortsAndPages) {
  SeedSmallTree();
  regions::RegionQuery q;
  q.within = "620623000000";
  q.level = RegionLevel::kVillage;
  auto villages = repo().Search(q);
  ASSERT_TRUE(villages.has_value()) << villages.error().message;
  EXPECT_EQ(villages->total, 3);
  q.limit = 2;
  q.offset = 2;
  auto page2 = repo().Search(q);
  EXPECT_EQ(page2.value().total, 3);
  ASSERT_EQ(page2.value().items.size(), 1u);
  EXPECT_EQ(page2.value().items[0].region.code, "620623101201");
  regions::RegionQuery text;
  text.text = "打柴沟";
  auto found = repo().Search(text);
  ASSERT_EQ(found.value().total, 2);
  regions::RegionQuery digits;
  digits.text = "620623";
  EXPECT_EQ(repo().Search(digits).value().total, 6);
  regions::RegionQuery desc;
  desc.sort = regions::RegionSort::kCodeDesc;
  desc.limit = 1;
  EXPECT_EQ(repo().Search(desc).value().items.at(0).region.code, "620623101201");
}

TEST_F(ContractTest, NameSortIsByteOrderOnEveryBackend) {
  SeedSmallTree();
  regions::RegionQuery q;
  q.level = RegionLevel::kVillage;
  q.sort = regions::RegionSort::kName;
  auto page = repo().Search(q);
  ASSERT_TRUE(page.has_value());
  std::vector<std::string> names;
  for (const auto& item : page->items) names.push_back(item.region.name);
  std::vector<std::string> expected = names;
  std::sort(expected.begin(), expected.end());  // std::string compares bytes
  EXPECT_EQ(names, expected);
}

TEST_F(ContractTest, SqlMetacharactersAreStoredVerbatimAndSearchable) {
  SeedSmallTree();
  const std::string nasty = "O'Brien\"; DROP TABLE regions; -- 100%_村\\";
  ASSERT_TRUE(repo().Rename("620623100202", nasty, 1).has_value());
  EXPECT_EQ(repo().Find("620623100202").value()->name, nasty);
  regions::RegionQuery q;
  q.text = "100%_";
  auto found = repo().Search(q);
  ASSERT_EQ(found.value().total, 1);
  EXPECT_EQ(found.value().items[0].region.name, nasty);
  q.text = "%";  // a literal percent sign, not a wildcard
  EXPECT_EQ(repo().Search(q).value().total, 1);
  q.text = "_";
  EXPECT_EQ(repo().Search(q).value().total, 1);
}

TEST_F(ContractTest, ImportThroughTheServiceIsAllOrNothing) {
  regions::RegionService service(repo());
  auto table = ParseCsv(
      "code,name,parent_code\n620000000000,甘肃省,\n620600000000,武威市,\n"
      "620700000000,张掖市,630000000000\n");
  ASSERT_TRUE(table.has_value());
  auto report = service.Import(*table, false);
  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(repo().CountByLevel("").value(), (regions::LevelCounts{0, 0, 0, 0, 0}));
  table = ParseCsv("code,name,parent_code\n620000000000,甘肃省,\n620600000000,武威市,\n");
  report = service.Import(*table, false);
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_EQ(report->counts.inserted, 2);
}

TEST_F(ContractTest, ProvinceScaleHierarchyStoresInOneBatch) {
  const auto generated = regions::GenerateRegions(regions::DemoScale::kProvince, 7);
  auto counts = repo().Upsert(generated);
  ASSERT_TRUE(counts.has_value()) << counts.error().message;
  EXPECT_EQ(counts->inserted, static_cast<int64_t>(generated.size()));
  int64_t villages = 0;
  for (const auto& r : generated) villages += r.level == RegionLevel::kVillage;
  EXPECT_EQ(repo().CountByLevel("").value()[4], villages);
}

TEST_F(ContractTest, ConcurrentReadersAndAWriter) {
  SeedSmallTree();
  std::atomic<int> failures{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      while (!stop) {
        auto children = repo().Children("620623000000", false);
        if (!children || children->size() != 2) ++failures;
      }
    });
  }
  int64_t version = 1;
  for (int i = 0; i < 50; ++i) {
    auto renamed = repo().Rename("620623100000", "镇" + std::to_string(i), version);
    ASSERT_TRUE(renamed.has_value()) << renamed.error().message;
    version = renamed->version;
  }
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(version, 51);
}

}  // namespace
}  // namespace fupin::storage

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.starts_with("--backend=")) fupin::storage::g_backend = std::string(arg.substr(10));
  }
  if (fupin::storage::g_backend != "sqlite" && fupin::storage::g_backend != "postgresql") {
    std::fprintf(stderr, "--backend must be sqlite or postgresql\n");
    return 2;
  }
  return RUN_ALL_TESTS();
}
