// `katas hint KATA [--level N]`: the next tier of hints, or tier N.
import { findTask } from '../../harness/course.ts'
import { type Context, resolveKata } from '../context.ts'
import { UserError } from '../errors.ts'
import { renderHint } from '../render.ts'
import { saveState } from '../state.ts'
import { dim } from '../style.ts'

/** Shows hint `level` (1-based) or the next one, and remembers how far the learner got. */
export function showHint(ctx: Context, kataArg: string | undefined, level?: number, again = '', taskArg?: string): string {
  const kata = resolveKata(ctx, kataArg)
  const p = ctx.state.katas[kata.id]!
  const task = taskArg === undefined ? kata.tasks[0]! : findTask(kata, taskArg)
  if (!task) throw new UserError(`kata ${kata.id} has no task "${taskArg}"`, `its tasks: ${kata.tasks.map((t) => `${t.number} (${t.slug})`).join(', ')}`)
  const n = level ?? Math.min(p.hintsShown + 1, task.hints.length)
  const hint = task.hints[n - 1]
  if (!hint) throw new UserError(`task ${task.number} of kata ${kata.id} has hints 1 to ${task.hints.length}, not ${n}`)
  p.hintsShown = Math.max(p.hintsShown, n)
  saveState(ctx.state, ctx.ws)
  const more = n < task.hints.length ? dim(`\n\nStill stuck? ${again || `\`katas hint ${kata.id}\``} shows hint ${n + 1}.`) : ''
  return renderHint(kata, task, hint, n) + more
}

export async function hint(ctx: Context, args: string[]): Promise<number> {
  let level: number | undefined
  let task: string | undefined
  const rest: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (a === '--level' || a.startsWith('--level=')) {
      const v = a.includes('=') ? a.slice(8) : args[++i]
      if (!v || !/^\d+$/.test(v)) throw new UserError('--level takes a number: 1 (nudge), 2 (pointer) or 3 (near-solution)')
      level = Number(v)
    } else if (a === '--task' || a.startsWith('--task=')) {
      task = a.includes('=') ? a.slice(7) : args[++i]
      if (!task) throw new UserError('--task takes a task number or slug')
    } else rest.push(a)
  }
  if (rest.length > 1) throw new UserError(`hint takes one kata, got ${rest.length}: ${rest.join(' ')}`)
  ctx.out(showHint(ctx, rest[0], level, '', task))
  return 0
}
