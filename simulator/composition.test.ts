// Whose code the cluster runs, kata by kata, read from the progress file; and what the
// learner reads when their finished module fails in the cluster.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { findKata, loadCourse, tasksOf, type Kata } from '../harness/course.ts'
import { PACKAGE_ROOT, SOLUTIONS_DIR, STUBS_DIR } from '../harness/paths.ts'
import { emptyKataProgress, type KataProgress } from '../harness/progress.ts'
import { switchTrack } from '../harness/tracks.ts'
import { fromProgress, progressFile, sideOf } from './composition.ts'
import { forgetModel } from './model.ts'
import { Simulator } from './simulator.ts'

const katas = loadCourse()
const kata = (id: string): Kata => findKata(id, katas)!
const progress = (k: Kata, p: Partial<KataProgress> & { green?: 'core' | 'all' | number }): KataProgress => {
  const out = { ...emptyKataProgress(k), ...p }
  const n = p.green === 'all' ? k.tasks.length : p.green === 'core' ? tasksOf(k, 'core').length : (p.green ?? 0)
  for (const t of k.tasks.slice(0, n)) out.tasks[t.slug] = { passed: true, hints: 0 }
  delete (out as { green?: unknown }).green
  return out
}

describe('a kata runs the learner\'s code once its core path is green', () => {
  const k = kata('02')
  const core = tasksOf(k, 'core').length
  const cases: { name: string; p: Partial<KataProgress> & { green?: 'core' | 'all' | number }; want: { side: string; why: string; givenFromReference?: boolean } }[] = [
    { name: 'a kata not started runs the reference', p: {}, want: { side: 'reference', why: 'not started' } },
    { name: 'a kata with one core task green runs the reference', p: { status: 'failing', green: 1 }, want: { side: 'reference', why: `1 of ${core} core tasks green` } },
    { name: 'a kata whose core path is green runs the learner\'s code', p: { status: 'passed', green: 'core' }, want: { side: 'yours', why: 'core path green' } },
    { name: 'a kata that was green and failed its last check runs the reference again', p: { status: 'failing', green: 'core' }, want: { side: 'reference', why: 'not green at its last check' } },
    { name: 'a kata given by katas start runs the reference', p: { status: 'given', givenFor: '05', green: 'all' }, want: { side: 'reference', why: 'given by `katas start 05`' } },
    {
      name: 'on the deep track with the core path green, the learner\'s code runs over the reference\'s given functions',
      p: { status: 'failing', track: 'deep', green: 'core' },
      want: { side: 'yours', why: 'core path green; given code from the reference until the deep track is', givenFromReference: true },
    },
    { name: 'a deep track all green runs the learner\'s code as it is', p: { status: 'passed', track: 'deep', green: 'all' }, want: { side: 'yours', why: 'deep track green' } },
  ]
  test.each(cases)('$name', ({ p, want }) => {
    const got = sideOf(k, progress(k, p))
    expect({ side: got.side, why: got.why, ...(got.givenFromReference ? { givenFromReference: true } : {}) }).toEqual(want)
  })
})

// Workspaces sit beside solutions/, as the learner's does: the model's `../../lib/` imports resolve the same.
const workspaces: string[] = []
afterAll(() => {
  for (const w of workspaces) {
    rmSync(w, { recursive: true, force: true })
    forgetModel(w)
  }
})
function workspace(name: string, progressJson?: unknown): string {
  const ws = path.join(PACKAGE_ROOT, `workspace-test-${name}-${process.pid}`)
  workspaces.push(ws)
  cpSync(STUBS_DIR, ws, { recursive: true })
  if (progressJson !== undefined) {
    mkdirSync(path.dirname(progressFile(ws)), { recursive: true })
    writeFileSync(progressFile(ws), typeof progressJson === 'string' ? progressJson : JSON.stringify(progressJson))
  }
  return ws
}
/** Kata 02 done by the learner: the reference selector in their file, the progress file saying so. */
function kata02Done(name: string, selector = readFileSync(path.join(SOLUTIONS_DIR, 'labels/selector.ts'), 'utf8'), p: KataProgress = progress(kata('02'), { status: 'passed', green: 'core' })): string {
  const ws = workspace(name, { version: 2, katas: { '02': p } })
  writeFileSync(path.join(ws, 'labels/selector.ts'), selector)
  return ws
}
async function session(ws: string, commands: string[][]): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const sim = await Simulator.open({ workspace: ws, clock: 'fixed' })
  let last = { stdout: '', stderr: '', exitCode: 0 }
  for (const argv of commands) last = await sim.run(argv, PACKAGE_ROOT)
  return last
}
const APPLY = ['kubectl', 'apply', '-f', 'simulator/testdata/snackbar.yaml']

describe('the progress file decides, kata by kata', () => {
  test('without a progress file every kata runs the reference, and a damaged one says so', () => {
    expect(fromProgress(workspace('none')).katas.every((k) => k.side === 'reference')).toBe(true)
    const bad = fromProgress(workspace('bad', '{"version": 2, "katas": {"02": {"status": "green"}}}'))
    expect(bad.katas.every((k) => k.side === 'reference')).toBe(true)
    expect(bad.problem).toMatch(/^the progress file .*state\.json cannot be read \(katas\.02\.status: expected one of .*, got "green"\)$/)
  })

  test('cluster status shows whose code runs, kata by kata', async () => {
    const io = await session(kata02Done('status'), [['cluster', 'status']])
    expect(io.exitCode).toBe(0)
    const rows = io.stdout.split('\n').filter((l) => /^(katas)?\s+\d\d /.test(l)).map((l) => l.replace(/^(katas)?\s+/, '').split(/\s{2,}/).slice(0, 2))
    expect(rows).toEqual(katas.map((k) => [`${k.id} ${k.slug}`, k.id === '02' ? 'yours' : 'reference']))
  }, 60000)

  test('a fresh workspace runs a lesson\'s commands on the reference, with no kata done', async () => {
    const io = await session(workspace('fresh'), [APPLY, ['kubectl', 'get', 'pods', '-n', 'snackbar', '-l', 'app=order', '-o', 'name']])
    expect(io).toMatchObject({ exitCode: 0, stderr: '' })
    expect(io.stdout.split('\n').filter(Boolean)).toHaveLength(2)
  }, 60000)

  test('on the deep track the given functions the learner has not written come from the reference', async () => {
    const k = kata('02')
    const deep = switchTrack(k, 'labels/selector.ts', readFileSync(path.join(SOLUTIONS_DIR, 'labels/selector.ts'), 'utf8'), 'deep')
    const ws = kata02Done('deep', deep, progress(k, { status: 'failing', track: 'deep', green: 'core' }))
    const io = await session(ws, [APPLY, ['kubectl', 'get', 'pods', '-n', 'snackbar', '-l', 'app in (order)', '-o', 'name']])
    expect(io).toMatchObject({ exitCode: 0, stderr: '' })
  }, 60000)
})

describe('a finished module that fails in the cluster is named, with the check to run', () => {
  const solution = readFileSync(path.join(SOLUTIONS_DIR, 'labels/selector.ts'), 'utf8')
  const throwing = solution.replace(/export function parse\(selector: string\): Selector \{/, "$&\n  if (selector.includes('order')) throw new RangeError('index out of range')")
  test.each([
    {
      name: 'an exception in the learner\'s module names the kata, the module and the line',
      selector: throwing,
      want: /^katas: your labels\/selector\.ts \(kata 02, label-selectors\) failed in the cluster: RangeError: index out of range \(at workspace-test-throws-\d+\/labels\/selector\.ts:\d+\)\nhint: run `katas check 02` to find the bug; `katas cluster use solutions` runs the reference meanwhile\n$/,
    },
    {
      name: 'a kata marked green whose file is the stub again says its progress is out of date',
      selector: readFileSync(path.join(STUBS_DIR, 'labels/selector.ts'), 'utf8'),
      want: /^katas: kata 02 \(label-selectors\) is green in your progress, but \S+ is not implemented \(at workspace-test-stub-\d+\/labels\/selector\.ts:\d+\)\nhint: run `katas check 02`: until it is green again the cluster runs the reference for it\n$/,
    },
    {
      name: 'a syntax error in a finished module names it',
      selector: `${solution}\nexport const broken = (\n`,
      want: /^katas: your labels\/selector\.ts \(kata 02, label-selectors\) does not compile: workspace-test-syntax-\d+\/labels\/selector\.ts:\d+:\d+: .*\nhint: fix it, then run `katas check 02`\n$/,
    },
  ])('$name', async ({ name, selector, want }) => {
    const tag = name.includes('exception') ? 'throws' : name.includes('stub') ? 'stub' : 'syntax'
    const io = await session(kata02Done(tag, selector), [APPLY, ['kubectl', 'get', 'pods', '-n', 'snackbar', '-l', 'app=order']])
    expect(io.stderr).toMatch(want)
    expect(io.exitCode, 'a setup error (README: exit 2)').toBe(2)
  }, 60000)
})
