// Points from the learner's own functions: the given code laid back under them,
// edits to it noted, the track deciding which tasks count, copies of the
// reference on the deep track earning nothing, and katas given by `katas start`.
// A small course of one kata is made here, so this holds whatever the real katas ask.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { parseKata, type Kata } from '../harness/course.ts'
import { kataGrade } from './grade.ts'
import { prepareWorkspace } from './prepare.ts'
import type { CheckRun } from './protocol.ts'

const TMP = mkdtempSync(path.join(os.tmpdir(), 'katas-points-'))
afterAll(() => rmSync(TMP, { recursive: true, force: true }))

const hints = ['nudge', 'pointer', 'near-solution'].map((tier) => `      - tier: ${tier}\n        text: look`).join('\n')
const kata: Kata = parseKata(
  path.join(TMP, 'katas', '90-demo', 'kata.yaml'),
  `id: "90"\nslug: demo\ntitle: Demo\nsummary: A demo.\nmodules:\n  - demo/m.ts\nmirrors:\n  - x\ntasks:\n  - slug: core-one\n    track: core\n    title: The core function\n    points: 3\n    write:\n      demo/m.ts: [f]\n    hints:\n${hints}\n  - slug: deep-one\n    track: deep\n    title: The given function\n    points: 5\n    write:\n      demo/m.ts: [g]\n    hints:\n${hints}\n`,
)

const REFERENCE = `export function f(x: number): number {\n  return x + 1\n}\n\nexport function g(x: number): number {\n  return x * 2\n}\n`
const trees = { solutions: path.join(TMP, 'solutions'), deep: path.join(TMP, 'deep-stubs') }
mkdirSync(path.join(trees.solutions, 'demo'), { recursive: true })
writeFileSync(path.join(trees.solutions, 'demo', 'm.ts'), REFERENCE)
mkdirSync(path.join(trees.deep, 'demo'), { recursive: true })
writeFileSync(path.join(trees.deep, 'demo', 'm.ts'), REFERENCE.replace(/return .*/g, "throw new Error('kata 90-demo: not implemented yet')"))

let n = 0
function workspace(module: string, progress?: unknown): string {
  const ws = path.join(TMP, `ws-${n++}`)
  mkdirSync(path.join(ws, 'demo'), { recursive: true })
  writeFileSync(path.join(ws, 'demo', 'm.ts'), module)
  if (progress !== undefined) {
    mkdirSync(path.join(ws, '.katas'))
    writeFileSync(path.join(ws, '.katas', 'state.json'), typeof progress === 'string' ? progress : JSON.stringify(progress))
  }
  return ws
}
const at = (track: string, status = 'failing', givenFor?: string) => ({ version: 2, katas: { '90': { status, track, tasks: {}, ...(givenFor ? { givenFor } : {}) } } })

describe('the graded copy', () => {
  const cases: { name: string; module: string; progress?: unknown; track: string; given?: boolean; notes: RegExp[]; copied: Record<number, string[]>; graded: string; note?: RegExp }[] = [
    { name: 'core path, given code untouched: graded as written', module: REFERENCE.replace('x + 1', '1 + x'), track: 'core', notes: [], copied: {}, graded: REFERENCE.replace('x + 1', '1 + x') },
    {
      name: 'core path, a given function edited: noted, and the course\'s own is graded',
      module: REFERENCE.replace('x + 1', '1 + x').replace('x * 2', 'x * 3'),
      track: 'core',
      notes: [/^given code edited in workspace\/demo\/m\.ts \(g\): graded with the course's own$/],
      copied: {},
      graded: REFERENCE.replace('x + 1', '1 + x'),
    },
    { name: 'core path, only layout and comments changed in given code: not an edit', module: REFERENCE.replace('return x * 2', '// doubles\n  return x*2'), track: 'core', notes: [], copied: {}, graded: REFERENCE },
    { name: 'deep track, the given function kept as it was: a copy of the reference', module: REFERENCE.replace('return x * 2', '/* mine */ return x*2'), progress: at('deep'), track: 'deep', notes: [], copied: { 2: ['g'] }, graded: REFERENCE.replace('return x * 2', '/* mine */ return x*2') },
    { name: 'deep track, the given function written anew: the learner\'s own', module: REFERENCE.replace('x * 2', 'x + x'), progress: at('deep'), track: 'deep', notes: [], copied: {}, graded: REFERENCE.replace('x * 2', 'x + x') },
    { name: 'given by katas start: not graded', module: REFERENCE, progress: at('core', 'given', '05'), track: 'core', given: true, notes: [], copied: {}, graded: REFERENCE },
    { name: 'a damaged progress file: the core path, with a note', module: REFERENCE, progress: '{"version": 2, "katas": {"90": {"status": "passed", "track": "sideways"}}}', track: 'core', notes: [], copied: {}, graded: REFERENCE, note: /state\.json cannot be read \(katas\.90\.track: expected core or deep, got "sideways"\): every kata graded on the core path/ },
  ]
  test.each(cases)('$name', ({ module, progress, track, given, notes, copied, graded, note }) => {
    const p = prepareWorkspace(workspace(module, progress), [kata], trees)
    try {
      const plan = p.plans.get(kata.name)!
      expect(plan.track).toBe(track)
      expect(plan.given).toBe(given ?? false)
      if (given) expect(plan.givenFor).toBe('05')
      expect(plan.notes.length).toBe(notes.length)
      notes.forEach((re, i) => expect(plan.notes[i]).toMatch(re))
      expect(Object.fromEntries(plan.copied)).toEqual(copied)
      expect(readFileSync(path.join(p.stage, 'demo', 'm.ts'), 'utf8')).toBe(graded)
      if (note) expect(p.note).toMatch(note)
      else expect(p.note).toBeUndefined()
    } finally {
      p.remove()
    }
  })
})

describe('points by track', () => {
  const green: CheckRun[] = [
    { name: 'f works', task: 1, status: 'pass' },
    { name: 'g works', task: 2, status: 'pass' },
  ]
  const cases = [
    { name: 'core path: the core task counts, the deep one does not', verdict: 'passed', plan: { track: 'core', copied: new Map() }, want: { points: 3, maxPoints: 3, corePoints: 3, deepPoints: 0, checks: 1 } },
    { name: 'deep track: every task counts', verdict: 'passed', plan: { track: 'deep', copied: new Map() }, want: { points: 8, maxPoints: 8, corePoints: 3, deepPoints: 5, checks: 2 } },
    { name: 'deep track, the given function kept: its task earns nothing, with the reason', verdict: 'passed', plan: { track: 'deep', copied: new Map([[2, ['g']]]) }, want: { points: 3, maxPoints: 8, corePoints: 3, deepPoints: 0, checks: 2 } },
    { name: 'given by katas start: nothing to earn', verdict: 'given', plan: { track: 'core', copied: new Map() }, want: { points: 0, maxPoints: 0, corePoints: 0, deepPoints: 0, checks: 1 } },
    { name: 'tampered: nothing, whatever the checks said', verdict: 'tampered', plan: { track: 'core', copied: new Map() }, want: { points: 0, maxPoints: 3, corePoints: 0, deepPoints: 0, checks: 1 } },
  ] as const
  test.each(cases)('$name', ({ verdict, plan, want }) => {
    const g = kataGrade(kata, verdict, [...green], 1, undefined, { track: plan.track, copied: plan.copied as Map<number, string[]> })
    expect({ points: g.points, maxPoints: g.maxPoints, corePoints: g.corePoints, deepPoints: g.deepPoints, checks: g.checks.length }).toEqual(want)
    if (plan.copied.size) expect(g.tasks[1]!.reason).toBe('g is the given code, token for token: kept, not written')
  })
})
