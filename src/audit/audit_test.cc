#include "audit/audit.h"

#include <gtest/gtest.h>

namespace fupin::audit {
namespace {

std::vector<Entry> Chain(int n) {
  std::vector<Entry> out;
  std::string prev;
  for (int i = 1; i <= n; ++i) {
    Entry e;
    e.seq = i;
    e.at = "2026-11-22T10:00:0" + std::to_string(i) + ".000Z";
    e.actor = {"alice", 7, "127.0.0.1"};
    e.action = "update";
    e.entity = "region";
    e.entity_id = "620623100201";
    e.region_code = "620623100201";
    e.changes = {{"name", "旧名", "新名 " + std::to_string(i)}};
    e.prev_hash = prev;
    e.hash = ComputeHash(e);
    prev = e.hash;
    out.push_back(e);
  }
  return out;
}

TEST(VerifyChain, AnIntactChainVerifies) {
  const auto chain = Chain(5);
  const auto v = VerifyChain(chain, Head{5, chain.back().hash});
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.checked, 5);
  EXPECT_EQ(v.head.count, 5);
  EXPECT_TRUE(VerifyChain({}, std::nullopt).ok);
}

TEST(VerifyChain, DetectsAnEditedEntry) {
  auto chain = Chain(5);
  chain[2].changes[0].after = "篡改";
  const auto v = VerifyChain(chain, std::nullopt);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_broken, 3);
  EXPECT_NE(v.problem.find("changed"), std::string::npos);
}

TEST(VerifyChain, DetectsAnEditedAndRehashedEntry) {
  auto chain = Chain(5);
  chain[2].actor.name = "mallory";
  chain[2].hash = ComputeHash(chain[2]);  // the forger recomputes this entry's hash…
  const auto v = VerifyChain(chain, std::nullopt);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_broken, 4);  // …but the next entry no longer links to it
}

TEST(VerifyChain, DetectsADeletedEntry) {
  auto chain = Chain(5);
  chain.erase(chain.begin() + 1);
  const auto v = VerifyChain(chain, std::nullopt);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_broken, 3);
  EXPECT_NE(v.problem.find("entry 2 is missing"), std::string::npos);
}

TEST(VerifyChain, DetectsATruncatedTailAgainstASavedHead) {
  auto chain = Chain(5);
  const Head saved{5, chain.back().hash};
  chain.pop_back();
  EXPECT_TRUE(VerifyChain(chain, std::nullopt).ok);  // without a head, truncation is invisible
  const auto v = VerifyChain(chain, saved);
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.problem.find("removed from the end"), std::string::npos);
}

TEST(Diff, OnlyChangedFieldsAndSensitiveValuesHashed) {
  const auto changes =
      Diff({{"name", "张三", false}, {"phone", "13800000000", true}, {"note", std::nullopt, false}},
           {{"name", "张三", false}, {"phone", "13900000000", true}, {"note", "新", false}}, "k");
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].field, "phone");
  EXPECT_TRUE(changes[0].before->starts_with("hmac:"));
  EXPECT_EQ(changes[0].before->find("13800000000"), std::string::npos);
  EXPECT_NE(changes[0].before, changes[0].after);
  EXPECT_EQ(changes[1].field, "note");
  EXPECT_EQ(changes[1].before, std::nullopt);
  // Same value, same key → same HMAC; another key → another HMAC.
  EXPECT_EQ(SensitiveValue("k", "x"), SensitiveValue("k", "x"));
  EXPECT_NE(SensitiveValue("k", "x"), SensitiveValue("k2", "x"));
}

TEST(CanonicalContent, EscapesAndIsStable) {
  Entry e;
  e.seq = 1;
  e.note = "quote\" backslash\\ newline\n";
  const std::string c = CanonicalContent(e);
  EXPECT_NE(c.find("quote\\\" backslash\\\\ newline\\n"), std::string::npos);
  EXPECT_EQ(c, CanonicalContent(e));
}

}  // namespace
}  // namespace fupin::audit
