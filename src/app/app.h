// The composition root: opens the database, builds the services and the HTTP router, and
// runs the server. Owns everything it builds; services get references to what they use.
// Thread-safety: build on one thread, then the server's threads use the services.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "access/auth_service.h"
#include "base/error.h"
#include "base/time.h"
#include "evaluation/rectification_service.h"
#include "evaluation/run_service.h"
#include "evaluation/survey_measures.h"
#include "evaluation/survey_service.h"
#include "evaluation/system_service.h"
#include "funds/fund_measures.h"
#include "funds/fund_service.h"
#include "goals/goal_service.h"
#include "http/router.h"
#include "http/server.h"
#include "indicators/indicator_service.h"
#include "indicators/registry_indicators.h"
#include "indicators/workshop_indicators.h"
#include "monitoring/monitoring_service.h"
#include "projects/project_outputs.h"
#include "projects/project_service.h"
#include "regions/region_service.h"
#include "registry/import_jobs.h"
#include "registry/importer.h"
#include "registry/registry_service.h"
#include "storage/database.h"
#include "workshops/subsidy_service.h"
#include "workshops/workshop_service.h"

namespace fupin::app {

class App {
 public:
  // Takes an open, migrated database. `secure_cookies` marks the session cookie Secure;
  // `thresholds` are the per-year income thresholds of the indicators.
  explicit App(std::unique_ptr<storage::Database> db, bool secure_cookies = false,
               indicators::IncomeThresholds thresholds = indicators::IncomeThresholds::Defaults());

  storage::Database& db() { return *db_; }
  regions::RegionService& regions() { return regions_; }
  access::AuthService& auth() { return auth_; }
  registry::RegistryService& registry() { return registry_; }
  indicators::IndicatorService& indicators() { return indicators_; }
  monitoring::MonitoringService& monitoring() { return monitoring_; }
  workshops::SubsidyService& subsidies() { return subsidies_; }
  projects::ProjectService& projects() { return projects_; }
  goals::GoalService& goals() { return goals_; }
  funds::FundService& funds() { return funds_; }
  evaluation::SystemService& systems() { return systems_; }
  evaluation::RunService& runs() { return runs_; }
  evaluation::SurveyService& surveys() { return surveys_; }
  evaluation::RectificationService& rectification() { return rectification_; }
  const http::Router& router() const { return router_; }

  // Serves until SIGINT or SIGTERM, then finishes in-flight requests and returns.
  // `on_listening` is called with the bound port once the server accepts connections.
  Status Serve(const http::ServerOptions& options,
               const std::function<void(int port)>& on_listening);

 private:
  std::unique_ptr<storage::Database> db_;
  SystemClock clock_;
  regions::RegionService regions_;
  access::AuthService auth_;
  registry::RegistryService registry_;
  registry::RegistryImporter importer_;
  monitoring::MonitoringService monitoring_;
  // Declared after everything its jobs use, so that it is destroyed (jobs joined) first.
  registry::ImportJobs import_jobs_;
  indicators::Catalogue catalogue_;  // built in, and what users declared (indicators_)
  indicators::WorkshopMeasures workshop_measures_;  // a source of indicators_
  indicators::IndicatorService indicators_;
  workshops::WorkshopService workshops_;
  workshops::SubsidyService subsidies_;
  projects::ProjectService projects_;
  projects::ProjectOutputs project_outputs_;
  goals::GoalService goals_;
  funds::FundService funds_;
  funds::FundMeasures fund_measures_;
  evaluation::SystemService systems_;
  evaluation::SurveyService surveys_;
  evaluation::SurveyMeasures survey_measures_;  // a source of indicators_
  evaluation::RunService runs_;
  evaluation::RectificationService rectification_;
  http::Router router_;
};

// The directory of the built web UI: `configured` if set, else share/fupin/web next to the
// executable, else the source tree's web/dist (a developer build). "" when none exists.
std::string FindWebRoot(const std::string& configured);

}  // namespace fupin::app
