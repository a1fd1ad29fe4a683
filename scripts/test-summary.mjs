// Prints the summary of a test run from the gtest JSON files and node TAP files in a results
// directory: one line per suite, totals per backend, and the closing line
// "total: N passed, M failed". Exits 1 when anything failed or a suite left no results.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const dir = process.argv[2]
const rows = []
for (const name of readdirSync(dir).sort()) {
  const path = join(dir, name)
  if (name.endsWith('.json')) {
    const r = JSON.parse(readFileSync(path, 'utf8'))
    const failed = r.failures + (r.errors || 0)
    rows.push({ suite: name.replace(/\.json$/, ''), passed: r.tests - failed - (r.disabled || 0), failed })
  } else if (name.endsWith('.tap')) {
    const text = readFileSync(path, 'utf8')
    const pass = Number((text.match(/^# pass (\d+)/m) || [0, 0])[1])
    const fail = Number((text.match(/^# fail (\d+)/m) || [0, -1])[1])
    rows.push({ suite: name.replace(/\.tap$/, ''), passed: pass, failed: fail < 0 ? 1 : fail })
  }
}

const backendOf = (suite) =>
  suite.endsWith('_postgresql') ? 'postgresql' : suite.endsWith('_sqlite') || suite === 'cli_integration' || suite === 'e2e' ? 'sqlite' : null

console.log('\n== test summary ==')
const width = Math.max(...rows.map((r) => r.suite.length), 10)
for (const r of rows) {
  console.log(`  ${r.suite.padEnd(width)}  ${String(r.passed).padStart(4)} passed, ${r.failed} failed`)
}
for (const backend of ['sqlite', 'postgresql']) {
  const of = rows.filter((r) => backendOf(r.suite) === backend)
  const passed = of.reduce((s, r) => s + r.passed, 0)
  const failed = of.reduce((s, r) => s + r.failed, 0)
  console.log(`  backend ${backend.padEnd(10)} ${String(passed).padStart(4)} passed, ${failed} failed (${of.length} suites)`)
}
const passed = rows.reduce((s, r) => s + r.passed, 0)
const failed = rows.reduce((s, r) => s + r.failed, 0)
const pgRan = rows.some((r) => backendOf(r.suite) === 'postgresql' && r.passed > 0)
if (!pgRan) console.log('  the PostgreSQL suites left no results')
console.log(`total: ${passed} passed, ${failed} failed`)
process.exit(failed > 0 || !pgRan || rows.length === 0 ? 1 : 0)
