// The indicator-system model of the evaluation pages (src/evaluation.js): the draft as an
// editable tree, weights computed in the browser, grade bands, Saaty's scale and the mapping of
// the server's error columns to rows.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  fromContent,
  toContent,
  treeRows,
  addChild,
  addSibling,
  removeNode,
  moveNode,
  attachErrors,
  parseColumn,
  reasonsFor,
  gradeBands,
  scaleText,
  snapToScale,
  onScale,
  intensity,
  pairsOf,
  matrixOf,
  answersOf,
  suggestionChange,
  judgedNodes,
  scoringSummary,
  copyDea,
  newDea,
  DEA_RTS,
  DEA_ORIENTATIONS,
} from '../src/evaluation.js'

const CONTENT = {
  grades: [
    { name: 'A', score: 95, min: 90 },
    { name: 'B', score: 85, min: null },
    { name: 'C', score: 50, min: null },
  ],
  nodes: [
    { key: 'goal', parent: '', name: 'G', name_en: 'G', weight: 1, source: 'indicator', indicator: '', scoring: null, note: '' },
    { key: 'x', parent: 'goal', name: 'X', name_en: '', weight: 3, source: 'indicator', indicator: '', scoring: null, note: '' },
    { key: 'x1', parent: 'x', name: 'X1', name_en: '', weight: 1, source: 'indicator', indicator: 'poor_people', scoring: { rule: 'linear', floor: 10, target: 50 }, note: '' },
    { key: 'x2', parent: 'x', name: 'X2', name_en: '', weight: 1, source: 'survey', indicator: '', scoring: null, note: 'n' },
    { key: 'y', parent: 'goal', name: 'Y', name_en: '', weight: 1, source: 'expert', indicator: '', scoring: null, note: '' },
  ],
}

test('a content survives the round trip through the model', () => {
  const m = fromContent(CONTENT)
  // A content without a fund-efficiency DEA has dea null.
  assert.equal(m.dea, null)
  assert.deepEqual(toContent(m), { ...CONTENT, dea: null })
})

test('the fund-efficiency DEA goes along with the draft', () => {
  const dea = {
    inputs: [
      { indicator: 'fund_paid', growth: false },
      { indicator: 'assistance_staff', growth: false },
    ],
    outputs: [
      { indicator: 'lifted_people', growth: true },
      { indicator: 'mean_per_capita_net_income', growth: true },
    ],
    rts: 'vrs',
    orientation: 'input',
  }
  const m = fromContent({ ...CONTENT, dea })
  assert.deepEqual(toContent(m), { ...CONTENT, dea })
  // The model's copy is its own: editing it leaves the content alone.
  m.dea.outputs[0].growth = false
  m.dea.inputs.push({ indicator: '', growth: false })
  assert.equal(dea.outputs[0].growth, true)
  assert.equal(toContent(m).dea.inputs.length, 3)
  // Codes alone (the API accepts them) and missing settings take the defaults.
  assert.deepEqual(copyDea({ inputs: ['fund_paid'], outputs: [{ indicator: 'lifted_people' }] }), {
    inputs: [{ indicator: 'fund_paid', growth: false }],
    outputs: [{ indicator: 'lifted_people', growth: false }],
    rts: 'vrs',
    orientation: 'input',
  })
  assert.deepEqual(newDea().rts, 'vrs')
  assert.equal(newDea().inputs.length, 1)
  assert.deepEqual(DEA_RTS, ['vrs', 'crs', 'nirs'])
  assert.deepEqual(DEA_ORIENTATIONS, ['input', 'output'])
  m.dea = null
  assert.equal(toContent(m).dea, null)
})

test("the server's problems of the DEA are the DEA panel's", () => {
  const m = fromContent(CONTENT)
  assert.deepEqual(parseColumn('dea.inputs[0]'), { kind: 'dea', index: -1, field: 'inputs[0]' })
  assert.deepEqual(parseColumn('draft.dea.outputs[1].growth'), { kind: 'dea', index: -1, field: 'outputs[1].growth' })
  assert.deepEqual(parseColumn('draft.dea'), { kind: 'dea', index: -1, field: '' })
  assert.equal(parseColumn('deadline').kind, 'other')
  const out = attachErrors(
    [
      { column: 'dea.inputs[0]', reason: 'names a catalogue indicator' },
      { column: 'draft.dea.rts', reason: 'one of crs, vrs, nirs' },
      { column: 'name', reason: 'required' },
    ],
    m.nodes,
    m.grades,
  )
  assert.deepEqual(out.dea, [
    { field: 'inputs[0]', reason: 'names a catalogue indicator' },
    { field: 'rts', reason: 'one of crs, vrs, nirs' },
  ])
  assert.deepEqual(out.other, [{ column: 'name', reason: 'required' }])
})

test('weights among siblings and global weights multiply down the tree', () => {
  const rows = treeRows(fromContent(CONTENT).nodes)
  const by = Object.fromEntries(rows.map((r) => [r.node.key, r]))
  assert.equal(by.goal.global, 1)
  assert.equal(by.x.local, 0.75)
  assert.equal(by.x1.global, 0.375)
  assert.equal(by.y.global, 0.25)
  assert.deepEqual(rows.map((r) => r.depth), [0, 1, 2, 2, 1])
  assert.deepEqual(rows.filter((r) => r.leaf).map((r) => r.node.key), ['x1', 'x2', 'y'])
  // Leaves' global weights sum to 1.
  assert.ok(Math.abs(rows.filter((r) => r.leaf).reduce((s, r) => s + r.global, 0) - 1) < 1e-12)
})

test('adding, moving and deleting keep parents before their children', () => {
  const m = fromContent(CONTENT)
  const x = m.nodes.find((n) => n.key === 'x')
  let [nodes, child] = addChild(m.nodes, x._uid, { name: 'new' })
  assert.deepEqual(nodes.map((n) => n.key), ['goal', 'x', 'x1', 'x2', 'node_1', 'y'])
  assert.equal(child.weight, 1)
  let sibling
  ;[nodes, sibling] = addSibling(nodes, x._uid, {})
  assert.equal(sibling.key, 'node_2')
  assert.deepEqual(nodes.map((n) => n.key), ['goal', 'x', 'x1', 'x2', 'node_1', 'node_2', 'y'])
  // Moving x down swaps it, with its subtree, with node_2.
  nodes = moveNode(nodes, x._uid, 1)
  assert.deepEqual(nodes.map((n) => n.key), ['goal', 'node_2', 'x', 'x1', 'x2', 'node_1', 'y'])
  // A renamed key follows to the children.
  x.key = 'renamed'
  const content = toContent({ grades: m.grades, nodes })
  assert.equal(content.nodes.find((n) => n.key === 'x1').parent, 'renamed')
  // Deleting x deletes its subtree; the root cannot be deleted.
  nodes = removeNode(nodes, x._uid)
  assert.deepEqual(nodes.map((n) => n.key), ['goal', 'node_2', 'y'])
  assert.equal(removeNode(nodes, nodes[0]._uid).length, 3)
})

test('inner nodes are sent without indicator or scoring', () => {
  const m = fromContent(CONTENT)
  const x1 = m.nodes.find((n) => n.key === 'x1')
  const [nodes] = addChild(m.nodes, x1._uid, {})
  const sent = toContent({ grades: m.grades, nodes }).nodes.find((n) => n.key === 'x1')
  assert.equal(sent.indicator, '')
  assert.equal(sent.scoring, null)
})

test('server errors land on the node and grade rows they name', () => {
  const m = fromContent(CONTENT)
  assert.deepEqual(parseColumn('draft.nodes[3].scoring.floor'), { kind: 'node', index: 3, field: 'scoring.floor' })
  assert.deepEqual(parseColumn('draft.grades[1].score'), { kind: 'grade', index: 1, field: 'score' })
  assert.equal(parseColumn('name').kind, 'other')
  const out = attachErrors(
    [
      { column: 'draft.nodes[2].scoring.target', reason: 'the target must differ from the floor' },
      { column: 'draft.grades[1].score', reason: 'down' },
      { column: 'draft.nodes[9].key', reason: 'no such row' },
    ],
    m.nodes,
    m.grades,
  )
  const errors = out.nodes.get(m.nodes[2]._uid)
  assert.equal(reasonsFor(errors, 'scoring.target'), 'the target must differ from the floor')
  assert.equal(reasonsFor(errors, 'scoring', true), 'the target must differ from the floor')
  assert.equal(out.grades.get(m.grades[1]._uid)[0].field, 'score')
  assert.equal(out.other.length, 1)
})

test('grade bands default midway between scores', () => {
  const bands = gradeBands(fromContent(CONTENT).grades)
  assert.deepEqual(
    bands.map((b) => [b.name, b.min, b.max]),
    [
      ['A', 90, null],
      ['B', 67.5, 90],
      ['C', null, 67.5],
    ],
  )
})

test("Saaty's scale: texts, snapping and intensities", () => {
  assert.equal(scaleText(1 / 8), '1/8')
  assert.equal(scaleText(5), '5')
  assert.equal(snapToScale(7.999999), 8)
  assert.equal(snapToScale(15), 9)
  assert.equal(snapToScale(0.19999), 1 / 5)
  assert.equal(onScale(0.125), 1 / 8)
  assert.equal(onScale(2.5), null)
  assert.deepEqual(intensity(1 / 7), { side: 'b', intensity: 7 })
  assert.deepEqual(intensity(1), { side: 'equal', intensity: 1 })
})

test('the form asks the upper triangle and reads stored matrices back', () => {
  assert.deepEqual(pairsOf(4).length, 6)
  const answers = { '0-1': 2, '0-2': null, '1-2': 1 / 3 }
  const m = matrixOf(3, answers)
  assert.deepEqual(m, [
    [1, 2, null],
    [null, 1, 1 / 3],
    [null, null, 1],
  ])
  assert.deepEqual(answersOf(m), answers)
  // A lower-triangle entry is read as the reciprocal.
  assert.deepEqual(answersOf([[1, null], [4, 1]]), { '0-1': 0.25 })
})

test('suggestions become changes on the scale', () => {
  const answers = { '0-3': 0.125 }
  assert.deepEqual(suggestionChange({ row: 0, col: 3, current: 0.125, suggested: 7.999999, cr_after: 0 }, answers), {
    i: 0,
    j: 3,
    value: 8,
    crAfter: 0,
  })
  // Given for the lower triangle: the reciprocal in the upper one.
  assert.equal(suggestionChange({ row: 3, col: 0, current: 8, suggested: 0.125, cr_after: 0 }, answers).value, 8)
  // Nothing to change when the nearest step is the current answer.
  assert.equal(suggestionChange({ row: 0, col: 3, current: 0.125, suggested: 0.13, cr_after: 0.2 }, answers), null)
})

test('the judged nodes are those with two or more children', () => {
  const judged = judgedNodes(fromContent(CONTENT).nodes)
  assert.deepEqual(
    judged.map((j) => [j.node.key, j.children.map((c) => c.key)]),
    [
      ['goal', ['x', 'y']],
      ['x', ['x1', 'x2']],
    ],
  )
})

test('scoring rules are summarized', () => {
  const t = (key, args) => `${key}:${JSON.stringify(args || {})}`
  assert.match(scoringSummary({ rule: 'linear', floor: 10, target: 50 }, t), /linearSummary.*"floor":"10"/)
  assert.match(scoringSummary({ rule: 'threshold', threshold: 2, pass: 'at-most' }, t), /atMostSummary/)
  assert.match(scoringSummary(null, t), /scoring\.none/)
})
