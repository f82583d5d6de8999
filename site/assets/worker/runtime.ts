// The part of vitest a check file uses, for one run: `describe` and `test` collect,
// then the checks run one by one in the order they were declared, each with
// vitest's 5-second limit on a check that waits, and a verdict per check with the
// message vitest would report (`errors[0].message`).
//
// Supported: describe, test, it, test.each/it.each over rows of objects, expect,
// beforeAll/afterAll/beforeEach/afterEach. Anything else a check file asks of
// 'vitest' fails its load with a message naming it, rather than passing unseen.
import type { CheckVerdict } from '../../workspace/protocol.ts'
import { assertionCountError, createExpect, type Expect, resetAssertions } from './expect.ts'

type Body = () => unknown
/** What vitest hands a `beforeEach` hook: here only `onTestFailed`, as checks/support/task.ts uses it. */
interface HookContext {
  onTestFailed(fn: (result: { task: { result: { errors: { name?: string; message?: string; stack?: string }[] } } }) => void): void
}
type Hook = (context: HookContext) => unknown

interface Check {
  suite: string[]
  name: string
  fn: Body
  hooks: Hooks[]
}

interface Hooks {
  beforeEach: Hook[]
  afterEach: Body[]
}

/** vitest.config.ts `testTimeout`: a check that waits longer has failed. */
export const CHECK_TIMEOUT_MS = 5000

/** What vitest reports for any thrown value: an Error's message, or the value as text. */
export function messageOf(err: unknown): string {
  if (!err || typeof err !== 'object') return String(err)
  const message = (err as { message?: unknown }).message
  return typeof message === 'string' ? message : 'check failed'
}

/** `test.each(rows)('name $field')`, as vitest formats a row's title for object rows. */
function title(template: string, row: unknown, index: number): string {
  let out = template.replace(/\$([\w.]+)/g, (whole, key: string) => {
    let v: unknown = row
    for (const k of key.split('.')) v = (v as Record<string, unknown> | undefined)?.[k]
    return v === undefined && !(key in ((row as object) ?? {})) ? whole : typeof v === 'string' ? `'${v}'` : String(v)
  })
  out = out.replace(/%#/g, String(index)).replace(/%\$/g, String(index + 1))
  return out
}

/** One run's checks, as the check file declares them. */
export class Collector {
  readonly checks: Check[] = []
  private readonly suites: string[] = []
  private readonly hookStack: Hooks[] = [{ beforeEach: [], afterEach: [] }]
  private readonly beforeAll: Body[] = []
  private readonly afterAll: Body[] = []
  readonly expect: Expect

  constructor(expect: Expect) {
    this.expect = expect
  }

  /** The object `import … from 'vitest'` gives a check file. */
  api(): Record<string, unknown> {
    const test = (name: string, fn: Body) => {
      this.checks.push({ suite: [...this.suites], name, fn, hooks: [...this.hookStack] })
    }
    const each =
      (rows: readonly unknown[]) =>
      (name: string, fn: (row: unknown) => unknown) =>
        rows.forEach((row, i) => test(title(name, row, i), () => (Array.isArray(row) ? (fn as (...a: unknown[]) => unknown)(...row) : fn(row))))
    Object.assign(test, { each })
    const describe = (name: string, body: () => void) => {
      this.suites.push(name)
      this.hookStack.push({ beforeEach: [], afterEach: [] })
      try {
        body()
      } finally {
        this.hookStack.pop()
        this.suites.pop()
      }
    }
    const top = () => this.hookStack[this.hookStack.length - 1]!
    const api: Record<string, unknown> = {
      describe,
      test,
      it: test,
      expect: this.expect,
      beforeEach: (fn: Hook) => top().beforeEach.push(fn),
      afterEach: (fn: Body) => top().afterEach.push(fn),
      beforeAll: (fn: Body) => this.beforeAll.push(fn),
      afterAll: (fn: Body) => this.afterAll.push(fn),
    }
    return new Proxy(api, {
      get(target, key) {
        if (typeof key === 'string' && !(key in target) && key !== '__esModule' && key !== 'then') {
          throw new Error(`the browser's check runtime has no vitest.${key}: run this kata's checks in the terminal (katas check)`)
        }
        return target[key as string]
      },
    })
  }

  /** Runs every check in order; `onCheck` is told each one's name before it starts. */
  async run(onCheck: (name: string) => void, placeOf: (err: unknown) => CheckVerdict['at']): Promise<CheckVerdict[]> {
    const verdicts: CheckVerdict[] = []
    for (const fn of this.beforeAll) await fn()
    for (const check of this.checks) {
      onCheck(check.name)
      resetAssertions(this.expect, [...check.suite, check.name].join(' > '))
      let error: unknown
      let failed = false
      const onFailed: Parameters<HookContext['onTestFailed']>[0][] = []
      const context: HookContext = { onTestFailed: (fn) => void onFailed.push(fn) }
      try {
        for (const h of check.hooks) for (const fn of h.beforeEach) await fn(context)
        await within(check.fn(), CHECK_TIMEOUT_MS)
        const count = assertionCountError(this.expect)
        if (count) throw count
      } catch (err) {
        failed = true
        error = err
      }
      try {
        for (const h of [...check.hooks].reverse()) for (const fn of h.afterEach) await fn()
      } catch (err) {
        if (!failed) {
          failed = true
          error = err
        }
      }
      const verdict: CheckVerdict = { suite: check.suite, name: check.name, passed: !failed }
      if (failed) {
        // As vitest: the failure handlers see the serialized error and may add to its message.
        const errors = [{ name: error instanceof Error ? error.name : undefined, message: messageOf(error), stack: error instanceof Error ? error.stack : undefined }]
        for (const fn of onFailed) {
          try {
            fn({ task: { result: { errors } } })
          } catch {
            // A handler's own failure does not change the check's verdict.
          }
        }
        verdict.message = errors[0]!.message
        const at = placeOf(error)
        if (at) verdict.at = at
      }
      verdicts.push(verdict)
    }
    for (const fn of this.afterAll) await fn()
    return verdicts
  }
}

/** The check's own result; a promise must settle within the limit. */
async function within(result: unknown, ms: number): Promise<void> {
  if (!result || typeof (result as Promise<unknown>).then !== 'function') return
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Test timed out in ${ms}ms.\nIf this is a long-running test, pass a timeout value as the last argument or configure it globally with "testTimeout".`)), ms)
  })
  try {
    await Promise.race([result, timeout])
  } finally {
    clearTimeout(timer)
  }
}

export { createExpect }
