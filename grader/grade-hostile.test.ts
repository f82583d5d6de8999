// `katas grade` on hostile or broken learner code: each checkout is solved except for
// one edit, and gets a clear verdict for its kata while the other katas are still graded.
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { SOLUTIONS_DIR, STUBS_DIR } from '../harness/paths.ts'
import { assertBuilt, checkoutsIn, gradeTmp, katasGrade, readSummary, withBaseline } from './grade.testing.ts'

const TMP = gradeTmp()
const checkout = checkoutsIn(TMP)

const SELECTOR = 'labels/selector.ts'
/** Edits the kata 02 module of a workspace. */
const selector = (change: (text: string) => string) => (ws: string) => {
  const file = path.join(ws, SELECTOR)
  writeFileSync(file, change(readFileSync(file, 'utf8')))
}
const prepend = (code: string) => selector((t) => `${code}\n${t}`)
/** Puts `code` first in the body of `everything()`, which many kata 02 checks call. */
// selectorFromSet is the learner's on the core path; given code is restored from the reference before grading.
const inSelectorFromSet = (code: string) => selector((t) => t.replace('export function selectorFromSet(set: Labels | undefined | null): Selector {', (m) => `${m}\n  ${code}`))

beforeAll(assertBuilt)
afterAll(() => rmSync(TMP, { recursive: true, force: true }))

describe('katas grade on hostile checkouts', { timeout: 600_000 }, () => {
  // Each checkout is solved except for one hostile edit to kata 02's module (or
  // its check file); kata 04 does not import that module and must still be graded.
  const HOSTILE: { name: string; from?: string; edit: (ws: string, dir: string) => void; verdict: string; message?: RegExp; kata04?: string }[] = [
    { name: 'endless-loop', edit: inSelectorFromSet('for (;;) {}'), verdict: 'timeout', message: /did not finish within 12 s; the check running was "/ },
    { name: 'throw-at-import', edit: prepend("throw new Error('boom at import')"), verdict: 'error', message: /boom at import/ },
    { name: 'process-exit', edit: prepend('process.exit(0)'), verdict: 'error', message: /process\.exit unexpectedly called/ },
    { name: 'process-kill', edit: prepend("process.kill(process.pid, 'SIGKILL')"), verdict: 'error', message: /process\.kill was called by the graded code/ },
    { name: 'process-crash', edit: prepend(';(process as unknown as { reallyExit(code: number): void }).reallyExit(7)'), verdict: 'crashed', message: /the code ended the process, or ran it out of memory/ },
    { name: 'syntax-error', edit: selector((t) => `${t}\nexport const = ;\n`), verdict: 'error', message: /labels\/selector\.ts/ },
    // Checks grade behaviour; types are erased, as under vitest in the learner loop.
    { name: 'type-error', edit: selector((t) => `${t}\nexport const answer: number = 'forty-two'\n`), verdict: 'passed' },
    { name: 'missing-file', edit: (ws) => rmSync(path.join(ws, SELECTOR)), verdict: 'error', message: /missing workspace\/labels\/selector\.ts — restore the stub with `katas reset 02`/ },
    { name: 'console-flood', edit: inSelectorFromSet("const mb = 'x'.repeat(1 << 20); for (let i = 0; i < 4096; i++) console.log(mb)"), verdict: 'passed' },
    { name: 'imports-solutions', edit: selector(() => "export * from '../../solutions/labels/selector.ts'\n"), verdict: 'forbidden', message: /workspace\/labels\/selector\.ts imports "\.\.\/\.\.\/solutions\/labels\/selector\.ts"/ },
    // A computed path escapes the static scan; in a sandbox the reference is not there, and without one the grading plugin refuses it.
    {
      name: 'imports-solutions-at-run-time',
      edit: prepend(`const where = [${JSON.stringify(SOLUTIONS_DIR)}, 'labels', 'selector.ts'].join('/')\nexport const reference = await import(where)`),
      verdict: 'error',
      message: /solutions\/labels\/selector\.ts/,
    },
    // Katas of a checkout share a grading process; a workspace changed under them makes each run again alone.
    {
      name: 'breaks-another-kata',
      edit: prepend("import { writeFileSync as __write } from 'node:fs'\ntry { __write(new URL('../kubelet/envvars.ts', import.meta.url), 'throw new Error(\"broken by kata 02\")\\n') } catch {}"),
      verdict: 'passed',
    },
    {
      name: 'tampered',
      from: STUBS_DIR,
      edit: (_ws, dir) => {
        writeFileSync(path.join(dir, 'checks', '02-label-selectors.check.ts'), "import { test } from 'vitest'\ntest('all good', () => {})\n")
        rmSync(path.join(dir, 'vitest.config.ts'))
      },
      verdict: 'failed',
      kata04: 'failed',
    },
  ]

  test('hostile or broken learner code gets a clear verdict for its kata, and the other katas are still graded', () => {
    const dirs = HOSTILE.map((h) => checkout(h.name, h.from ?? SOLUTIONS_DIR, h.edit))
    const out = path.join(TMP, 'out-hostile')
    const r = katasGrade(...dirs, '--kata', '02', '--kata', '04', '--timeout', '12', '--json', out, '--csv', path.join(out, 'grades.csv'))
    expect(r.stderr).toBe('')
    expect(r.code).toBe(1)
    const summary = readSummary(out)
    expect(summary.map((s) => s.learner)).toEqual(HOSTILE.map((h) => h.name))
    for (const [i, h] of HOSTILE.entries()) {
      const [k02, k04] = summary[i]!.katas
      expect(k02!.verdict, h.name).toBe(h.verdict)
      if (h.message) expect(k02!.message, h.name).toMatch(h.message)
      if (h.verdict !== 'passed') expect(k02!.points, h.name).toBe(0)
      expect(k02!.message ?? '', h.name).not.toMatch(/katas-grade-|\n\s+at /)
      expect(k04!.verdict, `${h.name}: kata 04`).toBe(h.kata04 ?? 'passed')
    }
    const tampered = summary.find((s) => s.learner === 'tampered')!
    expect(tampered.tampering).toEqual(
      withBaseline([
        { file: 'checks/02-label-selectors.check.ts', change: 'changed' },
        { file: 'vitest.config.ts', change: 'deleted' },
      ]),
    )
    expect(tampered.points).toBe(0)
    expect(r.stdout).toContain('tampering: checks/02-label-selectors.check.ts changed')
    // Gigabytes printed, a few hundred characters kept.
    const flood = JSON.parse(readFileSync(path.join(out, 'console-flood', '02-label-selectors.json'), 'utf8')) as { tests: { output: string | null }[] }
    const outputs = flood.tests.map((t) => t.output).filter((o) => o !== null)
    expect(outputs.length).toBeGreaterThan(0)
    expect(outputs.every((o) => o.length <= 500 && o.includes('[output truncated]'))).toBe(true)
    const csvRows = readFileSync(path.join(out, 'grades.csv'), 'utf8').trim().split('\n')
    expect(csvRows).toHaveLength(HOSTILE.length + 1)
    expect(csvRows.find((row) => row.startsWith('endless-loop,'))).toContain('02 timed out')
  })
})
