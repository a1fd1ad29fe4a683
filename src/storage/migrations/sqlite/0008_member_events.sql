-- 0008 membership over time: a person may have left one household and joined another (a
-- marriage, a move, a split or merge), so an ID number is unique among *current* members only
-- (rows with no left_on), and membership events are kept as an append-only log.
-- SQLite cannot drop a column constraint: the members table is rebuilt (migrations run with
-- foreign keys off).

CREATE TABLE members_new (
  id                INTEGER PRIMARY KEY,
  household_id      INTEGER NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  position          INTEGER NOT NULL,
  name              TEXT NOT NULL,
  id_number         TEXT NOT NULL,  -- 身份证号, sensitive; unique among current members
  relation          TEXT NOT NULL,
  sex               TEXT NOT NULL DEFAULT '',
  birth_date        TEXT,
  ethnicity         TEXT NOT NULL DEFAULT '',
  education         TEXT NOT NULL DEFAULT '',
  in_school         INTEGER,
  health            TEXT NOT NULL DEFAULT '',  -- sensitive
  labour            TEXT NOT NULL DEFAULT '',
  migrant_months    INTEGER,
  dibao             INTEGER,
  medical_insurance INTEGER,
  pension           INTEGER,
  joined_on         TEXT,
  left_on           TEXT,
  left_reason       TEXT NOT NULL DEFAULT '',
  version           INTEGER NOT NULL DEFAULT 1
);
INSERT INTO members_new SELECT id, household_id, position, name, id_number, relation, sex,
  birth_date, ethnicity, education, in_school, health, labour, migrant_months, dibao,
  medical_insurance, pension, joined_on, left_on, left_reason, version FROM members;
DROP TABLE members;
ALTER TABLE members_new RENAME TO members;
CREATE INDEX members_household ON members (household_id, position);
CREATE INDEX members_id_number ON members (id_number);
CREATE UNIQUE INDEX members_current_id_number ON members (id_number) WHERE left_on IS NULL;

-- 出生, 死亡, 婚入/婚出, 迁入/迁出, 分户, 合户, 身份证号更正: what happened to whom, when.
CREATE TABLE member_events (
  id                     INTEGER PRIMARY KEY,
  household_id           INTEGER NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  member_id              INTEGER,  -- the member row concerned (kept if the row goes)
  kind                   TEXT NOT NULL,
  on_date                TEXT NOT NULL,
  name                   TEXT NOT NULL,
  id_number              TEXT NOT NULL,             -- sensitive
  old_id_number          TEXT NOT NULL DEFAULT '',  -- sensitive; id_correction only
  other_household_id     INTEGER,
  other_household_number TEXT NOT NULL DEFAULT '',
  note                   TEXT NOT NULL DEFAULT '',
  recorded_by            TEXT NOT NULL,
  recorded_at            TEXT NOT NULL
);
CREATE INDEX member_events_household ON member_events (household_id, on_date);
