// Indicator systems and expert judgments.
#include "evaluation/system_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "access/permissions.h"
#include "indicators/indicator.h"

namespace fupin::evaluation {

bool SeenFrom(const std::vector<std::string>& scope, const std::string& region) {
  if (access::InAnySubtree(scope, region)) return true;
  for (const auto& s : scope) {
    if (!s.empty() && access::InSubtree(region, s)) return true;
  }
  return false;
}

namespace {

SystemContent Skeleton() {
  SystemContent c;
  c.grades = DefaultGrades();
  SystemNode root;
  root.key = "goal";
  root.name = "总目标";
  root.name_en = "Goal";
  SystemNode dim;
  dim.key = "criterion_1";
  dim.parent = "goal";
  dim.name = "准则一";
  dim.name_en = "Criterion 1";
  SystemNode leaf;
  leaf.key = "indicator_1";
  leaf.parent = "criterion_1";
  leaf.name = "指标一";
  leaf.name_en = "Indicator 1";
  leaf.source = LeafSource::kExpert;
  c.nodes = {root, dim, leaf};
  return c;
}

Status CheckName(const std::string& name) {
  if (name.empty()) {
    return InvalidArgument("the indicator system needs a name",
                           {ErrorDetail{0, "name", "", "is required"}});
  }
  if (name.size() > 200) {
    return InvalidArgument("the name is too long",
                           {ErrorDetail{0, "name", "", "at most 200 bytes"}});
  }
  return {};
}

std::unexpected<Error> NoSystem(int64_t id) {
  return NotFound(fmt::format("no indicator system with id {}", id));
}

// The node's children's keys, or an error naming why it cannot be judged.
Result<std::vector<std::string>> JudgedChildren(const SystemContent& content,
                                                const std::string& node_key) {
  const int index = FindNode(content, node_key);
  if (index < 0) {
    return NotFound(fmt::format("the system has no node '{}'", node_key));
  }
  const auto children = ChildrenOf(content)[static_cast<size_t>(index)];
  if (children.size() < 2) {
    return InvalidArgument(fmt::format("node '{}' has {} children: only nodes with two or more "
                                       "are compared pairwise",
                                       node_key, children.size()),
                           {ErrorDetail{0, "node", node_key, "fewer than two children"}});
  }
  std::vector<std::string> keys;
  for (int c : children) keys.push_back(content.nodes[static_cast<size_t>(c)].key);
  return keys;
}

JudgmentView Analyzed(Judgment j, std::vector<std::string> children) {
  JudgmentView v;
  v.children = std::move(children);
  auto r = methods::Ahp(j.matrix);
  if (r) {
    v.analysis = std::move(*r);
  } else {
    v.problem = r.error().message;
  }
  v.judgment = std::move(j);
  return v;
}

}  // namespace

Result<std::vector<System>> SystemService::List(const std::vector<std::string>& scope) {
  return repository_.ListSystems(scope);
}

Result<System> SystemService::Get(const std::vector<std::string>& scope, int64_t id) {
  auto found = repository_.FindSystem(id);
  if (!found) return std::unexpected(found.error());
  if (!*found || !SeenFrom(scope, (*found)->region_code)) return NoSystem(id);
  return std::move(**found);
}

Result<std::vector<SystemVersion>> SystemService::Versions(const std::vector<std::string>& scope,
                                                           int64_t id) {
  auto system = Get(scope, id);
  if (!system) return std::unexpected(system.error());
  return repository_.ListVersions(id);
}

Result<SystemVersion> SystemService::Version(const std::vector<std::string>& scope, int64_t id,
                                             int version) {
  auto system = Get(scope, id);
  if (!system) return std::unexpected(system.error());
  auto v = repository_.FindVersion(id, version);
  if (!v) return std::unexpected(v.error());
  if (!*v) {
    return NotFound(fmt::format("indicator system {} has no published version {} (latest: {})", id,
                                version, system->latest_version));
  }
  return std::move(**v);
}

Result<System> SystemService::Designable(const std::vector<std::string>& design, int64_t id) {
  auto found = repository_.FindSystem(id);
  if (!found) return std::unexpected(found.error());
  if (!*found || !SeenFrom(design, (*found)->region_code)) return NoSystem(id);
  if (!access::InAnySubtree(design, (*found)->region_code)) {
    return PermissionDenied(fmt::format(
        "indicator system {} belongs to region {}, above your regions: copy it to edit it", id,
        (*found)->region_code));
  }
  return std::move(**found);
}

Result<System> SystemService::Create(const std::vector<std::string>& design,
                                     const NewSystem& request, const audit::Actor& actor) {
  FUPIN_TRY(CheckName(request.name));
  if (request.region_code.empty()) {
    return InvalidArgument("a system belongs to a region",
                           {ErrorDetail{0, "region", "", "is required"}});
  }
  if (!access::InAnySubtree(design, request.region_code)) {
    return PermissionDenied(
        fmt::format("region {} is outside the regions where you design indicator systems",
                    request.region_code));
  }
  System s;
  s.name = request.name;
  s.name_en = request.name_en;
  s.description = request.description;
  s.region_code = request.region_code;
  if (!request.template_code.empty() && request.copy_of != 0) {
    return InvalidArgument(
        "give a template or a system to copy, not both",
        {ErrorDetail{0, "copy_of", std::to_string(request.copy_of), "a template is given too"}});
  }
  if (!request.template_code.empty()) {
    const Template* t = FindTemplate(request.template_code);
    if (t == nullptr) {
      return InvalidArgument("no such template",
                             {ErrorDetail{0, "template", request.template_code,
                                          "one of workshop_bsc, county_targeted, "
                                          "exit_assessment, multi_subject"}});
    }
    s.template_code = t->code;
    s.draft = t->content;
    if (s.description.empty()) s.description = t->description;
  } else if (request.copy_of != 0) {
    auto source = Get(design, request.copy_of);
    if (!source) return std::unexpected(source.error());
    s.template_code = source->template_code;
    if (request.copy_version > 0) {
      auto v = Version(design, request.copy_of, request.copy_version);
      if (!v) return std::unexpected(v.error());
      s.draft = std::move(v->content);
    } else {
      s.draft = std::move(source->draft);
    }
  } else {
    s.draft = Skeleton();
  }
  return repository_.SaveSystem(s, actor);
}

Result<System> SystemService::Update(const std::vector<std::string>& design, int64_t id,
                                     const SystemPatch& patch, const audit::Actor& actor) {
  auto system = Designable(design, id);
  if (!system) return std::unexpected(system.error());
  if (patch.name) system->name = *patch.name;
  if (patch.name_en) system->name_en = *patch.name_en;
  if (patch.description) system->description = *patch.description;
  FUPIN_TRY(CheckName(system->name));
  if (patch.draft) {
    auto valid = ValidateContent(*patch.draft, &catalogue_);
    if (!valid) {
      Error e = valid.error();
      for (auto& d : e.details) d.column = "draft." + d.column;
      return std::unexpected(std::move(e));
    }
    system->draft = *patch.draft;
  }
  system->version = patch.version;
  return repository_.SaveSystem(*system, actor);
}

Result<SystemVersion> SystemService::Publish(const std::vector<std::string>& design, int64_t id,
                                             int64_t version, const std::string& note,
                                             const audit::Actor& actor) {
  auto system = Designable(design, id);
  if (!system) return std::unexpected(system.error());
  if (system->version != version) {
    return Conflict(fmt::format("indicator system {} was changed by someone else: you published "
                                "version {}, the current version is {}",
                                id, version, system->version),
                    system->version);
  }
  auto valid = ValidateContent(system->draft, &catalogue_);
  if (!valid) {
    Error e = valid.error();
    e.Prefix("the draft cannot be published");
    return std::unexpected(std::move(e));
  }
  if (system->latest_version > 0) {
    auto latest = repository_.FindVersion(id, system->latest_version);
    if (!latest) return std::unexpected(latest.error());
    if (*latest && (*latest)->content == system->draft) {
      return FailedPrecondition(
          fmt::format("the draft is the same as version {}: change it before publishing again",
                      system->latest_version));
    }
  }
  return repository_.PublishSystem(id, version, system->draft, note, actor);
}

Result<std::vector<JudgmentView>> SystemService::Judgments(const std::vector<std::string>& scope,
                                                           int64_t id, int version,
                                                           const std::string& node_key) {
  auto v = Version(scope, id, version);
  if (!v) return std::unexpected(v.error());
  if (!node_key.empty() && FindNode(v->content, node_key) < 0) {
    return NotFound(fmt::format("the system has no node '{}'", node_key));
  }
  auto list = repository_.ListJudgments(id, version, node_key);
  if (!list) return std::unexpected(list.error());
  std::vector<JudgmentView> out;
  for (auto& j : *list) {
    auto children = JudgedChildren(v->content, j.node_key);
    out.push_back(Analyzed(std::move(j), children ? *children : std::vector<std::string>{}));
  }
  return out;
}

Result<JudgmentView> SystemService::Judge(const std::vector<std::string>& scope, int64_t id,
                                          int version, const std::string& node_key,
                                          int64_t expert_id, const std::string& expert_name,
                                          const Matrix& matrix, const std::string& note,
                                          const audit::Actor& actor) {
  auto v = Version(scope, id, version);
  if (!v) return std::unexpected(v.error());
  auto children = JudgedChildren(v->content, node_key);
  if (!children) return std::unexpected(children.error());
  const auto n = static_cast<Eigen::Index>(children->size());
  if (matrix.rows() != n || matrix.cols() != n) {
    return InvalidArgument(
        fmt::format("node '{}' has {} children: the matrix must be {}×{}", node_key, n, n, n),
        {ErrorDetail{0, "matrix", fmt::format("{}×{}", matrix.rows(), matrix.cols()),
                     "wrong size"}});
  }
  std::vector<methods::AhpWarning> warnings;
  auto reciprocal = methods::ReciprocalMatrix(matrix, {}, &warnings);
  if (!reciprocal) {
    Error e = reciprocal.error();
    for (auto& d : e.details) {
      // methods' details are 1-based matrix rows and "#c" columns: name the children.
      const auto col = d.column.starts_with("#") ? std::atoi(d.column.c_str() + 1) : 0;
      if (d.row >= 1 && d.row <= n && col >= 1 && col <= n) {
        d.column = fmt::format("matrix[{}][{}] ({} vs {})", d.row - 1, col - 1,
                               (*children)[static_cast<size_t>(d.row - 1)],
                               (*children)[static_cast<size_t>(col - 1)]);
        d.row = 0;
      }
    }
    return std::unexpected(std::move(e));
  }
  Judgment j;
  j.system_id = id;
  j.version = version;
  j.node_key = node_key;
  j.expert_id = expert_id;
  j.expert_name = expert_name;
  j.matrix = *reciprocal;
  // Keep only the upper triangle as given: the lower one follows by reciprocity.
  for (Eigen::Index r = 0; r < n; ++r) {
    for (Eigen::Index c = 0; c < r; ++c) j.matrix(r, c) = methods::kNaN;
  }
  j.note = note;
  auto saved = repository_.SaveJudgment(j, actor);
  if (!saved) return std::unexpected(saved.error());
  return Analyzed(std::move(*saved), std::move(*children));
}

Status SystemService::Withdraw(const std::vector<std::string>& scope, int64_t id, int version,
                               const std::string& node_key, int64_t expert_id,
                               const audit::Actor& actor) {
  auto v = Version(scope, id, version);
  if (!v) return std::unexpected(v.error());
  if (FindNode(v->content, node_key) < 0) {
    return NotFound(fmt::format("the system has no node '{}'", node_key));
  }
  // Withdrawing what was never given changes nothing (and is not an error: the form may be
  // cleared twice).
  auto mine = repository_.ListJudgments(id, version, node_key);
  if (!mine) return std::unexpected(mine.error());
  const bool given = std::any_of(mine->begin(), mine->end(),
                                 [&](const Judgment& j) { return j.expert_id == expert_id; });
  if (!given) return {};
  return repository_.DeleteJudgment(id, version, node_key, expert_id, actor);
}

Result<std::vector<NodeWeights>> SystemService::Weights(const std::vector<std::string>& scope,
                                                        int64_t id, int version,
                                                        const WeightOptions& options) {
  auto v = Version(scope, id, version);
  if (!v) return std::unexpected(v.error());
  auto all = repository_.ListJudgments(id, version, "");
  if (!all) return std::unexpected(all.error());
  return WeightsOf(v->content, *all, options);
}

std::vector<NodeWeights> SystemService::WeightsOf(const SystemContent& content,
                                                  const std::vector<Judgment>& judgments,
                                                  const WeightOptions& options) {
  const auto children = ChildrenOf(content);
  std::vector<NodeWeights> out;
  for (size_t i = 0; i < content.nodes.size(); ++i) {
    if (children[i].empty()) continue;
    NodeWeights w;
    w.node_key = content.nodes[i].key;
    double sum = 0;
    for (int c : children[i]) {
      w.children.push_back(content.nodes[static_cast<size_t>(c)].key);
      sum += content.nodes[static_cast<size_t>(c)].weight;
    }
    for (int c : children[i]) {
      w.default_weights.push_back(content.nodes[static_cast<size_t>(c)].weight / sum);
    }
    std::vector<Matrix> matrices;
    for (const auto& j : judgments) {
      if (j.node_key != w.node_key) continue;
      ++w.experts;
      matrices.push_back(j.matrix);
      w.expert_ids.push_back(j.expert_id);
    }
    w.weights = w.default_weights;
    w.source = "default";
    if (!matrices.empty()) {
      methods::GroupAhpOptions group = options.group;
      group.expert_weights.clear();  // per-expert weights are not kept per node yet
      auto g = methods::GroupAhp(matrices, group);
      if (g) {
        w.weights.assign(g->weights.data(), g->weights.data() + g->weights.size());
        w.source = "ahp";
        w.group = std::move(*g);
      } else {
        w.problem = g.error().message;
      }
    }
    out.push_back(std::move(w));
  }
  return out;
}

Result<methods::AhpResult> SystemService::Analyze(const Matrix& matrix,
                                                  const methods::AhpOptions& options) {
  return methods::Ahp(matrix, options);
}

namespace {

bool ContentUses(const SystemContent& content, std::string_view code) {
  for (const SystemNode& node : content.nodes) {
    if (node.source == LeafSource::kIndicator && node.indicator == code) return true;
  }
  if (content.dea) {
    for (const auto* factors : {&content.dea->inputs, &content.dea->outputs}) {
      for (const DeaFactor& f : *factors) {
        if (f.indicator == code) return true;
      }
    }
  }
  return false;
}

}  // namespace

Result<std::vector<std::string>> IndicatorUses(EvaluationRepository& repository,
                                               std::string_view code) {
  std::vector<std::string> uses;
  auto systems = repository.ListSystems({""});
  if (!systems) return std::unexpected(systems.error());
  for (const System& s : *systems) {
    if (ContentUses(s.draft, code)) {
      uses.push_back(fmt::format("indicator system {} {} (draft)", s.id, s.name));
    }
    if (s.latest_version == 0) continue;
    auto versions = repository.ListVersions(s.id);
    if (!versions) return std::unexpected(versions.error());
    for (const SystemVersion& v : *versions) {
      if (ContentUses(v.content, code)) {
        uses.push_back(fmt::format("indicator system {} {} version {}", s.id, s.name, v.version));
      }
    }
  }
  auto questionnaires = repository.ListQuestionnaires({""}, 0);
  if (!questionnaires) return std::unexpected(questionnaires.error());
  for (const Questionnaire& q : *questionnaires) {
    for (const Question& question : q.questions) {
      if (question.indicator == code) {
        uses.push_back(
            fmt::format("questionnaire {} {} (question {})", q.id, q.name, question.key));
      }
    }
  }
  return uses;
}

}  // namespace fupin::evaluation
