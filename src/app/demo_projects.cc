#include "app/demo_projects.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace fupin::app {
namespace {

using projects::Project;
using projects::ProjectProfile;

enum class Goal {
  kProposed,
  kReviewed,
  kApproved,
  kInProgress,
  kChanged,  // in progress, with an approved change
  kPending,  // in progress, with a change awaiting approval
  kBehind,   // in progress, well behind its milestones
  kCompleted,
  kAccepted,
  kMaintenance,
  kReturned,
  kRejected,
};

struct Spec {
  const char* type;
  const char* name;  // after the village's (or county's) name
  int village;       // index among the township's villages; -1 = the county itself
  int64_t budget_yuan;
  const char* content;
  const char* mechanism;
  const char* output;  // output quantity target: name
  double output_value;
  const char* output_unit;
  const char* benefit_category;
  const char* benefit;
  double benefit_value;
  const char* benefit_unit;
  Goal goal;
};

constexpr Spec kSpecs[] = {
    {"industry", "日光温室产业项目", 0, 1'200'000, "新建日光温室 20 座及配套灌溉设施",
     "资产收益：温室由合作社统一经营，租金收益的 60% 按户分配给脱贫户；优先吸纳脱贫劳动力务工",
     "新建日光温室", 20, "座", "benefit_economic", "带动脱贫户户均年增收", 2000, "元",
     Goal::kMaintenance},
    {"drinking_water", "饮水安全巩固提升工程", 1, 680'000, "新建蓄水池 2 座，改造入户管网 12 公里",
     "解决脱贫户和监测户饮水不稳定问题，管护岗位优先聘用脱贫人口", "改造入户管网", 12, "公里",
     "benefit_social", "受益脱贫户饮水达标率", 100, "%", Goal::kAccepted},
    {"infrastructure", "通村通组道路硬化工程", -1, 3'600'000, "硬化通组道路 18 公里",
     "改善脱贫村出行和农产品运输条件，以工代赈吸纳脱贫劳动力务工", "硬化通组道路", 18, "公里",
     "benefit_economic", "以工代赈发放劳务报酬", 40, "万元", Goal::kCompleted},
    {"employment", "扶贫车间厂房建设项目", 2, 850'000, "新建标准化厂房 600 平方米",
     "厂房租给吸纳脱贫劳动力的经营主体，租金归村集体，吸纳脱贫人口就近就业", "新建标准化厂房", 600,
     "平方米", "benefit_social", "吸纳脱贫劳动力就业", 30, "人", Goal::kChanged},
    {"housing", "农村危房改造项目", 3, 540'000, "改造 C、D 级危房 18 户",
     "对脱贫户、监测户危房应改尽改，补助资金直接兑付到户", "改造危房", 18, "户", "benefit_social",
     "住房安全保障率", 100, "%", Goal::kPending},
    {"relocation", "易地搬迁后续扶持产业园", 4, 2'000'000, "建设搬迁安置区配套产业园一期",
     "搬迁户优先入园务工，园区收益的 50% 用于搬迁户分红", "建设标准化圈舍", 40, "栋",
     "benefit_sustainability", "搬迁户稳定就业率", 80, "%", Goal::kBehind},
    {"education", "村小学校舍改造项目", 5, 460'000, "改造教学楼 1 栋，新建运动场",
     "保障义务教育，控辍保学", "改造校舍面积", 900, "平方米", "benefit_social", "适龄儿童入学率",
     100, "%", Goal::kApproved},
    {"health", "村卫生室标准化建设", 6, 180'000, "新建标准化村卫生室 1 所并配备设备",
     "保障脱贫人口基本医疗，家庭医生签约服务全覆盖", "新建村卫生室", 1, "所", "benefit_social",
     "脱贫人口家庭医生签约率", 100, "%", Goal::kReviewed},
    {"ecological", "生态护林员及植树造林项目", 7, 320'000, "植树造林 800 亩，聘用生态护林员 15 名",
     "选聘有劳动能力的脱贫人口为生态护林员", "植树造林", 800, "亩", "benefit_ecological",
     "造林成活率", 85, "%", Goal::kProposed},
    {"finance", "脱贫人口小额信贷贴息", 8, 260'000, "为 60 户脱贫户发放小额信贷并全额贴息",
     "户贷户用，发展种养业增收", "贴息户数", 60, "户", "benefit_economic", "贷款户户均增收", 3000,
     "元", Goal::kReturned},
    {"consumption", "消费扶贫专柜建设", 9, 150'000, "在县城设立消费扶贫专柜 5 个",
     "销售脱贫户农产品", "设立专柜", 5, "个", "benefit_economic", "带动农产品销售额", 80, "万元",
     Goal::kRejected},
    {"social_security", "农村互助幸福院建设", 10, 380'000, "新建互助幸福院 1 所，床位 20 张",
     "兜底保障无劳动能力的脱贫老人", "新增床位", 20, "张", "benefit_social", "特困人员集中供养率",
     60, "%", Goal::kInProgress},
};

Date Shift(const Date& d, int64_t days) {
  return Date::FromDaysSinceEpoch(d.DaysSinceEpoch() + days);
}

}  // namespace

Result<DemoProjectCounts> GenerateDemoProjects(projects::ProjectService& service,
                                               registry::RegistryRepository& registry,
                                               const std::vector<regions::Region>& generated,
                                               const Date& today) {
  DemoProjectCounts counts;
  const regions::Region* county = nullptr;
  const regions::Region* township = nullptr;
  std::vector<const regions::Region*> villages;
  for (const auto& r : generated) {
    if (!county && r.level == regions::RegionLevel::kCounty) county = &r;
    if (!township && r.level == regions::RegionLevel::kTownship) township = &r;
    if (township && r.level == regions::RegionLevel::kVillage && r.parent_code == township->code) {
      villages.push_back(&r);
    }
  }
  if (!county || !township || villages.empty()) return counts;
  const std::vector<std::string> everywhere = {""};
  const audit::Actor village_user{"village", 0, "local"};
  const audit::Actor township_user{"township", 0, "local"};
  const audit::Actor county_user{"official", 0, "local"};

  for (const Spec& spec : kSpecs) {
    const regions::Region& where =
        spec.village < 0 ? *county : *villages[static_cast<size_t>(spec.village) % villages.size()];
    const audit::Actor& proposer = spec.village < 0 ? county_user : village_user;
    // When it runs: finished a year ago, running now, or starting soon.
    const Goal g = spec.goal;
    const bool finished = g == Goal::kCompleted || g == Goal::kAccepted || g == Goal::kMaintenance;
    const bool running =
        g == Goal::kInProgress || g == Goal::kChanged || g == Goal::kPending || g == Goal::kBehind;
    Date start = Shift(today, 30);
    Date end = Shift(today, 240);
    if (finished) {
      start = Shift(today, -540);
      end = Shift(today, -300);
    } else if (running) {
      start = Shift(today, -200);
      end = Shift(today, 150);
    } else if (g == Goal::kApproved) {
      start = Shift(today, 15);
      end = Shift(today, 200);
    }
    const int64_t span = end.DaysSinceEpoch() - start.DaysSinceEpoch();

    ProjectProfile p;
    p.name = where.name + spec.name;
    p.type = spec.type;
    p.region_code = where.code;
    p.implementing_unit =
        spec.village < 0 ? county->name + "交通运输局" : where.name + "村民委员会";
    p.person_in_charge = spec.village < 0 ? "王局长" : "村党支部书记";
    p.content = spec.content;
    p.mechanism = spec.mechanism;
    p.budget_fen = spec.budget_yuan * 100;
    p.start_on = start;
    p.end_on = end;
    p.targets = {
        {"", "output_quantity", spec.output, spec.output_unit, ">=", spec.output_value},
        {"", "output_quality", "工程验收合格率", "%", "=", 100},
        {"", "output_timeliness", "按期完工率", "%", ">=", 100},
        {"", spec.benefit_category, spec.benefit, spec.benefit_unit, ">=", spec.benefit_value},
        {"", "benefit_sustainability", "工程设计使用年限", "年", ">=", 15},
        {"", "satisfaction", "受益脱贫户满意度", "%", ">=", 90},
    };
    p.milestones = {{"", "前期准备与招标", Shift(start, span / 5), 20},
                    {"", "主体工程建设", Shift(start, span * 13 / 20), 50},
                    {"", "完工验收", end, 30}};
    if (spec.village >= 0) {
      registry::HouseholdQuery q;
      q.scope = {where.code};
      q.limit = 6;
      auto households = registry.ListHouseholds(q);
      if (!households) return std::unexpected(households.error());
      for (const auto& h : households->items) p.beneficiaries.push_back(h.household.id);
    }

    const Date proposed_on = std::min(Shift(start, -60), Shift(today, -40));
    auto project = service.Propose(everywhere, p, proposer, proposed_on);
    if (!project) {
      return std::unexpected(project.error().Prefix(fmt::format("demo project {}", p.name)));
    }
    ++counts.projects;
    ++counts.versions;
    const int64_t id = project->id;
    // One step of the lifecycle; fails the demo when the step is refused (a bug).
    auto take = [&](const std::string& action, const audit::Actor& who, const Date& on,
                    const std::string& reason = "", const std::string& maintainer = "") -> Status {
      projects::Decision d{action, project->revision, reason, on, maintainer};
      auto next = service.Decide(everywhere, id, d, who);
      if (!next) {
        return std::unexpected(next.error().Prefix(fmt::format("demo project {} {}", id, action)));
      }
      project = std::move(next);
      return {};
    };
    const bool county_level = spec.village < 0;
    const Date reviewed_on = Shift(proposed_on, 10);
    const Date approved_on = Shift(proposed_on, 25);
    if (g == Goal::kProposed) continue;
    if (g == Goal::kReturned) {
      FUPIN_TRY(take("review_return", township_user, reviewed_on,
                     "受益户名单与贷款需求未逐户核实，请补充后重新申报"));
      continue;
    }
    if (!county_level) FUPIN_TRY(take("review", township_user, reviewed_on, "材料齐全，同意上报"));
    if (g == Goal::kReviewed) continue;
    if (g == Goal::kRejected) {
      FUPIN_TRY(take("approve_reject", county_user, approved_on,
                     "与县级电商公共服务中心项目内容重复，不予立项"));
      continue;
    }
    FUPIN_TRY(take("approve", county_user, approved_on, "同意立项，纳入年度项目库"));
    if (g == Goal::kApproved) continue;
    FUPIN_TRY(take("start", proposer, start));
    if (running) ++counts.in_progress;

    // Milestones completed by now (the one behind schedule: only the first, late), each with a
    // progress report.
    int percent = 0;
    const int64_t delay = g == Goal::kBehind ? 45 : 3;
    for (const auto& m : project->profile.milestones) {
      const Date done = Shift(m.planned_on, delay);
      if (done > Shift(today, -5)) break;
      if (g == Goal::kBehind && percent > 0) break;
      auto recorded =
          service.CompleteMilestone(everywhere, id, {m.key, done, "", "", ""}, proposer);
      if (!recorded) return std::unexpected(recorded.error());
      percent += m.weight;
      projects::ProgressReport r;
      r.on = done;
      r.percent = percent;
      r.narrative = fmt::format("{}完成，累计完成投资约 {}%", m.name, percent);
      r.attachments = {
          {fmt::format("{}现场照片.jpg", m.name), fmt::format("档案 {}-{}", id, m.key)}};
      auto reported = service.Report(everywhere, id, r, proposer);
      if (!reported) return std::unexpected(reported.error());
    }
    if (running && percent < 100) {
      // A report between milestones: where the work stands this month.
      projects::ProgressReport r;
      r.on = Shift(today, -3);
      // On plan: the share of the budget planned by now (PV ÷ BAC, milestone weights accruing
      // linearly between their planned dates), rounded down — so that SPI ≈ 1.
      double planned = 0;
      Date previous = start;
      for (const auto& m : project->profile.milestones) {
        const int64_t length = m.planned_on.DaysSinceEpoch() - previous.DaysSinceEpoch();
        const int64_t passed = r.on.DaysSinceEpoch() - previous.DaysSinceEpoch();
        const double f =
            length <= 0
                ? (passed >= 0 ? 1.0 : 0.0)
                : std::clamp(static_cast<double>(passed) / static_cast<double>(length), 0.0, 1.0);
        planned += m.weight * f;
        previous = m.planned_on;
      }
      r.percent = g == Goal::kBehind ? 25 : std::max(percent, static_cast<int>(planned));
      r.narrative = g == Goal::kBehind ? "受雨季和征地影响，主体工程进度滞后，已督促施工方增加人员"
                                       : "主体工程按计划推进";
      auto reported = service.Report(everywhere, id, r, proposer);
      if (!reported) return std::unexpected(reported.error());
    }
    if (g == Goal::kChanged || g == Goal::kPending) {
      ProjectProfile changed = project->profile;
      changed.budget_fen = changed.budget_fen * 11 / 10;
      changed.end_on = Shift(changed.end_on, 30);
      changed.milestones.back().planned_on = changed.end_on;
      changed.targets[0].target_value = std::round(changed.targets[0].target_value * 1.2);
      const Date asked = g == Goal::kChanged ? Shift(start, 60) : Shift(today, -5);
      auto edited =
          service.Edit(everywhere, id, project->revision, changed,
                       "因建设内容增加，申请调增预算 10%、延长工期 30 天", proposer, asked);
      if (!edited) return std::unexpected(edited.error());
      project = std::move(edited);
      ++counts.versions;
      if (g == Goal::kChanged) {
        FUPIN_TRY(take("review", township_user, Shift(asked, 5), "变更理由充分"));
        FUPIN_TRY(take("approve", county_user, Shift(asked, 12), "同意变更"));
      }
    }
    if (!finished) continue;
    // Measured at completion.
    for (const auto& t : project->profile.targets) {
      const double actual = t.category == "satisfaction" ? 96 : t.target_value;
      auto measured = service.MeasureTarget(everywhere, id,
                                            {t.key, actual, Shift(end, 10), "", "", ""}, proposer);
      if (!measured) return std::unexpected(measured.error());
    }
    FUPIN_TRY(take("complete", proposer, end));
    if (g == Goal::kCompleted) continue;
    if (g == Goal::kMaintenance) {
      FUPIN_TRY(take("accept_return", county_user, Shift(end, 20), "部分温室棚膜破损，限期整改"));
      FUPIN_TRY(take("complete", proposer, Shift(end, 35)));
    }
    FUPIN_TRY(take("accept", county_user, Shift(end, 50), "验收合格"));
    if (g == Goal::kAccepted) continue;
    FUPIN_TRY(take("maintain", proposer, Shift(end, 60), "",
                   where.name + "股份经济合作社（谁受益谁管护）"));
  }
  return counts;
}

}  // namespace fupin::app
