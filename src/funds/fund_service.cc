#include "funds/fund_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "access/permissions.h"
#include "base/text.h"
#include "projects/project_service.h"

namespace fupin::funds {
namespace {

using access::InAnySubtree;

// Writing an allocation needs its batch's region within the writer's scope (a batch issued
// above it is seen, not spent).
Status CheckWritable(const std::vector<std::string>& scope, const FundBatch& batch) {
  if (InAnySubtree(scope, batch.region_code)) return {};
  const std::string reason =
      fmt::format("is issued to region {}, outside the regions where you may allocate funds",
                  batch.region_code);
  return MakeError(ErrorCode::kPermissionDenied, fmt::format("fund batch {} {}", batch.id, reason),
                   {{0, "batch_id", std::to_string(batch.id), reason}});
}

std::unexpected<Error> Invalid(std::vector<ErrorDetail> problems) {
  std::string message = problems.size() == 1
                            ? fmt::format("{} {}", problems[0].column, problems[0].reason)
                            : fmt::format("the request has {} problems", problems.size());
  return InvalidArgument(std::move(message), std::move(problems));
}

std::optional<double> Ratio(int64_t numerator, int64_t denominator) {
  if (denominator <= 0) return std::nullopt;
  return static_cast<double>(numerator) / static_cast<double>(denominator);
}

size_t RuleIndex(std::string_view rule) {
  const auto& terms = AlertRules().terms;
  for (size_t i = 0; i < terms.size(); ++i) {
    if (terms[i].code == rule) return i;
  }
  return terms.size();
}

}  // namespace

Result<FundBatch> FundService::Batch(const std::vector<std::string>& scope, int64_t id) {
  auto found = funds_.FindBatch(id, scope);
  if (!found) return std::unexpected(found.error());
  if (!*found) return NotFound(fmt::format("no fund batch with id {}", id));
  return **found;
}

Result<FundBatch> FundService::SaveBatch(const std::vector<std::string>& scope, FundBatch batch,
                                         const audit::Actor& actor) {
  int64_t allocated = 0;
  std::vector<ErrorDetail> problems;
  if (batch.id != 0) {
    auto existing = Batch(scope, batch.id);
    if (!existing) return std::unexpected(existing.error());
    allocated = existing->allocated_fen;
    // A batch issued above the caller's regions is read, not rewritten (nor moved into them).
    if (!InAnySubtree(scope, existing->region_code)) {
      const std::string reason = fmt::format(
          "is issued to region {}, outside the regions where you may record fund batches",
          existing->region_code);
      return MakeError(ErrorCode::kPermissionDenied,
                       fmt::format("fund batch {} {}", batch.id, reason),
                       {{0, "region", existing->region_code, reason}});
    }
    AllocationQuery query;
    query.scope = {""};
    query.batch_id = batch.id;
    auto allocations = funds_.ListAllocations(query);
    if (!allocations) return std::unexpected(allocations.error());
    if (batch.region_code != existing->region_code && !allocations->empty()) {
      problems.push_back({0, "region", batch.region_code,
                          fmt::format("cannot change: the batch is allocated to {} project(s) in "
                                      "region {}; withdraw the allocations first",
                                      allocations->size(), existing->region_code)});
    }
  }
  for (auto& p : ValidateBatch(batch, allocated)) problems.push_back(std::move(p));
  if (!problems.empty()) return Invalid(std::move(problems));
  auto region = regions_.Find(batch.region_code);
  if (!region) return std::unexpected(region.error());
  if (!*region) return Invalid({{0, "region", batch.region_code, "is not a known region"}});
  const regions::RegionLevel level = (*region)->level;
  if (level != regions::RegionLevel::kProvince && level != regions::RegionLevel::kCity &&
      level != regions::RegionLevel::kCounty) {
    return Invalid({{0, "region", batch.region_code,
                     "must be a province, city or county (the level that administers the funds)"}});
  }
  if (!InAnySubtree(scope, batch.region_code)) {
    const std::string reason = "is outside the regions where you may record fund batches";
    return MakeError(ErrorCode::kPermissionDenied,
                     fmt::format("region {} {}", batch.region_code, reason),
                     {{0, "region", batch.region_code, reason}});
  }
  return funds_.SaveBatch(batch, actor);
}

Result<Allocation> FundService::FindAllocation(const std::vector<std::string>& scope, int64_t id) {
  auto found = funds_.FindAllocation(id, scope);
  if (!found) return std::unexpected(found.error());
  if (!*found) return NotFound(fmt::format("no fund allocation with id {}", id));
  return **found;
}

Result<Allocation> FundService::Allocate(const std::vector<std::string>& scope,
                                         Allocation allocation, const audit::Actor& actor) {
  allocation.id = 0;
  auto batch = Batch(scope, allocation.batch_id);
  if (!batch) return std::unexpected(batch.error());
  FUPIN_TRY(CheckWritable(scope, *batch));
  const std::string project_id = std::to_string(allocation.project_id);
  auto project = projects_.FindProject(allocation.project_id, {batch->region_code});
  if (!project) return std::unexpected(project.error());
  if (!*project) {
    auto region = projects_.ProjectRegion(allocation.project_id);
    if (!region) return std::unexpected(region.error());
    if (!*region) return Invalid({{0, "project_id", project_id, "is not a project"}});
    return Invalid({{0, "project_id", project_id,
                     fmt::format("is in region {}, outside the batch's region {}", **region,
                                 batch->region_code)}});
  }
  if ((*project)->status == projects::kRejected) {
    return Invalid({{0, "project_id", project_id, "was rejected: funds go to live projects"}});
  }
  const Date today = Today();
  if (allocation.allocated_on == Date{}) allocation.allocated_on = today;
  std::vector<ErrorDetail> problems = ValidateAllocation(
      allocation, *batch, batch->amount_fen - batch->allocated_fen, /*paid_fen=*/0);
  if (allocation.allocated_on > today) {
    problems.push_back({0, "allocated_on", allocation.allocated_on.ToString(), "is in the future"});
  }
  if (!problems.empty()) return Invalid(std::move(problems));
  return funds_.SaveAllocation(allocation, actor);
}

Result<Allocation> FundService::ReviseAllocation(const std::vector<std::string>& scope,
                                                 Allocation allocation, const audit::Actor& actor) {
  auto existing = FindAllocation({""}, allocation.id);
  if (!existing) return std::unexpected(existing.error());
  auto batch = Batch(scope, existing->batch_id);
  if (!batch) return NotFound(fmt::format("no fund allocation with id {}", allocation.id));
  FUPIN_TRY(CheckWritable(scope, *batch));
  allocation.batch_id = existing->batch_id;
  allocation.project_id = existing->project_id;
  if (allocation.allocated_on == Date{}) allocation.allocated_on = existing->allocated_on;
  std::vector<ErrorDetail> problems = ValidateAllocation(
      allocation, *batch, batch->amount_fen - batch->allocated_fen + existing->amount_fen,
      existing->paid_fen);
  if (allocation.allocated_on > Today()) {
    problems.push_back({0, "allocated_on", allocation.allocated_on.ToString(), "is in the future"});
  }
  if (!problems.empty()) return Invalid(std::move(problems));
  return funds_.SaveAllocation(allocation, actor);
}

Status FundService::DeleteAllocation(const std::vector<std::string>& scope, int64_t id,
                                     int64_t version, const audit::Actor& actor) {
  auto existing = FindAllocation({""}, id);
  if (!existing) return std::unexpected(existing.error());
  auto batch = Batch(scope, existing->batch_id);
  if (!batch) return NotFound(fmt::format("no fund allocation with id {}", id));
  FUPIN_TRY(CheckWritable(scope, *batch));
  return funds_.DeleteAllocation(id, version, actor);
}

Result<Payment> FundService::Pay(const std::vector<std::string>& scope, Payment payment,
                                 const audit::Actor& actor) {
  payment.id = 0;
  payment.voided = false;
  auto allocation = FindAllocation(scope, payment.allocation_id);
  if (!allocation) return std::unexpected(allocation.error());
  const Date today = Today();
  if (payment.paid_on == Date{}) payment.paid_on = today;
  if (auto problems = ValidatePayment(payment, *allocation, today); !problems.empty()) {
    return Invalid(std::move(problems));
  }
  return funds_.AddPayment(payment, actor);
}

Result<Payment> FundService::Void(const std::vector<std::string>& scope, int64_t id,
                                  const std::string& reason, const audit::Actor& actor) {
  PaymentQuery query;
  query.scope = scope;
  query.payment_id = id;
  auto found = funds_.ListPayments(query);
  if (!found) return std::unexpected(found.error());
  if (found->empty()) return NotFound(fmt::format("no payment with id {}", id));
  const std::string trimmed(Trim(reason));
  if (trimmed.empty()) {
    return Invalid({{0, "reason", reason, "is required: say why the payment is voided"}});
  }
  return funds_.VoidPayment(id, trimmed, actor);
}

Result<ProjectRecords> FundService::Records(const projects::ProjectDetail& detail) {
  ProjectRecords r;
  r.project = detail.project;
  r.in_force = projects::InForce(detail);
  r.milestones_done = detail.milestone_actuals;
  r.reports = detail.reports;
  for (const auto& t : detail.transitions) {
    if (t.to_status == projects::kApproved && !r.approved_on) r.approved_on = t.on;
    if (t.to_status == projects::kCompleted) r.completed_on = t.on;
  }
  AllocationQuery allocations;
  allocations.scope = {""};
  allocations.project_id = detail.project.id;
  auto listed = funds_.ListAllocations(allocations);
  if (!listed) return std::unexpected(listed.error());
  r.allocations = std::move(*listed);
  PaymentQuery payments;
  payments.scope = {""};
  payments.project_id = detail.project.id;
  payments.include_voided = false;
  auto paid = funds_.ListPayments(payments);
  if (!paid) return std::unexpected(paid.error());
  r.payments = std::move(*paid);
  return r;
}

Result<ProjectExecution> FundService::Execution(const std::vector<std::string>& scope,
                                                int64_t project_id, std::optional<Date> as_of,
                                                const AlertOptions& options) {
  auto detail = projects_.FindDetail(project_id, scope);
  if (!detail) return std::unexpected(detail.error());
  if (!*detail) return NotFound(fmt::format("no project with id {}", project_id));
  auto records = Records(**detail);
  if (!records) return std::unexpected(records.error());
  const Date day = as_of.value_or(Today());
  ProjectExecution out;
  out.project = (*detail)->project;
  out.value = ComputeEarnedValue(*records, day);
  out.alerts = DetectAlerts(*records, out.value, day, options);
  for (const auto& a : records->allocations) out.allocated_fen += a.amount_fen;
  for (const auto& p : records->payments) out.paid_fen += p.amount_fen;
  out.allocations = std::move(records->allocations);
  PaymentQuery payments;
  payments.scope = {""};
  payments.project_id = project_id;
  auto all = funds_.ListPayments(payments);
  if (!all) return std::unexpected(all.error());
  out.payments = std::move(*all);
  return out;
}

Result<RegionMonitoring> FundService::Monitor(const std::vector<std::string>& scope,
                                              const std::string& region, int year,
                                              std::optional<Date> as_of,
                                              const AlertOptions& options) {
  auto found = regions_.Find(region);
  if (!found) return std::unexpected(found.error());
  if (!*found) return NotFound(fmt::format("no region with code {}", region));
  RegionMonitoring out;
  out.region_code = region;
  out.year = year;
  out.options = options;
  out.as_of = as_of.value_or(Today());
  if (year != 0 && Date{year, 12, 31} < out.as_of) out.as_of = Date{year, 12, 31};

  // The money: batches of the year issued to the region or below, and the allocations of that
  // year to the region's projects.
  BatchQuery batches;
  batches.scope = scope;
  batches.within = region;
  batches.year = year;
  batches.limit = 1;
  auto page = funds_.ListBatches(batches);
  if (!page) return std::unexpected(page.error());
  out.usage.batches = page->total;
  out.usage.issued_fen = page->amount_fen;
  out.usage.allocated_fen = page->allocated_fen;
  AllocationQuery allocations;
  allocations.scope = scope;
  allocations.within = region;
  allocations.year = year;
  auto allocated = funds_.ListAllocations(allocations);
  if (!allocated) return std::unexpected(allocated.error());
  std::set<int64_t> funded;
  std::set<int64_t> year_allocations;
  for (const auto& a : *allocated) {
    funded.insert(a.project_id);
    year_allocations.insert(a.id);
    out.usage.received_fen += a.amount_fen;
    out.usage.paid_fen += a.paid_fen;
  }

  // The projects: approved at least once and running in the year, or funded in it.
  projects::ProjectQuery query;
  query.scope = scope;
  query.within = region;
  query.limit = 0;
  auto listed = projects_.ListProjects(query);
  if (!listed) return std::unexpected(listed.error());
  std::vector<EarnedValue> values;
  std::set<int64_t> flagged;
  std::vector<int64_t> year_payments;
  for (const auto& p : listed->items) {
    const bool running =
        p.approved_version > 0 && (year == 0 || (p.profile.start_on <= Date{year, 12, 31} &&
                                                 p.profile.end_on >= Date{year, 1, 1}));
    if (!running && !funded.contains(p.id)) continue;
    auto detail = projects_.FindDetail(p.id, {""});
    if (!detail) return std::unexpected(detail.error());
    if (!*detail) continue;
    auto records = Records(**detail);
    if (!records) return std::unexpected(records.error());
    RegionMonitoring::Row row;
    row.project = p;
    row.value = ComputeEarnedValue(*records, out.as_of);
    auto alerts = DetectAlerts(*records, row.value, out.as_of, options);
    row.alerts = static_cast<int>(alerts.size());
    for (const auto& a : records->allocations) row.allocated_fen += a.amount_fen;
    for (const auto& pay : records->payments) {
      row.paid_fen += pay.amount_fen;
      if (year_allocations.contains(pay.allocation_id)) year_payments.push_back(pay.id);
    }
    for (int64_t id : NonCompliantPayments(alerts)) flagged.insert(id);
    values.push_back(row.value);
    for (auto& a : alerts) out.alerts.push_back(std::move(a));
    out.projects.push_back(std::move(row));
  }
  std::stable_sort(out.alerts.begin(), out.alerts.end(), [](const Alert& a, const Alert& b) {
    return RuleIndex(a.rule) < RuleIndex(b.rule);
  });
  out.total = RollUp(values, out.as_of);
  out.usage.payments = static_cast<int64_t>(year_payments.size());
  for (int64_t id : year_payments) {
    if (flagged.contains(id)) ++out.usage.non_compliant;
  }
  out.usage.allocation_rate = Ratio(out.usage.allocated_fen, out.usage.issued_fen);
  out.usage.payment_rate = Ratio(out.usage.paid_fen, out.usage.received_fen);
  out.usage.compliance_rate =
      Ratio(out.usage.payments - out.usage.non_compliant, out.usage.payments);
  return out;
}

Result<FundFlow> FundService::Flow(const std::vector<std::string>& scope, const std::string& region,
                                   int year) {
  BatchQuery batches;
  batches.scope = scope;
  batches.within = region;
  batches.year = year;
  batches.limit = 0;
  auto page = funds_.ListBatches(batches);
  if (!page) return std::unexpected(page.error());
  FundFlow flow;
  std::map<std::string, size_t> index;
  auto node = [&](std::string name, std::string kind, std::string code,
                  std::string label) -> FundFlow::Node& {
    auto [it, added] = index.emplace(name, flow.nodes.size());
    if (added) {
      flow.nodes.push_back({std::move(name), std::move(kind), std::move(code), std::move(label)});
    }
    return flow.nodes[it->second];
  };
  std::map<std::pair<std::string, std::string>, int64_t> links;
  std::map<int64_t, std::string> batch_names;
  for (const auto& b : page->items) {
    const std::string source = "source:" + b.source;
    node(source, "source", b.source, std::string(Sources().Zh(b.source))).value_fen += b.amount_fen;
    const std::string name = fmt::format("batch:{}", b.id);
    node(name, "batch", b.document_number, b.title.empty() ? b.document_number : b.title)
        .value_fen += b.amount_fen;
    links[{source, name}] += b.amount_fen;
    batch_names[b.id] = name;
    if (b.amount_fen > b.allocated_fen) {
      node("unallocated", "unallocated", "", "未分配").value_fen += b.amount_fen - b.allocated_fen;
      links[{name, "unallocated"}] += b.amount_fen - b.allocated_fen;
    }
  }
  // The money that reached the region's projects, from those batches or from batches issued
  // above the region (of which only the part that reached it is drawn).
  AllocationQuery allocations;
  allocations.scope = scope;
  allocations.within = region;
  allocations.year = year;
  auto allocated = funds_.ListAllocations(allocations);
  if (!allocated) return std::unexpected(allocated.error());
  for (const auto& a : *allocated) {
    std::string batch_node;
    if (auto batch = batch_names.find(a.batch_id); batch != batch_names.end()) {
      batch_node = batch->second;
    } else {
      // Issued above the region: each allocation adds its part to the source and the batch.
      const std::string source = "source:" + a.batch_source;
      node(source, "source", a.batch_source, std::string(Sources().Zh(a.batch_source))).value_fen +=
          a.amount_fen;
      const std::string name = fmt::format("batch:{}", a.batch_id);
      node(name, "batch", a.batch_document, a.batch_document).value_fen += a.amount_fen;
      links[{source, name}] += a.amount_fen;
      batch_node = name;
    }
    const std::string project = fmt::format("project:{}", a.project_id);
    node(project, "project", std::to_string(a.project_id), a.project_name).value_fen +=
        a.amount_fen;
    links[{batch_node, project}] += a.amount_fen;
    for (const auto& share : a.purposes) {
      const std::string purpose = "purpose:" + share.purpose;
      node(purpose, "purpose", share.purpose, std::string(Purposes().Zh(share.purpose)))
          .value_fen += share.amount_fen;
      links[{project, purpose}] += share.amount_fen;
    }
  }
  for (const auto& [ends, value] : links) {
    flow.links.push_back({ends.first, ends.second, value});
  }
  return flow;
}

Result<std::string> FundService::PlaceName(const std::string& code) {
  std::string out;
  std::string at = code;
  for (int guard = 0; guard < 8 && !at.empty(); ++guard) {
    auto region = regions_.Find(at);
    if (!region) return std::unexpected(region.error());
    if (!*region) break;
    out = (*region)->name + out;
    at = (*region)->parent_code;
  }
  return out.empty() ? code : out;
}

namespace {

// "1,234,567.89 元" style amounts are for the UI; notices print yuan with two decimals.
std::string YuanText(int64_t fen) { return projects::Yuan(fen) + " 元"; }

std::string Number(double v) {
  std::string text = fmt::format("{:.4f}", v);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

}  // namespace

Result<Notice> FundService::ProjectNotice(const std::vector<std::string>& scope, int64_t id,
                                          const std::string& phone) {
  auto detail = projects_.FindDetail(id, scope);
  if (!detail) return std::unexpected(detail.error());
  if (!*detail) return NotFound(fmt::format("no project with id {}", id));
  const projects::ProjectProfile& p = projects::InForce(**detail);
  auto place = PlaceName(p.region_code);
  if (!place) return std::unexpected(place.error());
  AllocationQuery query;
  query.scope = {""};
  query.project_id = id;
  auto allocations = funds_.ListAllocations(query);
  if (!allocations) return std::unexpected(allocations.error());
  std::string sources;
  std::string purposes;
  std::map<std::string, int64_t> by_purpose;
  int64_t total = 0;
  for (const auto& a : *allocations) {
    if (!sources.empty()) sources += "；";
    sources += fmt::format("{}（{}）{}", Sources().Zh(a.batch_source), a.batch_document,
                           YuanText(a.amount_fen));
    total += a.amount_fen;
    for (const auto& share : a.purposes) by_purpose[share.purpose] += share.amount_fen;
  }
  for (const auto& [purpose, fen] : by_purpose) {
    if (!purposes.empty()) purposes += "；";
    purposes += fmt::format("{} {}", Purposes().Zh(purpose), YuanText(fen));
  }
  std::string targets;
  for (const auto& t : p.targets) {
    if (!targets.empty()) targets += "；";
    targets += fmt::format("{} {} {}{}", t.name, t.direction, Number(t.target_value), t.unit);
  }
  Notice n;
  n.subject = "project";
  n.subject_id = id;
  n.region_code = p.region_code;
  n.title = fmt::format("{}公示", p.name);
  n.fields = {
      {"name", "项目名称", "Project", p.name},
      {"location", "建设地点", "Location", *place},
      {"content", "建设内容及规模", "Content and scale", p.content},
      {"subsidy_standard", "资金用途及补助标准", "Use of funds and subsidy standard",
       purposes.empty() ? "按批复预算执行" : purposes},
      {"funds", "资金来源及金额", "Fund sources and amounts",
       sources.empty() ? fmt::format("项目预算 {}（资金尚未下达）", YuanText(p.budget_fen))
                       : fmt::format("{}；合计 {}", sources, YuanText(total))},
      {"budget", "项目总投资", "Budget", YuanText(p.budget_fen)},
      {"period", "实施期限", "Period",
       fmt::format("{} 至 {}", p.start_on.ToString(), p.end_on.ToString())},
      {"implementing_unit", "实施单位", "Implementing unit", p.implementing_unit},
      {"person_in_charge", "项目负责人", "Person in charge", p.person_in_charge},
      {"targets", "绩效目标", "Performance targets", targets},
      {"mechanism", "带贫减贫机制", "How it benefits the poor", p.mechanism},
      {"beneficiaries", "受益脱贫户", "Beneficiary households",
       fmt::format("{} 户", p.beneficiaries.size())},
      {"supervision_phone", "监督电话", "Supervision phone", phone.empty() ? "—" : phone},
      {"hotline", "全国扶贫监督举报电话", "National supervision hotline",
       std::string(kSupervisionHotline)},
  };
  auto postings = funds_.ListPostings("project", id);
  if (!postings) return std::unexpected(postings.error());
  n.postings = std::move(*postings);
  return n;
}

Result<Notice> FundService::BatchNotice(const std::vector<std::string>& scope, int64_t id,
                                        const std::string& phone) {
  auto batch = Batch(scope, id);
  if (!batch) return std::unexpected(batch.error());
  auto place = PlaceName(batch->region_code);
  if (!place) return std::unexpected(place.error());
  AllocationQuery query;
  query.scope = {""};
  query.batch_id = id;
  auto allocations = funds_.ListAllocations(query);
  if (!allocations) return std::unexpected(allocations.error());
  std::string projects;
  for (const auto& a : *allocations) {
    if (!projects.empty()) projects += "；";
    projects += fmt::format("{} {}", a.project_name, YuanText(a.amount_fen));
  }
  Notice n;
  n.subject = "batch";
  n.subject_id = id;
  n.region_code = batch->region_code;
  const std::string name = batch->title.empty() ? batch->document_number : batch->title;
  n.title = fmt::format("{}分配使用情况公告", name);
  n.fields = {
      {"name", "资金名称", "Funds", name},
      {"document_number", "文号", "Document number", batch->document_number},
      {"source", "资金来源", "Source", std::string(Sources().Zh(batch->source))},
      {"level", "下达层级", "Issued by", std::string(IssuingLevels().Zh(batch->level))},
      {"location", "下达地区", "Issued to", *place},
      {"year", "年度", "Year", std::to_string(batch->year)},
      {"issued_on", "下达日期", "Issued on", batch->issued_on.ToString()},
      {"amount", "资金规模", "Amount", YuanText(batch->amount_fen)},
      {"allocations", "分配项目及金额", "Projects and amounts",
       projects.empty() ? "尚未分配" : projects},
      {"unallocated", "未分配金额", "Not yet allocated",
       YuanText(batch->amount_fen - batch->allocated_fen)},
      {"supervision_phone", "监督电话", "Supervision phone", phone.empty() ? "—" : phone},
      {"hotline", "全国扶贫监督举报电话", "National supervision hotline",
       std::string(kSupervisionHotline)},
  };
  auto postings = funds_.ListPostings("batch", id);
  if (!postings) return std::unexpected(postings.error());
  n.postings = std::move(*postings);
  return n;
}

Result<std::string> FundService::SubjectRegion(const std::vector<std::string>& scope,
                                               const std::string& subject, int64_t subject_id) {
  if (subject == "project") {
    auto project = projects_.FindProject(subject_id, scope);
    if (!project) return std::unexpected(project.error());
    if (!*project) return NotFound(fmt::format("no project with id {}", subject_id));
    return (*project)->profile.region_code;
  }
  if (subject == "batch") {
    auto batch = Batch(scope, subject_id);
    if (!batch) return std::unexpected(batch.error());
    return batch->region_code;
  }
  return Invalid({{0, "subject", subject, "must be project or batch"}});
}

Result<std::vector<NoticePosting>> FundService::Postings(const std::vector<std::string>& scope,
                                                         const std::string& subject,
                                                         int64_t subject_id) {
  auto region = SubjectRegion(scope, subject, subject_id);
  if (!region) return std::unexpected(region.error());
  return funds_.ListPostings(subject, subject_id);
}

Result<NoticePosting> FundService::RecordPosting(const std::vector<std::string>& scope,
                                                 NoticePosting posting, const audit::Actor& actor) {
  auto region = SubjectRegion(scope, posting.subject, posting.subject_id);
  if (!region) return std::unexpected(region.error());
  posting.region_code = *region;
  posting.place = std::string(Trim(posting.place));
  std::vector<ErrorDetail> problems;
  const Date today = Today();
  if (posting.place.empty()) {
    problems.push_back({0, "place", "", "is required: where the notice was posted"});
  }
  if (posting.posted_on == Date{}) posting.posted_on = today;
  if (posting.posted_on > today) {
    problems.push_back({0, "posted_on", posting.posted_on.ToString(), "is in the future"});
  }
  if (posting.until_on && *posting.until_on < posting.posted_on) {
    problems.push_back(
        {0, "until_on", posting.until_on->ToString(), "is before the day it was posted"});
  }
  if (!problems.empty()) return Invalid(std::move(problems));
  return funds_.AddPosting(posting, actor);
}

}  // namespace fupin::funds
