#include "workshops/model.h"

#include <fmt/format.h>

#include <array>

namespace fupin::workshops {
namespace {

using registry::Term;

constexpr std::array kTypes = {
    Term{"factory", "工厂加工型", "factory processing"},
    Term{"home_based", "居家加工型", "home-based processing"},
    Term{"farming", "种养殖型", "farming and breeding"},
    Term{"ecommerce", "商贸电商型", "trade and e-commerce"},
    Term{"tourism", "旅游服务型", "tourism and services"},
};
constexpr std::array kRecognition = {
    Term{"applied", "已申报", "applied"},
    Term{"recognized", "已认定", "recognized"},
    Term{"upgraded", "已升级", "upgraded"},
    Term{"revoked", "已撤销", "revoked"},
};
constexpr std::array kOperating = {
    Term{"operating", "正常生产", "operating"},
    Term{"partial", "部分生产", "partly operating"},
    Term{"suspended", "停工", "suspended"},
    Term{"closed", "关停", "closed"},
};
constexpr std::array kWageForms = {
    Term{"piece", "计件", "piece rate"},
    Term{"monthly", "计月", "monthly"},
    Term{"daily", "计日", "daily"},
};
constexpr std::array kProblems = {
    Term{"raw_materials", "原材料短缺", "raw-material shortage"},
    Term{"sales", "销售困难", "sales difficulty"},
    Term{"labour", "用工短缺", "labour shortage"},
    Term{"logistics", "交通物流不畅", "transport and logistics"},
    Term{"epidemic", "疫情防控", "epidemic measures"},
    Term{"funding", "资金困难", "funding"},
};
constexpr std::array kSupport = {
    Term{"subsidy", "一次性补助", "one-off subsidy"},
    Term{"loan", "贴息或免息贷款", "interest-free loan"},
    Term{"rent_relief", "租金减免", "rent relief"},
};
constexpr std::array kCategories = {
    Term{"registered_poor", "建档立卡贫困人口", "registered poor"},
    Term{"monitored", "监测对象", "monitored"},
    Term{"other_local", "其他本地劳动力", "other local labour"},
};

constexpr Vocabulary kTypeVocabulary{"workshop_type", kTypes};
constexpr Vocabulary kRecognitionVocabulary{"recognition", kRecognition};
constexpr Vocabulary kOperatingVocabulary{"operating_status", kOperating};
constexpr Vocabulary kWageVocabulary{"wage_form", kWageForms};
constexpr Vocabulary kProblemVocabulary{"report_problem", kProblems};
constexpr Vocabulary kSupportVocabulary{"support_kind", kSupport};
constexpr Vocabulary kCategoryVocabulary{"worker_category", kCategories};

class Problems {
 public:
  void Add(std::string field, std::string value, std::string reason) {
    out_.push_back({0, std::move(field), std::move(value), std::move(reason)});
  }
  void Code(const std::string& field, const std::string& value, const Vocabulary& v,
            bool required) {
    if (value.empty()) {
      if (required) Add(field, value, "is required");
      return;
    }
    if (!v.Contains(value)) Add(field, value, "is not one of: " + v.Allowed());
  }
  void NotNegative(const std::string& field, int64_t value) {
    if (value < 0) Add(field, std::to_string(value), "must not be negative");
  }
  std::vector<ErrorDetail> Take() { return std::move(out_); }

 private:
  std::vector<ErrorDetail> out_;
};

}  // namespace

const Vocabulary& WorkshopTypes() { return kTypeVocabulary; }
const Vocabulary& RecognitionStatuses() { return kRecognitionVocabulary; }
const Vocabulary& OperatingStatuses() { return kOperatingVocabulary; }
const Vocabulary& WageForms() { return kWageVocabulary; }
const Vocabulary& ReportProblems() { return kProblemVocabulary; }
const Vocabulary& SupportKinds() { return kSupportVocabulary; }
const Vocabulary& WorkerCategories() { return kCategoryVocabulary; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

std::vector<ErrorDetail> ValidateWorkshop(const Workshop& w, const Date& today) {
  Problems p;
  if (w.name.empty()) p.Add("name", "", "is required");
  if (w.operator_id <= 0) p.Add("operator_id", "", "is required");
  if (w.region_code.empty()) p.Add("region", "", "is required");
  p.Code("type", w.type, WorkshopTypes(), true);
  if (w.site_area_m2 && *w.site_area_m2 < 0) {
    p.Add("site_area_m2", fmt::format("{}", *w.site_area_m2), "must not be negative");
  }
  p.NotNegative("investment_fen", w.investment_fen);
  if (w.capacity_jobs < 0)
    p.Add("capacity_jobs", std::to_string(w.capacity_jobs), "must not be negative");
  if (w.longitude && (*w.longitude < -180 || *w.longitude > 180)) {
    p.Add("longitude", fmt::format("{}", *w.longitude), "must be between -180 and 180");
  }
  if (w.latitude && (*w.latitude < -90 || *w.latitude > 90)) {
    p.Add("latitude", fmt::format("{}", *w.latitude), "must be between -90 and 90");
  }
  if (w.longitude.has_value() != w.latitude.has_value()) {
    p.Add("latitude", "", "give both longitude and latitude, or neither");
  }
  for (size_t i = 0; i < w.recognitions.size(); ++i) {
    const Recognition& r = w.recognitions[i];
    const std::string at = fmt::format("recognitions[{}].", i + 1);
    p.Code(at + "status", r.status, RecognitionStatuses(), true);
    if (r.on > today) p.Add(at + "on", r.on.ToString(), "is in the future");
    if (i > 0 && r.on < w.recognitions[i - 1].on) {
      p.Add(at + "on", r.on.ToString(), "is before the previous event");
    }
  }
  for (size_t i = 0; i < w.status_changes.size(); ++i) {
    const StatusChange& s = w.status_changes[i];
    const std::string at = fmt::format("status_changes[{}].", i + 1);
    p.Code(at + "status", s.status, OperatingStatuses(), true);
    if (s.on > today) p.Add(at + "on", s.on.ToString(), "is in the future");
    if (i > 0 && s.on < w.status_changes[i - 1].on) {
      p.Add(at + "on", s.on.ToString(), "is before the previous event");
    }
  }
  for (size_t i = 0; i < w.support.size(); ++i) {
    const std::string at = fmt::format("support[{}].", i + 1);
    p.Code(at + "kind", w.support[i].kind, SupportKinds(), true);
    p.NotNegative(at + "amount_fen", w.support[i].amount_fen);
  }
  return p.Take();
}

std::vector<ErrorDetail> ValidateReport(const MonthlyReport& r, const Date& today) {
  Problems p;
  if (r.month < 1 || r.month > 12) {
    p.Add("month", std::to_string(r.month), "must be from 1 to 12");
    return p.Take();
  }
  if (r.year < 2013 || r.year > today.year || (r.year == today.year && r.month > today.month)) {
    p.Add("month", fmt::format("{:04}-{:02}", r.year, r.month),
          "must be a month from 2013 to the current one");
  }
  p.Code("status", r.status, OperatingStatuses(), true);
  const int days = DaysInMonth(r.year, r.month);
  if (r.days_operated < 0 || r.days_operated > days) {
    p.Add("days_operated", std::to_string(r.days_operated),
          fmt::format("must be from 0 to {} (the days of the month)", days));
  } else if (!IsOperating(r.status) && !r.status.empty() && r.days_operated > 0 &&
             r.days_operated == days) {
    p.Add("days_operated", std::to_string(r.days_operated),
          "a workshop suspended or closed for the month cannot have operated every day of it");
  }
  if (r.headcount < 0) p.Add("headcount", std::to_string(r.headcount), "must not be negative");
  if (r.poor_headcount < 0 || r.poor_headcount > r.headcount) {
    p.Add("poor_headcount", std::to_string(r.poor_headcount),
          fmt::format("must be from 0 to the headcount ({})", r.headcount));
  }
  p.NotNegative("wages_fen", r.wages_fen);
  p.NotNegative("output_fen", r.output_fen);
  p.NotNegative("sales_fen", r.sales_fen);
  if (r.poor_wages_fen < 0 || r.poor_wages_fen > r.wages_fen) {
    p.Add("poor_wages_fen", std::to_string(r.poor_wages_fen),
          fmt::format("must be from 0 to the wages paid in total ({})", r.wages_fen));
  }
  for (size_t i = 0; i < r.problems.size(); ++i) {
    p.Code(fmt::format("problems[{}]", i + 1), r.problems[i], ReportProblems(), true);
  }
  return p.Take();
}

std::vector<ErrorDetail> ValidateEmployment(const Employment& e,
                                            const std::vector<Employment>& others_of_person) {
  Problems p;
  if (e.workshop_id <= 0) p.Add("workshop_id", "", "is required");
  if (e.member_id <= 0) p.Add("member_id", "", "is required");
  p.Code("category", e.category, WorkerCategories(), true);
  p.Code("wage_form", e.wage_form, WageForms(), false);
  if (e.end && *e.end < e.start) p.Add("end", e.end->ToString(), "is before start");
  if (e.overlap_accepted) return p.Take();
  for (const Employment& o : others_of_person) {
    if (o.id == e.id && e.id != 0) continue;
    const bool apart = (o.end && *o.end < e.start) || (e.end && *e.end < o.start);
    if (!apart) {
      p.Add("start", e.start.ToString(),
            fmt::format("overlaps the employment from {} to {} in workshop {}; accept the "
                        "overlap explicitly if the person really holds both jobs",
                        o.start.ToString(), o.end ? o.end->ToString() : "now", o.workshop_id));
    }
  }
  return p.Take();
}

}  // namespace fupin::workshops
