// The helpers of the survey pages (src/surveys.js, src/surveyTexts.js): the five-level preset
// mapped to a scale, the questions as sent, the server's error columns mapped to questions,
// levels, targets and answers, the import's mapping, the problems as CSV and the tally's series.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  gradeForLevel,
  fivePointLevels,
  newChoice,
  freshQuestionKey,
  newQuestion,
  fromQuestions,
  toQuestions,
  fromTargets,
  toTargets,
  move,
  designErrors,
  answerErrors,
  askedOf,
  toAnswers,
  unanswered,
  answeredCount,
  answerText,
  bytesToBase64,
  mappingRows,
  toMapping,
  problemsCsv,
  tallySeries,
  dimensionName,
  progress,
} from '../src/surveys.js'
import { presetLabels, presetQuestionText, defaultSurveyName } from '../src/surveyTexts.js'

const FIVE = ['优秀', '良好', '较好', '一般', '较差'].map((name) => ({ name }))
const THREE = ['好', '中', '差'].map((name) => ({ name }))

test('the five satisfaction levels spread over the scale in order', () => {
  const { zh, en } = presetLabels()
  assert.deepEqual(zh, ['非常满意', '满意', '一般', '不满意', '非常不满意'])
  assert.equal(en[0], 'Very satisfied')
  const levels = fivePointLevels(FIVE, zh, en)
  assert.deepEqual(
    levels.map((l) => [l.code, l.label, l.value, l.grade]),
    [
      ['5', '非常满意', 5, '优秀'],
      ['4', '满意', 4, '良好'],
      ['3', '一般', 3, '较好'],
      ['2', '不满意', 2, '一般'],
      ['1', '非常不满意', 1, '较差'],
    ],
  )
  assert.deepEqual(fivePointLevels(THREE, zh, en).map((l) => l.grade), ['好', '中', '中', '差', '差'])
  assert.equal(gradeForLevel(0, 5, THREE), '好')
  assert.equal(gradeForLevel(4, 5, THREE), '差')
  assert.equal(gradeForLevel(0, 5, []), '')
  assert.equal(presetQuestionText('zh-CN', '工资待遇'), '请评价：工资待遇')
  assert.equal(presetQuestionText('en', 'wages'), 'Please rate: wages')
  assert.equal(defaultSurveyName('zh-CN', '2020', '车间评价'), '2020 年度车间评价满意度调查')
})

test('new questions, levels and keys', () => {
  const q = newQuestion('likert', 'q1', fivePointLevels(FIVE, ...Object.values(presetLabels())))
  assert.equal(q.choices.length, 5)
  const c = newChoice(q, FIVE)
  assert.equal(c.code, '6')
  assert.equal(c.value, 0)
  assert.equal(c.grade, '较差')
  assert.equal(newChoice(newQuestion('choice', 'x'), FIVE).grade, '')
  assert.equal(freshQuestionKey([{ key: 'q1' }, { key: 'q3' }]), 'q4')
  assert.equal(freshQuestionKey([{ key: 'q2' }, { key: 'q3' }]), 'q4')
  assert.equal(freshQuestionKey([]), 'q1')
  const list = [1, 2, 3]
  assert.deepEqual(move(list, 0, -1), [1, 2, 3])
  assert.deepEqual(move(list, 0, 1), [2, 1, 3])
  assert.deepEqual(move(list, 2, -1), [2, 3, 1])
})

test('questions and targets round-trip as the API takes them', () => {
  const stored = [
    {
      key: 'q1',
      kind: 'likert',
      text: ' 工资 ',
      text_en: '',
      leaf: 'wages',
      dimension: '',
      choices: [{ code: 5, label: '满意', label_en: 'ok', value: 5, grade: '优秀' }],
      scoring: null,
      min: null,
      max: null,
      required: true,
      groups: ['farmer'],
    },
    { key: 'n', kind: 'number', text: '收入', leaf: 'income', choices: [], scoring: { rule: 'linear', floor: 0, target: '100' }, min: 0, max: 1000, required: false },
  ]
  const model = fromQuestions(stored)
  assert.ok(model[0]._uid)
  assert.equal(model[0].choices[0].code, '5')
  const sent = toQuestions(model)
  assert.equal(sent[0].text, '工资')
  assert.deepEqual(sent[0].choices, [{ code: '5', label: '满意', label_en: 'ok', value: 5, grade: '优秀' }])
  assert.equal(sent[0].scoring, null)
  assert.deepEqual(sent[0].groups, ['farmer'])
  assert.deepEqual(sent[1].choices, [])
  assert.deepEqual(sent[1].scoring, { rule: 'linear', floor: 0, target: 100 })
  assert.equal(sent[1].max, 1000)
  assert.equal(sent[1].required, false)
  assert.ok(!('_uid' in sent[0]))
  const targets = fromTargets([{ group: 'farmer', region: '990121000000', target: 30 }])
  targets[0].target = '40'
  assert.deepEqual(toTargets(targets), [{ group: 'farmer', region: '990121000000', target: 40 }])
})

test('the problems of a refused save go to their question, level and target', () => {
  const e = designErrors([
    { column: 'questions[2].choices[1].grade', reason: 'unknown grade' },
    { column: 'questions[2].text', reason: 'is required' },
    { column: 'questions[0].scoring.floor', reason: 'must be a number' },
    { column: 'questions[1]', reason: 'duplicate key' },
    { column: 'targets[0].target', reason: 'positive' },
    { column: 'groups[3]', reason: 'unknown group' },
    { column: 'period', reason: 'YYYY' },
    { column: 'whatever', reason: '?' },
  ])
  assert.equal(e.questions.get(2).text, 'is required')
  assert.equal(e.questions.get(2).choices, 'unknown grade')
  assert.equal(e.choices.get('2|1'), 'grade: unknown grade')
  assert.equal(e.questions.get(0).scoring, 'must be a number')
  assert.equal(e.questions.get(1).question, 'duplicate key')
  assert.equal(e.targets.get(0), 'target: positive')
  assert.equal(e.fields.groups, 'unknown group')
  assert.equal(e.fields.period, 'YYYY')
  assert.equal(e.other.length, 1)
})

test('answers of the phone form: asked of the group, required, errors at the question', () => {
  const questions = [
    { key: 'q1', kind: 'likert', required: true, groups: [], choices: [{ code: '5', label: '满意', label_en: 'Satisfied' }] },
    { key: 'q2', kind: 'number', required: true, groups: ['farmer'], choices: [] },
    { key: 'q3', kind: 'choice', required: false, groups: ['government'], choices: [] },
  ]
  assert.equal(askedOf(questions[1], 'farmer'), true)
  assert.equal(askedOf(questions[1], 'government'), false)
  assert.deepEqual(unanswered(questions, {}, 'farmer'), ['q1', 'q2'])
  assert.deepEqual(unanswered(questions, { q1: '5', q2: ' ' }, 'government'), [])
  assert.deepEqual(toAnswers(questions, { q1: '5', q2: ' 12.5 ', q3: 'x' }, 'farmer'), { q1: '5', q2: 12.5 })
  assert.deepEqual(toAnswers(questions, { q2: 'abc' }, 'farmer'), { q2: 'abc' })
  const e = answerErrors([
    { column: 'answers.q2', reason: 'out of range' },
    { column: 'region', reason: 'unknown' },
    { column: 'x', reason: 'y' },
  ])
  assert.deepEqual(e.answers, { q2: 'out of range' })
  assert.deepEqual(e.fields, { region: 'unknown' })
  assert.equal(e.other.length, 1)
  assert.equal(answeredCount({ answers: { a: '1', b: '', c: '3' } }), 2)
  assert.equal(answerText(questions[0], '5'), '满意')
  assert.equal(answerText(questions[0], '5', true), 'Satisfied')
  assert.equal(answerText(questions[0], '9'), '9')
  assert.equal(answerText(questions[1], '12'), '12')
})

test('files as base64, the mapping and the problems as CSV', () => {
  const bytes = new TextEncoder().encode('序号,答案\n1,满意\n')
  assert.equal(Buffer.from(bytesToBase64(bytes), 'base64').toString('utf8'), '序号,答案\n1,满意\n')
  const big = new Uint8Array(100000).map((_, i) => i % 256)
  assert.equal(Buffer.from(bytesToBase64(big), 'base64').length, 100000)
  const rows = mappingRows([{ key: 'q1' }, { key: 'q2' }], { questions: { q1: '1、工资', q2: 'gone' } }, ['1、工资'])
  assert.deepEqual(rows.map((r) => [r.key, r.column, r.missing]), [['q1', '1、工资', false], ['q2', 'gone', true]])
  assert.deepEqual(
    toMapping({ questions: { q1: 'a', q2: '' }, region_column: 'r', region: '990121000000', group: ' farmer ', date_column: '', surveyed_on: '2020-09-01' }),
    { questions: { q1: 'a' }, id_column: '', region_column: 'r', region: '', group_column: '', group: 'farmer', date_column: '', surveyed_on: '2020-09-01' },
  )
  const csv = problemsCsv([{ row: 3, column: '1、工资', value: 'x,"y"', reason: 'not a level' }], ['行', '列', '值', '原因'])
  assert.ok(csv.startsWith('\ufeff行,列,值,原因\r\n'))
  assert.ok(csv.includes('3,1、工资,"x,""y""",not a level\r\n'))
})

test('the tally as stacked series, dimension names and progress', () => {
  const leaves = [
    { key: 'b', name: 'B', parent: 'dim', parent_name: '维度', parent_name_en: 'Dimension' },
    { key: 'a', name: 'A', parent: 'dim', parent_name: '维度' },
  ]
  const { categories, series } = tallySeries({ grades: ['好', '差'], leaves: { a: [1, 2], b: [3, 4], z: [5, 6] } }, leaves)
  assert.deepEqual(categories, ['b', 'a', 'z'])
  assert.deepEqual(series, [
    { grade: '好', data: [3, 1, 5] },
    { grade: '差', data: [4, 2, 6] },
  ])
  assert.deepEqual(tallySeries(null, leaves), { categories: [], series: [] })
  assert.equal(dimensionName('dim', leaves), '维度')
  assert.equal(dimensionName('dim', leaves, true), 'Dimension')
  assert.equal(dimensionName('other', leaves), 'other')
  assert.equal(progress(15, 30), 50)
  assert.equal(progress(45, 30), 100)
  assert.equal(progress(0, 0), 100)
})

test('a refused run names a questionnaire at the surveys field', async () => {
  const { runErrors } = await import('../src/evaluationRuns.js')
  const mapped = runErrors(
    [
      { column: 'surveys[0]', value: '7', reason: 'no such questionnaire of the system' },
      { column: 'surveys', reason: 'must be a list' },
    ],
    [],
    [],
  )
  assert.equal(mapped.fields.surveys, '7: no such questionnaire of the system; must be a list')
  assert.equal(mapped.other.length, 0)
})

test('a survey leaf without responses or counts is a missing count', async () => {
  const { parseMissing } = await import('../src/evaluationRuns.js')
  const m = parseMissing('梁林镇 (990121001000) / 群众满意度: a survey leaf needs survey responses about 2020 or counts per grade in inputs')
  assert.equal(m.kind, 'counts')
  assert.equal(m.object, '990121001000')
  assert.equal(m.leafName, '群众满意度')
})
