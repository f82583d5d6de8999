// `katas hint KATA [--level N]`: the next tier of hints, or tier N.
import { type Context, resolveKata } from '../context.ts'
import { UserError } from '../errors.ts'
import { renderHint } from '../render.ts'
import { saveState } from '../state.ts'
import { dim } from '../style.ts'

/** Shows hint `level` (1-based) or the next one, and remembers how far the learner got. */
export function showHint(ctx: Context, kataArg: string | undefined, level?: number, again = ''): string {
  const kata = resolveKata(ctx, kataArg)
  const p = ctx.state.katas[kata.id]!
  const n = level ?? Math.min(p.hintsShown + 1, kata.hints.length)
  const hint = kata.hints[n - 1]
  if (!hint) throw new UserError(`kata ${kata.id} has hints 1 to ${kata.hints.length}, not ${n}`)
  p.hintsShown = Math.max(p.hintsShown, n)
  saveState(ctx.state, ctx.ws)
  const more = n < kata.hints.length ? dim(`\n\nStill stuck? ${again || `\`katas hint ${kata.id}\``} shows hint ${n + 1}.`) : ''
  return renderHint(kata, hint, n) + more
}

export async function hint(ctx: Context, args: string[]): Promise<number> {
  let level: number | undefined
  const rest: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (a === '--level' || a.startsWith('--level=')) {
      const v = a.includes('=') ? a.slice(8) : args[++i]
      if (!v || !/^\d+$/.test(v)) throw new UserError('--level takes a number: 1 (nudge), 2 (pointer) or 3 (near-solution)')
      level = Number(v)
    } else rest.push(a)
  }
  if (rest.length > 1) throw new UserError(`hint takes one kata, got ${rest.length}: ${rest.join(' ')}`)
  ctx.out(showHint(ctx, rest[0], level))
  return 0
}
