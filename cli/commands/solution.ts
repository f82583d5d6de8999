// `katas solution KATA [--force]`: the reference model, once the learner has earned it.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { SOLUTIONS_DIR } from '../../harness/paths.ts'
import { type Context, resolveKata } from '../context.ts'
import { UserError } from '../errors.ts'
import { bold, dim, yellow } from '../style.ts'

export async function solution(ctx: Context, args: string[]): Promise<number> {
  const force = args.includes('--force')
  const names = args.filter((a) => a !== '--force')
  if (names.length !== 1) throw new UserError('solution takes exactly one kata', 'e.g. `katas solution 03`')
  const kata = resolveKata(ctx, names[0])
  if (ctx.state.katas[kata.id]?.status !== 'passed') {
    if (!force) throw new UserError(`the solution of ${kata.id} unlocks once its checks are green`, `run \`katas check ${kata.id}\`; to look anyway: \`katas solution ${kata.id} --force\``, 1)
    ctx.out(yellow(`Warning: ${kata.id} is not green yet. Reading the solution now skips the part where you learn the most.`))
  }
  for (const m of kata.modules) {
    const file = path.join(SOLUTIONS_DIR, m)
    ctx.out(`\n${bold(`── ${m} `)}${dim(`(${path.relative(process.cwd(), file)})`)}\n`)
    ctx.out(readFileSync(file, 'utf8'))
  }
  return 0
}
