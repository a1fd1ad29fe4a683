#include "evaluation/system.h"

#include <gtest/gtest.h>

#include "evaluation/system_json.h"
#include "indicators/registry_indicators.h"

namespace fupin::evaluation {
namespace {

TEST(SystemTest, EveryTemplateIsValidAgainstTheStandardCatalogue) {
  const auto catalogue = indicators::StandardCatalogue();
  ASSERT_TRUE(catalogue.has_value());
  ASSERT_EQ(Templates().size(), 4u);
  for (const auto& t : Templates()) {
    auto s = ValidateContent(t.content, &*catalogue);
    EXPECT_TRUE(s.has_value()) << t.code << ": "
                               << (s ? ""
                                     : s.error().details.at(0).column + " " +
                                           s.error().details.at(0).reason);
    EXPECT_FALSE(t.name_en.empty());
  }
  const Template* bsc = FindTemplate("workshop_bsc");
  ASSERT_NE(bsc, nullptr);
  const auto children = ChildrenOf(bsc->content);
  // The balanced scorecard's four dimensions, in order.
  std::vector<std::string> dims;
  for (int c : children[0]) dims.push_back(bsc->content.nodes[static_cast<size_t>(c)].key);
  EXPECT_EQ(dims,
            (std::vector<std::string>{"stakeholders", "management", "economic", "sustainability"}));
  // The exit assessment: four pass/fail thresholds, all needed for 达标.
  const Template* exit = FindTemplate("exit_assessment");
  ASSERT_NE(exit, nullptr);
  auto scale = GradeScale::Make(exit->content.grades);
  ASSERT_TRUE(scale.has_value());
  EXPECT_EQ(scale->BandOf(100), 0);
  EXPECT_EQ(scale->BandOf(75), 1);  // one of four failed
  EXPECT_EQ(FindTemplate("nope"), nullptr);
}

TEST(SystemTest, ValidationNamesTheNodeAndField) {
  SystemContent c = FindTemplate("county_targeted")->content;
  c.nodes[3].key = "Bad Key";
  c.nodes[4].parent = "nowhere";
  c.nodes[2].indicator = "no_such_indicator";
  ASSERT_TRUE(c.nodes[6].scoring.has_value());
  c.nodes[6].scoring->target = c.nodes[6].scoring->floor;
  SystemNode orphan_root;
  orphan_root.key = "second_root";
  orphan_root.name = "另一个根";
  c.nodes.push_back(orphan_root);
  const auto catalogue = indicators::StandardCatalogue();
  auto s = ValidateContent(c, &*catalogue);
  ASSERT_FALSE(s.has_value());
  std::vector<std::string> columns;
  for (const auto& d : s.error().details) columns.push_back(d.column);
  EXPECT_NE(std::find(columns.begin(), columns.end(), "nodes[3].key"), columns.end());
  EXPECT_NE(std::find(columns.begin(), columns.end(), "nodes[4].parent"), columns.end());
  EXPECT_NE(std::find(columns.begin(), columns.end(), "nodes[2].indicator"), columns.end());
  EXPECT_NE(std::find(columns.begin(), columns.end(), "nodes[6].scoring.target"), columns.end());
  EXPECT_NE(std::find(columns.begin(), columns.end(),
                      "nodes[" + std::to_string(c.nodes.size() - 1) + "].parent"),
            columns.end());
  // Without a catalogue the indicator code is not checked.
  SystemContent ok = FindTemplate("multi_subject")->content;
  ok.nodes.back().source = LeafSource::kIndicator;
  ok.nodes.back().indicator = "anything";
  ok.nodes.back().scoring = ScoringRule{};
  EXPECT_TRUE(ValidateContent(ok, nullptr).has_value());
  EXPECT_FALSE(ValidateContent(ok, &*catalogue).has_value());
}

TEST(SystemTest, AnIndicatorLeafNeedsARuleAndALeafRootIsRefused) {
  SystemContent c;
  c.grades = {{"好", 90, {}}, {"差", 50, {}}};
  SystemNode root;
  root.key = "r";
  root.name = "根";
  c.nodes.push_back(root);
  auto alone = ValidateContent(c, nullptr);
  ASSERT_FALSE(alone.has_value());
  EXPECT_NE(alone.error().details.at(0).reason.find("at least one child"), std::string::npos);
  SystemNode leaf;
  leaf.key = "x";
  leaf.parent = "r";
  leaf.name = "指标";
  leaf.indicator = "poverty_incidence";
  c.nodes.push_back(leaf);
  auto no_rule = ValidateContent(c, nullptr);
  ASSERT_FALSE(no_rule.has_value());
  EXPECT_EQ(no_rule.error().details.at(0).column, "nodes[1].scoring");
  c.nodes[1].source = LeafSource::kSurvey;
  EXPECT_TRUE(ValidateContent(c, nullptr).has_value());
}

TEST(SystemJsonTest, ContentRoundTripsThroughJson) {
  for (const auto& t : Templates()) {
    const auto j = ContentJson(t.content);
    auto back = ParseContent(nlohmann::json::parse(j.dump()), "draft");
    ASSERT_TRUE(back.has_value()) << t.code;
    EXPECT_EQ(ContentJson(*back).dump(), j.dump()) << t.code;
  }
  auto bad = ParseContent(nlohmann::json::parse(
                              R"({"grades": [{"name": "好", "score": 90}],
                                  "nodes": [{"key": "r", "weight": "x", "source": "guess",
                                             "scoring": {"rule": "linear", "floor": 1}}]})"),
                          "draft");
  ASSERT_FALSE(bad.has_value());
  std::vector<std::string> columns;
  for (const auto& d : bad.error().details) columns.push_back(d.column);
  EXPECT_EQ(columns, (std::vector<std::string>{"draft.nodes[0].weight", "draft.nodes[0].source",
                                               "draft.nodes[0].scoring.target"}));
}

TEST(SystemTest, DeaSettingsNameCatalogueIndicatorsOnce) {
  const auto catalogue = indicators::StandardCatalogue();
  ASSERT_TRUE(catalogue.has_value());
  const Template* county = FindTemplate("county_targeted");
  ASSERT_NE(county, nullptr);
  ASSERT_TRUE(county->content.dea.has_value());
  EXPECT_EQ(county->content.dea->outputs.front().indicator, "lifted_people");
  EXPECT_TRUE(county->content.dea->outputs.front().growth);
  SystemContent c = county->content;
  c.dea->inputs.push_back({"no_such_indicator", false});
  c.dea->inputs.push_back({"fund_paid", false});  // twice
  c.dea->outputs.clear();
  auto s = ValidateContent(c, &*catalogue);
  ASSERT_FALSE(s.has_value());
  std::vector<std::string> columns;
  for (const auto& d : s.error().details) columns.push_back(d.column);
  EXPECT_EQ(columns, (std::vector<std::string>{"dea.inputs[2]", "dea.inputs[3]", "dea.outputs"}));
  // JSON: a bare code is a factor; rts and orientation are checked.
  std::vector<ErrorDetail> details;
  auto parsed =
      ParseDeaSettings(nlohmann::json::parse(R"({"inputs": ["fund_paid"], "outputs": [{"indicator":
                               "lifted_people", "growth": true}], "rts": "crs"})"),
                       "draft.dea", details);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->rts, methods::ReturnsToScale::kCrs);
  EXPECT_EQ(parsed->orientation, methods::Orientation::kInput);
  EXPECT_TRUE(parsed->outputs[0].growth);
  EXPECT_FALSE(ParseDeaSettings(nlohmann::json::parse(
                                    R"({"inputs": [], "outputs": [], "rts": "ccr",
                                        "orientation": "sideways"})"),
                                "draft.dea", details)
                   .has_value());
  ASSERT_EQ(details.size(), 2u);
  EXPECT_EQ(details[0].column, "draft.dea.rts");
  EXPECT_EQ(details[1].column, "draft.dea.orientation");
}

}  // namespace
}  // namespace fupin::evaluation
