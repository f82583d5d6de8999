// The real `katas` command, spawned as a learner runs it, against a throw-away
// workspace beside solutions/ (so its `../lib` imports resolve). Kata contents
// change as the course grows: expectations are read from the catalogue.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { findKata, loadCourse, type Kata } from '../harness/course.ts'
import { PACKAGE_ROOT, SOLUTIONS_DIR, STUBS_DIR } from '../harness/paths.ts'
import type { Progress } from '../harness/progress.ts'
import { unitMap } from '../harness/units.ts'
import { katasIn, learnerEnv, readJson, startWatch } from './testing/spawn.ts'

const WS = path.join(PACKAGE_ROOT, `workspace-test-${process.pid}`)
const env = learnerEnv(WS)
const katas = katasIn(env)
const children = new Set<ChildProcessWithoutNullStreams>()
const course = loadCourse()
const k02 = findKata('02')!
const stateFile = path.join(WS, '.katas', 'state.json')
const progress = () => readJson<Progress>(stateFile)
const coreTasks = (k: Kata) => k.tasks.filter((t) => t.track === 'core')

const solve = (kata: Kata) => {
  for (const m of kata.modules) copyFileSync(path.join(SOLUTIONS_DIR, m), path.join(WS, m))
}

beforeAll(() => {
  rmSync(WS, { recursive: true, force: true })
  if (!existsSync(path.join(PACKAGE_ROOT, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is not built: run `npm run build`')
})
afterAll(() => {
  for (const c of children) c.kill()
  katas('stop')
  rmSync(WS, { recursive: true, force: true })
})

describe('the katas command', { timeout: 180_000 }, () => {
  test.each([
    { name: 'an unknown command, with a did-you-mean', args: ['chek', '02'], first: 'katas: unknown command "chek" — did you mean `katas check`?' },
    { name: 'an unknown option', args: ['check', '--fast'], first: 'katas: check: unknown option --fast' },
    { name: 'a missing option value', args: ['hint', '02', '--level'], first: 'katas: hint: --level needs a value' },
    { name: 'too many arguments', args: ['reset', '02', '03'], first: 'katas: reset takes at most 1 argument, got also: 03' },
    { name: 'no workspace yet', args: ['check', '02'], first: `katas: no workspace at ${WS}` },
  ])('$name: one line, a hint, exit 2, no stack trace', ({ args, first }) => {
    const r = katas(...args)
    expect(r.code, r.stderr).toBe(2)
    expect(r.stderr.split('\n')[0]).toBe(first)
    expect(r.stderr).toMatch(/^hint: /m)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  test('help lists every command the lessons use', () => {
    const help = katas('help')
    expect(help.code).toBe(0)
    for (const c of ['katas check [KATA…]', 'katas hint [KATA] [--task N|SLUG] [--level N]', 'katas deep KATA', 'katas core KATA', 'katas start KATA', 'katas run FILE.ts', 'katas reset --undo KATA']) expect(help.stdout).toContain(c)
  })

  test('watch mode creates the workspace from the stubs, with a scratch starter per kata, and quits on q', async () => {
    const w = startWatch(env, children)
    await w.next('tasks green')
    w.key('q')
    expect(await w.exited).toBe(0)
    expect(w.output()).toMatch(/Created your workspace with \d+ files/)
    for (const f of readdirSync(STUBS_DIR, { recursive: true }).map(String).filter((f) => f.endsWith('.ts'))) {
      expect(readFileSync(path.join(WS, f), 'utf8')).toBe(readFileSync(path.join(STUBS_DIR, f), 'utf8'))
    }
    for (const k of course) expect(existsSync(path.join(WS, 'scratch', `${k.name}.ts`)), k.name).toBe(true)
  })

  test.each([
    { typed: 'selectors', means: '02' },
    { typed: 'endpoint', means: '03' },
    { typed: 'clusterpi', means: '06' },
  ])('an unknown kata "$typed" gets a did-you-mean', ({ typed, means }) => {
    const r = katas('check', typed)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`katas: unknown kata "${typed}" — did you mean ${means} (${findKata(means)!.slug})?`)
  })

  test('check on a stub exits 1 and shows the first failing check with where the code threw', () => {
    const r = katas('check', '02')
    expect(r.code).toBe(1)
    expect(r.stdout).toContain(`0 of ${coreTasks(k02).length} tasks green`)
    expect(r.stdout).toMatch(/your code threw at [\w/]+\.ts:\d+:\d+ on the input above/)
    expect(r.stdout).toContain('not implemented yet')
    expect(progress().katas['02']!.status).toBe('failing')
  })

  test('check names several katas and runs each in order; a missing file points to reset', () => {
    const moved = path.join(WS, k02.modules[0]!)
    const keep = readFileSync(moved, 'utf8')
    rmSync(moved)
    const r = katas('check', '01', '02')
    writeFileSync(moved, keep)
    expect(r.code).toBe(1)
    expect(r.stdout.indexOf(findKata('01')!.title)).toBeLessThan(r.stdout.indexOf(k02.title))
    expect(r.stdout).toContain(`is missing from your workspace`)
    expect(r.stdout).toContain('katas reset 02')
    expect(r.stdout).not.toContain('run again by themselves')
  })

  test('hints go by task: the first task not green, tier by tier; --task and --level pick one', () => {
    const [t1, t2] = coreTasks(k02)
    expect(katas('hint', '02').stdout).toContain(`Hint 1 of 3 for 02 ${k02.title}, task ${t1!.number}`)
    expect(katas('hint', 'label-selectors').stdout).toContain(`Hint 2 of 3 for 02 ${k02.title}, task ${t1!.number}`)
    if (t2) {
      expect(katas('hint', '02', '--task', t2.slug).stdout).toContain(`Hint 1 of 3 for 02 ${k02.title}, task ${t2.number}`)
      expect(katas('hint', '02', '--task', String(t2.number), '--level', '3').stdout).toContain('(near the solution)')
      expect(progress().katas['02']!.tasks[t2.slug]!.hints).toBe(3)
    }
    expect(progress().katas['02']!.tasks[t1!.slug]!.hints).toBe(2)
    const bad = katas('hint', '02', '--level', '9')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('has hints 1 to 3, not 9')
    expect(katas('hint', '02', '--task', 'nope').stderr).toContain('kata 02 has no task "nope"')
  })

  test('the solution stays locked until green; then it shows the functions the learner writes, or whole modules with --full', () => {
    const locked = katas('solution', '02')
    expect(locked.code).toBe(1)
    expect(locked.stderr).toContain('unlocks once its checks are green')
    solve(k02)
    const r = katas('check', 'label-selectors')
    expect(r.code, r.stdout).toBe(0)
    expect(r.stdout).toContain(`all ${coreTasks(k02).length} tasks green`)
    expect(progress().katas['02']!.status).toBe('passed')
    const names = coreTasks(k02).flatMap((t) => t.write.map((f) => f.name))
    const core = katas('solution', '02')
    expect(core.code).toBe(0)
    expect(core.stdout).toContain('--full')
    const full = katas('solution', '02', '--full')
    expect(full.stdout.length).toBeGreaterThanOrEqual(core.stdout.length)
    // Mutation testing's disable comments in solutions/ are for maintainers, not the learner.
    for (const shown of [core.stdout, full.stdout]) expect(shown).not.toMatch(/\/\/\s*Stryker (disable|restore)/)
    for (const n of names) expect(core.stdout).toContain(n.split('.').at(-1)!.replace(/^(get|set) /, ''))
  })

  test('reset restores the stub; --undo walks back through every backup, newest first', () => {
    const file = path.join(WS, k02.modules[0]!)
    const stub = readFileSync(path.join(STUBS_DIR, k02.modules[0]!), 'utf8')
    const v1 = `${stub}\n// version 1\n`
    const v2 = `${stub}\n// version 2\n`
    writeFileSync(file, v1)
    expect(katas('reset', '02').code).toBe(0)
    writeFileSync(file, v2)
    const r = katas('reset', '02')
    expect(r.stdout).toContain('katas reset --undo 02')
    expect(readFileSync(file, 'utf8')).toBe(stub)
    const u1 = katas('reset', '--undo', '02')
    expect(u1.code, u1.stderr).toBe(0)
    expect(readFileSync(file, 'utf8')).toBe(v2)
    expect(u1.stdout).toMatch(/The files it replaced are in \S+replaced/)
    expect(u1.stdout).toContain('1 older backup left')
    const u2 = katas('reset', '--undo', '02')
    expect(readFileSync(file, 'utf8')).toBe(v1)
    expect(u2.stdout).toContain('That was the oldest backup.')
    expect(katas('reset', '--undo', '02').stderr).toContain('kata 02 has no backup to restore')
    solve(k02)
  })

  test('deep and core switch a kata between the tracks, keeping the learner functions and saying where the backup is', () => {
    const d = katas('deep', '02')
    expect(d.code, d.stderr).toBe(0)
    expect(d.stdout).toContain('is on the deep track')
    expect(d.stdout).toMatch(/Backup of your files before the switch: \S+-deep/)
    expect(progress().katas['02']!.track).toBe('deep')
    expect(readFileSync(path.join(WS, k02.modules[0]!), 'utf8')).toContain('deep track')
    expect(katas('list').stdout).toMatch(/02 {2}Label selectors.*deep/)
    const c = katas('core', '02')
    expect(c.code, c.stderr).toBe(0)
    expect(c.stdout).toContain('is back on the core path')
    expect(progress().katas['02']!.track).toBe('core')
    expect(katas('check', '02').code).toBe(0)
  })

  test.each([
    { name: 'not JSON', text: '{"version": 2, "katas": ' },
    { name: 'a negative count in a version-1 file', text: JSON.stringify({ version: 1, katas: { '02': { status: 'passed', hintsShown: 0, tasksPassed: -5, tasksTotal: 1 } } }) },
    { name: 'a wrong type', text: JSON.stringify({ version: 2, katas: { '02': { status: 'passed', track: 'core', tasks: 'all' } } }) },
  ])('a bad progress file ($name) is moved aside and rebuilt from the checks', ({ text }) => {
    writeFileSync(stateFile, text)
    const r = katas('list')
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('The progress file could not be read')
    expect(readdirSync(path.dirname(stateFile)).some((f) => f.startsWith('state.json.corrupt-'))).toBe(true)
    expect(progress().katas['02']!.status).toBe('passed')
    expect(r.stdout).toMatch(/✓ 02 {2}Label selectors/)
  })

  test('a version-1 progress file is read as the core path', () => {
    writeFileSync(stateFile, JSON.stringify({ version: 1, katas: { '00': { status: 'passed', hintsShown: 2, tasksPassed: 1, tasksTotal: 1 } } }))
    const r = katas('list')
    expect(r.stdout).not.toContain('could not be read')
    expect(r.stdout).toMatch(/✓ 00 /)
  })

  test('start fills the earlier katas with the given reference, asks first, and the kata then checks on its own work', () => {
    const five = findKata('05')!
    expect(katas('check', '02').code).toBe(0)
    const refused = katas('start', '05')
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('the workspace has progress')
    expect(refused.stderr).toContain('katas start 05 --yes')
    const r = katas('start', '05', '--yes')
    expect(r.code, r.stderr).toBe(0)
    // Next names the files with functions to write, not the given ones.
    const next = r.stdout.split('\n').find((l) => l.startsWith('Next: edit'))!
    for (const m of five.modules) expect(next.includes(`${path.basename(WS)}/${m}`), m).toBe(five.tasks.some((t) => t.track === 'core' && t.write.some((f) => f.module === m)))
    const p = progress()
    for (const k of course.filter((x) => x.id < '05')) expect(p.katas[k.id]!.status, k.id).toMatch(/^(given|passed)$/)
    expect(p.katas['02']!.status).toBe('passed')
    expect(p.katas['03']!.status).toBe('given')
    expect(readFileSync(path.join(WS, findKata('03')!.modules[0]!), 'utf8')).toContain('given by `katas start 05`')
    expect(katas('list').stdout).toMatch(/03 {2}\S.*given/)
    expect(katas('check', '05').code).toBe(1)
    solve(five)
    const green = katas('check', '05')
    expect(green.code, green.stdout).toBe(0)
  })

  test('run executes a scratch file against the workspace, with the learner file and line on an error', () => {
    const scratch = path.join(WS, 'scratch', 'mine.ts')
    mkdirSync(path.dirname(scratch), { recursive: true })
    writeFileSync(scratch, `import { parse } from '@impl/labels/selector.ts'\nimport { selectorFromSet } from '../labels/selector.ts'\nconsole.log(parse('b=1,a=2').toString(), selectorFromSet({ x: 'y' }).toString())\n`)
    const ok = katas('run', 'scratch/mine.ts')
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.stdout.trim()).toBe('a=2,b=1 x=y')
    writeFileSync(scratch, `const x: number = 1\nthrow new Error('boom ' + x)\n`)
    const bad = katas('run', scratch)
    expect(bad.code).toBe(1)
    expect(bad.stderr.split('\n').slice(0, 2)).toEqual(['Error: boom 1', '    at scratch/mine.ts:2:7'])
    expect(bad.stderr).not.toContain('node:internal')
    expect(katas('run', 'scratch/none.ts').stderr).toContain('katas: no file scratch/none.ts')
  })

  test('a workspace outside the course folder is refused in one line, not met by a failed import', () => {
    const outside = katasIn(learnerEnv(path.join(os.tmpdir(), 'ws-elsewhere')))
    for (const argv of [['check', '00'], ['run', 'scratch/00-pod-network.ts']]) {
      const r = outside(...argv)
      expect(r.code, argv.join(' ')).toBe(2)
      expect(r.stderr).toContain('a workspace must be a folder directly inside the course')
      expect(r.stderr).not.toMatch(/\n\s+at /)
    }
  })

  test('doctor probes the watcher with real saves and reports edited given code', () => {
    const r = katas('doctor')
    expect(r.stdout).toMatch(/✓ Node\.js \d+/)
    expect(r.stdout).toContain('has every kata module')
    expect(r.stdout).toMatch(/file watcher \(file-system events\): saw 5 of 5 kinds of save/)
    expect(r.code, r.stdout).toBe(0)
  })

  test('a given function the learner broke is named by check and doctor; a fresh workspace has none', () => {
    katas('reset', '02')
    expect(katas('check', '02').stdout).not.toContain('You edited given code')
    const given = k02.tasks.find((t) => t.track === 'deep')!.write[0]!
    const file = path.join(WS, given.module)
    const text = readFileSync(file, 'utf8')
    const unit = unitMap(given.module, text).get(given.name)!
    writeFileSync(file, `${text.slice(0, unit.body!.start + 1)}\n  throw new Error('edited')${text.slice(unit.body!.start + 1)}`)
    const check = katas('check', '02')
    expect(check.stdout).toContain(`You edited given code: ${given.module}: ${given.name}`)
    expect(katas('doctor').stdout).toContain(`given code edited: ${given.name}`)
    writeFileSync(file, text)
  })
})
