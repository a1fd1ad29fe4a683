#include "app/demo_evaluation.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <map>
#include <set>

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

// The 2020 satisfaction survey (满意度调查) behind the system's survey leaves: 38 government
// staff, the 62 workshop heads and 312 nearby farmers in the county's villages, each group
// answering a few five-level items. Every item of a leaf is answered with exactly the counts
// per grade drawn for that leaf (so the leaf's shares, and the run's score, are those counts'),
// assigned to respondents by a latent attitude plus noise, so that a respondent's items agree
// as real answers do (Cronbach's α well above 0.7).
Result<int> GenerateSurvey(evaluation::SurveyService& surveys,
                           evaluation::EvaluationRepository& repository,
                           const regions::Region& county,
                           const std::vector<regions::Region>& generated,
                           const evaluation::System& system,
                           const evaluation::SystemVersion& version,
                           const std::map<std::string, std::vector<double>>& counts, uint64_t seed,
                           const audit::Actor& actor) {
  const std::vector<std::string> everywhere = {""};
  const std::array<const char*, 5> levels = {"非常满意", "满意", "一般", "不满意", "非常不满意"};
  const std::array<const char*, 5> levels_en = {"Very satisfied", "Satisfied", "Neutral",
                                                "Dissatisfied", "Very dissatisfied"};
  auto likert = [&](std::string key, std::string text, std::string text_en, std::string leaf,
                    std::string dimension, std::string group) {
    evaluation::Question q;
    q.key = std::move(key);
    q.text = std::move(text);
    q.text_en = std::move(text_en);
    q.leaf = std::move(leaf);
    q.dimension = std::move(dimension);
    q.groups = {std::move(group)};
    for (size_t l = 0; l < levels.size(); ++l) {
      evaluation::Choice c;
      c.code = std::to_string(5 - l);
      c.label = levels[l];
      c.label_en = levels_en[l];
      c.value = static_cast<double>(5 - l);
      c.grade = version.content.grades[l].name;
      q.choices.push_back(std::move(c));
    }
    return q;
  };
  evaluation::Questionnaire q;
  q.name = "2020 年扶贫车间项目满意度调查";
  q.name_en = "Workshop project satisfaction survey, 2020";
  q.description = "面向政府工作人员、车间负责人和周边农户的问卷，支撑绩效评价的问卷类指标";
  q.region_code = county.code;
  q.system_id = system.id;
  q.system_version = version.version;
  q.period = "2020";
  q.groups = {"government", "workshop_head", "farmer"};
  q.questions = {
      likert("g1", "您对本县扶贫车间项目的总体评价", "Overall view of the county's workshops",
             "gov_satisfaction", "政府工作人员评价", "government"),
      likert("g2", "您对扶贫车间带贫成效的评价", "Poverty-reduction results of the workshops",
             "gov_satisfaction", "政府工作人员评价", "government"),
      likert("g3", "您对扶贫车间规范运营的评价", "The workshops' compliance", "gov_satisfaction",
             "政府工作人员评价", "government"),
      likert("h1", "您对扶贫车间扶持政策的满意度", "Satisfaction with the support policies",
             "head_satisfaction", "车间负责人评价", "workshop_head"),
      likert("h2", "您对政府部门服务的满意度", "Satisfaction with government services",
             "head_satisfaction", "车间负责人评价", "workshop_head"),
      likert("h3", "车间员工的技能提升情况", "Skills gained by the workshop's workers", "skills",
             "车间负责人评价", "workshop_head"),
      likert("f1", "您对附近扶贫车间的总体满意度", "Overall satisfaction with the workshop",
             "farmer_satisfaction", "周边农户评价", "farmer"),
      likert("f2", "您对车间工资待遇的满意度", "Satisfaction with the wages", "farmer_satisfaction",
             "周边农户评价", "farmer"),
      likert("f3", "您对扶贫车间政策的了解程度", "How well you know the workshop policies",
             "policy_awareness", "周边农户评价", "farmer"),
      likert("f4", "在车间务工后家庭收入的增加", "Household income since working there",
             "income_increase", "周边农户评价", "farmer"),
      likert("f5", "您在车间学到的技能", "Skills learned at the workshop", "skills", "周边农户评价",
             "farmer"),
  };
  // The farmers' satisfaction items also feed the declared surveyed indicator.
  for (evaluation::Question& question : q.questions) {
    if (question.key == "f1" || question.key == "f2") {
      question.indicator = std::string(kDemoWorkshopSatisfaction);
    }
  }
  q.targets = {{"government", county.code, 40},
               {"workshop_head", county.code, 62},
               {"farmer", county.code, 300}};
  auto created = surveys.Create(everywhere, q, actor);
  if (!created) return std::unexpected(created.error());

  std::vector<std::string> villages;
  for (const auto& r : generated) {
    if (r.level == regions::RegionLevel::kVillage && r.code.starts_with(county.code.substr(0, 6))) {
      villages.push_back(r.code);
    }
  }
  if (villages.empty()) villages.push_back(county.code);

  Rng rng(seed ^ 0x5EED5EEDULL);
  struct Group {
    const char* code;
    int size;
    std::vector<std::pair<const char*, const char*>> items;  // question key, leaf
  };
  const std::vector<Group> groups = {
      {"government",
       38,
       {{"g1", "gov_satisfaction"}, {"g2", "gov_satisfaction"}, {"g3", "gov_satisfaction"}}},
      {"workshop_head",
       62,
       {{"h1", "head_satisfaction"}, {"h2", "head_satisfaction"}, {"h3", "skills"}}},
      {"farmer",
       312,
       {{"f1", "farmer_satisfaction"},
        {"f2", "farmer_satisfaction"},
        {"f3", "policy_awareness"},
        {"f4", "income_increase"},
        {"f5", "skills"}}}};
  // Each leaf's answers as a multiset of grades; a leaf two groups answer (skills) is shuffled
  // and its first answers go to the first group.
  std::map<std::string, std::vector<size_t>> pool;
  for (const auto& [leaf, c] : counts) {
    auto& grades = pool[leaf];
    for (size_t k = 0; k < c.size(); ++k) {
      for (int n = 0; n < static_cast<int>(c[k]); ++n) grades.push_back(k);
    }
    for (size_t i = grades.size(); i > 1; --i) {
      std::swap(grades[i - 1],
                grades[static_cast<size_t>(rng.Uniform(0, static_cast<int64_t>(i) - 1))]);
    }
  }
  std::vector<evaluation::Response> responses;
  int number = 0;
  for (const auto& g : groups) {
    const size_t first = responses.size();
    std::vector<double> latent;
    for (int r = 0; r < g.size; ++r) {
      evaluation::Response resp;
      resp.group = g.code;
      resp.region_code =
          villages[static_cast<size_t>(rng.Uniform(0, static_cast<int64_t>(villages.size()) - 1))];
      resp.surveyed_on = fmt::format("2021-01-{:02d}", rng.Uniform(5, 20));
      // Government staff were interviewed with the field form; the others answered on 问卷星.
      const bool form = std::string_view(g.code) == "government";
      resp.source = std::string(form ? evaluation::kSourceForm : evaluation::kSourceWenjuanxing);
      if (!form) resp.external_id = std::to_string(++number);
      responses.push_back(std::move(resp));
      latent.push_back(rng.NextDouble());
    }
    std::map<std::string, size_t> taken;  // answers of each leaf this group used
    for (const auto& [key, leaf] : g.items) {
      const auto it = pool.find(leaf);
      if (it == pool.end()) continue;
      // This item's answers, best grade first, go to the respondents by attitude.
      const size_t offset = taken[leaf];  // 0: the group's items of one leaf share its answers
      const size_t n = static_cast<size_t>(g.size);
      if (it->second.size() < offset + n) {
        return Internal(fmt::format("demo survey: leaf {} has too few answers", leaf));
      }
      std::vector<size_t> grades(it->second.begin() + static_cast<std::ptrdiff_t>(offset),
                                 it->second.begin() + static_cast<std::ptrdiff_t>(offset + n));
      std::sort(grades.begin(), grades.end());
      std::vector<std::pair<double, int>> order;
      for (int r = 0; r < g.size; ++r) {
        order.push_back({latent[static_cast<size_t>(r)] + 0.8 * rng.NextDouble(), r});
      }
      std::sort(order.begin(), order.end(), std::greater<>());
      for (size_t k = 0; k < n; ++k) {
        responses[first + static_cast<size_t>(order[k].second)].answers[key] =
            std::to_string(5 - grades[k]);
      }
    }
    // A leaf shared with the next group keeps its remaining answers for it; items of one leaf
    // within a group (g1–g3) all use the same answers.
    for (const auto& entry : taken) {
      auto& grades = pool[entry.first];
      if (grades.size() > static_cast<size_t>(g.size)) {
        grades.erase(grades.begin(), grades.begin() + static_cast<std::ptrdiff_t>(g.size));
      }
    }
  }
  for (size_t i = 0; i < responses.size(); ++i) {
    FUPIN_TRY(evaluation::ValidateResponse(*created, responses[i], static_cast<int64_t>(i + 1)));
  }
  auto saved = repository.SaveResponses(created->id, responses, actor);
  if (!saved) return std::unexpected(saved.error());
  return static_cast<int>(responses.size());
}

// Rectification (整改) of the run's weaknesses and low indicators, as a county office would
// have it a month after publication: one task verified, one submitted with evidence, one in
// progress, and one past its deadline with nothing reported.
Result<int> GenerateRectification(evaluation::RectificationService& rectification,
                                  evaluation::EvaluationRepository& repository,
                                  const evaluation::Run& run, const Date& today,
                                  const audit::Actor& actor) {
  const std::vector<std::string> everywhere = {""};
  // The findings to rectify: the run's weaknesses, then its indicators that cost the most points.
  std::vector<evaluation::Finding> picked;
  std::vector<std::optional<int>> index;
  for (size_t i = 0; i < run.findings.size() && picked.size() < 4; ++i) {
    const auto& k = run.findings[i].kind;
    if (k == "weakness" || k == "below_threshold" || k == "grade_unstable") {
      picked.push_back(run.findings[i]);
      index.push_back(static_cast<int>(i));
    }
  }
  if (!run.results.weakest.empty()) {
    for (const auto& w : run.results.weakest.front()) {
      if (picked.size() >= 4) break;
      const auto& node = run.snapshot.nodes[static_cast<size_t>(w.node)];
      if (std::any_of(picked.begin(), picked.end(),
                      [&](const evaluation::Finding& f) { return f.node == node.key; })) {
        continue;
      }
      evaluation::Finding f;
      f.kind = "note";
      f.object = run.snapshot.objects.front().code;
      f.node = node.key;
      f.text = fmt::format("指标“{}”得分 {:.2f}，失分 {:.2f} 分，居前列", node.name, w.score,
                           w.shortfall);
      f.text_en = fmt::format("Indicator '{}' scores {:.2f} and costs {:.2f} points", node.name_en,
                              w.score, w.shortfall);
      picked.push_back(std::move(f));
      index.push_back(std::nullopt);
    }
  }
  struct Plan {
    const char* unit;
    const char* person;
    int days;  // deadline from today
  };
  const Plan plans[] = {{"县乡村振兴局", "王建国", 20},
                        {"县人力资源和社会保障局", "李秀英", 45},
                        {"车间所在镇人民政府", "张志强", 60},
                        {"县财政局", "刘伟", -6}};
  const auto day = [&](int offset) {
    return Date::FromDaysSinceEpoch(today.DaysSinceEpoch() + offset).ToString();
  };
  int made = 0;
  for (size_t i = 0; i < picked.size(); ++i) {
    const Plan& p = plans[i];
    evaluation::RectificationTask created;
    if (p.days >= 0) {
      evaluation::NewTask t;
      t.run_id = run.id;
      t.finding = index[i];
      if (!index[i]) t.custom = picked[i];
      t.unit = p.unit;
      t.person = p.person;
      t.deadline = day(p.days);
      auto task = rectification.Assign(everywhere, t, actor);
      if (!task) return std::unexpected(task.error());
      created = std::move(*task);
    } else {
      // Assigned five weeks ago with a deadline already passed: written as it was then.
      evaluation::RectificationTask t;
      t.run_id = run.id;
      t.system_id = run.system_id;
      t.run_region = run.region_code;
      t.finding = picked[i];
      t.region_code = t.finding.object.empty() ? run.region_code : t.finding.object;
      t.title = t.finding.text;
      t.unit = p.unit;
      t.person = p.person;
      t.deadline = day(p.days);
      evaluation::TaskUpdate first;
      first.note = fmt::format("下达整改任务，责任单位：{}，责任人：{}，期限：{}", t.unit, t.person,
                               t.deadline);
      first.by = actor.name;
      auto task = repository.CreateTask(t, first, actor);
      if (!task) return std::unexpected(task.error());
      created = std::move(*task);
    }
    ++made;
    auto report = [&](evaluation::TaskStatus status, const char* note,
                      const char* evidence) -> Status {
      evaluation::TaskReport r;
      r.version = created.version;
      r.status = status;
      r.note = note;
      r.evidence = evidence;
      auto next = rectification.Report(everywhere, created.id, r, actor);
      if (!next) return std::unexpected(next.error());
      created = std::move(*next);
      return {};
    };
    if (i == 0) {
      FUPIN_TRY(report(evaluation::TaskStatus::kInProgress, "已召开专题会议，制定整改方案", ""));
      FUPIN_TRY(report(evaluation::TaskStatus::kSubmitted, "整改完成",
                       "整改方案及会议纪要（县振兴发〔2021〕12号）；回访 30 户农户的记录"));
      FUPIN_TRY(report(evaluation::TaskStatus::kVerified, "经核查，整改到位，同意销号", ""));
    } else if (i == 1) {
      FUPIN_TRY(report(evaluation::TaskStatus::kInProgress, "已开展技能培训 2 期", ""));
      FUPIN_TRY(report(evaluation::TaskStatus::kSubmitted, "培训计划已完成",
                       "培训签到表、结业证书名单（126 人）"));
    } else if (i == 2) {
      FUPIN_TRY(
          report(evaluation::TaskStatus::kInProgress, "已走访车间 8 家，正在对接电商销售渠道", ""));
    }
  }
  return made;
}

// The townships compared for 2019 — income, poverty incidence and workshop jobs from the
// registry and workshops — with the fund-efficiency DEA: assistance funds and staff (the
// demo's entered statistics) against people newly lifted out and per-capita income growth.
// A published run; returns its id.
Result<int64_t> GenerateTownshipRun(evaluation::SystemService& systems,
                                    evaluation::RunService& runs, const regions::Region& county,
                                    const std::vector<regions::Region>& generated, uint64_t seed,
                                    const audit::Actor& actor) {
  const std::vector<std::string> everywhere = {""};
  evaluation::NewSystem request;
  request.name = county.name + "乡镇脱贫成效与资金效率评价";
  request.name_en = "Townships' results and fund efficiency, " + county.code;
  request.description =
      "各乡镇收入、贫困发生率和车间就业，以及帮扶资金、帮扶干部投入相对新增脱贫人口和人均纯收入"
      "增量的效率（DEA）。";
  request.region_code = county.code;
  request.template_code = "county_targeted";
  auto system = systems.Create(everywhere, request, actor);
  if (!system) return std::unexpected(system.error());
  evaluation::SystemContent c;
  c.grades = evaluation::DefaultGrades();
  auto node = [&](std::string key, std::string parent, std::string name, std::string name_en,
                  double weight) -> evaluation::SystemNode& {
    evaluation::SystemNode n;
    n.key = std::move(key);
    n.parent = std::move(parent);
    n.name = std::move(name);
    n.name_en = std::move(name_en);
    n.weight = weight;
    c.nodes.push_back(std::move(n));
    return c.nodes.back();
  };
  auto linear = [](double floor, double target) {
    evaluation::ScoringRule r;
    r.kind = evaluation::ScoringKind::kLinear;
    r.floor = floor;
    r.target = target;
    return r;
  };
  auto leaf = [&](std::string key, std::string parent, std::string name, std::string name_en,
                  double weight, std::string code, evaluation::ScoringRule rule) {
    auto& n = node(std::move(key), std::move(parent), std::move(name), std::move(name_en), weight);
    n.source = evaluation::LeafSource::kIndicator;
    n.indicator = std::move(code);
    n.scoring = rule;
  };
  node("township_results", "", "乡镇脱贫成效", "Townships' results", 1);
  node("income", "township_results", "收入与脱贫", "Income and exits", 0.6);
  leaf("per_capita_income", "income", "人均纯收入", "Per-capita net income", 0.5,
       "mean_per_capita_net_income", linear(3000, 8000));
  leaf("incidence", "income", "贫困发生率", "Poverty incidence", 0.5, "poverty_incidence",
       linear(10, 0));
  node("employment", "township_results", "车间就业", "Workshop jobs", 0.4);
  leaf("poor_worker_share", "employment", "车间贫困劳动力占比", "Share of poor workers", 0.4,
       "workshop_poor_worker_share", linear(50, 100));
  leaf("mean_wage", "employment", "贫困劳动力月均工资", "Poor workers' mean monthly wage", 0.6,
       "workshop_poor_mean_wage", linear(1500, 3000));
  evaluation::DeaSettings dea;
  dea.inputs = {{"assistance_funds", false}, {"assistance_staff", false}};
  dea.outputs = {{"lifted_people", true}, {"mean_per_capita_net_income", true}};
  c.dea = dea;
  evaluation::SystemPatch patch;
  patch.version = system->version;
  patch.draft = std::move(c);
  auto edited = systems.Update(everywhere, system->id, patch, actor);
  if (!edited) return std::unexpected(edited.error());
  auto published =
      systems.Publish(everywhere, system->id, edited->version, "2019 年乡镇评价所用版本", actor);
  if (!published) return std::unexpected(published.error());
  evaluation::RunRequest run;
  run.system_id = system->id;
  run.version = published->version;
  run.name = "2019 年度乡镇脱贫成效与资金效率评价";
  run.region_code = county.code;
  run.period = "2019";
  run.ranking = evaluation::Ranking::kTopsis;
  run.sensitivity = {500, 0.1, seed};
  for (const auto& r : generated) {
    if (r.level == regions::RegionLevel::kTownship && r.parent_code == county.code) {
      run.objects.push_back(r.code);
    }
  }
  auto created = runs.Create(everywhere, run, actor);
  if (!created && created.error().code == ErrorCode::kInvalidArgument) {
    // A smaller demo (fewer households per village) may leave a township without workshops or
    // incomes in 2019: evaluate the others. Missing values name "<object>/<leaf or indicator>".
    std::set<std::string> lacking;
    for (const auto& d : created.error().details) {
      if (const auto slash = d.value.find('/'); slash != std::string::npos)
        lacking.insert(d.value.substr(0, slash));
    }
    std::erase_if(run.objects, [&](const std::string& code) { return lacking.contains(code); });
    if (!lacking.empty() && run.objects.size() >= 2) created = runs.Create(everywhere, run, actor);
  }
  if (!created) return std::unexpected(created.error());
  auto done = runs.Publish(everywhere, created->id, created->version, actor);
  if (!done) return std::unexpected(done.error());
  return done->id;
}

}  // namespace

Result<DemoEvaluationCounts> GenerateDemoEvaluation(
    access::AuthService& auth, evaluation::SystemService& systems,
    evaluation::SurveyService& surveys, evaluation::EvaluationRepository& repository,
    evaluation::RunService& runs, evaluation::RectificationService& rectification,
    const std::vector<regions::Region>& generated, uint64_t seed, const Date& today) {
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
  std::map<std::string, std::vector<double>> surveyed;  // survey leaf → counts per grade
  for (const Leaf& leaf : leaves) {
    const int node = evaluation::FindNode(content, leaf.key);
    if (node < 0) continue;
    auto answers = Answers(leaf.respondents, leaf.shares, rng);
    if (content.nodes[static_cast<size_t>(node)].source == evaluation::LeafSource::kSurvey) {
      surveyed[leaf.key] = std::move(answers);
      continue;
    }
    evaluation::RunInput in;
    in.object = county->code;
    in.leaf = leaf.key;
    in.responses = std::move(answers);
    run.inputs.push_back(std::move(in));
  }
  auto survey = GenerateSurvey(surveys, repository, *county, generated, *system, *published,
                               surveyed, seed, actor);
  if (!survey) return std::unexpected(survey.error());
  counts.questionnaires = 1;
  counts.responses = *survey;
  auto created = runs.Create(everywhere, run, actor);
  if (!created) return std::unexpected(created.error());
  auto done = runs.Publish(everywhere, created->id, created->version, actor);
  if (!done) return std::unexpected(done.error());
  counts.runs = 1;
  auto tasks = GenerateRectification(rectification, repository, *done, today, actor);
  if (!tasks) return std::unexpected(tasks.error());
  counts.tasks = *tasks;
  auto townships = GenerateTownshipRun(systems, runs, *county, generated, seed, actor);
  if (!townships) return std::unexpected(townships.error());
  counts.systems += 1;
  counts.runs += 1;
  const auto& overall = done->results.outcomes.front().overall();
  counts.score = overall.score;
  counts.grade = content.grades[static_cast<size_t>(overall.grade)].name;
  return counts;
}

}  // namespace fupin::app
