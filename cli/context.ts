// What every command starts from: the course, the workspace and the learner's progress.
import { findKata, loadCourse, type Kata } from '../harness/course.ts'
import { UserError } from './errors.ts'
import { CheckRunner, type KataResult } from './runner.ts'
import { currentKata, loadState, saveState, type State } from './state.ts'
import { dim, yellow } from './style.ts'
import { workspaceDir } from './workspace.ts'

export interface Context {
  katas: Kata[]
  ws: string
  state: State
  runner: CheckRunner
  out: (text: string) => void
}

export function resolveKata(ctx: Context, arg: string | undefined): Kata {
  if (arg === undefined) {
    const k = currentKata(ctx.katas, ctx.state)
    if (!k) throw new UserError('every kata is green already', 'name one to run it again, e.g. `katas check 00`', 0)
    return k
  }
  const k = findKata(arg, ctx.katas)
  if (!k) throw new UserError(`unknown kata "${arg}"`, `run \`katas list\` to see them; a kata is named by number (03) or slug (${ctx.katas[3]?.slug ?? 'endpoints'})`)
  return k
}

/** Records a run's outcome in the progress file. */
export function record(ctx: Context, r: KataResult): void {
  const p = ctx.state.katas[r.kata.id]!
  p.tasksTotal = r.tasks.length
  p.tasksPassed = r.tasks.filter((t) => t.total > 0 && t.failures.length === 0).length
  if (r.green) {
    p.status = 'passed'
    p.passedAt ??= new Date().toISOString()
  } else {
    // A kata that regresses is failing again: the checks are the truth.
    p.status = 'failing'
    delete p.passedAt
  }
  saveState(ctx.state, ctx.ws)
}

/**
 * Loads course and progress. An unreadable progress file is moved aside and
 * progress is rebuilt by running every kata's checks.
 */
export async function openContext(out: (text: string) => void): Promise<Context> {
  const katas = loadCourse()
  const ws = workspaceDir()
  const { state, corruptMovedTo } = loadState(katas, ws)
  const ctx: Context = { katas, ws, state, runner: new CheckRunner(ws), out }
  if (corruptMovedTo) {
    out(yellow(`The progress file could not be read; it was moved to ${corruptMovedTo}.`))
    out(dim('Rebuilding progress from the checks…'))
    for (const k of katas) record(ctx, await ctx.runner.run(k))
    saveState(ctx.state, ws)
  }
  return ctx
}
