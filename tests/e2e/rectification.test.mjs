// Browser end-to-end test of rectification (整改): the demo's published workshop run has four
// tasks (one verified, one submitted, one in progress, one overdue). The county official sees
// them on the evaluation page's rectification tab — the overdue one flagged in red — and on the
// run's tab, and assigns a new task from one of the run's findings (the missing unit and person
// refused at their fields). On a run of three townships (set up through the API) the official
// assigns a task from 梁林镇's weakness; the township official, the responsible side, reports
// progress and submits (without evidence refused at the evidence field, then with it); the
// official's edit on a stale version is refused as a conflict and saved after a reload; the
// official returns the submission (a reason required), the township submits again and the
// official verifies it; the timeline shows every step. A second run of the demo's system shows
// how the earlier tasks' indicators score now.
//
//   FUPIN_BINARY=build/src/app/fupin node --test tests/e2e/rectification.test.mjs
//
// Screenshots go to $FUPIN_E2E_OUT (default build/e2e).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { state, withDemoServer, settled, newPage, signIn } from './harness.mjs'

withDemoServer('rectification')

const COUNTY = '990121000000'
const TOWNSHIPS = ['990121001000', '990121002000', '990121003000'] // 梁林镇, 德寨镇, 太沟乡
const DEMO_RUN = '2020 年度扶贫车间项目绩效评价'
let demoRunId = 0
let today = ''
let townshipRunId = 0
let taskPath = ''

// A call of the JSON API in the page's session (with its CSRF token).
async function apiCall(page, method, path, body) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const { csrf_token: csrf } = await (await fetch('/api/v1/session')).json()
      const res = await fetch(`/api/v1${path}`, {
        method,
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
        body: body ? JSON.stringify(body) : undefined,
      })
      const text = await res.text()
      return { status: res.status, body: text ? JSON.parse(text) : null }
    },
    { method, path, body },
  )
}

function field(scope, name, tag = 'input') {
  return scope.locator(`[data-test="${name}"] ${tag}, ${tag}[data-test="${name}"]`).first()
}
function fieldError(scope, item) {
  return scope.locator(`[data-test="${item}"] .el-form-item__error`)
}
async function openTab(page, name) {
  await page.locator(`#tab-${name}`).click()
  await settled(page)
}
function addDays(date, days) {
  const [y, m, d] = date.split('-').map(Number)
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10)
}
function node(key, parent, name, nameEn, weight, indicator = '', scoring = null) {
  return { key, parent, name, name_en: nameEn, weight, source: 'indicator', indicator, scoring, note: '' }
}
async function taskStatus(page) {
  return page.locator('[data-test="task-status"]').getAttribute('data-status')
}
async function timelineKinds(page) {
  return page.locator('[data-test="timeline-item"]').evaluateAll((items) => items.map((i) => i.getAttribute('data-kind')))
}

test('the county official sees the tasks, the overdue one in red, and assigns one from a finding', async () => {
  const page = await newPage()
  await signIn(page, 'official')
  const listed = await apiCall(page, 'GET', '/evaluation/rectifications')
  assert.equal(listed.status, 200, JSON.stringify(listed.body))
  assert.equal(listed.body.total, 4)
  today = listed.body.summary.today
  const overdue = listed.body.items.filter((t) => t.overdue)
  assert.equal(overdue.length, 1)
  demoRunId = overdue[0].run_id

  // The evaluation page's rectification tab: the counts by status, one overdue in red.
  await page.locator('[data-test="nav-evaluation"]').click()
  await page.locator('[data-test="evaluation-page"]').waitFor()
  await openTab(page, 'rectification')
  await page.locator('[data-test="tasks-table"] .el-table__row').nth(3).waitFor()
  for (const s of ['assigned', 'in_progress', 'submitted', 'verified']) {
    assert.equal(await page.locator(`[data-test="summary-${s}"]`).getAttribute('data-n'), '1', s)
  }
  assert.equal(await page.locator('[data-test="summary-overdue"]').getAttribute('data-n'), '1')
  const flag = page.locator(`[data-test="task-overdue-${overdue[0].id}"]`)
  assert.equal((await flag.innerText()).trim(), '已逾期')
  assert.equal(await flag.evaluate((el) => el.classList.contains('el-tag--danger')), true)
  assert.equal(await page.locator('[data-test^="task-overdue-"]').count(), 1)
  assert.equal(await page.locator(`[data-test="task-status-${overdue[0].id}"]`).getAttribute('data-status'), 'assigned')
  await settled(page)
  await page.screenshot({ path: join(state.outDir, 'rectification-list-zh.png'), fullPage: true })

  // Overdue only: one row.
  await page.locator('[data-test="filter-overdue"]').click()
  await settled(page)
  await page.waitForFunction(() => document.querySelectorAll('[data-test="tasks-table"] .el-table__row').length === 1)
  assert.match(await page.locator('[data-test="tasks-table"] .el-table__row').innerText(), /已逾期/)
  await page.locator('[data-test="filter-overdue"]').click()
  await page.waitForFunction(() => document.querySelectorAll('[data-test="tasks-table"] .el-table__row').length === 4)

  // The run link leads to the run's rectification tab with its four tasks.
  await page.locator(`[data-test="task-run-${overdue[0].id}"]`).click()
  await page.locator('[data-test="run-rectification"]').waitFor()
  assert.equal(new URL(page.url()).pathname, `/evaluation/runs/${demoRunId}`)
  assert.match(await page.locator('[data-test="run-name"]').innerText(), new RegExp(DEMO_RUN))
  await page.locator('[data-test="run-tasks-table"] .el-table__row').nth(3).waitFor()
  assert.equal(await page.locator('[data-test="run-tasks-table"] .el-table__row').count(), 4)
  await page.locator(`[data-test="run-tasks-table"] [data-test="task-overdue-${overdue[0].id}"]`).waitFor()

  // From the findings tab: the weakness (finding 1) already has its verified task; assign another.
  await openTab(page, 'findings')
  const weakness = page.locator('[data-test="finding-1"]')
  await weakness.waitFor()
  assert.equal(await weakness.getAttribute('data-kind'), 'weakness')
  assert.equal(await page.locator('[data-test="finding-task-1"]').count(), 1)
  await page.locator('[data-test="finding-assign-1"]').click()
  const dialog = page.locator('[data-test="assign-dialog"]')
  await dialog.locator('[data-test="assign-finding-preview"]').waitFor()
  assert.match(await dialog.locator('[data-test="assign-finding-preview"]').innerText(), /可持续发展/)
  assert.equal(await field(dialog, 'assign-deadline').inputValue(), addDays(today, 30))
  // Without unit and person: refused at those fields.
  await dialog.locator('[data-test="assign-save"]').click()
  await fieldError(dialog, 'assign-item-unit').waitFor()
  await fieldError(dialog, 'assign-item-person').waitFor()
  assert.equal(await fieldError(dialog, 'assign-item-deadline').count(), 0)
  await field(dialog, 'assign-unit').fill('县发展和改革局')
  await field(dialog, 'assign-person').fill('赵立新')
  await page.screenshot({ path: join(state.outDir, 'rectification-assign-zh.png'), fullPage: true })
  await dialog.locator('[data-test="assign-save"]').click()
  await dialog.waitFor({ state: 'hidden' })
  await page.waitForFunction(() => document.querySelectorAll('[data-test="finding-task-1"]').length === 2)
  await openTab(page, 'rectification')
  await page.waitForFunction(() => document.querySelectorAll('[data-test="run-tasks-table"] .el-table__row').length === 5)
  const row = page.locator('[data-test="run-tasks-table"] .el-table__row', { hasText: '县发展和改革局' })
  assert.match(await row.innerText(), /赵立新/)
  assert.match(await row.innerText(), new RegExp(addDays(today, 30)))
  assert.match(await row.innerText(), /已下达/)
  await page.context().close()
})

test('the township reports and submits, the county office returns and verifies', async () => {
  // A published run of the county's first three townships, through the API.
  const evaluator = await newPage()
  await signIn(evaluator, 'evaluator')
  const created = await apiCall(evaluator, 'POST', '/evaluation/systems', { name: 'e2e 乡镇整改评价', region: COUNTY, template: 'multi_subject' })
  assert.equal(created.status, 201, JSON.stringify(created.body))
  const systemId = created.body.id
  const draft = {
    grades: created.body.draft.grades,
    nodes: [
      node('township', '', '乡镇帮扶成效', 'Township assistance', 1),
      node('reduction', 'township', '脱贫成效', 'Poverty reduction', 0.5),
      node('incidence', 'reduction', '贫困发生率', 'Poverty incidence', 1, 'poverty_incidence', { rule: 'linear', floor: 10, target: 0 }),
      node('income', 'township', '收入', 'Income', 0.5),
      node('mean_income', 'income', '人均纯收入', 'Mean net income', 1, 'mean_per_capita_net_income', { rule: 'linear', floor: 4000, target: 15000 }),
    ],
  }
  const patched = await apiCall(evaluator, 'PATCH', `/evaluation/systems/${systemId}`, { version: created.body.version, draft })
  assert.equal(patched.status, 200, JSON.stringify(patched.body))
  const published = await apiCall(evaluator, 'POST', `/evaluation/systems/${systemId}/publish`, { version: patched.body.version, note: 'e2e' })
  assert.equal(published.status, 201, JSON.stringify(published.body))
  const run = await apiCall(evaluator, 'POST', '/evaluation/runs', {
    system_id: systemId,
    name: 'e2e 2020 年度乡镇整改评价',
    region: COUNTY,
    period: '2020',
    objects: TOWNSHIPS,
  })
  assert.equal(run.status, 201, JSON.stringify(run.body))
  townshipRunId = run.body.id
  const finding = run.body.findings.findIndex((f) => f.kind === 'weakness' && f.object === TOWNSHIPS[0])
  assert.ok(finding >= 0, JSON.stringify(run.body.findings))
  await evaluator.context().close()

  const office = await newPage()
  await signIn(office, 'official')
  // A draft cannot be rectified yet: no assign action.
  await office.goto(`${state.baseUrl}/evaluation/runs/${townshipRunId}?tab=rectification`)
  await office.locator('[data-test="run-rectification"]').waitFor()
  await settled(office)
  assert.equal(await office.locator('[data-test="assign-task"]').count(), 0)
  const draftRun = await apiCall(office, 'GET', `/evaluation/runs/${townshipRunId}`)
  const publishedRun = await apiCall(office, 'POST', `/evaluation/runs/${townshipRunId}/publish`, { version: draftRun.body.version })
  assert.equal(publishedRun.status, 200, JSON.stringify(publishedRun.body))

  // The office assigns 梁林镇's weakness from the findings tab.
  await office.goto(`${state.baseUrl}/evaluation/runs/${townshipRunId}?tab=findings`)
  await office.locator(`[data-test="finding-assign-${finding}"]`).click()
  const dialog = office.locator('[data-test="assign-dialog"]')
  await dialog.locator('[data-test="assign-finding-preview"]').waitFor()
  assert.match(await dialog.locator('[data-test="assign-finding-preview"]').innerText(), /梁林镇/)
  await field(dialog, 'assign-title').fill('e2e 梁林镇农户增收整改')
  await field(dialog, 'assign-unit').fill('梁林镇人民政府')
  await field(dialog, 'assign-person').fill('陈晓明')
  await dialog.locator('[data-test="assign-save"]').click()
  await dialog.waitFor({ state: 'hidden' })
  const tag = office.locator(`[data-test="finding-task-${finding}"]`)
  await tag.waitFor()
  await tag.click()
  await office.locator('[data-test="task-page"]').waitFor()
  taskPath = new URL(office.url()).pathname
  assert.match(taskPath, /^\/evaluation\/rectifications\/\d+$/)
  // The page shows before its task has loaded: wait for the title.
  await office.locator('[data-test="task-title"]', { hasText: 'e2e 梁林镇农户增收整改' }).waitFor()
  assert.equal((await office.locator('[data-test="task-title"]').innerText()).trim(), 'e2e 梁林镇农户增收整改')
  assert.equal(await taskStatus(office), 'assigned')
  await office.locator('[data-test="task-node"]', { hasText: '收入' }).waitFor()
  assert.match(await office.locator('[data-test="task-object"]').innerText(), /梁林镇/)
  assert.match(await office.locator('[data-test="task-run-link"]').innerText(), /e2e 2020 年度乡镇整改评价/)
  // The office edits it (its regions cover the township's, so it could report too).
  await office.locator('[data-test="task-edit-form"]').waitFor()
  assert.equal(await office.locator('[data-test="verify-card"]').count(), 0)
  assert.deepEqual(await timelineKinds(office), ['assigned'])

  // The township official, the responsible side: the task is in the list; no edit, no verify.
  const township = await newPage()
  await signIn(township, 'township')
  await township.locator('[data-test="nav-evaluation"]').click()
  await township.locator('[data-test="evaluation-page"]').waitFor()
  await openTab(township, 'rectification')
  const mine = township.locator('[data-test="tasks-table"] .el-table__row', { hasText: 'e2e 梁林镇农户增收整改' })
  await mine.waitFor()
  assert.equal(await township.locator('[data-test="tasks-table"] .el-table__row').count(), 1)
  await mine.click()
  await township.locator('[data-test="report-card"]').waitFor()
  assert.equal(new URL(township.url()).pathname, taskPath)
  assert.equal(await township.locator('[data-test="task-edit-form"]').count(), 0)
  assert.equal(await township.locator('[data-test="verify-card"]').count(), 0)
  assert.equal((await township.locator('[data-test="task-unit"]').innerText()).trim(), '梁林镇人民政府')

  // Progress, then a submission without evidence: refused at the evidence field.
  await field(township, 'report-note', 'textarea').fill('已召开专题会议，落实产业帮扶项目 3 个')
  await township.locator('[data-test="report-progress"]').click()
  await township.locator('[data-test="task-status"][data-status="in_progress"]').waitFor()
  await township.locator('[data-test="timeline-item"][data-kind="progress"]').waitFor()
  assert.equal(await field(township, 'report-note', 'textarea').inputValue(), '')
  await field(township, 'report-note', 'textarea').fill('整改完成')
  await township.locator('[data-test="report-submit"]').click()
  await fieldError(township, 'report-item-evidence').waitFor()
  assert.notEqual((await fieldError(township, 'report-item-evidence').innerText()).trim(), '')
  assert.equal(await taskStatus(township), 'in_progress')
  await township.screenshot({ path: join(state.outDir, 'rectification-evidence-required-zh.png'), fullPage: true })

  // The office, still on version 1, changes the deadline: refused as a conflict, then reloaded.
  const later = addDays(today, 45)
  await field(office, 'edit-person').fill('陈晓明、李娜')
  await office.locator('[data-test="edit-save"]').click()
  await office.locator('[data-test="task-conflict"]').waitFor()
  await office.locator('[data-test="task-reload"]').click()
  await office.locator('[data-test="task-conflict"]').waitFor({ state: 'hidden' })
  await office.locator('[data-test="timeline-item"][data-kind="progress"]').waitFor()
  await field(office, 'edit-person').fill('陈晓明、李娜')
  await field(office, 'edit-deadline').fill(later)
  await field(office, 'edit-deadline').press('Enter')
  await office.locator('[data-test="task-title"]').click()
  assert.equal(await field(office, 'edit-deadline').inputValue(), later)
  await office.locator('[data-test="edit-save"]').click()
  await office.locator('[data-test="timeline-item"][data-kind="deadline"]').waitFor()
  assert.match(await office.locator('[data-test="timeline-item"][data-kind="deadline"]').innerText(), new RegExp(`调整为 ${later}`))

  // The township submits with evidence (after a reload: the office changed the task).
  await township.reload()
  await township.locator('[data-test="report-card"]').waitFor()
  assert.equal((await township.locator('[data-test="task-person"]').innerText()).trim(), '陈晓明、李娜')
  assert.equal((await township.locator('[data-test="task-deadline"]').innerText()).trim(), later)
  await field(township, 'report-note', 'textarea').fill('整改完成')
  await field(township, 'report-evidence', 'textarea').fill('镇政府专题会议纪要；3 个产业项目的实施方案')
  await township.locator('[data-test="report-submit"]').click()
  await township.locator('[data-test="task-status"][data-status="submitted"]').waitFor()
  await township.locator('[data-test="task-waiting"]').waitFor()
  assert.equal(await township.locator('[data-test="report-card"]').count(), 0)

  // The office returns it: a reason is required.
  await office.reload()
  await office.locator('[data-test="verify-card"]').waitFor()
  assert.equal(await taskStatus(office), 'submitted')
  await office.locator('[data-test="return-task"]').click()
  await fieldError(office, 'verify-item-note').waitFor()
  assert.equal(await taskStatus(office), 'submitted')
  await field(office, 'verify-note', 'textarea').fill('佐证材料不足：请补充项目带动农户增收的数据')
  await office.locator('[data-test="return-task"]').click()
  await office.locator('[data-test="task-status"][data-status="in_progress"]').waitFor()
  assert.equal(await office.locator('[data-test="verify-card"]').count(), 0)

  // The township submits again.
  await township.reload()
  await township.locator('[data-test="report-card"]').waitFor()
  assert.match(await township.locator('[data-test="timeline-item"][data-kind="returned"]').innerText(), /佐证材料不足/)
  await field(township, 'report-evidence', 'textarea').fill('补充：3 个项目带动 126 户农户，户均增收 2300 元（镇统计报表）')
  await township.locator('[data-test="report-submit"]').click()
  await township.locator('[data-test="task-status"][data-status="submitted"]').waitFor()

  // The office verifies it (confirmed): closed.
  await office.reload()
  await office.locator('[data-test="verify-card"]').waitFor()
  await field(office, 'verify-note', 'textarea').fill('经核查，整改到位，同意销号')
  await office.locator('[data-test="verify-task"]').click()
  await office.locator('.el-message-box').waitFor()
  await office.locator('.el-message-box__btns .el-button--primary').click()
  await office.locator('[data-test="task-status"][data-status="verified"]').waitFor()
  await office.locator('[data-test="task-closed"]').waitFor()
  assert.equal(await office.locator('[data-test="verify-card"]').count(), 0)
  assert.equal(await office.locator('[data-test="task-edit-form"]').count(), 0)
  assert.deepEqual(await timelineKinds(office), ['assigned', 'progress', 'deadline', 'submitted', 'returned', 'submitted', 'verified'])
  const timeline = await office.locator('[data-test="task-timeline"]').innerText()
  for (const text of ['下达整改', '已召开专题会议', '镇政府专题会议纪要', '佐证材料不足', '户均增收 2300 元', '同意销号', 'township', 'official']) {
    assert.ok(timeline.includes(text), `${text} in ${timeline}`)
  }
  await settled(office)
  await office.screenshot({ path: join(state.outDir, 'rectification-task-zh.png'), fullPage: true })

  // The township sees it closed; the server agrees.
  await township.reload()
  await township.locator('[data-test="task-closed"]').waitFor()
  assert.equal(await township.locator('[data-test="report-card"]').count(), 0)
  const id = taskPath.split('/').pop()
  const after = await apiCall(township, 'GET', `/evaluation/rectifications/${id}`)
  assert.equal(after.body.status, 'verified')
  assert.equal(after.body.can_report, false)
  assert.equal(after.body.can_verify, false)
  assert.equal(after.body.updates.length, 7)

  // In English.
  await township.evaluate(() => localStorage.setItem('fupin.locale', 'en'))
  await township.reload()
  await township.locator('[data-test="task-status"]', { hasText: 'Verified' }).waitFor()
  await township.locator('[data-test="timeline-item"][data-kind="returned"]', { hasText: 'Returned' }).waitFor()
  await settled(township)
  await township.screenshot({ path: join(state.outDir, 'rectification-task-en.png'), fullPage: true })
  await township.evaluate(() => localStorage.setItem('fupin.locale', 'zh-CN'))
  await township.context().close()
  await office.context().close()
})

test('a later run of the same system follows the earlier tasks up', async () => {
  assert.ok(demoRunId, 'the first test found the demo run')
  const page = await newPage()
  await signIn(page, 'evaluator')
  // The demo run's inputs again, the experts now rating the management rules better.
  const demo = (await apiCall(page, 'GET', `/evaluation/runs/${demoRunId}`)).body
  const nodes = demo.snapshot.nodes
  const parents = new Set(nodes.map((n) => n.parent).filter((p) => p))
  const leaves = nodes.filter((n, i) => i > 0 && !parents.has(n.key))
  const object = demo.snapshot.objects[0]
  const inputs = []
  leaves.forEach((leaf, i) => {
    const input = object.leaves[i]
    if (input.origin !== 'responses') return
    inputs.push({ object: object.code, leaf: leaf.key, responses: leaf.key === 'rules' ? [3, 2, 0, 0, 0] : input.responses })
  })
  assert.ok(inputs.some((x) => x.leaf === 'rules'), JSON.stringify(inputs))
  const run = await apiCall(page, 'POST', '/evaluation/runs', {
    system_id: demo.system_id,
    version: demo.system_version,
    name: 'e2e 2021 年度扶贫车间项目复评',
    region: demo.region_code,
    period: demo.period,
    objects: [object.code],
    surveys: demo.snapshot.surveys.map((q) => q.id),
    inputs,
    sensitivity: { draws: 100, spread: 0.1, seed: 7 },
  })
  assert.equal(run.status, 201, JSON.stringify(run.body))
  const tasks = (await apiCall(page, 'GET', '/evaluation/rectifications')).body.items
  const rules = tasks.find((t) => t.finding.node === 'rules')
  const satisfaction = tasks.find((t) => t.finding.node === 'farmer_satisfaction')
  assert.ok(rules && satisfaction, JSON.stringify(tasks.map((t) => t.finding.node)))

  await page.goto(`${state.baseUrl}/evaluation/runs/${run.body.id}?tab=rectification`)
  await page.locator('[data-test="run-rectification"]').waitFor()
  // A draft: nothing of its own, and no assign action for the evaluator anyway.
  assert.equal(await page.locator('[data-test="assign-task"]').count(), 0)
  await page.locator(`[data-test="follow-up-${rules.id}"]`).waitFor()
  // The four demo tasks and the one the official assigned.
  assert.equal(await page.locator('[data-test="follow-up-table"] .el-table__row').count(), 5)
  assert.equal(await page.locator(`[data-test="follow-up-improved-${rules.id}"]`).getAttribute('data-improved'), 'true')
  assert.equal((await page.locator(`[data-test="follow-up-improved-${rules.id}"]`).innerText()).trim(), '已改善')
  const [before, now] = (await page.locator(`[data-test="follow-up-score-${rules.id}"]`).innerText()).split('→').map((s) => Number(s.trim()))
  assert.ok(now > before, `${before} → ${now}`)
  assert.equal(await page.locator(`[data-test="follow-up-improved-${satisfaction.id}"]`).getAttribute('data-improved'), 'false')
  assert.match(await page.locator(`[data-test="follow-up-grade-${satisfaction.id}"]`).innerText(), /→/)
  assert.match(await page.locator(`[data-test="follow-up-run-${rules.id}"]`).innerText(), new RegExp(DEMO_RUN))
  await settled(page)
  await page.screenshot({ path: join(state.outDir, 'rectification-follow-up-zh.png'), fullPage: true })
  await page.context().close()
  // Expected refusals: 401 before signing in, 400 for the assignment without unit and person, the
  // submission without evidence and the return without a reason, 409 for the stale edit.
  assert.deepEqual(state.consoleErrors.filter((e) => !/status of 4(00|01|09) /.test(e)), [])
})
