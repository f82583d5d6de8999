// How the simulator fails: one line (and a hint) with an exit code, never a stack trace.
import path from 'node:path'
import { UserError } from '../cli/errors.ts'
import { ownerOf, type Composition } from './composition.ts'
import { originalPosition } from './sourcemap.ts'

/** A learner-facing failure of the simulator: exit 1 unless said otherwise, and maybe kubectl's own words. */
export class SimulatorError extends UserError {
  override name = 'SimulatorError'
  constructor(
    message: string,
    hint?: string,
    exitCode = 1,
    /** Print `message` verbatim (a kubectl or curl line), not as `katas: …`. */
    readonly verbatim = false,
  ) {
    super(message, hint, exitCode)
  }
}

/** kubectl's own words: printed as they are, exit 1. */
export const kubectlError = (text: string, exitCode = 1) => new SimulatorError(text, undefined, exitCode, true)

const STUB = /^kata (\d\d)-([a-z0-9-]+): (.+?) is not implemented yet/

/** Whether `err` is a stub's "not implemented yet": the learner's, not kubectl's, to report. */
export const isStubError = (err: unknown): boolean => STUB.test((err as Error)?.message ?? '')

/** What the model ran on when it threw: the bundle's source map and whose code each kata was. */
export interface ModelRun {
  sourceMap?: string | undefined
  composition: Composition
  /** Whose code each kata is came from the progress file (`auto`), not from a side forced for every kata. */
  auto: boolean
}

/**
 * What the learner reads when the model throws: a stub names the kata to finish; an
 * error in a learner's module names that kata and module and the `katas check NN` that
 * finds the bug. Exit 2: the cluster cannot run until then (a setup error).
 */
export function modelError(err: unknown, run: ModelRun): SimulatorError {
  const { name, message, stack } = describe(err)
  const frames = run.sourceMap ? mappedFrames(stack, run.sourceMap) : []
  const mine = frames.map((f) => ({ f, owner: ownerOf(f.file, run.composition) })).find((x) => x.owner?.side.side === 'yours' && x.f.file.startsWith(run.composition.workspace + path.sep))
  const at = (f: { file: string; line: number } | undefined) => (f ? ` (at ${path.relative(process.cwd(), f.file)}:${f.line})` : '')
  const stub = STUB.exec(message)
  if (stub) {
    const [, id, slug, what] = stub
    if (run.auto && run.composition.katas.find((k) => k.kata.id === id)?.side === 'yours') {
      return new SimulatorError(`kata ${id} (${slug}) is green in your progress, but ${what} is not implemented${at(mine?.f)}`, `run \`katas check ${id}\`: until it is green again the cluster runs the reference for it`, 2)
    }
    const back = !run.auto ? '; `katas cluster use auto` runs the reference for katas not green yet' : ''
    return new SimulatorError(`this needs kata ${id} (${slug}), which is not done yet: ${what} is not implemented`, `finish it, then run \`katas check ${id}\`${back}`, 2)
  }
  if (mine?.owner) {
    const k = mine.owner.side.kata
    return new SimulatorError(`your ${mine.owner.module} (kata ${k.id}, ${k.slug}) failed in the cluster: ${name}: ${message}${at(mine.f)}`, `run \`katas check ${k.id}\` to find the bug; \`katas cluster use solutions\` runs the reference meanwhile`, 2)
  }
  const yours = run.composition.katas.filter((k) => k.side === 'yours').map((k) => k.kata.id)
  if (yours.length) {
    return new SimulatorError(
      `the cluster failed with your code of kata${yours.length === 1 ? '' : 's'} ${yours.join(', ')} in it: ${name}: ${message}${at(frames[0])}`,
      `one of ${yours.length === 1 ? 'its functions' : 'them'} may return what the cluster cannot use: run \`katas check ${yours.at(-1)}\`${yours.length > 1 ? ' (and the others)' : ''}; \`katas cluster use solutions\` runs the reference meanwhile`,
      2,
    )
  }
  return new SimulatorError(`the model failed: ${name}: ${message}${at(frames[0])}`, 'run the kata\'s checks (`katas check`) to find the bug', 2)
}

/** Name, message and stack of whatever was thrown, read without trusting it (a learner may throw anything). */
function describe(err: unknown): { name: string; message: string; stack: string } {
  try {
    const e = err as Error
    if (e instanceof Error || (typeof e === 'object' && e !== null && 'message' in e)) return { name: String(e.name ?? 'Error'), message: String(e.message), stack: String(e.stack ?? '') }
    return { name: 'thrown value', message: String(err), stack: '' }
  } catch {
    return { name: 'thrown value', message: '(cannot be printed)', stack: '' }
  }
}

/** The frames of the stack that lie in the bundle, mapped back to their source files (not packages). */
function mappedFrames(stack: string, sourceMap: string): { file: string; line: number }[] {
  const bundle = sourceMap.replace(/\.map$/, '')
  const out: { file: string; line: number }[] = []
  for (const line of stack.split('\n')) {
    const m = /(?:file:\/\/)?([^()\s]+):(\d+):(\d+)\)?$/.exec(line)
    if (!m || !bundle.endsWith(path.basename(m[1]!))) continue
    const at = originalPosition(sourceMap, Number(m[2]), Number(m[3]))
    if (at && !at.file.includes(`${path.sep}node_modules${path.sep}`)) out.push(at)
  }
  return out
}
