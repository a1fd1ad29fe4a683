#include "funds/model.h"

#include <fmt/format.h>

#include <array>
#include <set>

#include "projects/model.h"

namespace fupin::funds {
namespace {

using projects::Yuan;
using registry::Term;

constexpr std::array kSources = {
    Term{"central_special", "中央财政专项扶贫资金", "central special poverty funds"},
    Term{"local_special", "地方财政专项扶贫资金", "local special poverty funds"},
    Term{"integrated_sectoral", "统筹整合涉农资金", "integrated agriculture-related funds"},
    Term{"east_west", "东西部扶贫协作资金", "east-west collaboration funds"},
    Term{"targeted_aid", "定点扶贫资金", "targeted aid (agencies, state enterprises)"},
    Term{"credit", "信贷资金", "credit"},
    Term{"donation", "社会捐赠", "donations"},
    Term{"other", "其他", "other"},
};
constexpr std::array kLevels = {
    Term{"central", "中央", "central"},
    Term{"province", "省级", "province"},
    Term{"city", "市级", "city"},
    Term{"county", "县级", "county"},
};
constexpr std::array kPurposes = {
    Term{"infrastructure", "基础设施建设", "infrastructure"},
    Term{"equipment", "设备购置", "equipment"},
    Term{"materials", "生产资料", "materials and inputs"},
    Term{"training", "技能培训", "training"},
    Term{"marketing", "市场营销", "marketing"},
    Term{"wages", "劳务报酬", "wages"},
    Term{"household_subsidy", "到户补助", "subsidies to households"},
    Term{"interest_subsidy", "贴息", "interest subsidies"},
    Term{"management", "项目管理", "project management"},
    Term{"other", "其他", "other"},
};

constexpr Vocabulary kSourceVocabulary{"fund_source", kSources};
constexpr Vocabulary kLevelVocabulary{"issuing_level", kLevels};
constexpr Vocabulary kPurposeVocabulary{"purpose", kPurposes};

void Add(std::vector<ErrorDetail>& out, std::string column, std::string value, std::string reason) {
  out.push_back({0, std::move(column), std::move(value), std::move(reason)});
}

void Code(std::vector<ErrorDetail>& out, const std::string& column, const std::string& value,
          const Vocabulary& vocabulary) {
  if (value.empty()) {
    Add(out, column, value, "is required");
  } else if (!vocabulary.Contains(value)) {
    Add(out, column, value, "is not one of " + vocabulary.Allowed());
  }
}

bool RegionCode(const std::string& code) {
  if (code.size() != 12) return false;
  for (char c : code) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

const Vocabulary& Sources() { return kSourceVocabulary; }
const Vocabulary& IssuingLevels() { return kLevelVocabulary; }
const Vocabulary& Purposes() { return kPurposeVocabulary; }

std::vector<ErrorDetail> ValidateBatch(const FundBatch& b, int64_t allocated_fen) {
  std::vector<ErrorDetail> out;
  Code(out, "source", b.source, Sources());
  Code(out, "level", b.level, IssuingLevels());
  if (b.document_number.empty()) Add(out, "document_number", "", "is required (文号)");
  if (b.year < 2000 || b.year > 2100) {
    Add(out, "year", std::to_string(b.year), "must be a year from 2000 to 2100");
  }
  if (!RegionCode(b.region_code)) {
    Add(out, "region", b.region_code, "must be a 12-digit region code");
  }
  if (b.year >= 2000 && b.issued_on.year < b.year) {
    Add(out, "issued_on", b.issued_on.ToString(),
        fmt::format("is before the batch's year {}", b.year));
  }
  if (b.amount_fen <= 0) {
    Add(out, "amount_fen", std::to_string(b.amount_fen), "must be more than 0");
  } else if (b.amount_fen < allocated_fen) {
    Add(out, "amount_fen", std::to_string(b.amount_fen),
        fmt::format("is less than what is already allocated from the batch: {} yuan < {} yuan",
                    Yuan(b.amount_fen), Yuan(allocated_fen)));
  }
  return out;
}

std::vector<ErrorDetail> ValidateAllocation(const Allocation& a, const FundBatch& batch,
                                            int64_t left_fen, int64_t paid_fen) {
  std::vector<ErrorDetail> out;
  if (a.project_id <= 0) Add(out, "project_id", std::to_string(a.project_id), "is required");
  if (a.allocated_on < batch.issued_on) {
    Add(out, "allocated_on", a.allocated_on.ToString(),
        fmt::format("is before the batch was issued ({})", batch.issued_on.ToString()));
  }
  if (a.amount_fen <= 0) {
    Add(out, "amount_fen", std::to_string(a.amount_fen), "must be more than 0");
  } else if (a.amount_fen > left_fen) {
    Add(out, "amount_fen", std::to_string(a.amount_fen),
        fmt::format("exceeds what is left of batch {}: {} yuan asked, batch {} yuan, already "
                    "allocated {} yuan, left {} yuan",
                    batch.id, Yuan(a.amount_fen), Yuan(batch.amount_fen),
                    Yuan(batch.amount_fen - left_fen), Yuan(left_fen)));
  } else if (a.amount_fen < paid_fen) {
    Add(out, "amount_fen", std::to_string(a.amount_fen),
        fmt::format("is less than what is already paid from the allocation: {} yuan < {} yuan",
                    Yuan(a.amount_fen), Yuan(paid_fen)));
  }
  if (a.purposes.empty()) {
    Add(out, "purposes", "", "at least one purpose is required (the split of the amount)");
  }
  std::set<std::string> seen;
  int64_t sum = 0;
  for (size_t i = 0; i < a.purposes.size(); ++i) {
    const auto& s = a.purposes[i];
    const std::string field = fmt::format("purposes[{}]", i);
    Code(out, field + ".purpose", s.purpose, Purposes());
    if (!s.purpose.empty() && !seen.insert(s.purpose).second) {
      Add(out, field + ".purpose", s.purpose, "appears twice");
    }
    if (s.amount_fen <= 0) {
      Add(out, field + ".amount_fen", std::to_string(s.amount_fen), "must be more than 0");
    }
    sum += s.amount_fen;
  }
  if (!a.purposes.empty() && a.amount_fen > 0 && sum != a.amount_fen) {
    Add(out, "purposes", std::to_string(sum),
        fmt::format("the purposes add up to {} yuan, not the allocation's {} yuan", Yuan(sum),
                    Yuan(a.amount_fen)));
  }
  return out;
}

std::vector<ErrorDetail> ValidatePayment(const Payment& p, const Allocation& allocation,
                                         const Date& today) {
  std::vector<ErrorDetail> out;
  if (p.payee.empty()) Add(out, "payee", "", "is required");
  Code(out, "purpose", p.purpose, Purposes());
  if (p.voucher_number.empty()) Add(out, "voucher_number", "", "is required (凭证号)");
  if (p.paid_on < allocation.allocated_on) {
    Add(out, "paid_on", p.paid_on.ToString(),
        fmt::format("is before the allocation was made ({})", allocation.allocated_on.ToString()));
  } else if (today < p.paid_on) {
    Add(out, "paid_on", p.paid_on.ToString(), "is in the future");
  }
  const int64_t left = allocation.amount_fen - allocation.paid_fen;
  if (p.amount_fen <= 0) {
    Add(out, "amount_fen", std::to_string(p.amount_fen), "must be more than 0");
  } else if (p.amount_fen > left) {
    Add(out, "amount_fen", std::to_string(p.amount_fen),
        fmt::format("exceeds what is left of allocation {}: {} yuan asked, allocated {} yuan, "
                    "paid {} yuan, left {} yuan",
                    allocation.id, Yuan(p.amount_fen), Yuan(allocation.amount_fen),
                    Yuan(allocation.paid_fen), Yuan(left)));
  }
  return out;
}

}  // namespace fupin::funds
