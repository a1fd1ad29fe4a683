#include "access/permissions.h"

#include <algorithm>
#include <array>

namespace fupin::access {
namespace {

using regions::RegionLevel;
constexpr RegionLevel kProvince = RegionLevel::kProvince;
constexpr RegionLevel kCounty = RegionLevel::kCounty;
constexpr RegionLevel kTownship = RegionLevel::kTownship;
constexpr RegionLevel kVillage = RegionLevel::kVillage;

// THE matrix. docs/access.md shows it as a table; keep the two in step.
constexpr std::array kMatrix = {
    // The region hierarchy is reference data: every signed-in role may read it.
    Grant{"regions", "read", Role::kAdmin},
    Grant{"regions", "read", Role::kOfficial},
    Grant{"regions", "read", Role::kVillage},
    Grant{"regions", "read", Role::kEnterprise},
    Grant{"regions", "read", Role::kSocialOrg},
    Grant{"regions", "read", Role::kHousehold},
    Grant{"regions", "read", Role::kEvaluator},
    Grant{"regions", "read", Role::kAuditor},
    Grant{"regions", "write", Role::kAdmin},
    // Organizations: officials down to the county maintain those of their region.
    Grant{"organizations", "read", Role::kAdmin},
    Grant{"organizations", "read", Role::kOfficial},
    Grant{"organizations", "read", Role::kVillage},
    Grant{"organizations", "read", Role::kEvaluator},
    Grant{"organizations", "read", Role::kAuditor},
    Grant{"organizations", "write", Role::kAdmin},
    Grant{"organizations", "write", Role::kOfficial, kProvince, kCounty},
    // Users and permissions: administrators only.
    Grant{"users", "read", Role::kAdmin},
    Grant{"users", "write", Role::kAdmin},
    // The audit log: administrators and auditors (in their region).
    Grant{"audit", "read", Role::kAdmin},
    Grant{"audit", "read", Role::kAuditor},
    // The household registry (建档立卡): read in one's region; entered by village committees,
    // maintained by township and county officials.
    Grant{"registry", "read", Role::kAdmin},
    Grant{"registry", "read", Role::kOfficial},
    Grant{"registry", "read", Role::kVillage},
    Grant{"registry", "read", Role::kAuditor},
    // A household member reads their own household's record (list, detail, export), nothing
    // else; a binding without a household reads nothing.
    Grant{"registry", "read", Role::kHousehold, kVillage, kVillage, Reach::kOwnHousehold},
    Grant{"registry", "write", Role::kAdmin},
    Grant{"registry", "write", Role::kOfficial, kCounty, kTownship},
    Grant{"registry", "write", Role::kVillage, kVillage, kVillage},
    // Personal data unmasked: the village role for its own village, and admins; other users
    // only by an explicit per-user grant (User::view_sensitive).
    Grant{"personal_data", "view_sensitive", Role::kAdmin},
    Grant{"personal_data", "view_sensitive", Role::kVillage, kVillage, kVillage},
    // Relapse-prevention monitoring (防返贫监测): read where the registry is read; risk events
    // and measures entered like the registry; detection run by officials; the village
    // verifies, the township reviews, the county decides (and eliminates risk); thresholds and
    // rule options set by officials from the province down to the county, for their province.
    Grant{"monitoring", "read", Role::kAdmin},
    Grant{"monitoring", "read", Role::kOfficial},
    Grant{"monitoring", "read", Role::kVillage},
    Grant{"monitoring", "read", Role::kAuditor},
    Grant{"monitoring", "write", Role::kAdmin},
    Grant{"monitoring", "write", Role::kOfficial, kCounty, kTownship},
    Grant{"monitoring", "write", Role::kVillage, kVillage, kVillage},
    Grant{"monitoring", "detect", Role::kAdmin},
    Grant{"monitoring", "detect", Role::kOfficial, kProvince, kTownship},
    Grant{"monitoring", "verify", Role::kAdmin},
    Grant{"monitoring", "verify", Role::kVillage, kVillage, kVillage},
    Grant{"monitoring", "review", Role::kAdmin},
    Grant{"monitoring", "review", Role::kOfficial, kTownship, kTownship},
    Grant{"monitoring", "decide", Role::kAdmin},
    Grant{"monitoring", "decide", Role::kOfficial, kCounty, kCounty},
    Grant{"monitoring", "configure", Role::kAdmin},
    Grant{"monitoring", "configure", Role::kOfficial, kProvince, kCounty},
    // The indicator catalogue (指标库): indicators declared (computed by a formula, entered
    // statistics, surveyed) by officials from the province down to the county and by
    // evaluators — the catalogue is shared by every region, so the declaration is not bound to
    // one; statistics entered for their regions by officials from the province down to the
    // township (the statistics offices).
    Grant{"indicators", "declare", Role::kAdmin},
    Grant{"indicators", "declare", Role::kOfficial, kProvince, kCounty},
    Grant{"indicators", "declare", Role::kEvaluator},
    Grant{"indicators", "enter", Role::kAdmin},
    Grant{"indicators", "enter", Role::kOfficial, kProvince, kTownship},
    // Poverty-alleviation workshops (扶贫车间): read by officials, village committees,
    // evaluators and auditors in their regions, and by an operator (enterprise or cooperative)
    // for the workshops it runs. Registered and recognized (profile, recognition, support) by
    // township and county officials; workers, monthly reports and status changes entered by
    // the operator or the village committee (and officials).
    Grant{"workshops", "read", Role::kAdmin},
    Grant{"workshops", "read", Role::kOfficial},
    Grant{"workshops", "read", Role::kVillage},
    Grant{"workshops", "read", Role::kEvaluator},
    Grant{"workshops", "read", Role::kAuditor},
    Grant{"workshops", "read", Role::kEnterprise, kProvince, kVillage, Reach::kOwnOrganization},
    Grant{"workshops", "write", Role::kAdmin},
    Grant{"workshops", "write", Role::kOfficial, kCounty, kTownship},
    Grant{"workshops", "report", Role::kAdmin},
    Grant{"workshops", "report", Role::kOfficial, kCounty, kTownship},
    Grant{"workshops", "report", Role::kVillage, kVillage, kVillage},
    Grant{"workshops", "report", Role::kEnterprise, kProvince, kVillage, Reach::kOwnOrganization},
    // The alert standards per province and year (扶贫车间认定与预警标准).
    Grant{"workshops", "configure", Role::kAdmin},
    Grant{"workshops", "configure", Role::kOfficial, kProvince, kProvince},
    // Workshop subsidies (扶贫车间补贴): read by officials, evaluators and auditors in their
    // regions; rules set by officials from the province down to the county; eligibility run and
    // reviewed, and payments recorded, by county officials (the county pays them).
    Grant{"subsidies", "read", Role::kAdmin},
    Grant{"subsidies", "read", Role::kOfficial},
    Grant{"subsidies", "read", Role::kEvaluator},
    Grant{"subsidies", "read", Role::kAuditor},
    Grant{"subsidies", "configure", Role::kAdmin},
    Grant{"subsidies", "configure", Role::kOfficial, kProvince, kCounty},
    Grant{"subsidies", "review", Role::kAdmin},
    Grant{"subsidies", "review", Role::kOfficial, kCounty, kCounty},
    Grant{"subsidies", "pay", Role::kAdmin},
    Grant{"subsidies", "pay", Role::kOfficial, kCounty, kCounty},
    // Goals (目标管理): read where one works; set by officials from the province down to the
    // township, for their regions.
    Grant{"goals", "read", Role::kAdmin},
    Grant{"goals", "read", Role::kOfficial},
    Grant{"goals", "read", Role::kVillage},
    Grant{"goals", "read", Role::kEvaluator},
    Grant{"goals", "read", Role::kAuditor},
    Grant{"goals", "write", Role::kAdmin},
    Grant{"goals", "write", Role::kOfficial, kProvince, kTownship},
    // The project library (项目库): read by officials, village committees, evaluators and
    // auditors in their regions. Proposed — and edited, and changes of approved projects
    // proposed — by the village committee for its village and by county and township offices;
    // reviewed by township officials (审核), approved and accepted (审批, 验收) by county
    // officials; execution (start, milestones, measured targets, progress reports, completion,
    // handover for maintenance) recorded by the village committee and officials (county,
    // township).
    Grant{"projects", "read", Role::kAdmin},
    Grant{"projects", "read", Role::kOfficial},
    Grant{"projects", "read", Role::kVillage},
    Grant{"projects", "read", Role::kEvaluator},
    Grant{"projects", "read", Role::kAuditor},
    Grant{"projects", "propose", Role::kAdmin},
    Grant{"projects", "propose", Role::kOfficial, kCounty, kTownship},
    Grant{"projects", "propose", Role::kVillage, kVillage, kVillage},
    Grant{"projects", "review", Role::kAdmin},
    Grant{"projects", "review", Role::kOfficial, kTownship, kTownship},
    Grant{"projects", "approve", Role::kAdmin},
    Grant{"projects", "approve", Role::kOfficial, kCounty, kCounty},
    Grant{"projects", "accept", Role::kAdmin},
    Grant{"projects", "accept", Role::kOfficial, kCounty, kCounty},
    Grant{"projects", "report", Role::kAdmin},
    Grant{"projects", "report", Role::kOfficial, kCounty, kTownship},
    Grant{"projects", "report", Role::kVillage, kVillage, kVillage},
    // Funds (资金监管): read by officials, village committees (the money spent on their
    // village's projects), evaluators and auditors in their regions. Batches recorded and
    // allocated to projects by officials from the province down to the county (the finance and
    // rural-revitalization bureaus); payments recorded — and voided — by county and township
    // officials (the county treasury, the township finance office 乡镇财政所).
    Grant{"funds", "read", Role::kAdmin},
    Grant{"funds", "read", Role::kOfficial},
    Grant{"funds", "read", Role::kVillage},
    Grant{"funds", "read", Role::kEvaluator},
    Grant{"funds", "read", Role::kAuditor},
    Grant{"funds", "write", Role::kAdmin},
    Grant{"funds", "write", Role::kOfficial, kProvince, kCounty},
    Grant{"funds", "pay", Role::kAdmin},
    Grant{"funds", "pay", Role::kOfficial, kCounty, kTownship},
    // Comprehensive evaluation (综合绩效评价): indicator systems and their results read by
    // officials, village committees, evaluators and auditors (a system is seen in its region
    // and the regions below); systems designed by officials from the province down to the
    // county and by evaluators; pairwise judgments given by evaluators (experts), each on their
    // own behalf.
    Grant{"evaluation", "read", Role::kAdmin},
    Grant{"evaluation", "read", Role::kOfficial},
    Grant{"evaluation", "read", Role::kVillage},
    Grant{"evaluation", "read", Role::kEvaluator},
    Grant{"evaluation", "read", Role::kAuditor},
    Grant{"evaluation", "design", Role::kAdmin},
    Grant{"evaluation", "design", Role::kOfficial, kProvince, kCounty},
    Grant{"evaluation", "design", Role::kEvaluator},
    Grant{"evaluation", "judge", Role::kAdmin},
    Grant{"evaluation", "judge", Role::kEvaluator},
    // Runs made by the designers (officials province–county, evaluators); published — made
    // final and public to the regions below — by the commissioning offices (officials province
    // to county).
    Grant{"evaluation", "survey", Role::kAdmin},
    Grant{"evaluation", "survey", Role::kOfficial, kCounty, kVillage},
    Grant{"evaluation", "survey", Role::kVillage, kVillage, kVillage},
    Grant{"evaluation", "survey", Role::kEvaluator},
    Grant{"evaluation", "run", Role::kAdmin},
    Grant{"evaluation", "run", Role::kOfficial, kProvince, kCounty},
    Grant{"evaluation", "run", Role::kEvaluator},
    Grant{"evaluation", "rectify", Role::kAdmin},
    Grant{"evaluation", "rectify", Role::kOfficial},
    Grant{"evaluation", "rectify", Role::kVillage, kVillage, kVillage},
    Grant{"evaluation", "publish", Role::kAdmin},
    Grant{"evaluation", "publish", Role::kOfficial, kProvince, kCounty},
};

}  // namespace

std::span<const Grant> PermissionMatrix() { return kMatrix; }

std::vector<Permission> AllPermissions() {
  std::vector<Permission> out;
  for (const Grant& g : kMatrix) {
    const Permission p{g.module, g.action};
    if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
  }
  return out;
}

bool InSubtree(std::string_view scope, std::string_view code) {
  if (scope.empty()) return true;
  auto level = regions::LevelOfCode(scope);
  if (!level) return false;
  const int prefix = regions::PrefixLength(*level);
  return code.size() == static_cast<size_t>(regions::kCodeLength) &&
         code.substr(0, prefix) == scope.substr(0, prefix);
}

bool InAnySubtree(const std::vector<std::string>& scope, std::string_view code) {
  return std::any_of(scope.begin(), scope.end(),
                     [&](const std::string& s) { return InSubtree(s, code); });
}

std::vector<std::string> Principal::Scope(Permission permission) const {
  std::vector<std::string> scope;
  for (const RoleBinding& binding : roles) {
    for (const Grant& g : kMatrix) {
      if (g.role != binding.role || g.module != permission.module ||
          g.action != permission.action) {
        continue;
      }
      if (g.reach != Reach::kRegion) continue;        // see Households() and Organizations()
      if (binding.role == Role::kAdmin) return {""};  // everywhere
      auto level = regions::LevelOfCode(binding.region_code);
      if (!level || *level < g.highest || *level > g.lowest) continue;
      scope.push_back(binding.region_code);
    }
  }
  if (permission == Permission{"personal_data", "view_sensitive"} && view_sensitive) {
    // A household binding's grant covers its household, not its village (Households()).
    for (const RoleBinding& binding : roles) {
      if (binding.role != Role::kHousehold) scope.push_back(binding.region_code);
    }
  }
  // Drop subtrees inside other subtrees, and duplicates.
  std::sort(scope.begin(), scope.end());
  scope.erase(std::unique(scope.begin(), scope.end()), scope.end());
  std::vector<std::string> minimal;
  for (const std::string& s : scope) {
    const bool covered = std::any_of(minimal.begin(), minimal.end(),
                                     [&](const std::string& m) { return InSubtree(m, s); });
    if (!covered) minimal.push_back(s);
  }
  return minimal;
}

std::vector<int64_t> Principal::Households(Permission permission) const {
  std::vector<int64_t> out;
  const bool sensitive = permission == Permission{"personal_data", "view_sensitive"};
  for (const RoleBinding& binding : roles) {
    if (binding.role != Role::kHousehold || binding.household_id <= 0) continue;
    bool held = sensitive && view_sensitive;
    for (const Grant& g : kMatrix) {
      if (held) break;
      if (g.role != binding.role || g.reach != Reach::kOwnHousehold ||
          g.module != permission.module || g.action != permission.action) {
        continue;
      }
      auto level = regions::LevelOfCode(binding.region_code);
      held = level && *level >= g.highest && *level <= g.lowest;
    }
    if (held) out.push_back(binding.household_id);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<int64_t> Principal::Organizations(Permission permission) const {
  std::vector<int64_t> out;
  for (const RoleBinding& binding : roles) {
    if (binding.organization_id <= 0) continue;
    for (const Grant& g : kMatrix) {
      if (g.role != binding.role || g.reach != Reach::kOwnOrganization ||
          g.module != permission.module || g.action != permission.action) {
        continue;
      }
      auto level = regions::LevelOfCode(binding.region_code);
      if (level && *level >= g.highest && *level <= g.lowest) {
        out.push_back(binding.organization_id);
        break;
      }
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool Principal::HoldsIn(Permission permission, std::string_view region_code) const {
  for (const std::string& s : Scope(permission)) {
    if (InSubtree(s, region_code)) return true;
  }
  return false;
}

bool Principal::HasRole(Role role) const {
  return std::any_of(roles.begin(), roles.end(),
                     [&](const RoleBinding& b) { return b.role == role; });
}

}  // namespace fupin::access
