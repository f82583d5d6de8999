#!/usr/bin/env node
/**
 * The course's self-test: `npm test`.
 *
 * Proves, on a fresh clone, that the course is sound:
 *   1. everything type-checks in strict mode, and every check also type-checks
 *      against the deep stubs (they export the API the checks use);
 *      the `katas` command is built, and its tests drive the real binary;
 *   2. every check passes against the reference `solutions/`;
 *   3. both paths through the course hold: every check of a core task fails
 *      against `stubs/` (the core path a workspace starts from), and every
 *      single check, core and deep, fails against `deep-stubs/` (every function
 *      stubbed) — not just every file;
 *   4. every misconception is caught by the checks it names;
 *   5. every task of every kata has checks, and every check sits in a task
 *      (with the course-integrity tests in harness/*.test.ts: hints, TODOs, trees);
 *   6. the tooling's own tests pass in the same run: every lesson's front matter,
 *      manifests, TypeScript, links and try-it outputs (harness/lessons/), the
 *      simulator's golden transcripts, the grader's hostile checkouts, the site
 *      generator; and the site builds. The browser suite runs apart
 *      (`npm run test:browser`), since it needs Chromium.
 *
 * It grades the pristine stubs, never the learner's workspace, so it keeps
 * passing while a learner works. Exit code 0 when all holds, 1 otherwise.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { runProofs } from './proofs.mjs'
import { ensureGroup } from './tool-group.mjs'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
/** @type {string[]} */
const failures = []
let passed = 0

/** @param {boolean} ok @param {string} what */
function verdict(ok, what) {
  if (ok) passed++
  else failures.push(what)
  return ok
}

/**
 * CPU seconds of this process and of its children that have ended (Linux:
 * /proc/self/stat's utime, stime, cutime, cstime). Elsewhere only this process's own.
 */
function cpuSeconds() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(')').pop()?.trim().split(' ') ?? []
    // After the command's name: state is field 3, so utime..cstime (14–17) sit at 11–14.
    return fields.slice(11, 15).reduce((n, f) => n + Number(f), 0) / 100
  } catch {
    const u = process.cpuUsage()
    return (u.user + u.system) / 1e6
  }
}

/**
 * CPU seconds the whole machine has been busy so far (Linux: /proc/stat's first line,
 * every core's user, nice, system, irq, softirq and steal time), or undefined elsewhere.
 * The grader's sandboxed processes are not reaped by their parents, so their CPU never
 * reaches this process's children's times: on an idle machine this is what a stage cost.
 */
function machineSeconds() {
  try {
    const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? []
    return [user, nice, system, irq, softirq, steal].reduce((/** @type {number} */ n, f) => n + (f ?? 0), 0) / 100
  } catch {
    return undefined
  }
}

/** @type {{ title: string, wall: number, cpu: number, machine: number | undefined }[]} */
const stages = []
/** @type {{ title: string, t0: number, c0: number, m0: number | undefined } | undefined} */
let current

/** Starts a stage; the previous one ends here. @param {string} title */
function step(title) {
  endStage()
  current = { title, t0: performance.now(), c0: cpuSeconds(), m0: machineSeconds() }
  process.stdout.write(`\n== ${title}\n`)
}

function endStage() {
  if (current) {
    const m1 = machineSeconds()
    const machine = m1 === undefined || current.m0 === undefined ? undefined : m1 - current.m0
    stages.push({ title: current.title, wall: (performance.now() - current.t0) / 1000, cpu: cpuSeconds() - current.c0, machine })
  }
  current = undefined
}

// 1. Types ------------------------------------------------------------------
// tsc is single-threaded: the programs run as many at a time as there are cores. A
// program that emits nothing keeps tsc's incremental state in build/.cache/tsc/, so a
// second run re-checks only what changed; the build (which writes dist/) always runs whole.
const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
/** @type {{ project: string, what: string, emits?: boolean }[]} */
const PROGRAMS = [
  { project: 'tsconfig.json', what: 'the whole project type-checks in strict mode' },
  { project: 'tsconfig.stubs.json', what: 'every check type-checks against the deep stubs' },
  // The build's files are a part of tsconfig.json's, checked there with the same options; the
  // build only emits them (--noCheck: the same dist/, without type-checking them twice).
  { project: 'tsconfig.build.json', what: 'the katas command builds to dist/ (its tests run the build)', emits: true },
  { project: 'site/assets/tsconfig.json', what: "the site's browser scripts type-check with DOM types" },
  { project: 'site/assets/workspace/tsconfig.json', what: 'the browser workspace and its check worker type-check' },
  { project: 'site/e2e/tsconfig.json', what: "the site's browser tests type-check" },
]
step(`type-checks: ${PROGRAMS.length} tsc programs, ${availableParallelism()} at a time`)
{
  /** @param {{ project: string, what: string, emits?: boolean }} p @returns {Promise<{ ok: boolean, out: string, seconds: number }>} */
  const typeCheck = (p) => {
    // The browser tests' types come from their own install (site/e2e/package.json), made on first use.
    const group = p.project.startsWith('site/e2e/') ? ensureGroup('site/e2e', "the browser suite's driver (playwright-core, axe-core)", 'selftest') : undefined
    if (group) return Promise.resolve({ ok: false, out: group, seconds: 0 })
    const info = path.join(ROOT, 'build', '.cache', 'tsc', `${p.project.replace(/[/\\]/g, '_')}.tsbuildinfo`)
    const args = [tsc, '-p', p.project, ...(p.emits ? ['--noCheck'] : ['--incremental', '--tsBuildInfoFile', info])]
    const t0 = performance.now()
    return new Promise((resolve) => {
      const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
      let out = ''
      child.stdout.on('data', (d) => (out += d))
      child.stderr.on('data', (d) => (out += d))
      child.on('close', (code) => resolve({ ok: code === 0, out: out.trim(), seconds: (performance.now() - t0) / 1000 }))
    })
  }
  /** @type {Promise<{ ok: boolean, out: string, seconds: number }>[]} */
  const results = []
  const lanes = Array.from({ length: availableParallelism() }, async () => {
    for (let i = results.length; i < PROGRAMS.length; i = results.length) {
      const r = typeCheck(/** @type {(typeof PROGRAMS)[number]} */ (PROGRAMS[i]))
      results.push(r)
      await r
    }
  })
  await Promise.all(lanes)
  for (const [i, p] of PROGRAMS.entries()) {
    const r = /** @type {{ ok: boolean, out: string, seconds: number }} */ (await results[i])
    process.stdout.write(`\n-- tsc -p ${p.project} (${r.seconds.toFixed(1)} s)\n`)
    if (r.out) process.stdout.write(`${r.out}\n`)
    if (verdict(r.ok, r.ok ? p.what : `${p.what}${r.out && !r.out.includes('\n') ? `: ${r.out}` : ''}`)) process.stdout.write(`ok: ${p.what}\n`)
  }
}

// 2–5. Checks against every tree, in one vitest run (scripts/proofs.mjs) --------
step('checks against solutions, both stub trees, every misconception, every core task alone')
for (const v of await runProofs({ write: (t) => process.stdout.write(t) })) verdict(v.ok, v.what)

// 6. The site builds from the lessons, with the API pages ------------------------
step('the site: npm run build:site')
{
  const r = spawnSync(process.execPath, [path.join(ROOT, 'site', 'run.mjs')], { cwd: ROOT, encoding: 'utf8' })
  const out = `${r.stdout}${r.stderr}`.trim()
  if (out) process.stdout.write(`${out}\n`)
  if (verdict(r.status === 0, 'the site builds from the lessons (build/site/)')) process.stdout.write('ok: the site builds\n')
}
// The browser suite needs Chromium and runs on its own (`npm run test:browser`; .ci/run runs it).
process.stdout.write(
  existsSync('/usr/bin/chromium')
    ? 'browser suite: not part of npm test — run `npm run test:browser` (CI does)\n'
    : 'browser suite: skipped — /usr/bin/chromium is missing (apt-get install chromium, then `npm run test:browser`; CI installs it and runs it)\n',
)

// Summary -------------------------------------------------------------------
endStage()
// Two CPU figures: the processes the stage ran and reaped, and the whole machine while it
// ran (which also counts the grader's sandboxed processes, and anything else running).
const hasMachine = stages.every((s) => s.machine !== undefined)
process.stdout.write(`\n== time per stage (wall; CPU seconds of the processes it ran${hasMachine ? '; CPU seconds the machine was busy' : ''})\n`)
/** @param {{ wall: number, cpu: number, machine: number | undefined }} s */
const figures = (s) => `${s.wall.toFixed(1).padStart(7)} s wall ${s.cpu.toFixed(1).padStart(7)} s CPU${hasMachine ? ` ${(s.machine ?? 0).toFixed(1).padStart(7)} s machine` : ''}`
for (const s of stages) process.stdout.write(`${figures(s)}  ${s.title}\n`)
const total = stages.reduce((t, s) => ({ wall: t.wall + s.wall, cpu: t.cpu + s.cpu, machine: (t.machine ?? 0) + (s.machine ?? 0) }), { wall: 0, cpu: 0, machine: 0 })
process.stdout.write(`${figures(total)}  in all\n`)
step('summary')
for (const f of failures) process.stdout.write(`FAILED: ${f}\n`)
process.stdout.write(`selftest: ${passed} passed, ${failures.length} failed\n`)
process.exitCode = failures.length ? 1 : 0
