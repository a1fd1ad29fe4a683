// The indicator catalogue page's model (src/indicators.js): formulas in names, the filters, the
// declaration's body per source, the server's problems at the form's fields, and the grid of
// entered statistics checked before it is sent and its rows found again from the server's.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  localName,
  formulaText,
  filterIndicators,
  modulesOf,
  indicatorForm,
  indicatorBody,
  formProblems,
  parseNumber,
  newEntryRow,
  entryItems,
  entryProblems,
} from '../src/indicators.js'
import { fromQuestions, toQuestions, newQuestion } from '../src/surveys.js'

const CATALOGUE = [
  { code: 'poor_people', zh: '贫困人口', en: 'poor people', source: 'computed', module: 'registry', formula: null },
  { code: 'rural_population', zh: '农村人口', en: 'rural population', source: 'entered', module: 'statistics', formula: null },
  {
    code: 'poverty_incidence',
    zh: '贫困发生率',
    en: 'poverty incidence',
    source: 'computed',
    module: 'registry',
    formula: { numerator: 'poor_people', denominator: 'rural_population', factor: 100 },
  },
  {
    code: 'mean_income',
    zh: '人均纯收入',
    en: '',
    source: 'computed',
    module: 'registry',
    formula: { numerator: 'net_income_total', denominator: 'income_people', factor: 1 },
  },
  { code: 'satisfaction', zh: '满意度', en: 'satisfaction', source: 'surveyed', module: 'declared', declared: true },
]
const byCode = new Map(CATALOGUE.map((i) => [i.code, i]))

test('an indicator is named in the interface language, falling back to the other', () => {
  assert.equal(localName(CATALOGUE[0], false), '贫困人口')
  assert.equal(localName(CATALOGUE[0], true), 'poor people')
  assert.equal(localName(CATALOGUE[3], true), '人均纯收入')
  assert.equal(localName({ code: 'x' }, true), 'x')
})

test('a formula is written with the operands\' names and a factor other than 1', () => {
  assert.equal(formulaText(CATALOGUE[2], byCode, false), '贫困人口 / 农村人口 × 100')
  assert.equal(formulaText(CATALOGUE[2], byCode, true), 'poor people / rural population × 100')
  // Operands not in the catalogue keep their codes; a factor of 1 is left out.
  assert.equal(formulaText(CATALOGUE[3], byCode, false), 'net_income_total / income_people')
  assert.equal(formulaText({ formula: { numerator: 'a', denominator: 'b', factor: 0.5 } }, byCode, false), 'a / b × 0.5')
  assert.equal(formulaText(CATALOGUE[0], byCode, false), '')
})

test('the catalogue is filtered by source, module and a text in the code or names', () => {
  assert.deepEqual(filterIndicators(CATALOGUE, { source: 'entered' }).map((i) => i.code), ['rural_population'])
  assert.deepEqual(filterIndicators(CATALOGUE, { module: 'declared' }).map((i) => i.code), ['satisfaction'])
  assert.deepEqual(filterIndicators(CATALOGUE, { search: '发生' }).map((i) => i.code), ['poverty_incidence'])
  assert.deepEqual(filterIndicators(CATALOGUE, { search: ' POOR_' }).map((i) => i.code), ['poor_people'])
  assert.equal(filterIndicators(CATALOGUE, { source: 'computed', search: 'rural' }).length, 0)
  assert.equal(filterIndicators(CATALOGUE).length, CATALOGUE.length)
  assert.deepEqual(modulesOf(CATALOGUE), ['registry', 'statistics', 'declared'])
})

test('a declaration sends only what its source takes', () => {
  const form = indicatorForm(null)
  assert.equal(form.source, 'computed')
  assert.equal(form.factor, 1)
  Object.assign(form, {
    code: ' lifted_share ',
    zh: '脱贫人口占比',
    en: 'lifted share',
    unit: 'percent',
    numerator: 'lifted_people',
    denominator: 'people',
    factor: 100,
    weight: 'people',
    definition_zh: '定义',
    definition_en: 'definition',
  })
  const computed = indicatorBody(form)
  assert.deepEqual(computed, {
    code: 'lifted_share',
    zh: '脱贫人口占比',
    en: 'lifted share',
    unit: 'percent',
    direction: 'higher_better',
    source: 'computed',
    definition_zh: '定义',
    definition_en: 'definition',
    aggregation: 'ratio_of_sums',
    formula: { numerator: 'lifted_people', denominator: 'people', factor: 100 },
  })
  // An entered statistic: summed without weight, or weighted by another indicator.
  form.source = 'entered'
  let body = indicatorBody(form)
  assert.equal(body.aggregation, 'sum')
  assert.ok(!('formula' in body) && !('weight' in body))
  form.aggregation = 'mean_weighted'
  body = indicatorBody(form, 3)
  assert.equal(body.aggregation, 'mean_weighted')
  assert.equal(body.weight, 'people')
  assert.equal(body.version, 3)
  // A surveyed one: the mean of its answers, nothing more.
  form.source = 'surveyed'
  body = indicatorBody(form)
  assert.equal(body.aggregation, 'mean_of_answers')
  assert.ok(!('formula' in body) && !('weight' in body))
})

test('an indicator read back fills the form it was declared with', () => {
  const form = indicatorForm({
    code: 'wage',
    zh: '工资',
    en: 'wage',
    unit: 'yuan',
    direction: 'higher_better',
    source: 'entered',
    aggregation: 'mean_weighted',
    weight: 'workers',
    formula: null,
    definition_zh: 'd',
    definition_en: 'e',
    version: 2,
  })
  assert.equal(form.aggregation, 'mean_weighted')
  assert.equal(form.weight, 'workers')
  assert.equal(indicatorForm(CATALOGUE[2]).factor, 100)
  assert.equal(indicatorForm(CATALOGUE[2]).numerator, 'poor_people')
})

test('the server\'s problems go to the fields the form shows for the source', () => {
  const details = [
    { column: 'formula.numerator', reason: 'is not an indicator of the catalogue' },
    { column: 'formula.numerator', reason: 'second' },
    { column: 'code', reason: 'is already declared' },
    { column: 'weight', reason: 'only mean_weighted indicators have a weight' },
    { column: '', reason: 'a cycle' },
  ]
  const computed = formProblems(details, 'computed')
  assert.equal(computed.fields['formula.numerator'], 'is not an indicator of the catalogue; second')
  assert.equal(computed.fields.code, 'is already declared')
  // The computed form shows no weight: that problem is listed with the message.
  assert.deepEqual(computed.other.map((d) => d.reason), ['only mean_weighted indicators have a weight', 'a cycle'])
  const entered = formProblems(details, 'entered')
  assert.equal(entered.fields.weight, 'only mean_weighted indicators have a weight')
  assert.equal(entered.other.length, 3)
})

test('numbers typed by people are read, others refused', () => {
  assert.equal(parseNumber('1234'), 1234)
  assert.equal(parseNumber(' 1,234.5 '), 1234.5)
  assert.equal(parseNumber('１2'), null) // full-width digits are not taken as numbers
  assert.equal(parseNumber('－3'), -3)
  assert.equal(parseNumber('.5'), 0.5)
  assert.equal(parseNumber('1e3'), 1000)
  assert.equal(parseNumber(7), 7)
  for (const bad of ['abc', '', '1.2.3', '12abc', null, undefined, NaN]) assert.equal(parseNumber(bad), null, String(bad))
})

test('the grid of entered statistics becomes the items sent, or the problems of its rows', () => {
  const rows = [
    newEntryRow('990121000000', 2019, '1,234'),
    newEntryRow('', null, ''), // empty: left out
    newEntryRow('990121001000', 2019, 8.5),
  ]
  const ok = entryItems(rows, 'test_stat')
  assert.deepEqual(ok.problems, [])
  assert.deepEqual(ok.items, [
    { indicator: 'test_stat', region: '990121000000', year: 2019, value: 1234 },
    { indicator: 'test_stat', region: '990121001000', year: 2019, value: 8.5 },
  ])
  assert.deepEqual(ok.index, [0, 2])

  const bad = entryItems([newEntryRow('990121000000', 2019, 'abc'), newEntryRow('9901', null, '5'), newEntryRow('', 2019, '3')], 'x')
  assert.deepEqual(bad.items, [])
  assert.deepEqual(bad.problems, [
    { row: 1, column: 'value', reason: 'number' },
    { row: 2, column: 'region', reason: 'region' },
    { row: 2, column: 'year', reason: 'year' },
    { row: 3, column: 'region', reason: 'required' },
  ])
})

test('the server\'s row numbers lead back to the grid rows', () => {
  // Items 1 and 2 came from grid rows 0 and 2 (row 1 was empty).
  const mapped = entryProblems(
    [
      { row: 2, column: 'region', reason: 'is outside your regions' },
      { row: 2, column: 'value', reason: 'must be whole' },
      { row: 0, column: '', reason: 'too many rows' },
    ],
    [0, 2],
  )
  assert.deepEqual(mapped.get(2), { region: 'is outside your regions', value: 'must be whole' })
  assert.deepEqual(mapped.get(-1), { row: 'too many rows' })
  assert.equal(mapped.has(0), false)
})

test('a survey question carries the catalogue indicator it counts towards, or null', () => {
  const model = fromQuestions([{ key: 'q1', kind: 'number', text: 'x', indicator: 'satisfaction' }, { key: 'q2', kind: 'number', text: 'y' }])
  assert.equal(model[0].indicator, 'satisfaction')
  const sent = toQuestions(model)
  assert.equal(sent[0].indicator, 'satisfaction')
  assert.equal(sent[1].indicator, null)
  assert.equal(toQuestions([newQuestion('choice', 'q3')])[0].indicator, null)
})
