-- 0013 workshop recognition and alert standards (扶贫车间认定与预警标准) per province and year:
-- the thresholds of the workshop alerts (src/workshops/alerts.h). A row is in force from
-- 1 January of its year until a later year's row of the same province; province_code '' is
-- the default of every province without its own. Money is integer fen.
CREATE TABLE workshop_standards (
  province_code       TEXT COLLATE "C" NOT NULL,
  year                INTEGER NOT NULL,
  idle_days           INTEGER NOT NULL CHECK (idle_days BETWEEN 0 AND 31),
  idle_months         INTEGER NOT NULL CHECK (idle_months BETWEEN 1 AND 24),
  min_poor_share      DOUBLE PRECISION NOT NULL CHECK (min_poor_share BETWEEN 0 AND 1),
  min_poor_workers    INTEGER NOT NULL CHECK (min_poor_workers >= 0),
  poor_wage_floor_fen BIGINT NOT NULL CHECK (poor_wage_floor_fen >= 0),
  note                TEXT NOT NULL DEFAULT '',
  updated_by          TEXT NOT NULL DEFAULT '',
  updated_at          TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (province_code, year)
);
-- The defaults the alerts used before standards were stored: placeholders (the sources give no
-- national figure) for each province to replace with its recognition rules and minimum wage.
INSERT INTO workshop_standards (province_code, year, idle_days, idle_months, min_poor_share,
  min_poor_workers, poor_wage_floor_fen, note, updated_by)
VALUES ('', 2016, 10, 3, 0.3, 0, 160000,
  '占位默认值：贫困劳动力占比 30%、月均工资 1600 元（甘肃 2020 年车间工资下限），请按本省认定办法和最低工资标准设置',
  'migration 0013');
