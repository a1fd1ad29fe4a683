-- 0006 indicators: the values of entered indicators (statistics typed in or imported per
-- region and period, with who entered them), the change counters the indicator cache
-- compares to know whether what it holds is still current, and the log of the households each
-- registry write touched, so that the cache re-reads only those. Numbers 0004 and 0005 belong
-- to other modules.

CREATE TABLE indicator_values (
  indicator   TEXT NOT NULL,                           -- a catalogue code (source: entered)
  region_code TEXT NOT NULL REFERENCES regions (code),
  period      TEXT NOT NULL,                           -- 'YYYY'
  value       REAL NOT NULL,
  entered_by  TEXT NOT NULL,
  entered_at  TEXT NOT NULL,                           -- ISO 8601 UTC
  note        TEXT NOT NULL DEFAULT '',                -- e.g. the file and its SHA-256
  PRIMARY KEY (indicator, region_code, period)
);
CREATE INDEX indicator_values_region ON indicator_values (region_code, period);

-- One row per kind of data; every committed write of that data adds one in its transaction.
-- 'registry_pruned' is not a counter: the registry generation up to which registry_changes
-- was pruned.
CREATE TABLE change_counters (
  name  TEXT PRIMARY KEY,  -- 'registry', 'regions', 'statistics'
  value INTEGER NOT NULL
);
INSERT INTO change_counters (name, value)
  VALUES ('registry', 0), ('regions', 0), ('statistics', 0), ('registry_pruned', 0);

-- The households a registry write touched, under the value it gave the 'registry' counter.
-- Pruned to the last 1000 generations (storage::RecordRegistryWrite).
CREATE TABLE registry_changes (
  generation   INTEGER NOT NULL,
  household_id INTEGER NOT NULL  -- no foreign key: a household may be gone since
);
CREATE INDEX registry_changes_generation ON registry_changes (generation, household_id);
