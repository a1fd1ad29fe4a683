// Shared by the comprehensive-evaluation pages (综合绩效评价): the editable model of an indicator
// system's draft (nodes linked by an internal id, so that keys can be renamed freely), the
// weights computed in the browser, the grade bands, Saaty's scale for pairwise judgments and
// the mapping of the server's error columns ("draft.nodes[3].scoring.floor") to rows and
// fields. Pure functions only: no Vue, no i18n (texts come in through a `t` argument), so
// that web/tests can run them under node.

let lastUid = 0
function uid() {
  lastUid += 1
  return lastUid
}

// A new grade of the model (the grade-scale editor's "add").
export function newGrade(name, score) {
  return { _uid: uid(), name, score, min: null }
}

function numberOrNull(v) {
  return v === null || v === undefined || v === '' || Number.isNaN(Number(v)) ? null : Number(v)
}

function copyScoring(s) {
  if (!s || !s.rule) return null
  if (s.rule === 'linear') return { rule: 'linear', floor: numberOrNull(s.floor), target: numberOrNull(s.target) }
  if (s.rule === 'threshold') {
    return { rule: 'threshold', threshold: numberOrNull(s.threshold), pass: s.pass || 'at-least' }
  }
  if (s.rule === 'banded') {
    return {
      rule: 'banded',
      bands: (s.bands || []).map((b) => ({ grade: b.grade || '', min: numberOrNull(b.min), max: numberOrNull(b.max) })),
    }
  }
  return { ...s }
}

// The fund-efficiency DEA of a content (资金使用效率, data envelopment analysis): which catalogue
// indicators are the inputs and outputs (each its value, or with `growth` its value minus the
// value of the same period a year earlier), the returns to scale and the orientation. Null when
// the system asks for none.
export const DEA_RTS = ['vrs', 'crs', 'nirs']
export const DEA_ORIENTATIONS = ['input', 'output']
export const DEA_MAX_FACTORS = 5

function copyFactors(list) {
  return (list || []).map((f) =>
    typeof f === 'string' ? { indicator: f, growth: false } : { indicator: (f && f.indicator) || '', growth: !!(f && f.growth) },
  )
}

// A copy of a DEA setting as the API takes it (null stays null).
export function copyDea(d) {
  if (!d) return null
  return {
    inputs: copyFactors(d.inputs),
    outputs: copyFactors(d.outputs),
    rts: d.rts || 'vrs',
    orientation: d.orientation || 'input',
  }
}

// The DEA a switch turns on: one empty input and output row, VRS, input orientation.
export function newDea() {
  return { inputs: [{ indicator: '', growth: false }], outputs: [{ indicator: '', growth: false }], rts: 'vrs', orientation: 'input' }
}

// The editable model of a CONTENT ({grades, nodes, dea}): grades and nodes carry an internal
// `_uid`; a node's `_parent` is its parent's _uid (null for the root). Nodes are kept in
// depth-first order, the order the tree shows and the order the draft is sent in.
export function fromContent(content) {
  const grades = ((content && content.grades) || []).map((g) => ({
    _uid: uid(),
    name: g.name || '',
    score: numberOrNull(g.score),
    min: numberOrNull(g.min),
  }))
  const byKey = new Map()
  const nodes = ((content && content.nodes) || []).map((n) => {
    const node = {
      _uid: uid(),
      _parent: null,
      _parentKey: n.parent || '',
      key: n.key || '',
      name: n.name || '',
      name_en: n.name_en || '',
      weight: numberOrNull(n.weight) ?? 1,
      source: n.source || 'indicator',
      indicator: n.indicator || '',
      scoring: copyScoring(n.scoring),
      note: n.note || '',
    }
    if (!byKey.has(node.key)) byKey.set(node.key, node._uid)
    return node
  })
  for (const n of nodes) {
    n._parent = n._parentKey ? byKey.get(n._parentKey) ?? null : null
    delete n._parentKey
  }
  return { grades, nodes: flatten(nodes), dea: copyDea(content && content.dea) }
}

// The CONTENT of a model, as the API takes it.
export function toContent(model) {
  const keyOf = new Map(model.nodes.map((n) => [n._uid, n.key]))
  const parents = new Set(model.nodes.map((n) => n._parent))
  // Inner nodes take no indicator or scoring rule (kept in the model in case the node
  // becomes a leaf again).
  const measured = (n) => n.source === 'indicator' && !parents.has(n._uid)
  return {
    grades: model.grades.map((g) => ({ name: g.name, score: numberOrNull(g.score), min: numberOrNull(g.min) })),
    nodes: flatten(model.nodes).map((n) => ({
      key: n.key,
      parent: n._parent === null ? '' : keyOf.get(n._parent) || '',
      name: n.name,
      name_en: n.name_en,
      weight: numberOrNull(n.weight) ?? 0,
      source: n.source,
      indicator: measured(n) ? n.indicator : '',
      scoring: measured(n) ? copyScoring(n.scoring) : null,
      note: n.note,
    })),
    dea: copyDea(model.dea),
  }
}

// A copy of a node (for a dialog to edit without touching the tree until applied).
export function cloneNode(n) {
  return { ...n, scoring: copyScoring(n.scoring) }
}

// The children of each node (by _uid), in array order; roots under null.
export function childrenMap(nodes) {
  const map = new Map()
  for (const n of nodes) {
    const p = n._parent
    if (!map.has(p)) map.set(p, [])
    map.get(p).push(n)
  }
  return map
}

// The nodes in depth-first order (siblings in their current order); any node not reachable
// from a root (which the editing functions never produce) comes last.
export function flatten(nodes) {
  const children = childrenMap(nodes)
  const known = new Set(nodes.map((n) => n._uid))
  const out = []
  const seen = new Set()
  const visit = (n) => {
    if (seen.has(n._uid)) return
    seen.add(n._uid)
    out.push(n)
    for (const c of children.get(n._uid) || []) visit(c)
  }
  for (const n of nodes) if (n._parent === null || !known.has(n._parent)) visit(n)
  for (const n of nodes) if (!seen.has(n._uid)) out.push(n)
  return out
}

// The rows of the tree table: each node with its depth, whether it is a leaf, its weight
// normalized among its siblings and its global weight (the product down from the root), from
// `weightOf(node)` (default: the node's default weight).
export function treeRows(nodes, weightOf = (n) => numberOrNull(n.weight) ?? 0) {
  const children = childrenMap(nodes)
  const info = new Map()
  const rows = []
  for (const n of flatten(nodes)) {
    const parent = n._parent === null ? null : info.get(n._parent)
    const siblings = children.get(n._parent) || [n]
    let local = 1
    if (parent) {
      const sum = siblings.reduce((s, x) => s + Math.max(0, weightOf(x) || 0), 0)
      local = sum > 0 ? Math.max(0, weightOf(n) || 0) / sum : null
    }
    const global = parent ? (local === null || parent.global === null ? null : parent.global * local) : 1
    const kids = children.get(n._uid) || []
    const row = {
      node: n,
      depth: parent ? parent.depth + 1 : 0,
      leaf: kids.length === 0,
      childCount: kids.length,
      local,
      global,
      index: rows.length,
      first: siblings[0] === n,
      last: siblings[siblings.length - 1] === n,
    }
    info.set(n._uid, row)
    rows.push(row)
  }
  return rows
}

// A key not used yet: node_1, node_2, …
export function freshKey(nodes, stem = 'node') {
  const used = new Set(nodes.map((n) => n.key))
  for (let i = 1; ; i += 1) {
    const k = `${stem}_${i}`
    if (!used.has(k)) return k
  }
}

function newNode(nodes, parentUid, names) {
  const siblings = nodes.filter((n) => n._parent === parentUid)
  const mean = siblings.length ? siblings.reduce((s, n) => s + (numberOrNull(n.weight) ?? 0), 0) / siblings.length : 1
  return {
    _uid: uid(),
    _parent: parentUid,
    key: freshKey(nodes),
    name: names.name || '',
    name_en: names.name_en || '',
    weight: Math.round((mean || 1) * 1000) / 1000,
    source: 'expert',
    indicator: '',
    scoring: null,
    note: '',
  }
}

// The tree with a new last child under `parentUid`; returns [nodes, the new node].
export function addChild(nodes, parentUid, names = {}) {
  const node = newNode(nodes, parentUid, names)
  return [flatten([...nodes, node]), node]
}

// The tree with a new sibling right after `siblingUid` (not of the root).
export function addSibling(nodes, siblingUid, names = {}) {
  const sibling = nodes.find((n) => n._uid === siblingUid)
  if (!sibling || sibling._parent === null) return [nodes, null]
  const node = newNode(nodes, sibling._parent, names)
  const out = [...nodes]
  out.splice(out.indexOf(sibling) + 1, 0, node)
  return [flatten(out), node]
}

// The uids of a node and everything below it.
export function subtree(nodes, rootUid) {
  const children = childrenMap(nodes)
  const out = []
  const visit = (u) => {
    out.push(u)
    for (const c of children.get(u) || []) visit(c._uid)
  }
  visit(rootUid)
  return out
}

// The tree without the node and its subtree (the root stays).
export function removeNode(nodes, nodeUid) {
  const node = nodes.find((n) => n._uid === nodeUid)
  if (!node || node._parent === null) return nodes
  const gone = new Set(subtree(nodes, nodeUid))
  return nodes.filter((n) => !gone.has(n._uid))
}

// The tree with the node swapped with its previous (dir −1) or next (dir +1) sibling.
export function moveNode(nodes, nodeUid, dir) {
  const node = nodes.find((n) => n._uid === nodeUid)
  if (!node) return nodes
  const siblings = nodes.filter((n) => n._parent === node._parent)
  const i = siblings.indexOf(node)
  const other = siblings[i + dir]
  if (!other) return nodes
  const out = [...nodes]
  const a = out.indexOf(node)
  const b = out.indexOf(other)
  out[a] = other
  out[b] = node
  return flatten(out)
}

// The grade bands of a scale (best first): each grade's effective lower bound (its own `min`,
// else midway between its score and the next grade's; the last grade has none) and the upper
// bound (the grade above's lower bound, exclusive).
export function gradeBands(grades) {
  const out = []
  for (let i = 0; i < grades.length; i += 1) {
    const g = grades[i]
    const score = numberOrNull(g.score)
    const next = i + 1 < grades.length ? numberOrNull(grades[i + 1].score) : null
    let min = numberOrNull(g.min)
    if (i === grades.length - 1) min = null
    else if (min === null && score !== null && next !== null) min = (score + next) / 2
    out.push({ name: g.name, score, min, max: i === 0 ? null : out[i - 1].min, defaultMin: numberOrNull(g.min) === null })
  }
  return out
}

// Where an API error detail's column points: a node's field ("draft.nodes[3].scoring.floor" →
// {kind: 'node', index: 3, field: 'scoring.floor'}), a grade's field, or elsewhere.
export function parseColumn(column) {
  const c = column || ''
  let m = c.match(/^(?:draft\.)?nodes\[(\d+)\](?:\.(.+))?$/)
  if (m) return { kind: 'node', index: Number(m[1]), field: m[2] || '' }
  m = c.match(/^(?:draft\.)?grades\[(\d+)\](?:\.(.+))?$/)
  if (m) return { kind: 'grade', index: Number(m[1]), field: m[2] || '' }
  if (/^(?:draft\.)?grades$/.test(c)) return { kind: 'grade', index: -1, field: '' }
  m = c.match(/^(?:draft\.)?dea(?:\.(.+))?$/)
  if (m) return { kind: 'dea', index: -1, field: m[1] || '' }
  return { kind: 'other', index: -1, field: c }
}

// The problems of a failed save, attached to what was sent: `sentNodes` and `sentGrades` are
// the model's nodes and grades in the order they were sent. Returns {nodes: Map(uid →
// [{field, reason}]), grades: Map(uid → [...]), dea: [{field ("inputs[0]", "rts", ""),
// reason}], other: [{column, reason}]}.
export function attachErrors(details, sentNodes, sentGrades) {
  const nodes = new Map()
  const grades = new Map()
  const dea = []
  const other = []
  const add = (map, key, item) => {
    if (!map.has(key)) map.set(key, [])
    map.get(key).push(item)
  }
  for (const d of details || []) {
    const where = parseColumn(d.column)
    if (where.kind === 'node' && sentNodes[where.index]) {
      add(nodes, sentNodes[where.index]._uid, { field: where.field, reason: d.reason })
    } else if (where.kind === 'grade' && sentGrades[where.index]) {
      add(grades, sentGrades[where.index]._uid, { field: where.field, reason: d.reason })
    } else if (where.kind === 'dea') {
      dea.push({ field: where.field, reason: d.reason })
    } else {
      other.push({ column: d.column, reason: d.reason })
    }
  }
  return { nodes, grades, dea, other }
}

// The reasons given for `field` (or, with prefix = true, for it and anything under it).
export function reasonsFor(list, field, prefix = false) {
  return (list || [])
    .filter((e) => e.field === field || (prefix && (e.field.startsWith(`${field}.`) || e.field.startsWith(`${field}[`))))
    .map((e) => e.reason)
    .join('; ')
}

// Saaty's 1–9 scale as 17 steps, weakest for the first element to strongest: 1/9 … 1 … 9.
export const SCALE = [
  1 / 9, 1 / 8, 1 / 7, 1 / 6, 1 / 5, 1 / 4, 1 / 3, 1 / 2, 1, 2, 3, 4, 5, 6, 7, 8, 9,
]

// "1/5", "1", "7".
export function scaleText(v) {
  if (v === null || v === undefined) return ''
  if (v >= 1) return String(Math.round(v * 100) / 100)
  const r = 1 / v
  return Math.abs(r - Math.round(r)) < 1e-6 ? `1/${Math.round(r)}` : String(Math.round(v * 1000) / 1000)
}

// The step of the scale a value sits on, or null when it is none of them.
export function onScale(v) {
  if (v === null || v === undefined || !(v > 0)) return null
  return SCALE.find((s) => Math.abs(Math.log(s) - Math.log(v)) < 1e-6) ?? null
}

// The step of the scale nearest to a positive value (clamped to 1/9 … 9).
export function snapToScale(v) {
  if (!(v > 0)) return null
  if (v >= 1) return Math.min(9, Math.max(1, Math.round(v)))
  const r = Math.min(9, Math.max(1, Math.round(1 / v)))
  return r === 1 ? 1 : 1 / r
}

// How much more the first element matters at a value: {side: 'a' | 'b' | 'equal', intensity
// 1–9 (null off the scale)}.
export function intensity(v) {
  if (v === null || v === undefined) return null
  const s = onScale(v)
  if (s === null) return { side: v >= 1 ? 'a' : 'b', intensity: null }
  if (Math.abs(s - 1) < 1e-9) return { side: 'equal', intensity: 1 }
  return s > 1 ? { side: 'a', intensity: Math.round(s) } : { side: 'b', intensity: Math.round(1 / s) }
}

// The pairs a form asks for n elements: (i, j) with i < j, row by row.
export function pairsOf(n) {
  const out = []
  for (let i = 0; i < n; i += 1) for (let j = i + 1; j < n; j += 1) out.push([i, j])
  return out
}

// The n×n matrix of a form's answers ({"i-j": value | null}): 1 on the diagonal, the upper
// triangle as answered, the lower one null (the server takes reciprocals).
export function matrixOf(n, answers) {
  const m = []
  for (let i = 0; i < n; i += 1) {
    const row = []
    for (let j = 0; j < n; j += 1) {
      if (i === j) row.push(1)
      else if (i < j) row.push(answers[`${i}-${j}`] ?? null)
      else row.push(null)
    }
    m.push(row)
  }
  return m
}

// A form's answers from a stored matrix (upper triangle, or the reciprocal of the lower).
export function answersOf(matrix) {
  const out = {}
  const n = (matrix || []).length
  for (const [i, j] of pairsOf(n)) {
    const a = matrix[i][j]
    const b = matrix[j][i]
    out[`${i}-${j}`] = a !== null && a !== undefined ? a : b ? 1 / b : null
  }
  return out
}

// How many pairs are answered.
export function answeredCount(answers) {
  return Object.values(answers).filter((v) => v !== null && v !== undefined).length
}

// A suggestion of the API ({row, col, current, suggested}) as a change of the form: the pair
// (i < j) and the value on the scale nearest to what is suggested; null when snapping to the
// scale would leave the answer as it is.
export function suggestionChange(s, answers) {
  let i = s.row
  let j = s.col
  let value = s.suggested
  if (i > j) {
    ;[i, j] = [j, i]
    value = value > 0 ? 1 / value : value
  }
  const snapped = snapToScale(value)
  const current = answers[`${i}-${j}`]
  if (snapped === null || (current !== null && current !== undefined && Math.abs(Math.log(current) - Math.log(snapped)) < 1e-6)) {
    return null
  }
  return { i, j, value: snapped, crAfter: s.cr_after }
}

// The inner nodes that are judged pairwise: nodes with at least two children, in tree order,
// each with its children.
export function judgedNodes(nodes) {
  const children = childrenMap(nodes)
  return flatten(nodes)
    .filter((n) => (children.get(n._uid) || []).length >= 2)
    .map((n) => ({ node: n, children: children.get(n._uid) }))
}

// A short text of a scoring rule, with `t` of vue-i18n.
export function scoringSummary(scoring, t, fmt = (v) => String(v)) {
  if (!scoring || !scoring.rule) return t('evaluation.scoring.none')
  const f = (v) => (v === null || v === undefined ? '—' : fmt(v))
  if (scoring.rule === 'linear') {
    return t('evaluation.scoring.linearSummary', { floor: f(scoring.floor), target: f(scoring.target) })
  }
  if (scoring.rule === 'threshold') {
    const key = scoring.pass === 'at-most' ? 'evaluation.scoring.atMostSummary' : 'evaluation.scoring.atLeastSummary'
    return t(key, { threshold: f(scoring.threshold) })
  }
  if (scoring.rule === 'banded') {
    const bands = (scoring.bands || []).map((b) => `${b.grade} [${f(b.min)}, ${f(b.max)}]`).join('; ')
    return t('evaluation.scoring.bandedSummary', { bands })
  }
  return scoring.rule
}

// A weight of 0–1 as a percentage ("—" when unknown).
export function percent(v, digits = 1) {
  if (v === null || v === undefined || Number.isNaN(v)) return '—'
  return `${(v * 100).toFixed(digits)}%`
}

// The message key of a node's field named in an error ("scoring.floor" → the floor's label),
// or null for a field without one.
const FIELD_KEYS = {
  key: 'evaluation.node.key',
  name: 'evaluation.node.name',
  name_en: 'evaluation.node.nameEn',
  weight: 'evaluation.node.weight',
  source: 'evaluation.node.source',
  indicator: 'evaluation.node.indicator',
  parent: 'evaluation.node.parent',
  note: 'evaluation.node.note',
  scoring: 'evaluation.scoring.rule',
  'scoring.rule': 'evaluation.scoring.rule',
  'scoring.floor': 'evaluation.scoring.floor',
  'scoring.target': 'evaluation.scoring.target',
  'scoring.threshold': 'evaluation.scoring.thresholdValue',
  'scoring.pass': 'evaluation.scoring.pass',
  'scoring.bands': 'evaluation.scoring.bands',
  score: 'evaluation.grades.score',
  min: 'evaluation.grades.min',
}
export function fieldLabelKey(field) {
  if (!field) return null
  if (FIELD_KEYS[field]) return FIELD_KEYS[field]
  if (/^scoring\.bands\[/.test(field)) return 'evaluation.scoring.bands'
  return null
}
