// Shared by the rectification (整改) pages: the statuses of a task and their tags, what the caller
// may do with a task, the body of a report, the server's problems split by form field, deadlines
// counted in days, the findings of a run that already have tasks and the follow-up of earlier
// tasks. Pure functions only (no Vue, no i18n), so that web/tests can run them under node.

// A task moves assigned (已下达) → in_progress (整改中) → submitted (已提交) → verified (已验收销号);
// a returned submission goes back to in_progress.
export const STATUSES = ['assigned', 'in_progress', 'submitted', 'verified']
export const STATUS_TAGS = { assigned: 'info', in_progress: 'primary', submitted: 'warning', verified: 'success' }

export function statusTag(status) {
  return STATUS_TAGS[status] || 'info'
}

// What the caller may do with `task` (from the server's can_report and can_verify): report
// progress and submit while it is open on the responsible side; edit it while it is not
// verified, and verify or return a submission, as the assigning office.
export function taskActions(task) {
  const t = task || {}
  const open = t.status === 'assigned' || t.status === 'in_progress'
  const report = !!t.can_report && open
  const office = !!t.can_verify && t.status === 'submitted'
  return {
    progress: report,
    submit: report,
    verify: office,
    return: office,
    edit: !!t.can_verify && t.status !== 'verified',
  }
}

// The status a report of `kind` (progress, submit, verify, return) moves the task to.
const REPORT_STATUS = { progress: 'in_progress', submit: 'submitted', verify: 'verified', return: 'in_progress' }

// The body of POST /rectifications/{id}/reports for a report of `kind` on `task` (the version
// the page shows); only a submission carries evidence.
export function reportBody(kind, task, form) {
  const status = REPORT_STATUS[kind]
  if (!status) throw new Error(`unknown report kind ${kind}`)
  const body = { version: task.version, status, note: String((form && form.note) || '').trim(), evidence: '' }
  if (kind === 'submit') body.evidence = String((form && form.evidence) || '').trim()
  return body
}

// The problems of a refused request split into those shown at one of `fields` ({column:
// reasons joined}) and the others (shown apart).
export function fieldErrors(details, fields) {
  const known = new Set(fields || [])
  const out = {}
  const other = []
  for (const d of details || []) {
    const column = d.column || ''
    if (known.has(column)) out[column] = out[column] ? `${out[column]}; ${d.reason}` : d.reason
    else other.push(d)
  }
  return { fields: out, other }
}

function utcDays(date) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date || '')
  if (!m) return null
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86400000
}

// `date` (YYYY-MM-DD) moved by `days`; "" for a date that is not one.
export function addDays(date, days) {
  const d = utcDays(date)
  if (d === null) return ''
  return new Date((d + days) * 86400000).toISOString().slice(0, 10)
}

// Days from `today` to `deadline` (negative once it has passed); null when either is not a date.
export function daysLeft(deadline, today) {
  const a = utcDays(deadline)
  const b = utcDays(today)
  return a === null || b === null ? null : a - b
}

// Whether `date` (a JavaScript Date of the date picker, local midnight) lies before `today`
// (YYYY-MM-DD): the picker greys those out, as a new deadline may not be in the past.
export function beforeDay(date, today) {
  if (!(date instanceof Date) || !today) return false
  const day = `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`
  return day < today
}

// The tasks of a run grouped by the finding they rectify: Map(index in `findings` → [task]).
// A task copies its finding, so it is matched on kind, object, node and text; a task with a
// written-out finding matches none.
export function tasksByFinding(findings, tasks) {
  const out = new Map()
  const key = (f) => JSON.stringify([f.kind || '', f.object || '', f.node || '', f.text || ''])
  const index = new Map()
  ;(findings || []).forEach((f, i) => {
    if (!index.has(key(f))) index.set(key(f), i)
  })
  for (const t of tasks || []) {
    const i = index.get(key(t.finding || {}))
    if (i === undefined) continue
    if (!out.has(i)) out.set(i, [])
    out.get(i).push(t)
  }
  return out
}

// The counts of the list's summary in status order, with the overdue count.
export function summaryCounts(summary) {
  const by = (summary && summary.by_status) || {}
  const counts = STATUSES.map((s) => ({ status: s, n: by[s] || 0 }))
  return { counts, total: counts.reduce((a, c) => a + c.n, 0), overdue: (summary && summary.overdue) || 0 }
}

// One follow-up row's change: {before, now, delta} as numbers (null when unknown) and its trend:
// 'up', 'down', 'same' or 'unknown' (no score then or now).
export function scoreChange(f) {
  const num = (v) => (v === null || v === undefined || Number.isNaN(Number(v)) ? null : Number(v))
  const before = num(f && f.score_before)
  const now = num(f && f.score_now)
  if (before === null || now === null) return { before, now, delta: null, trend: 'unknown' }
  const delta = now - before
  const trend = Math.abs(delta) < 0.005 ? 'same' : delta > 0 ? 'up' : 'down'
  return { before, now, delta, trend }
}

// The notes the server writes itself (in Chinese): on assigning ("下达整改任务，责任单位：…，责任人：…，
// 期限：…") and on a new deadline ("期限由 … 调整为 …"). Returns {key: 'assigned' | 'deadline',
// params} to show them in the interface's language, or null for a note someone wrote.
const ASSIGNED_NOTE = /^下达整改任务，责任单位：(.*)，责任人：(.*)，期限：(\S+)$/s
const DEADLINE_NOTE = /^期限由 (\S+) 调整为 (\S+)$/
export function systemNote(note) {
  let m = ASSIGNED_NOTE.exec(note || '')
  if (m) return { key: 'assigned', params: { unit: m[1], person: m[2], deadline: m[3] } }
  m = DEADLINE_NOTE.exec(note || '')
  if (m) return { key: 'deadline', params: { from: m[1], to: m[2] } }
  return null
}

// The steps of a task's updates (oldest first), each with what it was: 'assigned' (the first),
// 'progress' (a progress report), 'submitted', 'returned' (a submission sent back), 'verified',
// 'deadline' (the office set a new deadline, which keeps the status) or 'note' (anything else
// that kept the status), and `system` (systemNote of its note).
export function timeline(updates) {
  let previous = ''
  return (updates || []).map((u, i) => {
    const system = systemNote(u.note)
    let kind
    if (i === 0) kind = 'assigned'
    else if (u.status === 'submitted' || u.status === 'verified') kind = u.status
    else if (system && system.key === 'deadline' && u.status === previous) kind = 'deadline'
    else if (u.status === 'in_progress') kind = previous === 'submitted' ? 'returned' : 'progress'
    else kind = 'note'
    previous = u.status
    return { ...u, kind, system }
  })
}

// A UTC timestamp ("2026-11-23T23:26:13.243Z") as China Standard Time, "YYYY-MM-DD HH:mm" — the
// clock of the tasks' dates; the text itself when it is not one.
export function chinaTime(at) {
  const ms = Date.parse(at || '')
  if (Number.isNaN(ms)) return at || ''
  return new Date(ms + 8 * 3600 * 1000).toISOString().slice(0, 16).replace('T', ' ')
}
