// The registry's closed vocabularies (household attribute, cause of poverty, relation to the
// head, health, labour capacity, status, …) as data: each term has a stable code (stored in
// the database and used by the API), its Chinese label (as national-system exports write it)
// and an English label. Imports accept any of the three; the UI shows the labels.
// Thread-safety: immutable data and pure functions.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace fupin::registry {

struct Term {
  std::string_view code;
  std::string_view zh;
  std::string_view en;
};

struct Vocabulary {
  std::string_view name;  // "cause", "relation", …
  std::span<const Term> terms;

  // The code of the term whose code, Chinese or English label equals `text` (trimmed; English
  // case-insensitively); nullopt when none does.
  std::optional<std::string_view> Parse(std::string_view text) const;
  bool Contains(std::string_view code) const;
  // The Chinese label of a code ("" when unknown).
  std::string_view Zh(std::string_view code) const;
  // "code (zh)" for every term, comma-separated: for error messages that list what is allowed.
  std::string Allowed() const;
};

// 户属性 — household attribute: 一般贫困户 / 低保贫困户 / 特困供养贫困户 (none = a monitored
// non-poor household).
const Vocabulary& Attributes();
// 致贫原因 — cause of poverty.
const Vocabulary& Causes();
// 与户主关系 — relation to the head of household.
const Vocabulary& Relations();
const Vocabulary& Sexes();
// 健康状况 — health condition (sensitive).
const Vocabulary& HealthConditions();
// 劳动能力 — labour capacity.
const Vocabulary& LabourCapacities();
// 文化程度 — education.
const Vocabulary& Educations();
// Household status over time (贫困户状态): identified → lifted out → monitored / risk
// eliminated / returned to poverty; cancelled.
const Vocabulary& Statuses();
// 两不愁三保障 + safe drinking water.
const Vocabulary& GuaranteeItems();
// 帮扶措施 — kinds of assistance measures.
const Vocabulary& MeasureKinds();
// 帮扶责任人级别 — the level of a helper's unit.
const Vocabulary& HelperLevels();
// Events that change membership over time (births, deaths, marriages, moves, …).
const Vocabulary& MemberEventKinds();

// Every vocabulary, for GET /api/v1/registry/vocabularies.
std::span<const Vocabulary* const> AllVocabularies();

}  // namespace fupin::registry
