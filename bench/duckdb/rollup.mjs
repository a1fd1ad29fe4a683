// Benchmark only: the indicator roll-up of bench/indicators_rollup.sql in DuckDB (in memory),
// over the tables fupin's database holds, exported to CSV by bench/run-indicators.sh — the
// peer fupin's registry engine is compared with (docs/benchmarks.md).
//
//   node bench/duckdb/rollup.mjs DIR [YEAR] [REPEAT] [THREADS] [QUERY]
//
// Loads DIR/{households,members,household_events,incomes}.csv into typed tables, then runs
// the query REPEAT times (warm: data in memory) and prints the best and median times and the
// province's totals. THREADS (default or "": DuckDB's default, all cores) sets `threads`;
// QUERY is a file of bench/ (default indicators_rollup.sql).
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [dir, year = '2019', repeat = '10', threads = '', query = 'indicators_rollup.sql'] =
  process.argv.slice(2);
if (!dir) {
  console.error('usage: node rollup.mjs DIR [YEAR] [REPEAT] [THREADS]');
  process.exit(2);
}
const sql = readFileSync(new URL(`../${query}`, import.meta.url), 'utf8')
  .replaceAll('{DATE}', `${year}-12-31`)
  .replaceAll('{YEAR}', year);

const instance = await DuckDBInstance.create(':memory:');
const db = await instance.connect();
if (threads) await db.run(`SET threads = ${Number(threads)}`);
const threadCount = (await db.runAndReadAll("SELECT current_setting('threads') AS t")).getRowObjects()[0].t;

const tables = {
  households: 'id BIGINT, region_code VARCHAR, status VARCHAR, member_count INTEGER',
  members: 'household_id BIGINT, joined_on DATE, left_on DATE',
  household_events: 'household_id BIGINT, id BIGINT, status VARCHAR, on_date DATE',
  incomes:
    'household_id BIGINT, year INTEGER, wages DOUBLE, business DOUBLE, property DOUBLE, ' +
    'transfer DOUBLE, costs DOUBLE',
};
let start = performance.now();
for (const [name, columns] of Object.entries(tables)) {
  await db.run(`CREATE TABLE ${name} (${columns})`);
  await db.run(`COPY ${name} FROM '${dir}/${name}.csv' (HEADER)`);
}
const loadMs = performance.now() - start;
const version = (await db.runAndReadAll('SELECT version() AS v')).getRowObjects()[0].v;

const times = [];
let rows = [];
for (let i = 0; i < Number(repeat); ++i) {
  start = performance.now();
  const reader = await db.runAndReadAll(sql);
  rows = reader.getRowObjects();
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
console.log(`duckdb ${version}, threads ${threadCount}, ${query}: load CSV ${loadMs.toFixed(0)} ms`);
console.log(
  `duckdb roll-up: best ${times[0].toFixed(1)} ms, median ` +
    `${times[Math.floor(times.length / 2)].toFixed(1)} ms, ${rows.length} rows`,
);
const province = rows.filter((r) => r.prefix.length === 2);
for (const r of province) {
  console.log(
    `duckdb totals ${r.prefix}0000000000: households ${r.households}, people ${r.people}, ` +
      `poor_people ${r.poor_people}, mean_per_capita_net_income ` +
      `${Number(r.mean_per_capita_net_income).toFixed(4)}`,
  );
}
