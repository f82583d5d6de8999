// A grading run stopped half-way (Ctrl-C, a cancelled CI job) leaves no copy of the
// learner's work behind in the temporary folder.
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { PACKAGE_ROOT, SOLUTIONS_DIR } from '../harness/paths.ts'
import { learnerCheckout } from './checkout.testing.ts'

const BIN = path.join(PACKAGE_ROOT, 'bin', 'katas.mjs')
const TMP = mkdtempSync(path.join(os.tmpdir(), 'katas-cleanup-test-'))
const { KATAS_SELFTEST: _selftest, KATAS_IMPL: _impl, ...inherited } = process.env

afterAll(() => rmSync(TMP, { recursive: true, force: true }))

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const grading = (tmp: string) => readdirSync(tmp).filter((f) => f.startsWith('katas-grade-'))

describe('katas grade, stopped half-way', () => {
  test.each([
    { signal: 'SIGTERM' as const, code: 143 },
    { signal: 'SIGINT' as const, code: 130 },
  ])('$signal: its copies of the learner’s work are removed and it exits with $code', async ({ signal, code }) => {
    const dir = learnerCheckout(TMP, `learner-${signal}`, SOLUTIONS_DIR)
    const tmp = mkdtempSync(path.join(TMP, `tmp-${signal}-`))
    const child = spawn(process.execPath, [BIN, 'grade', dir, '--timeout', '60'], {
      cwd: PACKAGE_ROOT,
      env: { ...inherited, TMPDIR: tmp, NO_COLOR: '1' },
      stdio: 'ignore',
    })
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)))
    // Stop it once it has copied the workspace, while katas are being graded.
    for (let i = 0; i < 600 && grading(tmp).length === 0; i++) await sleep(50)
    expect(grading(tmp), 'the grader made its folder in TMPDIR').toHaveLength(1)
    await sleep(300)
    child.kill(signal)
    expect(await exited).toBe(code)
    expect(grading(tmp), 'katas-grade-* folders left in TMPDIR').toEqual([])
  }, 60_000)
})
