// Watch mode as a learner meets it: every way an editor saves a file is seen, a
// check in another terminal and a second watch share one progress, never
// clobbered. Drives the real binary on a pipe (keys are lines).
import { execFileSync, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { findKata, type Kata } from '../harness/course.ts'
import { PACKAGE_ROOT, SOLUTIONS_DIR, STUBS_DIR } from '../harness/paths.ts'
import type { Progress } from '../harness/progress.ts'
import { katasIn, learnerEnv, readJson, startWatch, type Watch } from './testing/spawn.ts'

const WS = path.join(PACKAGE_ROOT, `workspace-watch-test-${process.pid}`)
const env = learnerEnv(WS)
const katas = katasIn(env)
const children = new Set<ChildProcessWithoutNullStreams>()
const k02 = findKata('02')!
const k03 = findKata('03')!
const stateFile = path.join(WS, '.katas', 'state.json')
const progress = () => readJson<Progress>(stateFile)
const module02 = path.join(WS, k02.modules[0]!)
const text = (tree: string, kata: Kata = k02) => readFileSync(path.join(tree, kata.modules[0]!), 'utf8')
const VERDICT = /checks ran in/
const GREEN = 'is green!'

/** Marks 00 and 01 done, so 02 is the kata watch mode runs. */
function startAt02(): void {
  const p = progress()
  for (const id of ['00', '01']) p.katas[id]!.status = 'passed'
  writeFileSync(stateFile, JSON.stringify(p))
}

beforeAll(async () => {
  rmSync(WS, { recursive: true, force: true })
  // Create the workspace as a learner does: the first watch.
  const w = startWatch(env, children)
  await w.next(VERDICT)
  w.key('q')
  await w.exited
  startAt02()
}, 120_000)
afterAll(() => {
  for (const c of children) c.kill()
  katas('stop')
  rmSync(WS, { recursive: true, force: true })
})

/** Every way editors and tools save, each alternating the module between solution and stub. */
const SAVES: { name: string; save: (content: string) => void }[] = [
  { name: 'written in place', save: (c) => writeFileSync(module02, c) },
  { name: 'a temp file renamed over it (vim, JetBrains)', save: (c) => (writeFileSync(`${module02}.tmp~`, c), renameSync(`${module02}.tmp~`, module02)) },
  { name: 'renamed over it again (the second replace of the same file)', save: (c) => (writeFileSync(`${module02}.swp`, c), renameSync(`${module02}.swp`, module02)) },
  { name: 'deleted, then created again', save: (c) => (unlinkSync(module02), writeFileSync(module02, c)) },
  {
    name: "vim's backup dance: the file moved to a backup, a new file written, the backup deleted",
    save: (c) => {
      renameSync(module02, `${module02}~`)
      writeFileSync(module02, c)
      unlinkSync(`${module02}~`)
    },
  },
  {
    name: 'sed -i',
    save: (c) => {
      // sed writes a temp file and renames it over the original; this script makes the content c.
      writeFileSync(`${module02}.sed-src`, c)
      execFileSync('sed', ['-i', '-e', `1r ${module02}.sed-src`, '-e', 'd', module02])
      unlinkSync(`${module02}.sed-src`)
    },
  },
]

describe('watch mode', { timeout: 240_000 }, () => {
  let w: Watch

  test('shows running… at once on a save, then the verdict', async () => {
    w = startWatch(env, children)
    await w.next(VERDICT)
    const running = w.next(/⟳ running 02/)
    const verdict = w.next(VERDICT)
    writeFileSync(module02, text(STUBS_DIR))
    await running
    await verdict
    expect(w.output().lastIndexOf('⟳ running 02')).toBeLessThan(w.output().lastIndexOf('checks ran in'))
  })

  test.each(SAVES.map((s, i) => ({ ...s, i })))('sees a save $name', async ({ save, i }) => {
    const solved = i % 2 === 0
    const expected = solved ? w.next(GREEN) : w.next(/0 of \d+ tasks green/)
    save(text(solved ? SOLUTIONS_DIR : STUBS_DIR))
    await expected
    expect(readFileSync(module02, 'utf8')).toBe(text(solved ? SOLUTIONS_DIR : STUBS_DIR))
  })

  test('sees a new file in a new folder', async () => {
    const verdict = w.next(/⟳ running 02… \(saved mine\/notes\/try\.ts\)/)
    mkdirSync(path.join(WS, 'mine', 'notes'), { recursive: true })
    writeFileSync(path.join(WS, 'mine', 'notes', 'try.ts'), 'export const x = 1\n')
    await verdict
  })

  test('r re-runs the file as it is on disk now', async () => {
    writeFileSync(module02, text(SOLUTIONS_DIR))
    await w.next(GREEN)
    // Changed behind the watcher's back (it is busy or the event was lost): r still sees it.
    const red = w.next(/0 of \d+ tasks green/)
    writeFileSync(module02, text(STUBS_DIR))
    await red
    const green = w.next(GREEN)
    copyFileSync(path.join(SOLUTIONS_DIR, k02.modules[0]!), module02)
    await green
    const again = w.next(GREEN)
    w.key('r')
    await again
  })

  test('a check in another terminal is shown, and the watch never writes it back', async () => {
    for (const m of k03.modules) copyFileSync(path.join(SOLUTIONS_DIR, m), path.join(WS, m))
    const r = katas('check', '03')
    expect(r.code, r.stdout).toBe(0)
    expect(progress().katas['03']!.status).toBe('passed')
    // The watch redraws with the new count, and its next run merges instead of overwriting.
    await w.next(/Service Katas .* [1-9]\/10/)
    const rerun = w.next(VERDICT)
    w.key('r')
    await rerun
    const hint = w.next('Hint 1 of 3')
    w.key('h')
    await hint
    expect(progress().katas['03']!.status).toBe('passed')
  })

  test('a second watch on the workspace says so, and attaches or quits', async () => {
    const second = startWatch(env, children)
    await second.next('Another katas watch runs on this workspace')
    second.key('q')
    expect(await second.exited).toBe(0)
    const third = startWatch(env, children)
    await third.next('Another katas watch runs on this workspace')
    third.key('a')
    await third.next(VERDICT)
    expect(third.output()).toContain('attached beside process')
    // Both see the same save.
    const a = w.next(/0 of \d+ tasks green/)
    const b = third.next(/0 of \d+ tasks green/)
    writeFileSync(module02, text(STUBS_DIR))
    await Promise.all([a, b])
    third.key('q')
    expect(await third.exited).toBe(0)
    w.key('q')
    expect(await w.exited).toBe(0)
    // Hints and green tasks only ever grow, whoever wrote last.
    const p = progress()
    expect(p.katas['03']!.status).toBe('passed')
    expect(p.katas['02']!.status).toBe('passed')
  })
})
