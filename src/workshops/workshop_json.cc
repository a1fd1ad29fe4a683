#include "workshops/workshop_json.h"

#include <map>

namespace fupin::workshops {

using nlohmann::json;

json ResumptionJson(const Resumption& r) {
  return {{"day", r.day.ToString()},  {"recognized", r.recognized},
          {"operating", r.operating}, {"partial", r.partial},
          {"suspended", r.suspended}, {"closed", r.closed},
          {"unknown", r.unknown},     {"rate", r.rate}};
}

json FiguresJson(const RegionFigures& rf) {
  const WorkshopFigures& f = rf.figures;
  std::map<int64_t, std::string> names;
  for (const Workshop& w : rf.workshops) names[w.id] = w.name;
  json idle = json::array();
  for (const auto& [id, findings] : f.idle) {
    json items = json::array();
    for (const IdleFinding& x : findings) items.push_back({{"rule", x.rule}, {"detail", x.detail}});
    idle.push_back({{"workshop_id", id}, {"name", names[id]}, {"findings", items}});
  }
  json missing = json::array();
  for (int64_t id : f.missing) missing.push_back({{"workshop_id", id}, {"name", names[id]}});
  return {
      {"region", rf.region},
      {"month", f.month.ToString()},
      {"workshops", f.workshops},
      {"status", f.status},
      {"resumption", ResumptionJson(f.resumption)},
      {"reports_due", f.reports_due},
      {"reports_missing", missing},
      {"jobs", f.jobs},
      {"poor_jobs", f.poor_jobs},
      {"poor_share", f.poor_share},
      {"wages_fen", f.wages_fen},
      {"poor_wages_fen", f.poor_wages_fen},
      {"mean_poor_wage_fen", f.mean_poor_wage_fen ? json(*f.mean_poor_wage_fen) : json(nullptr)},
      {"output_fen", f.output_fen},
      {"sales_fen", f.sales_fen},
      {"idle", idle},
      {"convention", f.convention}};
}

}  // namespace fupin::workshops
