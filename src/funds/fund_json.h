// The JSON shapes of the funds module, shared by the API and the CLI. Money is integer fen;
// rates and indices are plain numbers (null when there is no divisor).
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "funds/fund_service.h"

namespace fupin::funds {

nlohmann::json BatchJson(const FundBatch& b);
nlohmann::json AllocationJson(const Allocation& a);
nlohmann::json PaymentJson(const Payment& p);
nlohmann::json EarnedValueJson(const EarnedValue& v);
nlohmann::json AlertJson(const Alert& a);
nlohmann::json ExecutionJson(const ProjectExecution& e);
nlohmann::json UsageJson(const FundUsage& u);
nlohmann::json MonitoringJson(const RegionMonitoring& m);
nlohmann::json FlowJson(const FundFlow& f);
nlohmann::json PostingJson(const NoticePosting& p);
nlohmann::json NoticeJson(const Notice& n);
// Sources, levels, purposes and alert rules, each a list of {code, zh, en}.
nlohmann::json VocabulariesJson();

}  // namespace fupin::funds
