// The scratch starters (`workspace/scratch/NN-slug.ts`): each calls its kata's core
// functions on the lesson's example and prints what they return. Run here as a learner
// who has solved every kata runs them: `katas run` on a copy of solutions/ beside it.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { loadCourse, type Kata } from '../harness/course.ts'
import { PACKAGE_ROOT, SOLUTIONS_DIR } from '../harness/paths.ts'
import { extractBlocks } from '../harness/lessons/blocks.ts'
import { tokens } from '../harness/tracks.ts'
import { ensureScratch, fromLesson, mergeImports, starterFor } from './scratch.ts'
import { katasIn, learnerEnv } from './testing/spawn.ts'

const course = loadCourse()
const WS = path.join(PACKAGE_ROOT, `workspace-scratch-${process.pid}`)
const starters = new Map<string, string>()

beforeAll(async () => {
  if (!existsSync(path.join(PACKAGE_ROOT, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is not built: run `npm run build`')
  rmSync(WS, { recursive: true, force: true })
  cpSync(SOLUTIONS_DIR, WS, { recursive: true })
  mkdirSync(path.join(WS, 'scratch'), { recursive: true })
  for (const k of course) starters.set(k.name, await starterFor(k))
})
afterAll(() => rmSync(WS, { recursive: true, force: true }))

/**
 * The core tasks of a kata whose functions the starter does not call: a task counts as
 * called when the starter calls one of its functions by name, or, for a method (which
 * may be protected, reached through the class's own methods), makes an instance of its
 * class. Comments do not count: the signatures the starter lists are in comments.
 */
function uncalledTasks(kata: Kata, starter: string): string[] {
  const code = tokens(starter).join(' ')
  return kata.tasks
    .filter((t) => t.track === 'core' && t.write.length > 0)
    .filter(
      (t) =>
        !t.write.some((f) => {
          const [owner, method] = f.name.includes('.') ? f.name.split('.') : [undefined, f.name]
          return new RegExp(`\\b${method} \\(`).test(code) || (owner !== undefined && new RegExp(`\\bnew ${owner} \\(`).test(code))
        }),
    )
    .map((t) => `task ${t.number} (${t.write.map((f) => f.name).join(', ')})`)
}

describe('scratch starters', () => {
  test.each(course.map((k) => ({ kata: k.name, k })))('$kata: the starter calls a function of every core task', ({ k }) => {
    const text = starters.get(k.name)!
    expect(uncalledTasks(k, text), `${k.name}'s starter calls no function of these core tasks`).toEqual([])
    expect(text, `${k.name}'s starter prints nothing`).toMatch(/console\.log\(/)
  })

  test('every starter runs on the reference model and prints what the functions returned, the values its comments state', { timeout: 120_000 }, () => {
    // One process for all ten: each starter in turn, behind a marker line, every value on one line.
    for (const [name, text] of starters) writeFileSync(path.join(WS, 'scratch', `${name}.ts`), text)
    const all = course.map((k) => `console.log('=== ${k.name}')\nawait import('./${k.name}.ts')`).join('\n')
    writeFileSync(path.join(WS, 'scratch', 'all.ts'), `${ONE_LINE_LOG}\n${all}\nexport {}\n`)
    const r = katasIn(learnerEnv(WS))('run', 'scratch/all.ts')
    expect(r.code, r.stderr).toBe(0)
    const parts = r.stdout.split(/^=== /m).slice(1)
    expect(parts.map((p) => p.split('\n')[0])).toEqual(course.map((k) => k.name))
    const wrong: string[] = []
    for (const part of parts) {
      const [name, ...out] = part.split('\n')
      expect(out.join('\n').trim(), `${name} printed nothing`).not.toBe('')
      // `{ name: value }`, one per exported value, in the order the lesson computes them.
      const printed = out.map((l) => /^\{ (\w+): (.*) \}$/.exec(l)).filter((m): m is RegExpExecArray => m !== null)
      const seen = new Map<string, number>()
      for (const { value, stated, line } of statedValues(name!)) {
        const nth = seen.get(value) ?? 0
        seen.set(value, nth + 1)
        const got = printed.filter((m) => m[1] === value)[nth]?.[2]
        if (got === undefined || !matchesStated(stated, got)) wrong.push(`lessons/${name}.md:${line}: ${value} is stated as ${stated}, the reference prints ${got}`)
      }
    }
    expect(wrong, 'a value comment in the lesson code differs from what the code computes').toEqual([])
  })
})

// console.log as the test reads it: every value whole, on one line.
const ONE_LINE_LOG = [
  "import { inspect } from 'node:util'",
  'const full = { depth: Infinity, breakLength: Infinity, maxArrayLength: Infinity, maxStringLength: Infinity }',
  "console.log = (...args: unknown[]) => { process.stdout.write(`${args.map((a) => (typeof a === 'string' ? a : inspect(a, full))).join(' ')}\\n`) }",
].join('\n')

/**
 * The values a lesson's code states: the comment right above an `export const` of a
 * `ts` block, when it opens with a value (`['10.96.130.216']`, `'routed-via-node'`,
 * `256: 10.96.0.1–10.96.1.0`). A comment that opens with prose states nothing checked.
 */
function statedValues(kata: string): { value: string; stated: string; line: number }[] {
  const blocks = extractBlocks(readFileSync(path.join(PACKAGE_ROOT, 'lessons', `${kata}.md`), 'utf8')).code
  const out: { value: string; stated: string; line: number }[] = []
  for (const b of blocks.filter((x) => x.lang === 'ts' && !x.flags.includes('error'))) {
    const lines = b.text.split('\n')
    for (const [i, l] of lines.entries()) {
      const name = /^export const (\w+)/.exec(l)?.[1]
      if (!name) continue
      const comment: string[] = []
      for (let j = i - 1; j >= 0 && lines[j]!.trimStart().startsWith('//'); j--) comment.unshift(lines[j]!.trimStart().slice(2).trim())
      const stated = leadingValue(comment.join(' '))
      if (stated) out.push({ value: name, stated, line: b.contentLine + i })
    }
  }
  return out
}

/** The value a comment opens with: a bracketed or quoted literal, a number, true/false/undefined/null. */
function leadingValue(comment: string): string | undefined {
  const open = comment[0]
  if (open === '[' || open === '{') {
    let depth = 0
    let quote: string | undefined
    for (const [i, ch] of [...comment].entries()) {
      if (quote) quote = ch === quote ? undefined : quote
      else if (ch === "'" || ch === '"') quote = ch
      else if (ch === '[' || ch === '{') depth++
      else if ((ch === ']' || ch === '}') && --depth === 0) return [...comment].slice(0, i + 1).join('')
    }
    return undefined
  }
  if (open === "'" || open === '"') {
    const end = comment.indexOf(open, 1)
    return end > 0 ? comment.slice(0, end + 1) : undefined
  }
  return /^(-?\d+(\.\d+)?|true|false|undefined|null)\b/.exec(comment)?.[1]
}

/** A stated value matches what was printed, spacing and quote style aside; `…` stands for any text. */
function matchesStated(stated: string, printed: string): boolean {
  const norm = (s: string) => s.replace(/\s+/g, '').replaceAll('"', "'")
  const pattern = norm(stated).split('…').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')
  return new RegExp(`^${pattern}$`).test(norm(printed))
}

describe('merging the imports of several lesson blocks', () => {
  test.each([
    { name: 'the same module twice', lines: ["import { a } from '../m.ts'", "import { b, a } from '../m.ts'"], want: ["import { a, b } from '../m.ts'"] },
    { name: 'a type imported by two blocks', lines: ["import type { Service } from 'k'", "import type { Pod, Service } from 'k'"], want: ["import type { Service, Pod } from 'k'"] },
    { name: 'a name used as a value by one block and as a type by another', lines: ["import type { A } from '../m.ts'", "import { A } from '../m.ts'"], want: ["import { A } from '../m.ts'"] },
    { name: 'inline type names', lines: ["import { f, type T } from '../m.ts'", "import type { U } from '../m.ts'"], want: ["import { f, type T, type U } from '../m.ts'"] },
    {
      name: 'a merged line wider than 88 columns, one name a line',
      lines: ["import { endpointsForServicePort, Proxier } from '../proxy/iptables/proxier.ts'", "import { servicePortInfos, writeServiceToEndpointRules } from '../proxy/iptables/proxier.ts'"],
      want: ["import {\n  endpointsForServicePort,\n  Proxier,\n  servicePortInfos,\n  writeServiceToEndpointRules,\n} from '../proxy/iptables/proxier.ts'"],
    },
    { name: 'another shape, kept once', lines: ["import * as x from 'x'", "import * as x from 'x'", "import d from 'd'"], want: ["import * as x from 'x'", "import d from 'd'"] },
  ])('$name', ({ lines, want }) => {
    expect(mergeImports(lines)).toEqual(want)
  })
})

describe('a lesson block as a starter', () => {
  test('each exported value prints right after its statement, its comment beside it; imports are hoisted, on one line, from scratch/', async () => {
    const block = [
      "import {",
      "  parse,",
      "  selectorFromSet,",
      "} from './labels/selector.ts'",
      "import { Ruleset } from '../lib/net/iptables.ts'",
      '',
      '// The order Service.',
      "export const a = selectorFromSet({ app: 'order' }).toString() // 'app=order'",
      "export function helper(): number {",
      '  return 1',
      '}',
      "const rules = new Ruleset()",
      "export const b = parse('x=1').toString(), c = helper() // 'x=1' 1",
    ].join('\n')
    expect(await fromLesson([block])).toBe(
      [
        "import { parse, selectorFromSet } from '../labels/selector.ts'",
        "import { Ruleset } from '../../lib/net/iptables.ts'",
        '',
        '{',
        '  // The order Service.',
        "  const a = selectorFromSet({ app: 'order' }).toString()",
        "  console.log({ a }) // 'app=order'",
        '  function helper(): number {',
        '    return 1',
        '  }',
        '  const rules = new Ruleset()',
        "  const b = parse('x=1').toString(), c = helper()",
        "  console.log({ b, c }) // 'x=1' 1",
        '}',
        '',
      ].join('\n'),
    )
  })
})

describe('the values lesson comments state', () => {
  test.each([
    { comment: "['10.96.130.216', '10.96.211.64'] (the range's seeded random)", printed: "[ '10.96.130.216', '10.96.211.64' ]", want: true },
    { comment: "'10.244.3.0/24', not the freed 10.244.1.0/24", printed: "'10.244.3.0/24'", want: true },
    { comment: '256: 10.96.0.1–10.96.1.0', printed: '256', want: true },
    { comment: "{ ready: false, serving: true, terminating: true }", printed: '{ ready: false, serving: true, terminating: true }', want: true },
    { comment: "['-A KUBE-SERVICES … -d 10.96.130.216 --dport 80 -j KUBE-SVC-X']", printed: `[ '-A KUBE-SERVICES -m comment --comment "a" -d 10.96.130.216 --dport 80 -j KUBE-SVC-X' ]`, want: true },
    { comment: "['10.96.130.216']", printed: "[ '10.96.130.216', '10.96.211.64' ]", want: false },
    { comment: "'routed-via-node'", printed: "'no-route-from-outside'", want: false },
    { comment: '503: no order pod there', printed: '200', want: false },
    { comment: "['0.3333333333', '0.5000000000']", printed: "[ '0.3333333334', '0.5000000000' ]", want: false },
  ])('$comment against $printed: $want', ({ comment, printed, want }) => {
    const stated = leadingValue(comment)
    expect(stated, 'the comment opens with a value').toBeDefined()
    expect(matchesStated(stated!, printed)).toBe(want)
  })

  test.each(['KUBE-SVC for three endpoints: rule 0 with 1/3', 'Task 3: [[], []]', ''])('%j opens with prose: no value checked', (comment) => {
    expect(leadingValue(comment)).toBeUndefined()
  })
})

describe('starters over a course update', () => {
  // Kata 02's starter in a workspace of its own; "the lesson changed" is a record that
  // names another lesson digest, as it would after `git pull` brought a new lesson.
  const kata = course[2]!
  const ws = path.join(PACKAGE_ROOT, `workspace-scratch-update-${process.pid}`)
  const file = path.join(ws, 'scratch', `${kata.name}.ts`)
  const recordFile = path.join(ws, '.katas', 'scratch.json')
  const editRecord = (change: (entry: { lesson: string; written: string }) => void) => {
    const record = JSON.parse(readFileSync(recordFile, 'utf8')) as Record<string, { lesson: string; written: string }>
    change(record[kata.name]!)
    writeFileSync(recordFile, JSON.stringify(record))
  }
  const lessonChanged = () => editRecord((e) => (e.lesson = 'an older lesson'))
  /** The starter an older course wrote, untouched since. */
  const olderStarter = () => {
    writeFileSync(file, '// the old starter\n')
    editRecord((e) => (e.written = createHash('sha256').update('// the old starter\n').digest('hex')))
  }
  afterAll(() => rmSync(ws, { recursive: true, force: true }))

  test.each([
    { name: 'a new workspace gets the starter', before: () => {}, want: { written: 1, updated: 0 }, mine: false },
    { name: 'a second start changes nothing', before: () => {}, want: { written: 0, updated: 0 }, mine: false },
    { name: 'an untouched starter follows its changed lesson', before: () => (olderStarter(), lessonChanged()), want: { written: 0, updated: 1 }, mine: false },
    { name: 'an untouched starter stays while its lesson is the same', before: () => olderStarter(), want: { written: 0, updated: 0 }, mine: 'old' },
    { name: 'an edited starter is kept when its lesson changes', before: () => { lessonChanged(); writeFileSync(file, '// mine\n') }, want: { written: 0, updated: 0 }, mine: true },
    { name: 'a starter from before the record is kept', before: () => { rmSync(recordFile); writeFileSync(file, '// mine\n') }, want: { written: 0, updated: 0 }, mine: true },
    { name: 'a deleted starter is written again', before: () => rmSync(file), want: { written: 1, updated: 0 }, mine: false },
  ])('$name', async ({ before, want, mine }) => {
    before()
    const got = await ensureScratch([kata], ws)
    expect({ written: got.written.length, updated: got.updated.length }).toEqual(want)
    const kept = { true: '// mine\n', old: '// the old starter\n', false: starters.get(kata.name) }[String(mine)]
    expect(readFileSync(file, 'utf8')).toBe(kept)
  })
})
