-- 0003 the household registry (建档立卡): households, members, status history, incomes by
-- year, 两不愁三保障 items, assistance measures and helpers. Categorical columns hold the codes
-- of src/registry/vocabulary.cc. Dates are 'YYYY-MM-DD' text, money is yuan.

CREATE TABLE households (
  id                 INTEGER PRIMARY KEY,
  number             TEXT NOT NULL UNIQUE,                    -- 户编号
  region_code        TEXT NOT NULL REFERENCES regions (code), -- the village
  attribute          TEXT NOT NULL DEFAULT '',                -- '' = monitored non-poor
  main_cause         TEXT NOT NULL DEFAULT '',
  secondary_cause    TEXT NOT NULL DEFAULT '',
  phone              TEXT NOT NULL DEFAULT '',                -- sensitive
  bank_account       TEXT NOT NULL DEFAULT '',                -- sensitive
  housing_safe       INTEGER,
  housing_area       REAL,
  water_safe         INTEGER,
  market_distance_km REAL,
  year_identified    INTEGER,
  status             TEXT NOT NULL DEFAULT '',                -- latest status event
  lifted_year        INTEGER,
  head_name          TEXT NOT NULL DEFAULT '',                -- kept with the members
  member_count       INTEGER NOT NULL DEFAULT 0,              -- current members
  version            INTEGER NOT NULL DEFAULT 1,
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL
);
CREATE INDEX households_region ON households (region_code, number);
CREATE INDEX households_status ON households (status, region_code);

CREATE TABLE members (
  id                INTEGER PRIMARY KEY,
  household_id      INTEGER NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  position          INTEGER NOT NULL,
  name              TEXT NOT NULL,
  id_number         TEXT NOT NULL UNIQUE,  -- 身份证号, sensitive; a person is in one household
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
CREATE INDEX members_household ON members (household_id, position);

CREATE TABLE household_events (
  id           INTEGER PRIMARY KEY,
  household_id INTEGER NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  status       TEXT NOT NULL,
  on_date      TEXT NOT NULL,
  year         INTEGER,
  reason       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX household_events_household ON household_events (household_id, on_date);

CREATE TABLE incomes (
  household_id INTEGER NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  year         INTEGER NOT NULL,
  wages        REAL NOT NULL,
  business     REAL NOT NULL,
  property     REAL NOT NULL,
  transfer     REAL NOT NULL,
  costs        REAL NOT NULL,
  PRIMARY KEY (household_id, year)
);

CREATE TABLE guarantees (
  household_id INTEGER NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  item         TEXT NOT NULL,
  met          INTEGER NOT NULL CHECK (met IN (0, 1)),
  verified_on  TEXT,
  PRIMARY KEY (household_id, item)
);

-- 帮扶措施 and 帮扶责任人.
CREATE TABLE assistance_measures (
  id           INTEGER PRIMARY KEY,
  household_id INTEGER NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  kind         TEXT NOT NULL,
  amount       REAL,
  start_on     TEXT,
  end_on       TEXT,
  note         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX assistance_measures_household ON assistance_measures (household_id);

CREATE TABLE helpers (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  unit        TEXT NOT NULL DEFAULT '',
  level       TEXT NOT NULL DEFAULT '',
  region_code TEXT NOT NULL REFERENCES regions (code)
);
CREATE TABLE household_helpers (
  household_id INTEGER NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  helper_id    INTEGER NOT NULL REFERENCES helpers (id),
  from_on      TEXT,
  to_on        TEXT,
  PRIMARY KEY (household_id, helper_id)
);
