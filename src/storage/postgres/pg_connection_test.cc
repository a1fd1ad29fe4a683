#include "storage/postgres/pg_connection.h"

#include <gtest/gtest.h>

namespace fupin::storage::postgres {
namespace {

TEST(NumberPlaceholders, NumbersOutsideQuotesOnly) {
  EXPECT_EQ(NumberPlaceholders("SELECT ? , ?"), "SELECT $1 , $2");
  EXPECT_EQ(NumberPlaceholders("WHERE a = '?' AND b = ? AND \"c?\" = ?"),
            "WHERE a = '?' AND b = $1 AND \"c?\" = $2");
  EXPECT_EQ(NumberPlaceholders("LIKE ? ESCAPE '\\' AND x = ?"), "LIKE $1 ESCAPE '\\' AND x = $2");
  EXPECT_EQ(NumberPlaceholders("no params"), "no params");
}

}  // namespace
}  // namespace fupin::storage::postgres
