// A lock between the katas processes of one workspace: `<file>.lock`, a directory,
// since `mkdir` is atomic everywhere. Held only for a read-merge-write of a small
// file, so waiting is short; a lock left by a crashed process is taken over.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { UserError } from './errors.ts'

/** A lock older than this is left over from a crashed command. */
const STALE_MS = 10_000
const WAIT_MS = 15_000

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function stale(lock: string): boolean {
  try {
    const pidFile = path.join(lock, 'pid')
    if (existsSync(pidFile)) {
      const pid = Number(readFileSync(pidFile, 'utf8'))
      if (pid > 0 && pid !== process.pid && !alive(pid)) return true
    }
    return Date.now() - statSync(lock).mtimeMs > STALE_MS
  } catch {
    return false
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4))
const sleep = (ms: number): void => void Atomics.wait(pause, 0, 0, ms)

/** Runs `fn` holding `<file>.lock`. */
export function withLockSync<T>(file: string, fn: () => T): T {
  const lock = `${file}.lock`
  mkdirSync(path.dirname(file), { recursive: true })
  const start = Date.now()
  for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
    try {
      mkdirSync(lock)
      writeFileSync(path.join(lock, 'pid'), String(process.pid))
      break
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      if (stale(lock)) {
        rmSync(lock, { recursive: true, force: true })
        continue
      }
      if (Date.now() - start > WAIT_MS) throw new UserError(`another katas process has held ${lock} for ${WAIT_MS / 1000} s`, 'if no katas command is running, delete that folder')
      sleep(delay)
    }
  }
  try {
    return fn()
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}
