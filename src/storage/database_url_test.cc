#include <gtest/gtest.h>

#include "storage/database.h"

namespace fupin::storage {
namespace {

TEST(DatabaseUrl, ParsesBothBackends) {
  auto s = DatabaseUrl::Parse("sqlite:demo.db");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->backend, Backend::kSqlite);
  EXPECT_EQ(s->target, "demo.db");
  EXPECT_EQ(DatabaseUrl::Parse("sqlite:///tmp/x.db")->target, "/tmp/x.db");
  auto p = DatabaseUrl::Parse("postgresql://fupin@127.0.0.1:5432/fupin");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->backend, Backend::kPostgres);
  EXPECT_TRUE(DatabaseUrl::Parse("postgres://h/db").has_value());
  EXPECT_FALSE(DatabaseUrl::Parse("mysql://h/db").has_value());
  EXPECT_FALSE(DatabaseUrl::Parse("sqlite:").has_value());
}

TEST(DatabaseUrl, RedactsPasswords) {
  auto p = DatabaseUrl::Parse("postgresql://fupin:s3cr%40t@db.local:5432/fupin?sslmode=disable");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->Redacted(), "postgresql://fupin:***@db.local:5432/fupin?sslmode=disable");
  auto q = DatabaseUrl::Parse("postgresql://db/fupin?user=u&password=hunter2&sslmode=require");
  EXPECT_EQ(q->Redacted(), "postgresql://db/fupin?user=u&password=***&sslmode=require");
  auto none = DatabaseUrl::Parse("postgresql://u@db/fupin");
  EXPECT_EQ(none->Redacted(), "postgresql://u@db/fupin");
  // An unknown scheme's error message does not echo a password either.
  auto bad = DatabaseUrl::Parse("mysql://root:topsecret@h/db");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message.find("topsecret"), std::string::npos);
}

}  // namespace
}  // namespace fupin::storage
