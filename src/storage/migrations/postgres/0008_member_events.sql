-- 0008 membership over time: a person may have left one household and joined another (a
-- marriage, a move, a split or merge), so an ID number is unique among *current* members only
-- (rows with no left_on), and membership events are kept as an append-only log.

ALTER TABLE members DROP CONSTRAINT members_id_number_key;
CREATE INDEX members_id_number ON members (id_number);
CREATE UNIQUE INDEX members_current_id_number ON members (id_number) WHERE left_on IS NULL;

-- 出生, 死亡, 婚入/婚出, 迁入/迁出, 分户, 合户, 身份证号更正: what happened to whom, when.
CREATE TABLE member_events (
  id                     BIGSERIAL PRIMARY KEY,
  household_id           BIGINT NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  member_id              BIGINT,  -- the member row concerned
  kind                   TEXT NOT NULL,
  on_date                TEXT NOT NULL,
  name                   TEXT NOT NULL,
  id_number              TEXT NOT NULL,             -- sensitive
  old_id_number          TEXT NOT NULL DEFAULT '',  -- sensitive; id_correction only
  other_household_id     BIGINT,
  other_household_number TEXT NOT NULL DEFAULT '',
  note                   TEXT NOT NULL DEFAULT '',
  recorded_by            TEXT NOT NULL,
  recorded_at            TEXT NOT NULL
);
CREATE INDEX member_events_household ON member_events (household_id, on_date);
