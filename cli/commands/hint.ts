// `katas hint [KATA] [--task N|SLUG] [--level N]`: the next hint tier for a task
// (by default the first task of the learner's track that is not green), or tier N.
import { findTask, type Kata, type Task } from '../../harness/course.ts'
import { firstOpenTask, resolveKata, type Context } from '../context.ts'
import { UserError } from '../errors.ts'
import type { Args } from '../main.ts'
import { renderHint } from '../render.ts'
import { updateProgress } from '../state.ts'
import { dim } from '../style.ts'

function pickTask(ctx: Context, kata: Kata, arg: string | undefined, failing?: readonly Task[]): Task {
  if (arg === undefined) return firstOpenTask(ctx, kata, failing)
  const task = findTask(kata, arg)
  if (!task) throw new UserError(`kata ${kata.id} has no task "${arg}"`, `its tasks: ${kata.tasks.map((t) => `${t.number} (${t.slug})`).join(', ')}`)
  return task
}

/**
 * Shows hint `level` (1-based) of a task, or the next one the learner has not
 * seen, and remembers how far they got. `failing`: the tasks red on screen now
 * (watch mode), so `h` helps with the first of them.
 */
export function showHint(ctx: Context, kata: Kata, opts: { task?: string; level?: number; failing?: readonly Task[]; again?: string }): string {
  const task = pickTask(ctx, kata, opts.task, opts.failing)
  const seen = ctx.progress.katas[kata.id]?.tasks[task.slug]?.hints ?? 0
  const n = opts.level ?? Math.min(seen + 1, task.hints.length)
  const hint = task.hints[n - 1]
  if (!hint) throw new UserError(`task ${task.number} of kata ${kata.id} has hints 1 to ${task.hints.length}, not ${n}`)
  ctx.progress = updateProgress(ctx.katas, ctx.ws, (p) => {
    const t = p.katas[kata.id]?.tasks[task.slug]
    if (t) t.hints = Math.max(t.hints, n)
  })
  const next = opts.again ?? `\`katas hint ${kata.id} --task ${task.number}\``
  const more = n < task.hints.length ? dim(`\n\nStill stuck? ${next} shows hint ${n + 1}.`) : ''
  return renderHint(kata, task, hint, n) + more
}

export async function hint(ctx: Context, args: Args): Promise<number> {
  const raw = args.values.level as string | undefined
  if (raw !== undefined && !/^\d+$/.test(raw)) throw new UserError('--level takes a number: 1 (nudge), 2 (pointer) or 3 (near-solution)')
  const kata = resolveKata(ctx, args.positionals[0])
  const opts: { task?: string; level?: number } = {}
  if (args.values.task !== undefined) opts.task = args.values.task as string
  if (raw !== undefined) opts.level = Number(raw)
  ctx.out(showHint(ctx, kata, opts))
  return 0
}
