// Funds (资金监管): fund batches (资金批次) from a source, their allocations to projects split
// by purpose, and the payments made from an allocation — the domain types, their vocabularies
// and their checks, defined once.
//
// Money is integer fen (分), never floating point. The limits — an allocation never exceeds
// what is left of its batch, a payment never exceeds what is left of its allocation — are
// checked here for a single record (ValidateAllocation, ValidatePayment) and again by the
// store inside the writing transaction (running totals updated by a conditional statement), so
// that two writes at once cannot both pass. Payments are corrected by voiding (with a reason),
// never edited or deleted; a voided payment no longer counts anywhere.
// Thread-safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/time.h"
#include "registry/vocabulary.h"

namespace fupin::funds {

using registry::Vocabulary;

// 资金来源: central_special 中央财政专项扶贫资金, local_special 地方财政专项扶贫资金,
// integrated_sectoral 统筹整合涉农资金, east_west 东西部扶贫协作资金, targeted_aid 定点扶贫资金
// (agencies, state enterprises), credit 信贷资金, donation 社会捐赠, other 其他.
const Vocabulary& Sources();
// 下达层级: central, province, city, county.
const Vocabulary& IssuingLevels();
// 资金用途: what an allocation is split into and what a payment is for.
const Vocabulary& Purposes();

// A fund batch (资金批次): money from one source, issued under a document (文号) in a year
// by a level of government (or a donor), to a region (the region that administers it: usually a
// county). Allocations are made to projects within that region.
struct FundBatch {
  int64_t id = 0;
  std::string source;           // Sources()
  std::string document_number;  // 文号, e.g. 甘财农〔2020〕12号
  std::string title;            // 资金名称
  int year = 0;
  std::string level;        // IssuingLevels()
  std::string region_code;  // the region it is issued to
  Date issued_on;
  int64_t amount_fen = 0;
  std::string note;
  int64_t allocated_fen = 0;  // the sum of its allocations (kept by the store)
  int64_t version = 1;
  std::string created_by;
  std::string created_at;
  std::string updated_at;
};

// One purpose's share of an allocation.
struct PurposeShare {
  std::string purpose;  // Purposes()
  int64_t amount_fen = 0;

  friend bool operator==(const PurposeShare&, const PurposeShare&) = default;
};

// An allocation (资金分配) of a batch to a project, split by purpose (the shares add up to the
// amount).
struct Allocation {
  int64_t id = 0;
  int64_t batch_id = 0;
  int64_t project_id = 0;
  Date allocated_on;
  int64_t amount_fen = 0;
  std::vector<PurposeShare> purposes;
  std::string note;
  int64_t paid_fen = 0;  // the sum of its payments not voided (kept by the store)
  int64_t version = 1;
  std::string created_by;
  std::string created_at;
  // For lists, joined by the store.
  std::string project_name;
  std::string project_region;
  std::string batch_source;
  std::string batch_document;
};

// A payment (资金支付) from an allocation.
struct Payment {
  int64_t id = 0;
  int64_t allocation_id = 0;
  Date paid_on;
  std::string payee;  // 收款方
  int64_t amount_fen = 0;
  std::string purpose;         // Purposes()
  std::string voucher_number;  // 凭证号
  std::string note;
  bool voided = false;
  std::string void_reason;
  std::string recorded_by;
  std::string recorded_at;
  // For lists and the monitoring, joined by the store.
  int64_t project_id = 0;
  int64_t batch_id = 0;
};

// Checks a batch as it would be stored: a known source and level, a document number, a year
// 2000–2100, a 12-digit region, an issue date within the year or after it, an amount above 0.
// `allocated_fen`: what is already allocated from it (an amount below is refused, naming both).
std::vector<ErrorDetail> ValidateBatch(const FundBatch& b, int64_t allocated_fen = 0);

// Checks an allocation against its batch: amount above 0 and within what is left of the batch
// (`left_fen`, the batch's amount less its other allocations), shares with known purposes, each
// above 0, no purpose twice, adding up to the amount; allocated on or after the batch's issue
// date. `paid_fen`: already paid from it (an amount below is refused).
std::vector<ErrorDetail> ValidateAllocation(const Allocation& a, const FundBatch& batch,
                                            int64_t left_fen, int64_t paid_fen = 0);

// Checks a payment against its allocation: a payee, a known purpose, a voucher number, an
// amount above 0 and within what is left of the allocation, paid on or after the allocation
// date and not after `today`. Whether its purpose is one of the allocation's is a deviation
// alert, not a refusal (money already paid is recorded as it was).
std::vector<ErrorDetail> ValidatePayment(const Payment& p, const Allocation& allocation,
                                         const Date& today);

}  // namespace fupin::funds
