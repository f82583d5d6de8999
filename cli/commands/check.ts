// `katas check [KATA…]`: one run of each named kata (default: the current one), in
// order, for people and for scripts (exit 0 when every one is green, 1 when not).
import { greenOnTrack, record, resolveKata, type Context } from '../context.ts'
import type { Args } from '../main.ts'
import { renderResult } from '../render.ts'
import { trackOf } from '../state.ts'
import { dim } from '../style.ts'
import { editedGivenIn, missingModules, requireWorkspace } from '../workspace.ts'

export async function check(ctx: Context, args: Args): Promise<number> {
  requireWorkspace(ctx.ws)
  // Every name is checked before anything runs: a typo in the third is not found after two runs.
  const katas = args.positionals.length ? args.positionals.map((a) => resolveKata(ctx, a)) : [resolveKata(ctx, undefined)]
  let allGreen = true
  for (const [i, kata] of katas.entries()) {
    if (i > 0) ctx.out('')
    const missing = missingModules(kata, ctx.ws)
    const view = { mode: 'once' as const, track: trackOf(ctx.progress, kata), ws: ctx.ws, missing }
    if (missing.length) {
      ctx.out(renderResult({ kata, tasks: [], green: false, seconds: 0 }, view))
      allGreen = false
      continue
    }
    const result = await ctx.runner.run(kata)
    record(ctx, result)
    const givenRed = result.tasks.some((t) => view.track === 'core' && t.task.track === 'deep' && t.failures.length > 0)
    ctx.out(renderResult(result, givenRed ? { ...view, editedGiven: await editedGivenIn(kata, ctx.ws, view.track) } : view))
    const p = ctx.progress.katas[kata.id]
    if (p?.status === 'given') ctx.out(dim(`${kata.id} was given by \`katas start ${p.givenFor ?? ''}\`: its files hold the reference, not graded as yours. To do it yourself: \`katas reset ${kata.id}\`.`))
    allGreen &&= greenOnTrack(ctx, result)
  }
  return allGreen ? 0 : 1
}
