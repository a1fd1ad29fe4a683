// Shared by the indicator catalogue page (指标库): how an indicator is named and its formula
// written, the catalogue's filters, the declaration form's model and the body the API takes
// (POST/PUT /api/v1/indicators), and the rows of the grid of entered statistics checked
// before they are sent (PUT /api/v1/indicators/entered). Pure functions, tested in
// tests/indicators.test.mjs.

export const SOURCES = ['computed', 'entered', 'surveyed']
export const DIRECTIONS = ['higher_better', 'lower_better', 'target_range']
// How an entered statistic rolls up to the regions above: summed, or a mean weighted by
// another indicator.
export const ENTERED_AGGREGATIONS = ['sum', 'mean_weighted']
// The aggregation each source implies (an entered one chooses between the two above).
const IMPLIED_AGGREGATION = { computed: 'ratio_of_sums', surveyed: 'mean_of_answers' }

let nextUid = 1
const uid = () => nextUid++

// An indicator's (or unit's) name in the interface language, falling back to the other one
// and then to the code.
export function localName(item, en) {
  if (!item) return ''
  return (en ? item.en || item.zh : item.zh || item.en) || item.code || ''
}

// A number without superfluous decimals: 100, 0.5, 1.25.
function factorText(f) {
  return String(Number(f))
}

// "numerator / denominator × factor" with the operands' names (their codes when unknown);
// the factor is left out when it is 1. "" for an indicator without formula.
export function formulaText(indicator, byCode, en) {
  const f = indicator && indicator.formula
  if (!f) return ''
  const name = (code) => (byCode && byCode.get(code) ? localName(byCode.get(code), en) : code)
  const ratio = `${name(f.numerator)} / ${name(f.denominator)}`
  return Number(f.factor) === 1 || f.factor === undefined || f.factor === null ? ratio : `${ratio} × ${factorText(f.factor)}`
}

// The catalogue filtered by source and module ("" = any) and a text searched in the code and
// both names (case-insensitive).
export function filterIndicators(items, { source = '', module = '', search = '' } = {}) {
  const needle = search.trim().toLowerCase()
  return (items || []).filter((i) => {
    if (source && i.source !== source) return false
    if (module && i.module !== module) return false
    if (!needle) return true
    return [i.code, i.zh, i.en].some((s) => String(s || '').toLowerCase().includes(needle))
  })
}

// The modules of the catalogue, each once, in the order they first appear.
export function modulesOf(items) {
  return [...new Set((items || []).map((i) => i.module).filter((m) => m))]
}

// The declaration form of a new indicator, or of `indicator` to edit.
export function indicatorForm(indicator) {
  const i = indicator || {}
  const f = i.formula || {}
  return {
    code: i.code || '',
    zh: i.zh || '',
    en: i.en || '',
    unit: i.unit || '',
    direction: i.direction || 'higher_better',
    source: i.source || 'computed',
    aggregation: i.source === 'entered' && i.aggregation === 'mean_weighted' ? 'mean_weighted' : 'sum',
    numerator: f.numerator || '',
    denominator: f.denominator || '',
    factor: f.factor === undefined || f.factor === null ? 1 : Number(f.factor),
    weight: i.weight || '',
    definition_zh: i.definition_zh || '',
    definition_en: i.definition_en || '',
  }
}

// The body of POST /indicators (or PUT with `version`): only what the source takes — a
// computed indicator its formula, an entered one its aggregation and (mean_weighted) weight,
// a surveyed one nothing more.
export function indicatorBody(form, version) {
  const body = {
    code: form.code.trim(),
    zh: form.zh.trim(),
    en: form.en.trim(),
    unit: form.unit,
    direction: form.direction,
    source: form.source,
    definition_zh: form.definition_zh.trim(),
    definition_en: form.definition_en.trim(),
  }
  if (form.source === 'computed') {
    body.aggregation = IMPLIED_AGGREGATION.computed
    const factor = Number(form.factor)
    body.formula = {
      numerator: form.numerator || '',
      denominator: form.denominator || '',
      factor: form.factor === null || form.factor === '' || Number.isNaN(factor) ? 0 : factor,
    }
  } else if (form.source === 'entered') {
    body.aggregation = form.aggregation === 'mean_weighted' ? 'mean_weighted' : 'sum'
    if (body.aggregation === 'mean_weighted') body.weight = form.weight || ''
  } else {
    body.aggregation = IMPLIED_AGGREGATION.surveyed
  }
  if (version !== undefined && version !== null) body.version = version
  return body
}

// The fields of the declaration form, as the API names them in error details, by source (a
// field the form does not show for that source, or no field, is listed with the message).
const COMMON_COLUMNS = ['code', 'zh', 'en', 'unit', 'direction', 'source', 'definition_zh', 'definition_en']
export const FORM_COLUMNS = {
  computed: new Set([...COMMON_COLUMNS, 'formula', 'formula.numerator', 'formula.denominator', 'formula.factor']),
  entered: new Set([...COMMON_COLUMNS, 'aggregation', 'weight']),
  surveyed: new Set([...COMMON_COLUMNS, 'aggregation']),
}

// The problems of a refused declaration of an indicator of `source`: {fields: {column:
// reasons joined}, other: [details of no field the form shows]}.
export function formProblems(details, source) {
  const shown = FORM_COLUMNS[source] || FORM_COLUMNS.computed
  const fields = {}
  const other = []
  for (const d of details || []) {
    if (d.column && shown.has(d.column)) {
      fields[d.column] = fields[d.column] ? `${fields[d.column]}; ${d.reason}` : d.reason
    } else {
      other.push(d)
    }
  }
  return { fields, other }
}

// A number typed by a person: thousands separators (, ，) and spaces ignored, a full-width
// minus or dot accepted. null when it is not a number.
export function parseNumber(text) {
  if (typeof text === 'number') return Number.isFinite(text) ? text : null
  const s = String(text ?? '')
    .replace(/[\s,，]/g, '')
    .replace(/－/g, '-')
    .replace(/．/g, '.')
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return null
  const n = Number(s)
  return Number.isFinite(n) ? n : null
}

// A new row of the grid of entered statistics.
export function newEntryRow(region = '', year = null, value = '') {
  return { _uid: uid(), region: region || '', year: year ?? null, value: value === null || value === undefined ? '' : String(value) }
}

// The grid's rows as the items of PUT /indicators/entered for `indicator`. Rows with neither
// region nor value are left out. Problems are [{row (1-based index of the grid), column,
// reason}] with reason a key under indicators.entered.problem: required, region, year,
// number; items are sent only when there are none. `index[k]` is the grid row of item k, so
// the server's row numbers (item index + 1) lead back to the grid.
export function entryItems(rows, indicator) {
  const items = []
  const index = []
  const problems = []
  ;(rows || []).forEach((r, i) => {
    const region = String(r.region || '').trim()
    const text = String(r.value ?? '').trim()
    if (!region && !text) return
    const row = i + 1
    if (!region) problems.push({ row, column: 'region', reason: 'required' })
    else if (!/^\d{12}$/.test(region)) problems.push({ row, column: 'region', reason: 'region' })
    const year = Number(r.year)
    if (!r.year || !Number.isInteger(year) || year < 1900 || year > 2999) problems.push({ row, column: 'year', reason: 'year' })
    const value = parseNumber(text)
    if (!text) problems.push({ row, column: 'value', reason: 'required' })
    else if (value === null) problems.push({ row, column: 'value', reason: 'number' })
    items.push({ indicator, region, year, value })
    index.push(i)
  })
  return { items: problems.length ? [] : items, index, problems }
}

// The server's problems of a refused save (row = item index + 1) mapped to the grid rows:
// Map(grid index → {column: reason}); problems of no item (row 0) under key -1.
export function entryProblems(details, index) {
  const out = new Map()
  for (const d of details || []) {
    const k = d.row >= 1 && index && index[d.row - 1] !== undefined ? index[d.row - 1] : -1
    if (!out.has(k)) out.set(k, {})
    const e = out.get(k)
    const column = d.column || 'row'
    e[column] = e[column] ? `${e[column]}; ${d.reason}` : d.reason
  }
  return out
}
