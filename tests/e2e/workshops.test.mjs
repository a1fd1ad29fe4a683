// Browser end-to-end test of the poverty-alleviation workshops (扶贫车间): the county official's
// page with the month's figures, the map, the resumption curve after the early-2020 shock and
// the idle list; the enterprise user's own workshops, hiring a registered member by ID number
// and a monthly report checked against the worker list, then corrected as a new revision.
//
//   FUPIN_BINARY=build/src/app/fupin node --test tests/e2e/workshops.test.mjs
//
// Screenshots go to $FUPIN_E2E_OUT (default build/e2e).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { state, withDemoServer, settled, newPage, signIn } from './harness.mjs'

withDemoServer('workshops')

function field(scope, name, tag = 'input') {
  return scope.locator(`[data-test="${name}"] ${tag}, ${tag}[data-test="${name}"]`).first()
}

const tableRows = (page, name) =>
  page.locator(`[data-test="${name}"] .el-table__body-wrapper .el-table__row`)

// The last full month in China time, YYYY-MM.
function lastMonth() {
  const now = new Date(Date.now() + 8 * 3600 * 1000)
  const y = now.getUTCFullYear()
  const m = now.getUTCMonth() + 1
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`
}

test('the county sees its workshops, the resumption after the shock and the idle ones', async () => {
  const page = await newPage()
  await signIn(page, 'official')
  await page.locator('[data-test="nav-workshops"]').click()
  await page.locator('[data-test="workshops-page"]').waitFor()
  await page.locator('[data-test="figure-recognized"]').waitFor()
  await settled(page)
  // The demo county's workshops, and a marker for each on the map.
  assert.match(await page.locator('[data-test="figure-recognized"]').innerText(), /\d+/)
  assert.equal(await tableRows(page, 'workshops-table').count(), 50) // a page of 50 of the 62
  await page.locator('[data-test="workshop-map"] canvas').first().waitFor()
  await page.screenshot({ path: join(state.outDir, 'workshops-zh.png'), fullPage: true })

  // The resumption curve of the first half of 2020: half resumed before the end of March.
  await page.locator('.el-tabs__item', { hasText: '复工复产' }).click()
  await page.locator('[data-test="resumption-chart"] canvas').first().waitFor()
  await page.locator('[data-test="resumption-milestones"]').waitFor()
  const milestones = await page.locator('[data-test="resumption-milestones"]').innerText()
  const half = milestones.match(/(2020-\d\d-\d\d) 复工率达 50%/)
  assert.ok(half, milestones)
  assert.ok(half[1] >= '2020-02-15' && half[1] <= '2020-03-31', half[1])
  await page.screenshot({ path: join(state.outDir, 'workshops-resumption-zh.png'), fullPage: true })

  // The month's alerts, each naming its rule and values; the demo has workers whom the
  // registry lists without labour capacity.
  await page.locator('.el-tabs__item', { hasText: '预警（' }).click()
  await tableRows(page, 'alerts-table').first().waitFor()
  assert.ok(
    (await tableRows(page, 'alerts-table').allInnerTexts()).some((r) => /无劳动能力人员在岗/.test(r)),
  )
  // Under the stored default standard, which the county reads but may not change.
  assert.match(await page.locator('[data-test="alert-options"]').innerText(), /适用标准：national\/2016/)
  await page.locator('[data-test="open-standards"]').click()
  await tableRows(page, 'standards-table').first().waitFor()
  assert.match(await tableRows(page, 'standards-table').first().innerText(), /默认（各省）/)
  assert.equal(await page.locator('[data-test="standard-save"]').count(), 0)
  await page.keyboard.press('Escape')

  // The idle list names the rule that fired for each workshop.
  await page.locator('.el-tabs__item', { hasText: '空壳预警' }).click()
  await tableRows(page, 'idle-table').first().waitFor()
  const idle = await tableRows(page, 'idle-table').allInnerTexts()
  assert.ok(idle.some((r) => /生产天数不足|无脱贫人口务工|连续未报月报/.test(r)), idle.join('\n'))
  // A workshop's page shows the subsidies paid for it (the demo paid the 2020 labour subsidy).
  const paid = await page.evaluate(async () => {
    const ledger = await (await fetch('/api/v1/subsidy-ledger?region=990121000000')).json()
    return ledger.items.length ? ledger.items[0].workshop_id : null
  })
  assert.ok(paid, 'the demo ledger is empty')
  await page.goto(`${state.baseUrl}/workshops/${paid}`)
  await page.locator('.el-tabs__item', { hasText: '补贴（' }).click()
  await tableRows(page, 'subsidies-table').first().waitFor()
  assert.match(await page.locator('[data-test="subsidy-total"]').innerText(), /已发放补贴合计 [\d,]+\.\d\d 元/)
  // …and its eligibility lines with their review: a paid line was approved.
  await tableRows(page, 'eligibility-table').first().waitFor()
  const decisions = await page.locator('[data-test="eligibility-decision"]').allInnerTexts()
  assert.ok(decisions.includes('已批准'), decisions.join(','))
  // Its own indicators for a month: fifteen, with its headcount from that month's report.
  await page.locator('.el-tabs__item', { hasText: '指标' }).click()
  await tableRows(page, 'indicators-table').nth(14).waitFor()
  assert.equal(await tableRows(page, 'indicators-table').count(), 15)
  assert.match(await page.locator('[data-test="indicator-conventions"]').innerText(), /月报/)
  assert.match(await page.locator('[data-test="indicator-workshops_recognized"]').innerText(), /^[01]$/)
  await page.locator('[data-test="indicator-kind"] label', { hasText: '按年' }).click()
  await page.locator('[data-test="indicator-conventions"]', { hasText: /取 \d{4}-12 月报/ }).waitFor()
  await page.goBack()
  await page.locator('[data-test="workshops-page"]').waitFor()

  // The export is an Excel file of the region's month.
  const href = await page.locator('[data-test="export-xlsx"]').getAttribute('href')
  assert.match(href, /\/api\/v1\/workshops\/export\?region=\d{12}&month=\d{4}-\d\d/)
  const res = await page.request.get(state.baseUrl + href)
  assert.equal(res.status(), 200)
  assert.match(res.headers()['content-type'], /spreadsheetml/)
  await page.context().close()
})

test('an operator hires a registered member and reports the month, then corrects it', async () => {
  // A current member of a registered household of the demo county, from the admin's view.
  const admin = await newPage()
  await signIn(admin, 'admin')
  const person = await admin.evaluate(async () => {
    const { csrf_token: csrf } = await (await fetch('/api/v1/session')).json()
    const list = await (await fetch('/api/v1/households?region=990121000000&page_size=5')).json()
    const detail = await (await fetch(`/api/v1/households/${list.items[0].id}`)).json()
    const m = detail.members.find((x) => !x.left_on)
    const revealed = await fetch(`/api/v1/members/${m.id}/reveal`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ field: 'id_number' }),
    })
    const body = await revealed.json()
    return { id: body.value, name: m.name, body }
  })
  assert.match(person.id || '', /^[0-9]{17}[0-9X]$/, JSON.stringify(person.body))
  await admin.context().close()

  const page = await newPage()
  await signIn(page, 'enterprise')
  await page.locator('[data-test="nav-workshops"]').click()
  await page.locator('[data-test="workshops-page"]').waitFor()
  await tableRows(page, 'workshops-table').first().waitFor()
  // Only the organization's own workshops, and no regional figures.
  assert.equal(await page.locator('[data-test="workshop-figures"]').count(), 0)
  const own = await page.evaluate(async () => (await (await fetch('/api/v1/workshops')).json()).items)
  assert.ok(own.length >= 1)
  assert.equal(new Set(own.map((w) => w.operator_id)).size, 1)
  await page.locator('[data-test="workshop-link"]').first().click()
  await page.locator('[data-test="workshop-page"] [data-test="workshop-profile"]').waitFor()
  await settled(page)

  // Hiring by the ID number on the card: the registry says who it is.
  await page.locator('[data-test="open-hire"]').click()
  const hire = page.locator('[data-test="hire-dialog"]')
  await hire.waitFor()
  await field(hire, 'hire-id').fill(person.id)
  await page.locator('[data-test="hire-lookup"]').click()
  await page.locator('[data-test="hire-candidate"]').waitFor()
  assert.match(await page.locator('[data-test="hire-candidate"]').innerText(), new RegExp(person.name))
  // Someone already in another job over the same days: the overlap is accepted explicitly.
  if (/至 今/.test(await page.locator('[data-test="hire-candidate"]').innerText())) {
    await page.locator('[data-test="hire-overlap"]').click()
  }
  await field(hire, 'hire-start').fill(`${lastMonth()}-01`)
  await field(hire, 'hire-start').press('Enter')
  await page.locator('[data-test="hire-submit"]').click()
  await hire.waitFor({ state: 'hidden' })
  await page.locator('.el-tabs__item', { hasText: '务工人员' }).click()
  await page.locator('[data-test="workers-table"]', { hasText: person.name }).waitFor()
  // The number itself is never shown on the page.
  assert.equal((await page.content()).includes(person.id), false)

  // The month's report: more registered-poor workers than the list has is refused in the form.
  await page.locator('[data-test="open-report"]').click()
  const dialog = page.locator('[data-test="report-dialog"]')
  await dialog.waitFor()
  const hint = await page.locator('[data-test="report-list-hint"]').innerText()
  const [, all, poor] = hint.match(/在岗 (\d+) 人，其中脱贫人口 (\d+) 人/).map(Number)
  await field(dialog, 'report-headcount').fill(String(all))
  await field(dialog, 'report-poor').fill(String(poor + 1))
  await field(dialog, 'report-days').fill('22')
  await page.locator('[data-test="report-submit"]').click()
  await dialog.locator('.el-form-item__error', { hasText: '超过务工名册' }).waitFor()
  await field(dialog, 'report-poor').fill(String(poor))
  await page.locator('[data-test="report-submit"]').click()
  await dialog.waitFor({ state: 'hidden' })
  await page.locator('.el-tabs__item', { hasText: '月报' }).click()
  const first = tableRows(page, 'reports-table').first()
  await first.waitFor()
  assert.match(await first.innerText(), new RegExp(lastMonth()))

  // A correction keeps the earlier revision.
  await first.locator('[data-test="correct-report"]').click()
  await page.locator('[data-test="report-correcting"]').waitFor()
  await field(dialog, 'report-days').fill('23')
  await page.locator('[data-test="report-submit"]').click()
  await dialog.waitFor({ state: 'hidden' })
  await tableRows(page, 'reports-table').first().locator('.el-tag', { hasText: /第\d+版/ }).waitFor()
  await page.locator('[data-test="all-revisions"]').click()
  const months = await tableRows(page, 'reports-table').evaluateAll((trs) =>
    trs.map((tr) => tr.querySelector('td').innerText.trim()),
  )
  assert.ok(months.filter((m) => m === lastMonth()).length >= 2, months.join(','))
  await settled(page)
  await page.screenshot({ path: join(state.outDir, 'workshop-zh.png'), fullPage: true })
  await page.context().close()
})

test('an administrator stores a province\'s alert standard from the workshops page', async () => {
  const page = await newPage()
  await signIn(page, 'admin')
  await page.goto(`${state.baseUrl}/workshops`)
  await page.locator('[data-test="workshops-page"]').waitFor()
  await page.locator('.el-tabs__item', { hasText: '预警（' }).click()
  await page.locator('[data-test="open-standards"]').click()
  await tableRows(page, 'standards-table').first().waitFor()
  const before = await tableRows(page, 'standards-table').count()
  // A wrong province code is refused, naming the field; a right one is stored.
  await field(page, 'standard-province').fill('990121000000')
  await field(page, 'standard-year').fill('2100')
  await page.locator('[data-test="standard-save"]').click()
  await page.locator('[data-test="standards-dialog"] .el-form-item__error').first().waitFor()
  await field(page, 'standard-province').fill('990000000000')
  await field(page, 'standard-floor').fill('1850')
  await field(page, 'standard-note').fill('e2e')
  await page.locator('[data-test="standard-save"]').click()
  await page.waitForFunction(
    ([n]) => document.querySelectorAll('[data-test="standards-table"] .el-table__body-wrapper .el-table__row').length > n,
    [before],
  )
  const rows = await tableRows(page, 'standards-table').allInnerTexts()
  assert.ok(rows.some((r) => /990000000000/.test(r) && /2100/.test(r) && /1,850\.00/.test(r)), rows.join('\n'))
  await page.context().close()
})
