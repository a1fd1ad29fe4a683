#include "http/router.h"

#include <gtest/gtest.h>

namespace fupin::http {
namespace {

ApiRequest WithQuery(std::initializer_list<std::pair<const std::string, std::string>> q) {
  ApiRequest r;
  r.query = std::multimap<std::string, std::string>(q);
  return r;
}

TEST(ParsePaging, DefaultsAndLimits) {
  auto p = ParsePaging(WithQuery({}));
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->page, 1);
  EXPECT_EQ(p->page_size, 50);
  p = ParsePaging(WithQuery({{"page", "3"}, {"page_size", "20"}}));
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->offset(), 40);
  for (const char* bad : {"0", "-1", "x", "1.5"}) {
    auto e = ParsePaging(WithQuery({{"page", bad}}));
    ASSERT_FALSE(e.has_value()) << bad;
    EXPECT_EQ(e.error().details.at(0).column, "page");
  }
  auto big = ParsePaging(WithQuery({{"page_size", "1001"}}));
  ASSERT_FALSE(big.has_value());
  EXPECT_EQ(big.error().details.at(0).column, "page_size");
}

TEST(QueryBool, AcceptsTrueFalseOneZero) {
  EXPECT_EQ(QueryBool(WithQuery({{"x", "true"}}), "x", false), true);
  EXPECT_EQ(QueryBool(WithQuery({{"x", "0"}}), "x", true), false);
  EXPECT_EQ(QueryBool(WithQuery({}), "x", true), true);
  EXPECT_FALSE(QueryBool(WithQuery({{"x", "yes"}}), "x", true).has_value());
}

TEST(ApiRequest, JsonBodyMustBeAnObject) {
  ApiRequest r;
  r.body = "{\"a\":1}";
  EXPECT_TRUE(r.JsonBody().has_value());
  r.body = "[1]";
  EXPECT_FALSE(r.JsonBody().has_value());
  r.body = "{bad";
  EXPECT_EQ(r.JsonBody().error().code, ErrorCode::kInvalidArgument);
}

TEST(ListEnvelope, WithAndWithoutPaging) {
  auto plain = ListEnvelope(nlohmann::json::array({1, 2}), 2);
  EXPECT_EQ(plain["total"], 2);
  EXPECT_FALSE(plain.contains("page"));
  auto paged = ListEnvelope(nlohmann::json::array(), 120, Paging{3, 50});
  EXPECT_EQ(paged["page"], 3);
  EXPECT_EQ(paged["page_size"], 50);
}

}  // namespace
}  // namespace fupin::http
