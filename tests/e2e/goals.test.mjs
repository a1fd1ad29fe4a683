// Browser end-to-end test of the goal board (目标管理): the county official sees the demo's
// goals with their progress and statuses, opens one for its history, is told why a goal
// without a deadline cannot be set, sets a measurable one, edits and deletes it. A village
// worker reads the goals of the village without any button to change them.
//
//   FUPIN_BINARY=build/src/app/fupin node --test tests/e2e/goals.test.mjs
//
// Screenshots go to $FUPIN_E2E_OUT (default build/e2e).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { state, withDemoServer, settled, newPage, signIn } from './harness.mjs'

withDemoServer('goals')

function field(scope, name, tag = 'input') {
  return scope.locator(`[data-test="${name}"] ${tag}, ${tag}[data-test="${name}"]`).first()
}
const rows = (page) => page.locator('[data-test="goals-table"] .el-table__body-wrapper .el-table__row')

async function openBoard(page) {
  await page.locator('[data-test="nav-goals"]').click()
  await page.locator('[data-test="goals-page"]').waitFor()
  await settled(page)
  await rows(page).first().waitFor()
}

test('the county official tracks the goals and sets, edits and deletes one', async () => {
  const page = await newPage()
  await signIn(page, 'official')
  await openBoard(page)
  const before = await rows(page).count()
  assert.ok(before >= 4, `demo goals: ${before}`)
  // The counts per status add up to the goals, and the demo has goals achieved and behind.
  let total = 0
  for (const s of ['off_track', 'at_risk', 'on_track', 'achieved', 'no_data']) {
    total += Number(await page.locator(`[data-test="count-${s}"] .stat-value`).innerText())
  }
  assert.equal(total, before)
  assert.ok(Number(await page.locator('[data-test="count-achieved"] .stat-value').innerText()) >= 1)
  await page.screenshot({ path: join(state.outDir, 'goals-zh.png'), fullPage: true })

  // Filtering by a status card; then a goal's history in the drawer.
  await page.locator('[data-test="count-achieved"]').click()
  const achieved = await rows(page).count()
  assert.ok(achieved >= 1 && achieved < before)
  await page.locator('[data-test="count-achieved"]').click()
  await rows(page).first().click()
  await page.locator('[data-test="goal-chart"] canvas').first().waitFor()
  assert.match(await page.locator('[data-test="goal-explanation"]').innerText(), /of the way from/)
  assert.ok((await page.locator('[data-test="goal-history"] .el-table__row').count()) >= 2)
  await page.keyboard.press('Escape')

  // A goal without a deadline is refused, naming the reason at the field.
  await page.locator('[data-test="new-goal"]').click()
  const dialog = page.locator('[data-test="goal-dialog"]')
  await dialog.waitFor()
  await page.locator('[data-test="goal-indicator"]').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '(poor_people)' }).first().click()
  await field(dialog, 'goal-title').fill('e2e 贫困人口清零')
  await field(dialog, 'goal-baseline').fill('5000')
  await field(dialog, 'goal-baseline-date').fill('2016-01-01')
  await field(dialog, 'goal-baseline-date').press('Enter')
  await field(dialog, 'goal-target').fill('0')
  await field(dialog, 'goal-unit').fill('县扶贫办')
  await page.locator('[data-test="goal-save"]').click()
  await dialog.locator('.el-form-item__error', { hasText: 'deadline' }).waitFor()
  // With a deadline it is measurable.
  await field(dialog, 'goal-deadline').fill('2030-12-31')
  await field(dialog, 'goal-deadline').press('Enter')
  await page.locator('[data-test="goal-save"]').click()
  await dialog.waitFor({ state: 'hidden' })
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-test="goals-table"] .el-table__body-wrapper .el-table__row').length === n,
    before + 1,
  )
  const mine = rows(page).filter({ hasText: 'e2e 贫困人口清零' })
  assert.match(await mine.innerText(), /5,000 → 0|5000 → 0/)

  // Edited (a later deadline), then deleted.
  await mine.locator('[data-test="edit-goal"]').click()
  await dialog.waitFor()
  await field(dialog, 'goal-title').fill('e2e 贫困人口清零（调整）')
  await page.locator('[data-test="goal-save"]').click()
  await dialog.waitFor({ state: 'hidden' })
  const edited = rows(page).filter({ hasText: '（调整）' })
  await edited.waitFor()
  await edited.locator('[data-test="delete-goal"]').click()
  await page.locator('.el-message-box__btns .el-button--primary').click()
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-test="goals-table"] .el-table__body-wrapper .el-table__row').length === n,
    before,
  )
  await page.context().close()
})

test('a village worker reads the village goals without changing them', async () => {
  const page = await newPage()
  await signIn(page, 'village')
  await openBoard(page)
  assert.ok((await rows(page).count()) >= 1)
  assert.equal(await page.locator('[data-test="new-goal"]').count(), 0)
  assert.equal(await page.locator('[data-test="edit-goal"]').count(), 0)
  await page.context().close()
})
