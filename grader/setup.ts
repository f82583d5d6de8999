// Set up in every worker before a check file runs (vitest `setupFiles`).
//
// Learner code runs in the same process as the checks, so this is where it is
// kept from ending or flooding the grade: `process.kill` and `process.abort`
// throw (vitest already turns `process.exit` into a throw), and console output
// is captured per check, capped, and handed to the reporter as the check's
// `output` (Exercism's results.json keeps at most 500 characters of it).
// Writes the sandbox refuses (a read-only course, no such folder) are noted per
// check, for the grade's report.
import fs, { appendFileSync } from 'node:fs'
import { syncBuiltinESMExports } from 'node:module'
import { format } from 'node:util'
import { afterEach, beforeEach } from 'vitest'

declare module 'vitest' {
  interface TaskMeta {
    /** What the learner's code printed while this check ran, capped. */
    output?: string
    /** Paths the learner's code tried to write, and the sandbox refused. */
    refused?: string[]
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

const refused = new Set<string>()
const REFUSALS = new Set(['EROFS', 'EACCES', 'EPERM'])
const note = (err: unknown, args: unknown[]): void => {
  const code = (err as NodeJS.ErrnoException)?.code
  if (!code || !REFUSALS.has(code)) return
  for (const a of args.slice(0, 2)) if (typeof a === 'string' || a instanceof URL) refused.add(String(a))
}
type Fn = (...args: unknown[]) => unknown
const WRITES = ['writeFile', 'appendFile', 'mkdir', 'rm', 'rmdir', 'unlink', 'rename', 'copyFile', 'cp', 'symlink', 'link', 'truncate', 'chmod', 'utimes', 'open']
const writes = (name: string, args: unknown[]): boolean => name !== 'open' || /[wa+]/.test(String(args[1] ?? 'r'))
const mod = fs as unknown as Record<string, Fn>
for (const name of WRITES) {
  const sync = mod[`${name}Sync`]
  if (sync) {
    mod[`${name}Sync`] = function (this: unknown, ...args: unknown[]) {
      try {
        return sync.apply(this, args)
      } catch (err) {
        if (writes(name, args)) note(err, args)
        throw err
      }
    }
  }
  const cb = mod[name]
  if (cb) {
    mod[name] = function (this: unknown, ...args: unknown[]) {
      const done = args.at(-1)
      if (typeof done === 'function' && writes(name, args)) args[args.length - 1] = (err: unknown, ...rest: unknown[]) => (note(err, args), done(err, ...rest))
      return cb.apply(this, args)
    }
  }
  const promised = (fs.promises as unknown as Record<string, Fn>)[name]
  if (promised) {
    ;(fs.promises as unknown as Record<string, Fn>)[name] = function (this: unknown, ...args: unknown[]) {
      return (promised.apply(this, args) as Promise<unknown>).catch((err: unknown) => {
        if (writes(name, args)) note(err, args)
        throw err
      })
    }
  }
}
syncBuiltinESMExports()

beforeEach((ctx) => {
  kept = ''
  dropped = 0
  // Written synchronously, so it is on disk even if this check never returns:
  // the grader's watchdog names the check that hung (grader/run.ts).
  if (PROGRESS) appendFileSync(PROGRESS, `${JSON.stringify({ file: ctx.task.file.filepath, name: ctx.task.name })}\n`)
})

const TRUNCATED = '\n[output truncated]'

afterEach((ctx) => {
  if (refused.size) {
    ctx.task.meta.refused = [...refused]
    refused.clear()
  }
  if (kept === '' && dropped === 0) return
  // The marker fits inside the cap, so the output stays within Exercism's 500 characters.
  ctx.task.meta.output = dropped > 0 ? `${kept.slice(0, Math.max(0, OUTPUT_CAP - TRUNCATED.length))}${TRUNCATED}` : kept
})
