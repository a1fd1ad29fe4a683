#include "http/error_response.h"

#include <gtest/gtest.h>

namespace fupin::http {
namespace {

TEST(HttpStatusFor, EveryCode) {
  EXPECT_EQ(HttpStatusFor(ErrorCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kNotFound), 404);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kConflict), 409);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kResourceExhausted), 429);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kInternal), 500);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kUnavailable), 503);
}

TEST(ErrorBody, ShapeWithDetails) {
  Error e{
      ErrorCode::kInvalidArgument, "2 problems", {{3, "code", "x", "bad"}, {0, "q", "", "r"}}, 0};
  const auto body = ErrorBody(e);
  EXPECT_EQ(body["error"]["code"], "invalid_argument");
  EXPECT_EQ(body["error"]["message"], "2 problems");
  ASSERT_EQ(body["error"]["details"].size(), 2u);
  EXPECT_EQ(body["error"]["details"][0]["row"], 3);
  EXPECT_EQ(body["error"]["details"][0]["column"], "code");
  EXPECT_EQ(body["error"]["details"][0]["value"], "x");
  EXPECT_EQ(body["error"]["details"][0]["reason"], "bad");
  EXPECT_FALSE(body["error"]["details"][1].contains("row"));
}

TEST(ErrorBody, InternalMessagesNeverLeak) {
  const auto body = ErrorBody(Error{ErrorCode::kInternal, "sqlite step: no such table: x", {}, 0});
  EXPECT_EQ(body["error"]["code"], "internal");
  EXPECT_EQ(body.dump().find("sqlite"), std::string::npos);
  const auto pg = ErrorBody(Error{ErrorCode::kUnavailable, "cannot connect to 10.0.0.1", {}, 0});
  EXPECT_EQ(pg.dump().find("10.0.0.1"), std::string::npos);
}

TEST(ErrorBody, ConflictCarriesTheCurrentVersion) {
  const auto body = ErrorBody(Error{ErrorCode::kConflict, "stale", {}, 7});
  EXPECT_EQ(body["error"]["code"], "conflict");
  EXPECT_EQ(body["error"]["current_version"], 7);
}

}  // namespace
}  // namespace fupin::http
