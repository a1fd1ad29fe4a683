-- 0009 the household list at province scale (issue 5, docs/benchmarks.md): an index for each
-- sort key of the list, ending with the number as the list's order does, so that a page of 50
-- is read in order rather than by sorting the caller's whole region; and for the filters, one
-- index led by each (status, main cause, attribute), so that every combination of them is a
-- range of one index, before the region. The region index
-- also carries every column the list filters and sorts by, so that counting a region's
-- matches, or sorting a region smaller than the registry, never reads the table. The list
-- sorts names byte-wise (COLLATE "C", as on SQLite), so the name is indexed in that collation.
CREATE INDEX households_head_name ON households (head_name COLLATE "C", number);
CREATE INDEX households_member_count ON households (member_count, number);
CREATE INDEX households_year_identified ON households (year_identified, number);
DROP INDEX households_status;
CREATE INDEX households_status ON households (status, main_cause, attribute, region_code);
CREATE INDEX households_main_cause ON households (main_cause, attribute, region_code);
CREATE INDEX households_attribute ON households (attribute, region_code);
DROP INDEX households_region;
CREATE INDEX households_region ON households (region_code, number, status, main_cause, attribute,
                                              member_count, year_identified, head_name COLLATE "C");
