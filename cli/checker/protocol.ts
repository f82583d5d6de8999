// What the checker and its clients say to each other, and where the checker listens.
//
// A check run is plain data (names, states, messages), so it crosses a worker
// thread or a socket unchanged and the learner loop, the tests and the benchmark
// read the same thing.
import { createHash } from 'node:crypto'
import { mkdirSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PACKAGE_ROOT } from '../../harness/paths.ts'

export type CheckState = 'pass' | 'fail' | 'skip' | 'todo' | 'run' | 'queued' | 'only'

/** One check (a vitest test) and how it ended. */
export interface CheckVerdict {
  /** The describe titles around it, then its own name. */
  names: string[]
  state: CheckState
  /** The first error's message, as vitest reports it. */
  message?: string
  /** Where the error was thrown in the learner's code: `labels/selector.ts:42:11`. */
  thrownAt?: string
  /** Set when the check threw something other than a failed expectation. */
  thrown?: boolean
}

/** One check file's run. */
export interface CheckRun {
  checks: CheckVerdict[]
  /** Errors of the file itself: a syntax error, a throw at import, a missing export. */
  errors: string[]
  /** Wall time of the run, seconds (import and checks, not the start of the worker). */
  seconds: number
}

export type Request =
  | { build: string; run: { checkFile: string } }
  | { build: string; ping: true }
  | { build: string; stop: true }

export type Reply = { run: CheckRun } | { pong: true; pid: number } | { stopped: true } | { restart: true } | { error: string }

/** The compiled checker's scripts: the server, the worker thread, the module hooks. */
export function checkerScript(name: 'server' | 'worker' | 'hooks'): string {
  return path.join(PACKAGE_ROOT, 'dist', 'cli', 'checker', `${name}.js`)
}

/** Where the checker of the tree `implRoot` listens: a socket in a private folder (a named pipe on Windows). */
export function socketPath(implRoot: string): string {
  const id = createHash('sha256').update(path.resolve(implRoot)).digest('hex').slice(0, 16)
  if (process.platform === 'win32') return `\\\\.\\pipe\\katas-checker-${id}`
  const dir = path.join(tmpdir(), `katas-${process.getuid?.() ?? 'user'}`)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  return path.join(dir, `checker-${id}.sock`)
}

/** Identifies the checker's build: a server of another build is replaced, not asked. */
export function buildId(): string {
  let mtime = 0
  for (const name of ['server', 'worker', 'hooks'] as const) {
    try {
      mtime = Math.max(mtime, statSync(checkerScript(name)).mtimeMs)
    } catch {
      // Not built: the client reports it.
    }
  }
  return `${process.version}:${PACKAGE_ROOT}:${mtime}`
}
