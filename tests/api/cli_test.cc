// The fupin command line against the real binary: exit codes, imports, backups, settings.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "../support/process.h"
#include "base/text.h"
#include "registry/id_number.h"
#include "storage/database.h"
#include "tabular/writer.h"

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

// Boundaries for the map from GeoJSON: 6-digit adcodes are padded, bad features are named by
// position, and a re-import changes nothing.
TEST_F(CliTest, BoundariesImportFromGeoJson) {
  ASSERT_EQ(Fupin({"import", "regions", File("regions.csv", kGoodCsv), "--db", Db()}).exit_code, 0);
  const std::string square =
      R"({"type":"Polygon","coordinates":[[[102,37],[103,37],[103,38],[102,38],[102,37]]]})";
  const std::string good =
      R"({"type":"FeatureCollection","features":[)"
      R"({"type":"Feature","properties":{"adcode":620623,"name":"天祝"},"geometry":)" +
      square + R"(},{"type":"Feature","properties":{"code":"620623100201"},"geometry":)" + square +
      "}]}";
  const std::string file = File("map.geojson", good);
  auto first = Fupin({"import", "boundaries", file, "--db", Db(), "--json"});
  ASSERT_EQ(first.exit_code, 0) << first.err << first.out;
  EXPECT_EQ(nlohmann::json::parse(first.out)["inserted"], 2);
  auto again = Fupin({"import", "boundaries", file, "--db", Db(), "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(nlohmann::json::parse(again.out)["unchanged"], 2);
  auto url = storage::DatabaseUrl::Parse(Db());
  auto db = storage::OpenDatabase(*url);
  ASSERT_TRUE(db.has_value());
  auto county = (*db)->Boundaries().Find("620623000000");
  ASSERT_TRUE(county.has_value());
  ASSERT_EQ(county->size(), 1u);
  EXPECT_FALSE(county->front().synthetic);
  EXPECT_NE(county->front().source.find("sha256:"), std::string::npos);

  const std::string bad =
      R"({"type":"FeatureCollection","features":[)"
      R"({"type":"Feature","properties":{"code":"620623100201"},"geometry":{"type":"LineString","coordinates":[[1,2],[3,4]]}},)"
      R"({"type":"Feature","properties":{},"geometry":)" +
      square + "}]}";
  auto refused = Fupin({"import", "boundaries", File("bad.geojson", bad), "--db", Db(), "--json"});
  EXPECT_EQ(refused.exit_code, 2) << refused.out;
  const auto e = nlohmann::json::parse(refused.out);
  ASSERT_EQ(e["error"]["details"].size(), 2u);
  EXPECT_EQ(e["error"]["details"][0]["row"], 1);
  EXPECT_EQ(e["error"]["details"][0]["column"], "geometry");
  EXPECT_EQ(e["error"]["details"][1]["row"], 2);
  EXPECT_EQ(Fupin({"import", "boundaries", File("x.json", "[1,2]"), "--db", Db()}).exit_code, 2);
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

// --- fupin check -------------------------------------------------------------------------

registry::HouseholdRecord CheckFixture(const std::string& number, const std::string& id17) {
  registry::HouseholdRecord r;
  r.household.number = number;
  r.household.region_code = "620623100201";
  r.household.attribute = "general";
  r.household.main_cause = "illness";
  r.household.phone = "13812345678";
  r.household.housing_safe = true;
  r.household.water_safe = true;
  r.household.year_identified = 2014;
  r.household.status = "lifted";
  r.household.lifted_year = 2018;
  registry::Member head;
  head.name = "户主" + number;
  head.id_number = id17 + registry::IdNumberCheckCharacter(id17);
  head.relation = "head";
  head.sex = "male";
  head.birth_date = Date{1990, 1, 1};
  head.health = "chronic";
  head.labour = "ordinary";
  head.in_school = false;
  r.members = {head};
  r.events = {{0, "identified", {2014, 5, 1}, std::nullopt, ""},
              {0, "lifted", {2018, 12, 1}, 2018, ""}};
  r.incomes = {{2023, 9000, 3000, 0, 1000, 800}, {2024, 9500, 3000, 0, 1000, 800}};
  for (const char* item : {"food", "clothing", "education", "medical", "housing", "water"}) {
    r.guarantees.push_back({item, true, Date{2024, 10, 1}});
  }
  registry::HelperAssignment helper;
  helper.name = "张帮扶";
  helper.phone = "13900001111";
  helper.since = Date{2016, 1, 1};
  r.helpers = {helper};
  return r;
}

class CheckTest : public CliTest {
 protected:
  void SetUp() override {
    ASSERT_EQ(Fupin({"import", "regions", File("ok.csv", kGoodCsv), "--db", Db()}).exit_code, 0);
    // Households as a legacy import left them: written through the repository, as fupin's own
    // imports do, with data the validation of single records lets through.
    auto url = storage::DatabaseUrl::Parse(Db());
    storage::OpenOptions options;
    options.secret_key = std::string(Trim(test_support::ReadFile(dir_ / "cli.db.secret")));
    auto db = storage::OpenDatabase(*url, options);
    ASSERT_TRUE(db.has_value());
    std::vector<registry::HouseholdRecord> records = {CheckFixture("Q-CLEAN", "62062319900101001"),
                                                      CheckFixture("Q-BAD", "62062319900101003"),
                                                      CheckFixture("Q-RISK", "62062319900101005")};
    registry::HouseholdRecord& bad = records[1];
    bad.members[0].health = "healthy";  // healthy, 35, yet no labour capacity …
    bad.members[0].labour = "none";     // … and nobody ill in a household poor through illness
    bad.guarantees[4].met = false;      // lifted out with unsafe housing
    bad.helpers[0].phone = "139000011";
    registry::HouseholdRecord& risk = records[2];
    risk.events.push_back({0, "monitored", {2024, 1, 10}, std::nullopt, ""});
    risk.events.push_back({0, "risk_eliminated", {2024, 3, 1}, std::nullopt, ""});
    auto saved = (*db)->Registry().SaveHouseholds(records, {"test", 0, "local"}, "check test");
    ASSERT_TRUE(saved) << saved.error().message;
  }
  RunResult Check(std::vector<std::string> args) {
    std::vector<std::string> all = {"check",      "--db",   Db(),  "--today",
                                    "2025-06-30", "--year", "2024"};
    all.insert(all.end(), args.begin(), args.end());
    return Fupin(all);
  }
};

TEST_F(CheckTest, FindsTheProblemsOfARegionAndExitsFourOnErrors) {
  auto r = Check({"--region", "620623000000", "--json"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["households"], 3);
  EXPECT_EQ(j["year"], 2024);
  EXPECT_EQ(j["today"], "2025-06-30");
  EXPECT_EQ(j["households_with_findings"], 2);
  std::multimap<std::string, std::string> found;  // household → rule
  for (const auto& f : j["findings"]) found.emplace(f["household_number"], f["rule"]);
  auto has = [&](const std::string& household, const std::string& rule) {
    auto [first, last] = found.equal_range(household);
    for (auto it = first; it != last; ++it) {
      if (it->second == rule) return true;
    }
    return false;
  };
  EXPECT_TRUE(has("Q-BAD", "member.healthy_without_labour")) << r.out;
  EXPECT_TRUE(has("Q-BAD", "household.illness_without_sick"));
  EXPECT_TRUE(has("Q-BAD", "status.lifted_guarantee_unmet"));
  EXPECT_TRUE(has("Q-BAD", "helper.phone_invalid"));
  EXPECT_TRUE(has("Q-RISK", "status.risk_eliminated_too_soon"));
  EXPECT_EQ(found.count("Q-CLEAN"), 0u) << r.out;
  EXPECT_EQ(j["summary"]["error"], 2);
  EXPECT_GE(j["rules"].size(), 30u);
  EXPECT_EQ(j["thresholds"]["working_age"][0], 16);
  // Personal data stays masked.
  EXPECT_EQ(r.out.find("139000011"), std::string::npos);
  EXPECT_NE(r.out.find("*****0011"), std::string::npos);

  // The text report: a summary per rule, then the findings.
  auto text = Check({"--region", "620623100201"});
  EXPECT_EQ(text.exit_code, 4);
  EXPECT_NE(text.out.find("checked 3 households"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("status.risk_eliminated_too_soon"), std::string::npos);
  EXPECT_NE(text.out.find("监测不足6个月即消除风险"), std::string::npos);
  EXPECT_NE(text.out.find("户主Q-BAD"), std::string::npos);
  auto english = Check({"--lang", "en"});
  EXPECT_NE(english.out.find("Risk eliminated too soon"), std::string::npos) << english.out;
}

TEST_F(CheckTest, FiltersByRuleAndSeverityAndExportsCsvAndXlsx) {
  auto warnings = Check({"--severity", "warning", "--json"});
  EXPECT_EQ(warnings.exit_code, 0) << warnings.err;  // no errors among warnings
  const auto found = nlohmann::json::parse(warnings.out);
  for (const auto& f : found["findings"]) {
    EXPECT_EQ(f["severity"], "warning");
  }
  auto one = Check({"--rule", "status.risk_eliminated_too_soon", "--json"});
  const auto j = nlohmann::json::parse(one.out);
  ASSERT_EQ(j["findings"].size(), 1u);
  EXPECT_EQ(j["findings"][0]["household_number"], "Q-RISK");
  EXPECT_EQ(j["rules"].size(), 1u);

  const std::string csv = (dir_ / "findings.csv").string();
  auto exported = Check({"--output", csv});
  EXPECT_EQ(exported.exit_code, 4);
  EXPECT_NE(exported.out.find("wrote"), std::string::npos);
  const std::string bytes = test_support::ReadFile(csv);
  EXPECT_TRUE(bytes.starts_with("\xEF\xBB\xBF规则代码,严重程度,规则,户编号"))
      << bytes.substr(0, 80);
  EXPECT_NE(bytes.find("Q-RISK"), std::string::npos);
  EXPECT_EQ(bytes.find("139000011,"), std::string::npos);
  const std::string xlsx = (dir_ / "findings.xlsx").string();
  EXPECT_EQ(Check({"--output", xlsx, "--lang", "en"}).exit_code, 4);
  EXPECT_GT(std::filesystem::file_size(xlsx), 1000u);
  EXPECT_EQ(Check({"--output", (dir_ / "findings.txt").string()}).exit_code, 2);
}

TEST_F(CheckTest, RefusesUnknownRulesAndRegionsAndListsTheRules) {
  auto unknown = Check({"--rule", "member.no_such_rule"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("member.no_such_rule"), std::string::npos) << unknown.err;
  EXPECT_EQ(Check({"--region", "62062310020"}).exit_code, 2);
  EXPECT_EQ(Check({"--region", "620623101000"}).exit_code, 2);  // no such region
  EXPECT_EQ(Check({"--severity", "fatal"}).exit_code, 2);
  auto rules = Fupin({"check", "--list-rules", "--json"});
  ASSERT_EQ(rules.exit_code, 0) << rules.err;
  EXPECT_GE(nlohmann::json::parse(rules.out)["rules"].size(), 30u);
  // A region without households: nothing to find.
  ASSERT_EQ(Fupin({"import", "regions",
                   File("more.csv", "code,name,parent_code\n620623100202,岔口驿村,620623100000\n"),
                   "--db", Db()})
                .exit_code,
            0);
  auto empty = Check({"--region", "620623100202", "--json"});
  EXPECT_EQ(empty.exit_code, 0) << empty.err;
  EXPECT_EQ(nlohmann::json::parse(empty.out)["households"], 0);
}

// --- Indicators and entered statistics -----------------------------------------------------

TEST_F(CliTest, ImportsStatisticsAllOrNothingAndIdempotently) {
  ASSERT_EQ(Fupin({"import", "regions", File("ok.csv", kGoodCsv), "--db", Db()}).exit_code, 0);
  // Chinese headers, a thousands separator, a BOM.
  const std::string csv = File("stats.csv",
                               "\xEF\xBB\xBF行政区划代码,年度,指标代码,数值\n"
                               "620623100201,2019,rural_population,\"1,200\"\n"
                               "620623100000,2018,rural_population,3000\n");
  auto dry = Fupin({"import", "statistics", csv, "--db", Db(), "--dry-run", "--json"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err << dry.out;
  EXPECT_EQ(nlohmann::json::parse(dry.out)["inserted"], 2);
  auto first = Fupin({"import", "statistics", csv, "--db", Db()});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("2 inserted"), std::string::npos) << first.out;
  auto again = Fupin({"import", "statistics", csv, "--db", Db(), "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const auto j = nlohmann::json::parse(again.out);
  EXPECT_EQ(j["unchanged"], 2);
  EXPECT_EQ(j["format"], "csv-utf-8-bom");

  // An XLSX with English headers updates one value.
  auto xlsx = tabular::WriteToBytes(tabular::Format::kXlsx,
                                    {"region_code", "year", "indicator_code", "value"},
                                    {{"620623100201", "2019", "rural_population", "1250"}});
  ASSERT_TRUE(xlsx.has_value());
  auto updated = Fupin({"import", "statistics", File("stats.xlsx", *xlsx), "--db", Db(), "--json"});
  ASSERT_EQ(updated.exit_code, 0) << updated.err << updated.out;
  EXPECT_EQ(nlohmann::json::parse(updated.out)["updated"], 1);
  EXPECT_EQ(nlohmann::json::parse(updated.out)["format"], "xlsx");

  // Every bad row is reported; nothing is written.
  const std::string bad = File("bad.csv",
                               "region_code,year,indicator_code,value\n"
                               "620623100201,2020,rural_population,10\n"     // fine on its own
                               "620623999999,2020,rural_population,10\n"     // 3: no such region
                               "620623100201,2020,poor_people,10\n"          // 4: computed
                               "620623100201,20x0,rural_population,10\n"     // 5: bad year
                               "620623100201,2021,rural_population,ten\n");  // 6: not a number
  auto refused = Fupin({"import", "statistics", bad, "--db", Db()});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("row 3, column region_code, value '620623999999'"), std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("row 4, column indicator_code, value 'poor_people'"),
            std::string::npos);
  EXPECT_NE(refused.err.find("row 5, column year"), std::string::npos);
  EXPECT_NE(refused.err.find("row 6, column value, value 'ten': is not a number"),
            std::string::npos);
  EXPECT_NE(refused.err.find("nothing was imported"), std::string::npos);
  auto json = Fupin({"import", "statistics", bad, "--db", Db(), "--json"});
  EXPECT_EQ(json.exit_code, 2);
  EXPECT_EQ(nlohmann::json::parse(json.out)["error"]["details"].size(), 4u);

  // The figures: the village's own value; the county rolls up what lies beneath it.
  auto shown = Fupin({"indicators", "--db", Db(), "--region", "620623000000", "--year", "2019",
                      "--children", "--codes", "rural_population,households", "--json"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  const auto v = nlohmann::json::parse(shown.out);
  ASSERT_EQ(v["regions"].size(), 2u);
  EXPECT_EQ(v["regions"][1]["code"], "620623100000");
  EXPECT_EQ(v["items"][0]["indicator"], "rural_population");
  EXPECT_EQ(v["items"][0]["value"], 1250);
  EXPECT_EQ(v["items"][1]["value"], 0);  // no households registered
  EXPECT_EQ(v["total"], 4);
  auto y2020 = Fupin({"indicators", "--db", Db(), "--region", "620623000000", "--year", "2020",
                      "--codes", "rural_population", "--json"});
  EXPECT_TRUE(nlohmann::json::parse(y2020.out)["items"][0]["value"].is_null());
}

TEST_F(CliTest, IndicatorsPrintsAnAlignedTableInEitherLanguage) {
  const std::string a = "sqlite:" + (dir_ / "demo.db").string();
  ASSERT_EQ(Fupin({"demo", "--db", a, "--no-serve", "--households-per-village", "3"}).exit_code, 0);
  auto zh = Fupin({"indicators", "--db", a, "--region", "990121000000", "--year", "2019"});
  ASSERT_EQ(zh.exit_code, 0) << zh.err;
  EXPECT_NE(zh.out.find("贫困发生率"), std::string::npos) << zh.out;
  EXPECT_NE(zh.out.find("收入标准 3218"), std::string::npos) << zh.out;
  auto en = Fupin({"indicators", "--db", a, "--region", "990121000000", "--year", "2019", "--lang",
                   "en", "--children"});
  ASSERT_EQ(en.exit_code, 0) << en.err;
  EXPECT_NE(en.out.find("poverty incidence"), std::string::npos);
  // The value column is right-aligned: every line of the table ends at the same display
  // column (Chinese characters take two).
  auto width = [](const std::string& line) {
    size_t w = 0;
    for (size_t i = 0; i < line.size();) {
      const auto c = static_cast<unsigned char>(line[i]);
      const size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      uint32_t cp = len == 1 ? c : c & (0x3F >> (len - 1));
      for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (line[i + k] & 0x3F);
      w += (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xFF00 && cp <= 0xFF60) ? 2 : 1;
      i += len;
    }
    return w;
  };
  std::vector<std::string> lines;
  for (size_t at = 0, next; (next = zh.out.find('\n', at)) != std::string::npos; at = next + 1) {
    lines.push_back(zh.out.substr(at, next - at));
  }
  ASSERT_GT(lines.size(), 30u);
  for (size_t i = 2; i < lines.size(); ++i) EXPECT_EQ(width(lines[i]), width(lines[1])) << lines[i];
  const auto json = Fupin({"indicators", "--db", a, "--region", "990121000000", "--year", "2019",
                           "--json", "--codes", "poverty_incidence,poor_people,rural_population"});
  const auto j = nlohmann::json::parse(json.out);
  const double poor = j["items"][1]["value"];
  const double rural = j["items"][2]["value"];
  EXPECT_GT(rural, poor);  // the demo's rural population exceeds the registered poor
  EXPECT_NEAR(j["items"][0]["value"].get<double>(), poor / rural * 100, 1e-9);
  EXPECT_EQ(j["items"][0]["numerator"], poor);
  auto catalogue = Fupin({"indicators", "--catalogue", "--json"});
  ASSERT_EQ(catalogue.exit_code, 0) << catalogue.err;
  EXPECT_GT(nlohmann::json::parse(catalogue.out)["total"].get<int>(), 30);
  // Usage errors.
  EXPECT_EQ(Fupin({"indicators", "--db", a, "--year", "2019", "--as-of", "2019-06-30", "--region",
                   "990121000000"})
                .exit_code,
            1);
  EXPECT_EQ(Fupin({"indicators", "--db", a, "--region", "12"}).exit_code, 2);
  EXPECT_EQ(Fupin({"indicators", "--db", a, "--region", "990121999999"}).exit_code, 2);
  EXPECT_EQ(Fupin({"indicators", "--db", a, "--region", "990121000000", "--codes", "x"}).exit_code,
            2);
}

TEST_F(CliTest, WorkshopsGivesARegionsMonthAndTheResumptionCurve) {
  const std::string a = "sqlite:" + (dir_ / "demo.db").string();
  ASSERT_EQ(Fupin({"demo", "--db", a, "--no-serve", "--households-per-village", "20"}).exit_code,
            0);
  auto month =
      Fupin({"workshops", "--db", a, "--region", "990121000000", "--month", "2024-05", "--json"});
  ASSERT_EQ(month.exit_code, 0) << month.err;
  const auto f = nlohmann::json::parse(month.out);
  EXPECT_EQ(f["workshops"], 62);
  EXPECT_GT(f["jobs"].get<int>(), 100);
  EXPECT_GT(f["poor_share"].get<double>(), 0.3);
  EXPECT_LE(f["poor_jobs"].get<int>(), f["jobs"].get<int>());
  // The demo's idle workshops: three operating too few days, one without poor workers.
  int few_days = 0, no_poor = 0;
  for (const auto& w : f["idle"]) {
    for (const auto& x : w["findings"]) {
      few_days += x["rule"] == "few_days";
      no_poor += x["rule"] == "no_poor_workers";
    }
  }
  EXPECT_EQ(few_days, 3) << month.out;
  EXPECT_GE(no_poor, 1) << month.out;
  EXPECT_NE(f["convention"].get<std::string>().find("latest revision"), std::string::npos);

  // The 2020 curve: about half resumed by 5 March, over 90% by 1 April.
  auto curve = Fupin({"workshops", "--db", a, "--region", "990121000000", "--resumption",
                      "2020-03-05,2020-04-01", "--json"});
  ASSERT_EQ(curve.exit_code, 0) << curve.err;
  const auto c = nlohmann::json::parse(curve.out)["curve"];
  ASSERT_EQ(c.size(), 28u);
  EXPECT_NEAR(c.front()["rate"].get<double>(), 0.5, 0.06);
  EXPECT_GT(c.back()["rate"].get<double>(), 0.88);
  auto text = Fupin({"workshops", "--db", a, "--region", "990121000000", "--month", "2024-05"});
  ASSERT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("resumption rate"), std::string::npos);
  // The Gansu 2020 labour subsidy over the demo: each eligible worker more than 182 days,
  // 5,000 yuan each, and the registered-poor variant a subset of it.
  auto labour = Fupin({"workshops", "--db", a, "--region", "990121000000", "--subsidy", "labour",
                       "--year", "2020", "--json"});
  ASSERT_EQ(labour.exit_code, 0) << labour.err;
  const auto l = nlohmann::json::parse(labour.out);
  EXPECT_GT(l["eligible"].get<int>(), 50);
  EXPECT_EQ(l["total_fen"].get<int64_t>(), l["eligible"].get<int64_t>() * 500000);
  int checked = 0;
  for (const auto& r : l["results"]) {
    const int days = std::stoi(r["checks"][0]["actual"].get<std::string>());
    EXPECT_EQ(r["checks"][0]["passed"].get<bool>(), days > 182) << r.dump();
    if (days <= 182) {
      EXPECT_FALSE(r["eligible"].get<bool>()) << r.dump();
    }
    ++checked;
  }
  EXPECT_GT(checked, l["eligible"].get<int>()) << "some workers did not qualify";
  auto poor = Fupin({"workshops", "--db", a, "--region", "990121000000", "--subsidy", "labour-poor",
                     "--year", "2020", "--json"});
  ASSERT_EQ(poor.exit_code, 0) << poor.err;
  EXPECT_LT(nlohmann::json::parse(poor.out)["eligible"].get<int>(), l["eligible"].get<int>());
  EXPECT_EQ(
      Fupin({"workshops", "--db", a, "--region", "990121000000", "--month", "2024-13"}).exit_code,
      2);

  // The same month through the indicator catalogue: the workshop indicators as of 31 May 2024
  // are May's figures.
  auto values = Fupin({"indicators", "--db", a, "--region", "990121000000", "--as-of", "2024-05-31",
                       "--codes",
                       "workshops_recognized,workshop_jobs,workshop_poor_jobs,workshops_idle,"
                       "workshop_poor_mean_wage,workshop_resumption_rate",
                       "--json"});
  ASSERT_EQ(values.exit_code, 0) << values.err;
  const auto report = nlohmann::json::parse(values.out);
  std::map<std::string, nlohmann::json> v;
  for (const auto& item : report["items"]) {
    v[item["indicator"].get<std::string>()] = item["value"];
  }
  EXPECT_EQ(v["workshops_recognized"], f["workshops"]);
  EXPECT_EQ(v["workshop_jobs"], f["jobs"]);
  EXPECT_EQ(v["workshop_poor_jobs"], f["poor_jobs"]);
  EXPECT_EQ(v["workshops_idle"].get<size_t>(), f["idle"].size());
  // The catalogue's mean in yuan, the figures' in fen rounded down.
  EXPECT_NEAR(v["workshop_poor_mean_wage"].get<double>() * 100,
              f["mean_poor_wage_fen"].get<double>(), 1.0);
  EXPECT_NEAR(v["workshop_resumption_rate"].get<double>(),
              f["resumption"]["rate"].get<double>() * 100, 1e-9);

  // A workshop's own values: an idle one counts 1 in workshops_idle, and its jobs are its
  // May report's headcount.
  ASSERT_FALSE(f["idle"].empty());
  const std::string idle_id = std::to_string(f["idle"][0]["workshop_id"].get<int64_t>());
  auto own =
      Fupin({"indicators", "--db", a, "--workshop", idle_id, "--as-of", "2024-05-31", "--json"});
  ASSERT_EQ(own.exit_code, 0) << own.err;
  const auto mine = nlohmann::json::parse(own.out);
  EXPECT_EQ(mine["stock_month"], "2024-05");
  std::map<std::string, nlohmann::json> w;
  for (const auto& item : mine["items"]) w[item["code"].get<std::string>()] = item["value"];
  EXPECT_EQ(w.size(), 15u);
  EXPECT_EQ(w["workshops_idle"], 1);
  EXPECT_LE(w["workshop_jobs"].get<double>(), v["workshop_jobs"].get<double>());
  auto english = Fupin({"indicators", "--db", a, "--workshop", idle_id, "--lang", "en"});
  ASSERT_EQ(english.exit_code, 0) << english.err;
  EXPECT_NE(english.out.find("workshop resumption rate"), std::string::npos) << english.out;
  EXPECT_EQ(Fupin({"indicators", "--db", a, "--workshop", "999999"}).exit_code, 2);
}

TEST_F(CliTest, WorkshopAlertsInTextAndJson) {
  const std::string a = "sqlite:" + (dir_ / "demo.db").string();
  ASSERT_EQ(Fupin({"demo", "--db", a, "--no-serve", "--households-per-village", "20"}).exit_code,
            0);
  auto out = Fupin({"workshops", "--db", a, "--region", "990121000000", "--month", "2024-05",
                    "--alerts", "--json"});
  ASSERT_EQ(out.exit_code, 0) << out.err;
  const auto j = nlohmann::json::parse(out.out);
  EXPECT_EQ(j["month"], "2024-05");
  EXPECT_EQ(j["counts"]["idle_few_days"], 3);
  EXPECT_GE(j["counts"]["idle_no_poor_workers"].get<int>(), 1);
  EXPECT_GE(j["counts"]["poor_wage_below_floor"].get<int>(), 3);  // a few days' pay
  EXPECT_GE(j["counts"]["worker_without_labour"].get<int>(), 1);
  // A higher floor fires more often; the standard as a count of 1 meets it wherever one
  // registered-poor worker is reported.
  auto strict = Fupin({"workshops", "--db", a, "--region", "990121000000", "--month", "2024-05",
                       "--alerts", "--wage-floor", "3000", "--min-poor-workers", "1", "--json"});
  ASSERT_EQ(strict.exit_code, 0) << strict.err;
  const auto s = nlohmann::json::parse(strict.out);
  EXPECT_GT(s["counts"]["poor_wage_below_floor"].get<int>(),
            j["counts"]["poor_wage_below_floor"].get<int>());
  EXPECT_EQ(s["options"]["poor_wage_floor_fen"], 300000);
  for (const auto& alert : s["alerts"]) {
    if (alert["rule"] == "poor_share_below_standard") {
      EXPECT_EQ(alert["values"]["poor_headcount"], 0) << alert.dump();
    }
  }
  auto text =
      Fupin({"workshops", "--db", a, "--region", "990121000000", "--month", "2024-05", "--alerts"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("idle_few_days"), std::string::npos);
  EXPECT_NE(text.out.find("operated fewer than 10 days"), std::string::npos);
  auto bad = Fupin({"workshops", "--db", a, "--region", "990121000000", "--alerts",
                    "--min-poor-share", "2", "--json"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.out.find("min_poor_share"), std::string::npos) << bad.out;

  // A stored standard for the province from 2024 on: the floor it sets applies to May 2024
  // without any option, and the other thresholds keep the default row's values.
  auto set = Fupin({"workshops", "--db", a, "--set-standard", "990000000000", "--year", "2024",
                    "--wage-floor", "3000", "--note", "test standard"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  EXPECT_NE(set.out.find("990000000000"), std::string::npos) << set.out;
  auto stored = Fupin({"workshops", "--db", a, "--region", "990121000000", "--month", "2024-05",
                       "--alerts", "--json"});
  ASSERT_EQ(stored.exit_code, 0) << stored.err;
  const auto t = nlohmann::json::parse(stored.out);
  EXPECT_EQ(t["options"]["standard"], "990000000000/2024");
  EXPECT_EQ(t["options"]["poor_wage_floor_fen"], 300000);
  EXPECT_EQ(t["options"]["min_poor_share"], 0.3);
  EXPECT_EQ(t["counts"]["poor_wage_below_floor"], s["counts"]["poor_wage_below_floor"]);
  // 2023 still follows the default row.
  auto earlier = Fupin({"workshops", "--db", a, "--region", "990121000000", "--month", "2023-05",
                        "--alerts", "--json"});
  ASSERT_EQ(earlier.exit_code, 0) << earlier.err;
  EXPECT_EQ(nlohmann::json::parse(earlier.out)["options"]["standard"], "national/2016");
  auto listed = Fupin({"workshops", "--db", a, "--standards", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(nlohmann::json::parse(listed.out)["items"].size(), 2u);
  EXPECT_EQ(
      Fupin({"workshops", "--db", a, "--set-standard", "990121000000", "--year", "2024"}).exit_code,
      2);
}

// `fupin goals`: the demo's goals with their progress — some achieved, some behind — each
// naming the day its value stands for and the straight line's position then.
TEST_F(CliTest, GoalsShowsTheDemoBoardWithProgress) {
  const std::string a = "sqlite:" + (dir_ / "demo.db").string();
  ASSERT_EQ(Fupin({"demo", "--db", a, "--no-serve", "--households-per-village", "20"}).exit_code,
            0);
  auto out = Fupin({"goals", "--db", a, "--region", "990121000000", "--json"});
  ASSERT_EQ(out.exit_code, 0) << out.err;
  const auto board = nlohmann::json::parse(out.out);
  ASSERT_GE(board["items"].size(), 4u) << out.out;
  std::set<std::string> statuses;
  for (const auto& g : board["items"]) {
    const auto& p = g["progress"];
    statuses.insert(p["status"].get<std::string>());
    if (p["percent"].is_number()) {
      const double b = g["baseline"], t = g["target"], actual = p["actual"];
      EXPECT_NEAR(p["percent"].get<double>(), (actual - b) / (t - b) * 100, 1e-9) << g.dump();
    }
    EXPECT_FALSE(g["responsible_unit"].get<std::string>().empty());
  }
  EXPECT_TRUE(statuses.contains("achieved")) << out.out;
  EXPECT_TRUE(statuses.contains("off_track") || statuses.contains("at_risk")) << out.out;
  auto text = Fupin({"goals", "--db", a, "--region", "990121000000"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("poverty_incidence"), std::string::npos) << text.out;
  EXPECT_EQ(Fupin({"goals", "--db", a, "--region", "12"}).exit_code, 2);
}

// `fupin subsidy`: the demo's stored rule and run, a new rule from a JSON file (a new combination
// of conditions, evaluated without a rebuild), a second version of it, a run naming that version,
// its review, a payment of exactly the approved amount and a refused one of a fen more, and the
// ledger.
TEST_F(CliTest, SubsidyRulesAreStoredRunReviewedPaidAndLedgered) {
  const std::string a = "sqlite:" + (dir_ / "demo.db").string();
  ASSERT_EQ(Fupin({"demo", "--db", a, "--no-serve", "--households-per-village", "4"}).exit_code, 0);
  auto rules = Fupin({"subsidy", "rules", "--db", a, "--json"});
  ASSERT_EQ(rules.exit_code, 0) << rules.err;
  const auto r = nlohmann::json::parse(rules.out)["items"];
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]["code"], "labour-2020");

  const std::string file = File("ops-days.json", R"({
    "code": "ops-days-2020", "name": "2020 年车间生产天数奖补", "region": "990121000000",
    "valid_from": "2020-01-01", "valid_to": "2020-12-31", "unit": "workshop",
    "conditions": [{"fact": "recognized", "op": "=", "value": 1},
                   {"fact": "days_operated", "op": ">=", "value": 100}],
    "amount_fen": 1000, "amount_fact": "days_operated", "cap_fen": 200000,
    "basis": "CLI test"})");
  auto added = Fupin({"subsidy", "add-rule", file, "--db", a});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_NE(added.out.find("version 1"), std::string::npos) << added.out;
  // The same code again: refused, unless a new version is asked for.
  EXPECT_NE(Fupin({"subsidy", "add-rule", file, "--db", a}).exit_code, 0);
  auto again = Fupin({"subsidy", "add-rule", file, "--db", a, "--new-version", "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(nlohmann::json::parse(again.out)["version"], 2);
  // A rule naming a fact that does not exist: exit 2, the field named.
  const std::string bad = File("bad.json", R"({"code": "bad", "name": "bad",
    "region": "990121000000", "valid_from": "2020-01-01", "valid_to": "2020-12-31",
    "unit": "workshop", "conditions": [{"fact": "days_employed", "op": ">", "value": 1}],
    "amount_fen": 100})");
  auto refused = Fupin({"subsidy", "add-rule", bad, "--db", a});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("conditions[1].fact"), std::string::npos) << refused.err;

  auto ran = Fupin({"subsidy", "run", "--db", a, "--rule", "ops-days-2020", "--region",
                    "990121000000", "--from", "2020-01-01", "--to", "2020-12-31", "--json"});
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  const auto run = nlohmann::json::parse(ran.out);
  EXPECT_EQ(run["rule_version"], 2);
  EXPECT_EQ(run["units"], 62);  // every workshop of the county
  ASSERT_GT(run["eligible"].get<int>(), 0);
  const std::string run_id = std::to_string(run["id"].get<int64_t>());
  for (const auto& l : run["lines"]) {
    EXPECT_LE(l["amount_fen"].get<int64_t>(), 200000) << l.dump();  // the cap
  }

  auto reviewed = Fupin({"subsidy", "review", run_id, "--all", "--db", a, "--json"});
  ASSERT_EQ(reviewed.exit_code, 0) << reviewed.err;
  const auto items = nlohmann::json::parse(reviewed.out)["items"];
  ASSERT_EQ(items.size(), run["eligible"].get<size_t>());
  const auto line = items[0];
  const int64_t approved = line["approved_fen"].get<int64_t>();
  const std::string line_id = std::to_string(line["id"].get<int64_t>());
  const std::string yuan = fmt::format("{}.{:02}", approved / 100, approved % 100);
  const std::string one_fen_more =
      fmt::format("{}.{:02}", (approved + 1) / 100, (approved + 1) % 100);
  auto over = Fupin({"subsidy", "pay", "--db", a, "--line", line_id, "--amount", one_fen_more,
                     "--on", "2021-02-01", "--voucher", "CLI-1", "--payee", "车间"});
  EXPECT_EQ(over.exit_code, 2);
  EXPECT_NE(over.err.find("exceeds what is left to pay"), std::string::npos) << over.err;
  auto paid = Fupin({"subsidy", "pay", "--db", a, "--line", line_id, "--amount", yuan, "--on",
                     "2021-02-01", "--voucher", "CLI-1", "--payee", "车间"});
  ASSERT_EQ(paid.exit_code, 0) << paid.err;

  auto ledger = Fupin({"subsidy", "ledger", "--db", a, "--rule", "ops-days-2020", "--json"});
  ASSERT_EQ(ledger.exit_code, 0) << ledger.err;
  const auto l = nlohmann::json::parse(ledger.out);
  EXPECT_EQ(l["total"], 1);
  EXPECT_EQ(l["total_fen"], approved);
  auto text = Fupin({"subsidy", "show", run_id, "--db", a});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("days_operated >= 100: "), std::string::npos);
}

}  // namespace
}  // namespace fupin

namespace fupin {
namespace {

// The registry from the command line: a list and a household, masked; a status event
// appended (and a bad one refused whole); the household as of a date before it.
TEST_F(CliTest, IndicatorsAreDeclaredEnteredComputedAndRemoved) {
  const std::string db = "sqlite:" + (dir_ / "catalogue.db").string();
  ASSERT_EQ(Fupin({"demo", "--db", db, "--no-serve"}).exit_code, 0);
  auto declared_count = [&] {
    auto listed = Fupin({"catalogue", "list", "--declared", "--db", db, "--json"});
    EXPECT_EQ(listed.exit_code, 0) << listed.err;
    return nlohmann::json::parse(listed.out)["total"].get<int>();
  };
  const int demo_declared = declared_count();  // the demo declares some of its own
  EXPECT_GE(demo_declared, 1);
  const auto file = dir_ / "declarations.json";
  WriteFile(file, R"([
    {"code": "cadres", "zh": "驻村干部数", "en": "Resident cadres", "unit": "person",
     "source": "entered", "definition_zh": "年末驻村干部人数", "definition_en": "At year end"},
    {"code": "households_per_cadre", "zh": "每名干部联系户数", "en": "Households per cadre",
     "unit": "none", "source": "computed",
     "formula": {"numerator": "households", "denominator": "cadres", "factor": 1},
     "definition_zh": "户数 / 驻村干部数", "definition_en": "households / cadres"}])");
  auto declared = Fupin({"catalogue", "declare", file.string(), "--db", db, "--json"});
  ASSERT_EQ(declared.exit_code, 0) << declared.err << declared.out;
  EXPECT_EQ(nlohmann::json::parse(declared.out)["items"][1]["version"], 1);
  // Declaring them again is refused, naming the entry.
  auto again = Fupin({"catalogue", "declare", file.string(), "--db", db});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("[0]"), std::string::npos) << again.err;

  const auto stats = dir_ / "cadres.csv";
  WriteFile(
      stats,
      "行政区划代码,年度,指标代码,数值\n990121001001,2020,cadres,2\n990121001002,2020,cadres,3\n");
  ASSERT_EQ(Fupin({"import", "statistics", stats.string(), "--db", db}).exit_code, 0);
  auto values = Fupin({"indicators", "--region", "990121001000", "--year", "2020", "--codes",
                       "households,cadres,households_per_cadre", "--db", db, "--json"});
  ASSERT_EQ(values.exit_code, 0) << values.err;
  const auto v = nlohmann::json::parse(values.out);
  double households = 0, per = 0, cadres = 0;
  for (const auto& item : v["items"]) {
    if (item["indicator"] == "households") households = item["value"];
    if (item["indicator"] == "cadres") cadres = item["value"];
    if (item["indicator"] == "households_per_cadre") per = item["value"];
  }
  EXPECT_EQ(cadres, 5);
  EXPECT_GT(households, 0);
  EXPECT_DOUBLE_EQ(per, households / 5);

  EXPECT_EQ(declared_count(), demo_declared + 2);
  // In use by the formula: refused; the formula's indicator goes first.
  auto used = Fupin({"catalogue", "remove", "cadres", "--version", "1", "--db", db});
  EXPECT_NE(used.exit_code, 0);
  EXPECT_NE(used.err.find("households_per_cadre"), std::string::npos) << used.err;
  ASSERT_EQ(Fupin({"catalogue", "remove", "households_per_cadre", "--version", "1", "--db", db})
                .exit_code,
            0);
  EXPECT_EQ(declared_count(), demo_declared + 1);
}

TEST_F(CliTest, HouseholdsAreListedShownAndGivenAStatusEvent) {
  const std::string db = "sqlite:" + (dir_ / "households.db").string();
  ASSERT_EQ(Fupin({"demo", "--db", db, "--no-serve"}).exit_code, 0);
  auto listed = Fupin({"household", "list", "--db", db, "--region", "990121001001", "--status",
                       "已脱贫", "--page-size", "5", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const auto page = nlohmann::json::parse(listed.out);
  ASSERT_FALSE(page["items"].empty());
  EXPECT_GT(page["total"].get<int>(), 0);
  const auto& first = page["items"][0];
  EXPECT_EQ(first["status"], "lifted");
  // The head's ID number is masked.
  const std::string head_id = first["head_id_number"];
  EXPECT_NE(head_id.find('*'), std::string::npos) << head_id;
  const std::string number = first["number"];

  auto shown = Fupin({"household", "show", number, "--db", db, "--json"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  const auto h = nlohmann::json::parse(shown.out);
  ASSERT_FALSE(h["members"].empty());
  EXPECT_NE(h["members"][0]["id_number"].get<std::string>().find('*'), std::string::npos);
  const size_t events = h["events"].size();
  ASSERT_GT(events, 0u);
  // The demo's histories end by 2024: the event below is the latest.
  ASSERT_LT(h["events"][events - 1]["on"].get<std::string>(), "2025-03-01");

  // A status event: appended, and the household's status follows it.
  auto recorded = Fupin({"household", "status", number, "--db", db, "--status", "monitored", "--on",
                         "2025-03-01", "--note", "CLI 测试"});
  ASSERT_EQ(recorded.exit_code, 0) << recorded.err << recorded.out;
  auto after = Fupin({"household", "show", number, "--db", db, "--json"});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  const auto a = nlohmann::json::parse(after.out);
  EXPECT_EQ(a["status"], "monitored");
  EXPECT_EQ(a["events"].size(), events + 1);
  // As of the day before, it was still lifted out.
  auto before = Fupin({"household", "show", number, "--db", db, "--as-of", "2025-02-28", "--json"});
  ASSERT_EQ(before.exit_code, 0) << before.err;
  EXPECT_EQ(nlohmann::json::parse(before.out)["status"], "lifted");
  // Lists as of a day filter by the status then.
  auto listed_on = [&](const char* day) {
    auto r = Fupin({"household", "list", "--db", db, "--region", "990121001001", "--status",
                    "monitored", "--as-of", day, "--page-size", "500", "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::set<std::string> numbers;
    const auto page = nlohmann::json::parse(r.out);
    for (const auto& item : page["items"]) {
      numbers.insert(item["number"].get<std::string>());
      EXPECT_EQ(item["status_on"], "monitored");
    }
    return numbers.contains(number);
  };
  EXPECT_FALSE(listed_on("2025-02-28"));
  EXPECT_TRUE(listed_on("2025-03-01"));
  // A bad event: every problem named, nothing written.
  auto bad = Fupin({"household", "status", number, "--db", db, "--status", "rich", "--on",
                    "2025-13-01", "--json"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.out.find("--status"), std::string::npos) << bad.out << bad.err;
  EXPECT_NE(bad.out.find("--on"), std::string::npos) << bad.out << bad.err;
  EXPECT_EQ(Fupin({"household", "show", "NO-SUCH", "--db", db}).exit_code, 2);
  auto unchanged = Fupin({"household", "show", number, "--db", db, "--json"});
  EXPECT_EQ(nlohmann::json::parse(unchanged.out)["events"].size(), events + 1);
}

// A valid ID number (GB 11643) from its first 17 characters.
std::string Id(const std::string& first17) {
  return first17 + registry::IdNumberCheckCharacter(first17);
}

TEST_F(CliTest, HouseholdsAreRegisteredEditedAndTheirMembershipChanges) {
  ASSERT_EQ(Fupin({"import", "regions", File("regions.csv", kGoodCsv), "--db", Db()}).exit_code, 0);
  const std::string head = Id("62062319550101987"), spouse = Id("62062319580303986");
  const std::string created = File("household.json", fmt::format(R"({{
    "number": "CLI-0001", "region": "620623100201", "attribute": "一般贫困户",
    "main_cause": "因病", "year_identified": 2019,
    "members": [
      {{"name": "卓玛", "id_number": "{}", "relation": "户主", "health": "患有大病"}},
      {{"name": "才让", "id_number": "{}", "relation": "配偶"}}],
    "events": [{{"status": "identified", "on": "2019-03-01"}}]
  }})",
                                                                 head, spouse));
  auto made = Fupin({"household", "create", created, "--db", Db(), "--json"});
  ASSERT_EQ(made.exit_code, 0) << made.err << made.out;
  auto h = nlohmann::json::parse(made.out);
  ASSERT_EQ(h["members"].size(), 2u);
  // Birth date and sex follow from the ID number; the ID is masked in the answer.
  EXPECT_EQ(h["members"][0]["birth_date"], "1955-01-01");
  EXPECT_NE(h["members"][0]["id_number"].get<std::string>().find('*'), std::string::npos);
  const int64_t spouse_id = h["members"][1]["id"];
  // The same household again: the number is taken.
  EXPECT_NE(Fupin({"household", "create", created, "--db", Db()}).exit_code, 0);

  // Field edits: the file's fields are set, the rest stay.
  auto edited = Fupin({"household", "edit", "CLI-0001",
                       File("edit.json", fmt::format(R"({{"main_cause": "缺技术", "members": [
                 {{"id": {}, "education": "初中", "labour": "普通劳动力"}}]}})",
                                                     spouse_id)),
                       "--db", Db(), "--note", "入户核实", "--json"});
  ASSERT_EQ(edited.exit_code, 0) << edited.err << edited.out;
  h = nlohmann::json::parse(edited.out);
  EXPECT_EQ(h["main_cause"], "lack_skills");
  EXPECT_EQ(h["attribute"], "general");
  EXPECT_EQ(h["members"][1]["education"], "junior");
  EXPECT_EQ(h["version"], 2);
  // Refused edits name the field and write nothing: an ID number changes only by an event,
  // and an edit of an older version is a conflict.
  auto by_edit = Fupin({"household", "edit", "CLI-0001",
                        File("bad.json", fmt::format(R"({{"members": [
                            {{"id": {}, "id_number": "{}"}}]}})",
                                                     spouse_id, Id("62062319580303985"))),
                        "--db", Db(), "--json"});
  EXPECT_EQ(by_edit.exit_code, 2);
  EXPECT_NE(by_edit.out.find("members[1].id_number"), std::string::npos) << by_edit.out;
  auto stale =
      Fupin({"household", "edit", "CLI-0001",
             File("stale.json", R"({"version": 1, "phone": "13800001111"})"), "--db", Db()});
  EXPECT_NE(stale.exit_code, 0);

  // Membership events: a birth from a file, a death from options.
  const std::string baby = Id("62062320240501983");
  auto born = Fupin({"household", "member-event", "CLI-0001",
                     File("birth.json", fmt::format(R"({{"kind": "出生", "on": "2024-05-01",
               "person": {{"name": "小卓玛", "id_number": "{}", "relation": "子女"}}}})",
                                                    baby)),
                     "--db", Db()});
  ASSERT_EQ(born.exit_code, 0) << born.err << born.out;
  EXPECT_NE(born.out.find("2024-05-01"), std::string::npos) << born.out;
  // A death needs a date: refused by field.
  auto undated = Fupin({"household", "member-event", "CLI-0001", "--kind", "death", "--member-id",
                        std::to_string(spouse_id), "--db", Db(), "--json"});
  EXPECT_EQ(undated.exit_code, 2);
  EXPECT_NE(undated.out.find("\"on\""), std::string::npos) << undated.out;
  // The member may be named by ID number or name instead of the row id; one nobody has is
  // refused, naming the option and the value, and nothing is recorded.
  auto nobody = Fupin({"household", "member-event", "CLI-0001", "--kind", "death", "--on",
                       "2025-01-02", "--member", "无此人", "--db", Db(), "--json"});
  EXPECT_EQ(nobody.exit_code, 2) << nobody.err << nobody.out;
  EXPECT_NE(nobody.out.find("--member"), std::string::npos) << nobody.out;
  EXPECT_NE(nobody.out.find("无此人"), std::string::npos) << nobody.out;
  // An ID number nobody in the household has is not echoed unmasked.
  const std::string stranger = Id("62062319900101123");
  auto unknown = Fupin({"household", "member-event", "CLI-0001", "--kind", "death", "--on",
                        "2025-01-02", "--member", stranger, "--db", Db(), "--json"});
  EXPECT_EQ(unknown.exit_code, 2) << unknown.err << unknown.out;
  EXPECT_NE(unknown.out.find("--member"), std::string::npos) << unknown.out;
  EXPECT_EQ(unknown.out.find(stranger), std::string::npos) << unknown.out;
  EXPECT_EQ(unknown.err.find(stranger), std::string::npos) << unknown.err;
  auto both =
      Fupin({"household", "member-event", "CLI-0001", "--kind", "death", "--on", "2025-01-02",
             "--member", "小卓玛", "--member-id", std::to_string(spouse_id), "--db", Db()});
  EXPECT_NE(both.exit_code, 0);
  // By name: 才让 is found (the request then fails on its missing date, not on the member).
  auto by_name = Fupin({"household", "member-event", "CLI-0001", "--kind", "death", "--member",
                        "才让", "--db", Db(), "--json"});
  EXPECT_EQ(by_name.exit_code, 2);
  EXPECT_NE(by_name.out.find("\"on\""), std::string::npos) << by_name.out;
  EXPECT_EQ(by_name.out.find("--member"), std::string::npos) << by_name.out;
  // By ID number.
  auto died = Fupin({"household", "member-event", "CLI-0001", "--kind", "death", "--on",
                     "2025-01-02", "--member", spouse, "--db", Db(), "--json"});
  ASSERT_EQ(died.exit_code, 0) << died.err << died.out;
  h = nlohmann::json::parse(died.out);
  ASSERT_EQ(h["member_events"].size(), 2u);
  EXPECT_EQ(h["member_events"][1]["kind"], "death");
  EXPECT_EQ(h["member_events"][1]["member_id"], spouse_id);
  // Membership as of a date follows the events.
  auto members_on = [&](const char* day) {
    auto r = Fupin({"household", "show", "CLI-0001", "--as-of", day, "--db", Db(), "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out)["members"].size();
  };
  EXPECT_EQ(members_on("2024-04-30"), 2u);
  EXPECT_EQ(members_on("2024-12-31"), 3u);
  EXPECT_EQ(members_on("2025-01-02"), 2u);
}

// The demo's evaluation from the command line: listed, shown, reproduced bit for bit, compared
// with itself (nothing changed).
TEST_F(CliTest, EvaluationRunsAreListedShownReproducedAndCompared) {
  const std::string db = "sqlite:" + (dir_ / "evaluation.db").string();
  auto demo = Fupin({"demo", "--db", db, "--no-serve"});
  ASSERT_EQ(demo.exit_code, 0) << demo.err;
  auto systems = Fupin({"evaluation", "systems", "--db", db, "--json"});
  ASSERT_EQ(systems.exit_code, 0) << systems.err;
  const auto s = nlohmann::json::parse(systems.out);
  // The workshop project's system and the townships' (with DEA).
  ASSERT_EQ(s["items"].size(), 2u);
  std::set<std::string> templates;
  for (const auto& item : s["items"]) {
    templates.insert(item["template"].get<std::string>());
    EXPECT_EQ(item["latest_version"], 1);
  }
  EXPECT_EQ(templates, (std::set<std::string>{"workshop_bsc", "county_targeted"}));
  auto runs = Fupin({"evaluation", "runs", "--db", db, "--json"});
  ASSERT_EQ(runs.exit_code, 0) << runs.err;
  const auto r = nlohmann::json::parse(runs.out);
  ASSERT_EQ(r["items"].size(), 2u);
  nlohmann::json project, townships;
  for (const auto& item : r["items"]) {
    EXPECT_EQ(item["status"], "published");
    (item["objects"].size() == 1 ? project : townships) = item;
  }
  ASSERT_FALSE(project.is_null());
  ASSERT_EQ(townships["objects"].size(), 15u);
  EXPECT_TRUE(townships["objects"][0].contains("efficiency"));
  const std::string id = std::to_string(project["id"].get<int64_t>());
  // The banner's score is the run's.
  const double score = project["objects"][0]["score"];
  EXPECT_NE(demo.out.find(fmt::format("the workshop project: {:.2f}", score)), std::string::npos)
      << demo.out;
  auto shown = Fupin({"evaluation", "run", id, "--db", db}, {{"LANG", "zh_CN.UTF-8"}});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_NE(shown.out.find("利益相关者"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("评价发现"), std::string::npos) << shown.out;
  auto reproduced = Fupin({"evaluation", "reproduce", id, "--db", db, "--json"});
  EXPECT_EQ(reproduced.exit_code, 0) << reproduced.out << reproduced.err;
  EXPECT_TRUE(nlohmann::json::parse(reproduced.out)["reproduced"].get<bool>());
  auto compared = Fupin({"evaluation", "compare", id, id, "--db", db, "--json"});
  ASSERT_EQ(compared.exit_code, 0) << compared.err;
  const auto diff = nlohmann::json::parse(compared.out);
  EXPECT_TRUE(diff["inputs"].empty());
  EXPECT_TRUE(diff["settings"].empty());
  EXPECT_EQ(diff["objects"].size(), 1u);
  EXPECT_EQ(Fupin({"evaluation", "run", "999", "--db", db}).exit_code, 2);
  // The demo's rectification: four tasks of the run, one past its deadline.
  auto tasks = Fupin({"evaluation", "rectifications", "--run", id, "--db", db, "--json"});
  ASSERT_EQ(tasks.exit_code, 0) << tasks.err;
  EXPECT_EQ(nlohmann::json::parse(tasks.out)["items"].size(), 4u);
  auto overdue = Fupin({"evaluation", "rectifications", "--overdue", "--db", db, "--json"});
  ASSERT_EQ(overdue.exit_code, 0) << overdue.err;
  const auto late = nlohmann::json::parse(overdue.out)["items"];
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0]["status"], "assigned");
  EXPECT_EQ(Fupin({"evaluation", "rectifications", "--status", "done", "--db", db}).exit_code, 2);

  // The townships' run shows its DEA; both runs' reports are written, in both languages.
  const std::string towns = std::to_string(townships["id"].get<int64_t>());
  auto dea = Fupin({"evaluation", "run", towns, "--db", db}, {{"LANG", "zh_CN.UTF-8"}});
  ASSERT_EQ(dea.exit_code, 0) << dea.err;
  EXPECT_NE(dea.out.find("资金使用效率（DEA）"), std::string::npos) << dea.out;
  EXPECT_NE(dea.out.find("efficient"), std::string::npos) << dea.out;
  auto html = Fupin({"evaluation", "report", id, "--db", db});
  ASSERT_EQ(html.exit_code, 0) << html.err;
  EXPECT_NE(html.out.find("<!DOCTYPE html>"), std::string::npos);
  EXPECT_NE(html.out.find("2020 年度扶贫车间项目绩效评价"), std::string::npos);
  EXPECT_NE(html.out.find("整改情况"), std::string::npos);
  const auto out = (dir_ / "report.xlsx").string();
  auto xlsx = Fupin({"evaluation", "report", towns, "--db", db, "--format", "xlsx", "--lang", "en",
                     "--out", out});
  ASSERT_EQ(xlsx.exit_code, 0) << xlsx.err;
  EXPECT_EQ(test_support::ReadFile(dir_ / "report.xlsx").substr(0, 2), "PK");
  EXPECT_EQ(Fupin({"evaluation", "report", towns, "--db", db, "--format", "xlsx"}).exit_code, 2);
}

TEST_F(CliTest, SurveyResponsesAreImportedFromAKoboExportAndChecked) {
  const std::string db = "sqlite:" + (dir_ / "survey.db").string();
  ASSERT_EQ(Fupin({"demo", "--db", db, "--no-serve"}).exit_code, 0);
  auto listed = Fupin({"survey", "list", "--db", db, "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const auto items = nlohmann::json::parse(listed.out)["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["responses"], 412);
  const std::string id = std::to_string(items[0]["id"].get<int64_t>());

  // The demo's government staff fall short of their target.
  auto quality = Fupin({"survey", "quality", id, "--db", db, "--json"});
  ASSERT_EQ(quality.exit_code, 0) << quality.err;
  const auto qj = nlohmann::json::parse(quality.out);
  EXPECT_EQ(qj["responses"], 412);
  EXPECT_EQ(qj["warnings"][0]["code"], "target");
  ASSERT_EQ(qj["dimensions"].size(), 3u);
  EXPECT_GT(qj["dimensions"][2]["alpha"].get<double>(), 0.7);

  // A KoboToolbox export (names as headers, the group path, _uuid and UTC _submission_time):
  // two farmers; the second row's f2 is not a level, so nothing is written.
  const std::string header =
      "start,end,today,grp/f1,grp/f2,grp/f3,grp/f4,grp/f5,_id,_uuid,_submission_time,"
      "_validation_status,_notes,_status,_submitted_by,__version__,_tags,_index\n";
  const std::string first =
      "2021-01-08T09:00:00.000+08:00,2021-01-08T09:05:00.000+08:00,2021-01-08,5,4,3,4,3,"
      "101,6b1c2f4e-0d1e-4f6a-9b8c-1a2b3c4d5e6f,2021-01-08T01:05:10,,,submitted_via_web,,"
      "vAbc,,1\n";
  WriteFile(dir_ / "kobo-bad.csv",
            header + first +
                "2021-01-08T10:00:00.000+08:00,2021-01-08T10:05:00.000+08:00,2021-01-08,4,9,3,3,"
                "3,102,7c2d3e5f-1e2f-4a7b-8c9d-2b3c4d5e6f70,2021-01-08T02:05:10,,,"
                "submitted_via_web,,vAbc,,2\n");
  auto bad = Fupin({"survey", "import", id, (dir_ / "kobo-bad.csv").string(), "--db", db,
                    "--region", "990121001001", "--group", "farmer", "--json"});
  EXPECT_EQ(bad.exit_code, 2) << bad.out << bad.err;
  const auto problems = nlohmann::json::parse(bad.out)["error"]["details"];
  ASSERT_EQ(problems.size(), 1u) << bad.out;
  EXPECT_EQ(problems[0]["row"], 3);
  EXPECT_EQ(problems[0]["column"], "grp/f2");
  EXPECT_EQ(problems[0]["value"], "9");

  WriteFile(dir_ / "kobo.csv", header + first);
  auto shown = Fupin({"survey", "import", id, (dir_ / "kobo.csv").string(), "--db", db, "--region",
                      "990121001001", "--group", "farmer", "--show-mapping", "--json"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  const auto mapping = nlohmann::json::parse(shown.out);
  EXPECT_EQ(mapping["tool"], "kobo");
  EXPECT_EQ(mapping["mapping"]["questions"]["f1"], "grp/f1");
  EXPECT_EQ(mapping["mapping"]["id_column"], "_uuid");
  auto imported = Fupin({"survey", "import", id, (dir_ / "kobo.csv").string(), "--db", db,
                         "--region", "990121001001", "--group", "farmer", "--json"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err << imported.out;
  EXPECT_EQ(nlohmann::json::parse(imported.out)["inserted"], 1);
  auto twice = Fupin({"survey", "import", id, (dir_ / "kobo.csv").string(), "--db", db, "--region",
                      "990121001001", "--group", "farmer", "--json"});
  ASSERT_EQ(twice.exit_code, 0) << twice.err;
  EXPECT_EQ(nlohmann::json::parse(twice.out)["updated"], 1);
  auto after = Fupin({"survey", "list", "--db", db, "--json"});
  EXPECT_EQ(nlohmann::json::parse(after.out)["items"][0]["responses"], 413);
  auto text = Fupin({"survey", "quality", id, "--db", db}, {{"LANG", "zh_CN.UTF-8"}});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("周边农户评价"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("目标 40 份"), std::string::npos) << text.out;
}

}  // namespace
}  // namespace fupin
