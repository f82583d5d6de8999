// The real `katas` command, spawned as a learner would run it, against a
// throw-away workspace beside solutions/ (so its `../lib` imports resolve).
import { spawn, spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { findKata } from '../harness/course.ts'
import { PACKAGE_ROOT, SOLUTIONS_DIR, STUBS_DIR } from '../harness/paths.ts'

const BIN = path.join(PACKAGE_ROOT, 'bin', 'katas.mjs')
const WS = path.join(PACKAGE_ROOT, `workspace-test-${process.pid}`)
const { KATAS_SELFTEST: _selftest, KATAS_IMPL: _impl, ...inherited } = process.env
const env = { ...inherited, KATAS_WORKSPACE: WS, NO_COLOR: '1', FORCE_COLOR: '0' }

function katas(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: PACKAGE_ROOT, env, encoding: 'utf8', input: '' })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

const children = new Set<ReturnType<typeof spawn>>()
const WAIT_MS = 90_000

/** Watch mode on a pipe: keys are lines; `next(text)` waits for output. */
function watch() {
  const child = spawn(process.execPath, [BIN], { cwd: PACKAGE_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] })
  children.add(child)
  child.on('exit', () => children.delete(child))
  let output = ''
  const waiters: { text: string; seen: number; resolve: () => void }[] = []
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString()
    for (const w of [...waiters]) {
      if (output.split(w.text).length - 1 > w.seen) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve()
      }
    }
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  return {
    /** Waits for one more occurrence of `text` than there is now. */
    next(text: string): Promise<void> {
      const seen = output.split(text).length - 1
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "${text}" in ${WAIT_MS} ms; output so far:\n${output}`)), WAIT_MS)
        waiters.push({ text, seen, resolve: () => (clearTimeout(timer), resolve()) })
      })
    },
    key(k: string) {
      child.stdin.write(`${k}\n`)
    },
    exited,
    output: () => output,
  }
}

const kata02 = findKata('02')!
const solve = (kata = kata02) => {
  for (const m of kata.modules) copyFileSync(path.join(SOLUTIONS_DIR, m), path.join(WS, m))
}
const stateFile = path.join(WS, '.katas', 'state.json')
const state = () => JSON.parse(readFileSync(stateFile, 'utf8')) as { katas: Record<string, { status: string; hintsShown: number }> }

beforeAll(() => {
  rmSync(WS, { recursive: true, force: true })
  if (!existsSync(path.join(PACKAGE_ROOT, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is not built: run `npm run build`')
})
afterAll(() => {
  // A watch process left by a failed test must not outlive the run.
  for (const c of children) c.kill()
  rmSync(WS, { recursive: true, force: true })
})

describe('the katas command', { timeout: 2 * WAIT_MS }, () => {
  test('help, and errors as one line with a hint and exit code 2, never a stack trace', () => {
    const help = katas('help')
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('katas check [KATA]')
    for (const [args, message] of [
      [['frobnicate'], 'katas: unknown command "frobnicate"'],
      [['check', '02'], `katas: no workspace at ${WS}`],
    ] as const) {
      const r = katas(...args)
      expect(r.code, r.stderr).toBe(2)
      expect(r.stderr.split('\n')[0]).toBe(message)
      expect(r.stderr).toMatch(/^hint: /m)
      expect(r.stderr).not.toMatch(/\n\s+at /)
    }
  })

  test('watch mode creates the workspace from the stubs on first start and quits on q', async () => {
    const w = watch()
    await w.next('tasks green')
    w.key('q')
    expect(await w.exited).toBe(0)
    expect(w.output()).toMatch(/Created your workspace with \d+ stub files/)
    for (const f of readdirSync(STUBS_DIR, { recursive: true }).map(String).filter((f) => f.endsWith('.ts'))) {
      expect(readFileSync(path.join(WS, f), 'utf8')).toBe(readFileSync(path.join(STUBS_DIR, f), 'utf8'))
    }
  })

  test('an unknown kata is refused with a hint', () => {
    const r = katas('check', 'endpointz')
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('katas: unknown kata "endpointz"')
  })

  test('check on a stub exits 1 and shows the first failing check of the first task', () => {
    const r = katas('check', '02')
    expect(r.code).toBe(1)
    expect(r.stdout).toContain(`0 of ${kata02.tasks.length} tasks green`)
    expect(r.stdout).toContain('kata 02-label-selectors:')
    expect(r.stdout).toContain('not implemented yet')
    expect(state().katas['02']!.status).toBe('failing')
  })

  test('the solution stays locked until the kata is green, unless forced', () => {
    const locked = katas('solution', '02')
    expect(locked.code).toBe(1)
    expect(locked.stderr).toContain('unlocks once its checks are green')
    const forced = katas('solution', '02', '--force')
    expect(forced.code).toBe(0)
    expect(forced.stdout).toContain('Warning: 02 is not green yet')
    expect(forced.stdout).toContain('export function selectorFromSet')
  })

  test('hints open tier by tier, and --level picks one', () => {
    expect(katas('hint', '02').stdout).toContain('Hint 1 of 3')
    expect(katas('hint', 'label-selectors').stdout).toContain('Hint 2 of 3')
    expect(katas('hint', '02', '--level', '3').stdout).toContain('(near the solution)')
    expect(state().katas['02']!.hintsShown).toBe(3)
    const bad = katas('hint', '02', '--level', '9')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('has hints 1 to 3, not 9')
  })

  test('check on a solved kata exits 0 and records it as passed', () => {
    solve()
    const r = katas('check', 'label-selectors')
    expect(r.code, r.stdout).toBe(0)
    expect(r.stdout).toContain(`all ${kata02.tasks.length} tasks green`)
    expect(state().katas['02']!.status).toBe('passed')
    expect(katas('solution', '02').code).toBe(0)
  })

  test('reset backs the learner version up before restoring the stub, and --undo brings it back', () => {
    const file = path.join(WS, kata02.modules[0]!)
    const mine = `${readFileSync(file, 'utf8')}\n// my notes\n`
    writeFileSync(file, mine)
    const r = katas('reset', '02')
    expect(r.code).toBe(0)
    expect(readFileSync(file, 'utf8')).toBe(readFileSync(path.join(STUBS_DIR, kata02.modules[0]!), 'utf8'))
    const backupDir = path.join(WS, '.katas', 'backups', kata02.name)
    const [stamp] = readdirSync(backupDir)
    expect(readFileSync(path.join(backupDir, stamp!, kata02.modules[0]!), 'utf8')).toBe(mine)
    expect(katas('reset', '--undo', '02').code).toBe(0)
    expect(readFileSync(file, 'utf8')).toBe(mine)
  })

  test('a corrupt progress file is moved aside and rebuilt from the checks', () => {
    writeFileSync(stateFile, '{"version": 1, "katas": ')
    const r = katas('list')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('The progress file could not be read')
    expect(readdirSync(path.dirname(stateFile)).some((f) => f.startsWith('state.json.corrupt-'))).toBe(true)
    expect(state().katas['02']!.status).toBe('passed')
    expect(r.stdout).toMatch(/✓ 02 {2}Label selectors/)
  })

  test('watch mode re-runs on save and says when the current kata turns green', async () => {
    // Make 02 the current kata: 00 and 01 passed, 02 back to its stub.
    const s = state()
    s.katas['00']!.status = 'passed'
    s.katas['01']!.status = 'passed'
    writeFileSync(stateFile, JSON.stringify(s))
    expect(katas('reset', '02').code).toBe(0)
    const w = watch()
    await w.next(`0 of ${kata02.tasks.length} tasks green`)
    const green = w.next('is green!')
    solve()
    await green
    w.key('q')
    expect(await w.exited).toBe(0)
    expect(w.output()).toContain(`✓ 02 ${kata02.title} is green!`)
    expect(w.output()).toContain('katas solution 02')
  })

  test('doctor reports Node, the workspace and the watcher mode', () => {
    const r = katas('doctor')
    expect(r.code, r.stdout).toBe(0)
    expect(r.stdout).toMatch(/✓ Node\.js \d+/)
    expect(r.stdout).toContain('has every kata module')
    expect(r.stdout).toMatch(/file watcher: (file-system events|polling)/)
  })
})
