// Browser end-to-end test of the fund-efficiency DEA (资金使用效率) and the printable report of
// evaluation runs: the admin opens the demo's published run of the county's fifteen townships,
// reads its fund-efficiency tab (the chart, one row per township with at least one efficient,
// the model, the targets and slacks of a township, the convention) in Chinese and in English,
// opens the printable report in a new tab and fetches the HTML reports (zh, en) and the XLSX.
// Then a system made from the county_targeted template shows its DEA in the editor (funds paid
// and staff in, the growth of people lifted out and of income out); the admin edits it (an
// empty input refused at its row, then filled in; the orientation changed), saves, turns it off
// and on again without losing it, publishes, and reads it in the published version.
//
//   FUPIN_BINARY=build/src/app/fupin node --test tests/e2e/dea-report.test.mjs
//
// Screenshots go to $FUPIN_E2E_OUT (default build/e2e).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { state, withDemoServer, settled, newPage, signIn } from './harness.mjs'

withDemoServer('dea-report')

const RUN = '2019 年度乡镇脱贫成效与资金效率评价'
const SYSTEM = 'e2e 县域精准扶贫绩效（含资金效率）'
const COUNTY = '990121000000'
const TOWNSHIPS = 15

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

async function openTab(page, name) {
  await page.locator(`#tab-${name}`).click()
  await settled(page)
}

// Chooses the option with `text` in an Element Plus select.
async function choose(page, select, text) {
  await page.locator(`[data-test="${select}"]`).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
}

async function checked(locator) {
  return locator.evaluate((el) => el.classList.contains('is-checked'))
}

let runId = 0

test('the admin reads the townships’ fund efficiency and the printable report', async () => {
  const page = await newPage()
  await signIn(page, 'admin')

  // The demo's run of the townships, with a DEA in its detail.
  const list = await apiCall(page, 'GET', '/evaluation/runs')
  assert.equal(list.status, 200, JSON.stringify(list.body))
  const listed = list.body.items.find((r) => r.name === RUN)
  assert.ok(listed, `the demo has the run ${RUN}`)
  assert.equal(listed.status, 'published')
  assert.equal(listed.objects.length, TOWNSHIPS)
  assert.ok(listed.objects.every((o) => typeof o.efficiency === 'number' && o.efficiency_class), 'the list gives each township its efficiency')
  runId = listed.id

  await page.goto(`${state.baseUrl}/evaluation/runs/${runId}`)
  await page.locator('[data-test="ranking-table"]').waitFor()
  await settled(page)
  assert.equal((await page.locator('[data-test="run-name"]').innerText()).trim(), RUN)
  // The ranking shows each township's efficiency too.
  assert.equal(await page.locator('[data-test^="efficiency-"]').count(), TOWNSHIPS)

  // The fund-efficiency tab: the model, the chart, one row per township.
  await openTab(page, 'dea')
  await page.locator('[data-test="dea-table"]').waitFor()
  await page.locator('[data-test="dea-chart"] canvas').waitFor()
  assert.equal(await page.locator('[data-test^="dea-row-"]').count(), TOWNSHIPS)
  const efficient = page.locator('[data-test^="dea-class-"][data-class="efficient"]')
  assert.ok((await efficient.count()) >= 1, 'at least one township is efficient')
  assert.equal((await efficient.first().innerText()).trim(), '有效')
  assert.equal(await page.locator('[data-test="dea-model-text"]').getAttribute('data-rts'), 'vrs')
  assert.match(await page.locator('[data-test="dea-model-text"]').innerText(), /可变规模报酬.*投入导向/)
  assert.match(await page.locator('[data-test="dea-efficient-count"]').innerText(), new RegExp(`个有效 / 共 ${TOWNSHIPS} 个`))
  assert.match(await page.locator('[data-test="dea-head-input-0"]').innerText(), /帮扶资金投入/)
  assert.match(await page.locator('[data-test="dea-head-input-1"]').innerText(), /帮扶干部人数/)
  assert.match(await page.locator('[data-test="dea-head-output-0"]').innerText(), /脱贫人口增量/)
  assert.match(await page.locator('[data-test="dea-head-output-1"]').innerText(), /人均纯收入增量/)
  // Efficiencies with four decimals, the first row the best.
  const codes = await page.locator('[data-test^="dea-row-"]').evaluateAll((els) => els.map((e) => e.dataset.test.slice('dea-row-'.length)))
  const values = []
  for (const code of codes) {
    const text = (await page.locator(`[data-test="dea-efficiency-${code}"]`).innerText()).trim()
    assert.match(text, /^[01]\.\d{4}$/)
    values.push(Number(text))
  }
  assert.deepEqual(values, [...values].sort((a, b) => b - a))
  assert.equal(values[0], 1)
  assert.equal((await page.locator(`[data-test="dea-rank-${codes[0]}"]`).innerText()).trim(), '1')
  // An inefficient township's peers and, opened, its targets and slacks.
  const last = codes[codes.length - 1]
  if (values[values.length - 1] < 1) assert.ok((await page.locator(`[data-test="dea-peer-${last}"]`).count()) >= 1)
  await page.locator('[data-test="dea-table"] .el-table__expand-icon').last().click()
  const targets = page.locator(`[data-test="dea-targets-${last}"]`)
  await targets.waitFor()
  assert.match(await targets.innerText(), /目标值/)
  assert.match(await targets.innerText(), /松弛量/)
  await page.locator(`[data-test="dea-target-${last}-input-0"]`).waitFor()
  assert.match(await page.locator('[data-test="dea-convention"]').innerText(), /fund-efficiency DEA/)
  await settled(page)
  await page.screenshot({ path: join(state.outDir, 'evaluation-run-dea-zh.png'), fullPage: true })

  // The townships not efficient are named in the findings.
  await openTab(page, 'findings')
  await page.locator('[data-test="finding-0"]').waitFor()
  const inefficient = page.locator('[data-test^="finding-"][data-kind="inefficient"]')
  if (values[values.length - 1] < 1) {
    assert.ok((await inefficient.count()) >= 1)
    assert.match(await inefficient.first().innerText(), /资金使用效率非有效/)
  }

  // The printable report opens in a new tab, in the session.
  const zhLink = page.locator('[data-test="report-zh"]')
  assert.equal(await zhLink.getAttribute('target'), '_blank')
  const zhHref = await zhLink.getAttribute('href')
  assert.equal(zhHref, `/api/v1/evaluation/runs/${runId}/report?format=html&lang=zh`)
  const [popup] = await Promise.all([page.waitForEvent('popup'), zhLink.click()])
  await popup.waitForLoadState()
  await popup.locator('h1', { hasText: RUN }).waitFor()
  await popup.screenshot({ path: join(state.outDir, 'evaluation-report-zh.png'), fullPage: true })
  await popup.close()

  const zh = await page.request.get(state.baseUrl + zhHref)
  assert.equal(zh.status(), 200)
  assert.match(zh.headers()['content-type'], /^text\/html/)
  const zhHtml = await zh.text()
  assert.match(zhHtml, /^<!DOCTYPE html>/i)
  assert.ok(zhHtml.includes(RUN), 'the report names the run')
  for (const heading of ['评价范围', '评价方法与约定', '评价结果', '资金使用效率（DEA）', '评价发现与建议']) {
    assert.ok(zhHtml.includes(heading), `the zh report has the section ${heading}`)
  }

  const enHref = await page.locator('[data-test="report-en"]').getAttribute('href')
  assert.equal(enHref, `/api/v1/evaluation/runs/${runId}/report?format=html&lang=en`)
  assert.equal(await page.locator('[data-test="report-en"]').getAttribute('target'), '_blank')
  const en = await page.request.get(state.baseUrl + enHref)
  assert.equal(en.status(), 200)
  assert.match(en.headers()['content-type'], /^text\/html/)
  const enHtml = await en.text()
  for (const heading of ['Scope', 'Results', 'Fund efficiency (DEA)', 'Findings and recommendations']) {
    assert.ok(enHtml.includes(heading), `the en report has the section ${heading}`)
  }

  // The spreadsheet with every number.
  const xlsxHref = await page.locator('[data-test="report-xlsx"]').getAttribute('href')
  assert.equal(xlsxHref, `/api/v1/evaluation/runs/${runId}/report?format=xlsx&lang=zh`)
  const xlsx = await page.request.get(state.baseUrl + xlsxHref)
  assert.equal(xlsx.status(), 200)
  assert.match(xlsx.headers()['content-type'], /spreadsheetml/)
  assert.match(xlsx.headers()['content-disposition'] || '', /attachment/)
  const bytes = await xlsx.body()
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK')

  // In English: the columns' English names, the classes and the English spreadsheet.
  await page.evaluate(() => localStorage.setItem('fupin.locale', 'en'))
  await page.goto(`${state.baseUrl}/evaluation/runs/${runId}?tab=dea`)
  await page.locator('[data-test="dea-table"]').waitFor()
  await page.locator('[data-test="dea-chart"] canvas').waitFor()
  assert.doesNotMatch(await page.locator('[data-test="dea-head-input-0"]').innerText(), /帮扶/)
  assert.match(await page.locator('[data-test="dea-model-text"]').innerText(), /Variable returns to scale.*Input-oriented/)
  assert.equal((await page.locator('[data-test^="dea-class-"][data-class="efficient"]').first().innerText()).trim(), 'efficient')
  assert.match(await page.locator('[data-test="report-xlsx"]').getAttribute('href'), /lang=en$/)
  await settled(page)
  await page.screenshot({ path: join(state.outDir, 'evaluation-run-dea-en.png'), fullPage: true })
  await page.evaluate(() => localStorage.setItem('fupin.locale', 'zh-CN'))
  await page.context().close()
})

test('the county_targeted template brings its DEA into the system editor', async () => {
  const page = await newPage()
  await signIn(page, 'admin')
  const created = await apiCall(page, 'POST', '/evaluation/systems', { name: SYSTEM, region: COUNTY, template: 'county_targeted' })
  assert.equal(created.status, 201, JSON.stringify(created.body))
  const id = created.body.id
  assert.deepEqual(created.body.draft.dea, {
    inputs: [
      { indicator: 'fund_paid', growth: false },
      { indicator: 'assistance_staff', growth: false },
    ],
    outputs: [
      { indicator: 'lifted_people', growth: true },
      { indicator: 'mean_per_capita_net_income', growth: true },
    ],
    rts: 'vrs',
    orientation: 'input',
  })

  await page.goto(`${state.baseUrl}/evaluation/systems/${id}?tab=dea`)
  const panel = page.locator('[data-test="dea-panel"]')
  await panel.waitFor()
  await settled(page)
  assert.equal(await panel.getAttribute('data-enabled'), 'true')
  assert.match(await page.locator('[data-test="dea-inputs-0-indicator"]').innerText(), /fund_paid/)
  assert.match(await page.locator('[data-test="dea-inputs-1-indicator"]').innerText(), /assistance_staff/)
  assert.match(await page.locator('[data-test="dea-outputs-0-indicator"]').innerText(), /lifted_people/)
  assert.match(await page.locator('[data-test="dea-outputs-1-indicator"]').innerText(), /mean_per_capita_net_income/)
  assert.equal(await checked(page.locator('[data-test="dea-inputs-0-growth"]')), false)
  assert.equal(await checked(page.locator('[data-test="dea-outputs-0-growth"]')), true)
  assert.equal(await checked(page.locator('[data-test="dea-outputs-1-growth"]')), true)
  assert.match(await page.locator('[data-test="dea-rts"]').innerText(), /可变规模报酬/)
  assert.match(await page.locator('[data-test="dea-orientation"]').innerText(), /投入导向/)
  await page.screenshot({ path: join(state.outDir, 'evaluation-system-dea-zh.png'), fullPage: true })

  // An input without its indicator is refused at its row.
  await page.locator('[data-test="dea-add-inputs"]').click()
  await page.locator('[data-test="dea-inputs-2-indicator"]').waitFor()
  await page.locator('[data-test="draft-dirty"]').waitFor()
  await page.locator('[data-test="save-draft"]').click()
  await page.locator('[data-test="save-problems"]').waitFor()
  await page.locator('[data-test="dea-inputs-2-error"]').waitFor()
  assert.match(await page.locator('[data-test="save-problems"]').innerText(), /投入第 3 项/)

  // Filled in, with the orientation changed, it is saved.
  await choose(page, 'dea-inputs-2-indicator', 'assistance_funds')
  await choose(page, 'dea-orientation', '产出导向')
  await page.locator('[data-test="save-draft"]').click()
  await page.locator('[data-test="draft-dirty"]').waitFor({ state: 'hidden' })
  assert.equal(await page.locator('[data-test="save-problems"]').count(), 0)
  const saved = await apiCall(page, 'GET', `/evaluation/systems/${id}`)
  assert.deepEqual(saved.body.draft.dea.inputs.map((f) => f.indicator), ['fund_paid', 'assistance_staff', 'assistance_funds'])
  assert.equal(saved.body.draft.dea.orientation, 'output')
  assert.equal(saved.body.draft.dea.outputs[0].growth, true)

  // Off and on again: nothing chosen is lost.
  await page.locator('[data-test="dea-enabled"]').click()
  await page.locator('[data-test="dea-panel"][data-enabled="false"]').waitFor()
  await page.locator('[data-test="draft-dirty"]').waitFor()
  await page.locator('[data-test="dea-enabled"]').click()
  await page.locator('[data-test="dea-panel"][data-enabled="true"]').waitFor()
  await page.locator('[data-test="draft-dirty"]').waitFor({ state: 'hidden' })
  assert.match(await page.locator('[data-test="dea-inputs-2-indicator"]').innerText(), /assistance_funds/)

  // Published, the version shows its DEA read-only.
  const published = await apiCall(page, 'POST', `/evaluation/systems/${id}/publish`, { version: saved.body.version, note: 'e2e DEA' })
  assert.equal(published.status, 201, JSON.stringify(published.body))
  assert.equal(published.body.content.dea.orientation, 'output')
  await page.reload()
  await openTab(page, 'versions')
  await page.locator('[data-test="view-version-1"]').click()
  const version = page.locator('[data-test="version-dea"]')
  await version.waitFor()
  assert.equal(await version.getAttribute('data-enabled'), 'true')
  assert.equal(await version.locator('[data-test="dea-inputs-0"]').getAttribute('data-indicator'), 'fund_paid')
  assert.equal(await version.locator('[data-test="dea-inputs-2"]').getAttribute('data-indicator'), 'assistance_funds')
  assert.equal(await version.locator('[data-test="dea-outputs-0-growth"]').count(), 1)
  assert.equal(await version.locator('[data-test="dea-inputs-0-growth"]').count(), 0)
  assert.equal(await version.locator('[data-test="dea-orientation"]').getAttribute('data-value'), 'output')
  await settled(page)
  await page.screenshot({ path: join(state.outDir, 'evaluation-version-dea-zh.png'), fullPage: true })
  await page.context().close()
  // Expected refusals: 401 before signing in, 400 for the draft with an empty DEA input.
  assert.deepEqual(state.consoleErrors.filter((e) => !/status of 4(00|01) /.test(e)), [])
})
