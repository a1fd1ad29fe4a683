// The HTTP API against the real binary: `fupin demo --no-serve` fills a database, then
// `fupin serve --port 0` serves it and the tests talk HTTP to it.
//
//   api_test --backend=sqlite
//   api_test --backend=postgresql   (FUPIN_TEST_PG_URL, see tests/with-postgres)
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <thread>

#include "../support/process.h"
#include "registry/id_number.h"
#include "tabular/reader.h"

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
 public:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    if (g_backend == "sqlite") {
      url_ = "sqlite:" + (*dir_ / "api.db").string();
    } else {
      const char* pg = std::getenv("FUPIN_TEST_PG_URL");
      ASSERT_TRUE(pg && *pg) << "FUPIN_TEST_PG_URL is not set";
      url_ = pg;
    }
    auto demo = test_support::Run({FUPIN_BINARY, "demo", "--db", url_, "--no-serve", "--force",
                                   "--households-per-village", "4"});
    ASSERT_EQ(demo.exit_code, 0) << demo.err;
    // A county outside the demo users' regions, for out-of-scope records.
    WriteFile(*dir_ / "outside.csv",
              "code,name,parent_code\n990122000000,测试外县,990100000000\n"
              "990122001000,测试外镇,990122000000\n990122001001,测试外村,990122001000\n");
    auto imported = test_support::Run(
        {FUPIN_BINARY, "import", "regions", (*dir_ / "outside.csv").string(), "--db", url_});
    ASSERT_EQ(imported.exit_code, 0) << imported.err << imported.out;
    // "  admin       Fp-…   admin @ …": the demo prints one user per role.
    const std::regex line(R"(\n  ([a-z_]+) +(Fp-[0-9a-f]+) )");
    for (std::sregex_iterator it(demo.out.begin(), demo.out.end(), line), end; it != end; ++it) {
      passwords_[(*it)[1]] = (*it)[2];
    }
    ASSERT_EQ(passwords_.size(), 9u) << demo.out;  // one per role, and a township official
    // A stand-in web UI build, to check static serving and the history-mode fallback.
    std::filesystem::create_directories(*dir_ / "web" / "assets");
    WriteFile(*dir_ / "web" / "index.html", "<!doctype html><title>fupin test ui</title>");
    WriteFile(*dir_ / "web" / "assets" / "app-1a2b3c.js", "console.log(1)");
    server_ = new ServerProcess({FUPIN_BINARY, "serve", "--db", url_, "--port", "0", "--web-root",
                                 (*dir_ / "web").string()},
                                dir_->path());
    CreateHouseholds();
    CreateCases();
    CreateWorkshops();
    CreateProjects();
    CreateFunds();
    CreateEvaluationSystems();
  }

  // A small indicator system's content: two dimensions, an indicator leaf (households, passing
  // at one or more), an expert leaf and a survey leaf; default weights 0.5 / 0.5.
  static json SmallContent() {
    return {{"grades",
             {{{"name", "优秀"}, {"score", 95}, {"min", 90}},
              {{"name", "良好"}, {"score", 85}, {"min", 80}},
              {{"name", "较好"}, {"score", 75}, {"min", 70}},
              {{"name", "一般"}, {"score", 65}, {"min", 60}},
              {{"name", "较差"}, {"score", 50}, {"min", nullptr}}}},
            {"nodes",
             {{{"key", "root"}, {"parent", ""}, {"name", "总体"}},
              {{"key", "a"}, {"parent", "root"}, {"name", "维度A"}, {"weight", 1}},
              {{"key", "households"},
               {"parent", "a"},
               {"name", "建档立卡户数"},
               {"source", "indicator"},
               {"indicator", "households"},
               {"scoring", {{"rule", "threshold"}, {"threshold", 1}}}},
              {{"key", "b"}, {"parent", "root"}, {"name", "维度B"}, {"weight", 1}},
              {{"key", "review"}, {"parent", "b"}, {"name", "专家评议"}, {"source", "expert"}},
              {{"key", "survey"}, {"parent", "b"}, {"name", "满意度"}, {"source", "survey"}}}}};
  }

  // An indicator system of the demo village and one of the outside county, each from the
  // workshop template and published once; and a run of each, on the small content.
  static void CreateEvaluationSystems() {
    const auto admin = As(Login("admin"));
    for (auto [region, out, run] : {std::tuple{"990121001001", &inside_system_, &inside_run_},
                                    std::tuple{"990122001001", &outside_system_, &outside_run_}}) {
      const json body = {{"name", std::string("测试指标体系") + region},
                         {"region", region},
                         {"template", "workshop_bsc"}};
      auto created = Send("POST", "/api/v1/evaluation/systems", body, admin);
      ASSERT_TRUE(created);
      ASSERT_EQ(created->status, 201) << created->body;
      *out = json::parse(created->body)["id"].get<int64_t>();
      const std::string base = "/api/v1/evaluation/systems/" + std::to_string(*out);
      auto published = Send("POST", base + "/publish", {{"version", 1}, {"note", "v1"}}, admin);
      ASSERT_TRUE(published);
      ASSERT_EQ(published->status, 201) << published->body;
      // The small content as version 2, and a run of it.
      auto patched = Send("PATCH", base, {{"version", 2}, {"draft", SmallContent()}}, admin);
      ASSERT_EQ(patched->status, 200) << patched->body;
      ASSERT_EQ(Send("POST", base + "/publish", {{"version", 3}}, admin)->status, 201);
      const json run_body = {
          {"system_id", *out},
          {"version", 2},
          {"name", "测试评价"},
          {"region", region},
          {"period", "2024"},
          {"objects", {region}},
          {"sensitivity", {{"draws", 50}}},
          {"inputs",
           {{{"object", region}, {"leaf", "review"}, {"responses", {1, 1, 0, 0, 0}}},
            {{"object", region}, {"leaf", "survey"}, {"responses", {0, 0, 3, 0, 0}}}}}};
      auto ran = Send("POST", "/api/v1/evaluation/runs", run_body, admin);
      ASSERT_TRUE(ran);
      ASSERT_EQ(ran->status, 201) << ran->body;
      *run = json::parse(ran->body)["id"].get<int64_t>();
      // Published, with a rectification task.
      const std::string run_path = "/api/v1/evaluation/runs/" + std::to_string(*run);
      ASSERT_EQ(Send("POST", run_path + "/publish", {{"version", 1}}, admin)->status, 200);
      auto task = Send("POST", run_path + "/rectifications",
                       {{"text", "完善帮扶台账"},
                        {"unit", "村委会"},
                        {"person", "张三"},
                        {"deadline", "2099-12-31"}},
                       admin);
      ASSERT_TRUE(task);
      ASSERT_EQ(task->status, 201) << task->body;
      *(region == std::string("990121001001") ? &inside_task_ : &outside_task_) =
          json::parse(task->body)["id"].get<int64_t>();
      // A questionnaire on version 2's survey leaf.
      json questionnaire = SmallQuestionnaire(*out, region);
      questionnaire["system_version"] = 2;
      auto asked = Send("POST", "/api/v1/evaluation/surveys", questionnaire, admin);
      ASSERT_TRUE(asked);
      ASSERT_EQ(asked->status, 201) << asked->body;
      *(region == std::string("990121001001") ? &inside_survey_ : &outside_survey_) =
          json::parse(asked->body)["id"].get<int64_t>();
    }
  }

  // A system of the demo county with the small content (or another), published as version 1.
  static int64_t PublishSmallSystem(const std::string& name, const httplib::Headers& who,
                                    const json& content = SmallContent()) {
    auto created = Send("POST", "/api/v1/evaluation/systems",
                        {{"name", name}, {"region", "990121000000"}}, who);
    EXPECT_EQ(created->status, 201) << created->body;
    const json system = json::parse(created->body);
    const int64_t id = system["id"];
    const std::string base = "/api/v1/evaluation/systems/" + std::to_string(id);
    auto patched = Send("PATCH", base, {{"version", system["version"]}, {"draft", content}}, who);
    EXPECT_EQ(patched->status, 200) << patched->body;
    auto published =
        Send("POST", base + "/publish", {{"version", json::parse(patched->body)["version"]}}, who);
    EXPECT_EQ(published->status, 201) << published->body;
    return id;
  }

  // A five-level satisfaction item (codes 5 … 1) counting towards the five grades.
  static json SatisfactionItem(const std::string& key, const std::string& text,
                               const std::string& leaf) {
    const char* labels[] = {"非常满意", "满意", "一般", "不满意", "非常不满意"};
    const char* grades[] = {"优秀", "良好", "较好", "一般", "较差"};
    json choices = json::array();
    for (int l = 0; l < 5; ++l) {
      choices.push_back({{"code", std::to_string(5 - l)},
                         {"label", labels[l]},
                         {"value", 5 - l},
                         {"grade", grades[l]}});
    }
    return {{"key", key}, {"kind", "likert"}, {"text", text}, {"leaf", leaf}, {"choices", choices}};
  }

  // A questionnaire of the small content's survey leaf: farmers and households asked two
  // satisfaction items feeding the leaf and one that feeds nothing.
  static json SmallQuestionnaire(int64_t system, const std::string& region) {
    json unscored = SatisfactionItem("q3", "您对村里道路的满意度", "");
    unscored["required"] = false;
    return {{"name", "满意度调查"},
            {"region", region},
            {"system_id", system},
            {"period", "2024"},
            {"groups", {"farmer", "household"}},
            {"questions",
             {SatisfactionItem("q1", "您对帮扶工作的总体满意度", "survey"),
              SatisfactionItem("q2", "您对帮扶干部的满意度", "survey"), unscored}},
            {"targets", {{{"group", "farmer"}, {"region", region}, {"target", 3}}}}};
  }

  // A batch of the demo county and one of the outside county, each allocated to the project of
  // its region and paid from once.
  static void CreateFunds() {
    const auto admin = As(Login("admin"));
    for (auto [county, project, batch, allocation, payment] :
         {std::tuple{"990121000000", inside_project_, &inside_batch_, &inside_allocation_,
                     &inside_payment_},
          std::tuple{"990122000000", outside_project_, &outside_batch_, &outside_allocation_,
                     &outside_payment_}}) {
      const json b = {{"source", "central_special"},
                      {"document_number", std::string("测试〔2024〕1号") + county},
                      {"year", 2024},
                      {"level", "central"},
                      {"region", county},
                      {"issued_on", "2024-01-10"},
                      {"amount_fen", 10000000}};
      auto created = Send("POST", "/api/v1/fund-batches", b, admin);
      ASSERT_TRUE(created);
      ASSERT_EQ(created->status, 201) << created->body;
      *batch = json::parse(created->body)["id"].get<int64_t>();
      const json a = {{"batch_id", *batch},
                      {"project_id", project},
                      {"allocated_on", "2024-02-01"},
                      {"amount_fen", 5000000},
                      {"purposes", {{{"purpose", "infrastructure"}, {"amount_fen", 5000000}}}}};
      created = Send("POST", "/api/v1/fund-allocations", a, admin);
      ASSERT_TRUE(created);
      ASSERT_EQ(created->status, 201) << created->body;
      *allocation = json::parse(created->body)["id"].get<int64_t>();
      const json p = {{"allocation_id", *allocation}, {"paid_on", "2024-03-01"},
                      {"payee", "测试建筑公司"},      {"amount_fen", 1000000},
                      {"purpose", "infrastructure"},  {"voucher_number", "记-1"}};
      created = Send("POST", "/api/v1/fund-payments", p, admin);
      ASSERT_TRUE(created);
      ASSERT_EQ(created->status, 201) << created->body;
      *payment = json::parse(created->body)["id"].get<int64_t>();
    }
  }

  // A project's body: a village project with its target table and milestones.
  static json ProjectBody(const std::string& region, const std::string& name) {
    return {{"name", name},
            {"type", "drinking_water"},
            {"region", region},
            {"implementing_unit", "村民委员会"},
            {"person_in_charge", "村支书"},
            {"content", "改造入户管网 3 公里"},
            {"mechanism", "解决脱贫户饮水不稳定问题"},
            {"budget_fen", 30000000},
            {"start_on", "2024-03-01"},
            {"end_on", "2024-09-30"},
            {"targets",
             {{{"category", "output_quantity"},
               {"name", "改造管网"},
               {"unit", "公里"},
               {"target_value", 3}},
              {{"category", "benefit_social"},
               {"name", "饮水达标率"},
               {"unit", "%"},
               {"target_value", 100}},
              {{"category", "satisfaction"},
               {"name", "群众满意度"},
               {"unit", "%"},
               {"target_value", 90}}}},
            {"milestones",
             {{{"name", "管材采购"}, {"planned_on", "2024-04-30"}, {"weight", 30}},
              {{"name", "管网铺设"}, {"planned_on", "2024-09-30"}, {"weight", 70}}}}};
  }

  // A project in the demo village and one in the outside county, both just proposed.
  static void CreateProjects() {
    for (auto [region, out] : {std::pair{"990121001001", &inside_project_},
                               std::pair{"990122001001", &outside_project_}}) {
      auto created =
          Send("POST", "/api/v1/projects",
               ProjectBody(region, std::string("测试饮水工程") + region), As(Login("admin")));
      ASSERT_TRUE(created);
      ASSERT_EQ(created->status, 201) << created->body;
      *out = json::parse(created->body)["id"].get<int64_t>();
    }
  }

  // A workshop in the demo village and one in the outside county, run by a cooperative that
  // is not the demo enterprise user's organization.
  static void CreateWorkshops() {
    const json session = GetJson("/api/v1/session", 200, "enterprise");
    ASSERT_TRUE(session["own_organizations"].contains("workshops.read")) << session.dump();
    enterprise_org_ = session["own_organizations"]["workshops.read"][0].get<int64_t>();
    int64_t other = 0;
    const json organizations = GetJson("/api/v1/organizations");
    for (const auto& o : organizations["items"]) {
      if (o["id"] != enterprise_org_ && o["type"] == "cooperative") other = o["id"];
    }
    ASSERT_GT(other, 0);
    for (auto [region, out] : {std::pair{"990121001001", &inside_workshop_},
                               std::pair{"990122001001", &outside_workshop_}}) {
      const json body = {{"name", std::string("测试车间") + region},
                         {"operator_id", other},
                         {"type", "factory"},
                         {"region", region},
                         {"capacity_jobs", 20},
                         // Applied for only: not counted among the demo's recognized workshops.
                         {"recognitions", {{{"status", "applied"}, {"on", "2019-03-01"}}}},
                         {"status_changes", {{{"status", "operating"}, {"on", "2019-03-01"}}}}};
      auto created = Send("POST", "/api/v1/workshops", body, As(Login("admin")));
      ASSERT_TRUE(created);
      ASSERT_EQ(created->status, 201) << created->body;
      *out = json::parse(created->body)["id"].get<int64_t>();
    }
    // A goal in the demo village and one in the outside county.
    for (auto [region, out] :
         {std::pair{"990121001001", &inside_goal_}, std::pair{"990122001001", &outside_goal_}}) {
      const json body = {{"region", region},
                         {"indicator", "poverty_incidence"},
                         {"baseline", 8.0},
                         {"baseline_date", "2016-01-01"},
                         {"target", 0.5},
                         {"deadline", "2030-12-31"},
                         {"responsible_unit", "村委会"}};
      auto created = Send("POST", "/api/v1/goals", body, As(Login("admin")));
      ASSERT_TRUE(created);
      ASSERT_EQ(created->status, 201) << created->body;
      *out = json::parse(created->body)["id"].get<int64_t>();
    }
  }

  // Two households with known personal data: one in the demo village (inside every demo
  // user's region), entered by the village user, and one in the outside county, by the admin.
  static void CreateHouseholds() {
    auto make = [](const std::string& number, const std::string& region, const Person& head,
                   const Person& spouse, const std::string& phone, const std::string& bank) {
      return json{
          {"number", number},
          {"region", region},
          {"attribute", "一般贫困户"},
          {"main_cause", "因病"},
          {"phone", phone},
          {"bank_account", bank},
          {"year_identified", 2014},
          {"members",
           {{{"name", head.name}, {"id_number", head.id}, {"relation", "户主"}},
            {{"name", spouse.name},
             {"id_number", spouse.id},
             {"relation", "配偶"},
             {"health", "患有大病"}}}},
          {"events",
           {{{"status", "identified"}, {"on", "2014-05-01"}},
            {{"status", "lifted"}, {"on", "2018-12-01"}, {"year", 2018}}}},
          {"incomes", {{{"year", 2018}, {"wages", 9000}, {"transfer", 2000}, {"costs", 1000}}}}};
    };
    auto inside = Send(
        "POST", "/api/v1/households",
        make("T-INSIDE-1", "990121001001", kInsideHead, kInsideSpouse, kInsidePhone, kInsideBank),
        As(Login("village")));
    ASSERT_TRUE(inside);
    ASSERT_EQ(inside->status, 201) << inside->body;
    const json in = json::parse(inside->body);
    inside_household_ = in["id"].get<int64_t>();
    inside_member_ = in["members"][1]["id"].get<int64_t>();
    auto outside = Send("POST", "/api/v1/households",
                        make("T-OUTSIDE-1", "990122001001", kOutsideHead, kOutsideSpouse,
                             "13900001111", "6228480000000001111"),
                        As(Login("admin")));
    ASSERT_TRUE(outside);
    ASSERT_EQ(outside->status, 201) << outside->body;
    const json out = json::parse(outside->body);
    outside_household_ = out["id"].get<int64_t>();
    outside_member_ = out["members"][0]["id"].get<int64_t>();
  }
  // Today in China Standard Time, as the server dates business days.
  static std::string Today() {
    const auto now = std::chrono::system_clock::now() + std::chrono::hours(8);
    const std::chrono::year_month_day d{std::chrono::floor<std::chrono::days>(now)};
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(d.year()),
                  static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
    return text;
  }

  // A monitoring case for each of the two households: a large medical expense reported, and
  // detection run over each village.
  static void CreateCases() {
    for (auto [household, region, out] :
         {std::tuple{inside_household_, "990121001001", &inside_case_},
          std::tuple{outside_household_, "990122001001", &outside_case_}}) {
      auto reported =
          Send("POST", "/api/v1/households/" + std::to_string(household) + "/risk-events",
               {{"kind", "medical_expense"},
                {"amount_fen", 5'200'000},
                {"on", Today()},
                {"note", "住院"}},
               As(Login("admin")));
      ASSERT_TRUE(reported);
      ASSERT_EQ(reported->status, 201) << reported->body;
      auto run =
          Send("POST", "/api/v1/monitoring/detection", {{"region", region}}, As(Login("admin")));
      ASSERT_TRUE(run);
      ASSERT_EQ(run->status, 200) << run->body;
      const json cases = GetJson("/api/v1/monitoring/cases?household=" + std::to_string(household));
      ASSERT_EQ(cases["total"], 1) << cases.dump();
      *out = cases["items"][0]["id"].get<int64_t>();
    }
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }

  struct Session {
    std::string cookie;  // "fupin_session=…"
    std::string csrf;
  };
  static Session Login(const std::string& role) {
    static std::map<std::string, Session> sessions;
    if (auto it = sessions.find(role); it != sessions.end()) return it->second;
    httplib::Client client("127.0.0.1", server_->port());
    const json body = {{"name", role}, {"password", passwords_.at(role)}};
    auto res = client.Post("/api/v1/session", body.dump(), "application/json");
    EXPECT_TRUE(res);
    EXPECT_EQ(res->status, 200) << res->body;
    const std::string set_cookie = res->get_header_value("Set-Cookie");
    EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos);
    Session s{set_cookie.substr(0, set_cookie.find(';')), json::parse(res->body)["csrf_token"]};
    sessions[role] = s;
    return s;
  }
  static httplib::Headers As(const Session& s, bool with_csrf = true) {
    httplib::Headers h = {{"Cookie", s.cookie}};
    if (with_csrf) h.emplace("X-CSRF-Token", s.csrf);
    return h;
  }
  static httplib::Result Get(const std::string& path, const std::string& role = "admin") {
    httplib::Client client("127.0.0.1", server_->port());
    if (role.empty()) return client.Get(path);
    return client.Get(path, As(Login(role), false));
  }
  static httplib::Result Send(const std::string& method, const std::string& path, const json& body,
                              const httplib::Headers& headers) {
    httplib::Client client("127.0.0.1", server_->port());
    if (method == "PATCH") return client.Patch(path, headers, body.dump(), "application/json");
    if (method == "PUT") return client.Put(path, headers, body.dump(), "application/json");
    if (method == "DELETE") return client.Delete(path, headers, body.dump(), "application/json");
    return client.Post(path, headers, body.dump(), "application/json");
  }
  static json GetJson(const std::string& path, int expected_status = 200,
                      const std::string& role = "admin") {
    auto res = Get(path, role);
    EXPECT_TRUE(res) << path;
    if (!res) return json();
    EXPECT_EQ(res->status, expected_status) << path << ": " << res->body;
    EXPECT_NE(res->get_header_value("Content-Type").find("application/json"), std::string::npos);
    return json::parse(res->body);
  }

  struct Person {
    std::string name;
    std::string id;
  };
  // Synthetic ID numbers (the 99 range) with valid check characters.
  static std::string Id(const std::string& first17) {
    return first17 + registry::IdNumberCheckCharacter(first17);
  }
  static inline const Person kInsideHead{"O'Brien\"; DROP TABLE households; -- 王",
                                         Id("99012119700101001")};
  static inline const Person kInsideSpouse{"李秀英", Id("99012119720202002")};
  static inline const Person kOutsideHead{"外县户主", Id("99012219600303003")};
  static inline const Person kOutsideSpouse{"外县配偶", Id("99012219610404004")};
  static inline const std::string kInsidePhone = "13812345678";
  static inline const std::string kInsideBank = "6228480012345678901";
  static inline int64_t inside_household_ = 0;
  static inline int64_t inside_member_ = 0;  // the spouse, with a health condition
  static inline int64_t outside_household_ = 0;
  static inline int64_t outside_member_ = 0;
  static inline int64_t inside_case_ = 0;  // monitoring cases of the two households
  static inline int64_t outside_case_ = 0;
  static inline int64_t inside_workshop_ = 0;  // run by a cooperative, not the enterprise's
  static inline int64_t outside_workshop_ = 0;
  static inline int64_t enterprise_org_ = 0;
  static inline int64_t inside_project_ = 0;   // proposed, in the demo village
  static inline int64_t outside_project_ = 0;  // the demo enterprise user's organization
  static inline int64_t inside_batch_ = 0;     // of the demo county (seen by its villages)
  static inline int64_t outside_batch_ = 0;
  static inline int64_t inside_allocation_ = 0;
  static inline int64_t outside_allocation_ = 0;
  static inline int64_t inside_payment_ = 0;
  static inline int64_t outside_payment_ = 0;
  static inline int64_t inside_goal_ = 0;
  static inline int64_t outside_goal_ = 0;
  static inline int64_t inside_system_ = 0;
  static inline int64_t outside_system_ = 0;
  static inline int64_t inside_run_ = 0;
  static inline int64_t inside_survey_ = 0;
  static inline int64_t inside_task_ = 0;
  static inline int64_t outside_task_ = 0;
  static inline int64_t outside_survey_ = 0;
  static inline int64_t outside_run_ = 0;

  static inline TempDir* dir_ = nullptr;
  static inline std::string url_;
  static inline ServerProcess* server_ = nullptr;
  static inline std::map<std::string, std::string> passwords_;
};

TEST_F(ApiTest, HealthNamesTheBackend) {
  const json health = GetJson("/api/v1/health", 200, "");  // anonymous
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
  EXPECT_EQ(d["county"], 2);     // the demo county and the fixture's outside county
  EXPECT_EQ(d["township"], 16);  // 15 demo townships and the outside one
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
    auto res = Get(path, "");
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
  auto index = Get("/", "");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_NE(index->body.find("fupin test ui"), std::string::npos);
  auto deep = Get("/regions/990121000000", "");  // a UI route, not a file
  ASSERT_TRUE(deep);
  EXPECT_EQ(deep->status, 200);
  EXPECT_NE(deep->body.find("fupin test ui"), std::string::npos);
  auto asset = Get("/assets/app-1a2b3c.js", "");
  ASSERT_TRUE(asset);
  EXPECT_EQ(asset->status, 200);
  EXPECT_NE(asset->get_header_value("Cache-Control").find("immutable"), std::string::npos);
  auto api = Get("/api/v1/regions/990121000000/nope");  // API paths never fall back
  ASSERT_TRUE(api);
  EXPECT_EQ(api->status, 404);
}

TEST_F(ApiTest, LogsNamePathsButNeverQueryStrings) {
  GetJson("/api/v1/regions/search?q=SECRET620102199001011234");
  auto res = Get("/api/v1/health", "");
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

TEST_F(ApiTest, EverythingButHealthAndSignInNeedsASession) {
  for (const char* path : {"/api/v1/regions", "/api/v1/regions/990000000000", "/api/v1/users",
                           "/api/v1/audit", "/api/v1/session"}) {
    auto res = Get(path, "");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401) << path;
    EXPECT_EQ(json::parse(res->body)["error"]["code"], "unauthenticated");
  }
  httplib::Client client("127.0.0.1", server_->port());
  auto forged = client.Get("/api/v1/regions", {{"Cookie", "fupin_session=0123456789abcdef"}});
  EXPECT_EQ(forged->status, 401);
}

TEST_F(ApiTest, SessionSaysWhoAndWhatTheyMayDo) {
  const json admin = GetJson("/api/v1/session");
  EXPECT_EQ(admin["user"]["name"], "admin");
  EXPECT_EQ(admin["permissions"]["users.write"], json::array({""}));
  EXPECT_FALSE(admin["csrf_token"].get<std::string>().empty());
  const json official = GetJson("/api/v1/session", 200, "official");
  EXPECT_EQ(official["permissions"]["regions.read"], json::array({"990121000000"}));
  EXPECT_FALSE(official["permissions"].contains("users.read"));
  EXPECT_EQ(official.dump().find("password"), std::string::npos);
}

TEST_F(ApiTest, RolesAreEnforcedByTheMatrix) {
  EXPECT_EQ(GetJson("/api/v1/users", 403, "official")["error"]["code"], "permission_denied");
  const json users = GetJson("/api/v1/users");
  EXPECT_EQ(users["total"], 14);  // the nine sign-in users and the five evaluation experts
  EXPECT_EQ(users.dump().find("argon2"), std::string::npos);  // never a hash
  EXPECT_EQ(GetJson("/api/v1/audit", 403, "official")["error"]["code"], "permission_denied");
  const auto rename = Send("PATCH", "/api/v1/regions/990121001001", {{"name", "x"}, {"version", 1}},
                           As(Login("official")));
  EXPECT_EQ(rename->status, 403);
}

TEST_F(ApiTest, WritesNeedTheCsrfTokenAndTheCurrentVersion) {
  const std::string path = "/api/v1/regions/990121001002";
  const json before = GetJson(path);
  const int64_t version = before["version"];
  // The cookie alone is not enough for a state-changing request.
  auto no_csrf =
      Send("PATCH", path, {{"name", "改名村"}, {"version", version}}, As(Login("admin"), false));
  EXPECT_EQ(no_csrf->status, 403);
  EXPECT_NE(no_csrf->body.find("CSRF"), std::string::npos);
  auto renamed =
      Send("PATCH", path, {{"name", "改名村"}, {"version", version}}, As(Login("admin")));
  ASSERT_EQ(renamed->status, 200) << renamed->body;
  EXPECT_EQ(json::parse(renamed->body)["version"], version + 1);
  auto stale = Send("PATCH", path, {{"name", "又改名"}, {"version", version}}, As(Login("admin")));
  EXPECT_EQ(stale->status, 409);
  EXPECT_EQ(json::parse(stale->body)["error"]["current_version"], version + 1);
  auto missing = Send("PATCH", path, {{"name", "又改名"}}, As(Login("admin")));
  EXPECT_EQ(missing->status, 400);
  EXPECT_EQ(json::parse(missing->body)["error"]["details"][0]["column"], "version");
  // The change is in the audit log, visible to the county's auditor.
  const json log = GetJson("/api/v1/audit?entity=region&entity_id=990121001002", 200, "auditor");
  ASSERT_GE(log["total"].get<int>(), 1);
  EXPECT_EQ(log["items"][0]["actor"], "admin");
  EXPECT_EQ(log["items"][0]["changes"][0]["after"], "改名村");
  EXPECT_TRUE(GetJson("/api/v1/audit/verify")["ok"].get<bool>());
}

TEST_F(ApiTest, AuditorsSeeOnlyTheirRegion) {
  // The demo's user creations belong to no region: only readers who see everything get them.
  const json all = GetJson("/api/v1/audit?entity=user");
  EXPECT_EQ(all["total"], 14);  // the nine sign-in users and the five evaluation experts
  const json county = GetJson("/api/v1/audit?entity=user", 200, "auditor");
  EXPECT_EQ(county["total"], 0);
}

TEST_F(ApiTest, ApiTokensWorkWithoutCookiesOrCsrf) {
  auto created = Send("POST", "/api/v1/tokens", {{"name", "script"}}, As(Login("admin")));
  ASSERT_EQ(created->status, 201) << created->body;
  const std::string token = json::parse(created->body)["token"];
  httplib::Client client("127.0.0.1", server_->port());
  const httplib::Headers bearer = {{"Authorization", "Bearer " + token}};
  auto read = client.Get("/api/v1/regions/990121000000", bearer);
  EXPECT_EQ(read->status, 200);
  const json region = json::parse(read->body);
  auto renamed = client.Patch("/api/v1/regions/990121000000", bearer,
                              json{{"name", region["name"]}, {"version", region["version"]}}.dump(),
                              "application/json");
  EXPECT_EQ(renamed->status, 200) << renamed->body;
  auto wrong = client.Get("/api/v1/regions", {{"Authorization", "Bearer fpt_nonsense"}});
  EXPECT_EQ(wrong->status, 401);
}

TEST_F(ApiTest, FailedSignInsAreThrottledWithRetryAfter) {
  // An unknown name is throttled like a known one (and locks no demo user out for later tests).
  httplib::Client client("127.0.0.1", server_->port());
  const std::string wrong = json{{"name", "intruder"}, {"password", "not-the-password"}}.dump();
  for (int i = 0; i < 5; ++i) {
    auto res = client.Post("/api/v1/session", wrong, "application/json");
    EXPECT_EQ(res->status, 401);
    EXPECT_EQ(res->body.find("intruder"), std::string::npos);
  }
  auto throttled = client.Post("/api/v1/session", wrong, "application/json");
  EXPECT_EQ(throttled->status, 429);
  EXPECT_EQ(json::parse(throttled->body)["error"]["code"], "too_many_requests");
  const int retry_after = std::stoi(throttled->get_header_value("Retry-After"));
  EXPECT_GT(retry_after, 800);
  EXPECT_LE(retry_after, 900);
}

TEST_F(ApiTest, LogoutEndsTheSession) {
  httplib::Client client("127.0.0.1", server_->port());
  const json body = {{"name", "household"}, {"password", passwords_.at("household")}};
  auto login = client.Post("/api/v1/session", body.dump(), "application/json");
  ASSERT_EQ(login->status, 200);
  const std::string cookie = login->get_header_value("Set-Cookie")
                                 .substr(0, login->get_header_value("Set-Cookie").find(';'));
  const std::string csrf = json::parse(login->body)["csrf_token"];
  EXPECT_EQ(client.Get("/api/v1/session", {{"Cookie", cookie}})->status, 200);
  auto out = client.Delete("/api/v1/session", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  EXPECT_EQ(out->status, 204);
  EXPECT_NE(out->get_header_value("Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(client.Get("/api/v1/session", {{"Cookie", cookie}})->status, 401);
}

// Every route the router declares, called as every role and anonymously: allowed exactly when
// the declared matrix gives the role the route's permission. The list comes from the server's
// own router, so new endpoints join this test by themselves; a route whose permission is not in
// the matrix fails it.
// True when one of `scopes` (region codes, "" = everywhere) holds `code`.
bool Covers(const json& scopes, const std::string& code) {
  for (const auto& s : scopes) {
    std::string scope = s.get<std::string>();
    if (scope.empty()) return true;
    // The significant prefix: the code without its trailing zero segments (2/4/6/9/12 digits).
    size_t len = 12;
    for (size_t cut : {9u, 6u, 4u, 2u}) {
      if (scope.substr(cut, len - cut) == std::string(len - cut, '0')) len = cut;
    }
    if (code.compare(0, len, scope, 0, len) == 0) return true;
  }
  return false;
}

TEST_F(ApiTest, EveryRouteAsEveryRoleFollowsTheMatrix) {
  const json index = GetJson("/api/v1/routes");
  std::set<std::string> matrix;
  for (const auto& p : index["permissions"]) matrix.insert(p.get<std::string>());
  std::map<std::string, json> held;  // role → {permission: [scopes]}
  std::map<std::string, json> own;   // role → {permission: [household ids]} (household role)
  std::map<std::string, json> run;   // role → {permission: [organization ids]} (operators)
  for (const auto& [role, password] : passwords_) {
    const json session = GetJson("/api/v1/session", 200, role);
    held[role] = session["permissions"];
    own[role] = session["own_households"];
    run[role] = session["own_organizations"];
  }
  // Region-bound records by kind: (inside every demo user's region, outside all but the admin's).
  const std::map<std::string, std::pair<int64_t, int64_t>> records = {
      {"household", {inside_household_, outside_household_}},
      {"member", {inside_member_, outside_member_}},
      {"monitoring_case", {inside_case_, outside_case_}},
      {"workshop", {inside_workshop_, outside_workshop_}},
      {"project", {inside_project_, outside_project_}},
      {"goal", {inside_goal_, outside_goal_}},
      {"fund_batch", {inside_batch_, outside_batch_}},
      {"fund_allocation", {inside_allocation_, outside_allocation_}},
      {"fund_payment", {inside_payment_, outside_payment_}},
      {"evaluation_system", {inside_system_, outside_system_}},
      {"evaluation_run", {inside_run_, outside_run_}},
      {"survey_questionnaire", {inside_survey_, outside_survey_}},
      {"rectification_task", {inside_task_, outside_task_}}};
  const std::string outside_region = "990122001001";
  int checked = 0, outside_checked = 0;
  for (const auto& route : index["items"]) {
    const std::string method = route["method"];
    const std::string pattern = route["path"];
    const std::string access = route["access"];
    // Routes that also let in holders of the permission on their own household only.
    const bool own_household = route["own_household"].get<bool>();
    // Routes that also let in an operator's users on the workshops it runs.
    const bool own_organization = route["own_organization"].get<bool>();
    if (access != "public" && access != "signed_in") {
      EXPECT_TRUE(matrix.contains(access)) << method << " " << pattern << " needs " << access
                                           << ", which the matrix does not mention";
    }
    if (method == "DELETE" && pattern == "/api/v1/session") continue;  // would sign the role out
    std::string path = std::regex_replace(pattern, std::regex(R"(\{code\})"), "990121001001");
    // An indicator system's published version and its root (the fixtures' systems are
    // published once, from the workshop template).
    path = std::regex_replace(path, std::regex(R"(\{version\})"), "1");
    path = std::regex_replace(path, std::regex(R"(\{node\})"), "workshop_performance");
    // A survey response that is not there: deleting it is idempotent.
    path = std::regex_replace(path, std::regex(R"(\{response\})"), "999999");
    std::string outside_path;
    if (!route["record"].is_null()) {
      const std::string kind = route["record"];
      ASSERT_TRUE(records.contains(kind))
          << pattern << " names record kind " << kind << ", for which this test has no fixtures";
      const auto [inside, outside] = records.at(kind);
      outside_path = std::regex_replace(path, std::regex(R"(\{id\})"), std::to_string(outside));
      path = std::regex_replace(path, std::regex(R"(\{id\})"), std::to_string(inside));
    }
    path = std::regex_replace(path, std::regex(R"(\{id\})"), "999999");
    auto call = [&](const std::string& target, const httplib::Headers& headers) {
      httplib::Client client("127.0.0.1", server_->port());
      if (method == "GET") return client.Get(target, headers);
      return Send(method, target, json::object(), headers);
    };
    // Anonymous.
    auto anonymous = call(path, {});
    ASSERT_TRUE(anonymous);
    if (access == "public") {
      EXPECT_NE(anonymous->status, 401) << method << " " << path;
    } else {
      EXPECT_EQ(anonymous->status, 401) << method << " " << path;
    }
    for (const auto& [role, password] : passwords_) {
      auto res = call(path, As(Login(role)));
      ASSERT_TRUE(res);
      const bool by_region = held[role].contains(access);
      // The fixtures' households are never a household member's own: theirs is a demo one.
      const bool by_household = own_household && own[role].contains(access);
      // Nor are the fixtures' workshops run by an operator's organization.
      const bool by_organization = own_organization && run[role].contains(access);
      const bool allowed = access == "public" || access == "signed_in" || by_region ||
                           by_household || by_organization;
      if (allowed) {
        EXPECT_NE(res->status, 401) << role << " " << method << " " << path << ": " << res->body;
        EXPECT_NE(res->status, 403) << role << " " << method << " " << path << ": " << res->body;
        if (!outside_path.empty() && by_region) {
          EXPECT_NE(res->status, 404) << role << " " << method << " " << path << ": " << res->body;
        } else if (!outside_path.empty()) {
          EXPECT_EQ(res->status, 404) << role << " " << method << " " << path << ": " << res->body;
        }
      } else {
        EXPECT_EQ(res->status, 403) << role << " " << method << " " << path << ": " << res->body;
      }
      ++checked;
      if (outside_path.empty()) continue;
      // The same route on a record outside the role's region: 404 (no existence leak) unless
      // the role's scope holds it; 403 still for roles without the permission at all.
      auto out = call(outside_path, As(Login(role)));
      ASSERT_TRUE(out);
      if (!allowed) {
        EXPECT_EQ(out->status, 403) << role << " " << method << " " << outside_path;
      } else if (by_region && Covers(held[role][access], outside_region)) {
        EXPECT_NE(out->status, 404)
            << role << " " << method << " " << outside_path << ": " << out->body;
      } else {
        EXPECT_EQ(out->status, 404)
            << role << " " << method << " " << outside_path << ": " << out->body;
      }
      ++outside_checked;
    }
  }
  EXPECT_GT(checked, 100);
  EXPECT_GT(outside_checked, 20);
}

// Everything a role may receive about the two households: list, detail, CSV and XLSX exports.
std::string EverythingSeenBy(const std::string& role, int64_t id) {
  std::string seen;
  auto list = ApiTest::Get("/api/v1/households?region=990121001001&page_size=500", role);
  EXPECT_EQ(list->status, 200) << role << ": " << list->body;
  seen += list->body;
  auto detail = ApiTest::Get("/api/v1/households/" + std::to_string(id), role);
  EXPECT_EQ(detail->status, 200) << role << ": " << detail->body;
  seen += detail->body;
  auto search = ApiTest::Get("/api/v1/households?q=T-INSIDE", role);
  seen += search->body;
  auto csv = ApiTest::Get("/api/v1/households/export?format=csv&region=990121001001", role);
  EXPECT_EQ(csv->status, 200) << role << ": " << csv->body;
  EXPECT_EQ(csv->body.substr(0, 3), "\xEF\xBB\xBF");  // a BOM, so that Excel reads UTF-8
  seen += csv->body;
  // The data-quality findings of the region (their items: the rest is the rule catalogue) and
  // their export.
  auto findings = ApiTest::Get("/api/v1/quality/findings?region=990121001001&page_size=1000", role);
  EXPECT_EQ(findings->status, 200) << role << ": " << findings->body;
  seen += json::parse(findings->body)["items"].dump();
  auto findings_csv = ApiTest::Get("/api/v1/quality/findings/export?region=990121001001", role);
  EXPECT_EQ(findings_csv->status, 200) << role;
  seen += findings_csv->body;
  auto xlsx = ApiTest::Get("/api/v1/households/export?format=xlsx&region=990121001001", role);
  EXPECT_EQ(xlsx->status, 200) << role;
  // The workbook is compressed: read it back and look at its cells.
  test_support::TempDir dir;
  test_support::WriteFile(dir / "export.xlsx", xlsx->body);
  auto reader = tabular::TableReader::Open((dir / "export.xlsx").string());
  EXPECT_TRUE(reader) << (reader ? "" : reader.error().message);
  if (reader) {
    tabular::Row row;
    int rows = 0;
    while (true) {
      auto more = (*reader)->Next(row);
      EXPECT_TRUE(more);
      if (!more || !*more) break;
      ++rows;
      for (const auto& cell : row.cells) seen += cell + "\n";
    }
    EXPECT_GT(rows, 0);
  }
  return seen;
}

TEST_F(ApiTest, PersonalDataIsMaskedForEveryRoleInJsonAndExports) {
  const std::vector<std::string> sensitive = {kInsideHead.id, kInsideSpouse.id, kInsidePhone,
                                              kInsideBank, "serious"};
  int roles = 0;
  for (const auto& [role, password] : passwords_) {
    if (!GetJson("/api/v1/session", 200, role)["permissions"].contains("registry.read")) continue;
    ++roles;
    const std::string seen = EverythingSeenBy(role, inside_household_);
    for (const std::string& value : sensitive) {
      EXPECT_EQ(seen.find(value), std::string::npos) << role << " received " << value;
    }
    EXPECT_NE(seen.find("9901**********" + kInsideHead.id.substr(14)), std::string::npos) << role;
    EXPECT_NE(seen.find("138****5678"), std::string::npos) << role;
    EXPECT_NE(seen.find("***************8901"), std::string::npos) << role;
    // SQL metacharacters are stored and returned verbatim.
    EXPECT_NE(seen.find("O'Brien\\\"; DROP TABLE households; -- 王"), std::string::npos) << role;
  }
  EXPECT_EQ(roles, 5);  // admin, official, village, auditor, and the township official
  // Searching by a complete ID number finds the household, still masked.
  const json found = GetJson("/api/v1/households?q=" + kInsideSpouse.id, 200, "official");
  ASSERT_EQ(found["total"], 1);
  EXPECT_EQ(found["items"][0]["number"], "T-INSIDE-1");
  // The server log holds none of it (nor the names of the ID numbers searched for).
  const std::string log = server_->Log();
  for (const std::string& value : sensitive) {
    if (value == "serious") continue;  // a word that may appear in other contexts
    EXPECT_EQ(log.find(value), std::string::npos) << "the server log contains " << value;
  }
}

TEST_F(ApiTest, QualityRulesAndFindingsFollowTheCallersRegion) {
  const json rules = GetJson("/api/v1/quality/rules", 200, "household");  // any signed-in user
  ASSERT_GE(rules["total"].get<int>(), 30);
  EXPECT_FALSE(rules["items"][0]["title_zh"].get<std::string>().empty());
  EXPECT_FALSE(rules["items"][0]["fix_en"].get<std::string>().empty());
  EXPECT_EQ(rules["thresholds"]["risk_elimination_months"], 6);
  EXPECT_EQ(Get("/api/v1/quality/findings", "household")->status, 403);  // no registry.read

  // T-INSIDE-1 has no income after 2018.
  const json village = GetJson(
      "/api/v1/quality/findings?region=990121001001&rule=income.missing_year&page_size=1000", 200,
      "village");
  bool inside = false;
  for (const auto& f : village["items"]) {
    EXPECT_EQ(f["rule"], "income.missing_year");
    EXPECT_EQ(f["region"], "990121001001");
    inside |= f["household_number"] == "T-INSIDE-1";
  }
  EXPECT_TRUE(inside) << village.dump();
  EXPECT_EQ(village["rules"].size(), 1u);
  EXPECT_GT(village["households"].get<int>(), 1);
  EXPECT_EQ(village["year"], village["income_distribution"]["year"]);
  // Outside the caller's regions there is nothing; the admin sees it.
  const std::string outside = "/api/v1/quality/findings?region=990122001001";
  EXPECT_EQ(GetJson(outside, 200, "official")["total"], 0);
  EXPECT_EQ(GetJson(outside, 200, "official")["households"], 0);
  // (Its one household last reported 2018, which is then the year checked unless given.)
  EXPECT_EQ(GetJson(outside, 200, "admin")["year"], 2018);
  bool admin_sees = false;
  const json admin = GetJson(outside + "&year=2024", 200, "admin");
  for (const auto& f : admin["items"]) {
    admin_sees |= f["household_number"] == "T-OUTSIDE-1";
  }
  EXPECT_TRUE(admin_sees);
  // Without a region: the caller's whole scope.
  const json all = GetJson("/api/v1/quality/findings?page_size=1000", 200, "village");
  for (const auto& f : all["items"]) {
    EXPECT_TRUE(f["region"].get<std::string>().starts_with("990121001001")) << f.dump();
  }
  // Filters and paging.
  const json warnings = GetJson("/api/v1/quality/findings?severity=warning&page_size=1000");
  for (const auto& f : warnings["items"]) EXPECT_EQ(f["severity"], "warning");
  const json page = GetJson("/api/v1/quality/findings?page_size=1&page=2");
  EXPECT_LE(page["items"].size(), 1u);
  EXPECT_EQ(page["total"], GetJson("/api/v1/quality/findings")["total"]);
  // Bad parameters are named.
  for (const char* query :
       {"severity=fatal", "rule=member.no_such_rule", "region=123", "year=abc"}) {
    auto bad = Get(std::string("/api/v1/quality/findings?") + query);
    EXPECT_EQ(bad->status, 400) << query << ": " << bad->body;
  }
  auto unknown = json::parse(Get("/api/v1/quality/findings?rule=member.no_such_rule")->body);
  EXPECT_EQ(unknown["error"]["details"][0]["value"], "member.no_such_rule");
  // Exports: CSV with a BOM in Chinese or English, XLSX.
  auto csv = Get("/api/v1/quality/findings/export?format=csv&region=990121001001", "village");
  ASSERT_EQ(csv->status, 200) << csv->body;
  EXPECT_TRUE(csv->body.starts_with("\xEF\xBB\xBF规则代码,严重程度")) << csv->body.substr(0, 60);
  EXPECT_NE(csv->body.find("T-INSIDE-1"), std::string::npos);
  auto en = Get("/api/v1/quality/findings/export?format=csv&lang=en&region=990121001001");
  EXPECT_TRUE(en->body.starts_with("\xEF\xBB\xBFrule,severity,title")) << en->body.substr(0, 60);
  auto xlsx = Get("/api/v1/quality/findings/export?format=xlsx&region=990121001001");
  EXPECT_EQ(xlsx->status, 200);
  EXPECT_EQ(xlsx->body.substr(0, 2), "PK");
  EXPECT_EQ(Get("/api/v1/quality/findings/export?format=pdf")->status, 400);
}

TEST_F(ApiTest, RevealingAValueNeedsTheRightAndIsAudited) {
  const std::string path = "/api/v1/members/" + std::to_string(inside_member_) + "/reveal";
  // The village role holds view_sensitive for its own village.
  auto revealed = Send("POST", path, {{"field", "id_number"}}, As(Login("village")));
  ASSERT_EQ(revealed->status, 200) << revealed->body;
  EXPECT_EQ(json::parse(revealed->body)["value"], kInsideSpouse.id);
  auto health = Send("POST", path, {{"field", "health"}}, As(Login("village")));
  EXPECT_EQ(json::parse(health->body)["value"], "serious");
  auto phone = Send("POST", "/api/v1/households/" + std::to_string(inside_household_) + "/reveal",
                    {{"field", "phone"}}, As(Login("admin")));
  EXPECT_EQ(json::parse(phone->body)["value"], kInsidePhone);
  // Who saw whose value, when: in the audit log.
  const json audit =
      GetJson("/api/v1/audit?entity=member&entity_id=" + std::to_string(inside_member_));
  int reveals = 0;
  for (const auto& e : audit["items"]) {
    if (e["action"] == "reveal" && e["actor"] == "village") {
      ++reveals;
      EXPECT_FALSE(e["at"].get<std::string>().empty());
      EXPECT_EQ(e["region"], "990121001001");
    }
  }
  EXPECT_EQ(reveals, 2) << audit.dump();
  // Roles without view_sensitive cannot; a field that is not sensitive is a named error.
  EXPECT_EQ(Send("POST", path, {{"field", "id_number"}}, As(Login("official")))->status, 403);
  EXPECT_EQ(Send("POST", path, {{"field", "id_number"}}, As(Login("auditor")))->status, 403);
  auto bad = Send("POST", path, {{"field", "name"}}, As(Login("village")));
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(json::parse(bad->body)["error"]["details"][0]["column"], "field");
  // Unmasked export: for holders over their own region only, and audited.
  auto unmasked =
      Get("/api/v1/households/export?format=csv&region=990121001001&unmasked=true", "village");
  ASSERT_EQ(unmasked->status, 200) << unmasked->body;
  EXPECT_NE(unmasked->body.find(kInsideHead.id), std::string::npos);
  EXPECT_EQ(Get("/api/v1/households/export?format=csv&unmasked=true", "official")->status, 403);
  const json exports = GetJson("/api/v1/audit?entity=household&actor=village");
  bool audited = false;
  for (const auto& e : exports["items"]) {
    audited |= e["action"] == "reveal" &&
               e["note"].get<std::string>().find("T-INSIDE-1") != std::string::npos;
  }
  EXPECT_TRUE(audited) << exports.dump();
}

TEST_F(ApiTest, RecordsOutsideTheCallersRegionAre404AndTheAttemptIsAudited) {
  const std::string outside = "/api/v1/households/" + std::to_string(outside_household_);
  EXPECT_EQ(Get(outside, "official")->status, 404);
  EXPECT_EQ(Get(outside, "village")->status, 404);
  EXPECT_EQ(Get(outside, "admin")->status, 200);
  // Not listed either, and a search for its member's ID number finds nothing.
  EXPECT_EQ(GetJson("/api/v1/households?q=" + kOutsideHead.id, 200, "official")["total"], 0);
  EXPECT_EQ(GetJson("/api/v1/households?q=" + kOutsideHead.id, 200, "admin")["total"], 1);
  const json denied =
      GetJson("/api/v1/audit?entity=household&entity_id=" + std::to_string(outside_household_));
  std::set<std::string> who;
  for (const auto& e : denied["items"]) {
    if (e["action"] == "denied") who.insert(e["actor"]);
  }
  EXPECT_TRUE(who.contains("official")) << denied.dump();
  EXPECT_TRUE(who.contains("village")) << denied.dump();
  // A record that does not exist is a plain 404: nothing to record.
  EXPECT_EQ(Get("/api/v1/households/987654321", "official")->status, 404);
  EXPECT_EQ(GetJson("/api/v1/audit?entity=household&entity_id=987654321")["total"], 0);
  // Writing outside one's region is refused with the field named.
  auto refused =
      Send("POST", "/api/v1/households",
           {{"number", "T-OUT-2"},
            {"region", "990122001001"},
            {"members",
             {{{"name", "某"}, {"id_number", Id("99012219800101005")}, {"relation", "户主"}}}}},
           As(Login("village")));
  ASSERT_EQ(refused->status, 400) << refused->body;
  EXPECT_EQ(json::parse(refused->body)["error"]["details"][0]["column"], "region");
}

TEST_F(ApiTest, HouseholdInputErrorsNameTheFieldAndNothingIsWritten) {
  auto bad = Send("POST", "/api/v1/households",
                  {{"number", "T-BAD-1"},
                   {"region", "990121001001"},
                   {"main_cause", "因懒"},
                   {"members",
                    {{{"name", "甲"}, {"id_number", "990121197001010010"}, {"relation", "户主"}},
                     {{"name", "乙"}, {"id_number", kInsideHead.id}, {"relation", "配偶"}}}}},
                  As(Login("village")));
  ASSERT_EQ(bad->status, 400) << bad->body;
  std::set<std::string> columns;
  const json problems = json::parse(bad->body)["error"]["details"];
  for (const auto& d : problems) columns.insert(d["column"]);
  EXPECT_TRUE(columns.contains("main_cause")) << bad->body;
  EXPECT_TRUE(columns.contains("members[1].id_number")) << bad->body;
  // The same person in two households: refused, naming the member.
  auto twice =
      Send("POST", "/api/v1/households",
           {{"number", "T-BAD-2"},
            {"region", "990121001001"},
            {"members", {{{"name", "乙"}, {"id_number", kInsideHead.id}, {"relation", "户主"}}}}},
           As(Login("village")));
  ASSERT_EQ(twice->status, 409) << twice->body;
  EXPECT_EQ(json::parse(twice->body)["error"]["details"][0]["column"], "members[1].id_number");
  EXPECT_EQ(GetJson("/api/v1/households?q=T-BAD")["total"], 0);
}

TEST_F(ApiTest, ServesHttpsWithSecureCookies) {
  TempDir dir;
  auto cert = test_support::Run({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048",
                                 "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-keyout",
                                 (dir / "key.pem").string(), "-out", (dir / "cert.pem").string()});
  ASSERT_EQ(cert.exit_code, 0) << cert.err;
  ServerProcess tls({FUPIN_BINARY, "serve", "--db", url_, "--port", "0", "--tls-cert",
                     (dir / "cert.pem").string(), "--tls-key", (dir / "key.pem").string()},
                    dir.path());
  httplib::SSLClient client("127.0.0.1", tls.port());
  client.enable_server_certificate_verification(false);  // self-signed, for the test
  auto health = client.Get("/api/v1/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  const json body = {{"name", "auditor"}, {"password", passwords_.at("auditor")}};
  auto login = client.Post("/api/v1/session", body.dump(), "application/json");
  ASSERT_TRUE(login);
  EXPECT_NE(login->get_header_value("Set-Cookie").find("; Secure"), std::string::npos);
  // Plain HTTP to the TLS port gets nowhere.
  httplib::Client plain("127.0.0.1", tls.port());
  auto refused = plain.Get("/api/v1/health");
  EXPECT_TRUE(!refused || refused->status != 200);
  // A missing certificate is a clear error, not a server without TLS.
  auto bad =
      test_support::Run({FUPIN_BINARY, "serve", "--db", url_, "--port", "0", "--tls-cert",
                         (dir / "none.pem").string(), "--tls-key", (dir / "none.pem").string()});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("TLS certificate"), std::string::npos) << bad.err;
}

TEST_F(ApiTest, OrganizationsAreCreatedInTheCallersRegionsOnly) {
  const std::string nasty = "O'Brien\"; DROP TABLE organizations; -- 合作社";
  auto created = Send("POST", "/api/v1/organizations",
                      {{"name", nasty},
                       {"type", "cooperative"},
                       {"region", "990121001001"},
                       {"credit_code", "91350100M000100Y43"}},
                      As(Login("official")));
  ASSERT_EQ(created->status, 201) << created->body;
  EXPECT_EQ(json::parse(created->body)["name"], nasty);  // stored and returned verbatim
  // Outside the official's county, a bad credit code, an unknown type: each named.
  auto refused = Send("POST", "/api/v1/organizations",
                      {{"name", "x"},
                       {"type", "club"},
                       {"region", "990100000000"},
                       {"credit_code", "91350100M000100Y44"}},
                      As(Login("official")));
  ASSERT_EQ(refused->status, 400);
  const json details = json::parse(refused->body)["error"]["details"];
  ASSERT_EQ(details.size(), 3u) << refused->body;
  EXPECT_EQ(details[0]["column"], "type");
  EXPECT_EQ(details[1]["column"], "region");
  EXPECT_EQ(details[2]["column"], "credit_code");
  // The same credit code twice is a conflict.
  auto again = Send("POST", "/api/v1/organizations",
                    {{"name", "y"},
                     {"type", "enterprise"},
                     {"region", "990121000000"},
                     {"credit_code", "91350100M000100Y43"}},
                    As(Login("admin")));
  EXPECT_EQ(again->status, 409);
  // Township-level and village roles may read but not create.
  EXPECT_EQ(Send("POST", "/api/v1/organizations", json::object(), As(Login("village")))->status,
            403);
  const json listed = GetJson("/api/v1/organizations", 200, "village");
  for (const auto& o : listed["items"]) {
    EXPECT_TRUE(o["region"].get<std::string>().starts_with("990121001001")) << o.dump();
  }
  // The demo's 11 (two, and nine workshop operators) and the one created here.
  EXPECT_EQ(GetJson("/api/v1/organizations", 200, "official")["total"], 12);
}

// Imports from the UI run as jobs: upload, poll, read the problems; a job is its owner's only.
TEST_F(ApiTest, ImportJobsRunInTheBackgroundWithinTheCallersRegions) {
  const auto village = Login("village");
  auto post = [&](const std::string& query, const std::string& body, const Session& as) {
    httplib::Client client("127.0.0.1", server_->port());
    return client.Post("/api/v1/imports?" + query, As(as), body, "text/csv");
  };
  auto wait = [&](int64_t id, const Session& as) {
    json job;
    for (int i = 0; i < 200; ++i) {
      httplib::Client client("127.0.0.1", server_->port());
      auto res = client.Get("/api/v1/imports/" + std::to_string(id), As(as));
      EXPECT_EQ(res->status, 200) << res->body;
      job = json::parse(res->body);
      if (job["status"] != "running") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return job;
  };
  const std::string head = Id("99012119800101011");
  const std::string good =
      "户编号,行政区划代码,姓名,身份证号,与户主关系,户属性\n"
      "9901210010018801,990121001001,赵一," +
      head + ",户主,一般贫困户\n";
  auto started = post("kind=members&file_name=good.csv", good, village);
  ASSERT_EQ(started->status, 202) << started->body;
  const int64_t id = json::parse(started->body)["id"];
  const json done = wait(id, village);
  ASSERT_EQ(done["status"], "succeeded") << done.dump();
  EXPECT_EQ(done["report"]["inserted"], 1);
  EXPECT_EQ(done["file_name"], "good.csv");
  EXPECT_EQ(GetJson("/api/v1/households?q=9901210010018801", 200, "village")["total"], 1);
  // Another user does not see it.
  EXPECT_EQ(Get("/api/v1/imports/" + std::to_string(id), "admin")->status, 404);

  // Outside the village user's village, and with bad cells: the job fails with every problem,
  // downloadable as a spreadsheet, and nothing is written.
  const std::string bad =
      "户编号,行政区划代码,姓名,身份证号,与户主关系\n"
      "9901210010018802,990121001002,钱二," +
      Id("99012119800101021") +
      ",户主\n"
      "9901210010018803,990121001001,孙三,99012119800101031,舅舅\n";
  auto refused = post("kind=members&file_name=bad.csv", bad, village);
  ASSERT_EQ(refused->status, 202) << refused->body;
  const int64_t bad_id = json::parse(refused->body)["id"];
  const json failed = wait(bad_id, village);
  ASSERT_EQ(failed["status"], "failed") << failed.dump();
  EXPECT_EQ(failed["error"]["code"], "invalid_argument");
  std::set<std::pair<int64_t, std::string>> where;
  for (const auto& d : failed["error"]["details"]) {
    where.insert({d["row"].get<int64_t>(), d["column"].get<std::string>()});
  }
  EXPECT_TRUE(where.contains({2, "行政区划代码"})) << failed.dump();  // outside the village
  EXPECT_TRUE(where.contains({3, "身份证号"})) << failed.dump();
  EXPECT_TRUE(where.contains({3, "与户主关系"})) << failed.dump();
  httplib::Client client("127.0.0.1", server_->port());
  auto problems =
      client.Get("/api/v1/imports/" + std::to_string(bad_id) + "/problems?format=csv", As(village));
  ASSERT_EQ(problems->status, 200);
  EXPECT_NE(problems->body.find("行号,列,值,原因"), std::string::npos) << problems->body;
  EXPECT_NE(problems->body.find("舅舅"), std::string::npos);
  EXPECT_EQ(GetJson("/api/v1/households?q=98801", 200, "admin")["total"], 0);
  EXPECT_EQ(GetJson("/api/v1/households?q=9901210010018803", 200, "admin")["total"], 0);

  // An unreadable upload is refused at once; a finished job cannot be cancelled into anything.
  auto binary = post("kind=members", std::string("\xff\xfe\x00\x01", 4), village);
  EXPECT_EQ(binary->status, 400) << binary->body;
  EXPECT_EQ(binary->body.find("fupin-upload"), std::string::npos) << "no temporary paths";
  auto cancel = Send("POST", "/api/v1/imports/" + std::to_string(id) + "/cancel", json::object(),
                     As(village));
  EXPECT_EQ(cancel->status, 200);
  EXPECT_EQ(json::parse(cancel->body)["status"], "succeeded");
  auto tmpl = client.Get("/api/v1/imports/template?kind=incomes&format=csv&lang=en", As(village));
  ASSERT_EQ(tmpl->status, 200);
  EXPECT_TRUE(tmpl->body.starts_with("\xEF\xBB\xBFnumber,year,wages")) << tmpl->body;
}

// The demo's synthetic boundaries reach the map as a FeatureCollection of the children.
TEST_F(ApiTest, RegionBoundariesServeTheChildrenAsGeoJson) {
  const json county = GetJson("/api/v1/regions/990121000000/boundaries", 200, "official");
  EXPECT_EQ(county["type"], "FeatureCollection");
  EXPECT_TRUE(county["synthetic"].get<bool>());
  const json children = GetJson("/api/v1/regions/990121000000/children", 200, "official");
  std::set<std::string> expected, got;
  for (const auto& c : children["items"]) expected.insert(c["code"].get<std::string>());
  for (const auto& f : county["features"]) {
    got.insert(f["properties"]["code"].get<std::string>());
    EXPECT_EQ(f["geometry"]["type"], "Polygon");
    EXPECT_FALSE(f["properties"]["name"].get<std::string>().empty());
  }
  EXPECT_EQ(got, expected);
  EXPECT_EQ(GetJson("/api/v1/regions/990199000000/boundaries", 404, "official")["error"]["code"],
            "not_found");
}

TEST_F(ApiTest, HouseholdListsAsOfADay) {
  const json now = GetJson("/api/v1/households?page_size=500");
  ASSERT_GT(now["total"].get<int>(), 0);
  // Far in the future: the households with a status history (others' tests create some
  // without one), each with its status then (= its status now).
  const json later = GetJson("/api/v1/households?page_size=500&as_of=2099-12-31");
  EXPECT_GT(later["total"].get<int>(), 0);
  EXPECT_LE(later["total"].get<int>(), now["total"].get<int>());
  for (const auto& h : later["items"]) EXPECT_EQ(h["status_on"], h["status"]) << h.dump();
  EXPECT_FALSE(now["items"][0].contains("status_on"));
  // Before anyone was registered: none.
  EXPECT_EQ(GetJson("/api/v1/households?as_of=1990-01-01")["total"], 0);
  // The export of a list as of a day holds the same households (one line each after the
  // header), with their status then.
  auto lines = [&](const std::string& query) {
    auto csv = Get("/api/v1/households/export?format=csv&region=990121001001" + query);
    EXPECT_EQ(csv->status, 200) << csv->body;
    return std::count(csv->body.begin(), csv->body.end(), '\n');
  };
  EXPECT_EQ(lines("&as_of=1990-01-01"), 1);
  const json village = GetJson("/api/v1/households?region=990121001001&page_size=500");
  const json lifted = GetJson(
      "/api/v1/households?region=990121001001&page_size=500&as_of=2019-12-31&status=lifted");
  EXPECT_EQ(lines(""), 1 + village["total"].get<int>());
  EXPECT_EQ(lines("&as_of=2019-12-31&status=lifted"), 1 + lifted["total"].get<int>());
  if (lifted["total"].get<int>() > 0) {
    auto csv = Get("/api/v1/households/export?format=csv&region=990121001001&as_of=2019-12-31");
    // Somebody lifted out by 2019 is listed as 已脱贫 then, whatever became of them since.
    const std::string number = lifted["items"][0]["number"];
    const size_t at = csv->body.find("\n" + number + ",");
    ASSERT_NE(at, std::string::npos);
    const std::string line = csv->body.substr(at + 1, csv->body.find('\n', at + 1) - at - 1);
    EXPECT_NE(line.find(",已脱贫,"), std::string::npos) << line;
  }
  const json bad = GetJson("/api/v1/households?as_of=2020-13-01", 400);
  EXPECT_EQ(bad["error"]["details"][0]["column"], "as_of");
}

// --- Indicators ---------------------------------------------------------------------------

// The value of `code` for `region` in a GET /api/v1/indicators/values answer.
json ValueOf(const json& answer, const std::string& region, const std::string& code) {
  for (const auto& item : answer["items"]) {
    if (item["region"] == region && item["indicator"] == code) return item;
  }
  ADD_FAILURE() << "no " << code << " for " << region << " in " << answer.dump();
  return json();
}

TEST_F(ApiTest, TheIndicatorCatalogueIsReferenceData) {
  const json catalogue = GetJson("/api/v1/indicators", 200, "household");
  EXPECT_GT(catalogue["total"].get<int>(), 30);
  bool incidence = false;
  for (const auto& i : catalogue["items"]) {
    for (const char* key : {"code", "zh", "en", "unit", "direction", "source", "aggregation",
                            "definition_zh", "definition_en"}) {
      EXPECT_TRUE(i.contains(key)) << key;
    }
    if (i["code"] == "poverty_incidence") {
      incidence = true;
      EXPECT_EQ(i["formula"]["numerator"], "poor_people");
      EXPECT_EQ(i["formula"]["denominator"], "rural_population");
      EXPECT_EQ(i["formula"]["factor"], 100);
      EXPECT_EQ(i["aggregation"], "ratio_of_sums");
      EXPECT_EQ(i["direction"], "lower_better");
    }
  }
  EXPECT_TRUE(incidence);
}

TEST_F(ApiTest, IndicatorValuesRollUpAsRatiosOfSums) {
  // The outside county holds one household (T-OUTSIDE-1: two people, lifted out in 2018,
  // net income 2018 = 9000 + 2000 − 1000).
  const json y2017 = GetJson("/api/v1/indicators/values?region=990122000000&year=2017");
  EXPECT_EQ(ValueOf(y2017, "990122000000", "households")["value"], 1);
  EXPECT_EQ(ValueOf(y2017, "990122000000", "poor_people")["value"], 2);
  const json y2018 = GetJson(
      "/api/v1/indicators/values?region=990122000000&year=2018&children=true&codes=poor_people,"
      "lifted_people,mean_per_capita_net_income");
  EXPECT_EQ(y2018["period"], "2018");
  EXPECT_EQ(y2018["income_year"], 2018);
  ASSERT_EQ(y2018["regions"].size(), 2u);  // the county and its township
  EXPECT_EQ(y2018["items"].size(), 6u);
  EXPECT_EQ(ValueOf(y2018, "990122000000", "poor_people")["value"], 0);
  EXPECT_EQ(ValueOf(y2018, "990122001000", "lifted_people")["value"], 2);
  const json mean = ValueOf(y2018, "990122000000", "mean_per_capita_net_income");
  EXPECT_EQ(mean["value"], 5000);
  EXPECT_EQ(mean["numerator"], 10000);
  EXPECT_EQ(mean["denominator"], 2);

  // On the demo county: a parent's counts are the sums of its children's, and its derived
  // values are the ratio of the summed numerators and denominators.
  const json county =
      GetJson("/api/v1/indicators/values?region=990121000000&year=2019&children=true");
  ASSERT_GT(county["regions"].size(), 10u);
  for (const std::string code : {"households", "people", "poor_people", "lifted_people"}) {
    double sum = 0;
    for (size_t r = 1; r < county["regions"].size(); ++r) {
      sum += ValueOf(county, county["regions"][r]["code"], code)["value"].get<double>();
    }
    EXPECT_EQ(ValueOf(county, "990121000000", code)["value"].get<double>(), sum) << code;
  }
  for (const std::string code : {"mean_per_capita_net_income", "poverty_incidence"}) {
    double num = 0, den = 0;
    for (size_t r = 1; r < county["regions"].size(); ++r) {
      const json v = ValueOf(county, county["regions"][r]["code"], code);
      num += v["numerator"].get<double>();
      den += v["denominator"].get<double>();
    }
    const json top = ValueOf(county, "990121000000", code);
    EXPECT_NEAR(top["numerator"].get<double>(), num, 1e-6) << code;
    EXPECT_NEAR(top["denominator"].get<double>(), den, 1e-6) << code;
    EXPECT_NEAR(top["value"].get<double>(), num / den * (code == "poverty_incidence" ? 100 : 1),
                1e-9)
        << code;
  }
  // An as-of date: stocks on that day, incomes of the last complete year.
  const json mid = GetJson("/api/v1/indicators/values?region=990121000000&as_of=2020-06-30");
  EXPECT_EQ(mid["period"], "2020-06-30");
  EXPECT_EQ(mid["income_year"], 2019);
}

TEST_F(ApiTest, IndicatorValuesStayWithinTheCallersRegion) {
  EXPECT_EQ(GetJson("/api/v1/indicators/values?region=990122000000&year=2019", 403,
                    "official")["error"]["code"],
            "permission_denied");
  GetJson("/api/v1/indicators/values?region=990121000000&year=2019", 200, "official");
  GetJson("/api/v1/indicators/values?region=990121001001&year=2019", 200, "village");
  GetJson("/api/v1/indicators/values?region=990121001000&year=2019", 403, "village");
  GetJson("/api/v1/indicators/values?region=990121000000&year=2019", 403, "household");
  GetJson("/api/v1/indicators/values?region=990121000000&year=2019", 403, "enterprise");
}

TEST_F(ApiTest, IndicatorQueryErrorsNameTheParameter) {
  const std::string base = "/api/v1/indicators/values?";
  EXPECT_EQ(GetJson(base + "year=2019", 400)["error"]["details"][0]["column"], "region");
  EXPECT_EQ(GetJson(base + "region=9901", 400)["error"]["details"][0]["column"], "region");
  EXPECT_EQ(GetJson(base + "region=990121999999", 404)["error"]["code"], "not_found");
  EXPECT_EQ(GetJson(base + "region=990121000000&year=20x9", 400)["error"]["details"][0]["column"],
            "year");
  EXPECT_EQ(GetJson(base + "region=990121000000&year=2019&as_of=2019-01-01",
                    400)["error"]["details"][0]["column"],
            "as_of");
  EXPECT_EQ(
      GetJson(base + "region=990121000000&as_of=2019-02-30", 400)["error"]["details"][0]["column"],
      "as_of");
  const json codes = GetJson(base + "region=990121000000&codes=people,nope", 400);
  EXPECT_EQ(codes["error"]["details"][0]["value"], "nope");
  EXPECT_EQ(GetJson(base + "region=990121000000&children=maybe", 400)["error"]["code"],
            "invalid_argument");
}

TEST_F(ApiTest, IndicatorValuesFollowEveryWriteEvenFromAnotherProcess) {
  const std::string path =
      "/api/v1/indicators/values?region=990121001002&year=2020&codes=households,poor_people,"
      "rural_population,poverty_incidence";
  const json before = GetJson(path);
  const double households = ValueOf(before, "990121001002", "households")["value"];
  const double poor = ValueOf(before, "990121001002", "poor_people")["value"];
  // A write through the API.
  auto created =
      Send("POST", "/api/v1/households",
           {{"number", "T-IND-1"},
            {"region", "990121001002"},
            {"members",
             {{{"name", "指标户"}, {"id_number", Id("99012119650505003")}, {"relation", "户主"}}}},
            {"events", {{{"status", "identified"}, {"on", "2019-03-01"}}}}},
           As(Login("admin")));
  ASSERT_EQ(created->status, 201) << created->body;
  const json after = GetJson(path);
  EXPECT_EQ(ValueOf(after, "990121001002", "households")["value"], households + 1);
  EXPECT_EQ(ValueOf(after, "990121001002", "poor_people")["value"], poor + 1);
  // A write by another process (the command line) on the same database.
  WriteFile(*dir_ / "stats.csv",
            "行政区划代码,年度,指标代码,数值\n990121001002,2020,rural_population,500\n");
  auto imported = test_support::Run(
      {FUPIN_BINARY, "import", "statistics", (*dir_ / "stats.csv").string(), "--db", url_});
  ASSERT_EQ(imported.exit_code, 0) << imported.err << imported.out;
  const json entered = GetJson(path);
  EXPECT_EQ(ValueOf(entered, "990121001002", "rural_population")["value"], 500);
  EXPECT_NEAR(ValueOf(entered, "990121001002", "poverty_incidence")["value"].get<double>(),
              (poor + 1) / 500 * 100, 1e-9);
}

// 防返贫监测: the case of the inside household walked through the workflow by the roles whose
// step it is; detection does not duplicate; elimination states what it misses; the notice
// carries no personal data; thresholds only for one's own province.
TEST_F(ApiTest, MonitoringCasesFollowTheWorkflowByRole) {
  const std::string path = "/api/v1/monitoring/cases/" + std::to_string(inside_case_);
  json c = GetJson(path, 200, "village");
  EXPECT_EQ(c["stage"], "alert");
  EXPECT_EQ(c["household_number"], "T-INSIDE-1");
  EXPECT_EQ(c["actions"], json::array({"verify"}));
  bool medical = false;
  for (const auto& a : c["alerts"]) {
    if (a["rule"] != "medical_expense") continue;
    medical = true;
    EXPECT_NE(a["message_zh"].get<std::string>().find("52000.00元"), std::string::npos) << a;
  }
  EXPECT_TRUE(medical) << c.dump();
  ASSERT_EQ(c["risk_events"].size(), 1u);
  EXPECT_EQ(c["deadlines"].size(), 3u);
  EXPECT_EQ(GetJson(path, 200, "official")["actions"], json::array());
  // Running detection again adds nothing.
  auto again = Send("POST", "/api/v1/monitoring/detection", {{"region", "990121001001"}},
                    As(Login("official")));
  ASSERT_EQ(again->status, 200) << again->body;
  EXPECT_EQ(json::parse(again->body)["new_alerts"], 0);
  EXPECT_GT(json::parse(again->body)["already_recorded"].get<int>(), 0);
  // The wrong role for a step: 403; the right role with a missing field: 400 naming it.
  EXPECT_EQ(
      Send("POST", path + "/verify", {{"confirmed", true}, {"note", "x"}}, As(Login("official")))
          ->status,
      403);
  auto missing = Send("POST", path + "/verify", {{"confirmed", true}}, As(Login("village")));
  ASSERT_EQ(missing->status, 400);
  EXPECT_EQ(json::parse(missing->body)["error"]["details"][0]["column"], "note");
  auto early = Send("POST", path + "/review", {{"note", "x"}}, As(Login("township")));
  EXPECT_EQ(early->status, 422) << early->body;
  auto verified = Send("POST", path + "/verify", {{"confirmed", true}, {"note", "入户核实属实"}},
                       As(Login("village")));
  ASSERT_EQ(verified->status, 200) << verified->body;
  EXPECT_EQ(json::parse(verified->body)["stage"], "village_verified");
  auto reviewed =
      Send("POST", path + "/review", {{"recommendation", "unstable_lifted"}, {"note", "同意"}},
           As(Login("township")));
  ASSERT_EQ(reviewed->status, 200) << reviewed->body;
  // The household was lifted out: "marginal" does not fit it.
  auto marginal = Send("POST", path + "/decide", {{"category", "marginal"}, {"note", "x"}},
                       As(Login("official")));
  ASSERT_EQ(marginal->status, 400) << marginal->body;
  auto decided = Send("POST", path + "/decide", {{"category", "unstable_lifted"}, {"note", "纳入"}},
                      As(Login("official")));
  ASSERT_EQ(decided->status, 200) << decided->body;
  c = json::parse(decided->body);
  EXPECT_EQ(c["stage"], "monitored");
  EXPECT_EQ(c["category"], "unstable_lifted");
  EXPECT_EQ(c["steps"].size(), 4u);
  EXPECT_EQ(c["actions"], json::array({"measure", "eliminate"}));
  const json household =
      GetJson("/api/v1/households/" + std::to_string(inside_household_), 200, "village");
  EXPECT_EQ(household["status"], "monitored");
  EXPECT_EQ(household["events"].back()["status"], "monitored");
  auto measure = Send("POST", path + "/measures", {{"kind", "health"}, {"note", "医疗救助"}},
                      As(Login("village")));
  ASSERT_EQ(measure->status, 200) << measure->body;
  EXPECT_EQ(json::parse(measure->body)["measures"].size(), 1u);
  // Too early, and no 两不愁三保障 recorded for this household: refused, every reason named.
  auto eliminate = Send("POST", path + "/eliminate", {{"per_capita_fen", 900000}, {"note", "测算"}},
                        As(Login("official")));
  ASSERT_EQ(eliminate->status, 422) << eliminate->body;
  std::set<std::string> reasons;
  const json refusal = json::parse(eliminate->body);
  for (const auto& d : refusal["error"]["details"]) {
    reasons.insert(d["column"].get<std::string>());
  }
  EXPECT_TRUE(reasons.contains("months")) << eliminate->body;
  EXPECT_TRUE(reasons.contains("guarantees.housing")) << eliminate->body;
  // Every step is in the audit log, for the county's auditor.
  const json log =
      GetJson("/api/v1/audit?entity=monitoring_case&entity_id=" + std::to_string(inside_case_), 200,
              "auditor");
  std::set<std::string> actions;
  for (const auto& e : log["items"]) actions.insert(e["action"].get<std::string>());
  EXPECT_EQ(actions, (std::set<std::string>{"verified", "reviewed", "decided", "measure"}));

  // The public notice: the decision, without ID numbers, phones, bank accounts or health.
  auto notice = Get("/api/v1/monitoring/notice?format=csv&region=990121001001", "auditor");
  ASSERT_EQ(notice->status, 200);
  EXPECT_NE(notice->body.find("户编号,户主姓名,乡镇,村,监测对象类别"), std::string::npos);
  EXPECT_NE(notice->body.find("T-INSIDE-1"), std::string::npos);
  EXPECT_NE(notice->body.find("脱贫不稳定户"), std::string::npos);
  for (const std::string& secret :
       {kInsideHead.id, kInsideSpouse.id, kInsidePhone, kInsideBank, std::string("患有大病")}) {
    EXPECT_EQ(notice->body.find(secret), std::string::npos) << secret;
  }
}

TEST_F(ApiTest, TheBoardListsOverdueCasesFirst) {
  const json board = GetJson("/api/v1/monitoring/cases?stage=open", 200, "village");
  ASSERT_GT(board["total"].get<int>(), 0);
  ASSERT_GT(board["overdue"].get<int>(), 0);  // the demo's cases of three weeks ago
  EXPECT_TRUE(board["items"][0]["overdue"].get<bool>()) << board.dump();
  EXPECT_GT(board["items"][0]["days_overdue"].get<int>(), 0);
  bool seen_in_time = false;
  for (const auto& c : board["items"]) {
    EXPECT_TRUE(c["region"].get<std::string>().starts_with("990121001001"));
    if (!c["overdue"].get<bool>()) seen_in_time = true;
    EXPECT_FALSE(seen_in_time && c["overdue"].get<bool>()) << "an overdue case after one in time";
  }
  const json overdue = GetJson("/api/v1/monitoring/cases?overdue=true", 200, "village");
  EXPECT_EQ(overdue["total"], board["overdue"]);
  EXPECT_EQ(
      GetJson("/api/v1/monitoring/cases?stage=nonsense", 400)["error"]["details"][0]["column"],
      "stage");
  // The outside case is not the official's.
  EXPECT_EQ(Get("/api/v1/monitoring/cases/" + std::to_string(outside_case_), "official")->status,
            404);
}

TEST_F(ApiTest, ThresholdsAreSetForOnesOwnProvince) {
  const json before = GetJson("/api/v1/monitoring/thresholds", 200, "village");
  ASSERT_GE(before["total"].get<int>(), 1);
  EXPECT_EQ(before["items"][0]["province"], "");
  EXPECT_EQ(before["items"][0]["per_capita_fen"], 600000);
  auto own = Send("PUT", "/api/v1/monitoring/thresholds",
                  {{"province", "990000000000"}, {"year", 2025}, {"per_capita_fen", 720000}},
                  As(Login("official")));
  ASSERT_EQ(own->status, 200) << own->body;
  EXPECT_EQ(json::parse(own->body)["updated_by"], "official");
  auto other = Send("PUT", "/api/v1/monitoring/thresholds",
                    {{"province", "620000000000"}, {"year", 2025}, {"per_capita_fen", 720000}},
                    As(Login("official")));
  EXPECT_EQ(other->status, 403) << other->body;
  auto national =
      Send("PUT", "/api/v1/monitoring/thresholds",
           {{"province", ""}, {"year", 2025}, {"per_capita_fen", 720000}}, As(Login("official")));
  EXPECT_EQ(national->status, 403) << national->body;
  EXPECT_EQ(Send("PUT", "/api/v1/monitoring/thresholds",
                 {{"province", "990000000000"}, {"year", 2025}, {"per_capita_fen", 1}},
                 As(Login("village")))
                ->status,
            403);
  // Options: optimistic locking, and named problems.
  auto first = Send("PUT", "/api/v1/monitoring/options",
                    {{"province", "990000000000"}, {"version", 0}, {"decide_days", 20}},
                    As(Login("official")));
  ASSERT_EQ(first->status, 200) << first->body;
  EXPECT_EQ(json::parse(first->body)["version"], 1);
  auto stale = Send("PUT", "/api/v1/monitoring/options",
                    {{"province", "990000000000"}, {"version", 0}, {"decide_days", 20}},
                    As(Login("official")));
  EXPECT_EQ(stale->status, 409);
  auto bad = Send("PUT", "/api/v1/monitoring/options",
                  {{"province", "990000000000"}, {"version", 1}, {"income_drop_share", 2}},
                  As(Login("official")));
  ASSERT_EQ(bad->status, 400);
  EXPECT_EQ(json::parse(bad->body)["error"]["details"][0]["column"], "income_drop_share");
  const json after = GetJson("/api/v1/monitoring/thresholds", 200, "auditor");
  EXPECT_EQ(after["options"].size(), 2u);
}

// "As of date D": the household as it stood then — no status before its first event.
TEST_F(ApiTest, AHouseholdCanBeReadAsOfADate) {
  const std::string path = "/api/v1/households/" + std::to_string(inside_household_);
  const json now = GetJson(path, 200, "village");
  EXPECT_TRUE(now["as_of"].is_null());
  ASSERT_FALSE(now["members"].empty());
  const json long_ago = GetJson(path + "?as_of=1990-01-01", 200, "village");
  EXPECT_EQ(long_ago["as_of"], "1990-01-01");
  EXPECT_TRUE(long_ago["events"].empty());
  EXPECT_TRUE(long_ago["incomes"].empty());
  EXPECT_TRUE(long_ago["status"].is_null()) << long_ago.dump();
  // Identified in 2014, lifted out in December 2018, income of 2018 only.
  const json y2016 = GetJson(path + "?as_of=2016-06-30", 200, "village");
  EXPECT_EQ(y2016["status"], "identified");
  EXPECT_EQ(y2016["events"].size(), 1u);
  EXPECT_TRUE(y2016["lifted_year"].is_null());
  EXPECT_TRUE(y2016["incomes"].empty());
  const json y2019 = GetJson(path + "?as_of=2019-01-01", 200, "village");
  EXPECT_EQ(y2019["status"], "lifted");
  EXPECT_EQ(y2019["lifted_year"], 2018);
  EXPECT_EQ(y2019["incomes"].size(), 1u);
  EXPECT_EQ(GetJson(path + "?as_of=yesterday", 400, "village")["error"]["details"][0]["column"],
            "as_of");
}

TEST_F(ApiTest, HouseholdsAreEditedAndMembershipEventsRecordedWithVersions) {
  const Person head{"编辑户主", Id("99012119550909901")};
  const Person child{"编辑子女", Id("99012119850909902")};
  const Person other_head{"邻户户主", Id("99012119560909903")};
  auto make = [](const std::string& number, const std::vector<Person>& people) {
    json members = json::array();
    for (size_t i = 0; i < people.size(); ++i) {
      members.push_back({{"name", people[i].name},
                         {"id_number", people[i].id},
                         {"relation", i == 0 ? "户主" : "子女"}});
    }
    return json{{"number", number},
                {"region", "990121001001"},
                {"attribute", "一般贫困户"},
                {"main_cause", "因病"},
                {"members", members},
                {"events", {{{"status", "identified"}, {"on", "2014-05-01"}}}}};
  };
  auto a =
      Send("POST", "/api/v1/households", make("T-EDIT-A", {head, child}), As(Login("village")));
  ASSERT_EQ(a->status, 201) << a->body;
  auto b = Send("POST", "/api/v1/households", make("T-EDIT-B", {other_head}), As(Login("village")));
  ASSERT_EQ(b->status, 201) << b->body;
  const json ha = json::parse(a->body);
  const int64_t id_a = ha["id"];
  const int64_t id_b = json::parse(b->body)["id"];
  const std::string path = "/api/v1/households/" + std::to_string(id_a);

  // A patch of household and member fields, from the current version.
  auto patched = Send("PATCH", path,
                      {{"version", ha["version"]},
                       {"housing_safe", true},
                       {"phone", "13712345678"},
                       {"members", {{{"id", ha["members"][1]["id"]}, {"labour", "技能劳动力"}}}},
                       {"incomes", {{{"year", 2023}, {"wages", 12000}, {"costs", 500}}}},
                       {"note", "入户核实"}},
                      As(Login("village")));
  ASSERT_EQ(patched->status, 200) << patched->body;
  const json after = json::parse(patched->body);
  EXPECT_EQ(after["version"], ha["version"].get<int>() + 1);
  EXPECT_EQ(after["housing_safe"], true);
  EXPECT_EQ(after["phone"], "137****5678");
  EXPECT_EQ(after["members"][1]["labour"], "skilled");
  EXPECT_EQ(after["incomes"][0]["net"], 11500);
  // The same version again: 409 with the current version.
  auto stale = Send("PATCH", path, {{"version", ha["version"]}, {"housing_safe", false}},
                    As(Login("village")));
  ASSERT_EQ(stale->status, 409) << stale->body;
  EXPECT_EQ(json::parse(stale->body)["error"]["current_version"], after["version"]);
  // An ID number changes only through an event; a bad value names the field.
  auto wrong = Send("PATCH", path,
                    {{"version", after["version"]},
                     {"members", {{{"id", ha["members"][1]["id"]}, {"id_number", "1"}}}},
                     {"housing_area", "big"}},
                    As(Login("village")));
  ASSERT_EQ(wrong->status, 400) << wrong->body;
  std::set<std::string> columns;
  const json wrong_body = json::parse(wrong->body);
  for (const auto& d : wrong_body["error"]["details"]) columns.insert(d["column"]);
  EXPECT_TRUE(columns.contains("members[1].id_number")) << wrong->body;
  EXPECT_TRUE(columns.contains("housing_area")) << wrong->body;

  // The member concerned may be named by ID number or by a name only one current member has:
  // an unknown one, or both ways at once, is refused naming `member`, an ID number masked.
  auto nobody = Send("POST", path + "/member-events",
                     {{"kind", "death"},
                      {"on", "2024-03-15"},
                      {"version", after["version"]},
                      {"member", "无此人"}},
                     As(Login("village")));
  ASSERT_EQ(nobody->status, 400) << nobody->body;
  EXPECT_EQ(json::parse(nobody->body)["error"]["details"][0]["column"], "member");
  auto both = Send("POST", path + "/member-events",
                   {{"kind", "death"},
                    {"on", "2024-03-15"},
                    {"version", after["version"]},
                    {"member", child.id},
                    {"member_id", ha["members"][1]["id"]}},
                   As(Login("village")));
  ASSERT_EQ(both->status, 400) << both->body;
  EXPECT_EQ(json::parse(both->body)["error"]["details"][0]["column"], "member");
  EXPECT_EQ(both->body.find(child.id), std::string::npos) << both->body;
  // The child, named by ID number, marries into household B.
  auto married = Send("POST", path + "/member-events",
                      {{"kind", "婚出"},
                       {"on", "2024-03-15"},
                       {"version", after["version"]},
                       {"member", child.id},
                       {"other_household_id", id_b},
                       {"relation", "配偶"}},
                      As(Login("village")));
  ASSERT_EQ(married->status, 201) << married->body;
  const json m = json::parse(married->body);
  ASSERT_EQ(m["member_events"].size(), 1u);
  EXPECT_EQ(m["member_events"][0]["kind"], "marriage_out");
  EXPECT_EQ(m["member_events"][0]["other_household_number"], "T-EDIT-B");
  EXPECT_EQ(m["member_events"][0]["id_number"].get<std::string>().find(child.id), std::string::npos)
      << "the event's ID number is masked";
  EXPECT_EQ(m["members"][1]["left_on"], "2024-03-15");
  const json hb = GetJson("/api/v1/households/" + std::to_string(id_b), 200, "village");
  ASSERT_EQ(hb["members"].size(), 2u);
  EXPECT_EQ(hb["members"][1]["name"], child.name);
  EXPECT_EQ(hb["members"][1]["relation"], "spouse");
  EXPECT_EQ(hb["member_events"][0]["kind"], "marriage_in");
  // Membership as of the day before the marriage.
  const json before = GetJson(path + "?as_of=2024-03-14", 200, "village");
  EXPECT_EQ(before["members"].size(), 2u);
  EXPECT_TRUE(before["member_events"].empty());
  EXPECT_EQ(GetJson(path + "?as_of=2024-03-15", 200, "village")["members"].size(), 1u);
  // The list counts current members.
  const json listed = GetJson("/api/v1/households?q=T-EDIT-A", 200, "village");
  EXPECT_EQ(listed["items"][0]["members"], 1);

  // An unknown kind names the field; nothing changes.
  auto unknown = Send("POST", path + "/member-events",
                      {{"kind", "abducted"}, {"on", "2024-03-15"}, {"version", m["version"]}},
                      As(Login("village")));
  ASSERT_EQ(unknown->status, 400) << unknown->body;
  EXPECT_EQ(json::parse(unknown->body)["error"]["details"][0]["column"], "kind");

  // The history lists the edit and the event without any personal value.
  const json history = GetJson(path + "/history", 200, "village");
  ASSERT_GE(history["items"].size(), 3u);
  EXPECT_EQ(history["items"][0]["action"], "member_event");
  EXPECT_EQ(history["items"][1]["action"], "update");
  EXPECT_EQ(history["items"][1]["note"], "入户核实");
  EXPECT_EQ(history.dump().find("13712345678"), std::string::npos);
  EXPECT_EQ(history.dump().find("hmac:"), std::string::npos);
  EXPECT_EQ(history["items"][0].count("address"), 0u);
}

// The household role reads its own household and nothing else of the registry (docs/access.md).
TEST_F(ApiTest, AHouseholdMemberSeesOnlyTheirOwnHousehold) {
  const json session = GetJson("/api/v1/session", 200, "household");
  EXPECT_FALSE(session["permissions"].contains("registry.read")) << session.dump();
  ASSERT_EQ(session["own_households"]["registry.read"].size(), 1u) << session.dump();
  const int64_t own = session["own_households"]["registry.read"][0].get<int64_t>();
  EXPECT_EQ(session["user"]["roles"][0]["household_id"], own);
  const std::string own_number = session["user"]["roles"][0]["household_number"];
  EXPECT_NE(own, inside_household_);

  // The list: that household only, whatever the filters; nothing of the village besides.
  const json list = GetJson("/api/v1/households", 200, "household");
  ASSERT_EQ(list["total"], 1) << list.dump();
  EXPECT_EQ(list["items"][0]["id"], own);
  EXPECT_EQ(list["items"][0]["number"], own_number);
  EXPECT_EQ(
      GetJson("/api/v1/households?region=990121001001&sort=-members", 200, "household")["total"],
      1);
  EXPECT_EQ(GetJson("/api/v1/households?q=T-INSIDE", 200, "household")["total"], 0);
  EXPECT_EQ(GetJson("/api/v1/households?q=" + kInsideSpouse.id, 200, "household")["total"], 0);
  EXPECT_EQ(GetJson("/api/v1/households?region=990122001001", 200, "household")["total"], 0);
  EXPECT_EQ(GetJson("/api/v1/households?page=2", 200, "household")["items"].size(), 0u);

  // The detail: its own, 404 for a neighbour's (audited as denied) and for one elsewhere.
  const json detail = GetJson("/api/v1/households/" + std::to_string(own), 200, "household");
  EXPECT_EQ(detail["number"], own_number);
  EXPECT_FALSE(detail["may_reveal"].get<bool>());
  EXPECT_EQ(Get("/api/v1/households/" + std::to_string(inside_household_), "household")->status,
            404);
  EXPECT_EQ(Get("/api/v1/households/" + std::to_string(outside_household_), "household")->status,
            404);
  const json denied = GetJson("/api/v1/audit?entity=household&actor=household&entity_id=" +
                              std::to_string(inside_household_));
  EXPECT_GE(denied["total"].get<int>(), 1) << denied.dump();

  // The export: one row (after the header), its own.
  auto csv = Get("/api/v1/households/export?format=csv", "household");
  ASSERT_EQ(csv->status, 200) << csv->body;
  EXPECT_NE(csv->body.find(own_number), std::string::npos);
  EXPECT_EQ(csv->body.find("T-INSIDE-1"), std::string::npos);
  EXPECT_EQ(std::count(csv->body.begin(), csv->body.end(), '\n'), 2) << csv->body;

  // Nothing else that needs registry.read or monitoring.read: figures, quality, risk events.
  EXPECT_EQ(Get("/api/v1/indicators/values?region=990121001001", "household")->status, 403);
  EXPECT_EQ(Get("/api/v1/quality/findings?region=990121001001", "household")->status, 403);
  EXPECT_EQ(Get("/api/v1/households/" + std::to_string(own) + "/risk-events", "household")->status,
            403);
  const std::string reveal_own = "/api/v1/households/" + std::to_string(own) + "/reveal";
  EXPECT_EQ(Send("POST", reveal_own, {{"field", "phone"}}, As(Login("household")))->status, 403);

  // With the per-user grant to see personal data, the household member may reveal their own
  // household's values — and still nothing of their neighbours (404, not their village).
  const json users = GetJson("/api/v1/users");
  json user;
  for (const auto& u : users["items"]) {
    if (u["name"] == "household") user = u;
  }
  ASSERT_FALSE(user.is_null());
  auto grant = Send("PATCH", "/api/v1/users/" + std::to_string(user["id"].get<int64_t>()),
                    {{"version", user["version"]}, {"view_sensitive", true}}, As(Login("admin")));
  ASSERT_EQ(grant->status, 200) << grant->body;
  const json granted = GetJson("/api/v1/session", 200, "household");
  EXPECT_FALSE(granted["permissions"].contains("personal_data.view_sensitive"));
  EXPECT_EQ(granted["own_households"]["personal_data.view_sensitive"], json::array({own}));
  EXPECT_EQ(Send("POST", reveal_own, {{"field", "phone"}}, As(Login("household")))->status, 200);
  EXPECT_EQ(Send("POST", "/api/v1/households/" + std::to_string(inside_household_) + "/reveal",
                 {{"field", "phone"}}, As(Login("household")))
                ->status,
            404);
  EXPECT_EQ(Send("POST", "/api/v1/members/" + std::to_string(inside_member_) + "/reveal",
                 {{"field", "id_number"}}, As(Login("household")))
                ->status,
            404);
  const int64_t own_member = detail["members"][0]["id"].get<int64_t>();
  EXPECT_EQ(Send("POST", "/api/v1/members/" + std::to_string(own_member) + "/reveal",
                 {{"field", "id_number"}}, As(Login("household")))
                ->status,
            200);
  EXPECT_EQ(Get("/api/v1/households/export?format=csv&unmasked=true", "household")->status, 200);
  auto back = Send("PATCH", "/api/v1/users/" + std::to_string(user["id"].get<int64_t>()),
                   {{"version", json::parse(grant->body)["version"]}, {"view_sensitive", false}},
                   As(Login("admin")));
  ASSERT_EQ(back->status, 200) << back->body;
}

// The household role's binding: the household by number or id, in the binding's village.
TEST_F(ApiTest, AHouseholdBindingNamesAnExistingHouseholdInItsVillage) {
  static int made_users = 0;
  auto create = [](const json& role) {
    return Send("POST", "/api/v1/users",
                {{"name", "hh-" + std::to_string(++made_users)},
                 {"password", "a-long-password-1"},
                 {"roles", json::array({role})}},
                As(Login("admin")));
  };
  auto missing = create({{"role", "household"}, {"region", "990121001001"}});
  ASSERT_EQ(missing->status, 400) << missing->body;
  EXPECT_EQ(json::parse(missing->body)["error"]["details"][0]["column"], "roles[0].household");
  // A household of another village, and one that does not exist.
  auto elsewhere = create(
      {{"role", "household"}, {"region", "990121001001"}, {"household_number", "T-OUTSIDE-1"}});
  ASSERT_EQ(elsewhere->status, 400) << elsewhere->body;
  EXPECT_EQ(json::parse(elsewhere->body)["error"]["details"][0]["column"], "roles[0].household");
  auto unknown = create(
      {{"role", "household"}, {"region", "990121001001"}, {"household_number", "NO-SUCH-1"}});
  EXPECT_EQ(unknown->status, 400) << unknown->body;
  // Other roles take no household.
  auto official = create(
      {{"role", "official"}, {"region", "990121000000"}, {"household_id", inside_household_}});
  EXPECT_EQ(official->status, 400) << official->body;
  // By number, read back with its id.
  auto made = create(
      {{"role", "household"}, {"region", "990121001001"}, {"household_number", "T-INSIDE-1"}});
  ASSERT_EQ(made->status, 201) << made->body;
  const json role = json::parse(made->body)["roles"][0];
  EXPECT_EQ(role["household_id"], inside_household_);
  EXPECT_EQ(role["household_number"], "T-INSIDE-1");
}

TEST_F(ApiTest, WorkshopsFiguresAndTheResumptionCurveWithinTheCallersRegions) {
  // The demo county's 62 workshops and the fixture's (applied for, not recognized): the
  // official's county holds them all.
  const json list = GetJson("/api/v1/workshops?region=990121000000&page_size=100", 200, "official");
  EXPECT_EQ(list["total"], 63);
  ASSERT_FALSE(list["items"].empty());
  EXPECT_FALSE(list["items"][0]["recognitions"].empty());
  // The village user sees only its village's.
  const json village = GetJson("/api/v1/workshops?page_size=100", 200, "village");
  for (const auto& w : village["items"]) {
    EXPECT_TRUE(w["region"].get<std::string>().starts_with("990121001001")) << w.dump();
  }
  EXPECT_LT(village["total"].get<int>(), 62);

  const json f =
      GetJson("/api/v1/workshops/figures?region=990121000000&month=2024-05", 200, "official");
  EXPECT_EQ(f["workshops"], 62);
  EXPECT_GT(f["jobs"].get<int>(), 0);
  EXPECT_LE(f["poor_jobs"].get<int>(), f["jobs"].get<int>());
  EXPECT_GE(f["idle"].size(), 4u);
  EXPECT_NE(f["convention"].get<std::string>().find("latest revision"), std::string::npos);
  // Outside the caller's regions: nothing.
  const json outside =
      GetJson("/api/v1/workshops/figures?region=990122000000&month=2024-05", 200, "official");
  EXPECT_EQ(outside["workshops"], 0);

  const json curve =
      GetJson("/api/v1/workshops/resumption?region=990121000000&from=2020-02-01&to=2020-04-30", 200,
              "official");
  ASSERT_EQ(curve["curve"].size(), 90u);  // 29 + 31 + 30 days
  EXPECT_DOUBLE_EQ(curve["curve"][0]["rate"].get<double>(), 0.0);
  EXPECT_GT(curve["curve"][89]["rate"].get<double>(), 0.9);

  // Bad parameters name themselves; roles without workshops.read get 403.
  EXPECT_EQ(GetJson("/api/v1/workshops/figures?region=990121000000&month=2024-5", 400,
                    "official")["error"]["details"][0]["column"],
            "month");
  const json missing = GetJson("/api/v1/workshops/resumption?region=990121000000", 400, "official");
  EXPECT_EQ(missing["error"]["details"].size(), 2u);
  EXPECT_EQ(Get("/api/v1/workshops", "household")->status, 403);
}

TEST_F(ApiTest, WorkshopAlertsNameTheirRuleAndValuesWithinTheCallersRegions) {
  // Last month (the default): the demo's idle workshops have been idle for months by then, the
  // silent one has stopped reporting, and a few workers are members without labour capacity.
  const json a = GetJson("/api/v1/workshops/alerts?region=990121000000", 200, "official");
  EXPECT_EQ(a["region"], "990121000000");
  EXPECT_EQ(a["options"]["min_poor_share"], 0.3);
  EXPECT_EQ(a["options"]["poor_wage_floor_fen"], 160000);
  for (const char* rule :
       {"idle_few_days", "idle_no_poor_workers", "not_reporting", "poor_share_below_standard",
        "poor_wage_below_floor", "worker_without_labour"}) {
    EXPECT_GE(a["counts"][rule].get<int>(), 1) << rule << " " << a["counts"].dump();
  }
  EXPECT_EQ(a["total"].get<size_t>(), a["alerts"].size());
  EXPECT_GE(a["counts"]["idle_few_days"].get<int>(), 3);
  const std::string body = a.dump();
  for (const auto& alert : a["alerts"]) {
    EXPECT_FALSE(alert["workshop"].get<std::string>().empty());
    EXPECT_FALSE(alert["message"].get<std::string>().empty());
    // Every alert has its Chinese, not the English again.
    EXPECT_NE(alert["message_zh"], alert["message"]) << alert.dump();
    if (alert["rule"] == "worker_without_labour") {
      EXPECT_GT(alert["member_id"].get<int64_t>(), 0);
      EXPECT_TRUE(alert["detail"] == "none" || alert["detail"] == "lost") << alert.dump();
    } else if (alert["rule"] == "poor_share_below_standard") {
      EXPECT_LT(alert["values"]["poor_share"].get<double>(), 0.3);
    } else if (alert["rule"] == "poor_wage_below_floor") {
      EXPECT_LT(alert["values"]["mean_poor_wage_fen"].get<double>(), 160000);
    }
  }
  // No ID number of any worker reaches the alerts: 18 characters of digits (or a final X)
  // never appear.
  EXPECT_FALSE(std::regex_search(body, std::regex("[0-9]{17}[0-9X]"))) << body.substr(0, 2000);

  // A lower wage floor and standard: fewer alerts of those rules.
  const json lenient =
      GetJson("/api/v1/workshops/alerts?region=990121000000&min_poor_share=0&poor_wage_floor_fen=0",
              200, "official");
  EXPECT_EQ(lenient["counts"]["poor_share_below_standard"], 0);
  EXPECT_EQ(lenient["counts"]["poor_wage_below_floor"], 0);
  EXPECT_EQ(lenient["counts"]["idle_few_days"], a["counts"]["idle_few_days"]);

  // The village user's alerts are of its village's workshops only.
  const json village = GetJson("/api/v1/workshops/alerts?region=990121001001", 200, "village");
  EXPECT_LE(village["total"].get<int>(), a["total"].get<int>());
  EXPECT_EQ(Get("/api/v1/workshops/alerts?region=990121000000", "village")->status, 200);
  const json outside = GetJson("/api/v1/workshops/alerts?region=990122000000", 200, "official");
  EXPECT_EQ(outside["total"], 0);

  // Bad options name themselves; roles without workshops.read get 403.
  const json bad =
      GetJson("/api/v1/workshops/alerts?region=990121000000&min_poor_share=1.5&idle_months=0", 400,
              "official");
  ASSERT_EQ(bad["error"]["details"].size(), 2u);
  EXPECT_EQ(bad["error"]["details"][0]["column"], "idle_months");
  EXPECT_EQ(bad["error"]["details"][1]["column"], "min_poor_share");
  EXPECT_EQ(GetJson("/api/v1/workshops/alerts?region=990121000000&min_poor_share=x", 400,
                    "official")["error"]["details"][0]["column"],
            "min_poor_share");
  EXPECT_EQ(GetJson("/api/v1/workshops/alerts", 400, "official")["error"]["details"][0]["column"],
            "region");
  EXPECT_EQ(Get("/api/v1/workshops/alerts?region=990121000000", "household")->status, 403);

  // The thresholds come from the stored standard in force: the placeholder default row until
  // the province sets its own, which then applies from its year on.
  EXPECT_EQ(a["options"]["standard"], "national/2016");
  EXPECT_EQ(lenient["options"]["standard"], "national/2016 (adjusted)");
  const json standards =
      GetJson("/api/v1/workshops/standards?region=990121000000", 200, "official");
  ASSERT_GE(standards["total"].get<int>(), 1);
  EXPECT_EQ(standards["items"][0]["province"], "");
  EXPECT_EQ(standards["applies"]["standard"], "national/2016");
  json standard = {{"province", "990000000000"}, {"year", 2016},          {"idle_days", 10},
                   {"idle_months", 3},           {"min_poor_share", 0.0}, {"min_poor_workers", 0},
                   {"poor_wage_floor_fen", 0},   {"note", "test"}};
  // County officials may not set a province's standard; bad values name their fields.
  EXPECT_EQ(Send("PUT", "/api/v1/workshops/standards", standard, As(Login("official")))->status,
            403);
  json wrong = standard;
  wrong["province"] = "990121000000";
  wrong["min_poor_share"] = 2;
  auto refused = Send("PUT", "/api/v1/workshops/standards", wrong, As(Login("admin")));
  ASSERT_EQ(refused->status, 400) << refused->body;
  const json details = json::parse(refused->body)["error"]["details"];
  ASSERT_EQ(details.size(), 2u) << refused->body;
  EXPECT_EQ(details[0]["column"], "province");
  EXPECT_EQ(details[1]["column"], "min_poor_share");
  auto set = Send("PUT", "/api/v1/workshops/standards", standard, As(Login("admin")));
  ASSERT_EQ(set->status, 200) << set->body;
  EXPECT_EQ(json::parse(set->body)["updated_by"], "admin");
  const json own = GetJson("/api/v1/workshops/alerts?region=990121000000", 200, "official");
  EXPECT_EQ(own["options"]["standard"], "990000000000/2016");
  EXPECT_EQ(own["counts"]["poor_share_below_standard"], 0);
  EXPECT_EQ(own["counts"]["poor_wage_below_floor"], 0);
  // Back to the default's figures for the other tests.
  standard["min_poor_share"] = 0.3;
  standard["poor_wage_floor_fen"] = 160000;
  ASSERT_EQ(Send("PUT", "/api/v1/workshops/standards", standard, As(Login("admin")))->status, 200);
  EXPECT_EQ(GetJson("/api/v1/workshops/alerts?region=990121000000", 200,
                    "official")["counts"]["poor_wage_below_floor"],
            a["counts"]["poor_wage_below_floor"]);
}

// The operator's side: its own workshops only, hiring registered members by ID number, monthly
// reports checked against the worker list and corrected as revisions; officials' edits from
// the current version; the spreadsheets.
TEST_F(ApiTest, OperatorsHireAndReportOnTheirOwnWorkshops) {
  const json mine = GetJson("/api/v1/workshops?page_size=500", 200, "enterprise");
  ASSERT_GT(mine["total"].get<int>(), 0);
  for (const auto& w : mine["items"]) EXPECT_EQ(w["operator_id"], enterprise_org_) << w.dump();
  EXPECT_FALSE(mine["items"][0]["operator_name"].get<std::string>().empty());
  const std::string other = "/api/v1/workshops/" + std::to_string(inside_workshop_);
  EXPECT_EQ(Get(other, "enterprise")->status, 404);
  EXPECT_EQ(
      Send("POST", other + "/reports", {{"month", "2024-01"}}, As(Login("enterprise")))->status,
      404);
  EXPECT_EQ(Get("/api/v1/workshops/figures?region=990121000000", "enterprise")->status, 403);

  const int64_t id = mine["items"][0]["id"];
  const std::string path = "/api/v1/workshops/" + std::to_string(id);
  const json before = GetJson(path, 200, "enterprise");
  EXPECT_TRUE(before["workers"].is_array());
  ASSERT_TRUE(before["alerts"].is_array());
  for (const auto& a : before["alerts"]) EXPECT_EQ(a["workshop_id"], id);
  EXPECT_EQ(before.dump().find("person_key"), std::string::npos);
  EXPECT_EQ(before.dump().find("id_number"), std::string::npos);

  // Hiring the inside household's spouse (a registered-poor household of the same county).
  auto candidate = Send("POST", path + "/candidates", {{"id_number", kInsideSpouse.id}},
                        As(Login("enterprise")));
  ASSERT_EQ(candidate->status, 200) << candidate->body;
  EXPECT_EQ(json::parse(candidate->body)["category"], "registered_poor");
  EXPECT_EQ(candidate->body.find(kInsideSpouse.id), std::string::npos);
  // Someone of another county is not theirs to look up.
  auto foreign =
      Send("POST", path + "/candidates", {{"id_number", kOutsideHead.id}}, As(Login("enterprise")));
  EXPECT_EQ(foreign->status, 404);
  EXPECT_EQ(json::parse(foreign->body)["error"]["details"][0]["column"], "id_number");
  EXPECT_EQ(foreign->body.find(kOutsideHead.id), std::string::npos);

  const std::string today = Today();
  const int year = std::stoi(today.substr(0, 4));
  const int month = std::stoi(today.substr(5, 2));
  // Last month, and its first day as the start of the job.
  char last_text[32];
  std::snprintf(last_text, sizeof last_text, "%04d-%02d", month == 1 ? year - 1 : year,
                month == 1 ? 12 : month - 1);
  const std::string last = last_text;
  auto hired = Send("POST", path + "/employments",
                    {{"id_number", kInsideSpouse.id},
                     {"start", last + "-01"},
                     {"wage_form", "piece"},
                     {"position", "缝纫工"}},
                    As(Login("enterprise")));
  ASSERT_EQ(hired->status, 201) << hired->body;
  const json job = json::parse(hired->body);
  EXPECT_EQ(job["category"], "registered_poor");
  EXPECT_EQ(job["member_id"], inside_member_);
  // Not twice over the same period.
  auto twice =
      Send("POST", path + "/employments",
           {{"id_number", kInsideSpouse.id}, {"start", last + "-15"}}, As(Login("enterprise")));
  EXPECT_EQ(twice->status, 400);
  EXPECT_EQ(json::parse(twice->body)["error"]["details"][0]["column"], "start");

  // A report claiming more registered-poor workers than the worker list has.
  const json workers = GetJson(path, 200, "enterprise")["workers"];
  int poor = 0, all = 0;
  for (const auto& w : workers) {
    if (w["end"].is_null() || w["end"].get<std::string>() >= last + "-01") {
      ++all;
      if (w["category"] == "registered_poor") ++poor;
    }
  }
  json report = {{"month", last},
                 {"status", "operating"},
                 {"days_operated", 20},
                 {"headcount", all},
                 {"poor_headcount", poor + 1},
                 {"wages_fen", 3000000},
                 {"poor_wages_fen", 1000000},
                 {"problems", {"sales"}}};
  auto refused = Send("POST", path + "/reports", report, As(Login("enterprise")));
  ASSERT_EQ(refused->status, 400) << refused->body;
  EXPECT_EQ(json::parse(refused->body)["error"]["details"][0]["column"], "poor_headcount");
  report["poor_headcount"] = poor;
  auto first = Send("POST", path + "/reports", report, As(Login("enterprise")));
  ASSERT_EQ(first->status, 201) << first->body;
  const int revision = json::parse(first->body)["revision"];
  report["days_operated"] = 21;
  auto corrected = Send("POST", path + "/reports", report, As(Login("official")));
  ASSERT_EQ(corrected->status, 201) << corrected->body;
  EXPECT_EQ(json::parse(corrected->body)["revision"], revision + 1);
  const json after = GetJson(path, 200, "enterprise");
  int revisions = 0;
  for (const auto& r : after["reports"]) revisions += r["month"] == last ? 1 : 0;
  EXPECT_EQ(revisions, revision + 1);

  // The workshop's own indicators for last month come from the corrected report.
  const json own = GetJson(path + "/indicators?period=" + last, 200, "enterprise");
  EXPECT_EQ(own["stock_month"], last);
  std::map<std::string, json> value;
  for (const auto& i : own["items"]) value[i["code"].get<std::string>()] = i;
  ASSERT_EQ(value.size(), 15u) << own.dump();
  EXPECT_EQ(value["workshop_jobs"]["value"], all);
  EXPECT_EQ(value["workshop_poor_jobs"]["value"], poor);
  EXPECT_EQ(value["workshop_poor_month_wages"]["value"], 10000);
  if (poor > 0) {
    EXPECT_DOUBLE_EQ(value["workshop_poor_mean_wage"]["value"].get<double>(), 10000.0 / poor);
  }
  EXPECT_EQ(value["workshop_poor_worker_share"]["denominator"], all);
  EXPECT_EQ(Get(other + "/indicators", "enterprise")->status, 404);
  EXPECT_EQ(GetJson(path + "/indicators?period=2024-13", 400,
                    "enterprise")["error"]["details"][0]["column"],
            "period");

  // Officials edit the profile from the current version.
  json profile = GetJson(path, 200, "official");
  profile["products"] = "藏族服饰";
  auto edited = Send("PUT", path, profile, As(Login("official")));
  ASSERT_EQ(edited->status, 200) << edited->body;
  EXPECT_EQ(json::parse(edited->body)["version"], profile["version"].get<int>() + 1);
  auto stale = Send("PUT", path, profile, As(Login("official")));
  EXPECT_EQ(stale->status, 409);
  EXPECT_EQ(Send("PUT", path, profile, As(Login("enterprise")))->status, 403);
  // A status change before the last one is refused, naming the day.
  auto early = Send("POST", path + "/status-changes",
                    {{"status", "suspended"},
                     {"on", "2000-01-01"},
                     {"version", profile["version"].get<int>() + 1}},
                    As(Login("enterprise")));
  EXPECT_EQ(early->status, 400) << early->body;

  // Spreadsheets: the region's month, the curve, the workshop's reports.
  auto xlsx = Get("/api/v1/workshops/export?region=990121000000&month=" + last, "official");
  ASSERT_EQ(xlsx->status, 200) << xlsx->body;
  test_support::TempDir dir;
  test_support::WriteFile(dir / "w.xlsx", xlsx->body);
  auto reader = tabular::TableReader::Open((dir / "w.xlsx").string());
  ASSERT_TRUE(reader) << reader.error().message;
  EXPECT_EQ((*reader)->header().at(0), "车间");
  tabular::Row row;
  int rows = 0;
  bool found = false;
  while (true) {
    auto more = (*reader)->Next(row);
    ASSERT_TRUE(more);
    if (!*more) break;
    ++rows;
    if (row.cells.at(0) == mine["items"][0]["name"]) {
      found = true;
      EXPECT_EQ(row.cells.at(7).substr(0, 6), "已报");
      EXPECT_EQ(row.cells.at(8), "21");
    }
  }
  EXPECT_TRUE(found);
  const json figures =
      GetJson("/api/v1/workshops/figures?region=990121000000&month=" + last, 200, "official");
  EXPECT_GE(rows, figures["workshops"].get<int>());
  auto csv =
      Get("/api/v1/workshops/resumption/"
          "export?region=990121000000&from=2020-02-01&to=2020-02-29&format=csv&lang=en",
          "official");
  ASSERT_EQ(csv->status, 200);
  EXPECT_EQ(std::count(csv->body.begin(), csv->body.end(), '\n'), 30);  // header + 29 days
  auto reports = Get(path + "/export?table=reports&format=csv", "enterprise");
  ASSERT_EQ(reports->status, 200);
  EXPECT_NE(reports->body.find("21"), std::string::npos);
  auto workers_csv = Get(path + "/export?table=workers&format=csv", "enterprise");
  ASSERT_EQ(workers_csv->status, 200);
  EXPECT_NE(workers_csv->body.find(kInsideSpouse.name), std::string::npos);
  EXPECT_EQ(workers_csv->body.find(kInsideSpouse.id), std::string::npos);
}

// Workshop subsidies over the demo: the province's 2020 labour rule and its reviewed, partly paid
// run are there; a county official stores a new rule (a new combination of conditions), edits it
// into version 2, runs it, approves a line and pays it — exactly the approved amount, not a fen
// more; the run and the ledger export to Excel; each role reaches what its permissions say.
TEST_F(ApiTest, SubsidyRulesRunsReviewPaymentsAndTheLedger) {
  const json rules = GetJson("/api/v1/subsidy-rules", 200, "official");
  ASSERT_GE(rules["items"].size(), 1u);
  EXPECT_EQ(rules["items"][0]["code"], "labour-2020");  // the province's, seen by the county
  EXPECT_EQ(rules["items"][0]["region"], "990000000000");
  EXPECT_FALSE(rules["facts"]["worker"].empty());
  // The demo's run: reviewed and partly paid.
  const json runs = GetJson("/api/v1/subsidy-runs", 200, "auditor");
  ASSERT_GE(runs["items"].size(), 1u);
  const json demo_run = runs["items"].back();
  EXPECT_EQ(demo_run["rule_code"], "labour-2020");
  EXPECT_GT(demo_run["paid_fen"].get<int64_t>(), 0);
  EXPECT_LT(demo_run["paid_fen"].get<int64_t>(), demo_run["approved_fen"].get<int64_t>());
  EXPECT_EQ(demo_run["pending"], 0);

  const json templates =
      GetJson("/api/v1/subsidy-rules/templates?region=990121000000&year=2021", 200, "official");
  ASSERT_EQ(templates["items"].size(), 3u);
  EXPECT_EQ(templates["items"][0]["code"], "labour-2021");

  const auto official = As(Login("official"));
  json rule = {{"code", "api-days-2020"},
               {"name", "测试：按本车间务工天数补贴"},
               {"region", "990121000000"},
               {"valid_from", "2020-01-01"},
               {"valid_to", "2020-12-31"},
               {"unit", "worker"},
               {"conditions",
                {{{"fact", "category"}, {"op", "in"}, {"value", "registered_poor,monitored"}},
                 {{"fact", "days_employed_here"}, {"op", ">="}, {"value", 90}}}},
               {"amount_fen", 1000},
               {"amount_fact", "days_employed_here"},
               {"cap_fen", 300000},
               {"basis", "API test"}};
  // Problems name their fields; nothing is stored.
  json bad = rule;
  bad["conditions"][0]["fact"] = "shoe_size";
  bad["bands"] = {{{"min", 5}, {"max", 1}, {"amount_fen", 100}}};
  auto refused = Send("POST", "/api/v1/subsidy-rules", bad, official);
  ASSERT_EQ(refused->status, 400) << refused->body;
  std::set<std::string> columns;
  const json refused_body = json::parse(refused->body);
  for (const auto& d : refused_body["error"]["details"]) columns.insert(d["column"]);
  EXPECT_TRUE(columns.contains("conditions[1].fact")) << refused->body;
  EXPECT_TRUE(columns.contains("bands[1].max")) << refused->body;
  // A province rule is beyond a county official; a township official may not configure at all.
  json province = rule;
  province["region"] = "990000000000";
  EXPECT_EQ(Send("POST", "/api/v1/subsidy-rules", province, official)->status, 403);
  EXPECT_EQ(Send("POST", "/api/v1/subsidy-rules", rule, As(Login("township")))->status, 403);

  auto created = Send("POST", "/api/v1/subsidy-rules", rule, official);
  ASSERT_EQ(created->status, 201) << created->body;
  const json v1 = json::parse(created->body);
  EXPECT_EQ(v1["version"], 1);
  EXPECT_EQ(v1["conditions"][1]["value"], "90");
  const std::string id = std::to_string(v1["id"].get<int64_t>());
  EXPECT_EQ(Send("POST", "/api/v1/subsidy-rules", rule, official)->status, 409);
  json edit = v1;
  edit["amount_fen"] = 2000;
  auto v2 = Send("PUT", "/api/v1/subsidy-rules/" + id, edit, official);
  ASSERT_EQ(v2->status, 200) << v2->body;
  EXPECT_EQ(json::parse(v2->body)["version"], 2);
  auto stale = Send("PUT", "/api/v1/subsidy-rules/" + id, edit, official);
  ASSERT_EQ(stale->status, 409);
  EXPECT_EQ(json::parse(stale->body)["error"]["current_version"], 2);
  EXPECT_EQ(GetJson("/api/v1/subsidy-rules/" + id + "/versions", 200, "evaluator")["total"], 2);

  // Run it for the county over 2020.
  auto ran = Send("POST", "/api/v1/subsidy-runs",
                  {{"rule_id", v1["id"]},
                   {"region", "990121000000"},
                   {"from", "2020-01-01"},
                   {"to", "2020-12-31"}},
                  official);
  ASSERT_EQ(ran->status, 201) << ran->body;
  const json run = json::parse(ran->body);
  EXPECT_EQ(run["rule_version"], 2);
  ASSERT_GT(run["eligible"].get<int>(), 0) << ran->body;
  json line, not_line;
  for (const auto& l : run["lines"]) {
    if (l["qualifies"].get<bool>() && line.is_null()) line = l;
    if (!l["qualifies"].get<bool>() && not_line.is_null()) not_line = l;
  }
  ASSERT_FALSE(line.is_null());
  EXPECT_NE(line["explanation"].get<std::string>().find("days_employed_here >= 90: "),
            std::string::npos)
      << line.dump();
  EXPECT_LE(line["amount_fen"].get<int64_t>(), 300000);
  const std::string run_path = "/api/v1/subsidy-runs/" + std::to_string(run["id"].get<int64_t>());
  // A workshop's page asks for the runs with its lines, and gets only those lines.
  const json of_workshop =
      GetJson("/api/v1/subsidy-runs?workshop=" + std::to_string(line["workshop_id"].get<int64_t>()),
              200, "auditor");
  bool listed = false;
  for (const auto& r : of_workshop["items"]) {
    ASSERT_FALSE(r["lines"].empty());
    for (const auto& l : r["lines"]) {
      EXPECT_EQ(l["workshop_id"], line["workshop_id"]);
      listed = listed || l["id"] == line["id"];
    }
  }
  EXPECT_TRUE(listed) << of_workshop.dump();
  EXPECT_EQ(GetJson("/api/v1/subsidy-runs?workshop=999999", 200, "auditor")["total"], 0);
  // Only county officials review; the run is outside no one's county here.
  EXPECT_EQ(Send("POST", run_path + "/review", {{"lines", {line["id"]}}, {"decision", "approved"}},
                 As(Login("township")))
                ->status,
            403);
  if (!not_line.is_null()) {
    auto wrong = Send("POST", run_path + "/review",
                      {{"lines", {not_line["id"]}}, {"decision", "approved"}}, official);
    ASSERT_EQ(wrong->status, 400) << wrong->body;
    EXPECT_EQ(json::parse(wrong->body)["error"]["details"][0]["column"], "lines[1]");
  }
  auto reviewed = Send("POST", run_path + "/review",
                       {{"lines", {line["id"]}}, {"decision", "approved"}}, official);
  ASSERT_EQ(reviewed->status, 200) << reviewed->body;
  const int64_t approved = json::parse(reviewed->body)["items"][0]["approved_fen"].get<int64_t>();
  EXPECT_EQ(approved, line["amount_fen"].get<int64_t>());

  json payment = {{"line_id", line["id"]},
                  {"paid_on", "2021-04-01"},
                  {"amount_fen", approved + 1},
                  {"voucher", "API-0001"},
                  {"payee", line["workshop_name"]}};
  auto over = Send("POST", "/api/v1/subsidy-payments", payment, official);
  ASSERT_EQ(over->status, 400) << over->body;
  const json over_detail = json::parse(over->body)["error"]["details"][0];
  EXPECT_EQ(over_detail["column"], "amount_fen");
  EXPECT_NE(over_detail["reason"].get<std::string>().find("exceeds what is left to pay"),
            std::string::npos);
  EXPECT_FALSE(over_detail["reason_zh"].get<std::string>().empty());
  EXPECT_EQ(Send("POST", "/api/v1/subsidy-payments", payment, As(Login("evaluator")))->status, 403);
  payment["amount_fen"] = approved;
  auto paid = Send("POST", "/api/v1/subsidy-payments", payment, official);
  ASSERT_EQ(paid->status, 201) << paid->body;
  EXPECT_EQ(json::parse(paid->body)["rule_version"], 2);
  payment["amount_fen"] = 1;
  EXPECT_EQ(Send("POST", "/api/v1/subsidy-payments", payment, official)->status, 400);

  const json ledger = GetJson("/api/v1/subsidy-ledger?rule=" + id, 200, "evaluator");
  EXPECT_EQ(ledger["total"], 1);
  EXPECT_EQ(ledger["total_fen"], approved);
  EXPECT_EQ(ledger["by_rule"][0]["key"], "api-days-2020");
  EXPECT_EQ(ledger["by_year"][0]["key"], "2021");

  // Excel downloads of the run and the ledger, read back.
  for (const std::string& path :
       {run_path + "?format=xlsx", std::string("/api/v1/subsidy-ledger?format=xlsx")}) {
    auto xlsx = Get(path, "auditor");
    ASSERT_EQ(xlsx->status, 200) << path << ": " << xlsx->body;
    test_support::TempDir dir;
    test_support::WriteFile(dir / "out.xlsx", xlsx->body);
    auto reader = tabular::TableReader::Open((dir / "out.xlsx").string());
    ASSERT_TRUE(reader) << path;
    tabular::Row row;
    std::vector<std::vector<std::string>> rows;
    while ((*reader)->Next(row).value_or(false)) rows.push_back(row.cells);
    ASSERT_GE(rows.size(), 2u) << path;
    EXPECT_EQ(rows.back()[0], "合计") << path;
  }
  // Roles without subsidies.read see nothing; a run outside the caller's regions is not found.
  EXPECT_EQ(Get("/api/v1/subsidy-rules", "village")->status, 403);
  EXPECT_EQ(Get("/api/v1/subsidy-ledger", "enterprise")->status, 403);
  EXPECT_EQ(Get(run_path, "township")->status, 404);  // a county run, above the township
}

// The project library: proposed by the village, reviewed by the township, approved by the
// county — each step only by its role, in its region —, changes approved again as new versions,
// the differences between versions, refusals with the field and a Chinese message.
TEST_F(ApiTest, ProjectsFollowTheirLifecycleByRole) {
  // The village proposes in its own village only.
  auto elsewhere = Send("POST", "/api/v1/projects", ProjectBody("990121001002", "邻村项目"),
                        As(Login("village")));
  ASSERT_EQ(elsewhere->status, 403) << elsewhere->body;
  EXPECT_EQ(json::parse(elsewhere->body)["error"]["details"][0]["column"], "region");
  json bad = ProjectBody("990121001001", "");
  bad["milestones"][1]["weight"] = 60;
  auto invalid = Send("POST", "/api/v1/projects", bad, As(Login("village")));
  ASSERT_EQ(invalid->status, 400) << invalid->body;
  const json error = json::parse(invalid->body)["error"];
  EXPECT_EQ(error["message_zh"], "项目信息有 2 处问题");
  EXPECT_EQ(error["details"][0]["column"], "name");
  EXPECT_EQ(error["details"][1]["column"], "milestones");
  EXPECT_EQ(error["details"][1]["reason_zh"], "各里程碑权重合计为 90，应为 100");
  json body = ProjectBody("990121001001", "村饮水巩固提升工程");
  body["beneficiaries"] = {inside_household_};
  auto created = Send("POST", "/api/v1/projects", body, As(Login("village")));
  ASSERT_EQ(created->status, 201) << created->body;
  json p = json::parse(created->body);
  const std::string path = "/api/v1/projects/" + std::to_string(p["id"].get<int64_t>());
  EXPECT_EQ(p["status"], "proposed");
  EXPECT_EQ(p["actions"], json::array({"edit"}));
  EXPECT_EQ(p["earned_value"], nullptr);  // not computed before funds exist
  EXPECT_EQ(GetJson(path, 200, "township")["actions"],
            json::array({"edit", "review", "review_return", "review_reject"}));
  // The county may edit (it proposes too) but not review.
  EXPECT_EQ(GetJson(path, 200, "official")["actions"], json::array({"edit"}));
  EXPECT_EQ(GetJson(path, 200, "auditor")["actions"], json::array());

  // The wrong role: 403; the county cannot approve before the township's review: 422.
  auto by_village = Send("POST", path + "/review",
                         {{"decision", "pass"}, {"revision", p["revision"]}}, As(Login("village")));
  EXPECT_EQ(by_village->status, 403);
  auto early = Send("POST", path + "/approve",
                    {{"decision", "approve"}, {"revision", p["revision"]}}, As(Login("official")));
  ASSERT_EQ(early->status, 422) << early->body;
  EXPECT_FALSE(json::parse(early->body)["error"]["message_zh"].get<std::string>().empty());
  auto no_reason =
      Send("POST", path + "/review", {{"decision", "return"}, {"revision", p["revision"]}},
           As(Login("township")));
  ASSERT_EQ(no_reason->status, 400) << no_reason->body;
  EXPECT_EQ(json::parse(no_reason->body)["error"]["details"][0]["column"], "reason");
  auto reviewed = Send("POST", path + "/review",
                       {{"decision", "pass"}, {"revision", p["revision"]}, {"reason", "同意"}},
                       As(Login("township")));
  ASSERT_EQ(reviewed->status, 200) << reviewed->body;
  p = json::parse(reviewed->body);
  EXPECT_EQ(p["status"], "reviewed");
  // A stale revision: 409 with the current one.
  auto stale = Send("POST", path + "/approve",
                    {{"decision", "approve"}, {"revision", p["revision"].get<int>() - 1}},
                    As(Login("official")));
  ASSERT_EQ(stale->status, 409) << stale->body;
  EXPECT_EQ(json::parse(stale->body)["error"]["current_version"], p["revision"]);
  EXPECT_EQ(Send("POST", path + "/approve", {{"decision", "approve"}, {"revision", p["revision"]}},
                 As(Login("township")))
                ->status,
            403);
  auto approved =
      Send("POST", path + "/approve", {{"decision", "approve"}, {"revision", p["revision"]}},
           As(Login("official")));
  ASSERT_EQ(approved->status, 200) << approved->body;
  p = json::parse(approved->body);
  EXPECT_EQ(p["approved_version"], 1);
  auto started = Send("POST", path + "/start", {{"revision", p["revision"]}, {"on", "2024-03-01"}},
                      As(Login("village")));
  ASSERT_EQ(started->status, 200) << started->body;
  p = json::parse(started->body);
  EXPECT_EQ(p["status"], "in_progress");

  // Progress, a milestone, a measured target.
  auto report = Send("POST", path + "/reports",
                     {{"on", "2024-05-02"},
                      {"percent", 30},
                      {"narrative", "管材到货"},
                      {"attachments", {{{"name", "验收单.pdf"}, {"ref", "档案 12"}}}}},
                     As(Login("village")));
  ASSERT_EQ(report->status, 201) << report->body;
  auto milestone = Send("POST", path + "/milestones",
                        {{"key", "m1"}, {"completed_on", "2024-04-28"}}, As(Login("village")));
  ASSERT_EQ(milestone->status, 201) << milestone->body;
  auto measured =
      Send("POST", path + "/measurements",
           {{"key", "t3"}, {"value", 95}, {"measured_on", "2024-05-02"}}, As(Login("village")));
  ASSERT_EQ(measured->status, 201) << measured->body;

  // A change of the approved project: version 2, awaiting approval, version 1 in force.
  json change = ProjectBody("990121001001", "村饮水巩固提升工程");
  change["beneficiaries"] = {inside_household_};
  change["budget_fen"] = 36000000;
  change["targets"][0]["key"] = "t1";
  change["targets"][1]["key"] = "t2";
  change["targets"][2]["key"] = "t3";
  change["milestones"][0]["key"] = "m1";
  change["milestones"][1]["key"] = "m2";
  change["revision"] = p["revision"];
  auto unexplained = Send("PUT", path, change, As(Login("village")));
  ASSERT_EQ(unexplained->status, 400) << unexplained->body;
  EXPECT_EQ(json::parse(unexplained->body)["error"]["details"][0]["column"], "change_reason");
  change["change_reason"] = "管网延长 0.6 公里";
  auto changed = Send("PUT", path, change, As(Login("village")));
  ASSERT_EQ(changed->status, 200) << changed->body;
  p = json::parse(changed->body);
  EXPECT_EQ(p["version"], 2);
  EXPECT_EQ(p["pending_change"], true);
  const json detail = GetJson(path, 200, "official");
  EXPECT_EQ(detail["in_force"]["budget_fen"], 30000000);
  EXPECT_EQ(detail["profile"]["budget_fen"], 36000000);
  EXPECT_EQ(detail["milestones"][0]["completed_on"], "2024-04-28");
  EXPECT_EQ(detail["targets"][2]["actual_value"], 95);
  EXPECT_EQ(detail["targets"][2]["met"], true);
  ASSERT_EQ(detail["reports"].size(), 1u);
  EXPECT_EQ(detail["reports"][0]["attachments"][0]["name"], "验收单.pdf");
  EXPECT_EQ(detail["versions"].size(), 2u);
  const json diff = GetJson(path + "/diff", 200, "auditor");
  EXPECT_EQ(diff["from"], 1);
  EXPECT_EQ(diff["to"], 2);
  ASSERT_EQ(diff["differences"].size(), 1u);
  EXPECT_EQ(diff["differences"][0],
            json({{"field", "budget_fen"}, {"before", "30000000"}, {"after", "36000000"}}));
  EXPECT_EQ(GetJson(path + "/diff?from=1&to=9", 404, "official")["error"]["details"][0]["column"],
            "to");
  auto change_reviewed =
      Send("POST", path + "/review", {{"decision", "pass"}, {"revision", p["revision"]}},
           As(Login("township")));
  ASSERT_EQ(change_reviewed->status, 200) << change_reviewed->body;
  p = json::parse(change_reviewed->body);
  auto change_approved =
      Send("POST", path + "/approve", {{"decision", "approve"}, {"revision", p["revision"]}},
           As(Login("official")));
  ASSERT_EQ(change_approved->status, 200) << change_approved->body;
  p = json::parse(change_approved->body);
  EXPECT_EQ(p["approved_version"], 2);
  EXPECT_EQ(p["status"], "in_progress");
  const json history = GetJson(path, 200, "village")["transitions"];
  std::vector<std::string> actions;
  for (const auto& t : history) actions.push_back(t["action"]);
  EXPECT_EQ(actions, (std::vector<std::string>{"submit", "review", "approve", "start", "change",
                                               "review", "approve"}));
  EXPECT_EQ(history[1]["actor"], "township");
  EXPECT_EQ(history[2]["actor"], "official");
  EXPECT_EQ(history[4]["reason"], "管网延长 0.6 公里");

  // The list and its board; out of the caller's region, nothing.
  const json list = GetJson("/api/v1/projects?region=990121001001&page_size=100", 200, "village");
  EXPECT_GE(list["by_status"]["in_progress"].get<int>(), 1);
  EXPECT_GE(list["by_status"]["proposed"].get<int>(), 1);  // the fixture
  for (const auto& item : list["items"]) EXPECT_EQ(item["region"], "990121001001");
  EXPECT_EQ(GetJson("/api/v1/projects?region=990122000000", 200, "official")["total"], 0);
  EXPECT_EQ(
      GetJson("/api/v1/projects?status=done", 400, "official")["error"]["details"][0]["column"],
      "status");
  EXPECT_EQ(Get("/api/v1/projects", "enterprise")->status, 403);
  const json vocab = GetJson("/api/v1/projects/vocabularies", 200, "household");
  EXPECT_EQ(vocab["project_type"].size(), 13u);

  // The command line lists them with their earned value and alerts.
  auto cli = test_support::Run(
      {FUPIN_BINARY, "projects", "--db", url_, "--region", "990121001001", "--json"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  const json listed = json::parse(cli.out);
  EXPECT_EQ(listed["total"], list["total"]);
  ASSERT_TRUE(listed["items"][0]["earned_value"].is_object()) << cli.out;
  EXPECT_TRUE(listed["items"][0]["earned_value"].contains("spi"));
  EXPECT_TRUE(listed["items"][0]["alerts"].is_array());
  auto unknown =
      test_support::Run({FUPIN_BINARY, "projects", "--db", url_, "--region", "990199000000"});
  EXPECT_EQ(unknown.exit_code, 2) << unknown.out << unknown.err;
}

TEST_F(ApiTest, PasswordsNeverReachTheLog) {
  const std::string log = server_->Log();
  for (const auto& [role, password] : passwords_) {
    EXPECT_EQ(log.find(password), std::string::npos) << role;
  }
}

// Goals: a measurable goal is stored and shown on the region's board with its progress from
// the indicator's actual value; an unmeasurable one is refused naming every reason; edits come
// from the current version; the history follows the indicator year by year.
TEST_F(ApiTest, GoalsAreMeasurableAndTrackedAgainstTheStraightLine) {
  const auto official = As(Login("official"));
  json goal = {{"region", "990121000000"},      {"indicator", "poor_people"},
               {"title", "贫困人口清零"},       {"baseline", 100000.0},
               {"baseline_date", "2016-01-01"}, {"target", 0.0},
               {"deadline", "2030-12-31"},      {"responsible_unit", "县乡村振兴局"},
               {"responsible_person", "李四"}};
  auto created = Send("POST", "/api/v1/goals", goal, official);
  ASSERT_EQ(created->status, 201) << created->body;
  const json saved = json::parse(created->body);
  EXPECT_EQ(saved["version"], 1);
  const std::string path = "/api/v1/goals/" + std::to_string(saved["id"].get<int64_t>());

  // Not measurable: no indicator, no target, a deadline before the baseline.
  json bad = goal;
  bad.erase("indicator");
  bad.erase("target");
  bad["deadline"] = "2015-12-31";
  auto refused = Send("POST", "/api/v1/goals", bad, official);
  ASSERT_EQ(refused->status, 400) << refused->body;
  const json error = json::parse(refused->body)["error"];
  EXPECT_EQ(error["message"], "the goal is not measurable: 3 problem(s)");
  std::set<std::string> fields;
  for (const auto& d : error["details"]) fields.insert(d["column"].get<std::string>());
  EXPECT_EQ(fields, (std::set<std::string>{"indicator", "target", "deadline"})) << refused->body;
  // Villages read goals but do not set them; another county's region is not the official's.
  EXPECT_EQ(Send("POST", "/api/v1/goals", goal, As(Login("village")))->status, 403);
  json outside = goal;
  outside["region"] = "990122000000";
  EXPECT_EQ(Send("POST", "/api/v1/goals", outside, official)->status, 403);

  // The village reads the goals of its village (the fixture's and the demo's), also when it
  // asks for the county; another county gives nothing.
  auto ids_of = [](const json& list, const std::string& prefix) {
    std::set<int64_t> ids;
    for (const auto& i : list["items"]) {
      EXPECT_TRUE(i["region"].get<std::string>().starts_with(prefix)) << i.dump();
      ids.insert(i["id"].get<int64_t>());
    }
    return ids;
  };
  const auto village =
      ids_of(GetJson("/api/v1/goals?region=990121001001", 200, "village"), "990121001001");
  EXPECT_TRUE(village.contains(inside_goal_));
  EXPECT_EQ(ids_of(GetJson("/api/v1/goals?region=990121000000", 200, "village"), "990121001001"),
            village);
  EXPECT_EQ(GetJson("/api/v1/goals?region=990122000000", 200, "village")["total"], 0);
  const json board = GetJson("/api/v1/goals?region=990121000000", 200, "official");
  const auto county = ids_of(board, "990121");
  EXPECT_TRUE(county.contains(saved["id"].get<int64_t>()));
  EXPECT_TRUE(county.contains(inside_goal_));
  EXPECT_FALSE(county.contains(outside_goal_));
  json item;
  for (const auto& i : board["items"]) {
    if (i["id"] == saved["id"]) item = i;
  }
  ASSERT_FALSE(item.is_null()) << board.dump();
  EXPECT_EQ(item["indicator_zh"], "贫困人口");
  EXPECT_FALSE(item["region_name"].get<std::string>().empty());
  const json progress = item["progress"];
  ASSERT_TRUE(progress["actual"].is_number()) << item.dump();
  const double actual = progress["actual"];
  EXPECT_NEAR(progress["percent"].get<double>(), (actual - 100000.0) / (0 - 100000.0) * 100, 1e-9);
  EXPECT_GT(progress["expected"].get<double>(), 0);
  EXPECT_LT(progress["expected"].get<double>(), 100);
  EXPECT_TRUE(progress["status"] == "on_track" || progress["status"] == "at_risk" ||
              progress["status"] == "off_track" || progress["status"] == "achieved")
      << progress.dump();
  int counted = 0;
  for (const auto& [status, n] : board["counts"].items()) counted += n.get<int>();
  EXPECT_EQ(counted, board["total"].get<int>());

  const json detail = GetJson(path, 200, "official");
  ASSERT_GE(detail["history"].size(), 3u);
  EXPECT_EQ(detail["history"][0]["day"], "2016-01-01");
  EXPECT_EQ(detail["history"][0]["expected"], 100000.0);
  EXPECT_EQ(detail["history"][1]["day"], "2016-12-31");
  EXPECT_EQ(detail["history"].back()["value"], actual);

  // A stricter target and thresholds, from the current version; then stale.
  json edit = saved;
  edit["target"] = 10.0;
  edit["on_track_ratio"] = 1.0;
  auto updated = Send("PUT", path, edit, official);
  ASSERT_EQ(updated->status, 200) << updated->body;
  EXPECT_EQ(json::parse(updated->body)["version"], 2);
  EXPECT_EQ(Send("PUT", path, edit, official)->status, 409);
  edit["at_risk_ratio"] = 1.5;
  edit["version"] = 2;
  auto ratio = Send("PUT", path, edit, official);
  ASSERT_EQ(ratio->status, 400);
  EXPECT_EQ(json::parse(ratio->body)["error"]["details"][0]["column"], "at_risk_ratio");

  // The board as a spreadsheet.
  auto xlsx = Get("/api/v1/goals?region=990121000000&format=xlsx", "official");
  ASSERT_EQ(xlsx->status, 200) << xlsx->body;
  test_support::TempDir dir;
  test_support::WriteFile(dir / "g.xlsx", xlsx->body);
  auto reader = tabular::TableReader::Open((dir / "g.xlsx").string());
  ASSERT_TRUE(reader);
  EXPECT_EQ((*reader)->header().at(2), "指标");

  // Deleted from the current version; then gone.
  EXPECT_EQ(Send("DELETE", path + "?version=1", json(nullptr), official)->status, 409);
  EXPECT_EQ(Send("DELETE", path + "?version=2", json(nullptr), official)->status, 200);
  EXPECT_EQ(Get(path, "official")->status, 404);
}

// A goal may target a project's output (项目产出): a target of the project's performance table,
// measured when the project is done.
TEST_F(ApiTest, GoalsMayTargetAProjectsOutput) {
  const json done = GetJson("/api/v1/projects?region=990121000000&status=maintenance");
  ASSERT_GE(done["items"].size(), 1u) << done.dump();
  const int64_t project = done["items"][0]["id"];
  const std::string region = done["items"][0]["region"];
  const std::string code = "project:" + std::to_string(project) + ":t1";
  const json outputs = GetJson("/api/v1/goals/outputs?region=" + region, 200, "official");
  bool listed = false;
  for (const auto& o : outputs["items"]) listed |= o["code"] == code;
  EXPECT_TRUE(listed) << outputs.dump();
  json goal = {{"region", region},
               {"indicator", code},
               {"baseline", 0},
               {"baseline_date", "2020-01-01"},
               {"target", 20},
               {"deadline", "2035-12-31"},
               {"responsible_unit", "村委会"}};
  auto created = Send("POST", "/api/v1/goals", goal, As(Login("official")));
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  const json stored =
      GetJson("/api/v1/goals/" + std::to_string(json::parse(created->body)["id"].get<int64_t>()));
  EXPECT_EQ(stored["progress"]["actual"], 20.0) << stored.dump();
  EXPECT_EQ(stored["progress"]["status"], "achieved");
  EXPECT_NE(stored["indicator_zh"].get<std::string>().find("日光温室"), std::string::npos);
  // A project that does not exist, a target it does not have, a region that does not hold it.
  for (const auto& [bad, where] : {std::pair{std::string("project:999999:t1"), region},
                                   std::pair{"project:" + std::to_string(project) + ":t99", region},
                                   std::pair{code, std::string("990122001001")}}) {
    goal["indicator"] = bad;
    goal["region"] = where;
    auto refused = Send("POST", "/api/v1/goals", goal, As(Login("admin")));
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 400) << bad << ": " << refused->body;
    EXPECT_EQ(json::parse(refused->body)["error"]["details"][0]["column"], "indicator")
        << refused->body;
  }
}

// Funds through the API, by role: batches by the county, payments by the township, the limits
// refused with their figures, voiding, a project's execution and alerts, the region's
// monitoring and flow, notices and their postings, and the command line's view.
TEST_F(ApiTest, FundsKeepTheirLimitsAndAreMonitoredByRole) {
  const json batch = {{"source", "east_west"},         {"document_number", "测试协作〔2024〕9号"},
                      {"title", "东西部协作测试资金"}, {"year", 2024},
                      {"level", "province"},           {"region", "990121000000"},
                      {"issued_on", "2024-02-01"},     {"amount_fen", 2000000}};
  auto denied = Send("POST", "/api/v1/fund-batches", batch, As(Login("township")));
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->status, 403) << denied->body;
  auto created = Send("POST", "/api/v1/fund-batches", batch, As(Login("official")));
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  const int64_t batch_id = json::parse(created->body)["id"];
  // The village sees the county's batches; the enterprise user sees none of it.
  const json seen = GetJson("/api/v1/fund-batches?year=2024", 200, "village");
  EXPECT_GE(seen["total"].get<int>(), 2);
  EXPECT_EQ(Get("/api/v1/fund-batches", "enterprise")->status, 403);

  // More than the batch holds: refused with the figures, on the amount.
  json allocation = {{"batch_id", batch_id},
                     {"project_id", inside_project_},
                     {"allocated_on", "2024-02-10"},
                     {"amount_fen", 2000001},
                     {"purposes",
                      {{{"purpose", "infrastructure"}, {"amount_fen", 1500001}},
                       {{"purpose", "training"}, {"amount_fen", 500000}}}}};
  auto over = Send("POST", "/api/v1/fund-allocations", allocation, As(Login("official")));
  ASSERT_TRUE(over);
  EXPECT_EQ(over->status, 400) << over->body;
  const json over_error = json::parse(over->body)["error"];
  EXPECT_EQ(over_error["details"][0]["column"], "amount_fen") << over->body;
  EXPECT_NE(over_error["details"][0]["reason"].get<std::string>().find("20000.00"),
            std::string::npos)
      << over->body;
  allocation["amount_fen"] = 2000000;
  allocation["purposes"][0]["amount_fen"] = 1500000;
  created = Send("POST", "/api/v1/fund-allocations", allocation, As(Login("official")));
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  const int64_t allocation_id = json::parse(created->body)["id"];

  // Payments by the township: within the allocation, and for a purpose it holds or not.
  json payment = {{"allocation_id", allocation_id}, {"paid_on", "2024-03-05"},
                  {"payee", "测试培训学校"},        {"amount_fen", 2000001},
                  {"purpose", "training"},          {"voucher_number", "记-77"}};
  auto by_village = Send("POST", "/api/v1/fund-payments", payment, As(Login("village")));
  ASSERT_TRUE(by_village);
  EXPECT_EQ(by_village->status, 403);
  auto too_much = Send("POST", "/api/v1/fund-payments", payment, As(Login("township")));
  ASSERT_TRUE(too_much);
  EXPECT_EQ(too_much->status, 400) << too_much->body;
  EXPECT_EQ(json::parse(too_much->body)["error"]["details"][0]["column"], "amount_fen");
  payment["amount_fen"] = 300000;
  auto paid = Send("POST", "/api/v1/fund-payments", payment, As(Login("township")));
  ASSERT_TRUE(paid);
  ASSERT_EQ(paid->status, 201) << paid->body;
  const int64_t payment_id = json::parse(paid->body)["id"];
  payment["purpose"] = "marketing";
  payment["voucher_number"] = "记-78";
  payment["amount_fen"] = 100000;
  auto off_purpose = Send("POST", "/api/v1/fund-payments", payment, As(Login("township")));
  ASSERT_TRUE(off_purpose);
  ASSERT_EQ(off_purpose->status, 201) << off_purpose->body;
  const json stored = GetJson("/api/v1/fund-batches/" + std::to_string(batch_id), 200, "village");
  ASSERT_EQ(stored["allocations"].size(), 1u);
  EXPECT_EQ(stored["allocations"][0]["paid_fen"], 400000);

  // Voiding: a reason is required; the amount is free again.
  const std::string void_path = "/api/v1/fund-payments/" + std::to_string(payment_id) + "/void";
  auto unexplained = Send("POST", void_path, json::object(), As(Login("township")));
  ASSERT_TRUE(unexplained);
  EXPECT_EQ(unexplained->status, 400);
  EXPECT_EQ(json::parse(unexplained->body)["error"]["details"][0]["column"], "reason");
  auto voided = Send("POST", void_path, {{"reason", "重复录入"}}, As(Login("township")));
  ASSERT_TRUE(voided);
  ASSERT_EQ(voided->status, 200) << voided->body;
  EXPECT_EQ(json::parse(voided->body)["voided"], true);
  const json payments =
      GetJson("/api/v1/fund-payments?allocation=" + std::to_string(allocation_id), 200, "village");
  EXPECT_EQ(payments["total"], 2);
  const json live = GetJson("/api/v1/fund-payments?include_voided=false&allocation=" +
                            std::to_string(allocation_id));
  EXPECT_EQ(live["total"], 1);

  // The project's execution: never approved, paid anyway, and for a purpose not allocated.
  const json execution =
      GetJson("/api/v1/projects/" + std::to_string(inside_project_) + "/execution?as_of=2024-06-30",
              200, "village");
  EXPECT_EQ(execution["earned_value"]["ac_fen"], 1000000 + 100000);
  std::set<std::string> rules;
  for (const auto& a : execution["alerts"]) rules.insert(a["rule"].get<std::string>());
  EXPECT_TRUE(rules.contains("payment_before_approval")) << execution.dump();
  EXPECT_TRUE(rules.contains("purpose_not_allocated")) << execution.dump();
  EXPECT_EQ(
      GetJson("/api/v1/projects/" + std::to_string(inside_project_) + "/execution?as_of=2024-13-01",
              400)["error"]["details"][0]["column"],
      "as_of");

  // The county's monitoring for 2024, its spreadsheet, and the flow of funds.
  const json m = GetJson("/api/v1/funds/monitoring?region=990121000000&year=2024&as_of=2024-12-31",
                         200, "official");
  EXPECT_EQ(m["usage"]["payments"], 2);       // the fixture's and the one for marketing
  EXPECT_EQ(m["usage"]["non_compliant"], 2);  // both before approval
  EXPECT_EQ(m["usage"]["compliance_rate"], 0.0);
  EXPECT_FALSE(m["alerts"].empty());
  auto sheet =
      Get("/api/v1/funds/monitoring?region=990121000000&year=2024&format=xlsx", "official");
  ASSERT_TRUE(sheet);
  EXPECT_EQ(sheet->status, 200);
  EXPECT_NE(sheet->get_header_value("Content-Type").find("spreadsheetml"), std::string::npos);
  const json flow = GetJson("/api/v1/funds/flow?region=990121000000&year=2024", 200, "official");
  bool east_west = false;
  for (const auto& n : flow["nodes"]) east_west |= n["name"] == "source:east_west";
  EXPECT_TRUE(east_west) << flow.dump();

  // The batch's notice, with the local phone and the 12317 hotline; where it was posted.
  const json notice =
      GetJson("/api/v1/fund-batches/" + std::to_string(batch_id) + "/notice?phone=0935-1234567",
              200, "village");
  std::map<std::string, std::string> fields;
  for (const auto& f : notice["fields"]) fields[f["key"]] = f["value"];
  EXPECT_EQ(fields["hotline"], "12317");
  EXPECT_EQ(fields["supervision_phone"], "0935-1234567");
  EXPECT_EQ(fields["document_number"], "测试协作〔2024〕9号");
  const std::string postings = "/api/v1/fund-batches/" + std::to_string(batch_id) + "/postings";
  const json posting = {
      {"posted_on", "2024-02-05"}, {"until_on", "2024-02-15"}, {"place", "县政府网站"}};
  auto by_township = Send("POST", postings, posting, As(Login("township")));
  ASSERT_TRUE(by_township);
  EXPECT_EQ(by_township->status, 403);
  auto posted = Send("POST", postings, posting, As(Login("official")));
  ASSERT_TRUE(posted);
  EXPECT_EQ(posted->status, 201) << posted->body;
  EXPECT_EQ(GetJson("/api/v1/fund-batches/" + std::to_string(batch_id))["postings"].size(), 1u);
  auto notice_sheet =
      Get("/api/v1/projects/" + std::to_string(inside_project_) + "/notice?format=xlsx", "village");
  ASSERT_TRUE(notice_sheet);
  EXPECT_EQ(notice_sheet->status, 200);

  // The fund-usage indicators of the county for 2024, in the catalogue like any other.
  const json values = GetJson(
      "/api/v1/indicators/values?region=990121000000&year=2024&codes=fund_issued,fund_allocated,"
      "fund_received,fund_paid,fund_payments,fund_payments_compliant,fund_payment_rate,"
      "fund_compliance_rate");
  EXPECT_EQ(ValueOf(values, "990121000000", "fund_issued")["value"], 120000.0);
  EXPECT_EQ(ValueOf(values, "990121000000", "fund_allocated")["value"], 70000.0);
  EXPECT_EQ(ValueOf(values, "990121000000", "fund_received")["value"], 70000.0);
  EXPECT_EQ(ValueOf(values, "990121000000", "fund_paid")["value"], 11000.0);  // voided: out
  EXPECT_EQ(ValueOf(values, "990121000000", "fund_payments")["value"], 2.0);
  EXPECT_EQ(ValueOf(values, "990121000000", "fund_payments_compliant")["value"], 0.0);
  EXPECT_NEAR(ValueOf(values, "990121000000", "fund_payment_rate")["value"].get<double>(),
              11000.0 / 70000.0 * 100, 1e-9);
  EXPECT_EQ(ValueOf(values, "990121000000", "fund_compliance_rate")["value"], 0.0);

  // The command line shows the same monitoring.
  auto cli = test_support::Run({FUPIN_BINARY, "funds", "--db", url_, "--region", "990121000000",
                                "--year", "2024", "--as-of", "2024-12-31", "--json"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(json::parse(cli.out)["usage"], m["usage"]);
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

namespace fupin {
namespace {

// Indicator systems (指标体系): created from a template, edited with validation and optimistic
// locking, published as frozen versions, judged by experts on their own behalf, and weighted
// by group AHP; a province's system is used, not edited, by a county.
TEST_F(ApiTest, IndicatorSystemsAreDesignedPublishedAndJudged) {
  const auto evaluator = As(Login("evaluator"));
  auto created = Send(
      "POST", "/api/v1/evaluation/systems",
      {{"name", "马家县扶贫车间绩效"}, {"region", "990121000000"}, {"template", "workshop_bsc"}},
      evaluator);
  ASSERT_EQ(created->status, 201) << created->body;
  json system = json::parse(created->body);
  const std::string base =
      "/api/v1/evaluation/systems/" + std::to_string(system["id"].get<int64_t>());
  EXPECT_EQ(system["template"], "workshop_bsc");
  EXPECT_EQ(system["latest_version"], 0);
  EXPECT_EQ(system["leaves"], 16);

  // An invalid draft is refused naming the node's field; nothing changes.
  json draft = system["draft"];
  draft["nodes"][5]["scoring"]["target"] = draft["nodes"][5]["scoring"]["floor"];
  auto bad = Send("PATCH", base, {{"version", system["version"]}, {"draft", draft}}, evaluator);
  EXPECT_EQ(bad->status, 400) << bad->body;
  EXPECT_EQ(json::parse(bad->body)["error"]["details"][0]["column"],
            "draft.nodes[5].scoring.target");
  // A valid edit; then the old version is stale.
  draft = system["draft"];
  draft["nodes"][1]["weight"] = 0.3;
  auto saved = Send("PATCH", base, {{"version", system["version"]}, {"draft", draft}}, evaluator);
  ASSERT_EQ(saved->status, 200) << saved->body;
  auto stale = Send("PATCH", base, {{"version", system["version"]}, {"name", "x"}}, evaluator);
  EXPECT_EQ(stale->status, 409);
  system = json::parse(saved->body);

  // Only designers write; the official may, the village may only read.
  EXPECT_EQ(Get(base, "village")->status, 200);
  EXPECT_FALSE(GetJson(base, 200, "village")["editable"].get<bool>());
  EXPECT_TRUE(GetJson(base, 200, "official")["editable"].get<bool>());
  EXPECT_EQ(Send("POST", base + "/publish", {{"version", system["version"]}}, As(Login("village")))
                ->status,
            403);

  auto published = Send("POST", base + "/publish",
                        {{"version", system["version"]}, {"note", "首版"}}, evaluator);
  ASSERT_EQ(published->status, 201) << published->body;
  EXPECT_EQ(json::parse(published->body)["version"], 1);
  system = GetJson(base, 200, "evaluator");
  EXPECT_EQ(system["latest_version"], 1);
  EXPECT_EQ(system["versions"].size(), 1u);
  // Publishing the same draft again is refused.
  auto again = Send("POST", base + "/publish", {{"version", system["version"]}}, evaluator);
  EXPECT_EQ(again->status, 422) << again->body;  // failed_precondition
  // The published version is frozen: editing the draft does not change it.
  draft = system["draft"];
  draft["nodes"][0]["name"] = "改名后的根";
  ASSERT_EQ(
      Send("PATCH", base, {{"version", system["version"]}, {"draft", draft}}, evaluator)->status,
      200);
  EXPECT_EQ(GetJson(base + "/versions/1", 200, "village")["content"]["nodes"][0]["name"],
            "扶贫车间项目绩效");

  // Expert judgments of the root's four dimensions: an official cannot judge.
  const json consistent = {
      {1, 2, 3, 4}, {nullptr, 1, 2, 3}, {nullptr, nullptr, 1, 2}, {nullptr, nullptr, nullptr, 1}};
  EXPECT_EQ(Send("PUT", base + "/versions/1/judgments/workshop_performance",
                 {{"matrix", consistent}}, As(Login("official")))
                ->status,
            403);
  auto wrong_size = Send("PUT", base + "/versions/1/judgments/workshop_performance",
                         {{"matrix", {{1, 2}, {0.5, 1}}}}, evaluator);
  EXPECT_EQ(wrong_size->status, 400);
  auto leaf =
      Send("PUT", base + "/versions/1/judgments/gov_satisfaction", {{"matrix", {{1}}}}, evaluator);
  EXPECT_EQ(leaf->status, 400);
  auto judged = Send("PUT", base + "/versions/1/judgments/workshop_performance",
                     {{"matrix", consistent}}, evaluator);
  ASSERT_EQ(judged->status, 200) << judged->body;
  const json j = json::parse(judged->body);
  EXPECT_TRUE(j["analysis"]["consistent"].get<bool>());
  EXPECT_NEAR(j["analysis"]["weights"][0].get<double>(), 0.4673, 1e-4);
  EXPECT_EQ(j["children"][0], "stakeholders");
  // An incomplete form is stored, completed for the analysis.
  const json partial = {{1, 2, nullptr, 4},
                        {nullptr, 1, 2, nullptr},
                        {nullptr, nullptr, 1, 2},
                        {nullptr, nullptr, nullptr, 1}};
  auto incomplete =
      Send("PUT", base + "/versions/1/judgments/economic", {{"matrix", partial}}, evaluator);
  ASSERT_EQ(incomplete->status, 200) << incomplete->body;
  EXPECT_EQ(json::parse(incomplete->body)["analysis"]["completed"].size(), 2u);

  // The weights: AHP where judged, the defaults elsewhere.
  const json weights = GetJson(base + "/versions/1/weights", 200, "village");
  ASSERT_EQ(weights["items"].size(), 5u);
  EXPECT_EQ(weights["items"][0]["node"], "workshop_performance");
  EXPECT_EQ(weights["items"][0]["source"], "ahp");
  EXPECT_NEAR(weights["items"][0]["weights"][0].get<double>(), 0.4673, 1e-4);
  EXPECT_EQ(weights["items"][1]["source"], "default");
  EXPECT_EQ(weights["conventions"]["aggregate"], "aij");
  EXPECT_EQ(GetJson(base + "/versions/1/judgments", 200, "auditor")["items"].size(), 2u);

  // Withdrawing twice is fine; the node falls back to its default weights.
  EXPECT_EQ(
      Send("DELETE", base + "/versions/1/judgments/economic", json::object(), evaluator)->status,
      204);
  EXPECT_EQ(
      Send("DELETE", base + "/versions/1/judgments/economic", json::object(), evaluator)->status,
      204);
  EXPECT_EQ(GetJson(base + "/versions/1/weights")["items"][3]["source"], "default");

  // A province's system is seen by the county's evaluator, copied, not edited.
  auto province =
      Send("POST", "/api/v1/evaluation/systems",
           {{"name", "省级退出评估"}, {"region", "990000000000"}, {"template", "exit_assessment"}},
           As(Login("admin")));
  ASSERT_EQ(province->status, 201);
  const json p = json::parse(province->body);
  const std::string pbase = "/api/v1/evaluation/systems/" + std::to_string(p["id"].get<int64_t>());
  EXPECT_EQ(Get(pbase, "evaluator")->status, 200);
  EXPECT_EQ(Send("PATCH", pbase, {{"version", p["version"]}, {"name", "改"}}, evaluator)->status,
            403);
  auto copy = Send("POST", "/api/v1/evaluation/systems",
                   {{"name", "马家县退出评估"}, {"region", "990121000000"}, {"copy_of", p["id"]}},
                   evaluator);
  ASSERT_EQ(copy->status, 201) << copy->body;
  EXPECT_EQ(json::parse(copy->body)["draft"], p["draft"]);
  // A system in a region outside the designer's is refused.
  EXPECT_EQ(
      Send("POST", "/api/v1/evaluation/systems",
           {{"name", "越权"}, {"region", "990122000000"}, {"template", "multi_subject"}}, evaluator)
          ->status,
      403);
  // The live check of a matrix names the worst judgment of an inconsistent one.
  auto check =
      Send("POST", "/api/v1/evaluation/ahp",
           {{"matrix", {{1, 9, 1.0 / 9}, {nullptr, 1, 9}, {nullptr, nullptr, 1}}}}, evaluator);
  ASSERT_EQ(check->status, 200) << check->body;
  const json a = json::parse(check->body);
  EXPECT_FALSE(a["consistent"].get<bool>());
  EXPECT_FALSE(a["suggestions"].empty());
  // Every write is audited.
  EXPECT_GE(GetJson("/api/v1/audit?entity=evaluation_judgment")["total"].get<int>(), 3);
}

}  // namespace
}  // namespace fupin

namespace fupin {
namespace {

// Evaluation runs (评价运行): missing survey and expert counts are named per object and leaf;
// a run snapshots every input and computes results that reproduce exactly; its findings are
// edited until an official publishes it.
TEST_F(ApiTest, EvaluationRunsSnapshotComputeReproduceAndPublish) {
  const auto evaluator = As(Login("evaluator"));
  auto created = Send("POST", "/api/v1/evaluation/systems",
                      {{"name", "小体系"}, {"region", "990121000000"}}, evaluator);
  ASSERT_EQ(created->status, 201) << created->body;
  const json system = json::parse(created->body);
  const int64_t id = system["id"];
  const std::string base = "/api/v1/evaluation/systems/" + std::to_string(id);
  auto patched =
      Send("PATCH", base, {{"version", system["version"]}, {"draft", SmallContent()}}, evaluator);
  ASSERT_EQ(patched->status, 200) << patched->body;
  json run_body = {{"system_id", id},
                   {"name", "2024年度评价"},
                   {"region", "990121000000"},
                   {"period", "2024"},
                   {"objects", {"990121001001", "990121000000"}},
                   {"sensitivity", {{"draws", 200}, {"spread", 0.2}, {"seed", 7}}}};
  // Nothing published yet.
  EXPECT_EQ(Send("POST", "/api/v1/evaluation/runs", run_body, evaluator)->status, 422);
  ASSERT_EQ(Send("POST", base + "/publish", {{"version", json::parse(patched->body)["version"]}},
                 evaluator)
                ->status,
            201);
  // Survey and expert leaves without counts: each object and leaf named.
  auto missing = Send("POST", "/api/v1/evaluation/runs", run_body, evaluator);
  ASSERT_EQ(missing->status, 400) << missing->body;
  const json gaps = json::parse(missing->body)["error"]["details"];
  EXPECT_EQ(gaps.size(), 4u);
  EXPECT_EQ(gaps[0]["value"], "990121001001/review");
  // An object outside the evaluator's regions.
  json outside = run_body;
  outside["objects"] = {"990122001001"};
  auto refused = Send("POST", "/api/v1/evaluation/runs", outside, evaluator);
  ASSERT_EQ(refused->status, 400);
  EXPECT_EQ(json::parse(refused->body)["error"]["details"][0]["column"], "objects[0]");

  run_body["inputs"] = {
      {{"object", "990121001001"}, {"leaf", "review"}, {"responses", {2, 2, 0, 0, 0}}},
      {{"object", "990121001001"}, {"leaf", "survey"}, {"membership", {0, 0, 1, 0, 0}}},
      {{"object", "990121000000"}, {"leaf", "review"}, {"responses", {2, 2, 0, 0, 0}}},
      {{"object", "990121000000"}, {"leaf", "survey"}, {"membership", {0, 0, 0, 0, 1}}}};
  auto ran = Send("POST", "/api/v1/evaluation/runs", run_body, evaluator);
  ASSERT_EQ(ran->status, 201) << ran->body;
  json run = json::parse(ran->body);
  const std::string rbase = "/api/v1/evaluation/runs/" + std::to_string(run["id"].get<int64_t>());
  // Both regions hold households: A = (1, 0, 0, 0, 0). B = ½ review + ½ survey.
  // Village: B = (.25, .25, .5, 0, 0), overall (.625, .125, .25, 0, 0) → 88.75, 良好.
  // County:  B = (.25, .25, 0, 0, .5), overall (.625, .125, 0, 0, .25) → 82.5, 良好.
  EXPECT_NEAR(run["objects"][0]["score"].get<double>(), 88.75, 1e-9);
  EXPECT_EQ(run["objects"][0]["grade"], "良好");
  EXPECT_EQ(run["objects"][0]["rank"], 1);
  EXPECT_NEAR(run["objects"][1]["score"].get<double>(), 82.5, 1e-9);
  EXPECT_EQ(run["objects"][1]["rank"], 2);
  EXPECT_EQ(run["system_version"], 1);
  EXPECT_EQ(run["status"], "draft");
  // The snapshot records the inputs and the conventions.
  EXPECT_EQ(run["snapshot"]["objects"][0]["leaves"][0]["origin"], "indicator");
  EXPECT_GE(run["snapshot"]["objects"][0]["leaves"][0]["value"].get<double>(), 1);
  EXPECT_EQ(run["snapshot"]["objects"][0]["leaves"][1]["origin"], "responses");
  EXPECT_TRUE(run["snapshot"]["conventions"].contains("weights"));
  EXPECT_EQ(run["results"][1]["weakest"][0]["key"], "survey");
  EXPECT_FALSE(run["findings"].empty());
  EXPECT_TRUE(run["results"][0]["nodes"][0].contains("grade_probability"));

  // Reproduced bit for bit.
  const json again = GetJson(rbase + "/reproduce", 200, "village");
  EXPECT_TRUE(again["reproduced"].get<bool>());
  EXPECT_EQ(again["scores"][0], run["objects"][0]["score"]);

  // A second run with the county's survey answered better: compared with the first.
  json second_body = run_body;
  second_body["inputs"][3]["membership"] = {0, 1, 0, 0, 0};
  auto second = Send("POST", "/api/v1/evaluation/runs", second_body, evaluator);
  ASSERT_EQ(second->status, 201) << second->body;
  const int64_t second_id = json::parse(second->body)["id"];
  const json diff =
      GetJson("/api/v1/evaluation/runs/compare?a=" + std::to_string(run["id"].get<int64_t>()) +
                  "&b=" + std::to_string(second_id),
              200, "village");
  EXPECT_TRUE(diff["settings"].empty());
  EXPECT_TRUE(diff["weights"].empty());
  ASSERT_EQ(diff["inputs"].size(), 1u);
  EXPECT_EQ(diff["inputs"][0]["object"], "990121000000");
  EXPECT_EQ(diff["inputs"][0]["leaf"], "survey");
  ASSERT_EQ(diff["objects"].size(), 2u);
  EXPECT_NEAR(diff["objects"][0]["nodes"][0]["change"].get<double>(), 0.0, 1e-12);
  // County: B = (.25, .75, 0, 0, 0) → overall (.625, .375, 0, 0, 0) → 91.25, 优秀, first.
  EXPECT_NEAR(diff["objects"][1]["nodes"][0]["score_b"].get<double>(), 91.25, 1e-9);
  EXPECT_EQ(diff["objects"][1]["nodes"][0]["grade_b"], "优秀");
  EXPECT_EQ(diff["objects"][1]["rank_a"], 2);
  EXPECT_EQ(diff["objects"][1]["rank_b"], 1);
  EXPECT_EQ(Get("/api/v1/evaluation/runs/compare?a=1", "village")->status, 400);
  // Ranked by TOPSIS over the leaf scores instead; an unknown ranking is refused.
  json topsis_body = run_body;
  topsis_body["ranking"] = "topsis";
  auto topsis = Send("POST", "/api/v1/evaluation/runs", topsis_body, evaluator);
  ASSERT_EQ(topsis->status, 201) << topsis->body;
  const json t = json::parse(topsis->body);
  EXPECT_EQ(t["ranking"], "topsis");
  EXPECT_EQ(t["objects"][0]["rank"], 1);
  EXPECT_GT(t["objects"][0]["ranking_value"].get<double>(),
            t["objects"][1]["ranking_value"].get<double>());
  topsis_body["ranking"] = "vikor";
  auto unknown = Send("POST", "/api/v1/evaluation/runs", topsis_body, evaluator);
  ASSERT_EQ(unknown->status, 400);
  EXPECT_EQ(json::parse(unknown->body)["error"]["details"][0]["column"], "ranking");

  // Findings edited by the evaluator; published by the county official, then final.
  json findings = run["findings"];
  findings.push_back({{"kind", "note"}, {"text", "满意度调查样本偏少"}});
  EXPECT_EQ(Send("PUT", rbase + "/findings", {{"version", 99}, {"findings", findings}}, evaluator)
                ->status,
            409);
  auto bad = Send("PUT", rbase + "/findings",
                  {{"version", run["version"]}, {"findings", {{{"kind", "guess"}, {"text", ""}}}}},
                  evaluator);
  EXPECT_EQ(bad->status, 400);
  auto edited = Send("PUT", rbase + "/findings",
                     {{"version", run["version"]}, {"findings", findings}}, evaluator);
  ASSERT_EQ(edited->status, 200) << edited->body;
  run = json::parse(edited->body);
  EXPECT_EQ(run["findings"].back()["text"], "满意度调查样本偏少");
  EXPECT_EQ(Send("POST", rbase + "/publish", {{"version", run["version"]}}, evaluator)->status,
            403);
  EXPECT_TRUE(GetJson(rbase, 200, "official")["publishable"].get<bool>());
  auto published =
      Send("POST", rbase + "/publish", {{"version", run["version"]}}, As(Login("official")));
  ASSERT_EQ(published->status, 200) << published->body;
  run = json::parse(published->body);
  EXPECT_EQ(run["status"], "published");
  EXPECT_EQ(run["published_by"], "official");
  EXPECT_EQ(Send("PUT", rbase + "/findings", {{"version", run["version"]}, {"findings", findings}},
                 evaluator)
                ->status,
            422);
  // Listed for the village too, with overall figures only.
  const json list = GetJson("/api/v1/evaluation/runs?system=" + std::to_string(id), 200, "village");
  ASSERT_EQ(list["items"].size(), 3u);
  EXPECT_FALSE(list["items"][0].contains("snapshot"));
}

// Standard base64 of bytes, as a browser sends an uploaded file.
std::string Base64(const std::string& bytes) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t n = (static_cast<uint8_t>(bytes[i]) << 16) |
                       (static_cast<uint8_t>(bytes[i + 1]) << 8) |
                       static_cast<uint8_t>(bytes[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(n >> s) & 63];
  }
  if (i + 1 == bytes.size()) {
    const uint32_t n = static_cast<uint8_t>(bytes[i]) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    const uint32_t n =
        (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

TEST_F(ApiTest, SurveysAreDesignedEnteredImportedCheckedAndFeedRuns) {
  const auto evaluator = As(Login("evaluator"));
  const int64_t system_id = PublishSmallSystem("问卷体系", evaluator);

  // A question mapped to the expert leaf is refused, naming it.
  json body = SmallQuestionnaire(system_id, "990121000000");
  json wrong = body;
  wrong["questions"][0]["leaf"] = "review";
  wrong["questions"][1]["choices"][0]["grade"] = "特优";
  auto refused = Send("POST", "/api/v1/evaluation/surveys", wrong, evaluator);
  ASSERT_EQ(refused->status, 400) << refused->body;
  std::set<std::string> columns;
  const json refusal = json::parse(refused->body);
  for (const auto& d : refusal["error"]["details"]) columns.insert(d["column"].get<std::string>());
  EXPECT_TRUE(columns.contains("questions[0].leaf")) << refused->body;
  EXPECT_TRUE(columns.contains("questions[1].choices[0].grade")) << refused->body;

  auto made = Send("POST", "/api/v1/evaluation/surveys", body, evaluator);
  ASSERT_EQ(made->status, 201) << made->body;
  const json q = json::parse(made->body);
  const int64_t id = q["id"];
  EXPECT_EQ(q["system_version"], 1);
  EXPECT_EQ(q["leaves"].size(), 1u);
  EXPECT_EQ(q["leaves"][0]["key"], "survey");
  EXPECT_TRUE(q["can_enter"].get<bool>());
  const std::string base = "/api/v1/evaluation/surveys/" + std::to_string(id);

  // Field entry: labels become codes; a missing required answer and a region outside the
  // questionnaire are named.
  auto entered = Send("POST", base + "/responses",
                      {{"group", "farmer"},
                       {"region", "990121001001"},
                       {"surveyed_on", "2025-01-10"},
                       {"answers", {{"q1", "满意"}, {"q2", 5}}}},
                      As(Login("village")));
  ASSERT_EQ(entered->status, 201) << entered->body;
  EXPECT_EQ(json::parse(entered->body)["answers"]["q1"], "4");
  EXPECT_EQ(json::parse(entered->body)["source"], "form");
  auto bad = Send("POST", base + "/responses",
                  {{"group", "farmer"},
                   {"region", "990122001001"},
                   {"surveyed_on", "2025-01-10"},
                   {"answers", {{"q1", "满意"}}}},
                  evaluator);
  ASSERT_EQ(bad->status, 400) << bad->body;
  columns.clear();
  const json bad_body = json::parse(bad->body);
  for (const auto& d : bad_body["error"]["details"]) columns.insert(d["column"].get<std::string>());
  EXPECT_TRUE(columns.contains("region")) << bad->body;
  EXPECT_TRUE(columns.contains("answers.q2")) << bad->body;

  // A 问卷星 export: preview proposes the mapping; a bad row refuses the whole file.
  const std::string header =
      "序号,提交答卷时间,所用时间,来源,来源详情,来自IP,1、您对帮扶工作的总体满意度,"
      "2、您对帮扶干部的满意度,3、您对村里道路的满意度\n";
  const std::string bad_csv = header +
                              "1,2025/1/12 10:00:00,100秒,微信,N/A,1.2.3.4,非常满意,满意,一般\n"
                              "2,2025/1/12 11:00:00,90秒,微信,N/A,1.2.3.5,满意,很满意,一般\n";
  auto preview = Send("POST", base + "/import/preview", {{"file", Base64(bad_csv)}}, evaluator);
  ASSERT_EQ(preview->status, 200) << preview->body;
  const json p = json::parse(preview->body);
  EXPECT_EQ(p["tool"], "wjx");
  EXPECT_EQ(p["mapping"]["questions"]["q1"], "1、您对帮扶工作的总体满意度");
  EXPECT_EQ(p["mapping"]["id_column"], "序号");
  EXPECT_EQ(p["sample"].size(), 2u);
  json mapping = p["mapping"];
  mapping["region"] = "990121001001";
  mapping["group"] = "household";
  auto failed =
      Send("POST", base + "/import", {{"file", Base64(bad_csv)}, {"mapping", mapping}}, evaluator);
  ASSERT_EQ(failed->status, 400) << failed->body;
  const json problem = json::parse(failed->body)["error"]["details"][0];
  EXPECT_EQ(problem["row"], 3);
  EXPECT_EQ(problem["column"], "2、您对帮扶干部的满意度");
  EXPECT_EQ(problem["value"], "很满意");
  EXPECT_EQ(GetJson(base, 200, "evaluator")["responses"], 1);  // nothing written

  const std::string good_csv = header +
                               "1,2025/1/12 10:00:00,100秒,微信,N/A,1.2.3.4,非常满意,满意,一般\n"
                               "2,2025/1/12 11:00:00,90秒,微信,N/A,1.2.3.5,满意,一般,\n";
  auto dry = Send("POST", base + "/import",
                  {{"file", Base64(good_csv)}, {"mapping", mapping}, {"dry_run", true}}, evaluator);
  ASSERT_EQ(dry->status, 200) << dry->body;
  EXPECT_EQ(json::parse(dry->body)["inserted"], 2);
  EXPECT_EQ(GetJson(base, 200, "evaluator")["responses"], 1);
  auto imported =
      Send("POST", base + "/import", {{"file", Base64(good_csv)}, {"mapping", mapping}}, evaluator);
  ASSERT_EQ(imported->status, 200) << imported->body;
  EXPECT_EQ(json::parse(imported->body)["inserted"], 2);
  // The same export again updates the same two responses.
  auto again =
      Send("POST", base + "/import", {{"file", Base64(good_csv)}, {"mapping", mapping}}, evaluator);
  ASSERT_EQ(again->status, 200) << again->body;
  EXPECT_EQ(json::parse(again->body)["inserted"], 0);
  EXPECT_EQ(json::parse(again->body)["updated"], 2);
  EXPECT_EQ(GetJson(base, 200, "evaluator")["responses"], 3);

  // The tally: q1 and q2 of three respondents → 6 answers; q3 feeds nothing.
  const json tally = GetJson(base + "/tally", 200, "evaluator");
  EXPECT_EQ(tally["leaves"]["survey"], (json{2, 3, 1, 0, 0}));
  const json quality = GetJson(base + "/quality", 200, "evaluator");
  EXPECT_EQ(quality["responses"], 3);
  EXPECT_EQ(quality["targets"][0]["count"], 1);  // one farmer of the three targeted
  EXPECT_FALSE(quality["targets"][0]["met"].get<bool>());
  EXPECT_FALSE(quality["warnings"].empty());

  // Questions are fixed once answered.
  json edit = {{"version", q["version"]}, {"questions", body["questions"]}};
  edit["questions"][0]["text"] = "改过的题目";
  EXPECT_EQ(Send("PATCH", base, edit, evaluator)->status, 422);
  auto renamed =
      Send("PATCH", base, {{"version", q["version"]}, {"name", "帮扶满意度调查"}}, evaluator);
  ASSERT_EQ(renamed->status, 200) << renamed->body;

  // A run takes the survey leaf from the responses in each object's subtree.
  json run_body = {
      {"system_id", system_id},
      {"name", "问卷评价"},
      {"region", "990121000000"},
      {"period", "2024"},
      {"objects", {"990121001001"}},
      {"sensitivity", {{"draws", 0}}},
      {"inputs",
       {{{"object", "990121001001"}, {"leaf", "review"}, {"responses", {1, 1, 0, 0, 0}}}}}};
  auto ran = Send("POST", "/api/v1/evaluation/runs", run_body, evaluator);
  ASSERT_EQ(ran->status, 201) << ran->body;
  const json run = json::parse(ran->body);
  const json leaf = run["snapshot"]["objects"][0]["leaves"][2];
  EXPECT_EQ(leaf["origin"], "survey");
  EXPECT_EQ(leaf["responses"], (json{2, 3, 1, 0, 0}));
  ASSERT_EQ(run["snapshot"]["surveys"].size(), 1u);
  EXPECT_EQ(run["snapshot"]["surveys"][0]["id"], id);
  EXPECT_EQ(run["snapshot"]["surveys"][0]["responses"], 3);
  EXPECT_TRUE(run["snapshot"]["conventions"].contains("surveys"));
  const std::string rbase = "/api/v1/evaluation/runs/" + std::to_string(run["id"].get<int64_t>());
  EXPECT_TRUE(GetJson(rbase + "/reproduce", 200, "evaluator")["reproduced"].get<bool>());

  // Deleting a response, twice: the second is a no-op.
  const json responses = GetJson(base + "/responses", 200, "evaluator");
  ASSERT_EQ(responses["items"].size(), 3u);
  const std::string rid = std::to_string(responses["items"][0]["id"].get<int64_t>());
  EXPECT_EQ(Send("DELETE", base + "/responses/" + rid, json::object(), evaluator)->status, 204);
  EXPECT_EQ(Send("DELETE", base + "/responses/" + rid, json::object(), evaluator)->status, 204);
  EXPECT_EQ(GetJson(base, 200, "evaluator")["responses"], 2);
}

TEST_F(ApiTest, RectificationTasksAreAssignedReportedVerifiedAndFollowedUp) {
  const auto official = As(Login("official"));
  const auto village = As(Login("village"));
  const int64_t system_id = PublishSmallSystem("整改体系", official);
  json run_body = {
      {"system_id", system_id},
      {"name", "整改前评价"},
      {"region", "990121000000"},
      {"period", "2024"},
      {"objects", {"990121001001"}},
      {"sensitivity", {{"draws", 0}}},
      {"inputs",
       {{{"object", "990121001001"}, {"leaf", "review"}, {"responses", {1, 1, 0, 0, 0}}},
        {{"object", "990121001001"}, {"leaf", "survey"}, {"responses", {0, 0, 0, 1, 3}}}}}};
  auto ran = Send("POST", "/api/v1/evaluation/runs", run_body, official);
  ASSERT_EQ(ran->status, 201) << ran->body;
  const json run = json::parse(ran->body);
  const std::string rbase = "/api/v1/evaluation/runs/" + std::to_string(run["id"].get<int64_t>());
  int weakness = -1;
  for (size_t i = 0; i < run["findings"].size(); ++i) {
    if (run["findings"][i]["kind"] == "weakness") weakness = static_cast<int>(i);
  }
  ASSERT_GE(weakness, 0) << run["findings"].dump();
  const json assign = {{"finding", weakness},
                       {"unit", "平峪社区村委会"},
                       {"person", "王村长"},
                       {"deadline", "2099-06-30"}};
  // A draft run is not rectified yet; the evaluator does not assign.
  EXPECT_EQ(Send("POST", rbase + "/rectifications", assign, official)->status, 422);
  ASSERT_EQ(Send("POST", rbase + "/publish", {{"version", run["version"]}}, official)->status, 200);
  EXPECT_EQ(Send("POST", rbase + "/rectifications", assign, As(Login("evaluator")))->status, 403);
  json past = assign;
  past["deadline"] = "2001-01-01";
  auto refused = Send("POST", rbase + "/rectifications", past, official);
  ASSERT_EQ(refused->status, 400) << refused->body;
  EXPECT_EQ(json::parse(refused->body)["error"]["details"][0]["column"], "deadline");
  json unknown = {
      {"text", "x"}, {"node", "nope"}, {"unit", "u"}, {"person", "p"}, {"deadline", "2099-01-01"}};
  EXPECT_EQ(Send("POST", rbase + "/rectifications", unknown, official)->status, 400);

  auto made = Send("POST", rbase + "/rectifications", assign, official);
  ASSERT_EQ(made->status, 201) << made->body;
  json task = json::parse(made->body);
  EXPECT_EQ(task["status"], "assigned");
  EXPECT_EQ(task["region_code"], "990121001001");
  EXPECT_EQ(task["finding"]["node"], "b");
  EXPECT_EQ(task["updates"].size(), 1u);
  EXPECT_FALSE(task["overdue"].get<bool>());
  const std::string tbase =
      "/api/v1/evaluation/rectifications/" + std::to_string(task["id"].get<int64_t>());
  auto report = [&](const json& body, const httplib::Headers& who) {
    return Send("POST", tbase + "/reports", body, who);
  };

  // The village reports progress and submits, with evidence only.
  auto progress = report(
      {{"version", task["version"]}, {"status", "in_progress"}, {"note", "已制定方案"}}, village);
  ASSERT_EQ(progress->status, 200) << progress->body;
  task = json::parse(progress->body);
  EXPECT_FALSE(task["can_verify"].get<bool>());
  auto bare = report({{"version", task["version"]}, {"status", "submitted"}}, village);
  ASSERT_EQ(bare->status, 400) << bare->body;
  EXPECT_EQ(json::parse(bare->body)["error"]["details"][0]["column"], "evidence");
  EXPECT_EQ(
      report({{"version", 1}, {"status", "submitted"}, {"evidence", "台账"}}, village)->status,
      409);
  auto submitted = report(
      {{"version", task["version"]}, {"status", "submitted"}, {"evidence", "整改台账"}}, village);
  ASSERT_EQ(submitted->status, 200) << submitted->body;
  task = json::parse(submitted->body);
  EXPECT_FALSE(task["submitted_on"].get<std::string>().empty());
  // Only the assigning office verifies or returns.
  EXPECT_EQ(report({{"version", task["version"]}, {"status", "verified"}}, village)->status, 403);
  EXPECT_EQ(report({{"version", task["version"]}, {"status", "in_progress"}}, official)->status,
            400);
  auto returned = report(
      {{"version", task["version"]}, {"status", "in_progress"}, {"note", "台账不全"}}, official);
  ASSERT_EQ(returned->status, 200) << returned->body;
  task = json::parse(returned->body);
  // The office moves the deadline; the village may not.
  EXPECT_EQ(
      Send("PATCH", tbase, {{"version", task["version"]}, {"deadline", "2099-07-31"}}, village)
          ->status,
      403);
  auto moved =
      Send("PATCH", tbase, {{"version", task["version"]}, {"deadline", "2099-07-31"}}, official);
  ASSERT_EQ(moved->status, 200) << moved->body;
  task = json::parse(moved->body);
  EXPECT_EQ(task["deadline"], "2099-07-31");
  task = json::parse(
      report({{"version", task["version"]}, {"status", "submitted"}, {"evidence", "补充台账"}},
             village)
          ->body);
  auto verified =
      report({{"version", task["version"]}, {"status", "verified"}, {"note", "销号"}}, official);
  ASSERT_EQ(verified->status, 200) << verified->body;
  task = json::parse(verified->body);
  EXPECT_EQ(task["status"], "verified");
  EXPECT_EQ(task["updates"].size(),
            7u);  // assigned, progress, submitted, returned, deadline, submitted, verified
  EXPECT_EQ(
      report({{"version", task["version"]}, {"status", "in_progress"}, {"note", "再改"}}, official)
          ->status,
      422);
  const json listed = GetJson("/api/v1/evaluation/rectifications?status=verified&run=" +
                                  std::to_string(run["id"].get<int64_t>()),
                              200, "village");
  ASSERT_EQ(listed["items"].size(), 1u);
  EXPECT_EQ(listed["summary"]["by_status"]["verified"], 1);

  // The next run, with the survey answered better: the task's node scores higher now.
  run_body["name"] = "整改后评价";
  run_body["inputs"][1]["responses"] = {1, 3, 0, 0, 0};
  auto next = Send("POST", "/api/v1/evaluation/runs", run_body, official);
  ASSERT_EQ(next->status, 201) << next->body;
  const json follow =
      GetJson("/api/v1/evaluation/runs/" +
                  std::to_string(json::parse(next->body)["id"].get<int64_t>()) + "/rectifications",
              200, "official");
  EXPECT_TRUE(follow["tasks"].empty());
  ASSERT_EQ(follow["follow_up"].size(), 1u);
  const json f = follow["follow_up"][0];
  EXPECT_EQ(f["task"]["id"], task["id"]);
  EXPECT_LT(f["score_before"].get<double>(), f["score_now"].get<double>());
  EXPECT_TRUE(f["improved"].get<bool>());
}

TEST_F(ApiTest, ObjectiveWeightsFromTheObjectsAreCombinedWithTheExperts) {
  const auto evaluator = As(Login("evaluator"));
  const int64_t system_id = PublishSmallSystem("客观赋权体系", evaluator);
  // Households pass in both regions (a constant column: entropy weight 0); the review and the
  // survey differ between the two objects (min-max 0 and 1 each: entropy weights ½, ½).
  json body = {
      {"system_id", system_id},
      {"name", "熵权评价"},
      {"region", "990121000000"},
      {"period", "2024"},
      {"objects", {"990121001001", "990121000000"}},
      {"sensitivity", {{"draws", 0}}},
      {"objective", "entropy"},
      {"alpha", 0.5},
      {"inputs",
       {{{"object", "990121001001"}, {"leaf", "review"}, {"responses", {2, 2, 0, 0, 0}}},
        {{"object", "990121001001"}, {"leaf", "survey"}, {"responses", {0, 0, 1, 0, 0}}},
        {{"object", "990121000000"}, {"leaf", "review"}, {"responses", {0, 0, 2, 2, 0}}},
        {{"object", "990121000000"}, {"leaf", "survey"}, {"responses", {0, 1, 0, 0, 0}}}}}};
  auto ran = Send("POST", "/api/v1/evaluation/runs", body, evaluator);
  ASSERT_EQ(ran->status, 201) << ran->body;
  const json run = json::parse(ran->body);
  // Subjective leaf weights (½, ¼, ¼), objective (0, ½, ½), combined half and half
  // (¼, ⅜, ⅜): dimension A weighs ¼, B ¾, and within B review and survey ½ each.
  std::map<std::string, double> local;
  for (const auto& n : run["snapshot"]["nodes"]) local[n["key"]] = n["weight"].get<double>();
  EXPECT_NEAR(local["a"], 0.25, 1e-12);
  EXPECT_NEAR(local["b"], 0.75, 1e-12);
  EXPECT_NEAR(local["review"], 0.5, 1e-12);
  EXPECT_NEAR(local["households"], 1.0, 1e-12);
  const std::string conv = run["snapshot"]["conventions"]["objective_weights"];
  EXPECT_NE(conv.find("objective [0.000000, 0.500000, 0.500000]"), std::string::npos) << conv;
  EXPECT_NE(conv.find("combined [0.250000, 0.375000, 0.375000]"), std::string::npos) << conv;
  const std::string rbase = "/api/v1/evaluation/runs/" + std::to_string(run["id"].get<int64_t>());
  EXPECT_TRUE(GetJson(rbase + "/reproduce", 200, "evaluator")["reproduced"].get<bool>());

  // One object has nothing to weigh against; an unknown method and a share outside [0, 1].
  json one = body;
  one["objects"] = {"990121001001"};
  one["inputs"] = {body["inputs"][0], body["inputs"][1]};
  auto lone = Send("POST", "/api/v1/evaluation/runs", one, evaluator);
  ASSERT_EQ(lone->status, 400) << lone->body;
  EXPECT_EQ(json::parse(lone->body)["error"]["details"][0]["column"], "objective");
  json odd = body;
  odd["objective"] = "variance";
  odd["alpha"] = 2;
  auto refused = Send("POST", "/api/v1/evaluation/runs", odd, evaluator);
  ASSERT_EQ(refused->status, 400) << refused->body;
  const json refusal = json::parse(refused->body);
  EXPECT_EQ(refusal["error"]["details"][0]["column"], "objective");
  // CRITIC alone, objective only: the weights are CRITIC's.
  json critic = body;
  critic["objective"] = "critic";
  critic["combine"] = "objective";
  auto c = Send("POST", "/api/v1/evaluation/runs", critic, evaluator);
  ASSERT_EQ(c->status, 201) << c->body;
  const json critic_run = json::parse(c->body);
  EXPECT_NE(
      critic_run["snapshot"]["conventions"]["objective_weights"].get<std::string>().find("CRITIC"),
      std::string::npos);
  double root_children = 0;
  for (const auto& n : critic_run["snapshot"]["nodes"]) {
    ASSERT_TRUE(n["weight"].is_number()) << critic_run["snapshot"]["conventions"].dump();
    if (n["parent"] == "root") root_children += n["weight"].get<double>();
  }
  EXPECT_NEAR(root_children, 1.0, 1e-12);
}

// The details' columns of a 400 answer.
std::set<std::string> ColumnsOf(const httplib::Result& res) {
  std::set<std::string> columns;
  if (!res) return columns;
  const json body = json::parse(res->body);
  for (const auto& d : body["error"]["details"]) columns.insert(d["column"].get<std::string>());
  return columns;
}

TEST_F(ApiTest, UsersDeclareIndicatorsEnterTheirStatisticsAndSurveyThem) {
  const auto admin = As(Login("admin"));
  const auto official = As(Login("official"));
  auto declare = [&](const json& body, const httplib::Headers& who) {
    return Send("POST", "/api/v1/indicators", body, who);
  };
  const json cadres = {{"code", "api_cadres"},
                       {"zh", "驻村干部数"},
                       {"en", "Resident cadres"},
                       {"unit", "person"},
                       {"source", "entered"},
                       {"definition_zh", "年末驻村工作队干部人数"},
                       {"definition_en", "Cadres of the resident work teams at year end"}};
  auto made = declare(cadres, admin);
  ASSERT_EQ(made->status, 201) << made->body;
  const json stored = json::parse(made->body);
  EXPECT_EQ(stored["declared"], true);
  EXPECT_EQ(stored["version"], 1);
  EXPECT_EQ(stored["module"], "declared");
  EXPECT_EQ(stored["aggregation"], "sum");
  EXPECT_EQ(stored["declared_by"], "admin");
  json ratio = cadres;
  ratio["code"] = "api_poor_per_cadre";
  ratio["zh"] = "每名驻村干部联系贫困人口";
  ratio["en"] = "Poor people per resident cadre";
  ratio["unit"] = "none";
  ratio["source"] = "computed";
  ratio["formula"] = {{"numerator", "poor_people"}, {"denominator", "api_cadres"}, {"factor", 1}};
  ASSERT_EQ(declare(ratio, As(Login("evaluator")))->status, 201);

  // Refusals name the fields; a code taken is a conflict; a village committee may not declare.
  json bad = ratio;
  bad["code"] = "api_bad";
  bad["zh"] = "";
  bad["formula"]["denominator"] = "nobody";
  bad["formula"]["factor"] = -1;
  auto refused = declare(bad, admin);
  ASSERT_EQ(refused->status, 400) << refused->body;
  EXPECT_EQ(ColumnsOf(refused),
            (std::set<std::string>{"zh", "formula.denominator", "formula.factor"}));
  json taken = cadres;
  taken["code"] = "households";
  EXPECT_EQ(declare(taken, admin)->status, 409);
  EXPECT_EQ(declare(cadres, admin)->status, 409);
  EXPECT_EQ(declare(bad, As(Login("village")))->status, 403);
  const json one = GetJson("/api/v1/indicators/api_poor_per_cadre", 200, "household");
  EXPECT_EQ(one["formula"]["denominator"], "api_cadres");
  EXPECT_EQ(GetJson("/api/v1/indicators/units")["items"].size(), 13u);

  // Statistics entered in the web form: all or nothing, within the caller's regions.
  auto enter = [&](const json& items, const httplib::Headers& who) {
    return Send("PUT", "/api/v1/indicators/entered", {{"items", items}}, who);
  };
  auto wrong = enter(
      {{{"indicator", "api_cadres"}, {"region", "990121001001"}, {"year", 2024}, {"value", "abc"}},
       {{"indicator", "api_poor_per_cadre"},
        {"region", "990122001001"},
        {"year", 2024},
        {"value", 1}}},
      official);
  ASSERT_EQ(wrong->status, 400) << wrong->body;
  const json problems = json::parse(wrong->body)["error"]["details"];
  std::set<std::string> where;
  for (const auto& d : problems) {
    where.insert(std::to_string(d["row"].get<int>()) + " " + d["column"].get<std::string>());
  }
  EXPECT_EQ(where, (std::set<std::string>{"1 value", "2 indicator", "2 region"}));
  EXPECT_EQ(GetJson("/api/v1/indicators/entered?indicator=api_cadres")["total"], 0);
  auto saved = enter(
      {{{"indicator", "api_cadres"}, {"region", "990121001001"}, {"year", "2024"}, {"value", 2}},
       {{"indicator", "api_cadres"}, {"region", "990121001002"}, {"year", 2024}, {"value", 1}}},
      official);
  ASSERT_EQ(saved->status, 200) << saved->body;
  EXPECT_EQ(json::parse(saved->body)["inserted"], 2);
  EXPECT_EQ(
      enter(
          {{{"indicator", "api_cadres"}, {"region", "990121001001"}, {"year", 2024}, {"value", 2}}},
          As(Login("village")))
          ->status,
      403);
  // An import of a file (Chinese headers): checked first, then imported.
  const std::string csv = "行政区划代码,年度,指标代码,数值\n990121001002,2024,api_cadres,4\n";
  auto dry =
      Send("POST", "/api/v1/indicators/entered/import",
           {{"file", Base64(csv)}, {"file_name", "cadres.csv"}, {"dry_run", true}}, official);
  ASSERT_EQ(dry->status, 200) << dry->body;
  EXPECT_EQ(json::parse(dry->body)["updated"], 1);
  EXPECT_EQ(json::parse(dry->body)["dry_run"], true);
  auto imported = Send("POST", "/api/v1/indicators/entered/import",
                       {{"file", Base64(csv)}, {"file_name", "cadres.csv"}}, official);
  ASSERT_EQ(imported->status, 200) << imported->body;
  const json listed = GetJson("/api/v1/indicators/entered?indicator=api_cadres&year=2024");
  ASSERT_EQ(listed["total"], 2);
  EXPECT_EQ(listed["items"][1]["region"], "990121001002");
  EXPECT_EQ(listed["items"][1]["value"], 4);
  EXPECT_FALSE(listed["items"][1]["region_name"].get<std::string>().empty());
  EXPECT_NE(listed["items"][1]["note"].get<std::string>().find("cadres.csv"), std::string::npos);
  EXPECT_EQ(
      GetJson("/api/v1/indicators/entered?region=990122000000", 403, "official")["error"]["code"],
      "permission_denied");
  auto template_file = Get("/api/v1/indicators/entered/template?format=csv");
  ASSERT_EQ(template_file->status, 200);
  EXPECT_NE(template_file->body.find("行政区划代码"), std::string::npos);

  // Values: the sum of the villages, and the ratio of the rolled-up sums.
  const json values = GetJson(
      "/api/v1/indicators/values?region=990121000000&year=2024&codes=api_cadres,"
      "api_poor_per_cadre");
  EXPECT_EQ(ValueOf(values, "990121000000", "api_cadres")["value"], 6);
  const json per = ValueOf(values, "990121000000", "api_poor_per_cadre");
  EXPECT_EQ(per["denominator"], 6);
  ASSERT_TRUE(per["numerator"].is_number()) << per.dump();
  EXPECT_DOUBLE_EQ(per["value"].get<double>(), per["numerator"].get<double>() / 6);

  // A surveyed indicator: the mean of the answers to the questions mapped to it.
  json satisfaction = cadres;
  satisfaction["code"] = "api_satisfaction";
  satisfaction["zh"] = "群众帮扶满意度得分";
  satisfaction["en"] = "Satisfaction score";
  satisfaction["unit"] = "score";
  satisfaction["source"] = "surveyed";
  ASSERT_EQ(declare(satisfaction, admin)->status, 201);
  const int64_t system_id = PublishSmallSystem("调查指标体系", admin);
  json questionnaire = SmallQuestionnaire(system_id, "990121000000");
  questionnaire["period"] = "2023";
  questionnaire["questions"][0]["indicator"] = "api_cadres";  // not surveyed
  auto not_surveyed = Send("POST", "/api/v1/evaluation/surveys", questionnaire, admin);
  ASSERT_EQ(not_surveyed->status, 400) << not_surveyed->body;
  EXPECT_TRUE(ColumnsOf(not_surveyed).contains("questions[0].indicator"));
  questionnaire["questions"][0]["indicator"] = "api_satisfaction";
  auto asked = Send("POST", "/api/v1/evaluation/surveys", questionnaire, admin);
  ASSERT_EQ(asked->status, 201) << asked->body;
  const json q = json::parse(asked->body);
  EXPECT_EQ(q["questions"][0]["indicator"], "api_satisfaction");
  const std::string responses =
      "/api/v1/evaluation/surveys/" + std::to_string(q["id"].get<int64_t>()) + "/responses";
  for (auto [region, level] :
       {std::pair{"990121001001", "5"}, {"990121001001", "3"}, {"990121001002", "4"}}) {
    auto answered = Send("POST", responses,
                         {{"group", "farmer"},
                          {"region", region},
                          {"surveyed_on", "2024-03-01"},
                          {"answers", {{"q1", level}, {"q2", "1"}}}},
                         admin);
    ASSERT_EQ(answered->status, 201) << answered->body;
  }
  const json surveyed = GetJson(
      "/api/v1/indicators/values?region=990121000000&year=2023&children=true&codes="
      "api_satisfaction");
  EXPECT_EQ(ValueOf(surveyed, "990121000000", "api_satisfaction")["value"], 4);  // (5+3+4)/3
  EXPECT_TRUE(GetJson("/api/v1/indicators/values?region=990121000000&year=2024&codes="
                      "api_satisfaction")["items"][0]["value"]
                  .is_null());  // no questionnaire about 2024 asks it

  // Changes: optimistic locking; the code and source stay.
  json renamed = ratio;
  renamed["zh"] = "每名干部联系贫困人口";
  renamed["version"] = 1;
  auto changed = Send("PUT", "/api/v1/indicators/api_poor_per_cadre", renamed, admin);
  ASSERT_EQ(changed->status, 200) << changed->body;
  EXPECT_EQ(json::parse(changed->body)["version"], 2);
  auto stale = Send("PUT", "/api/v1/indicators/api_poor_per_cadre", renamed, admin);
  EXPECT_EQ(stale->status, 409) << stale->body;
  renamed["version"] = 2;
  renamed["source"] = "entered";
  renamed.erase("formula");
  auto resourced = Send("PUT", "/api/v1/indicators/api_poor_per_cadre", renamed, admin);
  EXPECT_EQ(json::parse(resourced->body)["error"]["code"], "failed_precondition");
  json builtin = cadres;
  builtin["code"] = "households";
  builtin["version"] = 1;
  EXPECT_EQ(Send("PUT", "/api/v1/indicators/households", builtin, admin)->status, 422);

  // Removal: refused while used, naming every use.
  auto used = Send("DELETE", "/api/v1/indicators/api_cadres?version=1", json::object(), admin);
  ASSERT_EQ(used->status, 422) << used->body;
  EXPECT_NE(used->body.find("api_poor_per_cadre"), std::string::npos);
  auto asked_by =
      Send("DELETE", "/api/v1/indicators/api_satisfaction?version=1", json::object(), admin);
  ASSERT_EQ(asked_by->status, 422) << asked_by->body;
  EXPECT_NE(asked_by->body.find("questionnaire"), std::string::npos);
  auto gone =
      Send("DELETE", "/api/v1/indicators/api_poor_per_cadre?version=2", json::object(), admin);
  ASSERT_EQ(gone->status, 200) << gone->body;
  EXPECT_EQ(GetJson("/api/v1/indicators/api_poor_per_cadre", 404)["error"]["code"], "not_found");
  // api_cadres still has entered values: the store refuses.
  auto has_values =
      Send("DELETE", "/api/v1/indicators/api_cadres?version=1", json::object(), admin);
  ASSERT_EQ(has_values->status, 422) << has_values->body;
  EXPECT_NE(has_values->body.find("entered value"), std::string::npos);
}

TEST_F(ApiTest, FundEfficiencyDeaOfTheObjectsWhereTheSystemAsksForIt) {
  const auto evaluator = As(Login("evaluator"));
  // Three townships: funds in 2024 of 100, 200 and 200 against rural-population growth over
  // 2023 of 50, 50 and 150 (ratios ½, ¼, ¾). In 2022 the second township shrank by 10.
  const char* towns[] = {"990121001000", "990121002000", "990121003000"};
  const int funds[] = {100, 200, 200};
  const int pop[][4] = {{900, 950, 1000, 1050}, {2000, 1990, 2000, 2050}, {2800, 2900, 3000, 3150}};
  std::string csv = "行政区划代码,年度,指标代码,数值\n";
  for (int t = 0; t < 3; ++t) {
    for (int y = 0; y < 4; ++y) {
      const std::string year = std::to_string(2021 + y);
      csv += std::string(towns[t]) + "," + year + ",rural_population," + std::to_string(pop[t][y]) +
             "\n" + towns[t] + "," + year + ",assistance_funds," + std::to_string(funds[t]) + "\n";
    }
  }
  WriteFile(*dir_ / "dea.csv", csv);
  auto imported = test_support::Run(
      {FUPIN_BINARY, "import", "statistics", (*dir_ / "dea.csv").string(), "--db", url_});
  ASSERT_EQ(imported.exit_code, 0) << imported.err << imported.out;

  json content = SmallContent();
  content["dea"] = {{"inputs", {"assistance_funds"}},
                    {"outputs", {{{"indicator", "rural_population"}, {"growth", true}}}},
                    {"rts", "crs"},
                    {"orientation", "input"}};
  const int64_t crs = PublishSmallSystem("资金效率体系", evaluator, content);
  json body = {{"system_id", crs},
               {"name", "资金效率"},
               {"region", "990121000000"},
               {"period", "2024"},
               {"objects", {towns[0], towns[1], towns[2]}},
               {"sensitivity", {{"draws", 0}}}};
  for (const char* t : towns) {
    body["inputs"].push_back({{"object", t}, {"leaf", "review"}, {"responses", {1, 1, 0, 0, 0}}});
    body["inputs"].push_back({{"object", t}, {"leaf", "survey"}, {"responses", {0, 1, 1, 0, 0}}});
    body["inputs"].push_back(
        {{"object", t}, {"leaf", "households"}, {"membership", {1, 0, 0, 0, 0}}});
  }
  auto ran = Send("POST", "/api/v1/evaluation/runs", body, evaluator);
  ASSERT_EQ(ran->status, 201) << ran->body;
  const json run = json::parse(ran->body);
  const json& dea = run["dea"];
  ASSERT_TRUE(dea.is_object()) << run.dump();
  EXPECT_EQ(dea["rts"], "crs");
  EXPECT_EQ(dea["outputs"][0]["name"], "农村人口增量");
  ASSERT_EQ(dea["objects"].size(), 3u);
  // CCR with one input and one output: efficiency = ratio / best ratio.
  EXPECT_NEAR(dea["objects"][0]["efficiency"].get<double>(), 2.0 / 3, 1e-9);
  EXPECT_NEAR(dea["objects"][1]["efficiency"].get<double>(), 1.0 / 3, 1e-9);
  EXPECT_NEAR(dea["objects"][2]["efficiency"].get<double>(), 1.0, 1e-9);
  EXPECT_EQ(dea["objects"][0]["outputs"][0], 50);
  EXPECT_EQ(dea["objects"][2]["classification"], "efficient");
  EXPECT_EQ(dea["objects"][1]["rank"], 3);
  // The first township's peer is the third, scaled by 50 / 150; its funds could be 2/3.
  ASSERT_EQ(dea["objects"][0]["peers"].size(), 1u);
  EXPECT_EQ(dea["objects"][0]["peers"][0]["code"], towns[2]);
  EXPECT_NEAR(dea["objects"][0]["peers"][0]["lambda"].get<double>(), 1.0 / 3, 1e-9);
  EXPECT_NEAR(dea["objects"][0]["input_targets"][0].get<double>(), 200.0 / 3, 1e-6);
  EXPECT_NEAR(run["objects"][1]["efficiency"].get<double>(), 1.0 / 3, 1e-9);
  int inefficient = 0;
  for (const auto& f : run["findings"]) inefficient += f["kind"] == "inefficient";
  EXPECT_EQ(inefficient, 2);
  EXPECT_NE(run["snapshot"]["conventions"]["dea"].get<std::string>().find("constant (CCR)"),
            std::string::npos);
  const std::string rbase = "/api/v1/evaluation/runs/" + std::to_string(run["id"].get<int64_t>());
  EXPECT_TRUE(GetJson(rbase + "/reproduce", 200, "evaluator")["reproduced"].get<bool>());

  // 2022: a negative output cannot enter the CCR model; the error names the township.
  json shrank = body;
  shrank["period"] = "2022";
  auto refused = Send("POST", "/api/v1/evaluation/runs", shrank, evaluator);
  ASSERT_EQ(refused->status, 400) << refused->body;
  const json detail = json::parse(refused->body)["error"]["details"][0];
  EXPECT_EQ(detail["column"], "dea.outputs[0]");
  EXPECT_EQ(detail["value"], std::string(towns[1]) + "/rural_population");
  // Under VRS with input orientation the outputs are translated, and the run goes on.
  content["dea"]["rts"] = "vrs";
  shrank["system_id"] = PublishSmallSystem("资金效率体系 VRS", evaluator, content);
  auto translated = Send("POST", "/api/v1/evaluation/runs", shrank, evaluator);
  ASSERT_EQ(translated->status, 201) << translated->body;
  const json vrs = json::parse(translated->body);
  EXPECT_GT(vrs["dea"]["outputs"][0]["shift"].get<double>(), 10);
  EXPECT_EQ(vrs["dea"]["objects"][1]["outputs"][0], -10);
  EXPECT_NE(vrs["snapshot"]["conventions"]["dea"].get<std::string>().find("translated"),
            std::string::npos);
  // No statistics before 2014 (the demo's first year): every missing value named.
  json later = body;
  later["period"] = "2012";
  auto missing = Send("POST", "/api/v1/evaluation/runs", later, evaluator);
  ASSERT_EQ(missing->status, 400) << missing->body;
  EXPECT_EQ(json::parse(missing->body)["error"]["details"][0]["column"], "dea.inputs[0]");
  // One object: nothing to compare, no DEA, said so.
  json one = body;
  one["objects"] = {towns[0]};
  one["inputs"] = {body["inputs"][0], body["inputs"][1], body["inputs"][2]};
  auto lone = Send("POST", "/api/v1/evaluation/runs", one, evaluator);
  ASSERT_EQ(lone->status, 201) << lone->body;
  EXPECT_TRUE(json::parse(lone->body)["dea"].is_null());
  EXPECT_NE(json::parse(lone->body)["snapshot"]["conventions"]["dea"].get<std::string>().find(
                "not solved"),
            std::string::npos);
  // A system naming an unknown DEA indicator is refused when saved.
  json bad = SmallContent();
  bad["dea"] = {{"inputs", {"no_such_indicator"}}, {"outputs", {"lifted_people"}}};
  auto sys = Send("POST", "/api/v1/evaluation/systems",
                  {{"name", "坏的 DEA"}, {"region", "990121000000"}}, evaluator);
  ASSERT_EQ(sys->status, 201) << sys->body;
  const json s = json::parse(sys->body);
  auto patched =
      Send("PATCH", "/api/v1/evaluation/systems/" + std::to_string(s["id"].get<int64_t>()),
           {{"version", s["version"]}, {"draft", bad}}, evaluator);
  ASSERT_EQ(patched->status, 400) << patched->body;
  EXPECT_EQ(json::parse(patched->body)["error"]["details"][0]["column"], "draft.dea.inputs[0]");
}

}  // namespace
}  // namespace fupin
