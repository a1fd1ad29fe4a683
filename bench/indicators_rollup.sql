-- The registry roll-up of the indicator benchmark as one SQL query, run unchanged by SQLite,
-- PostgreSQL (fupin_indicators_bench --sql) and DuckDB (duckdb/rollup.mjs) on the same data:
-- households, people, poor people and mean per-capita net income for one year at all five
-- levels, with fupin's definitions (docs/indicators.md): the status on the period's last day
-- is the latest event on or before it; cancelled households and those without a status do not
-- count; people are the members on that day; poor = identified or returned; mean income =
-- total net income / people of the households with an income of that year.
-- {DATE} and {YEAR} are replaced by the period's last day and year before it runs.
WITH st AS (
  SELECT household_id, status
  FROM (SELECT household_id, status,
               row_number() OVER (PARTITION BY household_id ORDER BY on_date DESC, id DESC) AS rn
        FROM household_events WHERE on_date <= '{DATE}') e
  WHERE rn = 1),
reg AS (
  SELECT h.id, h.region_code, st.status
  FROM households h JOIN st ON st.household_id = h.id
  WHERE st.status <> 'cancelled'),
ppl AS (
  SELECT household_id, count(*) AS n FROM members
  WHERE (joined_on IS NULL OR joined_on <= '{DATE}') AND (left_on IS NULL OR left_on > '{DATE}')
  GROUP BY household_id),
inc AS (
  SELECT household_id, wages + business + property + transfer - costs AS net
  FROM incomes WHERE year = {YEAR}),
hh AS (
  SELECT reg.region_code,
         coalesce(ppl.n, 0) AS n,
         CASE WHEN reg.status IN ('identified', 'returned') THEN coalesce(ppl.n, 0) ELSE 0 END
           AS poor_n,
         CASE WHEN inc.net IS NOT NULL AND coalesce(ppl.n, 0) > 0 THEN inc.net ELSE 0 END AS net,
         CASE WHEN inc.net IS NOT NULL THEN coalesce(ppl.n, 0) ELSE 0 END AS income_n
  FROM reg LEFT JOIN ppl ON ppl.household_id = reg.id LEFT JOIN inc ON inc.household_id = reg.id),
village AS (
  SELECT region_code, count(*) AS households, sum(n) AS people, sum(poor_n) AS poor_people,
         sum(net) AS net_income, sum(income_n) AS income_people
  FROM hh GROUP BY region_code),
levels AS (
  SELECT substr(region_code, 1, 2) AS prefix, households, people, poor_people, net_income,
         income_people FROM village
  UNION ALL SELECT substr(region_code, 1, 4), households, people, poor_people, net_income,
         income_people FROM village
  UNION ALL SELECT substr(region_code, 1, 6), households, people, poor_people, net_income,
         income_people FROM village
  UNION ALL SELECT substr(region_code, 1, 9), households, people, poor_people, net_income,
         income_people FROM village
  UNION ALL SELECT region_code, households, people, poor_people, net_income, income_people
         FROM village)
SELECT prefix, sum(households) AS households, sum(people) AS people,
       sum(poor_people) AS poor_people,
       sum(net_income) * 1.0 / nullif(sum(income_people), 0) AS mean_per_capita_net_income
FROM levels GROUP BY prefix
