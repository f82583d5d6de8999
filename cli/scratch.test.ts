// The scratch starters (`workspace/scratch/NN-slug.ts`): each calls its kata's core
// functions on the lesson's example and prints what they return. Run here as a learner
// who has solved every kata runs them: `katas run` on a copy of solutions/ beside it.
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { loadCourse, type Kata } from '../harness/course.ts'
import { PACKAGE_ROOT, SOLUTIONS_DIR } from '../harness/paths.ts'
import { tokens } from '../harness/tracks.ts'
import { fromLesson, mergeImports, starterFor } from './scratch.ts'
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

  test('every starter runs on the reference model and prints what the functions returned', { timeout: 120_000 }, () => {
    // One process for all ten: each starter in turn, behind a marker line.
    for (const [name, text] of starters) writeFileSync(path.join(WS, 'scratch', `${name}.ts`), text)
    const all = course.map((k) => `console.log('=== ${k.name}')\nawait import('./${k.name}.ts')`).join('\n')
    writeFileSync(path.join(WS, 'scratch', 'all.ts'), `${all}\nexport {}\n`)
    const r = katasIn(learnerEnv(WS))('run', 'scratch/all.ts')
    expect(r.code, r.stderr).toBe(0)
    const parts = r.stdout.split(/^=== /m).slice(1)
    expect(parts.map((p) => p.split('\n')[0])).toEqual(course.map((k) => k.name))
    for (const part of parts) {
      const [name, ...out] = part.split('\n')
      expect(out.join('\n').trim(), `${name} printed nothing`).not.toBe('')
    }
  })
})

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
