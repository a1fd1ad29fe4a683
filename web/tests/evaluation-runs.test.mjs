// The helpers of the evaluation-run pages (src/evaluationRuns.js): the leaves that need counts,
// the inputs built from the grid, the server's problems mapped back to cells and fields, the
// snapshot's tree with global weights, the ranking and the findings' problems.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  inputLeaves,
  indicatorLeaves,
  cellKey,
  blankRow,
  buildInputs,
  fillAll,
  filledCount,
  parseMissing,
  runErrors,
  snapshotTree,
  snapshotLeaves,
  dimensions,
  ranking,
  gradeColor,
  rankRange,
  findingErrors,
  toFindings,
  operatorKey,
} from '../src/evaluationRuns.js'

const CONTENT = {
  grades: [{ name: 'A' }, { name: 'B' }, { name: 'C' }],
  nodes: [
    { key: 'root', parent: '', name: 'R', source: 'indicator' },
    { key: 'd1', parent: 'root', name: 'D1', source: 'indicator' },
    { key: 'hh', parent: 'd1', name: '户数', source: 'indicator', indicator: 'households' },
    { key: 'sat', parent: 'd1', name: '满意度', name_en: 'Satisfaction', source: 'survey' },
    { key: 'org', parent: 'root', name: '组织', source: 'expert' },
  ],
}

test('the leaves that need counts and those taken from the catalogue', () => {
  assert.deepEqual(
    inputLeaves(CONTENT).map((l) => [l.key, l.source]),
    [
      ['sat', 'survey'],
      ['org', 'expert'],
    ],
  )
  assert.deepEqual(indicatorLeaves(CONTENT).map((l) => l.indicator), ['households'])
  assert.deepEqual(inputLeaves(null), [])
})

test('the inputs of the grid: empty rows left out, blanks as 0, in object then leaf order', () => {
  const cells = {}
  fillAll(cells, ['a', 'b'], 'sat', [3, '', 1])
  cells[cellKey('a', 'org')] = [null, null, null]
  cells[cellKey('b', 'org')] = ['2', null, '0']
  assert.equal(blankRow(cells[cellKey('a', 'org')]), true)
  assert.equal(blankRow(undefined), true)
  assert.equal(filledCount(cells, ['a', 'b'], 'org'), 1)
  assert.equal(filledCount(cells, ['a', 'b'], 'sat'), 2)
  const { inputs, sent } = buildInputs(cells, ['a', 'b'], ['sat', 'org'], 3)
  assert.deepEqual(inputs, [
    { object: 'a', leaf: 'sat', responses: [3, 0, 1] },
    { object: 'b', leaf: 'sat', responses: [3, 0, 1] },
    { object: 'b', leaf: 'org', responses: [2, 0, 0] },
  ])
  assert.deepEqual(sent[2], { object: 'b', leaf: 'org' })
})

test('a missing leaf named by the server', () => {
  const counts = parseMissing('梁林镇 (990121001000) / 群众满意度: a survey leaf needs counts per grade in inputs')
  assert.equal(counts.object, '990121001000')
  assert.equal(counts.objectName, '梁林镇')
  assert.equal(counts.leafName, '群众满意度')
  assert.equal(counts.kind, 'counts')
  const value = parseMissing('马家县 (990121000000) / 车间复工率 (workshop_resumption_rate): no value in 2020')
  assert.equal(value.indicator, 'workshop_resumption_rate')
  assert.equal(value.kind, 'value')
  assert.equal(value.period, '2020')
  assert.equal(parseMissing('something else'), null)
})

test('the problems of a refused run go to their cells and fields', () => {
  const sent = [
    { object: 'a', leaf: 'sat' },
    { object: 'b', leaf: 'sat' },
  ]
  const leaves = inputLeaves(CONTENT)
  const mapped = runErrors(
    [
      { column: 'leaves', reason: 'B镇 (990121002000) / 组织: a expert leaf needs counts per grade in inputs' },
      { column: 'inputs[1].responses', reason: 'all zero' },
      { column: 'period', reason: 'a year (YYYY)' },
      { column: 'sensitivity.draws', reason: '0 … 100000' },
      { column: 'objects[2]', value: '990121001000', reason: 'listed twice' },
      { column: 'surprise', reason: 'unexpected' },
    ],
    sent,
    leaves,
  )
  assert.equal(mapped.missing.length, 1)
  assert.equal(mapped.missing[0].leaf, 'org')
  assert.equal(mapped.cells.get(cellKey('990121002000', 'org')), 'a expert leaf needs counts per grade in inputs')
  assert.equal(mapped.cells.get(cellKey('b', 'sat')), 'all zero')
  assert.equal(mapped.inputs, 1)
  assert.equal(mapped.fields.period, 'a year (YYYY)')
  assert.equal(mapped.fields['sensitivity.draws'], '0 … 100000')
  assert.deepEqual(mapped.objects, [{ index: 2, value: '990121001000', reason: 'listed twice' }])
  assert.deepEqual(mapped.other, [{ column: 'surprise', reason: 'unexpected' }])
})

test('the snapshot tree with global weights', () => {
  const nodes = [
    { key: 'root', parent: '', weight: 1 },
    { key: 'd1', parent: 'root', weight: 0.4 },
    { key: 'x', parent: 'd1', weight: 0.25 },
    { key: 'y', parent: 'd1', weight: 0.75 },
    { key: 'd2', parent: 'root', weight: 0.6 },
  ]
  const rows = snapshotTree(nodes)
  assert.deepEqual(
    rows.map((r) => [r.key, r.depth, r.leaf]),
    [
      ['root', 0, false],
      ['d1', 1, false],
      ['x', 2, true],
      ['y', 2, true],
      ['d2', 1, true],
    ],
  )
  assert.ok(Math.abs(rows.find((r) => r.key === 'y').global - 0.3) < 1e-12)
  assert.deepEqual(snapshotLeaves(nodes).map((n) => n.key), ['x', 'y', 'd2'])
  assert.deepEqual(dimensions(nodes).map((n) => n.key), ['d1', 'd2'])
})

test('the ranking, grade colours and rank ranges', () => {
  const run = {
    objects: [
      { code: 'b', name: 'B', rank: 2 },
      { code: 'a', name: 'A', rank: 1 },
      { code: 'c', name: 'C', rank: 1 },
    ],
    results: [{ code: 'a', rank_min: 1, rank_max: 2 }],
  }
  assert.deepEqual(ranking(run).map((o) => o.code), ['a', 'c', 'b'])
  assert.equal(ranking(run)[0].rank_max, 2)
  assert.equal(gradeColor(0, 5), '#67c23a')
  assert.equal(gradeColor(4, 5), '#f56c6c')
  assert.equal(gradeColor(1, 2), '#f56c6c')
  assert.equal(gradeColor(-1, 5), '#909399')
  assert.equal(rankRange(1, 1), '1')
  assert.equal(rankRange(1, 3), '1–3')
  assert.equal(rankRange(undefined, undefined), '—')
  assert.equal(operatorKey('min-bounded-sum'), 'minBoundedSum')
})

test('the findings sent and their problems', () => {
  assert.deepEqual(toFindings([{ _uid: 1, kind: 'note', object: undefined, text: ' x ', text_en: '' }]), [
    { kind: 'note', object: '', node: '', text: 'x', text_en: '' },
  ])
  const { rows, other } = findingErrors([
    { column: 'findings[2].text', reason: 'a finding needs its text' },
    { column: 'findings[2].kind', reason: 'one of …' },
    { column: 'version', reason: 'is required' },
  ])
  assert.deepEqual(rows.get(2), { text: 'a finding needs its text', kind: 'one of …' })
  assert.equal(other.length, 1)
})
