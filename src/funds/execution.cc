#include "funds/execution.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>

#include "base/text.h"

namespace fupin::funds {
namespace {

using projects::Yuan;
using registry::Term;

constexpr std::array kRules = {
    Term{"behind_schedule", "进度滞后", "behind schedule"},
    Term{"over_budget", "超预算", "over budget"},
    Term{"payment_before_approval", "审批前支付", "payment before approval"},
    Term{"purpose_not_allocated", "支付用途不符", "payment for a purpose not allocated"},
    Term{"idle_funds", "资金闲置", "idle funds"},
    Term{"split_payments", "疑似拆分支付", "split payments"},
    Term{"past_end", "逾期未完工", "past its end date, not completed"},
    Term{"not_accepted", "完工未验收", "completed, not accepted"},
};
constexpr Vocabulary kRuleVocabulary{"alert_rule", kRules};

int64_t RoundFen(double v) { return static_cast<int64_t>(std::llround(v)); }

std::string Ratio(const std::optional<double>& v) {
  return v ? fmt::format("{:.4f}", *v) : std::string("—");
}

int64_t Days(const Date& from, const Date& to) {
  return to.DaysSinceEpoch() - from.DaysSinceEpoch();
}

// Fills the indices from the rounded figures.
void Indices(EarnedValue& e) {
  e.sv_fen = e.ev_fen - e.pv_fen;
  e.cv_fen = e.ev_fen - e.ac_fen;
  e.planned_percent =
      e.bac_fen > 0 ? static_cast<double>(e.pv_fen) / static_cast<double>(e.bac_fen) * 100 : 0;
  e.spi.reset();
  e.cpi.reset();
  e.eac_fen.reset();
  if (e.pv_fen > 0) e.spi = static_cast<double>(e.ev_fen) / static_cast<double>(e.pv_fen);
  if (e.ac_fen > 0) e.cpi = static_cast<double>(e.ev_fen) / static_cast<double>(e.ac_fen);
  if (e.cpi && *e.cpi > 0) e.eac_fen = RoundFen(static_cast<double>(e.bac_fen) / *e.cpi);
}

Alert Make(const ProjectRecords& r, std::string_view rule) {
  Alert a;
  a.rule = std::string(rule);
  a.project_id = r.project.id;
  a.project_name = r.in_force.name.empty() ? r.project.profile.name : r.in_force.name;
  return a;
}

bool Open(const projects::Project& p) {
  return p.status == projects::kApproved || p.status == projects::kInProgress;
}

}  // namespace

const Vocabulary& AlertRules() { return kRuleVocabulary; }

EarnedValue ComputeEarnedValue(const ProjectRecords& r, const Date& as_of) {
  EarnedValue e;
  e.as_of = as_of;
  const auto& p = r.in_force;
  e.bac_fen = p.budget_fen;
  const double bac = static_cast<double>(p.budget_fen);

  double pv = 0;
  Date previous = p.start_on;
  for (const auto& m : p.milestones) {
    double share = 0;
    const int64_t span = Days(previous, m.planned_on);
    if (span <= 0) {
      share = as_of < m.planned_on ? 0 : 1;
    } else {
      share = std::clamp(static_cast<double>(Days(previous, as_of)) / static_cast<double>(span),
                         0.0, 1.0);
    }
    pv += bac * m.weight / 100.0 * share;
    previous = m.planned_on;
  }
  e.pv_fen = RoundFen(pv);

  const projects::ProgressReport* latest = nullptr;
  for (const auto& report : r.reports) {
    if (as_of < report.on) continue;
    if (!latest || latest->on < report.on || (latest->on == report.on && latest->id < report.id)) {
      latest = &report;
    }
  }
  if (latest) {
    e.percent_complete = latest->percent;
    e.basis = "report";
  } else {
    int weights = 0;
    bool any = false;
    for (const auto& m : p.milestones) {
      for (const auto& done : r.milestones_done) {
        if (done.key == m.key && !(as_of < done.completed_on)) {
          weights += m.weight;
          any = true;
        }
      }
    }
    e.percent_complete = weights;
    e.basis = any ? "milestones" : "none";
  }
  e.ev_fen = RoundFen(bac * e.percent_complete / 100.0);

  for (const auto& pay : r.payments) {
    if (!pay.voided && !(as_of < pay.paid_on)) e.ac_fen += pay.amount_fen;
  }
  Indices(e);
  return e;
}

EarnedValue RollUp(const std::vector<EarnedValue>& values, const Date& as_of) {
  EarnedValue e;
  e.as_of = as_of;
  for (const auto& v : values) {
    e.bac_fen += v.bac_fen;
    e.pv_fen += v.pv_fen;
    e.ev_fen += v.ev_fen;
    e.ac_fen += v.ac_fen;
  }
  e.percent_complete =
      e.bac_fen > 0 ? static_cast<double>(e.ev_fen) / static_cast<double>(e.bac_fen) * 100 : 0;
  e.basis = "sum";
  Indices(e);
  // CPI over the projects with an actual cost only: one with nothing paid yet has no CPI of
  // its own, and its earned value would inflate the region's.
  int64_t ev_paid = 0;
  for (const auto& v : values) {
    if (v.ac_fen > 0) ev_paid += v.ev_fen;
  }
  e.cpi.reset();
  e.eac_fen.reset();
  if (e.ac_fen > 0) e.cpi = static_cast<double>(ev_paid) / static_cast<double>(e.ac_fen);
  if (e.cpi && *e.cpi > 0) e.eac_fen = RoundFen(static_cast<double>(e.bac_fen) / *e.cpi);
  return e;
}

std::vector<Alert> DetectAlerts(const ProjectRecords& r, const EarnedValue& ev, const Date& as_of,
                                const AlertOptions& options) {
  std::vector<Alert> out;
  const auto& p = r.project;

  // behind_schedule
  if (Open(p) && ev.spi && *ev.spi < 1 - options.behind_threshold - 1e-12) {
    Alert a = Make(r, "behind_schedule");
    a.values = {{"spi", Ratio(ev.spi)},
                {"pv_yuan", Yuan(ev.pv_fen)},
                {"ev_yuan", Yuan(ev.ev_fen)},
                {"threshold", fmt::format("{:.4f}", 1 - options.behind_threshold)}};
    a.message_en = fmt::format(
        "SPI {} is below {:.2f}: earned {} yuan against {} yuan planned by {}", Ratio(ev.spi),
        1 - options.behind_threshold, Yuan(ev.ev_fen), Yuan(ev.pv_fen), as_of.ToString());
    a.message_zh = fmt::format(
        "进度绩效指数 SPI {} 低于 {:.2f}：截至 {} 计划价值 {} 元，挣值 {} 元", Ratio(ev.spi),
        1 - options.behind_threshold, as_of.ToString(), Yuan(ev.pv_fen), Yuan(ev.ev_fen));
    out.push_back(std::move(a));
  }

  // over_budget
  if (ev.ac_fen > ev.bac_fen) {
    Alert a = Make(r, "over_budget");
    a.values = {{"ac_yuan", Yuan(ev.ac_fen)}, {"bac_yuan", Yuan(ev.bac_fen)}};
    a.message_en = fmt::format("paid {} yuan, over the budget of {} yuan by {} yuan",
                               Yuan(ev.ac_fen), Yuan(ev.bac_fen), Yuan(ev.ac_fen - ev.bac_fen));
    a.message_zh = fmt::format("已支付 {} 元，超出预算 {} 元（超 {} 元）", Yuan(ev.ac_fen),
                               Yuan(ev.bac_fen), Yuan(ev.ac_fen - ev.bac_fen));
    out.push_back(std::move(a));
  }

  std::map<int64_t, const Allocation*> allocations;
  for (const auto& al : r.allocations) allocations[al.id] = &al;
  std::vector<const Payment*> payments;
  for (const auto& pay : r.payments) {
    if (!pay.voided && !(as_of < pay.paid_on)) payments.push_back(&pay);
  }
  std::sort(payments.begin(), payments.end(), [](const Payment* a, const Payment* b) {
    return a->paid_on != b->paid_on ? a->paid_on < b->paid_on : a->id < b->id;
  });

  // payment_before_approval
  for (const Payment* pay : payments) {
    if (r.approved_on && !(pay->paid_on < *r.approved_on)) continue;
    Alert a = Make(r, "payment_before_approval");
    a.allocation_id = pay->allocation_id;
    a.payment_ids = {pay->id};
    const std::string approved = r.approved_on ? r.approved_on->ToString() : "";
    a.values = {{"paid_on", pay->paid_on.ToString()},
                {"amount_yuan", Yuan(pay->amount_fen)},
                {"approved_on", approved}};
    a.message_en =
        r.approved_on
            ? fmt::format("payment {} of {} yuan on {} precedes the approval on {}", pay->id,
                          Yuan(pay->amount_fen), pay->paid_on.ToString(), approved)
            : fmt::format("payment {} of {} yuan on {}: the project has not been approved", pay->id,
                          Yuan(pay->amount_fen), pay->paid_on.ToString());
    a.message_zh = r.approved_on
                       ? fmt::format("支付 {}（{} 元，{}）早于项目审批日期 {}", pay->id,
                                     Yuan(pay->amount_fen), pay->paid_on.ToString(), approved)
                       : fmt::format("支付 {}（{} 元，{}）时项目尚未审批", pay->id,
                                     Yuan(pay->amount_fen), pay->paid_on.ToString());
    out.push_back(std::move(a));
  }

  // purpose_not_allocated
  for (const Payment* pay : payments) {
    auto it = allocations.find(pay->allocation_id);
    if (it == allocations.end()) continue;
    const auto& shares = it->second->purposes;
    if (std::any_of(shares.begin(), shares.end(),
                    [&](const PurposeShare& s) { return s.purpose == pay->purpose; })) {
      continue;
    }
    std::string allowed;
    for (const auto& s : shares) allowed += (allowed.empty() ? "" : ", ") + s.purpose;
    Alert a = Make(r, "purpose_not_allocated");
    a.allocation_id = pay->allocation_id;
    a.payment_ids = {pay->id};
    a.values = {{"purpose", pay->purpose}, {"allocated_purposes", allowed}};
    a.message_en = fmt::format("payment {} is for {}, not one of allocation {}'s purposes ({})",
                               pay->id, pay->purpose, pay->allocation_id, allowed);
    a.message_zh = fmt::format("支付 {} 的用途“{}”不在资金分配 {} 的用途（{}）之内", pay->id,
                               Purposes().Zh(pay->purpose), pay->allocation_id, allowed);
    out.push_back(std::move(a));
  }

  // idle_funds
  for (const auto& al : r.allocations) {
    if (as_of < al.allocated_on) continue;
    int64_t paid = 0;
    Date last = al.allocated_on;
    for (const Payment* pay : payments) {
      if (pay->allocation_id != al.id) continue;
      paid += pay->amount_fen;
      last = std::max(last, pay->paid_on);
    }
    const int64_t left = al.amount_fen - paid;
    const int64_t idle = Days(last, as_of);
    if (left <= 0 || idle <= options.idle_days) continue;
    Alert a = Make(r, "idle_funds");
    a.allocation_id = al.id;
    a.values = {{"left_yuan", Yuan(left)},
                {"last_movement", last.ToString()},
                {"days", std::to_string(idle)},
                {"idle_days", std::to_string(options.idle_days)}};
    a.message_en =
        fmt::format("allocation {}: {} yuan unspent, nothing paid for {} days (since {}; limit {})",
                    al.id, Yuan(left), idle, last.ToString(), options.idle_days);
    a.message_zh = fmt::format("资金分配 {}：{} 元未支付，已 {} 天无支付（自 {}，限 {} 天）", al.id,
                               Yuan(left), idle, last.ToString(), options.idle_days);
    out.push_back(std::move(a));
  }

  // split_payments: per payee, the longest runs within the window, each payment counted once.
  std::map<std::string, std::vector<const Payment*>> by_payee;
  for (const Payment* pay : payments) {
    if (pay->amount_fen < options.split_threshold_fen) {
      by_payee[std::string(Trim(pay->payee))].push_back(pay);
    }
  }
  for (const auto& [payee, list] : by_payee) {
    size_t i = 0;
    while (i < list.size()) {
      size_t j = i;
      int64_t sum = 0;
      while (j < list.size() &&
             Days(list[i]->paid_on, list[j]->paid_on) <= options.split_window_days) {
        sum += list[j]->amount_fen;
        ++j;
      }
      if (j - i >= 2 && sum > options.split_threshold_fen) {
        Alert a = Make(r, "split_payments");
        std::string ids;
        for (size_t k = i; k < j; ++k) {
          a.payment_ids.push_back(list[k]->id);
          ids += (ids.empty() ? "" : ", ") + std::to_string(list[k]->id);
        }
        a.values = {{"payee", payee},
                    {"payments", std::to_string(j - i)},
                    {"sum_yuan", Yuan(sum)},
                    {"threshold_yuan", Yuan(options.split_threshold_fen)},
                    {"from", list[i]->paid_on.ToString()},
                    {"to", list[j - 1]->paid_on.ToString()}};
        a.message_en = fmt::format(
            "{} payments to {} ({}) from {} to {}, each under {} yuan, together {} yuan", j - i,
            payee, ids, list[i]->paid_on.ToString(), list[j - 1]->paid_on.ToString(),
            Yuan(options.split_threshold_fen), Yuan(sum));
        a.message_zh = fmt::format("{} 至 {} 向“{}”支付 {} 笔（{}），每笔低于 {} 元，合计 {} 元",
                                   list[i]->paid_on.ToString(), list[j - 1]->paid_on.ToString(),
                                   payee, j - i, ids, Yuan(options.split_threshold_fen), Yuan(sum));
        out.push_back(std::move(a));
        i = j;
      } else {
        ++i;
      }
    }
  }

  // past_end
  if (Open(p) && r.in_force.end_on < as_of) {
    Alert a = Make(r, "past_end");
    const int64_t late = Days(r.in_force.end_on, as_of);
    a.values = {{"end_on", r.in_force.end_on.ToString()},
                {"status", p.status},
                {"days", std::to_string(late)}};
    a.message_en = fmt::format("the project was to end on {} and is still {} ({} days later)",
                               r.in_force.end_on.ToString(), p.status, late);
    a.message_zh =
        fmt::format("项目计划 {} 完工，已逾期 {} 天仍未完工", r.in_force.end_on.ToString(), late);
    out.push_back(std::move(a));
  }

  // not_accepted
  if (p.status == projects::kCompleted && r.completed_on &&
      Days(*r.completed_on, as_of) > options.acceptance_grace_days) {
    Alert a = Make(r, "not_accepted");
    const int64_t waiting = Days(*r.completed_on, as_of);
    a.values = {{"completed_on", r.completed_on->ToString()},
                {"days", std::to_string(waiting)},
                {"grace_days", std::to_string(options.acceptance_grace_days)}};
    a.message_en = fmt::format("completed on {} and not accepted {} days later (limit {})",
                               r.completed_on->ToString(), waiting, options.acceptance_grace_days);
    a.message_zh = fmt::format("项目 {} 完工，{} 天后仍未验收（限 {} 天）",
                               r.completed_on->ToString(), waiting, options.acceptance_grace_days);
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<int64_t> NonCompliantPayments(const std::vector<Alert>& alerts) {
  std::set<int64_t> ids;
  for (const auto& a : alerts) {
    if (a.rule == "payment_before_approval" || a.rule == "purpose_not_allocated" ||
        a.rule == "split_payments") {
      ids.insert(a.payment_ids.begin(), a.payment_ids.end());
    }
  }
  return {ids.begin(), ids.end()};
}

}  // namespace fupin::funds
