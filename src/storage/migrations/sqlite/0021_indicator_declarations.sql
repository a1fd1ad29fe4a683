-- 0021 declared indicators: the indicators users add to the catalogue (module 'declared') —
-- computed ones defined by a formula numerator / denominator × factor over other indicators,
-- entered statistics and surveyed ones. The built-in indicators live in the code; these are
-- merged into the catalogue at start-up and whenever the 'catalogue' counter moves.
CREATE TABLE indicator_declarations (
  code          TEXT PRIMARY KEY,
  zh            TEXT NOT NULL,
  en            TEXT NOT NULL,
  unit          TEXT NOT NULL,
  direction     TEXT NOT NULL CHECK (direction IN ('higher_better', 'lower_better', 'target_range')),
  source        TEXT NOT NULL CHECK (source IN ('computed', 'entered', 'surveyed')),
  aggregation   TEXT NOT NULL
                CHECK (aggregation IN ('sum', 'ratio_of_sums', 'mean_weighted', 'mean_of_answers')),
  numerator     TEXT NOT NULL DEFAULT '',  -- computed: the formula's operands and factor
  denominator   TEXT NOT NULL DEFAULT '',
  factor        REAL NOT NULL DEFAULT 1,
  weight        TEXT NOT NULL DEFAULT '',  -- mean_weighted: the indicator it is weighted by
  definition_zh TEXT NOT NULL,
  definition_en TEXT NOT NULL,
  seq           INTEGER NOT NULL,          -- declaration order
  version       INTEGER NOT NULL DEFAULT 1,
  declared_by   TEXT NOT NULL,
  declared_at   TEXT NOT NULL,
  updated_by    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);

INSERT INTO change_counters (name, value) VALUES ('catalogue', 0);
