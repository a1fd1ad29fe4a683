#include "registry/importer.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>

#include "access/permissions.h"
#include "base/cores.h"
#include "base/text.h"
#include "regions/region.h"
#include "registry/id_number.h"
#include "registry/vocabulary.h"

namespace fupin::registry {
namespace {

// ---------------------------------------------------------------------------------------------
// The columns. Chinese headers are those of the national system's exports; aliases cover the
// variants seen in county spreadsheets.

using Aliases = std::span<const std::string_view>;
constexpr std::string_view kNumberAliases[] = {"household_number", "户号", "户编码"};
constexpr std::string_view kRegionAliases[] = {"village_code", "region", "村代码", "行政区划"};
constexpr std::string_view kNameAliases[] = {"member_name", "成员姓名"};
constexpr std::string_view kIdAliases[] = {"证件号码", "身份证号码", "公民身份号码"};
constexpr std::string_view kRelationAliases[] = {"与户主的关系"};
constexpr std::string_view kYearIdentifiedAliases[] = {"识别年份", "识别时间"};
constexpr std::string_view kLiftedAliases[] = {"脱贫年份", "脱贫时间"};
constexpr std::string_view kPhoneAliases[] = {"电话", "联系方式"};
constexpr std::string_view kBankAliases[] = {"银行卡号", "开户账号"};
constexpr std::string_view kInSchoolAliases[] = {"在校生状况", "是否在校生"};
constexpr std::string_view kMigrantAliases[] = {"务工时间（月）", "务工时间(月)", "务工月数"};
constexpr std::string_view kMedicalAliases[] = {"是否参加城乡居民基本医疗保险",
                                                "是否参加新型农村合作医疗"};
constexpr std::string_view kPensionAliases[] = {"是否参加城乡居民基本养老保险"};
constexpr std::string_view kWagesAliases[] = {"工资性收入（元）", "工资性收入(元)"};
constexpr std::string_view kBusinessAliases[] = {"生产经营性收入（元）", "生产经营性收入(元)"};
constexpr std::string_view kPropertyAliases[] = {"财产性收入（元）", "财产性收入(元)"};
constexpr std::string_view kTransferAliases[] = {"转移性收入（元）", "转移性收入(元)"};
constexpr std::string_view kCostsAliases[] = {"生产经营性支出（元）", "生产经营性支出(元)"};
constexpr std::string_view kNetAliases[] = {"纯收入（元）", "纯收入(元)", "家庭纯收入"};
constexpr std::string_view kPerCapitaAliases[] = {"人均纯收入（元）", "人均纯收入(元)",
                                                  "家庭人均纯收入"};
constexpr std::string_view kYearAliases[] = {"年份", "收入年度"};

constexpr std::string_view kCodeOrLabelZh = "代码、中文或英文名称";
constexpr std::string_view kCodeOrLabelEn = "code, Chinese or English label";
constexpr std::string_view kYesNoZh = "是/否";
constexpr std::string_view kYesNoEn = "yes/no (是/否)";
constexpr std::string_view kYuanZh = "元，非负数";
constexpr std::string_view kYuanEn = "yuan, not negative";

#define FUPIN_INCOME_COLUMNS(household_flag)                                         \
  ImportColumn{"wages",        "工资性收入", kWagesAliases, false,                   \
               household_flag, kYuanZh,      kYuanEn,       "8600"},                 \
      ImportColumn{"business",     "生产经营性收入", kBusinessAliases, false,        \
                   household_flag, kYuanZh,          kYuanEn,          "4200"},      \
      ImportColumn{"property",     "财产性收入", kPropertyAliases, false,            \
                   household_flag, kYuanZh,      kYuanEn,          "300"},           \
      ImportColumn{"transfer",     "转移性收入", kTransferAliases, false,            \
                   household_flag, kYuanZh,      kYuanEn,          "2400"},          \
      ImportColumn{"costs",        "生产经营性支出", kCostsAliases, false,           \
                   household_flag, kYuanZh,          kYuanEn,       "1500"},         \
      ImportColumn{"net_income",                                                     \
                   "纯收入",                                                         \
                   kNetAliases,                                                      \
                   false,                                                            \
                   household_flag,                                                   \
                   "元；若给出，须等于各项收入之和减生产经营性支出",                 \
                   "yuan; if given, must equal the components' sum less costs",      \
                   "14000"},                                                         \
      ImportColumn {                                                                 \
    "per_capita_net_income", "人均纯收入", kPerCapitaAliases, false, household_flag, \
        "元；若给出，须等于纯收入除以12月31日的家庭人口",                            \
        "yuan; if given, must equal net income / members on 31 December", "7000"     \
  }

const ImportColumn kMemberColumns[] = {
    {"number", "户编号", kNumberAliases, true, true, "文本，唯一", "text, unique",
     "9901210010019001"},
    {"region_code", "行政区划代码", kRegionAliases, true, true, "村级12位代码",
     "12-digit village code", "990121001001"},
    {"attribute", "户属性", {}, false, true, kCodeOrLabelZh, kCodeOrLabelEn, "一般贫困户"},
    {"main_cause", "主要致贫原因", {}, false, true, kCodeOrLabelZh, kCodeOrLabelEn, "因病"},
    {"secondary_cause", "次要致贫原因", {}, false, true, kCodeOrLabelZh, kCodeOrLabelEn, "缺技术"},
    {"year_identified", "识别年度", kYearIdentifiedAliases, false, true, "年份", "year", "2014"},
    {"lifted_year", "脱贫年度", kLiftedAliases, false, true, "年份；未脱贫留空",
     "year; empty if not lifted out", "2018"},
    {"phone", "联系电话", kPhoneAliases, false, true, "11位手机号", "11-digit mobile number",
     "13800138000"},
    {"bank_account", "银行账号", kBankAliases, false, true, "数字", "digits",
     "6228480000000000000"},
    {"housing_safe", "住房是否安全", {}, false, true, kYesNoZh, kYesNoEn, "是"},
    {"housing_area", "住房面积", {}, false, true, "平方米", "m²", "86"},
    {"water_safe", "饮水是否安全", {}, false, true, kYesNoZh, kYesNoEn, "是"},
    {"market_distance_km", "距集市距离", {}, false, true, "公里", "km", "6.5"},
    {"name", "姓名", kNameAliases, true, false, "文本", "text", "张三"},
    {"id_number", "身份证号", kIdAliases, true, false, "18位，按文本存储",
     "18 characters, stored as text", "990121195003159914"},
    {"relation", "与户主关系", kRelationAliases, true, false,
     "户主/配偶/子女/父母/孙子女/其他（之子、之女等亦可）",
     "head/spouse/child/parent/grandchild/other", "户主"},
    {"sex",
     "性别",
     {},
     false,
     false,
     "男/女；空则取自身份证号",
     "male/female; from the ID if empty",
     "男"},
    {"birth_date",
     "出生日期",
     {},
     false,
     false,
     "YYYY-MM-DD；空则取自身份证号",
     "YYYY-MM-DD; from the ID if empty",
     "1950-03-15"},
    {"ethnicity", "民族", {}, false, false, "文本", "text", "汉族"},
    {"education", "文化程度", {}, false, false, kCodeOrLabelZh, kCodeOrLabelEn, "小学"},
    {"in_school", "是否在校", kInSchoolAliases, false, false, "是/否（在校生/非在校生）", "yes/no",
     "否"},
    {"health", "健康状况", {}, false, false, kCodeOrLabelZh, kCodeOrLabelEn, "长期慢性病"},
    {"labour", "劳动能力", {}, false, false, kCodeOrLabelZh, kCodeOrLabelEn, "普通劳动力"},
    {"migrant_months", "务工时间", kMigrantAliases, false, false, "0–12 月", "0–12 months", "0"},
    {"dibao", "是否享受低保", {}, false, false, kYesNoZh, kYesNoEn, "否"},
    {"medical_insurance", "是否参加医疗保险", kMedicalAliases, false, false, kYesNoZh, kYesNoEn,
     "是"},
    {"pension", "是否参加养老保险", kPensionAliases, false, false, kYesNoZh, kYesNoEn, "是"},
    FUPIN_INCOME_COLUMNS(true),
};

const ImportColumn kIncomeColumns[] = {
    {"number", "户编号", kNumberAliases, true, true, "已登记的户编号", "a registered number",
     "9901210010019001"},
    {"year", "年度", kYearAliases, false, true, "年份；无此列时用 --year",
     "year; --year when the file has no such column", "2020"},
    FUPIN_INCOME_COLUMNS(true),
};
#undef FUPIN_INCOME_COLUMNS

constexpr std::string_view kIncomeKeys[] = {"wages", "business", "property", "transfer", "costs"};

bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    const char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] - 'A' + 'a') : b[i];
    if (x != y) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Problems, capped.

class Problems {
 public:
  explicit Problems(size_t max) : max_(max) {}
  void Add(int64_t row, std::string column, std::string value, std::string reason) {
    ++count_;
    if (list_.size() < max_) {
      list_.push_back({row, std::move(column), std::move(value), std::move(reason)});
    }
  }
  bool empty() const { return count_ == 0; }
  size_t count() const { return count_; }
  Error ToError(std::string_view what) {
    std::vector<ErrorDetail> details = std::move(list_);
    // Stable: a row's problems keep their column order.
    std::stable_sort(details.begin(), details.end(),
                     [](const ErrorDetail& a, const ErrorDetail& b) { return a.row < b.row; });
    if (count_ > details.size()) {
      details.push_back(
          {0, "", "", fmt::format("… and {} more problems not listed", count_ - details.size())});
    }
    std::string message = fmt::format("{}: {} problem{} found; nothing was written", what, count_,
                                      count_ == 1 ? "" : "s");
    return Error{ErrorCode::kInvalidArgument, std::move(message), std::move(details), 0, 0};
  }

 private:
  size_t max_;
  size_t count_ = 0;
  std::vector<ErrorDetail> list_;
};

// ---------------------------------------------------------------------------------------------
// Which file column holds which field.

// A field of an import and the cell that holds it (nullopt when the file lacks the column).
struct Field {
  std::string_view key;
  std::optional<size_t> index;
  bool present() const { return index.has_value(); }
};

class Layout {
 public:
  // Matches the header; problems for missing required columns and columns given twice.
  // Columns fupin does not know are listed in `unknown`.
  Layout(std::span<const ImportColumn> columns, const std::vector<std::string>& header,
         int64_t header_row, Problems& problems)
      : columns_(columns), index_(columns.size()) {
    for (size_t c = 0; c < header.size(); ++c) {
      const std::string lower = ToLowerAscii(header[c]);
      bool known = false;
      for (size_t k = 0; k < columns.size(); ++k) {
        const ImportColumn& col = columns[k];
        bool match = header[c] == col.zh || lower == col.key;
        for (std::string_view a : col.aliases) match = match || header[c] == a || lower == a;
        if (!match) continue;
        known = true;
        if (index_[k]) {
          problems.Add(header_row, header[c], header[c],
                       fmt::format("the column {} is given twice (also as {})", col.key,
                                   header[*index_[k]]));
        } else {
          index_[k] = c;
        }
      }
      if (!known) unknown.push_back(header[c]);
    }
    for (size_t k = 0; k < columns.size(); ++k) {
      if (columns[k].required && !index_[k]) {
        problems.Add(
            header_row, std::string(columns[k].zh), "",
            fmt::format("the required column {} ({}) is missing", columns[k].zh, columns[k].key));
      }
    }
    header_ = header;
    for (size_t k = 0; k < columns.size(); ++k) by_key_.emplace(columns[k].key, index_[k]);
  }

  // A field resolved once, so that reading a row does no lookups by name.
  Field Get(std::string_view key) const { return Field{key, Index(key)}; }
  // The cell index of a field, nullopt when the file has no such column.
  std::optional<size_t> Index(std::string_view key) const {
    auto it = by_key_.find(key);
    return it == by_key_.end() ? std::nullopt : it->second;
  }
  bool Has(std::string_view key) const { return Index(key).has_value(); }
  // The header as the file writes it, or the field's Chinese name when the file lacks it.
  std::string Header(std::string_view key) const {
    for (size_t k = 0; k < columns_.size(); ++k) {
      if (columns_[k].key != key) continue;
      return index_[k] ? header_[*index_[k]] : std::string(columns_[k].zh);
    }
    return std::string(key);
  }
  std::vector<std::string> unknown;

 private:
  std::span<const ImportColumn> columns_;
  std::vector<std::optional<size_t>> index_;
  std::unordered_map<std::string_view, std::optional<size_t>> by_key_;
  std::vector<std::string> header_;
};

// Parses the cells of one row, recording problems against the row and the column's header.
class Cells {
 public:
  Cells(const Layout& layout, const tabular::Row& row, Problems& problems)
      : layout_(layout), row_(row), problems_(problems) {}

  // The trimmed cell ("" when the column is absent).
  std::string_view Raw(const Field& field) const {
    return field.index ? Trim(row_.cells[*field.index]) : std::string_view();
  }
  void Problem(const Field& field, std::string_view value, std::string reason) const {
    problems_.Add(row_.line, layout_.Header(field.key), std::string(value), std::move(reason));
  }

  // A vocabulary code from a code or a label; "" when empty.
  std::string Code(const Field& field, const Vocabulary& vocabulary) const {
    const std::string_view raw = Raw(field);
    if (raw.empty()) return "";
    if (auto code = vocabulary.Parse(raw)) return std::string(*code);
    Problem(field, raw, "is not one of: " + vocabulary.Allowed());
    return "";
  }
  std::optional<bool> Bool(const Field& field) const {
    const std::string_view raw = Raw(field);
    if (raw.empty()) return std::nullopt;
    for (std::string_view yes : {"是", "有", "yes", "y", "true", "1", "√", "在校", "在校生"}) {
      if (EqualsIgnoringAsciiCase(raw, yes)) return true;
    }
    for (std::string_view no : {"否", "无", "no", "n", "false", "0", "×", "非在校生", "不在校"}) {
      if (EqualsIgnoringAsciiCase(raw, no)) return false;
    }
    Problem(field, raw, "is not yes or no (是/否)");
    return std::nullopt;
  }
  std::optional<int> Year(const Field& field, int max_year) const {
    const std::string_view raw = Raw(field);
    if (raw.empty()) return std::nullopt;
    int year = 0;
    auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), year);
    if (ec != std::errc() || end != raw.data() + raw.size() || year < 1980 || year > max_year) {
      Problem(field, raw, fmt::format("is not a year from 1980 to {}", max_year));
      return std::nullopt;
    }
    return year;
  }
  std::optional<int> Int(const Field& field) const {
    const std::string_view raw = Raw(field);
    if (raw.empty()) return std::nullopt;
    int value = 0;
    auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), value);
    if (ec != std::errc() || end != raw.data() + raw.size()) {
      Problem(field, raw, "is not a whole number");
      return std::nullopt;
    }
    return value;
  }
  // A decimal number; thousands separators ("12,345.5") are accepted.
  std::optional<double> Number(const Field& field) const {
    const std::string_view raw = Raw(field);
    if (raw.empty()) return std::nullopt;
    std::string digits;
    for (char c : raw) {
      if (c != ',') digits += c;
    }
    double value = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || end != digits.data() + digits.size() || !std::isfinite(value)) {
      Problem(field, raw, "is not a number");
      return std::nullopt;
    }
    return value;
  }
  std::optional<Date> DateCell(const Field& field) const {
    const std::string_view raw = Raw(field);
    if (raw.empty()) return std::nullopt;
    std::string text(raw);
    // 1950/3/15, 1950.03.15 and 19500315 are common in county spreadsheets.
    std::replace(text.begin(), text.end(), '/', '-');
    std::replace(text.begin(), text.end(), '.', '-');
    if (text.size() == 8 && IsAsciiDigits(text)) {
      text = text.substr(0, 4) + "-" + text.substr(4, 2) + "-" + text.substr(6, 2);
    }
    auto parts = Split(text, '-');
    if (parts.size() == 3 && parts[1].size() == 1) parts[1] = "0" + parts[1];
    if (parts.size() == 3 && parts[2].size() == 1) parts[2] = "0" + parts[2];
    if (parts.size() == 3) text = parts[0] + "-" + parts[1] + "-" + parts[2];
    auto date = ParseDate(text);
    if (!date) {
      Problem(field, raw, "is not a date (YYYY-MM-DD)");
      return std::nullopt;
    }
    return *date;
  }
  int64_t line() const { return row_.line; }

 private:
  const Layout& layout_;
  const tabular::Row& row_;
  Problems& problems_;
};

// Every field either import reads, resolved against the file's header once.
struct Fields {
  explicit Fields(const Layout& layout)
      : number(layout.Get("number")),
        region_code(layout.Get("region_code")),
        attribute(layout.Get("attribute")),
        main_cause(layout.Get("main_cause")),
        secondary_cause(layout.Get("secondary_cause")),
        year_identified(layout.Get("year_identified")),
        lifted_year(layout.Get("lifted_year")),
        phone(layout.Get("phone")),
        bank_account(layout.Get("bank_account")),
        housing_safe(layout.Get("housing_safe")),
        housing_area(layout.Get("housing_area")),
        water_safe(layout.Get("water_safe")),
        market_distance_km(layout.Get("market_distance_km")),
        name(layout.Get("name")),
        id_number(layout.Get("id_number")),
        relation(layout.Get("relation")),
        sex(layout.Get("sex")),
        birth_date(layout.Get("birth_date")),
        ethnicity(layout.Get("ethnicity")),
        education(layout.Get("education")),
        in_school(layout.Get("in_school")),
        health(layout.Get("health")),
        labour(layout.Get("labour")),
        migrant_months(layout.Get("migrant_months")),
        dibao(layout.Get("dibao")),
        medical_insurance(layout.Get("medical_insurance")),
        pension(layout.Get("pension")),
        incomes{layout.Get(kIncomeKeys[0]), layout.Get(kIncomeKeys[1]), layout.Get(kIncomeKeys[2]),
                layout.Get(kIncomeKeys[3]), layout.Get(kIncomeKeys[4])},
        net_income(layout.Get("net_income")),
        per_capita_net_income(layout.Get("per_capita_net_income")),
        year(layout.Get("year")) {}

  Field number, region_code, attribute, main_cause, secondary_cause, year_identified, lifted_year,
      phone, bank_account, housing_safe, housing_area, water_safe, market_distance_km;
  Field name, id_number, relation, sex, birth_date, ethnicity, education, in_school, health, labour,
      migrant_months, dibao, medical_insurance, pension;
  Field incomes[std::size(kIncomeKeys)];  // in the order of kIncomeKeys
  Field net_income, per_capita_net_income, year;
};

// 与户主关系 as national-system exports and county spreadsheets write it.
std::optional<std::string> ParseRelation(std::string_view raw) {
  if (auto code = Relations().Parse(raw)) return std::string(*code);
  static const std::map<std::string_view, std::string_view> kAliases = {
      {"本人", "head"},         {"之妻", "spouse"},       {"之夫", "spouse"},
      {"妻子", "spouse"},       {"丈夫", "spouse"},       {"之子", "child"},
      {"之女", "child"},        {"儿子", "child"},        {"女儿", "child"},
      {"长子", "child"},        {"次子", "child"},        {"长女", "child"},
      {"次女", "child"},        {"养子", "child"},        {"养女", "child"},
      {"继子", "child"},        {"继女", "child"},        {"之父", "parent"},
      {"之母", "parent"},       {"父亲", "parent"},       {"母亲", "parent"},
      {"之孙子", "grandchild"}, {"之孙女", "grandchild"}, {"孙子", "grandchild"},
      {"孙女", "grandchild"},   {"外孙子", "grandchild"}, {"外孙女", "grandchild"},
      {"之儿媳", "other"},      {"之女婿", "other"},      {"儿媳", "other"},
      {"女婿", "other"},        {"之兄弟姐妹", "other"},  {"兄弟姐妹", "other"},
      {"之祖父母", "other"},    {"祖父母", "other"},      {"之外祖父母", "other"},
  };
  auto it = kAliases.find(raw);
  if (it != kAliases.end()) return std::string(it->second);
  return std::nullopt;
}

std::string NormalizeId(std::string_view raw) {
  std::string id(Trim(raw));
  if (!id.empty() && id.back() == 'x') id.back() = 'X';
  return id;
}

bool LooksLikeExcelNumber(std::string_view raw) {
  return raw.find('E') != std::string_view::npos || raw.find('e') != std::string_view::npos ||
         raw.find('.') != std::string_view::npos;
}

uint64_t HashText(std::string_view text) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string Money(double v) { return fmt::format("{:.2f}", v); }

// Totals given in the file agree with their components to the yuan (files round to yuan or fen).
constexpr double kMoneyTolerance = 1.0;

// ---------------------------------------------------------------------------------------------
// One household as the file gives it: its record (kept beside it, in the same position, so
// that a new household is written as read) and where its parts are in the file.

struct FileHousehold {
  int64_t first_row = 0;
  std::optional<int> lifted_year;
  size_t file_members = 0;           // member rows the file gives for it
  std::vector<int64_t> member_rows;  // the row of each member of the record (0: stored only)
  // Incomes by year with the row that gave them, and the totals the file states.
  struct FileIncome {
    int64_t row = 0;
    Income income;
    std::optional<double> net;
    std::optional<double> per_capita;
  };
  std::vector<FileIncome> incomes;
};

// The household columns present in the file, in a fixed order.
std::vector<Field> HouseholdFields(std::span<const ImportColumn> columns, const Layout& layout) {
  std::vector<Field> fields;
  for (const ImportColumn& c : columns) {
    if (c.household && layout.Has(c.key) && c.key != "number" && c.key != "year") {
      fields.push_back(layout.Get(c.key));
    }
  }
  return fields;
}

// Reads the household's own columns from the row into `hh` and `h`.
void ReadHouseholdColumns(const Cells& cells, const Fields& f, int max_year, Household& hh,
                          FileHousehold& h) {
  hh.region_code = std::string(cells.Raw(f.region_code));
  hh.attribute = cells.Code(f.attribute, Attributes());
  hh.main_cause = cells.Code(f.main_cause, Causes());
  hh.secondary_cause = cells.Code(f.secondary_cause, Causes());
  hh.year_identified = cells.Year(f.year_identified, max_year);
  h.lifted_year = cells.Year(f.lifted_year, max_year);
  hh.phone = std::string(cells.Raw(f.phone));
  hh.bank_account = std::string(cells.Raw(f.bank_account));
  std::erase(hh.bank_account, ' ');  // account numbers are often written in groups
  hh.housing_safe = cells.Bool(f.housing_safe);
  hh.housing_area = cells.Number(f.housing_area);
  hh.water_safe = cells.Bool(f.water_safe);
  hh.market_distance_km = cells.Number(f.market_distance_km);
}

// Reads a member's columns from the row but the name and ID number.
void ReadMemberColumns(const Cells& cells, const Fields& f, Member& m) {
  const std::string_view relation = cells.Raw(f.relation);
  if (auto code = ParseRelation(relation)) {
    m.relation = *code;
  } else if (!relation.empty()) {
    cells.Problem(f.relation, relation, "is not one of: " + Relations().Allowed());
  }
  m.sex = cells.Code(f.sex, Sexes());
  m.birth_date = cells.DateCell(f.birth_date);
  m.ethnicity = std::string(cells.Raw(f.ethnicity));
  m.education = cells.Code(f.education, Educations());
  m.in_school = cells.Bool(f.in_school);
  m.health = cells.Code(f.health, HealthConditions());
  m.labour = cells.Code(f.labour, LabourCapacities());
  m.migrant_months = cells.Int(f.migrant_months);
  m.dibao = cells.Bool(f.dibao);
  m.medical_insurance = cells.Bool(f.medical_insurance);
  m.pension = cells.Bool(f.pension);
}

// The income columns of a row; nullopt when the row has none of them filled.
std::optional<FileHousehold::FileIncome> ReadIncomeColumns(const Cells& cells, const Fields& f,
                                                           int year) {
  FileHousehold::FileIncome fi;
  fi.row = cells.line();
  fi.income.year = year;
  bool any = false;
  double* targets[] = {&fi.income.wages, &fi.income.business, &fi.income.property,
                       &fi.income.transfer, &fi.income.costs};
  for (size_t i = 0; i < std::size(kIncomeKeys); ++i) {
    if (auto v = cells.Number(f.incomes[i])) {
      *targets[i] = *v;
      any = true;
    }
  }
  fi.net = cells.Number(f.net_income);
  fi.income.reported_net = fi.net;  // as the file states it (checked below)
  fi.per_capita = cells.Number(f.per_capita_net_income);
  if (!any && !fi.net && !fi.per_capita) return std::nullopt;
  return fi;
}

// An open-addressing hash table of (key, value) pairs of integers, for the file's million ID
// numbers: one array, no allocation per entry. Keys must not be kEmpty.
class FlatMap {
 public:
  static constexpr uint64_t kEmpty = ~uint64_t{0};

  // The value of `key`, after inserting `value` when the key is new.
  int64_t TryEmplace(uint64_t key, int64_t value) {
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    Slot& slot = Find(key);
    if (slot.key == kEmpty) {
      slot = {key, value};
      ++size_;
    }
    return slot.value;
  }
  size_t size() const { return size_; }
  // Room for `n` keys without growing.
  void Reserve(size_t n) {
    if (n * 2 > slots_.size()) Rehash(std::bit_ceil(n * 2));
  }
  template <typename F>
  void ForEach(F&& f) const {
    for (const Slot& slot : slots_) {
      if (slot.key != kEmpty) f(slot.key, slot.value);
    }
  }

 private:
  struct Slot {
    uint64_t key;
    int64_t value;
  };
  Slot& Find(uint64_t key) {
    const size_t mask = slots_.size() - 1;
    size_t i = (key * 0x9E3779B97F4A7C15ULL) >> 20 & mask;
    while (slots_[i].key != kEmpty && slots_[i].key != key) i = (i + 1) & mask;
    return slots_[i];
  }
  void Grow() { Rehash(std::max<size_t>(1024, slots_.size() * 2)); }
  void Rehash(size_t slots) {
    std::vector<Slot> old(slots, Slot{kEmpty, 0});
    old.swap(slots_);
    for (const Slot& slot : old) {
      if (slot.key != kEmpty) Find(slot.key) = slot;
    }
  }

  std::vector<Slot> slots_;
  size_t size_ = 0;
};

// The file's ID numbers and the first row giving each. Well-formed numbers (17 digits and a
// digit or X) are held as integers: a million of them cost no strings.
class IdRows {
 public:
  // The first row with `id`; `row` when it is the first.
  int64_t FirstRow(std::string_view id, int64_t row) {
    if (auto packed = Pack(id)) return packed_.TryEmplace(*packed, row);
    return other_.try_emplace(std::string(id), row).first->second;
  }
  size_t size() const { return packed_.size() + other_.size(); }
  void Reserve(size_t n) { packed_.Reserve(n); }
  // Calls `visit` with the ID numbers as text, `chunk` at a time (the last chunk shorter), so
  // that a million of them are never all strings at once; stops at its first error.
  Status ForEachChunk(size_t chunk,
                      const std::function<Status(std::span<const std::string>)>& visit) const {
    std::vector<std::string> ids;
    ids.reserve(std::min(chunk, size()));
    Status status;
    auto add = [&](std::string id) {
      if (!status) return;
      ids.push_back(std::move(id));
      if (ids.size() == chunk) {
        status = visit(ids);
        ids.clear();
      }
    };
    packed_.ForEach([&](uint64_t packed, int64_t) { add(Unpack(packed)); });
    for (const auto& [id, row] : other_) add(id);
    if (status && !ids.empty()) status = visit(ids);
    return status;
  }

 private:
  static std::optional<uint64_t> Pack(std::string_view id) {
    if (id.size() != 18) return std::nullopt;
    uint64_t value = 0;
    for (size_t i = 0; i < 17; ++i) {
      if (id[i] < '0' || id[i] > '9') return std::nullopt;
      value = value * 10 + static_cast<uint64_t>(id[i] - '0');
    }
    const char last = id[17];
    if (last >= '0' && last <= '9') return value * 11 + static_cast<uint64_t>(last - '0');
    if (last == 'X') return value * 11 + 10;
    return std::nullopt;
  }
  static std::string Unpack(uint64_t packed) {
    std::string id(18, '0');
    const uint64_t last = packed % 11;
    id[17] = last == 10 ? 'X' : static_cast<char>('0' + last);
    packed /= 11;
    for (int i = 16; i >= 0; --i, packed /= 10) id[i] = static_cast<char>('0' + packed % 10);
    return id;
  }

  FlatMap packed_;
  std::unordered_map<std::string, int64_t> other_;
};

bool HasIncomeColumns(const Fields& f) {
  for (const Field& income : f.incomes) {
    if (income.present()) return true;
  }
  return f.net_income.present() || f.per_capita_net_income.present();
}

// Copies the fields whose columns the file has from `from` into `to`.
void ApplyHousehold(const Household& from, const Layout& layout, Household& to) {
  auto set = [&](std::string_view key, auto member) {
    if (layout.Has(key)) to.*member = from.*member;
  };
  set("region_code", &Household::region_code);
  set("attribute", &Household::attribute);
  set("main_cause", &Household::main_cause);
  set("secondary_cause", &Household::secondary_cause);
  set("year_identified", &Household::year_identified);
  set("phone", &Household::phone);
  set("bank_account", &Household::bank_account);
  set("housing_safe", &Household::housing_safe);
  set("housing_area", &Household::housing_area);
  set("water_safe", &Household::water_safe);
  set("market_distance_km", &Household::market_distance_km);
}

void ApplyMember(const Member& from, const Layout& layout, Member& to) {
  auto set = [&](std::string_view key, auto member) {
    if (layout.Has(key)) to.*member = from.*member;
  };
  set("name", &Member::name);
  set("relation", &Member::relation);
  set("sex", &Member::sex);
  set("birth_date", &Member::birth_date);
  set("ethnicity", &Member::ethnicity);
  set("education", &Member::education);
  set("in_school", &Member::in_school);
  set("health", &Member::health);
  set("labour", &Member::labour);
  set("migrant_months", &Member::migrant_months);
  set("dibao", &Member::dibao);
  set("medical_insurance", &Member::medical_insurance);
  set("pension", &Member::pension);
  // A sex or birth date the file does not give follows from the (possibly corrected) ID.
  if (!layout.Has("sex")) to.sex.clear();
  if (!layout.Has("birth_date")) to.birth_date.reset();
}

// Adds the status events the file implies. Problems name the lifted-year column.
void MergeEvents(const FileHousehold& fh, const Layout& layout, const Date& today,
                 HouseholdRecord& record, Problems& problems) {
  auto has = [&](std::string_view status, std::optional<int> year) {
    return std::any_of(record.events.begin(), record.events.end(), [&](const StatusEvent& e) {
      return e.status == status && (!year || e.year == year || (!e.year && e.on.year == *year));
    });
  };
  const auto& identified = record.household.year_identified;
  if (identified && !has("identified", std::nullopt)) {
    record.events.push_back({0, "identified", Date{*identified, 1, 1}, std::nullopt, ""});
  }
  if (fh.lifted_year) {
    const int y = *fh.lifted_year;
    if (identified && y < *identified) {
      problems.Add(fh.first_row, layout.Header("lifted_year"), std::to_string(y),
                   fmt::format("is before the year identified ({})", *identified));
      return;
    }
    if (!has("lifted", y)) {
      // A later lifting out is a new event only after a return to poverty; otherwise the file
      // contradicts the history, which is never overwritten.
      std::optional<int> last_lifted;
      bool returned_since = false;
      for (const StatusEvent& e : record.events) {
        if (e.status == "lifted") {
          last_lifted = e.year;
          returned_since = false;
        } else if (e.status == "returned") {
          returned_since = true;
        }
      }
      if (last_lifted && !(returned_since && y >= *last_lifted)) {
        problems.Add(fh.first_row, layout.Header("lifted_year"), std::to_string(y),
                     fmt::format("the registry records lifting out in {}; a different year is "
                                 "recorded as a status event, not by import",
                                 *last_lifted));
        return;
      }
      const Date on = std::min(Date{y, 12, 31}, today);
      record.events.push_back({0, "lifted", on, y, ""});
    }
  }
  std::stable_sort(record.events.begin(), record.events.end(),
                   [](const StatusEvent& a, const StatusEvent& b) { return a.on < b.on; });
}

// Puts a file income into the record (replacing its year) and checks the file's totals.
void MergeIncome(const FileHousehold::FileIncome& fi, const Layout& layout, HouseholdRecord& record,
                 Problems& problems) {
  auto it = std::find_if(record.incomes.begin(), record.incomes.end(),
                         [&](const Income& i) { return i.year == fi.income.year; });
  if (it != record.incomes.end()) {
    *it = fi.income;
  } else {
    record.incomes.push_back(fi.income);
    std::sort(record.incomes.begin(), record.incomes.end(),
              [](const Income& a, const Income& b) { return a.year < b.year; });
  }
  const double net = fi.income.Net();
  if (fi.net && std::abs(*fi.net - net) > kMoneyTolerance) {
    problems.Add(
        fi.row, layout.Header("net_income"), fmt::format("{}", *fi.net),
        fmt::format("does not match the components: {} + {} + {} + {} − {} = {}",
                    Money(fi.income.wages), Money(fi.income.business), Money(fi.income.property),
                    Money(fi.income.transfer), Money(fi.income.costs), Money(net)));
  }
  if (fi.per_capita) {
    auto computed = PerCapitaNetIncome(fi.income, record.members);
    if (!computed) {
      problems.Add(fi.row, layout.Header("per_capita_net_income"),
                   fmt::format("{}", *fi.per_capita),
                   fmt::format("the household had no members on 31 December {}", fi.income.year));
    } else if (std::abs(*fi.per_capita - *computed) > kMoneyTolerance) {
      const int64_t people =
          std::count_if(record.members.begin(), record.members.end(), [&](const Member& m) {
            return m.MemberOn(Date{fi.income.year, 12, 31});
          });
      problems.Add(fi.row, layout.Header("per_capita_net_income"),
                   fmt::format("{}", *fi.per_capita),
                   fmt::format("does not match net income / members on 31 December: {} / {} = {}",
                               Money(net), people, Money(*computed)));
    }
  }
}

// Where a ValidateRecord problem lies in the file.
struct FieldPlace {
  int64_t row;
  std::string column;
};

FieldPlace PlaceOf(std::string_view field, const FileHousehold& fh,
                   const std::vector<int64_t>& member_rows, const Layout& layout) {
  if (field.starts_with("members[")) {
    const size_t close = field.find(']');
    size_t index = 0;
    std::from_chars(field.data() + 8, field.data() + close, index);
    const int64_t row =
        index >= 1 && index <= member_rows.size() ? member_rows[index - 1] : fh.first_row;
    std::string_view key = close + 2 <= field.size() ? field.substr(close + 2) : "";
    return {row, layout.Header(key)};
  }
  if (field == "members") return {fh.first_row, layout.Header("relation")};
  if (field.starts_with("events[")) return {fh.first_row, layout.Header("lifted_year")};
  if (field.starts_with("incomes[")) {
    const size_t close = field.find(']');
    int year = 0;
    std::from_chars(field.data() + 8, field.data() + close, year);
    std::string_view key = close + 2 <= field.size() ? field.substr(close + 2) : "year";
    for (const auto& fi : fh.incomes) {
      if (fi.income.year == year) return {fi.row, layout.Header(key)};
    }
    return {fh.first_row, layout.Header(key)};
  }
  if (field == "region") return {fh.first_row, layout.Header("region_code")};
  return {fh.first_row, layout.Header(field)};
}

// Writes households through a BulkLoad on a thread of its own while the importer reads on
// (ImportOptions::write_while_reading_from). The importer hands over each household once it
// is final; the records must then stay where they are, unchanged, until the load ends.
class BackgroundLoad {
 public:
  // `expected`: about how many households the load will get; they are written in batches of
  // about a 64th of them (so that the writing keeps up with the reading from the start).
  BackgroundLoad(std::unique_ptr<BulkLoad> load, size_t expected)
      : load_(std::move(load)),
        batch_(std::clamp<size_t>(expected / 64, 16, 4000)),
        thread_([this] { Run(); }) {}
  // Stops the thread, dropping what it has not written; the load is rolled back.
  ~BackgroundLoad() { Stop(/*discard=*/true); }
  BackgroundLoad(const BackgroundLoad&) = delete;
  BackgroundLoad& operator=(const BackgroundLoad&) = delete;

  void Add(const HouseholdRecord* record) {
    pending_.push_back(record);
    if (pending_.size() >= batch_) Send();
  }
  size_t batch() const { return batch_; }
  // Waits until every household handed over is written: the load's first error, if any.
  // The load is then the caller's to use, from its own thread.
  Status Drain() {
    Send();
    Stop(/*discard=*/false);
    return status_;
  }
  BulkLoad& load() { return *load_; }

 private:
  void Send() {
    if (pending_.empty()) return;
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(std::move(pending_));
    }
    pending_.clear();
    ready_.notify_one();
  }
  void Stop(bool discard) {
    if (!thread_.joinable()) return;
    {
      std::lock_guard lock(mutex_);
      closing_ = true;
      if (discard) queue_.clear();
    }
    ready_.notify_one();
    thread_.join();
  }
  void Run() {
    for (;;) {
      std::vector<const HouseholdRecord*> batch;
      {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [&] { return closing_ || !queue_.empty(); });
        if (queue_.empty()) return;
        batch = std::move(queue_.front());
        queue_.pop_front();
      }
      // After a failure the rest is not written: the load will be rolled back.
      if (!status_) continue;
      try {
        status_ = load_->Add(batch);
      } catch (const std::exception& e) {
        status_ = Internal(fmt::format("writing while reading: {}", e.what()));
      }
    }
  }

  std::unique_ptr<BulkLoad> load_;
  const size_t batch_;
  std::vector<const HouseholdRecord*> pending_;  // the importer's, until sent
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::vector<const HouseholdRecord*>> queue_;
  bool closing_ = false;
  Status status_;  // the thread's until it is joined
  std::thread thread_;
};

}  // namespace

std::string_view ImportKindName(ImportKind kind) {
  return kind == ImportKind::kMembers ? "members" : "incomes";
}

std::optional<ImportKind> ParseImportKind(std::string_view name) {
  if (name == "members") return ImportKind::kMembers;
  if (name == "incomes") return ImportKind::kIncomes;
  return std::nullopt;
}

std::span<const ImportColumn> ImportColumns(ImportKind kind) {
  if (kind == ImportKind::kMembers) return kMemberColumns;
  return kIncomeColumns;
}

std::vector<std::string> TemplateHeader(ImportKind kind, std::string_view lang) {
  std::vector<std::string> header;
  for (const ImportColumn& c : ImportColumns(kind)) {
    header.emplace_back(lang == "en" ? c.key : c.zh);
  }
  return header;
}

std::vector<std::vector<std::string>> TemplateExamples(ImportKind kind) {
  // Two people of one household (the examples of the column table), synthetic and valid.
  std::vector<std::vector<std::string>> rows(kind == ImportKind::kMembers ? 2 : 1);
  for (const ImportColumn& c : ImportColumns(kind)) rows[0].emplace_back(c.example);
  if (kind == ImportKind::kMembers) {
    rows[1] = rows[0];
    const auto columns = ImportColumns(kind);
    for (size_t i = 0; i < columns.size(); ++i) {
      const std::string_view key = columns[i].key;
      if (key == "name") rows[1][i] = "李四";
      if (key == "id_number") rows[1][i] = "99012119520820992X";
      if (key == "relation") rows[1][i] = "配偶";
      if (key == "sex") rows[1][i] = "女";
      if (key == "birth_date") rows[1][i] = "1952-08-20";
      if (key == "health") rows[1][i] = "健康";
    }
  }
  return rows;
}

Result<ImportReport> RegistryImporter::Import(ImportKind kind, tabular::TableReader& reader,
                                              const ImportOptions& options,
                                              const audit::Actor& actor) {
  const Date today = ChinaDate(clock_.Now());
  const std::string what = fmt::format("importing {}", ImportKindName(kind));
  auto cancelled = [&](std::string_view phase, int64_t rows) {
    return options.progress && !options.progress(phase, rows);
  };
  auto cancel_error = [&] {
    return MakeError(ErrorCode::kFailedPrecondition,
                     fmt::format("{}: cancelled; nothing was written", what));
  };

  ImportReport report;
  report.kind = kind;
  report.format = std::string(reader.format());
  report.dry_run = options.dry_run;
  Problems problems(options.max_problems);
  const auto columns = ImportColumns(kind);
  const Layout layout(columns, reader.header(), reader.header_line(), problems);
  if (!problems.empty()) return std::unexpected(problems.ToError(what));
  if (!layout.unknown.empty()) {
    std::string list;
    for (const std::string& u : layout.unknown) list += (list.empty() ? "" : ", ") + u;
    report.warnings.push_back({reader.header_line(), "", list, "columns ignored (not known)"});
  }
  const Fields f(layout);
  const bool with_incomes = HasIncomeColumns(f);
  if (kind == ImportKind::kMembers && with_incomes && !options.year) {
    return InvalidArgument(
        fmt::format("{}: the file has income columns; give their year with --year", what));
  }
  if (kind == ImportKind::kIncomes && !f.year.present() && !options.year) {
    return InvalidArgument(
        fmt::format("{}: the file has no year column (年度); give the year with --year", what));
  }
  if (kind == ImportKind::kIncomes && !with_incomes) {
    return InvalidArgument(fmt::format("{}: the file has no income column", what));
  }
  const std::vector<Field> household_fields = HouseholdFields(columns, layout);
  const size_t hash_count = household_fields.size();

  // 1. Read every row, grouped by household number in order of first appearance: the
  //    household's record as the file gives it in `records`, the rest in `households`.
  std::vector<HouseholdRecord> records;
  std::vector<FileHousehold> households;
  // The household columns of each household's first row, hashed, to spot conflicts.
  std::vector<uint64_t> first_hashes;
  // A large file's structures are sized once from its first part, as a share of the file,
  // instead of growing by copies: a province's 300,000 records are 165 MB.
  constexpr size_t kSizingHouseholds = 4096;
  std::unordered_map<std::string, size_t> by_number;
  IdRows id_rows;
  std::set<int64_t> excel_id_rows;  // rows whose ID number Excel turned into a number
  // The members of the household being read (`open`), until its rows end.
  constexpr size_t kNone = ~size_t{0};
  size_t open = kNone;
  std::vector<Member> open_members;
  std::vector<int64_t> open_rows;
  // Households before `closed` have all their rows read (while they come together).
  size_t closed = 0;
  auto close_open = [&] {
    if (open == kNone) return;
    std::vector<Member>& members = records[open].members;
    members.reserve(open_members.size());
    std::move(open_members.begin(), open_members.end(), std::back_inserter(members));
    households[open].member_rows = open_rows;
    open_members.clear();
    open_rows.clear();
    closed = open + 1;
    open = kNone;
  };

  // A household as it will be stored — the file's, merged into the stored record for one the
  // registry has — completed (status history, incomes) and validated; problems into `into`.
  auto complete = [&](size_t i, Problems& into) {
    FileHousehold& fh = households[i];
    HouseholdRecord& record = records[i];
    if (kind == ImportKind::kMembers) MergeEvents(fh, layout, today, record, into);
    for (const auto& fi : fh.incomes) MergeIncome(fi, layout, record, into);
    for (const ErrorDetail& d : ValidateRecord(record, today)) {
      const FieldPlace place = PlaceOf(d.column, fh, fh.member_rows, layout);
      if (d.column.ends_with(".id_number") && excel_id_rows.contains(place.row)) continue;
      std::string reason = d.reason;
      if (place.row == 0 ||
          (d.column.starts_with("members[") && place.row == fh.first_row && fh.file_members == 0)) {
        reason = fmt::format("household {} ({}): {}", record.household.number, d.column, reason);
      }
      into.Add(place.row, place.column, d.value, std::move(reason));
    }
  };

  // Writing while reading (ImportOptions::write_while_reading_from): households before
  // `handed` are completed and written, or being written, by `background`. Declared after the
  // records, so that it ends before they do. Completing is idempotent: when the load is
  // abandoned, step 4 below completes every household again, as without it.
  std::unique_ptr<BackgroundLoad> background;
  size_t handed = 0;
  const size_t background_from =
      std::min<size_t>(kSizingHouseholds, std::max<size_t>(options.write_while_reading_from, 1));
  auto start_background = [&] {
    if (kind != ImportKind::kMembers || options.dry_run || options.write_while_reading_from == 0 ||
        !problems.empty() || (!options.write_while_reading_on_one_core && UsableCores() < 2)) {
      return;
    }
    size_t expected = records.size();
    if (const std::optional<double> read = reader.FractionRead(); read && *read > 0) {
      expected = std::max(expected, static_cast<size_t>(static_cast<double>(expected) / *read));
    }
    if (expected < options.write_while_reading_from) return;
    // Room for every household without moving one: the load will hold their addresses (the
    // addresses only: memory is touched as records are added).
    try {
      records.reserve(std::max(records.capacity(), 2 * expected + 1024));
    } catch (const std::exception&) {
      return;  // not that much room: the import goes on without a load
    }
    auto load = registry_.BeginBulkLoad(expected);
    // Not offered, or failing to begin: the import goes on without it (and meets the
    // storage's error, if any, when it writes).
    if (!load || !*load) return;
    background = std::make_unique<BackgroundLoad>(std::move(*load), expected);
  };
  // Completes the closed households not handed over yet and hands them over; abandons the
  // load at the first problem (of theirs or of any row before).
  auto hand_over_closed = [&] {
    if (!background) return;
    for (; handed < closed; ++handed) {
      Problems own(1);
      if (problems.empty()) complete(handed, own);
      if (!problems.empty() || !own.empty()) {
        background.reset();
        return;
      }
      background->Add(&records[handed]);
    }
  };
  tabular::Row row;
  std::string last_number;  // a household's rows usually follow each other
  size_t last_index = 0;
  auto size_from_first_part = [&] {
    const std::optional<double> read = reader.FractionRead();
    if (!read || *read <= 0 || *read >= 0.5) return;
    const double scale = 1.1 / *read;  // a little room: the share read is approximate
    const auto rows = static_cast<size_t>(static_cast<double>(report.rows) * scale);
    // When a household's rows are scattered over the file, its first part holds more
    // households than its share: then this reserves up to a household per row (the addresses
    // only; memory is touched as records are added).
    const auto expected = static_cast<size_t>(static_cast<double>(records.size()) * scale);
    // A load under way holds the records' addresses: they do not move (it reserved its own
    // room, and is abandoned when that is full).
    if (!background) records.reserve(expected);
    households.reserve(expected);
    first_hashes.reserve(expected * hash_count);
    if (kind == ImportKind::kMembers) {
      id_rows.Reserve(rows);
    }
  };
  for (;;) {
    auto more = reader.Next(row);
    if (!more) return std::unexpected(more.error());
    if (!*more) break;
    ++report.rows;
    if (report.rows % options.progress_every == 0 && cancelled("read", report.rows)) {
      return cancel_error();
    }
    const Cells cells(layout, row, problems);
    const std::string_view number = cells.Raw(f.number);
    if (number.empty()) {
      cells.Problem(f.number, "", "is required");
      continue;
    }
    bool added = false;
    size_t index = last_index;
    if (records.empty() || number != last_number) {
      auto [it, fresh] = by_number.try_emplace(std::string(number), records.size());
      added = fresh;
      index = it->second;
      last_number = number;
      last_index = index;
    }
    if (added) {
      if (records.size() == kSizingHouseholds) size_from_first_part();
      if (records.size() == background_from) start_background();
      // The load holds the records' addresses: they must not move.
      if (background && records.size() == records.capacity()) background.reset();
      records.emplace_back();
      households.emplace_back();
      FileHousehold& fh = households.back();
      fh.first_row = row.line;
      records.back().household.number = std::string(number);
      for (const Field& field : household_fields) {
        first_hashes.push_back(HashText(cells.Raw(field)));
      }
      ReadHouseholdColumns(cells, f, today.year, records.back().household, fh);
    } else if (kind == ImportKind::kMembers) {
      // The household's columns repeat on every person's row: they must agree.
      const uint64_t* first = first_hashes.data() + index * hash_count;
      for (size_t k = 0; k < hash_count; ++k) {
        const std::string_view raw = cells.Raw(household_fields[k]);
        if (HashText(raw) != first[k]) {
          cells.Problem(household_fields[k], raw,
                        fmt::format("differs from row {} of the same household {}",
                                    households[index].first_row, number));
        }
      }
    }
    FileHousehold& fh = households[index];
    HouseholdRecord& record = records[index];

    if (kind == ImportKind::kMembers) {
      Member m;
      m.name = std::string(cells.Raw(f.name));
      const std::string_view raw_id = cells.Raw(f.id_number);
      m.id_number = NormalizeId(raw_id);
      // The same person twice in one household: the later row updates the earlier one.
      bool merge = false;
      if (!raw_id.empty() && raw_id.size() != 18 && LooksLikeExcelNumber(raw_id)) {
        excel_id_rows.insert(row.line);
        cells.Problem(f.id_number, raw_id,
                      "was stored by Excel as a number and has lost digits; format the column "
                      "as text and enter the number again");
        merge = true;
      } else if (!m.id_number.empty()) {
        const int64_t first = id_rows.FirstRow(m.id_number, row.line);
        if (first != row.line) {
          cells.Problem(f.id_number, m.id_number,
                        fmt::format("the same person is also on row {}", first));
          merge = true;
        }
      }
      ReadMemberColumns(cells, f, m);
      ++report.members;
      ++fh.file_members;
      if (with_incomes && added) {
        if (auto fi = ReadIncomeColumns(cells, f, *options.year)) fh.incomes.push_back(*fi);
      }
      if (index != open) {
        close_open();
        // A household's rows usually follow each other: gather a new one's members apart
        // and give it a vector of their number at its last row.
        if (record.members.empty()) {
          open = index;
        } else {
          // More rows of a household read before: it may have been handed over.
          background.reset();
        }
        if (background && closed - handed >= std::min<size_t>(background->batch(), 256)) {
          hand_over_closed();
        }
      }
      auto& members = index == open ? open_members : record.members;
      auto& member_rows = index == open ? open_rows : fh.member_rows;
      auto same = members.end();
      if (merge) {
        same = std::find_if(members.begin(), members.end(),
                            [&](const Member& x) { return x.id_number == m.id_number; });
      }
      if (same == members.end()) {
        members.push_back(std::move(m));
        member_rows.push_back(row.line);
      } else {
        ApplyMember(m, layout, *same);
        member_rows[static_cast<size_t>(same - members.begin())] = row.line;
      }
    } else {
      std::optional<int> year = options.year;
      if (f.year.present()) {
        const std::string_view raw = cells.Raw(f.year);
        if (raw.empty()) {
          if (!options.year) {
            cells.Problem(f.year, "", "is required");
            continue;
          }
        } else {
          auto y = cells.Year(f.year, today.year);
          if (!y) continue;
          if (options.year && *y != *options.year) {
            cells.Problem(f.year, raw, fmt::format("differs from --year {}", *options.year));
            continue;
          }
          year = y;
        }
      }
      auto fi = ReadIncomeColumns(cells, f, *year);
      if (!fi) {
        fi = FileHousehold::FileIncome{row.line, Income{*year, 0, 0, 0, 0, 0}, {}, {}};
      }
      auto same_year = std::find_if(fh.incomes.begin(), fh.incomes.end(),
                                    [&](const auto& other) { return other.income.year == *year; });
      if (same_year != fh.incomes.end()) {
        cells.Problem(
            f.year, std::to_string(*year),
            fmt::format("household {} has this year already on row {}", number, same_year->row));
        continue;
      }
      fh.incomes.push_back(*fi);
    }
  }
  close_open();
  if (background) {
    hand_over_closed();
    if (background && !background->Drain()) background.reset();
  }
  report.households = static_cast<int64_t>(records.size());
  for (const auto& fh : households) report.incomes += static_cast<int64_t>(fh.incomes.size());
  std::vector<uint64_t>().swap(first_hashes);
  if (cancelled("check", report.rows)) return cancel_error();

  // 2. The registry as stored: households by number, and where the file's people are.
  // With a load under way the registry is empty, and stays so until the load ends.
  Result<std::vector<HouseholdRecord>> stored;
  if (!background) {
    std::vector<std::string> numbers;
    numbers.reserve(records.size());
    for (const auto& r : records) numbers.push_back(r.household.number);
    stored = registry_.FindHouseholdsByNumber(numbers);
  }
  if (!stored) return std::unexpected(stored.error());
  std::unordered_map<std::string, HouseholdRecord*> existing;
  for (HouseholdRecord& r : *stored) existing[r.household.number] = &r;

  std::map<int, int64_t> prefixes;  // ID region prefix (6 digits) → first row
  if (kind == ImportKind::kMembers) {
    std::unordered_map<std::string, std::string> holders;
    if (!background) {
      FUPIN_TRY(id_rows.ForEachChunk(10000, [&](std::span<const std::string> ids) -> Status {
        auto found = registry_.HouseholdsOfIdNumbers(ids);
        if (!found) return std::unexpected(found.error());
        holders.merge(*found);
        return {};
      }));
    }
    const std::string id_column = layout.Header("id_number");
    for (size_t i = 0; i < records.size(); ++i) {
      const HouseholdRecord& r = records[i];
      for (size_t k = 0; k < r.members.size(); ++k) {
        const std::string& id = r.members[k].id_number;
        const int64_t member_row = households[i].member_rows[k];
        if (!holders.empty()) {
          auto it = holders.find(id);
          if (it != holders.end() && it->second != r.household.number) {
            problems.Add(member_row, id_column, id,
                         fmt::format("this person is registered in household {}; record the "
                                     "move as a member event there first",
                                     it->second));
          }
        }
        if (id.size() == 18 && IsAsciiDigits(std::string_view(id).substr(0, 6))) {
          int prefix = 0;
          for (size_t c = 0; c < 6; ++c) prefix = prefix * 10 + (id[c] - '0');
          prefixes.try_emplace(prefix, member_row);
        }
      }
    }
  }
  auto prefix_code = [](int prefix) { return fmt::format("{:06d}", prefix); };

  // 3. Regions: each household in an open village inside the write scope.
  {
    std::set<std::string> codes;
    if (kind == ImportKind::kMembers) {
      for (const auto& r : records) codes.insert(r.household.region_code);
    }
    std::vector<std::string> lookup(codes.begin(), codes.end());
    for (const auto& [prefix, first_row] : prefixes) {
      lookup.push_back(prefix_code(prefix) + "000000");
    }
    // A load under way may hold a lock that keeps other connections from reading.
    auto found = background ? background->load().FindRegions(lookup) : regions_.FindMany(lookup);
    if (!found) return std::unexpected(found.error());
    std::map<std::string, const regions::Region*, std::less<>> regions;
    for (const regions::Region& r : *found) regions[r.code] = &r;
    const std::string column = layout.Header("region_code");
    auto in_scope = [&](std::string_view code) {
      return std::any_of(options.write_scope.begin(), options.write_scope.end(),
                         [&](const std::string& s) { return access::InSubtree(s, code); });
    };
    for (size_t i = 0; i < records.size(); ++i) {
      // An incomes import does not move households; step 4 checks where they are.
      if (kind != ImportKind::kMembers) break;
      const FileHousehold& fh = households[i];
      const std::string& code = records[i].household.region_code;
      if (code.empty()) continue;  // reported by validation
      auto it = regions.find(code);
      if (it == regions.end()) {
        problems.Add(fh.first_row, column, code, "is not a known region");
      } else if (it->second->level != regions::RegionLevel::kVillage) {
        problems.Add(fh.first_row, column, code, "is not a village (households live in villages)");
      } else if (it->second->IsClosed()) {
        problems.Add(
            fh.first_row, column, code,
            fmt::format("the village was closed on {}", it->second->closed_on->ToString()));
      }
      if (!in_scope(code)) {
        problems.Add(fh.first_row, column, code, "is outside the regions you may write to");
      }
      if (existing.empty()) continue;
      auto stored_it = existing.find(records[i].household.number);
      if (stored_it != existing.end() && stored_it->second->household.region_code != code &&
          !in_scope(stored_it->second->household.region_code)) {
        problems.Add(fh.first_row, column, code,
                     "the household is registered in a region you may not write to");
      }
    }
    for (const auto& [prefix, first_row] : prefixes) {
      if (!regions.contains(prefix_code(prefix) + "000000")) {
        report.warnings.push_back(
            {first_row, layout.Header("id_number"), prefix_code(prefix),
             "the ID number's region of issue is not a known region (IDs issued by abolished "
             "counties stay valid)"});
      }
    }
  }

  // 4. Merge each household into its stored record and validate the result. A household
  //    the registry does not have is written as the file gives it.
  for (size_t i = 0; i < records.size(); ++i) {
    if (background) {  // completed, new, and written already
      ++report.counts.inserted;
      continue;
    }
    FileHousehold& fh = households[i];
    HouseholdRecord& record = records[i];
    auto it = existing.find(record.household.number);
    const bool is_new = it == existing.end();
    if (kind == ImportKind::kIncomes && is_new) {
      problems.Add(fh.first_row, layout.Header("number"), record.household.number,
                   "no household with this number is registered; import its members first");
      continue;
    }
    if (kind == ImportKind::kIncomes) {
      const std::string& code = it->second->household.region_code;
      if (!std::any_of(options.write_scope.begin(), options.write_scope.end(),
                       [&](const std::string& s) { return access::InSubtree(s, code); })) {
        problems.Add(fh.first_row, layout.Header("number"), record.household.number,
                     "the household is registered in a region you may not write to");
        continue;
      }
    }
    if (!is_new) {
      HouseholdRecord merged = *it->second;
      std::vector<int64_t> member_rows(merged.members.size(), 0);
      if (kind == ImportKind::kMembers) {
        ApplyHousehold(record.household, layout, merged.household);
        merged.members.reserve(merged.members.size() + record.members.size());
        for (size_t k = 0; k < record.members.size(); ++k) {
          Member& fm = record.members[k];
          auto m = std::find_if(merged.members.begin(), merged.members.end(), [&](const Member& x) {
            return !fm.id_number.empty() && x.id_number == fm.id_number;
          });
          if (m == merged.members.end()) {
            merged.members.push_back(std::move(fm));
            member_rows.push_back(fh.member_rows[k]);
          } else {
            ApplyMember(fm, layout, *m);
            member_rows[static_cast<size_t>(m - merged.members.begin())] = fh.member_rows[k];
          }
        }
      }
      record = std::move(merged);
      fh.member_rows = std::move(member_rows);
    }
    complete(i, problems);
    if (!is_new && SameContent(*it->second, record)) {
      ++report.counts.unchanged;
    } else if (is_new) {
      ++report.counts.inserted;
    } else {
      ++report.counts.updated;
    }
  }
  if (!problems.empty()) return std::unexpected(problems.ToError(what));
  if (options.dry_run) return report;
  if (cancelled("write", report.rows)) return cancel_error();

  // 5. Write, in one transaction.
  households.clear();
  households.shrink_to_fit();
  const std::string note =
      fmt::format("{} import{}; {} rows", ImportKindName(kind),
                  options.source.empty() ? "" : " of " + options.source, report.rows);
  if (background) {
    if (background->load().Flush()) {
      // Every row is written: the load builds its indexes and commits on another thread
      // while this one lets the file's records go.
      std::optional<Result<SaveCounts>> finished;
      std::thread finisher([&] {
        try {
          finished.emplace(background->load().Finish(actor, note));
        } catch (const std::exception& e) {
          finished.emplace(Internal(fmt::format("writing while reading: {}", e.what())));
        }
      });
      std::vector<HouseholdRecord>().swap(records);
      decltype(by_number)().swap(by_number);
      id_rows = IdRows();
      finisher.join();
      if (!*finished) return std::unexpected(Error(finished->error()).Prefix(what));
      report.counts = **finished;
      report.written_while_reading = true;
      return report;
    }
    // Rolled back: written as without the load, which names what failed.
    background.reset();
  }
  auto saved = registry_.SaveHouseholds(records, actor, note);
  if (!saved) {
    Error e = saved.error();
    return std::unexpected(e.Prefix(what));
  }
  report.counts = *saved;
  return report;
}

}  // namespace fupin::registry
