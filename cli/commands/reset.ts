// `katas reset KATA` and `katas reset --undo KATA`: start over, without losing anything.
import path from 'node:path'
import { type Context, resolveKata } from '../context.ts'
import { UserError } from '../errors.ts'
import { saveState } from '../state.ts'
import { dim, green } from '../style.ts'
import { requireWorkspace, resetKata, undoReset } from '../workspace.ts'

export async function reset(ctx: Context, args: string[]): Promise<number> {
  requireWorkspace(ctx.ws)
  const undo = args.includes('--undo')
  const names = args.filter((a) => a !== '--undo')
  if (names.length !== 1) throw new UserError(`reset takes exactly one kata${names.length ? `, got: ${names.join(' ')}` : ''}`, 'e.g. `katas reset 03` or `katas reset --undo 03`')
  const kata = resolveKata(ctx, names[0])
  const rel = (p: string) => path.relative(process.cwd(), p) || '.'
  if (undo) {
    const from = undoReset(kata, ctx.ws)
    ctx.out(`${green('✓')} Restored ${kata.id} ${kata.title} from ${rel(from)}`)
  } else {
    const backup = resetKata(kata, ctx.ws)
    ctx.out(`${green('✓')} ${kata.id} ${kata.title} is back to its stubs.`)
    ctx.out(dim(`Your version is saved in ${rel(backup)} — \`katas reset --undo ${kata.id}\` brings it back.`))
  }
  const p = ctx.state.katas[kata.id]!
  p.status = 'failing'
  delete p.passedAt
  saveState(ctx.state, ctx.ws)
  return 0
}
