// Grades one learner checkout: every kata's pristine checks against a copy of
// its workspace, with a verdict per kata and points per task.
//
// Points are the course's (katas/NN-slug/kata.yaml): a task earns its points
// when every one of its checks passes, so a kata gives partial credit task by task.
import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { stripVTControlCharacters } from 'node:util'
import type { Kata, Task } from '../harness/course.ts'
import { MISCONCEPTIONS_DIR, PACKAGE_ROOT, SOLUTIONS_DIR } from '../harness/paths.ts'
import { findTampering, readManifest, type Tampering } from './checksums.ts'
import { scanImports } from './imports.ts'
import { copyWorkspace } from './layout.ts'
import type { CheckRun } from './protocol.ts'
import { runKatas, type RunOptions } from './run.ts'

export type Verdict = 'passed' | 'failed' | 'error' | 'timeout' | 'crashed' | 'forbidden'

export interface TaskGrade {
  task: Task
  passed: number
  total: number
  points: number
}

export interface KataGrade {
  kata: Kata
  verdict: Verdict
  /** Why the kata did not run to the end, or what went wrong while it ran. */
  message?: string
  checks: CheckRun[]
  tasks: TaskGrade[]
  points: number
  maxPoints: number
  seconds: number
  /** Protected files of this kata the checkout changed (its check file, its kata.yaml). */
  tampering: Tampering[]
}

export interface CheckoutGrade {
  /** The checkout folder as given. */
  dir: string
  /** A short name for tables and CSV rows: the folder's base name. */
  name: string
  katas: KataGrade[]
  points: number
  maxPoints: number
  /** Every protected file the checkout changed, deleted or added. */
  tampering: Tampering[]
  /** Workspace files that were not graded (links out of the workspace, huge files). */
  skipped: string[]
  seconds: number
  /** The grader could not grade (its environment failed, not the learner's code). */
  fatal?: string
}

export const maxPoints = (kata: Kata): number => kata.tasks.reduce((n, t) => n + t.points, 0)

/** Builds a kata's grade from its checks (none when it did not run). */
export function kataGrade(kata: Kata, verdict: Verdict, checks: CheckRun[], seconds: number, message?: string): KataGrade {
  const tasks = kata.tasks.map((task): TaskGrade => {
    const mine = checks.filter((c) => c.task === task.number)
    const passed = mine.filter((c) => c.status === 'pass').length
    const earned = verdict !== 'forbidden' && mine.length > 0 && passed === mine.length
    return { task, passed, total: mine.length, points: earned ? task.points : 0 }
  })
  const g: KataGrade = {
    kata,
    verdict,
    checks,
    tasks,
    points: tasks.reduce((n, t) => n + t.points, 0),
    maxPoints: maxPoints(kata),
    seconds,
    tampering: [],
  }
  if (message) g.message = message
  return g
}

export interface GradeOptions extends RunOptions {
  katas: Kata[]
}

/** Paths in messages are shown as the learner knows them: `workspace/…`, `checks/…`. */
function tidy(text: string, copyRoot: string): string {
  const copyName = path.basename(path.dirname(copyRoot))
  return stripVTControlCharacters(text)
    .replaceAll(`${path.dirname(copyRoot)}${path.sep}`, '')
    .replaceAll(`${PACKAGE_ROOT}${path.sep}`, '')
    // Bundlers print the copy's path relative to the course (`../katas-grade-x/workspace/…`).
    .replace(new RegExp(`[^\\s'"(\\[]*${copyName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/`, 'g'), '')
}

export async function gradeCheckout(dir: string, opts: GradeOptions): Promise<CheckoutGrade> {
  const t0 = performance.now()
  const name = path.basename(path.resolve(dir))
  let tampering: Tampering[] = []
  const result = (katas: KataGrade[], skipped: string[] = [], fatal?: string): CheckoutGrade => {
    for (const k of katas) {
      k.tampering = tampering.filter((t) => t.file === `checks/${k.kata.name}.check.ts` || t.file.startsWith(`katas/${k.kata.name}/`))
    }
    return {
      dir,
      name,
      katas,
      points: katas.reduce((n, k) => n + k.points, 0),
      maxPoints: katas.reduce((n, k) => n + k.maxPoints, 0),
      tampering,
      skipped,
      seconds: (performance.now() - t0) / 1000,
      ...(fatal ? { fatal } : {}),
    }
  }
  const ws = path.join(dir, 'workspace')
  if (!existsSync(ws) || !statSync(ws).isDirectory()) {
    tampering = findTampering(dir, readManifest())
    return result(opts.katas.map((k) => kataGrade(k, 'error', [], 0, `no workspace/ folder in ${dir}: run \`katas\` there once to create it`)))
  }
  const copy = copyWorkspace(ws)
  try {
    const forbidden = [SOLUTIONS_DIR, MISCONCEPTIONS_DIR, path.resolve(dir, 'solutions'), path.resolve(dir, 'misconceptions')]
    const decided = new Map<string, KataGrade>()
    for (const kata of opts.katas) {
      const missing = kata.modules.filter((m) => !existsSync(path.join(copy.root, m)))
      if (missing.length) {
        const list = missing.map((m) => `workspace/${m}`).join(', ')
        decided.set(kata.name, kataGrade(kata, 'error', [], 0, `missing ${list} — restore the stub with \`katas reset ${kata.id}\``))
      }
    }
    const toRun = opts.katas.filter((k) => !decided.has(k.name)).map((k) => k.name)
    // The checks start first; the import scan and the checksums (over a second of
    // parsing) are done while the grading process starts vitest.
    const running = toRun.length ? runKatas(copy.root, toRun, forbidden, opts) : Promise.resolve({ runs: [], stops: [], unrun: [] as string[], fatal: undefined })
    let scan: ReturnType<typeof scanImports>
    try {
      tampering = findTampering(dir, readManifest())
      scan = scanImports(copy.root, path.resolve(ws), forbidden)
    } catch (err) {
      await running // never leave a grading process behind, nor remove its files under it
      throw err
    }
    for (const kata of opts.katas) {
      const bad = scan.reachedFrom(kata.modules)
      if (bad.length) {
        const list = bad.map((b) => `workspace/${b.module} imports "${b.specifier}"`).join('; ')
        decided.set(kata.name, kataGrade(kata, 'forbidden', [], 0, `imports the reference solutions, so it is scored zero: ${list}`))
      }
    }
    const out = await running
    const grades = opts.katas.map((kata): KataGrade => {
      const early = decided.get(kata.name)
      if (early) return early
      const stop = out.stops.find((s) => s.kata === kata.name)
      if (stop) return kataGrade(kata, stop.verdict, [], opts.timeout, tidy(stop.message, copy.root))
      const run = out.runs.find((r) => r.kata === kata.name)
      if (!run) return kataGrade(kata, 'error', [], 0, `not graded: ${out.fatal ?? 'the check file did not run'}`)
      const checks = run.checks.map((c) => (c.message ? { ...c, message: tidy(c.message, copy.root) } : c))
      const loadError = run.loadError && tidy(run.loadError, copy.root)
      if (loadError && checks.length === 0) return kataGrade(kata, 'error', [], run.seconds, loadError)
      const green = !loadError && checks.length > 0 && checks.every((c) => c.status === 'pass')
      return kataGrade(kata, green ? 'passed' : 'failed', checks, run.seconds, loadError)
    })
    return result(grades, copy.skipped, out.fatal)
  } finally {
    copy.remove()
  }
}
