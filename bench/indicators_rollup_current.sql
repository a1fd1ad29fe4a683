-- For context only (docs/benchmarks.md): the roll-up as a naive query over the household rows'
-- denormalized *current* columns — the latest status and today's member count — instead of
-- the status and members on the period's last day. Much less work than
-- indicators_rollup.sql, and different figures for any past year: fupin does not compute this.
-- {YEAR} is replaced by the income year.
WITH hh AS (
  SELECT h.region_code,
         h.member_count AS n,
         CASE WHEN h.status IN ('identified', 'returned') THEN h.member_count ELSE 0 END AS poor_n,
         CASE WHEN i.household_id IS NOT NULL AND h.member_count > 0
              THEN i.wages + i.business + i.property + i.transfer - i.costs ELSE 0 END AS net,
         CASE WHEN i.household_id IS NOT NULL THEN h.member_count ELSE 0 END AS income_n
  FROM households h LEFT JOIN incomes i ON i.household_id = h.id AND i.year = {YEAR}
  WHERE h.status NOT IN ('', 'cancelled')),
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
