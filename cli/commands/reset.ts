// `katas reset KATA`: back to the stub of the learner's track, without losing anything.
// `katas reset --undo KATA`: restore the newest backup; again goes one further back.
import path from 'node:path'
import { lookupKata, type Context } from '../context.ts'
import { UserError } from '../errors.ts'
import type { Args } from '../main.ts'
import { trackOf, updateProgress } from '../state.ts'
import { dim, green } from '../style.ts'
import { requireWorkspace, undoReset, type Backup } from '../workspace.ts'
import type { Kata } from '../../harness/course.ts'

const rel = (p: string) => path.relative(process.cwd(), p) || '.'

const MADE_BY = { reset: 'katas reset', deep: 'katas deep', core: 'katas core', start: 'katas start' } as const

/** Restores the stub of the learner's track (files backed up first) and clears the kata's green. */
export async function resetKata(ctx: Context, kata: Kata): Promise<Backup> {
  const { resetToStub } = await import('../track-switch.ts')
  const backup = resetToStub(kata, ctx.ws, trackOf(ctx.progress, kata))
  ctx.progress = updateProgress(ctx.katas, ctx.ws, (p) => {
    const k = p.katas[kata.id]!
    k.status = k.status === 'given' ? 'not-started' : 'failing'
    delete k.passedAt
    delete k.givenFor
    for (const t of Object.values(k.tasks)) t.passed = false
  })
  return backup
}

export async function reset(ctx: Context, args: Args): Promise<number> {
  requireWorkspace(ctx.ws)
  const [name] = args.positionals
  if (name === undefined) throw new UserError('reset takes one kata', 'e.g. `katas reset 03` or `katas reset --undo 03`')
  const kata = lookupKata(ctx.katas, name)
  if (args.values.undo) {
    const u = undoReset(kata, ctx.ws)
    ctx.progress = updateProgress(ctx.katas, ctx.ws, (p) => {
      const k = p.katas[kata.id]!
      k.track = u.restored.track
      if (k.status === 'given') k.status = 'failing'
    })
    ctx.out(`${green('✓')} Restored ${kata.id} ${kata.title} as it was before \`${MADE_BY[u.restored.reason]}\` (${u.restored.at.replace('T', ' ').slice(0, 19)}), ${u.restored.track === 'deep' ? 'on the deep track' : 'on the core path'}.`)
    ctx.out(dim(`The files it replaced are in ${rel(u.replacedTo)}.`))
    ctx.out(dim(u.left ? `${u.left} older backup${u.left === 1 ? '' : 's'} left: \`katas reset --undo ${kata.id}\` again goes one further back.` : 'That was the oldest backup.'))
    return 0
  }
  const track = trackOf(ctx.progress, kata)
  const backup = await resetKata(ctx, kata)
  ctx.out(`${green('✓')} ${kata.id} ${kata.title} is back to its stubs${track === 'deep' ? ' (deep track)' : ''}.`)
  ctx.out(dim(`Your version is saved in ${rel(backup.dir)} — \`katas reset --undo ${kata.id}\` brings it back.`))
  return 0
}
