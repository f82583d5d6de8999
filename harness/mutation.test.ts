// The arithmetic of `npm run mutation`: scores per path, the core functions' lines,
// the baseline no module may fall below, and the disable comments learners never see.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { parseKata } from './course.ts'
import {
  BaselineError,
  count,
  coreRanges,
  mergeBaseline,
  mutantsIn,
  noCounts,
  parseBaseline,
  percent,
  score,
  shortfalls,
  table,
  toBaseline,
  type Counts,
  type ModuleScore,
  type ReportMutant,
} from './mutation.ts'
import { coreStub, withoutMutationComments } from './stubs.ts'
import { switchTrack } from './tracks.ts'

const mutant = (status: string, line = 1): ReportMutant => ({
  id: `${status}-${line}`,
  mutatorName: 'ConditionalExpression',
  status,
  location: { start: { line, column: 1 }, end: { line, column: 9 } },
})

const counts = (o: Partial<Counts>): Counts => ({ ...noCounts(), ...o })

describe('scores', () => {
  const cases: { name: string; statuses: string[]; want: string }[] = [
    { name: 'every mutant killed is 100 %', statuses: ['Killed', 'Killed'], want: '100.0' },
    { name: 'a timeout is caught: the checks did not pass', statuses: ['Killed', 'Timeout'], want: '100.0' },
    { name: 'a mutant no check runs counts as one that got through', statuses: ['Killed', 'NoCoverage'], want: '50.0' },
    { name: 'ignored mutants (a disable comment) and errors do not count', statuses: ['Killed', 'Survived', 'Ignored', 'RuntimeError', 'CompileError'], want: '50.0' },
    { name: 'rounded down: 8 of 9 is 88.8, and 899 of 1000 is not 90.0', statuses: [...Array(8).fill('Killed'), 'Survived'], want: '88.8' },
    { name: 'nothing to mutate has no score', statuses: ['Ignored'], want: '—' },
  ]
  test.each(cases)('$name', ({ statuses, want }) => {
    expect(percent(score(count(statuses.map((s) => mutant(s)))))).toBe(want)
  })

  test('89.96 % shows as 89.9, under the floor', () => {
    expect(percent(89.96)).toBe('89.9')
  })
})

const hints = [
  { tier: 'nudge', text: 'n' },
  { tier: 'pointer', text: 'p' },
  { tier: 'near-solution', text: 's' },
]
const KATA = parseKata(
  '/course/katas/07-nodeport/kata.yaml',
  JSON.stringify({
    id: '07',
    slug: 'nodeport',
    title: 'NodePort',
    summary: 's',
    modules: ['m.ts'],
    mirrors: ['x'],
    tasks: [
      { slug: 'doubling', track: 'core', title: 'Double', points: 1, write: { 'm.ts': ['double', 'Box.add'] }, hints },
      { slug: 'rest', track: 'deep', title: 'Rest', points: 1, write: { 'm.ts': ['triple'] }, hints },
    ],
  }),
)

const SOLUTION = `// A module.
/** Doubles. */
export function double(n: number): number {
  return n * 2
}

export function triple(n: number): number {
  // Stryker disable next-line ArithmeticOperator: n is always 0 here
  return n * 3
}

export class Box {
  private items: number[] = []
  add(c: number): void {
    this.items.push(c)
  }
}
`

const DEEP = `// A module.
/** Doubles. */
export function double(n: number): number {
  // TODO(kata 07): double it.
  throw new Error('kata 07-nodeport: double is not implemented yet')
}

export function triple(n: number): number {
  // TODO(kata 07): triple it.
  throw new Error('kata 07-nodeport: triple is not implemented yet')
}

export class Box {
  private items: number[] = []
  add(c: number): void {
    // TODO(kata 07): add.
    throw new Error('kata 07-nodeport: Box.add is not implemented yet')
  }
}
`

describe('the core path: mutants inside the functions a core learner writes', () => {
  test('each core function spans its lines, signature to closing brace; given ones are left out', () => {
    expect(coreRanges(KATA, 'm.ts', SOLUTION)).toEqual([
      { name: 'double', startLine: 3, endLine: 5 },
      { name: 'Box.add', startLine: 14, endLine: 16 },
    ])
  })

  test('a mutant belongs to the function it starts in', () => {
    const ranges = coreRanges(KATA, 'm.ts', SOLUTION)
    const inside = mutantsIn([mutant('Killed', 4), mutant('Survived', 9), mutant('Survived', 15), mutant('Killed', 13)], ranges)
    expect(inside.map((m) => m.id)).toEqual(['Killed-4', 'Survived-15'])
  })
})

describe('the baseline', () => {
  const scores: ModuleScore[] = [
    { module: 'registry/portallocator.ts', kata: '07-nodeport', deep: counts({ killed: 95, survived: 5 }), core: counts({ killed: 20 }) },
    { module: 'labels/selector.ts', kata: '02-label-selectors', deep: counts({ killed: 89, survived: 11 }), core: counts({ killed: 9, timeout: 1 }) },
    { module: 'cluster/curl.ts', kata: '09-whole-route', deep: counts({ killed: 91, noCoverage: 9 }) },
  ]

  test('records one decimal per path, sorted by kata, null where the core path writes nothing', () => {
    expect(toBaseline(scores)).toEqual({
      floor: 90,
      modules: {
        'labels/selector.ts': { kata: '02-label-selectors', deep: 89, core: 100 },
        'registry/portallocator.ts': { kata: '07-nodeport', deep: 95, core: 100 },
        'cluster/curl.ts': { kata: '09-whole-route', deep: 91, core: null },
      },
    })
  })

  test('a module under the floor or under its baseline falls short, on the path where it does', () => {
    const baseline = toBaseline(scores)
    baseline.modules['registry/portallocator.ts']!.deep = 96.5
    expect(shortfalls(scores, baseline)).toEqual([
      'registry/portallocator.ts (deep track): 95.0 % is under its baseline of 96.5 %',
      'labels/selector.ts (deep track): 89.0 % is under the floor of 90 %',
    ])
  })

  test('a run records its fresh scores and keeps what it did not measure', () => {
    const old = { floor: 90, modules: { 'labels/selector.ts': { kata: '02-label-selectors', deep: null, core: 98.7 }, 'dns/records.ts': { kata: '05-dns', deep: null, core: 95 } } }
    const fresh = { floor: 90, modules: { 'labels/selector.ts': { kata: '02-label-selectors', deep: 91.9, core: null } } }
    expect(mergeBaseline(old, fresh)).toEqual({
      floor: 90,
      modules: {
        'labels/selector.ts': { kata: '02-label-selectors', deep: 91.9, core: 98.7 },
        'dns/records.ts': { kata: '05-dns', deep: null, core: 95 },
      },
    })
  })

  test('a module the baseline does not know yet is held to the floor only', () => {
    expect(shortfalls(scores.slice(2), { floor: 90, modules: {} })).toEqual([])
  })

  const bad: { name: string; text: string; want: string }[] = [
    { name: 'not JSON', text: '{', want: 'b.json: not JSON: Expected property name' },
    { name: 'no floor', text: '{"modules":{}}', want: 'b.json: floor: expected a number' },
    { name: 'no modules', text: '{"floor":90}', want: 'b.json: modules: expected an object of module → scores' },
    { name: 'a module without its kata', text: '{"floor":90,"modules":{"m.ts":{"deep":1,"core":null}}}', want: 'b.json: modules.m.ts.kata: expected a kata name' },
    { name: 'a score that is not a number', text: '{"floor":90,"modules":{"m.ts":{"kata":"07","deep":"91","core":null}}}', want: 'b.json: modules.m.ts.deep: expected a score or null' },
  ]
  test.each(bad)('a baseline that is $name is one line naming the field', ({ text, want }) => {
    // Node's own JSON message ends differently from version to version.
    expect(() => parseBaseline('b.json', text)).toThrow(BaselineError)
    expect(() => parseBaseline('b.json', text)).toThrow(want)
  })

  test('the table shows each path with what got through', () => {
    expect(table(scores.slice(1)).split('\n')).toEqual([
      '| module             | kata | core path           | deep track           |',
      '|--------------------|------|---------------------|----------------------|',
      '| labels/selector.ts | 02   | 100.0 % (0/10 left) | 89.0 % (11/100 left) |',
      '| cluster/curl.ts    | 09   | —                   | 91.0 % (9/100 left)  |',
    ])
  })
})

describe('disable comments stay in solutions/', () => {
  test('whole-line disable and restore comments go; code and other comments stay', () => {
    const text = '  // Stryker disable next-line all: equivalent\n  x()\n// Stryker restore all\n  // a Stryker note\n'
    expect(withoutMutationComments(text)).toBe('  x()\n  // a Stryker note\n')
  })

  test('the generated core stub of a module carries none in its given code', () => {
    const stub = coreStub(KATA, 'm.ts', SOLUTION, DEEP)
    expect(stub).toContain('return n * 3')
    expect(stub).not.toContain('Stryker')
  })

  test('switching back to the core path restores given code without them', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'katas-mutation-'))
    const trees = { solutions: path.join(root, 'solutions'), deep: path.join(root, 'deep-stubs') }
    for (const [dir, text] of [[trees.solutions, SOLUTION], [trees.deep, DEEP]] as const) {
      mkdirSync(dir)
      writeFileSync(path.join(dir, 'm.ts'), text)
    }
    try {
      const deep = switchTrack(KATA, 'm.ts', DEEP, 'deep', trees)
      const core = switchTrack(KATA, 'm.ts', deep, 'core', trees)
      expect(core).toContain('return n * 3')
      expect(core).not.toContain('Stryker')
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})
