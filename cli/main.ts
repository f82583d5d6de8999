// The `katas` command: parse the arguments, run one command, turn errors into
// one clear line and an exit code (0 ok, 1 checks not green, 2 usage or setup).
import { CourseError } from '../harness/course.ts'
import { check } from './commands/check.ts'
import { doctor } from './commands/doctor.ts'
import { help } from './commands/help.ts'
import { hint } from './commands/hint.ts'
import { list } from './commands/list.ts'
import { reset } from './commands/reset.ts'
import { solution } from './commands/solution.ts'
import { type Context, openContext } from './context.ts'
import { UserError } from './errors.ts'
import { dim, green, red } from './style.ts'
import { HELP, PROGRAM } from './text.ts'
import { watchMode } from './watch.ts'
import { ensureWorkspace } from './workspace.ts'

type Command = (ctx: Context, args: string[]) => Promise<number>

const COMMANDS: Record<string, Command> = { check, doctor, help, hint, list, reset, solution }
// Loaded on demand: the site generator is heavy, and only `katas serve` needs it.
COMMANDS.serve = async (ctx, args) => (await import('./commands/serve.ts')).serve(ctx, args)

export async function main(argv: string[]): Promise<number> {
  const out = (text: string): void => void process.stdout.write(`${text}\n`)
  const [name, ...args] = argv
  let ctx: Context | undefined
  try {
    if (name === '--help' || name === '-h') {
      out(HELP)
      return 0
    }
    // Grading needs no workspace or progress of its own: it grades other checkouts.
    // Loaded on demand: the learner's commands need not load the grader's TypeScript parser.
    if (name === 'grade') return await (await import('../grader/command.ts')).grade(args, out)
    // The simulated cluster starts no check runner: loaded on demand, so the process stays fast.
    if (name === 'kubectl' || name === 'curl' || name === 'cluster') return await (await import('../simulator/cli.ts')).simulatorMain(argv)
    if (name === 'help' && (args[0] === 'kubectl' || args[0] === 'curl' || args[0] === 'cluster')) return await (await import('../simulator/cli.ts')).simulatorMain([args[0], '--help'])
    const command = name === undefined || name === 'watch' ? undefined : COMMANDS[name]
    if (name !== undefined && name !== 'watch' && !command) {
      throw new UserError(`unknown command "${name}"`, 'run `katas help` to see the commands')
    }
    if (!command) {
      const copied = ensureWorkspace()
      if (copied.length) out(green(`Created your workspace with ${copied.length} stub files. Edit them in any editor; the checks re-run on every save.`))
    }
    ctx = await openContext(out)
    return command ? await command(ctx, args) : await watchMode(ctx)
  } catch (err) {
    if (err instanceof UserError) {
      process.stderr.write(`${red(`${PROGRAM}: ${err.message}`)}\n`)
      if (err.hint) process.stderr.write(`${dim(`hint: ${err.hint}`)}\n`)
      return err.exitCode
    }
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
  } finally {
    await ctx?.runner.close()
  }
}
