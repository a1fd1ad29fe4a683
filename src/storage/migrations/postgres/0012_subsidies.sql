-- 0012 workshop subsidies (扶贫车间补贴): subsidy rules stored as data and versioned (an edit adds
-- a version; runs name the version they evaluated), eligibility runs with one line per unit and
-- its explanation, a review decision per line, and the ledger of payments. Money in integer fen.

CREATE TABLE subsidy_rules (
  id              BIGSERIAL PRIMARY KEY,
  code            TEXT NOT NULL UNIQUE,
  region_code     TEXT NOT NULL REFERENCES regions (code),  -- the current version's
  current_version BIGINT NOT NULL DEFAULT 1,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);
CREATE INDEX subsidy_rules_region ON subsidy_rules (region_code);

-- Every version of a rule, never changed once written.
CREATE TABLE subsidy_rule_versions (
  rule_id     BIGINT NOT NULL REFERENCES subsidy_rules (id) ON DELETE CASCADE,
  version     BIGINT NOT NULL,
  name        TEXT NOT NULL,
  region_code TEXT NOT NULL REFERENCES regions (code),
  valid_from  TEXT NOT NULL,
  valid_to    TEXT NOT NULL,
  unit        TEXT NOT NULL,  -- worker | workshop
  amount_fen  BIGINT NOT NULL DEFAULT 0,
  amount_fact TEXT NOT NULL DEFAULT '',
  cap_fen     BIGINT,
  basis       TEXT NOT NULL DEFAULT '',
  created_by  TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  PRIMARY KEY (rule_id, version)
);

CREATE TABLE subsidy_rule_conditions (
  rule_id  BIGINT NOT NULL,
  version  BIGINT NOT NULL,
  position INTEGER NOT NULL,
  fact     TEXT NOT NULL,
  op       TEXT NOT NULL,
  value    TEXT NOT NULL,
  PRIMARY KEY (rule_id, version, position),
  FOREIGN KEY (rule_id, version) REFERENCES subsidy_rule_versions (rule_id, version)
    ON DELETE CASCADE
);

CREATE TABLE subsidy_rule_bands (
  rule_id    BIGINT NOT NULL,
  version    BIGINT NOT NULL,
  position   INTEGER NOT NULL,
  min_value  DOUBLE PRECISION NOT NULL,
  max_value  DOUBLE PRECISION,  -- NULL: no upper bound
  amount_fen BIGINT NOT NULL,
  PRIMARY KEY (rule_id, version, position),
  FOREIGN KEY (rule_id, version) REFERENCES subsidy_rule_versions (rule_id, version)
    ON DELETE CASCADE
);

-- An evaluation of one version of a rule over a period and region, as it was on the day.
CREATE TABLE subsidy_runs (
  id           BIGSERIAL PRIMARY KEY,
  rule_id      BIGINT NOT NULL REFERENCES subsidy_rules (id),
  rule_version BIGINT NOT NULL,
  region_code  TEXT NOT NULL REFERENCES regions (code),
  period_from  TEXT NOT NULL,
  period_to    TEXT NOT NULL,
  window_from  TEXT NOT NULL,  -- the period within the rule's validity
  window_to    TEXT NOT NULL,
  applies      INTEGER NOT NULL,
  units        INTEGER NOT NULL,
  eligible     INTEGER NOT NULL,
  total_fen    BIGINT NOT NULL,
  run_by       TEXT NOT NULL,
  run_at       TEXT NOT NULL,
  FOREIGN KEY (rule_id, rule_version) REFERENCES subsidy_rule_versions (rule_id, version)
);
CREATE INDEX subsidy_runs_region ON subsidy_runs (region_code, id);
CREATE INDEX subsidy_runs_rule ON subsidy_runs (rule_id, id);

-- One unit of a run (a worker's employment, or a workshop), whether it qualifies, and the
-- review decision: pending, approved (approved_fen = amount_fen) or rejected (with reason).
-- paid_fen is the sum of the line's payments, kept within approved_fen.
CREATE TABLE subsidy_run_lines (
  id            BIGSERIAL PRIMARY KEY,
  run_id        BIGINT NOT NULL REFERENCES subsidy_runs (id) ON DELETE CASCADE,
  position      INTEGER NOT NULL,
  unit          TEXT NOT NULL,  -- worker | workshop
  workshop_id   BIGINT NOT NULL REFERENCES workshops (id),
  member_id     BIGINT REFERENCES members (id),
  employment_id BIGINT REFERENCES workshop_employments (id),
  qualifies     INTEGER NOT NULL,
  amount_fen    BIGINT NOT NULL,
  explanation   TEXT NOT NULL,
  decision      TEXT NOT NULL DEFAULT 'pending',
  approved_fen  BIGINT NOT NULL DEFAULT 0,
  reason        TEXT NOT NULL DEFAULT '',
  reviewed_by   TEXT NOT NULL DEFAULT '',
  reviewed_at   TEXT NOT NULL DEFAULT '',
  paid_fen      BIGINT NOT NULL DEFAULT 0,
  CHECK (paid_fen >= 0 AND paid_fen <= approved_fen)
);
CREATE INDEX subsidy_run_lines_run ON subsidy_run_lines (run_id, position);
CREATE INDEX subsidy_run_lines_workshop ON subsidy_run_lines (workshop_id);

-- The subsidy ledger (补贴发放台账): payments of approved lines.
CREATE TABLE subsidy_payments (
  id          BIGSERIAL PRIMARY KEY,
  line_id     BIGINT NOT NULL REFERENCES subsidy_run_lines (id),
  paid_on     TEXT NOT NULL,
  amount_fen  BIGINT NOT NULL CHECK (amount_fen > 0),
  voucher     TEXT NOT NULL,  -- 凭证号
  payee       TEXT NOT NULL,
  note        TEXT NOT NULL DEFAULT '',
  recorded_by TEXT NOT NULL,
  recorded_at TEXT NOT NULL
);
CREATE INDEX subsidy_payments_line ON subsidy_payments (line_id);
CREATE INDEX subsidy_payments_paid_on ON subsidy_payments (paid_on, id);
