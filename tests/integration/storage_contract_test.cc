// The storage contract: one suite, run against every backend.
//
//   storage_contract_test --backend=sqlite
//   storage_contract_test --backend=postgresql   (needs FUPIN_TEST_PG_URL; fails without it)
//
// Each test starts from an empty, freshly migrated database.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "access/auth_service.h"
#include "audit/audit.h"
#include "contract_fixture.h"
#include "indicators/indicator_service.h"
#include "regions/region_service.h"
#include "regions/synthetic_regions.h"
#include "registry/id_number.h"
#include "storage/database.h"
#include "storage/testing.h"

namespace fupin::storage {

std::string g_backend = "sqlite";

namespace {

using regions::Region;
using regions::RegionLevel;

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
  auto dropped = db_->DropAllTables();
  ASSERT_TRUE(dropped.has_value()) << dropped.error().message;
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
  auto counts =
      repo().Upsert(std::vector<Region>{R("620000000000", "甘肃省"), R("620600000000", "武威地区"),
                                        R("620700000000", "张掖市")},
                    kActor, "test");
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
  auto counts =
      repo().Upsert(std::vector<Region>{R("620600000000", "改名"), R("620700000000", "张掖市"),
                                        R("630100000000", "西宁市")},
                    kActor, "test");
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
  ASSERT_TRUE(
      repo().Upsert(std::vector<Region>{R("620700000000", "张掖市")}, kActor, "test").has_value());
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
  auto renamed = repo().Rename("620623100201", "新华藏寺村", 1, kActor);
  ASSERT_TRUE(renamed.has_value()) << renamed.error().message;
  EXPECT_EQ(renamed->version, 2);
  EXPECT_EQ(renamed->name, "新华藏寺村");
  auto stale = repo().Rename("620623100201", "又一个名字", 1, kActor);
  ASSERT_FALSE(stale.has_value());
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_EQ(stale.error().current_version, 2);
  EXPECT_EQ(repo().Find("620623100201").value()->name, "新华藏寺村");
  EXPECT_EQ(repo().Rename("620623100299", "x", 1, kActor).error().code, ErrorCode::kNotFound);
}

TEST_F(ContractTest, ClosingKeepsTheRegionAndHidesIt) {
  SeedSmallTree();
  // A township with open villages cannot close.
  auto blocked = repo().Close("620623101000", Date{2020, 6, 30}, "", 1, kActor);
  ASSERT_FALSE(blocked.has_value());
  EXPECT_EQ(blocked.error().code, ErrorCode::kFailedPrecondition);
  // Merge village 201 into 202.
  auto closed = repo().Close("620623100201", Date{2020, 6, 30}, "620623100202", 1, kActor);
  ASSERT_TRUE(closed.has_value()) << closed.error().message;
  EXPECT_EQ(closed->closed_on, (Date{2020, 6, 30}));
  EXPECT_EQ(closed->successor_code, "620623100202");
  EXPECT_EQ(closed->version, 2);
  EXPECT_EQ(repo().Children("620623100000", false).value().size(), 1u);
  EXPECT_EQ(repo().Children("620623100000", true).value().size(), 2u);
  EXPECT_EQ(repo().Children("620623000000", false).value()[0].child_count, 1);
  EXPECT_EQ(repo().CountByLevel("620623100000").value()[4], 1);
  EXPECT_EQ(repo().Close("620623100201", Date{2021, 1, 1}, "", 2, kActor).error().code,
            ErrorCode::kFailedPrecondition);
  // A closed region is never changed by an import.
  auto reuse = repo().Upsert(std::vector<Region>{R("620623100201", "复用")}, kActor, "test");
  ASSERT_FALSE(reuse.has_value());
  EXPECT_EQ(reuse.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(repo().Find("620623100201").value()->name, "华藏寺村");
  // Stale version.
  EXPECT_EQ(repo().Close("620623100202", Date{2021, 1, 1}, "", 5, kActor).error().code,
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
  ASSERT_TRUE(repo().Rename("620623100202", nasty, 1, kActor).has_value());
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
  auto report = service.Import(*table, false, kActor, "test.csv");
  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(repo().CountByLevel("").value(), (regions::LevelCounts{0, 0, 0, 0, 0}));
  table = ParseCsv("code,name,parent_code\n620000000000,甘肃省,\n620600000000,武威市,\n");
  report = service.Import(*table, false, kActor, "test.csv");
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_EQ(report->counts.inserted, 2);
}

TEST_F(ContractTest, ProvinceScaleHierarchyStoresInOneBatch) {
  const auto generated = regions::GenerateRegions(regions::DemoScale::kProvince, 7);
  auto counts = repo().Upsert(generated, kActor, "test");
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
    auto renamed = repo().Rename("620623100000", "镇" + std::to_string(i), version, kActor);
    ASSERT_TRUE(renamed.has_value()) << renamed.error().message;
    version = renamed->version;
  }
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(version, 51);
}

// ---- access: users, sessions, throttling, tokens ----

class AccessContractTest : public ContractTest {
 protected:
  void SetUp() override {
    ContractTest::SetUp();
    SeedSmallTree();
  }
  access::NewUser Official(std::string name, std::string region = "620623000000") {
    return {
        std::move(name), "", "Tianzhu-2020!", {{access::Role::kOfficial, std::move(region), 0}}};
  }
  ManualClock clock_{std::chrono::sys_days(std::chrono::year(2026) / 11 / 22)};
  access::AuthService auth() { return access::AuthService(db_->Access(), clock_); }
};

TEST_F(AccessContractTest, UsersAreCreatedOnceWithTheirRoles) {
  auto svc = auth();
  auto created = svc.CreateUser(Official("zhang.san"), kActor);
  ASSERT_TRUE(created.has_value()) << created.error().message;
  EXPECT_GT(created->id, 0);
  auto found = db_->Access().FindUserByName("zhang.san");
  ASSERT_TRUE(found.has_value() && found->has_value());
  ASSERT_EQ((*found)->roles.size(), 1u);
  EXPECT_EQ((*found)->roles[0].region_code, "620623000000");
  EXPECT_EQ(svc.CreateUser(Official("zhang.san"), kActor).error().code, ErrorCode::kAlreadyExists);
  // A role bound to a region that does not exist writes nothing.
  EXPECT_EQ(svc.CreateUser(Official("li.si", "630000000000"), kActor).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(db_->Access().FindUserByName("li.si").value(), std::nullopt);
  // Weak passwords are refused without echoing them.
  auto weak = Official("wang.wu");
  weak.password = "wang.wu";
  auto refused = svc.CreateUser(weak, kActor);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().details.at(0).column, "password");
  EXPECT_TRUE(refused.error().details.at(0).value.empty());
}

TEST_F(AccessContractTest, LoginCreatesASessionAndLogoutEndsIt) {
  auto svc = auth();
  ASSERT_TRUE(svc.CreateUser(Official("zhang.san"), kActor).has_value());
  auto login = svc.Login("zhang.san", "Tianzhu-2020!", "127.0.0.1");
  ASSERT_TRUE(login.has_value()) << login.error().message;
  EXPECT_EQ(login->token.size(), 64u);  // 256 bits
  auto who = svc.AuthenticateSession(login->token);
  ASSERT_TRUE(who.has_value()) << who.error().message;
  EXPECT_EQ(who->principal.name, "zhang.san");
  EXPECT_EQ(who->csrf_token, login->csrf_token);
  ASSERT_TRUE(svc.Logout(login->token).has_value());
  EXPECT_EQ(svc.AuthenticateSession(login->token).error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(svc.Login("zhang.san", "wrong-password!", "127.0.0.1").error().code,
            ErrorCode::kUnauthenticated);
  // Same message whether or not the user exists.
  EXPECT_EQ(svc.Login("nobody", "wrong-password!", "127.0.0.1").error().message,
            svc.Login("zhang.san", "wrong-password!", "127.0.0.1").error().message);
}

TEST_F(AccessContractTest, SessionsExpireIdleAndAbsolutely) {
  auto svc = auth();
  ASSERT_TRUE(svc.CreateUser(Official("zhang.san"), kActor).has_value());
  auto idle = svc.Login("zhang.san", "Tianzhu-2020!", "127.0.0.1");
  clock_.Advance(std::chrono::minutes(29));
  ASSERT_TRUE(svc.AuthenticateSession(idle->token).has_value());  // activity refreshes it
  clock_.Advance(std::chrono::minutes(29));
  ASSERT_TRUE(svc.AuthenticateSession(idle->token).has_value());
  clock_.Advance(std::chrono::minutes(31));
  EXPECT_EQ(svc.AuthenticateSession(idle->token).error().code, ErrorCode::kUnauthenticated);

  auto busy = svc.Login("zhang.san", "Tianzhu-2020!", "127.0.0.1");
  for (int i = 0; i < 12 * 3; ++i) {  // active every 20 minutes for 12 hours
    clock_.Advance(std::chrono::minutes(20));
    if (i < 12 * 3 - 1) {
      ASSERT_TRUE(svc.AuthenticateSession(busy->token).has_value()) << i;
    }
  }
  EXPECT_EQ(svc.AuthenticateSession(busy->token).error().code, ErrorCode::kUnauthenticated);
}

TEST_F(AccessContractTest, FailedLoginsAreThrottled) {
  auto svc = auth();
  ASSERT_TRUE(svc.CreateUser(Official("zhang.san"), kActor).has_value());
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(svc.Login("zhang.san", "wrong-password!", "10.1.1.1").error().code,
              ErrorCode::kUnauthenticated);
    clock_.Advance(std::chrono::seconds(10));
  }
  auto throttled = svc.Login("zhang.san", "Tianzhu-2020!", "10.1.1.1");  // even the right one
  ASSERT_FALSE(throttled.has_value());
  EXPECT_EQ(throttled.error().code, ErrorCode::kResourceExhausted);
  EXPECT_EQ(throttled.error().retry_after_seconds, 15 * 60 - 50);
  // Another address is not affected.
  EXPECT_TRUE(svc.Login("zhang.san", "Tianzhu-2020!", "10.2.2.2").has_value());
  // When the window has passed, the account can sign in again, and success resets the count.
  clock_.Advance(std::chrono::minutes(15));
  EXPECT_TRUE(svc.Login("zhang.san", "Tianzhu-2020!", "10.1.1.1").has_value());
  for (int i = 0; i < 4; ++i) (void)svc.Login("zhang.san", "wrong-password!", "10.1.1.1");
  EXPECT_EQ(svc.Login("zhang.san", "wrong-password!", "10.1.1.1").error().code,
            ErrorCode::kUnauthenticated);  // the 5th failure is still an answer
}

TEST_F(AccessContractTest, TwentyFailuresFromOneAddressBlockEveryName) {
  auto svc = auth();
  ASSERT_TRUE(svc.CreateUser(Official("zhang.san"), kActor).has_value());
  for (int i = 0; i < 20; ++i) {
    // Unknown names count like known ones.
    EXPECT_EQ(svc.Login("guess" + std::to_string(i), "whatever-pass", "10.9.9.9").error().code,
              ErrorCode::kUnauthenticated);
  }
  EXPECT_EQ(svc.Login("zhang.san", "Tianzhu-2020!", "10.9.9.9").error().code,
            ErrorCode::kResourceExhausted);
}

TEST_F(AccessContractTest, DisablingAUserEndsItsSessions) {
  auto svc = auth();
  ASSERT_TRUE(svc.CreateUser(Official("zhang.san"), kActor).has_value());
  auto login = svc.Login("zhang.san", "Tianzhu-2020!", "127.0.0.1");
  ASSERT_TRUE(svc.SetDisabled("zhang.san", true, kActor).has_value());
  EXPECT_EQ(svc.AuthenticateSession(login->token).error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(svc.Login("zhang.san", "Tianzhu-2020!", "127.0.0.1").error().code,
            ErrorCode::kUnauthenticated);
  ASSERT_TRUE(svc.SetDisabled("zhang.san", false, kActor).has_value());
  EXPECT_TRUE(svc.Login("zhang.san", "Tianzhu-2020!", "127.0.0.1").has_value());
}

TEST_F(AccessContractTest, ApiTokensAuthenticateUntilRevoked) {
  auto svc = auth();
  auto user = svc.CreateUser(Official("robot"), kActor);
  ASSERT_TRUE(user.has_value());
  auto created =
      svc.CreateApiToken(access::AuthService::PrincipalOf(*user), "nightly export", kActor);
  ASSERT_TRUE(created.has_value()) << created.error().message;
  const std::string token = created->second;
  auto who = svc.AuthenticateApiToken(token);
  ASSERT_TRUE(who.has_value());
  EXPECT_EQ(who->principal.name, "robot");
  EXPECT_TRUE(who->csrf_token.empty());
  ASSERT_TRUE(db_->Access().RevokeApiToken(user->id, created->first.id, kActor).has_value());
  EXPECT_EQ(svc.AuthenticateApiToken(token).error().code, ErrorCode::kUnauthenticated);
  // Only the hash is stored.
  auto listed = db_->Access().ListApiTokens(user->id);
  ASSERT_EQ(listed.value().size(), 1u);
  EXPECT_TRUE(listed.value()[0].revoked);
}

TEST_F(AccessContractTest, PasswordsAndTokensNeverReachTheDatabaseInClear) {
  auto svc = auth();
  auto user = svc.CreateUser(Official("zhang.san"), kActor);
  ASSERT_TRUE(user.has_value());
  auto login = svc.Login("zhang.san", "Tianzhu-2020!", "127.0.0.1");
  ASSERT_TRUE(login.has_value());
  ASSERT_TRUE(svc.ResetPassword("zhang.san", "Another-Pass-42", kActor).has_value());
  const std::string hash = db_->Access().PasswordHash(user->id).value();
  EXPECT_TRUE(hash.starts_with("$argon2id$"));
  EXPECT_EQ(hash.find("Another-Pass-42"), std::string::npos);
  // Resetting a password ends the user's sessions.
  EXPECT_EQ(svc.AuthenticateSession(login->token).error().code, ErrorCode::kUnauthenticated);
  if (g_backend != "sqlite") return;  // the rest reads the SQLite file's bytes
  db_.reset();                        // checkpoint and close
  std::string bytes;
  for (const char* suffix : {"", "-wal"}) {
    std::ifstream in(dir_ / (std::string("test.db") + suffix), std::ios::binary);
    bytes += std::string(std::istreambuf_iterator<char>(in), {});
  }
  ASSERT_FALSE(bytes.empty());
  EXPECT_EQ(bytes.find("Tianzhu-2020!"), std::string::npos);
  EXPECT_EQ(bytes.find("Another-Pass-42"), std::string::npos);
  EXPECT_EQ(bytes.find(login->token), std::string::npos);
}

// ---- audit ----

TEST_F(ContractTest, WritesAreAuditedInAVerifiableChain) {
  SeedSmallTree();
  ASSERT_TRUE(repo().Rename("620623100201", "新华藏寺村", 1, kActor).has_value());
  ASSERT_TRUE(repo().Close("620623100201", Date{2020, 6, 30}, "620623100202", 2, kActor));
  audit::Query all;
  all.scope = {""};
  auto page = db_->Audit().List(all);
  ASSERT_TRUE(page.has_value()) << page.error().message;
  ASSERT_EQ(page->total, 3);
  const audit::Entry& close = page->items[0];  // newest first
  EXPECT_EQ(close.action, "close");
  EXPECT_EQ(close.actor.name, "tester");
  EXPECT_EQ(close.actor.address, "127.0.0.1");
  ASSERT_EQ(close.changes.size(), 2u);
  EXPECT_EQ(close.changes[1].after, "620623100202");
  const audit::Entry& rename = page->items[1];
  EXPECT_EQ(rename.changes.at(0), (audit::FieldChange{"name", "华藏寺村", "新华藏寺村"}));
  const audit::Entry& import = page->items[2];
  EXPECT_EQ(import.action, "import");
  EXPECT_EQ(import.region_code, "620000000000");
  EXPECT_NE(import.note.find("8 inserted"), std::string::npos);
  EXPECT_NE(import.note.find("620623101201"), std::string::npos);  // the ids touched
  // Scoped readers see their subtree only.
  audit::Query township;
  township.scope = {"620623101000"};
  EXPECT_EQ(db_->Audit().List(township).value().total, 0);
  audit::Query village;
  village.scope = {"620623100000"};
  EXPECT_EQ(db_->Audit().List(village).value().total, 2);

  auto verified = db_->Audit().Verify(std::nullopt);
  ASSERT_TRUE(verified.has_value());
  EXPECT_TRUE(verified->ok) << verified->problem;
  EXPECT_EQ(verified->head.count, 3);
  EXPECT_EQ(db_->Audit().CurrentHead().value().hash, verified->head.hash);
}

TEST_F(ContractTest, AuditVerificationFindsEditsDeletionsAndTruncation) {
  SeedSmallTree();
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(repo().Rename("620623100201", "村" + std::to_string(i), i + 1, kActor));
  }
  const audit::Head head = db_->Audit().CurrentHead().value();
  ASSERT_EQ(head.count, 4);
  // An edited value.
  ASSERT_TRUE(testing::ExecuteSql(*db_, "UPDATE audit_changes SET new_value = '改' WHERE seq = 3"));
  auto edited = db_->Audit().Verify(head);
  EXPECT_FALSE(edited->ok);
  EXPECT_EQ(edited->first_broken, 3);
  ASSERT_TRUE(
      testing::ExecuteSql(*db_, "UPDATE audit_changes SET new_value = '村1' WHERE seq = 3"));
  EXPECT_TRUE(db_->Audit().Verify(head)->ok);
  // A truncated tail shows only against the saved head.
  ASSERT_TRUE(testing::ExecuteSql(*db_,
                                  "DELETE FROM audit_changes WHERE seq = 4; "
                                  "DELETE FROM audit_log WHERE seq = 4"));
  EXPECT_TRUE(db_->Audit().Verify(std::nullopt)->ok);
  auto truncated = db_->Audit().Verify(head);
  EXPECT_FALSE(truncated->ok);
  EXPECT_NE(truncated->problem.find("removed from the end"), std::string::npos);
  // A deleted entry in the middle.
  ASSERT_TRUE(testing::ExecuteSql(*db_,
                                  "DELETE FROM audit_changes WHERE seq = 2; "
                                  "DELETE FROM audit_log WHERE seq = 2"));
  auto deleted = db_->Audit().Verify(std::nullopt);
  EXPECT_FALSE(deleted->ok);
  EXPECT_EQ(deleted->first_broken, 3);
}

// --- The household registry -------------------------------------------------------------

audit::Query AllAudit() {
  audit::Query q;
  q.scope = {""};
  q.limit = 1000;
  return q;
}

registry::HouseholdRecord Household(const std::string& number, const std::string& village,
                                    const std::string& id17, const std::string& head) {
  registry::HouseholdRecord r;
  r.household.number = number;
  r.household.region_code = village;
  r.household.attribute = "general";
  r.household.main_cause = "illness";
  r.household.phone = "13812345678";
  r.household.status = "identified";
  registry::Member m;
  m.name = head;
  m.id_number = id17 + registry::IdNumberCheckCharacter(id17);
  m.relation = "head";
  m.sex = "male";
  m.health = "serious";
  r.members = {m};
  r.events = {{0, "identified", {2014, 5, 1}, std::nullopt, ""}};
  r.incomes = {{2019, 5000, 1000, 0, 800, 300}, {2020, 6000, 1200, 0, 900, 400}};
  r.guarantees = {{"food", true, Date{2020, 6, 1}}, {"housing", false, std::nullopt}};
  return r;
}

TEST_F(ContractTest, RegistrySavesIdempotentlyAndAuditsOneEntryPerBatch) {
  SeedSmallTree();
  auto& reg = db_->Registry();
  std::vector<registry::HouseholdRecord> batch = {
      Household("H1", "620623100201", "62062319700101001", "王一"),
      Household("H2", "620623100202", "62062319710101001", "李二")};
  auto first = reg.SaveHouseholds(batch, kActor, "batch.csv sha256 x");
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->inserted, 2);
  auto again = reg.SaveHouseholds(batch, kActor, "batch.csv sha256 x");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->unchanged, 2);
  EXPECT_EQ(again->inserted + again->updated, 0);
  batch[1].household.main_cause = "lack_skills";
  auto changed = reg.SaveHouseholds(batch, kActor, "batch.csv sha256 y");
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->updated, 1);
  EXPECT_EQ(changed->unchanged, 1);
  auto page = reg.ListHouseholds(
      {{""}, "", "", "", "", "", registry::HouseholdSort::kNumber, false, 0, 10});
  ASSERT_TRUE(page);
  ASSERT_EQ(page->total, 2);
  EXPECT_EQ(page->items[1].household.main_cause, "lack_skills");
  EXPECT_EQ(page->items[1].household.version, 2);
  EXPECT_EQ(page->items[0].head_name, "王一");
  ASSERT_TRUE(page->items[0].latest_income);
  EXPECT_EQ(page->items[0].latest_income->year, 2020);
  // One audit entry per batch, bound to the smallest region holding both households.
  auto entries = db_->Audit().List(AllAudit());
  ASSERT_TRUE(entries);
  int imports = 0;
  bool listed_both = false, counted_unchanged = false;
  for (const auto& e : entries->items) {
    if (e.entity == "household" && e.action == "import") {
      ++imports;
      EXPECT_EQ(e.region_code, "620623100000");
      listed_both |=
          e.note.find(" H1") != std::string::npos && e.note.find(" H2") != std::string::npos;
      counted_unchanged |= e.note.find("unchanged 2") != std::string::npos;
    }
  }
  EXPECT_EQ(imports, 3);
  EXPECT_TRUE(listed_both);
  EXPECT_TRUE(counted_unchanged);
}

// RegistryRepository::BeginBulkLoad: offered to a SQLite database's sole user while the
// registry is empty, and to no one on PostgreSQL; a load writes nothing until it finishes, and
// finishes as SaveHouseholds would have.
TEST_F(ContractTest, ABulkLoadIsOfferedToTheSoleUserOfAnEmptyRegistryOnly) {
  SeedSmallTree();
  auto shared = db_->Registry().BeginBulkLoad(10);
  ASSERT_TRUE(shared) << shared.error().message;
  EXPECT_EQ(*shared, nullptr);  // a server's database
  OpenOptions options;
  options.secret_key = kSecretKey;
  options.sole_user = true;
  auto sole = OpenDatabase(url_, options);
  ASSERT_TRUE(sole) << sole.error().message;
  auto& reg = (*sole)->Registry();
  auto load = reg.BeginBulkLoad(10);
  ASSERT_TRUE(load) << load.error().message;
  if (g_backend != "sqlite") {
    EXPECT_EQ(*load, nullptr);
    return;
  }
  ASSERT_NE(*load, nullptr);
  const std::vector<registry::HouseholdRecord> batch = {
      Household("H1", "620623100201", "62062319700101001", "王一"),
      Household("H2", "620623100202", "62062319710101001", "李二"),
      Household("H3", "620623101201", "62062319720101001", "张三")};
  const registry::HouseholdRecord* first[] = {&batch[0], &batch[1]};
  const registry::HouseholdRecord* last[] = {&batch[2]};
  // Abandoned: nothing written.
  ASSERT_TRUE((*load)->Add(first));
  load->reset();
  auto households = [&] {
    auto n = testing::QuerySql(**sole, "SELECT count(*) FROM households", 1);
    return n ? n->at(0).at(0) : n.error().message;
  };
  EXPECT_EQ(households(), "0");
  // Finished: stored as SaveHouseholds stores them, one audit entry.
  load = reg.BeginBulkLoad(10);
  ASSERT_TRUE(load && *load);
  ASSERT_TRUE((*load)->Add(first));
  ASSERT_TRUE((*load)->Add(last));
  auto counts = (*load)->Finish(kActor, "bulk.csv");
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(counts->inserted, 3);
  EXPECT_EQ(households(), "3");
  EXPECT_FALSE((*load)->Add(last));  // ended
  const std::string numbers[] = {"H1", "H2", "H3"};
  auto stored = reg.FindHouseholdsByNumber(numbers);
  ASSERT_TRUE(stored);
  ASSERT_EQ(stored->size(), 3u);
  for (const auto& r : *stored) {
    const auto& given = r.household.number == "H1"   ? batch[0]
                        : r.household.number == "H2" ? batch[1]
                                                     : batch[2];
    EXPECT_TRUE(registry::SameContent(r, given)) << r.household.number;
  }
  auto entries = (*sole)->Audit().List(AllAudit());
  ASSERT_TRUE(entries);
  int imports = 0;
  for (const auto& e : entries->items) {
    if (e.entity != "household" || e.action != "import") continue;
    ++imports;
    EXPECT_EQ(e.region_code, "620623000000");  // the county holds all three
    EXPECT_EQ(e.note, "bulk.csv; inserted 3, updated 0, unchanged 0; households: H1 H2 H3");
  }
  EXPECT_EQ(imports, 1);
  // Not empty any more: none offered.
  auto none = reg.BeginBulkLoad(10);
  ASSERT_TRUE(none);
  EXPECT_EQ(*none, nullptr);
}

TEST_F(ContractTest, RegistryReadsAreFilteredByScopeInTheQuery) {
  SeedSmallTree();
  auto& reg = db_->Registry();
  auto a = reg.CreateHousehold(Household("A", "620623100201", "62062319700101001", "甲"), kActor);
  ASSERT_TRUE(a) << a.error().message;
  auto b = reg.CreateHousehold(Household("B", "620623101201", "62062319800101001", "乙"), kActor);
  ASSERT_TRUE(b) << b.error().message;
  const std::vector<std::string> township = {"620623100000"};
  auto inside = reg.FindHousehold(a->household.id, township);
  ASSERT_TRUE(inside);
  ASSERT_TRUE(inside->has_value());
  EXPECT_EQ((*inside)->members.size(), 1u);
  EXPECT_EQ((*inside)->incomes.size(), 2u);
  EXPECT_EQ((*inside)->guarantees.size(), 2u);
  auto outside = reg.FindHousehold(b->household.id, township);
  ASSERT_TRUE(outside);
  EXPECT_FALSE(outside->has_value());
  EXPECT_EQ(*reg.HouseholdRegion(b->household.id), "620623101201");
  EXPECT_FALSE(*reg.HouseholdRegion(999999));
  auto member = reg.FindMember(b->members[0].id, township);
  ASSERT_TRUE(member);
  EXPECT_FALSE(member->has_value());
  registry::HouseholdQuery q;
  q.scope = township;
  EXPECT_EQ(reg.ListHouseholds(q)->total, 1);
  q.scope = {};
  EXPECT_EQ(reg.ListHouseholds(q)->total, 0);  // no scope: nothing
  // Search: by a complete ID number, by name substring, with LIKE metacharacters literal.
  q.scope = {""};
  q.text = b->members[0].id_number;
  EXPECT_EQ(reg.ListHouseholds(q)->total, 1);
  q.text = "乙";
  EXPECT_EQ(reg.ListHouseholds(q)->total, 1);
  q.text = "%";
  EXPECT_EQ(reg.ListHouseholds(q)->total, 0);
}

TEST_F(ContractTest, AHouseholdMembersReadReachesTheirOwnHouseholdOnly) {
  SeedSmallTree();
  auto& reg = db_->Registry();
  auto a = reg.CreateHousehold(Household("A", "620623100201", "62062319700101001", "甲"), kActor);
  ASSERT_TRUE(a) << a.error().message;
  auto b = reg.CreateHousehold(Household("B", "620623100201", "62062319800101001", "乙"), kActor);
  ASSERT_TRUE(b) << b.error().message;
  auto c = reg.CreateHousehold(Household("C", "620623101201", "62062319900101001", "丙"), kActor);
  ASSERT_TRUE(c) << c.error().message;
  registry::HouseholdQuery q;
  q.households = {a->household.id};  // no region scope: the household alone
  auto own = reg.ListHouseholds(q);
  ASSERT_TRUE(own) << own.error().message;
  ASSERT_EQ(own->total, 1);
  EXPECT_EQ(own->items.at(0).household.number, "A");
  // Filters and searches narrow it further, never widen it.
  q.within = "620623100201";
  EXPECT_EQ(reg.ListHouseholds(q)->total, 1);
  q.text = b->members[0].id_number;
  EXPECT_EQ(reg.ListHouseholds(q)->total, 0);
  q.text = "乙";
  EXPECT_EQ(reg.ListHouseholds(q)->total, 0);
  q.text = "";
  q.status = "lifted";
  EXPECT_EQ(reg.ListHouseholds(q)->total, 0);
  // With a region scope besides: the union.
  registry::HouseholdQuery both;
  both.scope = {"620623101000"};
  both.households = {a->household.id};
  auto listed = reg.ListHouseholds(both);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->total, 2);
  EXPECT_EQ(listed->items.at(0).household.number, "A");
  EXPECT_EQ(listed->items.at(1).household.number, "C");
  int exported = 0;
  ASSERT_TRUE(reg.ForEachHousehold(both, [&](const registry::HouseholdSummary&) -> Status {
    ++exported;
    return {};
  }));
  EXPECT_EQ(exported, 2);
}

// Every page of `q` of `size` households, from the first to one past the last, holds the
// slice of `whole` (the numbers in list order) at its offset, with the whole's size as total.
void ExpectPagesAreSlices(registry::RegistryRepository& reg, registry::HouseholdQuery q,
                          const std::vector<std::string>& whole, int64_t size,
                          const std::string& label) {
  const auto n = static_cast<int64_t>(whole.size());
  for (int64_t offset = 0; offset <= n + 1; ++offset) {
    q.offset = offset;
    q.limit = size;
    auto page = reg.ListHouseholds(q);
    ASSERT_TRUE(page) << page.error().message;
    EXPECT_EQ(page->total, n) << label;
    std::vector<std::string> got;
    for (const auto& h : page->items) got.push_back(h.household.number);
    std::vector<std::string> want;
    for (int64_t i = offset; i < std::min(offset + size, n); ++i) {
      want.push_back(whole[static_cast<size_t>(i)]);
    }
    EXPECT_EQ(got, want) << label << " offset " << offset;
  }
}

TEST_F(ContractTest, ListTotalsFollowEveryWriteAndLatePagesReadBackwards) {
  SeedSmallTree();
  auto& reg = db_->Registry();
  std::vector<std::string> expected;
  for (int i = 0; i < 7; ++i) {
    const std::string number = fmt::format("N{}", i);
    auto made = reg.CreateHousehold(
        Household(number, i % 2 ? "620623100201" : "620623100202",
                  fmt::format("6206231970010100{}", i), fmt::format("户主{}", i)),
        kActor);
    ASSERT_TRUE(made) << made.error().message;
    expected.push_back(number);
    // The total (cached between writes) follows each write.
    registry::HouseholdQuery all;
    all.scope = {"620623000000"};
    EXPECT_EQ(reg.ListHouseholds(all)->total, i + 1);
    EXPECT_EQ(reg.ListHouseholds(all)->total, i + 1);
  }
  // Every page, in both directions, is the slice of the whole list (pages in the second half
  // are read from the end).
  for (bool descending : {false, true}) {
    std::vector<std::string> order = expected;
    if (descending) std::reverse(order.begin(), order.end());
    registry::HouseholdQuery q;
    q.scope = {"620623000000"};
    q.descending = descending;
    ExpectPagesAreSlices(reg, q, order, 3, descending ? "descending" : "ascending");
  }
  // A number prefix is a range; a name matches anywhere in it, case and all.
  registry::HouseholdQuery q;
  q.scope = {""};
  q.text = "N";
  EXPECT_EQ(reg.ListHouseholds(q)->total, 7);
  q.text = "N3";
  EXPECT_EQ(reg.ListHouseholds(q)->total, 1);
  q.text = "主3";
  EXPECT_EQ(reg.ListHouseholds(q)->total, 1);
  q.text = "n3";
  EXPECT_EQ(reg.ListHouseholds(q)->total, 0);

  // A name matches from its start, and only where none does, anywhere in it: 王 finds the
  // households headed by a 王, not 李王芳's; 小明 (no name starts so) finds 王小明's. The same
  // in every region share, in the list and in the export.
  ASSERT_TRUE(
      reg.CreateHousehold(Household("W1", "620623100201", "62062319800101011", "王小明"), kActor));
  ASSERT_TRUE(
      reg.CreateHousehold(Household("W2", "620623101201", "62062319800101021", "李王芳"), kActor));
  for (const std::vector<std::string>& scope :
       std::vector<std::vector<std::string>>{{""}, {"620623100000"}, {"620623100201"}}) {
    registry::HouseholdQuery names;
    names.scope = scope;
    names.text = "王";
    auto found = reg.ListHouseholds(names);
    ASSERT_TRUE(found) << found.error().message;
    ASSERT_EQ(found->total, 1) << scope[0];
    EXPECT_EQ(found->items.at(0).household.number, "W1");
    int exported = 0;
    ASSERT_TRUE(reg.ForEachHousehold(names, [&](const registry::HouseholdSummary& h) -> Status {
      EXPECT_EQ(h.household.number, "W1");
      ++exported;
      return {};
    }));
    EXPECT_EQ(exported, 1);
    names.text = "小明";
    EXPECT_EQ(reg.ListHouseholds(names)->total, 1) << scope[0];
  }
  q.text = "王芳";
  EXPECT_EQ(reg.ListHouseholds(q)->total, 1);
  // An ASCII text with a digit is a household number, never a name.
  q.text = "W1";
  EXPECT_EQ(reg.ListHouseholds(q)->total, 1);
}

// A page's household numbers, in order.
std::vector<std::string> PageNumbers(const registry::HouseholdPage& page) {
  std::vector<std::string> out;
  for (const auto& h : page.items) out.push_back(h.household.number);
  return out;
}

// The household list is served from an in-memory table (HouseholdCounts) kept current from
// the registry change log: totals, searches and pages. Across inserts, re-imports that change
// a household's status, cause, attribute, village, head's name and member count, and writes
// made through another connection to the same database (another process), every total and
// every page (each sort, both directions) equals SQL's: a second database handle that reads
// every list with SQL.
TEST_F(ContractTest, ListsFromMemoryEqualSqlListsAfterEveryWrite) {
  SeedSmallTree();
  OpenOptions options;
  options.secret_key = kSecretKey;
  options.cache_list_totals = false;
  auto counted = OpenDatabase(url_, options);
  ASSERT_TRUE(counted) << counted.error().message;
  auto& reg = db_->Registry();
  auto& sql = (*counted)->Registry();
  const std::vector<registry::HouseholdSort> sorts = {
      registry::HouseholdSort::kNumber, registry::HouseholdSort::kHeadName,
      registry::HouseholdSort::kRegion, registry::HouseholdSort::kMembers,
      registry::HouseholdSort::kYearIdentified};

  const std::vector<std::string> villages = {"620623100201", "620623100202", "620623101201"};
  const std::vector<std::string> statuses = {"identified", "lifted", "monitored"};
  const std::vector<std::string> causes = {"illness", "disability", "education"};
  const std::vector<std::string> attributes = {"general", "dibao", ""};
  // Heads' names whose given names are searched for inside them below.
  const std::vector<std::string> surnames = {"赵", "钱", "孙", "李"};
  const std::vector<std::string> given = {"明", "华", "明华", "国", "小明"};
  std::vector<registry::HouseholdRecord> records;
  for (int i = 0; i < 40; ++i) {
    registry::HouseholdRecord r =
        Household(fmt::format("T{:02d}", i), villages[static_cast<size_t>(i % 3)],
                  fmt::format("620623198001{:02d}{:03d}", 1 + i % 28, i),
                  surnames[static_cast<size_t>(i % 4)] + given[static_cast<size_t>(i / 4 % 5)]);
    r.household.main_cause = causes[static_cast<size_t>(i / 3 % 3)];
    r.household.attribute = attributes[static_cast<size_t>(i / 9 % 3)];
    r.events.front().status = statuses[static_cast<size_t>(i / 2 % 3)];
    if (r.events.front().status != "identified") r.events.front().year = 2019;
    r.household.status = r.events.front().status;
    // Years with ties and a few without one (NULL: first on SQLite, last on PostgreSQL, as
    // each orders it), and households of one to three people.
    if (i % 7 != 0) r.household.year_identified = 2014 + i % 4;
    for (int k = 1; k <= i % 3; ++k) {
      registry::Member m = r.members[0];
      m.name = fmt::format("家{}", k);
      const std::string id17 = fmt::format("62062319900{}{:02d}{:03d}", k, 1 + i % 28, i);
      m.id_number = id17 + registry::IdNumberCheckCharacter(id17);
      m.relation = "child";
      r.members.push_back(std::move(m));
    }
    records.push_back(std::move(r));
  }

  size_t combination = 0;
  auto check = [&](const std::string& when) {
    const std::vector<std::vector<std::string>> scopes = {
        {""},
        {"620000000000"},
        {"620623100000"},
        {"620623100201"},
        {"620623100201", "620623000000"},  // nested: each household once
        {"620623101201", "620623100202"},
        {"110000000000"},
        {}};
    const std::vector<std::string> withins = {"", "620623100000", "620623101201"};
    std::vector<std::string> status_values = statuses, cause_values = causes;
    status_values.push_back("");
    status_values.push_back("returned");   // stored only by the later writes
    status_values.push_back("cancelled");  // never stored
    cause_values.push_back("");
    const std::vector<std::string> attribute_values = {"", "general", "dibao", "none"};
    for (const auto& scope : scopes) {
      for (const auto& within : withins) {
        for (const auto& status : status_values) {
          for (const auto& cause : cause_values) {
            for (const auto& attribute : attribute_values) {
              registry::HouseholdQuery q;
              q.scope = scope;
              q.within = within;
              q.status = status;
              q.cause = cause;
              q.attribute = attribute;
              // A page of four in one of the orders, from the start or further in.
              ++combination;
              q.sort = sorts[combination % sorts.size()];
              q.descending = combination / sorts.size() % 2 == 1;
              q.offset = static_cast<int64_t>(combination % 3) * 2;
              q.limit = combination % 11 == 0 ? 0 : 4;
              auto fast = reg.ListHouseholds(q);
              auto slow = sql.ListHouseholds(q);
              ASSERT_TRUE(fast && slow);
              const std::string label = fmt::format(
                  "{}: scope {} within {} status {} cause {} attribute {} sort {} desc {} offset "
                  "{}",
                  when, fmt::join(scope, ","), within, status, cause, attribute,
                  static_cast<int>(q.sort), q.descending, q.offset);
              ASSERT_EQ(fast->total, slow->total) << label;
              ASSERT_EQ(PageNumbers(*fast), PageNumbers(*slow)) << label;
            }
          }
        }
      }
    }
    // As of a day: registered by then, with the status then (the events' dates around the
    // days the records below are given).
    const std::vector<Date> days = {{2014, 4, 30}, {2014, 5, 1},  {2019, 12, 31},
                                    {2020, 6, 1},  {2021, 2, 28}, {2030, 1, 1}};
    for (const auto& day : days) {
      for (size_t s = 0; s < 4; ++s) {
        for (const auto& status : status_values) {
          for (const auto& [cause, attribute] : std::vector<std::pair<std::string, std::string>>{
                   {"", ""}, {"illness", ""}, {"", "none"}, {"education", "dibao"}}) {
            registry::HouseholdQuery q;
            q.scope = scopes[s];
            q.within = s == 1 ? "620623100000" : "";
            q.status = status;
            q.cause = cause;
            q.attribute = attribute;
            q.as_of = day;
            // The pages too: the table names the matches and the page is read from them.
            const auto sort = static_cast<size_t>(day.day + static_cast<int>(s)) % 3;
            q.sort = sort == 0   ? registry::HouseholdSort::kNumber
                     : sort == 1 ? registry::HouseholdSort::kHeadName
                                 : registry::HouseholdSort::kYearIdentified;
            q.descending = s % 2 == 1;
            q.offset = static_cast<int64_t>(s);
            q.limit = 6;
            auto fast = reg.ListHouseholds(q);
            auto slow = sql.ListHouseholds(q);
            ASSERT_TRUE(fast && slow);
            const std::string label =
                fmt::format("{}: as of {} scope {} status {} cause {} attribute {}", when,
                            day.ToString(), s, status, cause, attribute);
            ASSERT_EQ(fast->total, slow->total) << label;
            auto numbers = [](const registry::HouseholdPage& page) {
              std::vector<std::string> out;
              for (const auto& h : page.items) {
                out.push_back(h.household.number + "/" + h.household.status);
              }
              return out;
            };
            ASSERT_EQ(numbers(*fast), numbers(*slow)) << label;
          }
        }
      }
    }
    // Searches by name — from the start of a name or, where none starts so, inside one — and
    // by number prefix ("T": numbers and names; "T0": a number only): the table finds the
    // matches among the heads' names it holds, with the filters and as of a day;
    // totals and pages equal SQL's, in both directions.
    int variant = 0;
    std::vector<std::string> texts = {"明",   "华", "明华", "国", "新国",
                                      "无此", "赵", "孙新", "T",  "T0"};
    // Not UTF-8 (PostgreSQL refuses such a value): the last byte of 明, 华 and 李, which
    // SQLite's instr never matches (it tries only where a character starts).
    if (g_backend == "sqlite") texts.push_back("\x8E");
    for (const std::string& text : texts) {
      for (size_t s = 0; s < 7; ++s) {
        ++variant;
        registry::HouseholdQuery q;
        q.scope = scopes[s];
        q.within = s == 1 ? "620623100000" : "";
        q.text = text;
        q.status = s == 2 ? "lifted" : "";
        q.cause = s == 3 ? "education" : "";
        if (s == 0 && variant % 2 == 0) q.attribute = "none";
        if (s == 4) q.as_of = Date{2020, 6, 1};
        if (s == 5) {
          q.as_of = Date{2019, 12, 31};
          q.status = "lifted";
        }
        q.sort = sorts[static_cast<size_t>(variant) % sorts.size()];
        q.descending = variant % 3 == 1;
        q.offset = variant % 4;
        q.limit = 3;
        auto slow = sql.ListHouseholds(q);
        ASSERT_TRUE(slow);
        const std::string label =
            fmt::format("{}: search {} scope {} sort {} desc {} offset {}", when, text, s,
                        static_cast<int>(q.sort), q.descending, q.offset);
        auto page_of = [](const registry::HouseholdPage& page) {
          std::vector<std::string> out;
          for (const auto& h : page.items) {
            out.push_back(h.household.number + "/" + h.status_on);
          }
          return out;
        };
        auto got = reg.ListHouseholds(q);
        ASSERT_TRUE(got) << got.error().message;
        ASSERT_EQ(got->total, slow->total) << label;
        ASSERT_EQ(page_of(*got), page_of(*slow)) << label;
      }
    }
  };

  records[7].events.clear();  // imported without a 识别年度: never registered as of any day
  auto first = reg.SaveHouseholds(std::span(records).first(30), kActor, "first");
  ASSERT_TRUE(first) << first.error().message;
  check("after the first load");
  // More households, then re-imports that change the filter columns and move households to
  // another village.
  ASSERT_TRUE(reg.SaveHouseholds(std::span(records).subspan(30), kActor, "second"));
  check("after more households");
  for (int i = 0; i < 40; i += 4) {
    auto& r = records[static_cast<size_t>(i)];
    r.household.main_cause = "education";
    r.household.attribute = i % 8 ? "" : "dibao";
    r.household.region_code = villages[static_cast<size_t>((i + 1) % 3)];
    r.members[0].name = "孙新国";                    // the head renamed
    if (r.members.size() > 1) r.members.pop_back();  // one person fewer
    r.events.push_back({0, "lifted", {2020, 6, 1}, 2020, ""});
    r.household.status = "lifted";
    if (i % 8 == 0) {
      // Two events on one day: the later recorded is the status of that day.
      r.events.push_back({0, "monitored", {2020, 6, 1}, std::nullopt, ""});
      r.household.status = "monitored";
    }
  }
  auto again = reg.SaveHouseholds(records, kActor, "again");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_GT(again->updated, 0);
  check("after a re-import");
  // Written through the other handle: the change log carries it to this one's table.
  for (int i = 1; i < 40; i += 5) {
    auto& r = records[static_cast<size_t>(i)];
    r.household.attribute = "general";
    r.members[0].name = i % 2 ? "李明国" : "赵华";
    r.events.push_back({0, "returned", {2021, 3, 1}, std::nullopt, ""});
    r.household.status = "returned";
  }
  ASSERT_TRUE(sql.SaveHouseholds(records, kActor, "elsewhere"));
  check("after a write elsewhere");
  ASSERT_TRUE(
      sql.CreateHousehold(Household("X1", "620623101201", "62062319900101001", "新"), kActor));
  check("after a household created elsewhere");

  // Matches bunched at the end of the list's order: the walk goes on until it has the page.
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(reg.CreateHousehold(Household(fmt::format("Z{}", i), "620623101201",
                                              fmt::format("6206231991010100{}", i), "欧阳修"),
                                    kActor));
  }
  for (int64_t offset : {0, 1, 2}) {
    registry::HouseholdQuery q;
    q.scope = {""};
    q.text = "阳修";
    q.limit = 1;
    q.offset = offset;
    auto walked = reg.ListHouseholds(q);
    ASSERT_TRUE(walked) << walked.error().message;
    ASSERT_EQ(walked->total, 3);
    ASSERT_EQ(walked->items.size(), 1u) << offset;
    EXPECT_EQ(walked->items[0].household.number, fmt::format("Z{}", offset + 1));
  }
}

// A search over the whole registry sorted by number or name is counted and sorted from the
// name and number indexes alone; every page in either direction is the slice of the export's
// order (which reads the rows), past the last page too.
TEST_F(ContractTest, RegistryWideSearchPagesAreSlicesOfTheWholeResult) {
  SeedSmallTree();
  auto& reg = db_->Registry();
  const std::vector<std::string> heads = {"王一", "李二", "王三", "王三", "张王", "王五",
                                          "王六", "赵七", "王八", "王九", "王十", "钱王"};
  const std::vector<std::string> villages = {"620623100201", "620623100202", "620623101201"};
  for (size_t i = 0; i < heads.size(); ++i) {
    ASSERT_TRUE(
        reg.CreateHousehold(Household(fmt::format("S{:02d}", 11 - i), villages[i % 3],
                                      fmt::format("620623198501{:02d}{:03d}", 1 + i, i), heads[i]),
                            kActor));
  }
  for (const std::string& text : {std::string("王"), std::string("王三"), std::string("S1"),
                                  std::string("S"), std::string("七")}) {
    for (auto sort : {registry::HouseholdSort::kNumber, registry::HouseholdSort::kHeadName}) {
      for (bool descending : {false, true}) {
        registry::HouseholdQuery q;
        q.scope = {""};
        q.text = text;
        q.sort = sort;
        q.descending = descending;
        std::vector<std::string> whole;
        ASSERT_TRUE(reg.ForEachHousehold(q, [&](const registry::HouseholdSummary& h) -> Status {
          whole.push_back(h.household.number);
          return {};
        }));
        ExpectPagesAreSlices(reg, q, whole, 3,
                             text + (descending ? " desc" : "") +
                                 (sort == registry::HouseholdSort::kNumber ? " number" : " name"));
      }
    }
  }
  // 王 matches the names that start with it (8 households, 王三 twice); 七 only inside one.
  registry::HouseholdQuery q;
  q.scope = {""};
  q.text = "王";
  EXPECT_EQ(reg.ListHouseholds(q)->total, 8);
  q.text = "七";
  EXPECT_EQ(reg.ListHouseholds(q)->total, 1);
  q.text = "S1";
  EXPECT_EQ(reg.ListHouseholds(q)->total, 2);  // S10, S11
}

// A region holding a small share of the registry (one village of eight regions) is read
// through its own index and then sorted (PostgreSQL: by an expression no index has, or from a
// materialized CTE): every page, for every sort in both directions, is the slice of the
// export's order.
TEST_F(ContractTest, PagesOfASmallRegionAreSlicesOfTheWholeList) {
  SeedSmallTree();
  auto& reg = db_->Registry();
  const std::vector<std::string> villages = {"620623100201", "620623100202", "620623101201"};
  for (int i = 0; i < 18; ++i) {
    auto r = Household(fmt::format("V{:02d}", (i * 7) % 18), villages[static_cast<size_t>(i % 3)],
                       fmt::format("620623198602{:02d}{:03d}", 1 + i, i),
                       fmt::format("户{}", (i * 5) % 4));
    for (int m = 0; m < i % 3; ++m) {
      registry::Member extra = r.members[0];
      extra.relation = "child";
      extra.name = fmt::format("子{}{}", i, m);
      const std::string id17 = fmt::format("620623201001{:02d}{:03d}", 1 + i, m);
      extra.id_number = id17 + registry::IdNumberCheckCharacter(id17);
      r.members.push_back(extra);
    }
    ASSERT_TRUE(reg.CreateHousehold(r, kActor));
  }
  for (auto sort : {registry::HouseholdSort::kNumber, registry::HouseholdSort::kMembers,
                    registry::HouseholdSort::kHeadName, registry::HouseholdSort::kRegion}) {
    for (bool descending : {false, true}) {
      registry::HouseholdQuery q;
      q.scope = {"620623100201"};
      q.sort = sort;
      q.descending = descending;
      std::vector<std::string> whole;
      ASSERT_TRUE(reg.ForEachHousehold(q, [&](const registry::HouseholdSummary& h) -> Status {
        whole.push_back(h.household.number);
        return {};
      }));
      ASSERT_EQ(whole.size(), 6u);
      ExpectPagesAreSlices(
          reg, q, whole, 2,
          fmt::format("sort {}{}", static_cast<int>(sort), descending ? " desc" : ""));
    }
  }
}

TEST_F(ContractTest, TheHouseholdRoleIsBoundToAnExistingHouseholdOfItsVillage) {
  SeedSmallTree();
  auto a = db_->Registry().CreateHousehold(
      Household("A", "620623100201", "62062319700101001", "甲"), kActor);
  ASSERT_TRUE(a) << a.error().message;
  SystemClock clock;
  access::AuthService auth(db_->Access(), clock);
  auto member = [](std::string name, std::string village, int64_t id, std::string number) {
    return access::NewUser{std::move(name),
                           "",
                           "Tianzhu-2020!",
                           {{access::Role::kHousehold, std::move(village), 0, id, number}}};
  };
  // By number: stored by id, read back with both.
  auto made = auth.CreateUser(member("jia", "620623100201", 0, "A"), kActor);
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_EQ(made->roles.at(0).household_id, a->household.id);
  auto found = db_->Access().FindUserByName("jia");
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->roles.at(0).household_id, a->household.id);
  EXPECT_EQ((*found)->roles.at(0).household_number, "A");
  // By id.
  EXPECT_TRUE(auth.CreateUser(member("jia2", "620623100201", a->household.id, ""), kActor));
  // A household elsewhere, one that does not exist, none at all: refused, naming the binding.
  for (const auto& refused :
       {member("yi", "620623100202", 0, "A"), member("bing", "620623100201", 0, "NONE"),
        member("ding", "620623100201", 987654, ""), member("wu", "620623100201", 0, "")}) {
    auto r = auth.CreateUser(refused, kActor);
    ASSERT_FALSE(r) << refused.name;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << refused.name;
    ASSERT_FALSE(r.error().details.empty()) << refused.name;
    EXPECT_EQ(r.error().details[0].column, "roles[0].household") << refused.name;
    EXPECT_FALSE(db_->Access().FindUserByName(refused.name).value()) << refused.name;
  }
  // Other roles take no household.
  access::NewUser official{
      "geng", "", "Tianzhu-2020!", {{access::Role::kOfficial, "620623000000", 0, a->household.id}}};
  EXPECT_FALSE(auth.CreateUser(official, kActor));
  // An update keeps the binding (by id) and may move it.
  access::User user = **found;
  user.display_name = "甲户";
  auto updated = db_->Access().UpdateUser(user, kActor);
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(updated->roles.at(0).household_id, a->household.id);
}

TEST_F(ContractTest, APersonIsRegisteredInOneHouseholdOnly) {
  SeedSmallTree();
  auto& reg = db_->Registry();
  ASSERT_TRUE(
      reg.CreateHousehold(Household("A", "620623100201", "62062319700101001", "甲"), kActor));
  auto twice =
      reg.CreateHousehold(Household("B", "620623100201", "62062319700101001", "甲"), kActor);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kAlreadyExists);
  ASSERT_EQ(twice.error().details.size(), 1u);
  EXPECT_EQ(twice.error().details[0].column, "members[1].id_number");
  auto batch = reg.SaveHouseholds(
      std::vector{Household("C", "620623100201", "62062319700101001", "甲")}, kActor, "x");
  ASSERT_FALSE(batch);
  EXPECT_EQ(batch.error().code, ErrorCode::kAlreadyExists);
  // Nothing of the refused batch was written, not even its audit entry.
  registry::HouseholdQuery q;
  q.scope = {""};
  EXPECT_EQ(db_->Registry().ListHouseholds(q)->total, 1);
  auto entries = db_->Audit().List(AllAudit());
  for (const auto& e : entries->items) {
    EXPECT_FALSE(e.entity == "household" && e.action == "import");
  }
}

// A load of many new households (SQLite builds the secondary indexes after the rows, inside
// the transaction): a person registered elsewhere still refuses the whole load, and the
// indexes are all back afterwards — the unique ID number among current members included.
TEST_F(ContractTest, ABulkLoadIsRefusedWholeAndKeepsTheRegistrysIndexes) {
  SeedSmallTree();
  auto& reg = db_->Registry();
  ASSERT_TRUE(
      reg.CreateHousehold(Household("A", "620623100201", "62062319700101001", "甲"), kActor));
  std::vector<registry::HouseholdRecord> bulk;
  for (int i = 0; bulk.size() < 20000; ++i) {
    const int year = 1950 + i % 50, month = 1 + (i / 50) % 12, day = 1 + (i / 600) % 28;
    bulk.push_back(Household(
        fmt::format("B{:05d}", i), i % 2 ? "620623100201" : "620623100202",
        fmt::format("620623{:04d}{:02d}{:02d}{:03d}", year, month, day, 2 + i / 16800), "乙"));
  }
  bulk[12345].members[0].id_number =
      "62062319700101001" + std::string(1, registry::IdNumberCheckCharacter("62062319700101001"));
  auto refused = reg.SaveHouseholds(bulk, kActor, "bulk");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kAlreadyExists) << refused.error().message;
  ASSERT_EQ(refused.error().details.size(), 1u) << refused.error().message;
  registry::HouseholdQuery q;
  q.scope = {""};
  EXPECT_EQ(reg.ListHouseholds(q)->total, 1);

  bulk[12345].members[0].id_number =
      "62062319991231999" + std::string(1, registry::IdNumberCheckCharacter("62062319991231999"));
  auto saved = reg.SaveHouseholds(bulk, kActor, "bulk");
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_EQ(saved->inserted, 20000);
  EXPECT_EQ(reg.ListHouseholds(q)->total, 20001);
  q.status = "identified";
  q.within = "620623100202";
  EXPECT_EQ(reg.ListHouseholds(q)->total, 10000);
  q.status.clear();
  q.within.clear();
  q.text = "B12345";
  auto found = reg.ListHouseholds(q);
  ASSERT_EQ(found->total, 1);
  EXPECT_EQ(found->items[0].household.region_code, "620623100201");
  // The unique index on current members' ID numbers is in place again.
  auto twice =
      reg.CreateHousehold(Household("C", "620623100202", "62062319991231999", "丙"), kActor);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kAlreadyExists);
}

// A command-line import, its SQLite database's sole user, writes a bulk load in rollback-journal
// mode and leaves the database in WAL; while another connection has the database open, or in
// a server's pool, the load stays in WAL, refused at once rather than after the busy timeout.
TEST_F(ContractTest, ASoleUsersBulkLoadLeavesWalOnlyWhileAlone) {
  auto shared = testing::JournalModesOfBulkLoad(*db_);
  ASSERT_TRUE(shared) << shared.error().message;
  EXPECT_FALSE(shared->active);
  if (g_backend != "sqlite") return;  // PostgreSQL has no such mode
  EXPECT_EQ(shared->during, "wal");
  EXPECT_EQ(shared->after, "wal");

  OpenOptions options;
  options.secret_key = kSecretKey;
  options.sole_user = true;
  {
    auto sole = OpenDatabase(url_, options);
    ASSERT_TRUE(sole) << sole.error().message;
    const auto start = std::chrono::steady_clock::now();
    auto modes = testing::JournalModesOfBulkLoad(**sole);
    ASSERT_TRUE(modes) << modes.error().message;
    EXPECT_FALSE(modes->active);  // the fixture's database is open too
    EXPECT_EQ(modes->during, "wal");
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
  }
  SeedSmallTree();
  db_.reset();
  auto sole = OpenDatabase(url_, options);
  ASSERT_TRUE(sole) << sole.error().message;
  // A reader of its own pool was used and is idle: it is closed for the switch.
  ASSERT_TRUE(testing::QuerySql(**sole, "SELECT count(*) FROM households", 1));
  auto modes = testing::JournalModesOfBulkLoad(**sole);
  ASSERT_TRUE(modes) << modes.error().message;
  EXPECT_TRUE(modes->active);
  EXPECT_EQ(modes->during, "delete");
  EXPECT_EQ(modes->after, "wal");

  // A bulk load through it is stored whole and found by the list (its indexes rebuilt).
  std::vector<registry::HouseholdRecord> bulk;
  for (int i = 0; bulk.size() < 20000; ++i) {
    const int year = 1950 + i % 50, month = 1 + (i / 50) % 12, day = 1 + (i / 600) % 28;
    bulk.push_back(Household(
        fmt::format("B{:05d}", i), i % 2 ? "620623100201" : "620623100202",
        fmt::format("620623{:04d}{:02d}{:02d}{:03d}", year, month, day, 2 + i / 16800), "乙"));
  }
  auto saved = (*sole)->Registry().SaveHouseholds(bulk, kActor, "bulk");
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_EQ(saved->inserted, 20000);
  auto mode = testing::QuerySql(**sole, "PRAGMA journal_mode", 1);
  ASSERT_TRUE(mode);
  EXPECT_EQ(mode->at(0).at(0), "wal");
  // The load went through the rollback journal: the WAL holds none of its pages (in WAL mode
  // it would hold them all, megabytes, until a checkpoint truncates it).
  std::error_code no_wal;
  const auto wal_bytes = std::filesystem::file_size(dir_ / "test.db-wal", no_wal);
  EXPECT_TRUE(no_wal || wal_bytes < 256 * 1024) << wal_bytes << " bytes of WAL";
  registry::HouseholdQuery q;
  q.scope = {""};
  q.text = "B12345";
  auto found = (*sole)->Registry().ListHouseholds(q);
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_EQ(found->total, 1);
  EXPECT_EQ(found->items[0].household.region_code, "620623100201");
}

// New SQLite databases get 16 KiB pages (storage/sqlite/sqlite_connection.cc); an existing
// database keeps its own, and a backup restores whatever the page sizes of the two.
TEST_F(ContractTest, ANewSqliteDatabaseHasSixteenKibPagesAndRestoresAcrossSizes) {
  if (g_backend != "sqlite") GTEST_SKIP() << "SQLite only";
  auto page_size = [](Database& db) {
    auto size = testing::QuerySql(db, "PRAGMA page_size", 1);
    return size ? size->at(0).at(0) : size.error().message;
  };
  EXPECT_EQ(page_size(*db_), "16384");
  SeedSmallTree();
  ASSERT_TRUE(db_->Registry().CreateHousehold(
      Household("NEW", "620623100201", "62062319700101001", "甲"), kActor));

  // A database made with SQLite's 4 KiB pages, as fupin made them before, holding another
  // household.
  const std::string old_path = (dir_ / "old.db").string();
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(old_path.c_str(), &raw), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(raw, "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL", nullptr,
                           nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(raw);
  }
  const auto old_url = *DatabaseUrl::Parse("sqlite:" + old_path);
  {
    OpenOptions options;
    options.secret_key = kSecretKey;
    auto old = OpenDatabase(old_url, options);
    ASSERT_TRUE(old) << old.error().message;
    ASSERT_TRUE((*old)->Migrate());
    EXPECT_EQ(page_size(**old), "4096");
    const std::vector<Region> tree = {R("620000000000", "甘肃省"), R("620600000000", "武威市"),
                                      R("620623000000", "天祝藏族自治县"),
                                      R("620623100000", "华藏寺镇"), R("620623100201", "村一")};
    ASSERT_TRUE((*old)->Regions().Upsert(tree, kActor, "test"));
    ASSERT_TRUE((*old)->Registry().CreateHousehold(
        Household("OLD", "620623100201", "62062319800101001", "乙"), kActor));
  }
  // The 4 KiB backup onto the 16 KiB database, and back.
  const std::string new_copy = (dir_ / "new-copy.db").string();
  db_.reset();
  ASSERT_TRUE(
      RestoreSqlite((dir_ / "test.db").string(), *DatabaseUrl::Parse("sqlite:" + new_copy)));
  auto restored = RestoreSqlite(old_path, url_);
  ASSERT_TRUE(restored) << restored.error().message;
  // Each database keeps its own page size and holds the other's one household.
  auto expect_restored = [&](const DatabaseUrl& url, const std::string& pages,
                             const std::string& number) {
    OpenOptions options;
    options.secret_key = kSecretKey;
    auto db = OpenDatabase(url, options);
    ASSERT_TRUE(db) << db.error().message;
    EXPECT_EQ(page_size(**db), pages);
    auto numbers = testing::QuerySql(**db, "SELECT number FROM households ORDER BY number", 1);
    ASSERT_TRUE(numbers);
    ASSERT_EQ(numbers->size(), 1u);
    EXPECT_EQ(numbers->at(0).at(0), number);
  };
  expect_restored(url_, "4096", "OLD");
  auto back = RestoreSqlite(new_copy, old_url);
  ASSERT_TRUE(back) << back.error().message;
  expect_restored(old_url, "16384", "NEW");
}

TEST_F(ContractTest, SensitiveValuesReachTheAuditLogOnlyAsKeyedHmacs) {
  SeedSmallTree();
  auto created = db_->Registry().CreateHousehold(
      Household("A", "620623100201", "62062319700101001", "甲"), kActor);
  ASSERT_TRUE(created);
  auto entries = db_->Audit().List(AllAudit());
  ASSERT_TRUE(entries);
  bool saw_id = false;
  for (const auto& e : entries->items) {
    for (const auto& c : e.changes) {
      const std::string after = c.after.value_or("");
      EXPECT_EQ(after.find(created->members[0].id_number), std::string::npos) << c.field;
      EXPECT_EQ(after.find("13812345678"), std::string::npos) << c.field;
      if (c.field == "members[1].id_number") {
        saw_id = true;
        EXPECT_EQ(after, audit::SensitiveValue(kSecretKey, created->members[0].id_number));
      }
      if (c.field == "members[1].health") {
        EXPECT_TRUE(after.starts_with("hmac:"));
      }
    }
  }
  EXPECT_TRUE(saw_id);
}

registry::HelperAssignment Helper(const std::string& name, const std::string& phone,
                                  const Date& since) {
  registry::HelperAssignment a;
  a.name = name;
  a.unit = "县农业农村局";
  a.level = "county";
  a.phone = phone;
  a.since = since;
  return a;
}

// A household with measures, helpers and stated totals.
registry::HouseholdRecord Supported(const std::string& number, const std::string& village,
                                    const std::string& id17, const std::string& head) {
  registry::HouseholdRecord r = Household(number, village, id17, head);
  r.household.reported_size = 1;
  r.incomes[1].reported_gross = 7200;
  r.incomes[1].reported_net = 6800;
  registry::AssistanceMeasure loan;
  loan.kind = "micro_credit";
  loan.amount = 50000;
  loan.start_on = Date{2016, 3, 1};
  loan.end_on = Date{2019, 2, 28};
  loan.note = "5万元 3年";
  registry::AssistanceMeasure job;
  job.kind = "workshop_job";
  job.start_on = Date{2020, 5, 1};
  r.measures = {loan, job};
  r.helpers = {Helper("张帮扶", "13900001111", {2016, 1, 1}),
               Helper("李帮扶", "13900002222", {2014, 6, 1})};
  r.helpers[1].until = Date{2015, 12, 31};
  return r;
}

TEST_F(ContractTest, RegistryKeepsMeasuresHelpersAndStatedTotals) {
  SeedSmallTree();
  auto& reg = db_->Registry();
  auto created =
      reg.CreateHousehold(Supported("A", "620623100201", "62062319700101001", "甲"), kActor);
  ASSERT_TRUE(created) << created.error().message;
  auto found = reg.FindHousehold(created->household.id, {""});
  ASSERT_TRUE(found && *found);
  const registry::HouseholdRecord& r = **found;
  EXPECT_EQ(r.household.reported_size, 1);
  ASSERT_EQ(r.incomes.size(), 2u);
  EXPECT_FALSE(r.incomes[0].reported_gross);
  EXPECT_EQ(r.incomes[1].reported_gross, 7200);
  EXPECT_EQ(r.incomes[1].reported_net, 6800);
  ASSERT_EQ(r.measures.size(), 2u);
  EXPECT_EQ(r.measures[0].kind, "micro_credit");
  EXPECT_EQ(r.measures[0].amount, 50000);
  EXPECT_EQ(r.measures[0].start_on, (Date{2016, 3, 1}));
  EXPECT_EQ(r.measures[0].end_on, (Date{2019, 2, 28}));
  EXPECT_EQ(r.measures[0].note, "5万元 3年");
  EXPECT_FALSE(r.measures[1].amount);
  EXPECT_FALSE(r.measures[1].end_on);
  // Helpers come back in pairing order, whatever order they were given in.
  ASSERT_EQ(r.helpers.size(), 2u);
  EXPECT_EQ(r.helpers[0].name, "李帮扶");
  EXPECT_EQ(r.helpers[0].until, (Date{2015, 12, 31}));
  EXPECT_EQ(r.helpers[1].name, "张帮扶");
  EXPECT_EQ(r.helpers[1].phone, "13900001111");
  EXPECT_EQ(r.helpers[1].level, "county");
  EXPECT_EQ(r.helpers[1].unit, "县农业农村局");
  EXPECT_FALSE(r.helpers[1].until);
  EXPECT_GT(r.helpers[1].helper_id, 0);

  // The same helper paired with a second household is one person in storage.
  auto b = Supported("B", "620623100202", "62062319710101001", "乙");
  b.helpers = {Helper("张帮扶", "13900001111", {2017, 1, 1})};
  b.helpers[0].level = "township";  // promoted since: the stored helper follows
  auto saved = reg.SaveHouseholds(std::vector{b}, kActor, "b");
  ASSERT_TRUE(saved) << saved.error().message;
  registry::HouseholdQuery all;
  all.scope = {""};
  std::map<std::string, registry::HouseholdRecord> by_number;
  ASSERT_TRUE(reg.ForEachRecord(all, [&](const registry::HouseholdRecord& rec) -> Status {
    by_number[rec.household.number] = rec;
    return {};
  }));
  ASSERT_EQ(by_number.size(), 2u);
  EXPECT_EQ(by_number["B"].helpers.at(0).helper_id, r.helpers[1].helper_id);
  EXPECT_EQ(by_number["B"].helpers.at(0).level, "township");
  EXPECT_EQ(by_number["B"].helpers.at(0).since, (Date{2017, 1, 1}));

  // Re-saving A with its helpers in another order changes nothing; a changed measure
  // replaces the measures wholesale.
  auto again = Supported("A", "620623100201", "62062319700101001", "甲");
  std::swap(again.helpers[0], again.helpers[1]);
  again.helpers[1].level = "township";  // as stored now
  auto unchanged = reg.SaveHouseholds(std::vector{again}, kActor, "again");
  ASSERT_TRUE(unchanged) << unchanged.error().message;
  EXPECT_EQ(unchanged->unchanged, 1);
  again.measures.pop_back();
  again.measures[0].amount = 30000;
  again.helpers.pop_back();
  auto changed = reg.SaveHouseholds(std::vector{again}, kActor, "changed");
  ASSERT_TRUE(changed) << changed.error().message;
  EXPECT_EQ(changed->updated, 1);
  auto reread = reg.FindHousehold(created->household.id, {""});
  ASSERT_TRUE(reread && *reread);
  ASSERT_EQ((*reread)->measures.size(), 1u);
  EXPECT_EQ((*reread)->measures[0].amount, 30000);
  ASSERT_EQ((*reread)->helpers.size(), 1u);
  EXPECT_EQ((*reread)->helpers[0].name, "李帮扶");
  // B keeps its pairing with the helper A dropped.
  auto b_again = reg.FindHousehold(by_number["B"].household.id, {""});
  ASSERT_TRUE(b_again && *b_again);
  EXPECT_EQ((*b_again)->helpers.size(), 1u);

  // A helper's phone reaches the audit log only as a keyed HMAC.
  auto entries = db_->Audit().List(AllAudit());
  ASSERT_TRUE(entries);
  bool saw_phone = false;
  for (const auto& e : entries->items) {
    for (const auto& c : e.changes) {
      EXPECT_EQ(c.after.value_or("").find("13900001111"), std::string::npos) << c.field;
      if (c.field == "helpers[2].phone") {
        saw_phone = true;
        EXPECT_EQ(c.after, audit::SensitiveValue(kSecretKey, "13900001111"));
      }
    }
  }
  EXPECT_TRUE(saw_phone);
}

TEST_F(ContractTest, ForEachRecordStreamsWholeRecordsOfASubtreeInChunks) {
  SeedSmallTree();
  auto& reg = db_->Registry();
  // More households than one chunk, interleaved between two townships.
  std::vector<registry::HouseholdRecord> batch;
  const char* villages[] = {"620623100201", "620623101201", "620623100202"};
  for (int i = 0; i < 2600; ++i) {
    const std::string id17 = fmt::format("620623{:04}0101{:03}", 1940 + i / 1000, i % 1000);
    auto r = Supported(fmt::format("H{:05}", i), villages[i % 3], id17, fmt::format("户{}", i));
    r.helpers.resize(1);
    r.helpers[0].name = fmt::format("帮扶{}", i % 50);  // fifty helpers, paired many times
    batch.push_back(std::move(r));
  }
  auto saved = reg.SaveHouseholds(batch, kActor, "many");
  ASSERT_TRUE(saved) << saved.error().message;
  ASSERT_EQ(saved->inserted, 2600);

  registry::HouseholdQuery township;
  township.scope = {""};
  township.within = "620623100000";  // villages 1 and 3 of every three
  int64_t visited = 0, previous_id = 0;
  std::set<int64_t> helper_ids;
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(reg.ForEachRecord(township, [&](const registry::HouseholdRecord& r) -> Status {
    ++visited;
    EXPECT_GT(r.household.id, previous_id);  // in id order
    previous_id = r.household.id;
    EXPECT_TRUE(r.household.region_code.starts_with("620623100"));
    EXPECT_EQ(r.members.size(), 1u);
    EXPECT_EQ(r.events.size(), 1u);
    EXPECT_EQ(r.incomes.size(), 2u);
    EXPECT_EQ(r.guarantees.size(), 2u);
    EXPECT_EQ(r.measures.size(), 2u);
    EXPECT_EQ(r.helpers.size(), 1u);
    if (!r.helpers.empty()) helper_ids.insert(r.helpers[0].helper_id);
    return {};
  }));
  const auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(visited, 2600 - 867);  // all but the 867 of the other township (i % 3 == 1)
  EXPECT_EQ(helper_ids.size(), 50u);
  EXPECT_LT(elapsed, std::chrono::seconds(10));
  // A streamed record is the record FindHousehold reads.
  registry::HouseholdQuery one = township;
  one.text = "H00003";
  std::vector<registry::HouseholdRecord> streamed;
  ASSERT_TRUE(reg.ForEachRecord(one, [&](const registry::HouseholdRecord& r) -> Status {
    streamed.push_back(r);
    return {};
  }));
  ASSERT_EQ(streamed.size(), 1u);
  auto found = reg.FindHousehold(streamed[0].household.id, {""});
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->members[0].id_number, streamed[0].members[0].id_number);
  EXPECT_EQ((*found)->helpers[0].name, streamed[0].helpers[0].name);
  EXPECT_EQ((*found)->measures[1].start_on, streamed[0].measures[1].start_on);
  // The scope applies; a visitor's error stops the stream and comes back.
  registry::HouseholdQuery outside = township;
  outside.scope = {"620623101000"};
  int64_t none = 0;
  ASSERT_TRUE(reg.ForEachRecord(outside, [&](const registry::HouseholdRecord&) -> Status {
    ++none;
    return {};
  }));
  EXPECT_EQ(none, 0);
  int64_t seen = 0;
  auto stopped = reg.ForEachRecord(township, [&](const registry::HouseholdRecord&) -> Status {
    if (++seen == 1500) return FailedPrecondition("enough");
    return {};
  });
  ASSERT_FALSE(stopped);
  EXPECT_EQ(stopped.error().message, "enough");
  EXPECT_EQ(seen, 1500);
}

// --- Indicators: change counters, the fact scan, entered values ------------------------

// Records what a scan streams.
struct RecordingSink final : indicators::FactSink {
  std::vector<std::string> regions, households, members, events, incomes, guarantees, entered;
  void Region(std::string_view code, std::string_view name,
              const std::optional<Date>& closed_on) override {
    regions.push_back(fmt::format("{} {} {}", code, name, closed_on ? closed_on->ToString() : "-"));
  }
  void Household(int64_t, std::string_view region, std::string_view cause) override {
    households.push_back(fmt::format("{} {}", region, cause));
  }
  void Member(int64_t, const std::optional<Date>& joined,
              const std::optional<Date>& left) override {
    members.push_back(
        fmt::format("{} {}", joined ? joined->ToString() : "-", left ? left->ToString() : "-"));
  }
  void StatusEvent(int64_t, int64_t, std::string_view status, const Date& on) override {
    events.push_back(fmt::format("{} {}", status, on.ToString()));
  }
  void Income(int64_t, int year, double net) override {
    incomes.push_back(fmt::format("{} {}", year, net));
  }
  void Guarantee(int64_t, std::string_view item, bool met,
                 const std::optional<Date>& verified_on) override {
    guarantees.push_back(
        fmt::format("{} {} {}", item, met, verified_on ? verified_on->ToString() : "-"));
  }
  void Entered(std::string_view indicator, std::string_view region, std::string_view period,
               double value) override {
    entered.push_back(fmt::format("{} {} {} {}", indicator, region, period, value));
  }
};

indicators::EnteredValue Rural(const std::string& region, const std::string& year, double value) {
  return {"rural_population", region, year, value, "stats.csv sha256:x", "", ""};
}

TEST_F(ContractTest, EveryWriteMovesItsChangeCounter) {
  auto& ind = db_->Indicators();
  EXPECT_EQ(ind.Changes().value(), (indicators::ChangeStamp{0, 0, 0, 0}));
  SeedSmallTree();
  EXPECT_EQ(ind.Changes().value(), (indicators::ChangeStamp{0, 1, 0, 0}));
  ASSERT_TRUE(repo().Rename("620623100201", "新村", 1, kActor));
  ASSERT_TRUE(repo().Close("620623100202", Date{2020, 1, 1}, "", 1, kActor));
  EXPECT_EQ(ind.Changes()->regions, 3);
  std::vector<registry::HouseholdRecord> batch = {
      Household("H1", "620623100201", "62062319700101001", "王一")};
  ASSERT_TRUE(db_->Registry().SaveHouseholds(batch, kActor, "b"));
  EXPECT_EQ(ind.Changes()->registry, 1);
  ASSERT_TRUE(db_->Registry().SaveHouseholds(batch, kActor, "b"));  // unchanged: no write
  EXPECT_EQ(ind.Changes()->registry, 1);
  ASSERT_TRUE(db_->Registry().CreateHousehold(
      Household("H2", "620623101201", "62062319800101001", "乙"), kActor));
  EXPECT_EQ(ind.Changes()->registry, 2);
  const std::vector<indicators::EnteredValue> values = {Rural("620623100201", "2019", 500)};
  ASSERT_TRUE(ind.SaveEnteredValues(values, kActor, "stats.csv"));
  EXPECT_EQ(ind.Changes()->statistics, 1);
  ASSERT_TRUE(ind.SaveEnteredValues(values, kActor, "stats.csv"));
  EXPECT_EQ(ind.Changes().value(), (indicators::ChangeStamp{2, 3, 1, 0}));
}

TEST_F(ContractTest, HouseholdListsAsOfADayUseTheStatusThen) {
  SeedSmallTree();
  registry::HouseholdRecord lifted = Household("H1", "620623100201", "62062319700101001", "王一");
  lifted.household.status = "monitored";
  lifted.events.push_back({0, "lifted", Date{2019, 12, 1}, 2019, ""});
  // Two events on one day: the one recorded last counts.
  lifted.events.push_back({0, "returned", Date{2021, 3, 1}, std::nullopt, ""});
  lifted.events.push_back({0, "monitored", Date{2021, 3, 1}, std::nullopt, ""});
  registry::HouseholdRecord late = Household("H2", "620623100201", "62062319800101001", "李二");
  late.events = {{0, "identified", {2020, 6, 1}, std::nullopt, ""}};
  const std::vector<registry::HouseholdRecord> batch = {lifted, late};
  ASSERT_TRUE(db_->Registry().SaveHouseholds(batch, kActor, "b"));
  auto list = [&](std::string status, std::optional<Date> as_of) {
    registry::HouseholdQuery q;
    q.scope = {""};
    q.status = std::move(status);
    q.as_of = as_of;
    auto page = db_->Registry().ListHouseholds(q);
    EXPECT_TRUE(page) << page.error().message;
    std::vector<std::string> out;
    if (page) {
      for (const auto& s : page->items) out.push_back(s.household.number + " " + s.status_on);
    }
    return out;
  };
  EXPECT_EQ(list("lifted", std::nullopt), std::vector<std::string>{});  // now: monitored
  EXPECT_EQ(list("lifted", Date{2019, 11, 30}), std::vector<std::string>{});
  EXPECT_EQ(list("lifted", Date{2019, 12, 1}), std::vector<std::string>{"H1 lifted"});
  EXPECT_EQ(list("identified", Date{2019, 12, 31}), std::vector<std::string>{});
  EXPECT_EQ(list("monitored", Date{2021, 3, 1}), std::vector<std::string>{"H1 monitored"});
  EXPECT_EQ(list("returned", Date{2021, 3, 1}), std::vector<std::string>{});
  // Without a status: the households registered by then, each with its status then.
  EXPECT_EQ(list("", Date{2020, 1, 1}), std::vector<std::string>{"H1 lifted"});
  EXPECT_EQ(list("", Date{2020, 6, 1}), (std::vector<std::string>{"H1 lifted", "H2 identified"}));
  // Exports walk the same households with the same status then.
  auto each = [&](std::string status, Date as_of) {
    registry::HouseholdQuery q;
    q.scope = {""};
    q.status = std::move(status);
    q.as_of = as_of;
    std::vector<std::string> out;
    EXPECT_TRUE(db_->Registry().ForEachHousehold(q, [&](const registry::HouseholdSummary& s) {
      out.push_back(s.household.number + " " + s.status_on);
      return Status{};
    }));
    return out;
  };
  EXPECT_EQ(each("", Date{2020, 6, 1}), (std::vector<std::string>{"H1 lifted", "H2 identified"}));
  EXPECT_EQ(each("monitored", Date{2021, 3, 1}), std::vector<std::string>{"H1 monitored"});
}

TEST_F(ContractTest, DeclaredIndicatorsAreStoredVersionedAndAudited) {
  SeedSmallTree();
  auto& ind = db_->Indicators();
  indicators::Indicator share;
  share.code = "cadre_share";
  share.zh = "干部占比";
  share.en = "Share of cadres";
  share.unit = "percent";
  share.direction = indicators::Direction::kLowerBetter;
  share.source = indicators::Source::kComputed;
  share.aggregation = indicators::Aggregation::kRatioOfSums;
  share.formula = indicators::Formula{"cadres", "people", 100.5};
  share.definition_zh = "干部数 / 人口 × 100";
  share.definition_en = "cadres / people × 100";
  share.module = std::string(indicators::kDeclaredModule);
  indicators::Indicator cadres = share;
  cadres.code = "cadres";
  cadres.unit = "person";
  cadres.source = indicators::Source::kEntered;
  cadres.aggregation = indicators::Aggregation::kMeanWeighted;
  cadres.weight = "people";
  cadres.formula.reset();

  auto first = ind.InsertDeclaration(share, kActor);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->version, 1);
  EXPECT_EQ(first->declared_by, kActor.name);
  EXPECT_EQ(first->indicator, share);  // every field round-trips, the factor exactly
  ASSERT_TRUE(ind.InsertDeclaration(cadres, kActor));
  EXPECT_EQ(ind.Changes()->catalogue, 2);
  EXPECT_EQ(ind.InsertDeclaration(cadres, kActor).error().code, ErrorCode::kAlreadyExists);
  auto listed = ind.Declarations();
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].indicator.code, "cadre_share");  // in declaration order
  EXPECT_EQ((*listed)[1].indicator, cadres);

  share.zh = "干部比例";
  auto second = ind.UpdateDeclaration(share, 1, kActor);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->version, 2);
  EXPECT_EQ(second->indicator.zh, "干部比例");
  EXPECT_EQ(ind.UpdateDeclaration(share, 1, kActor).error().code, ErrorCode::kConflict);
  share.code = "nothing";
  EXPECT_EQ(ind.UpdateDeclaration(share, 1, kActor).error().code, ErrorCode::kNotFound);

  // Not removed while entered values of it are stored.
  const std::vector<indicators::EnteredValue> values = {
      {"cadres", "620623100201", "2019", 3, "web", "", ""}};
  ASSERT_TRUE(ind.SaveEnteredValues(values, kActor, "web"));
  EXPECT_EQ(ind.DeleteDeclaration("cadres", 1, kActor).error().code,
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(ind.DeleteDeclaration("cadre_share", 1, kActor).error().code, ErrorCode::kConflict);
  ASSERT_TRUE(ind.DeleteDeclaration("cadre_share", 2, kActor));
  EXPECT_EQ(ind.Declarations()->size(), 1u);
  EXPECT_EQ(ind.Changes()->catalogue, 4);

  audit::Query query;
  query.scope = {""};
  query.entity = "indicator";
  auto audited = db_->Audit().List(query);
  ASSERT_TRUE(audited) << audited.error().message;
  std::vector<std::string> actions;
  for (const audit::Entry& e : audited->items) actions.push_back(e.action + " " + e.entity_id);
  std::sort(actions.begin(), actions.end());
  EXPECT_EQ(actions, (std::vector<std::string>{"create cadre_share", "create cadres",
                                               "delete cadre_share", "update cadre_share"}));
}

TEST_F(ContractTest, TheFactScanStreamsOneSnapshotWithItsCounters) {
  SeedSmallTree();
  registry::HouseholdRecord r = Household("H1", "620623100201", "62062319700101001", "王一");
  registry::Member child = r.members[0];
  child.name = "王小";
  child.relation = "child";
  child.id_number = "62062320150101001" + registry::IdNumberCheckCharacter("62062320150101001");
  child.joined_on = Date{2015, 1, 1};
  child.left_on = Date{2021, 9, 1};
  child.left_reason = "move_out";
  r.members.push_back(child);
  r.events.push_back({0, "lifted", Date{2019, 12, 1}, 2019, ""});
  const std::vector<registry::HouseholdRecord> batch = {r};
  ASSERT_TRUE(db_->Registry().SaveHouseholds(batch, kActor, "b"));
  const std::vector<indicators::EnteredValue> values = {Rural("620623100201", "2019", 500.5)};
  ASSERT_TRUE(db_->Indicators().SaveEnteredValues(values, kActor, "stats.csv"));
  RecordingSink sink;
  auto stamp = db_->Indicators().ScanFacts(sink);
  ASSERT_TRUE(stamp) << stamp.error().message;
  EXPECT_EQ(*stamp, (indicators::ChangeStamp{1, 1, 1, 0}));
  EXPECT_EQ(sink.regions.size(), 8u);
  EXPECT_NE(std::find(sink.regions.begin(), sink.regions.end(), "620623100201 华藏寺村 -"),
            sink.regions.end());
  EXPECT_EQ(sink.households, std::vector<std::string>{"620623100201 illness"});
  std::sort(sink.members.begin(), sink.members.end());
  EXPECT_EQ(sink.members, (std::vector<std::string>{"- -", "2015-01-01 2021-09-01"}));
  std::sort(sink.events.begin(), sink.events.end());
  EXPECT_EQ(sink.events, (std::vector<std::string>{"identified 2014-05-01", "lifted 2019-12-01"}));
  std::sort(sink.incomes.begin(), sink.incomes.end());
  // Net = wages + business + property + transfer − costs.
  EXPECT_EQ(sink.incomes, (std::vector<std::string>{"2019 6500", "2020 7700"}));
  // Only the items with coverage indicators (housing; not food).
  EXPECT_EQ(sink.guarantees, std::vector<std::string>{"housing false -"});
  EXPECT_EQ(sink.entered, std::vector<std::string>{"rural_population 620623100201 2019 500.5"});
}

TEST_F(ContractTest, EnteredValuesUpsertIdempotentlyWithOneAuditEntry) {
  SeedSmallTree();
  auto& ind = db_->Indicators();
  std::vector<indicators::EnteredValue> values = {Rural("620623100201", "2019", 500),
                                                  Rural("620623100202", "2019", 300),
                                                  Rural("620623101201", "2018", 200)};
  auto first = ind.SaveEnteredValues(values, kActor, "stats.csv sha256:1");
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->inserted, 3);
  values[1].value = 310;
  auto second = ind.SaveEnteredValues(values, kActor, "stats.csv sha256:2");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->updated, 1);
  EXPECT_EQ(second->unchanged, 2);
  auto all = ind.EnteredValues("", "", "");
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].region_code, "620623100201");  // indicator, region, period order
  EXPECT_EQ((*all)[1].value, 310);
  EXPECT_EQ((*all)[1].entered_by, "tester");
  EXPECT_FALSE((*all)[1].entered_at.empty());
  EXPECT_EQ((*all)[1].note, "stats.csv sha256:x");
  EXPECT_EQ(ind.EnteredValues("rural_population", "620623100000", "")->size(), 2u);
  EXPECT_EQ(ind.EnteredValues("", "", "2018")->size(), 1u);
  EXPECT_EQ(ind.EnteredValues("other", "", "")->size(), 0u);
  // An unknown region fails the whole batch.
  const std::vector<indicators::EnteredValue> bad = {Rural("620623100201", "2020", 1),
                                                     Rural("620623109999", "2020", 1)};
  EXPECT_FALSE(ind.SaveEnteredValues(bad, kActor, "bad.csv"));
  EXPECT_EQ(ind.EnteredValues("", "", "2020")->size(), 0u);
  // One audit entry per batch, in the smallest region holding its values.
  int imports = 0;
  const auto log = db_->Audit().List(AllAudit());
  ASSERT_TRUE(log);
  for (const auto& e : log->items) {
    if (e.entity != "indicator_value") continue;
    ++imports;
    EXPECT_EQ(e.action, "import");
    EXPECT_EQ(e.region_code, "620623000000");
    EXPECT_NE(e.note.find("indicators: rural_population"), std::string::npos) << e.note;
  }
  EXPECT_EQ(imports, 2);
}

// The registry change log's "pruned up to" mark never goes back: a load into an empty
// registry marks the whole log pruned up to its generation (storage::RecordRegistryReload),
// and a later write's periodic pruning, which marks 1,000 generations back, must not lower
// it (caches would then patch from a log missing every household of the load).
TEST_F(ContractTest, TheChangeLogsPrunedMarkNeverGoesBack) {
  SeedSmallTree();
  // As a reload at generation 1,099 leaves the counters.
  ASSERT_TRUE(testing::ExecuteSql(*db_,
                                  "UPDATE change_counters SET value = 1099 WHERE name IN "
                                  "('registry', 'registry_pruned')"));
  // The next write is generation 1,100: it prunes through generation 100.
  ASSERT_TRUE(db_->Registry().CreateHousehold(
      Household("P1", "620623100201", "62062319700101009", "王九"), kActor));
  auto counters = testing::QuerySql(
      *db_,
      "SELECT (SELECT value FROM change_counters WHERE name = 'registry'), (SELECT value FROM "
      "change_counters WHERE name = 'registry_pruned')",
      2);
  ASSERT_TRUE(counters) << counters.error().message;
  EXPECT_EQ(counters->at(0).at(0), "1100");
  EXPECT_EQ(counters->at(0).at(1), "1099");
}

TEST_F(ContractTest, RegistryWritesLogTheHouseholdsTheyTouched) {
  SeedSmallTree();
  auto& ind = db_->Indicators();
  std::vector<registry::HouseholdRecord> batch = {
      Household("H1", "620623100201", "62062319700101001", "王一"),
      Household("H2", "620623100202", "62062319710101001", "李二")};
  ASSERT_TRUE(db_->Registry().SaveHouseholds(batch, kActor, "b"));
  ASSERT_TRUE(db_->Registry().CreateHousehold(
      Household("H3", "620623101201", "62062319800101001", "乙"), kActor));
  batch[1].household.main_cause = "lack_skills";
  ASSERT_TRUE(db_->Registry().SaveHouseholds(batch, kActor, "b"));  // H2 only
  const indicators::ChangeStamp now = ind.Changes().value();
  ASSERT_EQ(now.registry, 3);
  auto since = [&](int64_t registry, int64_t statistics = -1) {
    return indicators::ChangeStamp{registry, now.regions,
                                   statistics < 0 ? now.statistics : statistics, now.catalogue};
  };
  {
    RecordingSink sink;
    auto all = ind.ScanChanges(since(0), 100, sink);
    ASSERT_TRUE(all) << all.error().message;
    ASSERT_TRUE(all->has_value());
    EXPECT_EQ((*all)->stamp, now);
    EXPECT_EQ((*all)->households.size(), 3u);
    EXPECT_EQ(sink.households.size(), 3u);
    EXPECT_EQ(sink.members.size(), 3u);
    EXPECT_EQ(sink.incomes.size(), 6u);
    EXPECT_TRUE(sink.regions.empty());
    EXPECT_FALSE((*all)->entered);
  }
  {
    RecordingSink sink;
    auto last = ind.ScanChanges(since(2), 100, sink);
    ASSERT_TRUE(last && last->has_value());
    ASSERT_EQ((*last)->households.size(), 1u);
    EXPECT_EQ(sink.households, std::vector<std::string>{"620623100202 lack_skills"});
    EXPECT_EQ(sink.events, std::vector<std::string>{"identified 2014-05-01"});
    EXPECT_EQ(sink.guarantees, std::vector<std::string>{"housing false -"});
  }
  {
    RecordingSink sink;
    auto none = ind.ScanChanges(since(3), 100, sink);
    ASSERT_TRUE(none && none->has_value());
    EXPECT_TRUE((*none)->households.empty());
    EXPECT_TRUE(sink.households.empty());
  }
  RecordingSink ignored;
  EXPECT_FALSE(ind.ScanChanges(since(0), 2, ignored).value().has_value());  // too many
  // New statistics come with every entered value.
  const std::vector<indicators::EnteredValue> values = {Rural("620623100201", "2019", 500)};
  ASSERT_TRUE(ind.SaveEnteredValues(values, kActor, "stats.csv"));
  {
    RecordingSink sink;
    auto entered = ind.ScanChanges(since(3, 0), 100, sink);
    ASSERT_TRUE(entered && entered->has_value());
    EXPECT_TRUE((*entered)->entered);
    EXPECT_EQ(sink.entered.size(), 1u);
    EXPECT_TRUE(sink.households.empty());
  }
  // The log keeps the last 1000 generations; older caches must load everything again.
  ASSERT_TRUE(
      testing::ExecuteSql(*db_, "UPDATE change_counters SET value = 1099 WHERE name = 'registry'"));
  ASSERT_TRUE(db_->Registry().CreateHousehold(
      Household("H4", "620623101201", "62062319900101001", "丙"), kActor));
  EXPECT_FALSE(ind.ScanChanges(since(3), 100, ignored).value().has_value());
  auto recent = ind.ScanChanges(since(1099), 100, ignored);
  ASSERT_TRUE(recent && recent->has_value());
  EXPECT_EQ((*recent)->households.size(), 1u);
  auto rows = testing::QuerySql(*db_, "SELECT count(*) FROM registry_changes", 1);
  ASSERT_TRUE(rows);
  EXPECT_EQ((*rows)[0][0], "1");
}

TEST_F(ContractTest, IndicatorFiguresChangeAfterEveryWrite) {
  SeedSmallTree();
  auto catalogue = indicators::StandardCatalogue();
  ASSERT_TRUE(catalogue);
  SystemClock clock;
  indicators::IndicatorService service(*catalogue, db_->Indicators(), db_->Regions(),
                                       indicators::IncomeThresholds::Defaults(), clock);
  auto figure = [&](const std::string& region, const std::string& code) {
    auto r = service.Values({region, indicators::YearPeriod(2020), false, {code}}, {""});
    EXPECT_TRUE(r) << r.error().message;
    return r ? r->values.at(0).value : std::nullopt;
  };
  EXPECT_EQ(figure("620623000000", "households"), 0);
  ASSERT_TRUE(db_->Registry().CreateHousehold(
      Household("H1", "620623100201", "62062319700101001", "王一"), kActor));
  EXPECT_EQ(figure("620623000000", "households"), 1);
  EXPECT_EQ(service.Cube().value()->patched_households(), 1u);  // patched, not reloaded
  EXPECT_EQ(figure("620623000000", "poor_people"), 1);
  EXPECT_EQ(figure("620623000000", "mean_per_capita_net_income"), 7700);
  std::vector<registry::HouseholdRecord> batch = {
      Household("H1", "620623100201", "62062319700101001", "王一"),
      Household("H2", "620623101201", "62062319800101001", "乙")};
  batch[0].events.push_back({0, "lifted", Date{2019, 12, 1}, 2019, ""});
  ASSERT_TRUE(db_->Registry().SaveHouseholds(batch, kActor, "b"));
  EXPECT_EQ(figure("620623000000", "households"), 2);
  EXPECT_EQ(service.Cube().value()->patched_households(), 2u);
  EXPECT_EQ(figure("620623000000", "poor_people"), 1);
  EXPECT_EQ(figure("620623000000", "lifted_people"), 1);
  EXPECT_EQ(figure("620623100000", "lifted_people"), 1);
  EXPECT_FALSE(figure("620623000000", "poverty_incidence").has_value());
  const std::vector<indicators::EnteredValue> rural = {Rural("620623100201", "2020", 40),
                                                       Rural("620623101201", "2020", 60)};
  ASSERT_TRUE(db_->Indicators().SaveEnteredValues(rural, kActor, "stats.csv"));
  EXPECT_EQ(figure("620623000000", "rural_population"), 100);
  EXPECT_EQ(figure("620623000000", "poverty_incidence"), 1);  // 1 / 100 × 100
  // A region created later is found at once.
  const std::vector<Region> more = {R("620623101202", "新村")};
  ASSERT_TRUE(repo().Upsert(more, kActor, "test"));
  EXPECT_EQ(figure("620623101202", "households"), 0);
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
