// Grades learner checkouts: every kata's pristine checks against a prepared copy
// of each workspace, one sandboxed process per checkout (a kata whose run goes
// wrong runs again in one of its own: grader/run.ts), with a verdict per kata and
// points per task.
//
// Points are the course's (katas/NN-slug/kata.yaml): a task earns its points
// when every one of its checks passes, so a kata gives partial credit task by
// task. Which tasks count is the learner's track for that kata: the core path
// counts the core tasks, the deep track all of them.
import { existsSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { stripVTControlCharacters } from 'node:util'
import { tasksFor, type Kata, type Task, type Track } from '../harness/course.ts'
import { CHECKS_DIR, MISCONCEPTIONS_DIR, PACKAGE_ROOT, SOLUTIONS_DIR } from '../harness/paths.ts'
import { addCanaries, judgeCanaries, type Canary } from './canaries.ts'
import { findTampering, readManifest, type Tampering } from './checksums.ts'
import { scanImports } from './imports.ts'
import { realPath } from './plugin.ts'
import { prepareWorkspace, type KataPlan, type PreparedWorkspace } from './prepare.ts'
import type { CheckRun } from './protocol.ts'
import { runKatas, type KataOutcome, type RunOptions } from './run.ts'

export type Verdict = 'passed' | 'failed' | 'error' | 'timeout' | 'crashed' | 'forbidden' | 'tampered' | 'given' | 'refused'

export interface TaskGrade {
  task: Task
  /** Whether the task counts on the learner's track. */
  counts: boolean
  passed: number
  total: number
  points: number
  /** Why a task whose checks passed earned nothing. */
  reason?: string
}

export interface KataGrade {
  kata: Kata
  track: Track
  verdict: Verdict
  /** Why the kata did not run to the end, or what went wrong while it ran. */
  message?: string
  /** The checks of the tasks that count. */
  checks: CheckRun[]
  tasks: TaskGrade[]
  points: number
  maxPoints: number
  corePoints: number
  deepPoints: number
  seconds: number
  /** Protected files of this kata the checkout changed (its check file, its kata.yaml). */
  tampering: Tampering[]
  /** Things to know that do not change the points: given code edited, writes refused. */
  notes: string[]
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
  /** Workspace files that were not graded (huge files). */
  skipped: string[]
  /** Things said once for the checkout (a progress file that cannot be read). */
  notes: string[]
  /** Whether each kata ran in an OS sandbox. */
  sandboxed: boolean
  /** Why not, in one line. */
  unsandboxed?: string
  seconds: number
  /** The grader could not grade (its environment failed, not the learner's code). */
  fatal?: string
}

const sum = (tasks: TaskGrade[], pick: (t: TaskGrade) => number) => tasks.reduce((n, t) => n + pick(t), 0)

/** Builds a kata's grade from its checks (none when it did not run). */
export function kataGrade(kata: Kata, verdict: Verdict, checks: CheckRun[], seconds: number, message?: string, plan?: Pick<KataPlan, 'track' | 'copied'>): KataGrade {
  const track = plan?.track ?? 'core'
  const counted = new Set(tasksFor(kata, track).map((t) => t.number))
  const scored = verdict === 'passed' || verdict === 'failed'
  const mine = checks.filter((c) => counted.has(c.task))
  const tasks = kata.tasks.map((task): TaskGrade => {
    const own = mine.filter((c) => c.task === task.number)
    const passed = own.filter((c) => c.status === 'pass').length
    const t: TaskGrade = { task, counts: counted.has(task.number) && verdict !== 'given', passed, total: own.length, points: 0 }
    const green = scored && t.counts && own.length > 0 && passed === own.length
    const copies = plan?.copied.get(task.number)
    if (green && copies?.length) t.reason = `${copies.join(', ')} ${copies.length === 1 ? 'is' : 'are'} the given code, token for token: kept, not written`
    else if (green) t.points = task.points
    return t
  })
  const g: KataGrade = {
    kata,
    track,
    verdict,
    checks: mine,
    tasks,
    points: sum(tasks, (t) => t.points),
    maxPoints: sum(tasks, (t) => (t.counts ? t.task.points : 0)),
    corePoints: sum(tasks, (t) => (t.task.track === 'core' ? t.points : 0)),
    deepPoints: sum(tasks, (t) => (t.task.track === 'deep' ? t.points : 0)),
    seconds,
    tampering: [],
    notes: [],
  }
  if (message) g.message = message
  return g
}

export interface GradeOptions extends Omit<RunOptions, 'sandboxed'> {
  katas: Kata[]
  /** Grading processes at once, over all checkouts (a checkout each, or a share of one). */
  jobs: number
  sandboxed: boolean
  /** Why the katas run unsandboxed, in one line. */
  unsandboxed?: string
}

/** Paths in messages are shown as the learner knows them: `workspace/…`, `checks/…`. */
function tidy(text: string, base: string): string {
  const name = path.basename(base).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return stripVTControlCharacters(text)
    .replace(new RegExp(`[^\\s'"(\\[]*${name}/(\\d\\d-[A-Za-z0-9-]+/)?`, 'g'), '')
    .replaceAll(`${PACKAGE_ROOT}${path.sep}`, '')
}

/** One checkout on its way through grading. */
interface Work {
  dir: string
  name: string
  t0: number
  prepared?: PreparedWorkspace
  decided: Map<string, KataGrade>
  specs: { kata: Kata; source: string; canaries: Canary[] }[]
  outcomes: Map<string, KataOutcome>
  tampering: Tampering[]
  forbidden: string[]
  fatal?: string
}

/** The trees no graded module may reach: the course's reference and its misconceptions, by real path, and the checkout's copies of them. */
function forbiddenTrees(dir: string): string[] {
  return [...new Set([SOLUTIONS_DIR, MISCONCEPTIONS_DIR, path.resolve(dir, 'solutions'), path.resolve(dir, 'misconceptions')].flatMap((d) => [d, realPath(d)]))]
}

/** Prepares a checkout and decides what needs no run: given katas, missing modules, imports of the reference. */
function openCheckout(dir: string, opts: GradeOptions): Work {
  const w: Work = { dir, name: path.basename(path.resolve(dir)), t0: performance.now(), decided: new Map(), specs: [], outcomes: new Map(), tampering: [], forbidden: forbiddenTrees(dir) }
  w.tampering = findTampering(dir, readManifest())
  const ws = path.join(dir, 'workspace')
  let isDir = false
  try {
    isDir = statSync(ws).isDirectory()
  } catch {
    isDir = false
  }
  if (!isDir) {
    for (const k of opts.katas) w.decided.set(k.name, kataGrade(k, 'error', [], 0, `no workspace/ folder in ${dir}: run \`katas\` there once to create it`))
    return w
  }
  const prepared = prepareWorkspace(ws, opts.katas)
  w.prepared = prepared
  if (prepared.refused) {
    for (const k of opts.katas) w.decided.set(k.name, kataGrade(k, 'refused', [], 0, prepared.refused))
    return w
  }
  const scan = scanImports(prepared.stage, realPath(ws), w.forbidden)
  for (const kata of opts.katas) {
    const plan = prepared.plans.get(kata.name)!
    const early = (g: KataGrade) => w.decided.set(kata.name, g)
    if (plan.given) {
      early(kataGrade(kata, 'given', [], 0, `given by \`katas start${plan.givenFor ? ` ${plan.givenFor}` : ''}\`: the reference code, not the learner's work`, plan))
      continue
    }
    const missing = kata.modules.filter((m) => !existsSync(path.join(prepared.stage, m)))
    if (missing.length) {
      early(kataGrade(kata, 'error', [], 0, `missing ${missing.map((m) => `workspace/${m}`).join(', ')} — restore the stub with \`katas reset ${kata.id}\``, plan))
      continue
    }
    const bad = scan.reachedFrom(kata.modules)
    if (bad.length) {
      early(kataGrade(kata, 'forbidden', [], 0, `imports the reference solutions, so it is scored zero: ${bad.map((b) => `workspace/${b.module} imports "${b.specifier}"`).join('; ')}`, plan))
      continue
    }
    const file = path.join(CHECKS_DIR, `${kata.name}.check.ts`)
    const { source, canaries } = addCanaries(readFileSync(file, 'utf8'), kata, tasksFor(kata, plan.track))
    w.specs.push({ kata, source, canaries })
  }
  return w
}

/** The grade of a kata from its process's outcome. */
function fromOutcome(kata: Kata, out: KataOutcome, spec: Work['specs'][number], plan: KataPlan, base: string, opts: GradeOptions): KataGrade {
  if (out.stop) return kataGrade(kata, out.stop.verdict, [], opts.timeout, tidy(out.stop.message, base), plan)
  if (!out.run) return kataGrade(kata, 'error', [], 0, `not graded: ${out.fatal ?? 'the check file did not run'}`, plan)
  const run = out.run
  const loadError = run.loadError && tidy(run.loadError, base)
  if (loadError && run.checks.length === 0) return kataGrade(kata, 'error', [], run.seconds, loadError, plan)
  const judged = judgeCanaries(run.checks, spec.canaries)
  if (judged.tampered) return kataGrade(kata, 'tampered', [], run.seconds, judged.tampered, plan)
  const checks = judged.checks.map((c) => (c.message ? { ...c, message: tidy(c.message, base) } : c))
  const counted = new Set(tasksFor(kata, plan.track).map((t) => t.number))
  const mine = checks.filter((c) => counted.has(c.task))
  const green = !loadError && mine.length > 0 && mine.every((c) => c.status === 'pass')
  const g = kataGrade(kata, green ? 'passed' : 'failed', checks, run.seconds, loadError, plan)
  if (run.refused?.length) {
    const shown = run.refused.map((p) => (p.startsWith(`${PACKAGE_ROOT}${path.sep}`) ? path.relative(PACKAGE_ROOT, p) : p))
    g.notes.push(`writes the sandbox refused: ${shown.slice(0, 5).join(', ')}${shown.length > 5 ? ` and ${shown.length - 5} more` : ''}`)
  }
  return g
}

function finish(w: Work, opts: GradeOptions): CheckoutGrade {
  const p = w.prepared
  const katas = opts.katas.map((kata): KataGrade => {
    const plan = p?.plans.get(kata.name)
    let g = w.decided.get(kata.name)
    if (!g) {
      const spec = w.specs.find((s) => s.kata === kata)!
      g = fromOutcome(kata, w.outcomes.get(kata.name) ?? { fatal: 'the kata was not run' }, spec, plan!, p!.base, opts)
    }
    g.tampering = w.tampering.filter((t) => t.file === `checks/${kata.name}.check.ts` || t.file.startsWith(`katas/${kata.name}/`))
    g.notes.unshift(...(plan && !plan.given ? plan.notes : []))
    for (const t of g.tasks) if (t.reason) g.notes.push(`task ${t.task.number} (${t.task.slug}) earns nothing: ${t.reason}`)
    return g
  })
  const fatal = w.fatal ?? [...w.outcomes.values()].find((o) => o.fatal && !o.run && !o.stop)?.fatal
  p?.remove()
  return {
    dir: w.dir,
    name: w.name,
    katas,
    points: katas.reduce((n, k) => n + k.points, 0),
    maxPoints: katas.reduce((n, k) => n + k.maxPoints, 0),
    tampering: w.tampering,
    skipped: p?.skipped ?? [],
    notes: p?.note ? [p.note] : [],
    sandboxed: opts.sandboxed,
    ...(opts.sandboxed ? {} : { unsandboxed: opts.unsandboxed ?? 'no sandbox' }),
    seconds: (performance.now() - w.t0) / 1000,
    ...(fatal ? { fatal } : {}),
  }
}

/**
 * Grades every checkout, `opts.jobs` kata processes at once. A checkout is
 * reported (`onDone`) once every process of it has ended; one the grader itself
 * fails on is reported with `fatal`, never thrown.
 */
export async function gradeCheckouts(dirs: string[], opts: GradeOptions, onDone: (g: CheckoutGrade, i: number) => void): Promise<CheckoutGrade[]> {
  const works: (Work | undefined)[] = new Array(dirs.length)
  const grades: CheckoutGrade[] = new Array(dirs.length)
  const left = new Map<number, number>()
  const broken = (i: number, err: unknown): Work => {
    const message = `the grader failed on this checkout: ${(err as Error)?.message ?? String(err)}`
    const w: Work = { dir: dirs[i]!, name: path.basename(path.resolve(dirs[i]!)), t0: performance.now(), decided: new Map(), specs: [], outcomes: new Map(), tampering: [], forbidden: [], fatal: message }
    for (const k of opts.katas) w.decided.set(k.name, kataGrade(k, 'error', [], 0, message))
    return w
  }
  const done = (i: number) => {
    grades[i] = finish(works[i]!, opts)
    onDone(grades[i]!, i)
  }
  const openWork = (i: number): Work => {
    if (!works[i]) {
      try {
        works[i] = openCheckout(dirs[i]!, opts)
      } catch (err) {
        works[i] = broken(i, err)
      }
      left.set(i, works[i]!.specs.length)
      if (works[i]!.specs.length === 0) done(i)
    }
    return works[i]!
  }
  // Work is taken checkout by checkout, so the first checkouts finish first. A checkout's
  // katas share one process (one vitest start); while there are fewer checkouts than
  // jobs, they are dealt out over several, so a single checkout still uses every job.
  const queue: { i: number; ks: number[] }[] = []
  let next = 0
  const retry: { i: number; k: number }[] = []
  const settle = (i: number, kata: string, out: KataOutcome) => {
    works[i]!.outcomes.set(kata, out)
    left.set(i, left.get(i)! - 1)
    if (left.get(i) === 0) done(i)
  }
  const runGroup = async (i: number, ks: number[], alone: boolean) => {
    const w = works[i]!
    const specs = ks.map((k) => w.specs[k]!)
    const jobs = specs.map((spec) => ({ kata: spec.kata.name, checkFile: path.join(CHECKS_DIR, `${spec.kata.name}.check.ts`), checkSource: spec.source }))
    const { outcomes } = await runKatas(w.prepared!, jobs, w.forbidden, opts)
    for (const [k, spec] of specs.map((s, n) => [ks[n]!, s] as const)) {
      const out = outcomes.get(spec.kata.name)
      // A kata the shared process could not settle runs again in a process of its own.
      if (!out) queue.unshift({ i, ks: [k] })
      // A kata that timed out beside others, or after other katas' code in its process, may only
      // have been starved of CPU: it runs again, alone, before it is blamed.
      else if (out.stop?.verdict === 'timeout' && !alone && (opts.jobs > 1 || ks.length > 1)) retry.push({ i, k })
      else settle(i, spec.kata.name, out)
    }
  }
  const take = (): { i: number; ks: number[] } | undefined => {
    while (!queue.length && next < dirs.length) {
      const i = next++
      const w = openWork(i)
      const groups = Math.min(w.specs.length, Math.max(1, Math.floor(opts.jobs / Math.max(1, dirs.length - i))))
      for (let g = 0; g < groups; g++) {
        const ks = w.specs.map((_, k) => k).filter((k) => k % groups === g)
        if (ks.length) queue.push({ i, ks })
      }
    }
    return queue.shift()
  }
  const lane = async () => {
    for (let item = take(); item; item = take()) await runGroup(item.i, item.ks, false)
  }
  await Promise.all(Array.from({ length: Math.max(1, opts.jobs) }, lane))
  for (const item of retry) await runGroup(item.i, [item.k], true)
  return grades
}
