-- 0005 what the data-quality rules (src/registry/quality.h) need of the registry: totals as the
-- source stated them, to be checked against their components, and a helper's phone (sensitive).
-- Number 0004 is taken by another change; the numbers only need to be increasing.

ALTER TABLE households ADD COLUMN reported_size INTEGER;   -- 家庭人口数 as stated
ALTER TABLE incomes ADD COLUMN reported_gross REAL;        -- 总收入 as stated
ALTER TABLE incomes ADD COLUMN reported_net REAL;          -- 纯收入 as stated
ALTER TABLE helpers ADD COLUMN phone TEXT NOT NULL DEFAULT '';  -- sensitive

-- A helper is one person, matched by name, unit and phone when records are saved.
CREATE INDEX helpers_identity ON helpers (name, unit, phone);
