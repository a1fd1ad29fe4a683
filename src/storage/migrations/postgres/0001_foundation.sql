-- 0001 foundation: facts about the database, and the administrative regions.
-- Landed migrations are never edited; add a new numbered file instead.

CREATE TABLE fupin_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- 行政区划 — administrative regions, keyed by the 12-digit statistical division code.
-- The subtree of a region is the code range [prefix000…, prefix999…]: the primary key serves it
-- (byte order through the "C" collation).
CREATE TABLE regions (
  code           TEXT COLLATE "C" PRIMARY KEY CHECK (length(code) = 12),
  name           TEXT NOT NULL CHECK (length(name) > 0),
  level          INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
  parent_code    TEXT COLLATE "C" REFERENCES regions (code),
  closed_on      TEXT,             -- YYYY-MM-DD, China Standard Time; NULL while open
  successor_code TEXT COLLATE "C" REFERENCES regions (code),
  synthetic      INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1)),
  version        BIGINT NOT NULL DEFAULT 1,
  updated_at     TEXT NOT NULL,
  CHECK ((level = 1) = (parent_code IS NULL))
);
CREATE INDEX regions_parent ON regions (parent_code, code);
