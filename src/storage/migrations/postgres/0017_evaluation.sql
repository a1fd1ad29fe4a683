-- 0017 evaluation (综合绩效评价): indicator systems (指标体系) with their draft and their
-- published versions, and the experts' pairwise judgments (判断矩阵) per published version and
-- node. Contents and matrices are JSON text (src/evaluation/system_json.h, spec_json.h); a
-- published version is never updated. Timestamps ISO 8601 UTC.
CREATE TABLE evaluation_systems (
  id             BIGSERIAL PRIMARY KEY,
  name           TEXT NOT NULL,
  name_en        TEXT NOT NULL DEFAULT '',
  description    TEXT NOT NULL DEFAULT '',
  region_code    TEXT COLLATE "C" NOT NULL,
  template       TEXT NOT NULL DEFAULT '',
  draft          TEXT NOT NULL,
  latest_version INTEGER NOT NULL DEFAULT 0,
  version        BIGINT NOT NULL DEFAULT 1,
  created_by     TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  updated_by     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
);
CREATE INDEX evaluation_systems_region ON evaluation_systems (region_code);

CREATE TABLE evaluation_system_versions (
  system_id    BIGINT NOT NULL REFERENCES evaluation_systems (id),
  version      INTEGER NOT NULL,
  content      TEXT NOT NULL,
  note         TEXT NOT NULL DEFAULT '',
  published_by TEXT NOT NULL,
  published_at TEXT NOT NULL,
  PRIMARY KEY (system_id, version)
);

CREATE TABLE evaluation_judgments (
  system_id   BIGINT NOT NULL,
  version     INTEGER NOT NULL,
  node_key    TEXT NOT NULL,
  expert_id   BIGINT NOT NULL,
  expert_name TEXT NOT NULL,
  matrix      TEXT NOT NULL,
  note        TEXT NOT NULL DEFAULT '',
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (system_id, version, node_key, expert_id),
  FOREIGN KEY (system_id, version) REFERENCES evaluation_system_versions (system_id, version)
);
