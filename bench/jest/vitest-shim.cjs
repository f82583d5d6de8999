// @ts-nocheck — jest-only shim, not part of the type-checked course
// The vitest names the checks use, served by jest's globals. vitest's
// `expect(actual, message)` takes a message; jest's takes one argument.
/* global describe, test, expect, beforeAll, afterAll, beforeEach, afterEach */
const jestExpect = expect
const vitestExpect = Object.assign((actual) => jestExpect(actual), jestExpect)
// vitest hands a hook its test's context; jest hands a hook that takes an argument a
// `done` callback and waits for it. The checks' hooks read the context only where it is
// given, so they are called with none.
const hook = (register) => (fn, timeout) => register(() => fn(), timeout)
module.exports = {
  describe,
  test,
  it: test,
  expect: vitestExpect,
  beforeAll: hook(beforeAll),
  afterAll: hook(afterAll),
  beforeEach: hook(beforeEach),
  afterEach: hook(afterEach),
}
