-- 0023 the household list from memory (issue 5): its totals, searches and pages are served by
-- the in-memory table of the households (storage/household_counts.h), so the list's filter
-- and sort indexes of 0009 go. They cost a bulk import of a province about a second, half
-- of what the target allows (docs/benchmarks.md, "Registry import"); SQL still reads the
-- lists the table cannot serve, more slowly. The region index is back to (region, number),
-- for what reads a region's households (checks, exports, notices, indicators).
-- Of the two ID-number indexes of members, the unique one of current members stays and the
-- other now holds former members only (few): a lookup of anyone by ID number asks both.
DROP INDEX households_head_name;
DROP INDEX households_member_count;
DROP INDEX households_year_identified;
DROP INDEX households_status;
DROP INDEX households_main_cause;
DROP INDEX households_attribute;
DROP INDEX households_region;
CREATE INDEX households_region ON households (region_code, number);
DROP INDEX members_id_number;
CREATE INDEX members_former_id_number ON members (id_number) WHERE left_on IS NOT NULL;
