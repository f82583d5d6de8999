#!/usr/bin/env node
/**
 * Watch-mode latency: from a save in the workspace to the verdict on screen.
 *
 * Starts `katas` (watch mode) on a scratch workspace beside solutions/, waits for
 * the first verdict, then saves the current kata's module N times (alternately
 * the stub and the solution) and times each save until the next verdict is
 * printed. Prints the median. Used by bench/run.mjs and bench/browser.mjs; runnable alone:
 *   node bench/watch-latency.mjs [--saves N] [--jest] [--kata NN]
 *
 * The kata is 04 unless --kata names another (the earlier katas are marked passed,
 * so it is the current one); --jest supports kata 04 only.
 *
 * With --jest, the same checks under `jest --watchAll` (babel-jest +
 * @babel/preset-typescript, bench/jest/) on the same scratch tree.
 */
import { spawn } from 'node:child_process'
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import YAML from 'yaml'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const SAVES = Number(process.argv[process.argv.indexOf('--saves') + 1] || 10)
const JEST = process.argv.includes('--jest')
const WS = path.join(ROOT, `workspace-bench-${process.pid}`)
// Kata 04's modules by default: small, and the first kata once 00–03 are marked passed.
const KATA_ARG = process.argv.includes('--kata') ? process.argv[process.argv.indexOf('--kata') + 1] : undefined
const KATA = KATA_ARG ? kataModules(KATA_ARG.padStart(2, '0')) : { id: '04', modules: ['kubelet/envvars.ts', 'expansion/expand.ts', 'kubelet/kubelet_pods.ts'] }

/** A kata's id and modules, from its kata.yaml. @param {string} id */
function kataModules(id) {
  const dir = readdirSync(path.join(ROOT, 'katas')).find((d) => d.startsWith(`${id}-`))
  if (!dir) throw new Error(`no kata ${id} under katas/`)
  return { id, modules: /** @type {string[]} */ (YAML.parse(readFileSync(path.join(ROOT, 'katas', dir, 'kata.yaml'), 'utf8')).modules) }
}

rmSync(WS, { recursive: true, force: true })
cpSync(path.join(ROOT, 'stubs'), WS, { recursive: true })
mkdirSync(path.join(WS, '.katas'), { recursive: true })
const passed = { status: 'passed', hintsShown: 0, tasksPassed: 1, tasksTotal: 1 }
const earlier = Array.from({ length: Number(KATA.id) }, (_, i) => String(i).padStart(2, '0'))
writeFileSync(path.join(WS, '.katas', 'state.json'), JSON.stringify({ version: 1, katas: Object.fromEntries(earlier.map((id) => [id, passed])) }))

const child = JEST
  ? spawn(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--config', 'bench/jest/jest.config.cjs', '--watchAll', 'checks/04-env-vars.check.ts'],
      { cwd: ROOT, env: { ...process.env, KATAS_IMPL_DIR: WS, CI: '', NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] },
    )
  : spawn(process.execPath, [path.join(ROOT, 'bin', 'katas.mjs')], {
      cwd: ROOT,
      env: { ...process.env, KATAS_WORKSPACE: WS, NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'inherit'],
    })
// katas prints its verdict on stdout; jest prints its summary on stderr.
const VERDICT = JEST ? /^Tests:/gm : /checks ran in/g
let verdicts = 0
/** @type {(() => void) | undefined} */
let onVerdict
const output = JEST ? child.stderr : child.stdout
output?.on('data', (/** @type {Buffer} */ d) => {
  const n = d.toString().match(VERDICT)?.length ?? 0
  if (n > 0) {
    verdicts += n
    onVerdict?.()
  }
})
const nextVerdict = () => new Promise((/** @type {(v?: unknown) => void} */ resolve) => (onVerdict = () => resolve()))

await nextVerdict()
/** @type {number[]} */
const times = []
for (let i = 0; i < SAVES; i++) {
  const from = i % 2 === 0 ? 'solutions' : 'stubs'
  const wait = nextVerdict()
  const t0 = performance.now()
  for (const m of KATA.modules) copyFileSync(path.join(ROOT, from, m), path.join(WS, m))
  await wait
  times.push((performance.now() - t0) / 1000)
  await new Promise((r) => setTimeout(r, 150))
}
if (JEST) child.kill()
else child.stdin?.write('q\n')
await new Promise((r) => child.on('exit', r))
rmSync(WS, { recursive: true, force: true })
times.sort((a, b) => a - b)
const median = times[Math.floor(times.length / 2)] ?? NaN
console.log(JSON.stringify({ saves: SAVES, verdicts, median, min: times[0], max: times[times.length - 1] }))
