// The HTTP API against the real binary: `fupin demo --no-serve` fills a database, then
// `fupin serve --port 0` serves it and the tests talk HTTP to it.
//
//   api_test --backend=sqlite
//   api_test --backend=postgresql   (FUPIN_TEST_PG_URL, see tests/with-postgres)
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "../support/process.h"

namespace fupin {
namespace {

using nlohmann::json;
using test_support::ReadFile;
using test_support::Run;
using test_support::ServerProcess;
using test_support::TempDir;
using test_support::WriteFile;

std::string g_backend = "sqlite";

class ApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    if (g_backend == "sqlite") {
      url_ = "sqlite:" + (*dir_ / "api.db").string();
    } else {
      const char* pg = std::getenv("FUPIN_TEST_PG_URL");
      ASSERT_TRUE(pg && *pg) << "FUPIN_TEST_PG_URL is not set";
      url_ = pg;
    }
    auto demo = test_support::Run({FUPIN_BINARY, "demo", "--db", url_, "--no-serve", "--force"});
    ASSERT_EQ(demo.exit_code, 0) << demo.err;
    // A stand-in web UI build, to check static serving and the history-mode fallback.
    std::filesystem::create_directories(*dir_ / "web" / "assets");
    WriteFile(*dir_ / "web" / "index.html", "<!doctype html><title>fupin test ui</title>");
    WriteFile(*dir_ / "web" / "assets" / "app-1a2b3c.js", "console.log(1)");
    server_ = new ServerProcess({FUPIN_BINARY, "serve", "--db", url_, "--port", "0", "--web-root",
                                 (*dir_ / "web").string()},
                                dir_->path());
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }

  static httplib::Result Get(const std::string& path) {
    httplib::Client client("127.0.0.1", server_->port());
    return client.Get(path);
  }
  static json GetJson(const std::string& path, int expected_status = 200) {
    auto res = Get(path);
    EXPECT_TRUE(res) << path;
    if (!res) return json();
    EXPECT_EQ(res->status, expected_status) << path << ": " << res->body;
    EXPECT_NE(res->get_header_value("Content-Type").find("application/json"), std::string::npos);
    return json::parse(res->body);
  }

  static inline TempDir* dir_ = nullptr;
  static inline std::string url_;
  static inline ServerProcess* server_ = nullptr;
};

TEST_F(ApiTest, HealthNamesTheBackend) {
  const json health = GetJson("/api/v1/health");
  EXPECT_EQ(health["status"], "ok");
  EXPECT_EQ(health["database"], g_backend);
  EXPECT_FALSE(health["version"].get<std::string>().empty());
}

TEST_F(ApiTest, WalksTheTreeFromProvinceToVillage) {
  const json top = GetJson("/api/v1/regions");
  ASSERT_EQ(top["total"], 1);
  json node = top["items"][0];
  EXPECT_EQ(node["level"], "province");
  EXPECT_TRUE(node["synthetic"].get<bool>());
  const char* levels[] = {"city", "county", "township", "village"};
  for (const char* level : levels) {
    ASSERT_GT(node["child_count"].get<int>(), 0) << node.dump();
    const json children =
        GetJson("/api/v1/regions/" + node["code"].get<std::string>() + "/children");
    ASSERT_EQ(children["total"].get<int>(), node["child_count"].get<int>());
    node = children["items"][0];
    EXPECT_EQ(node["level"], level);
    for (const char* key : {"code", "name", "level", "child_count"}) {
      EXPECT_TRUE(node.contains(key)) << key;
    }
  }
  EXPECT_EQ(node["child_count"], 0);
  // The village with its path of ancestors, province first.
  const json village = GetJson("/api/v1/regions/" + node["code"].get<std::string>());
  ASSERT_EQ(village["path"].size(), 4u);
  EXPECT_EQ(village["path"][0]["level"], "province");
  EXPECT_EQ(village["path"][3]["level"], "township");
  EXPECT_EQ(village["parent_code"], village["path"][3]["code"]);
}

TEST_F(ApiTest, SummaryCountsDescendants) {
  const json summary = GetJson("/api/v1/regions/990000000000/summary");
  const json& d = summary["descendants"];
  EXPECT_EQ(d["city"], 1);
  EXPECT_EQ(d["county"], 1);
  EXPECT_EQ(d["township"], 15);
  EXPECT_GT(d["village"].get<int>(), 150);
  EXPECT_FALSE(d.contains("province"));
}

TEST_F(ApiTest, SearchPagesAndSorts) {
  const json page = GetJson(
      "/api/v1/regions/search?region=990121000000&level=village&page=2&page_size=10&sort=-code");
  EXPECT_EQ(page["page"], 2);
  EXPECT_EQ(page["page_size"], 10);
  EXPECT_GT(page["total"].get<int>(), 150);
  ASSERT_EQ(page["items"].size(), 10u);
  EXPECT_GT(page["items"][0]["code"].get<std::string>(),
            page["items"][1]["code"].get<std::string>());
  const json text = GetJson("/api/v1/regions/search?q=%E7%A4%BE%E5%8C%BA");  // 社区
  EXPECT_GT(text["total"].get<int>(), 0);
  for (const auto& item : text["items"]) {
    EXPECT_NE(item["name"].get<std::string>().find("社区"), std::string::npos);
  }
}

TEST_F(ApiTest, ErrorsHaveOneShape) {
  const json unknown = GetJson("/api/v1/regions/990121999999", 404);
  EXPECT_EQ(unknown["error"]["code"], "not_found");
  EXPECT_TRUE(unknown["error"]["details"].is_array());
  const json malformed = GetJson("/api/v1/regions/12345", 400);
  EXPECT_EQ(malformed["error"]["code"], "invalid_argument");
  const json children = GetJson("/api/v1/regions/990121999999/children", 404);
  EXPECT_EQ(children["error"]["code"], "not_found");
  const json endpoint = GetJson("/api/v1/no/such/thing", 404);
  EXPECT_EQ(endpoint["error"]["code"], "not_found");
  const json paging = GetJson("/api/v1/regions/search?page_size=0", 400);
  EXPECT_EQ(paging["error"]["details"][0]["column"], "page_size");
  const json level = GetJson("/api/v1/regions/search?level=hamlet", 400);
  EXPECT_EQ(level["error"]["details"][0]["value"], "hamlet");
  const json flag = GetJson("/api/v1/regions?include_closed=maybe", 400);
  EXPECT_EQ(flag["error"]["code"], "invalid_argument");
}

TEST_F(ApiTest, SecurityHeadersOnEveryResponse) {
  for (const char* path : {"/api/v1/health", "/api/v1/nothing", "/", "/regions/x"}) {
    auto res = Get(path);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff") << path;
    EXPECT_NE(res->get_header_value("Content-Security-Policy").find("frame-ancestors 'none'"),
              std::string::npos)
        << path;
    EXPECT_EQ(res->get_header_value("Content-Security-Policy").find("unsafe-eval"),
              std::string::npos);
  }
}

TEST_F(ApiTest, ServesTheWebUiWithHistoryFallback) {
  auto index = Get("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_NE(index->body.find("fupin test ui"), std::string::npos);
  auto deep = Get("/regions/990121000000");  // a UI route, not a file
  ASSERT_TRUE(deep);
  EXPECT_EQ(deep->status, 200);
  EXPECT_NE(deep->body.find("fupin test ui"), std::string::npos);
  auto asset = Get("/assets/app-1a2b3c.js");
  ASSERT_TRUE(asset);
  EXPECT_EQ(asset->status, 200);
  EXPECT_NE(asset->get_header_value("Cache-Control").find("immutable"), std::string::npos);
  auto api = Get("/api/v1/regions/990121000000/nope");  // API paths never fall back
  ASSERT_TRUE(api);
  EXPECT_EQ(api->status, 404);
}

TEST_F(ApiTest, LogsNamePathsButNeverQueryStrings) {
  GetJson("/api/v1/regions/search?q=SECRET620102199001011234");
  auto res = Get("/api/v1/health");
  ASSERT_TRUE(res);
  const std::string log = server_->Log();
  EXPECT_NE(log.find("GET /api/v1/regions/search 200"), std::string::npos) << log;
  EXPECT_EQ(log.find("SECRET"), std::string::npos);
  EXPECT_EQ(log.find("620102199001011234"), std::string::npos);
}

TEST_F(ApiTest, StopsGracefullyOnSigterm) {
  TempDir dir;
  ServerProcess server({FUPIN_BINARY, "serve", "--db", url_, "--port", "0"}, dir.path());
  httplib::Client client("127.0.0.1", server.port());
  ASSERT_TRUE(client.Get("/api/v1/health"));
  EXPECT_EQ(server.Stop(), 0);
  EXPECT_NE(server.Log().find("server stopped"), std::string::npos);
}

}  // namespace
}  // namespace fupin

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.starts_with("--backend=")) fupin::g_backend = std::string(arg.substr(10));
  }
  return RUN_ALL_TESTS();
}
