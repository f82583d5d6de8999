// What every command starts from: the course, the workspace and the learner's progress.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { findKata, type Kata, type Task } from '../harness/course.ts'
import { loadCatalogue } from './catalogue.ts'
import { UserError } from './errors.ts'
import { CheckRunner, taskGreen, type KataResult } from './runner.ts'
import { currentKata, loadProgress, trackOf, updateProgress, type Progress } from './state.ts'
import { dim, yellow } from './style.ts'
import { closestTo } from './suggest.ts'
import { workspaceDir } from './workspace.ts'

export interface Context {
  katas: Kata[]
  ws: string
  /** As last read or written by this process; `refresh()` reads it again. */
  progress: Progress
  runner: CheckRunner
  out: (text: string) => void
  /** What happened while starting (a workspace created): watch mode shows it on its first screen. */
  notes: string[]
}

/** Finds a kata by number or name; a near miss gets a did-you-mean. */
export function lookupKata(katas: readonly Kata[], arg: string): Kata {
  const k = findKata(arg, [...katas])
  if (k) return k
  const names = katas.flatMap((x) => [x.slug, x.name])
  const near = closestTo(arg.toLowerCase(), names)
  const hit = near ? katas.find((x) => x.slug === near || x.name === near) : undefined
  throw new UserError(
    `unknown kata "${arg}"${hit ? ` — did you mean ${hit.id} (${hit.slug})?` : ''}`,
    `run \`katas list\` to see them; a kata is named by number (${katas[3]?.id ?? '03'}) or slug (${katas[3]?.slug ?? 'endpoints'})`,
  )
}

export function resolveKata(ctx: Context, arg: string | undefined): Kata {
  if (arg !== undefined) return lookupKata(ctx.katas, arg)
  const k = currentKata(ctx.katas, ctx.progress)
  if (!k) throw new UserError('every kata is green already', 'name one to run it again, e.g. `katas check 00`', 0)
  return k
}

/** The tasks a result counts for the learner: those of their track. */
export function trackResults(ctx: Context, r: KataResult): KataResult['tasks'] {
  const track = trackOf(ctx.progress, r.kata)
  return r.tasks.filter((t) => track === 'deep' || t.task.track === 'core')
}

/** Green on the learner's track (the given code's own checks do not count against them). */
export function greenOnTrack(ctx: Context, r: KataResult): boolean {
  return !r.loadError && trackResults(ctx, r).every(taskGreen)
}

/**
 * Records a run in the progress file, merged with what other processes wrote:
 * a task once green stays green, and so does a kata; a kata given by
 * `katas start` stays given (its code is the reference, not the learner's).
 */
export function record(ctx: Context, r: KataResult): void {
  const green = greenOnTrack(ctx, r)
  ctx.progress = updateProgress(ctx.katas, ctx.ws, (p) => {
    const k = p.katas[r.kata.id]
    if (!k || k.status === 'given') return
    for (const t of r.tasks) if (taskGreen(t) && k.tasks[t.task.slug]) k.tasks[t.task.slug]!.passed = true
    if (green) {
      k.status = 'passed'
      k.passedAt ??= new Date().toISOString()
    } else if (k.status === 'not-started') k.status = 'failing'
  })
}

/** The first task of the learner's track that is not green yet (by progress), else the last. */
export function firstOpenTask(ctx: Context, kata: Kata, failing?: readonly Task[]): Task {
  const tasks = kata.tasks.filter((t) => trackOf(ctx.progress, kata) === 'deep' || t.track === 'core')
  const open = failing ? tasks.find((t) => failing.includes(t)) : tasks.find((t) => !ctx.progress.katas[kata.id]?.tasks[t.slug]?.passed)
  return open ?? tasks[0]!
}

/** Reads progress again (another process may have changed it). */
export function refresh(ctx: Context): void {
  ctx.progress = loadProgress(ctx.katas, ctx.ws).progress
}

/**
 * Loads course and progress. A progress file that cannot be read is moved aside
 * and rebuilt by running every kata's checks.
 */
export async function openContext(out: (text: string) => void): Promise<Context> {
  const katas = loadCatalogue()
  const ws = workspaceDir()
  const { progress, movedAside } = loadProgress(katas, ws)
  const ctx: Context = { katas, ws, progress, runner: new CheckRunner(ws), out, notes: [] }
  if (movedAside) {
    out(yellow(`The progress file could not be read (${movedAside.reason}); it was moved to ${movedAside.to}.`))
    out(dim('Rebuilding progress from the checks…'))
    for (const k of katas) {
      // The banners say what the files are: given by `katas start`, or on the deep track.
      const texts = k.modules.map((m) => (existsSync(path.join(ws, m)) ? readFileSync(path.join(ws, m), 'utf8').slice(0, 2000) : ''))
      const given = /given by `katas start (\d\d)`/.exec(texts[0] ?? '')
      if (given && texts.every((t) => t.includes('given by `katas start'))) {
        ctx.progress = updateProgress(katas, ws, (p) => Object.assign(p.katas[k.id]!, { status: 'given', givenFor: given[1] }))
        continue
      }
      if (texts.some((t) => /Kata \d\d · deep track/.test(t))) ctx.progress = updateProgress(katas, ws, (p) => void (p.katas[k.id]!.track = 'deep'))
      record(ctx, await ctx.runner.run(k))
    }
  }
  return ctx
}
