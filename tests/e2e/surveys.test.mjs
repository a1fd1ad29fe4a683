// Browser end-to-end test of surveys (问卷调查): the county evaluator creates a questionnaire on
// the demo's workshop system (one five-level question per survey leaf), edits it — a bad key is
// refused at its question, then saved — adds a number question and a sample target; enters a
// response on the phone form at 375 px (a required question left blank and an answer out of
// range shown at the question, then saved; "next respondent" keeps group, region and date);
// imports a 问卷星 export with one bad row (every problem listed, downloadable as CSV), then the
// corrected file; and reads the quality tab. The demo's own questionnaire shows its warnings and
// leaf tally, and the demo's evaluation run shows the questionnaire it used and the leaves it fed.
//
//   FUPIN_BINARY=build/src/app/fupin node --test tests/e2e/surveys.test.mjs
//
// Screenshots go to $FUPIN_E2E_OUT (default build/e2e).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { readFileSync } from 'node:fs'
import { state, withDemoServer, settled, newPage, signIn } from './harness.mjs'

withDemoServer('surveys')

const NAME = 'e2e 车间务工农户满意度调查'
const WAGES = '您对车间的工资待遇是否满意？'
const INCOME = '在车间务工后每月增加的收入（百元）'
const TOWNSHIP = '梁林镇'
const VILLAGE = '平峪社区'
const DEMO_SURVEY = '2020 年扶贫车间项目满意度调查'
let surveyPath = ''
let questionTexts = []

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
async function openTab(page, name) {
  await page.locator(`#tab-${name}`).click()
  await settled(page)
}
async function choose(page, select, text) {
  await page.locator(`[data-test="${select}"]`).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
}

// A 问卷星 export ("按选项文本"): the tool's own columns, then one column per question numbered
// as in the questionnaire; `wages` is the first respondent's answer to the first question.
function wjxExport(wages) {
  const header = ['序号', '提交答卷时间', '所用时间', '来源', '来源详情', '来自IP', ...questionTexts.map((q, i) => `${i + 1}、${q}`)]
  const answers = [
    [wages, '满意', '一般', '满意', '非常满意', '一般', '6'],
    ['一般', '一般', '不满意', '一般', '满意', '不满意', '3'],
    ['非常满意', '满意', '满意', '非常满意', '满意', '满意', '10'],
  ]
  const rows = answers.map((a, i) => [String(i + 1), `2021/1/${8 + i} 10:3${i}:11`, `${90 + i * 7}秒`, '手机提交', '直接访问', `10.0.0.${i + 1}(甘肃-兰州)`, ...a])
  const csv = [header, ...rows].map((r) => r.map((c) => (/[",]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n')
  return Buffer.from(`\ufeff${csv}\r\n`, 'utf8')
}

test('the evaluator designs a questionnaire of the workshop system', async () => {
  const page = await newPage()
  await signIn(page, 'evaluator')
  await page.locator('[data-test="nav-evaluation"]').click()
  await page.locator('[data-test="evaluation-page"]').waitFor()
  await openTab(page, 'surveys')
  const demoRow = page.locator('[data-test="surveys-table"] .el-table__row', { hasText: DEMO_SURVEY })
  await demoRow.waitFor()
  assert.match(await demoRow.innerText(), /\d{3}/) // hundreds of responses

  // New questionnaire: the demo's published system, 2021, government staff and farmers, one
  // satisfaction question per survey leaf.
  await page.locator('[data-test="new-survey"]').click()
  const dialog = page.locator('[data-test="create-survey-dialog"]')
  await dialog.waitFor()
  await page.locator('[data-test="create-survey-leaves"]').waitFor()
  assert.match(await page.locator('[data-test="create-survey-leaves"]').innerText(), /6 个问卷调查类指标/)
  await field(page, 'create-survey-name').fill(NAME)
  await field(page, 'create-survey-period').fill('2021')
  for (const g of ['workshop_head', 'enterprise', 'social_org', 'household']) await page.locator(`[data-test="create-group-${g}"]`).click()
  await page.screenshot({ path: join(state.outDir, 'survey-create-zh.png') })
  await page.locator('[data-test="create-survey-submit"]').click()
  await page.locator('[data-test="survey-page"]').waitFor()
  await page.locator('[data-test="survey-design"]').waitFor()
  surveyPath = new URL(page.url()).pathname
  assert.match(surveyPath, /^\/evaluation\/surveys\/\d+$/)
  assert.equal((await page.locator('[data-test="survey-name"]').innerText()).trim(), NAME)
  assert.equal(await page.locator('[data-test^="question-"][data-key]').count(), 6)
  // The preset's five levels, each counting towards a grade of the scale, best first.
  const levels = await page.locator('[data-test="q-choices-0"] .el-table__row').count()
  assert.equal(levels, 5)
  assert.equal(await field(page, 'q-0-label-0').inputValue(), '非常满意')
  assert.equal(await field(page, 'q-0-label-4').inputValue(), '非常不满意')

  // The first question rewritten, a number question added with a bad key: refused at it.
  await field(page, 'q-text-0', 'textarea').fill(WAGES)
  await page.locator('[data-test="add-number"]').click()
  await page.locator('[data-test="question-6"]').waitFor()
  await field(page, 'q-text-6', 'textarea').fill(INCOME)
  await field(page, 'q-text-en-6', 'textarea').fill('Extra monthly income since working there (100 yuan)')
  await field(page, 'q-min-6').fill('0')
  await field(page, 'q-max-6').fill('100')
  await field(page, 'q-key-6').fill('Q 7')
  await page.locator('[data-test="add-target"]').click()
  await choose(page, 'target-group-0', '周边农户')
  await field(page, 'target-count-0').fill('3')
  await page.locator('[data-test="design-dirty"]').waitFor()
  await page.locator('[data-test="design-save"]').click()
  await page.locator('[data-test="design-problems"]').waitFor()
  await page.locator('[data-test="question-6"].failed').waitFor()
  assert.ok((await page.locator('[data-test="q-error-6"]').innerText()).length > 0)
  await page.screenshot({ path: join(state.outDir, 'survey-design-error-zh.png'), fullPage: true })
  await field(page, 'q-key-6').fill('q7')
  await page.locator('[data-test="design-save"]').click()
  await page.locator('[data-test="design-dirty"]').waitFor({ state: 'hidden' })
  assert.equal(await page.locator('[data-test="design-problems"]').count(), 0)

  // Saved as shown.
  const id = surveyPath.split('/').pop()
  const saved = await apiCall(page, 'GET', `/evaluation/surveys/${id}`)
  assert.equal(saved.status, 200)
  assert.equal(saved.body.questions[0].text, WAGES)
  assert.equal(saved.body.questions[6].key, 'q7')
  assert.equal(saved.body.questions[6].kind, 'number')
  assert.equal(saved.body.questions[6].max, 100)
  assert.deepEqual(saved.body.targets.map((t) => [t.group, t.target]), [['farmer', 3]])
  assert.deepEqual(saved.body.groups, ['government', 'farmer'])
  questionTexts = saved.body.questions.map((q) => q.text)
  await page.reload()
  await page.locator('[data-test="survey-design"]').waitFor()
  await settled(page)
  assert.equal(await field(page, 'q-text-0', 'textarea').inputValue(), WAGES)
  await page.screenshot({ path: join(state.outDir, 'survey-design-zh.png'), fullPage: true })
  await page.context().close()
})

test('a field interviewer enters responses on a phone', async () => {
  assert.ok(surveyPath, 'the first test created the questionnaire')
  const context = await state.browser.newContext({
    viewport: { width: 375, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
  })
  const page = await context.newPage()
  page.on('console', (msg) => {
    if (msg.type() === 'error') state.consoleErrors.push(msg.text())
  })
  page.on('pageerror', (e) => state.consoleErrors.push(String(e)))
  await signIn(page, 'evaluator')
  await page.goto(`${state.baseUrl}${surveyPath}/entry`)
  await page.locator('[data-test="entry-respondent"]').waitFor()
  assert.equal((await page.locator('[data-test="entry-survey-name"]').innerText()).trim(), NAME)
  assert.equal(await page.locator('[data-test^="entry-q-"][class*="question"]').count(), 7)

  // Group, village and date at the top.
  await page.locator('[data-test="entry-group-farmer"]').click()
  await choose(page, 'entry-region-0', TOWNSHIP)
  await page.locator('[data-test="entry-region-1"]').waitFor()
  await choose(page, 'entry-region-1', VILLAGE)
  await field(page, 'entry-date').fill('2021-01-10')
  for (const [key, code] of [['q1', '4'], ['q2', '3'], ['q3', '4'], ['q4', '5'], ['q5', '2'], ['q6', '4']]) {
    await page.locator(`[data-test="entry-q-${key}-${code}"]`).click()
  }
  assert.match(await page.locator('[data-test="entry-progress"]').innerText(), /6 \/ 7/)

  // The number left blank: required, at the question.
  await page.locator('[data-test="entry-submit"]').click()
  await page.locator('[data-test="entry-error-q7"]').waitFor()
  assert.equal((await page.locator('[data-test="entry-error-q7"]').innerText()).trim(), '此题必答')
  // Out of range: the server's reason at the question.
  await field(page, 'entry-q-q7-input').fill('500')
  await page.locator('[data-test="entry-submit"]').click()
  await page.waitForFunction(() => {
    const e = document.querySelector('[data-test="entry-error-q7"]')
    return e && e.textContent.trim() !== '此题必答'
  })
  await page.locator('[data-test="entry-q-q7"].failed').waitFor()
  await page.screenshot({ path: join(state.outDir, 'survey-entry-error-375.png'), fullPage: true })
  // Nothing wider than the phone.
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 375), 'the form fits 375 px')

  await field(page, 'entry-q-q7-input').fill('5')
  await page.locator('[data-test="entry-submit"]').click()
  await page.locator('[data-test="entry-success"]').waitFor()
  await page.screenshot({ path: join(state.outDir, 'survey-entry-saved-375.png'), fullPage: true })

  // The next respondent keeps group, village and date; the answers are cleared.
  await page.locator('[data-test="entry-next"]').click()
  await page.locator('[data-test="entry-respondent"]').waitFor()
  assert.equal(await page.locator('[data-test="entry-group-farmer"].is-checked').count(), 1)
  assert.match(await page.locator('[data-test="entry-region-1"]').innerText(), new RegExp(VILLAGE))
  assert.equal(await field(page, 'entry-date').inputValue(), '2021-01-10')
  assert.match(await page.locator('[data-test="entry-progress"]').innerText(), /0 \/ 7/)
  await page.screenshot({ path: join(state.outDir, 'survey-entry-375.png'), fullPage: true })

  // In English.
  await page.locator('[data-test="entry-language"]').click()
  await page.locator('[data-test="entry-q-q7"]', { hasText: 'Extra monthly income' }).waitFor()
  await page.screenshot({ path: join(state.outDir, 'survey-entry-375-en.png'), fullPage: true })
  await page.locator('[data-test="entry-language"]').click()

  const id = surveyPath.split('/').pop()
  const list = await apiCall(page, 'GET', `/evaluation/surveys/${id}/responses`)
  assert.equal(list.body.items.length, 1)
  assert.equal(list.body.items[0].group, 'farmer')
  assert.equal(list.body.items[0].region_code, '990121001001')
  assert.equal(list.body.items[0].surveyed_on, '2021-01-10')
  assert.equal(list.body.items[0].source, 'form')
  assert.equal(list.body.items[0].answers.q1, '4')
  await context.close()
})

test('a 问卷星 export is imported after its bad row is fixed', async () => {
  assert.ok(questionTexts.length === 7, 'the first test saved the questions')
  const page = await newPage()
  await signIn(page, 'evaluator')
  await page.goto(`${state.baseUrl}${surveyPath}?tab=import`)
  await page.locator('[data-test="survey-import"]').waitFor()

  // The bad file: recognised as 问卷星, every question mapped from its numbered column.
  await page.locator('[data-test="import-file"]').setInputFiles({ name: 'wjx-export.csv', mimeType: 'text/csv', buffer: wjxExport('很满意') })
  await page.locator('[data-test="import-tool"][data-tool="wjx"]').waitFor()
  assert.match(await page.locator('[data-test="import-tool"]').innerText(), /问卷星/)
  for (let i = 1; i <= 7; i += 1) {
    assert.match(await page.locator(`[data-test="map-q${i}"]`).innerText(), new RegExp(`^${i}、`))
  }
  assert.equal(await page.locator('[data-test="import-unmapped"]').count(), 0)
  assert.equal(await page.locator('[data-test="import-sample"] tbody tr').count(), 3)
  await choose(page, 'map-group', '周边农户')
  await page.locator('[data-test="import-check"]').click()
  const problems = page.locator('[data-test="import-problems"]')
  await problems.waitFor()
  const rows = page.locator('[data-test="import-problems-table"] .el-table__body tr')
  assert.equal(await rows.count(), 1)
  assert.match(await rows.first().innerText(), /很满意/)
  assert.match(await rows.first().innerText(), /1、/)
  await page.screenshot({ path: join(state.outDir, 'survey-import-problems-zh.png'), fullPage: true })
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="import-problems-csv"]').click()])
  const csv = readFileSync(await download.path(), 'utf8')
  assert.match(csv, /^\ufeff行,列,值,原因\r\n/)
  assert.match(csv, /很满意/)
  // Importing it is refused as a whole.
  await page.locator('[data-test="import-submit"]').click()
  await problems.waitFor()
  const id = surveyPath.split('/').pop()
  assert.equal((await apiCall(page, 'GET', `/evaluation/surveys/${id}/responses`)).body.items.length, 1)

  // The corrected file: the mapping chosen stays, the check passes, the import adds three.
  await page.locator('[data-test="import-file"]').setInputFiles({ name: 'wjx-export.csv', mimeType: 'text/csv', buffer: wjxExport('满意') })
  await page.locator('[data-test="import-problems"]').waitFor({ state: 'hidden' })
  await page.locator('[data-test="import-check"]').click()
  await page.locator('[data-test="import-result"][data-dry-run="true"]').waitFor()
  await page.locator('[data-test="import-submit"]').click()
  await page.locator('[data-test="import-result"][data-dry-run="false"]').waitFor()
  assert.match(await page.locator('[data-test="import-result"]').innerText(), /新增 3 份/)
  await page.locator('[data-test="survey-response-count"]', { hasText: '4' }).waitFor()
  await page.screenshot({ path: join(state.outDir, 'survey-import-zh.png'), fullPage: true })

  // The responses: one from the phone form, three from 问卷星.
  await openTab(page, 'responses')
  await page.locator('[data-test="responses-count"]', { hasText: '4' }).waitFor()
  assert.equal(await page.locator('[data-test="responses-table"] .el-table__row', { hasText: '问卷星' }).count(), 3)
  assert.equal(await page.locator('[data-test="responses-table"] .el-table__row', { hasText: '手机录入' }).count(), 1)

  // Quality: the farmers' target met, the reliability and the leaf tally drawn.
  await openTab(page, 'quality')
  await page.locator('[data-test="quality-responses"]', { hasText: '4' }).waitFor()
  assert.equal(await page.locator('[data-test="quality-target-0"]').getAttribute('data-met'), 'true')
  await page.locator('[data-test="alpha-chart"] canvas').waitFor()
  await page.locator('[data-test="tally-chart"] canvas').waitFor()
  await settled(page)
  await page.screenshot({ path: join(state.outDir, 'survey-quality-new-zh.png'), fullPage: true })
  await page.context().close()
})

test("the demo questionnaire's quality and the run that used it", async () => {
  const page = await newPage()
  await signIn(page, 'evaluator')
  await page.goto(`${state.baseUrl}/evaluation?tab=surveys`)
  const row = page.locator('[data-test="surveys-table"] .el-table__row', { hasText: DEMO_SURVEY })
  await row.click()
  await page.locator('[data-test="survey-page"]').waitFor()
  const demoPath = new URL(page.url()).pathname
  await openTab(page, 'quality')
  await page.locator('[data-test="quality-warnings"]').waitFor()
  assert.ok((await page.locator('[data-test="quality-warning"]').count()) > 0)
  assert.ok(Number(await page.locator('[data-test="quality-responses"]').innerText()) > 100)
  assert.ok((await page.locator('[data-test="quality-dimensions"] .el-table__row').count()) > 0)
  await page.locator('[data-test="alpha-chart"] canvas').waitFor()
  await page.locator('[data-test="tally-chart"] canvas').waitFor()
  await settled(page)
  await page.screenshot({ path: join(state.outDir, 'survey-quality-zh.png'), fullPage: true })
  await openTab(page, 'responses')
  assert.ok((await page.locator('[data-test="responses-table"] .el-table__row').count()) > 10)
  await openTab(page, 'design')
  // Answered: the questions are fixed.
  await page.locator('[data-test="design-locked"]').waitFor()

  // In English.
  await page.evaluate(() => localStorage.setItem('fupin.locale', 'en'))
  await page.goto(`${state.baseUrl}${demoPath}?tab=quality`)
  await page.locator('[data-test="tally-chart"] canvas').waitFor()
  assert.match(await page.locator('[data-test="quality-warnings"]').innerText(), /[a-z]/)
  assert.doesNotMatch(await page.locator('[data-test="quality-warnings"]').innerText(), /[\u4e00-\u9fff]{4}/)
  await settled(page)
  await page.screenshot({ path: join(state.outDir, 'survey-quality-en.png'), fullPage: true })
  await page.evaluate(() => localStorage.setItem('fupin.locale', 'zh-CN'))

  // The demo's run: the questionnaire used, with its responses and warnings; survey leaves fed
  // by it.
  await page.goto(`${state.baseUrl}/evaluation?tab=runs`)
  await page.locator('[data-test="runs-table"] .el-table__row', { hasText: '2020 年度扶贫车间项目绩效评价' }).click()
  await page.locator('[data-test="run-page"]').waitFor()
  await page.locator('[data-test="run-meta-survey"]', { hasText: DEMO_SURVEY }).waitFor()
  await openTab(page, 'inputs')
  await page.locator('[data-test="run-surveys"]').waitFor()
  assert.ok((await page.locator('[data-test="origin-survey"]').count()) > 0)
  await page.screenshot({ path: join(state.outDir, 'survey-run-inputs-zh.png'), fullPage: true })

  // A new run offers the system's questionnaires.
  await page.goto(`${state.baseUrl}/evaluation/runs/new`)
  await page.locator('[data-test="new-run-page"]').waitFor()
  await settled(page)
  await page.locator('[data-test="run-surveys"]').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: DEMO_SURVEY }).waitFor()
  await page.locator('.el-select-dropdown__item:visible', { hasText: NAME }).waitFor()
  await page.context().close()
  // Expected refusals: 401 before signing in, 400 for the bad key, the answer out of range and
  // the bad import row.
  assert.deepEqual(state.consoleErrors.filter((e) => !/status of 40[01] /.test(e)), [])
})
