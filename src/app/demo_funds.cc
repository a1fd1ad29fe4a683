#include "app/demo_funds.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace fupin::app {
namespace {

using funds::Allocation;
using funds::FundBatch;
using funds::Payment;
using funds::PurposeShare;

Date Shift(const Date& d, int64_t days) {
  return Date::FromDaysSinceEpoch(d.DaysSinceEpoch() + days);
}

// An allocation's split: purposes with their percent (adding up to 100); the last takes the
// rounding.
std::vector<PurposeShare> Split(int64_t amount_fen,
                                std::vector<std::pair<std::string, int>> percents) {
  std::vector<PurposeShare> out;
  int64_t left = amount_fen;
  for (size_t i = 0; i < percents.size(); ++i) {
    const int64_t share =
        i + 1 == percents.size() ? left : amount_fen * percents[i].second / 100 / 100 * 100;
    out.push_back({percents[i].first, share});
    left -= share;
  }
  return out;
}

std::vector<std::pair<std::string, int>> PurposesOf(const std::string& type) {
  if (type == "housing") return {{"household_subsidy", 100}};
  if (type == "finance") return {{"interest_subsidy", 100}};
  if (type == "health") return {{"equipment", 60}, {"infrastructure", 40}};
  if (type == "relocation") return {{"infrastructure", 70}, {"equipment", 20}, {"training", 10}};
  if (type == "employment") return {{"infrastructure", 85}, {"equipment", 15}};
  if (type == "industry") return {{"infrastructure", 60}, {"materials", 30}, {"training", 10}};
  return {{"infrastructure", 90}, {"management", 10}};
}

}  // namespace

Result<DemoFundCounts> GenerateDemoFunds(funds::FundService& funds,
                                         projects::ProjectService& projects,
                                         const std::vector<regions::Region>& generated,
                                         const Date& today) {
  DemoFundCounts counts;
  const regions::Region* county = nullptr;
  for (const auto& r : generated) {
    if (r.level == regions::RegionLevel::kCounty) {
      county = &r;
      break;
    }
  }
  if (!county) return counts;
  const std::vector<std::string> everywhere = {""};
  const audit::Actor finance{"official", 0, "local"};
  const audit::Actor township{"township", 0, "local"};

  projects::ProjectQuery query;
  query.scope = everywhere;
  query.within = county->code;
  query.limit = 0;
  auto listed = projects.List(query);
  if (!listed) return std::unexpected(listed.error());
  std::map<std::string, projects::Project> by_type;
  for (const auto& p : listed->items) by_type.emplace(p.profile.type, p);
  if (by_type.empty()) return counts;

  // The batches.
  auto batch = [&](std::string source, std::string level, std::string document, std::string title,
                   Date issued, int64_t yuan) -> Result<FundBatch> {
    FundBatch b;
    b.source = std::move(source);
    b.level = std::move(level);
    b.document_number = std::move(document);
    b.title = std::move(title);
    b.year = issued.year;
    b.region_code = county->code;
    b.issued_on = issued;
    b.amount_fen = yuan * 100;
    auto saved = funds.SaveBatch(everywhere, b, finance);
    if (!saved)
      return std::unexpected(saved.error().Prefix("demo fund batch " + b.document_number));
    ++counts.batches;
    return saved;
  };
  const Date earlier = Shift(today, -570);
  const Date current = Shift(today, -230);
  auto previous_central =
      batch("central_special", "central", fmt::format("陇财农〔{}〕8号", earlier.year),
            fmt::format("{}年中央财政专项扶贫资金（第一批）", earlier.year), earlier, 6'000'000);
  if (!previous_central) return std::unexpected(previous_central.error());
  auto central =
      batch("central_special", "central", fmt::format("陇财农〔{}〕15号", current.year),
            fmt::format("{}年中央财政衔接推进乡村振兴补助资金", current.year), current, 5'000'000);
  if (!central) return std::unexpected(central.error());
  const Date collaboration_day = Shift(today, -180);
  auto east_west = batch(
      "east_west", "province", fmt::format("陇协作办〔{}〕3号", collaboration_day.year),
      fmt::format("{}年东西部协作帮扶资金", collaboration_day.year), collaboration_day, 1'500'000);
  if (!east_west) return std::unexpected(east_west.error());
  const Date donation_day = Shift(today, -100);
  auto donation =
      batch("donation", "county", fmt::format("{}慈善〔{}〕2号", county->name, donation_day.year),
            "企业定向捐赠助学助困资金", donation_day, 300'000);
  if (!donation) return std::unexpected(donation.error());

  auto allocate = [&](const FundBatch& b, const projects::Project& p, int64_t fen, Date on,
                      std::vector<std::pair<std::string, int>> purposes) -> Result<Allocation> {
    Allocation a;
    a.batch_id = b.id;
    a.project_id = p.id;
    a.allocated_on = std::max(on, b.issued_on);
    a.amount_fen = fen;
    a.purposes = Split(fen, std::move(purposes));
    auto saved = funds.Allocate(everywhere, a, finance);
    if (!saved) {
      return std::unexpected(saved.error().Prefix("demo allocation to " + p.profile.name));
    }
    ++counts.allocations;
    return saved;
  };
  auto pay = [&](const Allocation& a, int64_t fen, Date on, std::string payee, std::string purpose,
                 std::string note = "") -> Status {
    Payment p;
    p.allocation_id = a.id;
    p.paid_on = std::min(std::max(on, a.allocated_on), today);
    p.payee = std::move(payee);
    p.amount_fen = fen;
    p.purpose = std::move(purpose);
    p.voucher_number = fmt::format("记-{}-{:04}", p.paid_on.year, counts.payments + 101);
    p.note = std::move(note);
    auto saved = funds.Pay(everywhere, p, township);
    if (!saved) {
      return std::unexpected(saved.error().Prefix(
          fmt::format("demo payment of allocation {} on {}", a.id, p.paid_on.ToString())));
    }
    ++counts.payments;
    return {};
  };
  const std::string builder = county->name + "第一建筑工程有限公司";
  const std::string supplier = county->name + "农资设备有限公司";

  for (const auto& [type, p] : by_type) {
    const std::string& status = p.status;
    if (status == projects::kProposed || status == projects::kReturned ||
        status == projects::kRejected) {
      continue;
    }
    // The budget of the version in force (a change awaiting approval is not funded yet).
    auto detail = projects.Detail(everywhere, p.id);
    if (!detail) return std::unexpected(detail.error());
    const int64_t budget = projects::InForce(*detail).budget_fen;
    const Date start = p.profile.start_on;
    const Date end = p.profile.end_on;
    const auto purposes = PurposesOf(type);
    const bool finished = status == projects::kCompleted || status == projects::kAccepted ||
                          status == projects::kMaintenance;
    if (finished) {
      // Last year's money, paid in three instalments: advance, progress, and the balance after
      // completion.
      auto a = allocate(*previous_central, p, budget, Shift(start, -10), purposes);
      if (!a) return std::unexpected(a.error());
      const auto& shares = a->purposes;
      const std::string first = shares.front().purpose;
      const std::string payee =
          type == "drinking_water" ? county->name + "水务工程有限公司" : builder;
      FUPIN_TRY(
          pay(*a, shares.front().amount_fen * 3 / 10, Shift(start, 30), payee, first, "预付款"));
      FUPIN_TRY(
          pay(*a, shares.front().amount_fen * 4 / 10, Shift(start, 150), payee, first, "进度款"));
      FUPIN_TRY(pay(*a,
                    shares.front().amount_fen - shares.front().amount_fen * 3 / 10 -
                        shares.front().amount_fen * 4 / 10,
                    Shift(end, 40), payee, first, "尾款"));
      for (size_t i = 1; i < shares.size(); ++i) {
        FUPIN_TRY(
            pay(*a, shares[i].amount_fen, Shift(start, 90 + 20 * static_cast<int>(i)),
                shares[i].purpose == "training" ? county->name + "职业技能培训学校" : supplier,
                shares[i].purpose));
      }
      continue;
    }
    if (status == projects::kReviewed) {
      // Money sent before the county approved it: a payment before approval.
      auto a = allocate(*east_west, p, budget, Shift(today, -30), purposes);
      if (!a) return std::unexpected(a.error());
      FUPIN_TRY(
          pay(*a, 5'000'000, Shift(today, -20), supplier, a->purposes.front().purpose, "设备定金"));
      continue;
    }
    if (status == projects::kApproved) {
      // Allocated, to be paid once the works start.
      auto a = allocate(*central, p, budget, Shift(today, -20), purposes);
      if (!a) return std::unexpected(a.error());
      continue;
    }
    // Running projects: this year's money, paid with the progress.
    auto a = allocate(*central, p, budget, Shift(start, -10), purposes);
    if (!a) return std::unexpected(a.error());
    const auto& main = a->purposes.front();
    const std::string payee = type == "housing" ? "危房改造户（按兑付清册逐户打卡发放）" : builder;
    FUPIN_TRY(pay(*a, main.amount_fen / 5, Shift(start, 20), payee, main.purpose,
                  type == "housing" ? "第一批补助" : "预付款"));
    if (type == "relocation") {
      // Paid far ahead of the works (behind schedule): a large progress payment, three
      // payments to one supplier just under the 50,000-yuan approval threshold within a
      // fortnight, and a payment for marketing, which the allocation does not cover.
      FUPIN_TRY(
          pay(*a, main.amount_fen * 3 / 10, Shift(today, -60), builder, main.purpose, "进度款"));
      for (int i = 0; i < 3; ++i) {
        FUPIN_TRY(pay(*a, 4'800'000, Shift(today, -40 + 7 * i), county->name + "鑫达建材商行",
                      "equipment", "圈舍配套设备"));
      }
      FUPIN_TRY(pay(*a, 3'000'000, Shift(today, -15), county->name + "电商服务中心", "marketing",
                    "产品推介会"));
      continue;
    }
    FUPIN_TRY(pay(*a, main.amount_fen / 5, Shift(today, -10), payee, main.purpose,
                  type == "housing" ? "第二批补助" : "进度款"));
    if (type == "social_security") {
      // A second allocation never touched: idle funds.
      auto idle = allocate(*east_west, p, 20'000'000, Shift(today, -150), {{"equipment", 100}});
      if (!idle) return std::unexpected(idle.error());
    }
  }
  return counts;
}

}  // namespace fupin::app
