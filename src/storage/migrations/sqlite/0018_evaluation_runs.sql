-- 0018 evaluation runs (评价运行): a published system version evaluated for a set of regions.
-- The snapshot (every input, weight and convention) and the results are JSON text
-- (src/evaluation/run_json.h) and never change; the findings change until the run is published.
CREATE TABLE evaluation_runs (
  id             INTEGER PRIMARY KEY,
  system_id      INTEGER NOT NULL REFERENCES evaluation_systems (id),
  system_version INTEGER NOT NULL,
  name           TEXT NOT NULL,
  region_code    TEXT NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('draft', 'published')),
  snapshot       TEXT NOT NULL,
  results        TEXT NOT NULL,
  findings       TEXT NOT NULL,
  fupin_version  TEXT NOT NULL,
  version        INTEGER NOT NULL DEFAULT 1,
  created_by     TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  published_by   TEXT NOT NULL DEFAULT '',
  published_at   TEXT NOT NULL DEFAULT '',
  FOREIGN KEY (system_id, system_version) REFERENCES evaluation_system_versions (system_id, version)
);
CREATE INDEX evaluation_runs_region ON evaluation_runs (region_code);
CREATE INDEX evaluation_runs_system ON evaluation_runs (system_id);
