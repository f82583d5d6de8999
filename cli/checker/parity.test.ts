// The checker's verdicts are vitest's: every check of every kata, run by the
// checker (./checker.ts, the learner loop's fast path) and by plain `vitest run`,
// must pass or fail alike, on the reference solutions and on the core stubs; a
// failing check must carry the same message; and the runner's settings must be
// those of vitest.config.ts. (In the self-test, plain vitest's verdicts are those of
// the self-test's own run: harness/suite-results.ts.)
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, test } from 'vitest'
import config from '../../vitest.config.ts'
import { CHECKS_DIR, PACKAGE_ROOT, SOLUTIONS_DIR, STUBS_DIR } from '../../harness/paths.ts'
import { checkFilesIn } from './graph.ts'
import type { CheckRun } from './protocol.ts'
import { RUNNER_SETTINGS } from './settings.ts'
import { suiteResults } from '../../harness/suite-results.ts'

interface JsonReport {
  testResults: { name: string; assertionResults: { ancestorTitles: string[]; title: string; status: string; failureMessages: string[] }[] }[]
}

type Verdicts = Map<string, { pass: boolean; message?: string }>

/** Plain vitest on `tree`: the JSON reporter's verdict of every check, by file and full name. */
async function vitestVerdicts(tree: string): Promise<Verdicts> {
  // In the self-test, vitest has just run every check on this tree: its verdicts are read, not run again.
  const which = tree === SOLUTIONS_DIR ? 'solutions' : tree === STUBS_DIR ? 'stubs' : undefined
  const ran = which && suiteResults()?.[which]
  if (ran) {
    const v: Verdicts = new Map()
    for (const c of ran) v.set(`${path.basename(c.file)} :: ${c.fullName}`, c.message ? { pass: c.pass, message: c.message } : { pass: c.pass })
    return v
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'katas-parity-'))
  const out = path.join(dir, 'report.json')
  const { KATAS_SELFTEST: _s, ...env } = process.env
  const child = spawn(process.execPath, [path.join(PACKAGE_ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'checks/', '--reporter=json', `--outputFile=${out}`], {
    cwd: PACKAGE_ROOT,
    env: { ...env, KATAS_IMPL: tree },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  await new Promise((resolve) => child.on('exit', resolve))
  const report = JSON.parse(readFileSync(out, 'utf8')) as JsonReport
  rmSync(dir, { recursive: true, force: true })
  if (!report.testResults.length) throw new Error(`vitest ran no check file: ${stderr}`)
  const v: Verdicts = new Map()
  for (const f of report.testResults) {
    for (const a of f.assertionResults) {
      const entry: { pass: boolean; message?: string } = { pass: a.status === 'passed' }
      if (a.failureMessages[0]) entry.message = a.failureMessages[0]
      v.set(`${path.basename(f.name)} :: ${[...a.ancestorTitles, a.title].join(' > ')}`, entry)
    }
  }
  return v
}

/** The checker on `tree`, as the learner loop runs it (the compiled tool, in this process). */
async function checkerVerdicts(tree: string): Promise<Verdicts> {
  const { Checker } = (await import(pathToFileURL(path.join(PACKAGE_ROOT, 'dist', 'cli', 'checker', 'checker.js')).href)) as typeof import('./checker.ts')
  const checker = new Checker(tree)
  const v: Verdicts = new Map()
  try {
    for (const file of checkFilesIn(CHECKS_DIR)) {
      const run: CheckRun = await checker.run(file)
      expect(run.errors, `${path.basename(file)} loads`).toEqual([])
      for (const c of run.checks) {
        const entry: { pass: boolean; message?: string } = { pass: c.state === 'pass' }
        if (c.message) entry.message = c.message
        v.set(`${path.basename(file)} :: ${c.names.join(' > ')}`, entry)
      }
    }
  } finally {
    await checker.close()
  }
  return v
}

describe('the checker gives the verdicts of plain vitest', { timeout: 600_000 }, () => {
  test('its runner settings are those of vitest.config.ts', () => {
    expect(config.test?.testTimeout).toBe(RUNNER_SETTINGS.testTimeout)
    expect(config.test?.chaiConfig?.truncateThreshold).toBe(RUNNER_SETTINGS.truncateThreshold)
    expect(config.test?.hookTimeout ?? 10_000).toBe(RUNNER_SETTINGS.hookTimeout)
  })

  test.each([
    ['the reference solutions', SOLUTIONS_DIR],
    ['the core stubs', STUBS_DIR],
  ])('every check of every kata, on %s', async (_name, tree) => {
    // Side by side: vitest in its own process while the checker runs here.
    const [plain, fast] = await Promise.all([vitestVerdicts(tree), checkerVerdicts(tree)])
    expect(fast.size).toBeGreaterThan(0)
    expect([...fast.keys()].sort()).toEqual([...plain.keys()].sort())
    const differ = [...fast].filter(([k, v]) => plain.get(k)?.pass !== v.pass).map(([k, v]) => `${k}: checker ${v.pass ? 'pass' : 'fail'}, vitest ${plain.get(k)?.pass ? 'pass' : 'fail'}`)
    expect(differ).toEqual([])
    // A failing check says the same thing (vitest's report adds the stack after the message).
    const messages = [...fast].filter(([k, v]) => !v.pass && !plain.get(k)?.message?.includes(v.message?.split('\n')[0] ?? '')).map(([k]) => k)
    expect(messages).toEqual([])
  })
})
