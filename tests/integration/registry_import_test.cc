// Registry imports (registry/importer.h) against the real stores of each backend: the files a
// county office has, all-or-nothing checking, merging and idempotent re-import.
#include <fmt/format.h>

#include <chrono>
#include <fstream>

#include "audit/audit_repository.h"
#include "base/chinese.h"
#include "contract_fixture.h"
#include "registry/id_number.h"
#include "registry/importer.h"
#include "storage/testing.h"
#include "tabular/writer.h"

namespace fupin::storage {
namespace {

using registry::ImportKind;
using registry::ImportOptions;
using registry::ImportReport;

// A valid ID number issued in 天祝 (620623) with this birth date and sequence.
std::string Id(std::string_view birth, std::string_view sequence) {
  const std::string first17 = "620623" + std::string(birth) + std::string(sequence);
  return first17 + registry::IdNumberCheckCharacter(first17);
}

class ImportTest : public ContractTest {
 protected:
  void SetUp() override {
    ContractTest::SetUp();
    if (HasFatalFailure()) return;
    SeedSmallTree();
    files_ = std::filesystem::temp_directory_path() /
             ("fupin-import-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(files_);
  }
  void TearDown() override {
    std::filesystem::remove_all(files_);
    ContractTest::TearDown();
  }

  std::string Write(const std::string& name, const std::string& content) {
    const auto path = files_ / name;
    std::ofstream(path, std::ios::binary) << content;
    return path.string();
  }

  Result<ImportReport> Import(ImportKind kind, const std::string& path,
                              ImportOptions options = {}) {
    auto reader = tabular::TableReader::Open(path);
    if (!reader) return std::unexpected(reader.error());
    registry::RegistryImporter importer(db_->Registry(), db_->Regions(), clock_);
    if (options.source.empty()) options.source = "file " + path;
    return importer.Import(kind, **reader, options, kActor);
  }

  std::optional<registry::HouseholdRecord> Household(const std::string& number) {
    const std::string numbers[] = {number};
    auto found = db_->Registry().FindHouseholdsByNumber(numbers);
    EXPECT_TRUE(found.has_value());
    if (!found || found->empty()) return std::nullopt;
    return found->front();
  }

  int64_t HouseholdCount() {
    registry::HouseholdQuery q;
    q.scope = {""};
    q.limit = 0;
    return db_->Registry().ListHouseholds(q).value().total;
  }

  // Two households of 华藏寺村: the first with three people, the second with one.
  std::string MembersCsv(std::string_view phone = "13800138000") {
    return "户编号,行政区划代码,户属性,主要致贫原因,识别年度,脱贫年度,联系电话,姓名,身份证号,"
           "与户主关系,健康状况,劳动能力\n"
           "6206231002010001,620623100201,一般贫困户,因病,2014,2018," +
           std::string(phone) + ",张大山," + Id("19620304", "031") +
           ",户主,长期慢性病,普通劳动力\n"
           "6206231002010001,620623100201,一般贫困户,因病,2014,2018," +
           std::string(phone) + ",李秀英," + Id("19650811", "042") +
           ",配偶,健康,普通劳动力\n"
           "6206231002010001,620623100201,一般贫困户,因病,2014,2018," +
           std::string(phone) + ",张小明," + Id("20080102", "013") +
           ",之子,健康,无劳动力\n"
           "6206231002010002,620623100201,低保贫困户,因残,2015,,,王桂兰," +
           Id("19480915", "024") + ",户主,残疾,丧失劳动力\n";
  }

  ManualClock clock_{std::chrono::sys_days{std::chrono::year{2024} / 6 / 1}};
  std::filesystem::path files_;
};

TEST_F(ImportTest, MembersFileCreatesHouseholdsWithMembersAndHistory) {
  auto report = Import(ImportKind::kMembers, Write("members.csv", MembersCsv()));
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_EQ(report->rows, 4);
  EXPECT_EQ(report->households, 2);
  EXPECT_EQ(report->members, 4);
  EXPECT_EQ(report->counts.inserted, 2);
  EXPECT_TRUE(report->warnings.empty());

  auto h = Household("6206231002010001");
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->household.region_code, "620623100201");
  EXPECT_EQ(h->household.attribute, "general");
  EXPECT_EQ(h->household.main_cause, "illness");
  EXPECT_EQ(h->household.phone, "13800138000");
  ASSERT_EQ(h->members.size(), 3u);
  EXPECT_EQ(h->members[0].relation, "head");
  EXPECT_EQ(h->members[2].relation, "child");  // 之子
  EXPECT_EQ(h->members[1].sex, "female");      // from the ID number
  EXPECT_EQ(h->members[2].birth_date, (Date{2008, 1, 2}));
  EXPECT_EQ(h->members[0].health, "chronic");
  ASSERT_EQ(h->events.size(), 2u);
  EXPECT_EQ(h->events[0].status, "identified");
  EXPECT_EQ(h->events[0].on, (Date{2014, 1, 1}));
  EXPECT_EQ(h->events[1].status, "lifted");
  EXPECT_EQ(h->events[1].year, 2018);
  EXPECT_EQ(h->household.status, "lifted");
  EXPECT_EQ(h->household.lifted_year, 2018);

  auto other = Household("6206231002010002");
  ASSERT_TRUE(other.has_value());
  EXPECT_EQ(other->household.status, "identified");
  EXPECT_EQ(other->household.attribute, "dibao");
}

TEST_F(ImportTest, ReimportingTheSameFileChangesNothingAndAChangeKeepsMemberIds) {
  const std::string path = Write("members.csv", MembersCsv());
  ASSERT_TRUE(Import(ImportKind::kMembers, path).has_value());
  const auto before = Household("6206231002010001").value();

  auto again = Import(ImportKind::kMembers, path);
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_EQ(again->counts.inserted, 0);
  EXPECT_EQ(again->counts.updated, 0);
  EXPECT_EQ(again->counts.unchanged, 2);
  EXPECT_EQ(HouseholdCount(), 2);

  auto changed = Import(ImportKind::kMembers, Write("changed.csv", MembersCsv("13900139000")));
  ASSERT_TRUE(changed.has_value()) << changed.error().message;
  EXPECT_EQ(changed->counts.updated, 1);
  EXPECT_EQ(changed->counts.unchanged, 1);
  const auto after = Household("6206231002010001").value();
  EXPECT_EQ(after.household.phone, "13900139000");
  ASSERT_EQ(after.members.size(), before.members.size());
  for (size_t i = 0; i < before.members.size(); ++i) {
    EXPECT_EQ(after.members[i].id, before.members[i].id) << "member ids survive a re-import";
  }
  EXPECT_EQ(after.events.size(), 2u) << "status history is not duplicated";

  // Each write is one audit entry naming the file.
  audit::Query q;
  q.scope = {""};
  q.entity = "household";
  auto entries = db_->Audit().List(q);
  ASSERT_TRUE(entries.has_value());
  int imports = 0;
  for (const auto& e : entries->items) {
    if (e.action == "import") {
      ++imports;
      EXPECT_NE(e.note.find("members import of file"), std::string::npos) << e.note;
    }
  }
  EXPECT_EQ(imports, 3);
}

TEST_F(ImportTest, ABadFileWritesNothingAndNamesEveryProblem) {
  ASSERT_TRUE(Import(ImportKind::kMembers, Write("good.csv", MembersCsv())).has_value());
  const std::string csv =
      "户编号,行政区划代码,姓名,身份证号,与户主关系,户属性,主要致贫原因,识别年度,脱贫年度\n"
      "6206231002010009,620623100201,甲," +
      Id("19700101", "011") +
      ",户主,一般贫困户,因病,2014,\n"
      "6206231002010009,620623100202,乙,6.20623197001E+17,配偶,一般贫困户,因病,2014,\n"
      "6206231002010010,620623100201,丙," +
      Id("19620304", "031") +  // already in household …0001
      ",户主,特别户,因懒,2016,2015\n"
      "6206231002010011,620623999999,丁,620623197001010111,户主,,,2014,\n"
      "6206231002010012,620623100201,戊," +
      Id("19800101", "011") + ",舅舅,,,,\n";
  auto report = Import(ImportKind::kMembers, Write("bad.csv", csv));
  ASSERT_FALSE(report.has_value());
  const Error& e = report.error();
  EXPECT_EQ(e.code, ErrorCode::kInvalidArgument);
  EXPECT_NE(e.message.find("nothing was written"), std::string::npos);
  auto has = [&](int64_t row, std::string_view column, std::string_view reason_part) {
    return std::any_of(e.details.begin(), e.details.end(), [&](const ErrorDetail& d) {
      return d.row == row && d.column == column && d.reason.find(reason_part) != std::string::npos;
    });
  };
  EXPECT_TRUE(has(3, "行政区划代码", "differs from row 2"));
  EXPECT_TRUE(has(3, "身份证号", "stored by Excel as a number"));
  EXPECT_TRUE(has(4, "身份证号", "registered in household 6206231002010001"));
  EXPECT_TRUE(has(4, "户属性", "is not one of"));
  EXPECT_TRUE(has(4, "主要致贫原因", "is not one of"));
  EXPECT_TRUE(has(4, "脱贫年度", "before the year identified"));
  EXPECT_TRUE(has(5, "行政区划代码", "is not a known region"));
  EXPECT_TRUE(has(5, "身份证号", "check character"));
  EXPECT_TRUE(has(6, "与户主关系", "is not one of"));
  // The Excel-damaged ID number is reported once, not again by the ID check.
  EXPECT_EQ(
      std::count_if(e.details.begin(), e.details.end(),
                    [](const ErrorDetail& d) { return d.row == 3 && d.column == "身份证号"; }),
      1);
  for (const ErrorDetail& d : e.details) EXPECT_GT(d.row, 0) << d.reason;
  // Village workers read the problems in Chinese: every reason and the message translate.
  for (const ErrorDetail& d : e.details) EXPECT_NE(ToChinese(d.reason), "") << d.reason;
  EXPECT_NE(ToChinese(e.message), "") << e.message;
  EXPECT_EQ(HouseholdCount(), 2);
}

// A valid ID number whose check character is X.
std::string IdEndingInX(std::string_view birth) {
  for (int sequence = 10; sequence < 1000; ++sequence) {
    std::string id = Id(birth, fmt::format("{:03}", sequence));
    if (id.back() == 'X') return id;
  }
  return "";
}

TEST_F(ImportTest, RowsOfAHouseholdMayLieApartAndAnXIsUpperCased) {
  std::string spouse = IdEndingInX("19650811");
  ASSERT_FALSE(spouse.empty());
  const std::string spouse_as_typed = spouse.substr(0, 17) + "x";
  const std::string csv =
      "户编号,行政区划代码,姓名,身份证号,与户主关系\n"
      "6206231002010001,620623100201,张大山," +
      Id("19620304", "031") +
      ",户主\n"
      "6206231002010002,620623100201,王桂兰," +
      Id("19480915", "024") +
      ",户主\n"
      "6206231002010001,620623100201,李秀英," +
      spouse_as_typed + ",配偶\n";
  auto report = Import(ImportKind::kMembers, Write("apart.csv", csv));
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_EQ(report->households, 2);
  EXPECT_EQ(report->counts.inserted, 2);
  auto h = Household("6206231002010001");
  ASSERT_TRUE(h.has_value());
  ASSERT_EQ(h->members.size(), 2u);
  EXPECT_EQ(h->members[0].name, "张大山");
  EXPECT_EQ(h->members[1].name, "李秀英");
  EXPECT_EQ(h->members[1].id_number, spouse);
  EXPECT_EQ(h->members[1].sex, (spouse[16] - '0') % 2 == 1 ? "male" : "female");
  // Idempotent, whichever way the X was typed.
  auto again = Import(ImportKind::kMembers, Write("apart2.csv", csv));
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_EQ(again->counts.unchanged, 2);
}

TEST_F(ImportTest, TheSamePersonTwiceInTheFileIsNamedWhateverTheCaseOfX) {
  const std::string person = IdEndingInX("19700101");
  ASSERT_FALSE(person.empty());
  const std::string csv =
      "户编号,行政区划代码,姓名,身份证号,与户主关系,户属性\n"
      "6206231002010021,620623100201,甲," +
      person +
      ",户主,一般贫困户\n"
      "6206231002010022,620623100201,乙," +
      person.substr(0, 17) + "x,户主,特别户\n";
  auto report = Import(ImportKind::kMembers, Write("twice.csv", csv));
  ASSERT_FALSE(report.has_value());
  const auto& details = report.error().details;
  ASSERT_EQ(details.size(), 2u);
  for (const ErrorDetail& d : details) EXPECT_EQ(d.row, 3);
  EXPECT_EQ(details[0].column, "户属性");  // the household's columns are read first
  EXPECT_EQ(details[1].column, "身份证号");
  EXPECT_NE(details[1].reason.find("also on row 2"), std::string::npos) << details[1].reason;
  EXPECT_EQ(HouseholdCount(), 0);
}

TEST_F(ImportTest, DryRunChecksAgainstTheRegistryAndWritesNothing) {
  ImportOptions options;
  options.dry_run = true;
  auto report = Import(ImportKind::kMembers, Write("members.csv", MembersCsv()), options);
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_TRUE(report->dry_run);
  EXPECT_EQ(report->counts.inserted, 2);
  EXPECT_EQ(HouseholdCount(), 0);
}

TEST_F(ImportTest, MembersTheFileDoesNotListAreKeptAndAbsentColumnsKeepTheirValues) {
  ASSERT_TRUE(Import(ImportKind::kMembers, Write("members.csv", MembersCsv())).has_value());
  // Only the head, with fewer columns: the phone column is absent, so the phone stays.
  const std::string csv =
      "户编号,行政区划代码,姓名,身份证号,与户主关系,健康状况\n"
      "6206231002010001,620623100201,张大山," +
      Id("19620304", "031") + ",户主,患有大病\n";
  auto report = Import(ImportKind::kMembers, Write("head.csv", csv));
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_EQ(report->counts.updated, 1);
  auto h = Household("6206231002010001").value();
  EXPECT_EQ(h.members.size(), 3u);
  EXPECT_EQ(h.members[0].health, "serious");
  EXPECT_EQ(h.members[1].health, "healthy");
  EXPECT_EQ(h.household.phone, "13800138000");
  EXPECT_EQ(h.household.attribute, "general");
}

TEST_F(ImportTest, OutsideTheWriteScopeNothingIsWritten) {
  ImportOptions options;
  options.write_scope = {"620623101000"};  // 打柴沟镇 only
  auto report = Import(ImportKind::kMembers, Write("members.csv", MembersCsv()), options);
  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(report.error().details.size(), 2u);
  EXPECT_NE(report.error().details[0].reason.find("outside the regions you may write to"),
            std::string::npos);
  EXPECT_EQ(HouseholdCount(), 0);
}

TEST_F(ImportTest, CancellingWritesNothing) {
  ImportOptions options;
  std::vector<std::string> phases;
  options.progress = [&](std::string_view phase, int64_t) {
    phases.emplace_back(phase);
    return phase != "write";
  };
  auto report = Import(ImportKind::kMembers, Write("members.csv", MembersCsv()), options);
  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(report.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(report.error().message.find("cancelled"), std::string::npos);
  EXPECT_EQ(phases, (std::vector<std::string>{"check", "write"}));
  EXPECT_EQ(HouseholdCount(), 0);
}

TEST_F(ImportTest, AContradictoryLiftedYearIsRefused) {
  ASSERT_TRUE(Import(ImportKind::kMembers, Write("members.csv", MembersCsv())).has_value());
  std::string csv = MembersCsv();
  for (size_t at; (at = csv.find(",2018,")) != std::string::npos;) csv.replace(at, 6, ",2019,");
  auto report = Import(ImportKind::kMembers, Write("2019.csv", csv));
  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(report.error().details.at(0).row, 2);
  EXPECT_EQ(report.error().details.at(0).column, "脱贫年度");
  EXPECT_NE(report.error().details.at(0).reason.find("records lifting out in 2018"),
            std::string::npos);
}

TEST_F(ImportTest, IncomesAreCheckedAgainstTheirTotalsAndReplaceTheirYear) {
  ASSERT_TRUE(Import(ImportKind::kMembers, Write("members.csv", MembersCsv())).has_value());
  // Three members on 31 December 2020: 18000 / 3 = 6000.
  const std::string good =
      "户编号,年度,工资性收入,生产经营性收入,财产性收入,转移性收入,生产经营性支出,纯收入,"
      "人均纯收入\n"
      "6206231002010001,2020,12000,5000,500,2500,2000,18000,6000\n"
      "6206231002010001,2021,13000,5000,500,2500,2000,19000,6333.33\n"
      "6206231002010002,2020,0,0,0,4800,0,,\n";
  auto report = Import(ImportKind::kIncomes, Write("incomes.csv", good));
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_EQ(report->incomes, 3);
  EXPECT_EQ(report->counts.updated, 2);
  auto h = Household("6206231002010001").value();
  ASSERT_EQ(h.incomes.size(), 2u);
  EXPECT_EQ(h.incomes[0].year, 2020);
  EXPECT_DOUBLE_EQ(h.incomes[0].Net(), 18000);
  EXPECT_EQ(h.members.size(), 3u) << "an incomes import keeps the members";

  // A correction replaces the year; --year fills a file without a year column.
  ImportOptions options;
  options.year = 2020;
  auto fixed = Import(ImportKind::kIncomes,
                      Write("fix.csv",
                            "户编号,工资性收入,转移性收入\n"
                            "6206231002010002,1000,5000\n"),
                      options);
  ASSERT_TRUE(fixed.has_value()) << fixed.error().message;
  auto h2 = Household("6206231002010002").value();
  ASSERT_EQ(h2.incomes.size(), 1u);
  EXPECT_DOUBLE_EQ(h2.incomes[0].Net(), 6000);

  const std::string bad =
      "户编号,年度,工资性收入,生产经营性收入,财产性收入,转移性收入,生产经营性支出,纯收入,"
      "人均纯收入\n"
      "6206231002010001,2022,12000,5000,500,2500,2000,19000,6000\n"
      "6206231002010001,2023,12000,5000,500,2500,2000,18000,9000\n"
      "6206231002019999,2022,1,1,1,1,1,,\n"
      "6206231002010002,2022,-5,0,0,0,0,,\n"
      "6206231002010002,2022,1,0,0,0,0,,\n";
  auto refused = Import(ImportKind::kIncomes, Write("bad.csv", bad));
  ASSERT_FALSE(refused.has_value());
  const auto& d = refused.error().details;
  auto has = [&](int64_t row, std::string_view column, std::string_view reason_part) {
    return std::any_of(d.begin(), d.end(), [&](const ErrorDetail& x) {
      return x.row == row && x.column == column && x.reason.find(reason_part) != std::string::npos;
    });
  };
  EXPECT_TRUE(has(2, "纯收入", "= 18000.00"));
  EXPECT_TRUE(has(3, "人均纯收入", "18000.00 / 3 = 6000.00"));
  EXPECT_TRUE(has(4, "户编号", "no household with this number"));
  EXPECT_TRUE(has(5, "工资性收入", "must not be negative"));
  EXPECT_TRUE(has(6, "年度", "has this year already on row 5"));
  EXPECT_EQ(Household("6206231002010001").value().incomes.size(), 2u);
}

TEST_F(ImportTest, MembersFileWithIncomeColumnsNeedsTheYear) {
  const std::string csv =
      "户编号,行政区划代码,姓名,身份证号,与户主关系,工资性收入,转移性收入\n"
      "6206231002010003,620623100201,周一," +
      Id("19700101", "011") + ",户主,9000,1000\n";
  auto refused = Import(ImportKind::kMembers, Write("m.csv", csv));
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().message.find("--year"), std::string::npos);
  ImportOptions options;
  options.year = 2023;
  auto report = Import(ImportKind::kMembers, Write("m.csv", csv), options);
  ASSERT_TRUE(report.has_value()) << report.error().message;
  auto h = Household("6206231002010003").value();
  ASSERT_EQ(h.incomes.size(), 1u);
  EXPECT_EQ(h.incomes[0].year, 2023);
  EXPECT_DOUBLE_EQ(h.incomes[0].Net(), 10000);
}

TEST_F(ImportTest, TheTemplatesImportAsTheyAreInBothLanguagesAndFormats) {
  // The template's example household lies in the demo's village 990121001001.
  const std::vector<Region> demo = {R("990000000000", "演示省"), R("990100000000", "演示市"),
                                    R("990121000000", "演示县"), R("990121001000", "演示镇"),
                                    R("990121001001", "演示村")};
  ASSERT_TRUE(repo().Upsert(demo, kActor, "test").has_value());
  for (const auto& [lang, format] :
       {std::pair{"zh", tabular::Format::kXlsx}, std::pair{"en", tabular::Format::kCsv}}) {
    for (ImportKind kind : {ImportKind::kMembers, ImportKind::kIncomes}) {
      const std::string path = (files_ / fmt::format("{}-{}{}", registry::ImportKindName(kind),
                                                     lang, tabular::FileExtension(format)))
                                   .string();
      auto writer =
          tabular::TableWriter::Create(path, format, registry::TemplateHeader(kind, lang));
      ASSERT_TRUE(writer.has_value());
      for (const auto& row : registry::TemplateExamples(kind)) {
        ASSERT_TRUE((*writer)->Add(row).has_value());
      }
      ASSERT_TRUE((*writer)->Close().has_value());
      ImportOptions options;
      options.year = 2020;
      auto report = Import(kind, path, options);
      ASSERT_TRUE(report.has_value())
          << lang << " " << path << ": " << report.error().message
          << (report.error().details.empty() ? ""
                                             : " — " + report.error().details[0].column + ": " +
                                                   report.error().details[0].reason);
      EXPECT_TRUE(report->warnings.empty()) << report->warnings[0].reason;
    }
  }
  auto h = Household("9901210010019001");
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->members.size(), 2u);
  ASSERT_EQ(h->incomes.size(), 1u);
  EXPECT_DOUBLE_EQ(h->incomes[0].Net(), 14000);
}

// ---------------------------------------------------------------------------------------------
// Writing while reading (ImportOptions::write_while_reading_from): a command-line import of a
// large file into an empty SQLite registry writes households on another thread as they are
// read. Each test imports the same file twice: into the fixture's database as a server does
// (no bulk load is offered to it), and into a second database opened as `fupin import` opens
// it, writing while reading from the second household on, on any number of cores. Results,
// errors and the rows stored must be the same.

class WriteWhileReadingTest : public ImportTest {
 protected:
  void SetUp() override {
    ImportTest::SetUp();
    if (HasFatalFailure()) return;
    if (g_backend != "sqlite") GTEST_SKIP() << "SQLite only: PostgreSQL offers no bulk load";
    OpenOptions options;
    options.secret_key = kSecretKey;
    options.sole_user = true;
    auto second =
        OpenDatabase(*DatabaseUrl::Parse("sqlite:" + (dir_ / "second.db").string()), options);
    ASSERT_TRUE(second) << second.error().message;
    second_ = std::move(*second);
    ASSERT_TRUE(second_->Migrate());
    auto regions = db_->Regions().FindMany(
        std::vector<std::string>{"620000000000", "620600000000", "620623000000", "620623100000",
                                 "620623101000", "620623100201", "620623100202", "620623101201"});
    ASSERT_TRUE(regions);
    ASSERT_TRUE(second_->Regions().Upsert(*regions, kActor, "test"));
  }
  void TearDown() override {
    second_.reset();
    ImportTest::TearDown();
  }

  // The household columns of household `h` (numbered h + 1), as every row of it gives them.
  static std::string HouseholdColumns(int h) {
    const char* villages[] = {"620623100201", "620623100202", "620623101201"};
    return fmt::format("62062310{:08d},{},{},{},{},{},138{:08d}", h + 1, villages[h % 3],
                       h % 2 ? "一般贫困户" : "低保贫困户", h % 3 ? "因病" : "缺技术", 2014 + h % 3,
                       h % 4 ? std::to_string(2018 + h % 3) : "", h);
  }
  // The ID number of person `p` of household `h` (unique for h < 60,000).
  static std::string PersonId(int h, int p) {
    return Id(fmt::format("{:04d}{:02d}{:02d}", 1940 + h / 1000, 1 + p * 3, 1 + h % 28),
              fmt::format("{:03d}", h % 1000));
  }
  // `households` households of 1 to `most` people, each household's rows together, then the
  // rows of `extra` (a household's rows apart).
  static std::string Csv(int households, const std::vector<std::string>& extra = {}, int most = 4) {
    std::string csv =
        "户编号,行政区划代码,户属性,主要致贫原因,识别年度,脱贫年度,联系电话,姓名,身份证号,"
        "与户主关系,健康状况,劳动能力\n";
    const char* relations[] = {"户主", "配偶", "之子", "之女"};
    for (int h = 0; h < households; ++h) {
      for (int p = 0; p < 1 + h % most; ++p) {
        csv += fmt::format("{},张{},{},{},健康,普通劳动力\n", HouseholdColumns(h), p,
                           PersonId(h, p), relations[p]);
      }
    }
    for (const std::string& row : extra) csv += row + "\n";
    return csv;
  }

  // `csv` with household `h`'s village (`from`, as HouseholdColumns gives it) replaced by
  // `to` on each of its rows.
  static void MoveHousehold(std::string& csv, int h, const std::string& from,
                            const std::string& to) {
    const std::string columns = HouseholdColumns(h);
    std::string moved = columns;
    moved.replace(moved.find("," + from + ","), from.size() + 2, "," + to + ",");
    for (size_t at = csv.find(columns); at != std::string::npos; at = csv.find(columns, at + 1)) {
      csv.replace(at, columns.size(), moved);
    }
  }

  // Options that write while reading from the `from`th household, on any number of cores.
  static ImportOptions WhileReading(size_t from) {
    ImportOptions options;
    options.write_while_reading_from = from;
    options.write_while_reading_on_one_core = true;
    return options;
  }

  Result<ImportReport> ImportInto(Database& db, const std::string& path, ImportOptions options) {
    auto reader = tabular::TableReader::Open(path);
    if (!reader) return std::unexpected(reader.error());
    registry::RegistryImporter importer(db.Registry(), db.Regions(), clock_);
    options.source = "file members.csv";
    return importer.Import(ImportKind::kMembers, **reader, options, kActor);
  }

  // Imports `csv` into both databases: the fixture's first (as a server does), then the
  // second, writing while reading.
  std::pair<Result<ImportReport>, Result<ImportReport>> Both(const std::string& csv,
                                                             ImportOptions options = {}) {
    const std::string path = Write("members.csv", csv);
    options.write_while_reading_from = 0;
    auto reference = ImportInto(*db_, path, options);
    options.write_while_reading_from = 2;
    options.write_while_reading_on_one_core = true;
    auto written = ImportInto(*second_, path, options);
    return {std::move(reference), std::move(written)};
  }

  // What the registry holds, row by row, but the times of writing.
  static std::vector<std::vector<std::string>> Dump(Database& db) {
    std::vector<std::vector<std::string>> out;
    for (const char* table : {"households", "members", "household_events", "incomes",
                              "registry_changes", "change_counters"}) {
      auto columns = storage::testing::QuerySql(
          db,
          fmt::format("SELECT name FROM pragma_table_info('{}') WHERE name NOT IN "
                      "('created_at', 'updated_at') ORDER BY cid",
                      table),
          1);
      EXPECT_TRUE(columns);
      if (!columns) return out;
      std::string list;
      for (const auto& c : *columns) list += (list.empty() ? "" : ", ") + c[0];
      auto rows = storage::testing::QuerySql(
          db, fmt::format("SELECT {} FROM {} ORDER BY 1, 2", list, table),
          static_cast<int>(columns->size()));
      EXPECT_TRUE(rows) << table;
      if (!rows) return out;
      out.push_back({table});
      out.insert(out.end(), rows->begin(), rows->end());
    }
    auto audit = storage::testing::QuerySql(
        db,
        "SELECT action, entity, region_code, note FROM audit_log WHERE entity = 'household' "
        "ORDER BY seq",
        4);
    EXPECT_TRUE(audit);
    if (audit) out.insert(out.end(), audit->begin(), audit->end());
    return out;
  }

  static void ExpectSameError(const Result<ImportReport>& a, const Result<ImportReport>& b) {
    ASSERT_FALSE(a.has_value());
    ASSERT_FALSE(b.has_value());
    EXPECT_EQ(a.error().code, b.error().code);
    EXPECT_EQ(a.error().message, b.error().message);
    ASSERT_EQ(a.error().details.size(), b.error().details.size());
    for (size_t i = 0; i < a.error().details.size(); ++i) {
      const ErrorDetail& x = a.error().details[i];
      const ErrorDetail& y = b.error().details[i];
      EXPECT_EQ(std::tie(x.row, x.column, x.value, x.reason),
                std::tie(y.row, y.column, y.value, y.reason));
    }
  }

  int64_t Households(Database& db) {
    auto n = storage::testing::QuerySql(db, "SELECT count(*) FROM households", 1);
    EXPECT_TRUE(n);
    return n ? std::stoll(n->at(0).at(0)) : -1;
  }

  // The load writes with SQLite's foreign-key checks off (storage: SqlBulkLoad): what it
  // stored breaks no foreign key, and the writer checks them again afterwards.
  static void ExpectForeignKeysHold(Database& db) {
    auto broken =
        storage::testing::QuerySql(db, "SELECT count(*) FROM pragma_foreign_key_check", 1);
    ASSERT_TRUE(broken) << broken.error().message;
    EXPECT_EQ(broken->at(0).at(0), "0");
    auto orphan = storage::testing::ExecuteSql(
        db,
        "INSERT INTO household_events (household_id, status, on_date) VALUES (987654321, "
        "'identified', '2020-01-01')");
    ASSERT_FALSE(orphan) << "the writer no longer checks foreign keys";
    EXPECT_NE(orphan.error().message.find("FOREIGN KEY"), std::string::npos)
        << orphan.error().message;
  }

  std::unique_ptr<Database> second_;
};

TEST_F(WriteWhileReadingTest, StoresWhatAnImportWithoutItStores) {
  auto [reference, written] = Both(Csv(300));
  ASSERT_TRUE(reference) << reference.error().message;
  ASSERT_TRUE(written) << written.error().message;
  EXPECT_FALSE(reference->written_while_reading);  // not the database's sole user
  EXPECT_TRUE(written->written_while_reading);
  EXPECT_EQ(written->rows, reference->rows);
  EXPECT_EQ(written->households, 300);
  EXPECT_EQ(written->members, reference->members);
  EXPECT_EQ(written->counts.inserted, 300);
  EXPECT_EQ(reference->counts.inserted, 300);
  EXPECT_EQ(written->warnings.size(), reference->warnings.size());
  const auto stored = Dump(*db_);
  EXPECT_GT(stored.size(), 750u);  // 300 households and their 750 people, events and log
  EXPECT_EQ(Dump(*second_), stored);
  // The second database's list finds them (its totals and indexes are current).
  registry::HouseholdQuery q;
  q.scope = {""};
  q.text = "6206231000000300";
  auto found = second_->Registry().ListHouseholds(q);
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_EQ(found->total, 1);
  EXPECT_EQ(found->items[0].members, 4);
  // A second import into the registry, no longer empty, merges as before.
  auto again = ImportInto(*second_, Write("again.csv", Csv(300)), {});
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_FALSE(again->written_while_reading);
  EXPECT_EQ(again->counts.unchanged, 300);
}

TEST_F(WriteWhileReadingTest, AProblemOnALateRowWritesNothingAndIsNamedAsWithoutIt) {
  std::string csv = Csv(200);
  // A wrong check character on a row far past the point where writing began.
  const std::string id = PersonId(180, 0);
  const size_t late = csv.find(id);
  ASSERT_GT(late, csv.size() / 2);
  ASSERT_NE(late, std::string::npos);
  csv[late + 17] = csv[late + 17] == '1' ? '2' : '1';
  // And a household of a township (not a village), checked once the whole file is read.
  MoveHousehold(csv, 189, "620623100201", "620623100000");
  auto [reference, written] = Both(csv);
  ExpectSameError(reference, written);
  ASSERT_EQ(written.error().details.size(), 2u);
  EXPECT_EQ(written.error().details[1].reason, "is not a village (households live in villages)");
  EXPECT_EQ(Households(*db_), 0);
  EXPECT_EQ(Households(*second_), 0);
  ExpectForeignKeysHold(*second_);  // after a load rolled back
  // The database is left as it was: the corrected file then imports, writing while reading.
  auto fixed = ImportInto(*second_, Write("fixed.csv", Csv(200)), WhileReading(2));
  ASSERT_TRUE(fixed) << fixed.error().message;
  EXPECT_TRUE(fixed->written_while_reading);
  EXPECT_EQ(Households(*second_), 200);
  ExpectForeignKeysHold(*second_);  // after a load committed
}

TEST_F(WriteWhileReadingTest, AVillageThatDoesNotExistIsRefusedAsWithoutIt) {
  // The load writes without SQLite's foreign-key checks: the importer's own check of the
  // regions, in the load's transaction, refuses a code no region has.
  std::string csv = Csv(120);
  MoveHousehold(csv, 100, "620623100202", "620623100299");
  auto [reference, written] = Both(csv);
  ExpectSameError(reference, written);
  ASSERT_EQ(written.error().details.size(), 1u);
  EXPECT_EQ(written.error().details[0].value, "620623100299");
  EXPECT_EQ(Households(*second_), 0);
  ExpectForeignKeysHold(*second_);
}

TEST_F(WriteWhileReadingTest, AProblemOfAWholeHouseholdIsNamedAsWithoutIt) {
  // Household 150 gets a second head, only seen once its rows are read and it is validated;
  // household 180 a lifted year before the year identified.
  std::string csv = Csv(200);
  const std::string number = fmt::format("62062310{:08d}", 150);
  const size_t row = csv.find(number + ",");
  ASSERT_NE(row, std::string::npos);
  const size_t second_row = csv.find(number + ",", row + 1);
  ASSERT_NE(second_row, std::string::npos);
  const size_t relation = csv.find(",配偶,", second_row);
  ASSERT_NE(relation, std::string::npos);
  csv.replace(relation, std::string(",配偶,").size(), ",户主,");
  const int h = 179;  // household 180
  const std::string before = HouseholdColumns(h);
  std::string after = before;
  const std::string years = fmt::format(",{},{},", 2014 + h % 3, 2018 + h % 3);
  ASSERT_NE(after.find(years), std::string::npos);
  after.replace(after.find(years), years.size(), fmt::format(",{},2010,", 2014 + h % 3));
  for (size_t at = csv.find(before); at != std::string::npos; at = csv.find(before, at + 1)) {
    csv.replace(at, before.size(), after);
  }
  auto [reference, written] = Both(csv);
  ExpectSameError(reference, written);
  EXPECT_GE(reference.error().details.size(), 2u);
  EXPECT_EQ(Households(*second_), 0);
}

TEST_F(WriteWhileReadingTest, AHouseholdWhoseRowsLieApartIsStoredAsWithoutIt) {
  // One more person of household 5 at the end of the file, after it was written.
  const std::string extra =
      fmt::format("{},张9,{},孙子女,健康,普通劳动力", HouseholdColumns(4), PersonId(4, 3));
  auto [reference, written] = Both(Csv(120, {extra}));
  ASSERT_TRUE(reference) << reference.error().message;
  ASSERT_TRUE(written) << written.error().message;
  EXPECT_FALSE(written->written_while_reading);  // given up, rolled back, written after
  EXPECT_EQ(written->counts.inserted, 120);
  EXPECT_EQ(Dump(*second_), Dump(*db_));
}

TEST_F(WriteWhileReadingTest, CancellingWhileWritingWritesNothing) {
  ImportOptions options;
  options.progress_every = 50;
  options.progress = [](std::string_view phase, int64_t rows) {
    return !(phase == "read" && rows >= 400);
  };
  auto [reference, written] = Both(Csv(300), options);
  ExpectSameError(reference, written);
  EXPECT_EQ(written.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(Households(*second_), 0);
  auto audit = storage::testing::QuerySql(*second_,
                                          "SELECT count(*) FROM audit_log WHERE entity = "
                                          "'household'",
                                          1);
  ASSERT_TRUE(audit);
  EXPECT_EQ(audit->at(0).at(0), "0");
}

TEST_F(WriteWhileReadingTest, ADryRunOrASmallFileWritesAsBefore) {
  ImportOptions dry;
  dry.dry_run = true;
  auto [reference, written] = Both(Csv(50), dry);
  ASSERT_TRUE(written) << written.error().message;
  EXPECT_FALSE(written->written_while_reading);
  EXPECT_EQ(Households(*second_), 0);
  // Fewer households than the threshold: written after reading.
  auto small = ImportInto(*second_, Write("small.csv", Csv(50)), WhileReading(51));
  ASSERT_TRUE(small) << small.error().message;
  EXPECT_FALSE(small->written_while_reading);
  EXPECT_EQ(Households(*second_), 50);
}

TEST_F(WriteWhileReadingTest, ALargeLoadRebuildsItsIndexesAndLeavesWal) {
  // At least DeferredIndexes::kBulkRows households: indexes dropped and built again, in the
  // rollback journal once the fixture's database is closed.
  const std::string path = Write("large.csv", Csv(24000, {}, 1));
  auto reference = ImportInto(*db_, path, {});
  ASSERT_TRUE(reference) << reference.error().message;
  const auto stored = Dump(*db_);
  db_.reset();
  const std::string indexes_sql =
      "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master WHERE type = 'index' AND "
      "tbl_name IN ('households', 'members', 'household_events', 'incomes') ORDER BY name)";
  auto before = storage::testing::QuerySql(*second_, indexes_sql, 1);
  ASSERT_TRUE(before);
  // Begins after 4,096 households, the rest estimated from the share of the file read.
  auto written = ImportInto(*second_, path, WhileReading(4096));
  ASSERT_TRUE(written) << written.error().message;
  EXPECT_TRUE(written->written_while_reading);
  EXPECT_EQ(written->counts.inserted, 24000);
  EXPECT_EQ(Dump(*second_), stored);
  auto after = storage::testing::QuerySql(*second_, indexes_sql, 1);
  ASSERT_TRUE(after);
  EXPECT_EQ(*after, *before);
  ExpectForeignKeysHold(*second_);
  EXPECT_NE(before->at(0).at(0).find("members_former_id_number"), std::string::npos);
  auto mode = storage::testing::QuerySql(*second_, "PRAGMA journal_mode", 1);
  ASSERT_TRUE(mode);
  EXPECT_EQ(mode->at(0).at(0), "wal");
  std::error_code no_wal;
  const auto wal_bytes = std::filesystem::file_size(dir_ / "second.db-wal", no_wal);
  EXPECT_TRUE(no_wal || wal_bytes < 256 * 1024) << wal_bytes << " bytes of WAL";
  // A load of so many households into an empty registry is one change of the whole registry
  // (storage::RecordRegistryReload): the change log marked pruned up to it, with no row per
  // household, so that every cache loads the registry afresh.
  auto log = storage::testing::QuerySql(
      *second_,
      "SELECT (SELECT count(*) FROM registry_changes), (SELECT value FROM change_counters WHERE "
      "name = 'registry') = (SELECT value FROM change_counters WHERE name = 'registry_pruned')",
      2);
  ASSERT_TRUE(log);
  EXPECT_EQ(log->at(0).at(0), "0");
  EXPECT_EQ(log->at(0).at(1), "1");
  // The person is found by ID number (members_current_id_number) and the list by status.
  auto person = second_->Registry().HouseholdsOfIdNumbers(std::vector{PersonId(23999, 0)});
  ASSERT_TRUE(person) << person.error().message;
  EXPECT_EQ(person->at(PersonId(23999, 0)), "6206231000024000");
  registry::HouseholdQuery q;
  q.scope = {""};
  q.status = "lifted";
  q.limit = 0;
  auto lifted = second_->Registry().ListHouseholds(q);
  ASSERT_TRUE(lifted) << lifted.error().message;
  EXPECT_EQ(lifted->total, 24000 - 24000 / 4);  // every household but each fourth
}

TEST_F(WriteWhileReadingTest, RecordsBeingWrittenStayPutWhenTheRestOutgrowsTheEstimate) {
  // The first two households have four people, the others one: writing begins at the second
  // household with an estimate of ~4,400 households, the file is sized again at the 4,096th
  // (the records being written must not move then), and the room reserved runs out before
  // the end (the load is given up and the import goes on without it).
  std::string csv =
      "户编号,行政区划代码,户属性,主要致贫原因,识别年度,脱贫年度,联系电话,姓名,身份证号,"
      "与户主关系,健康状况,劳动能力\n";
  const char* relations[] = {"户主", "配偶", "之子", "之女"};
  for (int h = 0; h < 20000; ++h) {
    for (int p = 0; p < (h < 2 ? 4 : 1); ++p) {
      csv += fmt::format("{},张{},{},{},健康,普通劳动力\n", HouseholdColumns(h), p, PersonId(h, p),
                         relations[p]);
    }
  }
  auto [reference, written] = Both(csv);
  ASSERT_TRUE(reference) << reference.error().message;
  ASSERT_TRUE(written) << written.error().message;
  EXPECT_FALSE(written->written_while_reading);
  EXPECT_EQ(written->counts.inserted, 20000);
  EXPECT_EQ(Dump(*second_), Dump(*db_));
}

}  // namespace
}  // namespace fupin::storage
