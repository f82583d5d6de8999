// When the code under test throws inside a check, the learner reads the exception with
// the input that caused it — the table row, or the line of the check that made the call —
// as a wrong value's message shows what was asked. The input travels in the error's own
// message, so every runner (the watch screen, `katas check`, the grader, vitest) shows it.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { inspect } from 'node:util'

/** A stub's "not implemented yet" says all there is to say. */
const STUB = /^kata \d\d-[a-z0-9-]+: .+ is not implemented yet/

/** How long an input may print before it is cut. */
const MAX_INPUT = 320

interface Described {
  name: string
  message: string
  stack: string
}

/** Name, message and stack of whatever was thrown, read without trusting it (learner code may throw anything). */
function describe(err: unknown): Described {
  try {
    if (typeof err === 'object' && err !== null) {
      const e = err as { name?: unknown; message?: unknown; stack?: unknown }
      return { name: String(e.name ?? 'Error'), message: String(e.message ?? ''), stack: typeof e.stack === 'string' ? e.stack : '' }
    }
    return { name: 'thrown value', message: String(err), stack: '' }
  } catch {
    return { name: 'thrown value', message: '(cannot be printed)', stack: '' }
  }
}

/** Whether an error is the check's own verdict (a wrong value, a property's counterexample) or a stub, which need no input beside them. */
export function explainsItself(name: string, message: string): boolean {
  return name === 'AssertionError' || message.startsWith('Property failed') || STUB.test(message)
}

/** Fields of a row that are not input: its title and what it expects (the check's title says both). */
const NOT_INPUT = /^(name|what|why|want.*|expect.*)$/

/** A row as one line: its input fields, nested values shortened. */
export function inputText(row: unknown): string {
  const shown = typeof row === 'object' && row !== null && !Array.isArray(row) ? Object.fromEntries(Object.entries(row).filter(([k]) => !NOT_INPUT.test(k))) : row
  const text = inspect(shown, { depth: 3, breakLength: Infinity, compact: true, maxArrayLength: 6, maxStringLength: 120, colors: false })
  return text.length > MAX_INPUT ? `${text.slice(0, MAX_INPUT - 1)}…` : text
}

/** The thrown error again, its message followed by `input: …`; the check's own verdicts pass through. */
export function annotate(err: unknown, row: unknown): unknown {
  const { name, message, stack } = describe(err)
  if (explainsItself(name, message)) return err
  const text = `${message}\ninput: ${inputText(row)}`
  const e = new Error(text, { cause: err })
  e.name = name
  // The frames of the original: where in the learner's file it was thrown.
  const frames = stack.split('\n').filter((l) => /^\s+at /.test(l))
  e.stack = [`${name}: ${text}`, ...frames].join('\n')
  return e
}

/** Runs `fn` (sync or async); what it throws carries `row` as its input. */
export function withInput<T>(row: unknown, fn: () => T): T {
  let result: T
  try {
    result = fn()
  } catch (err) {
    throw annotate(err, row)
  }
  if (result instanceof Promise) return result.catch((err: unknown) => Promise.reject(annotate(err, row))) as T
  return result
}

const sources = new Map<string, string[]>()

/** Line `line` (1-based) of a check file, trimmed. */
function sourceLine(file: string, line: number): string | undefined {
  let lines = sources.get(file)
  if (!lines) {
    try {
      lines = readFileSync(file, 'utf8').split('\n')
    } catch {
      return undefined
    }
    sources.set(file, lines)
  }
  return lines[line - 1]?.trim()
}

/**
 * For a failed test: when the first error was thrown by the code under test (not the
 * check's verdict), adds the line of the check that made the call — the input of a
 * check written without a table. Works on vitest's serialized errors.
 */
export function addCallSite(errors: { name?: string; message?: string; stack?: string }[] | undefined, root: string): void {
  const e = errors?.[0]
  if (!e || typeof e.message !== 'string' || explainsItself(e.name ?? '', e.message)) return
  for (const l of (e.stack ?? '').split('\n')) {
    const m = /(?:file:\/\/)?([^\s()]+\.check\.ts):(\d+):\d+\)?\s*$/.exec(l)
    if (!m) continue
    const file = m[1]!
    const code = sourceLine(file, Number(m[2]))
    if (!code) return
    const shown = code.length > 160 ? `${code.slice(0, 159)}…` : code
    e.message += `\ncall: ${shown}  (${path.relative(root, file)}:${m[2]})`
    return
  }
}
