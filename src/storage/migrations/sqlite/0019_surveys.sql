-- 0019 surveys (问卷调查): questionnaires tied to a published indicator-system version and a data
-- period, and their responses. A questionnaire's grades, groups, questions and targets are JSON
-- text (src/evaluation/survey_json.h); a response's answers are JSON text by question key.
CREATE TABLE survey_questionnaires (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL,
  name_en        TEXT NOT NULL DEFAULT '',
  description    TEXT NOT NULL DEFAULT '',
  region_code    TEXT NOT NULL,
  system_id      INTEGER NOT NULL REFERENCES evaluation_systems (id),
  system_version INTEGER NOT NULL,
  period         TEXT NOT NULL,
  content        TEXT NOT NULL,
  open           INTEGER NOT NULL DEFAULT 1,
  version        INTEGER NOT NULL DEFAULT 1,
  created_by     TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  updated_by     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  FOREIGN KEY (system_id, system_version) REFERENCES evaluation_system_versions (system_id, version)
);
CREATE INDEX survey_questionnaires_region ON survey_questionnaires (region_code);
CREATE INDEX survey_questionnaires_system ON survey_questionnaires (system_id);

CREATE TABLE survey_responses (
  id               INTEGER PRIMARY KEY,
  questionnaire_id INTEGER NOT NULL REFERENCES survey_questionnaires (id),
  group_code       TEXT NOT NULL,
  region_code      TEXT NOT NULL,
  surveyed_on      TEXT NOT NULL,
  answers          TEXT NOT NULL,
  source           TEXT NOT NULL,
  external_id      TEXT NOT NULL DEFAULT '',
  created_by       TEXT NOT NULL,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);
CREATE INDEX survey_responses_questionnaire ON survey_responses (questionnaire_id, region_code);
-- Importing the same export twice updates: one response per tool submission id.
CREATE UNIQUE INDEX survey_responses_external ON survey_responses (questionnaire_id, external_id)
  WHERE external_id <> '';
