// `katas list`: where the learner stands, and where to continue.
import type { Context } from '../context.ts'
import { renderList } from '../render.ts'

export async function list(ctx: Context): Promise<number> {
  ctx.out(renderList(ctx.katas, ctx.progress))
  return 0
}
