#include "app/demo_workshops.h"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>

#include "workshops/synthetic_workshops.h"

namespace fupin::app {
namespace {

// The mean of a GeoJSON geometry's first ring: a point inside a convex-ish synthetic cell.
std::pair<double, double> Centre(const std::string& geometry) {
  auto g = nlohmann::json::parse(geometry, nullptr, false);
  if (g.is_discarded() || !g.contains("coordinates")) return {0, 0};
  const nlohmann::json* ring = &g["coordinates"][0];
  if (g.value("type", "") == "MultiPolygon") ring = &g["coordinates"][0][0];
  double x = 0, y = 0;
  size_t n = 0;
  for (const auto& p : *ring) {
    x += p[0].get<double>();
    y += p[1].get<double>();
    ++n;
  }
  return n ? std::pair{x / static_cast<double>(n), y / static_cast<double>(n)}
           : std::pair{0.0, 0.0};
}

}  // namespace

Result<DemoWorkshopCounts> GenerateDemoWorkshops(workshops::WorkshopRepository& repository,
                                                 access::AccessRepository& access,
                                                 registry::RegistryRepository& registry,
                                                 const std::vector<regions::Region>& generated,
                                                 const std::vector<regions::Boundary>& boundaries,
                                                 int64_t demo_enterprise, uint64_t seed,
                                                 const Date& today) {
  DemoWorkshopCounts counts;
  const regions::Region* county = nullptr;
  for (const auto& r : generated) {
    if (r.level == regions::RegionLevel::kCounty) {
      county = &r;
      break;
    }
  }
  if (!county) return counts;
  const audit::Actor actor{"fupin demo", 0, "local"};
  std::map<std::string, std::string> geometry;
  for (const auto& b : boundaries) geometry[b.code] = b.geometry;

  std::vector<workshops::SyntheticVillage> villages;
  for (const auto& r : generated) {
    if (r.level != regions::RegionLevel::kVillage || !r.code.starts_with(county->code.substr(0, 6)))
      continue;
    const auto [lon, lat] = Centre(geometry[r.code]);
    villages.push_back({r.code, r.name, lon, lat});
  }

  // Operators: the demo enterprise's company, more local enterprises, and cooperatives.
  std::vector<workshops::SyntheticOperator> operators = {{demo_enterprise, false}};
  static constexpr const char* kEnterprises[] = {"民族服饰有限公司", "农牧产品开发有限公司",
                                                 "电子科技有限公司", "工艺品有限公司",
                                                 "食品有限公司",     "电子商务有限公司"};
  static constexpr const char* kCooperatives[] = {"藏香猪养殖专业合作社", "中药材种植专业合作社",
                                                  "手工编织专业合作社"};
  for (const char* name : kEnterprises) {
    auto org = access.CreateOrganization(
        {0, county->name + name, access::OrgType::kEnterprise, county->code, "", 1}, actor);
    if (!org) return std::unexpected(org.error());
    operators.push_back({org->id, false});
  }
  for (const char* name : kCooperatives) {
    auto org = access.CreateOrganization(
        {0, county->name + name, access::OrgType::kCooperative, county->code, "", 1}, actor);
    if (!org) return std::unexpected(org.error());
    operators.push_back({org->id, true});
  }

  // Workers: the county's current members of working age who can work. Members of that age
  // whom the registry lists without labour capacity are kept aside: a few of them stand in for
  // workers below, so that the alert on such workers has cases in the demo.
  std::vector<workshops::SyntheticWorker> workers;
  std::map<std::string, std::vector<workshops::SyntheticWorker>> unable;  // by category
  registry::HouseholdQuery q;
  q.scope = {""};
  q.within = county->code;
  auto visited = registry.ForEachRecord(q, [&](const registry::HouseholdRecord& r) -> Status {
    const std::string category = !r.household.attribute.empty()      ? "registered_poor"
                                 : r.household.status == "monitored" ? "monitored"
                                                                     : "other_local";
    for (const registry::Member& m : r.members) {
      if (m.left_on || !m.birth_date) continue;
      const int age = today.year - m.birth_date->year;
      if (age < 18 || age > 60) continue;
      if (m.labour == "lost" || m.labour == "none") {
        unable[category].push_back({m.id, m.id_number, category, r.household.region_code});
      }
      if (m.labour != "ordinary" && m.labour != "skilled") continue;
      workers.push_back({m.id, m.id_number, category, r.household.region_code});
    }
    return {};
  });
  if (!visited) return std::unexpected(visited.error());

  workshops::SyntheticWorkshopOptions options;
  options.seed = seed;
  options.today = today;
  auto data = workshops::GenerateWorkshops(villages, workers, operators, options);
  // Every 150th employment still open goes to a member without labour capacity of the same
  // category instead (each such member once): the registry then lists a worker as unable to
  // work. Headcounts and wages stay as generated.
  size_t open = 0;
  for (auto& e : data.employments) {
    if (e.end || open++ % 150 != 7) continue;
    auto& stand_ins = unable[e.category];
    if (stand_ins.empty()) continue;
    e.member_id = stand_ins.back().member_id;
    e.person_key = stand_ins.back().id_number;
    stand_ins.pop_back();
  }
  std::vector<int64_t> ids;
  for (const auto& w : data.workshops) {
    auto saved = repository.SaveWorkshop(w, actor);
    if (!saved) return std::unexpected(saved.error());
    ids.push_back(saved->id);
  }
  for (auto e : data.employments) {
    e.workshop_id = ids.at(static_cast<size_t>(e.workshop_id - 1));
    auto saved = repository.SaveEmployment(e, actor);
    if (!saved) return std::unexpected(saved.error());
  }
  for (auto r : data.reports) {
    r.workshop_id = ids.at(static_cast<size_t>(r.workshop_id - 1));
    auto saved = repository.SubmitReport(r, actor);
    if (!saved) return std::unexpected(saved.error());
  }
  counts.workshops = static_cast<int64_t>(data.workshops.size());
  counts.employments = static_cast<int64_t>(data.employments.size());
  counts.reports = static_cast<int64_t>(data.reports.size());
  counts.idle = static_cast<int64_t>(data.idle.size());
  return counts;
}

}  // namespace fupin::app
