// @ts-nocheck — jest-only shim, not part of the type-checked course
// The vitest names the checks use, served by jest's globals. vitest's
// `expect(actual, message)` takes a message; jest's takes one argument.
/* global describe, test, expect, beforeAll, afterAll, beforeEach, afterEach */
const jestExpect = expect
const vitestExpect = Object.assign((actual) => jestExpect(actual), jestExpect)
module.exports = { describe, test, it: test, expect: vitestExpect, beforeAll, afterAll, beforeEach, afterEach }
