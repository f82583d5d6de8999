// The deep track and back, edited given code, and the progress file read without trusting it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { loadCourse, parseKata } from './course.ts'
import { emptyProgress, mergeProgress, parseProgress, ProgressError } from './progress.ts'
import { STUBS_DIR } from './paths.ts'
import { coreStub, stubbedUnits } from './stubs.ts'
import { copiedFromReference, editedGiven, restoreGiven, switchTrack, tokens } from './tracks.ts'

const SOLUTION = `export function mine(n: number): number {
  return n + 1
}

export function given(n: number): number {
  return n * 2
}
`
const DEEP = `export function mine(n: number): number {
  // TODO(kata 07): add one.
  throw new Error('kata 07-nodeport: mine is not implemented yet')
}

export function given(n: number): number {
  // TODO(kata 07): double.
  throw new Error('kata 07-nodeport: given is not implemented yet')
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
    id: '07', slug: 'nodeport', title: 'NodePort', summary: 's', modules: ['m.ts'], mirrors: ['x'],
    tasks: [
      { slug: 'one', track: 'core', title: 'One', points: 1, write: { 'm.ts': ['mine'] }, hints },
      { slug: 'two', track: 'deep', title: 'Two', points: 1, write: { 'm.ts': ['given'] }, hints },
    ],
  }),
)
const root = mkdtempSync(path.join(os.tmpdir(), 'tracks-'))
const trees = { solutions: path.join(root, 'solutions'), deep: path.join(root, 'deep-stubs') }
for (const [dir, text] of [[trees.solutions, SOLUTION], [trees.deep, DEEP]] as const) {
  mkdirSync(dir, { recursive: true })
  writeFileSync(path.join(dir, 'm.ts'), text)
}
afterAll(() => rmSync(root, { recursive: true, force: true }))

const learner = coreStub(KATA, 'm.ts', SOLUTION, DEEP).replace(/\{\n {2}\/\/ TODO\(kata 07, task 1\)[^}]*\}/, '{\n  return 1 + n // mine\n}')

describe('switching paths', () => {
  test('the deep track stubs the given functions and keeps the learner\'s own; the core path brings the reference back', () => {
    const deep = switchTrack(KATA, 'm.ts', learner, 'deep', trees)
    expect(stubbedUnits(KATA, 'm.ts', deep)).toEqual(['given'])
    expect(deep).toContain('return 1 + n // mine')
    expect(deep).toContain('Kata 07 · deep track: you write')
    const core = switchTrack(KATA, 'm.ts', deep, 'core', trees)
    expect(core).toBe(learner)
  })
  test('a constructor that becomes a deep stub leaves its fields marked as assigned, so the module still type-checks', () => {
    const kata = loadCourse().find((k) => k.id === '08')!
    const stub = readFileSync(path.join(STUBS_DIR, 'cloud', 'fake.ts'), 'utf8')
    const deep = switchTrack(kata, 'cloud/fake.ts', stub, 'deep')
    expect(deep).toContain('private readonly first!: bigint')
    expect(stub).toContain('private readonly first: bigint')
  })
})

describe('given code the learner edited', () => {
  test('layout and comments do not count as an edit; a changed token does', () => {
    expect(editedGiven(KATA, 'm.ts', learner.replace('return n * 2', 'return  n*2 // same'), 'core', trees)).toEqual([])
    expect(editedGiven(KATA, 'm.ts', learner.replace('return n * 2', 'return n * 3'), 'core', trees)).toEqual(['given'])
  })
  // Each text against \`a\`: the same tokens, or not. Templates are where a scanner on its own goes wrong.
  test.each([
    { name: 'a comment after a template with a substitution', a: 'const s = `x${n}y`\nf()', b: 'const s = `x${n}y`\n// why\nf()', same: true },
    { name: 'a comment after a template nested in a substitution', a: 'g(`a${`b${c}`}d`)\nf()', b: 'g(`a${`b${c}`}d`) // why\nf()', same: true },
    { name: 'a comment after an object literal inside a substitution', a: 'g(`a${ {k: 1}.k }b`)\nf()', b: 'g(`a${ {k: 1}.k }b`)\n/* why */ f()', same: true },
    { name: 'a comment after a template with two substitutions', a: 'g(`${a}-${b}`)', b: 'g(`${a}-${b}`) // why', same: true },
    { name: 'the template text changed', a: 'const s = `x${n}y`', b: 'const s = `x${n}z`', same: false },
    { name: 'the substitution changed', a: 'const s = `x${n}y`', b: 'const s = `x${m}y`', same: false },
    { name: 'code after the template changed', a: 'const s = `x${n}y`\nf()', b: 'const s = `x${n}y`\ng()', same: false },
  ])('tokens: $name', ({ a, b, same }) => {
    expect(tokens(a).join(' ') === tokens(b).join(' ')).toBe(same)
  })
  test('a comment inside a given function that builds a template is not an edit', () => {
    const templated = (code: string) => `export function mine(n: number): number {\n  return n + 1\n}\n\nexport function given(n: number): string {\n${code}\n}\n`
    const solution = templated('  const s = `n=${n}`\n  return s')
    const dir = mkdtempSync(path.join(root, 'templated-'))
    const own = { solutions: path.join(dir, 'solutions'), deep: trees.deep }
    mkdirSync(own.solutions)
    writeFileSync(path.join(own.solutions, 'm.ts'), solution)
    expect(editedGiven(KATA, 'm.ts', templated('  const s = `n=${n}`\n  // the count, for the log\n  return s'), 'core', own)).toEqual([])
    expect(copiedFromReference(KATA, 'm.ts', templated('  const s = `n=${n}`\n  // mine, honest\n  return s'), ['given'], own)).toEqual(['given'])
  })
  test('for grading, the pristine given code goes back under the learner\'s functions', () => {
    const restored = restoreGiven(KATA, 'm.ts', learner.replace('return n * 2', 'return 42'), 'core', trees)
    expect(restored).toBe(learner)
  })
  test('a learner function that is the reference token for token is a copy, not their work', () => {
    expect(copiedFromReference(KATA, 'm.ts', learner, ['mine', 'given'], trees)).toEqual(['given'])
  })
})

describe('the progress file', () => {
  const katas = loadCourse()
  const good = emptyProgress(katas)
  test.each([
    { name: 'not JSON', text: '{', want: /^not JSON: / },
    { name: 'an unknown version', text: JSON.stringify({ ...good, version: 3 }), want: /^version: expected 2, got 3$/ },
    { name: 'a status the course does not know', text: JSON.stringify({ ...good, katas: { '00': { ...good.katas['00'], status: 'done' } } }), want: /^katas\.00\.status: expected one of not-started, failing, passed, given, got "done"$/ },
    { name: 'a track that is neither core nor deep', text: JSON.stringify({ ...good, katas: { '00': { ...good.katas['00'], track: 'fast' } } }), want: /^katas\.00\.track: / },
    {
      name: 'a negative hint count',
      text: JSON.stringify({ ...good, katas: { '00': { ...good.katas['00'], tasks: { [katas[0]!.tasks[0]!.slug]: { passed: false, hints: -5 } } } } }),
      want: /^katas\.00\.tasks\.[a-z-]+: expected \{"passed": true\|false, "hints": 0–3\}$/,
    },
  ])('$name is refused with the field that is wrong', ({ text, want }) => {
    expect(() => parseProgress(text, katas)).toThrow(ProgressError)
    expect(() => parseProgress(text, katas)).toThrow(want)
  })
  test('a version-1 file is read as the core path, its hints on the first task', () => {
    const v1 = { version: 1, katas: { '02': { status: 'passed', hintsShown: 2, tasksPassed: 5, tasksTotal: 5 } } }
    const p = parseProgress(JSON.stringify(v1), katas)
    expect(p.katas['02']!.status).toBe('passed')
    expect(p.katas['02']!.track).toBe('core')
    expect(p.katas['02']!.tasks[katas[2]!.tasks[0]!.slug]!.hints).toBe(2)
  })
  test('merging keeps a green task green and hint levels only go up', () => {
    const slug = katas[0]!.tasks[0]!.slug
    const a = structuredClone(good)
    a.katas['00']!.tasks[slug] = { passed: true, hints: 1 }
    const b = structuredClone(good)
    b.katas['00']!.tasks[slug] = { passed: false, hints: 3 }
    expect(mergeProgress(a, b).katas['00']!.tasks[slug]).toEqual({ passed: true, hints: 3 })
  })
})
