#include "app/app.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <filesystem>
#include <thread>

#include "http/access_routes.h"
#include "http/monitoring_routes.h"
#include "http/region_routes.h"
#include "http/registry_routes.h"
#include "http/system_routes.h"

namespace fupin::app {

App::App(std::unique_ptr<storage::Database> db, bool secure_cookies)
    : db_(std::move(db)),
      regions_(db_->Regions()),
      auth_(db_->Access(), clock_),
      registry_(db_->Registry(), db_->Audit(), db_->Regions(), clock_),
      importer_(db_->Registry(), db_->Regions(), clock_),
      monitoring_(db_->Monitoring(), db_->Registry(), db_->Audit(), db_->Regions(), clock_),
      import_jobs_(importer_, clock_) {
  http::AddSystemRoutes(
      router_, {std::string(storage::BackendName(db_->backend())), [this] { return db_->Ping(); }});
  http::AddAccessRoutes(router_, auth_, db_->Access(), db_->Audit(), {secure_cookies});
  http::AddRegionRoutes(router_, regions_);
  http::AddRegistryRoutes(router_, registry_, import_jobs_);
  http::AddMonitoringRoutes(router_, monitoring_);
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
  on_listening(server.port());
  Status result = server.Run();
  // If the server ended on its own, wake the waiter.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
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
