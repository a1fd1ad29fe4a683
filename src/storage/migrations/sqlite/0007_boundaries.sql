-- 0007 region boundaries for maps: one GeoJSON geometry (Polygon or MultiPolygon, WGS 84) per
-- region, imported from a file or generated for the demo (synthetic = 1).

CREATE TABLE region_boundaries (
  code        TEXT PRIMARY KEY REFERENCES regions (code),
  geometry    TEXT NOT NULL,
  synthetic   INTEGER NOT NULL DEFAULT 0,
  source      TEXT NOT NULL DEFAULT '',
  updated_at  TEXT NOT NULL
);
