// Browser end-to-end test of the project library (项目库): the county official's list and board
// by lifecycle status; a project with a change awaiting approval, its versions and their
// differences, its milestone Gantt chart and approval history; the township official reviewing
// a village's proposal from the project page, and the refusal of a return without a reason.
//
//   FUPIN_BINARY=build/src/app/fupin node --test tests/e2e/projects.test.mjs
//
// Screenshots go to $FUPIN_E2E_OUT (default build/e2e).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { state, withDemoServer, settled, newPage, signIn } from './harness.mjs'

withDemoServer('projects')

const tableRows = (page, name) =>
  page.locator(`[data-test="${name}"] .el-table__body-wrapper .el-table__row`)

// The demo's projects as the signed-in page sees them through the API.
async function projects(page, query = '') {
  return page.evaluate(async (q) => (await (await fetch(`/api/v1/projects?page_size=500${q}`)).json()).items, query)
}

test('the county sees its projects as a list and as a board by status', async () => {
  const page = await newPage()
  await signIn(page, 'official')
  await page.locator('[data-test="nav-projects"]').click()
  await page.locator('[data-test="projects-page"]').waitFor()
  await tableRows(page, 'projects-table').first().waitFor()
  await settled(page)
  assert.equal(await tableRows(page, 'projects-table').count(), 12)
  assert.match(await page.locator('[data-test="project-total"]').innerText(), /共 12 个项目/)
  await page.screenshot({ path: join(state.outDir, 'projects-zh.png'), fullPage: true })
  // The board: a column per status, the four running projects under 实施中.
  await page.locator('[data-test="projects-view"] label', { hasText: '看板' }).click()
  await page.locator('[data-test="board-in_progress"] [data-test^="board-card-"]').first().waitFor()
  assert.equal(await page.locator('[data-test="board-in_progress"] [data-test^="board-card-"]').count(), 4)
  assert.equal(await page.locator('[data-test="board-rejected"] [data-test^="board-card-"]').count(), 1)
  await page.screenshot({ path: join(state.outDir, 'projects-board-zh.png'), fullPage: true })

  // A project with a change awaiting approval: version 1 in force, the differences of version 2.
  const pending = (await projects(page)).find((p) => p.pending_change)
  assert.ok(pending, 'the demo has a pending change')
  await page.locator(`[data-test="board-card-${pending.id}"]`).click()
  await page.locator('[data-test="project-page"]').waitFor()
  await page.locator('[data-test="project-pending"]').waitFor()
  await tableRows(page, 'targets-table').first().waitFor()
  assert.equal(await tableRows(page, 'targets-table').count(), 6)
  await page.locator('.el-tabs__item', { hasText: '里程碑' }).click()
  await page.locator('[data-test="milestone-gantt"] canvas').first().waitFor()
  await page.locator('.el-tabs__item', { hasText: '版本（2）' }).click()
  await tableRows(page, 'diff-table').first().waitFor()
  const diff = await tableRows(page, 'diff-table').allInnerTexts()
  assert.ok(diff.some((r) => /budget_fen/.test(r)), diff.join('\n'))
  assert.ok(diff.some((r) => /end_on/.test(r)), diff.join('\n'))
  await page.screenshot({ path: join(state.outDir, 'project-versions-zh.png'), fullPage: true })
  await page.locator('.el-tabs__item', { hasText: '审批记录' }).click()
  const history = await page.locator('[data-test="history"]').innerText()
  assert.match(history, /申请变更/)
  assert.match(history, /县级审批通过/)
  // The county does not review: the change waits for the township.
  assert.equal(await page.locator('[data-test="action-review"]').count(), 0)
})

test('the township reviews a proposal from the project page', async () => {
  const page = await newPage()
  await signIn(page, 'township')
  const proposed = (await projects(page, '&status=proposed'))[0]
  assert.ok(proposed, 'the demo has a proposal in the first township')
  await page.goto(`${state.baseUrl}/projects/${proposed.id}`)
  await page.locator('[data-test="project-status"]').waitFor()
  assert.match(await page.locator('[data-test="project-status"]').innerText(), /已申报/)
  // A return needs its reason: refused, in Chinese.
  await page.locator('[data-test="action-review_return"]').click()
  await page.locator('[data-test="step-confirm"]').click()
  await page.locator('[data-test="step-error"]').waitFor()
  assert.match(await page.locator('[data-test="step-error"]').innerText(), /须说明理由|必填/)
  await page.keyboard.press('Escape')
  await page.locator('[data-test="action-review"]').click()
  await page.locator('[data-test="step-reason"] textarea, textarea[data-test="step-reason"]').first().fill('材料齐全，同意上报县级审批')
  await page.locator('[data-test="step-confirm"]').click()
  await page.waitForFunction(() =>
    document.querySelector('[data-test="project-status"]')?.innerText.includes('乡镇已审核'),
  )
  await page.locator('.el-tabs__item', { hasText: '审批记录' }).click()
  assert.match(await page.locator('[data-test="history"]').innerText(), /材料齐全，同意上报县级审批/)
  assert.equal(await page.locator('[data-test="action-review"]').count(), 0)
  await page.screenshot({ path: join(state.outDir, 'project-reviewed-zh.png'), fullPage: true })
  assert.deepEqual(state.consoleErrors.filter((e) => !/status of 4\d\d/.test(e)), [])
})
