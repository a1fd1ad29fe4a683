-- 0004 relapse-prevention monitoring (防返贫动态监测): thresholds and rule options per
-- province, risk events reported on households, and monitoring cases with their alerts,
-- history and assistance measures. Money is integer fen; dates are 'YYYY-MM-DD' text in China
-- Standard Time; timestamps ISO 8601 UTC. Codes are those of src/monitoring/model.cc.

-- 监测范围: per-capita net income thresholds; province_code '' = the national guidance.
CREATE TABLE monitoring_thresholds (
  province_code  TEXT NOT NULL,
  year           INTEGER NOT NULL,
  per_capita_fen INTEGER NOT NULL CHECK (per_capita_fen > 0),
  note           TEXT NOT NULL DEFAULT '',
  updated_by     TEXT NOT NULL DEFAULT '',
  updated_at     TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (province_code, year)
);
-- The national guidance of 2021 (6,000 yuan); later years are set per province as they are
-- published (docs/monitoring.md).
INSERT INTO monitoring_thresholds (province_code, year, per_capita_fen, note, updated_by)
VALUES ('', 2021, 600000, '2021年全国防止返贫监测范围指导标准：人均纯收入6000元', 'migration 0004');

-- Rule options and deadlines per province; '' = the national defaults.
CREATE TABLE monitoring_options (
  province_code         TEXT PRIMARY KEY,
  income_drop_share     REAL NOT NULL,
  medical_expense_fen   INTEGER NOT NULL,
  medical_income_share  REAL NOT NULL,
  disaster_loss_fen     INTEGER NOT NULL,
  disaster_income_share REAL NOT NULL,
  verify_days           INTEGER NOT NULL,
  review_days           INTEGER NOT NULL,
  decide_days           INTEGER NOT NULL,
  minimum_months        INTEGER NOT NULL,
  version               INTEGER NOT NULL DEFAULT 1,
  updated_by            TEXT NOT NULL DEFAULT '',
  updated_at            TEXT NOT NULL DEFAULT ''
);
INSERT INTO monitoring_options (province_code, income_drop_share, medical_expense_fen,
  medical_income_share, disaster_loss_fen, disaster_income_share, verify_days, review_days,
  decide_days, minimum_months, updated_by)
VALUES ('', 0.3, 1000000, 0.5, 1000000, 0.5, 5, 10, 15, 6, 'migration 0004');

-- Risks the registry does not hold: large medical expenses, disasters, other sudden hardship.
CREATE TABLE risk_events (
  id           INTEGER PRIMARY KEY,
  household_id INTEGER NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  region_code  TEXT NOT NULL,  -- the household's village, for scope
  kind         TEXT NOT NULL,
  amount_fen   INTEGER,
  on_date      TEXT NOT NULL,
  note         TEXT NOT NULL DEFAULT '',
  reported_by  TEXT NOT NULL,
  reported_at  TEXT NOT NULL
);
CREATE INDEX risk_events_household ON risk_events (household_id, on_date);
CREATE INDEX risk_events_region ON risk_events (region_code, on_date);

-- A household under review or monitored; at most one open (not closed) case per household.
CREATE TABLE monitoring_cases (
  id                INTEGER PRIMARY KEY,
  household_id      INTEGER NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  region_code       TEXT NOT NULL,
  stage             TEXT NOT NULL,
  category          TEXT NOT NULL DEFAULT '',
  village_confirmed INTEGER,
  recommendation    TEXT NOT NULL DEFAULT '',
  dismiss_reason    TEXT NOT NULL DEFAULT '',
  opened_on         TEXT NOT NULL,
  verify_due        TEXT NOT NULL,
  review_due        TEXT NOT NULL,
  decide_due        TEXT NOT NULL,
  due_on            TEXT,  -- the due date of the step the case waits for; NULL when none
  verified_on       TEXT,
  reviewed_on       TEXT,
  decided_on        TEXT,
  closed_on         TEXT,
  version           INTEGER NOT NULL DEFAULT 1,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL
);
CREATE INDEX monitoring_cases_region ON monitoring_cases (region_code, stage);
CREATE INDEX monitoring_cases_due ON monitoring_cases (due_on);
CREATE UNIQUE INDEX monitoring_cases_open ON monitoring_cases (household_id)
  WHERE closed_on IS NULL;

-- Rule firings: one per household, rule and period, whatever became of its case.
CREATE TABLE monitoring_alerts (
  id           INTEGER PRIMARY KEY,
  case_id      INTEGER NOT NULL REFERENCES monitoring_cases (id) ON DELETE CASCADE,
  household_id INTEGER NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  rule         TEXT NOT NULL,
  period       TEXT NOT NULL,
  message_zh   TEXT NOT NULL,
  message_en   TEXT NOT NULL,
  detected_on  TEXT NOT NULL,
  UNIQUE (household_id, rule, period)
);
CREATE INDEX monitoring_alerts_case ON monitoring_alerts (case_id, id);

-- The values a rule fired on, in order.
CREATE TABLE monitoring_alert_values (
  alert_id INTEGER NOT NULL REFERENCES monitoring_alerts (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  name     TEXT NOT NULL,
  value    TEXT NOT NULL,
  PRIMARY KEY (alert_id, position)
);

-- A case's history, appended to only.
CREATE TABLE monitoring_steps (
  id            INTEGER PRIMARY KEY,
  case_id       INTEGER NOT NULL REFERENCES monitoring_cases (id) ON DELETE CASCADE,
  action        TEXT NOT NULL,
  on_date       TEXT NOT NULL,
  actor         TEXT NOT NULL,
  actor_user_id INTEGER NOT NULL DEFAULT 0,
  at            TEXT NOT NULL,
  note          TEXT NOT NULL DEFAULT '',
  detail        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX monitoring_steps_case ON monitoring_steps (case_id, id);

-- 帮扶措施 assigned to monitored households (the registry's assistance_measures table has no
-- domain type yet; these stay with their case).
CREATE TABLE monitoring_measures (
  id           INTEGER PRIMARY KEY,
  case_id      INTEGER NOT NULL REFERENCES monitoring_cases (id) ON DELETE CASCADE,
  household_id INTEGER NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  kind         TEXT NOT NULL,
  amount_fen   INTEGER,
  start_on     TEXT,
  note         TEXT NOT NULL DEFAULT '',
  assigned_by  TEXT NOT NULL,
  assigned_on  TEXT NOT NULL
);
CREATE INDEX monitoring_measures_case ON monitoring_measures (case_id, id);
