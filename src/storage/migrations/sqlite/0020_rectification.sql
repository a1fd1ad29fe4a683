-- 0020 rectification (整改): findings of published evaluation runs as tasks with a responsible
-- unit, person and deadline, and their status updates with evidence (never overwritten).
CREATE TABLE rectification_tasks (
  id              INTEGER PRIMARY KEY,
  run_id          INTEGER NOT NULL REFERENCES evaluation_runs (id),
  system_id       INTEGER NOT NULL REFERENCES evaluation_systems (id),
  run_region      TEXT NOT NULL,
  finding_kind    TEXT NOT NULL,
  finding_object  TEXT NOT NULL DEFAULT '',
  finding_node    TEXT NOT NULL DEFAULT '',
  finding_text    TEXT NOT NULL,
  finding_text_en TEXT NOT NULL DEFAULT '',
  region_code     TEXT NOT NULL,
  title           TEXT NOT NULL,
  unit            TEXT NOT NULL,
  person          TEXT NOT NULL,
  deadline        TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('assigned', 'in_progress', 'submitted', 'verified')),
  submitted_on    TEXT NOT NULL DEFAULT '',
  verified_on     TEXT NOT NULL DEFAULT '',
  version         INTEGER NOT NULL DEFAULT 1,
  created_by      TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);
CREATE INDEX rectification_tasks_run ON rectification_tasks (run_id);
CREATE INDEX rectification_tasks_system ON rectification_tasks (system_id);
CREATE INDEX rectification_tasks_region ON rectification_tasks (region_code);
CREATE INDEX rectification_tasks_run_region ON rectification_tasks (run_region);

CREATE TABLE rectification_updates (
  id       INTEGER PRIMARY KEY,
  task_id  INTEGER NOT NULL REFERENCES rectification_tasks (id),
  status   TEXT NOT NULL,
  note     TEXT NOT NULL DEFAULT '',
  evidence TEXT NOT NULL DEFAULT '',
  by_name  TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX rectification_updates_task ON rectification_updates (task_id, id);
