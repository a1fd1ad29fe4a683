-- 0023 the household list from memory (issue 5): on SQLite the list's filter and sort indexes
-- go (sqlite/0023), since the in-memory table of the households serves the list on both
-- backends. PostgreSQL keeps them: its imports are not bulk loads of an empty file database,
-- and its lists that the table cannot serve (a command's one-off list) stay index reads.
SELECT 1;
