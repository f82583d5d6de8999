// `katas grade`, run as an instructor would: the real command on learner
// checkouts made here from the solutions or the stubs plus one hostile edit each.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Ajv } from 'ajv'
import { XMLParser } from 'fast-xml-parser'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { loadCourse } from '../harness/course.ts'
import { PACKAGE_ROOT, SOLUTIONS_DIR, STUBS_DIR } from '../harness/paths.ts'
import { findTampering, readManifest, type Tampering } from './checksums.ts'
import { learnerCheckout } from './checkout.testing.ts'
import { probeSandbox } from './sandbox.ts'

const BIN = path.join(PACKAGE_ROOT, 'bin', 'katas.mjs')
const { KATAS_SELFTEST: _selftest, KATAS_IMPL: _impl, ...inherited } = process.env
const env = { ...inherited, NO_COLOR: '1', FORCE_COLOR: '0' }
const TMP = mkdtempSync(path.join(os.tmpdir(), 'katas-grade-test-'))
const katas = loadCourse()
/** Points of a kata on the core path, the default track. */
const corePoints = (k: (typeof katas)[number]) => k.tasks.filter((t) => t.track === 'core').reduce((m, t) => m + t.points, 0)
const MAX = katas.reduce((n, k) => n + corePoints(k), 0)
// Fixtures copy the course as it is now; while its protected files differ from the
// manifest (until `npm run checksums`), every fixture shows that difference too.
const BASELINE = findTampering(PACKAGE_ROOT, readManifest())
const withBaseline = (extra: Tampering[]) =>
  [...BASELINE.filter((b) => !extra.some((e) => e.file === b.file)), ...extra].sort((a, b) => a.file.localeCompare(b.file))

function katasGrade(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, 'grade', ...args], { cwd: PACKAGE_ROOT, env, encoding: 'utf8', input: '', maxBuffer: 64 * 1024 * 1024 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** A learner checkout: the course's protected files and a workspace copied from `from`, then one edit. */
const checkout = (name: string, from: string, edit?: (ws: string, dir: string) => void) => learnerCheckout(TMP, name, from, edit)

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

interface Summary {
  learner: string
  points: number
  max_points: number
  tampering: { file: string; change: string }[]
  katas: { kata: string; verdict: string; points: number; max_points: number; message: string | null }[]
}
const readSummary = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')) as Summary[]

beforeAll(() => {
  if (!existsSync(path.join(PACKAGE_ROOT, 'dist', 'grader', 'command.js'))) throw new Error('dist/ is not built: run `npm run build`')
})
afterAll(() => rmSync(TMP, { recursive: true, force: true }))

describe('katas grade', { timeout: 600_000 }, () => {
  test('the checksum manifest matches the protected files (run `npm run checksums` after changing them)', () => {
    // Listed as tampering with the course itself, so a stale manifest names its files.
    expect(findTampering(PACKAGE_ROOT, readManifest())).toEqual([])
  })

  test('usage errors: one line and a hint, exit code 2, no stack trace', () => {
    for (const [args, message] of [
      [[path.join(TMP, 'no-such-checkout')], 'no checkout folder at'],
      [['--timeout', 'soon'], '--timeout: expected a number above 0, got "soon"'],
      [['--jobs', '1.5'], '--jobs: expected a whole number above 0'],
      [['--kata', 'ingress'], '--kata: unknown kata "ingress"'],
      [['--frobnicate'], "Unknown option '--frobnicate'"],
      [['--sandbox', 'maybe'], '--sandbox: expected auto, required, off, got "maybe"'],
    ] as const) {
      const r = katasGrade(...args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr).toContain(message)
      expect(r.stderr).toContain('hint:')
      expect(r.stderr).not.toMatch(/\n\s+at /)
    }
  })

  test('a solved checkout gets every point and an untouched one none; JSON (v3 schema), JUnit and CSV are written', () => {
    const solved = checkout('solved', SOLUTIONS_DIR)
    const untouched = checkout('untouched', STUBS_DIR)
    const out = path.join(TMP, 'out-all')
    const r = katasGrade(solved, untouched, '--timeout', '60', '--json', path.join(out, 'json'), '--junit', path.join(out, 'junit.xml'), '--csv', path.join(out, 'grades.csv'), '--markdown', path.join(out, 'summary.md'))
    expect(r.stderr).toBe('')
    expect(r.code).toBe(1)
    expect(r.stdout).toContain(`solved: ${MAX}/${MAX} points`)
    expect(r.stdout).toContain(`untouched: 0/${MAX} points`)

    const [s, u] = readSummary(path.join(out, 'json'))
    expect(s!.katas.map((k) => k.verdict)).toEqual(katas.map(() => 'passed'))
    expect(s!.points).toBe(MAX)
    expect(s!.tampering).toEqual(BASELINE)
    expect(u!.katas.map((k) => k.verdict)).toEqual(katas.map(() => 'failed'))
    expect(u!.points).toBe(0)

    const ajv = new Ajv({ allErrors: true })
    const validate = ajv.compile(JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'grader', 'results-v3.schema.json'), 'utf8')))
    for (const [learner, status] of [['solved', 'pass'], ['untouched', 'fail']] as const) {
      const files = readdirSync(path.join(out, 'json', learner)).sort()
      expect(files).toEqual(katas.map((k) => `${k.name}.json`))
      for (const [i, f] of files.entries()) {
        const results = JSON.parse(readFileSync(path.join(out, 'json', learner, f), 'utf8')) as { status: string; tests: { task_id: number; test_code: string; status: string }[] }
        expect(validate(results), `${learner}/${f}: ${ajv.errorsText(validate.errors)}`).toBe(true)
        expect(results.status).toBe(status)
        const tasks = new Set(results.tests.map((t) => t.task_id))
        // A checkout on the core path (the default) is graded on its core tasks.
        expect([...tasks].sort((a, b) => a - b)).toEqual(katas[i]!.tasks.filter((t) => t.track === 'core').map((t) => t.number))
        expect(results.tests.filter((t) => t.test_code === '')).toEqual([])
        if (status === 'fail') expect(results.tests.every((t) => t.status === 'fail')).toBe(true)
      }
    }
    // The schema rejects what the interface forbids.
    expect(validate({ version: 3, status: 'error', tests: [] })).toBe(false)
    expect(validate({ version: 2, status: 'pass', message: null, tests: [{ name: 'x', status: 'pass', test_code: '', task_id: 1 }] })).toBe(false)
    expect(validate({ version: 3, status: 'fail', message: null, tests: [{ name: 'x', status: 'fail', test_code: '', task_id: 0 }] })).toBe(false)

    const xml = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(path.join(out, 'junit.xml'), 'utf8'))
    const suites = xml.testsuites.testsuite as { '@_name': string; '@_failures': string; testcase: unknown[] }[]
    expect(suites.map((x) => x['@_name'])).toEqual([...katas.map((k) => `solved/${k.name}`), ...katas.map((k) => `untouched/${k.name}`)])
    expect(suites.slice(0, katas.length).every((x) => x['@_failures'] === '0')).toBe(true)
    expect(suites.slice(katas.length).every((x) => Number(x['@_failures']) === x.testcase.length)).toBe(true)

    const rows = readFileSync(path.join(out, 'grades.csv'), 'utf8').trim().split('\n')
    const joined = BASELINE.map((t) => `${t.file} ${t.change}`).join('; ')
    const csvTampering = /[",]/.test(joined) ? `"${joined.replace(/"/g, '""')}"` : joined
    expect(rows[0]).toBe(['learner', ...katas.flatMap((k) => [k.name, `${k.id} track`, `${k.id} core`, `${k.id} deep`]), 'total', 'max', 'problems', 'tampering', 'sandboxed'].join(','))
    const sandboxed = probeSandbox().sandboxed ? 'yes' : 'no'
    expect(rows.slice(1)).toEqual([
      ['solved', ...katas.flatMap((k) => [corePoints(k), 'core', corePoints(k), 0]), MAX, MAX, ''].join(','),
      ['untouched', ...katas.flatMap(() => [0, 'core', 0, 0]), 0, MAX, ''].join(','),
    ].map((row) => `${row},${csvTampering},${sandboxed}`))
    expect(readFileSync(path.join(out, 'summary.md'), 'utf8')).toContain(`### solved: ${MAX}/${MAX} points`)
  })

  test('exit code 0 when every graded kata passed', () => {
    const r = katasGrade(path.join(TMP, 'solved'), '--kata', '04', '--timeout', '60')
    expect(r.code).toBe(0)
    const k04 = katas.find((k) => k.id === '04')!
    const points = corePoints(k04)
    const core = k04.tasks.filter((t) => t.track === 'core').length
    expect(r.stdout).toMatch(new RegExp(`04-env-vars\\s+core\\s+passed\\s+(\\d+)/\\1\\s+${core}/${core}\\s+${points}/${points}\\s+-\\s+${points}/${points}`))
  })

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
