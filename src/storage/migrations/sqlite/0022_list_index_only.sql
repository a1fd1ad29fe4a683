-- 0022 household list, index-only: PostgreSQL's list indexes gain the household's id
-- (postgres/0022). SQLite's indexes carry the rowid (the id) already: nothing to do.
SELECT 1;
