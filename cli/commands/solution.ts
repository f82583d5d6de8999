// `katas solution KATA [--full] [--force]`: the reference, once the learner has earned it.
// By default only the functions the learner writes on their track (the rest of the
// module is the given code they have already); `--full` shows whole modules.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { SOLUTIONS_DIR } from '../../harness/paths.ts'
import { lookupKata, type Context } from '../context.ts'
import { UserError } from '../errors.ts'
import type { Args } from '../main.ts'
import { page } from '../pager.ts'
import { trackOf } from '../state.ts'
import { bold, dim, yellow } from '../style.ts'

export async function solution(ctx: Context, args: Args): Promise<number> {
  const [name] = args.positionals
  if (name === undefined) throw new UserError('solution takes one kata', 'e.g. `katas solution 03`')
  const kata = lookupKata(ctx.katas, name)
  const status = ctx.progress.katas[kata.id]?.status
  if (status !== 'passed' && status !== 'given') {
    if (!args.values.force) throw new UserError(`the solution of ${kata.id} unlocks once its checks are green`, `run \`katas check ${kata.id}\`; to look anyway: \`katas solution ${kata.id} --force\``, 1)
    ctx.out(yellow(`Warning: ${kata.id} is not green yet. Reading the solution now skips the part where you learn the most.`))
  }
  const track = trackOf(ctx.progress, kata)
  const { learnerFunctions } = await import('../../harness/tracks.ts')
  const { unitMap, unitText } = await import('../../harness/units.ts')
  const { withoutMutationComments } = await import('../../harness/stubs.ts')
  const parts: string[] = []
  for (const m of kata.modules) {
    const file = path.join(SOLUTIONS_DIR, m)
    // The reference as a learner reads it: mutation testing's disable comments are for maintainers.
    const text = withoutMutationComments(readFileSync(file, 'utf8'))
    const where = dim(`(${path.relative(process.cwd(), file)})`)
    if (args.values.full) {
      parts.push(`${bold(`── ${m} `)}${where}\n`, text)
      continue
    }
    const names = learnerFunctions(kata, m, track)
    if (names.length === 0) continue
    const units = unitMap(file, text)
    parts.push(`${bold(`── ${m} `)}${where}`)
    for (const n of names) {
      const u = units.get(n)
      if (!u) continue
      const cls = n.includes('.') ? dim(`// in class ${n.split('.')[0]}\n`) : ''
      parts.push(`\n${cls}${unitText(text, u)}`)
    }
    parts.push('')
  }
  if (!args.values.full) parts.push(dim(`The ${track === 'deep' ? 'deep track' : 'core path'}'s functions only; the whole modules: \`katas solution ${kata.id} --full\``))
  await page(parts.join('\n'), ctx.out)
  return 0
}
