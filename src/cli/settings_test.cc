#include "cli/settings.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace fupin::cli {
namespace {

TEST(Settings, FlagBeatsEnvBeatsFileBeatsDefault) {
  auto s = Settings::FromText("# comment\ndb = sqlite:file.db\nport = \"9000\"\n", "test.conf");
  ASSERT_TRUE(s.has_value()) << s.error().message;
  ::unsetenv("FUPIN_DB");
  ::unsetenv("FUPIN_PORT");
  ::unsetenv("FUPIN_HOST");
  EXPECT_EQ(s->Resolve("", false, "db", "sqlite:default.db"), "sqlite:file.db");
  EXPECT_EQ(s->Resolve("", false, "port", "8080"), "9000");
  EXPECT_EQ(s->Resolve("", false, "host", "127.0.0.1"), "127.0.0.1");
  ::setenv("FUPIN_DB", "sqlite:env.db", 1);
  EXPECT_EQ(s->Resolve("", false, "db", "sqlite:default.db"), "sqlite:env.db");
  EXPECT_EQ(s->Resolve("sqlite:flag.db", true, "db", "sqlite:default.db"), "sqlite:flag.db");
  ::unsetenv("FUPIN_DB");
}

TEST(Settings, MalformedFilesNameTheLine) {
  auto bad = Settings::FromText("db = x\njust words\n", "f.conf");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().details.at(0).row, 2);
  auto unknown = Settings::FromText("dbb = x\n", "f.conf");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_NE(unknown.error().message.find("unknown key 'dbb'"), std::string::npos);
}

TEST(Settings, LoadFindsConfigFlag) {
  const char* argv[] = {"fupin", "serve", "--config", "/nonexistent/fupin.conf"};
  auto s = Settings::Load(4, argv);
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code, ErrorCode::kNotFound);
  const char* none[] = {"fupin", "serve"};
  ::unsetenv("FUPIN_CONFIG");
  EXPECT_TRUE(Settings::Load(2, none).has_value());
}

TEST(EnvName, UpperCasesWithPrefix) { EXPECT_EQ(EnvName("web_root"), "FUPIN_WEB_ROOT"); }

}  // namespace
}  // namespace fupin::cli
