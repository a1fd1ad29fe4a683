#include "regions/boundary.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace fupin::regions {
namespace {

struct Rect {
  double x0, y0, x1, y1;
};
struct Point {
  double x, y;
};

// A deterministic number in [-1, 1] from a region code and two indices.
double Jitter(std::string_view code, uint64_t a, uint64_t b) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : code) h = (h ^ c) * 1099511628211ULL;
  h ^= a * 0x9E3779B97F4A7C15ULL + b * 0xC2B2AE3D27D4EB4FULL;
  h ^= h >> 31;
  h *= 0xBF58476D1CE4E5B9ULL;
  h ^= h >> 27;
  return static_cast<double>(h >> 11) / static_cast<double>(1ULL << 52) - 1.0;
}

std::string Geometry(const std::vector<Point>& ring) {
  std::string out = R"({"type":"Polygon","coordinates":[[)";
  for (size_t i = 0; i < ring.size(); ++i) {
    out += fmt::format("{}[{:.5f},{:.5f}]", i ? "," : "", ring[i].x, ring[i].y);
  }
  out += fmt::format(",[{:.5f},{:.5f}]]]}}", ring.front().x, ring.front().y);
  return out;
}

// A horizontal edge between two rows: vertices at every x where either row cuts, plus a
// jittered point between each pair.
std::vector<Point> Polyline(std::string_view parent, size_t row, std::vector<double> xs, double y,
                            double amplitude, bool straight) {
  std::sort(xs.begin(), xs.end());
  xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
  std::vector<Point> line;
  for (size_t i = 0; i < xs.size(); ++i) {
    const bool end = i == 0 || i + 1 == xs.size();
    line.push_back({xs[i], straight || end ? y : y + amplitude * Jitter(parent, row, i * 2)});
    if (i + 1 < xs.size()) {
      const double mid = (xs[i] + xs[i + 1]) / 2;
      line.push_back({mid, straight ? y : y + amplitude * Jitter(parent, row, i * 2 + 1)});
    }
  }
  return line;
}

// The part of a polyline between two of its vertices' x (inclusive), left to right.
std::vector<Point> Between(const std::vector<Point>& line, double from, double to) {
  std::vector<Point> out;
  for (const Point& p : line) {
    if (p.x >= from && p.x <= to) out.push_back(p);
  }
  return out;
}

}  // namespace

std::vector<Boundary> GenerateSyntheticBoundaries(std::span<const Region> regions) {
  std::map<std::string, std::vector<const Region*>> children;
  std::vector<const Region*> provinces;
  for (const Region& r : regions) {
    if (r.parent_code.empty()) {
      provinces.push_back(&r);
    } else {
      children[r.parent_code].push_back(&r);
    }
  }
  std::map<std::string, Rect> rects;
  std::vector<Boundary> out;
  // Provinces side by side in a made-up corner of the map (about the size of Gansu's middle).
  for (size_t i = 0; i < provinces.size(); ++i) {
    const Rect r{98.0 + 9.0 * static_cast<double>(i), 33.0, 106.0 + 9.0 * static_cast<double>(i),
                 40.0};
    rects[provinces[i]->code] = r;
    out.push_back({provinces[i]->code, provinces[i]->name,
                   Geometry({{r.x0, r.y0}, {r.x1, r.y0}, {r.x1, r.y1}, {r.x0, r.y1}}), true,
                   "synthetic"});
  }
  // Parents come before children, so each parent's rectangle is known when its children are
  // laid out.
  for (const Region& parent : regions) {
    auto kids = children.find(parent.code);
    if (kids == children.end()) continue;
    const Rect box = rects.at(parent.code);
    const auto& list = kids->second;
    const size_t n = list.size();
    const double aspect = (box.x1 - box.x0) / (box.y1 - box.y0);
    const size_t cols = std::max<size_t>(
        1, static_cast<size_t>(std::lround(std::sqrt(static_cast<double>(n) * aspect))));
    const size_t rows = (n + cols - 1) / cols;
    const double row_height = (box.y1 - box.y0) / static_cast<double>(rows);
    // Cuts of each row: evenly spread, interior ones jittered by up to a quarter cell.
    std::vector<std::vector<double>> cuts(rows);
    for (size_t r = 0; r < rows; ++r) {
      const size_t count = n / rows + (r < n % rows ? 1 : 0);
      const double width = (box.x1 - box.x0) / static_cast<double>(count);
      for (size_t k = 0; k <= count; ++k) {
        double x = box.x0 + width * static_cast<double>(k);
        if (k > 0 && k < count) x += 0.25 * width * Jitter(parent.code, 1000 + r, k);
        cuts[r].push_back(k == count ? box.x1 : x);
      }
    }
    // Horizontal edges: edge r lies between row r-1 and row r.
    std::vector<std::vector<Point>> edges(rows + 1);
    for (size_t e = 0; e <= rows; ++e) {
      std::vector<double> xs;
      if (e > 0) xs.insert(xs.end(), cuts[e - 1].begin(), cuts[e - 1].end());
      if (e < rows) xs.insert(xs.end(), cuts[e].begin(), cuts[e].end());
      const bool outer = e == 0 || e == rows;
      edges[e] = Polyline(parent.code, e, xs, box.y0 + row_height * static_cast<double>(e),
                          0.18 * row_height, outer);
    }
    size_t index = 0;
    for (size_t r = 0; r < rows; ++r) {
      for (size_t k = 0; k + 1 < cuts[r].size(); ++k) {
        const Region* child = list[index++];
        const double left = cuts[r][k], right = cuts[r][k + 1];
        std::vector<Point> ring = Between(edges[r], left, right);
        const std::vector<Point> top = Between(edges[r + 1], left, right);
        // Right edge, with a jittered middle point shared with the right-hand neighbour.
        auto side = [&](double x, size_t cut) {
          const Point bottom = Between(edges[r], x, x).front();
          const Point upper = Between(edges[r + 1], x, x).front();
          const bool outer = cut == 0 || cut + 1 == cuts[r].size();
          const double width = (box.x1 - box.x0) / static_cast<double>(cuts[r].size() - 1);
          return Point{x + (outer ? 0 : 0.15 * width * Jitter(parent.code, 2000 + r, cut)),
                       (bottom.y + upper.y) / 2};
        };
        ring.push_back(side(right, k + 1));
        ring.insert(ring.end(), top.rbegin(), top.rend());
        ring.push_back(side(left, k));
        rects[child->code] = Rect{left, box.y0 + row_height * static_cast<double>(r), right,
                                  box.y0 + row_height * static_cast<double>(r + 1)};
        out.push_back({child->code, child->name, Geometry(ring), true, "synthetic"});
      }
    }
  }
  return out;
}

}  // namespace fupin::regions
