#!/usr/bin/env node
/**
 * Benchmarks `katas grade`: `node bench/grade.mjs [--runs N] [--learners N]`
 * (also a section of `npm run bench`).
 *
 *   1. one complete checkout (the solutions as workspace, all ten katas):
 *      median of N runs after one warm-up; target ≤ 5 s on a 2-core machine;
 *   2. a class of checkouts (20 by default, solved and untouched in turn), once:
 *      wall time, CPU time of the whole process tree (CPU ÷ wall = cores kept
 *      busy) and the peak resident memory of the tree, sampled every 50 ms.
 * Needs a built tool (`npm run build`). Linux only for the memory figure (/proc).
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

/** CPU seconds of this process's reaped children (their whole trees, once waited for). */
function childrenCpu() {
  if (!existsSync('/proc/self/stat')) return NaN
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? []
  return (Number(fields[13]) + Number(fields[14])) / TICK // cutime, cstime
}

/** Resident memory of `pid` and all its descendants, in bytes (0 without /proc). @param {number} pid */
function treeRss(pid) {
  if (!existsSync('/proc')) return 0
  /** @type {Map<number, number[]>} */
  const kids = new Map()
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    try {
      const ppid = Number(readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]?.split(' ')[1])
      kids.set(ppid, [...(kids.get(ppid) ?? []), Number(d)])
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
    } catch {
      // Gone already.
    }
    stack.push(...(kids.get(p) ?? []))
  }
  return bytes
}

/** Runs `katas grade` once; returns wall seconds, CPU seconds and peak tree memory. @param {string[]} argv */
function gradeOnce(argv) {
  return new Promise((resolve) => {
    const cpu0 = childrenCpu()
    const t0 = performance.now()
    const child = spawn(process.execPath, [BIN, 'grade', ...argv], { cwd: ROOT, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } })
    let peak = 0
    const sampler = setInterval(() => (peak = Math.max(peak, treeRss(/** @type {number} */ (child.pid)))), 50)
    child.on('exit', (code) => {
      clearInterval(sampler)
      resolve({ wall: (performance.now() - t0) / 1000, cpu: childrenCpu() - cpu0, peak, code })
    })
  })
}

if (!existsSync(path.join(ROOT, 'dist', 'grader', 'command.js'))) {
  console.error('bench/grade.mjs: the tool is not built; run `npm run build`')
  process.exit(2)
}
try {
  console.log(`katas grade on ${os.availableParallelism()} cores, node ${process.version}`)
  const solved = checkout('solved', 'solutions')
  /** @type {{wall: number, cpu: number, peak: number, code: number}[]} */
  const one = []
  await gradeOnce([solved]) // warm-up: file-system caches, vitest's first transform
  for (let i = 0; i < RUNS; i++) one.push(/** @type {any} */ (await gradeOnce([solved])))
  const walls = one.map((r) => r.wall)
  const ok = one.every((r) => r.code === 0)
  console.log(
    `${'grade one complete checkout (10 katas)'.padEnd(52)} median ${fmt(median(walls))}  (min ${fmt(Math.min(...walls))}, max ${fmt(Math.max(...walls))}, n=${RUNS}; target ≤ 5 s)${ok ? '' : '  [EXIT NOT 0]'}`,
  )
  const dirs = Array.from({ length: LEARNERS }, (_, i) => checkout(`learner-${String(i + 1).padStart(2, '0')}`, i % 2 ? 'stubs' : 'solutions'))
  const many = /** @type {{wall: number, cpu: number, peak: number, code: number}} */ (await gradeOnce([...dirs, '--csv', path.join(TMP, 'grades.csv')]))
  const busy = many.cpu / many.wall
  console.log(
    `${`grade ${LEARNERS} checkouts (half solved, half untouched)`.padEnd(52)} wall ${fmt(many.wall)}, ${fmt(many.wall / LEARNERS)} per checkout; CPU ${fmt(many.cpu)} (${busy.toFixed(2)} cores busy); peak memory ${(many.peak / 2 ** 20).toFixed(0)} MiB${many.code === 1 ? '' : `  [EXIT ${many.code}, want 1]`}`,
  )
  if (!ok || many.code !== 1) process.exitCode = 1
} finally {
  rmSync(TMP, { recursive: true, force: true })
}
