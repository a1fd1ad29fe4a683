// The save-error state the edit dialogs share (src/formErrors.js).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { useSaveErrors, chinaToday } from '../src/formErrors.js'

test('a conflict keeps the current version; other errors their problems', () => {
  const errors = useSaveErrors()
  errors.set({ status: 409, code: 'conflict', currentVersion: 7, details: [], message: 'x' }, 5)
  assert.equal(errors.conflict.value, 7)
  assert.deepEqual(errors.problems.value, [])
  errors.clear()
  assert.equal(errors.conflict.value, 0)
  const details = [{ column: 'phone', reason: '手机号码应为以 1 开头的 11 位数字' }]
  errors.set({ status: 400, code: 'invalid_argument', details, message: '修改有 1 个问题' }, 5)
  assert.equal(errors.conflict.value, 0)
  assert.deepEqual(errors.problems.value, details)
  assert.equal(errors.message.value, '修改有 1 个问题')
  // A failure without details still shows its message as the one problem.
  errors.set({ status: 500, code: 'internal', details: [], message: 'internal error' }, 5)
  assert.deepEqual(errors.problems.value, [{ column: '', reason: 'internal error' }])
  // A 409 that is not a version conflict (a taken number) lists its problems.
  errors.clear()
  errors.set({ status: 409, code: 'already_exists', details: [{ column: 'n', reason: 'r' }], message: 'm' }, 5)
  assert.equal(errors.conflict.value, 0)
  assert.equal(errors.problems.value.length, 1)
})

test("China's date is eight hours ahead of UTC", () => {
  assert.match(chinaToday(), /^\d{4}-\d{2}-\d{2}$/)
  const utc = new Date().toISOString().slice(0, 10)
  assert.ok(chinaToday() >= utc)
})
