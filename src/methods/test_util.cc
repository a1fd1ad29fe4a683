#include "methods/test_util.h"

#include <cstdlib>
#include <fstream>
#include <iostream>

namespace fupin::methods::testing {

nlohmann::json LoadTestData(const std::string& name) {
  const std::string path = std::string(FUPIN_METHODS_TESTDATA) + "/" + name;
  std::ifstream in(path);
  if (!in) {
    std::cerr << "cannot open test data " << path << "\n";
    std::abort();
  }
  return nlohmann::json::parse(in);
}

Matrix ToMatrix(const nlohmann::json& rows) {
  const auto m = static_cast<Eigen::Index>(rows.size());
  const auto n = m > 0 ? static_cast<Eigen::Index>(rows[0].size()) : 0;
  Matrix a(m, n);
  for (Eigen::Index i = 0; i < m; ++i) {
    for (Eigen::Index j = 0; j < n; ++j) {
      const auto& v = rows[static_cast<size_t>(i)][static_cast<size_t>(j)];
      a(i, j) = v.is_null() ? kNaN : v.get<double>();
    }
  }
  return a;
}

Vector ToVector(const nlohmann::json& values) {
  Vector v(static_cast<Eigen::Index>(values.size()));
  for (size_t i = 0; i < values.size(); ++i)
    v[static_cast<Eigen::Index>(i)] = values[i].get<double>();
  return v;
}

std::vector<double> ToStdVector(const nlohmann::json& values) {
  std::vector<double> v;
  for (const auto& x : values) v.push_back(x.get<double>());
  return v;
}

}  // namespace fupin::methods::testing
