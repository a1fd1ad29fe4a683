// The harness of the browser end-to-end tests: a demo database served by the real fupin binary
// with the built web UI, and Debian's headless Chromium driven by playwright-core (never a
// downloaded browser). Each test file calls withDemoServer() once.
//
// Screenshots go to $FUPIN_E2E_OUT (default build/e2e).
import { before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, execFileSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const require = createRequire(join(root, 'web', 'package.json'))
const { chromium } = require('playwright-core')

const binary = process.env.FUPIN_BINARY || join(root, 'build', 'src', 'app', 'fupin')
const outDir = process.env.FUPIN_E2E_OUT || join(root, 'build', 'e2e')
const webRoot = join(root, 'web', 'dist')
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium'

let dir
let server
// What the tests use: the server's URL, the demo users' passwords, browser console errors.
export const state = { baseUrl: '', passwords: {}, consoleErrors: [], browser: null, outDir }

function startServer(db) {
  return new Promise((resolvePort, reject) => {
    const child = spawn(binary, ['serve', '--db', db, '--port', '0', '--web-root', webRoot], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 15000)
    child.stdout.on('data', (chunk) => {
      out += chunk
      const m = out.match(/running at (http:\/\/127\.0\.0\.1:\d+)\//)
      if (m) {
        clearTimeout(timer)
        resolvePort({ child, url: m[1] })
      }
    })
    child.stderr.on('data', (chunk) => (err += chunk))
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${err}`)))
  })
}

// Registers the hooks that start a demo database, its server and Chromium before the file's
// tests and stop them after.
export function withDemoServer(label) {
before(async () => {
  assert.ok(existsSync(binary), `fupin binary not found at ${binary}`)
  assert.ok(existsSync(join(webRoot, 'index.html')), 'web UI not built (npm run build in web/)')
  assert.ok(existsSync(chromiumPath), `Chromium not found at ${chromiumPath}`)
  mkdirSync(outDir, { recursive: true })
  dir = mkdtempSync(join(tmpdir(), `fupin-e2e-${label}-`))
  const db = `sqlite:${join(dir, 'e2e.db')}`
  const demo = execFileSync(binary, ['demo', '--db', db, '--no-serve'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  }).toString()
  for (const m of demo.matchAll(/\n {2}([a-z_]+) +(Fp-[0-9a-f]+) /g)) state.passwords[m[1]] = m[2]
  assert.equal(Object.keys(state.passwords).length, 9, demo) // one per role, and a township official
  const started = await startServer(db)
  server = started.child
  state.baseUrl = started.url
  state.browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
})

after(async () => {
  if (state.browser) await state.browser.close()
  if (server) {
    server.removeAllListeners('exit')
    server.kill('SIGTERM')
  }
  if (dir) rmSync(dir, { recursive: true, force: true })
})
}

// Waits until no loading mask is left on the page (before assertions on loaded data and
// before screenshots).
export async function settled(page) {
  await page.waitForFunction(() => document.querySelectorAll('.el-loading-mask').length === 0)
}

export async function newPage() {
  const context = await state.browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
  const page = await context.newPage()
  page.on('console', (msg) => {
    if (msg.type() === 'error') state.consoleErrors.push(msg.text())
  })
  page.on('pageerror', (e) => state.consoleErrors.push(String(e)))
  return page
}

// Signs in through the login page.
export async function signIn(page, role = 'admin') {
  await page.goto(state.baseUrl + '/login')
  await page.locator('input[data-test="login-name"]').fill(role)
  await page.locator('input[data-test="login-password"]').fill(state.passwords[role])
  await page.locator('[data-test="login-submit"]').click()
  await page.locator('[data-test="user-name"]').waitFor()
}
