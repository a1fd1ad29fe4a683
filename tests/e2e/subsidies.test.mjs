// Browser end-to-end test of the workshop subsidies page (扶贫车间补贴): the county official sees
// the province's 2020 labour rule from the demo, writes a new rule in the editor (conditions as
// rows), runs it for the county over 2020, approves a line, is refused a payment one fen over
// the approved amount and records the exact one, which the ledger then lists. An auditor reads
// the page without any button to change it; a village worker has no such page.
//
//   FUPIN_BINARY=build/src/app/fupin node --test tests/e2e/subsidies.test.mjs
//
// Screenshots go to $FUPIN_E2E_OUT (default build/e2e).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { state, withDemoServer, settled, newPage, signIn } from './harness.mjs'

withDemoServer('subsidies')

// The input of a form field, whether Element Plus put `data-test` on it or on its wrapper.
function field(scope, name, tag = 'input') {
  return scope.locator(`[data-test="${name}"] ${tag}, ${tag}[data-test="${name}"]`).first()
}

async function choose(page, select, text) {
  await page.locator(`[data-test="${select}"]`).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
}

async function openPage(page) {
  await page.locator('[data-test="nav-subsidies"]').click()
  await page.locator('[data-test="subsidy-page"]').waitFor()
  await settled(page)
}

test('the county official writes a rule, runs it, approves a line and pays it', async () => {
  const page = await newPage()
  await signIn(page, 'official')
  await openPage(page)
  // The demo's provincial rule applies to the county.
  await page.locator('[data-test="rules-table"] [data-rule="labour-2020"]').waitFor()

  // A new rule: more than half a year, registered-poor workers only, 3,000 yuan each.
  await page.locator('[data-test="new-rule"]').click()
  const dialog = page.locator('[data-test="rule-dialog"]')
  await dialog.waitFor()
  await field(dialog, 'rule-code').fill('e2e-poor-2020')
  await field(dialog, 'rule-name').fill('端到端测试：2020 年吸纳脱贫劳动力补贴')
  assert.equal(await field(dialog, 'rule-region').inputValue(), '990121000000')
  await field(dialog, 'rule-valid-from').fill('2020-01-01')
  await field(dialog, 'rule-valid-from').press('Enter')
  await field(dialog, 'rule-valid-to').fill('2020-12-31')
  await field(dialog, 'rule-valid-to').press('Enter')
  assert.equal(await field(dialog, 'condition-value-1').inputValue(), '182')
  await page.locator('[data-test="add-condition"]').click()
  await choose(page, 'condition-fact-2', '(category)')
  await field(dialog, 'condition-value-2').fill('registered_poor')
  await field(dialog, 'rule-amount').fill('3000')
  await page.locator('[data-test="rule-save"]').click()
  await dialog.waitFor({ state: 'hidden' })
  await page.locator('[data-test="rules-table"] [data-rule="e2e-poor-2020"]').waitFor()
  await page.screenshot({ path: join(state.outDir, 'subsidy-rules-zh.png'), fullPage: true })

  // Run it for the county over the rule's year.
  await page.locator('[data-test="run-rule-e2e-poor-2020"]').click()
  await page.locator('[data-test="run-dialog"]').waitFor()
  assert.equal(await field(page, 'run-from').inputValue(), '2020-01-01')
  await page.locator('[data-test="run-submit"]').click()
  const detail = page.locator('[data-test="run-detail"]')
  await detail.waitFor()
  await settled(page)
  const title = await detail.locator('[data-test="run-title"]').innerText()
  assert.match(title, /端到端测试/)
  assert.match(title, /第 1 版/)
  const explanation = await detail.locator('[data-test="line-explanation"]').first().innerText()
  assert.match(explanation, /days_employed > 182: \d+ ✓; category = registered_poor: registered_poor ✓ → 3000\.00/)

  // Approve the first line.
  const first = detail.locator('[data-line]').first()
  const lineId = await first.getAttribute('data-line')
  const row = detail.locator('.el-table__body tr', { has: page.locator(`[data-line="${lineId}"]`) })
  await row.locator('[data-test="line-approve"]').click()
  await detail.locator(`[data-line="${lineId}"][data-decision="approved"]`).waitFor()

  // Pay it: one fen over the approved amount is refused with the figures, the exact amount is
  // recorded.
  await row.locator('[data-test="line-pay"]').click()
  const pay = page.locator('[data-test="pay-dialog"]')
  await pay.waitFor()
  assert.match(await pay.locator('[data-test="pay-left"]').innerText(), /尚余 3,000\.00 元/)
  await field(pay, 'pay-amount').fill('3000.01')
  await field(pay, 'pay-voucher').fill('E2E-2021-0001')
  await page.locator('[data-test="pay-submit"]').click()
  await pay.locator('.el-form-item__error', { hasText: '超出尚可发放金额' }).waitFor()
  await field(pay, 'pay-amount').fill('3000')
  await page.locator('[data-test="pay-submit"]').click()
  await pay.waitFor({ state: 'hidden' })
  await row.locator('[data-test="line-paid"]', { hasText: '3,000.00' }).waitFor()
  assert.equal(await row.locator('[data-test="line-pay"]').count(), 0)
  await page.screenshot({ path: join(state.outDir, 'subsidy-run-zh.png'), fullPage: true })

  // The ledger lists the payment with its rule and version.
  await page.locator('#tab-ledger').click()
  const ledger = page.locator('[data-test="ledger-table"]')
  await ledger.getByText('E2E-2021-0001').waitFor()
  await ledger.getByText('e2e-poor-2020 v1').waitFor()
  await page.locator('[data-test="ledger-by_rule"]').getByText('端到端测试').waitFor()
  const href = await page.locator('[data-test="ledger-xlsx"]').getAttribute('href')
  assert.match(href, /format=xlsx/)
  await page.screenshot({ path: join(state.outDir, 'subsidy-ledger-zh.png'), fullPage: true })
  await page.context().close()
})

test('an auditor reads the subsidies without changing them; a village worker has no such page', async () => {
  const page = await newPage()
  await signIn(page, 'auditor')
  await openPage(page)
  await page.locator('[data-test="rules-table"] [data-rule="labour-2020"]').waitFor()
  assert.equal(await page.locator('[data-test="new-rule"]').count(), 0)
  assert.equal(await page.locator('[data-test="edit-rule-labour-2020"]').count(), 0)
  await page.locator('#tab-runs').click()
  await page.locator('[data-test="runs-table"] [data-run]').first().click()
  const detail = page.locator('[data-test="run-detail"]')
  await detail.waitFor()
  await settled(page)
  assert.equal(await detail.locator('[data-test="line-approve"]').count(), 0)
  assert.equal(await detail.locator('[data-test="line-pay"]').count(), 0)
  assert.equal(await page.locator('[data-test="approve-selected"]').count(), 0)
  await page.context().close()

  const village = await newPage()
  await signIn(village, 'village')
  await village.locator('[data-test="nav-dashboard"]').waitFor()
  assert.equal(await village.locator('[data-test="nav-subsidies"]').count(), 0)
  await village.context().close()
})

test('no unexpected errors in the browser console', () => {
  // The refused payment answers 400 and the sign-in page asks for a session (401); nothing else may fail, and nothing the roles lack (403).
  const unexpected = state.consoleErrors.filter((e) => !/status of 40[01] /.test(e))
  assert.deepEqual(unexpected, [])
})
