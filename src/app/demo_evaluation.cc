#include "app/demo_evaluation.h"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <map>

#include "base/random.h"
#include "cli/command.h"
#include "security/crypto.h"

namespace fupin::app {
namespace {

// The nearest value of Saaty's scale (1/9 … 1 … 9) to a ratio.
double Saaty(double ratio) {
  double best = 1;
  double distance = 1e9;
  for (int k = 1; k <= 9; ++k) {
    for (double v : {static_cast<double>(k), 1.0 / k}) {
      const double d = std::fabs(std::log(v) - std::log(ratio));
      if (d < distance) {
        distance = d;
        best = v;
      }
    }
  }
  return best;
}

// An expert's judgments of children whose weights the expert believes to be `belief` (upper
// triangle only), each ratio disturbed by a factor e^u, u uniform in ±noise.
methods::Matrix Judgments(const std::vector<double>& belief, double noise, Rng& rng) {
  const auto n = static_cast<Eigen::Index>(belief.size());
  methods::Matrix m = methods::Matrix::Constant(n, n, methods::kNaN);
  for (Eigen::Index i = 0; i < n; ++i) {
    m(i, i) = 1;
    for (Eigen::Index j = i + 1; j < n; ++j) {
      const double u = (2 * rng.NextDouble() - 1) * noise;
      m(i, j) =
          Saaty(belief[static_cast<size_t>(i)] / belief[static_cast<size_t>(j)] * std::exp(u));
    }
  }
  return m;
}

// `total` answers spread over five grades around the shares given (each count drawn per
// respondent).
std::vector<double> Answers(int total, const std::array<double, 5>& shares, Rng& rng) {
  std::vector<double> counts(5, 0);
  for (int r = 0; r < total; ++r) {
    double u = rng.NextDouble();
    size_t g = 0;
    while (g + 1 < counts.size() && u >= shares[g]) {
      u -= shares[g];
      ++g;
    }
    counts[g] += 1;
  }
  return counts;
}

}  // namespace

Result<DemoEvaluationCounts> GenerateDemoEvaluation(access::AuthService& auth,
                                                    evaluation::SystemService& systems,
                                                    evaluation::RunService& runs,
                                                    const std::vector<regions::Region>& generated,
                                                    uint64_t seed) {
  DemoEvaluationCounts counts;
  const regions::Region* county = nullptr;
  for (const auto& r : generated) {
    if (r.level == regions::RegionLevel::kCounty) {
      county = &r;
      break;
    }
  }
  if (county == nullptr) return counts;
  const audit::Actor actor = cli::CliActor();
  const std::vector<std::string> everywhere = {""};

  // The system: the template, with fund payments reviewed by the experts.
  evaluation::NewSystem request;
  request.name = county->name + "扶贫车间项目绩效评价";
  request.name_en = "Workshop project performance, " + county->code;
  request.region_code = county->code;
  request.template_code = "workshop_bsc";
  auto system = systems.Create(everywhere, request, actor);
  if (!system) return std::unexpected(system.error());
  evaluation::SystemPatch patch;
  patch.version = system->version;
  patch.draft = system->draft;
  for (auto& n : patch.draft->nodes) {
    if (n.key != "fund_payment") continue;
    n.name = "资金使用规范";
    n.name_en = "Funds used by the rules";
    n.source = evaluation::LeafSource::kExpert;
    n.indicator.clear();
    n.scoring.reset();
    n.note = "专家查阅资金拨付凭证（示范数据的资金台账始于 2025 年）";
  }
  auto edited = systems.Update(everywhere, system->id, patch, actor);
  if (!edited) return std::unexpected(edited.error());
  auto published =
      systems.Publish(everywhere, system->id, edited->version, "2020 年评价所用版本", actor);
  if (!published) return std::unexpected(published.error());
  counts.systems = 1;
  const auto& content = published->content;

  // Five experts, each with a belief about every node's weights; expert 5 judges the
  // economic dimension carelessly (CR above 0.1: left out of the group weights).
  const std::map<std::string, std::vector<double>> beliefs = {
      {"workshop_performance", {0.3, 0.2, 0.32, 0.18}},
      {"stakeholders", {0.2, 0.2, 0.35, 0.25}},
      {"management", {0.3, 0.3, 0.25, 0.15}},
      {"economic", {0.35, 0.25, 0.25, 0.15}},
      {"sustainability", {0.35, 0.2, 0.25, 0.2}}};
  const char* names[] = {"评估专家甲", "评估专家乙", "评估专家丙", "评估专家丁", "评估专家戊"};
  Rng rng(seed ^ 0x5EED0008ULL);
  for (int e = 0; e < 5; ++e) {
    auto user = auth.CreateUser({fmt::format("expert_{}", e + 1),
                                 names[e],
                                 "Fp-" + security::RandomHex(8),
                                 {{access::Role::kEvaluator, county->code, 0, 0, ""}}},
                                actor);
    if (!user) return std::unexpected(user.error());
    for (const auto& [key, belief] : beliefs) {
      methods::Matrix m = Judgments(belief, 0.35, rng);
      if (e == 4 && key == "economic") {
        m(0, 1) = 1.0 / 5;  // the reverse of the others, and of the expert's own other pairs
        m(0, 3) = 7;
        m(1, 3) = 1.0 / 4;
      }
      auto judged = systems.Judge(everywhere, system->id, published->version, key, user->id,
                                  names[e], m, "", actor);
      if (!judged) return std::unexpected(judged.error());
      ++counts.judgments;
    }
  }

  // Survey answers and the experts' grades (优秀, 良好, 较好, 一般, 较差).
  struct Leaf {
    const char* key;
    int respondents;
    std::array<double, 5> shares;
  };
  const Leaf leaves[] = {
      {"gov_satisfaction", 38, {0.1, 0.3, 0.35, 0.17, 0.08}},       // government staff
      {"head_satisfaction", 62, {0.1, 0.3, 0.35, 0.17, 0.08}},      // the 62 workshop heads
      {"farmer_satisfaction", 312, {0.08, 0.25, 0.35, 0.22, 0.1}},  // nearby farmers
      {"rules", 5, {0, 0.4, 0.4, 0.2, 0}},
      {"ledger", 5, {0, 0.2, 0.4, 0.4, 0}},
      {"policy_awareness", 312, {0.06, 0.2, 0.36, 0.26, 0.12}},
      {"income_increase", 312, {0.1, 0.28, 0.32, 0.2, 0.1}},
      {"fund_payment", 5, {0, 0.4, 0.4, 0.2, 0}},
      {"stability", 5, {0, 0.2, 0.4, 0.4, 0}},
      {"innovation", 5, {0, 0, 0.4, 0.4, 0.2}},
      {"skills", 374, {0.06, 0.22, 0.36, 0.24, 0.12}},  // heads and farmers
      {"market", 5, {0, 0.2, 0.4, 0.2, 0.2}}};
  evaluation::RunRequest run;
  run.system_id = system->id;
  run.version = published->version;
  run.name = "2020 年度扶贫车间项目绩效评价";
  run.region_code = county->code;
  run.period = "2020";
  run.objects = {county->code};
  run.group.max_cr = 0.1;
  run.sensitivity = {1000, 0.1, seed};
  for (const Leaf& leaf : leaves) {
    if (evaluation::FindNode(content, leaf.key) < 0) continue;
    evaluation::RunInput in;
    in.object = county->code;
    in.leaf = leaf.key;
    in.responses = Answers(leaf.respondents, leaf.shares, rng);
    run.inputs.push_back(std::move(in));
  }
  auto created = runs.Create(everywhere, run, actor);
  if (!created) return std::unexpected(created.error());
  auto done = runs.Publish(everywhere, created->id, created->version, actor);
  if (!done) return std::unexpected(done.error());
  counts.runs = 1;
  const auto& overall = done->results.outcomes.front().overall();
  counts.score = overall.score;
  counts.grade = content.grades[static_cast<size_t>(overall.grade)].name;
  return counts;
}

}  // namespace fupin::app
