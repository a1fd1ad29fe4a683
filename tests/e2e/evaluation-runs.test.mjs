// Browser end-to-end test of evaluation runs (评价运行): the county evaluator publishes a small
// indicator system through the API (one indicator leaf with values in the demo, one survey and
// two expert leaves), then through the UI starts a run of the county's fifteen townships,
// submits it without counts and is shown every missing (object, leaf), fills the grid with
// "fill all" and a few single cells, runs it and sees the ranking, one township's radar and node
// tree, the inputs and conventions; edits a finding (an empty note refused at its row), saves,
// and has the run reproduced bit for bit. The evaluator has no Publish button; the county
// official is told when someone else saved the findings first, then publishes the run, which
// becomes read-only. The village worker reads it.
//
//   FUPIN_BINARY=build/src/app/fupin node --test tests/e2e/evaluation-runs.test.mjs
//
// Screenshots go to $FUPIN_E2E_OUT (default build/e2e).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { state, withDemoServer, settled, newPage, signIn } from './harness.mjs'

withDemoServer('evaluation-runs')

const SYSTEM = 'e2e 乡镇帮扶成效评价'
const RUN = 'e2e 2020 年度乡镇帮扶成效评价'
const COUNTY = '990121000000'
const FIRST = '990121001000' // 梁林镇
const SECOND = '990121002000' // 德寨镇
const THIRD = '990121003000' // 太沟乡
const INPUT_LEAVES = ['satisfaction', 'organization', 'effect']
let systemId = 0
let runPath = ''

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

function node(key, parent, name, nameEn, weight, source, indicator = '', scoring = null) {
  return { key, parent, name, name_en: nameEn, weight, source, indicator, scoring, note: '' }
}

function field(scope, name, tag = 'input') {
  return scope.locator(`[data-test="${name}"] ${tag}, ${tag}[data-test="${name}"]`).first()
}
async function openTab(page, name) {
  await page.locator(`#tab-${name}`).click()
  await settled(page)
}
async function fillCounts(page, leaf, counts) {
  await page.locator(`[data-test="inputs-tab-${leaf}"]`).click()
  for (const [g, v] of counts.entries()) await page.locator(`[data-test="fill-${leaf}-${g}"]`).fill(String(v))
  await page.locator(`[data-test="fill-apply-${leaf}"]`).click()
}

test('the evaluator runs an evaluation of the townships and reviews it', async () => {
  const page = await newPage()
  await signIn(page, 'evaluator')

  // A small system, published: three dimensions, households (every township has some) and three
  // leaves that need counts.
  const created = await apiCall(page, 'POST', '/evaluation/systems', { name: SYSTEM, region: COUNTY, template: 'multi_subject' })
  assert.equal(created.status, 201, JSON.stringify(created.body))
  systemId = created.body.id
  const draft = {
    grades: created.body.draft.grades,
    nodes: [
      node('township_eval', '', '乡镇帮扶成效', 'Township assistance', 1, 'indicator'),
      node('coverage', 'township_eval', '覆盖与满意', 'Coverage and satisfaction', 0.4, 'indicator'),
      node('registered', 'coverage', '建档立卡户', 'Registered households', 0.4, 'indicator', 'households', { rule: 'threshold', threshold: 1, pass: 'at-least' }),
      node('satisfaction', 'coverage', '群众满意度', 'Residents’ satisfaction', 0.6, 'survey'),
      node('organization', 'township_eval', '组织保障', 'Organization', 0.3, 'expert'),
      node('effect', 'township_eval', '帮扶成效', 'Assistance effect', 0.3, 'expert'),
    ],
  }
  const patched = await apiCall(page, 'PATCH', `/evaluation/systems/${systemId}`, { version: created.body.version, draft })
  assert.equal(patched.status, 200, JSON.stringify(patched.body))
  const published = await apiCall(page, 'POST', `/evaluation/systems/${systemId}/publish`, { version: patched.body.version, note: 'e2e' })
  assert.equal(published.status, 201, JSON.stringify(published.body))

  // The system's runs tab starts a new run of this system.
  await page.goto(`${state.baseUrl}/evaluation/systems/${systemId}?tab=runs`)
  await page.locator('[data-test="runs-panel"]').waitFor()
  await settled(page)
  await page.locator('[data-test="new-run"]').click()
  await page.locator('[data-test="new-run-page"]').waitFor()
  await settled(page)
  assert.match(await page.locator('[data-test="run-system"]').innerText(), new RegExp(SYSTEM))
  assert.equal(await field(page, 'run-region').inputValue(), COUNTY)
  await field(page, 'run-period').fill('2020')
  await field(page, 'run-name').fill(RUN)
  // Every township of the county.
  await page.locator(`[data-test="object-${FIRST}"]`).waitFor()
  await page.locator('[data-test="objects-all"]').click()
  await page.locator('[data-test="objects-count"]', { hasText: '15' }).waitFor()
  await page.locator('[data-test="indicator-leaves"]', { hasText: 'households' }).waitFor()
  for (const leaf of INPUT_LEAVES) await page.locator(`[data-test="inputs-tab-${leaf}"]`).waitFor()

  // Without counts the server names every (township, leaf) missing.
  await page.locator('[data-test="run-submit"]').click()
  await page.locator('[data-test="run-missing"]').waitFor()
  assert.equal(await page.locator('[data-test="missing-item"]').count(), 15 * INPUT_LEAVES.length)
  assert.match(await page.locator('[data-test="run-missing"]').innerText(), /梁林镇（990121001000）\/ 群众满意度：缺少各等级的人数/)
  assert.equal(await page.locator(`[data-test="cell-error-satisfaction-${FIRST}"]`).innerText(), '缺少各等级的人数')
  await page.screenshot({ path: join(state.outDir, 'evaluation-run-missing-zh.png'), fullPage: true })

  // Fill every township the same, then set a few townships apart.
  await fillCounts(page, 'satisfaction', [3, 5, 2, 1, 0])
  await fillCounts(page, 'organization', [2, 2, 1, 0, 0])
  await fillCounts(page, 'effect', [1, 3, 1, 0, 0])
  for (const leaf of INPUT_LEAVES) {
    assert.equal((await page.locator(`[data-test="inputs-count-${leaf}"]`).innerText()).trim(), '15/15')
  }
  await page.locator('[data-test="inputs-tab-satisfaction"]').click()
  await page.locator(`[data-test="cell-satisfaction-${FIRST}-0"]`).fill('12')
  await page.locator('[data-test="inputs-tab-effect"]').click()
  await page.locator(`[data-test="cell-effect-${SECOND}-1"]`).fill('0')
  await page.locator(`[data-test="cell-effect-${SECOND}-4"]`).fill('4')
  await page.screenshot({ path: join(state.outDir, 'evaluation-run-new-zh.png'), fullPage: true })
  await page.locator('[data-test="run-submit"]').click()

  // The run: 梁林镇 first, 德寨镇 last.
  await page.locator('[data-test="run-page"]').waitFor()
  await page.locator('[data-test="ranking-table"]').waitFor()
  runPath = new URL(page.url()).pathname
  assert.match(runPath, /^\/evaluation\/runs\/\d+$/)
  assert.equal((await page.locator('[data-test="run-name"]').innerText()).trim(), RUN)
  assert.equal(await page.locator('[data-test="run-status"]').getAttribute('data-status'), 'draft')
  assert.equal((await page.locator(`[data-test="rank-${FIRST}"]`).innerText()).trim(), '1')
  assert.equal((await page.locator(`[data-test="rank-${SECOND}"]`).innerText()).trim(), '15')
  assert.match(await page.locator(`[data-test="stability-${FIRST}"]`).innerText(), /^\d+%$/)
  await page.locator('[data-test="scores-chart"] canvas').waitFor()
  assert.equal(await page.locator('[data-test="publish-run"]').count(), 0)
  await settled(page)
  await page.screenshot({ path: join(state.outDir, 'evaluation-run-ranking-zh.png'), fullPage: true })

  // One township in detail: the radar of the three dimensions, the tree, the weakest leaves.
  await page.locator(`[data-test="open-object-${SECOND}"]`).click()
  await page.locator(`[data-test="object-detail-${SECOND}"]`).waitFor()
  await page.locator('[data-test="radar-chart"] canvas').waitFor()
  await page.locator('[data-test="grade-probability-chart"] canvas').waitFor()
  await page.locator('[data-test="leaf-chart"] canvas').waitFor()
  for (const key of ['township_eval', 'coverage', 'registered', 'satisfaction', 'organization', 'effect']) {
    await page.locator(`[data-test="tree-row-${key}"]`).waitFor()
  }
  assert.match(await page.locator('[data-test="node-score-township_eval"]').innerText(), /^\d+\.\d\d$/)
  assert.equal(await page.locator('[data-test="node-score-registered"]').innerText(), '95.00')
  assert.ok((await page.locator('[data-test="weakest-table"] .el-table__row').count()) > 0)
  await settled(page)
  await page.screenshot({ path: join(state.outDir, 'evaluation-run-object-zh.png'), fullPage: true })

  // The inputs: the counts entered, the indicator's value and the conventions.
  await openTab(page, 'inputs')
  assert.equal((await page.locator(`[data-test="input-${THIRD}-satisfaction"] .value`).innerText()).trim(), '3 / 5 / 2 / 1 / 0')
  assert.equal((await page.locator(`[data-test="input-${FIRST}-satisfaction"] .value`).innerText()).trim(), '12 / 5 / 2 / 1 / 0')
  assert.match(await page.locator(`[data-test="input-${FIRST}-registered"]`).innerText(), /\d/)
  assert.equal(await page.locator('[data-test="run-local-coverage"]').innerText(), '40.00%')
  assert.equal(await page.locator('[data-test="run-global-registered"]').innerText(), '16.00%')
  await page.locator('[data-test="convention-sensitivity"]').waitFor()
  await page.screenshot({ path: join(state.outDir, 'evaluation-run-inputs-zh.png'), fullPage: true })

  // Findings: an empty note is refused at its row; then the first finding is rewritten and saved.
  await openTab(page, 'findings')
  const first = page.locator('[data-test="finding-0"]')
  await first.waitFor()
  const count = await page.locator('[data-test^="finding-"][data-kind]').count()
  assert.ok(count > 0)
  await page.locator('[data-test="add-note"]').click()
  await page.locator(`[data-test="finding-${count}"]`).waitFor()
  await page.locator('[data-test="findings-dirty"]').waitFor()
  await page.locator('[data-test="save-findings"]').click()
  await page.locator(`[data-test="finding-error-${count}"]`).waitFor()
  await page.locator('[data-test="findings-problems"]').waitFor()
  await field(page, `finding-text-${count}`, 'textarea').fill('e2e 备注：各乡镇问卷样本量偏小，结论仅供参考。')
  await field(page, `finding-text-en-${count}`, 'textarea').fill('e2e note: small survey samples.')
  await field(page, 'finding-text-0', 'textarea').fill('e2e：梁林镇群众满意度最高。')
  await page.locator('[data-test="save-findings"]').click()
  await page.locator('[data-test="findings-dirty"]').waitFor({ state: 'hidden' })
  assert.equal(await page.locator('[data-test="findings-problems"]').count(), 0)
  await page.reload()
  await openTab(page, 'findings')
  assert.equal(await field(page, 'finding-text-0', 'textarea').inputValue(), 'e2e：梁林镇群众满意度最高。')
  assert.equal(await field(page, `finding-text-${count}`, 'textarea').inputValue(), 'e2e 备注：各乡镇问卷样本量偏小，结论仅供参考。')
  await page.screenshot({ path: join(state.outDir, 'evaluation-run-findings-zh.png'), fullPage: true })

  // Reproduced bit for bit.
  await page.locator('[data-test="reproduce"]').click()
  const reproduced = page.locator('[data-test="reproduce-result"]')
  await reproduced.waitFor()
  assert.equal(await reproduced.getAttribute('data-reproduced'), 'true')
  assert.match(await reproduced.innerText(), /逐位一致 ✓/)
  assert.equal(await page.locator('[data-test="publish-run"]').count(), 0)

  // The run is listed on the evaluation page's runs tab.
  await page.locator('[data-test="nav-evaluation"]').click()
  await page.locator('[data-test="evaluation-page"]').waitFor()
  await openTab(page, 'runs')
  const row = page.locator('[data-test="runs-table"] .el-table__row', { hasText: RUN })
  await row.waitFor()
  assert.match(await row.innerText(), /草稿/)
  await page.screenshot({ path: join(state.outDir, 'evaluation-runs-list-zh.png'), fullPage: true })
  await page.context().close()
})

test('the county official publishes the run, which becomes final', async () => {
  assert.ok(runPath, 'the first test created the run')
  const page = await newPage()
  await signIn(page, 'official')
  await page.goto(state.baseUrl + runPath + '?tab=findings')
  await page.locator('[data-test="finding-0"]').waitFor()

  // Someone else saves the findings while the official edits them: a conflict, then a reload.
  await field(page, 'finding-text-0', 'textarea').fill('县扶贫办修改中')
  await page.locator('[data-test="findings-dirty"]').waitFor()
  const id = runPath.split('/').pop()
  const current = await apiCall(page, 'GET', `/evaluation/runs/${id}`)
  const findings = current.body.findings.map((f, i) => (i === 0 ? { ...f, text: 'e2e：由他人先行保存。' } : f))
  const saved = await apiCall(page, 'PUT', `/evaluation/runs/${id}/findings`, { version: current.body.version, findings })
  assert.equal(saved.status, 200, JSON.stringify(saved.body))
  await page.locator('[data-test="publish-run"][disabled], [data-test="publish-run"].is-disabled').waitFor()
  await page.locator('[data-test="save-findings"]').click()
  const conflict = page.locator('[data-test="edit-conflict"]')
  await conflict.waitFor()
  await conflict.locator('button').click()
  await page.locator('[data-test="findings-dirty"]').waitFor({ state: 'hidden' })
  assert.equal(await field(page, 'finding-text-0', 'textarea').inputValue(), 'e2e：由他人先行保存。')

  // Publish, confirmed.
  await page.locator('[data-test="publish-run"]').click()
  await page.locator('.el-message-box').waitFor()
  await page.locator('.el-message-box__btns .el-button--primary').click()
  await page.locator('[data-test="run-status"][data-status="published"]').waitFor()
  await page.locator('[data-test="run-final"]').waitFor()
  assert.match(await page.locator('[data-test="run-published-by"]').innerText(), /official/)
  assert.equal(await page.locator('[data-test="publish-run"]').count(), 0)
  assert.equal(await page.locator('[data-test="save-findings"]').count(), 0)
  assert.equal(await page.locator('[data-test="add-note"]').count(), 0)
  assert.equal((await page.locator('[data-test="finding-text-0"]').innerText()).trim(), 'e2e：由他人先行保存。')
  await page.screenshot({ path: join(state.outDir, 'evaluation-run-published-zh.png'), fullPage: true })
  // The server refuses further changes too.
  const after = await apiCall(page, 'GET', `/evaluation/runs/${id}`)
  assert.equal(after.body.editable, false)
  assert.equal(after.body.publishable, false)
  await page.context().close()
})

test('the village worker reads the published run', async () => {
  assert.ok(runPath, 'the first test created the run')
  const page = await newPage()
  await signIn(page, 'village')
  await page.locator('[data-test="nav-evaluation"]').click()
  await page.locator('[data-test="evaluation-page"]').waitFor()
  await openTab(page, 'runs')
  assert.equal(await page.locator('[data-test="new-run"]').count(), 0)
  const row = page.locator('[data-test="runs-table"] .el-table__row', { hasText: RUN })
  await row.waitFor()
  assert.match(await row.innerText(), /已发布/)
  await row.click()
  await page.locator('[data-test="ranking-table"]').waitFor()
  assert.equal(new URL(page.url()).pathname, runPath)
  assert.equal(await page.locator('[data-test="publish-run"]').count(), 0)
  await page.locator(`[data-test="open-object-${FIRST}"]`).click()
  await page.locator('[data-test="radar-chart"] canvas').waitFor()
  await openTab(page, 'findings')
  await page.locator('[data-test="finding-0"]').waitFor()
  assert.equal(await page.locator('[data-test="save-findings"]').count(), 0)
  await page.locator('[data-test="reproduce"]').click()
  await page.locator('[data-test="reproduce-result"][data-reproduced="true"]').waitFor()
  await page.screenshot({ path: join(state.outDir, 'evaluation-run-village-zh.png'), fullPage: true })
  // In English.
  await page.evaluate(() => localStorage.setItem('fupin.locale', 'en'))
  await page.goto(`${state.baseUrl}${runPath}?tab=object&object=${SECOND}`)
  await page.locator('[data-test="radar-chart"] canvas').waitFor()
  assert.match(await page.locator('[data-test="run-status"]').innerText(), /published/)
  await page.locator('[data-test="tree-row-coverage"]', { hasText: 'Coverage and satisfaction' }).waitFor()
  await settled(page)
  await page.screenshot({ path: join(state.outDir, 'evaluation-run-object-en.png'), fullPage: true })
  await page.context().close()
  // Expected refusals: 401 before signing in, 400 for the run without counts and the empty
  // note, 409 for the findings saved by someone else first.
  assert.deepEqual(state.consoleErrors.filter((e) => !/status of 4(00|01|09) /.test(e)), [])
})
