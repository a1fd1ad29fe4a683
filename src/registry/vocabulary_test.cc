#include "registry/vocabulary.h"

#include <gtest/gtest.h>

#include <set>

namespace fupin::registry {
namespace {

TEST(Vocabulary, ParsesCodesChineseAndEnglishLabels) {
  EXPECT_EQ(Causes().Parse("因病"), "illness");
  EXPECT_EQ(Causes().Parse(" illness "), "illness");
  EXPECT_EQ(Causes().Parse("Lack of Skills"), "lack_skills");
  EXPECT_EQ(Causes().Parse("自身发展动力不足"), "low_motivation");
  EXPECT_EQ(Relations().Parse("孙子女"), "grandchild");
  EXPECT_EQ(Attributes().Parse("特困供养贫困户"), "tekun");
  EXPECT_EQ(LabourCapacities().Parse("丧失劳动力"), "lost");
  EXPECT_EQ(HealthConditions().Parse("患有大病"), "serious");
  EXPECT_FALSE(Causes().Parse("因懒"));
  EXPECT_FALSE(Causes().Parse(""));
  EXPECT_EQ(Causes().Zh("lack_water"), "缺水");
  EXPECT_NE(Relations().Allowed().find("head (户主)"), std::string::npos);
}

TEST(Vocabulary, CodesAndLabelsAreUniqueWithinEachVocabulary) {
  for (const Vocabulary* v : AllVocabularies()) {
    std::set<std::string_view> codes, zh;
    for (const Term& t : v->terms) {
      EXPECT_TRUE(codes.insert(t.code).second) << v->name << " " << t.code;
      EXPECT_TRUE(zh.insert(t.zh).second) << v->name << " " << t.zh;
    }
  }
  EXPECT_EQ(Causes().terms.size(), 13u);  // the 13 causes of the national system
}

}  // namespace
}  // namespace fupin::registry
