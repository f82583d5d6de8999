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
 *   - the learner loop (`--only loop`, kata 02): `katas help`, `katas check 02` as a
 *     whole process with the workspace's checker warm, and in watch mode the time from
 *     a save to "running…" and to the verdict (bench/watch-latency.mjs) — beside the
 *     same checks under jest + babel-jest (bench/jest/), Exercism's setup;
 *     the comparison peers (jest, VitePress) are installed into bench/peers/ on first use;
 *   - the model at scale: 10,000 Services, 150,000 pods, 5,000 nodes (bench/scale-*.run.ts);
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
import { ensurePeers, JEST_BIN } from './peers/peers.mjs'

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
const ratio = (/** @type {string} */ a, /** @type {string} */ b) => {
  const x = rows.find((r) => r.name.startsWith(a))
  const y = rows.find((r) => r.name.startsWith(b))
  if (x && y) console.log(`${''.padEnd(52)} → jest / katas check = ${(y.median / x.median).toFixed(2)}×`)
}
// The learner loop (`--only loop`), kata 02, each beside its peer in the same run:
//   - `katas help` as a whole process (target ≤ 0.15 s);
//   - `katas check 02` as a whole process on a workspace that holds the solutions, with
//     the workspace's checker warm (it is started by the warm-up run), beside the same
//     checks under jest + babel-jest (target ≤ 0.6 s and ≥ 2× faster);
//   - watch mode: save → "running…" mark and save → verdict (bench/watch-latency.mjs),
//     beside `jest --watchAll` on the same checks (target ≤ 0.25 s median).
const LOOP_KATA = '02'
const loopWanted = !ONLY || 'loop'.includes(ONLY) || ONLY.startsWith('loop')
if (loopWanted) {
  // jest and babel-jest have their own install in bench/peers/, made here on first use.
  ensurePeers()
  const { loadCourse } = await import(path.join(ROOT, 'dist', 'harness', 'course.js'))
  const kata = loadCourse().find((/** @type {{ id: string }} */ k) => k.id === LOOP_KATA)
  const WS = path.join(ROOT, `workspace-bench-check-${process.pid}`)
  cpSync(path.join(ROOT, 'solutions'), WS, { recursive: true })
  const env = { KATAS_WORKSPACE: WS, NO_COLOR: '1' }
  const KATAS = path.join(ROOT, 'bin', 'katas.mjs')
  // The floor under every command: Node's own start-up on this machine now (the targets assume an idle one).
  bench('loop: node -e 0 (start-up floor, for scale)', process.execPath, ['-e', '0'], env)
  bench('loop: katas help (whole process)', process.execPath, [KATAS, 'help'], env)
  bench(`loop: katas check ${LOOP_KATA} (whole process, warm checker)`, process.execPath, [KATAS, 'check', LOOP_KATA], env)
  bench(`loop: jest + babel-jest, the same checks of kata ${LOOP_KATA}`, process.execPath, [JEST_BIN, '--config', 'bench/jest/jest.config.cjs', `checks/${kata.name}.check.ts`], { KATAS_IMPL_DIR: WS })
  spawnSync(process.execPath, [KATAS, 'stop'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'ignore' })
  rmSync(WS, { recursive: true, force: true })
  ratio(`loop: katas check ${LOOP_KATA}`, 'loop: jest + babel-jest')
  /** @type {number[]} */
  const medians = []
  for (const { label, extra } of [
    { label: `loop: watch mode, save → verdict (kata ${LOOP_KATA})`, extra: [] },
    { label: `loop: jest --watchAll, save → summary (kata ${LOOP_KATA})`, extra: ['--jest'] },
  ]) {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bench', 'watch-latency.mjs'), '--kata', LOOP_KATA, '--saves', String(Math.max(RUNS * 2, 10)), ...extra], { cwd: ROOT, encoding: 'utf8' })
    try {
      const w = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '')
      medians.push(w.median)
      console.log(`${label.padEnd(52)} median ${fmt(w.median)}  (min ${fmt(w.min)}, max ${fmt(w.max)}, n=${w.saves})`)
      if (w.running !== null) console.log(`${'loop: watch mode, save → "running…" mark'.padEnd(52)} median ${fmt(w.running)}`)
    } catch {
      console.log(`${label}: could not measure (${r.stderr.trim() || r.stdout.trim()})`)
      process.exitCode = 1
    }
  }
  if (medians.length === 2) console.log(`${''.padEnd(52)} → jest / katas watch = ${((medians[1] ?? NaN) / (medians[0] ?? NaN)).toFixed(2)}×`)
  console.log('targets: help ≤ 0.150 s · check ≤ 0.600 s and ≥ 2× faster than jest · save → verdict ≤ 0.250 s · running… ≤ 0.050 s')
}
bench('whole check suite against solutions', process.execPath, [VITEST, 'run', 'checks/'])
// The self-test takes a minute or more: three runs, no warm-up needed beyond the first.
// Its name must not hold another section's word: `--only site` would run it too.
bench('npm test (self-test: tsc ×6, solutions, stubs, misconceptions, CLI, pages)', process.execPath, [path.join(ROOT, 'scripts', 'selftest.mjs')], {}, Math.min(RUNS, 3))

// The model at Kubernetes' scalability envelope (bench/scale-*.run.ts), once: it prints its own figures.
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

// The grader (bench/grade.mjs): one complete checkout sandboxed and not (and `--peer DIR`, another
// build of the course, for before/after), then a class of 20; it prints its own figures.
if (!ONLY || 'grade'.includes(ONLY)) {
  console.log('')
  const peer = opt('peer', '')
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bench', 'grade.mjs'), '--runs', String(RUNS), ...(peer ? ['--peer', peer] : [])], { cwd: ROOT, stdio: 'inherit' })
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
