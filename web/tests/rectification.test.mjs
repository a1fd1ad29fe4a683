// The helpers of the rectification pages (src/rectification.js): what a caller may do with a
// task, the reports' bodies, the server's problems by field, deadlines in days, tasks matched to
// their findings, the list's summary and the follow-up's score changes.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  STATUSES,
  statusTag,
  taskActions,
  reportBody,
  fieldErrors,
  addDays,
  daysLeft,
  beforeDay,
  tasksByFinding,
  summaryCounts,
  scoreChange,
  timeline,
  systemNote,
  chinaTime,
} from '../src/rectification.js'

test('statuses in order, each with a tag', () => {
  assert.deepEqual(STATUSES, ['assigned', 'in_progress', 'submitted', 'verified'])
  assert.equal(statusTag('verified'), 'success')
  assert.equal(statusTag('submitted'), 'warning')
  assert.equal(statusTag('nonsense'), 'info')
})

test('the responsible side reports on open tasks, the office edits, verifies and returns', () => {
  const none = { progress: false, submit: false, verify: false, return: false, edit: false }
  assert.deepEqual(taskActions({ status: 'assigned', can_report: true, can_verify: false }), {
    ...none,
    progress: true,
    submit: true,
  })
  assert.deepEqual(taskActions({ status: 'in_progress', can_report: true, can_verify: true }), {
    ...none,
    progress: true,
    submit: true,
    edit: true,
  })
  // A submission waits for the office: the responsible side has nothing to do.
  assert.deepEqual(taskActions({ status: 'submitted', can_report: true, can_verify: false }), none)
  assert.deepEqual(taskActions({ status: 'submitted', can_report: false, can_verify: true }), {
    ...none,
    verify: true,
    return: true,
    edit: true,
  })
  // Verified is final.
  assert.deepEqual(taskActions({ status: 'verified', can_report: true, can_verify: true }), none)
  assert.deepEqual(taskActions(null), none)
})

test('the body of each report', () => {
  const task = { version: 3 }
  assert.deepEqual(reportBody('progress', task, { note: ' 已走访 ', evidence: 'ignored' }), {
    version: 3,
    status: 'in_progress',
    note: '已走访',
    evidence: '',
  })
  assert.deepEqual(reportBody('submit', task, { note: '', evidence: ' 会议纪要 ' }), {
    version: 3,
    status: 'submitted',
    note: '',
    evidence: '会议纪要',
  })
  assert.equal(reportBody('verify', task, {}).status, 'verified')
  assert.deepEqual(reportBody('return', task, { note: '佐证不足' }), { version: 3, status: 'in_progress', note: '佐证不足', evidence: '' })
  assert.throws(() => reportBody('close', task, {}))
})

test('the server problems at their fields, the rest apart', () => {
  const { fields, other } = fieldErrors(
    [
      { column: 'unit', reason: 'name the responsible unit' },
      { column: 'deadline', reason: 'in the past' },
      { column: 'deadline', reason: 'again' },
      { column: 'finding', reason: 'no such finding' },
      { reason: 'no column' },
    ],
    ['unit', 'person', 'deadline'],
  )
  assert.deepEqual(fields, { unit: 'name the responsible unit', deadline: 'in the past; again' })
  assert.deepEqual(
    other.map((d) => d.reason),
    ['no such finding', 'no column'],
  )
  assert.deepEqual(fieldErrors(undefined, ['x']), { fields: {}, other: [] })
})

test('deadlines: days added and left, past days greyed out', () => {
  assert.equal(addDays('2026-11-24', 30), '2026-12-24')
  assert.equal(addDays('2024-02-28', 1), '2024-02-29')
  assert.equal(addDays('2026-12-31', 1), '2027-01-01')
  assert.equal(addDays('soon', 1), '')
  assert.equal(daysLeft('2026-11-18', '2026-11-24'), -6)
  assert.equal(daysLeft('2027-01-08', '2026-11-24'), 45)
  assert.equal(daysLeft('2026-11-24', '2026-11-24'), 0)
  assert.equal(daysLeft('', '2026-11-24'), null)
  assert.equal(beforeDay(new Date(2026, 10, 23), '2026-11-24'), true)
  assert.equal(beforeDay(new Date(2026, 10, 24), '2026-11-24'), false)
  assert.equal(beforeDay(new Date(2027, 0, 1), '2026-11-24'), false)
  assert.equal(beforeDay('2026-11-23', '2026-11-24'), false)
})

test('the tasks of a run matched to the findings they copy', () => {
  const findings = [
    { kind: 'strength', object: 'a', node: 'x', text: '好' },
    { kind: 'weakness', object: 'a', node: 'y', text: '差' },
  ]
  const tasks = [
    { id: 1, finding: { kind: 'weakness', object: 'a', node: 'y', text: '差', text_en: 'bad' } },
    { id: 2, finding: { kind: 'note', object: 'a', node: 'y', text: '自拟' } },
    { id: 3, finding: { kind: 'weakness', object: 'a', node: 'y', text: '差' } },
  ]
  const m = tasksByFinding(findings, tasks)
  assert.deepEqual([...m.keys()], [1])
  assert.deepEqual(
    m.get(1).map((t) => t.id),
    [1, 3],
  )
  assert.equal(tasksByFinding(null, tasks).size, 0)
})

test('the summary in status order', () => {
  assert.deepEqual(summaryCounts({ by_status: { verified: 1, assigned: 2 }, overdue: 1, today: '2026-11-24' }), {
    counts: [
      { status: 'assigned', n: 2 },
      { status: 'in_progress', n: 0 },
      { status: 'submitted', n: 0 },
      { status: 'verified', n: 1 },
    ],
    total: 3,
    overdue: 1,
  })
  assert.equal(summaryCounts(undefined).total, 0)
})

test('the score of a node before and now', () => {
  assert.deepEqual(scoreChange({ score_before: 69, score_now: 72.5 }), { before: 69, now: 72.5, delta: 3.5, trend: 'up' })
  assert.equal(scoreChange({ score_before: 74.12, score_now: 70 }).trend, 'down')
  assert.equal(scoreChange({ score_before: 74.116, score_now: 74.117 }).trend, 'same')
  assert.deepEqual(scoreChange({ score_before: 69, score_now: null }), { before: 69, now: null, delta: null, trend: 'unknown' })
  assert.equal(scoreChange({}).trend, 'unknown')
})

test('the steps of the updates', () => {
  const steps = timeline([
    { status: 'assigned', note: '下达整改任务，责任单位：县财政局，责任人：刘伟，期限：2026-11-18' },
    { status: 'assigned', note: '期限由 2026-11-18 调整为 2026-12-31' },
    { status: 'in_progress', note: '开展中' },
    { status: 'in_progress', note: '期限由 2026-12-31 调整为 2027-01-15' },
    { status: 'in_progress', note: '进展' },
    { status: 'submitted', evidence: '纪要' },
    { status: 'in_progress', note: '佐证不足' },
    { status: 'submitted', evidence: '补充' },
    { status: 'submitted', note: '' },
    { status: 'verified', note: '同意销号' },
  ])
  assert.deepEqual(
    steps.map((s) => s.kind),
    ['assigned', 'deadline', 'progress', 'deadline', 'progress', 'submitted', 'returned', 'submitted', 'submitted', 'verified'],
  )
  assert.equal(steps[6].note, '佐证不足')
  assert.deepEqual(steps[0].system, { key: 'assigned', params: { unit: '县财政局', person: '刘伟', deadline: '2026-11-18' } })
  assert.deepEqual(steps[3].system, { key: 'deadline', params: { from: '2026-12-31', to: '2027-01-15' } })
  assert.equal(steps[4].system, null)
  assert.deepEqual(timeline(undefined), [])
})

test('the notes the server writes, recognized', () => {
  assert.equal(systemNote('已召开专题会议'), null)
  assert.equal(systemNote(''), null)
  assert.equal(systemNote('期限由 2026-11-18 调整为'), null)
  assert.deepEqual(systemNote('下达整改任务，责任单位：县人力资源和社会保障局，责任人：李秀英，期限：2027-01-08').params, {
    unit: '县人力资源和社会保障局',
    person: '李秀英',
    deadline: '2027-01-08',
  })
})

test('timestamps in China Standard Time', () => {
  assert.equal(chinaTime('2026-11-23T23:26:13.243Z'), '2026-11-24 07:26')
  assert.equal(chinaTime('2026-01-01T00:00:00Z'), '2026-01-01 08:00')
  assert.equal(chinaTime(''), '')
  assert.equal(chinaTime('yesterday'), 'yesterday')
})
