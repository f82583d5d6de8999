// Hostile learners, graded by the real `katas grade`: each fixture is a checkout
// made here from the current stubs or solutions plus one attack, and gets the
// verdict it must get. Afterwards the course is byte-identical, no process the
// learner started is alive, and the output files are what the grader wrote.
// Runs where the OS sandbox can start (docs/grading.md, threat model).
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { loadCourse } from '../harness/course.ts'
import { filesUnder } from '../harness/files.ts'
import { PACKAGE_ROOT, SOLUTIONS_DIR, STUBS_DIR } from '../harness/paths.ts'
import { learnerCheckout } from './checkout.testing.ts'
import { probeSandbox } from './sandbox.ts'

const BIN = path.join(PACKAGE_ROOT, 'bin', 'katas.mjs')
const { KATAS_SELFTEST: _selftest, KATAS_IMPL: _impl, ...inherited } = process.env
const env = { ...inherited, NO_COLOR: '1', FORCE_COLOR: '0' }
const TMP = mkdtempSync(path.join(os.tmpdir(), 'katas-attacks-'))
const SELECTOR = 'labels/selector.ts'
/** A number no other process on the machine has in its command line: what the learner's processes carry. */
const MARK = `4242.${process.pid}`
const sandbox = probeSandbox()
const kata02 = loadCourse().find((k) => k.id === '02')!
const kata04 = loadCourse().find((k) => k.id === '04')!
const points = (k: typeof kata02) => k.tasks.filter((t) => t.track === 'core').reduce((n, t) => n + t.points, 0)

/** The files an attack might change: the course's own trees, hashed. */
function courseHash(): string {
  const h = createHash('sha256')
  for (const dir of ['checks', 'harness', 'katas', 'lib', 'solutions', 'stubs', 'deep-stubs', 'misconceptions', 'grader']) {
    for (const f of filesUnder(path.join(PACKAGE_ROOT, dir))) h.update(`${dir}/${f}\0`).update(readFileSync(path.join(PACKAGE_ROOT, dir, f)))
  }
  return h.update(readFileSync(path.join(PACKAGE_ROOT, 'package.json'))).digest('hex')
}

const checkout = (name: string, from: string, edit?: (ws: string, dir: string) => void) => learnerCheckout(TMP, name, from, edit)
const edit = (module: string, change: (text: string) => string) => (ws: string) => {
  const file = path.join(ws, module)
  writeFileSync(file, change(readFileSync(file, 'utf8')))
}
const prepend = (module: string, code: string) => edit(module, (t) => `${code}\n${t}`)

function katasGrade(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, 'grade', ...args], { cwd: PACKAGE_ROOT, env, encoding: 'utf8', input: '', maxBuffer: 64 * 1024 * 1024 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

interface Summary {
  learner: string
  sandboxed: boolean
  notes: string[]
  points: number
  katas: { kata: string; verdict: string; points: number; message: string | null; notes: string[] }[]
}
const readSummary = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')) as Summary[]

/** Processes alive whose command line carries MARK. */
function survivors(): string[] {
  const out: string[] = []
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')
      if (cmd.includes(MARK)) out.push(`${pid}: ${cmd.trim()}`)
    } catch {
      // Gone while we looked.
    }
  }
  return out
}

/** Learner code that finds the course as the grader lays it out (through node_modules), plus the path an insider would know. */
const FIND_COURSE = `const __roots = new Set<string>([${JSON.stringify(PACKAGE_ROOT)}])
try { __roots.add(__path.dirname(__fs.realpathSync(new URL('../../node_modules', import.meta.url)))) } catch {}`

/** Wraps vitest's reporting channel from inside the checks' process: every failed check is reported as passed. */
const PATCH_RUNNER = `{
  const state = (globalThis as any).__vitest_worker__
  const real = state.rpc
  state.rpc = new Proxy(real, { get: (t: any, k: string) => k !== 'onTaskUpdate' ? t[k] : (packs: any[], events: any) => {
    for (const p of packs) if (p[1] && p[1].state === 'fail') { p[1].state = 'pass'; delete p[1].errors }
    return t.onTaskUpdate(packs, events)
  } })
}`

let listener: net.Server
let connections = 0
let port = 0

beforeAll(async () => {
  if (!existsSync(path.join(PACKAGE_ROOT, 'dist', 'grader', 'command.js'))) throw new Error('dist/ is not built: run `npm run build`')
  listener = net.createServer((c) => {
    connections++
    c.destroy()
  })
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve))
  port = (listener.address() as net.AddressInfo).port
})
afterAll(() => {
  listener?.close()
  rmSync(TMP, { recursive: true, force: true })
})

describe.skipIf(!sandbox.sandboxed)(`attacks on the grader (sandbox: ${sandbox.reason ?? 'bubblewrap'})`, { timeout: 300_000 }, () => {
  test('each attack gets its verdict; the course is unchanged; no learner process survives; the reports stay as written', async () => {
    const before = courseHash()
    const out = path.join(TMP, 'out')
    const ATTACKS: { name: string; from: string; edit?: (ws: string, dir: string) => void; verdict: string; points?: number; message?: RegExp; note?: RegExp }[] = [
      {
        // Found the course through the node_modules link and wrote a trivial test over every check file.
        name: 'rewrites-checks',
        from: SOLUTIONS_DIR,
        edit: prepend(SELECTOR, `import * as __fs from 'node:fs'\nimport * as __path from 'node:path'\n${FIND_COURSE}\nfor (const r of __roots) for (const f of (() => { try { return __fs.readdirSync(__path.join(r, 'checks')) } catch { return [] } })()) { try { if (f.endsWith('.check.ts')) __fs.writeFileSync(__path.join(r, 'checks', f), "import { test } from 'vitest'\\ntest('ok', () => {})\\n") } catch {} }`),
        verdict: 'passed',
        points: points(kata02),
        note: /writes the sandbox refused: checks\/\d\d-[a-z-]+\.check\.ts/,
      },
      // Graded after it: untouched stubs still get nothing.
      { name: 'next-learner', from: STUBS_DIR, verdict: 'failed', points: 0 },
      {
        // Children that outlive the grader and rewrite its reports later.
        name: 'detached-children',
        from: SOLUTIONS_DIR,
        edit: prepend(
          SELECTOR,
          `import { spawn as __spawn } from 'node:child_process'\nfor (let i = 0; i < 20; i++) __spawn('sleep', ['${MARK}'], { detached: true, stdio: 'ignore' }).unref()\n__spawn(process.execPath, ['-e', ${JSON.stringify(`setTimeout(() => { for (const f of ${JSON.stringify([path.join(out, 'summary.json'), path.join(TMP, 'grades.csv')])}) try { require('fs').writeFileSync(f, 'rewritten') } catch {} }, 2500)`)}, '${MARK}'], { detached: true, stdio: 'ignore' }).unref()`,
        ),
        verdict: 'passed',
        points: points(kata02),
      },
      {
        // Copies the reference by a computed path, then imports the copy.
        name: 'copies-solutions',
        from: STUBS_DIR,
        edit: (ws) => {
          writeFileSync(path.join(ws, 'labels', 'grab.ts'), `import * as __fs from 'node:fs'\nimport * as __path from 'node:path'\n${FIND_COURSE}\n__fs.mkdirSync(new URL('./copied/', import.meta.url), { recursive: true })\nfor (const r of __roots) { try { __fs.copyFileSync(__path.join(r, ['sol', 'utions'].join(''), 'labels', 'selector.ts'), new URL('./copied/selector.ts', import.meta.url)); break } catch {} }\n`)
          writeFileSync(path.join(ws, SELECTOR), "import './grab.ts'\nexport * from './copied/selector.ts'\n")
        },
        verdict: 'error',
        points: 0,
      },
      { name: 'workspace-is-a-link', from: STUBS_DIR, edit: (ws) => (rmSync(ws, { recursive: true }), symlinkSync(SOLUTIONS_DIR, ws)), verdict: 'refused', points: 0, message: /workspace\/ is a link to .*solutions/ },
      {
        name: 'link-into-solutions',
        from: STUBS_DIR,
        edit: (ws) => (rmSync(path.join(ws, SELECTOR)), symlinkSync(path.join(SOLUTIONS_DIR, SELECTOR), path.join(ws, SELECTOR))),
        verdict: 'refused',
        points: 0,
        message: /workspace\/labels\/selector\.ts is a link to .*, outside the workspace/,
      },
      {
        // An honest learner's own folder named `solutions` is theirs.
        name: 'own-solutions-folder',
        from: SOLUTIONS_DIR,
        edit: (ws) => {
          mkdirSync(path.join(ws, 'labels', 'solutions'))
          writeFileSync(path.join(ws, 'labels', 'solutions', 'helper.ts'), 'export const helper = 1\n')
          prepend(SELECTOR, "import { helper } from './solutions/helper.ts'\nvoid helper")(ws)
        },
        verdict: 'passed',
        points: points(kata02),
      },
      {
        name: 'network',
        from: SOLUTIONS_DIR,
        edit: prepend(SELECTOR, `import * as __net from 'node:net'\nawait new Promise<void>((done) => { const c = __net.connect(${'${PORT}'}, '127.0.0.1'); c.on('connect', () => (c.destroy(), done())); c.on('error', () => done()) })`),
        verdict: 'passed',
      },
      {
        name: 'given-by-start',
        from: STUBS_DIR,
        edit: (ws) => {
          mkdirSync(path.join(ws, '.katas'))
          writeFileSync(path.join(ws, '.katas', 'state.json'), JSON.stringify({ version: 2, katas: { '02': { status: 'given', track: 'core', givenFor: '05', tasks: {} } } }))
        },
        verdict: 'given',
        points: 0,
        message: /given by `katas start 05`/,
      },
      {
        name: 'damaged-progress',
        from: SOLUTIONS_DIR,
        edit: (ws) => {
          mkdirSync(path.join(ws, '.katas'))
          writeFileSync(path.join(ws, '.katas', 'state.json'), JSON.stringify({ version: 2, katas: { '02': { status: 'passed', track: 'deep', tasks: { [kata02.tasks[0]!.slug]: { passed: true, hints: -5 } } } } }))
        },
        verdict: 'passed',
        points: points(kata02),
      },
    ]
    const dirs = ATTACKS.map((a) =>
      checkout(a.name, a.from, (ws, dir) => {
        a.edit?.(ws, dir)
        if (a.name === 'network') writeFileSync(path.join(ws, SELECTOR), readFileSync(path.join(ws, SELECTOR), 'utf8').replace('${PORT}', String(port)))
      }),
    )
    const r = katasGrade(...dirs, '--kata', '02', '--timeout', '60', '--json', out, '--csv', path.join(TMP, 'grades.csv'))
    expect(r.stderr).toBe('')
    const written = { summary: readFileSync(path.join(out, 'summary.json'), 'utf8'), csv: readFileSync(path.join(TMP, 'grades.csv'), 'utf8') }
    const summary = readSummary(out)
    expect(summary.map((s) => s.learner)).toEqual(ATTACKS.map((a) => a.name))
    for (const [i, a] of ATTACKS.entries()) {
      const s = summary[i]!
      const k = s.katas[0]!
      expect(s.sandboxed, a.name).toBe(true)
      expect(k.verdict, `${a.name}: ${k.message}`).toBe(a.verdict)
      if (a.points !== undefined) expect(k.points, a.name).toBe(a.points)
      if (a.message) expect(k.message, a.name).toMatch(a.message)
      if (a.note) expect(k.notes.join('\n'), a.name).toMatch(a.note)
    }
    expect(summary.find((s) => s.learner === 'damaged-progress')!.notes.join('\n')).toMatch(/state\.json cannot be read .*: every kata graded on the core path/)
    expect(connections, 'a connection out of the sandbox').toBe(0)
    expect(r.code).toBe(1)

    // Seconds later: nothing of the learners' is running, and nothing rewrote the reports.
    await new Promise((resolve) => setTimeout(resolve, 3500))
    expect(survivors()).toEqual([])
    expect(readFileSync(path.join(out, 'summary.json'), 'utf8')).toBe(written.summary)
    expect(readFileSync(path.join(TMP, 'grades.csv'), 'utf8')).toBe(written.csv)
    expect(courseHash()).toBe(before)
  })

  test('patching the test runner from learner code is caught by the canaries, and reaches no other kata', () => {
    const both = checkout('patches-every-kata', STUBS_DIR, (ws) => {
      prepend(SELECTOR, PATCH_RUNNER)(ws)
      for (const m of kata04.modules) prepend(m, PATCH_RUNNER)(ws)
    })
    const one = checkout('patches-one-kata', STUBS_DIR, prepend(SELECTOR, PATCH_RUNNER))
    const out = path.join(TMP, 'out-patch')
    const r = katasGrade(both, one, '--kata', '02', '--kata', '04', '--timeout', '60', '--json', out)
    expect(r.stderr).toBe('')
    const [b, o] = readSummary(out)
    expect(b!.katas.map((k) => [k.verdict, k.points])).toEqual([
      ['tampered', 0],
      ['tampered', 0],
    ])
    expect(b!.katas[0]!.message).toMatch(/the checks' results were changed from inside the run \(a check that must fail passed/)
    expect(o!.katas.map((k) => [k.verdict, k.points])).toEqual([
      ['tampered', 0],
      ['failed', 0],
    ])
    expect(r.stdout).toMatch(/02-label-selectors\s+core\s+tampered/)
  })
})

describe('the grader without a sandbox', { timeout: 300_000 }, () => {
  test('--sandbox off grades all the same and says in one line, in the table and in summary.json, that it ran unsandboxed', () => {
    const dir = checkout('plain', SOLUTIONS_DIR)
    const out = path.join(TMP, 'out-off')
    const r = katasGrade(dir, '--kata', '02', '--sandbox', 'off', '--timeout', '60', '--json', out)
    expect(r.code).toBe(0)
    expect(r.stdout.split('\n').filter((l) => l.startsWith('unsandboxed: '))).toHaveLength(1)
    const [s] = readSummary(out)
    expect(s!.sandboxed).toBe(false)
    expect((s as unknown as { unsandboxed: string }).unsandboxed).toMatch(/--sandbox off/)
    expect(s!.katas[0]!.verdict).toBe('passed')
  })
})
