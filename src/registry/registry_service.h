// The registry's use cases: list, read, create and export households for a caller, with
// personal data masked, and explicit, audited reveals of single values.
//
// Masking (docs/access.md): every response and export carries ID numbers, phones, bank
// accounts and health conditions masked. A caller holding personal_data.view_sensitive in the
// record's region may reveal one value (RevealMember / RevealHousehold) or export unmasked;
// each of those is written to the audit log (who saw whose value, when). A record outside the
// caller's scope is "not found" — and the attempt is written to the audit log too.
// Thread-safety: as thread-safe as the repositories it uses (the SQL ones are).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit.h"
#include "audit/audit_repository.h"
#include "base/error.h"
#include "base/time.h"
#include "regions/region_repository.h"
#include "registry/editing.h"
#include "registry/quality.h"
#include "registry/registry_repository.h"

namespace fupin::registry {

// Who is asking, and where they may read and see personal data: region subtrees, and — for a
// household member — their own household (access::Reach::kOwnHousehold), never their village.
struct Viewer {
  audit::Actor actor;
  std::vector<std::string> scope;                  // the route's permission (registry.read/write)
  std::vector<std::string> sensitive_scope;        // personal_data.view_sensitive
  std::vector<int64_t> households = {};            // readable besides `scope`
  std::vector<int64_t> sensitive_households = {};  // view_sensitive besides `sensitive_scope`
  bool MaySeeSensitiveIn(std::string_view region_code) const;
  // Over the household's region, or on the household itself.
  bool MaySeeSensitiveOf(int64_t household_id, std::string_view region_code) const;
  bool Reaches(int64_t household_id) const;  // one of `households`
};

// A household as shown to a viewer: masked, with what the viewer may reveal.
struct HouseholdView {
  HouseholdRecord record;  // sensitive fields masked
  bool may_reveal = false;
  // Per-capita net income per year, in the order of record.incomes.
  std::vector<std::optional<double>> per_capita;
};

// One export column: its header in Chinese (the import template's) and English.
struct ExportColumn {
  std::string_view zh;
  std::string_view en;
};

class RegistryService {
 public:
  RegistryService(RegistryRepository& registry, audit::AuditRepository& audit,
                  regions::RegionRepository& regions, const Clock& clock)
      : registry_(registry), audit_(audit), regions_(regions), clock_(clock) {}

  // A page of households, masked. The query's scope is replaced by the viewer's.
  Result<HouseholdPage> List(HouseholdQuery query, const Viewer& viewer);
  // One household, masked; kNotFound outside the viewer's scope (attempt audited). With
  // `as_of`, the household as it stood at the end of that day (RecordAsOf).
  Result<HouseholdView> Get(int64_t id, const Viewer& viewer,
                            std::optional<Date> as_of = std::nullopt);

  // The full value of one sensitive field: "id_number" or "health" of a member, "phone" or
  // "bank_account" of a household. kNotFound outside the viewer's read scope (attempt
  // audited); kPermissionDenied where the viewer may read but not see personal data;
  // kInvalidArgument for another field. Audited as a "reveal" entry naming the field.
  Result<std::string> RevealMember(int64_t member_id, std::string_view field, const Viewer& viewer);
  Result<std::string> RevealHousehold(int64_t household_id, std::string_view field,
                                      const Viewer& viewer);

  // Validates and creates a household in the viewer's scope (the write permission's).
  // kInvalidArgument with every problem (field and reason) — nothing is written then.
  Result<HouseholdView> Create(HouseholdRecord record, const Viewer& viewer);

  // The audit entries of household `id` (its creation, imports that named it, edits, events,
  // reveals), newest first, `offset`/`limit` paged; kNotFound outside the viewer's scope.
  Result<audit::Page> History(int64_t id, const Viewer& viewer, int64_t offset, int64_t limit);

  // kNotFound (the attempt audited) unless household `id` lies within the viewer's scope:
  // routes call it before reading a request body, so that an out-of-scope record answers 404
  // whatever the body holds.
  Status CheckWritable(int64_t id, const Viewer& viewer);

  // Edits household `id` (within the viewer's write scope: kNotFound outside it, attempt
  // audited) by `patch`, made from version patch.version (kConflict with the current version
  // when the household has changed since). The result is validated as a whole (ValidateRecord;
  // a new region must be an open village in the scope): kInvalidArgument with every problem,
  // nothing written. Audited as an "update" entry with the changed fields. Returns the new view.
  Result<HouseholdView> Update(int64_t id, const HouseholdPatch& patch, const Viewer& viewer);

  // Records a membership event (editing.h) on household `id` and applies it to the member rows
  // of the households involved — every one of them within the viewer's write scope (a person
  // registered elsewhere outside it is refused: that household records the move first). All
  // or nothing; problems name the request's fields, or "household N: <field>" for a second
  // household. Returns the view of household `id`.
  Result<HouseholdView> RecordMemberEvent(int64_t id, const MemberEventRequest& request,
                                          const Viewer& viewer);

  // Runs the data-quality rules (quality.h) over the households of `query` within the viewer's
  // scope (the query's scope is replaced by it; a region outside it has no households), on
  // the clock's date in China Standard Time (`options.today` is replaced by it). Findings are
  // masked whatever the viewer may see: a value is revealed through the household's reveal.
  // kInvalidArgument for an unknown rule code.
  Result<QualityReport> CheckQuality(HouseholdQuery query, const Viewer& viewer,
                                     QualityOptions options);

  // The export of a filtered list: one row per household (as of a day, `query.as_of`, its
  // status column is the status then, as the list shows it). Masked unless `unmasked`, which
  // needs view_sensitive over every exported household's region (kPermissionDenied otherwise)
  // and is audited with the numbers exported.
  static std::vector<ExportColumn> ExportColumns();
  Status Export(HouseholdQuery query, const Viewer& viewer, bool unmasked,
                const std::function<Status(const std::vector<std::string>&)>& row);

 private:
  Date Today() const { return ChinaDate(clock_.Now()); }
  bool InScope(const Viewer& viewer, std::string_view region) const;
  // Problems with `region` as a household's village: an open village within the scope.
  Result<std::vector<ErrorDetail>> CheckVillage(const std::string& region, const Viewer& viewer,
                                                const std::string& field);
  // The household `id` within the viewer's scope, or kNotFound (the attempt audited).
  Result<HouseholdRecord> Writable(int64_t id, const Viewer& viewer, std::string_view what);
  Result<HouseholdView> Write(HouseholdEdit edit, int64_t id, const Viewer& viewer,
                              std::vector<ErrorDetail> problems);
  // The household if the viewer reaches it (in its scope, or one of its own households).
  Result<std::optional<HouseholdRecord>> FindReachable(int64_t id, const Viewer& viewer);
  // Writes the "denied" audit entry when `region` says the record exists.
  void RecordDenied(std::string_view entity, int64_t id, const std::optional<std::string>& region,
                    const Viewer& viewer, std::string_view what);
  Status RecordReveal(std::string_view entity, int64_t id, std::string_view region,
                      std::string_view note, const Viewer& viewer);

  RegistryRepository& registry_;
  audit::AuditRepository& audit_;
  regions::RegionRepository& regions_;
  const Clock& clock_;
};

// Masks the sensitive fields of a record in place.
void MaskRecord(HouseholdRecord& record);

}  // namespace fupin::registry
