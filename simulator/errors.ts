// How the simulator fails: one line (and a hint) with an exit code, never a stack trace.
import path from 'node:path'
import { UserError } from '../cli/errors.ts'
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

/**
 * What the learner reads when their model throws: a stub names the kata to finish; any
 * other error is theirs, with the first place in their files it came from.
 */
export function modelError(err: unknown, implDir: string, sourceMap?: string): SimulatorError {
  const e = err as Error
  const stub = STUB.exec(e?.message ?? '')
  if (stub) {
    const [, id, slug, what] = stub
    return new SimulatorError(`this needs kata ${id} (${slug}), which is not done yet: ${what} is not implemented`, `finish it, then run \`katas check ${id}\``, 1)
  }
  const where = sourceMap ? firstFrame(e?.stack ?? '', sourceMap) : ''
  return new SimulatorError(`the model failed: ${e?.name ?? 'Error'}: ${e?.message ?? String(err)}${where}`, 'run the kata\'s checks (`katas check`) to find the bug', 1)
}

/** The first frame of the stack that lies in the bundle, mapped back to its source file. */
function firstFrame(stack: string, sourceMap: string): string {
  const bundle = sourceMap.replace(/\.map$/, '')
  for (const line of stack.split('\n')) {
    const m = /(?:file:\/\/)?([^()\s]+):(\d+):(\d+)\)?$/.exec(line)
    if (!m || !bundle.endsWith(path.basename(m[1]!))) continue
    const at = originalPosition(sourceMap, Number(m[2]), Number(m[3]))
    if (at && !at.file.includes(`${path.sep}node_modules${path.sep}`)) return ` (at ${path.relative(process.cwd(), at.file)}:${at.line})`
  }
  return ''
}
