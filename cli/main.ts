// The `katas` command: parse the arguments, run one command, turn errors into
// one clear line and an exit code (0 ok, 1 checks not green, 2 usage or setup).
//
// Each command's module is loaded only when it runs, so `katas help` starts in a
// few hundredths of a second and `katas check` loads no YAML parser, no compiler.
import path from 'node:path'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import type { Context } from './context.ts'
import { UserError } from './errors.ts'
import { dim, red } from './style.ts'
import { HELP, PROGRAM } from './text.ts'

export interface Args {
  positionals: string[]
  values: Record<string, string | boolean | undefined>
}

export type Command = (ctx: Context, args: Args) => Promise<number>

interface Spec {
  load: () => Promise<Command>
  usage: string
  options?: NonNullable<ParseArgsConfig['options']>
  /** Most positionals it takes (Infinity: any number). */
  max: number
}

const COMMANDS: Record<string, Spec> = {
  check: { load: async () => (await import('./commands/check.ts')).check, usage: 'katas check [KATA…]', max: Infinity },
  list: { load: async () => (await import('./commands/list.ts')).list, usage: 'katas list', max: 0 },
  hint: {
    load: async () => (await import('./commands/hint.ts')).hint,
    usage: 'katas hint [KATA] [--task N|SLUG] [--level N]',
    options: { task: { type: 'string' }, level: { type: 'string' } },
    max: 1,
  },
  reset: { load: async () => (await import('./commands/reset.ts')).reset, usage: 'katas reset KATA  or  katas reset --undo KATA', options: { undo: { type: 'boolean' } }, max: 1 },
  deep: { load: async () => (await import('./commands/track.ts')).deep, usage: 'katas deep KATA', max: 1 },
  core: { load: async () => (await import('./commands/track.ts')).core, usage: 'katas core KATA', max: 1 },
  start: { load: async () => (await import('./commands/start.ts')).start, usage: 'katas start KATA [--yes]', options: { yes: { type: 'boolean', short: 'y' } }, max: 1 },
  solution: {
    load: async () => (await import('./commands/solution.ts')).solution,
    usage: 'katas solution KATA [--full] [--force]',
    options: { force: { type: 'boolean' }, full: { type: 'boolean' } },
    max: 1,
  },
  doctor: { load: async () => (await import('./commands/doctor.ts')).doctor, usage: 'katas doctor', max: 0 },
  serve: { load: async () => (await import('./commands/serve.ts')).serve, usage: 'katas serve [--port N]', options: { port: { type: 'string' } }, max: 0 },
  stop: { load: async () => (await import('./commands/stop.ts')).stop, usage: 'katas stop', max: 0 },
  watch: { load: async () => (await import('./watch.ts')).watchMode, usage: 'katas [watch]', max: 0 },
}

const SIMULATOR = new Set(['kubectl', 'curl', 'cluster'])

function parse(name: string, spec: Spec, argv: string[]): Args {
  let parsed
  try {
    parsed = parseArgs({ args: argv, options: spec.options ?? {}, allowPositionals: true, strict: true })
  } catch (err) {
    // parseArgs' messages are long and name its own option types; say it the learner's way.
    const m = /'(-{1,2}[\w-]+)/.exec((err as Error).message)
    const code = (err as NodeJS.ErrnoException).code
    const what = code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' ? `${m?.[1] ?? 'an option'} needs a value` : `unknown option ${m?.[1] ?? ''}`.trim()
    throw new UserError(`${name}: ${what}`, `usage: ${spec.usage}`)
  }
  if (parsed.positionals.length > spec.max) {
    const extra = parsed.positionals.slice(spec.max)
    throw new UserError(`${name} takes ${spec.max === 0 ? 'no arguments' : `at most ${spec.max} argument${spec.max === 1 ? '' : 's'}`}, got also: ${extra.join(' ')}`, `usage: ${spec.usage}`)
  }
  return { positionals: parsed.positionals, values: parsed.values as Args['values'] }
}

export async function main(argv: string[]): Promise<number> {
  const out = (text: string): void => void process.stdout.write(`${text}\n`)
  const [name, ...rest] = argv
  let ctx: Context | undefined
  try {
    if (name === '--help' || name === '-h' || name === 'help') {
      if (rest[0] && SIMULATOR.has(rest[0])) return await (await import('../simulator/cli.ts')).simulatorMain([rest[0], '--help'])
      out(HELP)
      return 0
    }
    if (name === '--version' || name === '-v') {
      out((await import('./version.ts')).version())
      return 0
    }
    // Grading needs no workspace or progress of its own: it grades other checkouts.
    if (name === 'grade') return await (await import('../grader/command.ts')).grade(rest, out)
    // The simulated cluster starts no checker: loaded on demand, so the process stays fast.
    if (name !== undefined && SIMULATOR.has(name)) return await (await import('../simulator/cli.ts')).simulatorMain(argv)
    if (name === 'run') return await (await import('./commands/run.ts')).run(rest)
    const command = name === undefined ? 'watch' : name
    const spec = COMMANDS[command]
    if (!spec) {
      const { closestTo } = await import('./suggest.ts')
      const near = closestTo(command, [...Object.keys(COMMANDS), 'run', 'grade', 'help', ...SIMULATOR])
      throw new UserError(`unknown command "${command}"${near ? ` — did you mean \`katas ${near}\`?` : ''}`, 'run `katas help` to see the commands')
    }
    const args = parse(command, spec, rest)
    const [{ openContext }, run] = await Promise.all([import('./context.ts'), spec.load()])
    ctx = await openContext(out)
    if (command === 'watch' || command === 'start') await prepareWorkspace(ctx)
    return await run(ctx, args)
  } catch (err) {
    return report(err)
  } finally {
    await ctx?.runner.close()
  }
}

/** Creates the workspace (stubs, scratch starters) where it is missing, and says so. */
async function prepareWorkspace(ctx: Context): Promise<void> {
  const { ensureWorkspace } = await import('./workspace.ts')
  const { ensureScratch } = await import('./scratch.ts')
  const { green } = await import('./style.ts')
  const copied = ensureWorkspace(ctx.ws)
  const scratch = await ensureScratch(ctx.katas, ctx.ws)
  const scratchDir = path.join(path.relative(process.cwd(), ctx.ws) || '.', 'scratch')
  const notes: string[] = []
  if (copied.length) notes.push(green(`Created your workspace with ${copied.length} files. Edit them in any editor; the checks re-run on every save.`))
  if (scratch.written.length && copied.length) notes.push(green(`Try your functions in ${scratchDir}/: \`katas run scratch/NN-….ts\`.`))
  if (scratch.updated.length) {
    const names = scratch.updated.map((f) => path.basename(f)).join(', ')
    const one = scratch.updated.length === 1
    notes.push(green(`Updated ${names} in ${scratchDir}/ to ${one ? "its lesson's" : "their lessons'"} current code (you had not edited ${one ? 'it' : 'them'}).`))
  }
  for (const n of notes) ctx.out(n)
  ctx.notes.push(...notes)
}

async function report(err: unknown): Promise<number> {
  if (err instanceof UserError) {
    process.stderr.write(`${red(`${PROGRAM}: ${err.message}`)}\n`)
    if (err.hint) process.stderr.write(`${dim(`hint: ${err.hint}`)}\n`)
    return err.exitCode
  }
  const { CourseError } = await import('../harness/course.ts')
  if (err instanceof CourseError) {
    process.stderr.write(`${red(`${PROGRAM}: the course files are damaged: ${err.message}`)}\n`)
    process.stderr.write(`${dim('hint: restore them with `git checkout -- katas/`')}\n`)
    return 2
  }
  const e = err as Error
  process.stderr.write(`${red(`${PROGRAM}: unexpected error: ${e?.message ?? String(err)}`)}\n`)
  process.stderr.write(`${dim('hint: run `katas doctor`; set KATAS_DEBUG=1 to see the stack trace')}\n`)
  if (process.env.KATAS_DEBUG) process.stderr.write(`${e?.stack ?? ''}\n`)
  return 2
}
