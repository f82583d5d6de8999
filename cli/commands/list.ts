// `katas list`: where the learner stands, and where to continue.
import type { Context } from '../context.ts'
import { renderList } from '../render.ts'

export async function list(ctx: Context, _args: string[]): Promise<number> {
  ctx.out(renderList(ctx.katas, ctx.state))
  return 0
}
