#!/usr/bin/env node
/**
 * Benchmarks: `npm run bench [-- --runs N] [-- --only NAME]`.
 *
 * Times what a learner and a grader wait for, as whole processes, and prints
 * the median (with min–max) of N runs:
 *   - one kata's checks: `vitest run checks/NN-slug.check.ts` against solutions
 *     (what `katas check NN` costs; target ≤ 0.6 s on a 2-core machine);
 *   - the whole check suite against solutions;
 *   - the full self-test (`npm test`);
 *   - the learner loop: `katas check 04` as a whole process, and in watch mode
 *     the time from a save to the verdict (bench/watch-latency.mjs) — each beside
 *     the same checks under jest + babel-jest (bench/jest/), Exercism's setup;
 *   - the model at scale: 10,000 Services, 150,000 pods, 5,000 nodes (bench/scale.run.ts);
 *   - the site generator beside VitePress: build time, page weight, JS files (bench/site.mjs).
 *   - the browser workspace: save → verdicts in Chromium beside the watch loop, the
 *     workspace page's weight, the build time it adds (bench/browser.mjs).
 *   - the simulator: `katas kubectl get svc` on 50 objects, apply/get/curl on 5,000 pods
 *     and 500 Services (bench/simulator.mjs).
 * The vitest binary is started with node directly: npx would add ~0.45 s.
 */
import { spawnSync } from 'node:child_process'
import { cpSync, readdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
/** @param {string} name @param {string} dflt */
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`)
  return (i >= 0 ? args[i + 1] : undefined) ?? dflt
}
const RUNS = Number(opt('runs', '5'))
const ONLY = opt('only', '')
const VITEST = path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs')

/**
 * Runs a command N times (after one warm-up) and returns seconds, sorted.
 * @param {string} cmd @param {string[]} argv @param {Record<string, string>} [env]
 */
function time(cmd, argv, env = {}, runs = RUNS) {
  const once = () => {
    const t0 = process.hrtime.bigint()
    const r = spawnSync(cmd, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'ignore' })
    const s = Number(process.hrtime.bigint() - t0) / 1e9
    return { s, status: r.status }
  }
  const warm = once()
  const samples = Array.from({ length: runs }, once)
  return { times: samples.map((x) => x.s).sort((a, b) => a - b), ok: [warm, ...samples].every((x) => x.status === 0) }
}

/** @param {number[]} xs */
const median = (xs) => {
  const at = (/** @type {number} */ i) => xs[i] ?? NaN
  return xs.length % 2 ? at((xs.length - 1) / 2) : (at(xs.length / 2 - 1) + at(xs.length / 2)) / 2
}
/** @param {number} s */
const fmt = (s) => `${s.toFixed(3)} s`

/** @type {{name: string, median: number, min: number, max: number, ok: boolean}[]} */
const rows = []
/** @param {string} name @param {string} cmd @param {string[]} argv @param {Record<string, string>} [env] @param {number} [runs] */
function bench(name, cmd, argv, env, runs = RUNS) {
  if (ONLY && !name.includes(ONLY)) return
  const { times, ok } = time(cmd, argv, env, runs)
  const row = { name, median: median(times), min: times[0] ?? NaN, max: times[times.length - 1] ?? NaN, ok }
  rows.push(row)
  console.log(`${name.padEnd(52)} median ${fmt(row.median)}  (min ${fmt(row.min)}, max ${fmt(row.max)}, n=${runs})${ok ? '' : '  [EXIT NOT 0]'}`)
}

console.log(`node ${process.version}, ${RUNS} runs each after one warm-up\n`)
const checks = readdirSync(path.join(ROOT, 'checks')).filter((f) => f.endsWith('.check.ts')).sort()
for (const f of checks) bench(`one kata's checks: ${f}`, process.execPath, [VITEST, 'run', `checks/${f}`])
// The learner loop, on a workspace that holds the solutions (so the check is green).
const WS = path.join(ROOT, `workspace-bench-check-${process.pid}`)
cpSync(path.join(ROOT, 'solutions'), WS, { recursive: true })
bench('katas check 04 (whole process)', process.execPath, [path.join(ROOT, 'bin', 'katas.mjs'), 'check', '04'], { KATAS_WORKSPACE: WS, NO_COLOR: '1' })
bench('jest + babel-jest, the same checks of kata 04', process.execPath, [path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--config', 'bench/jest/jest.config.cjs', 'checks/04-env-vars.check.ts'], { KATAS_IMPL_DIR: WS })
rmSync(WS, { recursive: true, force: true })
const ratio = (/** @type {string} */ a, /** @type {string} */ b) => {
  const x = rows.find((r) => r.name.startsWith(a))
  const y = rows.find((r) => r.name.startsWith(b))
  if (x && y) console.log(`${''.padEnd(52)} → jest / katas check = ${(y.median / x.median).toFixed(2)}×`)
}
ratio('katas check 04', 'jest + babel-jest')
if (!ONLY || 'watch'.includes(ONLY)) {
  /** @type {number[]} */
  const medians = []
  for (const { label, extra } of [
    { label: 'watch mode: save → verdict printed', extra: [] },
    { label: 'jest --watchAll: save → summary printed', extra: ['--jest'] },
  ]) {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bench', 'watch-latency.mjs'), '--saves', String(Math.max(RUNS * 2, 10)), ...extra], { cwd: ROOT, encoding: 'utf8' })
    try {
      const w = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '')
      medians.push(w.median)
      console.log(`${label.padEnd(52)} median ${fmt(w.median)}  (min ${fmt(w.min)}, max ${fmt(w.max)}, n=${w.saves})`)
    } catch {
      console.log(`${label}: could not measure (${r.stderr.trim() || r.stdout.trim()})`)
      process.exitCode = 1
    }
  }
  if (medians.length === 2) console.log(`${''.padEnd(52)} → jest / katas watch = ${((medians[1] ?? NaN) / (medians[0] ?? NaN)).toFixed(2)}×`)
}
bench('whole check suite against solutions', process.execPath, [VITEST, 'run', 'checks/'])
// The self-test takes a minute or more: three runs, no warm-up needed beyond the first.
bench('npm test (self-test: tsc ×3, solutions, stubs, misconceptions, CLI)', process.execPath, [path.join(ROOT, 'scripts', 'selftest.mjs')], {}, Math.min(RUNS, 3))

// The model at Kubernetes' scalability envelope (bench/scale.run.ts), once: it prints its own figures.
if (!ONLY || 'scale'.includes(ONLY)) {
  const r = spawnSync(process.execPath, [VITEST, 'run', '--config', 'bench/vitest.config.ts'], { cwd: ROOT, encoding: 'utf8' })
  const figures = r.stdout.split('\n').filter((l) => /\d+(\.\d+)? (s|ms|MiB)\b/.test(l) && !/Duration|Start at/.test(l))
  console.log(`\nscale: 10,000 Services, 150,000 pods, 5,000 nodes (reference model)\n${figures.map((l) => `  ${l}`).join('\n')}`)
  if (r.status !== 0) {
    console.log(r.stdout.slice(-2000), r.stderr.slice(-2000))
    process.exitCode = 1
  }
}

// The simulator (`katas kubectl`, `katas curl`) as whole processes: bench/simulator.mjs prints its own rows.
if (!ONLY || 'simulator'.includes(ONLY)) {
  console.log('\nsimulator (reference model, whole processes of the built tool)')
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bench', 'simulator.mjs'), '--runs', String(RUNS)], { cwd: ROOT, stdio: 'inherit' })
  if (r.status !== 0) process.exitCode = 1
}

// The grader (bench/grade.mjs): one complete checkout, then a class of 20; it prints its own figures.
if (!ONLY || 'grade'.includes(ONLY)) {
  console.log('')
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bench', 'grade.mjs'), '--runs', String(RUNS)], { cwd: ROOT, stdio: 'inherit' })
  if (r.status !== 0) process.exitCode = 1
}

// The site generator against VitePress 1.x, building the same lessons (bench/site.mjs prints its own medians).
if (!ONLY || 'site'.includes(ONLY)) {
  console.log('')
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bench', 'site.mjs'), '--runs', String(Math.min(RUNS, 3))], { cwd: ROOT, stdio: 'inherit' })
  if (r.status !== 0) process.exitCode = 1
}

// The browser workspace (bench/browser.mjs): a save to the verdicts in Chromium beside the
// watch loop, the workspace page's weight, and the build time it adds to the site.
if (!ONLY || 'browser'.includes(ONLY)) {
  console.log('')
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bench', 'browser.mjs'), '--runs', String(Math.min(RUNS, 3))], { cwd: ROOT, stdio: 'inherit' })
  if (r.status !== 0) process.exitCode = 1
}

const kataRows = rows.filter((r) => r.name.startsWith("one kata's"))
if (kataRows.length) {
  const worst = Math.max(...kataRows.map((r) => r.median))
  console.log(`\nslowest kata median ${fmt(worst)} (target ≤ 0.600 s)`)
}
if (rows.some((r) => !r.ok)) process.exitCode = 1
