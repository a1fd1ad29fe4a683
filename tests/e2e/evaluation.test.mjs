// Browser end-to-end test of indicator systems and expert judgments (综合绩效评价): the county
// evaluator creates a system from the workshop balanced-scorecard template, edits a node,
// is shown the server's refusal of a bad scoring rule at the field, saves and publishes
// version 1, fills the root's pairwise form inconsistently, applies the suggested change until
// CR < 0.1, saves, and sees the root weighted by AHP. A county official designs (and is told
// when someone else saved first) but does not judge; the village worker and the auditor read
// the system without any button to change it.
//
//   FUPIN_BINARY=build/src/app/fupin node --test tests/e2e/evaluation.test.mjs
//
// Screenshots go to $FUPIN_E2E_OUT (default build/e2e).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { state, withDemoServer, settled, newPage, signIn } from './harness.mjs'

withDemoServer('evaluation')

const NAME = 'e2e 马家县扶贫车间绩效评价'
const ROOT = 'workshop_performance'
let systemPath = ''

function field(scope, name, tag = 'input') {
  return scope.locator(`[data-test="${name}"] ${tag}, ${tag}[data-test="${name}"]`).first()
}
async function fill(scope, name, value) {
  const input = field(scope, name)
  await input.fill(value)
  await input.press('Tab')
}
async function openTab(page, name) {
  await page.locator(`#tab-${name}`).click()
  await settled(page)
}
// The live check of a node's pairwise form, once it is of the current answers.
async function analysis(page, node) {
  const result = page.locator(`[data-test="analysis-${node}"][data-state="idle"]`)
  await result.waitFor()
  const cr = page.locator(`[data-test="cr-${node}"]`)
  await cr.waitFor()
  return { cr: Number(await cr.getAttribute('data-cr')), consistent: (await cr.getAttribute('data-consistent')) === 'true' }
}

test('the evaluator designs a system, publishes it and judges its dimensions', async () => {
  const page = await newPage()
  await signIn(page, 'evaluator')
  await page.locator('[data-test="nav-evaluation"]').click()
  await page.locator('[data-test="evaluation-page"]').waitFor()
  await settled(page)

  // A new system from the balanced-scorecard template, in the evaluator's county.
  await page.locator('[data-test="new-system"]').click()
  const dialog = page.locator('[data-test="create-system-dialog"]')
  await dialog.waitFor()
  await dialog.locator('[data-test="template-workshop_bsc"]').waitFor()
  assert.equal(await dialog.locator('[data-test^="template-"]').count(), 4)
  assert.equal(await field(dialog, 'create-region').inputValue(), '990121000000')
  await dialog.locator('[data-test="template-workshop_bsc"]').click()
  await field(dialog, 'create-name').fill(NAME)
  await page.screenshot({ path: join(state.outDir, 'evaluation-create-zh.png') })
  await page.locator('[data-test="create-submit"]').click()
  await page.locator('[data-test="system-page"]').waitFor()
  await page.locator('[data-test="node-resumption"]').waitFor()
  await settled(page)
  systemPath = new URL(page.url()).pathname
  assert.match(systemPath, /^\/evaluation\/systems\/\d+$/)
  assert.equal((await page.locator('[data-test="system-name"]').innerText()).trim(), NAME)
  assert.match(await page.locator('[data-test="system-version"]').innerText(), /尚未发布/)
  // Four dimensions of 0.25/0.25/0.3/0.2: the global weights of their leaves follow.
  assert.equal(await page.locator('[data-test="local-economic"]').innerText(), '30.0%')
  assert.equal(await page.locator('[data-test="global-resumption"]').innerText(), '6.25%')
  await page.screenshot({ path: join(state.outDir, 'evaluation-tree-zh.png'), fullPage: true })

  // Edit a leaf: a larger weight and a floor equal to the target, which the server refuses.
  await page.locator('[data-test="edit-node-resumption"]').click()
  const nodeDialog = page.locator('[data-test="node-dialog"]')
  await nodeDialog.waitFor()
  assert.equal(await field(nodeDialog, 'node-target').inputValue(), '100')
  await fill(nodeDialog, 'node-weight', '0.5')
  await fill(nodeDialog, 'node-floor', '100')
  await page.locator('[data-test="node-apply"]').click()
  await nodeDialog.waitFor({ state: 'hidden' })
  await page.locator('[data-test="draft-dirty"]').waitFor()
  assert.equal(await page.locator('[data-test="weight-resumption"]').innerText(), '0.5')
  await page.locator('[data-test="save-draft"]').click()
  const rowError = page.locator('[data-test="node-error-resumption"]')
  await rowError.waitFor()
  assert.match(await rowError.innerText(), /target must differ from the floor/)
  await page.locator('[data-test="save-problems"]').waitFor()
  await page.screenshot({ path: join(state.outDir, 'evaluation-save-error-zh.png'), fullPage: true })
  // The reason is shown at the field in the node's dialog, too.
  await page.locator('[data-test="edit-node-resumption"]').click()
  await nodeDialog.waitFor()
  await nodeDialog.locator('.el-form-item__error', { hasText: 'target must differ from the floor' }).waitFor()
  await fill(nodeDialog, 'node-floor', '60')
  await page.locator('[data-test="node-apply"]').click()
  await nodeDialog.waitFor({ state: 'hidden' })
  assert.equal(await rowError.count(), 0)
  await page.locator('[data-test="save-draft"]').click()
  await page.locator('[data-test="draft-dirty"]').waitFor({ state: 'hidden' })
  assert.equal(await page.locator('[data-test="save-problems"]').count(), 0)
  assert.match(await page.locator('[data-test="scoring-resumption"]').innerText(), /60 → 100/)
  // Saved: the reload shows the same draft.
  await page.reload()
  await page.locator('[data-test="node-resumption"]').waitFor()
  assert.equal(await page.locator('[data-test="weight-resumption"]').innerText(), '0.5')

  // Publish version 1.
  await openTab(page, 'versions')
  await page.locator('[data-test="publish"]').click()
  const publishDialog = page.locator('[data-test="publish-dialog"]')
  await publishDialog.waitFor()
  await field(publishDialog, 'publish-note', 'textarea').fill('首次发布')
  await page.locator('[data-test="publish-confirm"]').click()
  await publishDialog.waitFor({ state: 'hidden' })
  await page.locator('[data-test="system-version"]', { hasText: '第 1 版' }).waitFor()
  await page.locator('[data-test="versions-table"] .el-table__row', { hasText: '首次发布' }).waitFor()
  // Publishing again without a change is refused with the reason.
  await page.locator('[data-test="publish"]').click()
  await publishDialog.waitFor()
  await page.locator('[data-test="publish-confirm"]').click()
  await page.locator('[data-test="publish-error"]', { hasText: '草稿与最新发布的版本相同' }).waitFor()
  await page.keyboard.press('Escape')
  await publishDialog.waitFor({ state: 'hidden' })

  // The root's four dimensions compared pairwise, inconsistently: economic (3rd) over
  // sustainability (4th) but stakeholders (1st) 8 times below sustainability.
  await openTab(page, 'judgments')
  const form = page.locator(`[data-test="judge-${ROOT}"]`)
  await form.waitFor()
  assert.equal(await form.locator('[data-test^="pair-"][data-suggested]').count(), 6)
  const answers = { '0-1': '2', '0-2': '4', '0-3': '1/8', '1-2': '2', '1-3': '4', '2-3': '2' }
  for (const [pair, value] of Object.entries(answers)) {
    await form.locator(`[data-test="pair-${pair}"] [data-value="${value}"]`).click()
  }
  assert.match(await form.locator('[data-test="pair-words-0-3"]').innerText(), /可持续发展.*利益相关者.*8/)
  let live = await analysis(page, ROOT)
  assert.ok(live.cr >= 0.1 && !live.consistent, `CR ${live.cr}`)
  const suggestion = form.locator('[data-test="suggestion-0-3"]')
  await suggestion.waitFor()
  assert.match(await suggestion.innerText(), /建议改为/)
  assert.equal(await form.locator('[data-test="pair-0-3"]').getAttribute('data-suggested'), 'true')
  await page.screenshot({ path: join(state.outDir, 'evaluation-judgment-inconsistent-zh.png'), fullPage: true })
  await form.locator('[data-test="apply-0-3"]').click()
  live = await analysis(page, ROOT)
  assert.ok(live.cr < 0.1 && live.consistent, `CR ${live.cr}`)
  assert.equal(await form.locator('[data-test="pair-0-3"] [data-value="8"]').getAttribute('aria-pressed'), 'true')
  assert.equal(await suggestion.count(), 0)
  await page.locator(`[data-test="judge-save-${ROOT}"]`).click()
  await page.locator(`[data-test="judge-dirty-${ROOT}"]`).waitFor({ state: 'hidden' })
  const summary = page.locator(`[data-test="judgment-summary-${ROOT}"] .el-table__row`)
  await summary.filter({ hasText: 'evaluator' }).waitFor()
  await page.screenshot({ path: join(state.outDir, 'evaluation-judgment-zh.png'), fullPage: true })

  // The saved judgment fills the form again on the next visit.
  await page.reload()
  await form.waitFor()
  await form.locator('[data-test="pair-0-3"] [data-value="8"][aria-pressed="true"]').waitFor()
  assert.equal(await page.locator(`[data-test="judge-dirty-${ROOT}"]`).count(), 0)

  // The weights: the root's from the judgment (AHP), the dimensions' still the defaults.
  await openTab(page, 'weights')
  await page.locator(`[data-test="weights-source-${ROOT}"][data-source="ahp"]`).waitFor()
  assert.equal(await page.locator('[data-test="weights-source-economic"]').getAttribute('data-source'), 'default')
  await page.locator('[data-test="weights-chart"] canvas').waitFor()
  await settled(page)
  await page.screenshot({ path: join(state.outDir, 'evaluation-weights-zh.png'), fullPage: true })
  await page.context().close()
})

test('a county official designs but does not judge', async () => {
  assert.ok(systemPath, 'the first test created the system')
  const page = await newPage()
  await signIn(page, 'official')
  await page.goto(state.baseUrl + systemPath)
  await page.locator('[data-test="node-resumption"]').waitFor()
  assert.equal(await page.locator('[data-test="save-draft"]').count(), 1)
  // An edit while someone else saves the system is refused as a conflict; reloading discards it.
  await page.locator('[data-test="edit-node-resumption"]').click()
  const nodeDialog = page.locator('[data-test="node-dialog"]')
  await nodeDialog.waitFor()
  await fill(nodeDialog, 'node-weight', '0.9')
  await page.locator('[data-test="node-apply"]').click()
  await page.locator('[data-test="draft-dirty"]').waitFor()
  const status = await page.evaluate(async (path) => {
    const api = `/api/v1${path}`
    const { csrf_token: csrf } = await (await fetch('/api/v1/session')).json()
    const { version } = await (await fetch(api)).json()
    const res = await fetch(api, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ version, description: '县扶贫办补充说明' }),
    })
    return res.status
  }, systemPath)
  assert.equal(status, 200)
  await page.locator('[data-test="save-draft"]').click()
  await page.locator('[data-test="edit-conflict"]').waitFor()
  await page.locator('[data-test="conflict-reload"]').click()
  await page.locator('[data-test="draft-dirty"]').waitFor({ state: 'hidden' })
  await page.locator('[data-test="system-description"]', { hasText: '县扶贫办补充说明' }).waitFor()
  assert.equal(await page.locator('[data-test="weight-resumption"]').innerText(), '0.5')
  assert.equal(await page.locator('[data-test="edit-conflict"]').count(), 0)
  await openTab(page, 'judgments')
  await page.locator(`[data-test="judgment-summary-${ROOT}"] .el-table__row`, { hasText: 'evaluator' }).waitFor()
  assert.equal(await page.locator(`[data-test="judge-${ROOT}"]`).count(), 0)
  await page.context().close()
})

test('the village worker and the auditor read the system without changing it', async () => {
  for (const role of ['village', 'auditor']) {
    const page = await newPage()
    await signIn(page, role)
    await page.locator('[data-test="nav-evaluation"]').click()
    await page.locator('[data-test="evaluation-page"]').waitFor()
    await settled(page)
    assert.equal(await page.locator('[data-test="new-system"]').count(), 0)
    const row = page.locator('[data-test="systems-table"] .el-table__row', { hasText: NAME })
    await row.waitFor()
    assert.match(await row.innerText(), /第 1 版/)
    await row.click()
    await page.locator('[data-test="node-resumption"]').waitFor()
    await page.locator('[data-test="read-only"]').waitFor()
    assert.equal(await page.locator('[data-test="save-draft"]').count(), 0)
    assert.equal(await page.locator('[data-test^="edit-node-"]').count(), 0)
    await openTab(page, 'versions')
    assert.equal(await page.locator('[data-test="publish"]').count(), 0)
    await openTab(page, 'judgments')
    await page.locator(`[data-test="judgment-summary-${ROOT}"] .el-table__row`, { hasText: 'evaluator' }).waitFor()
    assert.equal(await page.locator(`[data-test="judge-${ROOT}"]`).count(), 0)
    await openTab(page, 'weights')
    await page.locator(`[data-test="weights-source-${ROOT}"][data-source="ahp"]`).waitFor()
    if (role === 'village') await page.screenshot({ path: join(state.outDir, 'evaluation-read-only-zh.png'), fullPage: true })
    await page.context().close()
  }
  // Expected refusals: 401 before signing in, 400 for the bad draft and for comparisons not yet
  // linking every dimension, 409 for the conflicting save, 422 for publishing an unchanged draft.
  assert.deepEqual(state.consoleErrors.filter((e) => !/status of 4(00|01|09|22) /.test(e)), [])
})
