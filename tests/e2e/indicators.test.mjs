// Browser end-to-end test of the indicator catalogue (指标库): the admin declares a computed
// indicator (a share of two built-in ones), sees its formula in names, renames it; declares an
// entered statistic, enters a value for the demo county in the second tab and finds it through
// the API; a value that is not a number, and a fraction of people, are refused at their row;
// an indicator with entered values cannot be deleted, the computed one can. A village worker
// reads the catalogue without any button to change it.
//
//   FUPIN_BINARY=build/src/app/fupin node --test tests/e2e/indicators.test.mjs
//
// Screenshots go to $FUPIN_E2E_OUT (default build/e2e).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { state, withDemoServer, settled, newPage, signIn } from './harness.mjs'

withDemoServer('indicators')

const COUNTY = '990121000000' // 马家县, the demo county
const TOWNSHIP = '990121001000' // 梁林镇, one of its townships
const COMPUTED = 'lifted_share_test'
const ENTERED = 'test_stat'

function field(scope, name, tag = 'input') {
  return scope.locator(`[data-test="${name}"] ${tag}, ${tag}[data-test="${name}"]`).first()
}
const catalogueRows = (page) => page.locator('[data-test="indicators-table"] .el-table__body-wrapper .el-table__row')
// A response of the API to `method` on a path matching `path` (a RegExp on the pathname).
function apiResponse(page, method, path) {
  return page.waitForResponse((r) => r.request().method() === method && path.test(new URL(r.url()).pathname))
}

// Picks the option "… (code)" of a filterable select, typing the code to narrow it.
async function choose(page, selectTest, code) {
  // On a loaded machine a click can land on a dropdown still opening or closing: check that the
  // choice took, and choose again if not.
  for (let attempt = 1; ; attempt++) {
    await page.locator(`[data-test="${selectTest}"]`).click()
    await page.keyboard.type(code)
    await page.locator('.el-select-dropdown__item:visible', { hasText: `(${code})` }).first().click()
    try {
      await page.waitForFunction(
        ([select, text]) => document.querySelector(`[data-test="${select}"]`)?.innerText.includes(text),
        [selectTest, `(${code})`],
        { timeout: 3000 },
      )
      return
    } catch (e) {
      if (attempt === 3) throw e
    }
  }
}

// Asserts the status of a response, naming its body when it differs.
async function expectStatus(response, status) {
  const r = await response
  if (r.status() !== status) assert.fail(`${r.request().method()} ${r.url()}: ${r.status()} ${await r.text()}`)
}

async function openCatalogue(page) {
  await page.locator('[data-test="nav-indicators"]').click()
  await page.locator('[data-test="indicators-page"]').waitFor()
  await settled(page)
  await catalogueRows(page).first().waitFor()
}

async function search(page, text) {
  await field(page, 'indicator-search').fill(text)
}

test('the admin declares, edits and deletes indicators and enters a statistic', async () => {
  const page = await newPage()
  try {
    await declareEnterDelete(page)
  } catch (e) {
    await page.screenshot({ path: join(state.outDir, 'indicators-failure.png'), fullPage: true })
    throw e
  }
  await page.context().close()
})

async function declareEnterDelete(page) {
  await signIn(page, 'admin')
  await openCatalogue(page)

  // The demo catalogue: built-in indicators of several modules, some with formulas.
  const catalogue = await (await page.request.get(`${state.baseUrl}/api/v1/indicators`)).json()
  const codes = new Map(catalogue.items.map((i) => [i.code, i]))
  for (const c of ['lifted_people', 'people', 'poverty_incidence', 'rural_population']) assert.ok(codes.has(c), c)
  assert.equal(await catalogueRows(page).count(), catalogue.items.length)
  assert.equal(codes.get('poverty_incidence').declared, false)
  assert.match(await page.locator('[data-test="indicator-formula-poverty_incidence"]').innerText(), /贫困人口 \/ 农村人口 × 100/)
  await page.screenshot({ path: join(state.outDir, 'indicators-zh.png'), fullPage: true })

  // The filters: entered statistics only, then a text.
  await page.locator('[data-test="indicator-source-filter"]').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '录入' }).first().click()
  const entered = catalogue.items.filter((i) => i.source === 'entered').length
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-test="indicators-table"] .el-table__body-wrapper .el-table__row').length === n,
    entered,
  )
  await page.reload()
  await catalogueRows(page).first().waitFor()
  await search(page, 'poverty_incidence')
  await page.waitForFunction(
    () => document.querySelectorAll('[data-test="indicators-table"] .el-table__body-wrapper .el-table__row').length === 1,
  )

  // A computed indicator: the share of the people lifted out of poverty, in percent.
  await page.locator('[data-test="declare-indicator"]').click()
  const dialog = page.locator('[data-test="indicator-dialog"]')
  await dialog.waitFor()
  await field(dialog, 'ind-code').fill(COMPUTED)
  await field(dialog, 'ind-zh').fill('脱贫人口占比（测试）')
  await field(dialog, 'ind-en').fill('share of people lifted out (test)')
  await choose(page, 'ind-unit', 'percent')
  await choose(page, 'ind-numerator', 'lifted_people')
  // A factor that is not positive is refused at its field.
  await choose(page, 'ind-denominator', 'people')
  await field(dialog, 'ind-factor').fill('0')
  await field(dialog, 'ind-factor').press('Tab')
  await field(dialog, 'ind-definition-zh', 'textarea').fill('脱贫人口占建档立卡人口的百分比。')
  await field(dialog, 'ind-definition-en', 'textarea').fill('People lifted out of poverty as a percentage of the registered people.')
  let refused = apiResponse(page, 'POST', /^\/api\/v1\/indicators$/)
  await page.locator('[data-test="ind-save"]').click()
  await expectStatus(refused, 400)
  await dialog.locator('.el-form-item__error').first().waitFor()
  assert.ok((await dialog.locator('.el-form-item.is-error [data-test="ind-factor"]').count()) === 1, 'the factor is marked')
  await field(dialog, 'ind-factor').fill('100')
  await field(dialog, 'ind-factor').press('Tab')
  await dialog.locator('[data-test="ind-formula-preview"]', { hasText: '× 100' }).waitFor()
  let created = apiResponse(page, 'POST', /^\/api\/v1\/indicators$/)
  await page.locator('[data-test="ind-save"]').click()
  await expectStatus(created, 201)
  await dialog.waitFor({ state: 'hidden' })
  await search(page, COMPUTED)
  await page.locator(`[data-test="indicator-formula-${COMPUTED}"]`).waitFor()
  assert.equal(await page.locator(`[data-test="indicator-formula-${COMPUTED}"]`).innerText(), '脱贫人口 / 建档立卡人数 × 100')
  const declared = await (await page.request.get(`${state.baseUrl}/api/v1/indicators/${COMPUTED}`)).json()
  assert.equal(declared.declared, true)
  assert.equal(declared.module, 'declared')
  assert.deepEqual(declared.formula, { numerator: 'lifted_people', denominator: 'people', factor: 100 })

  // Its Chinese name changed.
  await page.locator(`[data-test="edit-indicator-${COMPUTED}"]`).click()
  await dialog.waitFor()
  assert.equal(await field(dialog, 'ind-code').isDisabled(), true)
  await field(dialog, 'ind-zh').fill('脱贫人口比重（测试）')
  const updated = apiResponse(page, 'PUT', new RegExp(`^/api/v1/indicators/${COMPUTED}$`))
  await page.locator('[data-test="ind-save"]').click()
  await expectStatus(updated, 200)
  await dialog.waitFor({ state: 'hidden' })
  await page.locator(`[data-test="indicator-name-${COMPUTED}"]`, { hasText: '脱贫人口比重（测试）' }).waitFor()
  const renamed = await (await page.request.get(`${state.baseUrl}/api/v1/indicators/${COMPUTED}`)).json()
  assert.equal(renamed.version, declared.version + 1)

  // An entered statistic counted in people.
  await page.locator('[data-test="declare-indicator"]').click()
  await dialog.waitFor()
  await field(dialog, 'ind-code').fill(ENTERED)
  await field(dialog, 'ind-zh').fill('测试统计人数')
  await field(dialog, 'ind-en').fill('test statistic')
  await choose(page, 'ind-unit', 'person')
  await page.locator('[data-test="ind-source-entered"]').click()
  await dialog.locator('[data-test="ind-aggregation"]').waitFor()
  await field(dialog, 'ind-definition-zh', 'textarea').fill('统计部门报送的测试人数。')
  await field(dialog, 'ind-definition-en', 'textarea').fill('A number of people reported by the statistics office (test).')
  created = apiResponse(page, 'POST', /^\/api\/v1\/indicators$/)
  await page.locator('[data-test="ind-save"]').click()
  await expectStatus(created, 201)
  await dialog.waitFor({ state: 'hidden' })
  await search(page, ENTERED)
  await page.locator(`[data-test="indicator-source-${ENTERED}"]`, { hasText: '录入' }).waitFor()

  // A value for the county in 2019, entered in the grid of the second tab.
  await page.locator('#tab-entered').click()
  await page.locator('[data-test="indicator-entered"]').waitFor()
  await choose(page, 'entered-indicator', ENTERED)
  await page.locator('[data-test="entered-editor"] [data-test="grid-add"]').click()
  await field(page, 'grid-region-0').fill(COUNTY)
  await field(page, 'grid-year-0').fill('2019')
  await field(page, 'grid-year-0').press('Tab')
  await field(page, 'grid-value-0').fill('1234')
  const saved = apiResponse(page, 'PUT', /^\/api\/v1\/indicators\/entered$/)
  await page.locator('[data-test="grid-save"]').click()
  await expectStatus(saved, 200)
  await page.locator('[data-test="grid-saved"]').waitFor()
  assert.match(await page.locator('[data-test="grid-saved"]').innerText(), /新增 1/)
  await page.locator(`[data-test="entered-value-${ENTERED}-${COUNTY}-2019"]`, { hasText: '1,234' }).waitFor()
  await settled(page)
  await page.screenshot({ path: join(state.outDir, 'indicators-entered-zh.png'), fullPage: true })
  const stored = await (
    await page.request.get(`${state.baseUrl}/api/v1/indicators/entered?indicator=${ENTERED}&region=${COUNTY}&year=2019`)
  ).json()
  assert.equal(stored.total, 1)
  assert.equal(stored.items[0].indicator, ENTERED)
  assert.equal(stored.items[0].region, COUNTY)
  assert.equal(stored.items[0].period, '2019')
  assert.equal(stored.items[0].value, 1234)
  assert.ok(stored.items[0].entered_by)

  // Not a number: refused in the page at its row, nothing sent.
  await page.locator('[data-test="grid-add"]').click()
  await field(page, 'grid-region-0').fill(COUNTY)
  await field(page, 'grid-year-0').fill('2019')
  await field(page, 'grid-year-0').press('Tab')
  await field(page, 'grid-value-0').fill('abc')
  await page.locator('[data-test="grid-save"]').click()
  await page.locator('[data-test="grid-error-0"]', { hasText: '不是数字' }).waitFor()
  // A fraction of a person: refused by the server, at the row and column it names.
  await field(page, 'grid-value-0').fill('12.5')
  refused = apiResponse(page, 'PUT', /^\/api\/v1\/indicators\/entered$/)
  await page.locator('[data-test="grid-save"]').click()
  await expectStatus(refused, 400)
  await page.locator('[data-test="grid-error-0"]').waitFor()
  assert.match(await page.locator('[data-test="grid-error-0"]').innerText(), /数值/)
  await page.locator('[data-test="grid-save-error"]').waitFor()
  const unchanged = await (
    await page.request.get(`${state.baseUrl}/api/v1/indicators/entered?indicator=${ENTERED}&region=${COUNTY}&year=2019`)
  ).json()
  assert.equal(unchanged.items[0].value, 1234)

  // A file: checked first (nothing written), then imported; a value that is not a number is
  // refused with its line and column.
  const file = (rows) => ({
    name: 'statistics.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(['行政区划代码,年度,指标代码,数值', ...rows].join('\n') + '\n', 'utf8'),
  })
  await page.locator('[data-test="entered-file"]').setInputFiles(file([`${TOWNSHIP},2019,${ENTERED},50`]))
  await page.locator('[data-test="entered-file-name"]').waitFor()
  let imported = apiResponse(page, 'POST', /^\/api\/v1\/indicators\/entered\/import$/)
  await page.locator('[data-test="entered-check"]').click()
  await expectStatus(imported, 200)
  await page.locator('[data-test="entered-import-result"][data-dry-run="true"]').waitFor()
  assert.match(await page.locator('[data-test="entered-import-result"]').innerText(), /共 1 行/)
  imported = apiResponse(page, 'POST', /^\/api\/v1\/indicators\/entered\/import$/)
  await page.locator('[data-test="entered-import-submit"]').click()
  await expectStatus(imported, 200)
  await page.locator('[data-test="entered-import-result"][data-dry-run="false"]').waitFor()
  await page.locator(`[data-test="entered-value-${ENTERED}-${TOWNSHIP}-2019"]`, { hasText: '50' }).waitFor()
  await page.locator('[data-test="entered-file"]').setInputFiles(file([`${TOWNSHIP},2019,${ENTERED},abc`]))
  imported = apiResponse(page, 'POST', /^\/api\/v1\/indicators\/entered\/import$/)
  await page.locator('[data-test="entered-check"]').click()
  await expectStatus(imported, 400)
  const problem = page.locator('[data-test="entered-import-problems"] .el-table__body-wrapper .el-table__row').first()
  await problem.waitFor()
  assert.match(await problem.innerText(), /^2\b/)
  assert.match(await problem.innerText(), /abc/)

  // Back in the catalogue: the statistic with a value cannot be deleted, the computed one can.
  await page.locator('#tab-catalogue').click()
  await search(page, ENTERED)
  await page.locator(`[data-test="delete-indicator-${ENTERED}"]`).click()
  let removed = apiResponse(page, 'DELETE', new RegExp(`^/api/v1/indicators/${ENTERED}$`))
  await page.locator('.el-message-box__btns .el-button--primary').click()
  // A failed precondition (422): the message names the use.
  const inUse = await removed
  assert.equal(inUse.status(), 422)
  assert.equal((await inUse.json()).error.code, 'failed_precondition')
  await page.locator('.el-message--error', { hasText: ENTERED }).first().waitFor()
  await search(page, COMPUTED)
  await page.locator(`[data-test="delete-indicator-${COMPUTED}"]`).click()
  removed = apiResponse(page, 'DELETE', new RegExp(`^/api/v1/indicators/${COMPUTED}$`))
  await page.locator('.el-message-box__btns .el-button--primary').click()
  const gone = await removed
  assert.equal(gone.status(), 200, await gone.text())
  assert.equal((await gone.json()).deleted, COMPUTED)
  await page.locator(`[data-test="indicator-name-${COMPUTED}"]`).waitFor({ state: 'detached' })
  assert.equal((await page.request.get(`${state.baseUrl}/api/v1/indicators/${COMPUTED}`)).status(), 404)
}

test('a village worker reads the catalogue without changing it', async () => {
  const page = await newPage()
  await signIn(page, 'village')
  await openCatalogue(page)
  assert.ok((await catalogueRows(page).count()) > 10)
  assert.equal(await page.locator('[data-test="declare-indicator"]').count(), 0)
  assert.equal(await page.locator('[data-test^="edit-indicator-"]').count(), 0)
  if (await page.locator('#tab-entered').count()) {
    await page.locator('#tab-entered').click()
    await page.locator('[data-test="indicator-entered"]').waitFor()
    assert.equal(await page.locator('[data-test="entered-editor"]').count(), 0)
  }
  await page.context().close()
})
