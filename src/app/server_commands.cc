#include "app/server_commands.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "app/app.h"
#include "app/demo_evaluation.h"
#include "app/demo_funds.h"
#include "app/demo_goals.h"
#include "app/demo_monitoring.h"
#include "app/demo_projects.h"
#include "app/demo_subsidies.h"
#include "app/demo_workshops.h"
#include "base/random.h"
#include "cli/database_option.h"
#include "cli/indicator_commands.h"
#include "cli/settings.h"
#include "indicators/assessment_indicators.h"
#include "regions/boundary.h"
#include "regions/synthetic_regions.h"
#include "registry/synthetic_registry.h"
#include "security/crypto.h"

namespace fupin::app {
namespace {

using cli::CommandContext;
using cli::ReportError;

// Flags shared by serve and demo: where to listen and what to serve.
struct ListenFlags {
  std::string host;
  std::string port;
  std::string web_root;
  std::string tls_cert;
  std::string tls_key;
  CLI::Option* host_option = nullptr;
  CLI::Option* port_option = nullptr;
  CLI::Option* web_root_option = nullptr;

  void Add(CLI::App& cmd) {
    host_option =
        cmd.add_option("--host", host, "address to listen on (env FUPIN_HOST; default 127.0.0.1)");
    port_option = cmd.add_option(
        "--port", port, "port to listen on, 0 = any free port (env FUPIN_PORT; default 8080)");
    web_root_option = cmd.add_option(
        "--web-root", web_root,
        "directory of the built web UI (env FUPIN_WEB_ROOT; default: the one built with fupin)");
    cmd.add_option("--tls-cert", tls_cert, "PEM certificate file: serve HTTPS (with --tls-key)");
    cmd.add_option("--tls-key", tls_key, "PEM private key file of the certificate");
  }

  Result<http::ServerOptions> Resolve(const CommandContext& ctx) const {
    http::ServerOptions o;
    o.host = ctx.settings->Resolve(host, host_option->count() > 0, "host", "127.0.0.1");
    const std::string p = ctx.settings->Resolve(port, port_option->count() > 0, "port", "8080");
    int value = -1;
    auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
    if (ec != std::errc() || ptr != p.data() + p.size() || value < 0 || value > 65535) {
      return InvalidArgument(fmt::format("port '{}' is not a number from 0 to 65535", p));
    }
    o.port = value;
    o.web_root =
        FindWebRoot(ctx.settings->Resolve(web_root, web_root_option->count() > 0, "web_root", ""));
    if (tls_cert.empty() != tls_key.empty()) {
      return InvalidArgument("--tls-cert and --tls-key go together");
    }
    o.tls_cert = tls_cert;
    o.tls_key = tls_key;
    return o;
  }
};

int RunServer(App& app, const http::ServerOptions& options, const std::string& banner) {
  if (options.web_root.empty()) {
    spdlog::warn("the web UI is not built (run `make web`); serving the API only");
  }
  auto served = app.Serve(options, [&](int port) {
    const std::string url =
        fmt::format("{}://{}:{}/", options.tls_cert.empty() ? "http" : "https", options.host, port);
    spdlog::info("fupin listening on {} ({})", url, app.db().url().Redacted());
    fmt::print("\nfupin is running at {}\n{}", url, banner);
    fmt::print("Press Ctrl+C to stop.\n");
    std::fflush(stdout);
  });
  if (!served) return ReportError(served.error());
  return cli::kExitOk;
}

// Creates one demo user per role in the generated regions, with fresh random passwords, and
// returns the lines that tell how to sign in. The household user is bound to the first
// household of the demo village, so the registry must be filled first.
Result<std::string> CreateDemoUsers(App& app, const std::vector<regions::Region>& generated,
                                    int64_t& enterprise_id) {
  using access::Role;
  const regions::Region* province = nullptr;
  const regions::Region* county = nullptr;
  const regions::Region* township = nullptr;
  const regions::Region* village = nullptr;
  for (const auto& r : generated) {
    if (!province && r.level == regions::RegionLevel::kProvince) province = &r;
    if (!county && r.level == regions::RegionLevel::kCounty) county = &r;
    if (!township && r.level == regions::RegionLevel::kTownship) township = &r;
    if (!village && r.level == regions::RegionLevel::kVillage) village = &r;
  }
  const audit::Actor actor = cli::CliActor();
  auto enterprise = app.db().Access().CreateOrganization(
      {0, county->name + "示范农业发展有限公司", access::OrgType::kEnterprise, county->code, "", 1},
      actor);
  if (!enterprise) return std::unexpected(enterprise.error());
  enterprise_id = enterprise->id;
  auto social = app.db().Access().CreateOrganization(
      {0, county->name + "乡村振兴促进会", access::OrgType::kSocialOrganization, county->code, "",
       1},
      actor);
  if (!social) return std::unexpected(social.error());
  // The household member's own household: the first of the village by number.
  registry::HouseholdQuery first;
  first.scope = {village->code};
  first.limit = 1;
  auto own = app.db().Registry().ListHouseholds(first);
  if (!own) return std::unexpected(own.error());
  if (own->items.empty()) {
    return FailedPrecondition(fmt::format("the demo village {} has no households", village->code));
  }
  const registry::Household& own_household = own->items.front().household;
  struct DemoUser {
    Role role;
    const regions::Region* region;
    int64_t organization;
    const char* display;
    const char* name = nullptr;  // the role's name unless given
    int64_t household = 0;
  };
  // One user per role, named after it, and a township official ("township") for the review
  // step of monitoring, between the village and the county.
  const DemoUser users[] = {
      {Role::kAdmin, province, 0, "系统管理员"},
      {Role::kOfficial, county, 0, "县扶贫办干部"},
      {Role::kVillage, village, 0, "驻村工作队员"},
      {Role::kEnterprise, county, enterprise->id, "车间企业负责人"},
      {Role::kSocialOrg, county, social->id, "社会组织联络人"},
      {Role::kHousehold, village, 0, "农户代表", nullptr, own_household.id},
      {Role::kEvaluator, county, 0, "第三方评估专家"},
      {Role::kAuditor, county, 0, "审计人员"},
      {Role::kOfficial, township, 0, "乡镇干部", "township"},
  };
  std::string lines = "Sign in with one of these demo users (passwords are new each run):\n";
  for (const DemoUser& u : users) {
    const std::string name = u.name ? u.name : std::string(access::RoleName(u.role));
    const std::string password = "Fp-" + security::RandomHex(5);
    auto created = app.auth().CreateUser(
        {name, u.display, password, {{u.role, u.region->code, u.organization, u.household, ""}}},
        actor);
    if (!created) return std::unexpected(created.error());
    lines += fmt::format("  {:<11} {}   {} @ {} ({}){}\n", name, password, access::RoleName(u.role),
                         u.region->name, u.region->code,
                         u.household ? fmt::format(", household {}", own_household.number) : "");
  }
  return lines;
}

// The last year of the synthetic registry's incomes and statistics.
int DemoLastYear() { return std::min(2024, ChinaDate(std::chrono::system_clock::now()).year - 1); }

// Fills the registry with synthetic households for every generated village, in batches of
// about 20,000 households, each one transaction and one audit entry. Returns the numbers of
// households and people.
Result<std::pair<int64_t, int64_t>> GenerateDemoRegistry(
    App& app, const std::vector<regions::Region>& generated, uint64_t seed, int per_village) {
  registry::SyntheticOptions options;
  options.seed = seed;
  options.households_per_village = per_village;
  options.last_year = DemoLastYear();
  options.age_year = ChinaDate(std::chrono::system_clock::now()).year;
  std::vector<registry::HouseholdRecord> pending;
  int64_t households = 0;
  int64_t people = 0;
  const audit::Actor actor = cli::CliActor();
  auto flush = [&]() -> Status {
    if (pending.empty()) return {};
    auto saved =
        app.db().Registry().SaveHouseholds(pending, actor, "fupin demo: synthetic registry");
    if (!saved) return std::unexpected(saved.error());
    pending.clear();
    return {};
  };
  auto done = registry::GenerateRegistry(
      generated, options, [&](std::vector<registry::HouseholdRecord>&& batch) -> Status {
        for (auto& r : batch) {
          ++households;
          people += static_cast<int64_t>(r.members.size());
          pending.push_back(std::move(r));
        }
        if (pending.size() >= 20000) return flush();
        return {};
      });
  if (!done) return std::unexpected(done.error());
  FUPIN_TRY(flush());
  return std::pair{households, people};
}

// Indicators an office of the demo county declared (the catalogue's module "declared"): one of
// each source, so that the 指标库 page shows what declarations look like and what they give.
constexpr std::string_view kDemoCollectiveIncome = "village_collective_income";
constexpr std::string_view kDemoPoorPerStaff = "poor_people_per_assistance_staff";

Status DeclareDemoIndicators(App& app) {
  const audit::Actor actor = cli::CliActor();
  auto declare = [&](std::string code, std::string zh, std::string en, std::string unit,
                     indicators::Direction direction, indicators::Source source,
                     std::optional<indicators::Formula> formula, std::string definition_zh,
                     std::string definition_en) -> Status {
    indicators::Indicator i;
    i.code = std::move(code);
    i.zh = std::move(zh);
    i.en = std::move(en);
    i.unit = std::move(unit);
    i.direction = direction;
    i.source = source;
    i.aggregation = formula ? indicators::Aggregation::kRatioOfSums
                    : source == indicators::Source::kSurveyed
                        ? indicators::Aggregation::kMeanOfAnswers
                        : indicators::Aggregation::kSum;
    i.formula = std::move(formula);
    i.definition_zh = std::move(definition_zh);
    i.definition_en = std::move(definition_en);
    auto declared = app.indicators().Declare(std::move(i), actor);
    if (!declared) return std::unexpected(declared.error());
    return {};
  };
  FUPIN_TRY(declare(
      std::string(kDemoCollectiveIncome), "村集体经济收入", "Village collective income",
      "ten_thousand_yuan", indicators::Direction::kHigherBetter, indicators::Source::kEntered,
      std::nullopt, "村集体经营性收入（万元），由乡镇农经站按年填报；消除集体经济“空壳村”的依据。",
      "Operating income of the village collective (10,000 yuan), reported yearly "
      "by the township's rural-economy station; the basis for ending villages "
      "without collective income."));
  FUPIN_TRY(declare(std::string(kDemoPoorPerStaff), "每名帮扶干部联系贫困人口",
                    "Poor people per assistance cadre", "none", indicators::Direction::kLowerBetter,
                    indicators::Source::kComputed,
                    indicators::Formula{std::string(indicators::kPoorPeople),
                                        std::string(indicators::kAssistanceStaff), 1},
                    "年末贫困人口 / 帮扶干部人数：帮扶力量是否与贫困规模相称。",
                    "Poor people at year end / assistance staff: whether the assistance force "
                    "matches the poverty it works on."));
  return declare(std::string(kDemoWorkshopSatisfaction), "周边农户对扶贫车间满意度",
                 "Nearby farmers' satisfaction with workshops", "score",
                 indicators::Direction::kHigherBetter, indicators::Source::kSurveyed, std::nullopt,
                 "问卷中周边农户对扶贫车间总体评价和工资待遇两题的平均得分（5 分制）。",
                 "Mean score (out of 5) of nearby farmers' answers on the workshop overall and "
                 "its wages in the workshop satisfaction survey.");
}

// Enters a synthetic rural population (农村人口) for every village and year from 2014 to
// `last_year`, so that poverty incidence means something in the demo: the village's largest
// number of registered people over those years divided by a registered share drawn per
// village from 18–35 %, shrinking by 0.8 % a year (people moving to towns), and the funds and
// staff of poverty alleviation (assistance_funds, assistance_staff). Deterministic:
// the same registry and seed give the same figures. One audited batch.
Status GenerateDemoStatistics(App& app, uint64_t seed, int last_year) {
  constexpr int kFirstYear = 2014;
  auto cube = app.indicators().Cube();
  if (!cube) return std::unexpected(cube.error());
  const auto people = indicators::RegistryCube::MeasureOf(indicators::kPeople);
  std::vector<double> most((*cube)->nodes().size(), 0);
  for (int year = kFirstYear; year <= last_year; ++year) {
    auto totals = (*cube)->Compute(indicators::YearPeriod(year), app.indicators().thresholds());
    for (size_t n = 0; n < most.size(); ++n) {
      most[n] = std::max(most[n], totals->Get(static_cast<int32_t>(n), *people));
    }
  }
  std::vector<indicators::EnteredValue> values;
  const std::string note = fmt::format(
      "fupin demo --seed {}: synthetic rural population, funds, staff and collective "
      "income",
      seed);
  for (size_t n = 0; n < most.size(); ++n) {
    const auto& node = (*cube)->nodes()[n];
    if (node.level != regions::RegionLevel::kVillage || most[n] == 0) continue;
    uint64_t code_hash = 0xcbf29ce484222325ULL;  // FNV-1a: the same on every platform
    for (unsigned char c : node.code) code_hash = (code_hash ^ c) * 0x100000001b3ULL;
    Rng rng(seed ^ code_hash);
    const double share = 0.18 + 0.17 * rng.NextDouble();
    for (int year = kFirstYear; year <= last_year; ++year) {
      const double shrink = 1.0 - 0.008 * (year - kFirstYear);
      values.push_back({std::string(indicators::kRuralPopulation), node.code, std::to_string(year),
                        std::round(most[n] / share * shrink), note, "", ""});
    }
    // Assistance funds and staff (the DEA inputs of the township evaluation): about 1,500–
    // 3,500 yuan per registered person a year, to the hundred, and 2–5 cadres per village
    // plus one per 150 registered people; each village's own intensity drawn once.
    const double per_person = 1500 + 2000 * rng.NextDouble();
    const int base_staff = 2 + static_cast<int>(rng.NextDouble() * 4);
    // Collective income (万元, declared): none in about a third of the villages at first
    // (空壳村), growing 15–40 % a year from a 0.5–8 start from the year a village has one.
    const int first_income_year = kFirstYear + static_cast<int>(rng.NextDouble() * 5);
    double collective = 0.5 + 7.5 * rng.NextDouble();
    const double growth = 1.15 + 0.25 * rng.NextDouble();
    for (int year = kFirstYear; year <= last_year; ++year) {
      const bool has = year >= first_income_year;
      values.push_back({std::string(kDemoCollectiveIncome), node.code, std::to_string(year),
                        has ? std::round(collective * 100) / 100 : 0.0, note, "", ""});
      if (has) collective *= growth;
    }
    for (int year = kFirstYear; year <= last_year; ++year) {
      const double drift = 1.0 + 0.05 * (rng.NextDouble() - 0.5);
      values.push_back({std::string(indicators::kAssistanceFunds), node.code, std::to_string(year),
                        std::round(most[n] * per_person * drift / 100) * 100, note, "", ""});
      values.push_back({std::string(indicators::kAssistanceStaff), node.code, std::to_string(year),
                        static_cast<double>(base_staff + static_cast<int>(most[n] / 150)), note, "",
                        ""});
    }
  }
  if (values.empty()) return {};
  auto saved = app.db().Indicators().SaveEnteredValues(values, cli::CliActor(), note);
  if (!saved) return std::unexpected(saved.error());
  return {};
}

// Removes an SQLite database file and its WAL companions.
void RemoveSqliteFiles(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(path + suffix, ec);
  }
}

}  // namespace

void AddServeCommand(CLI::App& root, CommandContext& ctx) {
  auto* cmd = root.add_subcommand(
      "serve",
      "Run the web application: the JSON API under /api/v1 and the web UI at /. "
      "Applies pending migrations on start; stops gracefully on SIGINT/SIGTERM.");
  auto db = std::make_shared<cli::DatabaseOption>(*cmd);
  auto listen = std::make_shared<ListenFlags>();
  listen->Add(*cmd);
  cmd->callback([&ctx, db, listen] {
    ctx.action = [&ctx, db, listen]() -> int {
      auto options = listen->Resolve(ctx);
      if (!options) return ReportError(options.error());
      auto thresholds = cli::IncomeThresholdsSetting(ctx);
      if (!thresholds) return ReportError(thresholds.error());
      auto opened = db->Open(ctx, /*migrate=*/true);
      if (!opened) return ReportError(opened.error());
      App app(std::move(*opened), /*secure_cookies=*/!options->tls_cert.empty(), *thresholds);
      return RunServer(app, *options, "");
    };
  });
}

void AddDemoCommand(CLI::App& root, CommandContext& ctx) {
  auto* cmd = root.add_subcommand(
      "demo",
      "(Re)create a database filled with deterministic synthetic data (all regions under code "
      "99, flagged synthetic) and serve it. An existing database that is not a fupin demo is "
      "only replaced with --force.");
  auto db = std::make_shared<cli::DatabaseOption>(*cmd, "sqlite:demo.db");
  auto listen = std::make_shared<ListenFlags>();
  listen->Add(*cmd);
  struct Options {
    bool no_serve = false;
    bool force = false;
    std::string scale = "county";
    uint64_t seed = 20201;
    int households_per_village = 50;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_flag("--no-serve", opts->no_serve, "create the database and exit");
  cmd->add_option("--households-per-village", opts->households_per_village,
                  "mean number of synthetic households per village (default 50)")
      ->check(CLI::Range(1, 1000));
  cmd->add_flag("--force", opts->force, "replace a database that is not a fupin demo");
  cmd->add_option("--scale", opts->scale, "county (default) or province")
      ->check(CLI::IsMember({"county", "province"}));
  cmd->add_option("--seed", opts->seed, "random seed; the same seed gives the same data")
      ->capture_default_str();
  cmd->callback([&ctx, db, listen, opts] {
    ctx.action = [&ctx, db, listen, opts]() -> int {
      auto options = listen->Resolve(ctx);
      if (!options) return ReportError(options.error());
      auto url = db->Url(ctx);
      if (!url) return ReportError(url.error());
      auto scale = regions::ParseDemoScale(opts->scale);
      if (!scale) return ReportError(scale.error());

      // Is there a database, and is it a demo we may replace?
      bool exists = true;
      if (url->backend == storage::Backend::kSqlite) {
        std::error_code ec;
        exists = std::filesystem::exists(url->target, ec);
      }
      if (exists) {
        auto existing = storage::OpenDatabase(*url);
        if (!existing) return ReportError(existing.error());
        auto tables = (*existing)->TableCount();
        if (!tables) return ReportError(tables.error());
        if (*tables > 0 && !opts->force) {
          auto demo = (*existing)->GetMeta("demo");
          if (!demo || demo->value_or("") != "1") {
            return ReportError(
                FailedPrecondition(fmt::format("{} exists and is not a fupin demo database; use "
                                               "--force to replace it",
                                               url->Redacted()))
                    .error());
          }
        }
        if (url->backend == storage::Backend::kSqlite) {
          existing->reset();  // close every connection before deleting the files
          RemoveSqliteFiles(url->target);
        } else if (auto wiped = (*existing)->DropAllTables(); !wiped) {
          return ReportError(wiped.error());
        }
      }

      auto thresholds = cli::IncomeThresholdsSetting(ctx);
      if (!thresholds) return ReportError(thresholds.error());
      auto opened = db->Open(ctx, /*migrate=*/true);
      if (!opened) return ReportError(opened.error());
      App app(std::move(*opened), /*secure_cookies=*/false, *thresholds);
      const auto generated = regions::GenerateRegions(*scale, opts->seed);
      auto stored = app.regions().Store(
          generated, cli::CliActor(),
          fmt::format("fupin demo --scale {} --seed {}", opts->scale, opts->seed));
      if (!stored) return ReportError(stored.error());
      for (const auto& [key, value] : {std::pair<std::string, std::string>{"demo", "1"},
                                       {"demo_scale", std::string(regions::DemoScaleName(*scale))},
                                       {"demo_seed", std::to_string(opts->seed)}}) {
        if (auto s = app.db().SetMeta(key, value); !s) return ReportError(s.error());
      }
      auto households =
          GenerateDemoRegistry(app, generated, opts->seed, opts->households_per_village);
      if (!households) return ReportError(households.error());
      int64_t enterprise = 0;
      auto logins = CreateDemoUsers(app, generated, enterprise);
      if (!logins) return ReportError(logins.error());
      // Synthetic boundaries for the dashboard's map, flagged as such.
      const auto boundaries = regions::GenerateSyntheticBoundaries(generated);
      auto mapped = app.db().Boundaries().Save(boundaries, cli::CliActor(),
                                               "fupin demo: synthetic boundaries");
      if (!mapped) return ReportError(mapped.error());
      if (auto s = DeclareDemoIndicators(app); !s) return ReportError(s.error());
      if (auto s = GenerateDemoStatistics(app, opts->seed, DemoLastYear()); !s) {
        return ReportError(s.error());
      }
      auto cases = GenerateDemoMonitoring(app.db().Monitoring(), app.db().Registry(),
                                          app.db().Audit(), app.db().Regions(), generated,
                                          ChinaDate(std::chrono::system_clock::now()));
      if (!cases) return ReportError(cases.error());
      auto workshops = GenerateDemoWorkshops(
          app.db().Workshops(), app.db().Access(), app.db().Registry(), generated, boundaries,
          enterprise, opts->seed, ChinaDate(std::chrono::system_clock::now()));
      if (!workshops) return ReportError(workshops.error());
      auto subsidies = GenerateDemoSubsidies(app.subsidies(), generated);
      if (!subsidies) return ReportError(subsidies.error());
      auto project_counts = GenerateDemoProjects(app.projects(), app.db().Registry(), generated,
                                                 ChinaDate(std::chrono::system_clock::now()));
      if (!project_counts) return ReportError(project_counts.error());
      auto fund_counts = GenerateDemoFunds(app.funds(), app.projects(), generated,
                                           ChinaDate(std::chrono::system_clock::now()));
      if (!fund_counts) return ReportError(fund_counts.error());
      auto goals = GenerateDemoGoals(app.goals(), app.indicators(), generated);
      if (!goals) return ReportError(goals.error());
      auto evaluation = GenerateDemoEvaluation(
          app.auth(), app.systems(), app.surveys(), app.db().Evaluation(), app.runs(),
          app.rectification(), generated, opts->seed, ChinaDate(std::chrono::system_clock::now()));
      if (!evaluation) return ReportError(evaluation.error());
      auto counts = app.regions().CountByLevel("");
      if (!counts) return ReportError(counts.error());
      const std::string banner = fmt::format(
          "Demo database {} (synthetic {} scale, seed {}): provinces {}, cities {}, counties {}, "
          "townships {}, villages {}; households {}, people {}; monitoring cases {} ({} "
          "overdue); workshops {} ({} employments, {} monthly reports); the 2020 labour subsidy "
          "run ({} lines, {} approved, {} payments); projects {} ({} in progress, {} "
          "versions); fund batches {} ({} allocations, {} payments); goals {}; indicator systems "
          "{} "
          "({} expert judgments), questionnaires {} ({} responses), evaluation runs {} (the "
          "workshop project: {:.2f}, {}), rectification tasks {}.\n{}",
          url->Redacted(), opts->scale, opts->seed, (*counts)[0], (*counts)[1], (*counts)[2],
          (*counts)[3], (*counts)[4], households->first, households->second, cases->cases,
          cases->overdue, workshops->workshops, workshops->employments, workshops->reports,
          subsidies->lines, subsidies->approved, subsidies->payments, project_counts->projects,
          project_counts->in_progress, project_counts->versions, fund_counts->batches,
          fund_counts->allocations, fund_counts->payments, *goals, evaluation->systems,
          evaluation->judgments, evaluation->questionnaires, evaluation->responses,
          evaluation->runs, evaluation->score, evaluation->grade, evaluation->tasks, *logins);
      if (opts->no_serve) {
        fmt::print("{}", banner);
        return cli::kExitOk;
      }
      return RunServer(app, *options, banner);
    };
  });
}

}  // namespace fupin::app
