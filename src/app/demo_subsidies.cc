#include "app/demo_subsidies.h"

#include <fmt/format.h>

namespace fupin::app {

Result<DemoSubsidyCounts> GenerateDemoSubsidies(workshops::SubsidyService& subsidies,
                                                const std::vector<regions::Region>& generated) {
  DemoSubsidyCounts counts;
  const regions::Region* province = nullptr;
  const regions::Region* county = nullptr;
  for (const auto& r : generated) {
    if (!province && r.level == regions::RegionLevel::kProvince) province = &r;
    if (!county && r.level == regions::RegionLevel::kCounty) county = &r;
  }
  if (!province || !county) return counts;
  const audit::Actor actor{"fupin demo", 0, "local"};
  const std::vector<std::string> everywhere = {""};

  // The province's policy, applying to every county of it.
  workshops::SubsidyRule rule = workshops::RuleTemplates(province->code, 2020, false).at(0);
  rule.name = "甘肃省 2020 年扶贫车间吸纳本地劳动力稳定就业补贴";
  auto stored = subsidies.SaveRule(rule, everywhere, actor);
  if (!stored) return std::unexpected(stored.error());

  auto run =
      subsidies.Run(stored->id, county->code, {2020, 1, 1}, {2020, 12, 31}, everywhere, actor);
  if (!run) return std::unexpected(run.error());
  counts.lines = static_cast<int64_t>(run->lines.size());

  // The county's review: one qualifying line rejected (its payroll does not match), the
  // others approved.
  std::vector<int64_t> approve;
  int64_t rejected = 0;
  for (const auto& l : run->lines) {
    if (!l.qualifies) continue;
    if (rejected == 0) {
      rejected = l.id;
      continue;
    }
    approve.push_back(l.id);
  }
  if (rejected != 0) {
    auto r = subsidies.Review(run->id, {rejected}, std::string(workshops::kRejected),
                              "用工花名册与工资发放记录不符，待核实后重新申报", everywhere, actor);
    if (!r) return std::unexpected(r.error());
  }
  if (approve.empty()) return counts;
  auto approved = subsidies.Review(run->id, approve, std::string(workshops::kApproved),
                                   "经县人社局、扶贫办联审，用工及工资发放属实", everywhere, actor);
  if (!approved) return std::unexpected(approved.error());
  counts.approved = static_cast<int64_t>(approved->size());

  // Paid in March 2021: the first half of the approved lines in full, the next one in part.
  const size_t full = approved->size() / 2;
  for (size_t i = 0; i <= full && i < approved->size(); ++i) {
    const auto& l = (*approved)[i];
    workshops::SubsidyPayment p;
    p.line_id = l.id;
    p.paid_on = {2021, 3, static_cast<int>(10 + i % 10)};
    p.amount_fen = i < full ? l.approved_fen : l.approved_fen / 2;
    p.voucher = fmt::format("记-2021-03-{:04}", i + 1);
    p.payee = l.workshop_name;
    p.note = i < full ? "" : "首期拨付 50%";
    auto paid = subsidies.Pay(p, everywhere, actor);
    if (!paid) return std::unexpected(paid.error());
    ++counts.payments;
    counts.paid_fen += p.amount_fen;
  }
  return counts;
}

}  // namespace fupin::app
