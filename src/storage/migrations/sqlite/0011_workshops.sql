-- 0011 poverty-alleviation workshops (扶贫车间): the workshops with their recognition steps,
-- operating-status changes and support received; employments of registry members; monthly
-- reports, appended as revisions. Money in integer fen.

CREATE TABLE workshops (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL,
  operator_id    INTEGER NOT NULL REFERENCES organizations (id),
  type           TEXT NOT NULL,
  region_code    TEXT NOT NULL REFERENCES regions (code),
  industry       TEXT NOT NULL DEFAULT '',
  products       TEXT NOT NULL DEFAULT '',
  site_area_m2   DOUBLE PRECISION,
  investment_fen INTEGER NOT NULL DEFAULT 0,
  capacity_jobs  INTEGER NOT NULL DEFAULT 0,
  longitude      DOUBLE PRECISION,
  latitude       DOUBLE PRECISION,
  version        INTEGER NOT NULL DEFAULT 1,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
);
CREATE INDEX workshops_region ON workshops (region_code, name);

CREATE TABLE workshop_recognitions (
  workshop_id INTEGER NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
  position    INTEGER NOT NULL,
  status      TEXT NOT NULL,
  on_date     TEXT NOT NULL,
  document    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX workshop_recognitions_workshop ON workshop_recognitions (workshop_id, position);

CREATE TABLE workshop_status_changes (
  workshop_id INTEGER NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
  position    INTEGER NOT NULL,
  status      TEXT NOT NULL,
  on_date     TEXT NOT NULL,
  note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX workshop_status_changes_workshop ON workshop_status_changes (workshop_id, position);

CREATE TABLE workshop_support (
  workshop_id INTEGER NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
  position    INTEGER NOT NULL,
  kind        TEXT NOT NULL,
  amount_fen  INTEGER NOT NULL,
  on_date     TEXT NOT NULL,
  note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX workshop_support_workshop ON workshop_support (workshop_id, position);

CREATE TABLE workshop_employments (
  id               INTEGER PRIMARY KEY,
  workshop_id      INTEGER NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
  member_id        INTEGER NOT NULL REFERENCES members (id),
  category         TEXT NOT NULL,
  start_on         TEXT NOT NULL,
  end_on           TEXT,
  wage_form        TEXT NOT NULL DEFAULT '',
  contract         INTEGER NOT NULL DEFAULT 0,
  position_title   TEXT NOT NULL DEFAULT '',
  overlap_accepted INTEGER NOT NULL DEFAULT 0,
  version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX workshop_employments_workshop ON workshop_employments (workshop_id, start_on);
CREATE INDEX workshop_employments_member ON workshop_employments (member_id);

CREATE TABLE workshop_reports (
  id             INTEGER PRIMARY KEY,
  workshop_id    INTEGER NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
  month          INTEGER NOT NULL,  -- year * 12 + month - 1
  revision       INTEGER NOT NULL,
  status         TEXT NOT NULL,
  days_operated  INTEGER NOT NULL,
  headcount      INTEGER NOT NULL,
  poor_headcount INTEGER NOT NULL,
  wages_fen      INTEGER NOT NULL,
  poor_wages_fen INTEGER NOT NULL,
  output_fen     INTEGER NOT NULL,
  sales_fen      INTEGER NOT NULL,
  problems       TEXT NOT NULL DEFAULT '',  -- comma-separated ReportProblems() codes
  remarks        TEXT NOT NULL DEFAULT '',
  submitted_by   TEXT NOT NULL,
  submitted_at   TEXT NOT NULL,
  UNIQUE (workshop_id, month, revision)
);
