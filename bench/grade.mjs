#!/usr/bin/env node
/**
 * Benchmarks `katas grade`: `node bench/grade.mjs [--runs N] [--learners N] [--peer DIR]`
 * (also a section of `npm run bench -- --only grade`).
 *
 *   1. one complete checkout (the solutions as workspace, all ten katas), each
 *      kata in its own sandbox (`--sandbox required`) beside the same without one
 *      (`--sandbox off`), runs interleaved: medians of N runs after one warm-up
 *      each, and the sandbox's overhead (target ≤ 20 %);
 *      with `--peer DIR`, the `katas grade` of another build of the course too
 *      (an earlier version, for before/after figures);
 *   2. a class of checkouts (20 by default, solved and untouched in turn), once,
 *      sandboxed: wall time, CPU time of the whole process tree (CPU ÷ wall =
 *      cores kept busy) and the peak resident memory of the tree, both sampled from
 *      /proc every 50 ms (a process's last 50 ms of CPU may be missed).
 * Needs a built tool (`npm run build`) and, for the sandboxed rows, bubblewrap.
 * Linux only for the memory figure (/proc).
 */
import { spawn, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const BIN = path.join(ROOT, 'bin', 'katas.mjs')
const args = process.argv.slice(2)
/** @param {string} name @param {string} dflt */
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`)
  return (i >= 0 ? args[i + 1] : undefined) ?? dflt
}
const RUNS = Number(opt('runs', '5'))
const LEARNERS = Number(opt('learners', '20'))
const PEER = opt('peer', '')
const COURSE_FILES = ['checks', 'harness', 'katas', 'vitest.config.ts']
const TMP = mkdtempSync(path.join(os.tmpdir(), 'katas-bench-grade-'))

/** A learner checkout: the course's protected files and a workspace copied from `from`. @param {string} name @param {string} from */
function checkout(name, from) {
  const dir = path.join(TMP, name)
  for (const f of COURSE_FILES) cpSync(path.join(ROOT, f), path.join(dir, f), { recursive: true })
  cpSync(path.join(ROOT, from), path.join(dir, 'workspace'), { recursive: true })
  return dir
}

/** @param {number[]} xs */
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const at = (/** @type {number} */ i) => s[i] ?? NaN
  return s.length % 2 ? at((s.length - 1) / 2) : (at(s.length / 2 - 1) + at(s.length / 2)) / 2
}
const fmt = (/** @type {number} */ s) => `${s.toFixed(3)} s`
const TICK = 100 // clock ticks per second of /proc/…/stat on Linux

/**
 * Resident memory of `pid` and all its descendants, in bytes, and each one's CPU ticks so far
 * (into `ticks`, by pid): the sandboxed processes are not reaped by the grader, so their CPU
 * is never added to its children's times, and is sampled instead (0 without /proc).
 * @param {number} pid @param {Map<number, number>} ticks
 */
function sampleTree(pid, ticks) {
  if (!existsSync('/proc')) return 0
  /** @type {Map<number, number[]>} */
  const kids = new Map()
  /** @type {Map<number, number>} */
  const cpu = new Map()
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    try {
      const fields = readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
      const ppid = Number(fields[1])
      kids.set(ppid, [...(kids.get(ppid) ?? []), Number(d)])
      cpu.set(Number(d), Number(fields[11]) + Number(fields[12])) // utime, stime
    } catch {
      // The process ended while we looked.
    }
  }
  let bytes = 0
  const stack = [pid]
  while (stack.length) {
    const p = /** @type {number} */ (stack.pop())
    try {
      bytes += Number(readFileSync(`/proc/${p}/statm`, 'utf8').split(' ')[1]) * 4096
      ticks.set(p, Math.max(ticks.get(p) ?? 0, cpu.get(p) ?? 0))
    } catch {
      // Gone already.
    }
    stack.push(...(kids.get(p) ?? []))
  }
  return bytes
}

/** Runs `katas grade` once; returns wall seconds, CPU seconds and peak tree memory. @param {string[]} argv @param {string} [bin] */
function gradeOnce(argv, bin = BIN) {
  return new Promise((resolve) => {
    const t0 = performance.now()
    // A generous time limit: a loaded machine must not turn a slow kata into a timed-out one.
    const child = spawn(process.execPath, [bin, 'grade', ...argv, '--timeout', '60'], { cwd: path.dirname(path.dirname(bin)), stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } })
    let peak = 0
    /** @type {Map<number, number>} */
    const ticks = new Map()
    const sampler = setInterval(() => (peak = Math.max(peak, sampleTree(/** @type {number} */ (child.pid), ticks))), 50)
    child.on('exit', (code) => {
      clearInterval(sampler)
      const cpu = [...ticks.values()].reduce((n, t) => n + t, 0) / TICK
      resolve({ wall: (performance.now() - t0) / 1000, cpu, peak, code })
    })
  })
}

if (!existsSync(path.join(ROOT, 'dist', 'grader', 'command.js'))) {
  console.error('bench/grade.mjs: the tool is not built; run `npm run build`')
  process.exit(2)
}
const sandboxed = spawnSync(process.execPath, ['--input-type=module', '-e', "import { probeSandbox } from './dist/grader/sandbox.js'; process.stdout.write(JSON.stringify(probeSandbox()))"], { cwd: ROOT, encoding: 'utf8' })
const probe = JSON.parse(sandboxed.stdout || '{"sandboxed":false,"reason":"the probe failed"}')
/** @typedef {{wall: number, cpu: number, peak: number, code: number}} Run */
try {
  console.log(`katas grade on ${os.availableParallelism()} cores, node ${process.version}, sandbox: ${probe.sandboxed ? 'bubblewrap' : `none (${probe.reason})`}`)
  const solved = checkout('solved', 'solutions')
  /** @type {{label: string, argv: string[], bin?: string, runs: Run[]}[]} */
  const modes = [
    ...(probe.sandboxed ? [{ label: 'sandboxed (--sandbox required)', argv: ['--sandbox', 'required'], runs: [] }] : []),
    { label: 'unsandboxed (--sandbox off)', argv: ['--sandbox', 'off'], runs: [] },
    ...(PEER ? [{ label: `peer: ${PEER}`, argv: [], bin: path.join(path.resolve(PEER), 'bin', 'katas.mjs'), runs: [] }] : []),
  ]
  // Warm-up (file-system caches, esbuild's first start), then the modes take turns, so load on the machine falls on each alike.
  for (const m of modes) await gradeOnce([solved, ...m.argv], m.bin)
  for (let i = 0; i < RUNS; i++) for (const m of modes) m.runs.push(/** @type {Run} */ (await gradeOnce([solved, ...m.argv], m.bin)))
  let ok = true
  /** @type {Record<string, number>} */
  const medians = {}
  for (const m of modes) {
    const walls = m.runs.map((r) => r.wall)
    const cpus = m.runs.map((r) => r.cpu)
    medians[m.label] = median(walls)
    const good = m.runs.every((r) => r.code === 0)
    ok &&= good
    console.log(
      `${`grade one complete checkout, ${m.label}`.padEnd(62)} median ${fmt(median(walls))}  (min ${fmt(Math.min(...walls))}, max ${fmt(Math.max(...walls))}, n=${RUNS}); CPU median ${fmt(median(cpus))}${good ? '' : '  [EXIT NOT 0]'}`,
    )
  }
  const [a, b] = modes
  if (probe.sandboxed && a && b) {
    const overhead = (/** @type {number} */ (medians[a.label]) / /** @type {number} */ (medians[b.label]) - 1) * 100
    console.log(`${''.padEnd(62)} → sandbox overhead ${overhead.toFixed(1)} % (target ≤ 20 %)`)
  }
  const dirs = Array.from({ length: LEARNERS }, (_, i) => checkout(`learner-${String(i + 1).padStart(2, '0')}`, i % 2 ? 'stubs' : 'solutions'))
  const many = /** @type {Run} */ (await gradeOnce([...dirs, '--csv', path.join(TMP, 'grades.csv'), ...(probe.sandboxed ? ['--sandbox', 'required'] : [])]))
  const busy = many.cpu / many.wall
  console.log(
    `${`grade ${LEARNERS} checkouts (half solved, half untouched)${probe.sandboxed ? ', sandboxed' : ''}`.padEnd(62)} wall ${fmt(many.wall)}, ${fmt(many.wall / LEARNERS)} per checkout; CPU ${fmt(many.cpu)} (${busy.toFixed(2)} cores busy); peak memory ${(many.peak / 2 ** 20).toFixed(0)} MiB${many.code === 1 ? '' : `  [EXIT ${many.code}, want 1]`}`,
  )
  if (!ok || many.code !== 1) process.exitCode = 1
} finally {
  rmSync(TMP, { recursive: true, force: true })
}
