// The fupin command line against the real binary: exit codes, imports, backups, settings.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "../support/process.h"
#include "storage/database.h"

namespace fupin {
namespace {

using test_support::Run;
using test_support::RunResult;
using test_support::TempDir;
using test_support::WriteFile;

class CliTest : public ::testing::Test {
 protected:
  std::string Db() const { return "sqlite:" + (dir_ / "cli.db").string(); }
  std::string File(const std::string& name, const std::string& bytes) const {
    WriteFile(dir_ / name, bytes);
    return (dir_ / name).string();
  }
  RunResult Fupin(std::vector<std::string> args,
                  const std::map<std::string, std::string>& env = {}) {
    args.insert(args.begin(), FUPIN_BINARY);
    std::map<std::string, std::string> clean = {
        {"FUPIN_DB", ""}, {"FUPIN_CONFIG", ""}, {"FUPIN_PORT", ""}, {"FUPIN_HOST", ""}};
    for (const auto& [k, v] : env) clean[k] = v;
    return test_support::Run(args, clean);
  }
  int64_t RegionCount() {
    auto url = storage::DatabaseUrl::Parse(Db());
    auto db = storage::OpenDatabase(*url);
    EXPECT_TRUE(db.has_value());
    auto counts = (*db)->Regions().CountByLevel("");
    int64_t total = 0;
    for (int64_t c : counts.value()) total += c;
    return total;
  }

  TempDir dir_;
};

constexpr const char* kGoodCsv =
    "code,name,parent_code\n"
    "620000000000,甘肃省,\n"
    "620600000000,武威市,620000000000\n"
    "620623000000,天祝藏族自治县,620600000000\n"
    "620623100000,华藏寺镇,620623000000\n"
    "620623100201,华藏寺村,620623100000\n";

TEST_F(CliTest, VersionAndUsage) {
  auto v = Fupin({"version"});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_TRUE(v.out.starts_with("fupin ")) << v.out;
  EXPECT_EQ(Fupin({"--version"}).exit_code, 0);
  EXPECT_EQ(Fupin({}).exit_code, 1);  // a subcommand is required
  EXPECT_EQ(Fupin({"serve", "--no-such-flag"}).exit_code, 1);
  EXPECT_EQ(Fupin({"import", "regions"}).exit_code, 1);  // FILE missing
  auto help = Fupin({"import", "regions", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("GB18030"), std::string::npos);
}

TEST_F(CliTest, ImportsUtf8ThenIsIdempotent) {
  const std::string file = File("regions.csv", kGoodCsv);
  auto first = Fupin({"import", "regions", file, "--db", Db()});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("5 inserted"), std::string::npos) << first.out;
  auto again = Fupin({"import", "regions", file, "--db", Db(), "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const auto j = nlohmann::json::parse(again.out);
  EXPECT_EQ(j["inserted"], 0);
  EXPECT_EQ(j["unchanged"], 5);
  EXPECT_EQ(j["encoding"], "utf-8");
  EXPECT_EQ(RegionCount(), 5);
}

TEST_F(CliTest, ImportsGbkWithChineseHeaders) {
  // 行政区划代码,名称,上级代码 / 620000000000,甘肃省, / 620600000000,武威市,620000000000 in GBK.
  const std::string gbk =
      "\xD0\xD0\xD5\xFE\xC7\xF8\xBB\xAE\xB4\xFA\xC2\xEB,\xC3\xFB\xB3\xC6,\xC9\xCF\xBC\xB6\xB4\xFA"
      "\xC2\xEB\r\n620000000000,\xB8\xCA\xCB\xE0\xCA\xA1,\r\n620600000000,\xCE\xE4\xCD\xFE\xCA\xD0,"
      "620000000000\r\n";
  auto r = Fupin({"import", "regions", File("gbk.csv", gbk), "--db", Db(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_EQ(nlohmann::json::parse(r.out)["encoding"], "gb18030");
  auto url = storage::DatabaseUrl::Parse(Db());
  auto db = storage::OpenDatabase(*url);
  EXPECT_EQ((*db)->Regions().Find("620600000000").value()->name, "武威市");
}

TEST_F(CliTest, ImportsUtf8WithBom) {
  auto r = Fupin({"import", "regions", File("bom.csv", std::string("\xEF\xBB\xBF") + kGoodCsv),
                  "--db", Db(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["encoding"], "utf-8-bom");
}

TEST_F(CliTest, RejectsBadFilesWithPerRowErrorsAndWritesNothing) {
  ASSERT_EQ(Fupin({"import", "regions", File("ok.csv", kGoodCsv), "--db", Db()}).exit_code, 0);
  const std::string bad = File("bad.csv",
                               "code,name,parent_code\n"
                               "620700000000,张掖市,620000000000\n"  // fine on its own
                               "62070000000,短码,620000000000\n"     // 3: bad code format
                               "630100000000,西宁市,630000000000\n"  // 4: unknown parent
                               "620700000000,张掖,620000000000\n");  // 5: duplicate
  auto r = Fupin({"import", "regions", bad, "--db", Db()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("row 3, column code, value '62070000000'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("row 4, column parent_code, value '630000000000': unknown parent"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("row 5, column code"), std::string::npos);
  EXPECT_NE(r.err.find("duplicate"), std::string::npos);
  EXPECT_NE(r.err.find("nothing was imported"), std::string::npos);
  EXPECT_EQ(RegionCount(), 5);  // the valid row 2 was not written either

  auto json = Fupin({"import", "regions", bad, "--db", Db(), "--json"});
  EXPECT_EQ(json.exit_code, 2);
  const auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["error"]["code"], "invalid_argument");
  ASSERT_EQ(j["error"]["details"].size(), 3u);
  EXPECT_EQ(j["error"]["details"][0]["row"], 3);
}

// The registry's imports through the command line: the template imports as it is, a GB18030
// file with Chinese headers works, a bad file gives exit 2 with a problem table (or JSON) and
// writes nothing.
TEST_F(CliTest, RegistryImportsFromTemplatesAndGbkFiles) {
  ASSERT_EQ(Fupin({"import", "regions", File("regions.csv", kGoodCsv), "--db", Db()}).exit_code, 0);
  // The template's example household lies in village 990121001001: give it a home.
  const std::string demo_regions =
      "code,name,parent_code\n990000000000,演示省,\n990100000000,演示市,990000000000\n"
      "990121000000,演示县,990100000000\n990121001000,演示镇,990121000000\n"
      "990121001001,演示村,990121001000\n";
  ASSERT_EQ(Fupin({"import", "regions", File("demo.csv", demo_regions), "--db", Db()}).exit_code,
            0);
  const std::string xlsx = (dir_ / "members.xlsx").string();
  auto tmpl = Fupin({"import", "members", "--template", xlsx});
  ASSERT_EQ(tmpl.exit_code, 0) << tmpl.err;
  auto first = Fupin({"import", "members", xlsx, "--db", Db(), "--year", "2020"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("2 rows, 1 households, 2 members — 1 inserted"), std::string::npos)
      << first.out;
  auto again = Fupin({"import", "members", xlsx, "--db", Db(), "--year", "2020", "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const auto j = nlohmann::json::parse(again.out);
  EXPECT_EQ(j["unchanged"], 1);
  EXPECT_EQ(j["format"], "xlsx");
  EXPECT_EQ(j["sha256"].get<std::string>().size(), 64u);

  // GB18030: 户编号,行政区划代码,姓名,身份证号,与户主关系 / …,华藏寺村,张三,…,户主
  const std::string gbk_header =
      "\xbb\xa7\xb1\xe0\xba\xc5,\xd0\xd0\xd5\xfe\xc7\xf8\xbb\xae\xb4\xfa\xc2\xeb,"
      "\xd0\xd5\xc3\xfb,\xc9\xed\xb7\xdd\xd6\xa4\xba\xc5,"
      "\xd3\xeb\xbb\xa7\xd6\xf7\xb9\xd8\xcf\xb5\n";
  const std::string gbk = gbk_header +
                          "6206231002010001,620623100201,\xd5\xc5\xc8\xfd,620623196203040310,"
                          "\xbb\xa7\xd6\xf7\n";
  auto g = Fupin({"import", "members", File("gbk.csv", gbk), "--db", Db(), "--json"});
  ASSERT_EQ(g.exit_code, 0) << g.out << g.err;
  EXPECT_EQ(nlohmann::json::parse(g.out)["format"], "csv-gb18030");
  EXPECT_EQ(nlohmann::json::parse(g.out)["inserted"], 1);

  const std::string bad =
      "户编号,行政区划代码,姓名,身份证号,与户主关系\n"
      "6206231002010002,620623100201,李四,620623196203040318,户主\n"
      "6206231002010003,620623999999,王五,620623196203040310,户主\n";
  auto refused = Fupin({"import", "members", File("bad.csv", bad), "--db", Db()});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("row  column"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("check character"), std::string::npos) << refused.err;
  auto refused_json = Fupin({"import", "members", File("bad.csv", bad), "--db", Db(), "--json"});
  EXPECT_EQ(refused_json.exit_code, 2);
  const auto e = nlohmann::json::parse(refused_json.out);
  std::set<int64_t> rows;
  for (const auto& d : e["error"]["details"]) rows.insert(d["row"].get<int64_t>());
  EXPECT_EQ(rows, (std::set<int64_t>{2, 3}));
  auto incomes = Fupin({"import", "incomes",
                        File("in.csv",
                             "户编号,年度,工资性收入,人均纯收入\n"
                             "6206231002010001,2021,9000,9000\n"),
                        "--db", Db()});
  EXPECT_EQ(incomes.exit_code, 0) << incomes.err;
  EXPECT_NE(incomes.out.find("1 updated"), std::string::npos) << incomes.out;
}

TEST_F(CliTest, RejectsFilesInOtherEncodings) {
  const std::string utf16(
      "\xFF\xFE"
      "c\0o\0d\0e\0",
      10);
  auto r = Fupin({"import", "regions", File("u16.csv", utf16), "--db", Db()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("UTF-16"), std::string::npos) << r.err;
  auto binary =
      Fupin({"import", "regions", File("bin.csv", "code,name\n\x80\xFF\xFE\x81"), "--db", Db()});
  EXPECT_EQ(binary.exit_code, 2);
  EXPECT_NE(binary.err.find("neither UTF-8"), std::string::npos) << binary.err;
  auto missing = Fupin({"import", "regions", (dir_ / "nope.csv").string(), "--db", Db()});
  EXPECT_EQ(missing.exit_code, 2);
}

TEST_F(CliTest, DryRunWritesNothing) {
  auto r = Fupin({"import", "regions", File("ok.csv", kGoodCsv), "--db", Db(), "--dry-run"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("dry run"), std::string::npos);
  EXPECT_EQ(RegionCount(), 0);
}

TEST_F(CliTest, BackupAndRestoreRoundTrip) {
  ASSERT_EQ(Fupin({"import", "regions", File("ok.csv", kGoodCsv), "--db", Db()}).exit_code, 0);
  const std::string backup = (dir_ / "backup.db").string();
  auto b = Fupin({"backup", "--db", Db(), "--to", backup});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  // Damage the live database, then restore.
  ASSERT_EQ(Fupin({"import", "regions",
                   File("more.csv", "code,name,parent_code\n620700000000,张掖市,\n"), "--db", Db()})
                .exit_code,
            0);
  EXPECT_EQ(RegionCount(), 6);
  auto r = Fupin({"restore", "--db", Db(), "--from", backup});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(RegionCount(), 5);
  EXPECT_EQ(Fupin({"restore", "--db", Db(), "--from", File("junk.db", "not a database")}).exit_code,
            2);
  auto pg = Fupin({"backup", "--db", "postgresql://u@127.0.0.1:1/x", "--to", backup});
  EXPECT_EQ(pg.exit_code, 3);
}

TEST_F(CliTest, TheSecretKeyLivesOutsideTheDatabaseAndTravelsWithBackups) {
  ASSERT_EQ(Fupin({"import", "regions", File("ok.csv", kGoodCsv), "--db", Db()}).exit_code, 0);
  const auto key_file = dir_ / "cli.db.secret";
  ASSERT_TRUE(std::filesystem::exists(key_file));
  const auto perms = std::filesystem::status(key_file).permissions();
  EXPECT_EQ(perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
            std::filesystem::perms::none);
  const std::string key = test_support::ReadFile(key_file);
  EXPECT_GE(key.size(), 64u);
  // Not in the database file.
  const std::string db_bytes = test_support::ReadFile(dir_ / "cli.db");
  EXPECT_EQ(db_bytes.find(key.substr(0, 64)), std::string::npos);
  // The backup carries it; a restore puts it back in place.
  const std::string backup = (dir_ / "b.db").string();
  ASSERT_EQ(Fupin({"backup", "--db", Db(), "--to", backup}).exit_code, 0);
  EXPECT_EQ(test_support::ReadFile(backup + ".secret"), key);
  std::filesystem::remove(key_file);
  ASSERT_EQ(Fupin({"restore", "--db", Db(), "--from", backup}).exit_code, 0);
  EXPECT_EQ(test_support::ReadFile(key_file), key);
  EXPECT_EQ(Fupin({"regions", "show", "620000000000", "--db", Db()}).exit_code, 0);
  // Another key is refused, naming the file, rather than silently making HMACs that can no
  // longer be matched with the earlier ones.
  const std::string other = File("other.secret", std::string(64, 'a') + "\n");
  std::filesystem::permissions(
      other, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  auto refused = Fupin({"regions", "show", "620000000000", "--db", Db(), "--secret-file", other});
  EXPECT_EQ(refused.exit_code, 3) << refused.err;
  EXPECT_NE(refused.err.find("other.secret"), std::string::npos) << refused.err;
  // A key file others may read is refused too.
  std::filesystem::permissions(key_file, std::filesystem::perms::others_read,
                               std::filesystem::perm_options::add);
  auto exposed = Fupin({"regions", "show", "620000000000", "--db", Db()});
  EXPECT_NE(exposed.exit_code, 0);
  EXPECT_NE(exposed.err.find("chmod 600"), std::string::npos) << exposed.err;
}

TEST_F(CliTest, SettingsPrecedenceFlagEnvFile) {
  const std::string file_db = "sqlite:" + (dir_ / "from-file.db").string();
  const std::string env_db = "sqlite:" + (dir_ / "from-env.db").string();
  const std::string conf = File("fupin.conf", "# test\ndb = " + file_db + "\n");
  auto from_file = Fupin({"migrate", "--config", conf});
  EXPECT_EQ(from_file.exit_code, 0) << from_file.err;
  EXPECT_NE(from_file.out.find("from-file.db"), std::string::npos);
  auto from_env = Fupin({"migrate", "--config", conf}, {{"FUPIN_DB", env_db}});
  EXPECT_NE(from_env.out.find("from-env.db"), std::string::npos) << from_env.out;
  auto from_flag = Fupin({"migrate", "--config", conf, "--db", Db()}, {{"FUPIN_DB", env_db}});
  EXPECT_NE(from_flag.out.find("cli.db"), std::string::npos) << from_flag.out;
  auto bad_conf = Fupin({"migrate", "--config", File("bad.conf", "nonsense\n")});
  EXPECT_EQ(bad_conf.exit_code, 1);
}

TEST_F(CliTest, PasswordsInDatabaseUrlsAreNeverPrinted) {
  auto r = Fupin({"migrate", "--db", "postgresql://fupin:Sup3rSecret@127.0.0.1:1/fupin"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.err.find("Sup3rSecret"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("Sup3rSecret"), std::string::npos);
  auto bad = Fupin({"migrate", "--db", "mysql://root:Sup3rSecret@h/x"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err.find("Sup3rSecret"), std::string::npos) << bad.err;
}

TEST_F(CliTest, DemoIsDeterministicAndGuardsOtherDatabases) {
  const std::string a = "sqlite:" + (dir_ / "a.db").string();
  ASSERT_EQ(Fupin({"demo", "--db", a, "--no-serve"}).exit_code, 0);
  auto first = Fupin({"demo", "--db", a, "--no-serve"});  // a demo may be recreated
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto second = Fupin({"demo", "--db", a, "--no-serve", "--seed", "20201"});
  // Same seed, same data, same summary (the passwords below it are new each run).
  EXPECT_EQ(first.out.substr(0, first.out.find('\n')), second.out.substr(0, second.out.find('\n')));
  EXPECT_NE(first.out.find("  admin       Fp-"), std::string::npos) << first.out;
  // A non-demo fupin database is not replaced without --force.
  ASSERT_EQ(Fupin({"import", "regions", File("ok.csv", kGoodCsv), "--db", Db()}).exit_code, 0);
  auto refused = Fupin({"demo", "--db", Db(), "--no-serve"});
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_NE(refused.err.find("--force"), std::string::npos);
  EXPECT_EQ(RegionCount(), 5);
  EXPECT_EQ(Fupin({"demo", "--db", Db(), "--no-serve", "--force"}).exit_code, 0);
  EXPECT_GT(RegionCount(), 100);
  EXPECT_EQ(Fupin({"demo", "--db", a, "--no-serve", "--scale", "nation"}).exit_code, 1);
}

TEST_F(CliTest, MonitorRunsDetectionListsCasesAndWritesTheNotice) {
  const std::string db = "sqlite:" + (dir_ / "monitor.db").string();
  auto demo = Fupin({"demo", "--db", db, "--no-serve", "--households-per-village", "4"});
  ASSERT_EQ(demo.exit_code, 0) << demo.err;
  EXPECT_NE(demo.out.find("monitoring cases"), std::string::npos) << demo.out;
  // The demo's cases of the first township, overdue first.
  auto list = Fupin({"monitor", "list", "--db", db, "--region", "990121001000", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  const auto cases = nlohmann::json::parse(list.out);
  ASSERT_GT(cases["total"].get<int>(), 0);
  ASSERT_GT(cases["overdue"].get<int>(), 0);
  EXPECT_GT(cases["items"][0]["days_overdue"].get<int>(), 0) << list.out;
  auto text = Fupin({"monitor", "list", "--db", db, "--region", "990121001000", "--overdue"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("OVERDUE"), std::string::npos) << text.out;
  // Detection twice over the demo village: the second run records nothing new.
  auto first = Fupin({"monitor", "run", "--db", db, "--region", "990121001001", "--json"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto second = Fupin({"monitor", "run", "--db", db, "--region", "990121001001", "--json"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  const auto again = nlohmann::json::parse(second.out);
  EXPECT_EQ(again["new_alerts"], 0);
  EXPECT_EQ(again["already_recorded"], again["found"]);
  for (const auto& a : again["alerts"]) {
    EXPECT_FALSE(a["new"].get<bool>());
    EXPECT_FALSE(a["message_zh"].get<std::string>().empty());
  }
  auto plain = Fupin({"monitor", "run", "--db", db, "--region", "990121001001"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_NE(plain.out.find("0 new"), std::string::npos) << plain.out;
  // The public notice: decided households, without personal data.
  const std::string csv = (dir_ / "notice.csv").string();
  auto notice =
      Fupin({"monitor", "notice", "--db", db, "--region", "990121000000", "--output", csv});
  ASSERT_EQ(notice.exit_code, 0) << notice.err;
  const std::string written = test_support::ReadFile(csv);
  EXPECT_NE(written.find("户编号,户主姓名,乡镇,村,监测对象类别,纳入监测日期,风险消除日期"),
            std::string::npos)
      << written;
  EXPECT_GT(std::count(written.begin(), written.end(), '\n'), 1);
  EXPECT_FALSE(std::regex_search(written, std::regex(R"(\d{17}[\dX])"))) << "an ID number";
  EXPECT_FALSE(std::regex_search(written, std::regex(R"(1[3-9]\d{9})"))) << "a phone number";
  const std::string xlsx = (dir_ / "notice.xlsx").string();
  ASSERT_EQ(Fupin({"monitor", "notice", "--db", db, "--region", "990121000000", "--output", xlsx,
                   "--lang", "en"})
                .exit_code,
            0);
  EXPECT_EQ(test_support::ReadFile(xlsx).substr(0, 2), "PK");
  // Bad input is exit code 2, with the reason.
  auto bad = Fupin({"monitor", "run", "--db", db, "--region", "12345"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("region"), std::string::npos) << bad.err;
  EXPECT_EQ(Fupin({"monitor", "notice", "--db", db, "--region", "990121000000", "--output",
                   (dir_ / "notice.txt").string()})
                .exit_code,
            2);
  EXPECT_EQ(Fupin({"monitor", "list", "--db", db}).exit_code, 1);  // --region is required
}

TEST_F(CliTest, RegionsCanBeShownRenamedAndClosed) {
  ASSERT_EQ(Fupin({"import", "regions",
                   File("ok.csv", std::string(kGoodCsv) + "620623100202,岔口驿村,620623100000\n"),
                   "--db", Db()})
                .exit_code,
            0);
  auto show = Fupin({"regions", "show", "620623100000", "--db", Db()});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_NE(show.out.find("620000000000  甘肃省  province"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("620623100202  岔口驿村  village"), std::string::npos);
  // A township with open villages cannot close.
  auto blocked = Fupin({"regions", "close", "620623100000", "--on", "2020-06-30", "--db", Db()});
  EXPECT_EQ(blocked.exit_code, 3);
  EXPECT_NE(blocked.err.find("open subordinate regions"), std::string::npos) << blocked.err;
  // Merge one village into the other.
  auto closed = Fupin({"regions", "close", "620623100201", "--on", "2020-06-30", "--successor",
                       "620623100202", "--db", Db()});
  ASSERT_EQ(closed.exit_code, 0) << closed.err;
  EXPECT_NE(closed.out.find("closed 2020-06-30 → 620623100202"), std::string::npos) << closed.out;
  auto hidden = Fupin({"regions", "show", "620623100000", "--db", Db()});
  EXPECT_EQ(hidden.out.find("620623100201"), std::string::npos);
  auto shown = Fupin({"regions", "show", "620623100000", "--include-closed", "--db", Db()});
  EXPECT_NE(shown.out.find("620623100201"), std::string::npos);
  // Optimistic locking: version 1 of the village is stale after a rename.
  ASSERT_EQ(Fupin({"regions", "rename", "620623100202", "岔口驿新村", "--db", Db()}).exit_code, 0);
  auto stale =
      Fupin({"regions", "rename", "620623100202", "别的名字", "--version", "1", "--db", Db()});
  EXPECT_EQ(stale.exit_code, 3);
  EXPECT_NE(stale.err.find("current version is 2"), std::string::npos) << stale.err;
  EXPECT_EQ(
      Fupin({"regions", "close", "620623100202", "--on", "2020-02-30", "--db", Db()}).exit_code, 2);
}

TEST_F(CliTest, UsersAreManagedWithPasswordsFromStdin) {
  ASSERT_EQ(Fupin({"import", "regions", File("ok.csv", kGoodCsv), "--db", Db()}).exit_code, 0);
  const std::vector<std::string> add = {
      FUPIN_BINARY, "user",   "add",   "--db",     Db(),           "--name",
      "admin",      "--role", "admin", "--region", "620000000000", "--password-stdin"};
  auto created = test_support::Run(add, {}, "Gansu-Admin-2020\n");
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_NE(created.out.find("created user admin"), std::string::npos);
  EXPECT_EQ(created.out.find("Gansu-Admin-2020"), std::string::npos);
  EXPECT_EQ(test_support::Run(add, {}, "Gansu-Admin-2020\n").exit_code, 2);  // name taken
  auto weak = add;
  weak[6] = "weakling";
  EXPECT_EQ(test_support::Run(weak, {}, "short\n").exit_code, 2);
  auto list = Fupin({"user", "list", "--db", Db()});
  EXPECT_NE(list.out.find("admin@620000000000"), std::string::npos) << list.out;
  EXPECT_EQ(Fupin({"user", "disable", "admin", "--db", Db()}).exit_code, 0);
  EXPECT_NE(Fupin({"user", "list", "--db", Db()}).out.find("disabled"), std::string::npos);
  EXPECT_EQ(Fupin({"user", "disable", "nobody", "--db", Db()}).exit_code, 2);
}

TEST_F(CliTest, AuditLogVerifiesAndPrintsItsHead) {
  ASSERT_EQ(Fupin({"import", "regions", File("ok.csv", kGoodCsv), "--db", Db()}).exit_code, 0);
  ASSERT_EQ(Fupin({"regions", "rename", "620623100201", "新村", "--db", Db()}).exit_code, 0);
  auto head = Fupin({"audit", "head", "--db", Db()});
  ASSERT_EQ(head.exit_code, 0);
  EXPECT_TRUE(head.out.starts_with("2:")) << head.out;
  const std::string saved = head.out.substr(0, head.out.find('\n'));
  auto ok = Fupin({"audit", "verify", "--db", Db(), "--head", saved});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("intact: 2 entries"), std::string::npos);
  // A head the log no longer reaches (as after a truncation) fails verification.
  auto truncated = Fupin({"audit", "verify", "--db", Db(), "--head", "5:" + saved.substr(2)});
  EXPECT_EQ(truncated.exit_code, 3);
  EXPECT_NE(truncated.err.find("removed from the end"), std::string::npos) << truncated.err;
  // The CLI acts as cli:<user>.
  auto url = storage::DatabaseUrl::Parse(Db());
  auto db = storage::OpenDatabase(*url);
  audit::Query all;
  all.scope = {""};
  const auto page = (*db)->Audit().List(all).value();
  EXPECT_TRUE(page.items.at(0).actor.name.starts_with("cli:"));
  EXPECT_NE(page.items.at(1).note.find("sha256:"), std::string::npos);
}

}  // namespace
}  // namespace fupin
