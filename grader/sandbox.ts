// Set up in every worker before a check file runs (vitest `setupFiles`).
//
// Learner code runs in the same process as the checks, so this is where it is
// kept from ending or flooding the grade: `process.kill` and `process.abort`
// throw (vitest already turns `process.exit` into a throw), and console output
// is captured per check, capped, and handed to the reporter as the check's
// `output` (Exercism's results.json keeps at most 500 characters of it).
import { appendFileSync } from 'node:fs'
import { format } from 'node:util'
import { afterEach, beforeEach } from 'vitest'

declare module 'vitest' {
  interface TaskMeta {
    /** What the learner's code printed while this check ran, capped. */
    output?: string
  }
}

/** Characters of output kept per check; the rest is counted, never formatted. */
export const OUTPUT_CAP = Number(process.env.KATAS_GRADE_OUTPUT_CAP) || 500

let kept = ''
let dropped = 0

function capture(text: string): void {
  const room = OUTPUT_CAP - kept.length
  if (room <= 0) {
    dropped += text.length
    return
  }
  kept += text.slice(0, room)
  dropped += Math.max(0, text.length - room)
}

function refuse(what: string): never {
  throw new Error(`${what} was called by the graded code; the grader does not allow it`)
}

process.kill = (() => refuse('process.kill')) as typeof process.kill
process.abort = (() => refuse('process.abort')) as typeof process.abort

for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'table'] as const) {
  // Once the cap is reached a call costs nothing: gigabytes of output are never built.
  console[method] = (...args: unknown[]) => (kept.length < OUTPUT_CAP ? capture(`${format(...args)}\n`) : void dropped++)
}
for (const stream of [process.stdout, process.stderr]) {
  stream.write = ((chunk: unknown) => {
    if (kept.length < OUTPUT_CAP) capture(typeof chunk === 'string' ? chunk : String(chunk))
    else dropped++
    return true
  }) as typeof stream.write
}

const PROGRESS = process.env.KATAS_GRADE_PROGRESS

beforeEach((ctx) => {
  kept = ''
  dropped = 0
  // Written synchronously, so it is on disk even if this check never returns:
  // the grader's watchdog names the check that hung (grader/run.ts).
  if (PROGRESS) appendFileSync(PROGRESS, `${JSON.stringify({ file: ctx.task.file.filepath, name: ctx.task.name })}\n`)
})

const TRUNCATED = '\n[output truncated]'

afterEach((ctx) => {
  if (kept === '' && dropped === 0) return
  // The marker fits inside the cap, so the output stays within Exercism's 500 characters.
  ctx.task.meta.output = dropped > 0 ? `${kept.slice(0, Math.max(0, OUTPUT_CAP - TRUNCATED.length))}${TRUNCATED}` : kept
})
