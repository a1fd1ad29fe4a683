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
  deaRanking,
  deaClassKey,
  deaClassTag,
  deaFactorRows,
  deaEfficientCount,
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

test('the fund-efficiency DEA: ranking, classes, targets against values', () => {
  const dea = {
    rts: 'vrs',
    orientation: 'input',
    inputs: [{ indicator: 'assistance_funds', growth: false, name: '帮扶资金投入', name_en: 'assistance funds invested', unit: 'yuan', shift: 0 }],
    outputs: [
      { indicator: 'lifted_people', growth: true, name: '脱贫人口增量', name_en: 'people lifted out growth', unit: 'person', shift: 0 },
      { indicator: 'mean_per_capita_net_income', growth: true, name: '人均纯收入增量', name_en: 'income growth', unit: 'yuan', shift: 0 },
    ],
    objects: [
      { code: 'b', name: 'Gamma', inputs: [200], outputs: [10, 0], efficiency: 0.5, classification: 'inefficient', rank: 3, input_slacks: [0], output_slacks: [0, 30], input_targets: [100], output_targets: [10, 30] },
      { code: 'a', name: 'Beta', inputs: [100], outputs: [10, 30], efficiency: 1, classification: 'efficient', rank: 1, input_slacks: [0], output_slacks: [0, 0], input_targets: [100], output_targets: [10, 30] },
      { code: 'c', name: 'Alpha', inputs: [100], outputs: [10, 20], efficiency: 1, classification: 'weakly efficient', rank: 1, input_slacks: [0], output_slacks: [0, 10], input_targets: [100], output_targets: [10, 30] },
    ],
  }
  // Most efficient first; equal ranks by name.
  assert.deepEqual(deaRanking(dea).map((o) => o.code), ['c', 'a', 'b'])
  assert.deepEqual(deaRanking(null), [])
  assert.equal(deaClassKey('weakly efficient'), 'weak')
  assert.equal(deaClassKey('efficient'), 'efficient')
  assert.equal(deaClassKey('other'), '')
  assert.equal(deaClassTag('inefficient'), 'danger')
  assert.equal(deaEfficientCount(dea), 1)
  const rows = deaFactorRows(dea, dea.objects[0])
  assert.deepEqual(
    rows.map((r) => [r.side, r.index, r.value, r.target, r.slack, r.change]),
    [
      ['input', 0, 200, 100, 0, -0.5],
      ['output', 0, 10, 10, 0, 0],
      ['output', 1, 0, 30, 30, null],
    ],
  )
  assert.equal(rows[2].column.indicator, 'mean_per_capita_net_income')
})
