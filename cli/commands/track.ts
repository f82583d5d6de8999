// `katas deep KATA`: the kata's given functions become stubs for the learner to write.
// `katas core KATA`: back to the core path, the given code restored (on the core path
// already: the given code restored, e.g. after an edit by mistake).
// Both keep the learner's own functions and back their files up first.
import path from 'node:path'
import type { Track } from '../../harness/course.ts'
import { lookupKata, type Context } from '../context.ts'
import { UserError } from '../errors.ts'
import type { Args } from '../main.ts'
import { trackOf, updateProgress } from '../state.ts'
import { bold, dim, green } from '../style.ts'
import { missingModules, requireWorkspace } from '../workspace.ts'

const rel = (p: string) => path.relative(process.cwd(), p) || '.'

async function switchTo(ctx: Context, args: Args, to: Track): Promise<number> {
  requireWorkspace(ctx.ws)
  const [name] = args.positionals
  if (name === undefined) throw new UserError(`${to} takes one kata`, `e.g. \`katas ${to} 01\``)
  const kata = lookupKata(ctx.katas, name)
  const p = ctx.progress.katas[kata.id]
  if (p?.status === 'given') throw new UserError(`${kata.id} was given by katas start: its files hold the reference, not your code`, `to do it yourself first: \`katas reset ${kata.id}\``)
  const already = trackOf(ctx.progress, kata) === to
  if (already && to === 'deep') {
    ctx.out(`${kata.id} ${kata.title} is on the deep track already.`)
    return 0
  }
  const missing = missingModules(kata, ctx.ws)
  if (missing.length) throw new UserError(`${missing.join(', ')} missing from ${rel(ctx.ws)}`, `restore it first: \`katas reset ${kata.id}\``)
  const { switchKata } = await import('../track-switch.ts')
  const change = switchKata(kata, ctx.ws, to)
  ctx.progress = updateProgress(ctx.katas, ctx.ws, (pr) => {
    const k = pr.katas[kata.id]!
    k.track = to
    // Green means every task of the track: the deep track's own tasks are still to do.
    const tasks = kata.tasks.filter((t) => to === 'deep' || t.track === 'core')
    if (tasks.every((t) => k.tasks[t.slug]?.passed)) k.status = 'passed'
    else if (k.status === 'passed') k.status = 'failing'
  })
  const deepTasks = kata.tasks.filter((t) => t.track === 'deep')
  const fns = [...change.functions].map(([m, names]) => `  ${path.join(rel(ctx.ws), m)}: ${names.join(', ')}`)
  if (to === 'deep') {
    ctx.out(`${green('✓')} ${bold(`${kata.id} ${kata.title}`)} is on the deep track: ${deepTasks.length} more task${deepTasks.length === 1 ? '' : 's'}. These given functions are now stubs for you to write:`)
    ctx.out(fns.join('\n') || '  (none: this kata has no given functions)')
    ctx.out(dim('Your own functions are as you left them.'))
  } else {
    ctx.out(`${green('✓')} ${bold(`${kata.id} ${kata.title}`)} ${already ? 'is on the core path, and' : 'is back on the core path.'} The given code is restored in:`)
    ctx.out(fns.join('\n') || '  (none: this kata has no given functions)')
    ctx.out(dim('Your core functions are as you left them; your deep-track versions of the given ones are in the backup.'))
  }
  ctx.out(dim(`Backup of your files before the switch: ${rel(change.backup.dir)} — \`katas reset --undo ${kata.id}\` restores it.`))
  return 0
}

export const deep = (ctx: Context, args: Args) => switchTo(ctx, args, 'deep')
export const core = (ctx: Context, args: Args) => switchTo(ctx, args, 'core')
