#include "workshops/subsidy_json.h"

#include <fmt/format.h>

#include <cmath>

namespace fupin::workshops {
namespace {

using nlohmann::json;

// Collects the problems of a body read field by field.
class Reader {
 public:
  std::string String(const json& body, const std::string& field, const std::string& at = "") {
    const std::string key = field;
    if (!body.contains(key) || body[key].is_null()) return "";
    if (!body[key].is_string()) {
      problems.push_back({0, at + field, body[key].dump(), "must be a string"});
      return "";
    }
    return body[key].get<std::string>();
  }
  // A string, or a number written as text (condition values).
  std::string Text(const json& body, const std::string& field, const std::string& at) {
    if (body.contains(field) && body[field].is_number()) {
      const double v = body[field].get<double>();
      if (v == std::floor(v) && std::abs(v) < 1e15) {
        return std::to_string(static_cast<int64_t>(v));
      }
      return fmt::format("{}", v);
    }
    return String(body, field, at);
  }
  std::optional<int64_t> Int(const json& body, const std::string& field,
                             const std::string& at = "") {
    if (!body.contains(field) || body[field].is_null()) return std::nullopt;
    if (!body[field].is_number_integer()) {
      problems.push_back({0, at + field, body[field].dump(), "must be a whole number"});
      return std::nullopt;
    }
    return body[field].get<int64_t>();
  }
  std::optional<double> Number(const json& body, const std::string& field,
                               const std::string& at = "") {
    if (!body.contains(field) || body[field].is_null()) return std::nullopt;
    if (!body[field].is_number()) {
      problems.push_back({0, at + field, body[field].dump(), "must be a number"});
      return std::nullopt;
    }
    return body[field].get<double>();
  }
  Date Day(const json& body, const std::string& field) {
    const std::string text = String(body, field);
    if (text.empty()) {
      problems.push_back({0, field, "", "is required (YYYY-MM-DD)"});
      return {};
    }
    auto d = ParseDate(text);
    if (!d) {
      problems.push_back({0, field, text, "is not a date (YYYY-MM-DD)"});
      return {};
    }
    return *d;
  }
  const json* List(const json& body, const std::string& field) {
    if (!body.contains(field) || body[field].is_null()) return nullptr;
    if (!body[field].is_array()) {
      problems.push_back({0, field, body[field].dump(), "must be a list"});
      return nullptr;
    }
    return &body[field];
  }

  std::vector<ErrorDetail> problems;
};

}  // namespace

std::string YuanText(int64_t fen) {
  return fmt::format("{}{}.{:02}", fen < 0 ? "-" : "", std::llabs(fen) / 100,
                     std::llabs(fen) % 100);
}

json RuleJson(const SubsidyRule& r) {
  json conditions = json::array();
  for (const Condition& c : r.conditions) {
    conditions.push_back({{"fact", c.fact}, {"op", c.op}, {"value", c.value}});
  }
  json bands = json::array();
  for (const AmountBand& b : r.bands) {
    bands.push_back({{"min", b.min},
                     {"max", b.max ? json(*b.max) : json(nullptr)},
                     {"amount_fen", b.amount_fen}});
  }
  return {{"id", r.id},
          {"code", r.code},
          {"name", r.name},
          {"region", r.region_code},
          {"valid_from", r.valid_from.ToString()},
          {"valid_to", r.valid_to.ToString()},
          {"unit", r.unit},
          {"conditions", conditions},
          {"amount_fen", r.amount_fen},
          {"amount_fact", r.amount_fact},
          {"bands", bands},
          {"cap_fen", r.cap_fen ? json(*r.cap_fen) : json(nullptr)},
          {"basis", r.basis},
          {"version", r.version}};
}

Result<SubsidyRule> ParseRule(const json& body) {
  if (!body.is_object()) {
    return InvalidArgument("a subsidy rule is a JSON object",
                           {{0, "rule", body.dump().substr(0, 40), "must be an object"}});
  }
  Reader in;
  SubsidyRule r;
  r.id = in.Int(body, "id").value_or(0);
  r.version = in.Int(body, "version").value_or(1);
  r.code = in.String(body, "code");
  r.name = in.String(body, "name");
  r.region_code = in.String(body, "region");
  r.valid_from = in.Day(body, "valid_from");
  r.valid_to = in.Day(body, "valid_to");
  r.unit = in.String(body, "unit");
  if (const json* conditions = in.List(body, "conditions")) {
    for (size_t i = 0; i < conditions->size(); ++i) {
      const json& c = (*conditions)[i];
      const std::string at = fmt::format("conditions[{}].", i + 1);
      if (!c.is_object()) {
        in.problems.push_back({0, at.substr(0, at.size() - 1), c.dump(), "must be an object"});
        continue;
      }
      r.conditions.push_back(
          {in.String(c, "fact", at), in.String(c, "op", at), in.Text(c, "value", at)});
    }
  }
  r.amount_fen = in.Int(body, "amount_fen").value_or(0);
  r.amount_fact = in.String(body, "amount_fact");
  if (const json* bands = in.List(body, "bands")) {
    for (size_t i = 0; i < bands->size(); ++i) {
      const json& b = (*bands)[i];
      const std::string at = fmt::format("bands[{}].", i + 1);
      if (!b.is_object()) {
        in.problems.push_back({0, at.substr(0, at.size() - 1), b.dump(), "must be an object"});
        continue;
      }
      AmountBand band;
      band.min = in.Number(b, "min", at).value_or(0);
      band.max = in.Number(b, "max", at);
      band.amount_fen = in.Int(b, "amount_fen", at).value_or(0);
      r.bands.push_back(band);
    }
  }
  r.cap_fen = in.Int(body, "cap_fen");
  r.basis = in.String(body, "basis");
  if (!in.problems.empty()) {
    return InvalidArgument("the subsidy rule has fields of the wrong type", std::move(in.problems));
  }
  return r;
}

json LineJson(const SubsidyLine& l) {
  return {{"id", l.id},
          {"run_id", l.run_id},
          {"unit", l.unit},
          {"workshop_id", l.workshop_id},
          {"workshop_name", l.workshop_name},
          {"member_id", l.member_id ? json(l.member_id) : json(nullptr)},
          {"member_name", l.member_name},
          {"employment_id", l.employment_id ? json(l.employment_id) : json(nullptr)},
          {"qualifies", l.qualifies},
          {"amount_fen", l.amount_fen},
          {"explanation", l.explanation},
          {"decision", l.decision},
          {"approved_fen", l.approved_fen},
          {"reason", l.reason},
          {"reviewed_by", l.reviewed_by},
          {"reviewed_at", l.reviewed_at},
          {"paid_fen", l.paid_fen}};
}

json RunJson(const SubsidyRun& run) {
  json out = {{"id", run.id},
              {"rule_id", run.rule_id},
              {"rule_code", run.rule_code},
              {"rule_name", run.rule_name},
              {"rule_version", run.rule_version},
              {"unit", run.unit},
              {"region", run.region_code},
              {"from", run.period_from.ToString()},
              {"to", run.period_to.ToString()},
              {"window_from", run.window_from.ToString()},
              {"window_to", run.window_to.ToString()},
              {"applies", run.applies},
              {"units", run.units},
              {"eligible", run.eligible},
              {"total_fen", run.total_fen},
              {"approved_fen", run.approved_fen},
              {"paid_fen", run.paid_fen},
              {"pending", run.pending},
              {"run_by", run.run_by},
              {"run_at", run.run_at}};
  if (!run.lines.empty()) {
    json lines = json::array();
    for (const SubsidyLine& l : run.lines) lines.push_back(LineJson(l));
    out["lines"] = std::move(lines);
  }
  return out;
}

json PaymentJson(const SubsidyPayment& p) {
  return {{"id", p.id},
          {"line_id", p.line_id},
          {"paid_on", p.paid_on.ToString()},
          {"amount_fen", p.amount_fen},
          {"voucher", p.voucher},
          {"payee", p.payee},
          {"note", p.note},
          {"recorded_by", p.recorded_by},
          {"recorded_at", p.recorded_at},
          {"run_id", p.run_id},
          {"rule_id", p.rule_id},
          {"rule_code", p.rule_code},
          {"rule_name", p.rule_name},
          {"rule_version", p.rule_version},
          {"workshop_id", p.workshop_id},
          {"workshop_name", p.workshop_name},
          {"region", p.region_code},
          {"member_id", p.member_id ? json(p.member_id) : json(nullptr)},
          {"member_name", p.member_name}};
}

json LedgerJson(const Ledger& ledger) {
  auto totals = [](const std::vector<LedgerTotal>& items) {
    json out = json::array();
    for (const LedgerTotal& t : items) {
      out.push_back({{"key", t.key},
                     {"label", t.label},
                     {"payments", t.payments},
                     {"amount_fen", t.amount_fen}});
    }
    return out;
  };
  json items = json::array();
  for (const SubsidyPayment& p : ledger.payments) items.push_back(PaymentJson(p));
  return {{"items", items},
          {"total", ledger.payments.size()},
          {"total_fen", ledger.total_fen},
          {"by_rule", totals(ledger.by_rule)},
          {"by_workshop", totals(ledger.by_workshop)},
          {"by_year", totals(ledger.by_year)}};
}

}  // namespace fupin::workshops
