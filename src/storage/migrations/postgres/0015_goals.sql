-- 0015 goals (目标管理): SMART targets on catalogue indicators for a region, with the
-- thresholds of their on-track / at-risk status. Dates are 'YYYY-MM-DD' (China Standard Time);
-- timestamps ISO 8601 UTC. Progress is computed, never stored.
CREATE TABLE goals (
  id                 BIGSERIAL PRIMARY KEY,
  region_code        TEXT COLLATE "C" NOT NULL,
  indicator          TEXT NOT NULL,
  title              TEXT NOT NULL DEFAULT '',
  baseline           DOUBLE PRECISION NOT NULL,
  baseline_date      TEXT NOT NULL,
  target             DOUBLE PRECISION NOT NULL,
  deadline           TEXT NOT NULL CHECK (deadline > baseline_date),
  responsible_unit   TEXT NOT NULL DEFAULT '',
  responsible_person TEXT NOT NULL DEFAULT '',
  note               TEXT NOT NULL DEFAULT '',
  on_track_ratio     DOUBLE PRECISION NOT NULL DEFAULT 0.9,
  at_risk_ratio      DOUBLE PRECISION NOT NULL DEFAULT 0.7,
  version            BIGINT NOT NULL DEFAULT 1,
  created_by         TEXT NOT NULL,
  created_at         TEXT NOT NULL,
  updated_by         TEXT NOT NULL,
  updated_at         TEXT NOT NULL
);
CREATE INDEX goals_region ON goals (region_code, deadline);
CREATE INDEX goals_indicator ON goals (indicator);
