// Every stub's TSDoc states what its checks assert: each error message a check expects
// is written in the TSDoc of the function that produces it (harness/tsdoc.ts), in the
// reference and in the deep stubs (the core stubs are generated with the same TSDoc),
// and every `@example call // result` of a TSDoc holds on the reference.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, test } from 'vitest'
import { loadCourse, parseKata } from './course.ts'
import { CHECKS_DIR, DEEP_STUBS_DIR, SOLUTIONS_DIR } from './paths.ts'
import { docExamples, undocumentedMessages, type Trees } from './tsdoc.ts'

const hints = [
  { tier: 'nudge', text: 'n' },
  { tier: 'pointer', text: 'p' },
  { tier: 'near-solution', text: 's' },
]
const KATA = parseKata(
  '/course/katas/00-pod-network/kata.yaml',
  JSON.stringify({
    id: '00', slug: 'pod-network', title: 'T', summary: 's', modules: ['m.ts'], mirrors: ['x'],
    tasks: [
      { slug: 'forward', track: 'core', title: 'Forward', points: 1, write: { 'm.ts': ['portForward'] }, hints },
      { slug: 'parse', track: 'deep', title: 'Parse', points: 1, write: { 'm.ts': ['parsePorts', 'Pool.take'] }, hints },
    ],
  }),
)

/** The reference module: its messages, produced in kata functions, a private helper and an error class. */
const module = (docs: { forward: string; parse: string; take: string }) => `
export class PoolEmptyError extends Error {
  constructor(pool: string) {
    super(\`no available IPs in pool \${pool}\`)
  }
}
function mustPort(s: string): number {
  if (!/^\\d+$/.test(s)) throw new PortError(\`invalid port format '\${s}'\`)
  return Number(s)
}
/** ${docs.parse} */
export function parsePorts(ports: string[]): number[] {
  return ports.map(mustPort)
}
/** ${docs.forward} */
export function portForward(ports: string[]): void {
  if (ports.length === 0) throw new PortError(\`TYPE/NAME and list of ports are required for port-forward\\nSee 'kubectl port-forward -h' for help and examples\`)
  parsePorts(ports)
}
export class Pool {
  /** ${docs.take} */
  take(): string {
    throw new PoolEmptyError('a-b')
  }
}
`
const check = `
task('forward', () => {
  test('no ports', () => expect(() => portForward([])).toThrow("TYPE/NAME and list of ports are required for port-forward\\nSee 'kubectl port-forward -h' for help and examples"))
  test('a bad port', () => expect(() => portForward(['x'])).toThrow("invalid port format 'x'"))
})
task('parse', () => {
  test('empty pool', () => expect(() => new Pool().take()).toThrow('no available IPs in pool a-b'))
})
`
const GOOD = {
  forward: "No ports: `TYPE/NAME and list of ports are required for port-forward`, then `See 'kubectl port-forward -h' for help and examples`.",
  parse: "A port that is not a number: `invalid port format '<port>'`.",
  take: 'An empty pool throws `PoolEmptyError`.',
}
const trees = (docs: typeof GOOD, deepDocs = docs): Trees => ({
  read: (tree) => module(tree === 'solutions' ? docs : deepDocs),
  checks: new Map([['checks/00-pod-network.check.ts', check]]),
})

describe('a message a check expects is found in the TSDoc of the function that produces it', () => {
  test.each([
    { name: 'every message documented: no mismatch', docs: GOOD, want: [] },
    {
      name: 'the second line of a message missing from the TSDoc is a mismatch',
      docs: { ...GOOD, forward: 'No ports: `TYPE/NAME and list of ports are required for port-forward`.' },
      want: [{ functions: ['portForward'], tree: 'solutions', missing: "See 'kubectl port-forward -h' for help and examples" }],
    },
    {
      name: 'a private helper\'s message is for the kata function that calls it, whichever task\'s check expects it',
      docs: { ...GOOD, parse: 'Ports as numbers.' },
      want: [{ functions: ['parsePorts'], tree: 'solutions', missing: 'invalid port format' }],
    },
    {
      name: 'for an error class that words its own message, the TSDoc names the class',
      docs: { ...GOOD, take: 'An empty pool throws.' },
      want: [{ functions: ['Pool.take'], tree: 'solutions', missing: 'PoolEmptyError' }],
    },
  ])('$name', ({ docs, want }) => {
    const got = undocumentedMessages([KATA], trees(docs, GOOD))
    expect(got.map(({ functions, tree, missing }) => ({ functions, tree, missing }))).toEqual(want)
  })

  test('the deep stubs are held to the same TSDoc', () => {
    const got = undocumentedMessages([KATA], trees(GOOD, { ...GOOD, take: 'An empty pool throws.' }))
    expect(got.map((m) => `${m.tree}: ${m.missing}`)).toEqual(['deep-stubs: PoolEmptyError'])
  })
})

const katas = loadCourse()
const read = (dir: string, m: string) => (existsSync(path.join(dir, m)) ? readFileSync(path.join(dir, m), 'utf8') : undefined)

describe('the course', () => {
  test('every error message a check expects is in the TSDoc of the function that produces it, in solutions/ and deep-stubs/', () => {
    const checks = new Map(readdirSync(CHECKS_DIR).filter((f) => f.endsWith('.check.ts')).map((f) => [`checks/${f}`, readFileSync(path.join(CHECKS_DIR, f), 'utf8')]))
    const found = undocumentedMessages(katas, { read: (tree, m) => read(tree === 'solutions' ? SOLUTIONS_DIR : DEEP_STUBS_DIR, m), checks })
    const lines = found.map((m) => `${m.tree}/${m.module} ${m.functions.join(' or ')}: ${m.at} expects ${JSON.stringify(m.message)}, the TSDoc lacks ${JSON.stringify(m.missing)}`)
    expect(lines, 'write each message into the TSDoc of solutions/ and deep-stubs/, then `npm run stubs`').toEqual([])
  }, 60_000)

  const modules = katas.flatMap((k) => k.modules)
  test.each(modules)('the @example lines of %s hold on the reference, and the deep stub shows the same', async (m) => {
    const examples = docExamples(m, read(SOLUTIONS_DIR, m)!)
    expect(docExamples(m, read(DEEP_STUBS_DIR, m) ?? '').map((e) => `${e.unit}: ${e.code} // ${e.expected}`), 'deep-stubs/ and solutions/ share their examples').toEqual(
      examples.filter((e) => docExamples(m, read(DEEP_STUBS_DIR, m) ?? '').some((d) => d.unit === e.unit)).map((e) => `${e.unit}: ${e.code} // ${e.expected}`),
    )
    const exports = (await import(pathToFileURL(path.join(SOLUTIONS_DIR, m)).href)) as Record<string, unknown>
    for (const e of examples) {
      let want: unknown
      try {
        want = new Function(`return (${e.expected})`)()
      } catch {
        continue // prose, not a value: "two rules:", "[the DNS-1035 message]"
      }
      let got: unknown
      try {
        got = new Function(...Object.keys(exports), `return (${e.code})`)(...Object.values(exports))
      } catch (err) {
        if (err instanceof ReferenceError) continue // names a value the example only describes
        throw err
      }
      expect(got, `${m}:${e.line}: @example ${e.code} // ${e.expected}`).toEqual(elided(want))
    }
  })
})

/** An example's strings may leave text out with `…`: they match any text there. */
function elided(v: unknown): unknown {
  if (typeof v === 'string' && v.includes('…')) return expect.stringMatching(new RegExp(`^${v.split('…').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*')}$`))
  if (Array.isArray(v)) return v.map(elided)
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, elided(x)]))
  return v
}
