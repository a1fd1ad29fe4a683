// Browser end-to-end test of the household registry pages: the real fupin binary serving a demo
// database and the built web UI, driven in Debian's headless Chromium by playwright-core.
//
//   FUPIN_BINARY=build/src/app/fupin node --test tests/e2e/households.test.mjs
//
// Screenshots go to $FUPIN_E2E_OUT (default build/e2e).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { state, withDemoServer, settled, newPage, signIn } from './harness.mjs'

withDemoServer('households')

const MASKED_ID = /\d{4}\*{10}[\dX]{4}/
const CLEAR_ID = /(^|[^\d*])\d{17}[\dX]($|[^\d])/

const rows = (page) =>
  page.locator('[data-test="households-table"] .el-table__body-wrapper .el-table__row')

// Opens the household list from the sidebar and waits for its first rows.
async function openList(page) {
  await page.locator('[data-test="nav-households"]').click()
  await rows(page).first().waitFor()
  await settled(page)
}

test('the village worker lists households with masked ID numbers and reveals one', async () => {
  const page = await newPage()
  await signIn(page, 'village')
  await openList(page)
  assert.ok((await rows(page).count()) > 0)
  const total = Number((await page.locator('[data-test="households-total"]').innerText()).replace(/[^0-9]/g, ''))
  assert.ok(total > 0, 'total count shown')
  const listText = await page.locator('[data-test="households-table"]').innerText()
  assert.match(listText, MASKED_ID)
  assert.doesNotMatch(listText, CLEAR_ID)
  // Export links carry the current filters.
  const csv = await page.locator('[data-test="export-csv"]').getAttribute('href')
  assert.match(csv, /^\/api\/v1\/households\/export\?format=csv/)
  assert.ok(await page.locator('[data-test="export-xlsx"]').count())
  // Sorting by members, descending: the server's order shows.
  const membersHeader = page.locator('[data-test="households-table"] th', { hasText: '人口' })
  await membersHeader.click()
  await settled(page)
  await membersHeader.click()
  await settled(page)
  const counts = await rows(page).evaluateAll((trs) =>
    trs.map((tr) => Number(tr.querySelectorAll('td')[4].innerText)),
  )
  assert.deepEqual(counts, [...counts].sort((a, b) => b - a))
  await page.screenshot({ path: join(state.outDir, 'households-zh.png'), fullPage: true })

  // Open a household: every ID number on the page is masked until revealed.
  await rows(page).first().click()
  await page.locator('[data-test="household-number"]').waitFor()
  await page.locator('[data-test="members-table"] .el-table__row').first().waitFor()
  await page.locator('[data-test="income-chart"] canvas').waitFor()
  await settled(page)
  const pageText = await page.locator('[data-test="household-page"]').innerText()
  assert.match(pageText, MASKED_ID)
  assert.doesNotMatch(pageText, CLEAR_ID)
  await page.locator('[data-test="audit-note"]').waitFor()
  const reveal = page.locator('[data-test^="reveal-id-"]').first()
  await reveal.click()
  await page.locator('.el-message-box').getByText('审计日志').waitFor()
  await page.locator('.el-message-box__btns .el-button--primary').click()
  const shown = page.locator('[data-test="member-id-number"][data-revealed="true"]').first()
  await shown.waitFor()
  const value = (await shown.innerText()).trim()
  assert.match(value, /^\d{17}[\dX]$/)
  assert.equal(value.length, 18)
  await page.screenshot({ path: join(state.outDir, 'household-zh.png'), fullPage: true })

  // A household that does not exist (or lies outside the region) gets a friendly message.
  await page.goto(state.baseUrl + '/households/99999999')
  await page.locator('[data-test="household-not-found"]').waitFor()
  await page.context().close()
})

test('an official reads households but sees no reveal buttons', async () => {
  const page = await newPage()
  await signIn(page, 'official')
  await openList(page)
  const listText = await page.locator('[data-test="households-table"]').innerText()
  assert.match(listText, MASKED_ID)
  await rows(page).first().click()
  await page.locator('[data-test="members-table"] .el-table__row').first().waitFor()
  await settled(page)
  assert.equal(await page.locator('[data-test^="reveal-"]').count(), 0)
  assert.equal(await page.locator('[data-test="audit-note"]').count(), 0)
  assert.match(await page.locator('[data-test="household-page"]').innerText(), MASKED_ID)
  await page.screenshot({ path: join(state.outDir, 'household-official-zh.png'), fullPage: true })
  await page.context().close()
})

test('an admin grants an official the right to see personal data; reveal buttons appear', async () => {
  const admin = await newPage()
  await signIn(admin, 'admin')
  await admin.locator('[data-test="nav-users"]').click()
  const official = admin
    .locator('[data-test="users-table"] .el-table__body-wrapper .el-table__row')
    .filter({ hasText: '县扶贫办干部' })
  await official.locator('[data-test="edit-roles"]').click()
  await admin.locator('[data-test="user-view-sensitive"]').click()
  await admin.locator('[data-test="roles-save"]').click()
  await official.locator('[data-test="user-sensitive-tag"]').waitFor()
  await admin.context().close()

  const page = await newPage()
  await signIn(page, 'official')
  await openList(page)
  await rows(page).first().click()
  await page.locator('[data-test="members-table"] .el-table__row').first().waitFor()
  await settled(page)
  assert.ok((await page.locator('[data-test^="reveal-"]').count()) > 0)
  await page.context().close()
})

test('users without registry.read have no household menu', async () => {
  const page = await newPage()
  await signIn(page, 'enterprise')
  await page.locator('[data-test="nav-regions"]').waitFor()
  assert.equal(await page.locator('[data-test="nav-households"]').count(), 0)
  await page.context().close()
})

test('a household member sees their own household and no other', async () => {
  const page = await newPage()
  await signIn(page, 'household')
  await openList(page)
  assert.equal(await rows(page).count(), 1)
  await page.locator('[data-test="households-total"]', { hasText: '1' }).waitFor()
  assert.equal(await page.locator('[data-test="nav-quality"]').count(), 0)
  assert.equal(await page.locator('[data-test="nav-monitoring"]').count(), 0)
  await rows(page).first().click()
  await page.locator('[data-test="household-number"]').waitFor()
  await page.locator('[data-test="members-table"] .el-table__row').first().waitFor()
  await settled(page)
  assert.equal(await page.locator('[data-test^="reveal-"]').count(), 0)
  assert.match(await page.locator('[data-test="household-page"]').innerText(), MASKED_ID)
  await page.screenshot({ path: join(state.outDir, 'household-member-zh.png'), fullPage: true })
  await page.context().close()
})

// A valid synthetic ID number (GB 11643 check character) from its first 17 digits.
function idNumber(first17) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * weights[i], 0)
  return first17 + '10X98765432'[sum % 11]
}

test('the village worker imports a members file: check, import, and a bad file listed row by row', async () => {
  const { writeFileSync, mkdtempSync } = await import('node:fs')
  const { tmpdir } = await import('node:os')
  const dir = mkdtempSync(join(tmpdir(), 'fupin-e2e-import-'))
  const header = '户编号,行政区划代码,姓名,身份证号,与户主关系,户属性,主要致贫原因,识别年度\n'
  const good = join(dir, 'good.csv')
  writeFileSync(
    good,
    '\ufeff' +
      header +
      `9901210010017701,990121001001,导入户主,${idNumber('99012119750505051')},户主,一般贫困户,因病,2015\n` +
      `9901210010017701,990121001001,导入配偶,${idNumber('99012119760606062')},配偶,一般贫困户,因病,2015\n`,
  )
  const bad = join(dir, 'bad.csv')
  writeFileSync(
    bad,
    header +
      `9901210010017702,990121001001,错误户主,99012119750505059,户主,一般贫困户,因懒,2015\n`,
  )

  const page = await newPage()
  await signIn(page, 'village')
  await openList(page)
  await page.locator('[data-test="import-button"]').click()
  await page.locator('[data-test="import-page"]').waitFor()
  assert.match(
    await page.locator('[data-test="import-template-xlsx"]').getAttribute('href'),
    /\/api\/v1\/imports\/template\?kind=members&format=xlsx&lang=zh/,
  )
  await page.locator('[data-test="import-file"]').setInputFiles(good)
  await page.locator('[data-test="import-check"]').click()
  await page.locator('[data-test="import-result"]').waitFor()
  assert.match(await page.locator('[data-test="import-result"]').innerText(), /校验通过[\s\S]*新增 1 户/)
  await page.locator('[data-test="import-confirm"]').click()
  await page.locator('[data-test="import-result"]', { hasText: '导入完成' }).waitFor()
  await settled(page)
  await page.screenshot({ path: join(state.outDir, 'import-done-zh.png'), fullPage: true })

  await page.locator('[data-test="import-file"]').setInputFiles(bad)
  await page.locator('[data-test="import-start"]').click()
  await page.locator('[data-test="import-problems"] .el-table__row').first().waitFor()
  const problems = await page.locator('[data-test="import-problems"]').innerText()
  assert.match(problems, /身份证号/)
  assert.match(problems, /主要致贫原因[\s\S]*因懒/)
  assert.match(await page.locator('[data-test="import-failed"]').innerText(), /未写入任何数据/)
  assert.match(
    await page.locator('[data-test="import-problems-csv"]').getAttribute('href'),
    /\/api\/v1\/imports\/\d+\/problems\?format=csv/,
  )
  await settled(page)
  await page.screenshot({ path: join(state.outDir, 'import-problems-zh.png'), fullPage: true })

  // The imported household is in the list; the bad one is not.
  await page.goto(`${state.baseUrl}/households`)
  await page.locator('[data-test="household-search"]').fill('99012100100177')
  await page.locator('[data-test="household-search-button"]').click()
  await settled(page)
  await page.locator('[data-test="households-total"]', { hasText: '1' }).waitFor()
  assert.match(await page.locator('[data-test="households-table"]').innerText(), /9901210010017701/)
  // As of a day before anyone was registered, the list is empty.
  const asOf = page.getByPlaceholder('截至日期')
  await asOf.fill('1990-01-01')
  await asOf.press('Enter')
  await settled(page)
  await page.locator('[data-test="households-total"]', { hasText: /^\D*0\D*$/ }).waitFor()
  await page.close()
})

// An input by its data-test, whether Element Plus put the attribute on the input or around it.
function field(scope, name) {
  return scope.locator(`[data-test="${name}"] input, input[data-test="${name}"]`).first()
}

test('the village worker edits a household, records a birth and looks back before it', async () => {
  const page = await newPage()
  await signIn(page, 'village')
  await openList(page)
  await rows(page).first().click()
  await page.locator('[data-test="household-number"]').waitFor()
  await page.locator('[data-test="members-table"] .el-table__row').first().waitFor()
  await settled(page)
  const memberRows = page.locator('[data-test="members-table"] .el-table__body-wrapper .el-table__row')
  const before = await memberRows.count()

  // Edit the phone: the page shows it masked afterwards, and the history lists the edit.
  await page.locator('[data-test="edit-household"]').click()
  await field(page, 'edit-phone').fill('13700001234')
  await field(page, 'edit-note').fill('e2e 核实电话')
  await page.locator('[data-test="edit-save"]').click()
  await page.locator('[data-test="edit-dialog"]').waitFor({ state: 'hidden' })
  await page.locator('[data-test="household-header"]').getByText('137****1234').waitFor()
  await page.locator('[data-test="household-history"]').getByText('e2e 核实电话').waitFor()

  // A birth today (China Standard Time): one member more.
  const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)
  const id = idNumber('990121' + today.replaceAll('-', '') + '996')
  await page.locator('[data-test="record-member-event"]').click()
  await field(page, 'event-person-name').fill('测试新生儿')
  await field(page, 'event-person-id').fill(id)
  await page.locator('[data-test="event-submit"]').click()
  await page.locator('[data-test="member-event-dialog"]').waitFor({ state: 'hidden' })
  await page.locator('[data-test="members-table"]').getByText('测试新生儿').waitFor()
  assert.equal(await memberRows.count(), before + 1)
  const events = await page.locator('[data-test="member-events"]').innerText()
  assert.match(events, /出生/)
  assert.doesNotMatch(events, CLEAR_ID, 'the event shows the ID number masked')
  await page.screenshot({ path: join(state.outDir, 'household-edited-zh.png'), fullPage: true })

  // As of yesterday the baby was not a member, and nothing can be edited there.
  const yesterday = new Date(Date.now() + 8 * 3600 * 1000 - 86400 * 1000).toISOString().slice(0, 10)
  await field(page, 'household-as-of').fill(yesterday)
  await field(page, 'household-as-of').press('Enter')
  await page.locator('[data-test="as-of-banner"]').waitFor()
  await settled(page)
  assert.equal(await memberRows.count(), before)
  assert.equal(await page.locator('[data-test="edit-household"]').count(), 0)
  await page.close()
})

test('the county official runs the data-quality check and follows a finding to its household', async () => {
  const page = await newPage()
  await signIn(page, 'official')
  await page.locator('[data-test="nav-quality"]').click()
  await page.locator('[data-test="quality-summary"]').waitFor()
  await page.locator('[data-test="quality-rules"] .el-table__row').first().waitFor()
  await settled(page)
  const checked = Number((await page.locator('[data-test="quality-summary"] .value').first().innerText()).trim())
  assert.ok(checked > 100, `households checked: ${checked}`)
  assert.match(
    await page.locator('[data-test="quality-export-xlsx"]').getAttribute('href'),
    /\/api\/v1\/quality\/findings\/export\?format=xlsx/,
  )
  await page.screenshot({ path: join(state.outDir, 'quality-zh.png'), fullPage: true })
  // Picking a rule filters the findings and shows how to fix them.
  await page.locator('[data-test="quality-rules"] .el-table__row').first().click()
  await page.locator('[data-test="quality-fix"]').waitFor()
  await settled(page)
  assert.match(await page.locator('[data-test="quality-fix"]').innerText(), /如何修正/)
  const findings = page.locator('[data-test="quality-findings"] .el-table__body-wrapper .el-table__row')
  await findings.first().waitFor()
  const text = await page.locator('[data-test="quality-findings"]').innerText()
  assert.doesNotMatch(text, CLEAR_ID, 'no unmasked ID numbers in findings')
  await findings.first().locator('a').click()
  await page.locator('[data-test="household-number"]').waitFor()
  await page.close()
})

test('the dashboard shows the registry figures, a choropleth on synthetic boundaries and the trend', async () => {
  const page = await newPage()
  await signIn(page, 'admin')
  // Work in the demo county, whose townships the map shows.
  await page.evaluate(() =>
    localStorage.setItem('fupin.region', JSON.stringify({ code: '990121000000', name: '县', level: 'county' })),
  )
  await page.goto(`${state.baseUrl}/`)
  await page.locator('[data-test="figure-poor_people"]').waitFor()
  await page.locator('[data-test="choropleth"] canvas').waitFor()
  await page.locator('[data-test="trend-chart"] canvas').waitFor()
  await settled(page)
  const people = Number((await page.locator('[data-test="figure-people"] .stat-value').innerText()).replace(/[^0-9]/g, ''))
  assert.ok(people > 1000, `people: ${people}`)
  const incidence = await page.locator('[data-test="figure-poverty_incidence"] .stat-value').innerText()
  assert.match(incidence, /\d+\.\d\d/)
  assert.match(await page.locator('[data-test="synthetic-map"]').innerText(), /虚构/)
  // Last month's workshop alerts: the demo's idle workshops among them, each message in Chinese.
  await page.locator('[data-test="alert-list"]').waitFor()
  const idle = await page.locator('[data-test="alert-count-idle_few_days"]').innerText()
  assert.match(idle, /\s[1-9]\d*$/, `idle_few_days: ${idle}`)
  const alertText = await page.locator('[data-test="alert-list"]').innerText()
  assert.doesNotMatch(alertText, /operated fewer|registry lists|below the|no monthly report|registered-poor/)
  assert.doesNotMatch(await page.locator('[data-test="workshop-alerts"]').innerText(), CLEAR_ID)
  await page.screenshot({ path: join(state.outDir, 'dashboard-zh.png'), fullPage: true })
  await page.close()
})

test('no errors in the browser console (CSP included)', () => {
  const unexpected = state.consoleErrors.filter((e) => !/status of 40[014] /.test(e))
  assert.deepEqual(unexpected, [])
})
