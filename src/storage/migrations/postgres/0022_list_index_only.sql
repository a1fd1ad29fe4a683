-- 0022 household list, index-only on PostgreSQL: its indexes do not carry the row's id, as
-- SQLite's carry the rowid, so a list read from the region index (a city's or a county's
-- households, sorted) and a name search read from the name index fetched every matching row
-- from the table to learn its id (18,000 table pages for a common surname over a province).
-- With the id included they are read from the index alone.
DROP INDEX households_region;
CREATE INDEX households_region ON households (region_code, number, status, main_cause, attribute,
                                              member_count, year_identified, head_name COLLATE "C")
  INCLUDE (id);
DROP INDEX households_head_name;
CREATE INDEX households_head_name ON households (head_name COLLATE "C", number) INCLUDE (id);
