// Shared by the pages of evaluation runs (评价运行): the leaves that need entered counts, the
// inputs of a new run built from the grid, the server's errors of a refused run mapped back to
// the grid cells and form fields, the rows of a run's tree (weights, memberships, scores,
// stability) and the findings' errors. Pure functions only (no Vue, no i18n), so that
// web/tests can run them under node.

// The leaves of a version's content ({grades, nodes}) whose source is a survey or an expert
// review: a run takes their counts per grade from the grid, except where a questionnaire's
// responses give a survey leaf's counts.
export function inputLeaves(content) {
  const nodes = (content && content.nodes) || []
  const parents = new Set(nodes.map((n) => n.parent).filter((p) => p))
  return nodes
    .filter((n, i) => i > 0 && !parents.has(n.key) && (n.source === 'survey' || n.source === 'expert'))
    .map((n) => ({ key: n.key, name: n.name, name_en: n.name_en || '', source: n.source }))
}

// The indicator leaves of a version's content (the values come from the catalogue).
export function indicatorLeaves(content) {
  const nodes = (content && content.nodes) || []
  const parents = new Set(nodes.map((n) => n.parent).filter((p) => p))
  return nodes
    .filter((n, i) => i > 0 && !parents.has(n.key) && n.source === 'indicator')
    .map((n) => ({ key: n.key, name: n.name, name_en: n.name_en || '', indicator: n.indicator, scoring: n.scoring }))
}

// The grid's key of one (object, leaf) cell row.
export function cellKey(object, leaf) {
  return `${object}|${leaf}`
}

function count(v) {
  if (v === null || v === undefined || v === '') return null
  const n = Number(v)
  return Number.isNaN(n) ? null : n
}

// Whether a row of counts is left empty (nothing entered in any grade).
export function blankRow(row) {
  return !row || row.every((v) => count(v) === null)
}

// The `inputs` of a run request from the grid (cells: {"object|leaf": [count per grade]}):
// every row with something entered, blanks in it as 0, in object order then leaf order.
// Returns {inputs, sent: [{object, leaf}] (the cell of inputs[i])}.
export function buildInputs(cells, objects, leaves, gradeCount) {
  const inputs = []
  const sent = []
  for (const object of objects) {
    for (const leaf of leaves) {
      const row = cells[cellKey(object, leaf)]
      if (blankRow(row)) continue
      const responses = []
      for (let g = 0; g < gradeCount; g += 1) responses.push(count(row[g]) ?? 0)
      inputs.push({ object, leaf, responses })
      sent.push({ object, leaf })
    }
  }
  return { inputs, sent }
}

// Fills every object's row of a leaf with the same counts (the "fill all" helper); blanks in
// `counts` stay blank.
export function fillAll(cells, objects, leaf, counts) {
  for (const object of objects) cells[cellKey(object, leaf)] = counts.map((v) => count(v))
  return cells
}

// How many objects have counts for a leaf.
export function filledCount(cells, objects, leaf) {
  return objects.filter((o) => !blankRow(cells[cellKey(o, leaf)])).length
}

// One reason of the server's `leaves` details: "梁林镇 (990121001000) / 群众满意度: a survey leaf
// needs …" or "… / 贫困劳动力就业占比 (workshop_poor_worker_share): no value in 2020". Returns
// {objectName, object, leafName, indicator, reason, kind: 'counts' (a survey or expert leaf
// without counts) | 'value' (an indicator without a value in `period`) | 'other'}, or null when
// it is of another shape.
export function parseMissing(text) {
  const m = /^(.*) \((\d{6,12})\) \/ (.+?)(?: \(([a-z][a-z0-9_]*)\))?: (.*)$/s.exec(text || '')
  if (!m) return null
  const reason = m[5]
  const value = /^no value in (\S+)$/.exec(reason)
  // "a survey leaf needs survey responses about 2020 or counts per grade in inputs" since
  // questionnaires feed survey leaves; "… needs counts per grade …" for expert leaves.
  const kind = /needs (?:survey responses about \S+ or )?counts per grade/.test(reason) ? 'counts' : value ? 'value' : 'other'
  return { objectName: m[1], object: m[2], leafName: m[3], indicator: m[4] || '', reason, kind, period: value ? value[1] : '' }
}

// The problems of a refused run request mapped to where the form shows them. `sent` is what
// buildInputs returned with the request; `leaves` the version's leaves (to find a leaf named in
// a `leaves` detail). Returns {fields: {column: reason}, cells: Map("object|leaf" → reason),
// missing: [{text, object, leaf, …}], objects: [{index, value, reason}], other: [{column,
// reason}], inputs: how many problems of the inputs sent}.
const FIELDS = new Set([
  'system_id',
  'version',
  'name',
  'region',
  'period',
  'objects',
  'use_judgments',
  'aggregate',
  'max_cr',
  'weights_method',
  'ri',
  'operator',
  'ranking',
  'sensitivity.draws',
  'sensitivity.spread',
  'sensitivity.seed',
  'surveys',
])
export function runErrors(details, sent, leaves = []) {
  const fields = {}
  const cells = new Map()
  const missing = []
  const objects = []
  const other = []
  let inputs = 0
  const join = (a, b) => (a ? `${a}; ${b}` : b)
  for (const d of details || []) {
    const column = d.column || ''
    let m
    if (column === 'leaves') {
      const p = parseMissing(d.reasonEn || d.reason)
      const leaf = p ? leaves.find((l) => l.name === p.leafName || l.key === p.leafName) : null
      const item = { text: d.reason, ...(p || {}), leaf: leaf ? leaf.key : '' }
      missing.push(item)
      if (p && leaf) cells.set(cellKey(p.object, leaf.key), join(cells.get(cellKey(p.object, leaf.key)), p.reason))
    } else if ((m = /^inputs\[(\d+)\]/.exec(column))) {
      const at = sent[Number(m[1])]
      if (at) {
        cells.set(cellKey(at.object, at.leaf), join(cells.get(cellKey(at.object, at.leaf)), d.reason))
        inputs += 1
      } else other.push({ column, reason: d.reason })
    } else if ((m = /^objects\[(\d+)\]$/.exec(column))) {
      objects.push({ index: Number(m[1]), value: d.value || '', reason: d.reason })
    } else if (/^surveys\[\d+\]$/.test(column)) {
      fields.surveys = join(fields.surveys, d.value ? `${d.value}: ${d.reason}` : d.reason)
    } else if (FIELDS.has(column)) {
      fields[column] = join(fields[column], d.reason)
    } else {
      other.push({ column, reason: d.reason })
    }
  }
  return { fields, cells, missing, objects, other, inputs }
}

// The nodes of a run's snapshot with their depth, local weight (as resolved for the run), global
// weight and children, in tree order (depth first, siblings in the snapshot's order).
export function snapshotTree(nodes) {
  const list = nodes || []
  const children = new Map()
  for (const n of list) {
    const p = n.parent || ''
    if (!children.has(p)) children.set(p, [])
    children.get(p).push(n)
  }
  const rows = []
  const seen = new Set()
  const visit = (n, depth, global) => {
    if (seen.has(n.key)) return
    seen.add(n.key)
    const kids = children.get(n.key) || []
    const local = depth === 0 ? 1 : n.weight
    const g = depth === 0 ? 1 : global * local
    rows.push({ node: n, key: n.key, depth, leaf: kids.length === 0 && depth > 0, childCount: kids.length, local, global: g })
    for (const c of kids) visit(c, depth + 1, g)
  }
  for (const root of children.get('') || []) visit(root, 0, 1)
  for (const n of list) if (!seen.has(n.key)) visit(n, 1, 0)
  return rows
}

// The leaves of a snapshot in the order the objects' leaf inputs are stored (the order the leaf
// nodes appear in `nodes`, the root excluded).
export function snapshotLeaves(nodes) {
  const list = nodes || []
  const parents = new Set(list.map((n) => n.parent).filter((p) => p))
  return list.filter((n, i) => i > 0 && !parents.has(n.key))
}

// The dimensions of a run: the root's children.
export function dimensions(nodes) {
  const list = nodes || []
  const root = list.find((n) => !n.parent)
  return root ? list.filter((n) => n.parent === root.key) : []
}

// The objects of a run in rank order (ties by name), each with its result's rank range.
export function ranking(run) {
  const results = new Map(((run && run.results) || []).map((r) => [r.code, r]))
  return [...((run && run.objects) || [])]
    .map((o) => {
      const r = results.get(o.code) || {}
      return { ...o, rank_min: r.rank_min, rank_max: r.rank_max, score_p05: r.score_p05, score_p95: r.score_p95 }
    })
    .sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9) || String(a.name).localeCompare(String(b.name), 'zh-CN'))
}

// The index of a grade name in the scale (best first), or -1.
export function gradeIndex(grades, name) {
  return (grades || []).findIndex((g) => g.name === name)
}

// A colour per grade, best (green) to worst (red).
const RAMP = ['#67c23a', '#95d475', '#409eff', '#e6a23c', '#f56c6c']
export function gradeColor(index, count) {
  if (index < 0) return '#909399'
  if (count <= 1) return RAMP[0]
  return RAMP[Math.round((index / (count - 1)) * (RAMP.length - 1))]
}

// "1", or "1–3" for a range of ranks.
export function rankRange(min, max) {
  if (min === undefined || min === null) return '—'
  return min === max ? String(min) : `${min}–${max}`
}

// A score with two decimals ("—" when unknown).
export function score(v, digits = 2) {
  return v === null || v === undefined || Number.isNaN(v) ? '—' : Number(v).toFixed(digits)
}

// The findings' errors of a refused save: Map(index in the list sent → {kind, text, …: reason}).
export function findingErrors(details) {
  const out = new Map()
  const other = []
  for (const d of details || []) {
    const m = /^findings\[(\d+)\](?:\.(.+))?$/.exec(d.column || '')
    if (!m) {
      other.push(d)
      continue
    }
    const i = Number(m[1])
    if (!out.has(i)) out.set(i, {})
    const field = m[2] || 'row'
    const e = out.get(i)
    e[field] = e[field] ? `${e[field]}; ${d.reason}` : d.reason
  }
  return { rows: out, other }
}

// The findings as the API takes them (the editor's rows carry an internal _uid).
export function toFindings(rows) {
  return rows.map((f) => ({
    kind: f.kind,
    object: f.object || '',
    node: f.node || '',
    text: (f.text || '').trim(),
    text_en: (f.text_en || '').trim(),
  }))
}

// The message key of a fuzzy operator ("min-bounded-sum" → "minBoundedSum").
export function operatorKey(op) {
  return String(op || '').replace(/-([a-z])/g, (_, c) => c.toUpperCase())
}

// The fund-efficiency DEA of a run (`run.dea`): the objects in rank order (most efficient
// first, ties by name).
export function deaRanking(dea) {
  return [...((dea && dea.objects) || [])].sort(
    (a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9) || (b.efficiency ?? 0) - (a.efficiency ?? 0) || String(a.name).localeCompare(String(b.name), 'zh-CN'),
  )
}

// The message key of a DEA classification ("weakly efficient" → "weak").
const DEA_CLASSES = { efficient: 'efficient', 'weakly efficient': 'weak', inefficient: 'inefficient' }
export function deaClassKey(c) {
  return DEA_CLASSES[c] || ''
}

// A tag type per classification: efficient green, weakly efficient orange, inefficient red.
export function deaClassTag(c) {
  return { efficient: 'success', 'weakly efficient': 'warning', inefficient: 'danger' }[c] || 'info'
}

// A bar colour per classification.
export function deaClassColor(c) {
  return { efficient: '#67c23a', 'weakly efficient': '#e6a23c', inefficient: '#409eff' }[c] || '#909399'
}

// One object's inputs and outputs against its targets: [{side: 'input' | 'output', index,
// column, value, target, slack, change (target − value) / value, null when value is 0}].
export function deaFactorRows(dea, object) {
  const out = []
  const sides = [
    ['input', (dea && dea.inputs) || [], object.inputs || [], object.input_targets || [], object.input_slacks || []],
    ['output', (dea && dea.outputs) || [], object.outputs || [], object.output_targets || [], object.output_slacks || []],
  ]
  for (const [side, columns, values, targets, slacks] of sides) {
    columns.forEach((column, index) => {
      const value = values[index]
      const target = targets[index]
      const ok = typeof value === 'number' && typeof target === 'number'
      out.push({
        side,
        index,
        column,
        value: value ?? null,
        target: target ?? null,
        slack: slacks[index] ?? null,
        change: ok && value !== 0 ? (target - value) / Math.abs(value) : null,
      })
    })
  }
  return out
}

// How many objects are DEA efficient.
export function deaEfficientCount(dea) {
  return ((dea && dea.objects) || []).filter((o) => o.classification === 'efficient').length
}
