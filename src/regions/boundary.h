// Region boundaries for maps: each region's outline as a GeoJSON geometry (Polygon or
// MultiPolygon, WGS 84 longitude/latitude), keyed by the region's 12-digit code. The
// dashboard's choropleth draws a region's children from them.
//
// Real boundaries are imported from GeoJSON (`fupin import boundaries`); the demo generates
// synthetic ones — a jittered tiling of a made-up province — flagged `synthetic` so that no
// one mistakes them for a real map. The geometry is kept as GeoJSON text: fupin stores and
// serves it but never computes with it, and the domain stays free of a JSON library (the
// command line and HTTP layers parse and check it).
// Thread-safety: pure functions; repositories are thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit.h"
#include "base/error.h"
#include "regions/region.h"

namespace fupin::regions {

struct Boundary {
  std::string code;      // the region
  std::string name;      // the region's name (filled by reads)
  std::string geometry;  // a GeoJSON geometry object: {"type":"Polygon"|"MultiPolygon",…}
  bool synthetic = false;
  std::string source;  // where it came from: a file name and SHA-256, or "synthetic"
};

struct BoundaryCounts {
  int64_t inserted = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
};

class BoundaryRepository {
 public:
  virtual ~BoundaryRepository() = default;
  // The boundaries of `parent_code`'s children ("" = the provinces), in code order, with
  // their names; children without a boundary are left out.
  virtual Result<std::vector<Boundary>> ChildBoundaries(std::string_view parent_code) = 0;
  // The boundary of one region, when it has one.
  virtual Result<std::vector<Boundary>> Find(std::string_view code) = 0;
  // Inserts or replaces boundaries by code, in one transaction (nothing written on any error,
  // e.g. an unknown region), audited as one "import" entry with `note` and the counts.
  virtual Result<BoundaryCounts> Save(std::span<const Boundary> boundaries,
                                      const audit::Actor& actor, std::string_view note) = 0;
};

// Synthetic boundaries for every region of a generated hierarchy (parents before children):
// the province is a rectangle in a made-up corner of the map; each region's area is cut into
// its children as rows of cells whose shared edges are jittered, so that the tiles fit
// together without gaps and do not look like a chessboard. Same regions → same boundaries.
std::vector<Boundary> GenerateSyntheticBoundaries(std::span<const Region> regions);

}  // namespace fupin::regions
