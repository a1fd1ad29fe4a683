// Shared by the survey pages (问卷调查): the editable model of a questionnaire's questions and
// sample targets, the five-level satisfaction preset, the server's error columns mapped back to
// questions and fields ("questions[2].choices[1].grade", "answers.q3"), the import's column
// mapping as table rows, the problems of a refused import as CSV, and the leaf tally as chart
// series. Pure functions only (no Vue, no i18n: texts come in as arguments), so that web/tests
// can run them under node.

let lastUid = 0
function uid() {
  lastUid += 1
  return lastUid
}

export const KINDS = ['likert', 'choice', 'number']
export const TOOLS = ['wjx', 'kobo', 'odk', 'file']
export const SOURCES = ['form', 'wjx', 'kobo', 'odk', 'file']

function numberOrNull(v) {
  return v === null || v === undefined || v === '' || Number.isNaN(Number(v)) ? null : Number(v)
}

// The grade a level of an n-level Likert item counts towards on a scale of `grades` (best first):
// the levels are spread over the scale in order, the best level on the best grade and the worst
// on the worst (five levels on a five-grade scale map one to one).
export function gradeForLevel(index, levels, grades) {
  const list = grades || []
  if (!list.length) return ''
  if (levels <= 1) return list[0].name
  return list[Math.round((index * (list.length - 1)) / (levels - 1))].name
}

// The five-level satisfaction levels (非常满意 … 非常不满意), valued 5 … 1, coded "5" … "1" (the
// way survey tools number them), mapped to the scale's grades in order. `labels` and
// `labelsEn` are the five labels best first.
export function fivePointLevels(grades, labels, labelsEn) {
  return labels.map((label, i) => ({
    _uid: uid(),
    code: String(5 - i),
    label,
    label_en: (labelsEn && labelsEn[i]) || '',
    value: 5 - i,
    grade: gradeForLevel(i, labels.length, grades),
  }))
}

// A new level or option of a question (its code the next free number).
export function newChoice(question, grades) {
  const used = new Set(question.choices.map((c) => c.code))
  let n = question.choices.length + 1
  while (used.has(String(n))) n += 1
  const values = question.choices.map((c) => numberOrNull(c.value)).filter((v) => v !== null)
  const value = question.kind === 'likert' && values.length ? Math.min(...values) - 1 : 0
  const grade = question.kind === 'likert' && grades && grades.length ? grades[grades.length - 1].name : ''
  return { _uid: uid(), code: String(n), label: '', label_en: '', value, grade }
}

// A key not used by any question: q1, q2, …
export function freshQuestionKey(questions) {
  const used = new Set((questions || []).map((q) => q.key))
  let n = (questions || []).length + 1
  while (used.has(`q${n}`)) n += 1
  return `q${n}`
}

// A new question of `kind`; a Likert question starts with the given levels.
export function newQuestion(kind, key, levels = []) {
  return {
    _uid: uid(),
    key,
    kind,
    text: '',
    text_en: '',
    leaf: '',
    dimension: '',
    indicator: '',
    choices: kind === 'likert' ? levels.map((c) => ({ ...c, _uid: uid() })) : [],
    scoring: null,
    min: null,
    max: null,
    required: true,
    groups: [],
  }
}

// The editable model of the questions of a questionnaire detail (each with an internal _uid).
export function fromQuestions(questions) {
  return (questions || []).map((q) => ({
    _uid: uid(),
    key: q.key || '',
    kind: q.kind || 'likert',
    text: q.text || '',
    text_en: q.text_en || '',
    leaf: q.leaf || '',
    dimension: q.dimension || '',
    indicator: q.indicator || '',
    choices: (q.choices || []).map((c) => ({
      _uid: uid(),
      code: String(c.code ?? ''),
      label: c.label || '',
      label_en: c.label_en || '',
      value: numberOrNull(c.value) ?? 0,
      grade: c.grade || '',
    })),
    scoring: q.scoring && q.scoring.rule ? { ...q.scoring } : null,
    min: numberOrNull(q.min),
    max: numberOrNull(q.max),
    required: q.required !== false,
    groups: [...(q.groups || [])],
  }))
}

function scoringOf(s) {
  if (!s || !s.rule) return null
  if (s.rule === 'linear') return { rule: 'linear', floor: numberOrNull(s.floor), target: numberOrNull(s.target) }
  if (s.rule === 'threshold') return { rule: 'threshold', threshold: numberOrNull(s.threshold), pass: s.pass || 'at-least' }
  const { _uid, ...rest } = s
  return rest
}

// The questions as the API takes them: trimmed texts, numbers as numbers; a number question
// has no choices, the others no scoring or range.
export function toQuestions(model) {
  return model.map((q) => {
    const out = {
      key: q.key.trim(),
      kind: q.kind,
      text: q.text.trim(),
      text_en: q.text_en.trim(),
      leaf: q.leaf || '',
      dimension: (q.dimension || '').trim(),
      // The surveyed indicator of the catalogue the answers count towards, or null.
      indicator: q.indicator || null,
      choices: [],
      scoring: null,
      min: null,
      max: null,
      required: !!q.required,
      groups: [...q.groups],
    }
    if (q.kind === 'number') {
      out.scoring = scoringOf(q.scoring)
      out.min = numberOrNull(q.min)
      out.max = numberOrNull(q.max)
    } else {
      out.choices = q.choices.map((c) => ({
        code: String(c.code).trim(),
        label: c.label.trim(),
        label_en: c.label_en.trim(),
        value: numberOrNull(c.value) ?? 0,
        grade: c.grade || '',
      }))
    }
    return out
  })
}

// The sample targets as editable rows and back.
export function fromTargets(targets) {
  return (targets || []).map((t) => ({ _uid: uid(), group: t.group || '', region: t.region || '', target: t.target ?? 0 }))
}
export function toTargets(rows) {
  return rows.map((r) => ({ group: r.group, region: String(r.region || '').trim(), target: Number(r.target) || 0 }))
}
export function newTarget(group, region) {
  return { _uid: uid(), group: group || '', region: region || '', target: 30 }
}

// Moves item `index` of `list` one place up (dir −1) or down (+1), in place.
export function move(list, index, dir) {
  const to = index + dir
  if (to < 0 || to >= list.length) return list
  const [item] = list.splice(index, 1)
  list.splice(to, 0, item)
  return list
}

const join = (a, b) => (a ? `${a}; ${b}` : b)

// The problems of a refused save mapped to where the editor shows them: questions[i] (the
// question's fields: "key", "text", "choices" for any level, "choices[1].grade" …), targets[i]
// and the questionnaire's own fields. Returns {questions: Map(i → {field: reason}), choices:
// Map("i|j" → reason), targets: Map(i → reason), fields: {column: reason}, other: [detail]}.
const QUESTIONNAIRE_FIELDS = new Set(['name', 'name_en', 'description', 'period', 'groups', 'open', 'system_id', 'system_version', 'region', 'version', 'questions', 'targets'])
export function designErrors(details) {
  const questions = new Map()
  const choices = new Map()
  const targets = new Map()
  const fields = {}
  const other = []
  for (const d of details || []) {
    const column = d.column || ''
    let m
    if ((m = /^questions\[(\d+)\](?:\.(.+))?$/.exec(column))) {
      const i = Number(m[1])
      const field = m[2] || 'question'
      if (!questions.has(i)) questions.set(i, {})
      const e = questions.get(i)
      const c = /^choices\[(\d+)\](?:\.(.+))?$/.exec(field)
      if (c) {
        const key = `${i}|${c[1]}`
        choices.set(key, join(choices.get(key), c[2] ? `${c[2]}: ${d.reason}` : d.reason))
        e.choices = join(e.choices, d.reason)
      } else {
        const f = field.startsWith('scoring') ? 'scoring' : field.startsWith('groups') ? 'groups' : field
        e[f] = join(e[f], d.reason)
      }
    } else if ((m = /^targets\[(\d+)\](?:\.(.+))?$/.exec(column))) {
      const i = Number(m[1])
      targets.set(i, join(targets.get(i), m[2] ? `${m[2]}: ${d.reason}` : d.reason))
    } else if ((m = /^groups\[\d+\]$/.exec(column))) {
      fields.groups = join(fields.groups, d.reason)
    } else if (QUESTIONNAIRE_FIELDS.has(column)) {
      fields[column] = join(fields[column], d.reason)
    } else {
      other.push(d)
    }
  }
  return { questions, choices, targets, fields, other }
}

// The problems of a refused response mapped to the form: answers.KEY to the question, group,
// region and surveyed_on to the fields at the top. Returns {answers: {key: reason}, fields:
// {column: reason}, other: [detail]}.
export function answerErrors(details) {
  const answers = {}
  const fields = {}
  const other = []
  for (const d of details || []) {
    const column = d.column || ''
    const m = /^answers\.(.+)$/.exec(column)
    if (m) answers[m[1]] = join(answers[m[1]], d.reason)
    else if (['group', 'region', 'surveyed_on'].includes(column)) fields[column] = join(fields[column], d.reason)
    else other.push(d)
  }
  return { answers, fields, other }
}

// Whether a question is asked of respondent group `group` (no groups listed: every group).
export function askedOf(question, group) {
  return !question.groups || question.groups.length === 0 || !group || question.groups.includes(group)
}

// The answers of the entry form as the API takes them: blanks left out, numbers as numbers.
export function toAnswers(questions, values, group) {
  const out = {}
  for (const q of questions) {
    if (!askedOf(q, group)) continue
    const v = values[q.key]
    if (v === undefined || v === null || v === '') continue
    if (q.kind === 'number') {
      const n = Number(String(v).trim())
      out[q.key] = Number.isNaN(n) ? String(v).trim() : n
    } else {
      out[q.key] = String(v)
    }
  }
  return out
}

// The required questions asked of `group` that have no answer (their keys).
export function unanswered(questions, values, group) {
  return questions
    .filter((q) => q.required && askedOf(q, group))
    .filter((q) => values[q.key] === undefined || values[q.key] === null || String(values[q.key]).trim() === '')
    .map((q) => q.key)
}

// How many questions a response answered.
export function answeredCount(response) {
  return Object.values((response && response.answers) || {}).filter((v) => v !== '' && v !== null && v !== undefined).length
}

// An answer as shown: the label of the level or option chosen (English when `en` and given),
// the number, or the stored text.
export function answerText(question, value, en = false) {
  if (value === undefined || value === null || value === '') return ''
  if (!question || question.kind === 'number') return String(value)
  const c = question.choices.find((x) => String(x.code) === String(value))
  if (!c) return String(value)
  return (en && c.label_en) || c.label || c.code
}

// Bytes (Uint8Array) as base64, in chunks (a large file would overflow the call stack of
// String.fromCharCode(...bytes)).
export function bytesToBase64(bytes) {
  let binary = ''
  const chunk = 0x8000
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + chunk))
  }
  return btoa(binary)
}

// The mapping's question rows for the import table: every question with the column proposed or
// chosen ("" = none) and whether that column is in the file.
export function mappingRows(questions, mapping, header) {
  const columns = new Set(header || [])
  const chosen = (mapping && mapping.questions) || {}
  return (questions || []).map((q) => {
    const column = chosen[q.key] || ''
    return { key: q.key, question: q, column, missing: column !== '' && !columns.has(column) }
  })
}

// An empty mapping (the shape the API takes).
export function emptyMapping() {
  return { questions: {}, id_column: '', region_column: '', region: '', group_column: '', group: '', date_column: '', surveyed_on: '' }
}

// The mapping as the API takes it: questions without a column left out.
export function toMapping(m) {
  const questions = {}
  for (const [k, v] of Object.entries(m.questions || {})) if (v) questions[k] = v
  const out = emptyMapping()
  for (const k of Object.keys(out)) if (k !== 'questions') out[k] = String(m[k] || '').trim()
  out.questions = questions
  // A column takes precedence over the fixed value; send only one of them.
  if (out.region_column) out.region = ''
  if (out.group_column) out.group = ''
  if (out.date_column) out.surveyed_on = ''
  return out
}

function csvCell(v) {
  const s = v === undefined || v === null ? '' : String(v)
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

// The problems of a refused import as CSV text (with a BOM, so that Excel reads it as UTF-8):
// `header` the four column titles (row, column, value, reason).
export function problemsCsv(problems, header) {
  const lines = [header.map(csvCell).join(',')]
  for (const p of problems || []) lines.push([p.row ?? '', p.column ?? '', p.value ?? '', p.reason ?? ''].map(csvCell).join(','))
  return `\ufeff${lines.join('\r\n')}\r\n`
}

// The leaf tally ({grades, leaves: {key: [count per grade]}}) as the series of a stacked bar
// chart: the leaves in the order of `leaves` (the questionnaire's survey leaves; others after),
// one series per grade. Returns {categories: [leaf], series: [{grade, data: [count]}]}.
export function tallySeries(tally, leaves) {
  const counts = (tally && tally.leaves) || {}
  const order = (leaves || []).map((l) => l.key).filter((k) => k in counts)
  for (const k of Object.keys(counts).sort()) if (!order.includes(k)) order.push(k)
  const grades = (tally && tally.grades) || []
  return {
    categories: order,
    series: grades.map((g, gi) => ({ grade: g, data: order.map((k) => Number(counts[k][gi] || 0)) })),
  }
}

// The dimension of a quality row as a name: the leaf parent's name when the dimension is a node
// key of the system, else the key itself ("all" stays for the caller to translate).
export function dimensionName(dimension, leaves, en = false) {
  for (const l of leaves || []) {
    if (l.parent === dimension) return (en && l.parent_name_en) || l.parent_name || dimension
    if (l.key === dimension) return (en && l.name_en) || l.name || dimension
  }
  return dimension
}

// A target's progress as a percentage 0–100 (100 when the target is 0).
export function progress(count, target) {
  if (!target || target <= 0) return 100
  return Math.min(100, Math.round((count / target) * 100))
}
