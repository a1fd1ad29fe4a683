#include "app/app.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "http/access_routes.h"
#include "http/evaluation_routes.h"
#include "http/fund_routes.h"
#include "http/goal_routes.h"
#include "http/indicator_routes.h"
#include "http/monitoring_routes.h"
#include "http/project_routes.h"
#include "http/quality_routes.h"
#include "http/rectification_routes.h"
#include "http/region_routes.h"
#include "http/registry_routes.h"
#include "http/report_routes.h"
#include "http/subsidy_routes.h"
#include "http/survey_routes.h"
#include "http/system_routes.h"
#include "http/workshop_routes.h"
#include "registry/registry_repository.h"

namespace fupin::app {
namespace {

// The catalogue of this build; a failure is a bug in a module's registrations.
indicators::Catalogue Catalogue() {
  auto catalogue = indicators::StandardCatalogue();
  if (!catalogue) throw std::logic_error("indicator catalogue: " + catalogue.error().message);
  return std::move(*catalogue);
}

}  // namespace

App::App(std::unique_ptr<storage::Database> db, bool secure_cookies,
         indicators::IncomeThresholds thresholds)
    : db_(std::move(db)),
      regions_(db_->Regions()),
      auth_(db_->Access(), clock_),
      registry_(db_->Registry(), db_->Audit(), db_->Regions(), clock_),
      importer_(db_->Registry(), db_->Regions(), clock_),
      monitoring_(db_->Monitoring(), db_->Registry(), db_->Audit(), db_->Regions(), clock_),
      import_jobs_(importer_, clock_),
      catalogue_(Catalogue()),
      workshop_measures_(db_->Workshops()),
      indicators_(catalogue_, db_->Indicators(), db_->Regions(), std::move(thresholds), clock_),
      workshops_(db_->Workshops(), db_->Registry()),
      subsidies_(db_->Subsidies(), workshops_, clock_),
      projects_(db_->Projects(), db_->Regions(), clock_),
      project_outputs_(db_->Projects(), db_->Regions()),
      goals_(db_->Goals(), indicators_, clock_),
      funds_(db_->Funds(), db_->Projects(), db_->Regions(), clock_),
      fund_measures_(funds_, db_->Projects()),
      systems_(db_->Evaluation(), catalogue_),
      surveys_(db_->Evaluation(), systems_, db_->Regions()),
      survey_measures_(db_->Evaluation(), catalogue_),
      runs_(db_->Evaluation(), systems_, indicators_, surveys_),
      rectification_(db_->Evaluation(), runs_, clock_) {
  indicators_.AddSource(workshop_measures_);
  indicators_.AddSource(fund_measures_);
  indicators_.AddSource(survey_measures_);
  // Where a declared indicator is used, so that it is not removed from under its users.
  indicators_.AddUseFinder(
      [this](std::string_view code) { return evaluation::IndicatorUses(db_->Evaluation(), code); });
  indicators_.AddUseFinder([this](std::string_view code) -> Result<std::vector<std::string>> {
    auto goals = db_->Goals().ListGoals({{""}, "", std::string(code)});
    if (!goals) return std::unexpected(goals.error());
    std::vector<std::string> uses;
    for (const goals::Goal& g : *goals) {
      uses.push_back(fmt::format("goal {} for region {}", g.id, g.region_code));
    }
    return uses;
  });
  goals_.SetOutputs(project_outputs_);
  http::AddSystemRoutes(
      router_, {std::string(storage::BackendName(db_->backend())), [this] { return db_->Ping(); }});
  http::AddAccessRoutes(router_, auth_, db_->Access(), db_->Audit(), {secure_cookies});
  http::AddRegionRoutes(router_, regions_, db_->Boundaries());
  http::AddRegistryRoutes(router_, registry_, import_jobs_);
  http::AddQualityRoutes(router_, registry_);
  http::AddIndicatorRoutes(router_, indicators_, clock_);
  http::AddMonitoringRoutes(router_, monitoring_);
  http::AddWorkshopRoutes(router_, workshops_, db_->Workshops(), db_->Access(),
                          indicators_.catalogue(), clock_);
  http::AddSubsidyRoutes(router_, subsidies_);
  http::AddProjectRoutes(router_, projects_);
  http::AddGoalRoutes(router_, goals_);
  http::AddFundRoutes(router_, funds_);
  http::AddEvaluationRoutes(router_, systems_, runs_);
  http::AddSurveyRoutes(router_, surveys_);
  http::AddRectificationRoutes(router_, rectification_);
  http::AddReportRoutes(router_,
                        {runs_, db_->Evaluation(), db_->Regions(), db_->Boundaries(), clock_});
  http::AddRouteIndex(router_);  // last: it lists every route above
}

Status App::Serve(const http::ServerOptions& options,
                  const std::function<void(int port)>& on_listening) {
  // Block the stop signals in this thread before the server starts its workers (they inherit
  // the mask), and wait for them in a dedicated thread: Stop() is not async-signal-safe.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  http::Server server(options, router_, auth_);
  FUPIN_TRY(server.Bind());
  std::thread waiter([&server, stop_signals] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    spdlog::info("received {}, finishing in-flight requests",
                 signal == SIGINT ? "SIGINT" : "SIGTERM");
    server.Stop();
  });
  // Load the indicator cache (and the household list's counts) while the server starts taking
  // requests, so that the first indicator query at province scale does not wait for it
  // (queries meanwhile wait for this load rather than start their own).
  std::thread warm([this] {
    const auto start = std::chrono::steady_clock::now();
    auto cube = indicators_.Cube();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
    if (cube) {
      spdlog::info("indicator cache loaded: {} households in {} ms", (*cube)->household_count(),
                   ms);
    } else {
      spdlog::warn("indicator cache not loaded: {}", cube.error().message);
    }
    // The household list's table of counts (storage/household_counts.h) likewise: one
    // filtered total over the whole registry loads it.
    registry::HouseholdQuery all;
    all.scope = {""};
    all.status = "identified";
    all.limit = 0;
    if (auto listed = db_->Registry().ListHouseholds(all); !listed) {
      spdlog::warn("household list counts not loaded: {}", listed.error().message);
    }
  });
  on_listening(server.port());
  Status result = server.Run();
  // If the server ended on its own, wake the waiter.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  warm.join();
  spdlog::info("server stopped; closing the database");
  return result;
}

std::string FindWebRoot(const std::string& configured) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!configured.empty()) return configured;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = exe.parent_path().parent_path() / "share" / "fupin" / "web";
    if (fs::is_regular_file(installed / "index.html", ec)) return installed.string();
  }
#ifdef FUPIN_SOURCE_WEB_DIST
  if (fs::is_regular_file(fs::path(FUPIN_SOURCE_WEB_DIST) / "index.html", ec)) {
    return FUPIN_SOURCE_WEB_DIST;
  }
#endif
  return "";
}

}  // namespace fupin::app
