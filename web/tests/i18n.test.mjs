// The zh-CN and en message files have the same keys, every key used in the UI exists, and no
// .vue file carries Chinese text of its own (all of it lives in src/locales).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import zhCN from '../src/locales/zh-CN.js'
import en from '../src/locales/en.js'

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src')

function keys(obj, prefix = '') {
  return Object.entries(obj).flatMap(([k, v]) =>
    v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  )
}

function files(dir, ext) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return files(path, ext)
    return path.endsWith(ext) ? [path] : []
  })
}

test('zh-CN and en have the same keys', () => {
  const zh = keys(zhCN).sort()
  const english = keys(en).sort()
  assert.deepEqual(
    zh.filter((k) => !english.includes(k)),
    [],
    'keys missing in en',
  )
  assert.deepEqual(
    english.filter((k) => !zh.includes(k)),
    [],
    'keys missing in zh-CN',
  )
})

test('no message is empty in zh-CN', () => {
  const empty = keys(zhCN).filter((k) => k.split('.').reduce((o, p) => o[p], zhCN) === '')
  assert.deepEqual(empty, [])
})

test('.vue files contain no Chinese literals', () => {
  const offenders = files(src, '.vue').filter((f) => /[\u3400-\u9fff\uff00-\uffef]/.test(readFileSync(f, 'utf8')))
  assert.deepEqual(offenders, [])
})

test('every literal t() key used in the sources exists', () => {
  const all = new Set(keys(zhCN))
  const missing = []
  for (const f of [...files(src, '.vue'), ...files(src, '.js')]) {
    for (const m of readFileSync(f, 'utf8').matchAll(/\bt\('([a-zA-Z0-9_.]+)'/g)) {
      if (!all.has(m[1])) missing.push(`${f}: ${m[1]}`)
    }
  }
  assert.deepEqual(missing, [])
})
