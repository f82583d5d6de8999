// `katas check [KATA]`: one run, for people and for scripts (exit 0 green, 1 not).
import { type Context, record, resolveKata } from '../context.ts'
import { renderResult } from '../render.ts'
import { requireWorkspace } from '../workspace.ts'

export async function check(ctx: Context, args: string[]): Promise<number> {
  requireWorkspace(ctx.ws)
  const kata = resolveKata(ctx, args[0])
  const result = await ctx.runner.run(kata)
  record(ctx, result)
  ctx.out(renderResult(result, ctx.ws))
  return result.green ? 0 : 1
}
