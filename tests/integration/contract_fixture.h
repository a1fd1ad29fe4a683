// The fixture of the storage contract suite: each test starts from an empty, freshly migrated
// database of the backend chosen on the command line (--backend=sqlite|postgresql).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "audit/audit.h"
#include "regions/region.h"
#include "regions/region_repository.h"
#include "storage/database.h"

namespace fupin::storage {

// "sqlite" or "postgresql", from main's --backend.
extern std::string g_backend;

using regions::Region;

inline const audit::Actor kActor{"tester", 1, "127.0.0.1"};

inline const std::string kSecretKey = "contract-test-secret-key-0123456789abcdef";

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
    OpenOptions options;
    options.secret_key = kSecretKey;
    auto db = OpenDatabase(url_, options);
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
    auto counts = repo().Upsert(tree, kActor, "test");
    ASSERT_TRUE(counts.has_value()) << counts.error().message;
    ASSERT_EQ(counts->inserted, 8);
  }

  std::filesystem::path dir_;
  DatabaseUrl url_;
  std::unique_ptr<Database> db_;
};

}  // namespace fupin::storage
