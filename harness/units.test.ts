// Functions found by name and swapped between versions of a module: the stub
// generator, the deep track and the grader all stand on this.
import { describe, expect, test } from 'vitest'
import { parseKata } from './course.ts'
import { pruneDeadCode } from './prune.ts'
import { coreStub, stubbedUnits } from './stubs.ts'
import { codeLines, replaceUnits, unitsOf, UnitError } from './units.ts'

const SOLUTION = `// A module.
import { a, b, type C } from './x.ts'
import { unused } from './y.ts'

/** Doubles. */
export function double(n: number): number {
  return helper(n) * 2
}

/** Only double uses it. */
function helper(n: number): number {
  return a(n)
}

function shared(n: number): number {
  return b(n)
}

export const triple = (n: number): number => shared(n) * 3

export class Box {
  private readonly items: C[]
  constructor(first: C) {
    this.items = [first]
  }
  get size(): number {
    return this.items.length
  }
  add(c: C): void {
    this.items.push(c)
    this.log()
  }
  private log(): void {
    shared(1)
  }
}
`

const DEEP = `// A module.
import type { C } from './x.ts'

/** Doubles. */
export function double(n: number): number {
  // TODO(kata 07): double it.
  throw new Error('kata 07-nodeport: double is not implemented yet')
}

export const triple = (n: number): number => {
  // TODO(kata 07): triple it.
  throw new Error('kata 07-nodeport: triple is not implemented yet')
}

export class Box {
  constructor(first: C) {
    // TODO(kata 07): keep it.
  }
  get size(): number {
    // TODO(kata 07): count.
    throw new Error('kata 07-nodeport: Box.size is not implemented yet')
  }
  add(c: C): void {
    // TODO(kata 07): add.
    throw new Error('kata 07-nodeport: Box.add is not implemented yet')
  }
}
`

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
      { slug: 'rest', track: 'deep', title: 'Rest', points: 1, write: { 'm.ts': ['triple', 'Box.constructor', 'Box.get size'] }, hints },
    ],
  }),
)

describe('units of a module', () => {
  test('top-level functions, const arrow functions, constructors, accessors and methods, by name', () => {
    expect(unitsOf('m.ts', SOLUTION).map((u) => [u.name, u.exported, u.internal])).toEqual([
      ['double', true, false],
      ['helper', false, true],
      ['shared', false, true],
      ['triple', true, false],
      ['Box.constructor', true, false],
      ['Box.get size', true, false],
      ['Box.add', true, false],
      ['Box.log', true, true],
    ])
  })

  test('a unit starts after its doc comment and the text around a replaced unit stays byte for byte', () => {
    const out = replaceUnits({ file: 's', text: SOLUTION }, { file: 'd', text: DEEP }, ['double'])
    expect(out).toContain("/** Doubles. */\nexport function double(n: number): number {\n  // TODO(kata 07): double it.")
    expect(out.replace(/export function double[\s\S]*?\n}\n/, '')).toBe(SOLUTION.replace(/export function double[\s\S]*?\n}\n/, ''))
  })

  test('a name missing on either side is an error that names the file', () => {
    expect(() => replaceUnits({ file: 's.ts', text: SOLUTION }, { file: 'd.ts', text: DEEP }, ['helper'])).toThrow(new UnitError('d.ts: no function helper'))
    expect(() => replaceUnits({ file: 's.ts', text: SOLUTION }, { file: 'd.ts', text: DEEP }, ['nope'])).toThrow(new UnitError('s.ts: no function nope'))
  })

  test.each([
    { name: 'blank lines and comments are not code', text: '// a\n\n/* b\n c */\nlet x = 1 // d\n', want: 1 },
    { name: 'a template string spanning lines counts each line', text: 'const s = `a\n${1}\nb`\n', want: 3 },
    { name: 'a doc comment inside a function is not code', text: 'function f() {\n  /** x */\n  return 1\n}\n', want: 3 },
  ])('code lines: $name', ({ text, want }) => {
    expect(codeLines(text)).toBe(want)
  })
})

describe('dead code after stubbing', () => {
  test('a private helper only a stubbed function called goes, with its doc comment; shared ones and the imports stay', () => {
    const stubbed = replaceUnits({ file: 's', text: SOLUTION }, { file: 'd', text: DEEP }, ['double'])
    const out = pruneDeadCode(stubbed, new Set())
    expect(out).not.toContain('function helper')
    expect(out).not.toContain('Only double uses it')
    expect(out).toContain('function shared')
    expect(out).toContain("import { a, b, type C } from './x.ts'")
  })

})

describe('the core stub', () => {
  const core = coreStub(KATA, 'm.ts', SOLUTION, DEEP)

  test('throws exactly in the core functions, each TODO naming its task', () => {
    expect(stubbedUnits(KATA, 'm.ts', core)).toEqual(['double', 'Box.add'])
    expect(core).toContain('// TODO(kata 07, task 1): double it.')
    expect(core).toContain('// TODO(kata 07, task 1): add.')
  })

  test('keeps the given code and the helpers it calls, drops the helpers only a core function called', () => {
    expect(core).toContain('export const triple = (n: number): number => shared(n) * 3')
    expect(core).toContain('function shared')
    expect(core).not.toContain('function helper')
    expect(core).not.toContain('private log(): void')
  })

  test('opens with a banner that lists what the learner writes and says the rest is given', () => {
    expect(core.split('\n').slice(0, 6).join('\n')).toBe(
      [
        `// ${'─'.repeat(72)}`,
        '// Kata 07 · core path: you write',
        '//   task 1 (doubling): double and Box.add',
        '// Each is marked TODO(kata 07) below and throws until you write it.',
        '// Everything else here is given: finished code to read. Deep track: `katas deep 07`.',
        `// ${'─'.repeat(72)}`,
      ].join('\n'),
    )
  })
})
