// `katas help`
import type { Context } from '../context.ts'
import { HELP } from '../text.ts'

export async function help(ctx: Context, _args: string[]): Promise<number> {
  ctx.out(HELP)
  return 0
}
