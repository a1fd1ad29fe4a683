-- 0014 the project library (项目库): projects with their lifecycle, every version of a
-- project's profile (with its targets, milestones and beneficiary households), the approval
-- history, what was measured and done (target values, milestone completions) and progress
-- reports. Versions, transitions and reports are only appended. Money in integer fen.
-- Fund allocations (a later migration) will reference projects (id).

-- Where each project stands. name … end_on repeat the latest version's, for lists and filters.
CREATE TABLE projects (
  id               BIGSERIAL PRIMARY KEY,
  name             TEXT NOT NULL,
  type             TEXT NOT NULL,
  region_code      TEXT NOT NULL REFERENCES regions (code),
  budget_fen       BIGINT NOT NULL,
  start_on         TEXT NOT NULL,
  end_on           TEXT NOT NULL,
  status           TEXT NOT NULL,
  version          BIGINT NOT NULL,            -- the latest version
  stage            TEXT NOT NULL,               -- the latest version's approval stage
  approved_version BIGINT NOT NULL DEFAULT 0,  -- the version in force (0: none yet)
  revision         BIGINT NOT NULL DEFAULT 1,  -- optimistic lock, +1 on every write
  maintainer       TEXT NOT NULL DEFAULT '',    -- 管护主体
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);
CREATE INDEX projects_region ON projects (region_code, id);
CREATE INDEX projects_status ON projects (status, id);

-- Every version of a project's profile, never changed once written but for its stage.
CREATE TABLE project_versions (
  project_id        BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  version           BIGINT NOT NULL,
  name              TEXT NOT NULL,
  type              TEXT NOT NULL,
  region_code       TEXT NOT NULL REFERENCES regions (code),
  implementing_unit TEXT NOT NULL,
  person_in_charge  TEXT NOT NULL,
  content           TEXT NOT NULL DEFAULT '',
  mechanism         TEXT NOT NULL,
  budget_fen        BIGINT NOT NULL CHECK (budget_fen > 0),
  start_on          TEXT NOT NULL,
  end_on            TEXT NOT NULL,
  stage             TEXT NOT NULL,
  change_reason     TEXT NOT NULL DEFAULT '',
  created_by        TEXT NOT NULL,
  created_at        TEXT NOT NULL,
  PRIMARY KEY (project_id, version)
);

-- 绩效目标表: a version's targets; `key` matches a target across versions.
CREATE TABLE project_targets (
  project_id   BIGINT NOT NULL,
  version      BIGINT NOT NULL,
  position     BIGINT NOT NULL,
  item_key     TEXT NOT NULL,
  category     TEXT NOT NULL,
  name         TEXT NOT NULL,
  unit         TEXT NOT NULL DEFAULT '',
  direction    TEXT NOT NULL,
  target_value DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (project_id, version, position),
  FOREIGN KEY (project_id, version) REFERENCES project_versions (project_id, version)
    ON DELETE CASCADE
);

-- A version's milestones; weights in percent of the project.
CREATE TABLE project_milestones (
  project_id BIGINT NOT NULL,
  version    BIGINT NOT NULL,
  position   BIGINT NOT NULL,
  item_key   TEXT NOT NULL,
  name       TEXT NOT NULL,
  planned_on TEXT NOT NULL,
  weight     BIGINT NOT NULL,
  PRIMARY KEY (project_id, version, position),
  FOREIGN KEY (project_id, version) REFERENCES project_versions (project_id, version)
    ON DELETE CASCADE
);

-- A version's beneficiary households (registry ids; checked on write, kept when a household
-- record later goes).
CREATE TABLE project_beneficiaries (
  project_id   BIGINT NOT NULL,
  version      BIGINT NOT NULL,
  household_id BIGINT NOT NULL,
  PRIMARY KEY (project_id, version, household_id),
  FOREIGN KEY (project_id, version) REFERENCES project_versions (project_id, version)
    ON DELETE CASCADE
);
CREATE INDEX project_beneficiaries_household ON project_beneficiaries (household_id);

-- The approval history: every step of the lifecycle.
CREATE TABLE project_transitions (
  id            BIGSERIAL PRIMARY KEY,
  project_id    BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  version       BIGINT NOT NULL,
  action        TEXT NOT NULL,
  from_status   TEXT NOT NULL,
  to_status     TEXT NOT NULL,
  stage         TEXT NOT NULL,
  reason        TEXT NOT NULL DEFAULT '',
  on_date       TEXT NOT NULL,
  actor         TEXT NOT NULL,
  actor_user_id BIGINT NOT NULL DEFAULT 0,
  at            TEXT NOT NULL
);
CREATE INDEX project_transitions_project ON project_transitions (project_id, id);

-- Completion of milestones (by key; a later record replaces the earlier).
CREATE TABLE project_milestone_actuals (
  project_id   BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  item_key     TEXT NOT NULL,
  completed_on TEXT NOT NULL,
  note         TEXT NOT NULL DEFAULT '',
  recorded_by  TEXT NOT NULL,
  recorded_at  TEXT NOT NULL,
  PRIMARY KEY (project_id, item_key)
);

-- Actual values of targets when measured (by key; a later measurement replaces the earlier).
CREATE TABLE project_target_actuals (
  project_id   BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  item_key     TEXT NOT NULL,
  actual_value DOUBLE PRECISION NOT NULL,
  measured_on  TEXT NOT NULL,
  note         TEXT NOT NULL DEFAULT '',
  recorded_by  TEXT NOT NULL,
  recorded_at  TEXT NOT NULL,
  PRIMARY KEY (project_id, item_key)
);

-- 进度报告, with attachments as names and references (the files are kept elsewhere).
CREATE TABLE project_reports (
  id          BIGSERIAL PRIMARY KEY,
  project_id  BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  on_date     TEXT NOT NULL,
  percent     BIGINT NOT NULL CHECK (percent BETWEEN 0 AND 100),
  narrative   TEXT NOT NULL,
  reported_by TEXT NOT NULL,
  reported_at TEXT NOT NULL
);
CREATE INDEX project_reports_project ON project_reports (project_id, on_date, id);

CREATE TABLE project_report_attachments (
  report_id BIGINT NOT NULL REFERENCES project_reports (id) ON DELETE CASCADE,
  position  BIGINT NOT NULL,
  name      TEXT NOT NULL,
  ref       TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (report_id, position)
);
