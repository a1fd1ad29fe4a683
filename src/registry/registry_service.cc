#include "registry/registry_service.h"

#include <fmt/format.h>

#include <algorithm>

#include "access/masking.h"
#include "access/permissions.h"
#include "registry/id_number.h"
#include "registry/vocabulary.h"

namespace fupin::registry {
namespace {

using access::Mask;
using access::SensitiveKind;

using access::InSubtree;

std::string Number(double v) { return fmt::format("{:.2f}", v); }
std::string YesNo(const std::optional<bool>& b) { return b ? (*b ? "是" : "否") : ""; }

// An edit made from another version than the stored one is refused before anything else
// (storage checks again inside its transaction).
Status CheckVersion(const Household& h, int64_t edited) {
  if (h.version == edited) return {};
  return Conflict(fmt::format("household {} was changed by someone else: you edited version {}, "
                              "the current version is {}",
                              h.number, edited, h.version),
                  h.version);
}

}  // namespace

bool Viewer::MaySeeSensitiveIn(std::string_view region_code) const {
  return std::any_of(sensitive_scope.begin(), sensitive_scope.end(),
                     [&](const std::string& s) { return InSubtree(s, region_code); });
}

bool Viewer::MaySeeSensitiveOf(int64_t household_id, std::string_view region_code) const {
  return MaySeeSensitiveIn(region_code) ||
         std::find(sensitive_households.begin(), sensitive_households.end(), household_id) !=
             sensitive_households.end();
}

bool Viewer::Reaches(int64_t household_id) const {
  return std::find(households.begin(), households.end(), household_id) != households.end();
}

void MaskRecord(HouseholdRecord& record) {
  record.household.phone = Mask(SensitiveKind::kPhone, record.household.phone);
  record.household.bank_account = Mask(SensitiveKind::kBankAccount, record.household.bank_account);
  for (Member& m : record.members) {
    m.id_number = Mask(SensitiveKind::kIdNumber, m.id_number);
    m.health = Mask(SensitiveKind::kHealth, m.health);
  }
  for (HelperAssignment& a : record.helpers) a.phone = Mask(SensitiveKind::kPhone, a.phone);
  for (MemberEvent& e : record.member_events) {
    e.id_number = Mask(SensitiveKind::kIdNumber, e.id_number);
    if (!e.old_id_number.empty()) {
      e.old_id_number = Mask(SensitiveKind::kIdNumber, e.old_id_number);
    }
  }
}

Result<HouseholdPage> RegistryService::List(HouseholdQuery query, const Viewer& viewer) {
  query.scope = viewer.scope;
  query.households = viewer.households;
  auto page = registry_.ListHouseholds(query);
  if (!page) return page;
  for (HouseholdSummary& s : page->items) {
    s.household.phone = Mask(SensitiveKind::kPhone, s.household.phone);
    s.household.bank_account = Mask(SensitiveKind::kBankAccount, s.household.bank_account);
    s.head_id_number = Mask(SensitiveKind::kIdNumber, s.head_id_number);
  }
  return page;
}

void RegistryService::RecordDenied(std::string_view entity, int64_t id,
                                   const std::optional<std::string>& region, const Viewer& viewer,
                                   std::string_view what) {
  if (!region) return;  // it does not exist: nothing was withheld
  audit::Entry entry;
  entry.actor = viewer.actor;
  entry.action = "denied";
  entry.entity = std::string(entity);
  entry.entity_id = std::to_string(id);
  entry.region_code = *region;
  entry.note = fmt::format("{} outside the caller's scope: answered 404", what);
  // A failure to record the attempt must not turn a 404 into something that tells the record
  // exists; the answer stays "not found" either way.
  (void)audit_.Append(entry);
}

Status RegistryService::RecordReveal(std::string_view entity, int64_t id, std::string_view region,
                                     std::string_view note, const Viewer& viewer) {
  audit::Entry entry;
  entry.actor = viewer.actor;
  entry.action = "reveal";
  entry.entity = std::string(entity);
  entry.entity_id = std::to_string(id);
  entry.region_code = std::string(region);
  entry.note = std::string(note);
  auto appended = audit_.Append(entry);
  if (!appended) return std::unexpected(appended.error());
  return {};
}

Result<std::optional<HouseholdRecord>> RegistryService::FindReachable(int64_t id,
                                                                      const Viewer& viewer) {
  // One's own household is found wherever it lies; any other only within the scope.
  return registry_.FindHousehold(id,
                                 viewer.Reaches(id) ? std::vector<std::string>{""} : viewer.scope);
}

Result<HouseholdView> RegistryService::Get(int64_t id, const Viewer& viewer,
                                           std::optional<Date> as_of) {
  auto found = FindReachable(id, viewer);
  if (!found) return std::unexpected(found.error());
  if (!*found) {
    auto region = registry_.HouseholdRegion(id);
    RecordDenied("household", id, region ? *region : std::nullopt, viewer, "read of household");
    return NotFound(fmt::format("no household with id {}", id));
  }
  HouseholdView view;
  view.record = as_of ? RecordAsOf(**found, *as_of) : std::move(**found);
  for (const Income& income : view.record.incomes) {
    view.per_capita.push_back(PerCapitaNetIncome(income, view.record.members));
  }
  view.may_reveal = viewer.MaySeeSensitiveOf(id, view.record.household.region_code);
  MaskRecord(view.record);
  return view;
}

Result<std::string> RegistryService::RevealMember(int64_t member_id, std::string_view field,
                                                  const Viewer& viewer) {
  auto found = registry_.FindMember(member_id, viewer.scope);
  if (!found) return std::unexpected(found.error());
  if (!*found && !viewer.households.empty()) {
    // A member of one's own household.
    auto anywhere = registry_.FindMember(member_id, {""});
    if (!anywhere) return std::unexpected(anywhere.error());
    if (*anywhere && viewer.Reaches((*anywhere)->first.household_id)) found = std::move(anywhere);
  }
  if (!*found) {
    auto region = registry_.MemberRegion(member_id);
    RecordDenied("member", member_id, region ? *region : std::nullopt, viewer,
                 "reveal of a member's " + std::string(field));
    return NotFound(fmt::format("no member with id {}", member_id));
  }
  const auto& [member, region] = **found;
  // The field is checked after the lookup, so that a record outside the scope is 404 whatever
  // is asked of it.
  if (field != "id_number" && field != "health") {
    return InvalidArgument(
        fmt::format("a member's sensitive fields are id_number and health, not \"{}\"", field),
        {{0, "field", std::string(field), "is not a sensitive member field"}});
  }
  if (!viewer.MaySeeSensitiveOf(member.household_id, region)) {
    return PermissionDenied("you may not see personal data unmasked in this region");
  }
  FUPIN_TRY(RecordReveal("member", member_id, region, field, viewer));
  return field == "id_number" ? member.id_number : member.health;
}

Result<std::string> RegistryService::RevealHousehold(int64_t household_id, std::string_view field,
                                                     const Viewer& viewer) {
  auto found = FindReachable(household_id, viewer);
  if (!found) return std::unexpected(found.error());
  if (!*found) {
    auto region = registry_.HouseholdRegion(household_id);
    RecordDenied("household", household_id, region ? *region : std::nullopt, viewer,
                 "reveal of a household's " + std::string(field));
    return NotFound(fmt::format("no household with id {}", household_id));
  }
  const Household& h = (*found)->household;
  if (field != "phone" && field != "bank_account") {
    return InvalidArgument(
        fmt::format("a household's sensitive fields are phone and bank_account, not \"{}\"", field),
        {{0, "field", std::string(field), "is not a sensitive household field"}});
  }
  if (!viewer.MaySeeSensitiveOf(household_id, h.region_code)) {
    return PermissionDenied("you may not see personal data unmasked in this region");
  }
  FUPIN_TRY(RecordReveal("household", household_id, h.region_code, field, viewer));
  return field == "phone" ? h.phone : h.bank_account;
}

bool RegistryService::InScope(const Viewer& viewer, std::string_view region) const {
  return std::any_of(viewer.scope.begin(), viewer.scope.end(),
                     [&](const std::string& s) { return InSubtree(s, region); });
}

Result<std::vector<ErrorDetail>> RegistryService::CheckVillage(const std::string& region,
                                                               const Viewer& viewer,
                                                               const std::string& field) {
  std::vector<ErrorDetail> problems;
  if (region.empty()) return problems;
  auto found = regions_.Find(region);
  if (!found) return std::unexpected(found.error());
  if (!*found || (*found)->level != regions::RegionLevel::kVillage || (*found)->IsClosed()) {
    problems.push_back({0, field, region, "is not an open village"});
  } else if (!InScope(viewer, region)) {
    problems.push_back({0, field, region, "is outside the regions where you may write"});
  }
  return problems;
}

Result<HouseholdRecord> RegistryService::Writable(int64_t id, const Viewer& viewer,
                                                  std::string_view what) {
  auto found = registry_.FindHousehold(id, viewer.scope);
  if (!found) return std::unexpected(found.error());
  if (!*found) {
    auto region = registry_.HouseholdRegion(id);
    RecordDenied("household", id, region ? *region : std::nullopt, viewer, what);
    return NotFound(fmt::format("no household with id {}", id));
  }
  return std::move(**found);
}

Status RegistryService::CheckWritable(int64_t id, const Viewer& viewer) {
  auto region = registry_.HouseholdRegion(id);
  if (!region) return std::unexpected(region.error());
  if (*region && InScope(viewer, **region)) return {};
  RecordDenied("household", id, *region, viewer, "change of household");
  return NotFound(fmt::format("no household with id {}", id));
}

Result<HouseholdView> RegistryService::Write(HouseholdEdit edit, int64_t id, const Viewer& viewer,
                                             std::vector<ErrorDetail> problems) {
  const Date today = Today();
  auto validate = [&](HouseholdRecord& r, bool first) {
    for (ErrorDetail& d : ValidateRecord(r, today)) {
      if (!first) d.column = fmt::format("household {}: {}", r.household.number, d.column);
      problems.push_back(std::move(d));
    }
  };
  for (size_t i = 0; i < edit.replaced.size(); ++i) validate(edit.replaced[i], i == 0);
  if (edit.created) validate(*edit.created, false);
  if (!problems.empty()) {
    std::string message = fmt::format("the change has {} problem{}; nothing was saved",
                                      problems.size(), problems.size() == 1 ? "" : "s");
    return InvalidArgument(std::move(message), std::move(problems));
  }
  auto written = registry_.ApplyEdit(edit, viewer.actor);
  if (!written) return std::unexpected(written.error());
  return Get(id, viewer);
}

Result<audit::Page> RegistryService::History(int64_t id, const Viewer& viewer, int64_t offset,
                                             int64_t limit) {
  auto found = FindReachable(id, viewer);
  if (!found) return std::unexpected(found.error());
  if (!*found) {
    auto region = registry_.HouseholdRegion(id);
    RecordDenied("household", id, region ? *region : std::nullopt, viewer, "history of household");
    return NotFound(fmt::format("no household with id {}", id));
  }
  audit::Query q;
  // One's own household's entries wherever it lies; otherwise those within the scope.
  q.scope = viewer.Reaches(id) ? std::vector<std::string>{""} : viewer.scope;
  q.entity = "household";
  q.entity_id = std::to_string(id);
  q.offset = offset;
  q.limit = limit;
  return audit_.List(q);
}

Result<HouseholdView> RegistryService::Update(int64_t id, const HouseholdPatch& patch,
                                              const Viewer& viewer) {
  auto record = Writable(id, viewer, "edit of household");
  if (!record) return std::unexpected(record.error());
  if (patch.version <= 0) {
    return InvalidArgument("give the version you edited",
                           {{0, "version", "", "is required (the household's version)"}});
  }
  if (patch.Empty()) {
    return InvalidArgument("the edit changes nothing", {{0, "", "", "nothing to change"}});
  }
  FUPIN_TRY(CheckVersion(record->household, patch.version));
  std::vector<ErrorDetail> problems = ApplyPatch(*record, patch);
  if (patch.region_code) {
    auto region = CheckVillage(*patch.region_code, viewer, "region");
    if (!region) return std::unexpected(region.error());
    for (ErrorDetail& d : *region) problems.push_back(std::move(d));
  }
  HouseholdEdit edit;
  edit.action = "update";
  edit.note = patch.note;
  edit.replaced.push_back(std::move(*record));
  return Write(std::move(edit), id, viewer, std::move(problems));
}

Result<HouseholdView> RegistryService::RecordMemberEvent(int64_t id,
                                                         const MemberEventRequest& request,
                                                         const Viewer& viewer) {
  auto here = Writable(id, viewer, "membership event on household");
  if (!here) return std::unexpected(here.error());
  if (request.version <= 0) {
    return InvalidArgument("give the version you edited",
                           {{0, "version", "", "is required (the household's version)"}});
  }
  FUPIN_TRY(CheckVersion(here->household, request.version));
  std::optional<HouseholdRecord> other;
  std::vector<ErrorDetail> problems;
  if (NeedsOtherHousehold(request)) {
    if (!request.id_number.empty()) {
      // marriage_in / move_in of a registered person: find their current household.
      auto info = ParseIdNumber(request.id_number, Today());
      const std::string number = info ? info->normalized : request.id_number;
      const std::string ids[] = {number};
      auto holders = registry_.HouseholdsOfIdNumbers(ids);
      if (!holders) return std::unexpected(holders.error());
      if (auto it = holders->find(number); it != holders->end()) {
        const std::string numbers[] = {it->second};
        auto found = registry_.FindHouseholdsByNumber(numbers);
        if (!found) return std::unexpected(found.error());
        if (found->size() == 1 && InScope(viewer, found->front().household.region_code)) {
          other = std::move(found->front());
        } else {
          problems.push_back(
              {0, "id_number", Mask(SensitiveKind::kIdNumber, number),
               fmt::format("this person is a member of household {}, outside the regions where "
                           "you may write: that household records the move out first",
                           it->second)});
        }
      }
    } else {
      auto found = registry_.FindHousehold(request.other_household_id, viewer.scope);
      if (!found) return std::unexpected(found.error());
      if (*found) {
        other = std::move(**found);
      } else {
        problems.push_back({0, "other_household_id", std::to_string(request.other_household_id),
                            "is not a household you may change"});
      }
    }
    if (other && other->household.id == here->household.id) {
      problems.push_back({0, request.id_number.empty() ? "other_household_id" : "id_number",
                          std::to_string(other->household.id), "is this household already"});
      other.reset();
    }
  }
  if (!problems.empty()) {
    return InvalidArgument("the event cannot be recorded", std::move(problems));
  }
  auto edit = PlanMemberEvent(*here, other ? &*other : nullptr, request, Today());
  if (!edit) return std::unexpected(edit.error());
  return Write(std::move(*edit), id, viewer, {});
}

Result<HouseholdView> RegistryService::Create(HouseholdRecord record, const Viewer& viewer) {
  std::vector<ErrorDetail> problems = ValidateRecord(record, Today());
  auto region = CheckVillage(record.household.region_code, viewer, "region");
  if (!region) return std::unexpected(region.error());
  for (ErrorDetail& d : *region) problems.push_back(std::move(d));
  if (!problems.empty()) {
    std::string message = fmt::format("the household has {} problem{}", problems.size(),
                                      problems.size() == 1 ? "" : "s");
    return InvalidArgument(std::move(message), std::move(problems));
  }
  auto created = registry_.CreateHousehold(record, viewer.actor);
  if (!created) return std::unexpected(created.error());
  return Get(created->household.id, viewer);
}

Result<QualityReport> RegistryService::CheckQuality(HouseholdQuery query, const Viewer& viewer,
                                                    QualityOptions options) {
  query.scope = viewer.scope;
  options.today = Today();
  return CheckHouseholds(registry_, query, std::move(options));
}

std::vector<ExportColumn> RegistryService::ExportColumns() {
  return {{"户编号", "household_number"},
          {"行政区划代码", "region_code"},
          {"户主姓名", "head_name"},
          {"户主身份证号", "head_id_number"},
          {"人口数", "members"},
          {"户属性", "attribute"},
          {"主要致贫原因", "main_cause"},
          {"次要致贫原因", "secondary_cause"},
          {"状态", "status"},
          {"识别年度", "year_identified"},
          {"脱贫年度", "lifted_year"},
          {"联系电话", "phone"},
          {"银行账号", "bank_account"},
          {"住房安全", "housing_safe"},
          {"饮水安全", "water_safe"},
          {"最近收入年度", "income_year"},
          {"纯收入", "net_income"}};
}

Status RegistryService::Export(HouseholdQuery query, const Viewer& viewer, bool unmasked,
                               const std::function<Status(const std::vector<std::string>&)>& row) {
  query.scope = viewer.scope;
  query.households = viewer.households;
  if (unmasked) {
    // Every exported row must be one the viewer may see unmasked: restrict the export to
    // the sensitive scope, and refuse if that would silently drop rows.
    HouseholdQuery all = query;
    all.limit = 0;
    auto total = registry_.ListHouseholds(all);
    if (!total) return std::unexpected(total.error());
    HouseholdQuery revealable = all;
    revealable.scope = viewer.sensitive_scope;
    revealable.households = viewer.sensitive_households;
    auto allowed = registry_.ListHouseholds(revealable);
    if (!allowed) return std::unexpected(allowed.error());
    if ((viewer.sensitive_scope.empty() && viewer.sensitive_households.empty()) ||
        allowed->total != total->total) {
      return PermissionDenied(
          "an unmasked export needs the right to see personal data in every exported region; "
          "narrow the filter to your own regions or export masked");
    }
  }
  std::vector<std::string> numbers;
  auto visited = registry_.ForEachHousehold(query, [&](const HouseholdSummary& s) -> Status {
    const Household& h = s.household;
    auto shown = [&](SensitiveKind kind, const std::string& value) {
      return unmasked ? value : Mask(kind, value);
    };
    if (unmasked) numbers.push_back(h.number);
    return row(
        {h.number, h.region_code, s.head_name, shown(SensitiveKind::kIdNumber, s.head_id_number),
         std::to_string(s.members), std::string(Attributes().Zh(h.attribute)),
         std::string(Causes().Zh(h.main_cause)), std::string(Causes().Zh(h.secondary_cause)),
         std::string(Statuses().Zh(query.as_of ? s.status_on : h.status)),
         h.year_identified ? std::to_string(*h.year_identified) : "",
         h.lifted_year ? std::to_string(*h.lifted_year) : "", shown(SensitiveKind::kPhone, h.phone),
         shown(SensitiveKind::kBankAccount, h.bank_account), YesNo(h.housing_safe),
         YesNo(h.water_safe), s.latest_income ? std::to_string(s.latest_income->year) : "",
         s.latest_income ? Number(s.latest_income->Net()) : ""});
  });
  if (!visited) return visited;
  if (unmasked) {
    std::string note = fmt::format("unmasked export of {} households:", numbers.size());
    for (const std::string& n : numbers) note += " " + n;
    FUPIN_TRY(RecordReveal("household", 0, "", note, viewer));
  }
  return {};
}

}  // namespace fupin::registry
