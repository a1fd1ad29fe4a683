#include "workshops/workshop_json.h"

#include <map>

#include "base/chinese.h"

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

json AlertsJson(const RegionAlerts& ra) {
  std::map<int64_t, std::string> names;
  for (const Workshop& w : ra.workshops) names[w.id] = w.name;
  auto values = [](const std::vector<AlertValue>& list) {
    json out = json::object();
    for (const AlertValue& v : list) out[v.name] = v.value;
    return out;
  };
  json items = json::array();
  std::map<std::string, int> counts;
  for (const std::string& rule : AlertRules()) counts[rule] = 0;
  for (const WorkshopAlert& a : ra.alerts) {
    ++counts[a.rule];
    std::string zh = ToChinese(a.message);
    json item = {{"rule", a.rule},
                 {"workshop_id", a.workshop_id},
                 {"workshop", names[a.workshop_id]},
                 {"month", a.month.ToString()},
                 {"values", values(a.values)},
                 {"thresholds", values(a.thresholds)},
                 {"message", a.message},
                 {"message_zh", zh.empty() ? a.message : zh}};
    if (a.member_id != 0) {
      item["member_id"] = a.member_id;
      item["employment_id"] = a.employment_id;
    }
    if (!a.detail.empty()) item["detail"] = a.detail;
    items.push_back(std::move(item));
  }
  const AlertOptions& o = ra.options;
  return {{"region", ra.region},
          {"month", ra.month.ToString()},
          {"options",
           {{"idle_days", o.idle.min_days},
            {"idle_months", o.idle.months},
            {"min_poor_share", o.min_poor_share},
            {"min_poor_workers", o.min_poor_workers},
            {"poor_wage_floor_fen", o.poor_wage_floor_fen},
            {"standard", o.standard}}},
          {"counts", counts},
          {"total", ra.alerts.size()},
          {"alerts", items}};
}

}  // namespace fupin::workshops
