// `katas start KATA [--yes]`: start the course at KATA (a workshop on DNS need not
// begin with kata 00). The katas before it that the learner has not finished are
// filled with the reference code and marked `given`, so later katas compose; the
// learner's files are backed up first, and a workspace with progress is asked about.
import path from 'node:path'
import readline from 'node:readline'
import { lookupKata, type Context } from '../context.ts'
import { UserError } from '../errors.ts'
import type { Track } from '../../harness/course.ts'
import type { Args } from '../main.ts'
import { updateProgress } from '../state.ts'
import { modulesByRole } from '../render.ts'
import { bold, cyan, dim, green } from '../style.ts'
import { ensureWorkspace } from '../workspace.ts'

const rel = (p: string) => path.relative(process.cwd(), p) || '.'

function hasProgress(ctx: Context): boolean {
  return Object.values(ctx.progress.katas).some((k) => k.status !== 'not-started' || Object.values(k.tasks).some((t) => t.passed || t.hints > 0))
}

async function confirm(question: string): Promise<boolean> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout })
  const answer = await new Promise<string>((resolve) => rl.question(question, resolve))
  rl.close()
  return /^y(es)?$/i.test(answer.trim())
}

export async function start(ctx: Context, args: Args): Promise<number> {
  const [name] = args.positionals
  if (name === undefined) throw new UserError('start takes one kata', 'e.g. `katas start 05`: the katas before it are given, so you begin at 05')
  const kata = lookupKata(ctx.katas, name)
  ensureWorkspace(ctx.ws)
  const earlier = ctx.katas.filter((k) => k.id < kata.id)
  const toGive = earlier.filter((k) => ctx.progress.katas[k.id]?.status !== 'passed')
  const kept = earlier.filter((k) => !toGive.includes(k))
  const own = ctx.progress.katas[kata.id]
  if (hasProgress(ctx) && !args.values.yes) {
    const what = `This replaces the files of ${toGive.map((k) => k.id).join(', ') || 'no kata'} with the reference (your versions are backed up first).`
    if (!process.stdin.isTTY) throw new UserError(`the workspace has progress. ${what}`, `to go ahead: \`katas start ${kata.id} --yes\``)
    ctx.out(what)
    if (!(await confirm(cyan(`Start at ${kata.id}? [y/N] `)))) {
      ctx.out(dim('Nothing changed.'))
      return 1
    }
  }
  const { giveKata, resetToStub } = await import('../track-switch.ts')
  const backups: string[] = []
  for (const k of toGive) backups.push(giveKata(k, ctx.ws, kata.id, ctx.progress.katas[k.id]?.track ?? 'core').dir)
  // KATA itself is the learner's from here: given earlier (by a start at a later kata), it goes back to its stub.
  if (own?.status === 'given') backups.push(resetToStub(kata, ctx.ws, 'core').dir)
  let track: Track = 'core'
  ctx.progress = updateProgress(ctx.katas, ctx.ws, (p) => {
    for (const k of toGive) {
      const e = p.katas[k.id]!
      e.status = 'given'
      e.givenFor = kata.id
      e.track = 'core'
      delete e.passedAt
      for (const t of Object.values(e.tasks)) t.passed = false
    }
    const mine = p.katas[kata.id]!
    track = mine.track
    if (mine.status === 'given') {
      mine.status = 'not-started'
      delete mine.givenFor
    }
  })
  ctx.out(`${green('✓')} ${bold(`Starting at ${kata.id} ${kata.title}.`)}`)
  if (toGive.length) ctx.out(`Given (the reference code, marked as given and not graded as yours): ${toGive.map((k) => k.id).join(', ')}`)
  if (kept.length) ctx.out(`Kept (green, your own work): ${kept.map((k) => k.id).join(', ')}`)
  if (backups.length) ctx.out(dim(`Your previous files are backed up under ${rel(path.join(ctx.ws, '.katas', 'backups'))}/ (\`katas reset --undo NN\` restores a kata's).`))
  ctx.out(`Next: edit ${modulesByRole(kata, track).yours.map((m) => path.join(rel(ctx.ws), m)).join(', ')} and run \`katas\` (watch) or \`katas check ${kata.id}\`.`)
  return 0
}
