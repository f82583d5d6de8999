// `expect`, built the way vitest builds it: chai with vitest's own plugins from
// @vitest/expect, so a failing check reads word for word as in the terminal.
// Left out: snapshots, `expect.poll` and `expect.soft` (no check uses them).
import * as chai from 'chai'
import {
  ASYMMETRIC_MATCHERS_OBJECT,
  ChaiStyleAssertions,
  customMatchers,
  getState,
  GLOBAL_EXPECT,
  JestAsymmetricMatchers,
  JestChaiExpect,
  JestExtend,
  setState,
} from '@vitest/expect'

chai.use(JestExtend)
chai.use(JestChaiExpect)
chai.use(ChaiStyleAssertions)
chai.use(JestAsymmetricMatchers)
// vitest.config.ts: `chaiConfig: { truncateThreshold: 0 }` — values are never cut short.
chai.config.truncateThreshold = 0

export interface AssertionState {
  assertionCalls: number
  isExpectingAssertions: boolean
  isExpectingAssertionsError: Error | null
  expectedAssertionsNumber: number | null
  expectedAssertionsNumberErrorGen: (() => Error) | null
}

// chai's and vitest's typings describe the full vitest API; this runtime offers its core.
export type Expect = ((value: unknown, message?: string) => Chai.Assertion) & Record<string, unknown>

/** The `expect` a check file imports from 'vitest', with vitest's assertion counting. */
export function createExpect(): Expect {
  const expect = ((value: unknown, message?: string) => {
    const { assertionCalls } = getState(expect as never) as AssertionState
    setState({ assertionCalls: assertionCalls + 1 }, expect as never)
    return chai.expect(value, message)
  }) as Expect
  Object.assign(expect, chai.expect)
  Object.assign(expect, (globalThis as Record<symbol, object>)[ASYMMETRIC_MATCHERS_OBJECT])
  expect.getState = () => getState(expect as never)
  expect.setState = (state: object) => setState(state, expect as never)
  resetAssertions(expect, '')
  expect.assert = chai.assert
  expect.extend = (matchers: object) => (chai.expect as unknown as { extend(e: unknown, m: object): void }).extend(expect, matchers)
  expect.unreachable = (message?: string) => {
    chai.assert.fail(`expected${message ? ` "${message}" ` : ' '}not to be reached`)
  }
  const assertions = (expected: number) => {
    const errorGen = () => new Error(`expected number of assertions to be ${expected}, but got ${(getState(expect as never) as AssertionState).assertionCalls}`)
    setState({ expectedAssertionsNumber: expected, expectedAssertionsNumberErrorGen: errorGen }, expect as never)
  }
  const hasAssertions = () => {
    setState({ isExpectingAssertions: true, isExpectingAssertionsError: new Error('expected any number of assertion, but got none') }, expect as never)
  }
  chai.util.addMethod(expect, 'assertions', assertions)
  chai.util.addMethod(expect, 'hasAssertions', hasAssertions)
  ;(expect.extend as (m: object) => void)(customMatchers)
  ;(globalThis as Record<symbol, unknown>)[GLOBAL_EXPECT] = expect
  return expect
}

/** Before each check, as vitest's runner does: no assertions counted or expected yet. */
export function resetAssertions(expect: Expect, testName: string): void {
  setState(
    {
      assertionCalls: 0,
      isExpectingAssertions: false,
      isExpectingAssertionsError: null,
      expectedAssertionsNumber: null,
      expectedAssertionsNumberErrorGen: null,
      currentTestName: testName,
    },
    expect as never,
  )
}

/** The error vitest raises after a check that asked for a number of assertions and made another. */
export function assertionCountError(expect: Expect): Error | undefined {
  const s = getState(expect as never) as AssertionState
  if (s.expectedAssertionsNumber !== null && s.assertionCalls !== s.expectedAssertionsNumber) return s.expectedAssertionsNumberErrorGen?.() ?? undefined
  if (s.isExpectingAssertions && s.assertionCalls === 0) return s.isExpectingAssertionsError ?? undefined
  return undefined
}
