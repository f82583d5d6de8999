#!/usr/bin/env node
/**
 * Watch-mode latency: from a save in the workspace to the verdict on screen.
 *
 * Starts `katas` (watch mode) on a scratch workspace beside solutions/, with the
 * katas before KATA marked passed, waits for the first verdict, then saves KATA's
 * modules N times (alternately the solution and the stub) and times each save
 * until the "running…" mark and until the next verdict are printed. Prints the
 * medians as JSON. Used by bench/run.mjs and bench/browser.mjs; runnable alone:
 *   node bench/watch-latency.mjs [--saves N] [--kata 02] [--jest]
 *
 * With --jest, the same checks under `jest --watchAll` (babel-jest +
 * @babel/preset-typescript, bench/jest/) on the same scratch tree: it has no
 * running mark, only its summary.
 */
import { spawn } from 'node:child_process'
import { copyFileSync, cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensurePeers, JEST_BIN } from './peers/peers.mjs'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const arg = (/** @type {string} */ name, /** @type {string} */ dflt) => (process.argv.includes(name) ? (process.argv[process.argv.indexOf(name) + 1] ?? dflt) : dflt)
const SAVES = Number(arg('--saves', '10'))
const KATA_ID = arg('--kata', '02')
const JEST = process.argv.includes('--jest')
const WS = path.join(ROOT, `workspace-bench-${process.pid}`)
if (JEST) ensurePeers()
const { loadCourse } = await import(path.join(ROOT, 'dist', 'harness', 'course.js'))
/** @type {{ id: string, name: string, modules: string[] }[]} */
const course = loadCourse()
const KATA = course.find((k) => k.id === KATA_ID)
if (!KATA) throw new Error(`no kata ${KATA_ID}`)

rmSync(WS, { recursive: true, force: true })
cpSync(path.join(ROOT, 'stubs'), WS, { recursive: true })
mkdirSync(path.join(WS, '.katas'), { recursive: true })
const passed = { status: 'passed', hintsShown: 0, tasksPassed: 1, tasksTotal: 1 }
writeFileSync(path.join(WS, '.katas', 'state.json'), JSON.stringify({ version: 1, katas: Object.fromEntries(course.filter((k) => k.id < KATA.id).map((k) => [k.id, passed])) }))

const child = JEST
  ? spawn(process.execPath, [JEST_BIN, '--config', 'bench/jest/jest.config.cjs', '--watchAll', `checks/${KATA.name}.check.ts`], {
      cwd: ROOT,
      env: { ...process.env, KATAS_IMPL_DIR: WS, CI: '', NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
  : spawn(process.execPath, [path.join(ROOT, 'bin', 'katas.mjs')], {
      cwd: ROOT,
      env: { ...process.env, KATAS_WORKSPACE: WS, NO_COLOR: '1', KATAS_SITE: '0' },
      stdio: ['pipe', 'pipe', 'inherit'],
    })
// katas prints its verdict on stdout; jest prints its summary on stderr. A save is timed
// to the verdict it should give (green for the solution, red for the stub), so a late
// verdict of the save before is never taken for this one's.
const FIRST = JEST ? /^Tests:/m : /checks ran in/
const GREEN = JEST ? /^Tests:\s+\d+ passed/m : /✓ all \d+ tasks green/
const RED = JEST ? /^Tests:\s+\d+ failed/m : /\b0 of \d+ tasks green/
const RUNNING = /⟳ running/
let seen = ''
/** @type {{ pattern: RegExp, resolve: () => void }[]} */
let waiters = []
const output = JEST ? child.stderr : child.stdout
output?.on('data', (/** @type {Buffer} */ d) => {
  seen += d.toString()
  for (const w of [...waiters]) {
    if (w.pattern.test(seen)) {
      waiters = waiters.filter((x) => x !== w)
      w.resolve()
    }
  }
})
/** Resolves when `pattern` appears in what is printed from now on. @param {RegExp} pattern */
const next = (pattern) => new Promise((/** @type {(v?: unknown) => void} */ resolve) => waiters.push({ pattern, resolve: () => resolve() }))
const nextVerdict = () => next(FIRST)

await nextVerdict()
/** @type {number[]} */
const times = []
/** @type {number[]} */
const marks = []
for (let i = 0; i < SAVES; i++) {
  const solved = i % 2 === 0
  seen = ''
  const wait = next(solved ? GREEN : RED)
  const mark = next(RUNNING)
  const t0 = performance.now()
  for (const m of KATA.modules) copyFileSync(path.join(ROOT, solved ? 'solutions' : 'stubs', m), path.join(WS, m))
  if (!JEST) void mark.then(() => marks.push((performance.now() - t0) / 1000))
  await wait
  times.push((performance.now() - t0) / 1000)
  // A learner reads the verdict before the next save.
  await new Promise((r) => setTimeout(r, 300))
  waiters = []
}
if (JEST) child.kill()
else child.stdin?.write('q\n')
await new Promise((r) => child.on('exit', r))
if (!JEST) spawn(process.execPath, [path.join(ROOT, 'bin', 'katas.mjs'), 'stop'], { env: { ...process.env, KATAS_WORKSPACE: WS }, stdio: 'ignore' })
await new Promise((r) => setTimeout(r, 500))
rmSync(WS, { recursive: true, force: true })
/** @param {number[]} xs */
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : ((s[s.length / 2 - 1] ?? 0) + (s[s.length / 2] ?? 0)) / 2) : NaN
}
times.sort((a, b) => a - b)
console.log(JSON.stringify({ saves: SAVES, median: median(times), min: times[0], max: times[times.length - 1], running: marks.length ? median(marks) : null }))
