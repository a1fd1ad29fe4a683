#include "app/demo_monitoring.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <set>

#include "monitoring/detection.h"
#include "monitoring/monitoring_service.h"

namespace fupin::app {
namespace {

using monitoring::Caller;
using monitoring::MonitoringService;

// The demo users who act in the workflow (audit entries name them, from "fupin demo").
const Caller kVillage{{"village", 0, "fupin demo"}, {""}};
const Caller kTownship{{"township", 0, "fupin demo"}, {""}};
const Caller kCounty{{"official", 0, "fupin demo"}, {""}};

// Noon in China Standard Time of `day`.
std::chrono::system_clock::time_point Noon(const Date& day) {
  return std::chrono::system_clock::time_point(std::chrono::days(day.DaysSinceEpoch())) +
         std::chrono::hours(4);
}

class Demo {
 public:
  Demo(monitoring::MonitoringRepository& monitoring, registry::RegistryRepository& registry,
       audit::AuditRepository& audit, regions::RegionRepository& regions)
      : monitoring_(monitoring), registry_(registry), audit_(audit), regions_(regions) {}

  // The service as of `day` (its clock stands still there).
  MonitoringService& On(const Date& day) {
    clock_ = std::make_unique<ManualClock>(Noon(day));
    service_ =
        std::make_unique<MonitoringService>(monitoring_, registry_, audit_, regions_, *clock_);
    return *service_;
  }

  // The households of a village that detection watches, in number order.
  Result<std::vector<registry::HouseholdSummary>> Watched(const std::string& village) {
    registry::HouseholdQuery q;
    q.scope = {""};
    q.within = village;
    q.limit = 10000;
    auto page = registry_.ListHouseholds(q);
    if (!page) return std::unexpected(page.error());
    std::vector<registry::HouseholdSummary> out;
    for (auto& s : page->items) {
      const std::string& status = s.household.status;
      if (status.empty() || status == "lifted" || status == "risk_eliminated") {
        out.push_back(std::move(s));
      }
    }
    return out;
  }

  // Reports `events` on the first watched households of `village` two days before `opened`,
  // runs detection over the village on `opened`, and returns the ids of the cases opened.
  Result<std::vector<int64_t>> Batch(const std::string& village, const Date& opened,
                                     const std::vector<monitoring::RiskEvent>& events) {
    auto watched = Watched(village);
    if (!watched) return std::unexpected(watched.error());
    const Date reported = monitoring::AddDays(opened, -2);
    for (size_t i = 0; i < events.size() && i < watched->size(); ++i) {
      monitoring::RiskEvent e = events[i];
      e.on = monitoring::AddDays(opened, -4);
      auto saved = On(reported).ReportRiskEvent((*watched)[i].household.id, e, kVillage);
      if (!saved) return std::unexpected(saved.error());
    }
    auto report = On(opened).RunDetection(village, std::nullopt, kCounty);
    if (!report) return std::unexpected(report.error());
    std::vector<int64_t> cases;
    std::set<int64_t> seen;
    for (const auto& a : report->recorded.created) {
      if (seen.insert(a.case_id).second) cases.push_back(a.case_id);
    }
    std::sort(cases.begin(), cases.end());
    return cases;
  }

  Status Verify(int64_t id, const Date& on) {
    auto c = On(on).Verify(id, true, "已入户核实，情况属实", kVillage);
    if (!c) return std::unexpected(c.error());
    return {};
  }
  Status Review(int64_t id, const Date& on) {
    auto c = On(on).Review(id, "", "经乡镇审核，同意村级核实意见，报县级审定", kTownship);
    if (!c) return std::unexpected(c.error());
    return {};
  }
  // Decides the case monitored, in the category that fits the household's history.
  Status Decide(int64_t id, const Date& on) {
    auto c = On(on).GetCase(id, kCounty);
    if (!c) return std::unexpected(c.error());
    auto household = registry_.FindHousehold(c->household_id, {""});
    if (!household) return std::unexpected(household.error());
    const bool lifted =
        *household && std::any_of((*household)->events.begin(), (*household)->events.end(),
                                  [](const auto& e) { return e.status == "lifted"; });
    const bool sudden = std::any_of(c->rules.begin(), c->rules.end(), [](const std::string& r) {
      return r == "medical_expense" || r == "disaster" || r == "sudden_hardship";
    });
    const std::string category =
        sudden ? "sudden_hardship" : (lifted ? "unstable_lifted" : "marginal");
    auto decided = On(on).Decide(id, category, "县级审定，纳入防返贫监测", kCounty);
    if (!decided) return std::unexpected(decided.error());
    monitoring::Measure m;
    m.kind = sudden ? "health" : "employment";
    m.note = sudden ? "落实医疗救助和临时救助" : "安排公益性岗位和技能培训";
    m.start_on = on;
    auto measured = On(monitoring::AddDays(on, 3)).AssignMeasure(id, m, kTownship);
    if (!measured) return std::unexpected(measured.error());
    return {};
  }
  Status Dismiss(int64_t id, const Date& on) {
    auto c = On(on).Dismiss(id, "经核实，家庭收入已稳定超过监测范围，不予纳入", kCounty);
    if (!c) return std::unexpected(c.error());
    return {};
  }

 private:
  monitoring::MonitoringRepository& monitoring_;
  registry::RegistryRepository& registry_;
  audit::AuditRepository& audit_;
  regions::RegionRepository& regions_;
  std::unique_ptr<ManualClock> clock_;
  std::unique_ptr<MonitoringService> service_;
};

monitoring::RiskEvent Event(const char* kind, std::optional<int64_t> amount_fen, const char* note) {
  monitoring::RiskEvent e;
  e.kind = kind;
  e.amount_fen = amount_fen;
  e.note = note;
  return e;
}

}  // namespace

Result<DemoMonitoringCounts> GenerateDemoMonitoring(monitoring::MonitoringRepository& monitoring,
                                                    registry::RegistryRepository& registry,
                                                    audit::AuditRepository& audit,
                                                    regions::RegionRepository& regions,
                                                    const std::vector<regions::Region>& generated,
                                                    const Date& today) {
  // The first township of the demo and its first three villages (the demo village first).
  const regions::Region* township = nullptr;
  for (const auto& r : generated) {
    if (r.level == regions::RegionLevel::kTownship) {
      township = &r;
      break;
    }
  }
  std::vector<std::string> villages;
  for (const auto& r : generated) {
    if (township && r.level == regions::RegionLevel::kVillage && r.parent_code == township->code &&
        villages.size() < 3) {
      villages.push_back(r.code);
    }
  }
  if (villages.empty()) return DemoMonitoringCounts{};
  while (villages.size() < 3) villages.push_back(villages.front());
  Demo demo(monitoring, registry, audit, regions);
  using monitoring::AddDays;

  // Half a year ago, in the second village: every case decided (one in four dismissed), and
  // the first monitored household's risk eliminated after the six months.
  const Date old = AddDays(today, -230);
  auto old_cases = demo.Batch(villages[1], old,
                              {Event("medical_expense", 4'800'000, "住院治疗，医保报销后自付部分"),
                               Event("disaster", 1'600'000, "冰雹灾害，农作物绝收")});
  if (!old_cases) return std::unexpected(old_cases.error());
  std::vector<int64_t> monitored;
  for (size_t i = 0; i < old_cases->size(); ++i) {
    const int64_t id = (*old_cases)[i];
    FUPIN_TRY(demo.Verify(id, AddDays(old, 3)));
    FUPIN_TRY(demo.Review(id, AddDays(old, 7)));
    if (i % 4 == 3) {
      FUPIN_TRY(demo.Dismiss(id, AddDays(old, 12)));
    } else {
      FUPIN_TRY(demo.Decide(id, AddDays(old, 12)));
      monitored.push_back(id);
    }
  }
  const Date review_day = AddDays(old, 200);
  for (int64_t id : monitored) {
    // The assessed income clears any threshold of the demo's years; a household with a
    // guarantee still unmet is refused (and stays monitored): try the next one.
    auto eliminated =
        demo.On(review_day)
            .EliminateRisk(id, 900'000, "收入测算稳定超过监测范围，“三保障”和饮水安全均已落实",
                           kCounty);
    if (eliminated) break;
    if (eliminated.error().code != ErrorCode::kFailedPrecondition) {
      return std::unexpected(eliminated.error());
    }
  }

  // Three and a half weeks ago, in the demo village: cases at every stage, several past their
  // deadlines.
  const Date recent = AddDays(today, -25);
  auto recent_cases = demo.Batch(villages[0], recent,
                                 {Event("disaster", 2'000'000, "暴雨引发山体滑坡，房屋受损"),
                                  Event("other", std::nullopt, "家庭主要劳动力务工时意外受伤"),
                                  Event("medical_expense", 1'500'000, "慢性病长期门诊自付费用")});
  if (!recent_cases) return std::unexpected(recent_cases.error());
  for (size_t i = 0; i < recent_cases->size(); ++i) {
    const int64_t id = (*recent_cases)[i];
    switch (i % 5) {
      case 0:  // still waiting for the village: overdue
        break;
      case 1:  // verified, waiting for the township: overdue
        FUPIN_TRY(demo.Verify(id, AddDays(recent, 4)));
        break;
      case 2:  // reviewed, waiting for the county: overdue
        FUPIN_TRY(demo.Verify(id, AddDays(recent, 3)));
        FUPIN_TRY(demo.Review(id, AddDays(recent, 8)));
        break;
      case 3:
        FUPIN_TRY(demo.Verify(id, AddDays(recent, 3)));
        FUPIN_TRY(demo.Review(id, AddDays(recent, 9)));
        FUPIN_TRY(demo.Decide(id, AddDays(recent, 13)));
        break;
      default:  // each step a little late, then dismissed
        FUPIN_TRY(demo.Verify(id, AddDays(recent, 6)));
        FUPIN_TRY(demo.Review(id, AddDays(recent, 12)));
        FUPIN_TRY(demo.Dismiss(id, AddDays(recent, 16)));
        break;
    }
  }

  // Yesterday, in the third village: fresh alerts within their deadlines.
  auto fresh = demo.Batch(villages[2], AddDays(today, -1),
                          {Event("other", 300'000, "家中突发火灾，损失部分生活用品")});
  if (!fresh) return std::unexpected(fresh.error());

  monitoring::CaseQuery q;
  q.scope = {""};
  q.limit = 0;
  auto page = demo.On(today).ListCases(q, kCounty);
  if (!page) return std::unexpected(page.error());
  return DemoMonitoringCounts{page->total, page->overdue};
}

}  // namespace fupin::app
