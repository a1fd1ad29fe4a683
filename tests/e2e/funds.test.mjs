// Browser end-to-end test of funds supervision (资金监管): the county official's fund batches with
// their totals, the flow of funds as a Sankey diagram and the monitoring dashboard; an
// allocation whose purposes must add up to its amount; a payment recorded, one above what is
// left of its allocation refused with the figures on the amount field, and a payment voided;
// the project page's earned value, payments and alerts; a project's public notice with its
// supervision phone, printed without the application around it, and a posting recorded.
//
//   FUPIN_BINARY=build/src/app/fupin node --test tests/e2e/funds.test.mjs
//
// Screenshots go to $FUPIN_E2E_OUT (default build/e2e). The demo's funds are used when the
// demo has them; otherwise the test records a few through the API first.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { state, withDemoServer, settled, newPage, signIn } from './harness.mjs'

withDemoServer('funds')

const tableRows = (page, name) =>
  page.locator(`[data-test="${name}"] .el-table__body-wrapper .el-table__row`)

function field(scope, name, tag = 'input') {
  return scope.locator(`[data-test="${name}"] ${tag}, ${tag}[data-test="${name}"]`).first()
}

// The API as the signed-in page sees it.
async function get(page, path) {
  return page.evaluate(async (p) => {
    const res = await fetch(`/api/v1${p}`)
    return res.json()
  }, path)
}
async function post(page, path, body) {
  return page.evaluate(
    async ([p, b]) => {
      const session = await (await fetch('/api/v1/session')).json()
      const res = await fetch(`/api/v1${p}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf_token },
        body: JSON.stringify(b),
      })
      const data = await res.json()
      if (!res.ok) throw new Error(`${p}: ${JSON.stringify(data)}`)
      return data
    },
    [path, body],
  )
}

function chinaToday(offsetDays = 0) {
  return new Date(Date.now() + 8 * 3600 * 1000 + offsetDays * 86400 * 1000).toISOString().slice(0, 10)
}

// The county of the signed-in official: the region of their role.
async function county(page) {
  return (await get(page, '/session')).user.roles[0].region
}

// Makes sure the county has funds: the demo's if it has them, else a batch allocated to the
// running projects with a few payments (one for a purpose not allocated), and a batch left whole.
async function ensureFunds(page) {
  const code = await county(page)
  const listed = await get(page, `/fund-batches?region=${code}`)
  if (listed.total > 0) return
  const projects = (await get(page, `/projects?region=${code}&page_size=500`)).items
  const running = projects.filter((p) => p.status === 'in_progress')
  assert.ok(running.length >= 1, 'the demo has running projects')
  const total = running.reduce((s, p) => s + p.budget_fen, 0)
  const year = Number(chinaToday().slice(0, 4))
  const batch = await post(page, '/fund-batches', {
    source: 'central_special',
    document_number: `陇财农〔${year}〕15号`,
    title: `${year}年中央财政衔接推进乡村振兴补助资金`,
    year,
    level: 'central',
    region: code,
    issued_on: chinaToday(-230),
    amount_fen: total + 100_000_000,
    note: '',
  })
  await post(page, '/fund-batches', {
    source: 'donation',
    document_number: `捐〔${year}〕2号`,
    title: '企业定向捐赠助学助困资金',
    year,
    level: 'county',
    region: code,
    issued_on: chinaToday(-100),
    amount_fen: 30_000_000,
    note: '',
  })
  for (const p of running) {
    const infrastructure = Math.round((p.budget_fen * 0.8) / 100) * 100
    const allocation = await post(page, '/fund-allocations', {
      batch_id: batch.id,
      project_id: p.id,
      allocated_on: chinaToday(-200),
      amount_fen: p.budget_fen,
      purposes: [
        { purpose: 'infrastructure', amount_fen: infrastructure },
        { purpose: 'equipment', amount_fen: p.budget_fen - infrastructure },
      ],
      note: '',
    })
    await post(page, '/fund-payments', {
      allocation_id: allocation.id,
      paid_on: chinaToday(-150),
      payee: '第一建筑工程有限公司',
      amount_fen: Math.round(p.budget_fen / 500) * 100,
      purpose: 'infrastructure',
      voucher_number: `记-${allocation.id}-1`,
      note: '预付款',
    })
  }
  await post(page, '/fund-payments', {
    allocation_id: (await get(page, `/fund-allocations?region=${code}`)).items[0].id,
    paid_on: chinaToday(-15),
    payee: '电商服务中心',
    amount_fen: 3_000_000,
    purpose: 'marketing',
    voucher_number: '记-营销-1',
    note: '产品推介会',
  })
}

async function openFunds(page, tab) {
  await page.locator('[data-test="nav-funds"]').click()
  await page.locator('[data-test="funds-page"]').waitFor()
  if (tab) await page.locator('[data-test="funds-tabs"] .el-tabs__item', { hasText: tab }).click()
}

test('the county official sees the batches, the flow of funds and the monitoring dashboard', async () => {
  const page = await newPage()
  await signIn(page, 'official')
  await ensureFunds(page)
  const code = await county(page)
  const listed = await get(page, `/fund-batches?region=${code}`)

  await openFunds(page)
  await tableRows(page, 'batches-table').first().waitFor()
  await settled(page)
  assert.equal(await tableRows(page, 'batches-table').count(), listed.total)
  // The totals in 万元 (10,000 yuan) of everything listed.
  const wan = (listed.amount_fen / 1e6).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
  assert.equal(await page.locator('[data-test="batch-total-amount"]').innerText(), wan)
  assert.equal(await page.locator('[data-test="new-batch"]').count(), 1)
  assert.match(await page.locator('[data-test="batches-export"]').getAttribute('href'), /format=xlsx/)
  await page.screenshot({ path: join(state.outDir, 'funds-batches-zh.png'), fullPage: true })

  // A search narrows the list.
  const first = listed.items[0]
  await field(page, 'batch-search').fill(first.document_number)
  await field(page, 'batch-search').press('Enter')
  await page.waitForFunction(
    () => document.querySelectorAll('[data-test="batches-table"] .el-table__body-wrapper .el-table__row').length === 1,
  )
  await field(page, 'batch-search').fill('')
  await field(page, 'batch-search').press('Enter')
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-test="batches-table"] .el-table__body-wrapper .el-table__row').length === n,
    listed.total,
  )

  // A new batch, issued to the county (the header's region) by the province.
  await page.locator('[data-test="new-batch"]').click()
  const dialog = page.locator('[data-test="batch-dialog"]')
  await dialog.waitFor()
  assert.equal(await field(dialog, 'batch-region').inputValue(), code)
  await page.locator('[data-test="batch-source"]').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '东西部扶贫协作资金' }).click()
  await field(dialog, 'batch-document').fill('陇协作办〔e2e〕9号')
  await field(dialog, 'batch-title').fill('e2e 东西部协作产业帮扶资金')
  await field(dialog, 'batch-amount').fill('800000')
  await field(dialog, 'batch-amount').press('Tab')
  await page.locator('[data-test="batch-save"]').click()
  await dialog.waitFor({ state: 'hidden' })
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-test="batches-table"] .el-table__body-wrapper .el-table__row').length === n,
    listed.total + 1,
  )
  const saved = (await get(page, `/fund-batches?region=${code}&q=e2e`)).items[0]
  assert.equal(saved.amount_fen, 80_000_000)
  assert.equal(saved.source, 'east_west')

  // The Sankey diagram: sources → batches → projects → purposes, drawn on a canvas.
  await page.locator('[data-test="funds-tabs"] .el-tabs__item', { hasText: '资金流向' }).click()
  await page.locator('[data-test="flow-chart"] canvas').first().waitFor()
  await settled(page)
  const flow = await get(page, `/funds/flow?region=${code}`)
  assert.ok(flow.nodes.some((n) => n.kind === 'purpose'), JSON.stringify(flow.nodes))
  const box = await page.locator('[data-test="flow-chart"] canvas').first().boundingBox()
  assert.ok(box.width > 600 && box.height > 400, JSON.stringify(box))
  await page.screenshot({ path: join(state.outDir, 'funds-flow-zh.png'), fullPage: true })

  // The monitoring dashboard: usage rates, the roll-up, each project's SPI and CPI, the alerts.
  await page.locator('[data-test="funds-tabs"] .el-tabs__item', { hasText: '监测' }).click()
  await page.locator('[data-test="usage-cards"]').waitFor()
  await settled(page)
  const monitoring = await get(page, `/funds/monitoring?region=${code}`)
  assert.ok(monitoring.usage.batches >= listed.total + 1)
  assert.match(await page.locator('[data-test="usage-allocation-rate"]').innerText(), /分配率\s+\d+\.\d%/)
  assert.match(await page.locator('[data-test="usage-compliance-rate"]').innerText(), /合规率/)
  assert.equal(await tableRows(page, 'monitoring-projects').count(), monitoring.projects.length)
  assert.ok(monitoring.alerts.length >= 1)
  assert.equal(await tableRows(page, 'monitoring-alerts').count(), monitoring.alerts.length)
  const behind = monitoring.projects.find((p) => p.earned_value.spi !== null && p.earned_value.spi < 0.9)
  if (behind) {
    // Behind schedule: the SPI in red.
    assert.match(await page.locator(`[data-test="spi-${behind.id}"]`).getAttribute('class'), /danger/)
  }
  const alertsText = await page.locator('[data-test="monitoring-alerts"]').innerText()
  assert.match(alertsText, /进度滞后|支付用途不符|资金闲置/)
  await page.screenshot({ path: join(state.outDir, 'funds-monitoring-zh.png'), fullPage: true })

  // In English, the Sankey's sources and purposes come from the vocabularies.
  await page.locator('[data-test="language-button"]').click()
  await page.locator('[data-test="language-en"]').click()
  await page.locator('[data-test="funds-tabs"] .el-tabs__item', { hasText: 'Flow of funds' }).click()
  await page.locator('[data-test="flow-chart"] canvas').first().waitFor()
  await page.locator('[data-test="funds-tabs"] .el-tabs__item', { hasText: 'Monitoring' }).click()
  await page.locator('[data-test="usage-cards"]').waitFor()
  assert.match(await page.locator('[data-test="usage-payment-rate"]').innerText(), /Payment rate/)
  await page.screenshot({ path: join(state.outDir, 'funds-monitoring-en.png'), fullPage: true })
  await page.locator('[data-test="language-button"]').click()
  await page.locator('[data-test="language-zh-CN"]').click()
})

test('an allocation is split by purpose, the shares checked against the amount', async () => {
  const page = await newPage()
  await signIn(page, 'official')
  await ensureFunds(page)
  const code = await county(page)
  const batches = (await get(page, `/fund-batches?region=${code}`)).items
  const batch = batches.reduce((a, b) => (b.left_fen > a.left_fen ? b : a))
  assert.ok(batch.left_fen >= 100_000, 'a batch has money left')
  const projects = (await get(page, `/projects?region=${code}&page_size=500`)).items
  const target = projects.find((p) => p.status === 'approved') || projects.find((p) => p.status === 'in_progress')

  await page.goto(`${state.baseUrl}/funds/batches/${batch.id}`)
  await page.locator('[data-test="batch-profile"]').waitFor()
  const before = await tableRows(page, 'allocations-table').count()
  await page.locator('[data-test="allocate"]').click()
  const dialog = page.locator('[data-test="allocation-dialog"]')
  await dialog.waitFor()
  await page.locator('[data-test="allocation-project"]').click()
  await page.locator(`[data-test="allocation-project-${target.id}"]`).click()
  await field(dialog, 'allocation-amount').fill('1000')
  await field(dialog, 'allocation-amount').press('Tab')
  await field(dialog, 'purpose-amount-0').fill('600')
  await field(dialog, 'purpose-amount-0').press('Tab')
  // 600 of 1,000 yuan: told at once, and the dialog does not save.
  await page.waitForFunction(() =>
    document.querySelector('[data-test="purpose-check"]')?.innerText.includes('相差 400.00'),
  )
  assert.equal(await page.locator('[data-test="allocation-save"]').isDisabled(), true)
  await page.locator('[data-test="purpose-add"]').click()
  await page.waitForFunction(() => document.querySelector('[data-test="purpose-check"]')?.innerText.includes('一致'))
  assert.match(await field(dialog, 'purpose-amount-1').inputValue(), /^400(\.00)?$/)
  await page.screenshot({ path: join(state.outDir, 'funds-allocation-dialog-zh.png') })
  await page.locator('[data-test="allocation-save"]').click()
  await dialog.waitFor({ state: 'hidden' })
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-test="allocations-table"] .el-table__body-wrapper .el-table__row').length === n,
    before + 1,
  )
  const row = tableRows(page, 'allocations-table').filter({ hasText: target.name }).last()
  assert.match(await row.innerText(), /1,000\.00/)
  await page.screenshot({ path: join(state.outDir, 'funds-batch-zh.png'), fullPage: true })

  // Revised to 1,200 yuan: the second purpose takes the difference.
  const mine = (await get(page, `/fund-allocations?batch=${batch.id}&project=${target.id}`)).items.find(
    (a) => a.amount_fen === 100_000,
  )
  await page.locator(`[data-test="revise-${mine.id}"]`).click()
  await dialog.waitFor()
  await field(dialog, 'allocation-amount').fill('1200')
  await field(dialog, 'allocation-amount').press('Tab')
  assert.equal(await page.locator('[data-test="allocation-save"]').isDisabled(), true)
  await field(dialog, 'purpose-amount-1').fill('600')
  await field(dialog, 'purpose-amount-1').press('Tab')
  await page.waitForFunction(() => document.querySelector('[data-test="purpose-check"]')?.innerText.includes('一致'))
  await page.locator('[data-test="allocation-save"]').click()
  await dialog.waitFor({ state: 'hidden' })
  await page.waitForFunction(
    (id) => document.querySelector(`[data-test="revise-${id}"]`)?.closest('tr')?.innerText.includes('1,200.00'),
    mine.id,
  )
  // Withdrawn (nothing was paid from it).
  await page.locator(`[data-test="delete-allocation-${mine.id}"]`).click()
  await page.locator('.el-message-box__btns .el-button--primary').click()
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-test="allocations-table"] .el-table__body-wrapper .el-table__row').length === n,
    before,
  )
  const left = (await get(page, `/fund-batches/${batch.id}`)).left_fen
  assert.equal(left, batch.left_fen)

  // The batch's notice, and where it was posted (shown back on the batch's page).
  await page.locator('[data-test="batch-notice"]').click()
  await page.locator('[data-test="notice-fields"]').waitFor()
  assert.match(await page.locator('[data-test="notice-field-document_number"]').innerText(), new RegExp(batch.document_number.replace(/[()〔〕]/g, '.')))
  await field(page, 'posting-place').fill('马家县人民政府门户网站')
  await page.locator('[data-test="posting-save"]').click()
  await tableRows(page, 'notice-postings').filter({ hasText: '马家县人民政府门户网站' }).waitFor()
  await page.locator('.el-page-header__back').click()
  await tableRows(page, 'batch-postings').filter({ hasText: '马家县人民政府门户网站' }).waitFor()
})

test('a payment is recorded, one above what is left is refused with the figures, and one is voided', async () => {
  const page = await newPage()
  await signIn(page, 'official')
  await ensureFunds(page)
  const code = await county(page)
  const allocations = (await get(page, `/fund-allocations?region=${code}`)).items
  const allocation = allocations.reduce((a, b) => (b.left_fen > a.left_fen ? b : a))
  assert.ok(allocation.left_fen > 100_000, 'an allocation has money left')

  await openFunds(page, '资金支付')
  await tableRows(page, 'payments-table').first().waitFor()
  await settled(page)
  const before = await tableRows(page, 'payments-table').count()
  await page.locator('[data-test="new-payment"]').click()
  const dialog = page.locator('[data-test="payment-dialog"]')
  await dialog.waitFor()
  await page.locator('[data-test="payment-allocation"]').click()
  await page.locator(`[data-test="payment-allocation-${allocation.id}"]`).click()
  await dialog.locator('[data-test="payment-allocation-figures"]').waitFor()
  await field(dialog, 'payment-payee').fill('e2e 农资设备有限公司')
  await field(dialog, 'payment-voucher').fill('记-e2e-001')
  const over = allocation.left_fen / 100 + 10000
  await field(dialog, 'payment-amount').fill(String(over))
  await field(dialog, 'payment-amount').press('Tab')
  await page.locator('[data-test="payment-save"]').click()
  // Refused on the amount, with what was asked and what is left.
  const error = dialog.locator('[data-test="payment-amount-item"] .el-form-item__error')
  await error.waitFor()
  const text = await error.innerText()
  assert.ok(text.includes(over.toFixed(2)), text)
  assert.ok(text.includes((allocation.left_fen / 100).toFixed(2)), text)
  await page.screenshot({ path: join(state.outDir, 'funds-payment-refused-zh.png') })

  // Within what is left it is recorded.
  await field(dialog, 'payment-amount').fill('1200')
  await field(dialog, 'payment-amount').press('Tab')
  await page.locator('[data-test="payment-save"]').click()
  await dialog.waitFor({ state: 'hidden' })
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-test="payments-table"] .el-table__body-wrapper .el-table__row').length === n,
    before + 1,
  )
  const payment = (await get(page, `/fund-payments?region=${code}`)).items.find((p) => p.voucher_number === '记-e2e-001')
  assert.equal(payment.amount_fen, 120000)

  // Voided with its reason: kept in the list, struck through.
  await page.locator(`[data-test="void-${payment.id}"]`).click()
  const voidDialog = page.locator('[data-test="void-dialog"]')
  await voidDialog.waitFor()
  await page.locator('[data-test="void-confirm"]').click()
  await voidDialog.locator('.el-form-item__error, [data-test="void-error"]').first().waitFor()
  await field(voidDialog, 'void-reason', 'textarea').fill('收款方账号录入错误，重新支付')
  await page.locator('[data-test="void-confirm"]').click()
  await page.locator(`[data-test="payment-voided-${payment.id}"]`).waitFor()
  assert.match(
    await tableRows(page, 'payments-table').filter({ hasText: '记-e2e-001' }).innerText(),
    /收款方账号录入错误/,
  )
  const after = (await get(page, `/fund-allocations?region=${code}`)).items.find((a) => a.id === allocation.id)
  assert.equal(after.left_fen, allocation.left_fen)
  await page.screenshot({ path: join(state.outDir, 'funds-payments-zh.png'), fullPage: true })
})

test('the project page shows earned value, payments and alerts; its notice is printed and posted', async () => {
  const page = await newPage()
  await signIn(page, 'official')
  await ensureFunds(page)
  const code = await county(page)
  const monitoring = await get(page, `/funds/monitoring?region=${code}`)
  const project = monitoring.projects
    .filter((p) => p.allocated_fen > 0)
    .reduce((a, b) => (b.alerts > a.alerts ? b : a))
  assert.ok(project.alerts >= 1, 'a funded project has alerts')
  const execution = await get(page, `/projects/${project.id}/execution`)

  await page.goto(`${state.baseUrl}/projects/${project.id}`)
  await page.locator('[data-test="project-ev-line"]').waitFor()
  await page.locator('.el-tabs__item', { hasText: /^资金$/ }).click()
  await page.locator('[data-test="project-ev"]').waitFor()
  const spi = execution.earned_value.spi
  assert.equal(
    (await page.locator('[data-test="ev-spi"] .el-tag').innerText()).trim(),
    spi === null ? '—' : spi.toFixed(2),
  )
  assert.match(await page.locator('[data-test="ev-bars"]').innerText(), /计划价值 PV[\s\S]*挣值 EV[\s\S]*实际成本 AC/)
  assert.equal(await tableRows(page, 'project-allocations').count(), execution.allocations.length)
  await page.waitForTimeout(400) // the tabs' underline slides to the tab
  await page.screenshot({ path: join(state.outDir, 'project-funds-zh.png'), fullPage: true })
  await page.locator('.el-tabs__item', { hasText: `支付（${execution.payments.length}）` }).click()
  assert.equal(await tableRows(page, 'project-payments').count(), execution.payments.length)
  await page.locator('.el-tabs__item', { hasText: `预警（${execution.alerts.length}）` }).click()
  await tableRows(page, 'project-alerts').first().waitFor()
  assert.equal(await tableRows(page, 'project-alerts').count(), execution.alerts.length)
  await page.screenshot({ path: join(state.outDir, 'project-alerts-zh.png'), fullPage: true })

  // The notice: its fields, the supervision phone, printed without the header and sidebar.
  await page.locator('[data-test="project-notice"]').click()
  await page.locator('[data-test="notice-fields"]').waitFor()
  assert.match(await page.locator('[data-test="notice-title"]').innerText(), /公示/)
  assert.match(await page.locator('[data-test="notice-field-name"]').innerText(), new RegExp(project.name))
  assert.match(await page.locator('[data-test="notice-field-hotline"]').innerText(), /12317/)
  await field(page, 'notice-phone').fill('0931-1234567')
  await field(page, 'notice-phone').press('Enter')
  await page.waitForFunction(() =>
    document.querySelector('[data-test="notice-field-supervision_phone"]')?.innerText.includes('0931-1234567'),
  )
  assert.match(await page.locator('[data-test="notice-xlsx"]').getAttribute('href'), /phone=0931-1234567.*format=xlsx|format=xlsx.*phone=0931-1234567/)
  await page.evaluate(() => {
    window.printed = 0
    window.print = () => window.printed++
  })
  await page.locator('[data-test="notice-print"]').click()
  assert.equal(await page.evaluate(() => window.printed), 1)
  await page.emulateMedia({ media: 'print' })
  assert.equal(await page.locator('[data-test="sidebar"]').isVisible(), false)
  assert.equal(await page.locator('[data-test="notice-print"]').isVisible(), false)
  assert.equal(await page.locator('[data-test="notice-fields"]').isVisible(), true)
  await page.screenshot({ path: join(state.outDir, 'project-notice-print-zh.png'), fullPage: true })
  await page.emulateMedia({ media: 'screen' })

  // Where it was posted.
  await field(page, 'posting-place').fill('大滩村村务公开栏')
  await page.locator('[data-test="posting-save"]').click()
  await tableRows(page, 'notice-postings').filter({ hasText: '大滩村村务公开栏' }).waitFor()
  await page.screenshot({ path: join(state.outDir, 'project-notice-zh.png'), fullPage: true })
  assert.deepEqual(state.consoleErrors.filter((e) => !/status of 4\d\d/.test(e)), [])
})

test('a township official pays but does not record batches', async () => {
  const page = await newPage()
  await signIn(page, 'township')
  await openFunds(page)
  await page.locator('[data-test="batch-totals"]').waitFor()
  await settled(page)
  assert.equal(await page.locator('[data-test="new-batch"]').count(), 0)
  await page.locator('[data-test="funds-tabs"] .el-tabs__item', { hasText: '资金支付' }).click()
  await page.locator('[data-test="payments-panel"]').waitFor()
  await settled(page)
  const allocations = (await get(page, '/fund-allocations')).items
  if (allocations.some((a) => a.left_fen > 0)) await page.locator('[data-test="new-payment"]').waitFor()
  await page.screenshot({ path: join(state.outDir, 'funds-township-zh.png'), fullPage: true })
  assert.deepEqual(state.consoleErrors.filter((e) => !/status of 4\d\d/.test(e)), [])
})
