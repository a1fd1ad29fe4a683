// The JSON of workshop subsidies, one shape for the API and `fupin subsidy`: rules (read from a
// request body or a rule file, written back), runs with their lines, payments and the ledger.
// Part of fupin_workshops_json, so that the domain module itself stays free of JSON.
#pragma once

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "workshops/subsidy.h"
#include "workshops/subsidy_repository.h"
#include "workshops/subsidy_service.h"

namespace fupin::workshops {

// {id, code, name, region, valid_from, valid_to, unit, conditions: [{fact, op, value}],
//  amount_fen, amount_fact, bands: [{min, max, amount_fen}], cap_fen, basis, version}
nlohmann::json RuleJson(const SubsidyRule& rule);
// Reads a rule from that shape (id, version optional; value may be a number or a string).
// kInvalidArgument naming every field of the wrong type ("conditions[2].value"); what the
// values mean is ValidateRule's business.
Result<SubsidyRule> ParseRule(const nlohmann::json& body);

nlohmann::json LineJson(const SubsidyLine& line);
// The run; with its lines when it has them.
nlohmann::json RunJson(const SubsidyRun& run);
nlohmann::json PaymentJson(const SubsidyPayment& payment);
// {items: payments, total_fen, by_rule, by_workshop, by_year}
nlohmann::json LedgerJson(const Ledger& ledger);

// "5000.00" for 500000 fen.
std::string YuanText(int64_t fen);

}  // namespace fupin::workshops
