// `katas grade`, run as an instructor would: its usage errors, and every kata graded
// on a solved and on an untouched checkout, with every report it writes. Hostile
// checkouts: grade-hostile.test.ts and attacks.test.ts.
import { readFileSync, readdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import { Ajv } from 'ajv'
import { XMLParser } from 'fast-xml-parser'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { PACKAGE_ROOT, SOLUTIONS_DIR, STUBS_DIR } from '../harness/paths.ts'
import { findTampering, readManifest } from './checksums.ts'
import { assertBuilt, BASELINE, checkoutsIn, corePoints, gradeTmp, katas, katasGrade, MAX, readSummary } from './grade.testing.ts'
import { probeSandbox } from './sandbox.ts'

const TMP = gradeTmp()
const checkout = checkoutsIn(TMP)

beforeAll(assertBuilt)
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
})
