// Try-it blocks: every `console` block of a lesson is one `$ katas …` command
// and its output. The checker runs a lesson's blocks in order on one fresh
// simulated cluster (reference model, fixed clock) and compares the output
// verbatim; `--update` writes the model's output back into the blocks.
import type { CodeBlock } from './blocks.ts'
import { unifiedDiff } from './diff.ts'
import type { BlockEdit } from './edit.ts'
import type { Lesson } from './frontmatter.ts'
import type { Problem } from './problem.ts'
import { shellSplit } from '../shell.ts'

/** What one `katas …` command printed (simulator/simulator.ts). */
export interface SimulatorIO {
  stdout: string
  stderr: string
  exitCode: number
  /** Both streams interleaved as a terminal shows them (kubectl's `Warning:` comes before the table), when the simulator records it. */
  output?: string
}

/** The part of simulator/simulator.ts `Simulator` the checker drives. */
export interface SimulatorLike {
  /** `argv` after `katas`. */
  run(argv: string[], cwd: string): Promise<SimulatorIO>
}

/** Opens one fresh in-memory cluster on the reference model. */
export type OpenSimulator = () => Promise<SimulatorLike>

export interface TryIt {
  block: CodeBlock
  /** The command after `$ `. */
  command: string
  /** The output lines of the block, without a trailing newline. */
  expected: string
}

/** A `console` block that runs (not `console norun`). */
export const isTryIt = (b: CodeBlock): boolean => b.lang === 'console' && !b.flags.includes('norun')

/** Reads the command and the expected output of a try-it block, or says what is wrong with it. */
export function readTryIt(file: string, block: CodeBlock): TryIt | Problem {
  const lines = block.text.replace(/\n$/, '').split('\n')
  const commands = lines.filter((l) => l.startsWith('$ ') || l === '$')
  if (commands.length !== 1 || !lines[0]!.startsWith('$ ')) {
    return {
      file,
      line: block.line,
      message: `try-it block: expected exactly one "$ " command line, first, then its output (found ${commands.length}); put each command in its own block, or mark shown-only commands "console norun"`,
    }
  }
  return { block, command: lines[0]!.slice(2).trim(), expected: trimLines(lines.slice(1).join('\n')) }
}

/** What the terminal shows (see {@link trimLines}), without the final newline: the interleaved output when known, else stdout then stderr. */
export function shown(io: SimulatorIO): string {
  if (io.output !== undefined) return trimLines(io.output)
  const out = io.stdout.endsWith('\n') || io.stdout === '' ? io.stdout : `${io.stdout}\n`
  return trimLines(`${out}${io.stderr}`)
}

/**
 * Text as compared: spaces at line ends and trailing newlines dropped, since
 * editors strip them from Markdown (kubectl's `… is invalid: ` ends in one).
 */
export function trimLines(text: string): string {
  return text
    .split('\n')
    .map((l) => l.replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/\n+$/, '')
}

/**
 * Runs a lesson's try-it blocks in order on one fresh simulator. Returns a
 * problem per block whose output differs (with a diff and the command that
 * rewrites it) and the edits that would make the blocks match.
 */
export async function runTryIts(
  lesson: Pick<Lesson, 'file' | 'name'>,
  blocks: readonly CodeBlock[],
  open: OpenSimulator,
  cwd: string,
): Promise<{ problems: Problem[]; edits: BlockEdit[]; ran: number }> {
  const problems: Problem[] = []
  const edits: BlockEdit[] = []
  const tryIts: TryIt[] = []
  for (const b of blocks.filter(isTryIt)) {
    const t = readTryIt(lesson.file, b)
    if ('message' in t) problems.push(t)
    else tryIts.push(t)
  }
  if (tryIts.length === 0) return { problems, edits, ran: 0 }
  const sim = await open()
  let ran = 0
  for (const t of tryIts) {
    const at = { file: lesson.file, line: t.block.contentLine }
    let argv: string[]
    try {
      argv = shellSplit(t.command)
    } catch (err) {
      problems.push({ ...at, message: `try-it command: ${(err as Error).message}: ${t.command}` })
      continue
    }
    if (argv[0] !== 'katas') {
      problems.push({ ...at, message: `try-it commands run in the simulator: start with \`katas\` (got "${t.command}"); commands for a real cluster go in a "console norun" block` })
      continue
    }
    let actual: string
    try {
      actual = shown(await sim.run(argv.slice(1), cwd))
    } catch (err) {
      problems.push({ ...at, message: `try-it command "${t.command}" crashed the simulator: ${String((err as Error).message ?? err).split('\n')[0]}` })
      continue
    }
    ran++
    if (actual !== t.expected) {
      const kata = lesson.name.slice(0, 2)
      const problem = {
        ...at,
        message: `try-it output of "${t.command}" differs from the model; if the model is right, run \`npm run lessons -- --update ${kata}\`\n${unifiedDiff(t.expected, actual)}`,
      }
      problems.push(problem)
      edits.push({ block: t.block, content: actual === '' ? `$ ${t.command}` : `$ ${t.command}\n${actual}`, fixes: problem })
    }
  }
  return { problems, edits, ran }
}
