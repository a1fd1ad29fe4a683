// Browser end-to-end test: the real fupin binary serving a demo database and the built web UI,
// driven in Debian's headless Chromium by playwright-core (never a downloaded browser).
//
//   FUPIN_BINARY=build/src/app/fupin node --test tests/e2e/  (the harness: harness.mjs)
//
// Screenshots go to $FUPIN_E2E_OUT (default build/e2e).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { state, withDemoServer, settled, newPage, signIn } from './harness.mjs'

withDemoServer('regions')

// Expands the tree node of `code` and returns the codes of its children once they show.
async function expand(page, code) {
  const content = page.locator('.el-tree-node__content', { has: page.locator(`[data-code="${code}"]`) }).first()
  await content.locator('.el-tree-node__expand-icon').click()
  const node = content.locator('xpath=..')  // the .el-tree-node that owns this row
  const children = node.locator(
    ':scope > .el-tree-node__children > .el-tree-node > .el-tree-node__content [data-code]',
  )
  await children.first().waitFor()
  return children.evaluateAll((els) => els.map((e) => ({ code: e.dataset.code })))
}

test('signing in is required, wrong passwords are refused, and signing out works', async () => {
  const page = await newPage()
  await page.goto(state.baseUrl + '/regions')
  await page.locator('[data-test="login-page"]').waitFor()
  assert.match(page.url(), /\/login\?next=(%2F|\/)regions$/)
  await page.locator('input[data-test="login-name"]').fill('official')
  await page.locator('input[data-test="login-password"]').fill('not-the-password')
  await page.locator('[data-test="login-submit"]').click()
  await page.locator('[data-test="login-error"]').getByText('用户名或密码错误').waitFor()
  await page.locator('input[data-test="login-password"]').fill(state.passwords.official)
  await page.locator('[data-test="login-submit"]').click()
  await page.locator('[data-test="user-name"]').getByText('县扶贫办干部').waitFor()
  assert.match(page.url(), /\/regions$/)  // back where they wanted to go
  // An API token, created from the user menu, is shown once and then works as a Bearer token.
  await page.locator('[data-test="user-menu-button"]').click()
  await page.locator('[data-test="menu-tokens"]').click()
  await page.locator('input[data-test="token-name"]').fill('nightly export')
  await page.locator('[data-test="token-create"]').click()
  const token = (await page.locator('[data-test="token-value"]').innerText()).trim()
  assert.match(token, /^fpt_[0-9a-f]{64}$/)
  const viaToken = await fetch(state.baseUrl + '/api/v1/regions/990121000000', {
    headers: { Authorization: `Bearer ${token}` },
  })
  assert.equal(viaToken.status, 200)
  await page.locator('[data-test="tokens-dialog"] .el-dialog__headerbtn').click()
  await page.locator('[data-test="user-menu-button"]').click()
  await page.locator('[data-test="menu-logout"]').click()
  await page.locator('[data-test="login-page"]').waitFor()
  await page.goto(state.baseUrl + '/')
  await page.locator('[data-test="login-page"]').waitFor()
  await page.context().close()
})

test('the app opens in Chinese with the sidebar and a region selected', async () => {
  const page = await newPage()
  await signIn(page)
  await page.locator('[data-test="brand"]').getByText('扶贫绩效管理系统').waitFor()
  await page.locator('[data-test="nav-regions"]').getByText('行政区划').waitFor()
  // Modules not built yet are listed but disabled; built ones are live.
  const disabled = await page.locator('.el-menu-item.is-disabled').allInnerTexts()
  assert.ok(disabled.some((text) => text.includes('评价方法')), disabled.join(' | '))
  assert.ok(!disabled.some((text) => text.includes('绩效评价')), disabled.join(' | '))
  assert.equal(await page.locator('[data-test="nav-projects"].is-disabled').count(), 0)
  assert.equal(await page.locator('[data-test="nav-evaluation"]:not(.is-disabled)').count(), 1)
  // The header's region selector defaults to the first province; the dashboard counts below it.
  await page.locator('[data-test="region-selector-value"]').getByText('陇原示范省').waitFor()
  await page.locator('[data-test="stat-village"]').waitFor()
  const villages = await page.locator('[data-test="stat-village"] .stat-value').innerText()
  assert.ok(Number(villages.replace(/[^0-9]/g, '')) > 150, villages)
  await page.locator('[data-test="children-chart"] canvas').waitFor()
  await settled(page)
  await page.screenshot({ path: join(state.outDir, 'dashboard-zh.png'), fullPage: true })
  await page.context().close()
})

test('the region tree expands from province to village, then the language switches', async () => {
  const page = await newPage()
  await signIn(page)
  await page.locator('[data-test="nav-regions"]').click()
  await page.locator('[data-test="region-tree"] [data-code="990000000000"]').waitFor()

  // Each node shows its number of children, and expanding it shows exactly that many.
  let code = '990000000000'
  for (const level of ['city', 'county', 'township', 'village']) {
    const count = Number(
      await page.locator(`[data-code="${code}"] .node-count`).getAttribute('data-count'),
    )
    const children = await expand(page, code)
    assert.equal(children.length, count, `children of ${code}`)
    code = children[0].code
    const tag = page.locator(`[data-code="${code}"] [data-level]`)
    assert.equal(await tag.getAttribute('data-level'), level)
  }
  // Select the village: its details show with the path of its four ancestors.
  await page.locator(`[data-code="${code}"]`).click()
  await page.locator('[data-test="detail-code"]').getByText(code).waitFor()
  assert.equal(await page.locator('[data-test="region-path"] .el-breadcrumb__item').count(), 5)
  assert.match(page.url(), new RegExp(`/regions/${code}$`))
  await settled(page)
  await page.screenshot({ path: join(state.outDir, 'regions-zh.png'), fullPage: true })

  // Switch to English: labels change, and the choice survives a reload.
  await page.locator('[data-test="language-button"]').click()
  await page.locator('[data-test="language-en"]').click()
  await page.locator('[data-test="nav-regions"]').getByText('Regions').waitFor()
  await page.locator('[data-test="brand"]').getByText('Poverty Alleviation Performance Management').waitFor()
  await page.reload()
  await page.locator('[data-test="region-details"]').getByText('Region details').waitFor()
  await page.locator('[data-test="detail-code"]').getByText(code).waitFor()  // deep link
  await settled(page)
  await page.screenshot({ path: join(state.outDir, 'regions-en.png'), fullPage: true })
  await page.context().close()
})

test('search finds regions by name and opens them', async () => {
  const page = await newPage()
  await signIn(page)
  await page.goto(state.baseUrl + '/regions')
  await page.locator('input[data-test="region-search"]').fill('社区')
  const results = page.locator('[data-test="search-results"] .el-table__row')
  await results.first().waitFor()
  const name = await results.first().locator('td').first().innerText()
  assert.match(name, /社区/)
  await results.first().click()
  await page.locator('[data-test="detail-name"]').getByText(name.trim()).waitFor()
  await page.context().close()
})

test('admins manage users and read the verified audit log; officials see neither', async () => {
  const page = await newPage()
  await signIn(page, 'admin')
  await page.locator('[data-test="nav-users"]').click()
  const rows = page.locator('[data-test="users-table"] .el-table__body-wrapper .el-table__row')
  // The nine sign-in users and the demo evaluation's five experts.
  await rows.nth(13).waitFor()
  assert.equal(await rows.count(), 14)
  // Create a user; a weak password is refused with the reason next to the field.
  await page.locator('[data-test="new-user"]').click()
  await page.locator('[data-test="user-name-input"] input, input[data-test="user-name-input"]').first().fill('li.si')
  const dialog = page.locator('[data-test="user-dialog"]')
  await dialog.locator('input[type="password"]').fill('short')
  await page.locator('[data-test="user-save"]').click()
  await dialog.getByText('密码少于 10 个字符').waitFor()
  await dialog.locator('input[type="password"]').fill('Li-Si-Tianzhu-2020')
  await page.locator('[data-test="user-save"]').click()
  await rows.nth(9).waitFor()
  // Edit li.si's role: move it from the province to the demo county.
  const liSi = rows.filter({ hasText: 'li.si' })
  await liSi.locator('[data-test="edit-roles"]').click()
  const rolesDialog = page.locator('[data-test="roles-dialog"]')
  await rolesDialog.locator('.binding input').nth(1).fill('990121000000')
  await page.locator('[data-test="roles-save"]').click()
  await liSi.getByText('990121000000').waitFor()
  // Organizations: the demo's eleven (two, and nine workshop operators), a refused credit
  // code, then a valid one.
  await page.locator('[data-test="nav-organizations"]').click()
  const orgRows = page.locator('[data-test="orgs-table"] .el-table__body-wrapper .el-table__row')
  await orgRows.nth(10).waitFor()
  assert.equal(await orgRows.count(), 11)
  await page.locator('[data-test="new-org"]').click()
  await page.locator('input[data-test="org-name"]').fill('天祝县藏香猪养殖专业合作社')
  await page.locator('input[data-test="org-region"]').fill('990121001001')
  await page.locator('input[data-test="org-credit-code"]').fill('91350100M000100Y44')
  await page.locator('[data-test="org-save"]').click()
  await page.locator('[data-test="org-dialog"]').getByText('校验码应为“3”').waitFor()
  await page.locator('input[data-test="org-credit-code"]').fill('91350100M000100Y43')
  await page.locator('[data-test="org-save"]').click()
  await orgRows.nth(11).waitFor()
  // The audit log shows the creation, and the chain verifies.
  await page.locator('[data-test="nav-audit"]').click()
  await page.locator('[data-test="audit-table"]').getByText('li.si').first().waitFor()
  await page.locator('[data-test="audit-verify"]').click()
  await page.locator('[data-test="audit-verification"]').getByText('日志链完整').waitFor()
  await settled(page)
  await page.screenshot({ path: join(state.outDir, 'audit-zh.png'), fullPage: true })
  await page.context().close()

  const official = await newPage()
  await signIn(official, 'official')
  await official.locator('[data-test="nav-regions"]').waitFor()
  assert.equal(await official.locator('[data-test="nav-users"]').count(), 0)
  assert.equal(await official.locator('[data-test="nav-audit"]').count(), 0)
  await official.goto(state.baseUrl + '/admin/users')  // typed by hand: sent back to the dashboard
  await official.locator('[data-test="dashboard"]').waitFor()
  await official.context().close()
})

test('no errors in the browser console (CSP included)', () => {
  // The tests provoke some answers on purpose: 401 (a wrong password, checks while signed out)
  // and 400 (a weak password refused). Anything else — a CSP violation, a script error — fails.
  const unexpected = state.consoleErrors.filter((e) => !/status of 40[01] /.test(e))
  assert.deepEqual(unexpected, [])
})
